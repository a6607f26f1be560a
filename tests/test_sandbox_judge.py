"""Pure parts of the sandbox: output comparison, verdict rules, statistics, report shape, caches."""
from __future__ import annotations

import os
import signal
import statistics

import pyarrow as pa
import pytest

from sandboxes import judge
from sandboxes.buildcache import BuildCache, build_key
from sandboxes.local import parse_supervisor_line, supervisor_limits
from sandboxes import langdata
from sandboxes.model import BuildResult, Limits, RunResult, TestCase
from schemas import languages
from schemas.records import EXECUTION

LIM = Limits(time_s=1.0, memory_mb=256, output_bytes=1000)
T = TestCase("", "hello\nworld")


def test_output_comparison_ignores_trailing_space_and_blank_lines():
    assert judge.outputs_match("hello  \nworld\n\n\n", "hello\nworld")
    assert judge.outputs_match("hello\r\nworld\r\n", "hello\nworld\n")
    assert not judge.outputs_match("hello\n\nworld", "hello\nworld")
    assert not judge.outputs_match(" hello\nworld", "hello\nworld")  # leading space matters
    assert judge.normalize_output("\n\n") == []


@pytest.mark.parametrize("run, verdict", [
    (RunResult(exit_code=0, stdout=b"hello\nworld\n"), "OK"),
    (RunResult(exit_code=0, stdout=b"hello\n"), "WRONG_ANSWER"),
    (RunResult(exit_code=1, stdout=b"hello\nworld\n", stderr=b"Traceback\nValueError"), "RUNTIME_ERROR"),
    (RunResult(signal=signal.SIGSEGV), "RUNTIME_ERROR"),
    (RunResult(signal=signal.SIGXCPU, cpu_s=1.0), "TIME_LIMIT"),
    (RunResult(signal=signal.SIGKILL, cpu_s=1.99), "TIME_LIMIT"),
    (RunResult(exit_code=0, cpu_s=1.5, stdout=b"hello\nworld"), "TIME_LIMIT"),
    (RunResult(signal=signal.SIGKILL, wall_timeout=True), "TIME_LIMIT"),
    (RunResult(signal=signal.SIGXFSZ), "OUTPUT_LIMIT"),
    (RunResult(exit_code=1, stdout_truncated=True), "OUTPUT_LIMIT"),
    (RunResult(signal=signal.SIGKILL, oom_killed=True), "MEMORY_LIMIT"),
    # Past both limits: the memory one is named (reclaim past it burns CPU time).
    (RunResult(signal=signal.SIGXCPU, cpu_s=1.02, peak_rss_bytes=377 << 20), "MEMORY_LIMIT"),
    (RunResult(exit_code=1, stderr=b"Traceback...\nMemoryError\n"), "MEMORY_LIMIT"),
    (RunResult(signal=signal.SIGSEGV, peak_rss_bytes=250 << 20), "MEMORY_LIMIT"),
    (RunResult(sandbox_error="bwrap: boom"), "SANDBOX_ERROR"),
    (RunResult(supervisor_lost=True), "RUNTIME_ERROR"),
])
def test_run_verdict(run, verdict):
    assert judge.run_verdict(run, T, LIM, ("MemoryError",))[0] == verdict


def test_memory_verdict_names_the_line_with_the_marker():
    """A JVM that cannot start prints a generic first line; the detail is the line that says why."""
    err = (b"Error: A JNI error has occurred, please check your installation and try again\n"
           b"Exception in thread \"main\" java.lang.OutOfMemoryError: unable to create native thread\n")
    verdict, detail = judge.run_verdict(RunResult(exit_code=1, stderr=err), T, LIM, ("java.lang.OutOfMemoryError",))
    assert verdict == "MEMORY_LIMIT"
    assert detail == 'Exception in thread "main" java.lang.OutOfMemoryError: unable to create native thread'
    # Near the limit with no marker: the first line, as before.
    verdict, detail = judge.run_verdict(RunResult(signal=signal.SIGSEGV, peak_rss_bytes=250 << 20,
                                                  stderr=b"\nboom\n"), T, LIM, ("MemoryError",))
    assert (verdict, detail) == ("MEMORY_LIMIT", "boom")


def test_no_expected_output_means_exit_status_decides():
    t = TestCase("", None)
    assert judge.run_verdict(RunResult(exit_code=0, stdout=b"anything"), t, LIM)[0] == "OK"
    assert judge.run_verdict(RunResult(exit_code=2), t, LIM)[0] == "RUNTIME_ERROR"


