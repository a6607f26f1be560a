"""Shortcut rules, their audit (accumulator) and the shortcut-balanced selection of the pair stage."""
from __future__ import annotations

import random

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from tests.factories import execution, submission
from transforms import shortcuts
from transforms.common import DEAD, MAIN
from transforms.config import ConfigError
from transforms.pair import Pair, PairConfig, select_group

SHORT = "x = 1\nprint(x)\n"
LONG = '''# Add two numbers.
import sys


def add(first, second):
    """Their sum."""
    # plain addition
    return first + second


print(add(int(sys.argv[1]), int(sys.argv[2])))
'''


def _pair(criterion: str, chosen: str, rejected: str, split: str = "train", language: str = "python",
          key: str = "k", chosen_id: str = "a") -> dict:
    return {"pair_key": key, "criterion": criterion, "split": split, "language_id": language,
            "chosen": chosen, "rejected": rejected, "chosen_id": chosen_id, "rejected_id": "b"}


def test_features_count_characters_lines_comments_and_identifiers():
    f = shortcuts.features(LONG, "python")
    assert f.chars == len(LONG)
    assert f.lines == 7  # blank lines do not count
    assert f.comment_lines == 3  # two comments and the docstring
    assert f.identifiers == {"add", "first", "second", "print", "int", "sys", "argv"}.__len__()
    s = shortcuts.features(SHORT, "python")
    assert (s.lines, s.comment_lines, s.identifiers) == (2, 0, 2)


def test_signs_and_newer_side():
    long_, short = shortcuts.features(LONG, "python"), shortcuts.features(SHORT, "python")
    assert shortcuts.signs(long_, short) == {r: 1 for r in shortcuts.FEATURE_RULES}
    assert shortcuts.signs(short, long_) == {r: -1 for r in shortcuts.FEATURE_RULES}
    assert shortcuts.signs(short, short) == {r: 0 for r in shortcuts.FEATURE_RULES}
    assert shortcuts.newer_sign({"chosen_id": "c1:after"}) == 1
    assert shortcuts.newer_sign({"chosen_id": "c1:before"}) == -1
    assert shortcuts.newer_sign({"chosen_id": "s001"}) is None


def test_tally_counts_ties_half_and_merges_like_one_pass():
    pairs = [_pair("rm", LONG, SHORT), _pair("rm", LONG, SHORT), _pair("rm", SHORT, LONG),
             _pair("rm", SHORT, SHORT), _pair("sh", SHORT, LONG, split="bench", language="c", chosen_id="x:after")]
    whole = shortcuts.audit(pairs)
    rm = whole["rm"]["train"][shortcuts.ALL]["longer"]
    assert rm == {"n": 4, "agree": 2, "disagree": 1, "tie": 1, "accuracy": 0.625}
    assert "newer" not in whole["rm"]["train"][shortcuts.ALL]  # no commit pairs there
    assert whole["sh"]["bench"]["c"]["newer"]["accuracy"] == 1.0
    assert whole["sh"]["bench"]["c"]["longer"]["accuracy"] == 0.0
    a, b = shortcuts.ShortcutTally(), shortcuts.ShortcutTally()
    for i, p in enumerate(pairs):
        (a if i % 2 else b).add(p)
    assert a.merge(b).result() == whole


def test_out_of_band_flags_only_cells_with_enough_pairs():
    table = shortcuts.audit([_pair("rm", LONG, SHORT)] * 20 + [_pair("fc", LONG, SHORT)] * 19)
    assert table["rm"]["train"][shortcuts.ALL]["longer"]["accuracy"] == 1.0
    flagged = shortcuts.out_of_band(table)
    assert any(f.startswith("rm/train/longer=1.00") for f in flagged)
    assert not any(f.startswith("fc/") for f in flagged)


def _in_band(patterns: list[tuple[int, ...]], tolerance: float) -> bool:
    n = len(patterns)
    return all(abs(sum(p[r] for p in patterns)) <= 2 * tolerance * n + 1e-9 for r in range(len(patterns[0])))


