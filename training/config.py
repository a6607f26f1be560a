"""Every trainer setting, written once: a frozen dataclass whose fields carry help text and defaults.

The command line of ``python -m training.train`` is generated from ``TrainConfig`` (flag
``--max-length`` is field ``max_length``); the benchmark builds the same object directly.
docs/training.md lists every flag; tests/test_train_config.py checks that it does.
"""
from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field

from schemas.system_prompts import PAIR_MODES
from training.formatting import MIN_RESPONSE_SHARE


def _opt(default, help: str, **cli):
    """A field with its help text and argparse extras (choices, nargs, required, metavar, ...)."""
    return field(default=default, metadata={"help": help, **cli})


AUTO_ON_OFF = ("auto", "on", "off")


@dataclass(frozen=True)
class TrainConfig:
    # Data
    train: tuple[str, ...] = _opt((), "Parquet shards: paths, globs, directories or fsspec URIs", nargs="+", required=True)
    criteria: tuple[str, ...] | None = _opt(None, "keep only these criteria (any spelling)", nargs="*")
    languages: tuple[str, ...] | None = _opt(None, "keep only these languages (any spelling)", nargs="*")
    sources: tuple[str, ...] | None = _opt(None, "keep only these sub-datasets", nargs="*")
    system_prompt: str = _opt("row", "system prompt of each pair: row (the shard's own, the Themis mix), or as the "
                              "evaluator scores: aspect (base + the pair's criterion), full (all five), none",
                              choices=("row", *PAIR_MODES))
    max_length: int = _opt(4096, "tokens per sequence; a long system prompt and prompt are left-truncated first")
    min_response_share: float = _opt(MIN_RESPONSE_SHARE, "share of --max-length reserved for the response when a "
                                     "row is too long (the prompt is cut to leave it; the response is cut only beyond it)")
    # Model
    model: str = _opt("", "HF model directory (a *ForCausalLM or any encoder/classifier)", required=True)
    tokenizer: str | None = _opt(None, "tokenizer directory (default: --model)")
    model_kind: str = _opt("auto", "decoder: causal LM + scalar head; seqcls: AutoModelForSequenceClassification; "
                           "auto: decoder for *ForCausalLM checkpoints", choices=("auto", "decoder", "seqcls"))
    head_init: str = _opt("zero", "reward head initialisation: zero (every pair starts at margin 0), or normal with "
                          "the model's initializer_range; bias 0 either way", choices=("zero", "normal"))
    dropout: bool = _opt(False, "keep the backbone's dropout (off by default, as in TRL)")
    pooling: str = _opt("last", "decoder kind: what the reward head reads: the last token's final state (Themis), or "
                        "the mean of the response tokens' final states", choices=("last", "response_mean"))
    criterion_heads: bool = _opt(False, "decoder kind: one head output per criterion, each pair read at its own "
                                 "(the exported model then needs each row's criterion, docs/training.md)")
    likelihood: bool = _opt(False, "decoder kind: add a learned per-criterion weight x --likelihood-scale x the LM's mean "
                            "log-probability of the response tokens to the reward (a feature without gradient; the "
                            "model is exported with its LM head, docs/training.md)")
    likelihood_scale: float = _opt(1.0, "--likelihood: fixed factor on the feature; the learned weights (from 0) "
                                   "multiply it, so it sets how far head-rate steps move the reward")
    freeze_backbone: bool = _opt(False, "train only the reward head (and the likelihood weights); the backbone stays "
                                 "as loaded")
    # Output
    output: str = _opt("", "output folder (log.jsonl, checkpoints/, model/)", required=True)
    # Batching
    batch_size: int = _opt(1, "pairs per micro-batch per process")
    grad_accum: int = _opt(1, "micro-batches per optimizer step")
    group_batches: int = _opt(64, "batches per length-sorted group")
    epochs: int = _opt(1, "passes over the data")
    max_steps: int = _opt(0, "optimizer steps (0: the epochs)")
    stop_after: int = _opt(0, "stop (with a checkpoint) after this many steps; the schedule still spans the whole run")
    # Optimisation
    lr: float = _opt(1e-5, "peak learning rate")
    head_lr: float = _opt(0.0, "peak learning rate of the reward head (0: --lr). A zero head on a small encoder "
                          "needs a far larger step than the backbone: the margin is head . (pooled chosen - pooled "
                          "rejected), and those differences are ~1e-2, so at --lr the margin stays ~0 for hundreds of "
                          "steps (docs/training.md)")
    min_lr: float = _opt(5e-7, "floor of the cosine decay (the head's floor scales with it)")
    warmup_ratio: float = _opt(0.05, "share of the steps with linear warm-up")
    weight_decay: float = _opt(0.1, "AdamW weight decay (matrices only)")
    betas: tuple[float, float] = _opt((0.9, 0.95), "AdamW betas", nargs=2)
    clip: float = _opt(1.5, "max gradient norm (0: off)")
    lm_coef: float = _opt(0.25, "lambda: LM loss on chosen response tokens (decoder kind)")
    mag_coef: float = _opt(0.001, "mu: (|r_c|+|r_r|)^2 penalty")
    seed: int = _opt(0, "seed of data order, initialisation of the head and dropout")
    # Speed (decoder kind); 'auto' resolves per device in training.trainer.resolve
    packing: str = _opt("auto", "pack chosen and rejected sequences of a micro-batch into one row with document "
                        "masking (auto: on for the decoder kind with FlexAttention, i.e. on GPUs; the CPU and seqcls keep "
                        "length-grouped padded batches)", choices=AUTO_ON_OFF)
    attention: str = _opt("auto", "attention kernel for packed rows: flex (FlexAttention block mask) or sdpa "
                          "(dense block-diagonal causal mask); auto: flex on GPUs, sdpa on the CPU",
                          choices=("auto", "flex", "sdpa"))
    compile: str = _opt("auto", "torch.compile each transformer block (auto: on GPUs, off on the CPU)", choices=AUTO_ON_OFF)
    grad_checkpointing: str = _opt("auto", "activation checkpointing per block; bare flag = on; auto: on only when the "
                                   "estimated activations do not fit the device memory", choices=AUTO_ON_OFF,
                                   nargs="?", const="on")
    lm_chunk: int = _opt(1024, "rows per chunk of the fused LM-head + cross-entropy (full-vocabulary logits are "
                         "never materialised for more rows than this)")
    pack_multiple: int = _opt(0, "pad a packed row to a multiple of this many tokens (0: 128 on GPUs, 8 on the CPU)")
    # Checkpoints and logs
    checkpoint_every: int = _opt(0, "save a checkpoint every N steps (0: only at the end)")
    resume: str | None = _opt(None, "a checkpoint directory, or 'auto' for the newest under OUTPUT/checkpoints")
    log_every: int = _opt(1, "log every N steps")
    export_dtype: str = _opt("float32", "dtype of the exported model", choices=("float32", "bfloat16"))
    tensorboard: bool = _opt(False, "also log to TensorBoard (if installed)")
    cpu: bool = _opt(False, "train on the CPU even when GPUs are present")

    def replace(self, **changes) -> "TrainConfig":
        return dataclasses.replace(self, **changes)


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _scalar_type(f: dataclasses.Field):
    default = f.default
    if isinstance(default, tuple) and default:
        return type(default[0])
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return type(default)
    return str


