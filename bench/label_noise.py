"""Why ee labels come and go between two runs: noise more measurement could remove, or pairs on the line?

Reads the two runs that ``bench/label_stability_bench.py --keep`` leaves behind and asks three
questions of their execution reports, with no new measurement:

1. **Does another statistic of the same runs keep more labels?** ee labels are recomputed under
   the labeller's rule (``transforms.labels``; it reproduces the bench's counts) and under a
   plain ratio of one statistic per sample: the median, and the minimum and low quantiles that
   timing practice prefers on a noisy machine (interference only adds time).
2. **Is the between-run change of a pair sampling noise?** For each pair compared round by round
   in both runs, the change of its median log ratio over the two runs' standard errors (z), and
   the offset of a pair's ratio from one run to the next beyond those errors. Both are read
   against what sampling noise alone gives for the same pairs (simulated: at 6 rounds z's sd is
   about 1.3, not 1, and the offset estimate is not 0). Near that, more rounds narrow a pair's
   median; an offset well beyond it moves a run's rounds together, which no number of rounds removes.
3. **What would more rounds buy?** A seeded simulation of sequential re-measurement: each such
   pair's rounds drawn from a normal around its two runs' mean log ratio with its own spread,
   more rounds in steps while the median is within ``z`` standard errors of the threshold, up to
   a cap; both-ways survival and the CPU time the extra rounds cost. Twice: with sampling noise
   alone, and with each run's rounds offset together by what question 2 finds beyond it. At
   today's 6 rounds the model should come near the labeller's measured survival (a consistency
   check on the same runs, not a validation). How many pairs sit within
   2, 5 and 10 % of the threshold is printed too: a pair on the line flips half the time
   whatever the number of rounds.

    .venv/bin/python bench/label_noise.py /tmp/label-stability-XXXX [--seed 1] [--trials 200]

Last line: key=value pairs (``sim_N``: simulated with the offset beyond the noise), ending with the simulated
survival at the largest cap over the survival of the labeller's rule on the same runs (what
more rounds could buy).
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
from itertools import combinations
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.label_stability_bench import both_ways, load_phase  # noqa: E402
from sandboxes.judge import spread  # noqa: E402
from transforms.labels import label_executed, paired_ratios, round_totals, run_totals  # noqa: E402
from transforms.pair import PairConfig, related, windows  # noqa: E402

MAX_GROUP = PairConfig().max_group  # the windows the pair stage forms
CAPS = (6, 12, 24, 48)  # rounds in all, for the simulation (6: what the pipeline takes today)
STEP = 4  # rounds added at a time (even: the interleaving keeps alternating direction)


def quantile(values: list[float], p: float) -> float:
    """The ``p`` quantile by linear interpolation between order statistics."""
    xs = sorted(values)
    k = (len(xs) - 1) * p
    f = math.floor(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


STATISTICS: dict[str, Callable[[list[float]], float]] = {
    "median": statistics.median,
    "min": min,
    "q10": lambda xs: quantile(xs, 0.10),
    "q25": lambda xs: quantile(xs, 0.25),
}


def labeller(ratio: float) -> Callable[[dict, dict], str | None]:
    """The pipeline's ee rule: the better side's sample id, or None."""
    def rule(a: dict, b: dict) -> str | None:
        better = label_executed("ee", a, b, ratio).better
        return None if better is None else (a if better == "A" else b)["sample_id"]
    return rule


def first_totals(ex: dict) -> list[float]:
    """A report's CPU totals over its first measurement's runs, as the labeller compares a sample
    re-measured in rounds with one that was not (``transforms.labels.first_runs``)."""
    first = ex.get("round_first") or 0
    return run_totals(ex, 0, first) if ex.get("round_group") and first >= 1 else run_totals(ex)


def statistic_rule(stat: Callable[[list[float]], float], ratio: float) -> Callable[[dict, dict], str | None]:
    """One statistic per sample over its runs' CPU totals, and the plain ratio of the two: over
    the shared rounds when both sides were re-measured in the same rounds, else over each side's
    first measurement."""
    def rule(a: dict, b: dict) -> str | None:
        ea, eb = a["execution"], b["execution"]
        if ea["verdict"] != "OK" or eb["verdict"] != "OK":
            return None
        if ea.get("round_group") and ea.get("round_group") == eb.get("round_group"):
            ta, tb = round_totals(ea), round_totals(eb)
        else:
            ta, tb = first_totals(ea), first_totals(eb)
        if not ta or not tb:
            return None
        xa, xb = stat(ta), stat(tb)
        if xa <= 0 or xb <= 0 or max(xa, xb) < ratio * min(xa, xb):
            return None
        return (a if xa < xb else b)["sample_id"]
    return rule


def candidate_pairs(samples: dict[str, dict]):
    """The pairs the pair stage forms: related submissions of one problem and language, in
    id-ordered windows."""
    groups: dict[tuple, list[dict]] = {}
    for s in samples.values():
        groups.setdefault((s["problem_id"], s["language"]), []).append(s)
    for group in groups.values():
        for window in windows(group, MAX_GROUP):
            for a, b in combinations(sorted(window, key=lambda s: s["sample_id"]), 2):
                if related(a, b):
                    yield a, b


def ee_labels(samples: dict[str, dict], rule) -> dict[frozenset, tuple[str, float]]:
    """Unordered pair -> (chosen id, 0.0), in the shape ``both_ways`` reads."""
    out = {}
    for a, b in candidate_pairs(samples):
        chosen = rule(a, b)
        if chosen is not None:
            out[frozenset((a["sample_id"], b["sample_id"]))] = (chosen, 0.0)
    return out


def robust_se(logs: list[float]) -> float:
    """Standard error of the median of ``logs``: 1.2533 x the sandbox's robust spread
    (``sandboxes.judge.spread``: IQR / 1.349 from 5 values on) / sqrt(n)."""
    return 1.2533 * spread(logs)[0] / math.sqrt(len(logs))


def round_pairs(one: dict[str, dict], two: dict[str, dict]) -> dict[frozenset, tuple[list[float], list[float], float]]:
    """Unordered pair -> (|log ratio| per round in run 1, in run 2, CPU seconds of one round of
    both sides), for the pairs compared round by round in both runs."""
    out = {}
    for a, b in candidate_pairs(one):
        a2, b2 = two.get(a["sample_id"]), two.get(b["sample_id"])
        if a2 is None or b2 is None:
            continue
        r1 = paired_ratios(a["execution"], b["execution"])
        r2 = paired_ratios(a2["execution"], b2["execution"])
        if r1 and r2:
            cost = statistics.median(round_totals(a["execution"])) + statistics.median(round_totals(b["execution"]))
            out[frozenset((a["sample_id"], b["sample_id"]))] = (
                [abs(math.log(x)) for x in r1], [abs(math.log(x)) for x in r2], cost)
    return out


def between_run_z(l1: list[float], l2: list[float]) -> float:
    """The change of the median between two runs over their combined standard error."""
    se = math.hypot(robust_se(l1), robust_se(l2))
    diff = statistics.median(l1) - statistics.median(l2)
    if se == 0:
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / se


def pair_model(l1: list[float], l2: list[float]) -> tuple[float, float]:
    """(mean, per-round stdev) of a pair's |log ratio|: the mean of its two runs' medians, and the
    stdev of the rounds around their own run's median (two centres estimated: n - 2 degrees)."""
    m1, m2 = statistics.median(l1), statistics.median(l2)
    squares = sum((x - m1) ** 2 for x in l1) + sum((x - m2) ** 2 for x in l2)
    return (m1 + m2) / 2, math.sqrt(squares / max(1, len(l1) + len(l2) - 2))


