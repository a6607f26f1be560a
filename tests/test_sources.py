"""Extra input sources: commit exports, CodeNet-style folders, Hugging Face datasets (transforms.read)."""
from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from schemas.records import SOURCE_SAMPLE
from schemas.validate import validate_record
from transforms.common import DEAD, MAIN, stable_hex
from transforms.mining.filters import MiningConfig
from transforms.read import codenet, commit_export, hf_dataset
from transforms.read.codenet import ReadCodeNet
from transforms.read.commit_export import ReadCommitExports
from transforms.read.hf_dataset import ReadHFDataset
from transforms.read.rows import plan_chunks, read_chunk, resolve_language

DATA = Path(__file__).parent / "data" / "sources"
EXPORT = DATA / "commit_export.jsonl"
CODENET = DATA / "codenet"
MINING = MiningConfig(max_file_bytes=4096)  # so a small fixture row can be oversized

# CodeNet fixture: locator -> drop reason (None: a sample)
CODENET_EXPECTED = {
    "p00001:s001": None, "p00001:s002": None, "p00001:s003": None,
    "p00001:s004": "unknown_language",  # Python 2
    "p00001:s005": "unknown_language",  # Haskell
    "p00001:s006": "missing_file",
    "metadata/p00001.csv:8": "missing_field",
    "p00001:s008": None,  # PyPy3, bad date
    "p00001:s009": None,  # a code file no metadata row names
    "p00002:s101": None, "p00002:s102": None,  # a compile error is kept: execution re-labels
    "p00002:s103": "empty_file", "p00002:s104": "undecodable",
}


