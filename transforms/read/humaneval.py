"""Function-level problems (HumanEval shape): a prompt, an entry point and test code that calls it.

One JSON object per line, in a ``.jsonl`` or ``.jsonl.gz`` file (local path or fsspec URI)::

    {"task_id": "HumanEval/0", "prompt": "def f(...):\\n    \\"\\"\\"...\\"\\"\\"\\n",
     "entry_point": "f", "canonical_solution": "    return ...\\n", "test": "def check(candidate): ..."}

optional keys: ``language`` (default python), ``split`` (default: the reader's), ``source``
(default humaneval), ``time_limit_s``, ``memory_limit_mb``, ``license``. The full format and how
to add MBPP-like or MultiPL-E-like suites is in docs/function-problems.md.

The canonical solution (prompt + canonical_solution) becomes a submission sample; the tests
become one harness test case: the sandbox runs ``prefix + solution + suffix`` (templates per
language in ``humaneval_harness.toml``) on empty stdin, and exit status plus the printed marker
decide. Pairs show the solution only, never the harness.
"""
from __future__ import annotations

import gzip
import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import apache_beam as beam

from schemas import languages
from schemas.samples import source_sample
from transforms.common import DEAD, MAIN, count, dead_letter, route_dead, stable_hex
from transforms.locations import read_bytes

STAGE = "read"
SOURCE = "humaneval"
REQUIRED = ("task_id", "prompt", "entry_point", "canonical_solution", "test")
_PLACEHOLDER = re.compile(r"\{(test|entry_point|marker)\}")


@cache
def harnesses() -> dict:
    """``humaneval_harness.toml``: the marker and one prefix/suffix/expected template per language."""
    return tomllib.loads(resources.files("transforms.read").joinpath("humaneval_harness.toml").read_text("utf-8"))


@dataclass(frozen=True)
class FunctionProblem:
    task_id: str
    problem_id: str  # task_id with path separators replaced (it names folders and ids)
    language: str
    prompt: str
    entry_point: str
    canonical_solution: str
    test: str
    split: str
    source: str
    time_limit_s: float
    memory_limit_mb: int
    license: str


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def harness(problem: FunctionProblem) -> tuple[str, str, str]:
    """(prefix, suffix, expected stdout) that turn a solution of ``problem`` into a test program."""
    spec = harnesses()[problem.language]
    values = {"test": problem.test, "entry_point": problem.entry_point, "marker": harnesses()["marker"]}
    return _fill(spec["prefix"], values), _fill(spec["suffix"], values), _fill(spec["expected"], values)