def z_spread(pairs: list[tuple[list[float], list[float]]]) -> tuple[float, float]:
    """(sd, median |z|) of the pairs' between-run z, leaving out pairs with no spread at all."""
    zs = [z for z in (between_run_z(l1, l2) for l1, l2 in pairs) if math.isfinite(z)]
    if not zs:
        return math.nan, math.nan
    return statistics.pstdev(zs), statistics.median(abs(z) for z in zs)


def sampling_null(pairs: list[tuple[list[float], list[float]]], trials: int, seed: int) -> dict[str, float]:
    """What sampling noise alone gives for these pairs: both runs of each drawn from one normal
    (its ``pair_model``) with the rounds each run had. The z of a handful of rounds over an
    estimated standard error has fatter tails than a normal (at 6 rounds its sd is about 1.3, not
    1), and ``run_shift_sd`` of pure noise is not 0; the measured figures are read against these."""
    rng = random.Random(seed)
    models = [pair_model(l1, l2) for l1, l2 in pairs]
    sds, medians, shifts = [], [], []
    for _ in range(trials):
        drawn = [([rng.gauss(mu, sd) for _ in l1], [rng.gauss(mu, sd) for _ in l2])
                 for (mu, sd), (l1, l2) in zip(models, pairs)]
        sd_z, median_z = z_spread(drawn)
        sds.append(sd_z)
        medians.append(median_z)
        shifts.append(run_shift_sd(drawn))
    return {"sd_z": statistics.median(sds), "median_z": statistics.median(medians),
            "shift": statistics.median(shifts), "shift_95": quantile(shifts, 0.95)}


