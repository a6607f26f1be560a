"""The one chain every single-file commit change goes through, whichever source read it (Beam-free).

Git commits (``git``), commit-export rows (``commit_export``) and Hugging Face commit rows
(``hf_dataset``) each describe their change as a ``Change`` and call ``filter_change``, so a
change is kept or dropped for the same reason, with the same detail, from every source.
The steps, cheapest first (each reads only what it needs, so git opens no blob of a commit
whose message already fails):

1. message   low-signal, too short/long, no criterion term (``filters.message_matches``);
             a source without messages (an HF dataset that maps none) skips it
2. locate    the source's own shape checks (git: merge and multi-file commits, renames;
             exports: old and new path differ), which name the changed file
3. path      vendored folders, generated file names (``filters.check_path``)
4. size      ``oversized_file`` above ``MiningConfig.max_file_bytes``
5. binary    a NUL byte in the first 8000 bytes of either side (git's own heuristic)
6. language  the path's extension (or the source's language column)
7. text      the path and both sides must be UTF-8 (``undecodable``); then a header that C
             and C++ share (``.h``) is C++ when the C++ grammar parses its new side
             clearly better (``language_check.settle``)
8. content   generated-code headers, terms only in the file name, harness files,
             whitespace- or comment-only changes (``filters.check_change``)
9. licence   the source's licence (git: the tree's licence files; rows: their licence
             column), else an allowed ``SPDX-License-Identifier`` header of the file

``filter_change`` returns ``(Kept, None, None)`` or ``(None, reason, detail)``; the reason is
the dead-letter reason and counter name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from schemas.languages import by_extension
from transforms.mining import filters
from transforms.mining.filters import MiningConfig
from transforms.mining.licenses import spdx_header, spdx_of_expression
from transforms.mining.terms import criteria_of
from transforms.tagging.language_check import settle

# Drop reasons of the chain's own steps (the message, path and content checks name theirs in filters).
OVERSIZED_FILE = "oversized_file"
BINARY_FILE = "binary_file"
UNKNOWN_LANGUAGE = "unknown_language"
UNDECODABLE = "undecodable"
INVALID_VALUE = "invalid_value"
LICENSE_NOT_ALLOWED = "license_not_allowed"

Verdict = tuple[Any, str | None, str | None]  # (kept thing, drop reason, detail)


@dataclass(frozen=True)
class ChangedFile:
    """The one file a change touches, as its source located it; its sides are read only when needed."""
    path: str
    size: Callable[[], int]  # bytes of the larger side
    contents: Callable[[], tuple[Any, Any]]  # (before, after): bytes or str as the source holds them


def _language_of_path(path: str) -> tuple[str | None, str]:
    found = by_extension(path)
    return (found.id, "") if found is not None else (None, path)


@dataclass(frozen=True)
class Change:
    """One single-file commit change as a source describes it to the chain."""
    message: str | None  # None: the source has no message (the message and term checks are skipped)
    locate: Callable[[], Verdict]  # -> (ChangedFile, None, None) or (None, reason, detail)
    licence: Callable[[str], tuple[str | None, str]]  # after text -> (SPDX id or None, detail when not allowed)
    language: Callable[[str], tuple[str | None, str]] = _language_of_path  # path -> (language id, detail)


@dataclass(frozen=True)
class Kept:
    """A change that passed every step: what its sample is made of."""
    path: str
    language: str
    before: str
    after: str
    license: str | None
    criteria: list[str]


def first_line(message: str) -> str:
    """The dead-letter detail of a message check: the subject line, at most 200 characters."""
    return message.strip().split("\n", 1)[0][:200]


def _is_binary(value: Any) -> bool:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return b"\0" in bytes(value[:8000])
    return isinstance(value, str) and "\0" in value[:8000]


def _text(value: Any) -> tuple[str | None, str | None, str]:
    """(text, None, "") for UTF-8 bytes or a str that is valid UTF-8, else (None, reason, why)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8"), None, ""
        except UnicodeDecodeError as e:
            return None, UNDECODABLE, e.reason
    if isinstance(value, str):
        try:
            value.encode("utf-8")  # lone surrogates (JSON "\\ud800", surrogateescape) are not UTF-8
        except UnicodeEncodeError as e:
            return None, UNDECODABLE, e.reason
        return value, None, ""
    return None, INVALID_VALUE, f"contents are a {type(value).__name__}, not text"


def filter_change(change: Change, config: MiningConfig) -> Verdict:
    """Run ``change`` through the chain: (Kept, None, None) or (None, drop reason, detail)."""
    matches: tuple = ()
    if change.message is not None:
        found = filters.message_matches(change.message, config)
        if found.reason is not None:
            return None, found.reason, first_line(change.message)
        matches = found.matches

    located, reason, detail = change.locate()
    if located is None:
        return None, reason, detail
    path = located.path
    bad_path = filters.check_path(path, config)
    if bad_path is not None:
        return None, *bad_path
    size = located.size()
    if size > config.max_file_bytes:
        return None, OVERSIZED_FILE, f"{path}: {size} bytes > {config.max_file_bytes}"
    old, new = located.contents()
    if _is_binary(old) or _is_binary(new):
        return None, BINARY_FILE, path
    language, unknown = change.language(path)
    if language is None:
        return None, UNKNOWN_LANGUAGE, unknown
    try:
        path.encode("utf-8")  # git paths are read with surrogateescape; Arrow strings need real UTF-8
    except UnicodeEncodeError as e:
        return None, UNDECODABLE, f"{path!r}: {e.reason}"
    (before, old_reason, old_why), (after, new_reason, new_why) = _text(old), _text(new)
    if old_reason or new_reason:
        return None, old_reason or new_reason, f"{path!r}: {old_why or new_why}"
    language = settle(language, path, after)

    if change.message is not None:
        matches, reason, detail = filters.check_change(change.message, matches, path, language, before, after, config)
        if reason is not None:
            return None, reason, detail
    else:  # no message: nothing to match terms against, the content checks still hold
        if filters.has_generated_marker(before, config) or filters.has_generated_marker(after, config):
            return None, filters.GENERATED_FILE, f"{path}: generated-code header"
        kind = filters.change_kind(before, after, language)
        if kind is not None:
            return None, kind, f"{path}: the tree-sitter code tokens are unchanged"

    spdx, why_not = change.licence(after)
    if spdx not in config.license_allowlist:
        return None, LICENSE_NOT_ALLOWED, why_not
    return Kept(path, language, before, after, spdx, criteria_of(list(matches))), None, None


# --------------------------------------------------------------------------- licences of rows

def normalize_license(value: Any, allowlist: frozenset[str]) -> str | None:
    """The allowlist's spelling of a licence id (exports write ``mit``, ``apache-2.0``), else the value."""
    if not isinstance(value, str) or not value.strip():
        return None
    spelling = {spdx.lower(): spdx for spdx in allowlist}
    return spelling.get(value.strip().lower(), value.strip())


def column_licence(value: Any, after: str, allowlist: frozenset[str], column: str) -> tuple[str | None, str]:
    """The licence of a row-shaped change: its licence column when that holds an allowed id, else
    an allowed ``SPDX-License-Identifier`` header in the file. The detail names ``column``."""
    spdx = normalize_license(value, allowlist)
    if spdx in allowlist:
        return spdx, ""
    header = spdx_header(after)
    from_header = spdx_of_expression(header, allowlist) if header else None
    if from_header in allowlist:
        return from_header, ""
    return spdx, (f"{spdx} is not an allowed licence ({column})" if spdx else f"no licence in the {column}")
