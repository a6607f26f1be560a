"""The execute stage: run each submission against its problem's tests in a sandbox.

Samples are batched and run on ``parallelism`` threads, each with its own sandbox (backend
pool), created lazily and closed in ``teardown``; builds are shared by every sandbox of the
worker process (one compile per distinct source and language, re-measurements included).
Runs stream: a batch does not wait for its slowest sample before the next one starts, so
both cores stay busy until the bundle ends. Results are cached by content: the same
toolchain, source, tests, limits and repeat count give the cached measurement, so re-runs do
not re-execute and produce identical shards. Samples without tests (commits) pass through.

Then the passing submissions whose efficiency pairs sit near the labelling threshold get
more runs, up to ``exec_refine_repeat`` per test (``transforms.remeasure``), so the ee/me
labels do not flip with the noise of a few repeats.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from apache_beam.transforms.window import GlobalWindows

from sandboxes.buildcache import BuildCache
from sandboxes.judge import Stability
from sandboxes.machine import this_machine_reports_free_pages
from sandboxes.sandbox import BACKENDS
from transforms.common import DEAD, MAIN, count, drop
from transforms.config import check_config, option
from transforms.pair import PairConfig
from transforms.read.problem_tests import JoinProblemGroups, JoinProblems
from transforms.remeasure import interleaved_rounds, refine_target, round_group_id, to_remeasure


def _optional_float(text: str) -> float | None:
    return None if text.lower() in ("", "none") else float(text)


def _optional_int(text: str) -> int | None:
    return None if text.lower() in ("", "none") else int(text)


@dataclass(frozen=True)
class ExecuteConfig:
    sandbox_backend: str = option("auto", "Sandbox backend for execution.", choices=BACKENDS)
    exec_parallelism: int = option(0, "Concurrent sandbox runs per worker (0: one per core of the worker).")
    exec_repeat: int = option(3, "Runs per test, for median and spread.")
    exec_warmup: int = option(1, "Runs of each test before the measured ones, not counted (and before a "
                                 "re-measured submission's first round): the first run after a pause pays for "
                                 "memory the machine handed back to its host, docs/benchmarks.md (0: none).")
    exec_round_warmup: int = option(0, "Runs of each test before every later round of a re-measurement, not "
                                       "counted (its first round has --exec_warmup): a round that follows another "
                                       "program's runs pays for the memory handed back meanwhile (0: none).")
    exec_cache: str | None = option(None, "Execution cache folder/URI (default ~/.cache/codepref/exec, resolved by "
                                    "the driver; 'none' disables).")
    time_limit_s: float | None = option(None, "Override every problem's time limit.", parse=_optional_float)
    memory_limit_mb: int | None = option(None, "Override every problem's memory limit.", parse=_optional_int)
    max_cpu_cv: float = option(Stability.max_cpu_cv,
                               "CPU-time coefficient of variation above which a measurement is unstable.")
    max_rss_cv: float = option(Stability.max_rss_cv,
                               "Peak-RSS coefficient of variation above which a measurement is unstable.")
    rss_noise_floor_bytes: int = option(Stability.rss_noise_floor_bytes,
                                        "Peak-RSS spread (population stdev, bytes) under which memory counts as "
                                        "steady whatever its coefficient of variation.")
    exec_refine_repeat: int = option(9, "Runs per test when a passing submission is measured again because one "
                                        "of its ee/me pairs sits near the efficiency threshold (0: never).")
    exec_refine_budget_s: float = option(0.0, "CPU seconds a re-measured submission may spend beyond that: a short "
                                              "program gets more runs per test (its CPU time is the noisiest), up to "
                                              "--exec_refine_max_repeat (0, the default: exactly --exec_refine_repeat; "
                                              "0.5 was tried and did not raise ee survival, docs/benchmarks.md).")
    exec_refine_max_repeat: int = option(30, "Most runs per test the budget gives a re-measured submission "
                                                 "(never fewer than --exec_refine_repeat).")
    exec_refine_parallelism: int = option(0, "Concurrent sandbox runs while re-measuring (0, the default: as "
                                             "--exec_parallelism; 1: one at a time, so no other run shares the CPU "
                                             "with the one measured, which cost 1.6x the execute phase for the same "
                                             "ee survival on 2 cores, docs/benchmarks.md).")
    exec_refine_fresh: bool = option(False, "Re-measure from scratch (the first runs, measured beside other runs, "
                                            "are dropped) instead of adding runs to them.")
    exec_refine_band: float = option(0.5, "How near is near: a pair's ratio between efficiency_ratio/(1+band) "
                                          "and efficiency_ratio*(1+band), or an unstable side in a pair above the "
                                          "lower bound, gets its sides measured again.")

    def __post_init__(self):
        check_config(self.exec_parallelism >= 0, "--exec_parallelism must be >= 0 (0: one per core)")
        check_config(self.exec_repeat >= 1, "--exec_repeat must be >= 1")
        check_config(self.exec_warmup >= 0, "--exec_warmup must be >= 0")
        check_config(self.exec_round_warmup >= 0, "--exec_round_warmup must be >= 0")
        check_config(self.exec_refine_repeat == 0 or self.exec_refine_repeat > self.exec_repeat,
                     "--exec_refine_repeat must be 0 (off) or more than --exec_repeat")
        check_config(self.exec_refine_band > 0, "--exec_refine_band must be > 0")
        check_config(self.exec_refine_budget_s >= 0, "--exec_refine_budget_s must be >= 0")
        check_config(self.exec_refine_max_repeat >= 0, "--exec_refine_max_repeat must be >= 0")
        check_config(self.exec_refine_parallelism >= 0, "--exec_refine_parallelism must be >= 0 (0: as "
                                                        "--exec_parallelism)")

    def parallelism(self) -> int:
        """Sandbox threads on this machine (resolved where it runs: the worker's cores)."""
        return self.exec_parallelism or os.cpu_count() or 1

STAGE = "execute"
_LOG = logging.getLogger(__name__)


# Bumped when the report's fields change, so a cache never serves a report of the old shape
# (2: separate cpu_stable / rss_stable flags; 3: each test's per-run numbers; 4: rss_stable
# with an absolute noise floor; 5: a memory verdict's detail is the line with the runtime's marker;
# 6: cpu_cv and cpu_stable judge the CPU time summed over tests, with a robust spread from 5 runs;
# 7: round_group / round_first, set on samples re-measured in interleaved rounds; 8: rss_cv and
# rss_stable judge the run-by-run peak RSS over tests, not each test apart; 9: warm-up runs).
REPORT_FORMAT = 9


# Sandbox errors that say a machine resource was briefly exhausted (EAGAIN when bubblewrap
# creates namespaces: processes of a killed run still hold the run uid's process slots until
# their time limit ends them). Measured again after these pauses; other sandbox errors are final.
TRANSIENT_MARKERS = ("Resource temporarily unavailable",)
TRANSIENT_RETRY_PAUSES_S = (0.5, 1.0, 2.0, 4.0, 8.0)


def transient(report: dict) -> bool:
    return report["verdict"] == "SANDBOX_ERROR" and any(m in (report.get("detail") or "") for m in TRANSIENT_MARKERS)


def program(sample: dict, problem: dict) -> str:
    """The source the sandbox runs: the submission, inside its problem's harness when the problem
    has function-level tests (``transforms.read.humaneval``); otherwise the submission itself."""
    prefix, suffix = (problem.get("harness") or {}).get(sample["language"], ("", ""))
    return prefix + sample["code"] + suffix


def cache_key(language: str, code: str, tests: list, limits: dict, repeat: int | str, backend: str,
              stop_at_failure: bool = False) -> str:
    fields = [language, code, tests, limits, repeat, backend, REPORT_FORMAT]
    if stop_at_failure:  # another report (the tests up to the first failure); full reports keep their keys
        fields.append("stop_at_failure")
    payload = json.dumps(fields, sort_keys=True)
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


_builds_lock = threading.Lock()
_builds: dict[str, BuildCache] = {}


def shared_builds(backend: str, entries: int) -> BuildCache:
    """The worker process's build cache for ``backend``: every sandbox of every execute DoFn
    (first measurement and re-measurement) finds a source compiled once. Builds are host
    directories keyed by language, toolchain and source, valid for any sandbox of the backend."""
    with _builds_lock:
        cache = _builds.get(backend)
        if cache is None or cache.max_entries < entries:
            cache = _builds[backend] = BuildCache(max_entries=entries)
        return cache


def _at_bundle_end(output):
    """An output of ``finish_bundle``, which must carry its window (the stage is globally windowed)."""
    if isinstance(output, beam.pvalue.TaggedOutput):
        return beam.pvalue.TaggedOutput(output.tag, GlobalWindows.windowed_value(output.value))
    return GlobalWindows.windowed_value(output)


class _ExecuteFn(beam.DoFn):
    """Runs samples on ``parallelism`` threads, one sandbox per thread and limits.

    Sandbox runs wait on child processes, so threads overlap them without the runner's
    own worker threads; Beam counters are bumped on the DoFn's thread only (metric
    containers are thread-local), after each run returns. Runs stream across the batches
    of a bundle: a batch's results are emitted as they finish and the next batch is
    submitted at once (at most ``4 * parallelism`` samples wait in the pool), the rest
    in ``finish_bundle``."""

    def __init__(self, config: ExecuteConfig):
        self.backend, self.repeat, self.cache_root = config.sandbox_backend, config.exec_repeat, config.exec_cache
        self.time_limit_s, self.memory_limit_mb = config.time_limit_s, config.memory_limit_mb
        self.max_cpu_cv, self.max_rss_cv = config.max_cpu_cv, config.max_rss_cv
        self.rss_noise_floor_bytes = config.rss_noise_floor_bytes
        self.config = config

    def pool_size(self) -> int:
        return self.config.parallelism()

    def setup(self):
        from concurrent.futures import ThreadPoolExecutor
        self.parallelism = self.pool_size()
        self.cache = ExecutionCache(self.cache_root)
        self.builds = shared_builds(self.backend, max(512, 64 * self.parallelism))
        self.local = threading.local()
        self.opened, self.lock = [], threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=self.parallelism, thread_name_prefix="sandbox")
        self.inflight: deque = deque()

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
                stability=Stability(max_cpu_cv=self.max_cpu_cv, max_rss_cv=self.max_rss_cv,
                                    rss_noise_floor_bytes=self.rss_noise_floor_bytes),
                build_cache=self.builds)
            with self.lock:
                self.opened.append(mine[key])
        return mine[key]

    def teardown(self):
        self.pool.shutdown(wait=True)
        for sb in self.opened:
            sb.close()
        self.opened = []

    def run_one(self, sample: dict, problem: dict, repeat: int | None = None,
                prior: dict | None = None, stop_at_failure: bool = False,
                round_group: str | None = None, warmup: int | None = None) -> tuple[dict, bool]:
        """(report, cache hit) for one submission; never raises (the sandbox never does).
        ``repeat`` overrides the configured runs per test; with ``prior`` (the sample's passing
        report) they are added to its runs (more repeats of the same measurement).
        ``stop_at_failure``: the tests after the first failing one are not run (``Sandbox.execute``).
        ``round_group``: these runs are a round of that group's interleaved re-measurement (part
        of the cache key: runs taken in turns with other samples are another measurement).
        ``warmup``: unreported runs per test first (default ``exec_warmup``; none when only
        failing matters, ``stop_at_failure``)."""
        from sandboxes import TestCase
        repeat = repeat or self.repeat
        if warmup is None:
            warmup = 0 if stop_at_failure else self.config.exec_warmup
        limits = {"time_s": self.time_limit_s or problem["time_limit_s"],
                  "memory_mb": self.memory_limit_mb or problem["memory_limit_mb"],
                  "max_cpu_cv": self.max_cpu_cv, "max_rss_cv": self.max_rss_cv,
                  "rss_noise_floor_bytes": self.rss_noise_floor_bytes}
        sandbox = self.sandbox(limits["time_s"], limits["memory_mb"])
        code = program(sample, problem)
        runs = f"{prior['repeats']}+{repeat}" if prior else repeat
        if round_group:
            runs = f"{runs}@{round_group}"
        if warmup:
            runs = f"{runs}~{warmup}"
        key = cache_key(sample["language"], code, problem["tests"], limits, runs, sandbox.backend_name,
                        stop_at_failure)
        report = self.cache.get(key)
        if report is not None:
            return report, True
        tests = [TestCase(stdin=i, expected=o, name=n) for n, i, o in problem["tests"]]
        report = sandbox.execute(sample["language"], code, tests, repeat=repeat, prior=prior,
                                 stop_at_failure=stop_at_failure, warmup=warmup)
        for pause in TRANSIENT_RETRY_PAUSES_S:
            if not transient(report):
                break
            # A report is data (cached, labelled), so a resource hiccup of this machine must not
            # become one: wait for the resource and measure again.
            count(STAGE, "transient_retry")
            time.sleep(pause)
            report = sandbox.execute(sample["language"], code, tests, repeat=repeat, prior=prior,
                                     stop_at_failure=stop_at_failure, warmup=warmup)
        if report["verdict"] != "SANDBOX_ERROR":
            self.cache.put(key, report)
        return report, False

    # -- streaming: submit, then emit what finished ------------------------------------------------
    def start_bundle(self):
        self.inflight = deque()

    def submit(self, sample: dict, *args) -> None:
        self.inflight.append((sample, self.pool.submit(self.run_one, sample, *args)))

    def collect(self, limit: int):
        """Outputs of finished runs; waits while more than ``limit`` runs are in flight."""
        while self.inflight:
            done = [item for item in self.inflight if item[1].done()]
            if not done:
                if len(self.inflight) <= limit:
                    return
                wait([f for _, f in self.inflight], return_when=FIRST_COMPLETED)
                continue
            for item in done:
                self.inflight.remove(item)
                yield from self.finished(*item)

    def finish_bundle(self):
        for output in self.collect(0):
            yield _at_bundle_end(output)

    def finished(self, sample: dict, future):
        try:
            report, hit = future.result()
        except Exception as e:  # a sandbox that breaks costs this sample, not the run
            yield drop(STAGE, "sandbox_error", sample, repr(e))
            return
        count(STAGE, "cache_hit" if hit else "executed")
        if not hit and this_machine_reports_free_pages():
            count(STAGE, "executed_free_page_reporting")  # measured where memory goes back to a host
        count(STAGE, f"verdict_{report['verdict'].lower()}")
        if report["verdict"] == "SANDBOX_ERROR":
            yield drop(STAGE, "sandbox_error", sample, report.get("detail"))
        elif report["verdict"] == "COMPILE_ERROR":
            yield drop(STAGE, "compile_error", sample, report.get("detail"))
        else:
            count(STAGE, "out")
            yield dict(sample, execution=report)

    def process(self, batch: list[tuple[dict, dict | None]]):
        for sample, problem in batch:
            count(STAGE, "in")
            if sample["kind"] == "submission" and problem is not None:
                self.submit(sample, problem)
            elif sample["kind"] == "submission":
                yield drop(STAGE, "no_tests", sample, f"problem {sample.get('problem_id')!r} has no tests")
            else:
                count(STAGE, "not_executable")  # commits carry no tests; labelled by judges
                count(STAGE, "out")
                yield dict(sample, execution=None)
        yield from self.collect(4 * self.parallelism)


