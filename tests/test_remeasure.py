"""Adaptive re-measurement: which samples get more repeats, and the execute stage doing it."""
from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that

from tests.factories import execution, submission
from transforms.common import MAIN
from transforms.config import ConfigError
from transforms.execute import Execute, ExecuteConfig, _RemeasureFn
from transforms.pair import PairConfig
from transforms.remeasure import interleaved_rounds, near_sides, refine_target, round_group_id, to_remeasure


def test_pairs_far_from_the_threshold_are_left_alone():
    fast = execution(cpu_s=0.1, rss=10_000_000)
    assert near_sides(fast, execution(cpu_s=0.12, rss=11_000_000), 5.0, 0.5) == set()  # far below
    assert near_sides(fast, execution(cpu_s=2.0, rss=10_000_000), 5.0, 0.5) == set()  # far above, both stable
    assert near_sides(fast, execution("WRONG_ANSWER", cpu_s=0.5), 5.0, 0.5) == set()  # never compared


def test_near_ratio_measures_both_sides_again():
    fast = execution(cpu_s=0.1, rss=10_000_000)
    assert near_sides(fast, execution(cpu_s=0.45, rss=10_000_000), 5.0, 0.5) == {"a", "b"}  # 4.5x: below, near
    assert near_sides(execution(cpu_s=0.55), fast, 5.0, 0.5) == {"a", "b"}  # 5.5x: above, near
    # 9x is clear on raw ratio, but not once each side moves its 25 % spread against the label.
    assert near_sides(execution(cpu_s=0.1, cpu_cv=0.25), execution(cpu_s=0.9, cpu_cv=0.25), 5.0, 0.5) == {"a", "b"}
    # Memory too: 5x on peak RSS with equal CPU time.
    assert near_sides(fast, execution(cpu_s=0.1, rss=50_000_000), 5.0, 0.5) == {"a", "b"}


def test_a_clear_ratio_measures_only_the_unstable_side_of_that_quantity():
    fast = execution(cpu_s=0.1, rss=10_000_000, cpu_stable=False)
    slow = execution(cpu_s=2.0, rss=10_000_000)
    assert near_sides(fast, slow, 5.0, 0.5) == {"a"}
    assert near_sides(slow, fast, 5.0, 0.5) == {"b"}
    # An unstable memory flag does not matter to a pair that differs only in CPU time.
    assert near_sides(execution(cpu_s=0.1, rss=10_000_000, rss_stable=False), slow, 5.0, 0.5) == set()


def test_to_remeasure_follows_the_pair_windows_and_skips_measured_samples():
    subs = [submission("a", "a", execution(cpu_s=0.1)), submission("b", "b", execution(cpu_s=0.5)),
            submission("c", "c", execution(cpu_s=0.02)), submission("d", "d", execution(cpu_s=0.5, repeats=9))]
    # a-b is 5x (near), c-a 5x (near), c-b and c-d 25x (clear), d was already measured 9 times.
    assert to_remeasure(subs, 5.0, 0.5, 64, 9) == {"a", "b", "c"}
    # In windows of two (a, b | c, d) the pairs a-c and b-c are never formed: only a-b is near.
    assert to_remeasure(subs, 5.0, 0.5, 2, 9) == {"a", "b"}
    assert to_remeasure(subs, 5.0, 0.5, 64, 3) == set()  # nothing measured fewer than 3 times


def test_refine_settings_are_checked():
    with pytest.raises(ConfigError, match="exec_refine_repeat"):
        ExecuteConfig(exec_repeat=3, exec_refine_repeat=3)
    with pytest.raises(ConfigError, match="exec_refine_band"):
        ExecuteConfig(exec_refine_band=0)
    with pytest.raises(ConfigError, match="exec_refine_budget_s"):
        ExecuteConfig(exec_refine_budget_s=-1)
    with pytest.raises(ConfigError, match="exec_refine_parallelism"):
        ExecuteConfig(exec_refine_parallelism=-1)
    with pytest.raises(ConfigError, match="exec_warmup"):
        ExecuteConfig(exec_warmup=-1)
    with pytest.raises(ConfigError, match="exec_round_warmup"):
        ExecuteConfig(exec_round_warmup=-1)
    ExecuteConfig(exec_repeat=3, exec_refine_repeat=0)  # off


