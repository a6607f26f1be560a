"""Packed decoder path: layout, masks, the fused LM-head loss, the generated CLI, and one FSDP step
of the packed (and per-block compiled) path against the plain padded path (2 gloo processes)."""
import dataclasses
import os
import subprocess
import sys

import pyarrow as pa
import pytest
import torch
import torch.nn.functional as F

from training import config as config_mod
from training import packing, synthetic
from training.batching import IGNORE, Pair, collate
from training.config import TrainConfig
from training.formatting import Encoded
from training.losses import linear_cross_entropy

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = ("padded", "packed", "packed_compiled")


def small_pairs():
    return [Pair(Encoded([5, 6, 7, 8], 2, 4), Encoded([5, 9], 1, 2)), Pair(Encoded([5, 6], 1, 2), Encoded([5, 6, 7], 1, 3))]


def test_pack_layout_positions_last_tokens_and_lm_targets():
    p = packing.pack(small_pairs(), pad_id=0, with_lm_targets=True, multiple_of=8)
    assert p.input_ids.tolist() == [[5, 6, 7, 8, 5, 9, 5, 6, 5, 6, 7, 0, 0, 0, 0, 0]]
    assert p.position_ids.tolist() == [[0, 1, 2, 3, 0, 1, 0, 1, 0, 1, 2, 0, 1, 2, 3, 4]]
    assert p.doc_ids.tolist() == [0, 0, 0, 0, 2, 2, 1, 1, 3, 3, 3, 4, 4, 4, 4, 4]
    assert p.last_index.tolist() == [3, 7, 5, 10]  # chosen 0, chosen 1, rejected 0, rejected 1
    assert p.real_tokens == 11 and p.total_tokens == 16
    # Position t predicts t+1: the chosen responses are tokens 2..3 of pair 0 and token 1 of pair 1.
    assert p.lm_index.tolist() == [1, 2, 6] and p.lm_labels.tolist() == [7, 8, 6]
    # The padded path scores the same tokens.
    b = collate(small_pairs(), 0, with_lm_targets=True)
    targets = b["lm_targets"][:, 1:]
    assert sorted(targets[targets != IGNORE].tolist()) == sorted(p.lm_labels.tolist())


def test_dense_mask_is_block_diagonal_causal():
    m = packing.dense_mask(torch.tensor([0, 0, 1, 1, 1], dtype=torch.int32))[0, 0]
    assert m.tolist() == [[1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 1, 1, 0], [0, 0, 1, 1, 1]]


@pytest.mark.skipif(not packing.flex_available(), reason="no FlexAttention in this torch")
def test_flex_block_mask_matches_the_dense_mask():
    from torch.nn.attention.flex_attention import flex_attention

    docs = torch.tensor([0] * 5 + [1] * 9 + [2] * 2, dtype=torch.int32)
    q, k, v = (torch.randn(1, 2, 16, 8, generator=torch.Generator().manual_seed(i)) for i in range(3))
    dense = F.scaled_dot_product_attention(q, k, v, attn_mask=packing.dense_mask(docs))
    flex = flex_attention(q, k, v, block_mask=packing.block_mask(docs))  # forward only: no CPU backward
    torch.testing.assert_close(flex, dense, rtol=1e-5, atol=1e-5)


