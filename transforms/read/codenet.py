"""Project CodeNet-style problem sets: submissions, statements and tests -> submission samples.

Layout under ``root`` (CodeNet's own; every part but the code files is optional)::

    metadata/problem_list.csv        id, name, time_limit (ms), memory_limit (KB), ...
                                     (``problem_list.csv`` at the root is accepted too)
    metadata/<problem_id>.csv        submission_id, problem_id, user_id, date, language,
                                     original_language, filename_ext, status, cpu_time, memory, ...
    data/<problem_id>/<Language>/<submission_id>.<ext>
    problem_descriptions/<problem_id>.html
    derived/input_output/data/<problem_id>/input.txt, output.txt
    tests/<problem_id>/<name>.in, <name>.out   (a simpler test layout, read as well)

A submission is a metadata row, or a code file no metadata row names (its language
is its folder's name). Every status is kept: CodeNet's verdicts come from other
judges, compilers and machines, and the execute stage re-runs every submission
against the tests and labels it from what it measures; failing ones are the
rejected side of correctness pairs.

The split is per problem: a deterministic hash of the problem id puts a fraction
``bench_fraction`` of problems, with all their submissions, in ``bench``.
"""
from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import apache_beam as beam

from schemas.samples import source_sample
from transforms.common import DEAD, MAIN, count, stable_hex, stable_id
from transforms.locations import (
    Location,
    as_location,
    is_dir,
    is_file,
    join,
    list_dir,
    read_bytes,
    read_text,
    relative,
)
from transforms.read.common import STAGE, emit, input_dead
from transforms.read.rows import (
    EMPTY_FILE,
    INVALID_VALUE,
    MISSING_FIELD,
    UNKNOWN_LANGUAGE,
    Result,
    as_text,
    as_timestamp,
    resolve_language,
)

SOURCE = "codenet"
LICENSE = "CDLA-Permissive-2.0"
DEFAULT_BENCH_FRACTION = 0.1
MISSING_FILE = "missing_file"
DEFAULT_TIME_LIMIT_S = 10.0  # as transforms.read.problems, for problems the list gives no limits
DEFAULT_MEMORY_LIMIT_MB = 1024


# --------------------------------------------------------------------------- problems

def _read_csv(path: Location) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read_text(path), newline="")))


def read_problem_list(root: Location) -> dict[str, dict]:
    """problem id -> its ``problem_list.csv`` row (empty when there is no list)."""
    root = as_location(root)
    for path in (join(root, "metadata", "problem_list.csv"), join(root, "problem_list.csv")):
        if is_file(path):
            return {row["id"].strip(): row for row in _read_csv(path) if (row.get("id") or "").strip()}
    return {}


def problem_ids(root: Location) -> list[str]:
    """Every problem the list, the metadata files or the code folders name, sorted."""
    root = as_location(root)
    ids = set(read_problem_list(root))
    meta = join(root, "metadata")
    if is_dir(meta):
        ids.update(n[:-len(".csv")] for n, _ in list_dir(meta) if n.endswith(".csv") and n != "problem_list.csv")
    data = join(root, "data")
    if is_dir(data):
        ids.update(n for n, folder in list_dir(data) if folder)
    return sorted(ids)


def problem_split(problem_id: str, bench_fraction: float = DEFAULT_BENCH_FRACTION) -> str:
    """``bench`` for a stable ``bench_fraction`` share of problem ids, else ``train``."""
    return "bench" if stable_id("codenet-split", problem_id) < bench_fraction * (1 << 63) else "train"


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                        "table", "section", "blockquote", "hr"})
    SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML statement: tags dropped, blocks on their own lines, blank runs collapsed."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def problem_instruction(root: Location, problem_id: str, name: str | None = None) -> str:
    """The problem statement as text, or a one-line instruction naming the problem when there is none."""
    path = join(as_location(root), "problem_descriptions", f"{problem_id}.html")
    if is_file(path):
        text = html_to_text(read_bytes(path).decode("utf-8", errors="replace"))
        if text:
            return text
    title = f" ({name})" if name else ""
    return (f"Solve CodeNet problem {problem_id}{title}: read the input from standard input and "
            f"write the answer to standard output.")


# --------------------------------------------------------------------------- submissions

