"""Unit tests of the Beam-free labelling, pairing and finalising functions."""
import statistics
from collections import Counter

import pytest

from sandboxes.judge import relative_spread
from schemas.records import PREFERENCE_PAIR
from schemas.validate import validate_record
from tests.factories import execution, submission
from schemas import system_prompts as prompts
from transforms import labels
from transforms.finalize import to_row
from transforms.pair import commit_instruction, pair_submissions, windows


def test_functional_label_prefers_passing_and_needs_a_failure():
    ok, wa = execution("OK"), execution("WRONG_ANSWER", passed=2)
    assert labels.functional(ok, wa).better == "A"
    assert labels.functional(wa, ok).better == "B"
    assert labels.functional(wa, ok).margin == pytest.approx(1 / 3)
    assert labels.functional(ok, ok).better is None


def test_efficiency_label_needs_ratio_stability_and_passing():
    fast, slow = execution(cpu_s=0.1), execution(cpu_s=0.6)
    assert labels.efficiency(fast, slow, "cpu_s", 5.0).better == "A"
    assert labels.efficiency(slow, fast, "cpu_s", 5.0).margin == pytest.approx(6.0)
    assert labels.efficiency(fast, execution(cpu_s=0.4), "cpu_s", 5.0).reason == "below_ratio"
    # An unstable side (spread 0.3, over the threshold) is moved two whole spreads: 6x is not
    # clear of that, 30x is; with one run there is no spread, and no label.
    assert labels.efficiency(fast, execution(cpu_s=0.6, stable=False, cpu_cv=0.3), "cpu_s", 5.0).reason \
        == "unstable_measurement"
    assert labels.efficiency(fast, execution(cpu_s=3.0, stable=False, cpu_cv=0.3), "cpu_s", 5.0).better == "A"
    assert labels.efficiency(execution(cpu_s=0.1, stable=False, cpu_cv=0.3), execution(cpu_s=0.7), "cpu_s",
                             5.0).reason == "unstable_measurement"  # 0.1 x 1.6 x 5 > 0.7
    assert labels.efficiency(fast, execution(cpu_s=30.0, stable=False, cpu_cv=None), "cpu_s", 5.0).reason \
        == "unstable_measurement"
    assert labels.efficiency(fast, execution("WRONG_ANSWER", cpu_s=9), "cpu_s", 5.0).reason == "not_both_passing"
    # A 5.5x ratio is not trusted when each side's spread is 20%.
    noisy = labels.efficiency(execution(cpu_s=0.1, cpu_cv=0.2), execution(cpu_s=0.55, cpu_cv=0.2), "cpu_s", 5.0)
    assert noisy.better is None and noisy.reason == "ratio_within_spread"
    assert labels.efficiency(execution(cpu_s=0.1, cpu_cv=0.2), execution(cpu_s=0.9, cpu_cv=0.2), "cpu_s", 5.0).better == "A"
    small, big = execution(rss=10_000_000), execution(rss=90_000_000)
    assert labels.efficiency(big, small, "peak_rss_bytes", 5.0).better == "B"


def test_ee_needs_steady_cpu_time_and_me_steady_memory_only():
    """A wobbly CPU time does not cost a memory label, nor a wobbly peak RSS a speed label."""
    cpu_wobbles = execution(cpu_s=0.1, rss=10_000_000, cpu_stable=False, cpu_cv=0.3)
    assert cpu_wobbles["stable"] is False
    big = execution(cpu_s=0.1, rss=90_000_000)
    assert labels.efficiency(cpu_wobbles, big, "peak_rss_bytes", 5.0).better == "A"
    assert labels.efficiency(cpu_wobbles, execution(cpu_s=0.7), "cpu_s", 5.0).reason == "unstable_measurement"
    rss_wobbles = execution(cpu_s=0.1, rss=10_000_000, rss_stable=False, rss_cv=0.3)
    assert labels.efficiency(rss_wobbles, execution(cpu_s=0.9), "cpu_s", 5.0).better == "A"
    six = execution(cpu_s=0.1, rss=60_000_000)  # 6x: not clear of two 30 % spreads; 9x is
    assert labels.efficiency(rss_wobbles, six, "peak_rss_bytes", 5.0).reason == "unstable_measurement"
    assert labels.efficiency(rss_wobbles, big, "peak_rss_bytes", 5.0).better == "A"
    # Records from before the split flags carry only ``stable``.
    old = {k: v for k, v in execution(cpu_s=0.1, stable=False, cpu_cv=0.3).items()
           if k not in ("cpu_stable", "rss_stable")}
    assert labels.efficiency(old, execution(cpu_s=0.7), "cpu_s", 5.0).reason == "unstable_measurement"


