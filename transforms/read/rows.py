"""Row files and the value helpers the row-reading sources share (Beam-free).

Commit exports (``commit_export``) and Hugging Face datasets (``hf_dataset``) read rows
from files split into independently readable chunks; CodeNet (``codenet``) shares the
value helpers and language names.

Row files (format sniffed from the bytes, not the name):

* JSON Lines, one object per line; blank lines are not rows. Chunked by line count.
* gzip of either JSON form. One chunk per file: a gzip stream cannot be entered midway.
* a JSON array of objects. One chunk per file.
* Parquet. One chunk per row group.

Locators are ``<path>:<n>``: the 1-based line of a JSON Lines file, else the 1-based row.

A path is a local path or any fsspec URI (``gs://``, ``s3://``, ``memory://``...): files are
listed, globbed and opened through fsspec, so a worker needs no disk shared with the driver.
Local paths keep the form they were given in; URIs found by listing keep the given prefix.
"""
from __future__ import annotations

import glob
import gzip
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from schemas import languages
from transforms.locations import filesystem, is_uri, open_file  # noqa: F401  (open_file: this module's API)

# Reasons shared by the readers (also dead-letter reasons and counter names).
MISSING_FIELD = "missing_field"
INVALID_VALUE = "invalid_value"
MALFORMED_ROW = "malformed_row"
UNREADABLE_FILE = "unreadable_file"
UNKNOWN_LANGUAGE = "unknown_language"
BINARY_FILE = "binary_file"
UNDECODABLE = "undecodable"
EMPTY_FILE = "empty_file"

ROW_FILE_SUFFIXES = (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz", ".parquet")
DEFAULT_CHUNK_ROWS = 5000

Result = tuple[dict[str, Any] | None, str | None, str | None]  # (sample, drop reason, detail)


# --------------------------------------------------------------------------- languages

# Other spellings (CodeNet's ``original_language`` variants, dataset names) are the
# ``aliases`` of schemas/languages.toml; a trailing "(...)" (compiler, version) is tried without.
# Python 2 programs do not run under the sandbox's Python 3, so they are not "python".
PYTHON2_NAMES = frozenset({"python2", "python 2", "pypy2", "pypy 2", "py2"})


def resolve_language(name: str | None) -> str | None:
    """Our language id for a language name, id or known variant; None when unknown (or Python 2)."""
    if not name or not isinstance(name, str):
        return None
    full = name.strip().lower()
    base = re.sub(r"\s*\(([^)]*)\)\s*$", "", full).strip()
    version = full[len(base):].strip(" ()")
    if base in PYTHON2_NAMES or (base == "python" and version.startswith("2")):
        return None
    for candidate in (full, base):
        try:
            return languages.get(candidate).id
        except KeyError:
            pass
    return None


# --------------------------------------------------------------------------- values

def as_text(value: Any) -> tuple[str | None, str | None]:
    """(text, None) for a str or UTF-8 bytes; (None, reason) for binary or undecodable content."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        if b"\0" in data[:8000]:
            return None, BINARY_FILE
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError:
            return None, UNDECODABLE
    if not isinstance(value, str):
        return None, INVALID_VALUE
    if "\0" in value[:8000]:
        return None, BINARY_FILE
    try:
        value.encode("utf-8")  # lone surrogates (JSON "\\ud800") are not valid UTF-8
    except UnicodeEncodeError:
        return None, UNDECODABLE
    return value, None


def byte_size(value: Any) -> int:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    return len(str(value).encode("utf-8", "surrogatepass"))


def as_timestamp(value: Any) -> int:
    """Unix seconds from an int, float, numeric string or datetime; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):  # JSON 1e400 / NaN: int() would raise OverflowError, not ValueError
            raise ValueError(f"not a timestamp: {value!r}")
        return int(value)
    if hasattr(value, "timestamp"):
        return int(value.timestamp())
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        return int(float(value))
    raise ValueError(f"not a timestamp: {value!r}")


def lookup(row: dict, name: str) -> Any:
    """``row[name]``, or for a dotted name either the flat key or the nested value (``author.time_sec``)."""
    if name in row:
        return row[name]
    value: Any = row
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


# --------------------------------------------------------------------------- row files

def _has_magic(path: str) -> bool:
    return any(c in path for c in "*?[")


def _expand_uri(uri: str) -> list[str]:
    """Row files under a folder URI, or a glob URI's matches; each spelled with the prefix as given."""
    fs, inner = filesystem(uri)
    if _has_magic(uri):
        cut = min(i for i, c in enumerate(uri) if c in "*?[")
        given = uri[:uri.rfind("/", 0, cut) + 1]  # the literal folder before the first wildcard
        found = sorted(f for f in fs.glob(inner) if fs.isfile(f))
    elif fs.isdir(inner):
        given = uri.rstrip("/") + "/"
        found = sorted(f for f in fs.find(inner) if f.rsplit("/", 1)[-1].endswith(ROW_FILE_SUFFIXES))
    else:
        return [uri]
    # fsspec answers in its own spelling (``bucket/x`` for ``gs://bucket/x``, ``/x`` for ``memory://x``):
    # re-spell each match under the prefix the caller wrote, so locators read like the input.
    stripped = fs._strip_protocol(given).rstrip("/") + "/"
    return [given + f[len(stripped):] if f.startswith(stripped) else fs.unstrip_protocol(f) for f in found]


