"""Criterion term lists: which criteria a commit message points to.

Each criterion has ``terms/<criterion_id>.txt`` next to this module: one term per
line, ``#`` starts a comment line. A message matches a criterion when any of its
terms occurs in the lowercased message (substring match), so one message can point
to several criteria (multi-label).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from schemas.criteria import CRITERION_IDS

TERMS_DIR = Path(__file__).with_name("terms")


def parse_terms(text: str) -> tuple[str, ...]:
    """Terms from a term-list text: stripped, lowercased, no blanks or comments, first occurrence kept."""
    seen: dict[str, None] = {}
    for line in text.splitlines():
        term = line.strip().lower()
        if term and not term.startswith("#"):
            seen.setdefault(term, None)
    return tuple(seen)


@cache
def criterion_terms() -> dict[str, tuple[str, ...]]:
    """The term list of every criterion, in criterion table order."""
    return {cid: parse_terms((TERMS_DIR / f"{cid}.txt").read_text("utf-8")) for cid in CRITERION_IDS}


def matching_terms(message: str, terms: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """For each criterion with a hit, the terms found in the message (for explaining a match)."""
    lowered = message.lower()
    table = criterion_terms() if terms is None else terms
    hits = {cid: [t for t in ts if t in lowered] for cid, ts in table.items()}
    return {cid: found for cid, found in hits.items() if found}


def match_criteria(message: str, terms: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Criterion ids whose terms occur in the message, in criterion table order."""
    lowered = message.lower()
    table = criterion_terms() if terms is None else terms
    return [cid for cid, ts in table.items() if any(t in lowered for t in ts)]
