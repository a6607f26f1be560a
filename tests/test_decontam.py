"""Decontaminate: 13-gram overlap with benchmark rows (records and CRB Parquet)."""
from __future__ import annotations

import json
import os

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.util import assert_that

from transforms import decontaminate as dc

PROMPT = ("Write a function that returns the longest strictly increasing subsequence of a list "
          "of integers in O(n log n) time and explain the approach")


def _capture(path):
    def check(actual):
        with open(path, "w") as f:
            json.dump(list(actual), f)
    return check


def instruction(r):
    return r.get("instruction")


def code(r):
    return r.get("code")


def rec(sid, instruction_text, code_text="x = 1"):
    return {"sample_id": sid, "instruction": instruction_text, "code": code_text, "source": "problems",
            "language": "python", "split": "train"}


def _run(tmp_path, records, bench_records=None, parquet_paths=None, columns=("prompt",)):
    p = beam.Pipeline(runner=FnApiRunner())
    bench = []
    if bench_records is not None:
        bench.append(p | "Bench" >> beam.Create(bench_records) | dc.BenchmarkNgrams([instruction]))
    if parquet_paths:
        bench.append(p | dc.ReadBenchmarkNgrams(parquet_paths, columns=columns))
    out = (p | "Records" >> beam.Create(records)
           | dc.Decontaminate("decontam", [instruction, code], bench if len(bench) > 1 else bench[0]))
    main_path, dead_path = tmp_path / "main.json", tmp_path / "dead.json"
    assert_that(out["main"], _capture(str(main_path)), label="CaptureMain")
    assert_that(out["dead_letter"], _capture(str(dead_path)), label="CaptureDead")
    result = p.run()
    result.wait_until_finish()
    counters = {c.key.metric.name: c.committed for c in result.metrics().query()["counters"]}
    return json.loads(main_path.read_text()), json.loads(dead_path.read_text()), counters


def _write_crb(path, rows):
    cols = ["prompt", "chosen", "rejected", "language", "aspect", "subset", "id"]
    pq.write_table(pa.table({c: [r[c] for r in rows] for c in cols}), path)
    return str(path)


def _crb_row(rid, prompt, chosen="int main() { return 0; }"):
    return {"prompt": prompt, "chosen": chosen, "rejected": "bad", "language": "Python",
            "aspect": "Functional_Correctness", "subset": "S", "id": rid}


def test_ngram_hashes():
    words = " ".join(f"w{i}" for i in range(15))
    assert len(dc.ngram_hashes(words)) == 3
    assert dc.ngram_hashes(words) == dc.ngram_hashes(words.upper().replace(" ", ",\n "))  # case, punctuation
    assert dc.ngram_hashes("too short to have a thirteen gram") == set()
    assert dc.ngram_hashes(None) == set()
    assert all(0 <= h < 2 ** 63 for h in dc.ngram_hashes(words))


def test_record_overlap_with_bench_split_records(tmp_path):
    bench = [rec("bench1", PROMPT)]
    records = [
        rec("t1", "Please: " + PROMPT.upper() + " thanks"),                 # contains the whole prompt
        rec("t2", " ".join(PROMPT.split()[:12]) + " something else entirely here now"),  # only 12 shared words
        rec("t3", "unrelated", code_text="# " + " ".join(PROMPT.split()[5:19])),  # 14 words inside the code
        rec("t4", None),
    ]
    main, dead, counters = _run(tmp_path, records, bench_records=bench)
    assert sorted(r["sample_id"] for r in main) == ["t2", "t4"]
    assert sorted(d["record_id"] for d in dead) == ["t1", "t3"]
    for d in dead:
        assert d["reason"] == "contaminated" and d["stage"] == "decontam"
        assert d["detail"].startswith("benchmark=bench1 ")
        assert d["source"] == "problems" and d["split"] == "train"
    assert counters["decontam.in"] == 4 and counters["decontam.out"] == 2 and counters["decontam.contaminated"] == 2


def test_parquet_benchmark_and_flattened_sources(tmp_path):
    other = "Implement a thread safe bounded blocking queue in Java with put and take methods that block when full or empty"
    path = _write_crb(tmp_path / "crb.parquet", [_crb_row("FC_b", PROMPT), _crb_row("FC_a", PROMPT),
                                                  _crb_row("RM_x", other)])
    records = [rec("t1", PROMPT), rec("t2", other + " please"), rec("t3", "fine")]
    main, dead, _ = _run(tmp_path, records, parquet_paths=[path])
    assert [r["sample_id"] for r in main] == ["t3"]
    details = {d["record_id"]: d["detail"] for d in dead}
    assert details["t1"].startswith("benchmark=FC_a ")  # smallest benchmark id among the hits
    assert details["t2"].startswith("benchmark=RM_x ")
    # both sources at once; protecting the code columns too
    code_text = " ".join(f"tok{i}" for i in range(20))
    path2 = _write_crb(tmp_path / "crb2.parquet", [_crb_row("SH_1", "short prompt", chosen=code_text)])
    records = [rec("t5", "x", code_text=code_text), rec("t6", PROMPT)]
    main, dead, _ = _run(tmp_path, records, bench_records=[rec("own", PROMPT)], parquet_paths=[path2],
                         columns=("prompt", "chosen", "rejected"))
    assert main == [] and sorted(d["record_id"] for d in dead) == ["t5", "t6"]


def test_no_benchmark_overlap_keeps_everything(tmp_path):
    records = [rec(f"t{i}", f"task number {i} " * 10) for i in range(5)]
    main, dead, counters = _run(tmp_path, records, bench_records=[rec("b", PROMPT)])
    assert len(main) == 5 and dead == []
    assert counters["decontam.in"] == counters["decontam.out"] == 5
    assert os.path.exists(tmp_path / "main.json")
