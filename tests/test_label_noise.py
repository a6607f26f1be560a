"""The label-noise analysis: its statistics, its between-run z and its simulation of more rounds."""
from __future__ import annotations

import math

import pytest

from bench.label_noise import (STATISTICS, between_run_z, candidate_pairs, quantile, run_shift_sd, sampling_null,
                               simulate, statistic_rule, z_spread)


def sample(sid: str, runs: list[float], group: str | None = None, first: int = 0, variant_of: str | None = None):
    ex = {"verdict": "OK", "tests": [{"runs_cpu_s": runs}]}
    if group:
        ex.update(round_group=group, round_first=first)
    return {"sample_id": sid, "problem_id": "p", "language": "python", "variant_of": variant_of, "execution": ex}


def test_quantile_interpolates_between_order_statistics():
    assert quantile([4.0, 1.0, 3.0, 2.0], 0.0) == 1.0
    assert quantile([4.0, 1.0, 3.0, 2.0], 1.0) == 4.0
    assert quantile([1.0, 2.0, 3.0, 4.0, 5.0], 0.25) == 2.0
    assert quantile([1.0, 2.0], 0.1) == pytest.approx(1.1)


def test_each_statistic_decides_on_its_own_number():
    slow, fast = sample("a", [0.9, 1.2, 1.2]), sample("b", [0.2, 0.2, 0.2])
    assert statistic_rule(STATISTICS["median"], 5.0)(slow, fast) == "b"  # 1.2 / 0.2 = 6x
    assert statistic_rule(min, 5.0)(slow, fast) is None  # 0.9 / 0.2 = 4.5x
    failing = dict(fast, execution=dict(fast["execution"], verdict="WRONG_ANSWER"))
    assert statistic_rule(min, 5.0)(slow, failing) is None


def test_samples_measured_in_the_same_rounds_are_compared_on_their_rounds():
    # First runs 10x apart, the three rounds 2x apart: the rounds decide.
    a = sample("a", [1.0, 1.0, 1.0, 0.5, 0.5, 0.5], group="g", first=3)
    b = sample("b", [0.1, 0.1, 0.1, 1.0, 1.0, 1.0], group="g", first=3)
    assert statistic_rule(STATISTICS["median"], 5.0)(a, b) is None
    assert statistic_rule(STATISTICS["median"], 1.5)(a, b) == "a"
    # Against a sample never re-measured, a's first measurement counts (1.0 against 0.15).
    assert statistic_rule(STATISTICS["median"], 5.0)(a, sample("c", [0.15, 0.15, 0.15])) == "c"


def test_a_variant_pairs_only_with_its_origin():
    samples = {s["sample_id"]: s for s in (sample("a", [1.0]), sample("b", [1.0]), sample("m", [1.0], variant_of="a"))}
    assert {frozenset((x["sample_id"], y["sample_id"])) for x, y in candidate_pairs(samples)} == \
        {frozenset("ab"), frozenset("am")}


def test_between_run_z_is_the_change_over_its_standard_error():
    rounds = [1.60, 1.62, 1.58, 1.61, 1.59, 1.60]
    assert between_run_z(rounds, rounds) == 0.0
    shifted = [x - 0.1 for x in rounds]
    assert between_run_z(rounds, shifted) > 3  # 0.1 apart, standard errors near 0.01
    assert between_run_z(shifted, rounds) == -between_run_z(rounds, shifted)
    flat = [1.6] * 6
    assert between_run_z(flat, [1.5] * 6) == math.inf  # no spread at all: a sign, no size
    assert between_run_z([1.5] * 6, flat) == -math.inf
    assert z_spread([(flat, [1.5] * 6), (rounds, rounds)]) == (0.0, 0.0)  # the infinite one left out


def test_sampling_noise_alone_gives_z_fatter_than_a_normal_and_an_offset_above_zero():
    import random
    rng = random.Random(5)
    pairs = [([rng.gauss(1.6, 0.1) for _ in range(6)], [rng.gauss(1.6, 0.1) for _ in range(6)]) for _ in range(80)]
    null = sampling_null(pairs, trials=100, seed=2)
    assert null["sd_z"] == pytest.approx(1.3, abs=0.2)  # an estimated standard error of 6 rounds: not a normal's 1
    assert null["median_z"] == pytest.approx(0.77, abs=0.1)  # a normal's: 0.67
    assert 0 < null["shift"] < null["shift_95"]
    assert run_shift_sd(pairs) < null["shift_95"] * 1.5  # these pairs had no offset


def test_a_pair_far_from_the_line_keeps_its_label_without_more_rounds():
    labels, lost, extra = simulate([(math.log(50), 0.05, 1.0)], 5.0, cap=24, z=2.0, trials=20, seed=1)
    assert (labels, lost, extra) == (2.0, 0.0, 0.0)
    labels, lost, extra = simulate([(math.log(0.5), 0.05, 1.0)], 5.0, cap=24, z=2.0, trials=20, seed=1)
    assert (labels, lost, extra) == (0.0, 0.0, 0.0)


def test_a_pair_on_the_line_flips_whatever_the_rounds_and_costs_them_all():
    on_line = [(math.log(5.0), 0.1, 2.0)]
    first = simulate(on_line, 5.0, cap=48, z=2.0, trials=400, seed=7)
    assert first == simulate(on_line, 5.0, cap=48, z=2.0, trials=400, seed=7)  # seeded
    labels, lost, extra = first
    assert 0.35 < lost / labels < 0.65  # a label per run about half the time, lost about half of those
    assert 0.5 * 42 * 2.0 < extra <= 42 * 2.0  # most runs go on towards the cap of 48 rounds
    near = simulate([(math.log(5.5), 0.1, 2.0)], 5.0, cap=6, z=2.0, trials=400, seed=7)
    more = simulate([(math.log(5.5), 0.1, 2.0)], 5.0, cap=48, z=2.0, trials=400, seed=7)
    assert more[1] / more[0] < near[1] / near[0]  # 10 % off the line, more rounds do help


def test_a_shift_of_whole_runs_is_what_sampling_noise_does_not_explain():
    rounds = [1.60, 1.62, 1.58, 1.61, 1.59, 1.60]
    assert run_shift_sd([(rounds, rounds)] * 3) == 0.0
    shifted = [x - 0.1 for x in rounds]
    # Every pair 0.1 apart between its runs, standard errors near 0.01: E[d^2] = 2 shift^2.
    assert run_shift_sd([(rounds, shifted), (shifted, rounds)]) == pytest.approx(0.1 / math.sqrt(2), rel=0.05)


def test_a_shift_between_runs_costs_labels_that_more_rounds_cannot_win_back():
    off_line = [(math.log(5.5), 0.1, 1.0)]
    labels, lost, _ = simulate(off_line, 5.0, cap=48, z=2.0, trials=400, seed=3)
    shifted = simulate(off_line, 5.0, cap=48, z=2.0, trials=400, seed=3, shift=0.1)
    assert shifted[1] / shifted[0] > 2 * lost / labels
