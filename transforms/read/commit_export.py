r"""Single-file commits from a BigQuery ``github_repos``-style export -> commit samples.

One row is one commit that changed one file. Accepted columns (JSON Lines, gzip
JSON Lines, a JSON array or Parquet; see ``transforms.read.rows``):

=================  ========  ==============================================================
column             required  meaning
=================  ========  ==============================================================
commit             yes       commit hash
repos              yes       repositories holding the commit: a list or a comma-separated
                             string (``repo_name`` and ``repo`` are accepted too); the first
                             one listed is the sample's ``repo``, kept as written (owner/name)
message            yes*      full commit message; ``subject`` is used when it is absent
unix_time          yes*      author time in unix seconds; else ``author.time_sec`` (nested or
                             flat), ``committer.time_sec``, ``timestamp``
old_file/new_file  --        path before/after (``old_path``/``new_path`` accepted); a missing
                             side or a rename -> ``not_modified_in_place``
old_contents,      yes**     file before/after, as text or bytes
new_contents
license            --        SPDX id in any case (``mit``, ``apache-2.0``); missing or not in
                             the allowlist -> ``license_not_allowed``
=================  ========  ==============================================================

\* one of the listed spellings. \** required once the paths show an in-place change.
Other columns are ignored. Filters, reasons and sample fields are those of
``transforms.read.git.read_commit``, in the same order (message, paths,
sizes, content, licence): both go through the one chain, ``transforms.read.commit_filter``.
A row the export left incomplete is ``missing_field``. The licence column, when it holds no
allowed id, may be overridden by an allowed ``SPDX-License-Identifier`` header in the file.
"""
from __future__ import annotations

from typing import Any

import apache_beam as beam

from transforms.mining.filters import MiningConfig
from transforms.read import commit_filter
from transforms.read import git as gc
from transforms.read.common import read_files
from transforms.read.rows import (DEFAULT_CHUNK_ROWS, INVALID_VALUE, MISSING_FIELD, Result, as_timestamp,
                                  byte_size, expand_paths, lookup, plan_chunks, read_chunk, read_rows)

SOURCE = gc.SOURCE  # the same sub-dataset as mined commits: same filters, same pairing

REPO_COLUMNS = ("repos", "repo_name", "repo")
MESSAGE_COLUMNS = ("message", "subject")
TIME_COLUMNS = ("unix_time", "author.time_sec", "committer.time_sec", "timestamp")
OLD_PATH_COLUMNS = ("old_file", "old_path")
NEW_PATH_COLUMNS = ("new_file", "new_path")


def _first(row: dict, names: tuple[str, ...]) -> Any:
    for name in names:
        value = lookup(row, name)
        if value is not None and value != "":
            return value
    return None


def export_repo(value: Any) -> str | None:
    """The first repository of a list or comma-separated string, or None."""
    items = value.split(",") if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else []
    names = [str(v).strip() for v in items if v is not None and str(v).strip()]
    return names[0] if names else None


def _located(row: dict):
    """The chain's ``locate`` step for an export row: its in-place modified file, else why not."""
    def locate():
        old_path, path = _first(row, OLD_PATH_COLUMNS), _first(row, NEW_PATH_COLUMNS)
        if old_path is None or path is None or old_path != path:
            return None, gc.NOT_MODIFIED_IN_PLACE, f"{old_path} -> {path}"
        if not isinstance(path, str):
            return None, INVALID_VALUE, f"new_file: {path!r}"
        old_raw, new_raw = lookup(row, "old_contents"), lookup(row, "new_contents")
        for name, value in (("old_contents", old_raw), ("new_contents", new_raw)):
            if value is None:
                return None, MISSING_FIELD, name
        return commit_filter.ChangedFile(path, size=lambda: max(byte_size(old_raw), byte_size(new_raw)),
                                         contents=lambda: (old_raw, new_raw)), None, None
    return locate


def read_commit_row(row: dict, config: MiningConfig = MiningConfig()) -> Result:
    """One export row: (SOURCE_SAMPLE dict, None, None) or (None, drop_reason, detail)."""
    sha = _first(row, ("commit",))
    if not isinstance(sha, str):
        return None, MISSING_FIELD, "commit"
    repo = export_repo(_first(row, REPO_COLUMNS))
    if repo is None:
        return None, MISSING_FIELD, "repos"
    message = _first(row, MESSAGE_COLUMNS)
    if not isinstance(message, str):
        return None, MISSING_FIELD, "message"
    raw_time = _first(row, TIME_COLUMNS)
    if raw_time is None:
        return None, MISSING_FIELD, "unix_time"
    try:
        timestamp = as_timestamp(raw_time)
    except ValueError as e:
        return None, INVALID_VALUE, f"unix_time: {e}"

    def licence(after: str) -> tuple[str | None, str]:
        return commit_filter.column_licence(lookup(row, "license"), after, config.license_allowlist,
                                            "export's licence column")

    kept, reason, detail = commit_filter.filter_change(
        commit_filter.Change(message, _located(row), licence), config)
    if kept is None:
        return None, reason, detail
    return gc.commit_sample(repo, sha, kept.path, kept.language, kept.before, kept.after, message, kept.license,
                            timestamp, kept.criteria), None, None


def read_exports(paths: list[str], config: MiningConfig = MiningConfig()):
    """(locator, sample, drop reason, detail) for every row of the export files (for tools and tests)."""
    for path in expand_paths(paths):
        for locator, row, reason, detail in read_rows(path):
            yield (locator, None, reason, detail) if row is None else (locator, *read_commit_row(row, config))


# --------------------------------------------------------------------------- Beam

class _ChunkPlanner:
    def __init__(self, chunk_rows: int):
        self.chunk_rows = chunk_rows

    def __call__(self, path: str):
        return plan_chunks(path, self.chunk_rows)


class _CommitRow:
    def __init__(self, mining: MiningConfig):
        self.mining = mining

    def __call__(self, chunk, row):
        return read_commit_row(row, self.mining)


class ReadCommitExports(beam.PTransform):
    """BigQuery-style single-file-commit exports (files, folders or globs) -> commit samples (split "train")."""

    def __init__(self, paths: list[str], mining: MiningConfig = MiningConfig(), chunk_rows: int = DEFAULT_CHUNK_ROWS):
        super().__init__()
        self.paths, self.mining, self.chunk_rows = list(paths), mining, chunk_rows

    def expand(self, pbegin):
        return read_files(pbegin, expand_paths(self.paths), _ChunkPlanner(self.chunk_rows), read_chunk,
                          _CommitRow(self.mining), SOURCE)
