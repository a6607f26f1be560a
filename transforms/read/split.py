"""Commit samples of every commit source -> their train/bench split (``transforms.mining.splits``).

The split is by time window, with bench repositories disjoint from training ones: the
repositories with a commit in the training window are a side input.
"""
from __future__ import annotations

import apache_beam as beam

from transforms.common import DEAD, MAIN, count, drop
from transforms.mining import splits

SPLIT_STAGE = "split"


class _AssignSplit(beam.DoFn):
    def __init__(self, config: splits.SplitConfig):
        self.config = config

    def process(self, sample: dict, train_repos: list[str]):
        count(SPLIT_STAGE, "in")
        split, reason = splits.assign_split(sample["timestamp"], sample["repo"], self.config, frozenset(train_repos))
        if split is None:
            yield drop(SPLIT_STAGE, reason, sample, f"timestamp {sample['timestamp']}")
            return
        count(SPLIT_STAGE, "out")
        yield dict(sample, split=split)


def _in_train_window(sample: dict, config: splits.SplitConfig) -> bool:
    return config.in_train_window(sample["timestamp"])


class AssignCommitSplits(beam.PTransform):
    """Commit samples of every commit source -> train/bench by time window, bench repositories
    disjoint from training ones (the training repositories are a side input)."""

    def __init__(self, config: splits.SplitConfig):
        super().__init__()
        self.config = config

    def expand(self, commits):
        train_repos = (commits
                       | "InTrainWindow" >> beam.Filter(_in_train_window, self.config)
                       | "TrainRepo" >> beam.Map(lambda s: s["repo"])
                       | "DistinctRepos" >> beam.Distinct())
        out = commits | "Split" >> beam.ParDo(
            _AssignSplit(self.config), beam.pvalue.AsList(train_repos)).with_outputs(DEAD, main=MAIN)
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
