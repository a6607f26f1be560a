"""Clean the labelled pairs: decontaminate training pairs, then near-deduplicate all pairs.

Training pairs that share an n-gram (13 words by default) with a bench pair or with a given
benchmark file are dropped (``decontaminate``); then pairs that are near-duplicates of
another pair of the same (split, source, criterion) are dropped (``dedup_pairs``).
"""
from __future__ import annotations

import apache_beam as beam

from transforms.common import DEAD, MAIN
from transforms.decontaminate import BenchmarkNgrams, Decontaminate, DecontamConfig, ReadBenchmarkNgrams
from transforms.dedup import NearDedup, NearDedupConfig


# Record accessors (module-level: they pickle).
def pair_prompt(p: dict) -> str:
    return p["input"]


def pair_chosen(p: dict) -> str:
    return p["chosen"]


def pair_rejected(p: dict) -> str:
    return p["rejected"]


def pair_id(p: dict) -> str:
    return p["pair_key"]


def is_bench(p: dict) -> bool:
    return p["split"] == "bench"


def is_train(p: dict) -> bool:
    return not is_bench(p)


def pair_text(p: dict) -> str:
    return "\n".join((p["input"], p["chosen"], p["rejected"]))


def pair_scope(p: dict) -> tuple:
    return p["split"], p["source"], p["criterion"]


# --decontam_on: the pair texts checked, and the matching columns of a CodeRewardBench file.
DECONTAM_TEXTS = {"prompt": (pair_prompt,), "prompt_and_code": (pair_prompt, pair_chosen, pair_rejected)}
BENCH_COLUMNS = {"prompt": ("prompt",), "prompt_and_code": ("prompt", "chosen", "rejected")}


class CleanPairs(beam.PTransform):
    """Labelled pairs -> {main: clean pairs, dead: decontaminated and near-duplicate pairs}."""

    def __init__(self, decontam: DecontamConfig, dedup: NearDedupConfig):
        super().__init__()
        self.decontam, self.dedup = decontam, dedup

    def expand(self, pairs):
        cfg, n = self.decontam, self.decontam.decontam_ngram
        texts = list(DECONTAM_TEXTS[cfg.decontam_on])
        bench = pairs | "BenchPairs" >> beam.Filter(is_bench)
        train = pairs | "TrainPairs" >> beam.Filter(is_train)
        bench_ngrams = [bench | "BenchNgrams" >> BenchmarkNgrams(texts, id_fn=pair_id, n=n)]
        if cfg.benchmark:
            bench_ngrams.append(pairs.pipeline | "ExternalBenchNgrams" >> ReadBenchmarkNgrams(
                list(cfg.benchmark), columns=BENCH_COLUMNS[cfg.decontam_on], n=n))
        clean_train = train | "Decontaminate" >> Decontaminate(
            "decontaminate", texts, bench_ngrams, n=n, id_fn=pair_id, record_kind="pair")
        clean = (clean_train[MAIN], bench) | "CleanPairs" >> beam.Flatten()
        final = clean | "PairDedup" >> NearDedup(
            "dedup_pairs", pair_text, self.dedup, scope_fn=pair_scope, id_fn=pair_id, record_kind="pair")
        dead = (clean_train[DEAD], final[DEAD]) | "CleanDead" >> beam.Flatten()
        return {MAIN: final[MAIN], DEAD: dead}
