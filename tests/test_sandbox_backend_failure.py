"""A sandbox backend that fails mid-run: the Docker backend's warm containers are killed from
outside while the execute phase runs. The samples they were serving are dead-lettered with
the reason, the pool replaces the containers, and the run completes with every sample
accounted for."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.run import bundled_problems

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.timeout(900)


def _docker_client():
    reason = None
    try:
        from sandboxes.docker_backend import _client, docker_unavailable_reason
        reason = docker_unavailable_reason()
    except ImportError as exc:
        reason = f"docker SDK missing: {exc}"
    if reason:
        if os.environ.get("CODEPREF_REQUIRE_DOCKER") == "1":
            pytest.fail(f"{reason} (CODEPREF_REQUIRE_DOCKER=1)")
        pytest.skip(reason)
    return _client(timeout=60)


def test_containers_killed_mid_run_are_dead_lettered_and_the_run_completes(tmp_path):
    client = _docker_client()
    problems = tmp_path / "problems"
    problems.mkdir()
    (problems / "prime-count").symlink_to(Path(bundled_problems()) / "prime-count")
    out = tmp_path / "out"
    argv = ["--runner=DirectRunner", "--no_bundled", f"--problems={problems}", f"--output={out}",
            f"--work_dir={tmp_path / 'work'}", "--exec_cache=none", "--sandbox_backend=docker",
            "--exec_parallelism=2", "--exec_repeat=1", "--exec_refine_repeat=0", "--progress_s=0",
            "--no_report"]  # one run per test, none again: the containers' failure is the subject
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.run", *argv], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    killed: list[str] = []

    def owned():
        return client.containers.list(filters={"label": [f"codepref.owner={proc.pid}", "codepref.sandbox=runner"]})

    def chaos():
        deadline = time.monotonic() + 600
        while not owned():  # the execute phase has started its warm pool
            if proc.poll() is not None or time.monotonic() > deadline:
                return
            time.sleep(0.2)
        for _ in range(3):  # three waves, a second apart: busy and idle containers alike
            for c in owned():
                try:
                    c.kill()
                    killed.append(c.id)
                except Exception:  # it died or was replaced meanwhile
                    pass
            time.sleep(1.0)

    t = threading.Thread(target=chaos, daemon=True)
    t.start()
    output, _ = proc.communicate(timeout=800)
    t.join(timeout=5)
    assert proc.returncode == 0, output[-4000:]
    assert killed, "no sandbox container was running to be killed"

    import json
    manifest = json.loads((out / "manifest.json").read_text())
    dead = pq.read_table(sorted((out / "dead_letter").glob("*.parquet"))).to_pylist()
    errors = [d for d in dead if d["stage"] == "execute" and d["reason"] == "sandbox_error"]
    assert errors, "killing the sandboxes cost no sample: the failure was not observed"
    assert all(d["detail"] and d["record_kind"] == "sample" for d in errors)
    c = manifest["counters"]
    assert c["execute.out"] > 0 and manifest["pairs_total"] > 0, "the run did not go on after the failure"
    samples = sum(d["record_kind"] == "sample" for d in dead)
    assert c["read.samples"] + c.get("mutate.out", 0) == c["pair.paired_samples"] + samples
    assert c["execute.in"] == c["execute.out"] + sum(d["stage"] == "execute" for d in dead)
    # The killed containers are gone and the run left none of its own behind.
    assert owned() == []
