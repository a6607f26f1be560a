"""Small, learnable preference data and tiny models built from configs (tests, benchmarks, demos).

The task: both sides share random filler statements; the chosen side also carries lines from
a "good" set, the rejected side lines from a "bad" set. A reward model learns it in a few
steps, so a falling loss is a meaningful signal. Rows conform to schemas.PREFERENCE_PAIR.
"""
from __future__ import annotations

import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

from schemas import PREFERENCE_PAIR, SCHEMA_VERSION
from schemas.criteria import CRITERIA
from schemas.languages import languages
from schemas.system_prompts import aspect_prompt

GOOD = ("assert n >= 0", "return result", "validate(user_input)", "close(handle)", "cache[key] = value")
BAD = ("x = eval(input())", "password = 'hunter2'", "while True: pass", "strcpy(buf, src)", "result = result")
FILLER = ("total = total + item", "count += 1", "items.append(value)", "name = name.strip()", "if flag: step()",
          "value = compute(a, b)", "for item in items: use(item)", "data = load(path)", "print(message)")


def _code(rng: random.Random, marked: tuple[str, ...], size: int) -> str:
    lines = [rng.choice(FILLER) for _ in range(size)]
    for line in rng.sample(marked, 2):
        lines.insert(rng.randrange(len(lines) + 1), line)
    return "def solve(items):\n" + "\n".join("    " + ln for ln in lines)


def rows(n: int, seed: int = 0, split: str = "train", max_filler: int = 12) -> list[dict]:
    """n preference rows with every PREFERENCE_PAIR column filled."""
    rng = random.Random(seed)
    langs, crits = list(languages().values()), list(CRITERIA.values())
    out = []
    for i in range(n):
        lang, crit = langs[i % len(langs)], crits[i % len(crits)]
        size = rng.randint(2, max_filler)
        source = ("commits", "problems")[i % 2]
        out.append({
            "system": aspect_prompt(crit.id) if i % 3 else None,
            "input": f"Task {i}: process the items and return the total ({lang.name}).",
            "chosen": _code(rng, GOOD, size), "rejected": _code(rng, BAD, size),
            "language": lang.name, "aspect": crit.name, "source": source, "idx": seed * 1_000_000 + i,
            "split": split, "criterion": crit.id, "language_id": lang.id, "origin": f"synthetic/{seed}",
            "commit": None, "problem_id": f"p{i % 7}", "license": "MIT",
            "chosen_id": f"c{seed}-{i}", "rejected_id": f"r{seed}-{i}", "label_method": "execution", "margin": 5.0,
            "chosen_execution": None, "rejected_execution": None, "votes": [], "agreement": None,
            "system_mode": "criterion" if i % 3 else "none", "schema_version": SCHEMA_VERSION,
        })
    return out


def write_shards(folder: str, split: str, n: int, shards: int = 2, seed: int = 0, max_filler: int = 12) -> list[str]:
    """Write ``{split}-0000K-of-0000N.parquet`` files the way the pipeline names them."""
    os.makedirs(folder, exist_ok=True)
    data = rows(n, seed, split, max_filler)
    paths = []
    for k in range(shards):
        path = os.path.join(folder, f"{split}-{k:05d}-of-{shards:05d}.parquet")
        pq.write_table(pa.Table.from_pylist(data[k::shards], schema=PREFERENCE_PAIR), path)
        paths.append(path)
    return paths


CHAT_TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def train_tokenizer(texts: list[str], out_dir: str, vocab_size: int = 512):
    """A byte-level BPE tokenizer with a chat template and a dedicated pad token, saved to out_dir."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<|pad|>", "<|im_start|>", "<|im_end|>", "<|endoftext|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials,
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<|pad|>", eos_token="<|endoftext|>",
                                   additional_special_tokens=["<|im_start|>", "<|im_end|>"])
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(out_dir)
    return fast


def tiny_qwen3(out_dir: str, vocab_size: int, seed: int = 0, layers: int = 2, hidden: int = 64):
    """A randomly initialised Qwen3ForCausalLM (head_dim 64) saved to out_dir."""
    import torch
    from transformers import AutoModelForCausalLM, Qwen3Config

    torch.manual_seed(seed)
    config = Qwen3Config(vocab_size=vocab_size, hidden_size=hidden, intermediate_size=2 * hidden,
                         num_hidden_layers=layers, num_attention_heads=max(1, hidden // 64), num_key_value_heads=1,
                         head_dim=64, max_position_embeddings=2048, pad_token_id=0, tie_word_embeddings=False)
    model = AutoModelForCausalLM.from_config(config)
    model.save_pretrained(out_dir)
    return model


def tiny_decoder_on_rows(out_dir: str, n_rows: int = 60, vocab_size: int = 400, **model_args) -> str:
    """A tokenizer trained on ``rows(n_rows)`` and a random ``tiny_qwen3`` sized to it, both in
    out_dir (the trainer's ``--model``): the tests' smallest real decoder for these shards."""
    texts = [r["input"] + r["chosen"] + r["rejected"] for r in rows(n_rows)]
    tok = train_tokenizer(texts, out_dir, vocab_size=vocab_size)
    tiny_qwen3(out_dir, len(tok), **model_args)
    return out_dir
