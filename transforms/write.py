"""Stage 9, write: deterministic Parquet shards through Beam FileSystems.

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

from schemas.validate import to_table


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
                 rows_per_shard: int = 100_000, write_fn=None, suffix: str = ".parquet"):
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
