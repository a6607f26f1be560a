"""Git repositories -> commit samples: the reader of the ``commits`` source.

``read_commit`` either returns a ``schemas.records.SOURCE_SAMPLE`` dict or names the
first filter that rejected the commit. Checks run cheapest first: commit metadata, then
the message, then the changed-file list, then the path, then the blobs, then the change
itself, then the licence at that commit: the one chain every commit source shares
(``transforms.read.commit_filter``), to which this reader adds the merge check and the
changed-file list (``locate``). Repositories are opened and read through
``transforms.mining.git_plumbing``.

``ReadCommits`` spreads the work over (repo, commit) pairs after a Reshuffle, so no worker
walks a whole repository alone; an unreadable repository is one dead input. Commit
samples get their split afterwards (``transforms.read.split``).
"""
from __future__ import annotations

from typing import Any

import apache_beam as beam

from schemas.samples import source_sample
from transforms.common import DEAD, MAIN, count, stable_hex
from transforms.mining import git_plumbing
from transforms.mining.filters import (  # noqa: F401  (re-exported: the chain's reasons are this module's API too)
    COMMENT_ONLY, GENERATED_FILE, HARNESS_FILE, LOW_SIGNAL_MESSAGE, MESSAGE_TOO_LONG, MESSAGE_TOO_SHORT,
    NO_CRITERION_TERMS, TERM_ONLY_IN_PATH, VENDORED_PATH, WHITESPACE_ONLY, MiningConfig)
from transforms.mining.git_plumbing import GitError, list_commits, repo_name  # noqa: F401  (this reader's API)
from transforms.read import commit_filter
from transforms.read.commit_filter import (  # noqa: F401  (re-exported: reasons of this reader)
    BINARY_FILE, LICENSE_NOT_ALLOWED, OVERSIZED_FILE, UNDECODABLE, UNKNOWN_LANGUAGE)
from transforms.read.common import STAGE, input_dead

SOURCE = "commits"

# Drop reasons (also the dead-letter reasons and counter names).
MERGE_COMMIT = "merge_commit"
MULTI_FILE = "multi_file"
NOT_MODIFIED_IN_PLACE = "not_modified_in_place"
DROP_REASONS = (
    MERGE_COMMIT, LOW_SIGNAL_MESSAGE, MESSAGE_TOO_SHORT, MESSAGE_TOO_LONG, NO_CRITERION_TERMS, MULTI_FILE,
    NOT_MODIFIED_IN_PLACE, VENDORED_PATH, GENERATED_FILE, OVERSIZED_FILE, BINARY_FILE, UNKNOWN_LANGUAGE,
    UNDECODABLE, TERM_ONLY_IN_PATH, HARNESS_FILE, WHITESPACE_ONLY, COMMENT_ONLY, LICENSE_NOT_ALLOWED,
)  # in the order the checks run (transforms.read.commit_filter)

Result = tuple[dict[str, Any] | None, str | None, str | None]


def commit_sample(repo: str, sha: str, path: str, language_id: str, before: str, after: str, message: str,
                  license_id: str | None, timestamp: int | None, criteria: list[str]) -> dict[str, Any]:
    """A SOURCE_SAMPLE dict for a single-file change that passed the filter chain (git and export commits)."""
    return source_sample(
        sample_id=stable_hex(repo, sha, path), source=SOURCE, kind="commit", language=language_id, code=after,
        code_before=before, diff=git_plumbing.unified_diff(before, after, path), message=message, repo=repo,
        commit=sha, path=path, license=license_id, timestamp=timestamp, criteria_hint=criteria,
        split="train")  # placeholder: transforms.read.split assigns the real split