def run_shift_sd(pairs: list[tuple[list[float], list[float]]]) -> float:
    """The stdev of a shift that moves all of one run's rounds of a pair together, beyond what
    their sampling noise explains: E[(m1 - m2)^2] = se1^2 + se2^2 + 2 shift^2 over the pairs."""
    excess = [(statistics.median(l1) - statistics.median(l2)) ** 2 - robust_se(l1) ** 2 - robust_se(l2) ** 2
              for l1, l2 in pairs]
    return math.sqrt(max(0.0, statistics.fmean(excess) / 2)) if excess else 0.0


def sequential_run(mu: float, sd: float, threshold: float, base: int, cap: int, z: float,
                   rng: random.Random, shift: float = 0.0) -> tuple[bool, int]:
    """One simulated measurement: the run's mean moved by a draw of stdev ``shift``, ``base``
    rounds, then ``STEP`` more while the median is within ``z`` standard errors of ``threshold``
    (log) and under ``cap``; (labelled, rounds added)."""
    mu += rng.gauss(0.0, shift) if shift else 0.0
    xs = [rng.gauss(mu, sd) for _ in range(base)]
    while len(xs) < cap and abs(statistics.median(xs) - threshold) < z * robust_se(xs):
        xs += [rng.gauss(mu, sd) for _ in range(STEP)]
    return statistics.median(xs) >= threshold, len(xs) - base


