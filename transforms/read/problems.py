"""Problem sets: problems with tests and many submissions -> submission samples.

Layout (the bundled set in ``pipeline/defaults/problems`` uses it)::

    <root>/<problem_id>/problem.toml            id, title, split, statement, limits, [[tests]]
    <root>/<problem_id>/tests/<name>.in|.out
    <root>/<problem_id>/solutions/<language_id>/<submission>.<ext>

``root`` is a local path or any fsspec URI (``gs://``, ``s3://``, ``memory://``...): every read
goes through fsspec, so a worker needs no disk shared with the driver. Locations keep the
form they were given in: a local ``Path`` stays a ``Path`` (symlinked problem folders work),
a URI stays a ``str`` URI.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

import tomllib

import apache_beam as beam

from schemas import languages
from schemas.samples import source_sample
from transforms.common import DEAD, MAIN, count, stable_hex
from transforms.locations import (  # noqa: F401  (re-exported for problem-set callers)
    Location,
    filesystem,
    as_location,
    base_name,
    is_dir,
    is_file,
    is_uri,
    join,
    list_dir,
    read_bytes,
    read_text,
    relative,
)
from transforms.read.common import STAGE, input_dead

SOURCE = "problems"


@dataclass(frozen=True)
class TestSpec:
    name: str
    stdin: str
    expected: str


@dataclass(frozen=True)
class Problem:
    id: str
    title: str
    statement: str
    split: str
    time_limit_s: float
    memory_limit_mb: int
    tests: tuple[TestSpec, ...]
    root: str
    license: str


def load_problem(problem_dir: Location, license: str = "Apache-2.0") -> Problem:
    """Read one problem folder (local path or URI); raises ValueError with a clear message on a malformed one."""
    problem_dir = as_location(problem_dir)
    meta_path = join(problem_dir, "problem.toml")
    try:
        meta = tomllib.loads(read_text(meta_path))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{meta_path}: unreadable problem description: {e}") from e
    missing = [k for k in ("id", "statement", "tests") if k not in meta]
    if missing:
        raise ValueError(f"{meta_path}: missing keys {missing}")
    # Every malformation is a ValueError: callers dead-letter the problem (or skip it) on exactly that.
    try:
        return _problem_from(meta, problem_dir, license)
    except (OSError, UnicodeDecodeError, TypeError, KeyError, AttributeError, ValueError) as e:
        raise ValueError(f"{meta_path}: malformed problem: {e!r}") from e


def _text(meta: dict, key: str, default: str | None = None) -> str:
    value = meta.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be a non-empty string, not {value!r}")
    return value


def _problem_from(meta: dict, problem_dir: Location, license: str) -> Problem:
    if not isinstance(meta["tests"], list):
        raise TypeError(f"tests must be a list of tables, not {meta['tests']!r}")
    tests = []
    for t in meta["tests"]:
        name = _text(t, "name")
        if "/" in name or "\\" in name or name in (".", ".."):  # a path in the name would read outside the problem
            raise ValueError(f"test name {name!r} is not a plain file name")
        stem = PurePosixPath(name)
        tests.append(TestSpec(name, read_text(join(problem_dir, "tests", stem.with_suffix(".in").name)),
                              read_text(join(problem_dir, "tests", stem.with_suffix(".out").name))))
    split = meta.get("split", "train")
    if split not in ("train", "bench"):
        raise ValueError(f"split must be train or bench, not {split!r}")
    time_limit_s, memory_limit_mb = float(meta.get("time_limit_s", 10)), int(meta.get("memory_limit_mb", 1024))
    if not (time_limit_s > 0 and memory_limit_mb > 0):
        raise ValueError(f"limits must be positive: {time_limit_s} s, {memory_limit_mb} MB")
    problem_id = _text(meta, "id")
    return Problem(
        id=problem_id, title=_text(meta, "title", problem_id), statement=_text(meta, "statement").strip(),
        split=split, time_limit_s=time_limit_s, memory_limit_mb=memory_limit_mb, tests=tuple(tests),
        root=str(problem_dir), license=_text(meta, "license", license))


def test_entry(problem: Problem) -> dict:
    """The execute stage's entry for a problem: {tests: [(name, stdin, expected)], time_limit_s,
    memory_limit_mb} (its shape is part of the execution cache key)."""
    return {"tests": [(t.name, t.stdin, t.expected) for t in problem.tests],
            "time_limit_s": problem.time_limit_s, "memory_limit_mb": problem.memory_limit_mb}


def problem_dirs(root: Location) -> list[Location]:
    """Problem folders under ``root`` (those holding a ``problem.toml``), sorted by name; ``Path``s
    for a local root, URIs for a URI root."""
    root = as_location(root)
    return [d for d in (join(root, n) for n, folder in list_dir(root) if folder) if is_file(join(d, "problem.toml"))]


def submission_files(problem: Problem) -> list[Location]:
    """Every file under the problem's solutions folder, sorted (symlinked files included, symlinked
    folders not entered, as ``Path.rglob``)."""
    sol = join(as_location(problem.root), "solutions")
    fs, path = filesystem(sol)
    if not fs.isdir(path):
        return []
    prefix = path.rstrip("/") + "/"
    rels = sorted(name[len(prefix):] for name, info in fs.find(path, detail=True).items()
                  if name.startswith(prefix)
                  and (info.get("type") == "file" or (info.get("islink") and fs.isfile(name))))
    return [join(sol, *rel.split("/")) for rel in rels]


def _set_name(problem: Problem) -> str:
    """The problem set's folder name (the folder above the problem's)."""
    return base_name(posixpath.dirname(str(problem.root).rstrip("/")))


def read_submission(problem: Problem, path: Location) -> tuple[dict | None, str | None, str | None]:
    """(sample, drop reason, detail) for one submission file."""
    rel = relative(path, join(as_location(problem.root), "solutions"))
    lang = languages.by_extension(base_name(path))
    if lang is None:
        return None, "unknown_language", rel
    data = read_bytes(path)
    if b"\0" in data:
        return None, "binary_file", rel
    try:
        code = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, "undecodable", f"{rel}: {e}"
    if not code.strip():
        return None, "empty_file", rel
    submission_id = rel.rsplit(".", 1)[0]
    return source_sample(
        sample_id=stable_hex(SOURCE, problem.id, submission_id, lang.id), source=SOURCE, kind="submission",
        language=lang.id, code=code, instruction=problem.statement, problem_id=problem.id,
        submission_id=submission_id, repo=_set_name(problem), path=rel, license=problem.license,
        split=problem.split), None, None


def iter_submissions(problem: Problem) -> Iterator[tuple[str, dict | None, str | None, str | None]]:
    """(locator, sample, drop reason, detail) for every submission of a problem."""
    for path in submission_files(problem):
        locator = f"{problem.id}:{relative(path, as_location(problem.root))}"
        sample, reason, detail = read_submission(problem, path)
        yield locator, sample, reason, detail


def load_tests(roots: list[str]) -> dict[str, dict]:
    """problem id -> ``test_entry`` for every well-formed problem under ``roots`` (local paths or
    fsspec URIs), read where it is called: a whole table in memory, for tests and small local
    sets; the pipeline reads entries on its workers (``transforms.read.problem_tests``).
    Malformed problems are skipped here; ReadProblems dead-letters them."""
    table = {}
    for root in roots:
        for d in problem_dirs(root):
            try:
                p = load_problem(d)
            except ValueError:
                continue
            table[p.id] = test_entry(p)
    return table


# --------------------------------------------------------------------------- Beam

class _ListProblems(beam.DoFn):
    """A problem-set root (local path or fsspec URI) -> its problem folders, listed on a worker."""

    def process(self, root: str):
        try:
            dirs = problem_dirs(root)
        except Exception as e:  # noqa: BLE001 - a missing or unreadable set is one dead input, not a crash
            count(STAGE, "inputs")
            yield input_dead("unreadable_problem_set", root, repr(e), SOURCE)
            return
        for d in dirs:
            yield str(d)


class _ReadSubmissions(beam.DoFn):
    def process(self, problem_dir: str):
        try:
            problem = load_problem(problem_dir)
        except Exception as e:  # noqa: BLE001 - a problem that cannot be read is one dead input
            count(STAGE, "inputs")
            yield input_dead("malformed_problem", problem_dir, repr(e), SOURCE)
            return
        for locator, sample, reason, detail in iter_submissions(problem):
            count(STAGE, "inputs")
            if sample is None:
                yield input_dead(reason, locator, detail, SOURCE)
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