def test_linear_cross_entropy_matches_full_logits_in_value_and_gradients():
    g = torch.Generator().manual_seed(0)
    h = torch.randn(37, 16, generator=g, requires_grad=True)
    w = torch.randn(50, 16, generator=g, requires_grad=True)
    y = torch.randint(0, 50, (37,), generator=g)
    ours = linear_cross_entropy(h, w, y, chunk=8)
    ours.backward()
    gh, gw = h.grad.clone(), w.grad.clone()
    h.grad = w.grad = None
    ref = F.cross_entropy(h @ w.t(), y)
    ref.backward()
    torch.testing.assert_close(ours, ref, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(gh, h.grad, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(gw, w.grad, rtol=1e-6, atol=1e-6)
    empty = linear_cross_entropy(h[:0], w, y[:0])
    assert empty.item() == 0.0 and empty.requires_grad


def test_cli_is_generated_from_the_config_and_keeps_the_flag_names():
    cfg = config_mod.from_cli(["--train", "a", "b", "--model", "m", "--output", "o", "--max-length", "512",
                               "--betas", "0.8", "0.9", "--grad-checkpointing", "--criteria", "fc", "--cpu"])
    assert cfg.train == ("a", "b") and cfg.max_length == 512 and cfg.betas == (0.8, 0.9)
    assert cfg.grad_checkpointing == "on" and cfg.criteria == ("fc",) and cfg.cpu is True
    assert config_mod.from_cli(["--train", "a", "--model", "m", "--output", "o"]).grad_checkpointing == "auto"
    defaults = config_mod.from_cli(["--train", "a", "--model", "m", "--output", "o"])
    for f in dataclasses.fields(TrainConfig):
        if f.name not in ("train", "model", "output"):
            assert getattr(defaults, f.name) == f.default, f.name  # one default, in the dataclass only
    with pytest.raises(dataclasses.FrozenInstanceError):
        defaults.lr = 1.0


def test_docs_list_every_flag_with_its_default():
    with open(os.path.join(REPO, "docs", "training.md")) as f:
        doc = f.read()
    missing = [config_mod.flag(f.name) for f in dataclasses.fields(TrainConfig) if f"`{config_mod.flag(f.name)}`" not in doc]
    assert not missing, missing
    assert config_mod.docs_table() in doc, "docs/training.md flag table differs: paste `python -m training.config`"


def test_flops_conventions_by_hand():
    from types import SimpleNamespace

    from training import flops
    cfg = SimpleNamespace(num_hidden_layers=2, num_attention_heads=4, head_dim=8, hidden_size=16, vocab_size=100)
    # 2 sequences of 3 and 5 tokens, 1000 layer parameters, 4 tokens scored by the LM head.
    causal = 6 * 1000 * 8 + 6 * 16 * 100 * 4 + 12 * 2 * 32 * (3 * 4 / 2 + 5 * 6 / 2)
    palm = 6 * (1000 + 16 * 100) * 8 + 12 * 2 * 32 * (9 + 25)
    assert flops.step_flops(cfg, 1000, [3, 5], 4, flops.CAUSAL_DONE) == causal
    assert flops.step_flops(cfg, 1000, [3, 5], 4, flops.PALM) == palm
    with pytest.raises(ValueError):
        flops.step_flops(cfg, 1000, [3], 0, "other")


def test_auto_settings_resolve_per_kind_and_device(tmp_path):
    from training import reward_model
    from training.trainer import activation_bytes_per_token, resolve

    synthetic.tiny_qwen3(str(tmp_path / "m"), 300)
    model = reward_model.build(str(tmp_path / "m"), "decoder", 0, 300, False)
    base = TrainConfig(train=("x",), model="m", output="o")
    cpu = torch.device("cpu")
    s = resolve(base, model, "decoder", cpu, 1)
    # The CPU keeps length-grouped padded batches unless packing is asked for (dense masks cost the whole square).
    assert (s.packing, s.attention, s.compile, s.grad_checkpointing, s.pack_multiple) == (False, "sdpa", False, False, 8)
    assert resolve(base.replace(packing="on"), model, "decoder", cpu, 1).packing is True
    assert resolve(base, model, "seqcls", cpu, 1).packing is False  # encoders keep padded batches
    assert resolve(base.replace(grad_checkpointing="on", compile="on"), model, "decoder", cpu, 1).grad_checkpointing
    with pytest.raises(SystemExit, match="decoder kind"):
        resolve(base.replace(packing="on"), model, "seqcls", cpu, 1)
    with pytest.raises(SystemExit, match="needs a GPU"):
        resolve(base.replace(attention="flex"), model, "decoder", cpu, 1)
    # Qwen3-0.6B block: 5h + 2q + 2kv + 3I values of 2 bytes per token.
    qwen = type("C", (), dict(hidden_size=1024, num_attention_heads=16, head_dim=128, num_key_value_heads=8,
                              intermediate_size=3072))
    assert activation_bytes_per_token(qwen, 2) == 2 * (5 * 1024 + 2 * 2048 + 2 * 1024 + 3 * 3072)


# ---- one optimizer step, packed (+compiled) vs padded, FSDP2 on two gloo processes ----

def _worker(tiny: str, out: str) -> None:
    from torch.distributed.fsdp import FSDPModule

    from schemas import PREFERENCE_PAIR
    from training import distributed, reward_model
    from training.batching import encode_table
    from training.train import load_tokenizer
    from training.trainer import Trainer, optimizer_step

    env = distributed.init(force_cpu=True)
    tok = load_tokenizer(tiny)
    rows = synthetic.rows(6, seed=5, max_filler=6)
    pairs, dropped = encode_table(tok, pa.Table.from_pylist(rows, schema=PREFERENCE_PAIR), 1024)
    assert len(pairs) == 6, dropped
    mine = pairs[env.rank * 3:(env.rank + 1) * 3]  # uneven lengths: padding in the padded path
    results = {}
    for variant in VARIANTS:
        cfg = TrainConfig(train=("unused",), model=tiny, output=out, batch_size=3, lr=1e-3, lm_coef=0.25, mag_coef=0.01,
                          packing="off" if variant == "padded" else "on", attention="sdpa",
                          compile="on" if variant == "packed_compiled" else "off", grad_checkpointing="off")
        torch.manual_seed(0)
        model = reward_model.build(tiny, "decoder", tok.pad_token_id, len(tok), False)
        torch.nn.init.normal_(model.score.weight, std=0.5, generator=torch.Generator().manual_seed(1))
        trainer = Trainer(cfg, model, "decoder", tok.pad_token_id, env, total_steps=4)
        assert isinstance(trainer.model, FSDPModule)
        trainer.model.train()
        stats = trainer.micro_step(mine, 1.0)
        grads = {n: p.grad.full_tensor().clone() for n, p in trainer.model.named_parameters()}
        norm = optimizer_step(trainer.model, trainer.optimizer, trainer.scheduler, cfg.clip)
        loss = distributed.all_reduce_sum([stats["loss"], stats["lm_loss"], stats["pairs"]], env.device)
        results[variant] = {"loss": loss[0] / loss[2], "lm_loss": loss[1] / loss[2], "grad_norm": norm, "grads": grads,
                            "real": stats["real_tokens"], "padded": stats["padded_tokens"]}
    if env.main:
        torch.save(results, os.path.join(out, "results.pt"))
    distributed.shutdown()


@pytest.fixture(scope="module")
def fsdp_results(tmp_path_factory):
    root = tmp_path_factory.mktemp("packing")
    synthetic.tiny_decoder_on_rows(str(root / "tiny"), layers=2)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           os.path.abspath(__file__), "--worker", str(root / "tiny"), str(root)]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": REPO}
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return torch.load(root / "results.pt", weights_only=False)


@pytest.mark.parametrize("variant", VARIANTS[1:])
def test_one_fsdp_step_packed_equals_padded(fsdp_results, variant):
    ref, got = fsdp_results["padded"], fsdp_results[variant]
    assert got["real"] == ref["real"] and got["padded"] < ref["padded"]  # same tokens, less padding
    assert ref["lm_loss"] > 0 and ref["grad_norm"] > 0
    assert abs(got["loss"] - ref["loss"]) <= 1e-5 and abs(got["lm_loss"] - ref["lm_loss"]) <= 1e-5
    assert got["grads"].keys() == ref["grads"].keys()
    for name, g in ref["grads"].items():
        assert g.abs().max() > 0, name  # every parameter, the reward head included, gets a gradient
        torch.testing.assert_close(got["grads"][name], g, rtol=1e-5, atol=1e-5, msg=name)
    assert abs(got["grad_norm"] - ref["grad_norm"]) <= 1e-5 * max(1.0, ref["grad_norm"])


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    sys.path.insert(0, REPO)
    _worker(sys.argv[2], sys.argv[3])
