"""Benchmark decontamination: drop records that share a word 13-gram with a benchmark row.

Texts are tokenised into lower-cased code-aware word tokens (``minhash.tokenize``);
every 13-gram becomes a 63-bit xxh3 hash. The check is a distributed join on
those hashes: records emit ``(hash, record id)``, benchmark rows emit ``(hash,
benchmark id)``, a CoGroupByKey per hash finds the hits, and a second join by
record id routes each record to main or to a ``contaminated`` dead letter. No
worker holds the whole benchmark n-gram set or all records.

Benchmark n-grams come from a PCollection of our own bench-split records
(``BenchmarkNgrams``) and/or CodeRewardBench-format Parquet files
(``ReadBenchmarkNgrams``; columns prompt, chosen, rejected, ..., id; local paths or
fsspec URIs). Texts with fewer than 13 tokens have no 13-gram and can neither
contaminate nor be contaminated.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import apache_beam as beam
import xxhash

from transforms.common import DEAD, MAIN, count
from transforms.config import option
from transforms.dedup import CountElements, default_id, drop_record
from transforms.minhash import tokenize

CONTAMINATED = "contaminated"
NGRAM = 13
TEXTS = ("prompt", "prompt_and_code")


@dataclass(frozen=True)
class DecontamConfig:
    decontam_ngram: int = option(NGRAM, "n-gram size for decontamination.")
    decontam_on: str = option("prompt", "Texts that must not share an n-gram with the benchmark: the prompt "
                              "(as Themis) or the prompt and both code sides.", choices=TEXTS)
    benchmark: tuple[str, ...] = option((), "Benchmark Parquet (CodeRewardBench format) to decontaminate "
                                        "against.", repeat=True, metavar="FILE")
_MASK_63 = (1 << 63) - 1


def ngram_hashes(text: str | None, n: int = NGRAM) -> set[int]:
    """63-bit hashes of the distinct lower-cased word n-grams of a text."""
    tokens = tokenize(text or "", lowercase=True)
    h = xxhash.xxh3_64_intdigest
    return {h(" ".join(tokens[i:i + n]).encode("utf-8")) & _MASK_63 for i in range(len(tokens) - n + 1)}


def record_ngram_hashes(record: dict[str, Any], text_fns: Sequence[Callable[[dict], str | None]],
                        n: int = NGRAM) -> set[int]:
    """Union of the n-gram hashes of all the record's texts."""
    out: set[int] = set()
    for fn in text_fns:
        out |= ngram_hashes(fn(record), n)
    return out


class _Fields:
    """Picklable text_fn reading one column."""

    def __init__(self, column: str):
        self.column = column

    def __call__(self, row: dict) -> str | None:
        return row.get(self.column)


class BenchmarkNgrams(beam.PTransform):
    """Benchmark records -> (n-gram hash, benchmark id)."""

    def __init__(self, text_fns: Sequence[Callable[[dict], str | None]], id_fn: Callable[[dict], str] | None = None,
                 n: int = NGRAM):
        super().__init__()
        self.text_fns, self.id_fn, self.n = list(text_fns), id_fn or default_id, n

    def expand(self, pcoll):
        text_fns, id_fn, n = self.text_fns, self.id_fn, self.n
        return pcoll | "BenchNgrams" >> beam.FlatMap(
            lambda r: ((h, str(id_fn(r))) for h in record_ngram_hashes(r, text_fns, n)))


def _read_parquet_rows(path: str, columns: Sequence[str]) -> Iterable[dict]:
    """Rows of a local or fsspec-URI (gs://, s3://, memory://) Parquet file, opened through fsspec."""
    import pyarrow.parquet as pq

    from transforms.locations import open_file

    with open_file(path) as f:
        table = pq.read_table(f, columns=list(columns))
    yield from table.to_pylist()


class ReadBenchmarkNgrams(beam.PTransform):
    """CodeRewardBench-format Parquet files -> (n-gram hash, benchmark id).

    ``columns`` are the text columns to protect (the paper decontaminates
    prompts; pass ("prompt", "chosen", "rejected") to protect the code too).
    Files are read on workers, one file per element.
    """

    def __init__(self, paths: Sequence[str], columns: Sequence[str] = ("prompt",), id_column: str = "id",
                 n: int = NGRAM):
        super().__init__()
        self.paths, self.columns, self.id_column, self.n = list(paths), tuple(columns), id_column, n

    def expand(self, pbegin):
        wanted = tuple(dict.fromkeys(self.columns + (self.id_column,)))
        id_column = self.id_column
        return (pbegin
                | "BenchPaths" >> beam.Create(self.paths)
                | "ReadBenchRows" >> beam.FlatMap(_read_parquet_rows, wanted)
                | "RowNgrams" >> BenchmarkNgrams([_Fields(c) for c in self.columns],
                                                 lambda row: row[id_column], self.n))


def _hits(element):
    """(hash, {rec: [ids], bench: [bench ids]}) -> (record id, benchmark id) per hit."""
    _, groups = element
    bench = list(groups["bench"])
    if not bench:
        return
    bench_id = min(bench)
    for rid in set(groups["rec"]):
        yield rid, bench_id


class _Route(beam.DoFn):
    def __init__(self, stage: str, record_kind: str):
        self.stage, self.record_kind = stage, record_kind

    def process(self, element):
        rid, groups = element
        hits = list(groups["hit"])
        for record in groups["rec"]:
            if hits:
                yield drop_record(self.stage, CONTAMINATED, record, rid, self.record_kind,
                                  f"benchmark={min(hits)} shared_{NGRAM}grams={len(hits)}")
            else:
                count(self.stage, "out")
                yield record


class Decontaminate(beam.PTransform):
    """Drop records whose texts share a word n-gram (13 by default) with a benchmark row.

    ``benchmark_ngrams``: one PCollection of (hash, benchmark id), or several
    (they are flattened), as made by ``BenchmarkNgrams`` / ``ReadBenchmarkNgrams``.
    """

    def __init__(self, stage: str, text_fns: Sequence[Callable[[dict], str | None]], benchmark_ngrams,
                 n: int = NGRAM, id_fn: Callable[[dict], str] | None = None, record_kind: str = "sample"):
        super().__init__(label=None)
        self.stage, self.text_fns, self.n = stage, list(text_fns), n
        self.benchmark_ngrams = benchmark_ngrams
        self.id_fn, self.record_kind = id_fn or default_id, record_kind

    def expand(self, pcoll):
        stage, text_fns, id_fn, n = self.stage, self.text_fns, self.id_fn, self.n
        bench = self.benchmark_ngrams
        if isinstance(bench, (list, tuple)):
            bench = bench | "FlattenBench" >> beam.Flatten()
        records = pcoll | "CountIn" >> beam.ParDo(CountElements(stage, "in"))
        keyed = records | "KeyById" >> beam.Map(lambda r: (str(id_fn(r)), r))
        grams = records | "RecordNgrams" >> beam.FlatMap(
            lambda r: ((h, str(id_fn(r))) for h in record_ngram_hashes(r, text_fns, n)))
        hits = ({"rec": grams, "bench": bench}
                | "JoinNgrams" >> beam.CoGroupByKey()
                | "Hits" >> beam.FlatMap(_hits))
        out = ({"rec": keyed, "hit": hits}
               | "JoinRecords" >> beam.CoGroupByKey()
               | "Route" >> beam.ParDo(_Route(stage, self.record_kind)).with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