def _rounds(cpu: list[float], group="g1", first=1) -> dict:
    """A report with one test whose runs from ``first`` on were taken in ``group``'s rounds
    (the run before them is far off, as a first measurement at another time can be)."""
    runs = [99.0] * first + cpu
    return execution(cpu_s=statistics.median(cpu), cpu_cv=relative_spread(cpu), round_group=group,
                     round_first=first, tests=[{"runs_cpu_s": runs}])


def test_ee_compares_samples_measured_in_turns_round_by_round():
    """The machine's speed drifts (here x1, x1.4, x0.8, ...): each side's median and spread carry
    it, a round's ratio does not."""
    drift = [1.0, 1.4, 0.8, 1.2, 0.9, 1.3]
    fast = _rounds([0.1 * d for d in drift])
    slow = _rounds([0.6 * d for d in drift])
    assert labels.paired_ratios(fast, slow) == pytest.approx([6.0] * 6)
    lab = labels.efficiency(fast, slow, "cpu_s", 5.0)
    assert (lab.better, lab.reason, lab.margin) == ("A", None, pytest.approx(6.0))
    assert labels.efficiency(slow, fast, "cpu_s", 5.0).better == "B"
    # The same runs, not taken in turns (no common group): the drift widens each side.
    apart = labels.efficiency(dict(fast, round_group=None), dict(slow, round_group="g2"), "cpu_s", 5.0)
    assert apart.better is None
    # The median round decides: rounds that scatter (4.8-8.4x) around a median of 6.36x (on a
    # log scale: the geometric mean of the middle two, 5.4x and 7.5x) are in, whichever side is
    # A; a median under the threshold is out, whatever the spread.
    scattered = _rounds([0.6 * d * k for d, k in zip(drift, (1.4, 0.8, 1.25, 0.85, 1.3, 0.9))])
    assert labels.efficiency(fast, scattered, "cpu_s", 5.0).margin == pytest.approx((5.4 * 7.5) ** 0.5)
    assert labels.efficiency(scattered, fast, "cpu_s", 5.0).margin == pytest.approx((5.4 * 7.5) ** 0.5)
    assert labels.efficiency(fast, _rounds([0.45 * d for d in drift]), "cpu_s", 5.0).reason == "below_ratio"
    assert labels.efficiency(fast, _rounds([0.5 * d * k for d, k in zip(drift, (0.9, 1.3, 0.9, 1.3, 0.9, 0.9))]),
                             "cpu_s", 5.0).reason == "below_ratio"  # median 4.5x, some rounds at 6.5x
    # Peak RSS is per sample as before (runs of memory do not drift with the machine's speed).
    assert labels.efficiency(fast, slow, "peak_rss_bytes", 5.0).reason == "below_ratio"


def test_a_pair_with_one_side_in_rounds_compares_both_sides_first_runs():
    """The rounds of one side (here slower, the machine having slowed down) are not compared
    with the first runs of a side that was never re-measured: both sides' first runs are."""
    first, rounds = [0.1, 0.1, 0.1], [0.2] * 6
    tests = [{"runs_cpu_s": first + rounds}]
    in_rounds = execution(cpu_s=0.2, cpu_cv=0.3, round_group="g1", round_first=3, tests=tests)
    alone = execution(cpu_s=0.75, tests=[{"runs_cpu_s": [0.75] * 3}])
    lab = labels.efficiency(in_rounds, alone, "cpu_s", 5.0)
    assert (lab.better, lab.margin) == ("A", pytest.approx(7.5))
    assert labels.first_runs(in_rounds)["cpu_s"] == pytest.approx(0.1)
    assert labels.first_runs(alone) is alone
    # Re-measured afresh (no first runs kept): its report is all there is.
    fresh = dict(in_rounds, round_first=0)
    assert labels.first_runs(fresh) is fresh
    assert labels.efficiency(fresh, alone, "cpu_s", 5.0).reason == "below_ratio"  # 0.75 / 0.2


def test_paired_ratios_need_the_same_group_and_three_rounds():
    a, b = _rounds([0.1] * 3), _rounds([0.6] * 3)
    assert labels.paired_ratios(a, b) == pytest.approx([6.0] * 3)
    assert labels.paired_ratios(a, _rounds([0.6] * 3, group="other")) is None
    assert labels.paired_ratios(_rounds([0.1] * 2), _rounds([0.6] * 2)) is None
    assert labels.paired_ratios(execution(), execution()) is None  # never re-measured
    # Sides with different round counts pair their common rounds.
    assert labels.paired_ratios(_rounds([0.1] * 4), _rounds([0.5, 0.7, 0.6])) == pytest.approx([5.0, 7.0, 6.0])