def test_cv_and_stability_noise_floor():
    assert judge.cv([1.0]) is None
    assert judge.cv([1.0, 1.0]) == 0.0
    assert judge.cv([0.9, 1.1]) == pytest.approx(0.1)
    st = judge.Stability(max_cpu_cv=0.05, max_rss_cv=0.05, noise_floor_s=0.02)
    steady = [RunResult(cpu_s=c, peak_rss_bytes=100) for c in (0.100, 0.101, 0.099)]
    noisy = [RunResult(cpu_s=c, peak_rss_bytes=100) for c in (0.10, 0.13, 0.08)]
    tiny = [RunResult(cpu_s=c, peak_rss_bytes=100) for c in (0.002, 0.004, 0.003)]  # CV 27%, spread 0.8 ms
    assert judge.is_stable(steady, st)
    assert not judge.is_stable(noisy, st)
    assert judge.is_stable(tiny, st)
    assert not judge.is_stable(steady[:1], st)  # one run says nothing about spread


def _outcome(verdict, cpus, rss=100):
    return judge.TestOutcome(verdict, "d-" + verdict, [RunResult(exit_code=0, cpu_s=c, wall_s=c, peak_rss_bytes=rss)
                                                       for c in cpus])


def test_report_aggregates_and_matches_schema():
    outcomes = [_outcome("OK", [0.1, 0.2, 0.3], 100), _outcome("WRONG_ANSWER", [0.5], 300),
                _outcome("TIME_LIMIT", [1.0], 200)]
    rep = judge.build_report("local", outcomes, 3, "gcc 12")
    assert rep["verdict"] == "WRONG_ANSWER" and rep["detail"] == "d-WRONG_ANSWER"
    assert rep["tests_passed"] == 1 and rep["tests_total"] == 3
    assert rep["cpu_s"] == pytest.approx(0.2 + 0.5 + 1.0)
    assert rep["peak_rss_bytes"] == 300
    assert rep["stable"] is False
    assert [t["verdict"] for t in rep["tests"]] == ["OK", "WRONG_ANSWER", "TIME_LIMIT"]
    assert set(rep) == {f.name for f in EXECUTION}
    assert set(rep["tests"][0]) == {f.name for f in EXECUTION.field("tests").type.value_type}
    pa.array([rep], type=EXECUTION)  # raises on a type mismatch
    err = judge.error_report("local", "COMPILE_ERROR", "x" * 5000, 2, 3, None)
    assert err["compile_ok"] is False and len(err["detail"]) == 2000 and err["tests_total"] == 2
    pa.array([err], type=EXECUTION)


def test_cpu_and_memory_stability_are_separate_flags():
    st = judge.Stability(max_cpu_cv=0.10, max_rss_cv=0.10, noise_floor_s=0.02)
    wobbly_cpu = [RunResult(cpu_s=c, peak_rss_bytes=r) for c, r in ((0.10, 1000), (0.16, 1010), (0.07, 995))]
    wobbly_rss = [RunResult(cpu_s=c, peak_rss_bytes=r) for c, r in ((0.100, 10_000_000), (0.101, 16_000_000), (0.099, 7_000_000))]
    assert not judge.cpu_stable(wobbly_cpu, st) and judge.rss_stable(wobbly_cpu, st)
    assert judge.cpu_stable(wobbly_rss, st) and not judge.rss_stable(wobbly_rss, st)
    assert not judge.is_stable(wobbly_cpu, st) and not judge.is_stable(wobbly_rss, st)
    rep = judge.build_report("local", [judge.TestOutcome("OK", "", wobbly_cpu)], 3, None, st)
    assert (rep["cpu_stable"], rep["rss_stable"], rep["stable"]) == (False, True, False)
    rep = judge.build_report("local", [judge.TestOutcome("OK", "", wobbly_rss)], 3, None, st)
    assert (rep["cpu_stable"], rep["rss_stable"], rep["stable"]) == (True, False, False)
    # A failing program is stable on neither quantity: nothing of it is compared.
    rep = judge.build_report("local", [judge.TestOutcome("WRONG_ANSWER", "", wobbly_rss)], 3, None, st)
    assert (rep["cpu_stable"], rep["rss_stable"]) == (False, False)
    err = judge.error_report("local", "COMPILE_ERROR", "x", 1, 3, None)
    assert (err["cpu_stable"], err["rss_stable"], err["stable"]) == (False, False, False)


