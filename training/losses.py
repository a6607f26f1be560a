"""The reward-model loss parts, as pure tensor functions."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def bradley_terry(chosen: torch.Tensor, rejected: torch.Tensor) -> torch.Tensor:
    """Mean of -log sigmoid(r_chosen - r_rejected)."""
    return -F.logsigmoid(chosen - rejected).mean()


def magnitude_penalty(chosen: torch.Tensor, rejected: torch.Tensor) -> torch.Tensor:
    """Mean of (|r_c| + |r_r|)^2: keeps rewards near zero (the released Themis form)."""
    return (chosen.abs() + rejected.abs()).pow(2).mean()


def token_mean_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Cross-entropy averaged over the selected tokens (logits N x V, targets N)."""
    if targets.numel() == 0:
        return logits.sum() * 0.0
    return F.cross_entropy(logits.float(), targets)


def total(bt: torch.Tensor, lm: torch.Tensor | None, mag: torch.Tensor, lm_coef: float, mag_coef: float) -> torch.Tensor:
    loss = bt + mag_coef * mag
    return loss + lm_coef * lm if lm is not None and lm_coef else loss
