"""What tests compare between pipeline runs: the bytes of the shards and dead letters."""
from __future__ import annotations

import hashlib
from pathlib import Path


def digests(out: Path) -> dict[str, str]:
    """sha256 of every shard and dead-letter file of an output folder, by relative path."""
    files = sorted(out.glob("shards/*/*.parquet")) + sorted(out.glob("dead_letter/*.parquet"))
    assert files, f"no shards under {out}"
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


# Counters that say where a measurement came from (the cache or a sandbox), not what it was.
PROVENANCE_COUNTERS = ("execute.cache_hit", "execute.executed", "execute.executed_free_page_reporting",
                       "execute.remeasure_cache_hit", "execute.remeasured")


def result_counters(counters: dict[str, int]) -> dict[str, int]:
    """A run's counters that describe its results: two runs over the same measurements agree on
    these whether they measured or read the cache."""
    return {k: v for k, v in counters.items() if k not in PROVENANCE_COUNTERS}
