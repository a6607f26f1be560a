"""A corpus of a chosen size for the scale bench, deterministic from a seed (pure but for the writes).

``write_codenet(root, problems, per_language, seed)`` writes a Project CodeNet-layout folder
(``transforms/read/codenet.py``): ``problems`` problems, each a renamed copy of one of the
bundled problems (``pipeline/defaults/problems``, cycled), with ``per_language`` submissions in
each of the 8 languages taken from that problem's own solutions (fast, slow, buggy, memory-hungry,
insecure, ... variants: real programs that compile and pass or fail the tests for real, so pairs of
every execution criterion appear). Each copy gets a first comment line naming the problem and the
submission, so every source is distinct (exact dedup keeps them all) while the program is the same.
Only tests of at most ``MAX_TEST_BYTES`` are copied (``tests/<id>/<name>.in|.out``): the large
inputs of range-sum and word-frequency would make each submission cost seconds and the bench
measure a few programs rather than a curve.

``write_history(dest, commits, seed)`` builds a real git repository (``git fast-import``, through
``pipeline.defaults.history``, so the hashes are the same on every machine) with an MIT licence
and ``commits`` commit pairs: one commit adds a module of generated functions (dropped by the
miner as ``not_modified_in_place``), the next fixes an off-by-one in one of them or speeds it up,
with a message that names the criterion (kept, a commit sample). The functions' names and constants
come from the seed, so no two modules are near duplicates (near dedup keeps them all).
"""
from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipeline.defaults.history import build_repository, bundled_history_dir
from pipeline.run import bundled_problems

MAX_TEST_BYTES = 64 * 1024
TIME_LIMIT_MS = 10_000  # as the bundled problems
MEMORY_LIMIT_KB = 1024 * 1024
START = date(2020, 1, 2)  # the history's first commit pair; one pair a day after it

# Our language folder -> (CodeNet's language folder name, extension, comment prefix).
LANGUAGES = {
    "c": ("C", "c", "//"),
    "cpp": ("C++", "cpp", "//"),
    "csharp": ("C#", "cs", "//"),
    "go": ("Go", "go", "//"),
    "java": ("Java", "java", "//"),
    "javascript": ("JavaScript", "js", "//"),
    "python": ("Python", "py", "#"),
    "ruby": ("Ruby", "rb", "#"),
}


@dataclass(frozen=True)
class Corpus:
    codenet: Path
    repo: Path
    submissions: int  # code files written
    commit_pairs: int  # commits the miner keeps


def _bundled() -> list[Path]:
    return sorted(p for p in Path(bundled_problems()).iterdir() if (p / "solutions").is_dir())


def codenet_files(problems: int, per_language: int, seed: int, base: int | None = None) -> dict[str, str]:
    """Relative path -> text of the whole CodeNet-layout corpus (pure: the writer only writes it).

    ``base``: problem ``i`` is a copy of template ``i % base`` (same bundled problem, same
    solution variants), so a corpus of ``k * base`` problems is ``k`` copies of the base corpus
    and every size has the same mix of cheap and costly programs (a fresh draw per problem would
    make the per-record cost follow the draw, not the size). None: every problem is its own template."""
    bundled = _bundled()
    files: dict[str, str] = {}
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["id", "name", "dataset", "time_limit", "memory_limit"])
    for i in range(problems):
        template = i % base if base else i
        source = bundled[template % len(bundled)]
        rng = random.Random(f"{seed}:{template}")
        pid = f"s{i:05d}"
        writer.writerow([pid, f"{source.name} copy {i}", "scale", TIME_LIMIT_MS, MEMORY_LIMIT_KB])
        for test in sorted((source / "tests").glob("*.in")):
            out = test.with_suffix(".out")
            if out.is_file() and test.stat().st_size <= MAX_TEST_BYTES:
                files[f"tests/{pid}/{test.name}"] = test.read_text("utf-8")
                files[f"tests/{pid}/{out.name}"] = out.read_text("utf-8")
        for lang, (folder, ext, comment) in LANGUAGES.items():
            variants = sorted((source / "solutions" / lang).glob(f"*.{ext}"))
            start = rng.randrange(len(variants))  # which variants a problem gets varies with the seed
            for k in range(per_language):
                variant = variants[(start + k) % len(variants)]
                sid = f"{pid}_{lang}_{k:03d}"
                header = f"{comment} scale corpus: problem {pid}, submission {sid} ({variant.stem})\n"
                files[f"data/{pid}/{folder}/{sid}.{ext}"] = header + variant.read_text("utf-8")
    files["metadata/problem_list.csv"] = rows.getvalue()
    return files


