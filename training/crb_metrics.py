"""CodeRewardBench aggregation: scores.parquet frame -> results.json, in the published layout.

A pair is correct only when score(chosen) > score(rejected) strictly. Accuracy is the
micro average over all pairs; the score-difference statistics (sample std) are over pairs
with valid scores. Runs of generative judges carry ``parse_failed`` columns; their extra
fields (accuracy on valid pairs, failure counts) are reported the way the published runs do.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

SCORE_COLUMNS = ("chosen_score", "rejected_score", "correct", "score_diff", "language", "aspect", "subset")
GROUPS = (("by_aspect", "aspect"), ("by_language", "language"), ("by_subset", "subset"))


def scores_frame(ids, chosen, rejected, language, aspect, subset) -> pd.DataFrame:
    """The scores.parquet layout: index ``id``; columns as SCORE_COLUMNS."""
    chosen = np.asarray(chosen, dtype=np.float64)
    rejected = np.asarray(rejected, dtype=np.float64)
    frame = pd.DataFrame({
        "chosen_score": chosen, "rejected_score": rejected, "correct": chosen > rejected,
        "score_diff": chosen - rejected, "language": pd.array(list(language), dtype="string"),
        "aspect": pd.array(list(aspect), dtype="string"), "subset": pd.array(list(subset), dtype="string"),
        "id": pd.array(list(ids), dtype="string"),
    })
    return frame.set_index("id")


def _r(x: float) -> float:
    return round(float(x), 4)


def aggregate(frame: pd.DataFrame) -> dict:
    """results.json content for a scores frame."""
    correct = frame["correct"].astype(bool)
    failed = frame["parse_failed"].astype(bool) if "parse_failed" in frame.columns else None
    valid = ~failed if failed is not None else pd.Series(True, index=frame.index)
    diff = frame.loc[valid, "score_diff"].astype(float)
    overall = {"accuracy": _r(correct.mean())}
    if failed is not None:
        overall["accuracy_valid_only"] = _r(correct[valid].mean())
    overall.update({
        "total_examples": int(len(frame)), "correct_predictions": int(correct.sum()),
        "mean_score_difference": _r(diff.mean()), "median_score_difference": _r(diff.median()),
        "std_score_difference": _r(diff.std()),
    })
    if failed is not None:
        overall.update({"valid_pairs": int(valid.sum()), "total_parse_failures": int(failed.sum()),
                        "parse_failure_rate": _r(failed.mean())})
    out = {"overall": overall}
    for key, column in GROUPS:
        groups = correct.groupby(frame[column].astype(str), sort=True)
        out[key] = {name: {"accuracy": _r(g.mean()), "count": int(len(g))} for name, g in groups}
    if failed is not None:
        out["parse_failures"] = int(failed.sum())
    return out


def dumps(results: dict) -> str:
    return json.dumps(results, indent=2)


def write(results: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps(results))
