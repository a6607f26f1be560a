"""Length statistics of the shards' text columns, for the dataset card (no tokenizer needed).

Counts are lexical tokens: words (``\\w+``) and single punctuation marks, the units a code
tokenizer cannot merge across. Model tokenizers give more (WordPiece and BPE split long
words and identifiers); docs/training.md gives the measured ratio for the MiniLM demo.
"""
from __future__ import annotations

import re
from collections import Counter

LEXICAL = re.compile(r"\w+|[^\w\s]")
COLUMNS = ("system", "input", "chosen", "rejected")


def lexical_tokens(text: str | None) -> int:
    return len(LEXICAL.findall(text)) if text else 0


def percentiles(values) -> dict[str, int]:
    """p50, p90 and max (nearest rank), {} for no values."""
    return histogram_percentiles(Counter(values))


def histogram_percentiles(hist: Counter) -> dict[str, int]:
    """``percentiles`` from a histogram {value: count}: bounded by the distinct values, so a
    streamed manifest keeps no per-pair list."""
    n = sum(hist.values())
    if not n:
        return {}
    ranks = {"p50": (n - 1) // 2, "p90": min(n - 1, -(-9 * n // 10) - 1)}
    out, seen = {}, 0
    for value in sorted(hist):
        seen += hist[value]
        for name, rank in ranks.items():
            if name not in out and rank < seen:
                out[name] = value
    return {"p50": out["p50"], "p90": out["p90"], "max": max(hist)}


class LengthTally:
    """Per-column length histograms folded one row at a time (``token_stats`` of a stream)."""

    def __init__(self):
        self.hist = {c: Counter() for c in (*COLUMNS, "prompt")}

    def add(self, row: dict) -> None:
        lengths = {c: lexical_tokens(row.get(c)) for c in COLUMNS}
        for c, n in lengths.items():
            self.hist[c][n] += 1
        self.hist["prompt"][lengths["system"] + lengths["input"]] += 1

    def result(self) -> dict[str, dict[str, int]]:
        return {c: histogram_percentiles(h) for c, h in self.hist.items()}


def token_stats(rows) -> dict[str, dict[str, int]]:
    """{column: {p50, p90, max}} over the rows, plus ``prompt`` = system + input per row."""
    tally = LengthTally()
    for r in rows:
        tally.add(r)
    return tally.result()


def card_lines(splits: dict) -> list[str]:
    """The card's length table (one row per split and column)."""
    lines = ["| split | text | p50 | p90 | max |", "|---|---|---|---|---|"]
    for split, info in splits.items():
        for column, st in info.get("token_stats", {}).items():
            if st:
                lines.append(f"| {split} | {column} | {st['p50']} | {st['p90']} | {st['max']} |")
    return lines
