"""The scale bench's corpus is read by the real readers, and its report's arithmetic is right."""
from __future__ import annotations

import collections

import pytest

from bench import scale_bench
from bench.scale_corpus import LANGUAGES, codenet_files, history_spec, write_corpus
from pipeline.defaults.history import recorded_head
from transforms.mining.filters import MiningConfig
from transforms.read.codenet import iter_problem_submissions, load_codenet_tests, problem_ids
from transforms.read.git import mine_repository


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("scale"), problems=3, per_language=2, commits=5, seed=7)


def test_codenet_reader_gets_every_submission_of_every_language(corpus):
    ids = problem_ids(str(corpus.codenet))
    assert ids == ["s00000", "s00001", "s00002"]
    per_language = collections.Counter()
    codes = set()
    for pid in ids:
        for locator, sample, reason, detail in iter_problem_submissions(str(corpus.codenet), pid):
            assert sample is not None, (locator, reason, detail)
            per_language[sample["language"]] += 1
            codes.add(sample["code"])
    assert per_language == {lang: 3 * 2 for lang in LANGUAGES}
    assert len(codes) == corpus.submissions == 3 * 2 * 8  # distinct sources: exact dedup keeps them all
    tests = load_codenet_tests(str(corpus.codenet))
    assert set(tests) == set(ids) and all(entry["tests"] for entry in tests.values())
    assert all(entry["time_limit_s"] == 10.0 for entry in tests.values())


def test_git_reader_keeps_one_commit_of_each_pair(corpus):
    mined = mine_repository(str(corpus.repo), MiningConfig())
    assert len(mined) == 2 * 5 + 1  # the licence commit, then (add module, fix it) pairs
    kept = [sample for _, (sample, _, _) in mined if sample is not None]
    assert len(kept) == corpus.commit_pairs == 5
    assert {c for s in kept for c in s["criteria_hint"]} == {"fc", "ee"}
    assert all(s["license"] == "MIT" and s["code_before"] != s["code"] for s in kept)


def test_same_seed_same_corpus(corpus, tmp_path):
    assert codenet_files(3, 2, 7) == codenet_files(3, 2, 7)
    assert codenet_files(3, 2, 7) != codenet_files(3, 2, 8)
    again = write_corpus(tmp_path, problems=3, per_language=2, commits=5, seed=7)
    assert recorded_head(again.repo) == recorded_head(corpus.repo)
    assert history_spec(5, 7)["commit"] != history_spec(5, 8)["commit"]


def _result(size, seconds, records, rss_kb):
    rows = [{"stage": s, "seconds": t, "records": n} for s, t, n in zip(("read", "execute"), seconds, records)]
    return {"size": size, "rows": rows, "maxrss_kb": rss_kb, "wall_s": sum(seconds)}


def test_report_arithmetic():
    small = _result(1, (10.0, 40.0), (20, 10), 400 * 1024)
    large = _result(16, (80.0, 800.0), (320, 160), 500 * 1024)
    # read: 0.5 s/record -> 0.25 s/record; execute: 4 s/record -> 5 s/record
    assert scale_bench.cost_ratios([large, small]) == {"read": 0.5, "execute": 1.25}
    assert scale_bench.records_per_core_s(large["rows"][1], cores=2) == pytest.approx(0.1)
    line = scale_bench.last_line([small, large], (1.5, 2.0))
    assert line.endswith("worst_per_record_cost_ratio_16x_vs_1x=1.250")
    assert "driver_rss_ratio=1.250" in line and "load=1.50,2.00" in line
    rows = scale_bench.table([large, small], cores=2)
    assert rows[1].split()[:3] == ["1x", "read", "20"] and rows[-1].split()[:2] == ["16x", "execute"]
    assert rows[-1].split()[-3:] == ["0.10", "5000.0", "500"]  # rec/s/core, ms/record, RSS MiB


def test_larger_corpus_is_copies_of_the_base_mix():
    def body(text):  # the program without its first comment line (which names the copy)
        return text.split("\n", 1)[1]

    files = codenet_files(4, 2, 7, base=2)
    for lang, (folder, ext, _) in LANGUAGES.items():
        for k in range(2):
            first = files[f"data/s00000/{folder}/s00000_{lang}_{k:03d}.{ext}"]
            copy = files[f"data/s00002/{folder}/s00002_{lang}_{k:03d}.{ext}"]
            assert first != copy and body(first) == body(copy)
    assert files["tests/s00003/small.in"] == files["tests/s00001/small.in"]
    assert files["tests/s00000/small.in"] != files["tests/s00001/small.in"]
