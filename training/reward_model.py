"""Reward models with one interface: forward(input_ids, attention_mask, lm_targets) -> (rewards, lm_loss).

The decoder kind also takes a packed row (training.packing): ``position_ids``, a document mask
as ``attention_mask`` (4-D bool or a FlexAttention BlockMask), ``last_index`` and, for the LM
loss, ``lm_index``/``lm_labels`` (fused, chunked LM head + cross-entropy).

Two kinds:
- ``decoder``: a causal LM backbone; a bias-free, zero-initialised scalar head reads the
  final hidden state of the last non-pad token (right padding), and the LM head gives an
  optional auxiliary loss on the chosen response tokens.
- ``seqcls``: any AutoModelForSequenceClassification with num_labels=1 (e.g. MiniLM).
"""
from __future__ import annotations

import torch
from torch import nn
from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSequenceClassification

from training.batching import IGNORE
from training.losses import linear_cross_entropy, token_mean_cross_entropy


class DecoderRewardModel(nn.Module):
    def __init__(self, lm: nn.Module, lm_chunk: int = 1024):
        super().__init__()
        self.lm = lm
        self.lm_chunk = lm_chunk
        self.score = nn.Linear(lm.config.hidden_size, 1, bias=False)
        nn.init.zeros_(self.score.weight)

    def forward(self, input_ids, attention_mask=None, lm_targets=None, position_ids=None, last_index=None,
                lm_index=None, lm_labels=None):
        backbone = getattr(self.lm, self.lm.base_model_prefix)
        if last_index is not None:
            return self._packed(backbone, input_ids, attention_mask, position_ids, last_index, lm_index, lm_labels)
        hidden = backbone(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        last = attention_mask.sum(dim=1) - 1
        rows = torch.arange(hidden.shape[0], device=hidden.device)
        rewards = self.score(hidden[rows, last]).squeeze(-1).float()
        lm_loss = None
        if lm_targets is not None:
            # Position t predicts token t+1; only chosen response tokens are scored, and the
            # vocabulary projection runs on those positions alone.
            targets = lm_targets[:, 1:]
            keep = targets != IGNORE
            logits = self.lm.get_output_embeddings()(hidden[: targets.shape[0], :-1][keep])
            lm_loss = token_mean_cross_entropy(logits, targets[keep])
        return rewards, lm_loss

    def _packed(self, backbone, input_ids, mask, position_ids, last_index, lm_index, lm_labels):
        hidden = backbone(input_ids=input_ids, attention_mask=mask, position_ids=position_ids).last_hidden_state[0]
        rewards = self.score(hidden[last_index]).squeeze(-1).float()
        lm_loss = None
        if lm_labels is not None:
            weight = self.lm.get_output_embeddings().weight
            lm_loss = linear_cross_entropy(hidden[lm_index], weight, lm_labels, self.lm_chunk)
        return rewards, lm_loss


class SeqClsRewardModel(nn.Module):
    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, lm_targets=None):
        logits = self.model(input_ids=input_ids, attention_mask=attention_mask).logits
        return logits[:, 0].float(), None


def detect_kind(path: str) -> str:
    """``decoder`` for checkpoints saved as *ForCausalLM, else ``seqcls``."""
    archs = AutoConfig.from_pretrained(path).architectures or []
    return "decoder" if any(a.endswith("ForCausalLM") for a in archs) else "seqcls"


def score_head(model: nn.Module) -> nn.Linear:
    """The scalar output layer: ``score`` of the decoder kind, else the classifier's last 1-output Linear."""
    if isinstance(model, DecoderRewardModel):
        return model.score
    heads = [m for m in model.model.modules() if isinstance(m, nn.Linear) and m.out_features == 1]
    if not heads:
        raise ValueError("no 1-output Linear layer (the reward head) in the sequence-classification model")
    return heads[-1]


