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


def _text(enc, lo, hi):
    return "".join(map(chr, enc.input_ids[lo:hi]))


def test_a_long_prompt_is_cut_and_the_response_kept():
    system, prompt, response = "S" * 100 + "CRITERIA", "p" * 200 + "QUESTION", "def f(): return 1"
    enc = encode(PlainTok(), system, prompt, response, max_length=120, min_response_share=0.5)
    assert len(enc.input_ids) == 120 and enc.input_ids[0] == 1 and enc.input_ids[-1] == 2
    assert _text(enc, enc.response_start, enc.response_end) == response and enc.response_cut == 0
    head = _text(enc, 1, enc.response_start)
    # Both parts are left-truncated: their ends (the criteria list, the question) survive.
    assert head.startswith("System: S") and "CRITERIA\n\nUser: p" in head and head.endswith("QUESTION\n\nAssistant: ")
    full_head = len("System: \n\nUser: \n\nAssistant: ") + len(system) + len(prompt)
    assert enc.prompt_cut == full_head - (enc.response_start - 1)
    # Each part keeps at least half of what is left for them.
    kept_sys, kept_prompt = head.count("S") - 1, head.count("p")
    assert abs(kept_sys - kept_prompt) <= 1


def test_the_response_is_cut_only_beyond_its_reserved_share():
    head_len = len("User: p\n\nAssistant: ")
    enc = encode(PlainTok(), None, "p", "abcdefghij", max_length=head_len + 2 + 4, min_response_share=0.0)
    assert enc.prompt_cut == 0 and enc.response_cut == 6
    assert _text(enc, enc.response_start, enc.response_end) == "abcd"
    # The reserve takes from the prompt, never from the template's own text.
    enc = encode(PlainTok(), None, "pp", "abcdefghij", max_length=head_len + 1 + 2 + 4, min_response_share=0.9)
    assert enc.prompt_cut == 2 and _text(enc, 1, enc.response_end) == "User: \n\nAssistant: abcdef"
    # Both long: the response gets its share of the room, the prompt the rest.
    enc = encode(PlainTok(), None, "q" * 500, "r" * 500, max_length=102, min_response_share=0.75)
    assert enc.response_end - enc.response_start == 75 and len(enc.input_ids) == 102
    assert _text(enc, 1, enc.response_start).endswith("q\n\nAssistant: ")
    # A short prompt leaves the response more than its share.
    enc = encode(PlainTok(), None, "p", "r" * 500, max_length=102, min_response_share=0.5)
    assert enc.prompt_cut == 0 and enc.response_end - enc.response_start == 100 - head_len
    # Only the template's own tokens not fitting drops a row.
    assert encode(PlainTok(), None, "p" * 50, "abc", max_length=30) is not None
    assert encode(PlainTok(), None, "p", "abc", max_length=head_len) is None


def test_pair_windows_align_on_the_first_difference():
    """A head-first window would hold only the shared head; the pair's windows skip the
    same number of leading tokens and start a quarter window before the difference."""
    from training.formatting import encode_pair
    head = "".join(f"line{i}\n" for i in range(40))  # 246 shared characters
    a, b = head + "x = 1\n" + "tail\n" * 20, head + "x = 2\n" + "tail\n" * 20
    max_length = len("User: p\n\nAssistant: ") + 2 + 80
    plain = [encode(PlainTok(), None, "p", s, max_length) for s in (a, b)]
    assert plain[0].input_ids == plain[1].input_ids  # what the head-first window sees
    ea, eb = encode_pair(PlainTok(), None, "p", a, b, max_length)
    diff = len(head) + len("x = ")
    assert ea.response_skip == eb.response_skip == diff - 80 // 4
    assert ea.input_ids != eb.input_ids and len(ea.input_ids) == len(eb.input_ids) == max_length
    assert _text(ea, ea.response_start, ea.response_end).startswith(head[diff - 20:])
    assert "x = 1" in _text(ea, ea.response_start, ea.response_end)
    assert "x = 2" in _text(eb, eb.response_start, eb.response_end)
    assert ea.response_cut == len(a) - 80
    # A difference well inside the window moves nothing; nor does a pair that fits.
    early = encode_pair(PlainTok(), None, "p", "y = 1\n" + head, "y = 2\n" + head, max_length)
    assert early[0].response_skip == early[1].response_skip == 0
    short = encode_pair(PlainTok(), None, "p", "x = 1", "x = 2", max_length)
    assert short[0].response_skip == 0 and short[0].response_cut == 0
    # The skip never runs past the end: a window always holds a full budget when the text has it.
    near_end = encode_pair(PlainTok(), None, "p", head + "z", head + "w", max_length)
    assert near_end[0].response_end - near_end[0].response_start == 80
    assert _text(near_end[0], near_end[0].response_start, near_end[0].response_end).endswith("z")


