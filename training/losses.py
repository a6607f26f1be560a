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


class _LinearCrossEntropy(torch.autograd.Function):
    """Mean CE of (hidden @ weight.T) against labels, ``chunk`` rows at a time.

    The gradients are computed in the forward pass, chunk by chunk (softmax - one_hot), so
    neither the N x V logits nor their gradient ever exist whole; the backward only scales
    the stored gradients. Softmax and log-sum-exp run in fp32 whatever the compute dtype.
    """

    @staticmethod
    def forward(ctx, hidden, weight, labels, chunk):
        n = hidden.shape[0]
        want_h, want_w = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        grad_h = torch.empty_like(hidden) if want_h else None
        grad_w = torch.zeros(weight.shape, dtype=torch.float32, device=weight.device) if want_w else None
        total = torch.zeros((), dtype=torch.float32, device=hidden.device)
        for s in range(0, n, chunk):
            h, y = hidden[s:s + chunk], labels[s:s + chunk]
            logits = (h @ weight.t()).float()
            lse = torch.logsumexp(logits, dim=-1)
            total += (lse - logits.gather(1, y[:, None]).squeeze(1)).sum()
            if want_h or want_w:
                g = logits.sub_(lse[:, None]).exp_()  # softmax, in place over the logits
                g[torch.arange(g.shape[0], device=g.device), y] -= 1.0
                g = g.div_(n).to(hidden.dtype)
                if want_h:
                    grad_h[s:s + chunk] = g @ weight
                if want_w:
                    grad_w += (g.t() @ h).float()  # accumulated in fp32 across chunks
        ctx.save_for_backward(grad_h if want_h else None, grad_w if want_w else None)
        ctx.weight_dtype = weight.dtype
        return total / n

    @staticmethod
    def backward(ctx, grad_out):
        grad_h, grad_w = ctx.saved_tensors
        gh = grad_h * grad_out.to(grad_h.dtype) if grad_h is not None else None
        gw = (grad_w * grad_out).to(ctx.weight_dtype) if grad_w is not None else None
        return gh, gw, None, None


def linear_cross_entropy(hidden: torch.Tensor, weight: torch.Tensor, labels: torch.Tensor, chunk: int = 1024) -> torch.Tensor:
    """Token-mean cross-entropy of the LM head on the selected rows (hidden N x H, weight V x H),
    fused and chunked so at most ``chunk`` x V logits exist at once; zero (with a graph) when N = 0."""
    if labels.numel() == 0:
        return (hidden.sum() + weight.sum()).float() * 0.0
    return _LinearCrossEntropy.apply(hidden, weight, labels, max(1, int(chunk)))