def write_codenet(root: Path, problems: int, per_language: int, seed: int = 0, base: int | None = None) -> int:
    """Write the corpus under ``root``; returns the number of submissions."""
    files = codenet_files(problems, per_language, seed, base)
    for rel, text in files.items():
        path = Path(root, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return sum(1 for rel in files if rel.startswith("data/"))


# --------------------------------------------------------------------------- git history

_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "ze", "pi", "do", "sa", "qu", "fe", "hi", "bu", "or")


def _name(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts))


def _module(rng: random.Random, functions: int = 5) -> tuple[list[str], list[tuple[str, int, int]]]:
    """Names and (name, bound, constant) of a module's functions."""
    specs = []
    names = set()
    while len(specs) < functions:
        name = f"{_name(rng)}_{_name(rng, 2)}"
        if name not in names:
            names.add(name)
            specs.append((name, rng.randrange(3, 97), rng.randrange(2, 9973)))
    return [s[0] for s in specs], specs


def _render(specs: list[tuple[str, int, int]], fixed: str | None, fix_kind: str) -> str:
    """The module; ``fixed`` names the function the second commit changes (None: the first version)."""
    lines = ['"""Generated module for the scale bench."""', ""]
    for name, bound, constant in specs:
        scale = f"{name.split('_')[0]}_scale"
        lines.append(f"def {name}(items, {scale}={constant}):")
        if name == fixed and fix_kind == "speed":  # a set instead of rescanning the list
            lines += [f"    seen = set(items[:{bound}])", f"    return sum(x * {scale} for x in seen)"]
        elif name == fixed:  # the fix: the window includes its last element
            lines += [f"    window = items[0:{bound} + 1]", f"    return sum(x * {scale} for x in window)"]
        else:
            lines += [f"    window = items[0:{bound}]", f"    return sum(x * {scale} for x in window)"]
        lines += ["", ""]
    return "\n".join(lines).rstrip() + "\n"


def history_spec(commits: int, seed: int) -> dict:
    """The spec (``pipeline.defaults.history`` format) of a repository with ``commits`` kept commit pairs."""
    rng = random.Random(seed)
    history = bundled_history_dir()
    spec = {"name": "scale-history", "license": "MIT", "license_text": "MIT.txt", "split": "train",
            "_dir": history, "_licenses": history / "licenses",
            "commit": [{"date": "2020-01-01T00:00:00+00:00", "author": "Scale Bench <scale@codepref.invalid>",
                        "message": "Add MIT license", "files": [{"path": "LICENSE", "license": True}]}]}
    for i in range(commits):
        _, specs = _module(rng)
        target = specs[rng.randrange(len(specs))][0]
        kind = "speed" if i % 3 == 2 else "bug"
        path = f"src/{_name(rng, 2)}_{i:05d}.py"
        day = (START + timedelta(days=i)).strftime("%Y-%m-%d")
        before = _render(specs, None, kind)
        # The bug: a window that misses its last element; the slow one: a list instead of a set.
        if kind == "speed":
            message = f"Speed up {target} in {path} by deduplicating items with a set ({i})"
        else:
            message = f"Fix off-by-one in {target}: the window in {path} missed its last element ({i})"
        spec["commit"] += [
            {"date": f"{day}T10:00:00+00:00", "author": "Scale Bench <scale@codepref.invalid>",
             "message": f"Add module {path} ({i})", "files": [{"path": path, "text": before}]},
            {"date": f"{day}T11:00:00+00:00", "author": "Scale Bench <scale@codepref.invalid>",
             "message": message, "files": [{"path": path, "text": _render(specs, target, kind)}]},
        ]
    return spec


def write_history(dest: Path, commits: int, seed: int = 0) -> Path:
    """Build the repository under ``dest``; returns its path."""
    return build_repository(history_spec(commits, seed), Path(dest))


def write_corpus(root: Path, problems: int, per_language: int, commits: int, seed: int = 0,
                 base: int | None = None) -> Corpus:
    root = Path(root)
    n = write_codenet(root / "codenet", problems, per_language, seed, base)
    repo = write_history(root / "git", commits, seed)
    return Corpus(root / "codenet", repo, n, commits)
