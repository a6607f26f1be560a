"""Time- and repository-based train/bench split (Themis protocol).

Training commits are dated no later than the end of March 2019; benchmark commits
lie between June 2019 and January 2021 and come from repositories disjoint from
training. A repository is a *training repository* when any of the samples it
contributes (after mining) falls in the training window; its bench-window commits
are then dropped with ``repo_in_train`` so no repository feeds both splits.
Commits in neither window (the April-May 2019 gap, or after January 2021) are
dropped with ``outside_split_windows``. All bounds are UTC and inclusive.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from transforms.config import check_config, option

TRAIN = "train"
BENCH = "bench"
OUTSIDE_SPLIT_WINDOWS = "outside_split_windows"
REPO_IN_TRAIN = "repo_in_train"


def _start_of(day: date) -> int:
    return int(datetime.combine(day, time.min, tzinfo=timezone.utc).timestamp())


def _end_of(day: date) -> int:
    return _start_of(day) + 86_400 - 1


def parse_day(text: str) -> date:
    text = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # fromisoformat also takes 20190331 and week dates
        raise ValueError("four-digit year, two-digit month and day")
    return date.fromisoformat(text)


parse_day.expects = "a date of the form YYYY-MM-DD"


@dataclass(frozen=True)
class SplitConfig:
    train_end: date = option(date(2019, 3, 31), "Last day (UTC) of the training commit window.", parse=parse_day)
    bench_start: date = option(date(2019, 6, 1), "First day (UTC) of the bench commit window.", parse=parse_day)
    bench_end: date = option(date(2021, 1, 31), "Last day (UTC) of the bench commit window.", parse=parse_day)

    def __post_init__(self):
        check_config(self.bench_start <= self.bench_end,
                     f"--bench_end: {self.bench_end} is before --bench_start {self.bench_start}; "
                     "the bench window must run forwards")
        check_config(self.train_end < self.bench_start,
                     f"--bench_start: {self.bench_start} is not after --train_end {self.train_end}; "
                     "the bench window must start after the training window ends")

    def in_train_window(self, timestamp: int) -> bool:
        return timestamp <= _end_of(self.train_end)

    def in_bench_window(self, timestamp: int) -> bool:
        return _start_of(self.bench_start) <= timestamp <= _end_of(self.bench_end)


def assign_split(timestamp: int, repo: str, config: SplitConfig, train_repos: frozenset[str]
                 ) -> tuple[str | None, str | None]:
    """(split, None) for a kept commit, or (None, drop_reason)."""
    if config.in_train_window(timestamp):
        return TRAIN, None
    if config.in_bench_window(timestamp):
        if repo in train_repos:
            return None, REPO_IN_TRAIN
        return BENCH, None
    return None, OUTSIDE_SPLIT_WINDOWS


def train_repos_of(samples: Iterable[Mapping[str, Any]], config: SplitConfig = SplitConfig()) -> frozenset[str]:
    """Repositories with at least one sample in the training window (samples carry ``repo`` and ``timestamp``)."""
    return frozenset(s["repo"] for s in samples if s.get("timestamp") is not None and config.in_train_window(s["timestamp"]))