def test_keep_last_fast_path_matches_the_search(tok):
    from training.formatting import keep_last
    text = synthetic.rows(1)[0]["input"]
    n = len(tok(text, add_special_tokens=False)["input_ids"])
    for k in (0, 1, n // 3, n - 1, n, n + 5):
        fast = keep_last(tok, text, k)
        assert len(tok(fast, add_special_tokens=False)["input_ids"]) <= max(k, 0)
        assert fast == keep_last(PlainTokOf(tok), text, k)


class PlainTokOf:
    """The same tokenizer seen without offsets (the binary-search path)."""
    def __init__(self, tok):
        self.tok = tok

    def __call__(self, text, add_special_tokens=True):
        return self.tok(text, add_special_tokens=add_special_tokens)


def test_chat_template_is_used(tok):
    head, tail = render(tok, "S", "P", "R")
    assert head.startswith("<|im_start|>system\nS") and head.endswith("<|im_start|>assistant\n")
    assert tail.startswith("R")


def test_encode_table_counts_every_dropped_and_cut_row(tok):
    from training.batching import IDENTICAL_AFTER_TRUNCATION, TEMPLATE_TOO_LONG
    table = pa.Table.from_pylist(synthetic.rows(10), schema=PREFERENCE_PAIR)
    pairs, report = encode_table(tok, table, max_length=4096)
    assert (len(pairs), report.dropped, report.prompt_truncated) == (10, {}, 0)
    pairs, report = encode_table(tok, table, max_length=3)
    assert (len(pairs), report.dropped) == (0, {TEMPLATE_TOO_LONG: 10})
    # Two responses that differ only after the reserved response budget: the windows move to
    # the difference (both skip the shared head), so the pairs are kept and differ.
    rows = synthetic.rows(5)
    for r in rows[:3]:
        r["input"] = "long question " * 60
        r["rejected"] = r["chosen"] + "\n# tail " * 80
        r["chosen"] = r["chosen"] + "\n# other " * 80
    rows[3]["rejected"] = rows[3]["chosen"]  # the same program on both sides: no signal at all
    pairs, report = encode_table(tok, pa.Table.from_pylist(rows, schema=PREFERENCE_PAIR), max_length=96)
    assert report.dropped == {IDENTICAL_AFTER_TRUNCATION: 1} and len(pairs) == 4 and report.rows == 5
    assert report.summary()["dropped"] == {IDENTICAL_AFTER_TRUNCATION: 1}
    assert report.response_aligned == 3 and report.summary()["response_aligned"] == 3
    for pair in pairs[:3]:
        c, r = pair.chosen, pair.rejected
        assert c.response_skip == r.response_skip > 0 and c.input_ids != r.input_ids
        assert len(c.input_ids) <= 96 and len(r.input_ids) <= 96
    assert pairs[3].chosen.response_skip == 0  # a short pair is never shifted


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


def test_head_init_zero_or_normal_on_the_reward_head(tmp_path):
    from transformers import BertConfig, BertForSequenceClassification

    from training import reward_model
    cfg = BertConfig(vocab_size=64, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                     num_labels=1, initializer_range=0.5)
    BertForSequenceClassification(cfg).save_pretrained(tmp_path)
    zero = reward_model.build(str(tmp_path), "seqcls", 0, 64, False, head_init="zero")
    head = reward_model.score_head(zero)
    assert head is zero.model.classifier and not head.weight.any() and not head.bias.any()
    torch.manual_seed(0)
    normal = reward_model.score_head(reward_model.build(str(tmp_path), "seqcls", 0, 64, False, head_init="normal"))
    assert 0.2 < normal.weight.std().item() < 1.0 and not normal.bias.any()  # the config's initializer_range
    with pytest.raises(ValueError, match="head initialisation"):
        reward_model.build(str(tmp_path), "seqcls", 0, 64, False, head_init="ones")


def test_head_lr_gives_the_reward_head_its_own_step(tmp_path):
    """A zero head on a small encoder starves at the backbone's rate: --head-lr gives it its own.

    One AdamW step moves every weight with a non-zero gradient by about its group's rate, so
    after one step the head's weights are ~head_lr and the backbone's changes stay ~lr.
    """
    from transformers import BertConfig, BertForSequenceClassification

    from training import reward_model
    from training.trainer import build_optimizer
    cfg = BertConfig(vocab_size=64, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                     num_labels=1)
    BertForSequenceClassification(cfg).save_pretrained(tmp_path)
    model = reward_model.build(str(tmp_path), "seqcls", 0, 64, False, head_init="zero")
    head = reward_model.score_head(model)
    opt = build_optimizer(model, 1e-4, (0.9, 0.95), 0.0, head=head, head_lr=1e-2)
    assert sorted(g["lr"] for g in opt.param_groups) == [1e-4, 1e-4, 1e-2, 1e-2]
    assert sum(len(g["params"]) for g in opt.param_groups) == len(list(model.parameters()))
    ids = torch.randint(3, 64, (4, 12))
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    rewards, _ = model(ids, torch.ones_like(ids))
    bradley_terry(rewards[:2], rewards[2:]).backward()
    opt.step()
    step = {n: (p.detach() - before[n]).abs().max().item() for n, p in model.named_parameters()}
    assert 5e-3 < step["model.classifier.weight"] <= 1.01e-2
    assert max(v for n, v in step.items() if not n.startswith("model.classifier")) <= 1.01e-4
    # Without head_lr the head is one of the backbone's groups.
    plain = build_optimizer(model, 1e-4, (0.9, 0.95), 0.0, head=head, head_lr=0.0)
    assert {g["lr"] for g in plain.param_groups} == {1e-4}


def test_a_pad_that_is_also_end_of_turn_is_replaced(tmp_path, tok):
    """SmolLM2's GGUF tokenizer pads with <|im_end|>, which ends every chat turn: the trainer
    gives it a pad of its own, so the last real token of a row is never mistaken for padding."""
    from transformers import AutoTokenizer

    from training.train import load_tokenizer
    tok.save_pretrained(tmp_path)
    same = AutoTokenizer.from_pretrained(tmp_path)
    same.pad_token = same.eos_token
    same.save_pretrained(tmp_path)
    loaded = load_tokenizer(str(tmp_path))
    assert loaded.pad_token == "<|pad|>" and loaded.pad_token_id != loaded.eos_token_id
    assert load_tokenizer(str(tmp_path)).pad_token_id == loaded.pad_token_id  # deterministic


def test_gguf_import_names_what_is_wrong(tmp_path, capsys):
    from training import gguf_import
    assert gguf_import.main(["--package", "no_such_package_here", str(tmp_path / "out")]) == 2
    assert "no_such_package_here' is not installed" in capsys.readouterr().err
    assert gguf_import.main([str(tmp_path / "missing.gguf"), str(tmp_path / "out")]) == 2
    assert "missing.gguf: no such file" in capsys.readouterr().err
    assert gguf_import.main([str(tmp_path / "x.gguf"), str(tmp_path / "out"), "--package", "p"]) == 2
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("raise ImportError('never imported')\n")
    import sys
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(gguf_import.GGUFImportError, match="holds 0 .gguf files"):
            gguf_import.packaged_gguf("pkg")
        (tmp_path / "pkg" / "w.gguf").write_bytes(b"GGUF")
        assert gguf_import.packaged_gguf("pkg") == str(tmp_path / "pkg" / "w.gguf")
    finally:
        sys.path.remove(str(tmp_path))
