"""Length statistics of the shards' text columns, for the dataset card (no tokenizer needed).

Counts are lexical tokens: words (``\\w+``) and single punctuation marks, the units a code
tokenizer cannot merge across. Model tokenizers give more (WordPiece and BPE split long
words and identifiers); docs/training.md gives the measured ratio for the MiniLM demo.
"""
from __future__ import annotations

import re

LEXICAL = re.compile(r"\w+|[^\w\s]")
COLUMNS = ("system", "input", "chosen", "rejected")


def lexical_tokens(text: str | None) -> int:
    return len(LEXICAL.findall(text)) if text else 0


def percentiles(values: list[int]) -> dict[str, int]:
    """p50, p90 and max (nearest rank), {} for no values."""
    if not values:
        return {}
    v = sorted(values)
    return {"p50": v[(len(v) - 1) // 2], "p90": v[min(len(v) - 1, -(-9 * len(v) // 10) - 1)], "max": v[-1]}


def token_stats(rows: list[dict]) -> dict[str, dict[str, int]]:
    """{column: {p50, p90, max}} over the rows, plus ``prompt`` = system + input per row."""
    out = {c: percentiles([lexical_tokens(r.get(c)) for r in rows]) for c in COLUMNS}
    out["prompt"] = percentiles([lexical_tokens(r.get("system")) + lexical_tokens(r.get("input")) for r in rows])
    return out


def card_lines(splits: dict) -> list[str]:
    """The card's length table (one row per split and column)."""
    lines = ["| split | text | p50 | p90 | max |", "|---|---|---|---|---|"]
    for split, info in splits.items():
        for column, st in info.get("token_stats", {}).items():
            if st:
                lines.append(f"| {split} | {column} | {st['p50']} | {st['p90']} | {st['max']} |")
    return lines
