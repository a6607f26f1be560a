"""Shortcut rules (Beam-free): how well a trivial rule predicts which side of a pair was chosen.

A reward model trained on pairs where the longer program usually wins learns to count
characters. The audit measures, per criterion x language x split, the accuracy of these rules:

- ``longer``: the side with more characters wins;
- ``more_lines``: the side with more non-blank lines wins;
- ``more_comments``: the side with more comment lines (tree-sitter comment rows) wins;
- ``more_identifiers``: the side with more distinct identifiers wins;
- ``newer``: for commit pairs only, the side after the commit wins.

Accuracy is (agree + tie / 2) / n: a tie is a coin flip, so it counts half (ties are also
reported on their own). 50% means the rule carries no signal; far from 50% either way is a
shortcut (below 50% the opposite rule works as well).

``newer`` is 100% by construction (a commit pair is kept only when the commit improved the
criterion) and nothing in a pair's text says which side is newer, so it is reported but not
balanced (``BALANCED_RULES``); selection cannot move it anyway.

``ShortcutTally`` is an accumulator (``add`` one pair, ``merge`` another tally, ``result``) so
the audit folds over pairs as they stream, and ``balance`` is the selection the pair stage
uses to keep the balanced rules near 50%.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

# Rules in report order; the first four compare a feature of the two sides' code.
FEATURE_RULES = {"longer": "chars", "more_lines": "lines", "more_comments": "comment_lines",
                 "more_identifiers": "identifiers"}
RULES = (*FEATURE_RULES, "newer")
BALANCED_RULES = tuple(FEATURE_RULES)
ALL = "all"  # the language key of a criterion x split summed over languages
OUTCOMES = ("agree", "disagree", "tie")
SPLIT_ORDER = {"train": 0, "bench": 1}


@dataclass(frozen=True)
class Features:
    chars: int
    lines: int
    comment_lines: int
    identifiers: int


def features(code: str, language_id: str) -> Features:
    """The compared features of one side: characters, non-blank lines, comment lines and
    distinct identifiers (tree-sitter, as the tagger counts them). A language without a
    grammar gets 0 comment lines and identifiers (every pair of it ties on those rules)."""
    lines = [line for line in code.split("\n") if line.strip()]
    try:
        from transforms.tagging import metrics, parsers
        tree = parsers.parse(code.encode("utf-8"), language_id)
        walk = metrics.walk(tree, language_id)
    except (KeyError, ImportError, AttributeError):
        return Features(len(code), len(lines), 0, 0)
    non_blank = {i for i, line in enumerate(code.split("\n")) if line.strip()}
    return Features(len(code), len(lines), len(non_blank & walk.comment_rows),
                    len({i for i in walk.identifiers if i}))


def _sign(x: int, y: int) -> int:
    return (x > y) - (x < y)


def newer_sign(pair: dict) -> int | None:
    """+1 when the chosen side is the commit's new side, -1 when it is the old one, None for
    pairs that are not old-vs-new (submissions)."""
    chosen = pair.get("chosen_id") or ""
    if chosen.endswith(":after"):
        return 1
    if chosen.endswith(":before"):
        return -1
    return None


def signs(chosen: Features, rejected: Features) -> dict[str, int]:
    """rule -> +1 (the rule picks the chosen side), -1 (it picks the rejected side), 0 (tie),
    for the feature rules."""
    return {rule: _sign(getattr(chosen, f), getattr(rejected, f)) for rule, f in FEATURE_RULES.items()}


def pair_signs(pair: dict) -> dict[str, int | None]:
    """Every rule's sign for a written or candidate pair (``chosen``/``rejected`` code,
    ``language_id``, ``chosen_id``); ``newer`` is None for submission pairs."""
    lang = pair["language_id"]
    out: dict[str, int | None] = signs(features(pair["chosen"], lang), features(pair["rejected"], lang))
    out["newer"] = newer_sign(pair)
    return out


def cell(agree: int, disagree: int, tie: int) -> dict:
    """One audited cell: counts and accuracy with ties counted half (None when empty)."""
    n = agree + disagree + tie
    return {"n": n, "agree": agree, "disagree": disagree, "tie": tie,
            "accuracy": round((agree + tie / 2) / n, 4) if n else None}


class ShortcutTally:
    """Accumulates rule outcomes per (criterion, split, language, rule); foldable while streaming."""

    def __init__(self):
        self.counts: Counter = Counter()  # (criterion, split, language, rule, outcome) -> n

    def add_signs(self, criterion: str, split: str, language: str, rule_signs: dict[str, int | None]) -> None:
        for rule, s in rule_signs.items():
            if s is not None:
                self.counts[(criterion, split, language, rule, OUTCOMES[0] if s > 0 else OUTCOMES[1] if s < 0
                             else OUTCOMES[2])] += 1

    def add(self, pair: dict) -> "ShortcutTally":
        """Add one pair (``criterion``, ``split``, ``language_id``, both sides' code)."""
        self.add_signs(pair["criterion"], pair["split"], pair["language_id"], pair_signs(pair))
        return self

    def merge(self, other: "ShortcutTally") -> "ShortcutTally":
        self.counts.update(other.counts)
        return self

    def result(self) -> dict:
        """{criterion: {split: {language or "all": {rule: cell}}}}, sorted; "all" sums languages."""
        grouped: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(Counter))))
        for (criterion, split, language, rule, outcome), n in self.counts.items():
            for lang in (ALL, language):
                grouped[criterion][split][lang][rule][outcome] += n
        return {c: {s: {lang: {rule: cell(*(by_rule[rule][o] for o in OUTCOMES))
                               for rule in RULES if rule in by_rule}
                        for lang, by_rule in sorted(langs.items(), key=lambda kv: (kv[0] != ALL, kv[0]))}
                    for s, langs in sorted(splits.items(), key=lambda kv: (SPLIT_ORDER.get(kv[0], 2), kv[0]))}
                for c, splits in sorted(grouped.items())}


