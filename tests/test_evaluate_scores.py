"""Evaluator hardening: re-aggregating scores files (--scores) without a model.

Parse failures stored as 0.0 (LMUnit-style) or NaN (R3-style), correctness recomputed and
checked, one-line errors with exit status 2 for unusable files, strict JSON, and no torch /
transformers import on the --scores path.
"""
import json
import math
import os
import subprocess
import sys

import pandas as pd
import pytest

from training import crb_metrics, evaluate

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# An LMUnit-style run: scores 1-5, a failed parse stored as 0.0 on its side, per-side and
# per-pair flags, `correct` computed from the stored scores (so a failed rejected side loses).
LMUNIT_ROWS = [
    # id, chosen, rejected, chosen_failed, rejected_failed, language, aspect, subset
    ("S_1", 4.0, 2.0, False, False, "Python", "Functional_Correctness", "S"),
    ("S_2", 3.0, 3.5, False, False, "Python", "Functional_Correctness", "S"),
    ("S_3", 0.0, 4.0, True, False, "Go", "Memory_Efficiency", "S"),
    ("T_1", 5.0, 0.0, False, True, "Go", "Memory_Efficiency", "T"),
    ("T_2", 0.0, 0.0, True, True, "Java", "Readability_Maintainability", "T"),
    ("T_3", 2.5, 1.0, False, False, "Java", "Readability_Maintainability", "T"),
]


def _frame(rows=LMUNIT_ROWS, nan_failures=False) -> pd.DataFrame:
    ids, chosen, rejected, cf, rf, lang, aspect, subset = map(list, zip(*rows))
    if nan_failures:
        chosen = [math.nan if f else x for x, f in zip(chosen, cf)]
        rejected = [math.nan if f else x for x, f in zip(rejected, rf)]
    frame = crb_metrics.scores_frame(ids, chosen, rejected, lang, aspect, subset)
    frame["score_diff"] = [0.0 if (a or b) else d for d, a, b in zip(frame["score_diff"], cf, rf)]
    frame.insert(4, "parse_failed", [a or b for a, b in zip(cf, rf)])
    frame.insert(5, "chosen_parse_failed", cf)
    frame.insert(6, "rejected_parse_failed", rf)
    return frame


def _write(tmp_path, frame, name="scores.parquet"):
    path = tmp_path / name
    frame.to_parquet(path)
    return str(path)


def _scores_cli(path, out, *extra):
    return evaluate.main(["--scores", path, "--output", str(out), *extra])


def test_lmunit_style_zero_scored_parse_failures(tmp_path):
    results = _scores_cli(_write(tmp_path, _frame()), tmp_path / "out")
    # correct from the stored scores: S_1, T_1 (5 > 0.0), T_3 -> 3 of 6; valid pairs S_1, S_2, T_3 -> 2 of 3
    # score differences over valid pairs only: 2.0, -0.5, 1.5
    assert results["overall"] == {
        "accuracy": 0.5, "accuracy_valid_only": 0.6667, "total_examples": 6, "correct_predictions": 3,
        "mean_score_difference": 1.0, "median_score_difference": 1.5, "std_score_difference": 1.3229,
        "valid_pairs": 3, "total_parse_failures": 3, "parse_failure_rate": 0.5}
    assert results["parse_failures"] == 3
    assert results["by_aspect"]["Memory_Efficiency"] == {"accuracy": 0.5, "count": 2}
    assert results["by_subset"] == {"S": {"accuracy": 0.3333, "count": 3}, "T": {"accuracy": 0.6667, "count": 3}}
    assert list(results) == ["overall", "by_aspect", "by_language", "by_subset", "parse_failures"]
    assert json.loads((tmp_path / "out" / "results.json").read_text()) == results


def test_failed_score_marks_failures_in_files_without_flag_columns(tmp_path):
    flagged = _scores_cli(_write(tmp_path, _frame(), "flagged.parquet"), tmp_path / "a")
    bare = _frame().drop(columns=["parse_failed", "chosen_parse_failed", "rejected_parse_failed"])
    bare["score_diff"] = bare["chosen_score"] - bare["rejected_score"]  # no flags: every diff is stored
    path = _write(tmp_path, bare, "bare.parquet")
    assert _scores_cli(path, tmp_path / "b", "--failed-score", "0.0") == flagged
    plain = _scores_cli(path, tmp_path / "c")  # without the option 0.0 is an ordinary score
    assert "parse_failures" not in plain and plain["overall"]["total_examples"] == 6


def test_nan_failures_give_the_same_results_as_zero_failures_on_valid_pairs(tmp_path):
    zero = _scores_cli(_write(tmp_path, _frame(), "zero.parquet"), tmp_path / "z")
    nan = _scores_cli(_write(tmp_path, _frame(nan_failures=True), "nan.parquet"), tmp_path / "n")
    for key in ("accuracy_valid_only", "valid_pairs", "total_parse_failures", "mean_score_difference",
                "std_score_difference"):
        assert nan["overall"][key] == zero["overall"][key]
    assert nan["overall"]["correct_predictions"] == 2  # NaN never wins: T_1 counts as wrong


