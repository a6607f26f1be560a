"""Conventions every stage shares: dead letters, counters, stable ids.

Each stage's composite PTransform returns ``{"main": ..., "dead_letter": ...}``.
Every record a stage drops becomes a dead-letter record (schemas.records.DEAD_LETTER)
and bumps the Beam counter ``<stage>.<reason>`` in namespace ``codepref``, so the
manifest can show that in = out + dropped for every stage.
"""
from __future__ import annotations

import collections
import hashlib
import json
import threading
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics

MAIN = "main"
DEAD = "dead_letter"
NAMESPACE = "codepref"


def dead_letter(stage: str, reason: str, record_id: str, record_kind: str, detail: str | None = None,
                source: str | None = None, language: str | None = None, criterion: str | None = None,
                split: str | None = None) -> dict[str, Any]:
    """A dead-letter record (schemas.records.DEAD_LETTER)."""
    return {
        "stage": stage, "reason": reason, "record_id": record_id, "record_kind": record_kind,
        "detail": None if detail is None else str(detail)[:2000],
        "source": source, "language": language, "criterion": criterion, "split": split,
    }


def sample_dead_letter(stage: str, reason: str, sample: dict[str, Any], detail: str | None = None,
                       criterion: str | None = None) -> dict[str, Any]:
    """Dead letter for a source sample, carrying its own provenance."""
    return dead_letter(stage, reason, sample["sample_id"], "sample", detail, sample.get("source"),
                       sample.get("language"), criterion, sample.get("split"))


class LiveCounters:
    """A thread-safe, process-wide tally of counter names: what in-process DoFns have done so far.

    Beam's in-process runner reports counters only once ``run()`` returns; this tally lets
    ``pipeline.progress`` show a long stage moving while it runs."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: collections.Counter = collections.Counter()

    def add(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._counts[name] += n

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


LIVE = LiveCounters()


def count(stage: str, name: str, n: int = 1) -> None:
    """Bump the Beam counter ``<stage>.<name>`` (a no-op outside a pipeline) and the live tally."""
    Metrics.counter(NAMESPACE, f"{stage}.{name}").inc(n)
    LIVE.add(f"{stage}.{name}", n)


def stable_id(*parts: Any, bits: int = 63) -> int:
    """A deterministic non-negative integer id from the given parts."""
    h = hashlib.blake2b(json.dumps(parts, sort_keys=True, default=str).encode("utf-8"), digest_size=8)
    return int.from_bytes(h.digest(), "big") & ((1 << bits) - 1)


def stable_hex(*parts: Any, length: int = 16) -> str:
    """A deterministic hex id from the given parts."""
    data = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.blake2b(data, digest_size=max(4, length // 2)).hexdigest()[:length]


def route_dead(letter: dict[str, Any]) -> beam.pvalue.TaggedOutput:
    """Count a dead letter (``<stage>.<reason>`` and ``<stage>.dropped``) and route it to the
    dead-letter output: every drop helper goes through here, so every stage counts alike."""
    count(letter["stage"], letter["reason"])
    count(letter["stage"], "dropped")
    return beam.pvalue.TaggedOutput(DEAD, letter)


def drop(stage: str, reason: str, sample: dict[str, Any], detail: str | None = None,
         criterion: str | None = None) -> beam.pvalue.TaggedOutput:
    """A dropped sample, to the dead letters."""
    return route_dead(sample_dead_letter(stage, reason, sample, detail, criterion))


def drop_pair(stage: str, reason: str, pair: dict[str, Any], detail: str | None = None) -> beam.pvalue.TaggedOutput:
    """A dropped candidate pair, to the dead letters."""
    return route_dead(dead_letter(stage, reason, pair["pair_key"], "pair", detail, pair.get("source"),
                                  pair.get("language_id"), pair.get("criterion"), pair.get("split")))