@pytest.mark.parametrize("fresh, round_warmup", [(False, 0), (True, 0), (False, 2)])
def test_remeasurement_interleaves_the_near_samples_of_a_group(fresh, round_warmup):
    """The near samples of a group are measured in turns, one run each per round, every other
    round backwards: by default 6 runs added to their first 3 (9 in all), with
    ``exec_refine_fresh`` 9 new runs (the first 3 were measured at another time);
    ``exec_refine_parallelism`` sets the threads (groups run side by side)."""
    cfg = ExecuteConfig(exec_parallelism=2, exec_repeat=3, exec_refine_repeat=9, exec_refine_fresh=fresh,
                        exec_round_warmup=round_warmup)
    fn = _RemeasureFn(cfg, PairConfig(efficiency_ratio=5.0))
    assert fn.pool_size() == 2
    assert _RemeasureFn(ExecuteConfig(exec_parallelism=2, exec_refine_parallelism=1), PairConfig()).pool_size() == 1
    assert _RemeasureFn(ExecuteConfig(exec_parallelism=4, exec_refine_parallelism=3), PairConfig()).pool_size() == 3
    submitted = []
    fn.submit = lambda chosen, problem: submitted.append(([s["sample_id"] for s in chosen], problem))
    fn.collect, fn.parallelism = (lambda limit: iter(())), 1
    a, b = execution(cpu_s=0.1), execution(cpu_s=0.55)  # 5.5x: near
    far = execution(cpu_s=50.0)  # 90x from b, 500x from a: clear
    problem = TESTS["p1"]
    group = [submission("a", "a", a), submission("b", "b", b), submission("z", "z", far)]
    passed = list(fn.process(("p1/python", group, problem)))
    assert [s["sample_id"] for s in passed] == ["z"]
    assert submitted == [(["a", "b"], problem)]

    calls = []

    def run_one(sample, problem_, repeat, prior, round_group, warmup):
        calls.append((sample["sample_id"], repeat, prior["repeats"] if prior else 0, round_group, warmup))
        return {"verdict": "OK", "repeats": (prior["repeats"] if prior else 0) + repeat}, False
    fn.run_one = run_one
    results = fn.refine_group(group[:2], problem)
    rounds = 9 if fresh else 6
    assert [c[0] for c in calls] == (["a", "b", "b", "a"] * 5)[: 2 * rounds]
    assert all(c[1] == 1 for c in calls)
    assert calls[0][2] == (0 if fresh else 3)
    # Each sample's first round starts with a warm-up run (exec_warmup, 1); its later rounds
    # with exec_round_warmup's.
    assert [c[4] for c in calls] == [1, 1] + [round_warmup] * (2 * rounds - 2)
    # Every run is one of this group's rounds (its cache key says so), and the reports say from
    # which run on: what an ee label between the two compares round by round.
    assert {c[3] for c in calls} == {round_group_id(["a", "b"])} and round_group_id(["b", "a"]) == calls[0][3]
    assert [(s["sample_id"], r["repeats"], r["round_group"], r["round_first"], hit) for s, r, hit in results] == [
        ("a", 9, calls[0][3], 0 if fresh else 3, False), ("b", 9, calls[0][3], 0 if fresh else 3, False)]