def export_rows() -> list[tuple[int, str | None, str]]:
    """(line, row or None, expected outcome) of the JSONL fixture; the last two lines are malformed."""
    out = []
    for n, line in enumerate(EXPORT.read_text("utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            row = None
        out.append((n, line, row["expect"] if isinstance(row, dict) else "malformed_row"))
    return out


def outcome(sample, reason, detail) -> str:
    if sample is not None:
        return "ok"
    return f"{reason}:{detail}" if reason == "missing_field" else reason


_COLLECTED: dict[str, list] = {}  # module-level: FnApiRunner runs in this process, DoFns are pickled


class _Collect(beam.DoFn):
    def __init__(self, key):
        self.key = key

    def process(self, x):
        _COLLECTED.setdefault(self.key, []).append(x)


def run_pipeline(build):
    """Run ``build(pipeline) -> {"main", "dead_letter"}`` on FnApiRunner and return the collected lists."""
    _COLLECTED.clear()
    p = beam.Pipeline(runner=FnApiRunner())
    for name, pcoll in build(p).items():
        pcoll | f"Collect_{name}" >> beam.ParDo(_Collect(name))
    result = p.run()
    result.wait_until_finish()
    counters = {c.key.metric.name: c.committed for c in result.metrics().query()["counters"]}
    return {**{name: list(_COLLECTED.get(name, [])) for name in (MAIN, DEAD)}, "counters": counters}


# --------------------------------------------------------------------------- commit exports

def test_commit_export_rows_meet_their_expected_outcome():
    results = list(commit_export.read_exports([str(EXPORT)], MINING))
    expected = export_rows()
    assert [loc for loc, *_ in results] == [f"{EXPORT}:{n}" for n, _, _ in expected]
    for (loc, sample, reason, detail), (_, _, expect) in zip(results, expected):
        if expect.startswith("missing_field:"):
            assert (reason, detail) == ("missing_field", expect.split(":", 1)[1]), loc
        else:
            assert (outcome(sample, reason, detail)) == expect, (loc, reason, detail)


def test_commit_export_samples_match_the_git_miner_fields():
    samples = [s for _, s, _, _ in commit_export.read_exports([str(EXPORT)], MINING) if s]
    assert len(samples) == 3
    for s in samples:
        validate_record(s, SOURCE_SAMPLE)
        assert (s["kind"], s["source"], s["split"]) == ("commit", "commits", "train")
        assert s["sample_id"] == stable_hex(s["repo"], s["commit"], s["path"])
        assert s["diff"].startswith(f"--- a/{s['path']}\n+++ b/{s['path']}\n")
    first, fork, subject_only = samples
    assert (first["repo"], first["language"], first["license"], first["criteria_hint"]) == (
        "acme/tools", "python", "MIT", ["ee"])
    assert first["message"].startswith("Speed up total()") and first["timestamp"] == 1500000000
    # comma-separated repos: the first listed; nested author.time_sec
    assert (fork["repo"], fork["language"], fork["timestamp"], fork["criteria_hint"]) == (
        "acme/fork", "java", 1400000000, ["rm"])
    # subject when there is no message; flat "author.time_sec"; repo_name spelling
    assert (subject_only["message"], subject_only["repo"], subject_only["timestamp"]) == (
        "Reduce memory usage of the parser", "acme/parse", 1300000000)


def test_commit_export_gzip_and_undecodable_bytes(tmp_path):
    data = EXPORT.read_bytes() + b'{"commit": "\xff\xfe"}\n'
    gz = tmp_path / "export.data"  # no suffix: the format is sniffed
    gz.write_bytes(gzip.compress(data))
    results = list(commit_export.read_exports([str(gz)], MINING))
    plain = list(commit_export.read_exports([str(EXPORT)], MINING))
    assert [(r[1], r[2], r[3]) for r in results[:-1]] == [(r[1], r[2], r[3]) for r in plain]
    assert results[-1][0] == f"{gz}:{len(data.splitlines())}" and results[-1][2] == "undecodable"


def parquet_rows() -> list[dict]:
    ok = json.loads(EXPORT.read_text("utf-8").split("\n", 1)[0])
    base = {k: ok[k] for k in ("commit", "message", "license", "old_file", "new_file", "unix_time")}
    contents = ok["old_contents"].encode(), ok["new_contents"].encode()
    rows = [
        dict(base, repos=["acme/tools"], old_contents=contents[0], new_contents=contents[1]),  # bytes columns
        dict(base, repos=["acme/b"], old_contents=contents[0], new_contents=b"caf\xe9\n"),  # not UTF-8
        dict(base, repos=["acme/c"], old_contents=contents[0], new_contents=b"\x00\x01"),  # binary
        dict(base, repos=[], old_contents=contents[0], new_contents=contents[1]),  # no repo
        dict(base, repos=["acme/e"], old_contents=None, new_contents=contents[1]),  # lost side
    ]
    return rows


def test_commit_export_parquet_row_groups(tmp_path):
    path = tmp_path / "export.parquet"
    pq.write_table(pa.Table.from_pylist(parquet_rows()), path, row_group_size=2)
    chunks = plan_chunks(str(path))
    assert [(c.start, c.first_row, c.rows) for c in chunks] == [(0, 1, 2), (1, 3, 2), (2, 5, 1)]
    results = list(commit_export.read_exports([str(tmp_path)], MINING))  # a folder: its row files
    assert [(r[0].rsplit(":", 1)[1], outcome(*r[1:])) for r in results] == [
        ("1", "ok"), ("2", "undecodable"), ("3", "binary_file"), ("4", "missing_field:repos"),
        ("5", "missing_field:old_contents")]
    validate_record(results[0][1], SOURCE_SAMPLE)


def test_jsonl_chunks_cover_every_line_once(tmp_path):
    lines = EXPORT.read_text("utf-8").split("\n")
    for size in (1, 3, 7, 1000):
        chunks = plan_chunks(str(EXPORT), size)
        assert [c.first_row for c in chunks] == list(range(1, len(lines) + (lines[-1] != ""), size))
        locators = [loc for c in chunks for loc, *_ in read_chunk(c)]
        assert locators == [f"{EXPORT}:{n}" for n, _, _ in export_rows()]


def test_missing_export_file_is_a_dead_letter(tmp_path):
    out = run_pipeline(lambda p: p | ReadCommitExports([str(tmp_path / "absent.jsonl")]))
    assert out["main"] == [] and [(d["reason"], d["record_kind"]) for d in out["dead_letter"]] == [
        ("unreadable_file", "input")]


def test_read_commit_exports_on_beam_accounts_for_every_row(tmp_path):
    gz = tmp_path / "export.jsonl.gz"
    gz.write_bytes(gzip.compress(EXPORT.read_bytes()))
    pq.write_table(pa.Table.from_pylist(parquet_rows()), tmp_path / "export.parquet", row_group_size=2)
    paths = [str(EXPORT), str(gz), str(tmp_path / "*.parquet")]
    out = run_pipeline(lambda p: p | ReadCommitExports(paths, MINING, chunk_rows=4))
    rows = len(export_rows())
    assert len(out["main"]) + len(out["dead_letter"]) == 2 * rows + 5
    assert len(out["main"]) == 2 * 3 + 1
    for s in out["main"]:
        validate_record(s, SOURCE_SAMPLE)
    for d in out["dead_letter"]:
        assert d["stage"] == "read" and d["record_kind"] == "input" and d["source"] == "commits"
    reasons = Counter(d["reason"] for d in out["dead_letter"])
    assert reasons["malformed_row"] == 4 and reasons["missing_field"] == 2 * 5 + 2
    counters = out["counters"]
    assert counters["read.inputs"] == 2 * rows + 5
    assert counters["read.samples"] == len(out["main"]) and counters["read.dropped"] == len(out["dead_letter"])
    assert counters["read.malformed_row"] == 4 and counters["read.missing_field"] == 12
    assert {d["record_id"] for d in out["dead_letter"]} >= {f"{EXPORT}:26", f"{gz}:27"}


# --------------------------------------------------------------------------- CodeNet

@pytest.mark.parametrize("name, expected", [
    ("C++", "cpp"), ("C++14 (GCC 5.4.1)", "cpp"), ("Python3", "python"), ("PyPy3 (2.4.0)", "python"),
    ("Python (3.4.3)", "python"), ("Python (2.7.6)", None), ("PyPy2", None), ("C#", "csharp"),
    ("C# (Mono 4.6.2.0)", "csharp"), ("JavaScript", "javascript"), ("Java8 (OpenJDK 1.8.0)", "java"),
    ("Go", "go"), ("Ruby", "ruby"), ("C", "c"), ("Haskell", None), ("", None)])
def test_codenet_language_names(name, expected):
    assert resolve_language(name) == expected


def test_codenet_submissions_on_the_fixture():
    items = [item for pid in codenet.problem_ids(CODENET) for item in codenet.iter_problem_submissions(CODENET, pid)]
    assert {loc: reason for loc, _, reason, _ in items} == CODENET_EXPECTED
    assert len(items) == len(CODENET_EXPECTED)
    samples = {loc: s for loc, s, _, _ in items if s}
    for s in samples.values():
        validate_record(s, SOURCE_SAMPLE)
        assert (s["kind"], s["source"], s["license"]) == ("submission", "codenet", "CDLA-Permissive-2.0")
        assert s["split"] == codenet.problem_split(s["problem_id"], 0.1)
        assert s["sample_id"] == stable_hex("codenet", s["problem_id"], s["submission_id"])
    assert {s["language"] for s in samples.values()} == {"cpp", "python", "java"}
    s001 = samples["p00001:s001"]
    assert (s001["user_id"], s001["timestamp"], s001["path"]) == ("u01", 1400000000, "data/p00001/C++/s001.cpp")
    assert s001["instruction"].startswith("A + B\n") and "print a + b." in s001["instruction"]
    assert "color" not in s001["instruction"] and "ignored" not in s001["instruction"]
    assert samples["p00001:s008"]["timestamp"] is None and samples["p00001:s009"]["user_id"] is None
    assert "p00002" in samples["p00002:s101"]["instruction"] and "Reverse" in samples["p00002:s101"]["instruction"]


def test_codenet_split_is_per_problem_and_follows_the_fraction():
    ids = [f"p{i:05d}" for i in range(2000)]
    assert all(codenet.problem_split(i, 0.0) == "train" for i in ids)
    assert all(codenet.problem_split(i, 1.0) == "bench" for i in ids)
    share = sum(codenet.problem_split(i, 0.1) == "bench" for i in ids) / len(ids)
    assert 0.07 < share < 0.13
    assert [codenet.problem_split(i) for i in ids[:50]] == [codenet.problem_split(i, 0.1) for i in ids[:50]]


def test_load_codenet_tests_matches_the_load_tests_shape():
    tests = codenet.load_codenet_tests(CODENET)
    assert tests == {
        "p00001": {"tests": [("input", "1 2\n", "3\n")], "time_limit_s": 2.0, "memory_limit_mb": 128},
        # an .in without its .out is not a test; no limits listed: the problem-set defaults
        "p00002": {"tests": [("one", "abc\n", "cba\n"), ("two", "xy\n", "yx\n")], "time_limit_s": 10.0,
                   "memory_limit_mb": 1024},
    }


def test_read_codenet_on_beam(tmp_path):
    root = tmp_path / "codenet"
    shutil.copytree(CODENET, root)
    (root / "metadata" / "p00003.csv").write_bytes(b"submission_id,language\n\xff\xfe,C\n")  # unreadable
    out = run_pipeline(lambda p: p | ReadCodeNet(str(root), bench_fraction=1.0))
    assert len(out["main"]) + len(out["dead_letter"]) == len(CODENET_EXPECTED) + 1
    assert sorted(f"{s['problem_id']}:{s['submission_id']}" for s in out["main"]) == sorted(
        k for k, v in CODENET_EXPECTED.items() if v is None)
    assert {s["split"] for s in out["main"]} == {"bench"}
    for s in out["main"]:
        validate_record(s, SOURCE_SAMPLE)
    assert sorted((d["record_id"], d["reason"]) for d in out["dead_letter"]) == sorted(
        [(k, v) for k, v in CODENET_EXPECTED.items() if v] + [("p00003", "unreadable_problem")])


# --------------------------------------------------------------------------- Hugging Face datasets

SUBMISSION_MAP = {"code": "solution", "language": "lang", "problem_id": "task", "instruction": "prompt",
                  "submission_id": "sid"}
COMMIT_MAP = {"code": "after", "code_before": "before", "message": "msg", "path": "file", "repo": "project",
              "timestamp": "time", "license": "lic"}


def submission_columns() -> dict[str, list]:
    return {
        "solution": ["print(1)\n", "int main() { return 0; }\n", None, "x", "puts 1\n", "   ", "print(2)\n"],
        "lang": ["Python3", "C++", "python", "Brainfuck", "ruby", "go", None],
        "task": ["t1", "t1", "t2", "t3", 7, "t4", "t5"],
        "prompt": ["Print one.", None, "p", "p", "Print 1.", "p", "p"],
        "sid": ["a", "b", "c", "d", "e", "f", "g"],
    }


SUBMISSION_OUTCOMES = ["ok", "ok", "missing_field", "unknown_language", "ok", "empty_file", "missing_field"]


def test_hf_rows_to_submissions():
    cols = submission_columns()
    rows = [dict(zip(cols, values)) for values in zip(*cols.values())]
    results = [hf_dataset.row_to_sample(r, SUBMISSION_MAP, "mydata") for r in rows]
    assert [outcome(*r).split(":")[0] for r in results] == SUBMISSION_OUTCOMES
    ok = [s for s, _, _ in results if s]
    for s in ok:
        validate_record(s, SOURCE_SAMPLE)
        assert (s["kind"], s["source"], s["repo"], s["split"]) == ("submission", "mydata", "mydata", "train")
    assert ok[1]["instruction"].startswith("Solve problem t1") and ok[2]["problem_id"] == "7"
    assert len({s["sample_id"] for s in ok}) == 3


def test_hf_commit_rows_and_bad_values():
    base = {"after": "def f():\n    return 2\n", "before": "def f():\n    return 1\n", "msg": "Speed up f by caching",
            "file": "pkg/f.py", "project": "acme/pkg", "time": 1500000000, "lic": "mit"}
    cases = [
        (base, "ok"),
        (dict(base, lic="GPL-3.0-only"), "license_not_allowed"),  # commit rows go through the licence step too
        (dict(base, lic=None), "license_not_allowed"),
        (dict(base, lic=None, after="# SPDX-License-Identifier: MIT\n" + base["after"]), "ok"),
        (dict(base, file="pkg/f.txt"), "unknown_language"),  # no language column: the extension decides
        (dict(base, file=None), "unknown_language"),
        (dict(base, after=b"caf\xe9"), "undecodable"),
        (dict(base, after=b"\x00\x01"), "binary_file"),
        (dict(base, before=None), "missing_field"),
        (dict(base, time="soon"), "invalid_value"),
    ]
    for row, expected in cases:
        assert outcome(*hf_dataset.row_to_sample(row, COMMIT_MAP, "hfcommits")).split(":")[0] == expected, row
    s, _, _ = hf_dataset.row_to_sample(base, COMMIT_MAP, "hfcommits")
    validate_record(s, SOURCE_SAMPLE)
    assert (s["kind"], s["language"], s["criteria_hint"], s["timestamp"]) == ("commit", "python", ["ee"], 1500000000)
    assert s["license"] == "MIT"  # the allowlist's spelling, as exports'
    no_column = {k: v for k, v in COMMIT_MAP.items() if k != "license"}
    _, reason, detail = hf_dataset.row_to_sample(base, no_column, "hfcommits")
    assert reason == "license_not_allowed" and "maps no 'license' column" in detail
    assert s["diff"].startswith("--- a/pkg/f.py\n") and "+    return 2\n" in s["diff"]


def test_hf_column_map_is_checked():
    with pytest.raises(ValueError, match="map 'code'"):
        hf_dataset.check_column_map({"language": "l"})
    with pytest.raises(ValueError, match="language"):
        hf_dataset.check_column_map({"code": "c"})
    with pytest.raises(ValueError, match="does not map"):
        hf_dataset.check_column_map({"code": "c", "language": "l", "stars": "s"})
    with pytest.raises(ValueError, match="format"):
        ReadHFDataset("x", {"code": "c", "language": "l"}, "s", fmt="csv")


def test_read_hf_saved_dataset_and_dataset_dict_on_beam(tmp_path):
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    cols = submission_columns()
    cols["task"] = [str(t) for t in cols["task"]]  # one Arrow type per column
    datasets.Dataset.from_dict(cols).save_to_disk(str(tmp_path / "ds"))
    out = run_pipeline(lambda p: p | ReadHFDataset(str(tmp_path / "ds"), SUBMISSION_MAP, "mydata", chunk_rows=3))
    assert len(out["main"]) + len(out["dead_letter"]) == 7
    assert sorted(s["submission_id"] for s in out["main"]) == ["a", "b", "e"]
    assert sorted((d["record_id"].rsplit(":", 1)[1], d["reason"]) for d in out["dead_letter"]) == [
        ("3", "missing_field"), ("4", "unknown_language"), ("6", "empty_file"), ("7", "missing_field")]
    assert {d["source"] for d in out["dead_letter"]} == {"mydata"}
    for s in out["main"]:
        validate_record(s, SOURCE_SAMPLE)

    part = {k: v[:2] for k, v in cols.items()}
    datasets.DatasetDict({"train": datasets.Dataset.from_dict(part),
                          "test": datasets.Dataset.from_dict(part)}).save_to_disk(str(tmp_path / "dd"))
    out = run_pipeline(lambda p: p | ReadHFDataset(str(tmp_path / "dd"), SUBMISSION_MAP, "mydata"))
    assert sorted(s["split"] for s in out["main"]) == ["bench", "bench", "train", "train"]
    assert out["dead_letter"] == []


def test_read_hf_parquet_and_json_files_on_beam(tmp_path):
    cols = submission_columns()
    cols["task"] = [str(t) for t in cols["task"]]
    pq.write_table(pa.table(cols), tmp_path / "part-0.parquet", row_group_size=2)
    rows = [dict(zip(cols, values)) for values in zip(*cols.values())]
    (tmp_path / "rows.json").write_text(json.dumps(rows))  # a JSON array
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{oops\n")
    outs = {fmt: run_pipeline(lambda p, f=name: p | ReadHFDataset(str(tmp_path / f), SUBMISSION_MAP, "mydata",
                                                                   fmt=fmt, chunk_rows=2))
            for fmt, name in (("parquet", "part-0.parquet"), ("json", "rows.json"), ("auto", "rows.jsonl"))}
    for fmt, out in outs.items():
        assert sorted(s["submission_id"] for s in out["main"]) == ["a", "b", "e"], fmt
        assert len(out["main"]) + len(out["dead_letter"]) == 7 + (fmt == "auto"), fmt
    assert ("malformed_row" in {d["reason"] for d in outs["auto"]["dead_letter"]})
    ids = [sorted(s["sample_id"] for s in out["main"]) for out in outs.values()]
    assert ids[0] == ids[1] == ids[2]  # the same rows give the same samples whatever the file format
