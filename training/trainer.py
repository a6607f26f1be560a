"""The training step, shared by ``training.train`` (data, resume, export) and ``bench/train_bench.py``.

``Trainer(config, model, kind, pad_id, env, total_steps)`` prepares the model (activation
checkpointing, attention kernel, per-block ``torch.compile``, FSDP2 sharding, in that order, as
FSDP2 + compile expect), owns the optimizer and scheduler, and runs one optimizer step over a list
of micro-batches (``step``). The 'auto' settings of ``TrainConfig`` are resolved once, by ``resolve``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from training import checkpointing, distributed, packing, reward_model
from training.batching import Pair, collate
from training.config import TrainConfig
from training.losses import bradley_terry, magnitude_penalty, total
from training.schedule import warmup_cosine

STAT_KEYS = ("loss", "bt_loss", "lm_loss", "mag_loss", "correct", "margin", "pairs", "real_tokens", "padded_tokens")


@dataclass(frozen=True)
class Settings:
    """The speed settings after 'auto' is resolved for this model and device."""
    packing: bool
    attention: str  # flex | sdpa
    compile: bool
    grad_checkpointing: bool
    pack_multiple: int
    activation_gb: float  # the estimate the checkpointing choice was made on


def activation_bytes_per_token(config, bytes_per_value: int) -> float:
    """Saved activations per token per decoder layer, counted from a Llama/Qwen-style block:
    block input, two norm outputs, q/k/v, attention output (+ its softmax statistics, negligible),
    o-projection output, gate, up, act(gate) * up and the MLP output."""
    h = config.hidden_size
    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or h // heads
    q, kv = heads * head_dim, getattr(config, "num_key_value_heads", heads) * head_dim
    inter = getattr(config, "intermediate_size", 4 * h)
    return bytes_per_value * (5 * h + 2 * q + 2 * kv + 3 * inter)


def _wants_checkpointing(model: nn.Module, kind: str, cfg: TrainConfig, device: torch.device, world: int) -> tuple[bool, float]:
    """Checkpoint only when model states + the estimated activations of the largest micro-batch
    exceed 80% of the device's memory (auto); CPU memory is the host's, so auto is off there."""
    inner = model.lm if isinstance(model, reward_model.DecoderRewardModel) else model.model
    config = inner.config
    layers = getattr(config, "num_hidden_layers", 0) or len(reward_model.transformer_layers(model))
    tokens = 2 * cfg.batch_size * cfg.max_length
    bpv = 2 if device.type == "cuda" else 4
    acts = tokens * layers * activation_bytes_per_token(config, bpv) if hasattr(config, "hidden_size") else 0.0
    if cfg.grad_checkpointing != "auto":
        return cfg.grad_checkpointing == "on", acts / 1e9
    if device.type != "cuda":
        return False, acts / 1e9
    params = sum(p.numel() for p in model.parameters())
    # fp32 master + fp32 grads + two Adam moments, sharded; bf16 unsharded copies of a layer or two.
    states = params * 16 / world + 2 * params * 2 / max(1, layers)
    budget = 0.8 * torch.cuda.get_device_properties(device).total_memory
    return states + acts > budget, acts / 1e9


def resolve(cfg: TrainConfig, model: nn.Module, kind: str, device: torch.device, world: int) -> Settings:
    cuda = device.type == "cuda"
    if cfg.packing == "on" and kind != "decoder":
        raise SystemExit("--packing on needs the decoder kind (encoders keep length-grouped padded batches)")
    attention = cfg.attention if cfg.attention != "auto" else ("flex" if cuda and packing.flex_available() else "sdpa")
    if attention == "flex" and not cuda:
        raise SystemExit("--attention flex needs a GPU (FlexAttention has no backward on the CPU); use sdpa")
    # auto packs where block-sparse attention skips the other documents (FlexAttention). A dense
    # mask through SDPA computes the whole packed square, so the CPU keeps length-grouped padding.
    packed = kind == "decoder" and (cfg.packing == "on" or (cfg.packing == "auto" and attention == "flex"))
    compiled = cfg.compile == "on" or (cfg.compile == "auto" and cuda)
    checkpoint, acts = _wants_checkpointing(model, kind, cfg, device, world)
    multiple = cfg.pack_multiple or (128 if cuda else 8)
    return Settings(packed, attention, compiled, checkpoint, multiple, round(acts, 2))


def build_optimizer(model: nn.Module, lr: float, betas, weight_decay: float, fused: bool = False,
                    head: nn.Module | list | None = None, head_lr: float = 0.0) -> torch.optim.AdamW:
    """AdamW; matrices decay, vectors (norms, biases) do not. ``fused`` (one kernel per step) on GPUs.

    ``head`` (the reward head: a module or its parameters) gets its own group at ``head_lr`` when
    that is set (> 0); the scheduler scales every group's rate by the same warm-up/cosine factor.
    """
    head_params = list(head.parameters()) if isinstance(head, nn.Module) else list(head or [])
    own = {id(p) for p in head_params} if head_lr > 0 else set()
    params = [p for p in model.parameters() if p.requires_grad and id(p) not in own]
    decay = [p for p in params if p.ndim >= 2]
    rest = [p for p in params if p.ndim < 2]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]
    if own:
        heads = [p for p in head_params if p.requires_grad]
        groups += [{"params": [p for p in heads if p.ndim >= 2], "weight_decay": weight_decay, "lr": head_lr},
                   {"params": [p for p in heads if p.ndim < 2], "weight_decay": 0.0, "lr": head_lr}]
    impl = {"fused": True} if fused else {"foreach": True}
    return torch.optim.AdamW([g for g in groups if g["params"]], lr=lr, betas=tuple(betas), **impl)


def optimizer_step(model, optimizer, scheduler, clip: float) -> float:
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip if clip > 0 else math.inf)
    if hasattr(norm, "full_tensor"):
        norm = norm.full_tensor()
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    return float(norm)


def _stats(loss, bt, lm, mag, chosen, rejected, real: int, padded: int, lazy: bool = False) -> dict:
    """Summed statistics of a micro-batch; ``lazy`` leaves them as device tensors (no host sync
    per micro-batch: ``Trainer.step`` reads them once, after the optimizer step)."""
    n = chosen.shape[0]
    stats = {"loss": loss.detach() * n, "bt_loss": bt.detach() * n, "lm_loss": (lm.detach() if lm is not None else 0.0) * n,
             "mag_loss": mag.detach() * n, "correct": (chosen > rejected).detach().sum().float(),
             "margin": (chosen - rejected).detach().sum(), "pairs": float(n), "real_tokens": float(real),
             "padded_tokens": float(padded)}
    return stats if lazy else {k: float(v) for k, v in stats.items()}


def _reads_responses(model) -> bool:
    """Whether the model's reward reads the response tokens and each row's criterion."""
    inner = getattr(model, "module", model)
    return bool(getattr(inner, "reads_responses", False))


def micro_step(model, pairs: list[Pair], pad_id: int, device, lm_coef: float, mag_coef: float, with_lm: bool,
               scale: float, lazy: bool = False) -> dict[str, float]:
    """The padded path: forward chosen+rejected as 2B right-padded rows, backward the scaled loss."""
    batch = {k: v.to(device) for k, v in collate(pairs, pad_id, with_lm_targets=with_lm,
                                                 with_response_mask=_reads_responses(model)).items()}
    rewards, lm = model(**batch)
    n = len(pairs)
    chosen, rejected = rewards[:n], rewards[n:]
    bt, mag = bradley_terry(chosen, rejected), magnitude_penalty(chosen, rejected)
    loss = total(bt, lm, mag, lm_coef, mag_coef)
    (loss * scale).backward()
    real = sum(len(p.chosen.input_ids) + len(p.rejected.input_ids) for p in pairs)
    return _stats(loss, bt, lm, mag, chosen, rejected, real, batch["attention_mask"].numel(), lazy)


def packed_micro_step(model, pairs: list[Pair], pad_id: int, device, lm_coef: float, mag_coef: float, with_lm: bool,
                      scale: float, attention: str = "sdpa", multiple_of: int = 8, lazy: bool = False) -> dict[str, float]:
    """The packed path: one row, document mask, reward at each sequence's last token."""
    p = packing.pack(pairs, pad_id, with_lm, multiple_of, with_responses=_reads_responses(model)).to(device)
    mask = packing.attention_mask(p.doc_ids, attention)
    rewards, lm = model(p.input_ids, mask, position_ids=p.position_ids, last_index=p.last_index,
                        lm_index=p.lm_index, lm_labels=p.lm_labels, resp_index=p.resp_index,
                        resp_labels=p.resp_labels, resp_seq=p.resp_seq, criterion=p.criterion)
    n = len(pairs)
    chosen, rejected = rewards[:n], rewards[n:]
    bt, mag = bradley_terry(chosen, rejected), magnitude_penalty(chosen, rejected)
    loss = total(bt, lm, mag, lm_coef, mag_coef)
    (loss * scale).backward()
    return _stats(loss, bt, lm, mag, chosen, rejected, p.real_tokens, p.total_tokens, lazy)


