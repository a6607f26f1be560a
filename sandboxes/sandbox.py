"""The public entry point: compile once, run every test ``repeat`` times, judge, report."""
from __future__ import annotations

import functools
import threading
from typing import Any, Sequence

from schemas import languages

from . import langdata
from .buildcache import BuildCache, build_key
from .judge import Stability, TestOutcome, build_report, error_report, run_verdict
from .model import COMPILE_ERROR, OK, SANDBOX_ERROR, Limits, RunResult, TestCase

BACKENDS = ("auto", "local", "docker")


def make_backend(name: str, **options: Any):
    """The backend object for ``name``; "auto" prefers a reachable docker daemon with images."""
    if name not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {name!r}")
    if name == "docker" or (name == "auto" and _docker_usable()):
        from .docker_backend import DockerBackend
        return DockerBackend(**options.get("docker", {}))
    from .local import LocalBackend
    return LocalBackend(**options.get("local", {}))


@functools.lru_cache(maxsize=1)
def _docker_usable() -> bool:
    """Probed once per process, so every sandbox of a worker measures on the same backend."""
    try:
        from .docker_backend import docker_ready
    except ImportError:  # no docker SDK installed
        return False
    return docker_ready()


class Sandbox:
    """Compile and run programs in one of the backends; ``execute`` never raises."""

    def __init__(self, backend: str = "auto", limits: Limits | None = None, repeat: int = 3,
                 stability: Stability | None = None, cache_entries: int = 128, cache_dir: str | None = None,
                 build_cache: BuildCache | None = None, **backend_options: Any) -> None:
        """``build_cache``: a cache shared with other sandboxes of the same backend (the caller
        owns it; ``close`` leaves it open), instead of one of our own."""
        self.limits = limits or Limits()
        self.repeat = max(1, int(repeat))
        self.stability = stability or Stability()
        self.backend = make_backend(backend, **backend_options)
        self._owns_cache = build_cache is None
        self.cache = build_cache if build_cache is not None else BuildCache(cache_dir, cache_entries)
        self._closed = False
        self._lock = threading.Lock()

    @property
    def backend_name(self) -> str:
        return self.backend.name

    def execute(self, language: str, source: str, tests: Sequence[TestCase], *,
                repeat: int | None = None, prior: dict[str, Any] | None = None,
                stop_at_failure: bool = False, warmup: int = 0) -> dict[str, Any]:
        """The EXECUTION record (schemas.records.EXECUTION) of ``source`` on ``tests``.

        ``repeat`` overrides the sandbox's runs per test for this call. ``prior``: an earlier
        passing report of the same program and tests; this call's runs are added to its runs
        (per test, ``runs_*`` lists) and the report covers them all (more repeats, not new ones).
        ``stop_at_failure``: no test runs after the first that fails (what deciding that a
        mutant fails needs); the report covers the tests run (``tests_total``).
        ``warmup``: runs of each test before its measured ones, not reported when they pass (the
        first run after a pause is not the program's cost: on a VM that hands freed memory back
        to its host it pays a host page fault per page it touches, 4-6x the CPU time of the next
        run for a Go program of 90 MB, docs/benchmarks.md); a failing one is the test's outcome."""
        return self.execute_with_runs(language, source, tests, repeat=repeat, prior=prior,
                                      stop_at_failure=stop_at_failure, warmup=warmup)[0]

    def execute_with_runs(self, language: str, source: str, tests: Sequence[TestCase], *,
                          repeat: int | None = None, prior: dict[str, Any] | None = None,
                          stop_at_failure: bool = False, warmup: int = 0) -> tuple[dict[str, Any], list[TestOutcome]]:
        """Like ``execute``, also returning each test's runs (stdout/stderr for the CLI)."""
        tests = list(tests)
        repeat = max(1, int(repeat)) if repeat is not None else self.repeat
        earlier = prior_runs(prior, len(tests))
        try:
            lang = languages.get(language)
        except KeyError as exc:
            return error_report(self.backend_name, SANDBOX_ERROR, str(exc.args[0]), len(tests), repeat,
                                None, compile_ok=False), []
        toolchain = None
        try:
            toolchain = self.backend.toolchain(lang)
            key = build_key(lang.id, toolchain, source)
            build = self.cache.get_or_build(key, lambda d: self.backend.compile(lang, source, d, self.limits))
            if build.sandbox_error:
                return error_report(self.backend_name, SANDBOX_ERROR, build.sandbox_error, len(tests),
                                    repeat, toolchain, compile_ok=False), []
            if not build.ok:
                return error_report(self.backend_name, COMPILE_ERROR, build.detail or "compilation failed",
                                    len(tests), repeat, toolchain, compile_ok=False), []
            markers = langdata.extra(lang.id).oom_markers
            outcomes = []
            for test in tests:
                outcomes.append(self._run_test(lang, build, test, markers, repeat, warmup))
                if stop_at_failure and outcomes[-1].verdict != OK:
                    break
            if earlier is not None and all(o.verdict == OK for o in outcomes):
                outcomes = [TestOutcome(o.verdict, o.detail, runs + o.runs) for runs, o in zip(earlier, outcomes)]
                repeat += len(earlier[0]) if earlier else 0
            return build_report(self.backend_name, outcomes, repeat, toolchain, self.stability), outcomes
        except Exception as exc:  # the contract: report, never raise
            return error_report(self.backend_name, SANDBOX_ERROR, f"{type(exc).__name__}: {exc}", len(tests),
                                repeat, toolchain, compile_ok=False), []

    def _run_test(self, lang, build, test: TestCase, markers, repeat: int, warmup: int = 0) -> TestOutcome:
        for _ in range(warmup):
            run = self.backend.run(lang, build, test.stdin, self.limits)
            verdict, detail = run_verdict(run, test, self.limits, markers)
            if verdict != OK:  # a failure is not run again, warm-up or not
                return TestOutcome(verdict, detail, [run])
        runs: list[RunResult] = []
        verdict, detail = OK, ""
        for _ in range(repeat):
            run = self.backend.run(lang, build, test.stdin, self.limits)
            runs.append(run)
            verdict, detail = run_verdict(run, test, self.limits, markers)
            if verdict != OK:  # no need to repeat a failure
                break
        return TestOutcome(verdict, detail, runs)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self.backend.close()
        if self._owns_cache:
            self.cache.close()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def prior_runs(report: dict[str, Any] | None, n_tests: int) -> list[list[RunResult]] | None:
    """The runs of a passing report, per test, rebuilt from its ``runs_*`` lists; None when
    there is no usable report (not passing, other tests, or written without run lists)."""
    if not report or report.get("verdict") != OK or len(report.get("tests") or []) != n_tests:
        return None
    out = []
    for t in report["tests"]:
        cpu, wall, rss = t.get("runs_cpu_s"), t.get("runs_wall_s"), t.get("runs_peak_rss_bytes")
        if not cpu or not wall or not rss or not len(cpu) == len(wall) == len(rss):
            return None
        out.append([RunResult(exit_code=0, cpu_s=c, wall_s=w, peak_rss_bytes=r) for c, w, r in zip(cpu, wall, rss)])
    return out


def execute(language: str, source: str, tests: Sequence[TestCase], *, limits: Limits | None = None,
            repeat: int = 3, backend: str = "auto") -> dict[str, Any]:
    """One-shot convenience: a throwaway Sandbox."""
    with Sandbox(backend=backend, limits=limits, repeat=repeat) as sb:
        return sb.execute(language, source, tests)
