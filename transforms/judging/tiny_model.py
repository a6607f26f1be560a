"""A tiny random-initialised Qwen3 judge model, built locally in seconds.

CI has no model hub, yet the judge stage must run end to end against a real vLLM server.
This module writes a complete Hugging Face model directory: a byte-level BPE tokenizer
trained on our own package's text, a ChatML chat template, a Qwen3 config and random
weights in safetensors. Weights come from numpy's seeded generator (not from a
framework's initialisers), so the same seed and corpus give byte-identical files in any
venv, whatever torch or transformers version it holds.

CLI: ``python -m transforms.judging.tiny_model OUT_DIR [--seed N]``
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
# Our own package text: code in several languages plus prose (prompts, configs).
CORPUS_GLOBS = (
    "transforms/**/*.py", "transforms/**/*.toml", "schemas/*.py", "schemas/*.toml",
    "sandboxes/*.py", "pipeline/defaults/problems/**/*.*",
)
SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
EOS_TOKEN = "<|im_end|>"
PAD_TOKEN = "<|endoftext|>"
# ChatML, the format Qwen models use; add_generation_prompt opens the assistant turn.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
MAX_CORPUS_FILE_BYTES = 200_000


def corpus_files(root: Path = ROOT, globs: Iterable[str] = CORPUS_GLOBS) -> list[Path]:
    """Sorted, de-duplicated text files of our package used to train the tokenizer."""
    found = {p for g in globs for p in root.glob(g)
             if p.is_file() and p.stat().st_size <= MAX_CORPUS_FILE_BYTES}
    return sorted(found)


def _read_texts(files: Iterable[Path]) -> Iterator[str]:
    for path in files:
        yield path.read_text(encoding="utf-8", errors="replace")


def train_tokenizer(texts: Iterable[str], vocab_size: int):
    """A byte-level BPE tokenizer (any UTF-8 text encodes) with ChatML special tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    return tok


def qwen3_config(vocab_size: int, hidden_size: int, num_layers: int, num_heads: int,
                 num_kv_heads: int, head_dim: int, intermediate_size: int,
                 max_position_embeddings: int, eos_id: int, pad_id: int) -> dict:
    """config.json of a Qwen3ForCausalLM, written by hand so any transformers version reads it."""
    return {
        "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3",
        "vocab_size": vocab_size, "hidden_size": hidden_size, "intermediate_size": intermediate_size,
        "num_hidden_layers": num_layers, "num_attention_heads": num_heads,
        "num_key_value_heads": num_kv_heads, "head_dim": head_dim, "hidden_act": "silu",
        "max_position_embeddings": max_position_embeddings, "rms_norm_eps": 1e-6,
        "rope_theta": 1000000.0, "rope_scaling": None, "attention_bias": False,
        "attention_dropout": 0.0, "use_sliding_window": False, "sliding_window": None,
        "max_window_layers": num_layers, "tie_word_embeddings": True, "initializer_range": 0.02,
        "use_cache": True, "bos_token_id": None, "eos_token_id": eos_id, "pad_token_id": pad_id,
        "torch_dtype": "float32", "dtype": "float32",
    }


def qwen3_weights(cfg: dict, seed: int) -> dict[str, np.ndarray]:
    """Random float32 weights under Qwen3's parameter names (lm_head tied to embeddings)."""
    rng = np.random.default_rng(seed)
    h, hd, inter = cfg["hidden_size"], cfg["head_dim"], cfg["intermediate_size"]
    q_out, kv_out = cfg["num_attention_heads"] * hd, cfg["num_key_value_heads"] * hd
    std = cfg["initializer_range"]

    def normal(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * std).astype(np.float32)

    weights = {"model.embed_tokens.weight": normal(cfg["vocab_size"], h)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        weights.update({
            p + "input_layernorm.weight": np.ones(h, np.float32),
            p + "post_attention_layernorm.weight": np.ones(h, np.float32),
            p + "self_attn.q_proj.weight": normal(q_out, h),
            p + "self_attn.k_proj.weight": normal(kv_out, h),
            p + "self_attn.v_proj.weight": normal(kv_out, h),
            p + "self_attn.o_proj.weight": normal(h, q_out),
            p + "self_attn.q_norm.weight": np.ones(hd, np.float32),
            p + "self_attn.k_norm.weight": np.ones(hd, np.float32),
            p + "mlp.gate_proj.weight": normal(inter, h),
            p + "mlp.up_proj.weight": normal(inter, h),
            p + "mlp.down_proj.weight": normal(h, inter),
        })
    weights["model.norm.weight"] = np.ones(h, np.float32)
    return weights


def _write_json(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def build_tiny_qwen3(out_dir: str | Path, seed: int = 0, vocab_size: int = 4096,
                     hidden_size: int = 128, num_layers: int = 2, num_heads: int = 2,
                     num_kv_heads: int = 1, head_dim: int = 64, intermediate_size: int = 256,
                     max_position_embeddings: int = 8192,
                     corpus: Iterable[Path] | None = None) -> Path:
    """Write a tiny random Qwen3 model directory loadable by transformers and vLLM; return it.

    ``vocab_size`` is the tokenizer's target; the embedding is padded to a multiple of 64
    (the trainer may stop early on a small corpus, and padded rows are never produced).
    """
    from safetensors.numpy import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = list(corpus) if corpus is not None else corpus_files()
    if not files:
        raise ValueError("tokenizer corpus is empty")
    tok = train_tokenizer(_read_texts(files), vocab_size)
    tok.save(str(out / "tokenizer.json"))
    eos_id, pad_id = tok.token_to_id(EOS_TOKEN), tok.token_to_id(PAD_TOKEN)

    padded_vocab = -(-tok.get_vocab_size() // 64) * 64
    cfg = qwen3_config(padded_vocab, hidden_size, num_layers, num_heads, num_kv_heads, head_dim,
                       intermediate_size, max_position_embeddings, eos_id, pad_id)
    _write_json(out / "config.json", cfg)
    _write_json(out / "generation_config.json",
                {"eos_token_id": eos_id, "pad_token_id": pad_id, "do_sample": True})
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "eos_token": EOS_TOKEN,
        "pad_token": PAD_TOKEN, "bos_token": None, "unk_token": None,
        "model_max_length": max_position_embeddings, "clean_up_tokenization_spaces": False,
        "chat_template": CHAT_TEMPLATE,
    })
    _write_json(out / "special_tokens_map.json", {"eos_token": EOS_TOKEN, "pad_token": PAD_TOKEN})
    save_file(qwen3_weights(cfg, seed), str(out / "model.safetensors"), metadata={"format": "pt"})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--vocab-size", type=int, default=4096)
    args = ap.parse_args(argv)
    print(build_tiny_qwen3(args.out_dir, seed=args.seed, vocab_size=args.vocab_size))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
