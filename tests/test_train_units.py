"""Unit tests of the trainer's pure parts: formatting, truncation, batching, losses, schedule, shard filters."""
import math

import pyarrow as pa
import pytest
import torch

from schemas import PREFERENCE_PAIR
from training import shards, synthetic
from training.batching import IGNORE, Pair, collate, encode_table, plan_epoch
from training.formatting import encode, render
from training.losses import bradley_terry, magnitude_penalty, token_mean_cross_entropy
from training.schedule import lr_factor


@pytest.fixture(scope="module")
def tok(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tok")
    texts = [r["input"] + r["chosen"] + r["rejected"] for r in synthetic.rows(60)]
    return synthetic.train_tokenizer(texts, str(folder), vocab_size=300)


class PlainTok:
    """A tokenizer without a chat template: one id per character, [1] before and [2] after."""
    chat_template = None

    def __call__(self, text, add_special_tokens=True):
        ids = [ord(c) for c in text]
        return {"input_ids": ([1] + ids + [2]) if add_special_tokens else ids}


def test_plain_template_and_special_tokens():
    head, tail = render(PlainTok(), "SYS", "do it", "code")
    assert head == "System: SYS\n\nUser: do it\n\nAssistant: " and tail == "code"
    assert render(PlainTok(), None, "do it", "code")[0] == "User: do it\n\nAssistant: "
    enc = encode(PlainTok(), None, "p", "abcdef", max_length=100)
    assert enc.input_ids[0] == 1 and enc.input_ids[-1] == 2
    assert "".join(map(chr, enc.input_ids[enc.response_start:enc.response_end])) == "abcdef"


def test_only_the_response_is_truncated_and_long_prompts_are_dropped():
    head_len = len("User: p\n\nAssistant: ")
    enc = encode(PlainTok(), None, "p", "abcdefghij", max_length=head_len + 2 + 4)
    assert len(enc.input_ids) == head_len + 6
    assert "".join(map(chr, enc.input_ids[enc.response_start:enc.response_end])) == "abcd"
    assert encode(PlainTok(), None, "p" * 50, "abc", max_length=30) is None
    kept = encode(PlainTok(), None, "p" * 50, "abc", max_length=30, keep_long_prompt=True)
    assert kept is not None and len(kept.input_ids) <= 30


def test_chat_template_is_used(tok):
    head, tail = render(tok, "S", "P", "R")
    assert head.startswith("<|im_start|>system\nS") and head.endswith("<|im_start|>assistant\n")
    assert tail.startswith("R")


def test_encode_table_counts_dropped_rows(tok):
    table = pa.Table.from_pylist(synthetic.rows(10), schema=PREFERENCE_PAIR)
    pairs, dropped = encode_table(tok, table, max_length=4096)
    assert (len(pairs), dropped) == (10, 0)
    pairs, dropped = encode_table(tok, table, max_length=20)
    assert (len(pairs), dropped) == (0, 10)


def test_plan_is_deterministic_length_grouped_and_complete():
    lengths = [(i * 37) % 101 for i in range(200)]
    a = plan_epoch(lengths, 4, seed=3, epoch=0, group_batches=5)
    assert a == plan_epoch(lengths, 4, seed=3, epoch=0, group_batches=5)
    assert a != plan_epoch(lengths, 4, seed=3, epoch=1, group_batches=5)
    assert all(len(b) == 4 for b in a) and len({i for b in a for i in b}) == 200
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in a) / len(a)
    random_plan = plan_epoch(lengths, 4, seed=3, epoch=0, group_batches=1)
    random_spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in random_plan) / len(random_plan)
    assert spread < random_spread / 2


def test_collate_puts_chosen_first_and_marks_chosen_response_tokens():
    from training.formatting import Encoded
    pairs = [Pair(Encoded([5, 6, 7, 8], 2, 4), Encoded([5, 9], 1, 2)), Pair(Encoded([5, 6], 1, 2), Encoded([5, 6, 7], 1, 3))]
    b = collate(pairs, pad_id=0, with_lm_targets=True)
    assert b["input_ids"].tolist() == [[5, 6, 7, 8], [5, 6, 0, 0], [5, 9, 0, 0], [5, 6, 7, 0]]
    assert b["attention_mask"].sum().item() == 4 + 2 + 2 + 3
    assert b["lm_targets"].tolist() == [[IGNORE, IGNORE, 7, 8], [IGNORE, 6, IGNORE, IGNORE]]


def test_losses():
    c, r = torch.tensor([2.0, -1.0]), torch.tensor([0.0, 1.0])
    expected = (-math.log(1 / (1 + math.exp(-2))) - math.log(1 / (1 + math.exp(2)))) / 2
    assert bradley_terry(c, r).item() == pytest.approx(expected)
    assert magnitude_penalty(c, r).item() == pytest.approx((4 + 4) / 2)
    logits = torch.tensor([[10.0, 0.0], [0.0, 10.0]])
    assert token_mean_cross_entropy(logits, torch.tensor([0, 1])).item() < 1e-3


def test_schedule_warms_up_then_decays_to_the_floor():
    f = [lr_factor(s, 100, 5, 0.05) for s in range(100)]
    assert f[0] == pytest.approx(0.2) and f[4] == pytest.approx(1.0)
    assert all(a >= b for a, b in zip(f[4:], f[5:]))
    assert f[-1] == pytest.approx(0.05, abs=1e-3)


def test_shard_reading_globs_and_filters(tmp_path):
    synthetic.write_shards(str(tmp_path / "train"), "train", 40, shards=3)
    assert len(shards.expand([str(tmp_path / "train" / "train-*.parquet")])) == 3
    table = shards.read([f"file://{tmp_path}/train"])
    assert table.num_rows == 40
    fc = shards.select(table, criteria=["Functional_Correctness"])
    assert set(fc.column("criterion").to_pylist()) == {"fc"} and fc.num_rows == 8
    py = shards.select(table, languages=["Python"], sources=["commits"])
    assert set(py.column("language_id").to_pylist()) == {"python"}
    assert set(py.column("source").to_pylist()) == {"commits"}


def test_training_package_does_not_import_beam():
    import subprocess
    import sys
    code = ("import sys, training.train, training.evaluate, training.synthetic; "
            "assert 'apache_beam' not in sys.modules, 'apache_beam imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