def test_peak_rss_has_an_absolute_noise_floor():
    """A few-MB program whose peak RSS moves by a few hundred KB has a CV over the threshold but
    steady memory; the same CV on a large program, or a spread over the floor, is unstable."""
    st = judge.Stability(max_rss_cv=0.10, rss_noise_floor_bytes=1 << 20)
    small = [RunResult(cpu_s=0.1, peak_rss_bytes=r) for r in (2_500_000, 2_900_000, 3_300_000)]
    large = [RunResult(cpu_s=0.1, peak_rss_bytes=r * 10) for r in (2_500_000, 2_900_000, 3_300_000)]
    assert judge.cv([r.peak_rss_bytes for r in small]) > 0.10
    assert judge.rss_stable(small, st)
    assert not judge.rss_stable(large, st)
    assert not judge.rss_stable(small, judge.Stability(max_rss_cv=0.10, rss_noise_floor_bytes=100_000))


def test_peak_rss_is_judged_on_the_largest_test_run_by_run():
    """What an me label compares is the largest peak over the tests, so that is what must be
    steady: a small test's one jump (as a Go program's 1.5 MB test once peaked at 5 MB) leaves a
    56 MB program steady, and a wobble of the test that sets the peak does not."""
    st = judge.Stability(max_rss_cv=0.10, rss_noise_floor_bytes=1 << 20)
    mib = 1 << 20

    def ok(rss):
        return judge.TestOutcome("OK", "", [RunResult(exit_code=0, cpu_s=0.1, wall_s=0.1, peak_rss_bytes=r)
                                            for r in rss])
    small_jumps = ok([int(1.5 * mib)] * 4 + [5 * mib] + [int(1.5 * mib)] * 4)
    large_steady = ok([56 * mib] * 9)
    large_wobbles = ok([56 * mib, 80 * mib, 40 * mib] * 3)
    assert not judge.rss_stable(small_jumps.runs, st)  # on its own, the small test is unsteady
    rep = judge.build_report("local", [small_jumps, large_steady], 9, None, st)
    assert rep["rss_stable"] is True and rep["rss_cv"] == 0.0 and rep["peak_rss_bytes"] == 56 * mib
    rep = judge.build_report("local", [small_jumps, large_wobbles], 9, None, st)
    assert rep["rss_stable"] is False and rep["rss_cv"] > 0.10
    # The peak is taken run by run: two tests that take turns at the top are steady together.
    turns = judge.build_report("local", [ok([50 * mib, 20 * mib] * 3), ok([20 * mib, 50 * mib] * 3)], 6, None, st)
    assert turns["rss_stable"] is True and turns["rss_cv"] == 0.0


def test_ok_report_is_stable_when_spread_is_small():
    rep = judge.build_report("local", [_outcome("OK", [0.100, 0.101, 0.102])], 3, None)
    assert rep["verdict"] == "OK" and rep["stable"] is True and rep["detail"] is None
    assert rep["cpu_stable"] is True and rep["rss_stable"] is True


def test_supervisor_line_and_limits():
    f = parse_supervisor_line("exited=1 code=0 signal=0 utime_us=1500 stime_us=500 maxrss_kb=2048 wall_us=9 x=y\n")
    assert f == {"exited": 1, "code": 0, "signal": 0, "utime_us": 1500, "stime_us": 500, "maxrss_kb": 2048,
                 "wall_us": 9}
    lim = supervisor_limits(Limits(time_s=2.5, memory_mb=100, output_bytes=10), langdata.extra("python"), False)
    assert lim.cpu_s == 3 and lim.memory_bytes == 100 << 20 and lim.fsize_bytes == 11
    assert lim.memory_rlimit == "as" and lim.stack_bytes == 25 << 20
    assert supervisor_limits(Limits(), langdata.extra("java"), False).memory_rlimit == "none"
    assert supervisor_limits(Limits(), langdata.extra("javascript"), False).stack_bytes == 8 << 20


def test_language_extras_cover_the_table():
    for lang in languages.languages().values():
        assert langdata.extra(lang.id).memory_rlimit in ("as", "data", "none")
        argv = langdata.build_argv(lang)
        if lang.compiled:
            assert argv == lang.compile
        else:
            assert argv is not None and lang.source in argv