def test_a_sample_that_fails_a_new_run_keeps_its_first_report_and_leaves_the_rounds():
    fn = _RemeasureFn(ExecuteConfig(exec_repeat=3, exec_refine_repeat=5), PairConfig(efficiency_ratio=5.0))
    a, b = execution(cpu_s=0.1), execution(cpu_s=0.55)
    calls = []

    def run_one(sample, problem_, repeat, prior, round_group, warmup):
        calls.append(sample["sample_id"])
        failed = sample["sample_id"] == "b" and calls.count("b") == 1
        return {"verdict": "WRONG_ANSWER" if failed else "OK", "repeats": prior["repeats"] + repeat}, True
    fn.run_one = run_one
    results = fn.refine_group([submission("a", "a", a), submission("b", "b", b)], TESTS["p1"])
    assert calls == ["a", "b", "a"]
    assert [(s["sample_id"], r and r["repeats"], hit) for s, r, hit in results] == [("a", 5, True), ("b", None, True)]
    out = list(fn.finished([], _Done(results)))
    assert [s["execution"]["repeats"] for s in out] == [5, 3]  # b keeps its first report


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def test_interleaved_rounds_take_each_sample_its_own_count_in_turns():
    assert interleaved_rounds([2, 3, 1]) == [0, 1, 2, 1, 0, 1]
    assert interleaved_rounds([]) == []
    assert interleaved_rounds([0, 2]) == [1, 1]


def test_short_programs_get_more_runs_within_the_budget():
    # 9 runs at least; a 22 ms program gets what 0.5 s buys (22 runs), a 5 ms one the cap.
    assert refine_target(execution(cpu_s=0.022), 9, 0.5, 30) == 22
    assert refine_target(execution(cpu_s=0.005), 9, 0.5, 30) == 30
    assert refine_target(execution(cpu_s=0.2), 9, 0.5, 30) == 9  # 0.5 s buys fewer than 9
    assert refine_target(execution(cpu_s=0.022), 9, 0.0, 30) == 9  # no budget: the fixed count
    assert refine_target(execution(cpu_s=0.005), 12, 0.5, 10) == 12  # the cap never lowers the floor
    assert refine_target({"cpu_s": None}, 9, 0.5, 30) == 9


PROGRAM = "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n"
TESTS = {"p1": {"tests": [("t1", "1 2\n", "3\n")], "time_limit_s": 5.0, "memory_limit_mb": 256}}


def _check(refined: int | None):
    def check(rows):
        ex = {s["sample_id"]: s["execution"] for s in rows}
        assert set(ex) == {"s0", "s1", "s9"}
        assert ex["s9"]["verdict"] == "WRONG_ANSWER" and ex["s9"]["repeats"] == 2
        for sid in ("s0", "s1"):
            assert ex[sid]["verdict"] == "OK"
            assert ex[sid]["repeats"] == (refined or 2), (sid, ex[sid]["repeats"])
            # More runs of the same measurement: the first two stay, one is added.
            assert len(ex[sid]["tests"][0]["runs_cpu_s"]) == ex[sid]["repeats"]
            assert {"cpu_stable", "rss_stable", "stable"} <= set(ex[sid])
        # Measured again in the same rounds (from their third run on), or not at all.
        groups = {(ex[sid]["round_group"], ex[sid]["round_first"]) for sid in ("s0", "s1")}
        assert groups == ({(round_group_id(["s0", "s1"]), 2)} if refined else {(None, None)})
    return check


@pytest.mark.parametrize("ratio, budget_s, refined", [(1.2, 0.0, 3), (1.2, 2.0, 6), (50.0, 2.0, None)])
def test_execute_measures_near_threshold_pairs_again(tmp_path, ratio, budget_s, refined):
    """Two equal programs are 1x apart: near a 1.2x threshold (measured again: 3 runs without a
    CPU budget; with 2 s, a ~20 ms program reaches the cap of 6), far below a 50x one (left
    with 2); a failing one is never measured again."""
    samples = [submission(f"s{i}", PROGRAM + f"# variant {i}\n", None) for i in range(2)]
    samples.append(submission("s9", "print(4)\n", None))
    cfg = ExecuteConfig(sandbox_backend="local", exec_repeat=2, exec_refine_repeat=3, exec_parallelism=2,
                        exec_refine_budget_s=budget_s, exec_refine_max_repeat=6, exec_cache=str(tmp_path / "exec"))
    with beam.Pipeline() as p:
        tests = p | "Tests" >> beam.Create([(pid, (0, entry)) for pid, entry in TESTS.items()])
        out = p | beam.Create(samples) | Execute(tests, cfg, PairConfig(efficiency_ratio=ratio))
        assert_that(out[MAIN], _check(refined))


