"""Criterion term lists: which criteria a commit message points to, and where it says so.

Each criterion has ``terms/<criterion_id>.txt`` next to this module, one entry a line
(``#`` starts a comment line):

* ``phrase``       a term. Matched case-insensitively on word boundaries, so ``slow``
  does not match ``slowly`` and ``o(n)`` does not match ``foo(n)``. A trailing ``*``
  makes it a prefix (``memoiz*`` matches memoize, memoization). Whitespace in a phrase
  matches any run of whitespace; ``...`` stands for up to three words
  (``increase ... buffer`` matches "increase the parser buffer").
* ``not phrase``   a negative context: a term occurrence that lies inside an occurrence
  of the phrase does not count (``not cpu/memory usage`` stops ``memory usage``).
* ``~ phrase``     a weak term: only a claim with an improvement word in its clause
  (``terms/improvement_words.txt``, or the criterion's own ``terms/<id>_claim_words.txt``
  where it has one): "improve the time complexity" counts, "the time complexity of every
  algorithm" does not; "replace strcpy with strncpy" claims security, "optimize format
  string parsing" does not.
* ``veto phrase``  the message does not claim the criterion at all when the phrase
  occurs (``veto increase the buffer`` for memory efficiency: a bigger buffer is
  not a memory improvement).

Matching runs on the message with quoted code and file names blanked out first
(``Update Binary Search.cpp``, ``src/util/cache.c``, backtick spans, URLs, markdown
check-list lines of pull-request templates, trailers such as ``Signed-off-by:``), so a
term is never found in a path. Blanking keeps offsets, so a match's span indexes the
original message. Terms count in the subject and the first body paragraph (only its first
item when it is a list: a squash merge lists intermediate commits after it); for a subject
that announces new code ("feat: add BFS", "Add Dijkstra") only the subject counts (``terms/feature_subjects.txt``); a term that the message says is
not affected ("no change in time complexity") does not count (``terms/no_effect.txt``): the body of a squash merge lists
intermediate commits. ``matches_outside_path`` then drops terms that are only the changed
file's own name (``binary search`` in ``searches/binary_search.py``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from schemas.criteria import CRITERION_IDS

TERMS_DIR = Path(__file__).with_name("terms")


@dataclass(frozen=True)
class TermList:
    terms: tuple[str, ...]
    negatives: tuple[str, ...] = ()
    vetoes: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()  # terms (also in ``terms``) that need a claim word in their clause (improvement_words)


@dataclass(frozen=True)
class TermMatch:
    """One term occurrence: ``message[start:end]`` is the matched text."""
    criterion: str
    term: str
    start: int
    end: int


def parse_terms(text: str) -> tuple[str, ...]:
    """Terms from a term-list text: stripped, lowercased, no blanks, comments or context lines, first kept."""
    return parse_term_list(text).terms


def parse_term_list(text: str) -> TermList:
    """A term-list text -> its terms, negative contexts and vetoes (each lowercased, first occurrence kept)."""
    found: dict[str, dict[str, None]] = {"": {}, "not": {}, "veto": {}, "~": {}}
    for line in text.splitlines():
        entry = re.sub(r"\s+", " ", line.strip().lower())
        if not entry or entry.startswith("#"):
            continue
        kind, _, rest = entry.partition(" ")
        if kind in ("not", "veto", "~") and rest:
            found[kind].setdefault(rest, None)
            if kind == "~":
                found[""].setdefault(rest, None)
        else:
            found[""].setdefault(entry, None)
    return TermList(tuple(found[""]), tuple(found["not"]), tuple(found["veto"]), tuple(found["~"]))


@cache
def term_lists() -> dict[str, TermList]:
    """Every criterion's term list, in criterion table order."""
    return {cid: parse_term_list((TERMS_DIR / f"{cid}.txt").read_text("utf-8")) for cid in CRITERION_IDS}


def criterion_terms() -> dict[str, tuple[str, ...]]:
    """The terms of every criterion, in criterion table order."""
    return {cid: tl.terms for cid, tl in term_lists().items()}


