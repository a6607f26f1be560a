"""Bradley-Terry reward-model trainer on preference shards, FSDP2 on one or many processes.

    torchrun --nproc_per_node N -m training.train --train 'RUN/shards/train/*.parquet' \
        --model MODEL_DIR --output OUT [options]

Also runs as a plain ``python -m training.train`` (a one-process group). Writes
OUT/log.jsonl, OUT/checkpoints/step-NNNNNNNN/ (DCP) and, when training finishes,
OUT/model/ (a Hugging Face sequence-classification model in safetensors).
"""
from __future__ import annotations

import argparse
import os
import random
import time

import numpy as np
import torch
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict
from transformers import AutoTokenizer

from schemas import system_prompts
from training import checkpointing, config, distributed, reward_model, shards
from training.batching import encode_table, plan_epoch
from training.config import TrainConfig
from training.logs import MetricLog
# Re-exported: the step functions used to live here.
from training.trainer import STAT_KEYS, Trainer, build_optimizer, micro_step, optimizer_step  # noqa: F401


def parse_args(argv: list[str] | None = None) -> TrainConfig:
    """The command line, generated from ``TrainConfig`` (training/config.py)."""
    return config.from_cli(argv, __doc__)


def load_tokenizer(path: str):
    tok = AutoTokenizer.from_pretrained(path)
    if tok.pad_token is None or tok.pad_token_id in (tok.eos_token_id, tok.bos_token_id):
        # A dedicated pad token: the exported model finds the last real token by pad id, and a
        # pad that doubles as end- or start-of-turn (SmolLM2's <|im_end|>) is in every chat row.
        tok.add_special_tokens({"pad_token": "<|pad|>"})
    tok.padding_side = "right"
    return tok


def full_state(model) -> dict[str, torch.Tensor]:
    """The unsharded model state on rank 0's CPU (a collective: every rank calls it)."""
    return get_model_state_dict(model, options=StateDictOptions(full_state_dict=True, cpu_offload=True))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def run(cfg: TrainConfig | argparse.Namespace) -> dict:
    """Data, model, resume, the loop over ``Trainer.step``, checkpoints and export."""
    if isinstance(cfg, argparse.Namespace):
        cfg = config.from_namespace(cfg)
    env = distributed.init(force_cpu=cfg.cpu)
    seed_everything(cfg.seed)
    tok = load_tokenizer(cfg.tokenizer or cfg.model)
    table = shards.select(shards.read(list(cfg.train)), cfg.criteria, cfg.languages, cfg.sources)
    override = None
    if cfg.system_prompt != "row":  # the evaluator's prompt for every pair instead of the shards' mix
        override = lambda row: system_prompts.for_pair(cfg.system_prompt, row["aspect"],  # noqa: E731
                                                      f"{row.get('source')}_{row.get('idx')}")
    pairs, fitted = encode_table(tok, table, cfg.max_length, system_override=override,
                                 min_response_share=cfg.min_response_share)
    lengths = [p.length for p in pairs]
    per_step = env.world * cfg.grad_accum
    steps_per_epoch = len(plan_epoch(lengths, cfg.batch_size, cfg.seed, 0, cfg.group_batches)) // per_step
    if steps_per_epoch == 0:
        raise SystemExit(f"{len(pairs)} pairs are too few for one step of {per_step} x {cfg.batch_size} pairs")
    total_steps = cfg.max_steps or cfg.epochs * steps_per_epoch

    kind = reward_model.detect_kind(cfg.model) if cfg.model_kind == "auto" else cfg.model_kind
    if kind != "decoder" and (cfg.likelihood or cfg.criterion_heads or cfg.pooling != "last"):
        raise SystemExit(f"--likelihood, --pooling and --criterion-heads need the decoder kind (a causal LM); "
                         f"{cfg.model} is {kind}")
    model = reward_model.build(cfg.model, kind, tok.pad_token_id, len(tok), False, cfg.dropout, lm_chunk=cfg.lm_chunk,
                               head_init=cfg.head_init, likelihood=cfg.likelihood, likelihood_scale=cfg.likelihood_scale,
                               pooling=cfg.pooling, criterion_heads=cfg.criterion_heads)
    trainer = Trainer(cfg, model, kind, tok.pad_token_id, env, total_steps)
    torch.manual_seed(cfg.seed + 1 + env.rank)  # per-rank dropout streams

    ckpt_root = os.path.join(cfg.output, "checkpoints")
    start = 0
    resume = checkpointing.latest(ckpt_root) if cfg.resume == "auto" else cfg.resume
    if resume:
        start = trainer.load(resume)
    log = MetricLog(os.path.join(cfg.output, "log.jsonl"), cfg.tensorboard) if env.main else None
    if log:
        log.write({"event": "start", "kind": kind, "pairs": len(pairs), "rows": table.num_rows, "fit": fitted.summary(),
                   "world_size": env.world, "steps": total_steps, "steps_per_epoch": steps_per_epoch, "resumed_at": start,
                   **{f"resolved_{k}": v for k, v in vars(trainer.settings).items()}})

    plans: dict[int, list[list[int]]] = {}
    end = min(total_steps, cfg.stop_after) if cfg.stop_after else total_steps
    history = []
    for step in range(start, end):
        epoch, within = divmod(step, steps_per_epoch)
        plan = plans.setdefault(epoch, plan_epoch(lengths, cfg.batch_size, cfg.seed, epoch, cfg.group_batches))
        first = within * per_step
        started = time.perf_counter()
        micro = [[pairs[i] for i in plan[first + a * env.world + env.rank]] for a in range(cfg.grad_accum)]
        totals = trainer.step(micro)
        elapsed = time.perf_counter() - started
        n = totals["pairs"]
        record = {"step": step + 1, "epoch": epoch, "loss": totals["loss"] / n, "bt_loss": totals["bt_loss"] / n,
                  "lm_loss": totals["lm_loss"] / n, "mag_loss": totals["mag_loss"] / n, "accuracy": totals["correct"] / n,
                  "margin": totals["margin"] / n, "lr": totals["lr"], "grad_norm": totals["grad_norm"],
                  "tokens_per_s": totals["real_tokens"] / elapsed, "padding_share": 1 - totals["real_tokens"] / totals["padded_tokens"],
                  "step_s": elapsed}
        history.append(record)
        if log and ((step + 1) % cfg.log_every == 0 or step + 1 == end):
            log.write(record)
        if cfg.checkpoint_every and (step + 1) % cfg.checkpoint_every == 0:
            trainer.save(checkpointing.step_dir(ckpt_root, step + 1), step + 1, {"kind": kind})
    done = end if end > start else start
    if done > start and not (cfg.checkpoint_every and done % cfg.checkpoint_every == 0):
        trainer.save(checkpointing.step_dir(ckpt_root, done), done, {"kind": kind})
    if done == total_steps:
        state = full_state(trainer.model)
        if env.main:
            reward_model.export(state, trainer.model, tok, os.path.join(cfg.output, "model"), getattr(torch, cfg.export_dtype))
            log.write({"event": "exported", "path": os.path.join(cfg.output, "model"), "step": done})
    if log:
        log.close()
    distributed.shutdown()
    return {"history": history, "steps": done, "fit": fitted.summary(), "settings": trainer.settings}


def main(argv: list[str] | None = None) -> None:
    run(parse_args(argv))


if __name__ == "__main__":
    main()