@torch.no_grad()
def init_head(model: nn.Module, how: str, std: float) -> None:
    """``zero``: weights (and bias) 0, every pair starts at margin 0; ``normal``: N(0, std), bias 0."""
    head = score_head(model)
    if how == "zero":
        nn.init.zeros_(head.weight)
    elif how == "normal":
        nn.init.normal_(head.weight, std=std)
    else:
        raise ValueError(f"unknown head initialisation {how!r} (zero, normal)")
    if head.bias is not None:
        nn.init.zeros_(head.bias)


def build(path: str, kind: str, pad_token_id: int, vocab_size: int, grad_checkpointing: bool,
          dropout: bool = False, attn_implementation: str | None = None, lm_chunk: int = 1024,
          head_init: str | None = None) -> nn.Module:
    """Load the backbone from ``path`` (fp32 master weights) and wrap it.

    ``head_init`` (zero / normal with the config's ``initializer_range``) re-initialises the
    reward head; None keeps the class's own (decoder: zero; seqcls: as Hugging Face builds it).

    Dropout is off unless asked for (as in TRL's RewardTrainer): reward margins are noisy
    enough, and on the CPU attention dropout forces the slow, memory-hungry attention path.
    """
    config = AutoConfig.from_pretrained(path)
    if not dropout:
        for name, value in list(vars(config).items()):
            if "dropout" in name and isinstance(value, float):
                setattr(config, name, 0.0)
    if kind == "decoder":
        extra = {"attn_implementation": attn_implementation} if attn_implementation else {}
        inner = AutoModelForCausalLM.from_pretrained(path, config=config, dtype=torch.float32, **extra)
    else:
        config.num_labels = 1
        inner = AutoModelForSequenceClassification.from_pretrained(path, config=config, dtype=torch.float32)
    if not dropout:
        for module in inner.modules():
            if isinstance(module, nn.Dropout):
                module.p = 0.0
    if inner.get_input_embeddings().num_embeddings < vocab_size:
        inner.resize_token_embeddings(vocab_size)  # a pad token was added to the tokenizer
    inner.config.pad_token_id = pad_token_id
    inner.config.use_cache = False
    if grad_checkpointing:
        inner.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model = DecoderRewardModel(inner, lm_chunk) if kind == "decoder" else SeqClsRewardModel(inner)
    if head_init is not None:
        init_head(model, head_init, getattr(inner.config, "initializer_range", 0.02))
    return model


def transformer_layers(model: nn.Module) -> list[nn.Module]:
    """The repeated blocks to shard one by one: HF's no-split classes, else the longest ModuleList."""
    inner = model.lm if isinstance(model, DecoderRewardModel) else model.model
    names = set(getattr(inner, "_no_split_modules", None) or [])
    layers = [m for m in inner.modules() if type(m).__name__ in names]
    if layers:
        return layers
    lists = [m for m in inner.modules() if isinstance(m, nn.ModuleList)]
    return list(max(lists, key=len)) if lists else []


def export(full_state: dict[str, torch.Tensor], model: nn.Module, tokenizer, out_dir: str,
           dtype: torch.dtype = torch.float32) -> None:
    """Write a standard HF sequence-classification checkpoint (safetensors, num_labels 1)."""
    if isinstance(model, DecoderRewardModel):
        config = model.lm.config.__class__.from_dict(model.lm.config.to_dict())
        config.architectures = None
        prefix = model.lm.base_model_prefix
        state = {k[len("lm."):]: v for k, v in full_state.items() if k.startswith(f"lm.{prefix}.")}
        state["score.weight"] = full_state["score.weight"]
    else:
        config = model.model.config.__class__.from_dict(model.model.config.to_dict())
        state = {k[len("model."):]: v for k, v in full_state.items() if k.startswith("model.")}
    config.num_labels = 1
    config.pad_token_id = tokenizer.pad_token_id
    config.use_cache = True
    out = AutoModelForSequenceClassification.from_config(config, dtype=torch.float32)
    out.load_state_dict(state, strict=True)
    out.to(dtype).save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
