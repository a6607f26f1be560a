"""The execute bench's floor counts every run the stage made, reported or not."""
from __future__ import annotations

import pytest

from bench.execute_bench import unreported_runs


@pytest.mark.parametrize("report, expected", [
    ({"repeats": 3}, 1),  # first measurement: its warm-up run
    ({"repeats": 9, "round_group": "g", "round_first": 3}, 1 + 1 + 2 * 5),  # 6 rounds, 5 after the first
    ({"repeats": 9, "round_group": "g", "round_first": 0}, 1 + 1 + 2 * 8 + 3),  # afresh: the first 3 dropped
])
def test_the_floor_counts_warm_ups_and_dropped_runs(report, expected):
    assert unreported_runs(report, repeat=3, warmup=1, round_warmup=2) == expected
    if "round_group" not in report:
        assert unreported_runs(report, repeat=3, warmup=0, round_warmup=2) == 0