def parse_problem(line: str, default_split: str) -> FunctionProblem:
    """One JSONL line -> a problem; ValueError with a one-line reason on a malformed one."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON: {e}") from e
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    missing = [k for k in REQUIRED if not isinstance(row.get(k), str) or not row[k].strip()]
    if missing:
        raise ValueError(f"missing or empty {missing}")
    try:
        lang = languages.get(str(row.get("language", "python"))).id
    except KeyError:
        raise ValueError(f"unknown language {row.get('language')!r}") from None
    if lang not in harnesses():
        raise ValueError(f"no harness for {lang} in humaneval_harness.toml")
    split = row.get("split", default_split)
    if split not in ("train", "bench"):
        raise ValueError(f"split must be train or bench, not {split!r}")
    time_limit_s, memory_limit_mb = float(row.get("time_limit_s", 10)), int(row.get("memory_limit_mb", 1024))
    if not (time_limit_s > 0 and memory_limit_mb > 0):
        raise ValueError(f"limits must be positive: {time_limit_s} s, {memory_limit_mb} MB")
    task_id = row["task_id"].strip()
    return FunctionProblem(
        task_id=task_id, problem_id=re.sub(r"[/\\\s]+", "-", task_id), language=lang, prompt=row["prompt"],
        entry_point=row["entry_point"].strip(), canonical_solution=row["canonical_solution"], test=row["test"],
        split=split, source=str(row.get("source", SOURCE)), time_limit_s=time_limit_s,
        memory_limit_mb=memory_limit_mb, license=str(row.get("license", "MIT")))


def read_lines(path: str) -> list[str]:
    """The non-blank lines of a ``.jsonl`` or ``.jsonl.gz`` file (gzip is recognised by its magic)."""
    data = read_bytes(path)
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return [line for line in data.decode("utf-8").splitlines() if line.strip()]


def read_problems(path: str, default_split: str) -> list[tuple[int, FunctionProblem | None, str | None]]:
    """(line number, problem or None, reason when None) for every line of the file."""
    out = []
    for i, line in enumerate(read_lines(path), start=1):
        try:
            out.append((i, parse_problem(line, default_split), None))
        except (ValueError, TypeError) as e:
            out.append((i, None, str(e)))
    return out


def instruction(problem: FunctionProblem) -> str:
    lang = languages.get(problem.language)
    return (f"Complete the {lang.name} function `{problem.entry_point}` so that it does what its "
            f"description says.\n\n```{lang.fence}\n{problem.prompt.rstrip()}\n```")


def canonical_sample(problem: FunctionProblem) -> dict:
    """The canonical solution as a submission sample (prompt + body: a whole program)."""
    return source_sample(
        sample_id=stable_hex(problem.source, problem.problem_id, "canonical", problem.language),
        source=problem.source, kind="submission", language=problem.language,
        code=problem.prompt + problem.canonical_solution, instruction=instruction(problem),
        problem_id=problem.problem_id, submission_id="canonical", repo=problem.source, path=problem.task_id,
        license=problem.license, split=problem.split)


def execution_entry(problem: FunctionProblem) -> dict:
    """The execute stage's side-input entry: one harness test case and the harness itself."""
    prefix, suffix, expected = harness(problem)
    return {"tests": [("harness", "", expected)], "time_limit_s": problem.time_limit_s,
            "memory_limit_mb": problem.memory_limit_mb, "harness": {problem.language: [prefix, suffix]}}


def load_function_tests(paths: list[str], default_split: str) -> dict[str, dict]:
    """problem id -> execution entry for every readable problem of every file: a whole table in
    memory, for tests and small local sets (the pipeline reads entries on its workers,
    ``transforms.read.problem_tests``). Malformed lines and unreadable files are dead-lettered by
    ``ReadFunctionProblems``, skipped here."""
    table = {}
    for path in paths:
        try:
            rows = read_problems(path, default_split)
        except Exception:  # noqa: BLE001 - the reader dead-letters an unreadable file; the run goes on
            continue
        for _, problem, _ in rows:
            if problem is not None:
                table[problem.problem_id] = execution_entry(problem)
    return table


class _ReadFile(beam.DoFn):
    def __init__(self, default_split: str):
        self.default_split = default_split

    def process(self, path: str):
        try:
            rows = read_problems(path, self.default_split)
        except Exception as e:  # noqa: BLE001 - an unreadable file is one dead input, not a crash
            count(STAGE, "inputs")
            yield route_dead(dead_letter(STAGE, "unreadable_function_problems", path, "input", repr(e), SOURCE))
            return
        for line, problem, reason in rows:
            count(STAGE, "inputs")
            if problem is None:
                yield route_dead(dead_letter(STAGE, "malformed_function_problem", f"{path}:{line}", "input",
                                             reason, SOURCE))
                continue
            count(STAGE, "samples")
            yield canonical_sample(problem)


class ReadFunctionProblems(beam.PTransform):
    """HumanEval-shaped JSONL files -> canonical-solution samples; malformed lines are input dead letters."""

    def __init__(self, paths: list[str], default_split: str = "bench"):
        super().__init__()
        self.paths, self.default_split = [str(p) for p in paths], default_split

    def expand(self, pbegin):
        out = (pbegin | "Files" >> beam.Create(self.paths)
               | "ReadLines" >> beam.ParDo(_ReadFile(self.default_split)).with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