def _error(tmp_path, capsys, frame_or_path, *extra) -> str:
    path = frame_or_path if isinstance(frame_or_path, str) else _write(tmp_path, frame_or_path)
    with pytest.raises(SystemExit) as info:
        _scores_cli(path, tmp_path / "err", *extra)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {path}: "), err
    assert not (tmp_path / "err" / "results.json").exists()
    return err


def test_stored_correct_that_disagrees_is_an_error(tmp_path, capsys):
    frame = _frame()
    frame.loc["S_2", "correct"] = True
    err = _error(tmp_path, capsys, frame)
    assert "stored correct disagrees" in err and "1 row(s) (first: id S_2)" in err


def test_stored_score_diff_and_parse_flags_must_agree(tmp_path, capsys):
    frame = _frame()
    frame.loc["T_3", "score_diff"] = 9.0
    assert "score_diff disagrees" in _error(tmp_path, capsys, frame)
    frame = _frame()
    frame.loc["S_1", "parse_failed"] = True
    assert "parse_failed disagrees" in _error(tmp_path, capsys, frame)


@pytest.mark.parametrize("column", ["chosen_score", "rejected_score", "aspect", "language", "subset"])
def test_missing_column_is_an_error(tmp_path, capsys, column):
    err = _error(tmp_path, capsys, _frame().drop(columns=[column]))
    assert f"missing column(s) {column}" in err


def test_nan_or_infinite_scores_outside_marked_failures_are_errors(tmp_path, capsys):
    frame = _frame()
    frame.loc["S_1", "rejected_score"] = math.nan
    frame.loc["S_1", "correct"] = False  # so the NaN itself is what is reported
    assert "NaN rejected_score outside marked parse failures in 1 row(s) (first: id S_1)" in _error(
        tmp_path, capsys, frame)
    bare = _frame(nan_failures=True).drop(columns=["parse_failed", "chosen_parse_failed", "rejected_parse_failed"])
    assert "NaN chosen_score in 2 row(s)" in _error(tmp_path, capsys, bare)
    frame = _frame()
    frame.loc["T_3", "chosen_score"] = math.inf
    frame.loc["T_3", "score_diff"] = math.inf
    assert "non-finite" in _error(tmp_path, capsys, frame)
    # NaN on the side that did not fail is an error even when the pair is flagged
    frame = _frame(nan_failures=True)
    frame.loc["S_3", "rejected_score"] = math.nan
    assert "NaN rejected_score" in _error(tmp_path, capsys, frame)


def test_empty_and_unreadable_files_are_errors(tmp_path, capsys):
    empty = tmp_path / "empty.parquet"
    empty.write_bytes(b"")
    assert "empty file (0 bytes)" in _error(tmp_path, capsys, str(empty))
    no_rows = _write(tmp_path, _frame().iloc[:0], "no_rows.parquet")
    assert _error(tmp_path, capsys, no_rows).endswith(": no rows\n")
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet at all\n\nsecond line")
    assert "not a readable Parquet file" in _error(tmp_path, capsys, str(junk))
    assert "cannot read" in _error(tmp_path, capsys, str(tmp_path / "absent.parquet"))


def test_results_json_is_strict_json(tmp_path):
    one_valid = [LMUNIT_ROWS[0], LMUNIT_ROWS[2]]  # one valid pair: the sample std is undefined
    results = _scores_cli(_write(tmp_path, _frame(one_valid)), tmp_path / "out")
    assert results["overall"]["std_score_difference"] is None
    text = (tmp_path / "out" / "results.json").read_text()

    def reject(token):
        raise AssertionError(f"non-standard JSON token {token}")

    assert json.loads(text, parse_constant=reject) == results
    with pytest.raises(ValueError):
        crb_metrics.dumps({"x": math.nan})


_NO_HEAVY_IMPORTS = """
import sys
from training import evaluate
evaluate.main(["--scores", sys.argv[1], "--output", sys.argv[2]])
heavy = sorted(m for m in ("torch", "transformers") if m in sys.modules)
print("heavy=" + ",".join(heavy))
"""


def test_scores_path_imports_neither_torch_nor_transformers(tmp_path):
    path = _write(tmp_path, _frame())
    env = {**os.environ, "PYTHONPATH": REPO}
    out = subprocess.run([sys.executable, "-c", _NO_HEAVY_IMPORTS, path, str(tmp_path / "out")], env=env,
                         cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "heavy="
    assert (tmp_path / "out" / "results.json").exists()


def test_cli_exit_status_and_one_line_error(tmp_path):
    path = _write(tmp_path, _frame().drop(columns=["rejected_score"]))
    env = {**os.environ, "PYTHONPATH": REPO}
    out = subprocess.run([sys.executable, "-m", "training.evaluate", "--scores", path, "--output",
                          str(tmp_path / "out")], env=env, cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr == f"error: {path}: missing column(s) rejected_score\n"
