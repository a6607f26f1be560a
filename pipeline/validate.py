"""Input checks run before any pipeline is built (pure; ``pipeline.run`` calls them).

Each problem is one line naming the option, the value given and the form expected, as the
stage configs do for settings (``--train_end: '2019-13-01' is not a date of the form
YYYY-MM-DD (month must be in 1..12)``); ``pipeline.run`` prints them and exits with status 2
(a usage error, as argparse does).
Repository inputs are checked too: a local ``--repos`` path that does not exist is an
error here; one that exists but cannot be read as a repository becomes a dead letter
(``unreadable_repository``) in the run, after which ``pipeline.run`` warns and exits 1.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

USAGE_EXIT = 2          # bad options: nothing was run
UNREADABLE_INPUT_EXIT = 1  # the run finished, but an input repository could not be read

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://|^[\w.-]+@[\w.-]+:", re.IGNORECASE)


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
    """Every problem with the input options (``values``: option name -> value). Setting values
    (dates, windows, numbers) are checked where they are parsed, by their stage config."""
    return check_repos(values.get("repos"))


UNREADABLE_COUNTERS = ("read.unreadable_repository", "read.unreadable_problem_set",
                       "read.unreadable_function_problems")


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