def prepare(model: nn.Module, settings: Settings, device: torch.device) -> nn.Module:
    """Checkpointing, attention kernel, per-block compile, then FSDP2 (the order FSDP2 + compile expect)."""
    layers = reward_model.transformer_layers(model)
    inner = model.lm if isinstance(model, reward_model.DecoderRewardModel) else model.model
    if settings.grad_checkpointing and not getattr(inner, "is_gradient_checkpointing", False):
        inner.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if settings.packing and settings.attention == "flex":
        inner.set_attn_implementation("flex_attention")
    if settings.compile:
        for layer in layers:
            # Only forward is compiled: the FSDP2 hooks and HF's checkpointing wrapper stay eager
            # around it, and parameter names (checkpoints, export) are unchanged.
            layer.forward = torch.compile(layer.forward)
    distributed.shard(model, layers, device)
    return model


class Trainer:
    def __init__(self, cfg: TrainConfig, model: nn.Module, kind: str, pad_id: int, env: distributed.Env,
                 total_steps: int):
        self.cfg, self.kind, self.pad_id, self.env = cfg, kind, pad_id, env
        self.settings = resolve(cfg, model, kind, env.device, env.world)
        if isinstance(model, reward_model.DecoderRewardModel):
            model.lm_chunk = cfg.lm_chunk
        if cfg.freeze_backbone:
            reward_model.freeze_backbone(model)
        self.model = prepare(model, self.settings, env.device)
        self.optimizer = build_optimizer(self.model, cfg.lr, cfg.betas, cfg.weight_decay, fused=env.device.type == "cuda",
                                         head=reward_model.head_parameters(self.model), head_lr=cfg.head_lr)
        self.scheduler = warmup_cosine(self.optimizer, total_steps, cfg.warmup_ratio, cfg.lr, cfg.min_lr)
        # A frozen backbone has nothing for the LM loss to train.
        self.with_lm = kind == "decoder" and cfg.lm_coef > 0 and not cfg.freeze_backbone

    def micro_step(self, pairs: list[Pair], scale: float, lazy: bool = False) -> dict[str, float]:
        c = self.cfg
        if self.settings.packing:
            return packed_micro_step(self.model, pairs, self.pad_id, self.env.device, c.lm_coef, c.mag_coef, self.with_lm,
                                     scale, self.settings.attention, self.settings.pack_multiple, lazy)
        return micro_step(self.model, pairs, self.pad_id, self.env.device, c.lm_coef, c.mag_coef, self.with_lm, scale, lazy)

    def step(self, micro_batches: list[list[Pair]], reduce: bool = True) -> dict[str, float]:
        """One optimizer step over this process's micro-batches; statistics summed over all ranks
        (``reduce``), plus lr (the one used) and grad_norm."""
        self.model.train()
        sums = dict.fromkeys(STAT_KEYS, 0.0)
        for chunk in micro_batches:
            for k, v in self.micro_step(chunk, 1.0 / len(micro_batches), lazy=True).items():
                sums[k] = sums[k] + v
        lr = self.scheduler.get_last_lr()[0]
        grad_norm = optimizer_step(self.model, self.optimizer, self.scheduler, self.cfg.clip)
        sums = {k: float(v) for k, v in sums.items()}
        if reduce:
            sums = dict(zip(STAT_KEYS, distributed.all_reduce_sum([sums[k] for k in STAT_KEYS], self.env.device)))
        return {**sums, "lr": lr, "grad_norm": grad_norm}

    def save(self, path: str, step: int, meta: dict) -> None:
        checkpointing.save(path, self.model, self.optimizer, self.scheduler, step, meta)

    def load(self, path: str) -> int:
        return checkpointing.load(path, self.model, self.optimizer, self.scheduler)