def _located(git_dir: str, reader, sha: str, parents: tuple[str, ...]):
    """The chain's ``locate`` step for a commit: its one in-place modified file, else why not."""
    def locate():
        base = [parents[0]] if parents else ["--root"]
        changes = git_plumbing.parse_raw_diff(
            git_plumbing.git(git_dir, "diff-tree", "-r", "-z", "-M", "--raw", "--no-commit-id", *base, sha))
        if len(changes) != 1:
            return None, (MULTI_FILE if changes else NOT_MODIFIED_IN_PLACE), f"{len(changes)} files changed"
        change = changes[0]
        if change.status != "M" or not (change.old_mode.startswith("100") and change.new_mode.startswith("100")):
            return None, NOT_MODIFIED_IN_PLACE, f"status {change.status} {change.old_path} -> {change.path}"
        return commit_filter.ChangedFile(
            change.path,
            size=lambda: max(reader.info(change.old_blob)[1], reader.info(change.new_blob)[1]),
            contents=lambda: (reader.read(change.old_blob)[1], reader.read(change.new_blob)[1])), None, None
    return locate


def read_commit(repo: str, sha: str, config: MiningConfig) -> Result:
    """Mine one commit: (SOURCE_SAMPLE dict, None, None) or (None, drop_reason, detail)."""
    git_dir = git_plumbing.resolve(repo)
    reader = git_plumbing.reader(git_dir)
    kind, raw = reader.read(sha)
    if kind != "commit":
        raise git_plumbing.GitError(f"{sha} is a {kind}, not a commit")
    meta = git_plumbing.parse_commit_object(raw)
    if len(meta.parents) > 1:
        return None, MERGE_COMMIT, f"{len(meta.parents)} parents"

    def licence(after: str) -> tuple[str | None, str]:
        finding = git_plumbing.license_at(git_dir, meta.tree, after, config.license_allowlist)
        return finding.spdx, finding.detail()

    kept, reason, detail = commit_filter.filter_change(
        commit_filter.Change(meta.message, _located(git_dir, reader, sha, meta.parents), licence), config)
    if kept is None:
        return None, reason, detail
    return commit_sample(git_plumbing.repo_name(repo), sha, kept.path, kept.language, kept.before, kept.after,
                         meta.message, kept.license, meta.author_time, kept.criteria), None, None


def mine_repository(repo: str, config: MiningConfig = MiningConfig()) -> list[tuple[str, Result]]:
    """Every commit of ``repo`` with its mining result, oldest first (a convenience for tests and tools)."""
    return [(sha, read_commit(repo, sha, config)) for sha in git_plumbing.list_commits(repo)]


# --------------------------------------------------------------------------- Beam

class _ListCommits(beam.DoFn):
    def process(self, repo: str):
        try:
            shas = git_plumbing.list_commits(repo)
        except Exception as e:  # an unreadable repository is one dead input, not a crash
            count(STAGE, "inputs")
            yield input_dead("unreadable_repository", repo, repr(e), SOURCE)
            return
        for sha in shas:
            yield repo, sha

    def teardown(self):
        git_plumbing.close_readers()  # no long-lived `git cat-file --batch` outlives the worker


class _ReadCommit(beam.DoFn):
    def __init__(self, config: MiningConfig):
        self.config = config

    def process(self, item):
        repo, sha = item
        count(STAGE, "inputs")
        try:
            sample, reason, detail = read_commit(repo, sha, self.config)
        except Exception as e:
            sample, reason, detail = None, "read_error", repr(e)
        if sample is None:
            yield input_dead(reason or "read_error", f"{repo}@{sha}", detail, SOURCE)
            return
        count(STAGE, "samples")
        yield sample

    def teardown(self):
        git_plumbing.close_readers()  # no long-lived `git cat-file --batch` outlives the worker


class ReadCommits(beam.PTransform):
    """Git repositories (paths, bare repos, bundles or URLs) -> commit samples (split unassigned)."""

    def __init__(self, repos: list[str], mining: MiningConfig):
        super().__init__()
        self.repos, self.mining = list(repos), mining

    def expand(self, pbegin):
        listed = (pbegin | "Repos" >> beam.Create(self.repos)
                  | "ListCommits" >> beam.ParDo(_ListCommits()).with_outputs(DEAD, main=MAIN))
        read = (listed[MAIN] | "Spread" >> beam.Reshuffle()
                | "ReadCommit" >> beam.ParDo(_ReadCommit(self.mining)).with_outputs(DEAD, main=MAIN))
        dead = (listed[DEAD], read[DEAD]) | "Dead" >> beam.Flatten()
        return {MAIN: read[MAIN], DEAD: dead}