def simulate(models: list[tuple[float, float, float]], ratio: float, cap: int, z: float, trials: int,
             seed: int, base: int = 6, shift: float = 0.0) -> tuple[float, float, float]:
    """(labels, labels lost, extra CPU seconds), per pair of runs averaged over ``trials``: labels
    and losses counted both ways (a label only one run gives is lost once)."""
    rng = random.Random(seed)
    threshold = math.log(ratio)
    labelled = lost = 0
    extra = 0.0
    for _ in range(trials):
        for mu, sd, cost in models:
            (x, e1), (y, e2) = (sequential_run(mu, sd, threshold, base, cap, z, rng, shift) for _ in range(2))
            labelled += x + y
            lost += x != y
            extra += (e1 + e2) / 2 * cost
    return labelled / trials, lost / trials, extra / trials


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("kept", type=Path, help="a folder kept by label_stability_bench.py --keep")
    ap.add_argument("--ratio", type=float, default=5.0, help="the efficiency ratio the runs used")
    ap.add_argument("--z", type=float, default=2.0, help="standard errors from the threshold that stop more rounds")
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    runs = [{s["sample_id"]: s for s in load_phase(args.kept / f"run{r}", "execute") if s.get("execution")}
            for r in (1, 2)]

    print("1. ee labels under other statistics of the same runs (both ways: run 1 -> 2 and 2 -> 1)")
    rules = {"labeller": labeller(args.ratio), **{k: statistic_rule(f, args.ratio) for k, f in STATISTICS.items()}}
    kept, labels = {}, {}
    for name, rule in rules.items():
        one, two = labels[name] = tuple(ee_labels(r, rule) for r in runs)
        kept[name] = both_ways(one, two, 0.0)
        print(f"   {name:9} run 1 {len(one):4} run 2 {len(two):4} both ways {kept[name]:.4f}")

    pairs = round_pairs(*runs)
    line = math.log(args.ratio)
    # The pairs within a factor 2 of the threshold either way: the ones a shift could move across.
    near_line = [(l1, l2) for l1, l2, _ in pairs.values() if abs(pair_model(l1, l2)[0] - line) < math.log(2)]
    sd_z, median_z = z_spread(near_line)
    shift = run_shift_sd(near_line)
    null = sampling_null(near_line, args.trials, args.seed)
    # The part of the measured offset that sampling noise does not explain (its null's median).
    excess = math.sqrt(max(0.0, shift ** 2 - null["shift"] ** 2))
    print(f"2. {len(pairs)} pairs compared round by round in both runs, {len(near_line)} of them within a factor 2 "
          f"of {args.ratio:g}x: between-run z sd {sd_z:.2f}, median |z| {median_z:.2f} (sampling noise alone, "
          f"simulated: {null['sd_z']:.2f}, {null['median_z']:.2f}); offset of a pair's ratio per run "
          f"{shift:.3f} (sampling noise alone: median {null['shift']:.3f}, 95th percentile {null['shift_95']:.3f}), "
          f"beyond the noise {excess:.3f} (log; {100 * (math.exp(excess) - 1):.1f} %)")

    models = [(*pair_model(l1, l2), cost) for l1, l2, cost in pairs.values()]
    near = {p: sum(1 for mu, _, _ in models if abs(mu - line) < math.log(1 + p / 100)) for p in (2, 5, 10)}
    # The labeller's labels on the other pairs (not compared round by round in both runs) count
    # as they came out.
    one, two = labels["labeller"]
    others = ((one, two), (two, one))
    other_total = sum(1 for x, _ in others for k in x if k not in pairs)
    other_lost = sum(1 for x, y in others for k, (c, _) in x.items() if k not in pairs and y.get(k, (None,))[0] != c)
    print("3. pairs whose two runs' mean ratio is within "
          + ", ".join(f"{p} % of {args.ratio:g}x: {n}" for p, n in near.items())
          + f"; simulated ({args.trials} trials, z {args.z:g}), with the {other_total} labels of the other "
          f"pairs as they came out ({other_lost} lost); sampling noise alone, and with the offset beyond it:")
    simulated = {}
    for cap in CAPS:
        row = []
        for model_shift in (0.0, excess):
            n, lost, extra = simulate(models, args.ratio, cap, args.z, args.trials, args.seed, shift=model_shift)
            row.append((1 - (lost + other_lost) / (n + other_total) if n + other_total else 1.0, extra))
        simulated[cap] = row[1][0]
        print(f"   up to {cap:3} rounds: both-ways survival {row[0][0]:.4f} and {row[1][0]:.4f}, "
              f"extra CPU per run {row[0][1]:.0f} s and {row[1][1]:.0f} s")
    best = simulated[CAPS[-1]]
    print(f"labeller={kept['labeller']:.4f} " + " ".join(f"{k}={kept[k]:.4f}" for k in STATISTICS)
          + f" sd_z={sd_z:.2f} null_sd_z={null['sd_z']:.2f} shift={shift:.3f} null_shift_95={null['shift_95']:.3f}"
          + f" excess_shift={excess:.3f} near_2pct={near[2]} near_5pct={near[5]} "
          + " ".join(f"sim_{c}={simulated[c]:.4f}" for c in CAPS)
          + f" ratio={best / kept['labeller'] if kept['labeller'] else math.nan:.4f}")


if __name__ == "__main__":
    main()
