"""The default pipeline on a real distributed engine: Beam's DaskRunner (``pipeline.dask_runner``)
against a dask.distributed scheduler and two worker processes started here, on a small input.
Same shards, dead letters and summary, byte for byte, as the DirectRunner with the same
execution cache (measurements are data: the Dask run reads every one from the cache). The
cache is the session's default-settings cache, which the end-to-end run on the bundled inputs
has filled when this runs after it (``reads_default_run``); run alone, the DirectRunner run
measures what is missing."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed", reason="needs the dask extra (pip install -e '.[dask]')")

from pipeline.run import run  # noqa: E402
from tests.outputs import result_counters  # noqa: E402
from tests.problemsets import bundled_subset  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PROBLEM = "pair-sum"
LANGUAGES = ("python", "javascript", "c")  # a small input: one problem, three languages
pytestmark = [pytest.mark.slow, pytest.mark.reads_default_run]


def _digests(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for sub in ("shards", "dead_letter", "summary") for p in sorted((out / sub).rglob("*")) if p.is_file()}


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers, each its own process (as on a real cluster)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    scheduler_file = tmp_path / "scheduler.json"
    common = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT}
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--dashboard-address", ":0", "--scheduler-file", str(scheduler_file)], **common)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert scheduler_file.exists(), "the dask scheduler did not start"
        procs += [subprocess.Popen([sys.executable, "-m", "dask", "worker", "--scheduler-file", str(scheduler_file),
                                    "--nworkers", "1", "--nthreads", "1", "--dashboard-address", ":0"], **common)
                  for _ in range(2)]
        from dask.distributed import Client
        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            pids = client.run(os.getpid)  # worker address -> its process id
            assert len(set(pids.values()) | {os.getpid()}) == 3
        yield json.loads(scheduler_file.read_text())["address"]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_default_pipeline_on_a_dask_cluster_writes_the_direct_runners_shards(cluster, tmp_path,
                                                                            default_exec_cache):
    problems = bundled_subset(tmp_path / "problems", PROBLEM, LANGUAGES)
    common = ["--checkpoint=none", "--no_bundled", "--problems", str(problems), "--exec_cache",
              str(default_exec_cache), "--progress_s", "0", "--no_report"]
    direct = run(["--runner=DirectRunner", "--output", str(tmp_path / "direct"), *common])
    dask = run(["--runner=DaskRunner", f"--dask_client_address={cluster}", "--output", str(tmp_path / "dask"),
                *common])
    assert direct["pairs_total"] > 10 and direct["dead_letters"]["total"] > 0
    assert _digests(tmp_path / "dask") == _digests(tmp_path / "direct")
    # Counters come back from the workers; only where the measurement came from differs: the
    # Dask run read every measurement the DirectRunner run made or read.
    d, k = direct["counters"], dask["counters"]
    assert k["execute.cache_hit"] == d.get("execute.executed", 0) + d.get("execute.cache_hit", 0) > 0
    assert k.get("execute.executed", 0) == 0 and k.get("execute.remeasured", 0) == 0
    assert (k.get("execute.remeasure_cache_hit", 0)
            == d.get("execute.remeasured", 0) + d.get("execute.remeasure_cache_hit", 0) > 0)
    assert result_counters(k) == result_counters(d)
