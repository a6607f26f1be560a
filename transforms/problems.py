"""Problem sets on disk: problems with tests and many submissions (Beam-free).

Layout (the bundled set in ``pipeline/defaults/problems`` uses it)::

    <root>/<problem_id>/problem.toml            id, title, split, statement, limits, [[tests]]
    <root>/<problem_id>/tests/<name>.in|.out
    <root>/<problem_id>/solutions/<language_id>/<submission>.<ext>
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from schemas import languages
from transforms.common import stable_hex

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


def load_problem(problem_dir: Path, license: str = "Apache-2.0") -> Problem:
    """Read one problem folder; raises ValueError with a clear message on a malformed one."""
    meta_path = problem_dir / "problem.toml"
    try:
        meta = tomllib.loads(meta_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{meta_path}: unreadable problem description: {e}") from e
    missing = [k for k in ("id", "statement", "tests") if k not in meta]
    if missing:
        raise ValueError(f"{meta_path}: missing keys {missing}")
    tests = []
    for t in meta["tests"]:
        base = problem_dir / "tests" / t["name"]
        tests.append(TestSpec(t["name"], base.with_suffix(".in").read_text("utf-8"),
                              base.with_suffix(".out").read_text("utf-8")))
    return Problem(
        id=meta["id"], title=meta.get("title", meta["id"]), statement=meta["statement"].strip(),
        split=meta.get("split", "train"), time_limit_s=float(meta.get("time_limit_s", 10)),
        memory_limit_mb=int(meta.get("memory_limit_mb", 1024)), tests=tuple(tests),
        root=str(problem_dir), license=meta.get("license", license))


def problem_dirs(root: str | Path) -> list[Path]:
    """Problem folders under ``root``, sorted by name."""
    return sorted(p for p in Path(root).iterdir() if (p / "problem.toml").is_file())


def submission_files(problem: Problem) -> list[Path]:
    """Every file under the problem's solutions folder, sorted."""
    sol = Path(problem.root) / "solutions"
    return sorted(p for p in sol.rglob("*") if p.is_file()) if sol.is_dir() else []


def read_submission(problem: Problem, path: Path) -> tuple[dict | None, str | None, str | None]:
    """(sample, drop reason, detail) for one submission file."""
    rel = path.relative_to(Path(problem.root) / "solutions").as_posix()
    lang = languages.by_extension(path.name)
    if lang is None:
        return None, "unknown_language", rel
    data = path.read_bytes()
    if b"\0" in data:
        return None, "binary_file", rel
    try:
        code = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, "undecodable", f"{rel}: {e}"
    if not code.strip():
        return None, "empty_file", rel
    submission_id = rel.rsplit(".", 1)[0]
    return {
        "sample_id": stable_hex(SOURCE, problem.id, submission_id, lang.id),
        "source": SOURCE, "kind": "submission", "language": lang.id, "code": code,
        "code_before": None, "diff": None, "message": None, "instruction": problem.statement,
        "problem_id": problem.id, "submission_id": submission_id, "user_id": None,
        "repo": Path(problem.root).parent.name, "commit": None, "path": rel, "license": problem.license,
        "timestamp": None, "criteria_hint": [], "split": problem.split,
    }, None, None


def iter_submissions(problem: Problem) -> Iterator[tuple[str, dict | None, str | None, str | None]]:
    """(locator, sample, drop reason, detail) for every submission of a problem."""
    for path in submission_files(problem):
        locator = f"{problem.id}:{path.relative_to(Path(problem.root)).as_posix()}"
        sample, reason, detail = read_submission(problem, path)
        yield locator, sample, reason, detail