class _RemeasureFn(_ExecuteFn):
    """One (problem, language) group of passing submissions: the samples whose ee/me pairs sit
    near the threshold get ``exec_refine_repeat`` runs per test in all, or more for short programs
    (``transforms.remeasure.refine_target``): their first runs count unless ``exec_refine_fresh``,
    on ``exec_refine_parallelism`` threads (0: as the first measurement). The new report over
    the runs replaces the old one when the program passes every new run (a verdict that changes
    between runs keeps the first report, counted as ``remeasure_verdict_changed``).

    The chosen samples of a group are measured interleaved, one run each in turn
    (``transforms.remeasure.interleaved_rounds``), on one thread: the machine's speed drifts
    over seconds to minutes (the other core's load, the host's), and an ee label compares two
    samples of one group. Measured one after the other, each sample met its own stretch of that
    drift; taken in turns, every sample of the group meets the same stretch."""

    def __init__(self, config: ExecuteConfig, pair: PairConfig):
        super().__init__(config)
        self.ratio, self.max_group = pair.efficiency_ratio, pair.max_group

    def pool_size(self) -> int:
        # One at a time (exec_refine_parallelism=1) keeps another sandbox run off the CPU while
        # one is measured; on 2 cores it did not raise ee survival (docs/benchmarks.md).
        return self.config.exec_refine_parallelism or self.config.parallelism()

    def process(self, item):
        _, samples, problem = item
        refine = to_remeasure(samples, self.ratio, self.config.exec_refine_band, self.max_group,
                              self.config.exec_refine_repeat)
        chosen = [s for s in samples if s["sample_id"] in refine]
        for sample in samples:
            if sample["sample_id"] not in refine:
                yield sample
        if chosen:
            self.submit(chosen, problem)
        yield from self.collect(4 * self.parallelism)

    def submit(self, chosen: list, problem: dict) -> None:
        self.inflight.append((chosen, self.pool.submit(self.refine_group, chosen, problem)))

    def refine_group(self, chosen: list[dict], problem: dict) -> list[tuple[dict, dict | None, bool]]:
        """(sample, new report or None when a new run failed, every run a cache hit) per chosen
        sample, measured in interleaved rounds of one run per test."""
        cfg = self.config
        targets = [refine_target(s["execution"], cfg.exec_refine_repeat, cfg.exec_refine_budget_s,
                                 cfg.exec_refine_max_repeat) for s in chosen]
        reports = [None if cfg.exec_refine_fresh else s["execution"] for s in chosen]
        firsts = [r["repeats"] if r else 0 for r in reports]
        group = round_group_id(s["sample_id"] for s in chosen)
        hits = [True] * len(chosen)
        done = [False] * len(chosen)
        started = [False] * len(chosen)
        for i in interleaved_rounds([t - first for t, first in zip(targets, firsts)]):
            if done[i]:
                continue
            report, hit = self.run_one(chosen[i], problem, 1, reports[i], round_group=group,
                                       warmup=cfg.exec_round_warmup if started[i] else cfg.exec_warmup)
            started[i] = True
            hits[i] = hits[i] and hit
            if report["verdict"] == "OK":
                reports[i] = report
            else:
                reports[i], done[i] = None, True
        return [(s, r and dict(r, round_group=group, round_first=first), h)
                for s, r, first, h in zip(chosen, reports, firsts, hits)]

    def finished(self, chosen: list, future):
        try:
            results = future.result()
        except Exception as e:  # a broken sandbox keeps the first reports
            _LOG.warning("re-measurement failed: %r", e)
            results = [(s, None, False) for s in chosen]
        for sample, report, hit in results:
            count(STAGE, "remeasure_cache_hit" if hit else "remeasured")
            if report is not None:
                yield dict(sample, execution=report)
            else:
                count(STAGE, "remeasure_verdict_changed")
                yield sample


