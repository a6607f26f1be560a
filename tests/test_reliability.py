"""Reliability: 1,000 malformed inputs through the whole DAG: no crash, every input accounted for.

The fast tests check the readers on the corpus's malformed pieces one by one; the slow one
runs the pipeline in-process on the full corpus (a handful of valid inputs among them).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bench.fuzz_inputs import MALFORMED_PROBLEMS, accounting, make_fuzz_corpus
from transforms.read import problems
from transforms.read.problems import load_tests
from transforms.read.rows import MALFORMED_ROW, read_rows


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + p.read_bytes())
    return h.hexdigest()


def test_corpus_is_deterministic_and_counts_its_inputs(tmp_path):
    a = make_fuzz_corpus(tmp_path / "a", n=300, seed=3)
    b = make_fuzz_corpus(tmp_path / "b", n=300, seed=3)
    assert a["inputs"] == b["inputs"] and a["total"] >= 300
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    # the problem-file count is what the problem reader enumerates
    subs = sum(1 for d in problems.problem_dirs(tmp_path / "a" / "problems") if d.name == "fuzz-add"
               for _ in problems.submission_files(problems.load_problem(d)))
    assert subs + len(MALFORMED_PROBLEMS) == a["inputs"]["problems"]
    big = [p for p in (tmp_path / "a").rglob("*") if p.is_file() and p.stat().st_size >= 10 * 2**20]
    assert len(big) >= 3


def test_every_malformed_problem_is_a_value_error_and_load_tests_skips_it(tmp_path):
    make_fuzz_corpus(tmp_path, n=200)
    root = tmp_path / "problems"
    for name in MALFORMED_PROBLEMS:
        with pytest.raises(ValueError):
            problems.load_problem(root / name)
    assert set(load_tests([str(root)])) == {"fuzz-add"}


def test_a_deeply_nested_json_line_is_one_malformed_row_not_the_end_of_the_file(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b'{"a": 1}\n{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b'}\n{"b": 2}\n')
    rows = list(read_rows(str(path)))
    assert [(r[1], r[2]) for r in rows] == [({"a": 1}, None), (None, MALFORMED_ROW), ({"b": 2}, None)]


@pytest.fixture(scope="module")
def fuzz_run(tmp_path_factory):
    from pipeline.run import run
    tmp = tmp_path_factory.mktemp("fuzz")
    corpus = make_fuzz_corpus(tmp / "corpus", n=1000, seed=0)
    out = tmp / "out"
    manifest = run(["--runner=DirectRunner", f"--output={out}", "--run_id=fuzz", "--no_bundled",
                    f"--work_dir={tmp / 'cache'}", "--exec_repeat=1", "--exec_cache=none", *corpus["argv"]])
    return corpus, manifest, accounting(out, manifest)


@pytest.mark.slow
def test_fuzz_run_accounts_for_every_input(fuzz_run):
    corpus, manifest, acc = fuzz_run
    assert corpus["total"] >= 1000
    assert acc["inputs"] == corpus["total"], (corpus["inputs"], acc["input_reasons"])
    assert acc["inputs_balance"] == 0 and acc["samples_balance"] == 0 and acc["pairs_balance"] == 0, acc
    assert manifest["dead_letters"]["total"] == acc["dead_letters"]


@pytest.mark.slow
def test_fuzz_inputs_die_at_the_reader_for_the_right_reasons(fuzz_run):
    _, _, acc = fuzz_run
    reasons = acc["input_reasons"]
    assert reasons["malformed_problem"] == len(MALFORMED_PROBLEMS)
    assert reasons.get("unreadable_file") == 2  # the truncated gzip and the fake Parquet file, nothing else
    assert "read_error" not in reasons  # no reader raised on a row
    for reason in ("binary_file", "undecodable", "empty_file", "unknown_language", "missing_field",
                   "invalid_value", "malformed_row", "oversized_file"):
        assert reasons.get(reason, 0) > 0, reason


@pytest.mark.slow
def test_only_valid_submissions_reach_a_sandbox(fuzz_run):
    _, manifest, acc = fuzz_run
    assert acc["sandbox_runs"] == 3  # good.py, good_loop.py, wrong.py
    assert manifest["counters"].get("tag.wrong_language", 0) > 0  # code under another language's extension
    assert acc["pairs"] > 0
