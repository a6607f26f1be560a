"""Reward models with one interface: forward(input_ids, attention_mask, lm_targets) -> (rewards, lm_loss).

The decoder kind also takes a packed row (training.packing): ``position_ids``, a document mask
as ``attention_mask`` (4-D bool or a FlexAttention BlockMask), ``last_index`` and, for the LM
loss, ``lm_index``/``lm_labels`` (fused, chunked LM head + cross-entropy).

Two kinds:
- ``decoder``: a causal LM backbone; a bias-free, zero-initialised scalar head reads the
  final hidden state of the last non-pad token (right padding), and the LM head gives an
  optional auxiliary loss on the chosen response tokens. Options (``DecoderRewardModel``): the
  head reads the mean of the response tokens' states instead (``pooling``), has one output per
  criterion (``criterion_heads``), and the reward adds the LM's own mean log-probability of the
  response with a learned weight per criterion (``likelihood``). A pretrained LM already finds
  a planted bug unlikely (SmolLM2-135M alone prefers the canonical HumanEval solution over its
  mutant in 91 % of pairs), which a head has to learn from a few hundred pairs; the weight is
  per criterion because the sign differs (on the default run the feature picks the chosen side
  of 73 % of fc and 74 % of me training pairs but 19 % of readability pairs).
- ``seqcls``: any AutoModelForSequenceClassification with num_labels=1 (e.g. MiniLM).
"""
from __future__ import annotations

import json
import os
from types import SimpleNamespace

import torch
from torch import nn
from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSequenceClassification

from schemas.criteria import CRITERION_IDS
from training.batching import IGNORE
from training.losses import linear_cross_entropy, token_mean_cross_entropy


HEAD_FILE = "reward_head.json"  # marks an exported decoder reward model with options (export_decoder_reward)
HEAD_FORMAT = "codepref-decoder-reward/1"


@torch.no_grad()
def mean_logprob(hidden: torch.Tensor, weight: torch.Tensor, labels: torch.Tensor, seq: torch.Tensor,
                 n_seq: int, chunk: int = 1024) -> torch.Tensor:
    """Per sequence, the mean log-probability of its response tokens under the LM head.

    ``hidden`` (N x H) are the states that predict ``labels`` (N), the response tokens;
    ``seq`` (N) says which of the ``n_seq`` sequences each belongs to. The vocabulary
    projection runs ``chunk`` rows at a time (no N x V tensor). A sequence with no response
    token in its window gets 0.
    """
    total = torch.zeros(n_seq, dtype=torch.float32, device=hidden.device)
    count = torch.zeros(n_seq, dtype=torch.float32, device=hidden.device)
    for s in range(0, labels.shape[0], chunk):
        logits = (hidden[s:s + chunk] @ weight.t()).float()
        lp = logits.gather(1, labels[s:s + chunk, None]).squeeze(1) - torch.logsumexp(logits, dim=-1)
        total.index_add_(0, seq[s:s + chunk], lp)
        count.index_add_(0, seq[s:s + chunk], torch.ones_like(lp))
    return total / count.clamp(min=1.0)


POOLINGS = ("last", "response_mean")


def _rows_need(criterion: torch.Tensor | None) -> torch.Tensor:
    if criterion is None or bool((criterion < 0).any()):
        raise ValueError("this reward model has per-criterion parameters: it needs each row's criterion")
    return criterion


