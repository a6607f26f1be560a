"""Resumability and idempotence, on one bundled problem in four languages (three compiled ahead
of time, one interpreted: what is resumed does not depend on the language). The PortableRunner
path is tested on the whole default input (``test_pipeline_e2e``).

Every run here shares one execution cache: measurements are data, so runs that reuse them
must write byte-identical shards whatever the phasing, a killed worker or an interruption.
The first run fills the cache while it is killed and resumed, so it really executes.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline.run import run
from tests.outputs import digests as _digests
from tests.outputs import result_counters as _results
from tests.problemsets import bundled_subset

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resume")
    problems = bundled_subset(tmp / "problems", "prime-count", ("c", "cpp", "go", "python"))
    args = ["--runner=DirectRunner", "--no_bundled", f"--problems={problems}", f"--work_dir={tmp / 'work'}",
            f"--exec_cache={tmp / 'exec'}", "--exec_parallelism=2", "--sandbox_backend=local"]
    return tmp, args


def _argv(env, name: str, *extra: str) -> tuple[Path, list[str]]:
    tmp, args = env
    out = tmp / name
    return out, [*args, f"--output={out}", f"--run_id={name}", *extra]


def _spawn(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline.run", *argv], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(predicate, proc: subprocess.Popen, deadline_s: float = 600) -> None:
    end = time.monotonic() + deadline_s
    while not predicate():
        if proc.poll() is not None:
            pytest.fail(f"run ended before the point of interruption:\n{proc.stdout.read()[-3000:]}")
        assert time.monotonic() < end, "the run never reached the point of interruption"
        time.sleep(0.2)


def _marker(out: Path, phase: str) -> bool:
    return any((out / "_stages").glob(f"{phase}-*/_SUCCESS"))


@pytest.fixture(scope="module")
def killed_and_resumed(env):
    """Kill -9 a run while its execute phase runs (after tagging completed), then run it again."""
    out, argv = _argv(env, "killed")
    proc = _spawn(argv)
    _wait_for(lambda: _marker(out, "read_dedup_tag"), proc)
    time.sleep(1.0)  # well inside the execute phase: the cache is cold, it runs ~50 programs
    assert proc.poll() is None and not _marker(out, "execute")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "manifest.json").exists()
    manifest = run(argv)
    return out, manifest


def test_killed_run_resumes_from_its_last_completed_phase(killed_and_resumed):
    out, manifest = killed_and_resumed
    phases = manifest["phases"]
    assert phases["read_dedup_tag"]["resumed"] is True
    assert [phases[p]["resumed"] for p in ("execute", "label", "clean_write")] == [False, False, False]
    assert manifest["pairs_total"] > 50
    # Counters of the resumed phase come from its marker, so the ledger still balances.
    c = manifest["counters"]
    assert c["read.inputs"] == c["read.samples"] + manifest["dead_letters"]["by_kind"].get("input", 0)


def test_rerun_skips_every_phase_and_rewrites_nothing(env, killed_and_resumed):
    out, first = killed_and_resumed
    before = _digests(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    _, argv = _argv(env, "killed")
    again = run(argv)
    assert all(p["resumed"] for p in again["phases"].values())
    assert _digests(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == mtimes
    assert again["counters"] == first["counters"]
    assert again["by_criterion_language"] == first["by_criterion_language"]


def test_resumed_run_equals_an_uninterrupted_fused_run(env, killed_and_resumed):
    out, first = killed_and_resumed
    fused_out, argv = _argv(env, "fused", "--checkpoint=none")
    fused = run(argv)
    assert _digests(fused_out) == _digests(out)
    assert _results(fused["counters"]) == _results(first["counters"])
    # Every measurement the fused run used came from the cache the killed and resumed runs filled.
    assert fused["counters"]["execute.cache_hit"] == first["counters"]["execute.in"]
    assert not (fused_out / "_stages").exists()


def test_worker_killed_mid_bundle_gives_the_same_shards(env, killed_and_resumed):
    """multi_processing: SIGKILL one SDK worker process during the execute phase. The phase's
    pipeline fails, the driver runs it again (--max_attempts), and the shards are unchanged."""
    ref, _ = killed_and_resumed
    out, argv = _argv(env, "worker_killed", "--direct_running_mode=multi_processing",
                      "--direct_num_workers=2", "--max_attempts=3", "--exec_repeat=3")
    proc = _spawn(argv)
    driver = psutil.Process(proc.pid)

    def workers():
        return [c for c in driver.children(recursive=True)
                if any("sdk_worker_main" in part for part in c.cmdline())]
    # The tag phase has its own workers; wait for the execute phase's.
    _wait_for(lambda: _marker(out, "read_dedup_tag") and workers(), proc)
    victim = workers()[0]
    victim.kill()
    output, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, output[-3000:]
    assert "attempt 1 of 3 failed" in output or _marker(out, "execute")
    assert _digests(out) == _digests(ref)


def test_a_changed_option_recomputes_and_drops_stale_phases(env, killed_and_resumed):
    """Runs last: it leaves the folder at the changed option."""
    out, _ = killed_and_resumed
    _, argv = _argv(env, "killed", "--efficiency_ratio=4")
    changed = run(argv)
    assert not any(p["resumed"] for p in changed["phases"].values())
    # Stale phase folders of the old fingerprint are removed once the new ones complete.
    assert len(list((out / "_stages").glob("read_dedup_tag-*"))) == 1
