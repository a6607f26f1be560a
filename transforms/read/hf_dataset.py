"""Rows of a Hugging Face dataset (saved to disk) or of Parquet / JSON files, mapped to samples.

A column map names, for each SOURCE_SAMPLE field, the dataset column that holds it::

    {"code": "after", "code_before": "before", "message": "msg", "language": "lang"}

``code`` is required, and ``language`` unless ``path`` is mapped (the language is then
the path's extension). Mapping ``code_before`` makes every row a commit (``diff`` is
computed, ``criteria_hint`` comes from ``message``, and the row goes through the filter
chain every commit source shares, ``transforms.read.commit_filter``: message, path, size,
content and licence, so a commit row needs an allowed licence in its ``license`` column or
an ``SPDX-License-Identifier`` header in the file); otherwise rows are submissions and
need ``problem_id`` (pairing is per problem). Unmapped fields are null, except
``repo`` (defaults to the source name), ``instruction`` of a submission (a one-liner
naming the problem) and ``path`` of a commit (the language's source file name).

A saved ``Dataset`` or ``DatasetDict`` is opened with ``datasets.load_from_disk`` and
read in row ranges (a DatasetDict's split names become sample splits when ``split``
is not mapped). Parquet and JSON files are read directly by row group / line chunk
(``transforms.read.rows``) rather than through ``datasets.load_dataset``, which would
first copy every file into its Arrow cache on one worker. Paths may be fsspec URIs
(``gs://``, ``s3://``, ``memory://``): row files are listed and opened through fsspec.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import apache_beam as beam

from schemas import languages
from schemas.samples import source_sample
from transforms.common import stable_hex
from transforms.locations import filesystem
from transforms.mining.filters import MiningConfig
from transforms.mining.git_plumbing import unified_diff
from transforms.read import commit_filter
from transforms.read.common import read_files
from transforms.read.rows import (DEFAULT_CHUNK_ROWS, EMPTY_FILE, INVALID_VALUE, MISSING_FIELD, UNKNOWN_LANGUAGE,
                                  Chunk, Result, RowItem, as_text, as_timestamp, byte_size, expand_paths,
                                  plan_chunks, read_chunk, resolve_language)

MAPPABLE = ("sample_id", "code", "code_before", "language", "message", "instruction", "problem_id",
            "submission_id", "user_id", "repo", "commit", "path", "license", "timestamp", "split")
ID_FIELDS = ("sample_id", "problem_id", "submission_id", "user_id", "repo", "commit", "path", "license")
SPLIT_NAMES = {"train": "train", "bench": "bench", "test": "bench"}
FORMATS = ("auto", "disk", "parquet", "json")


def check_column_map(column_map: dict[str, str]) -> dict[str, str]:
    """The map itself, or ValueError naming what is wrong with it."""
    unknown = sorted(set(column_map) - set(MAPPABLE))
    if unknown:
        raise ValueError(f"column map has fields SOURCE_SAMPLE does not map: {unknown}; mappable: {MAPPABLE}")
    if "code" not in column_map:
        raise ValueError("column map must map 'code'")
    if "language" not in column_map and "path" not in column_map:
        raise ValueError("column map must map 'language' (or 'path', to take the language from its extension)")
    bad = [k for k, v in column_map.items() if not isinstance(v, str) or not v]
    if bad:
        raise ValueError(f"column map values must be column names: {bad}")
    return dict(column_map)


def _split_of(value: Any) -> str | None:
    return SPLIT_NAMES.get(str(value).strip().lower()) if value is not None else None


def _language_column(value: Any):
    """The chain's language step when the dataset has a language column (the path's extension otherwise)."""
    def language(path: str) -> tuple[str | None, str]:
        found = resolve_language(str(value))
        return (found, "") if found is not None else (None, str(value)[:200])
    return language


def _commit_row(values: dict, ids: dict, texts: dict, column_map: dict[str, str], config: MiningConfig):
    """A commit row through the chain every commit source shares (``transforms.read.commit_filter``):
    (Kept, None, None) or (None, reason, detail). A row without a message skips the message checks."""
    has_language = "language" in column_map

    def locate():
        path = ids["path"]
        if path is None and not has_language:  # a mapped path column left empty, nothing else names the language
            return None, UNKNOWN_LANGUAGE, "path None"
        if path is None:  # no path: the language's own source file name
            language = resolve_language(str(values["language"]))
            if language is None:
                return None, UNKNOWN_LANGUAGE, str(values["language"])[:200]
            path = languages.languages()[language].source
        old, new = values["code_before"], values["code"]
        return commit_filter.ChangedFile(path, size=lambda: max(byte_size(old), byte_size(new)),
                                         contents=lambda: (old, new)), None, None

    where = (f"licence column {column_map['license']!r}" if "license" in column_map
             else "column map (it maps no 'license' column)")

    def licence(after: str) -> tuple[str | None, str]:
        return commit_filter.column_licence(ids["license"], after, config.license_allowlist, where)

    by_column = {"language": _language_column(values["language"])} if has_language else {}
    return commit_filter.filter_change(commit_filter.Change(texts["message"] or None, locate, licence, **by_column),
                                       config)


def row_to_sample(row: dict, column_map: dict[str, str], source: str, default_split: str = "train",
                  config: MiningConfig = MiningConfig()) -> Result:
    """One dataset row: (SOURCE_SAMPLE dict, None, None) or (None, drop_reason, detail)."""
    values = {field: row.get(column) for field, column in column_map.items()}
    is_commit = "code_before" in column_map
    required = ["code", "code_before"] if is_commit else ["code", "problem_id"]
    for field in required + (["language"] if "language" in column_map else []):
        if values.get(field) is None or values.get(field) == "":
            return None, MISSING_FIELD, f"{field} (column {column_map.get(field, field)!r})"

    ids = {}
    for field in ID_FIELDS:
        v = values.get(field)
        if isinstance(v, (bytes, bytearray)):
            v, err = as_text(v)
            if err:
                return None, err, field
        ids[field] = None if v is None else str(v)
    language = None
    if not is_commit:  # a commit's language is a step of the chain
        if "language" in column_map:
            language = resolve_language(str(values["language"]))
            if language is None:
                return None, UNKNOWN_LANGUAGE, str(values["language"])[:200]
        else:
            found = languages.by_extension(ids["path"] or "")
            if found is None:
                return None, UNKNOWN_LANGUAGE, f"path {ids['path']!r}"
            language = found.id

    texts = {}
    for field in ("message", "instruction") if is_commit else ("code", "message", "instruction"):
        if values.get(field) is not None:
            texts[field], err = as_text(values[field])
            if err:
                return None, err, field
        else:
            texts[field] = None
    if not is_commit and not texts["code"].strip():
        return None, EMPTY_FILE, "code"

    timestamp = None
    if values.get("timestamp") is not None:
        try:
            timestamp = as_timestamp(values["timestamp"])
        except ValueError as e:
            return None, INVALID_VALUE, f"timestamp: {e}"
    split = default_split
    if "split" in column_map:
        split = _split_of(values.get("split"))
        if split is None:
            return None, INVALID_VALUE, f"split {values.get('split')!r} (expected one of {sorted(SPLIT_NAMES)})"

    repo = ids["repo"] or source
    message = texts["message"]
    if is_commit:
        kept, reason, detail = _commit_row(values, ids, texts, column_map, config)
        if kept is None:
            return None, reason, detail
        language, path, before, after = kept.language, kept.path, kept.before, kept.after
        license_id, criteria, instruction = kept.license, kept.criteria, None
    else:
        path, before, after, license_id, criteria = ids["path"], None, texts["code"], ids["license"], []
        instruction = texts["instruction"] or (f"Solve problem {ids['problem_id']}: read standard input and "
                                               f"write the answer to standard output.")
    sample_id = ids["sample_id"] or stable_hex(source, repo, ids["commit"], ids["problem_id"], ids["submission_id"],
                                               path, language, before, after)
    return source_sample(
        sample_id=sample_id, source=source, kind="commit" if is_commit else "submission", language=language,
        code=after, code_before=before, diff=unified_diff(before, after, path) if is_commit else None,
        message=message, instruction=instruction, problem_id=ids["problem_id"], submission_id=ids["submission_id"],
        user_id=ids["user_id"], repo=repo, commit=ids["commit"], path=path, license=license_id,
        timestamp=timestamp, criteria_hint=criteria, split=split), None, None


# --------------------------------------------------------------------------- reading

@dataclass(frozen=True)
class DiskChunk:
    """Rows [start, stop) of a saved dataset (of one split of a saved DatasetDict)."""
    path: str
    split: str | None  # DatasetDict split name; None for a plain Dataset
    start: int
    stop: int


def is_saved_dataset(path: str) -> bool:
    """True for a folder (local or fsspec URI) that ``save_to_disk`` wrote."""
    fs, inner = filesystem(path)
    return fs.isdir(inner) and any(fs.isfile(f"{inner.rstrip('/')}/{name}")
                                   for name in ("dataset_info.json", "state.json", "dataset_dict.json"))


@lru_cache(maxsize=8)
def _load_from_disk(path: str):
    import datasets
    return datasets.load_from_disk(path)


def plan_dataset(path: str, fmt: str = "auto", chunk_rows: int = DEFAULT_CHUNK_ROWS) -> list[Chunk | DiskChunk]:
    """Chunks covering every row of a saved dataset, or of the row files ``path`` names."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if fmt == "disk" or (fmt == "auto" and is_saved_dataset(path)):
        ds = _load_from_disk(path)
        parts = [(None, ds)] if not hasattr(ds, "keys") else [(name, ds[name]) for name in sorted(ds.keys())]
        return [DiskChunk(path, name, start, min(start + chunk_rows, len(part)))
                for name, part in parts for start in range(0, len(part), chunk_rows)]
    return [chunk for file in expand_paths([path]) for chunk in plan_chunks(file, chunk_rows)]


