"""Regression tests for the sandbox-integrity defects that need more than one program
(the attacks themselves live in the hostile suite, tests/data/hostile/):

D5  threads at the default limits (RLIMIT_AS refused a fourth C thread)
D8  a Go file that is not ``package main`` is a COMPILE_ERROR
D9  a ``kill -9`` of the CLI or a worker leaves containers / temp dirs that the next start reaps
and a local launch that fails to start leaks no descriptor (issue 15).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from sandboxes import Limits, Sandbox, TestCase
from sandboxes import langdata
from sandboxes.local import LocalBackend, STATE_PREFIX, sweep_stale_state
from sandboxes.model import BuildResult
from schemas import languages

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _docker_reason() -> str | None:
    try:
        from sandboxes.docker_backend import docker_unavailable_reason
    except ImportError as exc:
        return f"docker backend unavailable: {exc}"
    return docker_unavailable_reason()


def _backend_or_skip(name: str) -> None:
    if name == "docker":
        reason = _docker_reason()
        if reason:
            if os.environ.get("CODEPREF_REQUIRE_DOCKER"):
                pytest.fail(f"CODEPREF_REQUIRE_DOCKER is set but docker is unusable: {reason}")
            pytest.skip(reason)


BACKENDS = ["local", pytest.param("docker", marks=pytest.mark.docker)]

THREADS_C = r"""
#include <pthread.h>
#include <stdio.h>
#include <string.h>
static void *work(void *arg) { char buf[1 << 20]; memset(buf, 1, sizeof buf); return (void *)(long)buf[7]; }
int main(void) {
    pthread_t t[8]; int made = 0;
    for (int i = 0; i < 8; i++) if (pthread_create(&t[i], NULL, work, NULL) == 0) made++;
    for (int i = 0; i < made; i++) pthread_join(t[i], NULL);
    printf("threads %d\n", made);
    return made == 8 ? 0 : 1;
}
"""
THREADS_CPP = r"""
#include <atomic>
#include <iostream>
#include <thread>
#include <vector>
int main() {
    std::atomic<int> done{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 8; i++) ts.emplace_back([&] { done++; });
    for (auto &t : ts) t.join();
    std::cout << "threads " << done << "\n";
}
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_d5_eight_threads_at_default_limits(backend):
    _backend_or_skip(backend)
    with Sandbox(backend=backend, limits=Limits(time_s=5.0), repeat=1) as sb:  # default memory: 1024 MB
        for lang, src in (("c", THREADS_C), ("cpp", THREADS_CPP)):
            report = sb.execute(lang, src, [TestCase("", "threads 8")])
            assert report["verdict"] == "OK", (lang, report["detail"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_back_to_back_runs_each_get_their_whole_pids_budget(backend):
    """A finished local run's tasks stay charged to the worker's pids cgroup for 1-2 s (its
    namespaces are torn down asynchronously). 30 back-to-back runs of a program that starts 8
    threads, with a budget of 12 tasks: each run must still get its 12 (before the fix, the
    charges of the runs before it ate the budget and the program or bwrap got EAGAIN)."""
    _backend_or_skip(backend)
    with Sandbox(backend=backend, limits=Limits(time_s=5.0, pids=12), repeat=30) as sb:
        report = sb.execute("c", THREADS_C, [TestCase("", "threads 8")])
    assert report["verdict"] == "OK", report["detail"]
    assert report["repeats"] == 30 and len(report["tests"][0]["runs_cpu_s"]) == 30


def test_pids_limit_adds_the_charges_the_cgroup_still_holds(tmp_path):
    from sandboxes.cgroups import WorkerCgroup
    cg = WorkerCgroup.__new__(WorkerCgroup)
    cg.v2, cg.paths = False, [str(tmp_path / "memory"), str(tmp_path / "pids")]
    os.makedirs(cg.paths[1])
    assert cg.pids_limit_for(65) == 65  # no pids.current (the controller is missing): as asked
    for held, limit in ((0, 65), (1, 65), (14, 78)):  # 1 is the spawn server, counted in the 65
        with open(os.path.join(cg.paths[1], "pids.current"), "w") as fh:
            fh.write(f"{held}\n")
        assert cg.pids_limit_for(65) == limit


@pytest.mark.parametrize("backend", BACKENDS)
def test_d8_go_package_not_main_is_a_compile_error(backend):
    _backend_or_skip(backend)
    with Sandbox(backend=backend, limits=Limits(time_s=2.0), repeat=1) as sb:
        report = sb.execute("go", "package solution\n\nfunc Solve() int { return 1 }\n", [TestCase("", "")])
        assert report["verdict"] == "COMPILE_ERROR", report
        assert "package main" in report["detail"]


def test_stop_at_failure_runs_no_test_after_the_first_failing_one():
    """What a mutant needs: its first failing test decides, and the report covers the tests run."""
    tests = [TestCase("1\n", "1\n"), TestCase("2\n", "2\n"), TestCase("3\n", "3\n")]
    source = "n = int(input())\nprint(n if n != 2 else -n)\n"  # fails the second test only
    with Sandbox(backend="local", limits=Limits(time_s=2.0), repeat=2) as sb:
        full = sb.execute("python", source, tests)
        stopped = sb.execute("python", source, tests, stop_at_failure=True)
        passing = sb.execute("python", "print(input())\n", tests, stop_at_failure=True)
    assert (full["verdict"], full["tests_passed"], full["tests_total"]) == ("WRONG_ANSWER", 2, 3)
    assert (stopped["verdict"], stopped["tests_passed"], stopped["tests_total"]) == ("WRONG_ANSWER", 1, 2)
    assert [t["verdict"] for t in stopped["tests"]] == ["OK", "WRONG_ANSWER"]
    assert len(stopped["tests"][1]["runs_cpu_s"]) == 1  # a failing test is not repeated either
    assert (passing["verdict"], passing["tests_passed"], passing["tests_total"]) == ("OK", 3, 3)


def test_warmup_runs_come_first_and_are_not_reported_unless_they_fail():
    """A warm-up run of each test precedes its measured runs and is dropped when it passes (the
    first run after a pause pays for memory the VM handed back to its host); a failing one is
    the test's outcome, not run again."""
    tests = [TestCase("1\n", "1\n"), TestCase("2\n", "2\n")]
    with Sandbox(backend="local", limits=Limits(time_s=2.0), repeat=2) as sb:
        real, calls = sb.backend.run, []

        def counted(lang, build, stdin, limits):
            calls.append(stdin)
            return real(lang, build, stdin, limits)
        sb.backend.run = counted
        warm = sb.execute("python", "print(input())\n", tests, warmup=1)
        ran_warm, calls[:] = list(calls), []
        cold = sb.execute("python", "print(input())\n", tests)
        ran_cold, calls[:] = list(calls), []
        failing = sb.execute("python", "n = int(input())\nprint(n if n != 2 else -n)\n", tests, warmup=1)
    assert ran_warm == ["1\n"] * 3 + ["2\n"] * 3 and ran_cold == ["1\n"] * 2 + ["2\n"] * 2
    assert warm["verdict"] == "OK" and [len(t["runs_cpu_s"]) for t in warm["tests"]] == [2, 2]
    assert calls == ["1\n"] * 3 + ["2\n"]  # the second test's warm-up failed: nothing more ran
    assert failing["verdict"] == "WRONG_ANSWER" and [len(t["runs_cpu_s"]) for t in failing["tests"]] == [2, 1]


def test_build_problem_accepts_executables_only(tmp_path):
    go = languages.get("go")
    (tmp_path / "main").write_bytes(b"!<arch>\n__.PKGDEF")
    assert "package main" in langdata.build_problem(go, str(tmp_path), ("main",))
    (tmp_path / "main").write_bytes(b"\x7fELF\x02\x01")
    assert langdata.build_problem(go, str(tmp_path), ("main",)) is None
    assert langdata.build_problem(languages.get("python"), str(tmp_path), ()) is None


def test_java_source_is_named_after_its_public_class():
    java = languages.get("java")
    src = "// public class Wrong {}\nimport java.util.*;\n\npublic final class Solution {\n  public static void main(String[] a) {}\n}\n"
    assert langdata.source_name(java, src) == "Solution.java"
    assert langdata.build_argv(java, "Solution.java")[-1] == "Solution.java"
    assert langdata.run_argv(java, ("Solution.class", "Solution.java"))[-1] == "Solution"
    assert langdata.source_name(java, "class Main { public static void main(String[] a) {} }") == "Main.java"
    assert langdata.run_argv(java, ("Main.class", "Main.java"))[-1] == "Main"


# -- D9: a killed process's leftovers are reaped by the next start ---------------------------------
WORKER = textwrap.dedent("""
    import sys, time
    from sandboxes import Limits, Sandbox, TestCase
    sb = Sandbox(backend=sys.argv[1], limits=Limits(time_s=1.0), repeat=1, docker={"pool_size": 1})
    assert sb.execute("python", "print(1)", [TestCase("", "1")])["verdict"] == "OK"
    print("ready", flush=True)
    time.sleep(600)
""")


def _start(argv: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_d9_local_temp_dirs_of_a_killed_worker_are_swept(tmp_path):
    proc = _start([sys.executable, "-c", WORKER, "local"])
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        tmp = os.environ.get("TMPDIR", "/tmp")
        mine = [n for n in os.listdir(tmp) if n.startswith((f"{STATE_PREFIX}{proc.pid}-", f"codepref-builds-{proc.pid}-"))]
        assert len(mine) >= 2  # its state dir and its build cache
        proc.kill()
        proc.wait()
        assert all(os.path.exists(os.path.join(tmp, n)) for n in mine)  # kill -9: nothing cleaned up
        LocalBackend().close()  # a fresh start sweeps them
        assert not any(os.path.exists(os.path.join(tmp, n)) for n in mine)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sweep_keeps_live_processes_dirs(tmp_path):
    live = tmp_path / f"{STATE_PREFIX}{os.getpid()}-x"
    dead_pid = 4_000_000 + 123  # above any pid_max default: never alive
    dead = tmp_path / f"{STATE_PREFIX}{dead_pid}-y"
    locked = dead / "locked"
    locked.mkdir(parents=True)
    (locked / "f").write_text("x")
    locked.chmod(0o555)  # a program's read-only directory must not pin it
    live.mkdir()
    assert sweep_stale_state(str(tmp_path)) == [dead.name]
    assert live.exists() and not dead.exists()


def _owned_containers(client, pid: int) -> list:
    return client.containers.list(all=True, filters={"label": [f"codepref.owner={pid}"]})


@pytest.mark.docker
@pytest.mark.parametrize("how", ["worker", "cli"])
def test_d9_containers_of_a_killed_process_are_swept(how, tmp_path):
    _backend_or_skip("docker")
    import docker
    from sandboxes.docker_backend import DockerBackend
    client = docker.from_env()
    if how == "worker":
        proc = _start([sys.executable, "-c", WORKER, "docker"])
    else:  # the CLI, killed while its program runs
        prog = tmp_path / "sleep.py"
        prog.write_text("import time\ntime.sleep(60)\n")
        proc = _start([sys.executable, "-m", "sandboxes.run", "--language", "python", str(prog), "--backend", "docker",
                       "--time-limit", "30", "--repeat", "1"])
    try:
        if how == "worker":
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        deadline = time.monotonic() + 120
        while not any(c.status == "running" for c in _owned_containers(client, proc.pid)):
            assert time.monotonic() < deadline and proc.poll() is None, "no container started"
            time.sleep(0.5)
        if how == "cli":
            time.sleep(2)  # its program is running now
        proc.kill()
        proc.wait()
        assert _owned_containers(client, proc.pid)  # kill -9: nothing removed them
        DockerBackend().close()  # a fresh start sweeps them
        assert _owned_containers(client, proc.pid) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for c in _owned_containers(client, proc.pid):
            c.remove(force=True)
        client.close()


@pytest.mark.docker
def test_sweep_survives_a_container_removed_by_a_neighbour():
    """Parallel test workers each sweep on start: a stale container listed by one sweeper and
    removed by another before it is handled must not fail the first (CI saw NotFound here)."""
    _backend_or_skip("docker")
    import docker
    from sandboxes.docker_backend import HOST_LABEL, LABEL, OWNER_LABEL, sweep_stale_containers
    from sandboxes.docker_images import HOST_IMAGE
    client = docker.from_env()
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that no longer runs: its containers are stale
    labels = {LABEL: "runner", HOST_LABEL: socket.gethostname(), OWNER_LABEL: str(dead.pid)}
    made = [client.containers.create(HOST_IMAGE, ["true"], labels=labels) for _ in range(2)]
    real_list = client.api.containers

    def list_then_neighbour_removes(*args, **kwargs):
        client.api.containers = real_list  # one race is enough
        listed = real_list(*args, **kwargs)
        made[0].remove(force=True)  # the neighbour wins the race for the first one
        return listed
    client.api.containers = list_then_neighbour_removes
    try:
        removed = sweep_stale_containers(client)
        assert made[1].id in removed and made[0].id not in removed
        assert _owned_containers(client, dead.pid) == []
    finally:
        client.api.containers = real_list
        for c in _owned_containers(client, dead.pid):
            c.remove(force=True)
        client.close()


# -- issue 15: a launch that cannot start leaks nothing ----------------------------------------------
def test_failing_launches_leak_no_descriptors():
    backend = LocalBackend()
    try:
        lang = languages.get("python")
        limits = Limits(time_s=1.0)
        build_dir = os.path.join(backend.state_dir, "build")
        os.makedirs(build_dir)
        build = backend.compile(lang, "print(1)\n", build_dir, limits)
        assert build.ok
        assert backend.run(lang, build, "", limits).exit_code == 0
        backend._drop_server()
        backend.helper = "/nonexistent/sbexec"  # every launch now fails to start its sandbox
        before = len(os.listdir("/proc/self/fd"))
        for _ in range(1000):
            run = backend.run(lang, BuildResult(ok=True, build_dir=build_dir, files=build.files), "", limits)
            assert run.sandbox_error and "cannot start sandbox" in run.sandbox_error
        assert len(os.listdir("/proc/self/fd")) == before
    finally:
        backend.close()
