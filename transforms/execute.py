"""The execute stage: run each submission against its problem's tests in a sandbox.

Samples are batched and each batch runs on ``parallelism`` threads, each with its own
sandbox (backend pool, build cache), created lazily and closed in ``teardown``. Results are cached by content: the same toolchain, source, tests,
limits and repeat count give the cached measurement, so re-runs do not re-execute
and produce identical shards. Samples without tests (commits) pass through.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from sandboxes.judge import Stability
from sandboxes.sandbox import BACKENDS
from transforms.common import DEAD, MAIN, count, drop
from transforms.config import check_config, option
from transforms.problem_tests import latest_entry


def _optional_float(text: str) -> float | None:
    return None if text.lower() in ("", "none") else float(text)


def _optional_int(text: str) -> int | None:
    return None if text.lower() in ("", "none") else int(text)


@dataclass(frozen=True)
class ExecuteConfig:
    sandbox_backend: str = option("auto", "Sandbox backend for execution.", choices=BACKENDS)
    exec_parallelism: int = option(0, "Concurrent sandbox runs per worker (0: one per core of the worker).")
    exec_repeat: int = option(3, "Runs per test, for median and spread.")
    exec_cache: str | None = option(None, "Execution cache folder/URI (default ~/.cache/codepref/exec, resolved by "
                                    "the driver; 'none' disables).")
    time_limit_s: float | None = option(None, "Override every problem's time limit.", parse=_optional_float)
    memory_limit_mb: int | None = option(None, "Override every problem's memory limit.", parse=_optional_int)
    max_cpu_cv: float = option(Stability.max_cpu_cv,
                               "CPU-time coefficient of variation above which a measurement is unstable.")
    max_rss_cv: float = option(Stability.max_rss_cv,
                               "Peak-RSS coefficient of variation above which a measurement is unstable.")

    def __post_init__(self):
        check_config(self.exec_parallelism >= 0, "--exec_parallelism must be >= 0 (0: one per core)")
        check_config(self.exec_repeat >= 1, "--exec_repeat must be >= 1")

    def parallelism(self) -> int:
        """Sandbox threads on this machine (resolved where it runs: the worker's cores)."""
        return self.exec_parallelism or os.cpu_count() or 1

STAGE = "execute"
_LOG = logging.getLogger(__name__)


def cache_key(language: str, code: str, tests: list, limits: dict, repeat: int, backend: str) -> str:
    payload = json.dumps([language, code, tests, limits, repeat, backend], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ExecutionCache:
    """Content-addressed JSON files under a Beam FileSystems path (local, gs://, s3://)."""

    def __init__(self, root: str | None):
        self.root = root.rstrip("/") if root else None

    def _path(self, key: str) -> str:
        return FileSystems.join(self.root, key[:2], key + ".json")

    def get(self, key: str) -> dict | None:
        if not self.root:
            return None
        path = self._path(key)
        try:
            if not FileSystems.exists(path):
                return None
            with FileSystems.open(path) as f:
                return json.loads(f.read().decode("utf-8"))
        except Exception as e:  # a damaged cache entry means: execute again
            _LOG.warning("execution cache entry %s unreadable: %s", path, e)
            return None

    def put(self, key: str, report: dict) -> None:
        if not self.root:
            return
        path = self._path(key)
        try:
            FileSystems.mkdirs(FileSystems.join(self.root, key[:2]))
        except OSError:
            pass  # exists
        with FileSystems.create(path) as f:
            f.write(json.dumps(report, sort_keys=True).encode("utf-8"))


class _ExecuteFn(beam.DoFn):
    """Runs a batch of samples on ``parallelism`` threads, one sandbox per thread and limits.

    Sandbox runs wait on child processes, so threads overlap them without the runner's
    own worker threads; Beam counters are bumped on the DoFn's thread only (metric
    containers are thread-local), after each run returns."""

    def __init__(self, config: ExecuteConfig):
        self.backend, self.repeat, self.cache_root = config.sandbox_backend, config.exec_repeat, config.exec_cache
        self.time_limit_s, self.memory_limit_mb = config.time_limit_s, config.memory_limit_mb
        self.max_cpu_cv, self.max_rss_cv = config.max_cpu_cv, config.max_rss_cv
        self.config = config

    def setup(self):
        import threading
        from concurrent.futures import ThreadPoolExecutor
        self.parallelism = self.config.parallelism()
        self.cache = ExecutionCache(self.cache_root)
        self.local = threading.local()
        self.opened, self.lock = [], threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=self.parallelism, thread_name_prefix="sandbox")

    def sandbox(self, time_s: float, memory_mb: int):
        """This thread's sandbox for the given limits (problems usually share theirs)."""
        mine = getattr(self.local, "sandboxes", None)
        if mine is None:
            mine = self.local.sandboxes = {}
        key = (time_s, memory_mb)
        if key not in mine:
            from sandboxes import Limits, Sandbox, Stability
            mine[key] = Sandbox(
                backend=self.backend, repeat=self.repeat, limits=Limits(time_s=time_s, memory_mb=memory_mb),
                stability=Stability(max_cpu_cv=self.max_cpu_cv, max_rss_cv=self.max_rss_cv))
            with self.lock:
                self.opened.append(mine[key])
        return mine[key]

    def teardown(self):
        self.pool.shutdown(wait=True)
        for sb in self.opened:
            sb.close()
        self.opened = []

    def run_one(self, sample: dict, problem: dict) -> tuple[dict, bool]:
        """(report, cache hit) for one submission; never raises (the sandbox never does)."""
        from sandboxes import TestCase
        limits = {"time_s": self.time_limit_s or problem["time_limit_s"],
                  "memory_mb": self.memory_limit_mb or problem["memory_limit_mb"],
                  "max_cpu_cv": self.max_cpu_cv, "max_rss_cv": self.max_rss_cv}
        sandbox = self.sandbox(limits["time_s"], limits["memory_mb"])
        key = cache_key(sample["language"], sample["code"], problem["tests"], limits, self.repeat,
                        sandbox.backend_name)
        report = self.cache.get(key)
        if report is not None:
            return report, True
        tests = [TestCase(stdin=i, expected=o, name=n) for n, i, o in problem["tests"]]
        report = sandbox.execute(sample["language"], sample["code"], tests)
        if report["verdict"] != "SANDBOX_ERROR":
            self.cache.put(key, report)
        return report, False

    def process(self, batch: list[tuple[dict, dict | None]]):
        runs = []
        for sample, problem in batch:
            count(STAGE, "in")
            if sample["kind"] == "submission" and problem is not None:
                runs.append((sample, self.pool.submit(self.run_one, sample, problem)))
            elif sample["kind"] == "submission":
                yield drop(STAGE, "no_tests", sample, f"problem {sample.get('problem_id')!r} has no tests")
            else:
                count(STAGE, "not_executable")  # commits carry no tests; labelled by judges
                count(STAGE, "out")
                yield dict(sample, execution=None)
        for sample, future in runs:
            try:
                report, hit = future.result()
            except Exception as e:  # a sandbox that breaks costs this sample, not the run
                yield drop(STAGE, "sandbox_error", sample, repr(e))
                continue
            count(STAGE, "cache_hit" if hit else "executed")
            count(STAGE, f"verdict_{report['verdict'].lower()}")
            if report["verdict"] == "SANDBOX_ERROR":
                yield drop(STAGE, "sandbox_error", sample, report.get("detail"))
            elif report["verdict"] == "COMPILE_ERROR":
                yield drop(STAGE, "compile_error", sample, report.get("detail"))
            else:
                count(STAGE, "out")
                yield dict(sample, execution=report)


def _needs_tests(sample: dict) -> bool:
    return sample["kind"] == "submission" and sample.get("problem_id") is not None


def _with_problem(item):
    """(problem id, {samples, tests}) -> (sample, its problem's entry or None) for each sample."""
    _, grouped = item
    problem = latest_entry(grouped["tests"])
    for sample in grouped["samples"]:
        yield sample, problem


class Execute(beam.PTransform):
    """Tagged samples -> samples with an ``execution`` report (None for commits).

    ``tests``: a PCollection of ``(problem_id, (order, entry))``, as ``ReadProblemTests`` reads
    them on the workers; each submission meets its problem's entry in a join by problem id."""

    def __init__(self, tests: beam.PCollection, config: ExecuteConfig = ExecuteConfig()):
        super().__init__()
        self.tests = tests
        self.parallelism = config.parallelism()
        self.fn = _ExecuteFn(config)

    def expand(self, samples):
        keyed = (samples | "Submissions" >> beam.Filter(_needs_tests)
                 | "ByProblem" >> beam.Map(lambda s: (s["problem_id"], s)))
        joined = ({"samples": keyed, "tests": self.tests} | "JoinTests" >> beam.CoGroupByKey()
                  | "WithProblem" >> beam.FlatMap(_with_problem))
        rest = (samples | "Others" >> beam.Filter(lambda s: not _needs_tests(s))
                | "NoProblem" >> beam.Map(lambda s: (s, None)))
        out = ((joined, rest) | "All" >> beam.Flatten()
               | "Spread" >> beam.Reshuffle()
               | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=4 * self.parallelism)
               | "Run" >> beam.ParDo(self.fn).with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
