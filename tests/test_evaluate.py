"""Evaluator: published layout, bench-shard mapping, re-aggregation of the published runs, re-ranking metrics."""
import glob
import json
import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from schemas import CRB_COLUMNS
from schemas.criteria import CRITERIA
from schemas.languages import languages
from training import crb_metrics, evaluate, rerank, synthetic

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# <repo>/../shared next to a checkout; CODEPREF_CRB_RUNS points elsewhere (e.g. from a git worktree).
CRB_RUNS = os.environ.get("CODEPREF_CRB_RUNS") or os.path.join(REPO, "..", "shared", "reference", "crb-runs")


@pytest.fixture(scope="module")
def tiny_rm(tmp_path_factory):
    """A random tiny Qwen3ForSequenceClassification with a chat-template tokenizer."""
    from transformers import AutoModelForSequenceClassification, Qwen3Config
    import torch

    folder = str(tmp_path_factory.mktemp("rm"))
    tok = synthetic.train_tokenizer([r["input"] + r["chosen"] for r in synthetic.rows(60)], folder, vocab_size=300)
    torch.manual_seed(0)
    config = Qwen3Config(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=1,
                         num_attention_heads=1, num_key_value_heads=1, head_dim=64, num_labels=1,
                         pad_token_id=tok.pad_token_id)
    AutoModelForSequenceClassification.from_config(config).save_pretrained(folder)
    return folder


def test_layout_on_bench_shards(tiny_rm, tmp_path):
    synthetic.write_shards(str(tmp_path / "bench"), "bench", 20, seed=3)
    out = tmp_path / "eval"
    results = evaluate.main(["--model", tiny_rm, "--data", str(tmp_path / "bench" / "*.parquet"),
                             "--output", str(out), "--max-length", "512", "--cpu"])
    on_disk = json.loads((out / "results.json").read_text())
    assert on_disk == results
    assert list(results) == ["overall", "by_aspect", "by_language", "by_subset"]
    assert list(results["overall"]) == ["accuracy", "total_examples", "correct_predictions", "mean_score_difference",
                                        "median_score_difference", "std_score_difference"]
    assert set(results["by_aspect"]) == {c.crb for c in CRITERIA.values()}
    assert set(results["by_language"]) <= {lang.crb for lang in languages().values()}
    assert set(results["by_subset"]) == {"commits", "problems"}
    assert results["overall"]["total_examples"] == 20

    table = pq.read_table(out / "scores.parquet")
    assert table.column_names == ["chosen_score", "rejected_score", "correct", "score_diff", "language", "aspect", "subset", "id"]
    assert json.loads(table.schema.metadata[b"pandas"])["index_columns"] == ["id"]
    frame = table.to_pandas()
    assert frame.index.name == "id" and all("_" in i for i in frame.index)
    assert (frame["correct"] == (frame["chosen_score"] > frame["rejected_score"])).all()
    rows = {f"{r['source']}_{r['idx']}" for r in synthetic.rows(20, seed=3, split="bench")}
    assert set(frame.index) == rows

    again = tmp_path / "again"
    evaluate.main(["--scores", str(out / "scores.parquet"), "--output", str(again)])
    assert (again / "results.json").read_text() == (out / "results.json").read_text()


def test_crb_layout_input_and_system_modes(tiny_rm, tmp_path):
    rows = [{"prompt": "Sum a list.", "chosen": "def f(x):\n    return sum(x)", "rejected": "def f(x):\n    return 0",
             "language": "Python", "aspect": a, "subset": "TOY", "id": f"TOY_{i}"}
            for i, a in enumerate(["Functional_Correctness", "Security_Hardness", "Memory_Efficiency"])]
    path = tmp_path / "crb.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    assert tuple(pq.read_schema(path).names) == CRB_COLUMNS
    outputs = {}
    for mode in evaluate.SYSTEM_MODES:
        evaluate.main(["--model", tiny_rm, "--data", str(path), "--output", str(tmp_path / mode),
                       "--system-prompt", mode, "--cpu"])
        outputs[mode] = pd.read_parquet(tmp_path / mode / "scores.parquet")["chosen_score"]
    assert not outputs["none"].equals(outputs["aspect"])  # the system prompt reaches the model
    assert evaluate.system_prompt("none", "Functional_Correctness", "x") is None
    assert "Functional Correctness" in evaluate.system_prompt("aspect", "Functional_Correctness", "x")
    full = evaluate.system_prompt("full", "Functional_Correctness", "x")
    assert all(c.name.split()[0] in full for c in CRITERIA.values())