def read_dataset_chunk(chunk: Chunk | DiskChunk) -> Iterator[RowItem]:
    """(locator, row, error reason, detail) for each row of a chunk; locators are ``<path>[<split>]:<row>``."""
    if isinstance(chunk, Chunk):
        yield from read_chunk(chunk)
        return
    ds = _load_from_disk(chunk.path)
    part = ds if chunk.split is None else ds[chunk.split]
    rows = part.with_format("arrow")[chunk.start:chunk.stop].to_pylist()
    where = chunk.path if chunk.split is None else f"{chunk.path}[{chunk.split}]"
    for n, row in enumerate(rows, chunk.start + 1):
        yield f"{where}:{n}", row, None, None


def chunk_split(chunk: Chunk | DiskChunk, default: str = "train") -> str:
    """Split of a chunk's rows when ``split`` is not mapped: its DatasetDict split name if known, else ``default``."""
    name = chunk.split if isinstance(chunk, DiskChunk) else None
    return _split_of(name) or default


def read_dataset(path: str, column_map: dict[str, str], source: str, fmt: str = "auto", default_split: str = "train"
                 ) -> Iterator[tuple[str, dict | None, str | None, str | None]]:
    """(locator, sample, drop reason, detail) for every row (a convenience for tools and tests)."""
    check_column_map(column_map)
    for chunk in plan_dataset(path, fmt):
        split = chunk_split(chunk, default_split)
        for locator, row, reason, detail in read_dataset_chunk(chunk):
            if row is None:
                yield locator, None, reason, detail
            else:
                yield (locator, *row_to_sample(row, column_map, source, split))


