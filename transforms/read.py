"""The read stage: git commits and problem submissions become source samples.

Work is spread over (repo, commit) and (problem, file) pairs after a Reshuffle,
so no worker walks a whole repository or problem set alone. Inputs that cannot
become samples are dead letters of kind ``input`` with their reason. Commit
samples from every commit source then get their split (``AssignCommitSplits``).
"""
from __future__ import annotations

import apache_beam as beam

from transforms import problems as problem_io
from transforms.common import DEAD, MAIN, count, dead_letter, drop, route_dead
from transforms.mining import git_commits, splits

STAGE = "read"
SPLIT_STAGE = "split"


def input_dead(reason: str, locator: str, detail: str | None, source: str) -> beam.pvalue.TaggedOutput:
    """An input that could not become a sample, to the dead letters."""
    return route_dead(dead_letter(STAGE, reason, locator, "input", detail, source))


class _ListCommits(beam.DoFn):
    def process(self, repo: str):
        try:
            shas = git_commits.list_commits(repo)
        except Exception as e:  # an unreadable repository is one dead input, not a crash
            count(STAGE, "inputs")
            yield input_dead("unreadable_repository", repo, repr(e), "commits")
            return
        for sha in shas:
            yield repo, sha

    def teardown(self):
        git_commits.close_readers()  # no long-lived `git cat-file --batch` outlives the worker


class _ReadCommit(beam.DoFn):
    def __init__(self, config: git_commits.MiningConfig):
        self.config = config

    def process(self, item):
        repo, sha = item
        count(STAGE, "inputs")
        try:
            sample, reason, detail = git_commits.read_commit(repo, sha, self.config)
        except Exception as e:
            sample, reason, detail = None, "read_error", repr(e)
        if sample is None:
            yield input_dead(reason or "read_error", f"{repo}@{sha}", detail, "commits")
            return
        count(STAGE, "samples")
        yield sample

    def teardown(self):
        git_commits.close_readers()  # no long-lived `git cat-file --batch` outlives the worker


class ReadCommits(beam.PTransform):
    """Git repositories (paths, bare repos, bundles or URLs) -> commit samples (split unassigned)."""

    def __init__(self, repos: list[str], mining: git_commits.MiningConfig):
        super().__init__()
        self.repos, self.mining = list(repos), mining

    def expand(self, pbegin):
        listed = (pbegin | "Repos" >> beam.Create(self.repos)
                  | "ListCommits" >> beam.ParDo(_ListCommits()).with_outputs(DEAD, main=MAIN))
        read = (listed[MAIN] | "Spread" >> beam.Reshuffle()
                | "ReadCommit" >> beam.ParDo(_ReadCommit(self.mining)).with_outputs(DEAD, main=MAIN))
        dead = (listed[DEAD], read[DEAD]) | "Dead" >> beam.Flatten()
        return {MAIN: read[MAIN], DEAD: dead}


class _AssignSplit(beam.DoFn):
    def __init__(self, config: splits.SplitConfig):
        self.config = config

    def process(self, sample: dict, train_repos: list[str]):
        count(SPLIT_STAGE, "in")
        split, reason = splits.assign_split(sample["timestamp"], sample["repo"], self.config, frozenset(train_repos))
        if split is None:
            yield drop(SPLIT_STAGE, reason, sample, f"timestamp {sample['timestamp']}")
            return
        count(SPLIT_STAGE, "out")
        yield dict(sample, split=split)


def _in_train_window(sample: dict, config: splits.SplitConfig) -> bool:
    return config.in_train_window(sample["timestamp"])


class AssignCommitSplits(beam.PTransform):
    """Commit samples of every commit source -> train/bench by time window, bench repositories
    disjoint from training ones (the training repositories are a side input)."""

    def __init__(self, config: splits.SplitConfig):
        super().__init__()
        self.config = config

    def expand(self, commits):
        train_repos = (commits
                       | "InTrainWindow" >> beam.Filter(_in_train_window, self.config)
                       | "TrainRepo" >> beam.Map(lambda s: s["repo"])
                       | "DistinctRepos" >> beam.Distinct())
        out = commits | "Split" >> beam.ParDo(
            _AssignSplit(self.config), beam.pvalue.AsList(train_repos)).with_outputs(DEAD, main=MAIN)
        return {MAIN: out[MAIN], DEAD: out[DEAD]}


class _ListProblems(beam.DoFn):
    """A problem-set root (local path or fsspec URI) -> its problem folders, listed on a worker."""

    def process(self, root: str):
        try:
            dirs = problem_io.problem_dirs(root)
        except Exception as e:  # noqa: BLE001 - a missing or unreadable set is one dead input, not a crash
            count(STAGE, "inputs")
            yield input_dead("unreadable_problem_set", root, repr(e), problem_io.SOURCE)
            return
        for d in dirs:
            yield str(d)


class _ReadSubmissions(beam.DoFn):
    def process(self, problem_dir: str):
        try:
            problem = problem_io.load_problem(problem_dir)
        except Exception as e:  # noqa: BLE001 - a problem that cannot be read is one dead input
            count(STAGE, "inputs")
            yield input_dead("malformed_problem", problem_dir, repr(e), problem_io.SOURCE)
            return
        for locator, sample, reason, detail in problem_io.iter_submissions(problem):
            count(STAGE, "inputs")
            if sample is None:
                yield input_dead(reason, locator, detail, problem_io.SOURCE)
            else:
                count(STAGE, "samples")
                yield sample


class ReadProblems(beam.PTransform):
    """Problem-set roots (local paths or fsspec URIs: gs://, s3://...) -> submission samples.

    Roots are listed by workers, not while the graph is built, so nothing here needs the
    driver's disk; an unreadable root is one dead input (``unreadable_problem_set``)."""

    def __init__(self, roots: list[str]):
        super().__init__()
        self.roots = [str(r) for r in roots]

    def expand(self, pbegin):
        listed = (pbegin | "Roots" >> beam.Create(self.roots)
                  | "ListProblems" >> beam.ParDo(_ListProblems()).with_outputs(DEAD, main=MAIN))
        read = (listed[MAIN] | "Spread" >> beam.Reshuffle()
                | "ReadSubmissions" >> beam.ParDo(_ReadSubmissions()).with_outputs(DEAD, main=MAIN))
        dead = (listed[DEAD], read[DEAD]) | "Dead" >> beam.Flatten()
        return {MAIN: read[MAIN], DEAD: dead}


def load_tests(roots: list[str]) -> dict[str, dict]:
    """problem id -> ``problem_io.test_entry`` for every well-formed problem under ``roots`` (local
    paths or fsspec URIs), read where it is called: a whole table in memory, for tests and small
    local sets; the pipeline reads entries on its workers (``transforms.problem_tests``).
    Malformed problems are skipped here; ReadProblems dead-letters them."""
    table = {}
    for root in roots:
        for d in problem_io.problem_dirs(root):
            try:
                p = problem_io.load_problem(d)
            except ValueError:
                continue
            table[p.id] = problem_io.test_entry(p)
    return table