def expand_paths(paths: list[str]) -> list[str]:
    """Files named by ``paths``: a file as given, a folder's row files (recursively), a glob's matches.

    Each may be local or an fsspec URI. A name that matches nothing is kept, so reading it
    yields a dead letter instead of silence."""
    out: list[str] = []
    for p in map(str, paths):
        if is_uri(p):
            out.extend(_expand_uri(p))
            continue
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*")) if f.is_file() and f.name.endswith(ROW_FILE_SUFFIXES))
        elif _has_magic(p):
            out.extend(sorted(glob.glob(p, recursive=True)))
        else:
            out.append(p)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Chunk:
    """A slice of a row file that one worker reads alone."""
    path: str
    fmt: str  # jsonl | json | parquet (json: one JSON document: an array, or JSON Lines inside gzip)
    start: int  # jsonl: byte offset; parquet: row group index; json: 0
    first_row: int  # 1-based line (jsonl) or row number of the chunk's first row
    rows: int  # lines (jsonl) or rows in the chunk; -1: to the end


def sniff_format(path: str) -> str:
    """parquet | gzip | json (a JSON array) | jsonl."""
    with open_file(path) as f:
        head = f.read(4096)
    if head[:4] == b"PAR1":
        return "parquet"
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return "json" if stripped[:1] == b"[" else "jsonl"


def plan_chunks(path: str, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> list[Chunk]:
    """Chunks covering every row of ``path`` (raises OSError or ValueError for an unreadable file)."""
    fmt = sniff_format(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq
        with open_file(path) as f:
            meta = pq.ParquetFile(f).metadata
        chunks, first = [], 1
        for i in range(meta.num_row_groups):
            n = meta.row_group(i).num_rows
            chunks.append(Chunk(path, "parquet", i, first, n))
            first += n
        return chunks
    if fmt in ("gzip", "json"):
        return [Chunk(path, "json", 0, 1, -1)]
    chunks, offset, line = [], 0, 0
    with open_file(path) as f:
        for raw in f:
            if line % chunk_rows == 0:
                chunks.append(Chunk(path, "jsonl", offset, line + 1, chunk_rows))
            offset += len(raw)
            line += 1
    return chunks


RowItem = tuple[str, dict | None, str | None, str | None]  # (locator, row, error reason, detail)


def _parse_line(raw: bytes, locator: str) -> RowItem:
    try:
        row = json.loads(raw)
    except UnicodeDecodeError as e:
        return locator, None, UNDECODABLE, str(e)
    except (ValueError, RecursionError) as e:  # RecursionError: nesting too deep for the decoder
        return locator, None, MALFORMED_ROW, str(e)[:200]
    if not isinstance(row, dict):
        return locator, None, MALFORMED_ROW, f"a JSON {type(row).__name__}, not an object"
    return locator, row, None, None


def _json_lines(lines: Iterator[bytes], path: str, first_line: int) -> Iterator[RowItem]:
    for n, raw in enumerate(lines, first_line):
        if raw.strip():
            yield _parse_line(raw, f"{path}:{n}")


def read_chunk(chunk: Chunk) -> Iterator[RowItem]:
    """Rows of one chunk, each with its locator; a malformed row is reported, not raised."""
    if chunk.fmt == "parquet":
        import pyarrow.parquet as pq
        with open_file(chunk.path) as f:
            table = pq.ParquetFile(f).read_row_group(chunk.start)
        for n, row in enumerate(table.to_pylist(), chunk.first_row):
            yield f"{chunk.path}:{n}", row, None, None
    elif chunk.fmt == "jsonl":
        with open_file(chunk.path) as f:
            f.seek(chunk.start)
            lines = (f.readline() for _ in range(chunk.rows))
            yield from _json_lines((raw for raw in lines if raw), chunk.path, chunk.first_row)
    else:
        with open_file(chunk.path) as f:
            data = f.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
            try:
                rows = json.loads(data)
            except (ValueError, RecursionError) as e:  # one document: it is one malformed input
                yield f"{chunk.path}:1", None, MALFORMED_ROW, str(e)[:200]
                return
            for n, row in enumerate(rows, 1):
                if isinstance(row, dict):
                    yield f"{chunk.path}:{n}", row, None, None
                else:
                    yield f"{chunk.path}:{n}", None, MALFORMED_ROW, f"a JSON {type(row).__name__}, not an object"
        else:
            yield from _json_lines(io.BytesIO(data), chunk.path, 1)


def read_rows(path: str) -> Iterator[RowItem]:
    """Every row of a row file (a convenience for tools and tests; workers read chunks)."""
    for chunk in plan_chunks(path):
        yield from read_chunk(chunk)
