"""Problem tests, read on the workers and joined to the submissions that need them.

The execute stage needs each submission's problem: its tests and limits. Reading every
problem's tests on the driver and shipping them inside the pipeline graph makes the job
request grow with the input (thousands of CodeNet problems: too large for Dataflow's job
size limit, and a task graph of hundreds of MiB on Dask). Here the driver only names the
problem-set and CodeNet roots; workers list them, read one problem per work item, and the
entries are joined by problem id to the submissions (a CoGroupByKey), so no process ever
holds the whole test table.

``ReadProblemTests`` yields ``(problem_id, (order, entry))``; ``entry`` is the execute stage's
``{tests, time_limit_s, memory_limit_mb}`` (plus ``harness`` for function-level problems) and
``order`` ranks duplicates of an id: the entry from the later root (problem sets first, then
CodeNet, then function-problem files, each in command-line order) wins, as it did when the
driver merged one table. ``JoinProblems`` pairs samples with their problem's entry.
"""
from __future__ import annotations

import apache_beam as beam

from transforms.read import codenet, humaneval
from transforms.read import problems as problem_io

PROBLEMS, CODENET, FUNCTIONS = "problems", "codenet", "functions"


class _ListProblemUnits(beam.DoFn):
    """(kind, root, root index) -> one work item per problem of that root, listed on a worker.
    An unreadable root lists nothing here: the read stage dead-letters it."""

    def process(self, root_item):
        kind, root, rank = root_item
        try:
            if kind == PROBLEMS:
                names = [str(d) for d in problem_io.problem_dirs(root)]
            elif kind == CODENET:
                names = codenet.problem_ids(root)
            else:  # a function-problem file: its line numbers (a few hundred short JSON lines)
                names = list(range(len(humaneval.read_lines(root))))
        except Exception:  # noqa: BLE001 - reported by the read stage as unreadable_problem_set
            return
        for position, name in enumerate(names):
            yield kind, root, (rank, position), name


class _ReadProblemTests(beam.DoFn):
    """One problem -> (problem id, (order, entry)); problems without usable tests yield nothing
    (their submissions are dropped as ``no_tests`` by the execute stage)."""

    def __init__(self, function_split: str = "bench"):
        self.function_split = function_split

    def setup(self):
        self._problem_lists: dict[str, dict] = {}  # CodeNet root -> its problem list, once per worker
        self._function_files: dict[str, list] = {}  # function-problem file -> its parsed lines, once per worker

    def process(self, unit):
        kind, root, order, name = unit
        if kind == PROBLEMS:
            try:
                problem = problem_io.load_problem(name)
            except ValueError:  # malformed: ReadProblems dead-letters it
                return
            yield problem.id, (order, problem_io.test_entry(problem))
            return
        if kind == FUNCTIONS:
            if root not in self._function_files:
                self._function_files[root] = humaneval.read_problems(root, self.function_split)
            _, problem, _ = self._function_files[root][name]
            if problem is not None:  # a malformed line: ReadFunctionProblems dead-letters it
                yield problem.problem_id, (order, humaneval.execution_entry(problem))
            return
        if root not in self._problem_lists:
            self._problem_lists[root] = codenet.read_problem_list(root)
        entry = codenet.problem_test_entry(root, name, self._problem_lists[root])
        if entry is not None:
            yield name, (order, entry)


class ReadProblemTests(beam.PTransform):
    """Problem-set and CodeNet roots -> ``(problem_id, (order, entry))`` for every problem with tests."""

    def __init__(self, problem_roots, codenet_roots=(), function_files=(), function_split: str = "bench"):
        super().__init__()
        self.roots = ([(PROBLEMS, str(r)) for r in problem_roots] + [(CODENET, str(r)) for r in codenet_roots]
                      + [(FUNCTIONS, str(r)) for r in function_files])
        self.function_split = function_split

    def expand(self, pbegin):
        roots = [(kind, root, rank) for rank, (kind, root) in enumerate(self.roots)]
        return (pbegin | "Roots" >> beam.Create(roots)
                | "ListProblems" >> beam.ParDo(_ListProblemUnits())
                | "Spread" >> beam.Reshuffle()
                | "ReadTests" >> beam.ParDo(_ReadProblemTests(self.function_split)))


def latest_entry(entries) -> dict | None:
    """The entry of the highest order among a problem id's duplicates (None when there is none)."""
    best = max(entries, key=lambda item: item[0], default=None)
    return None if best is None else best[1]


def needs_tests(sample: dict) -> bool:
    return sample["kind"] == "submission" and sample.get("problem_id") is not None


def _with_problem(item):
    """(problem id, {samples, tests}) -> (sample, its problem's entry or None) for each sample."""
    _, grouped = item
    problem = latest_entry(grouped["tests"])
    for sample in grouped["samples"]:
        yield sample, problem


class JoinProblems(beam.PTransform):
    """Samples -> ``(sample, problem entry or None)``: submissions meet their problem's entry in a
    join by problem id (no process holds the whole test table); every other sample gets None."""

    def __init__(self, tests: beam.PCollection):
        super().__init__()
        self.tests = tests

    def expand(self, samples):
        keyed = (samples | "Submissions" >> beam.Filter(needs_tests)
                 | "ByProblem" >> beam.Map(lambda s: (s["problem_id"], s)))
        joined = ({"samples": keyed, "tests": self.tests} | "JoinTests" >> beam.CoGroupByKey()
                  | "WithProblem" >> beam.FlatMap(_with_problem))
        rest = (samples | "Others" >> beam.Filter(lambda s: not needs_tests(s))
                | "NoProblem" >> beam.Map(lambda s: (s, None)))
        return (joined, rest) | "All" >> beam.Flatten()


def _group_with_problem(item):
    """(problem id, {groups: [(language, samples)], tests}) -> ((problem id, language), samples, entry)."""
    problem_id, grouped = item
    problem = latest_entry(grouped["tests"])
    for language, samples in grouped["groups"]:
        yield (problem_id, language), list(samples), problem


class JoinProblemGroups(beam.PTransform):
    """Submissions -> ``((problem id, language), samples, problem entry or None)``: the samples of
    one (problem, language) group together, with their problem's entry joined by problem id."""

    def __init__(self, tests: beam.PCollection):
        super().__init__()
        self.tests = tests

    def expand(self, samples):
        groups = (samples | "KeyByProblem" >> beam.Map(lambda s: ((s["problem_id"], s["language"]), s))
                  | "GroupByProblem" >> beam.GroupByKey()
                  | "ByProblemId" >> beam.MapTuple(lambda key, members: (key[0], (key[1], list(members)))))
        return ({"groups": groups, "tests": self.tests} | "JoinTests" >> beam.CoGroupByKey()
                | "WithProblem" >> beam.FlatMap(_group_with_problem))
