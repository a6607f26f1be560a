"""The whole DAG with the LLM judge on (``--judge_backend=openai``), against a real HTTP server
speaking the OpenAI chat-completions wire format, on one bundled problem and one bundled repo.

The scripted judge prefers the shorter solution, so what the stage must do to each pair is
known: keep it when the chosen side is shorter, flip it otherwise. It also rates commit
changes, writes instructions and inserts a bug (an extra `+ 1` the tests catch)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.defaults.history import build_repositories
from pipeline.run import bundled_problems, run
from schemas.records import PREFERENCE_PAIR
from schemas.validate import validate_table
from tests.test_judge_faults import ChatServer, completion

pytestmark = pytest.mark.timeout(900)

CODE = re.compile(r"## Solution ([AB])\n\n(`{3,})[^\n]*\n(.*?)\n\2\n", re.S)
BUG = {"python": "print(-1)", "javascript": "console.log(-1)", "ruby": "puts(-1)"}


def shorter_wins(body: dict, attempt: int) -> tuple[int, bytes, float]:
    prompt = body["messages"][-1]["content"]
    if "Rate how much the change improves" in prompt:
        answer = "<evaluation>clear gain</evaluation><score>4</score>"
    elif "<instruction>...</instruction>" in prompt:
        answer = "<instruction>Implement the module described by the file's comments.</instruction>"
    elif "Insert one subtle bug" in prompt:
        lang = next((l for l in BUG if f"```{l}" in prompt), None)
        answer = f"```{lang}\n{BUG[lang]}\n```" if lang else "no"
    else:
        code = {m.group(1): m.group(3) for m in CODE.finditer(prompt)}
        verdict = "TIE" if len(code["A"]) == len(code["B"]) else ("A" if len(code["A"]) < len(code["B"]) else "B")
        answer = f"<evaluation>shorter is better</evaluation>\n<verdict>{verdict}</verdict>"
    return 200, json.dumps(completion([answer] * body.get("n", 1))).encode(), 0.0


def _rows(out: Path, sub: str) -> list[dict]:
    return pq.read_table(sorted((out / sub).rglob("*.parquet"))).to_pylist()


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("judge")
    problems = tmp / "problems"
    problems.mkdir()
    (problems / "pair-sum").symlink_to(Path(bundled_problems()) / "pair-sum")
    repo = next(r for r in build_repositories(tmp / "history") if r.name == "forge-core")
    common = ["--runner=DirectRunner", "--no_bundled", f"--problems={problems}", f"--repos={repo}",
              f"--work_dir={tmp / 'work'}", f"--exec_cache={tmp / 'exec'}", "--sandbox_backend=local", "--exec_repeat=1",
              # One run per test and no re-measurement: measured stability is not what this tests
              # (with one run no spread is known, so every near pair would get 9 runs a test).
              "--exec_refine_repeat=0", "--no_report", "--progress_s=0", "--bench_start=2000-01-01", "--train_end=1999-12-31"]
    static = run([*common, f"--output={tmp / 'static'}"])
    with ChatServer(shorter_wins) as server:
        manifest = run([*common, f"--output={tmp / 'llm'}", "--judge_backend=openai", "--judge_model=judge-m",
                        f"--judge_endpoint={server.url}", "--judge_samples=4", "--judge_insert_bugs",
                        "--judge_max_retries=1"])
        requests = server.requests
    return tmp, static, manifest, requests


def test_judged_shards_are_valid_and_every_record_is_accounted_for(judged):
    tmp, _, manifest, requests = judged
    out = tmp / "llm"
    assert requests > 0
    validate_table(pq.read_table(sorted((out / "shards").rglob("*.parquet"))), PREFERENCE_PAIR)
    c = manifest["counters"]
    dead = _rows(out, "dead_letter")
    kinds = {k: sum(d["record_kind"] == k for d in dead) for k in ("input", "sample", "variant", "pair")}
    assert c["read.inputs"] == c["read.samples"] + kinds["input"]
    # Bug variants and mutants are new samples: they too end in a pair or a dead letter.
    assert (c["read.samples"] + c.get("insert_bugs.out", 0) + c.get("mutate.out", 0)
            == c["pair.paired_samples"] + kinds["sample"])
    assert c["pair.proposed"] == manifest["pairs_total"] + kinds["pair"]
    # Bug insertion: every passing submission asked for gives a variant or a variant dead letter.
    bug_dead = sum(d["record_kind"] == "variant" and d["stage"] == "insert_bugs" for d in dead)
    assert c["insert_bugs.in"] == c["insert_bugs.out"] + bug_dead > 0


def test_static_and_commit_labels_follow_the_votes(judged):
    tmp, _, _, _ = judged
    pairs = _rows(tmp / "llm", "shards")
    llm = [p for p in pairs if p["label_method"] == "llm_judge"]
    assert llm, "no pair was decided by the LLM"
    for p in llm:
        votes = [v for v in p["votes"] if v["judge"] == "judge-m"]
        assert len(votes) == 4 and {v["order"] for v in votes} <= {"AB", "BA"}
        assert len(p["chosen"]) < len(p["rejected"]), "the scripted judge prefers the shorter side"
        assert p["agreement"] == 1.0 and p["margin"] == 1.0 and p["judge_errors"] == 0
    commits = [p for p in pairs if p["commit"]]
    assert commits and all(p["improvement_score"] == 4.0 for p in commits)
    assert {p["instruction_style"] for p in commits} <= {"assignment", "qa", "search", "contest"}
    assert all(p["input"] == "Implement the module described by the file's comments." for p in commits)


def test_execution_labels_are_never_overridden(judged):
    tmp, _, _, _ = judged
    static = {p["idx"]: p for p in _rows(tmp / "static", "shards") if p["label_method"] == "execution"}
    judged_rows = {p["idx"]: p for p in _rows(tmp / "llm", "shards") if p["label_method"] == "execution"}
    for idx, p in static.items():
        if idx in judged_rows:
            assert (judged_rows[idx]["chosen_id"], judged_rows[idx]["rejected_id"]) == (p["chosen_id"], p["rejected_id"])


def test_inserted_bugs_become_functional_correctness_pairs_confirmed_by_execution(judged):
    tmp, _, manifest, _ = judged
    assert manifest["counters"].get("insert_bugs.out", 0) > 0
    pairs = _rows(tmp / "llm", "shards")
    bug_fc = [p for p in pairs if p["criterion"] == "fc" and p["rejected"].strip() in BUG.values()]
    assert bug_fc, "no inserted bug became an fc pair"
    for p in bug_fc:
        assert p["label_method"] == "execution"
        assert p["rejected_execution"]["verdict"] != "OK" and p["chosen_execution"]["verdict"] == "OK"