def read_submission_file(path: Location, root: Location, problem_id: str, submission_id: str, language_name: str,
                         split: str, instruction: str, user_id: str | None = None,
                         timestamp: int | None = None) -> Result:
    """(sample, None, None) or (None, reason, detail) for one code file (local path or URI, as ``root``)."""
    rel = relative(path, root)
    language = resolve_language(language_name)
    if language is None:
        return None, UNKNOWN_LANGUAGE, f"{rel}: {language_name}"
    try:  # read, not "exists, then read": one request on an object store
        data = read_bytes(path)
    except (FileNotFoundError, IsADirectoryError):
        return None, MISSING_FILE, rel
    code, err = as_text(data)
    if err is not None:
        return None, err, rel
    if not code.strip():
        return None, EMPTY_FILE, rel
    return source_sample(
        sample_id=stable_hex(SOURCE, problem_id, submission_id), source=SOURCE, kind="submission",
        language=language, code=code, instruction=instruction, problem_id=problem_id,
        submission_id=submission_id, user_id=user_id, repo=SOURCE, path=rel, license=LICENSE,
        timestamp=timestamp, split=split), None, None


def _code_path(root: Location, problem_id: str, row: dict) -> Location:
    folder = join(root, "data", problem_id, (row.get("language") or "").strip())
    sid, ext = row["submission_id"].strip(), (row.get("filename_ext") or "").strip().lstrip(".")
    if ext:
        return join(folder, f"{sid}.{ext}")
    found = [n for n, _ in list_dir(folder) if n.startswith(f"{sid}.")] if is_dir(folder) else []
    return join(folder, found[0] if found else sid)


def _row_language(row: dict) -> str:
    """``original_language`` when it names a language we know or rules out (Python 2), else ``language``."""
    original, language = (row.get("original_language") or "").strip(), (row.get("language") or "").strip()
    if original and (resolve_language(original) or re.match(r"(?i)(python|pypy)\s*(2|\(2)", original)):
        return original
    return language


def iter_problem_submissions(root: Location, problem_id: str, bench_fraction: float = DEFAULT_BENCH_FRACTION,
                             problem_list: dict[str, dict] | None = None
                             ) -> Iterator[tuple[str, dict | None, str | None, str | None]]:
    """(locator, sample, drop reason, detail) for every submission of one problem.

    Locators: ``<problem_id>:<submission_id>``, or ``metadata/<problem_id>.csv:<line>`` for
    a metadata row without a submission id."""
    root = as_location(root)
    info = (problem_list if problem_list is not None else read_problem_list(root)).get(problem_id, {})
    instruction = problem_instruction(root, problem_id, (info.get("name") or "").strip() or None)
    split = problem_split(problem_id, bench_fraction)
    claimed: set[Location] = set()
    meta_path = join(root, "metadata", f"{problem_id}.csv")
    rows = _read_csv(meta_path) if is_file(meta_path) else []
    for line, row in enumerate(rows, 2):  # line 1 is the header
        sid = (row.get("submission_id") or "").strip()
        if not sid:
            yield f"metadata/{problem_id}.csv:{line}", None, MISSING_FIELD, "submission_id"
            continue
        locator = f"{problem_id}:{sid}"
        if (row.get("problem_id") or problem_id).strip() != problem_id:
            yield locator, None, INVALID_VALUE, f"problem_id {row['problem_id']!r} in metadata/{problem_id}.csv"
            continue
        if not (row.get("language") or "").strip():
            yield locator, None, MISSING_FIELD, "language"
            continue
        path = _code_path(root, problem_id, row)
        claimed.add(path)
        try:
            timestamp = as_timestamp(row["date"]) if (row.get("date") or "").strip() else None
        except ValueError:
            timestamp = None  # a bad date is metadata noise, not a reason to lose the program
        sample, reason, detail = read_submission_file(path, root, problem_id, sid, _row_language(row), split,
                                                      instruction, (row.get("user_id") or "").strip() or None,
                                                      timestamp)
        yield locator, sample, reason, detail
    for language_name, name in _code_files(join(root, "data", problem_id)):
        path = join(root, "data", problem_id, language_name, name)
        if path in claimed:
            continue
        sid = name.rsplit(".", 1)[0]
        sample, reason, detail = read_submission_file(path, root, problem_id, sid, language_name, split,
                                                      instruction)
        yield f"{problem_id}:{sid}", sample, reason, detail


