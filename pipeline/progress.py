"""Progress while the pipeline runs: a driver-side reporter and a worker-side stage logger.

What works where (checked on Beam 2.77):

* FnApiRunner (our DirectRunner): ``pipeline.run()`` returns only when the pipeline is
  done, and Beam counters reach the driver per finished stage, not while a stage runs.
  So the driver cannot poll ``result.metrics()``. With ``--direct_running_mode=in_memory``
  (our default) DoFns run in the driver's process, though: they ``note()`` into the
  process-wide ``LIVE`` tally, which a ``ProgressReporter`` thread started before
  ``run()`` reads every few seconds.
* Dataflow, Flink, Prism (``run()`` returns at once): the reporter is ``attach()``-ed to the
  running result and polls ``result.metrics().query()``, whose *attempted* counters
  move live (Dataflow also shows them in its console).
* Everywhere, including multi-process workers: ``StageProgress.tick()`` in a long stage
  logs "execute: 120/480 samples, 3.1/s" at most every ``every_s`` seconds from the worker.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Self

from transforms import common
from transforms.common import NAMESPACE

_LOG = logging.getLogger(__name__)

# Counters a progress line shows, in DAG order, and "done/of" fractions: execute has
# run execute.in of the samples tagging has let through so far.
DEFAULT_KEYS = ("read.inputs", "read.samples", "tag.in", "execute.in", "execute.executed", "execute.cache_hit",
                "mutate.candidates", "mutate.out", "pair.proposed", "finalize.out")
DEFAULT_FRACTIONS = (("execute.in", "tag.out"),)


LiveCounters = common.LiveCounters
LIVE: LiveCounters = common.LIVE


def note(stage: str, name: str, n: int = 1) -> None:
    """Tally ``<stage>.<name>`` in this process (call next to ``transforms.common.count``)."""
    LIVE.add(f"{stage}.{name}", n)


def metrics_snapshot(result) -> dict[str, int]:
    """Counters of our namespace on a (running or finished) PipelineResult, summed over steps.

    Attempted values where the runner has them (they move while a job runs), else committed;
    {} when the runner cannot answer."""
    try:
        res = result.metrics().query()
    except Exception:  # noqa: BLE001 - a runner without metrics reports nothing, not an error
        return {}
    out: Counter = Counter()
    for c in res.get("counters", []):
        if c.key.metric.namespace == NAMESPACE:
            value = c.attempted if c.attempted is not None else c.committed
            out[c.key.metric.name] += int(value or 0)
    return dict(out)


def _duration(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m{s % 60:02d}s" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


def format_progress(elapsed_s: float, current: dict[str, int], previous: dict[str, int], interval_s: float,
                    keys: tuple[str, ...] = DEFAULT_KEYS,
                    fractions: tuple[tuple[str, str], ...] = DEFAULT_FRACTIONS) -> str:
    """One progress line: each non-zero counter with its growth and rate since the previous line."""
    parts = [f"progress {_duration(elapsed_s)}"]
    for key in (*keys, *sorted(k for k in current if k.endswith(".progress") and k not in keys)):
        value = current.get(key, 0)
        if not value:
            continue
        delta = value - previous.get(key, 0)
        rate = delta / interval_s if interval_s > 0 else 0.0
        parts.append(f"{key} {value} (+{delta}, {rate:.1f}/s)")
    for done, of in fractions:
        if current.get(of):
            parts.append(f"{done.split('.', 1)[0]} {current.get(done, 0)}/{current[of]}")
    return " | ".join(parts)


class ProgressReporter:
    """A daemon thread that emits a progress line every ``interval_s`` seconds while a run goes on.

    It reads the attached result's live metrics when it has some, else the in-process ``LIVE``
    tally. Use it as a context manager around ``pipeline.run()``; ``attach(result)`` once the
    runner hands a result back. A last line is emitted on exit."""

    def __init__(self, interval_s: float = 30.0, emit: Callable[[str], None] | None = None,
                 keys: tuple[str, ...] = DEFAULT_KEYS, live: LiveCounters = LIVE,
                 clock: Callable[[], float] = time.monotonic):
        self.interval_s, self.keys, self.live, self.clock = interval_s, keys, live, clock
        self.emit = emit or _LOG.info
        self.result = None
        self._baseline = live.snapshot()  # the tally is process-wide: count only this run's share
        self._previous: dict[str, int] = {}
        self._start = self._last = clock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lines: list[str] = []

    def attach(self, result) -> None:
        self.result = result

    def current(self) -> dict[str, int]:
        live = metrics_snapshot(self.result) if self.result is not None else {}
        if live:
            return live
        base = self._baseline
        return {k: v - base.get(k, 0) for k, v in self.live.snapshot().items() if v != base.get(k, 0)}

    def poll(self) -> str:
        """Read the counters once, emit and return the line."""
        now, cur = self.clock(), self.current()
        line = format_progress(now - self._start, cur, self._previous, now - self._last, self.keys)
        self._previous, self._last = cur, now
        self.lines.append(line)
        self.emit(line)
        return line

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.poll()
            except Exception as e:  # noqa: BLE001 - progress must never take the run down
                _LOG.warning("progress report failed: %r", e)

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._loop, name="codepref-progress", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.poll()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run_with_progress(pipeline, interval_s: float = 30.0, emit: Callable[[str], None] | None = None):
    """``pipeline.run()`` and wait, reporting progress every ``interval_s`` seconds; returns the result."""
    with ProgressReporter(interval_s, emit) as reporter:
        result = pipeline.run()
        reporter.attach(result)
        result.wait_until_finish()
    return result


class StageProgress:
    """Worker-side progress of one stage: ``tick()`` per processed item; logs at most every ``every_s``.

    Picklable (a DoFn attribute); the counting state starts on the worker at the first tick.
    ``total``, when the driver knows it, turns the count into "done/total"."""

    def __init__(self, stage: str, unit: str = "items", every_s: float = 30.0, total: int | None = None,
                 clock: Callable[[], float] = time.monotonic, log: Callable[[str], None] | None = None):
        self.stage, self.unit, self.every_s, self.total = stage, unit, every_s, total
        self.clock, self.log = clock, log
        self._done = 0
        self._start: float | None = None
        self._last_log: float | None = None

    def __getstate__(self):
        return dict(self.__dict__, _done=0, _start=None, _last_log=None)

    def tick(self, n: int = 1) -> str | None:
        """Count ``n`` items (and tally them in ``LIVE``); returns the line when one is logged."""
        now = self.clock()
        if self._start is None:
            self._start = self._last_log = now
        self._done += n
        note(self.stage, "progress", n)
        if now - self._last_log < self.every_s:
            return None
        self._last_log = now
        elapsed = now - self._start
        done = f"{self._done}/{self.total}" if self.total else str(self._done)
        line = (f"{self.stage}[pid {os.getpid()}]: {done} {self.unit}, "
                f"{self._done / elapsed if elapsed > 0 else 0.0:.1f}/s")
        (self.log or _LOG.info)(line)
        return line
