"""The command line: python -m sandboxes.run ... --json."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from sandboxes.cgroups import WorkerCgroup

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None and shutil.which("unshare") is None,
                                reason="neither bwrap nor unshare is installed")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _cli(tmp_path, source, *args, stdin=None, expected=None):
    prog = tmp_path / "prog.py"
    prog.write_text(source)
    argv = [sys.executable, "-m", "sandboxes.run", "--language", "python", str(prog), "--backend", "local", "--json",
            *args]
    if stdin is not None:
        (tmp_path / "in.txt").write_text(stdin)
        argv += ["--stdin", str(tmp_path / "in.txt")]
    if expected is not None:
        (tmp_path / "out.txt").write_text(expected)
        argv += ["--expected", str(tmp_path / "out.txt")]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=120)
    return proc.returncode, json.loads(proc.stdout)


def test_cli_ok(tmp_path):
    rc, out = _cli(tmp_path, "import sys\nprint(sys.stdin.read().upper())", stdin="abc\n", expected="ABC\n")
    assert rc == 0
    assert out["verdict"] == "OK" and out["exit_code"] == 0 and out["backend"] == "local"
    assert out["stdout"] == "ABC\n\n" and out["stderr"] == ""
    assert out["cpu_s"] > 0 and out["wall_s"] > 0 and out["peak_rss_bytes"] > 1 << 20
    assert {"tests", "toolchain", "stable", "repeats"} <= set(out)


def test_cli_runtime_error_and_limits(tmp_path):
    rc, out = _cli(tmp_path, "import sys\nprint('partial')\nsys.exit(3)", "--repeat", "2", "--time-limit", "2")
    assert rc == 1 and out["verdict"] == "RUNTIME_ERROR" and out["exit_code"] == 3
    assert out["stdout"] == "partial\n" and out["repeats"] == 2
    rc, out = _cli(tmp_path, "x = bytearray(300 << 20)\nprint(len(x))", "--memory-limit", "128")
    if WorkerCgroup.probe():  # the memory cgroup limits resident memory: the kernel kills the program
        assert out["verdict"] == "MEMORY_LIMIT" and out["signal"] == signal.SIGKILL, out
    else:  # the rlimit fallback: the allocation fails inside the program
        assert out["verdict"] == "MEMORY_LIMIT" and "MemoryError" in out["stderr"], out