@cache
def phrase_pattern(phrase: str) -> re.Pattern:
    """Word-bounded, case-insensitive regex of a phrase (``*`` at the end: a prefix)."""
    prefix = phrase.endswith("*")
    core = phrase[:-1] if prefix else phrase
    # "..." is up to three words of the same clause: none of them ends a clause (",;:.!?").
    parts = [r"(?:\S*[^\s,;:.!?]\s+){0,3}?" if part == "..." else re.escape(part) + r"\s+" for part in core.split(" ")]
    body = "".join(parts)
    body = body[:-len(r"\s+")] if body.endswith(r"\s+") else body
    head = r"(?<![\w])" if re.match(r"\w", core) else ""
    tail = r"\w*" if prefix else (r"(?![\w])" if re.search(r"\w$", core) else "")
    return re.compile(head + body + tail, re.IGNORECASE)


# Text a reader does not take as the author's claim: it is blanked before matching.
_EXT = (r"c|h|cc|cpp|cxx|hpp|hh|hxx|cs|go|java|js|mjs|cjs|jsx|ts|tsx|py|pyi|rb|rs|kt|swift|php|m|scala|sh|md|txt|"
        r"rst|json|ya?ml|toml|cfg|ini|xml|html?|css|lock|gradle|ipynb|csv|in|am|cmake|mk|bat|ps1")
_BLANKED = re.compile(
    r"`[^`\n]*`"                                                  # quoted code
    r"|https?://\S+"                                              # links
    r"|(?im:^[ \t]*[-*+][ \t]*\[[ xX]?\].*$)"                     # check-list lines of PR templates
    r"|(?im:^[ \t]*[\w-]+-by:.*$)"                                # Signed-off-by:, Co-authored-by: ...
    r"|<!--.*?-->"                                                # HTML comments of PR templates
    r"|(?<![\w/.-])[\w./\\-]*\.(?:" + _EXT + r")(?![\w])"          # file names (Search.cpp, src/a.py)
    r"|(?<![\w/.-])(?:\.{0,2}/)?[\w.-]+(?:/[\w.-]+){2,}/?",       # paths with two or more slashes
    re.IGNORECASE | re.DOTALL)


def blank_quoted(message: str) -> str:
    """The message with quoted code, file names, paths, links and template lines replaced by spaces."""
    return _BLANKED.sub(lambda m: re.sub(r"\S", " ", m.group(0)), message)


def _spans(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for p in phrases for m in phrase_pattern(p).finditer(text)]


@cache
def feature_subject() -> re.Pattern:
    """A subject announcing new code (``terms/feature_subjects.txt``): only its own terms count."""
    words = parse_terms((TERMS_DIR / "feature_subjects.txt").read_text("utf-8"))
    return re.compile(r"^\s*(?:\[[^\]]*\]\s*)?(?:(?:" + "|".join(map(re.escape, words)) + r")\b)", re.IGNORECASE)


def subject_end(message: str) -> int:
    """Where the part of the message whose terms count ends: the subject line for a subject that
    announces new code; else the subject and the first body paragraph, of which only the first
    item when it is a list (a squash merge lists the pull request's commits, the first being its
    own subject; later items, PR templates and descriptions are the work in progress, not claims
    about the change)."""
    end = message.find("\n")
    if end < 0:
        return len(message)
    if feature_subject().match(message):
        return end
    body = re.match(r"\n(?:[ \t]*\n)+", message[end:])
    if body is None:  # the subject runs on over several lines: take that paragraph
        para = re.search(r"\n[ \t]*\n", message[end:])
        return len(message) if para is None else end + para.start()
    start = end + body.end()
    para = re.search(r"\n[ \t]*\n|\n(?=[ \t]*(?:->|[-*+\u2022]|\d+[.)])\s)", message[start:])  # bullets: - * + -> \u2022 1. 1)
    return len(message) if para is None else start + para.start()


@cache
def no_effect_phrases() -> tuple[re.Pattern, re.Pattern]:
    """(before, after) patterns of ``terms/no_effect.txt``: wording that says a change leaves
    what the term names alone."""
    before, after = [], []
    for entry in parse_terms((TERMS_DIR / "no_effect.txt").read_text("utf-8")):
        kind, _, rest = entry.partition(" ")
        (after if kind == "after" and rest else before).append(phrase_pattern(rest if kind == "after" else entry).pattern)
    return re.compile("|".join(before), re.IGNORECASE), re.compile("|".join(after), re.IGNORECASE)