def test_more_runs_are_added_to_the_first_ones():
    from sandboxes import Sandbox, TestCase
    from sandboxes.sandbox import prior_runs
    tests = [TestCase(stdin="1 2\n", expected="3\n", name="t1"), TestCase(stdin="4 5\n", expected="9\n", name="t2")]
    with Sandbox(backend="local", repeat=2) as sb:
        first = sb.execute("python", PROGRAM, tests)
        more = sb.execute("python", PROGRAM, tests, repeat=3, prior=first)
        failing = sb.execute("python", "print(0)\n", tests, repeat=3, prior=first)
    assert first["verdict"] == more["verdict"] == "OK" and first["repeats"] == 2 and more["repeats"] == 5
    for a, b in zip(first["tests"], more["tests"]):
        assert b["runs_cpu_s"][:2] == a["runs_cpu_s"] and len(b["runs_cpu_s"]) == 5
        assert b["runs_peak_rss_bytes"][:2] == a["runs_peak_rss_bytes"]
    # New runs that fail are not mixed with passing ones: the report is the new runs' own.
    assert failing["verdict"] == "WRONG_ANSWER" and failing["repeats"] == 3
    assert prior_runs(None, 2) is None and prior_runs(first, 1) is None
    assert prior_runs(failing, 2) is None


class _FlakySandbox:
    """A sandbox whose first executions fail as bubblewrap does when a run uid's process slots
    are still held (by a killed run's leftovers), then succeed."""
    backend_name = "local"

    def __init__(self, failures: int, detail: str):
        self.failures, self.detail, self.calls = failures, detail, 0

    def execute(self, language, code, tests, repeat=None, prior=None, stop_at_failure=False, warmup=0):
        self.calls += 1
        if self.calls <= self.failures:
            return {"verdict": "SANDBOX_ERROR", "detail": self.detail}
        return {"verdict": "OK", "repeats": repeat, "detail": None}


@pytest.mark.parametrize("detail, failures, verdict, calls", [
    ("bwrap: Creating new namespace failed: Resource temporarily unavailable", 2, "OK", 3),
    ("bwrap: Creating new namespace failed: Resource temporarily unavailable", 99, "SANDBOX_ERROR", 6),
    ("bwrap: execvp: No such file or directory", 1, "SANDBOX_ERROR", 1),
])
def test_transient_sandbox_errors_are_measured_again(tmp_path, monkeypatch, detail, failures, verdict, calls):
    """A resource hiccup (EAGAIN) is retried after a pause and never cached as the program's
    report; other sandbox errors are final at once."""
    import transforms.execute as ex
    monkeypatch.setattr(ex, "TRANSIENT_RETRY_PAUSES_S", (0.0,) * 5)
    fn = ex._ExecuteFn(ExecuteConfig(sandbox_backend="local", exec_cache=str(tmp_path / "exec")))
    fn.setup()
    flaky = _FlakySandbox(failures, detail)
    fn.sandbox = lambda *_: flaky
    try:
        report, hit = fn.run_one(submission("s1", PROGRAM, None), TESTS["p1"])
    finally:
        fn.teardown()
    assert (report["verdict"], flaky.calls, hit) == (verdict, calls, False)


@pytest.mark.parametrize("reporting, hit, expected", [
    (True, False, ["executed", "executed_free_page_reporting", "verdict_ok", "out"]),
    (True, True, ["cache_hit", "verdict_ok", "out"]),  # measured at another time, maybe elsewhere
    (False, False, ["executed", "verdict_ok", "out"]),
])
def test_a_program_measured_where_memory_goes_back_to_the_host_is_counted(monkeypatch, reporting, hit, expected):
    import transforms.execute as ex
    counted = []
    monkeypatch.setattr(ex, "count", lambda stage, name, n=1: counted.append(name))
    monkeypatch.setattr(ex, "this_machine_reports_free_pages", lambda: reporting)
    fn = ex._ExecuteFn(ExecuteConfig(sandbox_backend="local"))
    (out,) = fn.finished(submission("a", "a", None), _Done(({"verdict": "OK"}, hit)))
    assert counted == expected and out["execution"] == {"verdict": "OK"}
