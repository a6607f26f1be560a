"""Deterministic judge for rm (readability) and sh (security) from two files' tags.

Both scores lie in [0, 1], higher is better; each criterion has its own minimum margin
(``StaticJudgeConfig``). The rule is documented in docs/static-signals.md; the tables below are it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StaticJudgeConfig:
    """The static judge's margins: the score gap below which it abstains, per criterion."""
    # Two normally written solutions of one task differ by up to 0.11 in rm score (the bundled
    # fast/slow/memory variants, read by a reviewer as ties or the other way round in a third of
    # the labelled cases, docs/quality.md); deliberately unreadable code sits 0.13 or more below them.
    rm_min_margin: float = 0.12
    # A commit pair's direction comes from its message; the judge, scoring only the code the commit
    # changed (tagging/changed.py), checks it. Two sources agreeing need less of a gap than one
    # (issue 11's read of real commit pairs labelled this way: 11 of 11 rm pairs right at 0.05).
    commit_rm_min_margin: float = 0.05
    # One low-severity finding against none is 0.5; ten against eleven high ones is 0.003.
    sh_min_margin: float = 0.05

    def min_margin(self, criterion: str) -> float:
        return self.rm_min_margin if criterion == "rm" else self.sh_min_margin

SEVERITY_WEIGHT = {"high": 3, "medium": 2, "low": 1}

# Readability components: (weight, metric, value that costs nothing, value that costs all).
# Every metric is a max, mean or share, so files of different sizes compare fairly.
RM_COMPONENTS = (
    (2.0, "max_nesting", 3, 6),
    (1.0, "cyclomatic_max", 10, 25),
    (1.5, "cyclomatic_mean", 5, 12),
    (1.5, "longest_function", 30, 150),
    (1.0, "identifier_mean_length", 6, 2),
    (1.0, "one_letter_share", 0.1, 0.5),
    (1.0, "naming_consistency", 1.0, 0.5),
    (0.5, "comment_ratio", 0.1, 0.0),
    (1.5, "duplicate_line_ratio", 0.02, 0.3),
    (1.5, "tokens_per_line", 12, 40),  # crammed one-liners; tokens / lines from the tags
    (1.5, "magic_number_ratio", 0.02, 0.2),  # unnamed literals per non-blank line
    (1.0, "long_line_share", 0.02, 0.3),  # lines over 100 columns
)


@dataclass(frozen=True)
class StaticVerdict:
    winner: str | None  # "A", "B", or None (abstain)
    margin: float       # |score_a - score_b|
    score_a: float
    score_b: float
    reason: str         # "better_score" | "below_margin" | "no_signal"


def _penalty(value: float, good: float, bad: float) -> float:
    """0 at `good`, 1 at `bad`, linear between (works for either direction)."""
    share = (value - good) / (bad - good)
    return min(1.0, max(0.0, share))


def rm_score(tags: dict) -> float:
    """Readability in [0, 1]: one minus the weighted mean of component penalties."""
    total = 0.0
    for weight, metric, good, bad in RM_COMPONENTS:
        if metric == "tokens_per_line":
            value = tags["tokens"] / max(1, tags["lines"])
        else:
            value = tags[metric]
        if metric == "longest_function" and not tags["functions"]:
            value = tags["lines"]  # a script without functions is one long function
        total += weight * _penalty(float(value), good, bad)
    return 1.0 - total / sum(c[0] for c in RM_COMPONENTS)


def security_weight(tags: dict) -> int:
    return sum(SEVERITY_WEIGHT.get(f["severity"], 1) for f in tags["security_findings"])


def sh_score(tags: dict) -> float:
    """Security in (0, 1]: 1 / (1 + severity-weighted findings)."""
    return 1.0 / (1.0 + security_weight(tags))


def static_judge(criterion: str, tags_a: dict, tags_b: dict, *, min_margin: float | None = None,
                 config: StaticJudgeConfig = StaticJudgeConfig()) -> StaticVerdict:
    """Prefer the side with the better static score; abstain when the gap is below ``min_margin``
    (default: the criterion's margin in ``config``)."""
    if criterion not in ("rm", "sh"):
        raise ValueError(f"static judge scores only rm and sh, not {criterion!r}")
    if min_margin is None:
        min_margin = config.min_margin(criterion)
    if not (tags_a.get("language_ok") and tags_b.get("language_ok")):
        return StaticVerdict(None, 0.0, 0.0, 0.0, "no_signal")
    if criterion == "sh" and not (tags_a["security_findings"] or tags_b["security_findings"]):
        return StaticVerdict(None, 0.0, 1.0, 1.0, "no_signal")
    score = rm_score if criterion == "rm" else sh_score
    a, b = score(tags_a), score(tags_b)
    margin = abs(a - b)
    if margin < min_margin or margin == 0.0:
        return StaticVerdict(None, margin, a, b, "below_margin")
    return StaticVerdict("A" if a > b else "B", margin, a, b, "better_score")
