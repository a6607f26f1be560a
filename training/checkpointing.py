"""Sharded checkpoints with torch.distributed.checkpoint and exact resume.

A checkpoint directory holds the DCP shards of model and optimizer, one small
``rank{N}.pt`` per rank (scheduler, RNG states, data position) and ``trainer_state.json``,
written last by rank 0, which marks the checkpoint complete.
"""
from __future__ import annotations

import json
import os
import random
import re

import numpy as np
import torch
import torch.distributed as dist
import torch.distributed.checkpoint as dcp
from torch.distributed.checkpoint.state_dict import get_state_dict, set_state_dict

MARKER = "trainer_state.json"


def _rng_state() -> dict:
    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save(path: str, model, optimizer, scheduler, step: int, meta: dict) -> None:
    os.makedirs(path, exist_ok=True)
    model_state, optim_state = get_state_dict(model, optimizer)
    dcp.save({"model": model_state, "optim": optim_state}, checkpoint_id=path)
    torch.save({"scheduler": scheduler.state_dict(), "rng": _rng_state(), "step": step},
               os.path.join(path, f"rank{dist.get_rank()}.pt"))
    dist.barrier()
    if dist.get_rank() == 0:
        with open(os.path.join(path, MARKER), "w") as f:
            json.dump({"step": step, "world_size": dist.get_world_size(), **meta}, f, indent=2)
    dist.barrier()


def load(path: str, model, optimizer, scheduler) -> int:
    """Restore everything saved by ``save``; returns the number of optimizer steps done."""
    model_state, optim_state = get_state_dict(model, optimizer)
    state = {"model": model_state, "optim": optim_state}
    dcp.load(state, checkpoint_id=path)
    set_state_dict(model, optimizer, model_state_dict=state["model"], optim_state_dict=state["optim"])
    extra = torch.load(os.path.join(path, f"rank{dist.get_rank()}.pt"), weights_only=False)
    scheduler.load_state_dict(extra["scheduler"])
    _set_rng_state(extra["rng"])
    return int(extra["step"])


def latest(root: str) -> str | None:
    """The newest complete checkpoint under ``root`` (``step-NNNNNNNN`` folders), or None."""
    if not os.path.isdir(root):
        return None
    done = [d for d in os.listdir(root) if re.fullmatch(r"step-\d+", d) and os.path.exists(os.path.join(root, d, MARKER))]
    return os.path.join(root, max(done, key=lambda d: int(d.split("-")[1]))) if done else None


def step_dir(root: str, step: int) -> str:
    return os.path.join(root, f"step-{step:08d}")