def test_balance_selects_a_subset_within_tolerance_and_keeps_what_it_can():
    rng = random.Random(3)
    # 60 pairs where the longer side wins, 20 where it loses, 10 ties; other rules correlated.
    items = []
    for i in range(90):
        s = 1 if i < 60 else -1 if i < 80 else 0
        items.append((f"k{i}", (s, s if i % 3 else 0, rng.choice((-1, 0, 1)), s)))
    kept, dropped = shortcuts.balance(items, 0.1)
    assert sorted(kept + dropped) == sorted(k for k, _ in items) and not set(kept) & set(dropped)
    by_key = dict(items)
    assert _in_band([by_key[k] for k in kept], 0.1)
    # The 20 losing pairs and 10 ties allow about 20 + 10 + 20 (+ slack) winners: far more than half survive.
    assert len(kept) >= 45
    assert all(by_key[k][0] >= 0 for k in dropped)  # only the over-represented direction is dropped
    # One-way groups cannot be balanced: everything goes.
    assert shortcuts.balance([(f"k{i}", (1, 1, 1, 1)) for i in range(10)], 0.1) == ([], [f"k{i}" for i in range(9, -1, -1)])
    # A balanced group is left alone.
    assert shortcuts.balance([("a", (1, -1, 0, 1)), ("b", (-1, 1, 0, -1))], 0.1) == (["a", "b"], [])


def test_select_group_is_order_independent_and_seeded():
    pairs = [_pair("rm", LONG if i % 4 else SHORT, SHORT if i % 4 else LONG, key=f"p{i}") for i in range(24)]
    from transforms.pair import balance_item
    items = [balance_item(p, seed=7)[1] for p in pairs]
    a = select_group(items, 0.1)
    shuffled = items[:]
    random.Random(1).shuffle(shuffled)
    assert select_group(shuffled, 0.1) == a
    assert sum(1 for _, d in a if d is None) < 24  # 18 vs 6: some longer-wins pairs go
    other = select_group([balance_item(p, seed=8)[1] for p in pairs], 0.1)
    assert {k for k, d in other if d} != {k for k, d in a if d}  # the seed picks which ones
    assert all(d is None for _, d in select_group(items, 0.1, min_group=25))  # too few to judge: kept whole


def _samples() -> list[dict]:
    """Four submissions of one problem: the two that pass are long, the two that fail are short
    (no readable tags, so only fc pairs form)."""
    tags = {"language_ok": False}
    long_b = LONG.replace("plain addition", "the sum of both")
    return [submission("s1", LONG, execution(), tags), submission("s2", long_b, execution(), tags),
            submission("s3", SHORT, execution("WRONG_ANSWER", passed=0), tags),
            submission("s4", SHORT + "\n", execution("WRONG_ANSWER", passed=0), tags)]


@pytest.mark.parametrize("config, main, dead", [
    # fc: 4 pairs, the passing (longer) side always chosen: one-way, all dropped.
    (PairConfig(shortcut_min_group=0), [], [("shortcut_balance", "fc")] * 4),
    (PairConfig(no_shortcut_balance=True), ["fc"] * 4, []),
    (PairConfig(), ["fc"] * 4, []),  # 4 pairs: below the default group minimum, kept whole
])
def test_pair_stage_drops_one_way_pairs_as_dead_letters_unless_switched_off(config, main, dead):
    with beam.Pipeline("DirectRunner") as p:
        out = p | beam.Create(_samples()) | Pair(config, seed=0)
        assert_that(out[MAIN] | "fc" >> beam.Map(lambda r: r["criterion"]), equal_to(main), label="main")
        balance = (out[DEAD] | "balance" >> beam.Filter(lambda d: d["reason"] == "shortcut_balance")
                   | "dead" >> beam.Map(lambda d: (d["reason"], d["criterion"])))
        assert_that(balance, equal_to(dead), label="dead")


def test_tolerance_is_checked():
    with pytest.raises(ConfigError, match="shortcut_tolerance"):
        PairConfig(shortcut_tolerance=0.5)
    with pytest.raises(ConfigError, match="shortcut_min_group"):
        PairConfig(shortcut_min_group=-1)