@pytest.mark.skipif(not os.path.isdir(CRB_RUNS), reason="published CodeRewardBench runs (<repo>/../shared/reference/crb-runs, or $CODEPREF_CRB_RUNS) are absent")
@pytest.mark.parametrize("run", sorted(glob.glob(os.path.join(CRB_RUNS, "*"))) or ["none"])
def test_reaggregation_reproduces_published_results(run, tmp_path):
    evaluate.main(["--scores", os.path.join(run, "scores.parquet"), "--output", str(tmp_path)])
    published = open(os.path.join(run, "results.json"), encoding="utf-8").read()
    assert json.loads((tmp_path / "results.json").read_text()) == json.loads(published)
    assert (tmp_path / "results.json").read_text() == published


def test_aggregate_counts_ties_as_wrong():
    frame = crb_metrics.scores_frame(["a_1", "a_2", "b_1"], [1.0, 2.0, 0.5], [1.0, 1.0, 0.7],
                                     ["Python", "Go", "Go"], ["Functional_Correctness"] * 3, ["A", "A", "B"])
    res = crb_metrics.aggregate(frame)
    assert res["overall"]["correct_predictions"] == 1 and res["overall"]["accuracy"] == 0.3333
    assert res["by_language"] == {"Go": {"accuracy": 0.5, "count": 2}, "Python": {"accuracy": 0.0, "count": 1}}
    assert res["overall"]["median_score_difference"] == 0.0


def test_rerank_metrics():
    pids = ["p1"] * 4 + ["p2"] * 3 + ["p3"] * 2
    rewards = [0.9, 0.5, 0.1, 0.0, 0.2, 0.8, 0.5, 1.0, 0.0]
    passes = [0.0, 1.0, 0.5, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    m = rerank.metrics(pids, rewards, passes, ks=(1, 2, 3))
    assert (m["problems"], m["solvable_problems"]) == (3, 2)
    assert m["hits@1"] == 0.0 and m["hits@2"] == 0.5 and m["hits@3"] == 1.0
    assert m["spearman_problems"] == 2  # p3 has a constant pass rate
    rho_p1 = rerank.spearman(rewards[:4], passes[:4])
    rho_p2 = rerank.spearman(rewards[4:7], passes[4:7])
    assert m["spearman_median"] == round((rho_p1 + rho_p2) / 2, 4)
    assert rerank.spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert rerank.pass_rate_column({"verdict": ["OK", "WRONG_ANSWER"]}) == [1.0, 0.0]


def test_rerank_cli(tiny_rm, tmp_path):
    path = tmp_path / "cands.parquet"
    pq.write_table(pa.table({"problem_id": ["a", "a", "b", "b"], "code": ["x = 1", "y = 2", "z", "w = 0"],
                             "verdict": ["OK", "WRONG_ANSWER", "OK", "OK"], "prompt": ["P"] * 4}), path)
    res = evaluate.main(["--model", tiny_rm, "--rerank", str(path), "--output", str(tmp_path / "rr"), "--ks", "1", "--cpu"])
    assert res["problems"] == 2 and res["solvable_problems"] == 2 and res["hits@1"] in (0.5, 1.0)
    assert json.loads((tmp_path / "rr" / "rerank.json").read_text()) == res
