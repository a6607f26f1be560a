"""Bradley-Terry reward-model trainer on preference shards, FSDP2 on one or many processes.

    torchrun --nproc_per_node N -m training.train --train 'RUN/shards/train/*.parquet' \
        --model MODEL_DIR --output OUT [options]

Also runs as a plain ``python -m training.train`` (a one-process group). Writes
OUT/log.jsonl, OUT/checkpoints/step-NNNNNNNN/ (DCP) and, when training finishes,
OUT/model/ (a Hugging Face sequence-classification model in safetensors).
"""
from __future__ import annotations

import argparse
import math
import os
import random
import time

import numpy as np
import torch
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict
from transformers import AutoTokenizer

from training import checkpointing, distributed, reward_model, shards
from training.batching import Pair, collate, encode_table, plan_epoch
from training.losses import bradley_terry, magnitude_penalty, total
from training.logs import MetricLog
from training.schedule import warmup_cosine

STAT_KEYS = ("loss", "bt_loss", "lm_loss", "mag_loss", "correct", "margin", "pairs", "real_tokens", "padded_tokens")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", nargs="+", required=True, help="Parquet shards: paths, globs, directories or fsspec URIs")
    p.add_argument("--model", required=True, help="HF model directory (a *ForCausalLM or any encoder/classifier)")
    p.add_argument("--tokenizer", help="tokenizer directory (default: --model)")
    p.add_argument("--model-kind", choices=("auto", "decoder", "seqcls"), default="auto")
    p.add_argument("--output", required=True)
    p.add_argument("--criteria", nargs="*", help="keep only these criteria (any spelling)")
    p.add_argument("--languages", nargs="*", help="keep only these languages (any spelling)")
    p.add_argument("--sources", nargs="*", help="keep only these sub-datasets")
    p.add_argument("--max-length", type=int, default=4096)
    p.add_argument("--batch-size", type=int, default=1, help="pairs per micro-batch per process")
    p.add_argument("--grad-accum", type=int, default=1)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--max-steps", type=int, default=0, help="optimizer steps (default: the epochs)")
    p.add_argument("--stop-after", type=int, default=0, help="stop (with a checkpoint) after this many steps; the schedule still spans the whole run")
    p.add_argument("--lr", type=float, default=1e-5)
    p.add_argument("--min-lr", type=float, default=5e-7)
    p.add_argument("--warmup-ratio", type=float, default=0.05)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--betas", type=float, nargs=2, default=(0.9, 0.95))
    p.add_argument("--clip", type=float, default=1.5, help="max gradient norm (0: off)")
    p.add_argument("--lm-coef", type=float, default=0.25, help="lambda: LM loss on chosen response tokens (decoder kind)")
    p.add_argument("--mag-coef", type=float, default=0.001, help="mu: (|r_c|+|r_r|)^2 penalty")
    p.add_argument("--grad-checkpointing", action="store_true")
    p.add_argument("--dropout", action="store_true", help="keep the backbone's dropout (off by default, as in TRL)")
    p.add_argument("--group-batches", type=int, default=64, help="batches per length-sorted group")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--checkpoint-every", type=int, default=0)
    p.add_argument("--resume", help="a checkpoint directory, or 'auto' for the newest under OUTPUT/checkpoints")
    p.add_argument("--log-every", type=int, default=1)
    p.add_argument("--export-dtype", choices=("float32", "bfloat16"), default="float32")
    p.add_argument("--tensorboard", action="store_true")
    p.add_argument("--cpu", action="store_true", help="train on the CPU even when GPUs are present")
    return p.parse_args(argv)


def load_tokenizer(path: str):
    tok = AutoTokenizer.from_pretrained(path)
    if tok.pad_token is None:
        # A dedicated pad token: the exported model finds the last real token by pad id.
        tok.add_special_tokens({"pad_token": "<|pad|>"})
    tok.padding_side = "right"
    return tok


def build_optimizer(model: torch.nn.Module, lr: float, betas, weight_decay: float) -> torch.optim.AdamW:
    """AdamW; matrices decay, vectors (norms, biases) do not."""
    decay = [p for p in model.parameters() if p.requires_grad and p.ndim >= 2]
    rest = [p for p in model.parameters() if p.requires_grad and p.ndim < 2]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]
    return torch.optim.AdamW([g for g in groups if g["params"]], lr=lr, betas=tuple(betas), foreach=True)


def micro_step(model, pairs: list[Pair], pad_id: int, device, lm_coef: float, mag_coef: float, with_lm: bool,
               scale: float) -> dict[str, float]:
    """Forward chosen+rejected together, backward the scaled loss; returns summed statistics."""
    batch = {k: v.to(device) for k, v in collate(pairs, pad_id, with_lm_targets=with_lm).items()}
    rewards, lm = model(**batch)
    n = len(pairs)
    chosen, rejected = rewards[:n], rewards[n:]
    bt, mag = bradley_terry(chosen, rejected), magnitude_penalty(chosen, rejected)
    loss = total(bt, lm, mag, lm_coef, mag_coef)
    (loss * scale).backward()
    real = int(batch["attention_mask"].sum())
    return {"loss": loss.item() * n, "bt_loss": bt.item() * n, "lm_loss": (lm.item() if lm is not None else 0.0) * n,
            "mag_loss": mag.item() * n, "correct": float((chosen > rejected).detach().sum()),
            "margin": float((chosen - rejected).detach().sum()), "pairs": float(n), "real_tokens": float(real),
            "padded_tokens": float(batch["attention_mask"].numel())}


