"""CodeRewardBench aggregation: scores.parquet frame -> results.json, in the published layout.

A pair is correct only when score(chosen) > score(rejected) strictly; correctness is
recomputed from the two score columns, and a stored ``correct`` column must agree with it
(a disagreement is an error, never a silent choice). Accuracy is the micro average over all
pairs; the score-difference statistics (sample std) are over pairs with valid scores.

Runs of generative judges mark failed parses: ``parse_failed`` (per pair) and/or
``chosen_parse_failed`` / ``rejected_parse_failed`` (per side). A failed side's score may be
stored as NaN (R3 runs) or as a number such as 0.0 (LMUnit runs); either way the pair is
left out of the score-difference statistics and counted in ``parse_failures``, and the
published extra fields (accuracy on valid pairs, failure counts and rate) are reported.
Runs that store failures as a sentinel score without any flag column can name it
(``failed_score=0.0``). A NaN or infinite score outside a marked failure is an error.

Every problem with a scores file raises ``ScoresError``, whose message is one line naming
the file and the problem. This module imports neither torch nor transformers.
"""
from __future__ import annotations

import json
import math
import os

import numpy as np
import pandas as pd

SCORE_COLUMNS = ("chosen_score", "rejected_score", "correct", "score_diff", "language", "aspect", "subset")
REQUIRED_COLUMNS = ("chosen_score", "rejected_score", "language", "aspect", "subset")
GROUPS = (("by_aspect", "aspect"), ("by_language", "language"), ("by_subset", "subset"))
SIDE_FLAGS = ("chosen_parse_failed", "rejected_parse_failed")


class ScoresError(ValueError):
    """A scores file or frame that cannot be aggregated (message: ``<file>: <problem>``, one line)."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {' '.join(str(problem).split())}")


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


def read_scores(path: str) -> pd.DataFrame:
    """A scores.parquet as a frame; ScoresError for a missing, empty or unreadable file."""
    try:
        if os.path.getsize(path) == 0:
            raise ScoresError(path, "empty file (0 bytes)")
    except OSError as e:
        raise ScoresError(path, f"cannot read: {e.strerror or e}") from None
    try:
        frame = pd.read_parquet(path)
    except Exception as e:  # pyarrow raises several types for corrupt or non-Parquet files
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ScoresError(path, f"not a readable Parquet file ({first})") from None
    if len(frame) == 0:
        raise ScoresError(path, "no rows")
    return frame


def _where(frame: pd.DataFrame, mask: np.ndarray) -> str:
    """'N rows (first: id X)' for a boolean row mask."""
    first = frame.index[int(np.flatnonzero(mask)[0])]
    label = "id" if frame.index.name == "id" else "row"
    return f"{int(mask.sum())} row(s) (first: {label} {first})"


def _bool_column(frame: pd.DataFrame, name: str, source: str) -> np.ndarray:
    column = frame[name]
    if column.isna().any():
        raise ScoresError(source, f"column {name} has {int(column.isna().sum())} null value(s)")
    if not (pd.api.types.is_bool_dtype(column) or set(pd.unique(column)) <= {0, 1}):
        raise ScoresError(source, f"column {name} is not boolean (dtype {column.dtype})")
    return column.to_numpy(dtype=bool)


def _score_column(frame: pd.DataFrame, name: str, source: str) -> np.ndarray:
    column = frame[name]
    if not (pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)):
        raise ScoresError(source, f"column {name} is not numeric (dtype {column.dtype})")
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


def prepare(frame: pd.DataFrame, source: str = "<scores>", failed_score: float | None = None) -> dict:
    """Validated arrays for ``aggregate``: scores, recomputed correctness, failure flags.

    Raises ScoresError (naming ``source``) for a missing column, a non-numeric score
    column, NaN / infinite scores outside marked parse failures, null group labels, and a
    stored ``correct``, ``score_diff`` or ``parse_failed`` that disagrees with the scores.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ScoresError(source, f"missing column(s) {', '.join(missing)}")
    if len(frame) == 0:
        raise ScoresError(source, "no rows")
    chosen = _score_column(frame, "chosen_score", source)
    rejected = _score_column(frame, "rejected_score", source)

    # Failure flags, per side where the file has them.
    side = None
    if any(c in frame.columns for c in SIDE_FLAGS):
        absent = [c for c in SIDE_FLAGS if c not in frame.columns]
        if absent:
            raise ScoresError(source, f"missing column(s) {', '.join(absent)} (its pair column is present)")
        side = (_bool_column(frame, SIDE_FLAGS[0], source), _bool_column(frame, SIDE_FLAGS[1], source))
    pair = _bool_column(frame, "parse_failed", source) if "parse_failed" in frame.columns else None
    if side is not None and pair is not None and (bad := pair != (side[0] | side[1])).any():
        raise ScoresError(source, f"parse_failed disagrees with chosen_/rejected_parse_failed in {_where(frame, bad)}")
    if side is None and pair is None and failed_score is not None:
        side = (chosen == failed_score, rejected == failed_score)
    if pair is None and side is not None:
        pair = side[0] | side[1]
    flagged = pair is not None

    # Non-finite scores only where a failure is marked (on that side, when sides are known).
    for name, values, own in (("chosen_score", chosen, side[0] if side else pair),
                              ("rejected_score", rejected, side[1] if side else pair)):
        bad = ~np.isfinite(values) & (~own if own is not None else True)
        if bad.any():
            kind = "NaN" if np.isnan(values[bad]).all() else "non-finite (NaN or infinite)"
            where = "outside marked parse failures " if flagged else ""
            raise ScoresError(source, f"{kind} {name} {where}in {_where(frame, bad)}")

    for column in ("language", "aspect", "subset"):
        if (nulls := frame[column].isna().to_numpy()).any():
            raise ScoresError(source, f"null {column} in {_where(frame, nulls)}")

    correct = chosen > rejected  # NaN compares False: a failed side never wins by NaN
    if "correct" in frame.columns:
        stored = _bool_column(frame, "correct", source)
        if (bad := stored != correct).any():
            raise ScoresError(source, f"stored correct disagrees with chosen_score > rejected_score in "
                                      f"{_where(frame, bad)}")
    valid = ~pair if flagged else np.ones(len(frame), dtype=bool)
    diff = chosen - rejected
    if "score_diff" in frame.columns:
        stored = _score_column(frame, "score_diff", source)
        bad = valid & ~np.isclose(stored, diff, rtol=1e-9, atol=1e-12)
        if bad.any():
            raise ScoresError(source, f"stored score_diff disagrees with chosen_score - rejected_score in "
                                      f"{_where(frame, bad)}")
    return {"correct": correct, "diff": diff, "valid": valid, "failed": pair if flagged else None,
            "groups": {c: frame[c].astype(str).to_numpy() for _, c in GROUPS}}