def test_pair_submissions_forms_fc_ee_me_and_reports_unpaired():
    subs = [
        submission("a-fast", "fast", execution(cpu_s=0.05, rss=10_000_000)),
        submission("b-slow", "slow", execution(cpu_s=1.0, rss=10_000_000)),
        submission("c-mem", "mem", execution(cpu_s=0.06, rss=200_000_000)),
        submission("d-bug", "bug", execution("WRONG_ANSWER", passed=1)),
    ]
    pairs, unlabelled, unpaired = pair_submissions(subs, ratio=5.0, criteria=("fc", "ee", "me"))
    got = Counter((p["criterion"], p["chosen_id"], p["rejected_id"]) for p in pairs)
    assert got[("fc", "a-fast", "d-bug")] == 1
    assert got[("ee", "a-fast", "b-slow")] == 1
    assert got[("ee", "c-mem", "b-slow")] == 1
    assert got[("me", "a-fast", "c-mem")] == 1
    assert got[("me", "b-slow", "c-mem")] == 1
    assert sum(1 for k in got if k[0] == "fc") == 3
    assert unpaired == [] and unlabelled == []
    # A lone passing submission pairs with nothing.
    pairs, _, unpaired = pair_submissions(subs[:1], ratio=5.0)
    assert pairs == [] and [s["sample_id"] for s in unpaired] == ["a-fast"]


def test_pair_submissions_is_order_independent():
    subs = [submission(f"s{i}", f"code{i}", execution(cpu_s=0.05 * (10 ** (i % 2)))) for i in range(4)]
    a, _, _ = pair_submissions(subs, ratio=5.0, criteria=("ee",))
    b, _, _ = pair_submissions(list(reversed(subs)), ratio=5.0, criteria=("ee",))
    assert a == b and a


def test_commit_instruction_uses_path_and_leading_comment():
    sample = {"language": "python", "path": "pkg/cache.py", "repo": "toolkit",
              "code_before": "# LRU cache for parsed configs.\nimport os\n", "code": "x = 1\n"}
    text = commit_instruction(sample)
    assert "`pkg/cache.py`" in text and "LRU cache for parsed configs." in text and "Python" in text


def test_system_prompt_mix_matches_themis_and_is_seeded():
    modes = Counter(prompts.assign("ee", seed)[1] for seed in range(20_000))
    assert abs(modes["none"] / 20_000 - 0.15) < 0.015
    assert abs(modes["criterion"] / 20_000 - 0.60) < 0.015
    assert abs(modes["all"] / 20_000 - 0.25) < 0.015
    assert prompts.assign("ee", 7) == prompts.assign("ee", 7)
    text, mode = next(prompts.assign("sh", s) for s in range(100) if prompts.assign("sh", s)[1] == "all")
    assert all(f"{i}. " in text for i in range(1, 8))
    assert "Security Hardness" in prompts.aspect_prompt("sh") and "Memory" not in prompts.aspect_prompt("sh")


def test_finalize_row_is_schema_valid_and_stable():
    subs = [submission("a", "fast", execution(cpu_s=0.05)), submission("b", "bug", execution("WRONG_ANSWER", passed=0))]
    pairs, _, _ = pair_submissions(subs, ratio=5.0, criteria=("fc",))
    row = to_row(pairs[0], seed=3)
    validate_record(row, PREFERENCE_PAIR)
    assert row["aspect"] == "Functional Correctness" and row["language"] == "Python"
    assert to_row(pairs[0], seed=3) == row
    assert row["chosen"] == "fast" and row["rejected"] == "bug"


def test_large_groups_are_paired_in_bounded_windows():
    subs = [submission(f"s{i:03d}", f"c{i}", execution()) for i in range(130)]
    parts = windows(list(reversed(subs)), 64)
    assert [len(p) for p in parts] == [64, 64, 2]
    assert [s["sample_id"] for p in parts for s in p] == sorted(s["sample_id"] for s in subs)


def test_commit_dedup_text_is_the_change_and_options_reach_the_config():
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipeline.run import resolve_config
    from transforms.dedup import commit_change_text, commit_file_text
    sample = {"code": "a\nb\n", "diff": "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a = 1\n+a = 2\n context\n"}
    assert commit_change_text(sample) == "-a = 1\n+a = 2"
    assert commit_file_text(sample) == "a\nb\n"
    opts = PipelineOptions(["--no_bundled", "--train_end=2018-12-31", "--decontam_on=prompt_and_code",
                            "--commit_dedup_on=file"])
    _, cfg, _ = resolve_config(opts, "t")
    assert str(cfg.split.train_end) == "2018-12-31" and cfg.decontam.decontam_on == "prompt_and_code"
    assert cfg.commit_dedup.dedup_on == "file" and cfg.read.repos == () and cfg.read.problems == ()