def test_build_cache_lru_and_single_build(tmp_path):
    cache = BuildCache(str(tmp_path / "c"), max_entries=2)
    calls = []

    def builder(name):
        def build(d):
            calls.append(name)
            return BuildResult(ok=True, build_dir=d)
        return build

    keys = [build_key("c", "gcc", s) for s in ("a", "b", "c")]
    assert len(set(keys)) == 3 and build_key("c", "gcc 13", "a") != keys[0]
    first = cache.get_or_build(keys[0], builder("a"))
    cache.get_or_build(keys[0], builder("a"))
    assert calls == ["a"] and cache.hits == 1
    cache.get_or_build(keys[1], builder("b"))
    cache.get_or_build(keys[2], builder("c"))  # evicts "a", the least recently used
    assert len(cache) == 2 and not os.path.exists(first.build_dir)
    cache.get_or_build(keys[0], builder("a"))
    assert calls == ["a", "b", "c", "a"]
    transient = cache.get_or_build(build_key("c", "", "t"), lambda d: BuildResult(False, d, sandbox_error="x"))
    assert transient.sandbox_error and len(cache) == 2  # sandbox failures are not remembered
    cache.close()
    assert not os.path.exists(cache.root)


def test_spread_is_robust_from_five_runs():
    """Two runs in a slow spell of the host do not make a 0.26 s program unstable: its median
    barely moves, and from 5 runs on the spread is the quartiles' (IQR / 1.349 / median)."""
    go = [0.51, 0.283, 0.342, 0.309, 0.263, 0.243, 0.252, 0.454, 0.262]  # measured, one program alone
    assert judge.cv(go) > 0.25
    q1, med, q3 = statistics.quantiles(go, n=4, method="inclusive")
    assert (q1, med, q3) == (0.262, 0.283, 0.342)
    assert judge.relative_spread(go) == pytest.approx((q3 - q1) / 1.349 / med)
    assert judge.relative_spread(go) < 0.25
    assert judge.cpu_steady(go, judge.Stability(max_cpu_cv=0.25))
    # Under 5 runs quartiles are not a spread: the CV, as before.
    assert judge.relative_spread([0.1, 0.1, 0.2]) == pytest.approx(judge.cv([0.1, 0.1, 0.2]))
    assert judge.relative_spread([0.1]) is None and not judge.cpu_steady([0.1], judge.Stability())
    # Four runs of nine slow are no outliers: unstable (the MAD would call it steady, 0.11).
    assert not judge.cpu_steady([0.25, 0.26, 0.25, 0.5, 0.52, 0.51, 0.26, 0.5, 0.27], judge.Stability(max_cpu_cv=0.25))


def test_cpu_is_judged_on_the_total_over_tests():
    """A 1-2 ms test is all timer ticks (one 6 ms run in 2 ms ones is a CV of 0.45): the report's
    cpu_cv and cpu_stable are those of the per-run totals, which that test barely moves."""
    st = judge.Stability(max_cpu_cv=0.25, noise_floor_s=0.02)
    tiny = [RunResult(cpu_s=c, peak_rss_bytes=1000) for c in (0.002, 0.002, 0.002, 0.002, 0.006, 0.002)]
    big = [RunResult(cpu_s=c, peak_rss_bytes=1000) for c in (0.30, 0.31, 0.30, 0.29, 0.30, 0.31)]
    outcomes = [judge.TestOutcome("OK", "", tiny), judge.TestOutcome("OK", "", big)]
    rep = judge.build_report("local", outcomes, 6, None, st)
    assert judge.cpu_totals(outcomes) == pytest.approx([0.302, 0.312, 0.302, 0.292, 0.306, 0.312])
    assert judge.cv([r.cpu_s for r in tiny]) > 0.25 and rep["cpu_cv"] < 0.05
    assert rep["cpu_cv"] == pytest.approx(judge.relative_spread(judge.cpu_totals(outcomes)))
    assert rep["cpu_stable"] is True
    # The big test unsteady: the total is too.
    wild = [RunResult(cpu_s=c, peak_rss_bytes=1000) for c in (0.30, 0.6, 0.30, 0.62, 0.31, 0.6)]
    rep = judge.build_report("local", [outcomes[0], judge.TestOutcome("OK", "", wild)], 6, None, st)
    assert rep["cpu_stable"] is False and rep["cpu_cv"] > 0.25
