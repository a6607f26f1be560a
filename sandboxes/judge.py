"""Pure judging: output comparison, per-run verdicts, repeat statistics, the report.

Nothing here touches processes or files, so every rule is unit-testable.
"""
from __future__ import annotations

import signal as _signal
import statistics
from dataclasses import dataclass
from typing import Any, Sequence

from .model import (COMPILE_ERROR, MEMORY_LIMIT, OK, OUTPUT_LIMIT, RUNTIME_ERROR, SANDBOX_ERROR, TIME_LIMIT,
                    WRONG_ANSWER, Limits, RunResult, TestCase)


@dataclass(frozen=True)
class Stability:
    """When a measurement is steady enough to compare two programs.

    CPU time is judged on the program's total over its tests, run by run, with ``spread``
    (the CV under 5 runs, interquartile range / 1.349 / median from 5 on). A total below ``noise_floor_s``
    is dominated by start-up and scheduler-tick granularity, so its relative spread is
    meaningless: it counts as CPU-stable when the absolute spread is under
    ``noise_floor_s / 4``. The
    CV thresholds were chosen from measurements (docs/sandboxes.md): a 100 ms loop
    shows 1-3 % CPU CV on a quiet machine and up to about 20 % on a busy two-core
    worker, peak RSS is nearly exact; the pipeline's efficiency labels need a 5x
    ratio that survives one CV against the label, so 0.25 keeps busy-worker runs
    without admitting noise (the pipeline's ``--max_cpu_cv`` default is this one).
    """

    max_cpu_cv: float = 0.25
    max_rss_cv: float = 0.10
    noise_floor_s: float = 0.020
    # Peak RSS has an absolute noise floor too: the runtime's own start-up (interpreter heap,
    # loader, page-granular accounting) moves a few hundred KB from run to run whatever the
    # program does, so a 3 MB program shows a CV of 0.10-0.13 that a 50 MB one never does
    # (docs/benchmarks.md, "Efficiency labels under re-measurement"). A spread (population
    # stdev) under this floor is steady memory, whatever the CV says.
    rss_noise_floor_bytes: int = 1 << 20


NEAR_LIMIT = 0.9  # share of the memory limit at which a crash counts as running out of memory


