"""Option and input checks run before any pipeline is built (pure; ``pipeline.run`` calls them).

Each problem is one line naming the option, the value given and the form expected, e.g.
``--train_end: '2019-13-01' is not a date of the form YYYY-MM-DD (month must be in 1..12)``.
``pipeline.run`` prints them and exits with status 2 (a usage error, as argparse does).
Repository inputs are checked too: a local ``--repos`` path that does not exist is an
error here; one that exists but cannot be read as a repository becomes a dead letter
(``unreadable_repository``) in the run, after which ``pipeline.run`` warns and exits 1.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

USAGE_EXIT = 2          # bad options: nothing was run
UNREADABLE_INPUT_EXIT = 1  # the run finished, but an input repository could not be read

DATE_OPTIONS = ("train_end", "bench_start", "bench_end")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://|^[\w.-]+@[\w.-]+:", re.IGNORECASE)


def parse_date(option: str, value: Any) -> tuple[date | None, str | None]:
    """(date, None) or (None, the one-line problem naming ``--option``)."""
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None, f"--{option}: {value!r} is not a date of the form YYYY-MM-DD"
    try:
        return date.fromisoformat(text), None
    except ValueError as e:
        return None, f"--{option}: {value!r} is not a date of the form YYYY-MM-DD ({e})"


def check_windows(values: dict[str, Any]) -> tuple[dict[str, date], list[str]]:
    """Parsed split dates and the problems with them: each a valid date, and
    ``train_end`` < ``bench_start`` <= ``bench_end`` (the windows are ordered and disjoint)."""
    parsed, problems = {}, []
    for option in DATE_OPTIONS:
        day, problem = parse_date(option, values.get(option))
        if problem:
            problems.append(problem)
        else:
            parsed[option] = day
    if len(parsed) == len(DATE_OPTIONS):
        if parsed["bench_end"] < parsed["bench_start"]:
            problems.append(f"--bench_end: {parsed['bench_end']} is before --bench_start {parsed['bench_start']}; "
                            "the bench window must run forwards")
        if parsed["bench_start"] <= parsed["train_end"]:
            problems.append(f"--bench_start: {parsed['bench_start']} is not after --train_end {parsed['train_end']}; "
                            "the bench window must start after the training window ends")
    return parsed, problems


def is_local_path(repo: str) -> bool:
    """A repository given as a local path (not a URL, ``user@host:`` or fsspec URI)."""
    return not _URL.match(repo)


def check_repos(repos: list[str] | None) -> list[str]:
    """Problems with ``--repos`` values: a local path that does not exist."""
    problems = []
    for repo in repos or []:
        if not str(repo).strip():
            problems.append("--repos: an empty value is not a repository path, bundle or URL")
        elif is_local_path(repo) and not Path(repo).expanduser().exists():
            problems.append(f"--repos: {repo!r} does not exist (expected a git working tree, bare repository, "
                            f".bundle file or URL)")
    return problems


def check_options(values: dict[str, Any]) -> list[str]:
    """Every problem with the options (``values``: option name -> value), in option order."""
    _, problems = check_windows(values)
    problems += check_repos(values.get("repos"))
    return problems


UNREADABLE_COUNTERS = ("read.unreadable_repository", "read.unreadable_problem_set")


def unreadable_inputs(counters: dict[str, int]) -> int:
    """Inputs (repositories, problem sets) the read stage could not open, from the run's counters."""
    return sum(counters.get(k, 0) for k in UNREADABLE_COUNTERS)


def check_or_exit(values: dict[str, Any]) -> None:
    """Print every option problem to stderr and exit with status 2 when there is one."""
    import sys
    problems = check_options(values)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        raise SystemExit(USAGE_EXIT)
