"""training.gguf_import on a real (tiny) GGUF file: a Llama written with the gguf package the
way llama.cpp's converter writes one, read back by transformers' GGUF reader."""
import json

import numpy as np
import pytest
import torch

from training import gguf_import, synthetic

gguf = pytest.importorskip("gguf", reason="gguf is in the train extra")

HIDDEN, LAYERS, HEADS, KV_HEADS, FFN = 64, 2, 4, 2, 128


def write_tiny_llama(path: str, tok_dir: str) -> int:
    """A 2-layer Llama GGUF with the byte-level BPE tokenizer saved in ``tok_dir``; returns the vocab size."""
    spec = json.load(open(f"{tok_dir}/tokenizer.json"))
    vocab = sorted(spec["model"]["vocab"].items(), key=lambda kv: kv[1])
    specials = {t["content"] for t in spec["added_tokens"]}
    merges = [m if isinstance(m, str) else " ".join(m) for m in spec["model"]["merges"]]
    ids = dict(vocab)
    n = len(vocab)
    w = gguf.GGUFWriter(path, "llama")
    w.add_context_length(256)
    w.add_embedding_length(HIDDEN)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_dimension_count(HIDDEN // HEADS)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(n)
    w.add_tokenizer_model("gpt2")
    w.add_token_list([t for t, _ in vocab])
    w.add_token_types([gguf.TokenType.CONTROL if t in specials else gguf.TokenType.NORMAL for t, _ in vocab])
    w.add_token_merges(merges)
    w.add_bos_token_id(ids["<|im_start|>"])
    w.add_eos_token_id(ids["<|im_end|>"])
    w.add_pad_token_id(ids["<|im_end|>"])  # as SmolLM2's GGUF does
    w.add_chat_template(synthetic.CHAT_TEMPLATE)
    rng = np.random.default_rng(0)

    def add(name, *shape):
        w.add_tensor(name, (rng.standard_normal(shape) * 0.02).astype(np.float32))
    add("token_embd.weight", n, HIDDEN)
    add("output.weight", n, HIDDEN)
    w.add_tensor("output_norm.weight", np.ones(HIDDEN, dtype=np.float32))
    kv = HIDDEN // HEADS * KV_HEADS
    for i in range(LAYERS):
        add(f"blk.{i}.attn_q.weight", HIDDEN, HIDDEN)
        add(f"blk.{i}.attn_k.weight", kv, HIDDEN)
        add(f"blk.{i}.attn_v.weight", kv, HIDDEN)
        add(f"blk.{i}.attn_output.weight", HIDDEN, HIDDEN)
        add(f"blk.{i}.ffn_gate.weight", FFN, HIDDEN)
        add(f"blk.{i}.ffn_up.weight", FFN, HIDDEN)
        add(f"blk.{i}.ffn_down.weight", HIDDEN, FFN)
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(HIDDEN, dtype=np.float32))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(HIDDEN, dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return n


def test_a_gguf_becomes_a_folder_the_trainer_reads(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from training import reward_model
    from training.train import load_tokenizer
    texts = [r["input"] + r["chosen"] for r in synthetic.rows(30)]
    synthetic.train_tokenizer(texts, str(tmp_path / "tok"), vocab_size=300)
    n = write_tiny_llama(str(tmp_path / "tiny.gguf"), str(tmp_path / "tok"))
    out = gguf_import.convert(str(tmp_path / "tiny.gguf"), str(tmp_path / "hf"))

    # The folder holds the GGUF's weights as plain float32, with no GGUF quantiser left behind.
    direct = AutoModelForCausalLM.from_pretrained(str(tmp_path), gguf_file="tiny.gguf", dtype=torch.float32)
    folder = AutoModelForCausalLM.from_pretrained(out)
    assert "quantization_config" not in json.load(open(f"{out}/config.json"))
    ids = torch.randint(5, n, (2, 12))
    assert torch.equal(direct(ids).logits, folder(ids).logits)
    # Its tokenizer is the GGUF's, chat template included.
    tok, ref = AutoTokenizer.from_pretrained(out), AutoTokenizer.from_pretrained(str(tmp_path / "tok"))
    text = "def f(x):\n    return x + 1\n"
    assert tok(text)["input_ids"] == ref(text)["input_ids"]
    chat = [{"role": "user", "content": "q"}, {"role": "assistant", "content": text}]
    assert tok.apply_chat_template(chat, tokenize=False) == ref.apply_chat_template(chat, tokenize=False)
    # The trainer reads it as a decoder and pads with a token of its own (the GGUF pads with
    # <|im_end|>, the end of every turn).
    assert reward_model.detect_kind(out) == "decoder"
    train_tok = load_tokenizer(out)
    assert train_tok.pad_token == "<|pad|>"
    model = reward_model.build(out, "decoder", train_tok.pad_token_id, len(train_tok), False)
    rewards, _ = model(ids, torch.ones_like(ids))
    assert rewards.shape == (2,) and not rewards.any()  # zero head: every reward starts at 0