# --------------------------------------------------------------------------- Beam

class _DatasetPlanner:
    def __init__(self, fmt: str, chunk_rows: int):
        self.fmt, self.chunk_rows = fmt, chunk_rows

    def __call__(self, path: str):
        return plan_dataset(path, self.fmt, self.chunk_rows)


class _DatasetRow:
    def __init__(self, column_map: dict, source: str, split: str):
        self.column_map, self.source, self.split = column_map, source, split

    def __call__(self, chunk, row):
        return row_to_sample(row, self.column_map, self.source, chunk_split(chunk, self.split))


class ReadHFDataset(beam.PTransform):
    """A saved Hugging Face dataset, or Parquet/JSON files, -> samples through a column map."""

    def __init__(self, path: str, column_map: dict[str, str], source: str, fmt: str = "auto",
                 split: str = "train", chunk_rows: int = DEFAULT_CHUNK_ROWS):
        super().__init__()
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
        if split not in ("train", "bench"):
            raise ValueError(f"split must be train or bench, not {split!r}")
        self.path, self.column_map = path, check_column_map(column_map)
        self.source, self.fmt, self.split, self.chunk_rows = source, fmt, split, chunk_rows

    def expand(self, pbegin):
        return read_files(pbegin, [self.path], _DatasetPlanner(self.fmt, self.chunk_rows), read_dataset_chunk,
                          _DatasetRow(self.column_map, self.source, self.split), self.source)