def optimizer_step(model, optimizer, scheduler, clip: float) -> float:
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip if clip > 0 else math.inf)
    if hasattr(norm, "full_tensor"):
        norm = norm.full_tensor()
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    return float(norm)


def full_state(model) -> dict[str, torch.Tensor]:
    """The unsharded model state on rank 0's CPU (a collective: every rank calls it)."""
    return get_model_state_dict(model, options=StateDictOptions(full_state_dict=True, cpu_offload=True))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def run(args: argparse.Namespace) -> dict:
    env = distributed.init(force_cpu=args.cpu)
    seed_everything(args.seed)
    tok = load_tokenizer(args.tokenizer or args.model)
    table = shards.select(shards.read(args.train), args.criteria, args.languages, args.sources)
    pairs, dropped = encode_table(tok, table, args.max_length)
    lengths = [p.length for p in pairs]
    per_step = env.world * args.grad_accum
    steps_per_epoch = len(plan_epoch(lengths, args.batch_size, args.seed, 0, args.group_batches)) // per_step
    if steps_per_epoch == 0:
        raise SystemExit(f"{len(pairs)} pairs are too few for one step of {per_step} x {args.batch_size} pairs")
    total_steps = args.max_steps or args.epochs * steps_per_epoch

    kind = reward_model.detect_kind(args.model) if args.model_kind == "auto" else args.model_kind
    model = reward_model.build(args.model, kind, tok.pad_token_id, len(tok), args.grad_checkpointing, args.dropout)
    distributed.shard(model, reward_model.transformer_layers(model), env.device)
    optimizer = build_optimizer(model, args.lr, args.betas, args.weight_decay)
    scheduler = warmup_cosine(optimizer, total_steps, args.warmup_ratio, args.lr, args.min_lr)
    torch.manual_seed(args.seed + 1 + env.rank)  # per-rank dropout streams

    ckpt_root = os.path.join(args.output, "checkpoints")
    start = 0
    resume = checkpointing.latest(ckpt_root) if args.resume == "auto" else args.resume
    if resume:
        start = checkpointing.load(resume, model, optimizer, scheduler)
    log = MetricLog(os.path.join(args.output, "log.jsonl"), args.tensorboard) if env.main else None
    if log:
        log.write({"event": "start", "kind": kind, "pairs": len(pairs), "rows": table.num_rows, "dropped_prompt_too_long": dropped,
                   "world_size": env.world, "steps": total_steps, "steps_per_epoch": steps_per_epoch, "resumed_at": start})

    with_lm = kind == "decoder" and args.lm_coef > 0
    plans: dict[int, list[list[int]]] = {}
    end = min(total_steps, args.stop_after) if args.stop_after else total_steps
    history = []
    step = start
    for step in range(start, end):
        epoch, within = divmod(step, steps_per_epoch)
        plan = plans.setdefault(epoch, plan_epoch(lengths, args.batch_size, args.seed, epoch, args.group_batches))
        first = within * per_step
        started = time.perf_counter()
        sums = dict.fromkeys(STAT_KEYS, 0.0)
        model.train()
        for a in range(args.grad_accum):
            chunk = [pairs[i] for i in plan[first + a * env.world + env.rank]]
            for k, v in micro_step(model, chunk, tok.pad_token_id, env.device, args.lm_coef, args.mag_coef,
                                   with_lm, 1.0 / args.grad_accum).items():
                sums[k] += v
        lr = scheduler.get_last_lr()[0]
        grad_norm = optimizer_step(model, optimizer, scheduler, args.clip)
        totals = dict(zip(STAT_KEYS, distributed.all_reduce_sum([sums[k] for k in STAT_KEYS], env.device)))
        elapsed = time.perf_counter() - started
        n = totals["pairs"]
        record = {"step": step + 1, "epoch": epoch, "loss": totals["loss"] / n, "bt_loss": totals["bt_loss"] / n,
                  "lm_loss": totals["lm_loss"] / n, "mag_loss": totals["mag_loss"] / n, "accuracy": totals["correct"] / n,
                  "margin": totals["margin"] / n, "lr": lr, "grad_norm": grad_norm,
                  "tokens_per_s": totals["real_tokens"] / elapsed, "padding_share": 1 - totals["real_tokens"] / totals["padded_tokens"],
                  "step_s": elapsed}
        history.append(record)
        if log and ((step + 1) % args.log_every == 0 or step + 1 == end):
            log.write(record)
        if args.checkpoint_every and (step + 1) % args.checkpoint_every == 0:
            checkpointing.save(checkpointing.step_dir(ckpt_root, step + 1), model, optimizer, scheduler, step + 1, {"kind": kind})
    done = end if end > start else start
    if done > start and not (args.checkpoint_every and done % args.checkpoint_every == 0):
        checkpointing.save(checkpointing.step_dir(ckpt_root, done), model, optimizer, scheduler, done, {"kind": kind})
    if done == total_steps:
        state = full_state(model)
        if env.main:
            reward_model.export(state, model, tok, os.path.join(args.output, "model"), getattr(torch, args.export_dtype))
            log.write({"event": "exported", "path": os.path.join(args.output, "model"), "step": done})
    if log:
        log.close()
    distributed.shutdown()
    return {"history": history, "steps": done, "dropped": dropped}


def main(argv: list[str] | None = None) -> None:
    run(parse_args(argv))


if __name__ == "__main__":
    main()
