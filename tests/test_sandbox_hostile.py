"""Hostile programs: each gets the right verdict and leaves the host untouched.

Runs on the local backend, and on the docker backend when a daemon with the
sandbox images answers (skipped otherwise, with the reason).
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import uuid

import pytest

from sandboxes import Limits, Sandbox, TestCase

LIMITS = Limits(time_s=1.0, memory_mb=256, output_bytes=100_000, pids=32, wall_s=3.0)
SECRET = "codepref-host-secret-" + uuid.uuid4().hex
ESCAPE = f"/tmp/codepref-escape-{uuid.uuid4().hex}"


def _docker_reason() -> str | None:
    try:
        from sandboxes.docker_backend import docker_ready, docker_unavailable_reason
    except ImportError as exc:
        return f"docker backend unavailable: {exc}"
    return None if docker_ready() else docker_unavailable_reason()


@pytest.fixture(scope="module", params=["local", "docker"])
def sandbox(request):
    if request.param == "local" and shutil.which("bwrap") is None and shutil.which("unshare") is None:
        pytest.skip("neither bwrap nor unshare is installed")
    if request.param == "docker":
        reason = _docker_reason()
        if reason:
            pytest.skip(reason)
    os.environ["CODEPREF_HOST_SECRET"] = SECRET
    sb = Sandbox(backend=request.param, limits=LIMITS, repeat=1)
    yield sb
    sb.close()


def _run(sb, lang, src, expected=None, stdin=""):
    report, outcomes = sb.execute_with_runs(lang, src, [TestCase(stdin, expected)])
    run = outcomes[0].runs[-1] if outcomes else None
    return report, (run.stdout.decode("utf-8", "replace") if run else "")


def _leftover_sandbox_processes() -> list[int]:
    """Live processes still in one of this test process's sandbox cgroups, other than the
    workers' spawn servers (which live there on purpose)."""
    marker = f"codepref-sandbox-{os.getpid()}-"
    left = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cgroup") as fh:
                inside = marker in fh.read()
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                server = b"--spawn-server" in fh.read()
        except OSError:
            continue
        if inside and not server:
            left.append(int(pid))
    return left