def normalize_output(text: str) -> list[str]:
    """Lines with trailing whitespace removed and trailing blank lines dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def outputs_match(actual: str, expected: str) -> bool:
    return normalize_output(actual) == normalize_output(expected)


def signal_name(signo: int | None) -> str:
    try:
        return _signal.Signals(signo).name if signo else ""
    except ValueError:
        return f"signal {signo}"


def first_line(data: bytes | str, limit: int = 300) -> str:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""


def marker_line(text: str, markers: Sequence[str], limit: int = 300) -> str:
    """The first line holding one of ``markers`` (stripped, at most ``limit`` characters), or ""."""
    for line in text.splitlines():
        if any(marker in line for marker in markers):
            return line.strip()[:limit]
    return ""


def run_verdict(run: RunResult, test: TestCase, limits: Limits, oom_markers: Sequence[str] = ()) -> tuple[str, str]:
    """The verdict of one run, and a one-line detail."""
    if run.sandbox_error:
        return SANDBOX_ERROR, run.sandbox_error
    stderr_head = run.stderr[:65536].decode("utf-8", "replace")
    if run.wall_timeout:
        return TIME_LIMIT, f"wall-clock limit {limits.wall_limit_s:g}s exceeded"
    # Over the memory limit is judged before over the CPU limit: a program past its memory limit
    # (the cgroup allows some slack above it) spends CPU time in the kernel's reclaim until the
    # OOM kill, and on a loaded machine that time could reach the CPU limit first (a JavaScript
    # memory bomb: peak 377 MB of 256, 1.02 s of CPU) and hide which limit it broke.
    if run.oom_killed or run.peak_rss_bytes > limits.memory_mb * 1024 * 1024:
        return MEMORY_LIMIT, f"memory limit {limits.memory_mb} MB exceeded"
    if run.signal in (_signal.SIGXCPU,) or run.cpu_s > limits.time_s:
        return TIME_LIMIT, f"CPU limit {limits.time_s:g}s exceeded"
    if run.signal == _signal.SIGXFSZ or run.stdout_truncated:
        return OUTPUT_LIMIT, f"output exceeds {limits.output_bytes} bytes"
    if run.signal == _signal.SIGKILL and run.cpu_s >= limits.time_s - 0.05:
        return TIME_LIMIT, f"CPU limit {limits.time_s:g}s exceeded"
    if run.supervisor_lost:
        return RUNTIME_ERROR, "the program killed its supervisor"
    if run.signal or run.exit_code != 0:
        # A crash near the limit is an allocation failure (C's NULL from malloc, a runtime abort).
        near_limit = run.peak_rss_bytes >= NEAR_LIMIT * limits.memory_mb * 1024 * 1024
        marked = marker_line(stderr_head, oom_markers)
        if near_limit or marked:
            # The marker's own line, not the first one: a JVM that cannot start prints a generic
            # "Error: A JNI error has occurred" first and the cause (which resource) further down.
            return MEMORY_LIMIT, marked or first_line(stderr_head) or f"memory limit {limits.memory_mb} MB exceeded"
        if run.signal:
            return RUNTIME_ERROR, signal_name(run.signal)
        return RUNTIME_ERROR, first_line(stderr_head) or f"exit code {run.exit_code}"
    if test.expected is not None and not outputs_match(run.stdout.decode("utf-8", "replace"), test.expected):
        return WRONG_ANSWER, "output differs from expected"
    return OK, ""


def cv(values: Sequence[float]) -> float | None:
    """Coefficient of variation (population stdev / mean); None under two values."""
    if len(values) < 2:
        return None
    mean = statistics.fmean(values)
    return statistics.pstdev(values) / mean if mean > 0 else 0.0


IQR_TO_SD = 1.349  # the interquartile range of a normal sample, over this, estimates its stdev
ROBUST_MIN_RUNS = 5  # under this quartiles are no spread: of 3 runs they are the two gaps' midpoints


def spread(values: Sequence[float]) -> tuple[float, float] | None:
    """(spread, centre) of ``values``: (interquartile range / 1.349, median) from
    ``ROBUST_MIN_RUNS`` runs on, (population stdev, mean) under that; None under two values.

    CPU time on a shared machine has a heavy upper tail: a run that meets a slow spell of the
    host takes 1.5-2x as long (a 0.26 s Go program measured alone: 0.243-0.342 s, then 0.454 and
    0.510 s). The median ignores those runs; the stdev is made of them, so the CV flagged the
    measurement unstable and widened its pairs' ratios although its median moved by a few %.
    The quartiles ignore up to a quarter of the runs on each side, and, unlike the median
    absolute deviation, still see runs split in two clusters near half and half (whose median
    may jump from one to the other in the next measurement)."""
    if len(values) < 2:
        return None
    if len(values) < ROBUST_MIN_RUNS:
        return statistics.pstdev(values), statistics.fmean(values)
    q1, med, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return (q3 - q1) / IQR_TO_SD, med


def relative_spread(values: Sequence[float]) -> float | None:
    """``spread`` over centre: the CV under ``ROBUST_MIN_RUNS`` runs, its robust twin from there."""
    found = spread(values)
    return None if found is None else _relative(*found)


def _relative(sd: float, centre: float) -> float:
    return sd / centre if centre > 0 else 0.0


def cpu_totals(outcomes: Sequence["TestOutcome"]) -> list[float]:
    """The program's CPU time run by run: the r-th run of every test, summed (the report's
    ``cpu_s`` sums the tests' medians); as many runs as the test with the fewest."""
    n = min((len(o.runs) for o in outcomes), default=0)
    return [sum(o.runs[r].cpu_s for o in outcomes) for r in range(n)]


def rss_peaks(outcomes: Sequence["TestOutcome"]) -> list[float]:
    """The program's peak RSS run by run: the largest r-th run over its tests (the report's
    ``peak_rss_bytes`` is the largest of the tests' medians); as many runs as the test with the fewest."""
    n = min((len(o.runs) for o in outcomes), default=0)
    return [max(float(o.runs[r].peak_rss_bytes) for o in outcomes) for r in range(n)]


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class TestOutcome:
    verdict: str
    detail: str
    runs: list[RunResult]

    __test__ = False


def test_result(outcome: TestOutcome) -> dict[str, Any]:
    """One entry of EXECUTION.tests: medians over the repeats of one test."""
    runs = outcome.runs
    last = runs[-1] if runs else RunResult()
    rss = _median([r.peak_rss_bytes for r in runs])
    return {
        "verdict": outcome.verdict,
        "exit_code": last.exit_code if last.signal is None else None,
        "signal": last.signal,
        "cpu_s": _median([r.cpu_s for r in runs]),
        "wall_s": _median([r.wall_s for r in runs]),
        "peak_rss_bytes": int(rss) if rss is not None else None,
        "cpu_cv": relative_spread([r.cpu_s for r in runs]),
        # Every run's numbers, so later runs can be added to these (more repeats where needed).
        "runs_cpu_s": [r.cpu_s for r in runs],
        "runs_wall_s": [r.wall_s for r in runs],
        "runs_peak_rss_bytes": [int(r.peak_rss_bytes) for r in runs],
    }


