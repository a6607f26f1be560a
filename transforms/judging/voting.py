"""Votes and the keep / flip / drop decision (pure functions).

Each of the n samples shows the pair in an order drawn from (seed, pair_key, sample
index), so position bias averages out and every vote records which order it saw.
Agreement counts the LLM's valid votes only (not ERROR, not TIE); static votes already
on the pair are kept for provenance but do not dilute the LLM's agreement.
"""
from __future__ import annotations

from dataclasses import dataclass

from transforms.common import stable_id

ORDERS = ("AB", "BA")  # AB: chosen shown as A; BA: chosen shown as B
_SWAP = {"AB": "BA", "BA": "AB"}


def sample_orders(seed: int, pair_key: str, n: int) -> list[str]:
    """The A/B order of each of the n samples of a pair (deterministic, ~half each)."""
    return [ORDERS[stable_id(seed, pair_key, i, "order") & 1] for i in range(n)]


def make_vote(judge: str, order: str, verdict: str | None, error: str | None = None) -> dict:
    """A JUDGE_VOTE; ``verdict`` None means the sample failed (``error`` says why)."""
    if verdict is None:
        return {"judge": judge, "order": order, "verdict": "ERROR", "prefers_chosen": None,
                "error": error or "unparseable"}
    prefers = None if verdict == "TIE" else (verdict == "A") == (order == "AB")
    return {"judge": judge, "order": order, "verdict": verdict, "prefers_chosen": prefers, "error": None}


def agreement(votes: list[dict]) -> float | None:
    """Share of valid votes that favour ``chosen``; None when no vote is valid."""
    valid = [v["prefers_chosen"] for v in votes if v["verdict"] != "ERROR" and v["prefers_chosen"] is not None]
    return sum(valid) / len(valid) if valid else None


@dataclass(frozen=True)
class Decision:
    action: str  # keep | flip | drop
    agreement: float | None  # share of valid votes agreeing with the label after the action
    reason: str | None = None  # dead-letter reason when dropped
    detail: str = ""


def decide(votes: list[dict], min_agreement: float, on_disagreement: str, protected: bool = False) -> Decision:
    """What the LLM votes do to a pair's label. ``protected`` labels (execution) are never
    flipped or dropped: the votes are only recorded."""
    errors = sum(v["verdict"] == "ERROR" for v in votes)
    share = agreement(votes)
    if protected:
        return Decision("keep", share, detail="execution label kept")
    if votes and errors == len(votes):
        causes = sorted({v["error"] for v in votes})
        return Decision("drop", None, "judge_error", f"all {errors} votes failed: {', '.join(causes)}")
    if share is None:
        return Decision("drop", None, "judge_disagreement", "no decisive vote (only ties and errors)")
    if share >= min_agreement:
        return Decision("keep", share, detail=f"agreement {share:.3f}")
    if 1 - share >= min_agreement:
        if on_disagreement == "flip":
            return Decision("flip", 1 - share, detail=f"judge prefers rejected: {1 - share:.3f}")
        return Decision("drop", share, "judge_disagreement", f"judge prefers rejected: {1 - share:.3f}")
    return Decision("drop", share, "judge_disagreement", f"agreement {share:.3f} on either side is below {min_agreement}")


def flipped(pair: dict) -> dict:
    """The pair with chosen and rejected swapped; every vote's order and preference follow the swap."""
    out = dict(pair)
    for a, b in (("chosen", "rejected"), ("chosen_id", "rejected_id"), ("chosen_execution", "rejected_execution")):
        out[a], out[b] = pair.get(b), pair.get(a)
    # "AB" means the *chosen* side was shown as A: after the swap that was the rejected one.
    out["votes"] = [dict(v, order=_SWAP.get(v.get("order"), v.get("order")),
                         prefers_chosen=None if v.get("prefers_chosen") is None else not v["prefers_chosen"])
                    for v in pair.get("votes") or []]
    return out


def apply_votes(pair: dict, votes: list[dict], decision: Decision, protected: bool = False) -> dict:
    """The judged pair: votes appended, label flipped if decided, agreement, errors and method set.
    Call only for keep/flip decisions."""
    # Older votes (the static judge's) may predate the ``error`` field: normalise them.
    out = dict(pair, votes=[{"error": None, **v} for v in pair.get("votes") or []] + [dict(v) for v in votes])
    if decision.action == "flip":
        out = flipped(out)
    out["agreement"] = decision.agreement
    out["judge_errors"] = int(pair.get("judge_errors") or 0) + sum(v["verdict"] == "ERROR" for v in votes)
    if not protected:
        out["label_method"] = "llm_judge"
        out["margin"] = float(decision.agreement)
    return out
