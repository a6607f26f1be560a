"""Which executed submissions to measure again, with more repeats, before pairing (Beam-free).

An efficiency label (ee: CPU time, me: peak RSS; ``transforms.labels.efficiency``) is decided
by thresholds: the ratio between the two sides against ``efficiency_ratio`` (also after moving
each side one spread against the label) and each side's stability flag. A pair far from every
threshold keeps its label under any re-measurement; a pair near one flips with the noise of a
few repeats. So only near-threshold pairs get more repeats: the execute stage runs their sides
again with ``exec_refine_repeat`` runs per test and the new report replaces the old one.

The chosen samples of a group are measured in turns (``interleaved_rounds``): one run each per
round, every other round backwards, all on one thread. A machine's speed drifts over seconds
to minutes (the other core's load, the host's), and not always: in one measurement one
program's CPU time moved by 22-34 % (quartile spread) while the ratio of two programs run one
right after the other moved by 6-15 %, and by 25 % when their runs were taken at unrelated
times; in another, nothing drifted and taking turns changed nothing (docs/benchmarks.md,
``bench/drift_bench.py``). The reports of a group's rounds carry its ``round_group`` id and where
their rounds begin (``round_first``), and an ee label between two of them compares run with
run (``transforms.labels.paired_ratios``).

A pair is near its threshold on a quantity when both sides passed and
  * its raw ratio ``hi / lo`` is at least ``ratio / (1 + band)`` (it could be labelled), and
  * its ratio after the spread widening is under ``ratio * (1 + band)`` (it could fail), or a
    side's flag for that quantity is unstable (more repeats settle the flag).
Both sides are measured again when the ratio is near; only the unstable side when the ratio
is clear and a flag is not. Candidates are the pairs the pair stage forms (id-ordered windows of
``max_group`` per problem and language), so the work is bounded like the pairing itself.

How many runs a chosen sample gets (``refine_target``) follows its cost: at least
``exec_refine_repeat`` per test, and as many more as ``exec_refine_budget_s`` of CPU time buys,
up to ``exec_refine_max_repeat``. Short programs are both the noisiest (start-up and the
scheduler tick are a large share of a 20 ms run: CPU-time CVs of 5-15 % against 2-5 % at
100 ms and more) and the cheapest to run again, and the spread that widens a ratio against the
threshold is estimated from these runs: with 9 runs of a 22 ms program its estimate alone moved
a 5.5x pair across the line between two runs. Off by default (budget 0): in the one bench run
with a 0.5 s budget ee survival was lower, not higher (docs/benchmarks.md).
"""
from __future__ import annotations

import hashlib
import math
from itertools import combinations

from transforms.labels import CV_CAP, steady
from transforms.pair import windows

QUANTITIES = (("cpu_s", "cpu_cv", "cpu_stable"), ("peak_rss_bytes", "rss_cv", "rss_stable"))


def near_sides(a: dict, b: dict, ratio: float, band: float) -> set[str]:
    """"a" and/or "b": the sides of one pair of execution reports to measure again."""
    if a.get("verdict") != "OK" or b.get("verdict") != "OK":
        return set()
    out: set[str] = set()
    for field, cv_key, flag in QUANTITIES:
        xa, xb = a.get(field), b.get(field)
        if not xa or not xb:
            continue
        (lo, lo_cv, lo_side), (hi, hi_cv, hi_side) = sorted(
            ((xa, min(a.get(cv_key) or 0.0, CV_CAP), "a"), (xb, min(b.get(cv_key) or 0.0, CV_CAP), "b")))
        if hi < ratio / (1 + band) * lo:
            continue  # far below the threshold: never labelled
        widened = hi * (1 - hi_cv) / (lo * (1 + lo_cv))
        if widened < ratio * (1 + band):
            out |= {"a", "b"}
        out |= {side for side, ex in (("a", a), ("b", b)) if not steady(ex, flag)}
    return out


def to_remeasure(samples: list[dict], ratio: float, band: float, max_group: int, refine_repeat: int) -> set[str]:
    """sample ids of one (problem, language) group whose reports should be measured again.

    Samples already measured with ``refine_repeat`` repeats or more are never chosen."""
    measured = [s for s in samples if s.get("execution")]
    by_id = {s["sample_id"]: s for s in measured}
    chosen: set[str] = set()
    for window in windows(measured, max_group):
        for a, b in combinations(window, 2):
            for side in near_sides(a["execution"], b["execution"], ratio, band):
                chosen.add((a if side == "a" else b)["sample_id"])
    return {sid for sid in chosen if (by_id[sid]["execution"].get("repeats") or 0) < refine_repeat}


def refine_target(report: dict, refine_repeat: int, budget_s: float, max_repeat: int) -> int:
    """Runs per test to measure a chosen sample to: ``refine_repeat``, raised to what
    ``budget_s`` of CPU time allows at the sample's median CPU time per run (all its tests),
    never above ``max_repeat`` (nor below ``refine_repeat``)."""
    per_run = report.get("cpu_s") or 0.0
    if budget_s <= 0 or per_run <= 0:
        return refine_repeat
    return max(refine_repeat, min(max_repeat, math.floor(budget_s / per_run)))


def interleaved_rounds(runs: list[int]) -> list[int]:
    """The order of the runs to take, as indexes into ``runs`` (how many each sample needs):
    one run of each sample per round, every other round backwards (a sample is not always
    measured right after the same neighbour), until each has had its own count."""
    order: list[int] = []
    for r in range(max(runs, default=0)):
        round_ = [i for i, n in enumerate(runs) if n > r]
        order += round_ if r % 2 == 0 else round_[::-1]
    return order


def round_group_id(sample_ids) -> str:
    """The id of one interleaved re-measurement: a hash of the sample ids measured in its rounds
    (the same group of samples gets the same id in every run, so cached rounds are found again)."""
    return hashlib.sha256("\n".join(sorted(sample_ids)).encode("utf-8")).hexdigest()[:16]