def cpu_steady(cpus: Sequence[float], stability: Stability) -> bool:
    """CPU times steady enough to compare: relative spread (``spread``) under the threshold, or,
    below the noise floor, an absolute spread under a quarter of it."""
    found = spread(cpus)
    if found is None:
        return False
    sd, centre = found
    if statistics.median(cpus) < stability.noise_floor_s:
        return sd <= stability.noise_floor_s / 4
    return _relative(sd, centre) <= stability.max_cpu_cv


def cpu_stable(runs: Sequence[RunResult], stability: Stability) -> bool:
    """One test's CPU time steady enough to compare (``cpu_steady``). Judged apart from memory:
    an ee label needs only this, an me label only ``rss_stable`` (CPU time wobbles on a shared
    core while peak RSS stays within a few %)."""
    return cpu_steady([r.cpu_s for r in runs], stability)


def rss_steady(peaks: Sequence[float], stability: Stability) -> bool:
    """Peak RSS steady enough to compare: CV under the threshold, or an absolute spread under
    the noise floor (small programs, whose CV the runtime's own jitter inflates)."""
    if len(peaks) < 2:
        return False
    return (cv(peaks) or 0.0) <= stability.max_rss_cv or statistics.pstdev(peaks) <= stability.rss_noise_floor_bytes


def rss_stable(runs: Sequence[RunResult], stability: Stability) -> bool:
    """One test's peak RSS steady enough to compare (``rss_steady``)."""
    return rss_steady([float(r.peak_rss_bytes) for r in runs], stability)


def is_stable(runs: Sequence[RunResult], stability: Stability) -> bool:
    return cpu_stable(runs, stability) and rss_stable(runs, stability)


def build_report(backend: str, outcomes: list[TestOutcome], repeats: int, toolchain: str | None,
                 stability: Stability = Stability()) -> dict[str, Any]:
    """The EXECUTION record for a program that compiled (or needs no compiling)."""
    tests = [test_result(o) for o in outcomes]
    failed = next((o for o in outcomes if o.verdict != OK), None)
    cpu = [t["cpu_s"] for t in tests]
    wall = [t["wall_s"] for t in tests]
    usable = bool(outcomes) and failed is None
    # Both quantities are judged on what the labels compare. CPU time: the sum over tests (a
    # 1 ms test's own spread, timer ticks, says nothing about a 300 ms program's total). Peak
    # RSS: the largest over tests (a 1.5 MB test that once peaked at 5 MB, a runtime's heap
    # growing a step early, says nothing about a program whose large test peaks at 56 MB in
    # every run; judged per test, it once cost 5 me labels of a Go program in one bench).
    totals = cpu_totals(outcomes)
    cpu_ok = cpu_steady(totals, stability)
    peaks = rss_peaks(outcomes)
    rss_ok = rss_steady(peaks, stability)
    return {
        "backend": backend,
        "verdict": failed.verdict if failed else OK,
        "compile_ok": True,
        "tests_passed": sum(1 for o in outcomes if o.verdict == OK),
        "tests_total": len(outcomes),
        "cpu_s": sum(c for c in cpu if c is not None) if tests else None,
        "wall_s": sum(w for w in wall if w is not None) if tests else None,
        "peak_rss_bytes": max((t["peak_rss_bytes"] or 0 for t in tests), default=None),
        "cpu_cv": relative_spread(totals),
        "rss_cv": cv(peaks),
        "stable": usable and cpu_ok and rss_ok,
        "cpu_stable": usable and cpu_ok,
        "rss_stable": usable and rss_ok,
        "repeats": repeats,
        "detail": failed.detail if failed else None,
        "toolchain": toolchain,
        "tests": tests,
        # Set by the execute stage when it re-measures samples in interleaved rounds.
        "round_group": None, "round_first": None,
    }


def error_report(backend: str, verdict: str, detail: str, tests_total: int, repeats: int,
                 toolchain: str | None, compile_ok: bool = False) -> dict[str, Any]:
    """The EXECUTION record when no test could run (compile or sandbox error)."""
    return {
        "backend": backend, "verdict": verdict, "compile_ok": compile_ok and verdict != COMPILE_ERROR,
        "tests_passed": 0, "tests_total": tests_total, "cpu_s": None, "wall_s": None,
        "peak_rss_bytes": None, "cpu_cv": None, "rss_cv": None, "stable": False, "cpu_stable": False,
        "rss_stable": False, "repeats": repeats,
        "detail": detail[:2000], "toolchain": toolchain, "tests": [], "round_group": None, "round_first": None,
    }