def _code_files(data: Location) -> list[tuple[str, str]]:
    """(language folder, file name) of every code file under ``data/<problem_id>``, in path order."""
    if not is_dir(data):
        return []
    return [(lang, name) for lang, folder in list_dir(data) if folder
            for name, sub in list_dir(join(data, lang)) if not sub]


# --------------------------------------------------------------------------- tests

def _problem_tests(root: Location, problem_id: str) -> list[tuple[str, str, str]]:
    tests = []
    stdin, expected = (join(root, "derived", "input_output", "data", problem_id, n) for n in ("input.txt", "output.txt"))
    if is_file(stdin) and is_file(expected):
        tests.append(("input", read_text(stdin), read_text(expected)))
    simple = join(root, "tests", problem_id)
    if is_dir(simple):
        names = {n for n, folder in list_dir(simple) if not folder}
        for name in sorted(n for n in names if n.endswith(".in")):
            stem = name[:-len(".in")]
            if f"{stem}.out" in names:
                tests.append((stem, read_text(join(simple, name)), read_text(join(simple, f"{stem}.out"))))
    return tests


def _limit(value: str | None, scale: float, default: float) -> float:
    try:
        return float(value) / scale if value and float(value) > 0 else default
    except ValueError:
        return default


def problem_test_entry(root: Location, problem_id: str, problem_list: dict[str, dict]) -> dict | None:
    """One problem's execute-stage entry {tests: [(name, stdin, expected)], time_limit_s,
    memory_limit_mb}; None when it has no tests, or tests that are not UTF-8 (the execute stage
    then drops its submissions as ``no_tests``). ``problem_list``: ``read_problem_list(root)``."""
    try:
        tests = _problem_tests(root, problem_id)
    except UnicodeDecodeError:
        return None
    if not tests:
        return None
    info = problem_list.get(problem_id, {})
    return {"tests": tests,
            "time_limit_s": _limit(info.get("time_limit"), 1000.0, DEFAULT_TIME_LIMIT_S),
            "memory_limit_mb": round(_limit(info.get("memory_limit"), 1024.0, DEFAULT_MEMORY_LIMIT_MB))}


def load_codenet_tests(root: Location) -> dict[str, dict]:
    """problem id -> ``problem_test_entry`` for every problem with tests, like
    ``transforms.read.problems.load_tests`` (a whole table in memory: for tests and small local sets;
    the pipeline reads entries on its workers, ``transforms.read.problem_tests``)."""
    root = as_location(root)
    problem_list = read_problem_list(root)
    table = {}
    for pid in problem_ids(root):
        entry = problem_test_entry(root, pid, problem_list)
        if entry is not None:
            table[pid] = entry
    return table


# --------------------------------------------------------------------------- Beam

UNREADABLE_PROBLEM = "unreadable_problem"


class _ReadProblem(beam.DoFn):
    def __init__(self, root: str, bench_fraction: float):
        self.root, self.bench_fraction = root, bench_fraction
        self._problem_list = None

    def setup(self):
        self._problem_list = read_problem_list(self.root)

    def process(self, problem_id: str):
        try:
            items = list(iter_problem_submissions(self.root, problem_id, self.bench_fraction, self._problem_list))
        except Exception as e:  # unreadable metadata or statement: one dead input for the problem
            count(STAGE, "inputs")
            yield input_dead(UNREADABLE_PROBLEM, problem_id, repr(e), SOURCE)
            return
        for locator, sample, reason, detail in items:
            yield emit(locator, (sample, reason, detail), SOURCE)


class ReadCodeNet(beam.PTransform):
    """A CodeNet-layout folder -> submission samples, split per problem (one problem per work item)."""

    def __init__(self, root: str, bench_fraction: float = DEFAULT_BENCH_FRACTION):
        super().__init__()
        if not 0.0 <= bench_fraction <= 1.0:
            raise ValueError(f"bench_fraction must lie in [0, 1], not {bench_fraction}")
        self.root, self.bench_fraction = str(root), bench_fraction

    def expand(self, pbegin):
        # Problem ids are listed on a worker: the graph holds the root, not thousands of ids.
        out = (pbegin | "Root" >> beam.Create([self.root]) | "Problems" >> beam.FlatMap(problem_ids)
               | "Spread" >> beam.Reshuffle()
               | "ReadSubmissions" >> beam.ParDo(_ReadProblem(self.root, self.bench_fraction))
               .with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