class DecoderRewardModel(nn.Module):
    """Causal LM + reward head. The head is bias-free and zero-initialised (every pair starts at
    margin 0); what it reads and what it adds are options:

    - ``pooling``: ``last`` (the last token's final state, Themis) or ``response_mean`` (the mean
      of the response tokens' final states: for a frozen backbone, a view of the whole response
      rather than of the one token that ends it);
    - ``criterion_heads``: one output per criterion, each row read at its own criterion (the
      criteria's preferred directions conflict: readable code is longer and more named, fast and
      lean code has fewer identifiers on our data);
    - ``likelihood``: adds ``likelihood_weight[criterion] x likelihood_scale x`` the LM's mean
      log-probability of the response tokens (``mean_logprob``; no gradient flows through it).
    """

    def __init__(self, lm: nn.Module, lm_chunk: int = 1024, likelihood: bool = False, likelihood_scale: float = 1.0,
                 pooling: str = "last", criterion_heads: bool = False, n_criteria: int = len(CRITERION_IDS)):
        super().__init__()
        if pooling not in POOLINGS:
            raise ValueError(f"unknown pooling {pooling!r} ({', '.join(POOLINGS)})")
        self.lm = lm
        self.lm_chunk = lm_chunk
        self.pooling = pooling
        self.criterion_heads = criterion_heads
        self.score = nn.Linear(lm.config.hidden_size, n_criteria if criterion_heads else 1, bias=False)
        nn.init.zeros_(self.score.weight)
        # One weight per criterion, zero like the head, times a fixed scale: AdamW moves a
        # parameter by about its learning rate per step whatever its size, so the scale sets how
        # far a hundred head steps can take the feature's weight.
        self.likelihood_scale = float(likelihood_scale)
        self.likelihood_weight = nn.Parameter(torch.zeros(n_criteria)) if likelihood else None

    @property
    def likelihood(self) -> bool:
        return self.likelihood_weight is not None

    @property
    def reads_responses(self) -> bool:
        """Whether forward needs each row's response span and criterion (the padded path's
        ``response_mask`` and ``criterion``; the packed path's ``resp_*`` and ``criterion``)."""
        return self.likelihood or self.criterion_heads or self.pooling != "last"

    @property
    def standard_export(self) -> bool:
        """A plain last-token scalar head: exported as a HF *ForSequenceClassification."""
        return not self.reads_responses

    def head_parameters(self) -> list[nn.Parameter]:
        return [self.score.weight] + ([self.likelihood_weight] if self.likelihood else [])

    def _rewards(self, pooled, n_rows, criterion, lp_states=None, lp_labels=None, seq=None):
        """pooled (rows x H) -> rewards (rows,), reading each row's own criterion where needed."""
        out = self.score(pooled).float()
        if self.criterion_heads:
            rows = torch.arange(n_rows, device=out.device)
            rewards = out[rows, _rows_need(criterion)]
        else:
            rewards = out[:, 0]
        if self.likelihood:
            lp = mean_logprob(lp_states, self.lm.get_output_embeddings().weight, lp_labels, seq, n_rows, self.lm_chunk)
            rewards = rewards + self.likelihood_weight.float()[_rows_need(criterion)] * self.likelihood_scale * lp
        return rewards

    def forward(self, input_ids, attention_mask=None, lm_targets=None, position_ids=None, last_index=None,
                lm_index=None, lm_labels=None, response_mask=None, resp_index=None, resp_labels=None, resp_seq=None,
                criterion=None):
        backbone = getattr(self.lm, self.lm.base_model_prefix)
        if last_index is not None:
            return self._packed(backbone, input_ids, attention_mask, position_ids, last_index, lm_index, lm_labels,
                                resp_index, resp_labels, resp_seq, criterion)
        hidden = backbone(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        n = hidden.shape[0]
        rows = torch.arange(n, device=hidden.device)
        if self.reads_responses and response_mask is None:
            raise ValueError("this reward model reads the responses: it needs the response_mask of each row")
        if self.pooling == "last":
            pooled = hidden[rows, attention_mask.sum(dim=1) - 1]
        else:
            m = response_mask.to(hidden.dtype)
            pooled = (hidden * m[..., None]).sum(1) / m.sum(1).clamp(min=1.0)[:, None]
        states = labels = seq = None
        if self.likelihood:
            # Position t predicts token t+1: the states before each response token.
            keep = response_mask[:, 1:].bool()
            states, labels, seq = hidden[:, :-1][keep], input_ids[:, 1:][keep], rows[:, None].expand_as(keep)[keep]
        rewards = self._rewards(pooled, n, criterion, states, labels, seq)
        lm_loss = None
        if lm_targets is not None:
            # Position t predicts token t+1; only chosen response tokens are scored, and the
            # vocabulary projection runs on those positions alone.
            targets = lm_targets[:, 1:]
            keep = targets != IGNORE
            logits = self.lm.get_output_embeddings()(hidden[: targets.shape[0], :-1][keep])
            lm_loss = token_mean_cross_entropy(logits, targets[keep])
        return rewards, lm_loss

    def _packed(self, backbone, input_ids, mask, position_ids, last_index, lm_index, lm_labels,
                resp_index=None, resp_labels=None, resp_seq=None, criterion=None):
        hidden = backbone(input_ids=input_ids, attention_mask=mask, position_ids=position_ids).last_hidden_state[0]
        n = last_index.shape[0]
        if self.reads_responses and resp_index is None:
            raise ValueError("this reward model reads the responses: it needs the packed row's response index")
        if self.pooling == "last":
            pooled = hidden[last_index]
        else:
            # resp_index holds the states before the response tokens; the tokens' own are one later.
            sums = torch.zeros((n, hidden.shape[-1]), dtype=hidden.dtype, device=hidden.device)
            sums = sums.index_add(0, resp_seq, hidden[resp_index + 1])
            counts = torch.bincount(resp_seq, minlength=n).clamp(min=1).to(hidden.dtype)
            pooled = sums / counts[:, None]
        rewards = self._rewards(pooled, n, criterion, hidden[resp_index] if self.likelihood else None,
                                resp_labels, resp_seq)
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


def head_parameters(model: nn.Module) -> list[nn.Parameter]:
    """The reward head's parameters (and the likelihood weight): what --head-lr and --freeze-backbone leave trainable."""
    if isinstance(model, DecoderRewardModel):
        return model.head_parameters()
    return list(score_head(model).parameters())


def freeze_backbone(model: nn.Module) -> int:
    """Stop gradients into everything but the head; returns the number of trainable parameters left."""
    head = {id(p) for p in head_parameters(model)}
    for p in model.parameters():
        p.requires_grad_(id(p) in head)
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


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
          head_init: str | None = None, likelihood: bool = False, likelihood_scale: float = 1.0,
          pooling: str = "last", criterion_heads: bool = False) -> nn.Module:
    """Load the backbone from ``path`` (fp32 master weights) and wrap it.

    ``head_init`` (zero / normal with the config's ``initializer_range``) re-initialises the
    reward head; None keeps the class's own (decoder: zero; seqcls: as Hugging Face builds it).

    Dropout is off unless asked for (as in TRL's RewardTrainer): reward margins are noisy
    enough, and on the CPU attention dropout forces the slow, memory-hungry attention path.
    """
    if kind != "decoder" and (likelihood or criterion_heads or pooling != "last"):
        raise ValueError("--likelihood, --pooling and --criterion-heads need the decoder kind (a causal LM)")
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
    model = (DecoderRewardModel(inner, lm_chunk, likelihood, likelihood_scale, pooling, criterion_heads) if kind == "decoder"
             else SeqClsRewardModel(inner))
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
    """Write a standard HF sequence-classification checkpoint (safetensors, num_labels 1); a
    decoder reward model with options a classifier cannot hold is written by ``export_decoder_reward``."""
    if isinstance(model, DecoderRewardModel) and not model.standard_export:
        return export_decoder_reward(full_state, model, tokenizer, out_dir, dtype)
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


