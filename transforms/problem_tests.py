"""Problem tests, read on the workers and joined to the submissions that need them.

The execute stage needs each submission's problem: its tests and limits. Reading every
problem's tests on the driver and shipping them inside the pipeline graph makes the job
request grow with the input (thousands of CodeNet problems: too large for Dataflow's job
size limit, and a task graph of hundreds of MiB on Dask). Here the driver only names the
problem-set and CodeNet roots; workers list them, read one problem per work item, and the
entries are joined by problem id to the submissions (a CoGroupByKey), so no process ever
holds the whole test table.

``ReadProblemTests`` yields ``(problem_id, (order, entry))``; ``entry`` is the execute stage's
``{tests, time_limit_s, memory_limit_mb}`` and ``order`` ranks duplicates of an id: the entry
from the later root (problem sets first, then CodeNet, each in command-line order) wins, as
it did when the driver merged one table.
"""
from __future__ import annotations

import apache_beam as beam

from transforms import problems as problem_io
from transforms.sources import codenet

PROBLEMS, CODENET = "problems", "codenet"


class _ListProblemUnits(beam.DoFn):
    """(kind, root, root index) -> one work item per problem of that root, listed on a worker.
    An unreadable root lists nothing here: the read stage dead-letters it."""

    def process(self, root_item):
        kind, root, rank = root_item
        try:
            names = ([str(d) for d in problem_io.problem_dirs(root)] if kind == PROBLEMS
                     else codenet.problem_ids(root))
        except Exception:  # noqa: BLE001 - reported by the read stage as unreadable_problem_set
            return
        for position, name in enumerate(names):
            yield kind, root, (rank, position), name


class _ReadProblemTests(beam.DoFn):
    """One problem -> (problem id, (order, entry)); problems without usable tests yield nothing
    (their submissions are dropped as ``no_tests`` by the execute stage)."""

    def setup(self):
        self._problem_lists: dict[str, dict] = {}  # CodeNet root -> its problem list, once per worker

    def process(self, unit):
        kind, root, order, name = unit
        if kind == PROBLEMS:
            try:
                problem = problem_io.load_problem(name)
            except ValueError:  # malformed: ReadProblems dead-letters it
                return
            yield problem.id, (order, problem_io.test_entry(problem))
            return
        if root not in self._problem_lists:
            self._problem_lists[root] = codenet.read_problem_list(root)
        entry = codenet.problem_test_entry(root, name, self._problem_lists[root])
        if entry is not None:
            yield name, (order, entry)


class ReadProblemTests(beam.PTransform):
    """Problem-set and CodeNet roots -> ``(problem_id, (order, entry))`` for every problem with tests."""

    def __init__(self, problem_roots, codenet_roots=()):
        super().__init__()
        self.roots = ([(PROBLEMS, str(r)) for r in problem_roots] + [(CODENET, str(r)) for r in codenet_roots])

    def expand(self, pbegin):
        roots = [(kind, root, rank) for rank, (kind, root) in enumerate(self.roots)]
        return (pbegin | "Roots" >> beam.Create(roots)
                | "ListProblems" >> beam.ParDo(_ListProblemUnits())
                | "Spread" >> beam.Reshuffle()
                | "ReadTests" >> beam.ParDo(_ReadProblemTests()))


def latest_entry(entries) -> dict | None:
    """The entry of the highest order among a problem id's duplicates (None when there is none)."""
    best = max(entries, key=lambda item: item[0], default=None)
    return None if best is None else best[1]