def audit(pairs: Iterable[dict]) -> dict:
    """The shortcut table of ``pairs`` (``ShortcutTally.result``)."""
    tally = ShortcutTally()
    for p in pairs:
        tally.add(p)
    return tally.result()


def out_of_band(table: dict, low: float = 0.35, high: float = 0.65, min_pairs: int = 20,
                rules: tuple[str, ...] = BALANCED_RULES) -> list[str]:
    """Cells of a criterion x split (all languages) with at least ``min_pairs`` pairs whose
    accuracy is outside [low, high], as ``criterion/split/rule=accuracy (n)`` strings."""
    bad = []
    for c, splits in table.items():
        for s, langs in splits.items():
            for rule in rules:
                x = langs.get(ALL, {}).get(rule)
                if x and x["n"] >= min_pairs and not low <= x["accuracy"] <= high:
                    bad.append(f"{c}/{s}/{rule}={x['accuracy']:.2f} (n={x['n']})")
    return bad


# --------------------------------------------------------------------------- balanced selection

def allowance(n: int, tolerance: float) -> int:
    """Largest |agree - disagree| a set of ``n`` pairs may have: accuracy = 1/2 + (agree -
    disagree) / 2n stays within 1/2 +- tolerance."""
    return int(2 * tolerance * n + 1e-9)


def _excess(sums: tuple[int, ...], n: int, tolerance: float) -> int:
    allow = allowance(n, tolerance)
    return sum(max(0, abs(s) - allow) for s in sums)


def balance(items: list[tuple[str, tuple[int, ...]]], tolerance: float) -> tuple[list[str], list[str]]:
    """(kept keys, dropped keys): a subset of ``items`` (key, sign per balanced rule) in which
    every rule's accuracy is within 1/2 +- ``tolerance``; no label is touched.

    Greedy removal: while some rule is out of band, drop one pair of the sign pattern whose
    removal leaves the least total excess (ties: the pattern leaning most with the imbalance;
    patterns, not pairs, are compared, so a step
    costs at most 3^rules); within a pattern the last key in ``items``' order goes first, so
    the caller's (seeded) order makes the choice deterministic."""
    by_pattern: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for key, pattern in items:
        by_pattern[pattern].append(key)
    width = len(items[0][1]) if items else 0
    sums = [sum(p[r] for _, p in items) for r in range(width)]
    n, dropped = len(items), []
    while n and _excess(tuple(sums), n, tolerance):
        # Least excess after the removal; then the pattern leaning most with the imbalance.
        _, _, pattern = min((_excess(tuple(s - p[r] for r, s in enumerate(sums)), n - 1, tolerance),
                             -sum(_sign(s, 0) * p[r] for r, s in enumerate(sums)), p)
                            for p, keys in by_pattern.items() if keys)
        dropped.append(by_pattern[pattern].pop())
        sums = [s - pattern[r] for r, s in enumerate(sums)]
        n -= 1
    drop = set(dropped)
    return [k for k, _ in items if k not in drop], dropped