def _no_effect(text: str, m: re.Match) -> bool:
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end < 0 else line_end
    before, after = no_effect_phrases()
    # Only the term's own clause: "Speed up x; memory use unchanged" still claims a speed-up.
    ahead = re.split(r"[;,.:!?]", text[max(line_start, m.start() - 80):m.start()])[-1]
    behind = re.split(r"[;,.:!?]", text[m.end():min(line_end, m.end() + 40)])[0]
    return bool(before.search(ahead) or after.search(behind))


@cache
def improvement_words(criterion: str | None = None) -> re.Pattern:
    """The words that make a criterion's weak term a claim, as one pattern: the criterion's
    ``terms/<id>_claim_words.txt`` when there is one, else ``terms/improvement_words.txt``."""
    own = TERMS_DIR / f"{criterion}_claim_words.txt"
    path = own if criterion is not None and own.exists() else TERMS_DIR / "improvement_words.txt"
    words = parse_terms(path.read_text("utf-8"))
    return re.compile("|".join(phrase_pattern(w).pattern for w in words), re.IGNORECASE)


def _clause(text: str, m: re.Match) -> str:
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start:len(text) if line_end < 0 else line_end]
    start, end = m.start() - line_start, m.end() - line_start
    left = re.split(r"[;.:!?]\s", line[:start])[-1]
    right = re.split(r"[;.:!?](?:\s|$)", line[end:])[0]
    return left + " " + right


def _claimed(text: str, m: re.Match, criterion: str) -> bool:
    """A weak term is a claim when one of its criterion's claim words shares its clause."""
    return bool(improvement_words(criterion).search(_clause(text, m)))


def find_matches(message: str, lists: dict[str, TermList] | None = None) -> list[TermMatch]:
    """Every counted term occurrence, by criterion table order then position in the message."""
    text = blank_quoted(message)
    text = text[:subject_end(message)] + " " * (len(text) - subject_end(message))
    table = term_lists() if lists is None else lists
    out = []
    for cid, tl in table.items():
        if tl.vetoes and _spans(text, tl.vetoes):
            continue
        negative = _spans(text, tl.negatives)
        found = []
        for term in tl.terms:
            for m in phrase_pattern(term).finditer(text):
                if any(s <= m.start() and m.end() <= e for s, e in negative) or _no_effect(text, m):
                    continue
                if term not in tl.weak or _claimed(text, m, cid):
                    found.append(TermMatch(cid, term, m.start(), m.end()))
        out += sorted(found, key=lambda t: (t.start, -t.end, t.term))
    return out


def _path_words(path: str) -> str:
    """A path as lowercase words: ``src/BinarySearch_tree.py`` -> `` src binary search tree py ``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", path)
    return " " + " ".join(re.findall(r"[a-z0-9]+", spaced.lower())) + " "


def matches_outside_path(matches: list[TermMatch], message: str, path: str) -> list[TermMatch]:
    """Matches that are not just the changed file's own name (the algorithm a file is named after
    is not a claim about the change: ``binary search`` in a commit to ``binary_search.py``)."""
    words = _path_words(path)
    kept = []
    for m in matches:
        said = " " + " ".join(re.findall(r"[a-z0-9]+", message[m.start:m.end].lower())) + " "
        if said.strip() and said in words:
            continue
        kept.append(m)
    return kept


def criteria_of(matches: list[TermMatch]) -> list[str]:
    """Criteria with at least one match, in criterion table order."""
    seen = {m.criterion for m in matches}
    return [cid for cid in CRITERION_IDS if cid in seen]


def first_match(matches: list[TermMatch], criterion: str) -> TermMatch | None:
    """The criterion's earliest match (longest at a tie): the one recorded on a pair."""
    return next((m for m in matches if m.criterion == criterion), None)


def matching_terms(message: str, lists: dict[str, TermList] | None = None) -> dict[str, list[str]]:
    """For each criterion with a hit, the distinct terms found (for explaining a match)."""
    out: dict[str, list[str]] = {}
    for m in find_matches(message, lists):
        if m.term not in out.setdefault(m.criterion, []):
            out[m.criterion].append(m.term)
    return out


def match_criteria(message: str, lists: dict[str, TermList] | None = None) -> list[str]:
    """Criterion ids whose terms occur in the message, in criterion table order."""
    return criteria_of(find_matches(message, lists))