def _r(x) -> float | None:
    """Rounded to 4 places; None (JSON null) where undefined, e.g. the std of one pair."""
    x = float(x)
    return round(x, 4) if math.isfinite(x) else None


def aggregate(frame: pd.DataFrame, source: str = "<scores>", failed_score: float | None = None) -> dict:
    """results.json content for a scores frame (validated by ``prepare``)."""
    p = prepare(frame, source, failed_score)
    correct, valid, failed = p["correct"], p["valid"], p["failed"]
    diff = pd.Series(p["diff"][valid])
    overall = {"accuracy": _r(correct.mean())}
    if failed is not None:
        overall["accuracy_valid_only"] = _r(correct[valid].mean()) if valid.any() else None
    overall.update({
        "total_examples": int(len(correct)), "correct_predictions": int(correct.sum()),
        "mean_score_difference": _r(diff.mean()), "median_score_difference": _r(diff.median()),
        "std_score_difference": _r(diff.std()),
    })
    if failed is not None:
        overall.update({"valid_pairs": int(valid.sum()), "total_parse_failures": int(failed.sum()),
                        "parse_failure_rate": _r(failed.mean())})
    out = {"overall": overall}
    correct_series = pd.Series(correct)
    for key, column in GROUPS:
        groups = correct_series.groupby(p["groups"][column], sort=True)
        out[key] = {name: {"accuracy": _r(g.mean()), "count": int(len(g))} for name, g in groups}
    if failed is not None:
        out["parse_failures"] = int(failed.sum())
    return out


def aggregate_file(path: str, failed_score: float | None = None) -> dict:
    """results.json content for a scores.parquet; ScoresError (one line, naming ``path``) if unusable."""
    return aggregate(read_scores(path), path, failed_score)


def dumps(results: dict) -> str:
    """Strict JSON: NaN or Infinity anywhere is an error, not a token other parsers reject."""
    return json.dumps(results, indent=2, allow_nan=False)


def write(results: dict, path: str) -> None:
    text = dumps(results)  # before opening, so a failure leaves no partial file
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
