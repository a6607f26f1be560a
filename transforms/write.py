"""The write stage: deterministic Parquet shards through Beam FileSystems.

Rows are assigned to shards by their stable id, each shard is sorted before it is
written and shard names carry no run-specific part, so the same rows always give
byte-identical files whatever the runner, worker count or bundle boundaries.
"""
from __future__ import annotations

import io
import math

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from dataclasses import dataclass

from schemas.records import DEAD_LETTER, PREFERENCE_PAIR
from schemas.validate import to_table
from transforms.common import stable_id
from transforms.config import option
from transforms.finalize import Finalize


@dataclass(frozen=True)
class WriteConfig:
    rows_per_shard: int = option(50_000, "Rows per Parquet shard.")


def shard_name(prefix: str, index: int, total: int, suffix: str = ".parquet") -> str:
    return f"{prefix}-{index:05d}-of-{total:05d}{suffix}"


def write_parquet(path: str, rows: list[dict], schema: pa.Schema) -> None:
    """Validate ``rows`` against ``schema`` and write one Parquet file (no wall-clock metadata)."""
    table = to_table(rows, schema)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", row_group_size=50_000)
    with FileSystems.create(path) as f:
        f.write(buf.getvalue())


class _WriteShard(beam.DoFn):
    def __init__(self, folder: str, prefix: str, schema: pa.Schema | None, sort_key, write_fn, suffix: str):
        self.folder, self.prefix, self.schema, self.sort_key = folder, prefix, schema, sort_key
        self.write_fn, self.suffix = write_fn, suffix

    def process(self, item):
        (index, total), rows = item
        rows = sorted(rows, key=self.sort_key)
        path = FileSystems.join(self.folder, shard_name(self.prefix, index, total, self.suffix))
        if self.write_fn is None:
            write_parquet(path, rows, self.schema)
        else:
            self.write_fn(path, rows)
        yield path, len(rows)


class WriteShards(beam.PTransform):
    """Rows -> ``<folder>/<prefix>-NNNNN-of-MMMMM.parquet``; yields (path, rows) per shard.

    The shard count is ceil(rows / rows_per_shard) (at least one), so a split with no
    rows still gets one empty, schema-valid shard."""

    def __init__(self, folder: str, prefix: str, schema: pa.Schema | None, shard_key, sort_key,
                 rows_per_shard: int, write_fn=None, suffix: str = ".parquet"):
        super().__init__()
        self.folder, self.prefix, self.schema = folder, prefix, schema
        self.shard_key, self.sort_key, self.rows_per_shard = shard_key, sort_key, rows_per_shard
        # write_fn(path, rows) replaces the validated Parquet writer (stage checkpoints pickle records).
        self.write_fn, self.suffix = write_fn, suffix

    def expand(self, rows):
        per = self.rows_per_shard
        total = (rows | "Count" >> beam.combiners.Count.Globally()
                 | "Shards" >> beam.Map(lambda n: max(1, math.ceil(n / per))))
        shard_key = self.shard_key
        keyed = rows | "Key" >> beam.Map(lambda r, n: ((shard_key(r) % n, n), r), beam.pvalue.AsSingleton(total))
        # Every shard index exists even when no row hashes to it.
        empties = total | "AllShards" >> beam.FlatMap(lambda n: [((i, n), None) for i in range(n)])
        grouped = ((keyed, empties) | "WithEmpties" >> beam.Flatten() | "Group" >> beam.GroupByKey()
                   | "DropNone" >> beam.MapTuple(lambda k, rs: (k, [r for r in rs if r is not None])))
        return grouped | "Write" >> beam.ParDo(_WriteShard(
            self.folder, self.prefix, self.schema, self.sort_key, self.write_fn, self.suffix))


# ----------------------------------------------------------------------------- the run's outputs
SPLITS = ("train", "bench")


# Shard assignment and row order (module-level: they pickle). Ids are content hashes, so the
# same rows land in the same shard in the same order on any runner.
def shard_key(row: dict) -> int:
    return row["idx"]


def row_order(row: dict) -> tuple:
    return row["idx"], row["criterion"]


def dead_key(d: dict) -> int:
    return stable_id(d["stage"], d["record_id"])


def dead_order(d: dict) -> tuple:
    return d["stage"], d["reason"], d["record_kind"], d["record_id"], d.get("criterion") or ""


def _split_index(row: dict, _n: int) -> int:
    return SPLITS.index(row["split"])


class WriteRun(beam.PTransform):
    """(pairs, dead letters) -> ``<output>/shards/{train,bench}/`` and ``<output>/dead_letter/``.

    Pairs get their system prompt and row id (``Finalize``) first. Returns the PCollections of
    written (path, rows) per split and for the dead letters."""

    def __init__(self, output: str, config: WriteConfig, seed: int):
        super().__init__()
        self.output, self.config, self.seed = output, config, seed

    def expand(self, inputs):
        pairs, dead = inputs
        rows = pairs | "Finalize" >> Finalize(self.seed)
        by_split = rows | "BySplit" >> beam.Partition(_split_index, len(SPLITS))
        per = self.config.rows_per_shard
        written = {}
        for i, split in enumerate(SPLITS):
            written[split] = by_split[i] | f"Write_{split}" >> WriteShards(
                FileSystems.join(self.output, "shards", split), split, PREFERENCE_PAIR, shard_key, row_order, per)
        written["dead_letter"] = dead | "WriteDead" >> WriteShards(
            FileSystems.join(self.output, "dead_letter"), "dead_letter", DEAD_LETTER, dead_key, dead_order, per)
        return written