def parser(description: str | None = None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    for f in dataclasses.fields(TrainConfig):
        meta = dict(f.metadata)
        help_text = meta.pop("help")
        if isinstance(f.default, bool):
            p.add_argument(flag(f.name), action="store_true", help=help_text)
            continue
        if not meta.get("required"):
            help_text += f" (default: {f.default})"
        p.add_argument(flag(f.name), type=_scalar_type(f), default=f.default, help=help_text, **meta)
    return p


def from_namespace(ns: argparse.Namespace) -> TrainConfig:
    values = {}
    for f in dataclasses.fields(TrainConfig):
        v = getattr(ns, f.name, f.default)
        values[f.name] = tuple(v) if isinstance(v, list) else v
    return TrainConfig(**values)


def from_cli(argv: list[str] | None = None, description: str | None = None) -> TrainConfig:
    return from_namespace(parser(description).parse_args(argv))


def docs_table() -> str:
    """The flag table of docs/training.md (``python -m training.config`` prints it; a test keeps them equal)."""
    def shown(f):
        if f.metadata.get("required"):
            return "required"
        if isinstance(f.default, bool):
            return "on" if f.default else "off"
        return " ".join(map(str, f.default)) if isinstance(f.default, tuple) else str(f.default)
    rows = [f"| `{flag(f.name)}` | {shown(f)} | {f.metadata['help'].replace('|', '&#124;')} |"
            for f in dataclasses.fields(TrainConfig)]
    return "\n".join(["| flag | default | meaning |", "|---|---|---|", *rows])


if __name__ == "__main__":
    print(docs_table())
