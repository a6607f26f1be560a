"""Cost of phase checkpoints, and what resuming saves.

Runs the pipeline on bundled problems (a warm execution cache, so sandbox time does not
drown the difference) three ways in one session: one fused pipeline (--checkpoint=none,
the baseline), phase by phase (--checkpoint=stages), and the same phased run again in the
same folder (every phase resumed). Prints the ratios and a final key=value line.

    .venv/bin/python bench/resume_bench.py [--problems N] [--rounds R]
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.run import bundled_problems, run  # noqa: E402


def digest(out: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(out.glob("shards/*/*.parquet")) + sorted(out.glob("dead_letter/*.parquet")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def timed(argv: list[str]) -> float:
    t0 = time.perf_counter()
    run(argv)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--problems", type=int, default=2, help="bundled problems to use (1-4)")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="resume-bench-"))
    try:
        problems = tmp / "problems"
        problems.mkdir()
        for d in sorted(Path(bundled_problems()).iterdir())[: args.problems]:
            (problems / d.name).symlink_to(d)
        base = ["--runner=DirectRunner", "--no_bundled", f"--problems={problems}", f"--work_dir={tmp / 'work'}",
                f"--exec_cache={tmp / 'exec'}", "--sandbox_backend=local", "--progress_s=0", "--no_report"]
        run([*base, f"--output={tmp / 'warm'}"])  # fills the execution cache
        fused, phased, resumed, digests = [], [], [], set()
        for r in range(args.rounds):  # alternate, so load drifts hit both alike
            fused.append(timed([*base, f"--output={tmp / f'fused{r}'}", "--checkpoint=none"]))
            phased.append(timed([*base, f"--output={tmp / f'phased{r}'}"]))
            resumed.append(timed([*base, f"--output={tmp / f'phased{r}'}"]))
            digests |= {digest(tmp / f"fused{r}"), digest(tmp / f"phased{r}")}
        f, p, s = statistics.median(fused), statistics.median(phased), statistics.median(resumed)
        print(f"fused (one pipeline)      {f:7.2f} s")
        print(f"phased (4 pipelines)      {p:7.2f} s   x{p / f:.2f} of fused")
        print(f"re-run, all phases resumed {s:6.2f} s   x{s / p:.3f} of phased")
        print(f"shards identical across all runs: {len(digests) == 1}")
        print(f"problems={args.problems} rounds={args.rounds} fused_s={f:.2f} phased_s={p:.2f} "
              f"resumed_s={s:.2f} phased_over_fused={p / f:.2f} resumed_over_phased={s / p:.3f} "
              f"identical={len(digests) == 1}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