def export_decoder_reward(full_state: dict[str, torch.Tensor], model: DecoderRewardModel, tokenizer, out_dir: str,
                          dtype: torch.dtype = torch.float32) -> None:
    """The causal LM as a standard HF checkpoint (``AutoModelForCausalLM`` loads it) plus HEAD_FILE:
    the options and the head's weights (``DecoderRewardScorer`` reads both)."""
    config = model.lm.config.__class__.from_dict(model.lm.config.to_dict())
    config.pad_token_id = tokenizer.pad_token_id
    config.use_cache = True
    lm = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    state = {k[len("lm."):]: v for k, v in full_state.items() if k.startswith("lm.")}
    missing, unexpected = lm.load_state_dict(state, strict=False)
    tied = set(getattr(lm, "_tied_weights_keys", None) or [])
    if unexpected or set(missing) - tied:
        raise ValueError(f"the LM's state does not match its config: missing {missing}, unexpected {unexpected}")
    lm.to(dtype).save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    likelihood = full_state.get("likelihood_weight")
    head = {"format": HEAD_FORMAT, "criteria": list(CRITERION_IDS), "lm_chunk": model.lm_chunk,
            "pooling": model.pooling, "criterion_heads": model.criterion_heads,
            "likelihood_scale": model.likelihood_scale,
            "likelihood_weight": None if likelihood is None else [float(x) for x in likelihood.reshape(-1)],
            "score_weight": full_state["score.weight"].float().tolist()}
    with open(os.path.join(out_dir, HEAD_FILE), "w") as f:
        json.dump(head, f)


def is_decoder_reward_export(model_dir: str) -> bool:
    return os.path.isfile(os.path.join(model_dir, HEAD_FILE))


class DecoderRewardScorer(nn.Module):
    """An exported ``export_decoder_reward`` model with the scoring interface of a HF sequence
    classifier: ``model(input_ids, attention_mask, response_mask, criterion).logits`` is (rows, 1);
    ``config.pad_token_id``."""

    needs_response_mask = True  # and each row's criterion

    def __init__(self, rm: DecoderRewardModel):
        super().__init__()
        self.rm = rm
        self.config = rm.lm.config

    @classmethod
    def from_pretrained(cls, model_dir: str, dtype: torch.dtype = torch.float32) -> "DecoderRewardScorer":
        path = os.path.join(model_dir, HEAD_FILE)
        with open(path) as f:
            head = json.load(f)
        if head.get("format") != HEAD_FORMAT:
            raise ValueError(f"{path}: unknown format {head.get('format')!r} (this code reads {HEAD_FORMAT})")
        if head.get("criteria") != list(CRITERION_IDS):
            raise ValueError(f"{path}: weights for criteria {head.get('criteria')}, this code has {list(CRITERION_IDS)}")
        lm = AutoModelForCausalLM.from_pretrained(model_dir, dtype=dtype)
        rm = DecoderRewardModel(lm, head["lm_chunk"], head["likelihood_weight"] is not None, head["likelihood_scale"],
                                head["pooling"], head["criterion_heads"])
        with torch.no_grad():
            rm.score.weight.copy_(torch.tensor(head["score_weight"]))
            if rm.likelihood:
                rm.likelihood_weight.copy_(torch.tensor(head["likelihood_weight"]))
        return cls(rm.to(dtype))

    def forward(self, input_ids, attention_mask, response_mask=None, criterion=None):
        rewards, _ = self.rm(input_ids, attention_mask, response_mask=response_mask, criterion=criterion)
        return SimpleNamespace(logits=rewards[:, None])