@pytest.mark.parametrize("lang, src", [
    ("c", "#include <unistd.h>\nint main(void){ for (;;) fork(); }\n"),
    ("python", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"),
])
def test_fork_bomb(sandbox, lang, src):
    report, _ = _run(sandbox, lang, src)
    assert report["verdict"] == "TIME_LIMIT"
    assert _leftover_sandbox_processes() == []


@pytest.mark.parametrize("lang, src", [
    ("python", "chunks = []\nwhile True:\n    chunks.append(b'x' * (10 << 20))\n"),
    ("c", "#include <stdlib.h>\n#include <string.h>\n"
          "int main(void){ for (;;) { char *p = malloc(10 << 20); memset(p, 1, 10 << 20); } }\n"),
    ("javascript", "const a = [];\nwhile (true) a.push(Buffer.alloc(10 << 20, 1));\n"),
])
def test_memory_bomb(sandbox, lang, src):
    report, _ = _run(sandbox, lang, src)
    assert report["verdict"] == "MEMORY_LIMIT", report["detail"]
    assert report["peak_rss_bytes"] <= (LIMITS.memory_mb + 128) << 20


def test_infinite_loop(sandbox):
    report, _ = _run(sandbox, "c", "int main(void){ volatile unsigned long x = 0; for (;;) x++; }\n")
    assert report["verdict"] == "TIME_LIMIT"
    assert _leftover_sandbox_processes() == []


def test_sleep_forever_hits_wall_limit(sandbox):
    report, _ = _run(sandbox, "python", "import time\ntime.sleep(10**6)\n")
    assert report["verdict"] == "TIME_LIMIT" and "wall" in report["detail"]
    assert report["cpu_s"] < LIMITS.time_s


def test_huge_output(sandbox):
    report, out = _run(sandbox, "python", "while True:\n    print('x' * 1000)\n")
    assert report["verdict"] == "OUTPUT_LIMIT"
    assert len(out) <= LIMITS.output_bytes


def test_background_child_is_reaped(sandbox):
    src = "import os, time\nif os.fork() == 0:\n    time.sleep(10**6)\nprint('parent done')\n"
    report, out = _run(sandbox, "python", src, "parent done")
    assert report["verdict"] == "OK"
    assert _leftover_sandbox_processes() == []


@pytest.fixture()
def host_server():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    accepted = []

    def serve():
        try:
            while True:
                conn, _ = srv.accept()
                accepted.append(1)
                conn.close()
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    yield srv.getsockname()[1], accepted
    srv.close()


def test_network_is_unreachable(sandbox, host_server):
    port, accepted = host_server
    src = ("import socket\n"
           f"for addr in [('127.0.0.1', {port}), ('1.1.1.1', 53), ('8.8.8.8', 443)]:\n"
           "    try:\n"
           "        socket.create_connection(addr, timeout=1).close()\n"
           "        print('connected', addr)\n"
           "    except OSError as exc:\n"
           "        print('blocked', addr)\n")
    report, out = _run(sandbox, "python", src)
    assert report["verdict"] == "OK"
    assert "connected" not in out and out.count("blocked") == 3
    assert accepted == []


def test_writes_outside_work_dir_do_not_reach_host(sandbox):
    src = ("import os\n"
           f"for path in ['{ESCAPE}', '/usr/codepref-escape', '/etc/codepref-escape', '/codepref-escape']:\n"
           "    try:\n"
           "        with open(path, 'w') as fh:\n"
           "            fh.write('x')\n"
           "        print('wrote', path)\n"
           "    except OSError:\n"
           "        print('denied', path)\n"
           "open('scratch.txt', 'w').write('ok')\nprint('workdir', open('scratch.txt').read())\n")
    report, out = _run(sandbox, "python", src)
    assert report["verdict"] == "OK"
    assert "denied /usr/codepref-escape" in out and "denied /etc/codepref-escape" in out
    assert "denied /codepref-escape" in out and "workdir ok" in out
    assert not os.path.exists(ESCAPE) and not os.path.exists("/usr/codepref-escape")


def test_nothing_persists_between_runs(sandbox):
    """A run cannot leave files behind or tamper with the build the next run uses."""
    src = ("import os\n"
           "print('tampered' if os.path.exists('/tmp/marker') or os.path.exists('marker') else 'fresh')\n"
           "open('/tmp/marker', 'w').write('x')\nopen('marker', 'w').write('x')\n"
           "try:\n"
           "    open(os.path.abspath(__file__), 'a').write('\\nprint(\"tampered\")\\n')\n"
           "except OSError:\n"
           "    pass\n")
    for _ in range(2):
        report, out = _run(sandbox, "python", src, "fresh")
        assert report["verdict"] == "OK", out


def test_host_environment_and_files_are_hidden(sandbox):
    src = ("import os\n"
           "print(sorted(os.environ))\n"
           "print('secret' if any('codepref-host-secret' in v for v in os.environ.values()) else 'clean')\n"
           "for path in ['/root', '/work', '/home', '/etc/shadow', '/proc/1/environ']:\n"
           "    try:\n"
           "        data = os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read()\n"
           "        print('read', path, 'codepref-host-secret' in repr(data))\n"
           "    except OSError:\n"
           "        print('denied', path)\n")
    report, out = _run(sandbox, "python", src)
    assert report["verdict"] == "OK"
    assert "clean" in out and SECRET not in out
    for path in ("/root", "/work", "/home", "/etc/shadow", "/proc/1/environ"):
        assert f"denied {path}" in out, out


@pytest.mark.parametrize("lang, src", [
    ("python", "import os\nfor pid in (os.getppid(), 1):\n    try:\n        os.kill(pid, 9)\n"
               "        print('killed', pid)\n    except OSError:\n        print('denied', pid)\nprint('alive')\n"),
    ("c", "#include <signal.h>\n#include <stdio.h>\n#include <unistd.h>\n"
          "int main(void){ printf(\"%d %d\\n\", kill(getppid(), SIGKILL), kill(1, SIGKILL));\n"
          "  kill(-1, SIGKILL); puts(\"alive\"); return 0; }\n"),
])
def test_killing_the_parent_fails(sandbox, lang, src):
    report, out = _run(sandbox, lang, src)
    if sandbox.backend_name == "local":
        # The supervisor and PID 1 are root-owned: the signals are refused.
        assert report["verdict"] == "OK", report
        assert "killed" not in out and "alive" in out
        if lang == "c":
            assert out.splitlines()[0] == "-1 -1"
    else:
        # In a container everything runs as one unprivileged uid: the program may kill the
        # per-job supervisor (a RUNTIME_ERROR), but PID 1 (the runner) ignores the signal.
        assert report["verdict"] in ("OK", "RUNTIME_ERROR"), report
    # The sandbox (and, for docker, the same warm container) still works afterwards.
    assert _run(sandbox, "python", "print(7)", "7")[0]["verdict"] == "OK"


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not installed")
def test_unshare_fallback_isolates_network_and_user():
    sb = Sandbox(backend="local", limits=LIMITS, repeat=1, local={"isolation": "unshare"})
    try:
        src = ("import os, socket\nprint(os.getuid())\n"
               "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=1)\n    print('connected')\n"
               "except OSError:\n    print('blocked')\n")
        report, out = _run(sb, "python", src)
        # The program's uid is its worker's own (never root, never shared with a neighbour).
        assert report["verdict"] == "OK" and out.split() == [str(sb.backend.run_uid()), "blocked"]
        assert sb.backend.run_uid() not in (0, 65534, os.getuid())
        assert _run(sb, "python", "import time\ntime.sleep(10**6)\n")[0]["verdict"] == "TIME_LIMIT"
    finally:
        sb.close()
