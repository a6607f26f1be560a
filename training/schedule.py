"""Linear warm-up then cosine decay to a floor, as a LambdaLR multiplier."""
from __future__ import annotations

import math

import torch


def lr_factor(step: int, total_steps: int, warmup_steps: int, min_ratio: float) -> float:
    """Multiplier of the peak LR for the update at ``step`` (0-based)."""
    if warmup_steps > 0 and step < warmup_steps:
        return (step + 1) / warmup_steps
    span = max(1, total_steps - warmup_steps)
    progress = min(1.0, (step - warmup_steps) / span)
    return min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))


def warmup_cosine(optimizer: torch.optim.Optimizer, total_steps: int, warmup_ratio: float, peak_lr: float,
                  min_lr: float) -> torch.optim.lr_scheduler.LambdaLR:
    warmup = int(math.ceil(warmup_ratio * total_steps))
    ratio = min_lr / peak_lr if peak_lr else 0.0
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: lr_factor(s, total_steps, warmup, ratio))