def _passing_submission(sample: dict, _n: int) -> int:
    ex = sample.get("execution")
    return 0 if sample["kind"] == "submission" and ex and ex["verdict"] == "OK" else 1


class Execute(beam.PTransform):
    """Tagged samples -> samples with an ``execution`` report (None for commits).

    ``tests``: a PCollection of ``(problem_id, (order, entry))``, as ``ReadProblemTests`` reads
    them on the workers; each submission meets its problem's entry in a join by problem id."""

    def __init__(self, tests: beam.PCollection, config: ExecuteConfig = ExecuteConfig(),
                 pair: PairConfig = PairConfig()):
        super().__init__()
        self.tests = tests
        self.parallelism = config.parallelism()
        self.fn = _ExecuteFn(config)
        self.refine = _RemeasureFn(config, pair) if config.exec_refine_repeat else None

    def expand(self, samples):
        out = (samples | "WithTests" >> JoinProblems(self.tests)
               | "Spread" >> beam.Reshuffle()
               | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=4 * self.parallelism)
               | "Run" >> beam.ParDo(self.fn).with_outputs(DEAD, main=MAIN))
        if self.refine is None:
            return {MAIN: out[MAIN], DEAD: out[DEAD]}
        passing, rest = out[MAIN] | "Passing" >> beam.Partition(_passing_submission, 2)
        refined = (passing | "WithProblemGroups" >> JoinProblemGroups(self.tests)
                   | "Remeasure" >> beam.ParDo(self.refine))
        return {MAIN: (refined, rest) | "Measured" >> beam.Flatten(), DEAD: out[DEAD]}
