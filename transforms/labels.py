"""Labelling rules (Beam-free): which of two code samples is better, on which criterion, and why.

Functional correctness, runtime and memory efficiency are grounded in execution;
readability and security come from the static judge over tree-sitter tags (the
LLM judge, when configured, replaces it). Commit pairs for fc/ee/me have no tests
to run; offline they take the commit's direction (the message claims the
improvement), recorded as label_method ``commit_message``.
"""
from __future__ import annotations

from dataclasses import dataclass

from transforms.tagging import static_judge

# Runs under the sandbox's noise floor (~20 ms CPU) report meaningless CVs and are judged
# stable by absolute spread instead; cap the CV used to widen a ratio accordingly.
CV_CAP = 0.25
FAILING = frozenset({"WRONG_ANSWER", "RUNTIME_ERROR", "TIME_LIMIT", "MEMORY_LIMIT", "OUTPUT_LIMIT"})


@dataclass(frozen=True)
class Label:
    """``better`` is "A" or "B"; ``None`` means no pair, with ``reason`` saying why."""
    better: str | None
    method: str
    margin: float
    reason: str | None = None
    votes: tuple = ()
    agreement: float | None = None


def _pass_rate(ex: dict) -> float:
    return ex["tests_passed"] / ex["tests_total"] if ex["tests_total"] else 0.0


def functional(a: dict, b: dict) -> Label:
    """Passing beats failing; both must have compiled (the execute stage drops compile errors)."""
    va, vb = a["verdict"], b["verdict"]
    if va == "OK" and vb in FAILING:
        return Label("A", "execution", _pass_rate(a) - _pass_rate(b))
    if vb == "OK" and va in FAILING:
        return Label("B", "execution", _pass_rate(b) - _pass_rate(a))
    return Label(None, "execution", 0.0, "same_outcome")


def efficiency(a: dict, b: dict, field: str, ratio: float) -> Label:
    """Both pass, both measurements are stable, and the better one is at least ``ratio`` x
    better even when each side is moved one spread (CV) against the label."""
    if a["verdict"] != "OK" or b["verdict"] != "OK":
        return Label(None, "execution", 0.0, "not_both_passing")
    if not (a["stable"] and b["stable"]):
        return Label(None, "execution", 0.0, "unstable_measurement")
    xa, xb = a[field], b[field]
    if not xa or not xb:
        return Label(None, "execution", 0.0, "missing_measurement")
    cv = "cpu_cv" if field == "cpu_s" else "rss_cv"
    (lo, lo_cv), (hi, hi_cv) = sorted(((xa, min(a.get(cv) or 0.0, CV_CAP)), (xb, min(b.get(cv) or 0.0, CV_CAP))))
    if hi < ratio * lo:
        return Label(None, "execution", hi / lo, "below_ratio")
    if hi * (1 - hi_cv) < ratio * lo * (1 + lo_cv):
        return Label(None, "execution", hi / lo, "ratio_within_spread")
    return Label("A" if xa < xb else "B", "execution", hi / lo)


def static(criterion: str, tags_a: dict, tags_b: dict, min_margin: float | None = None) -> Label:
    """The deterministic static judge, as one vote."""
    kwargs = {} if min_margin is None else {"min_margin": min_margin}
    v = static_judge(criterion, tags_a, tags_b, **kwargs)
    if v.winner is None:
        return Label(None, "static_judge", v.margin, f"judge_{v.reason}")
    vote = {"judge": "static", "order": "AB", "verdict": v.winner, "prefers_chosen": True, "error": None}
    return Label(v.winner, "static_judge", v.margin, votes=(vote,), agreement=1.0)


def label_executed(criterion: str, a: dict, b: dict, ratio: float) -> Label:
    """Label two executed submissions of the same problem and language."""
    ea, eb = a["execution"], b["execution"]
    if criterion == "fc":
        return functional(ea, eb)
    if criterion == "ee":
        return efficiency(ea, eb, "cpu_s", ratio)
    if criterion == "me":
        return efficiency(ea, eb, "peak_rss_bytes", ratio)
    if ea["verdict"] != "OK" or eb["verdict"] != "OK":
        return Label(None, "static_judge", 0.0, "not_both_passing")
    return static(criterion, a["tags"], b["tags"])


def label_commit(criterion: str, sample: dict) -> Label:
    """Label old (A) vs new (B) of a commit on the criterion its message points to."""
    if criterion in ("rm", "sh"):
        return static(criterion, sample["tags_before"], sample["tags"])
    return Label("B", "commit_message", 1.0)
