"""The DAG on user inputs instead of the bundled ones: commit exports and a CodeNet folder."""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.run import run
from schemas.records import PREFERENCE_PAIR
from schemas.validate import validate_table

DATA = Path(__file__).parent / "data" / "sources"
pytestmark = pytest.mark.slow


def test_exports_and_codenet_flow_through_the_dag_and_are_accounted_for(tmp_path):
    out = tmp_path / "run"
    manifest = run(["--runner=DirectRunner", f"--output={out}", "--run_id=sources", "--no_bundled",
                    f"--work_dir={tmp_path / 'cache'}", f"--commit_export={DATA / 'commit_export.jsonl'}",
                    f"--codenet={DATA / 'codenet'}", "--exec_repeat=2",
                    "--decontam_on=prompt_and_code", "--commit_dedup_on=file"])
    c = manifest["counters"]
    dead = pq.read_table(sorted((out / "dead_letter").glob("*.parquet"))).to_pylist()
    kinds = {k: sum(1 for d in dead if d["record_kind"] == k) for k in ("input", "sample", "pair")}
    assert c["read.inputs"] == c["read.samples"] + kinds["input"]
    assert c["read.samples"] + c.get("mutate.out", 0) == c["pair.paired_samples"] + kinds["sample"]
    pairs = pq.read_table(sorted(out.glob("shards/*/*.parquet")))
    validate_table(pairs, PREFERENCE_PAIR)
    rows = pairs.to_pylist()
    assert c["pair.proposed"] == len(rows) + kinds["pair"]
    sources = {r["source"] for r in rows}
    assert {"commits", "codenet"} <= sources, sources
    codenet_fc = [r for r in rows if r["source"] == "codenet" and r["criterion"] == "fc"]
    assert codenet_fc and all(r["chosen_execution"]["verdict"] == "OK" for r in codenet_fc)
    reasons = {d["reason"] for d in dead if d["record_kind"] == "input"}
    assert "unknown_language" in reasons  # the Haskell submission
