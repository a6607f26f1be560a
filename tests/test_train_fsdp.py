"""FSDP2 on two gloo processes with a tiny random Qwen3: learning, bit-exact resume, export round trip."""
import json
import os
import shutil
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from training import synthetic

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEPS, HALF = 6, 3


def torchrun(args, log):
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           "-m", "training.train", *args]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": REPO}
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    log.write_text(done.stdout + done.stderr)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


def steps(out):
    with open(os.path.join(out, "log.jsonl")) as f:
        return [r for r in map(json.loads, f) if "step" in r and "loss" in r]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("fsdp")
    synthetic.write_shards(str(root / "train"), "train", 48, seed=1, max_filler=4)
    synthetic.tiny_decoder_on_rows(str(root / "tiny"), n_rows=120)
    common = ["--train", str(root / "train"), "--model", str(root / "tiny"), "--batch-size", "2",
              "--max-steps", str(STEPS), "--lr", "1e-2", "--warmup-ratio", "0.2", "--max-length", "256", "--seed", "7"]
    straight = root / "straight"
    torchrun(common + ["--output", str(straight), "--checkpoint-every", str(HALF)], root / "straight.log")
    # Second half from the step-3 checkpoint, in a fresh pair of processes and a fresh output folder.
    resumed = root / "resumed"
    half = os.path.join(resumed, "checkpoints", f"step-{HALF:08d}")
    shutil.copytree(os.path.join(straight, "checkpoints", f"step-{HALF:08d}"), half)
    torchrun(common + ["--output", str(resumed), "--resume", "auto"], root / "resumed.log")
    return {"root": root, "straight": straight, "resumed": resumed}


def test_loss_falls(runs):
    log = steps(runs["straight"])
    assert [r["step"] for r in log] == list(range(1, STEPS + 1))
    assert log[-1]["loss"] < log[0]["loss"] - 0.3
    assert log[-1]["bt_loss"] < log[0]["bt_loss"]
    assert all(r["tokens_per_s"] > 0 and 0 <= r["accuracy"] <= 1 for r in log)


def test_resume_is_bit_exact(runs):
    straight = {r["step"]: r for r in steps(runs["straight"])}
    resumed = steps(runs["resumed"])
    assert [r["step"] for r in resumed] == list(range(HALF + 1, STEPS + 1))
    for r in resumed:
        for key in ("loss", "bt_loss", "lm_loss", "mag_loss", "margin", "grad_norm", "lr"):
            assert r[key] == straight[r["step"]][key], key
    a = load_file(os.path.join(runs["straight"], "model", "model.safetensors"))
    b = load_file(os.path.join(runs["resumed"], "model", "model.safetensors"))
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_export_loads_and_reproduces_trainer_scores(runs):
    import torch.distributed.checkpoint as dcp
    from transformers import AutoModelForSequenceClassification

    from training import reward_model, shards
    from training.batching import collate, encode_table
    from training.train import load_tokenizer

    model_dir = os.path.join(runs["straight"], "model")
    exported = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    assert type(exported).__name__ == "Qwen3ForSequenceClassification"
    assert exported.config.num_labels == 1 and exported.config.pad_token_id is not None
    assert "score.weight" in load_file(os.path.join(model_dir, "model.safetensors"))

    # The trainer's own forward, with the final sharded checkpoint loaded into an unsharded model.
    tok = load_tokenizer(str(runs["root"] / "tiny"))
    trainer_model = reward_model.build(str(runs["root"] / "tiny"), "decoder", tok.pad_token_id, len(tok), False).eval()
    state = {"model": trainer_model.state_dict()}
    dcp.load(state, checkpoint_id=os.path.join(runs["straight"], "checkpoints", f"step-{STEPS:08d}"))
    trainer_model.load_state_dict(state["model"])
    pairs, _ = encode_table(tok, shards.read([str(runs["root"] / "train")]).slice(0, 6), 256)
    batch = collate(pairs, tok.pad_token_id)
    with torch.no_grad():
        ours, _ = trainer_model(**batch)
        theirs = exported(**batch).logits[:, 0]
    assert ours.abs().max() > 0
    torch.testing.assert_close(theirs, ours, rtol=1e-5, atol=1e-5)
