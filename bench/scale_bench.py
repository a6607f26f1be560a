"""The scale curve: per-record cost of every phase and the driver's peak RSS at 1x, 4x, 16x of a base size.

For each size a corpus is generated (``bench/scale_corpus.py``: a CodeNet-layout folder with
``problems x 8 languages x per_language`` real submissions and a git history with ``commits``
kept commit pairs, all multiplied by the size), then the real pipeline runs on it in a
subprocess of its own (``pipeline.run``: DirectRunner, local sandbox, execution cache off, so
every size really compiles and runs every program), so the peak RSS measured there
(``getrusage(RUSAGE_SELF).ru_maxrss`` of that driver; the sandboxed programs are its children and
are not counted) belongs to that size alone. Per phase (``pipeline.build.PHASES``, timed by the
driver into the manifest's ``phases``) it prints the wall time, the records the phase consumed
(read: submissions + commits; execute: tagged samples; label: executed samples and mutants;
write: pairs) and records/s per core.

    .venv/bin/python bench/scale_bench.py [--base-problems 1] [--per-language 2] [--base-commits 4]
        [--sizes 1,4,16] [--seed 0] [extra pipeline flags after --]

Last line: key=value pairs ending with worst_per_record_cost_ratio_<max>x_vs_<min>x (the largest,
over phases, of the per-record cost at the largest size over that at the smallest; target <= 1.3),
with the driver's RSS ratio before it (target: flat).
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scale_corpus import write_corpus  # noqa: E402
from pipeline.build import PHASES  # noqa: E402
from pipeline.checkpoint import load_records  # noqa: E402

# The records a phase consumes: the main records of the phase before it (read: the corpus).
CONSUMES = {"read_dedup_tag": None, "execute": "read_dedup_tag", "label": "execute", "clean_write": "label"}


def phase_records(out: Path, phase: str) -> int:
    return sum(len(load_records(p)) for p in sorted(glob.glob(str(out / "_stages" / f"{phase}-*" / "main-*.pkl.z"))))


def driver_main(report: str, argv: list[str]) -> None:
    """In the subprocess: run the pipeline, then write its phase timings and this process's peak RSS."""
    from pipeline.run import run
    manifest = run(argv)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(report).write_text(json.dumps({"phases": manifest["phases"], "maxrss_kb": usage.ru_maxrss,
                                        "durations_s": manifest["durations_s"]}), "utf-8")


def measure(size: int, args, tmp: Path) -> dict:
    """Generate the corpus of one size, run the pipeline on it in a driver subprocess; returns the rows."""
    root = tmp / f"x{size}"
    corpus = write_corpus(root / "corpus", args.base_problems * size, args.per_language, args.base_commits * size,
                          args.seed, base=args.base_problems)  # size x copies of the base mix
    out, report = root / "out", root / "driver.json"
    argv = ["--runner=DirectRunner", "--no_bundled", f"--codenet={corpus.codenet}", f"--repos={corpus.repo}",
            f"--work_dir={root / 'work'}", "--exec_cache=none", f"--sandbox_backend={args.backend}",
            "--progress_s=0", "--no_report", f"--output={out}", f"--seed={args.seed}", *args.extra]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    t0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--driver-report", str(report), "--", *argv], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    driver = json.loads(report.read_text("utf-8"))
    commits_read = 2 * corpus.commit_pairs + 1  # each pair's adding commit and the licence commit are read too
    rows = []
    for name, _, _ in PHASES:
        before = CONSUMES[name]
        records = corpus.submissions + commits_read if before is None else phase_records(out, before)
        rows.append({"stage": name, "seconds": driver["phases"][name]["seconds"], "records": records})
    shutil.rmtree(root, ignore_errors=True)
    return {"size": size, "rows": rows, "maxrss_kb": driver["maxrss_kb"], "wall_s": wall}


# --------------------------------------------------------------------------- the report (pure)

def per_record_cost(row: dict) -> float:
    """Seconds per record of one phase (inf when it consumed none)."""
    return row["seconds"] / row["records"] if row["records"] else float("inf")


def records_per_core_s(row: dict, cores: int) -> float:
    return row["records"] / row["seconds"] / cores if row["seconds"] > 0 else float("inf")


def cost_ratios(results: list[dict]) -> dict[str, float]:
    """Phase -> per-record cost at the largest size over that at the smallest."""
    small, large = min(results, key=lambda r: r["size"]), max(results, key=lambda r: r["size"])
    first = {row["stage"]: row for row in small["rows"]}
    return {row["stage"]: per_record_cost(row) / per_record_cost(first[row["stage"]]) for row in large["rows"]}


def table(results: list[dict], cores: int) -> list[str]:
    lines = [f"{'size':>5} {'stage':15} {'records':>8} {'wall s':>8} {'rec/s/core':>11} {'ms/rec':>8} "
             f"{'driver RSS MiB':>15}"]
    for r in sorted(results, key=lambda r: r["size"]):
        for row in r["rows"]:
            lines.append(f"{str(r['size']) + 'x':>5} {row['stage']:15} {row['records']:>8} {row['seconds']:>8.1f} "
                         f"{records_per_core_s(row, cores):>11.2f} {1000 * per_record_cost(row):>8.1f} "
                         f"{r['maxrss_kb'] / 1024:>15.0f}")
    return lines


def last_line(results: list[dict], load: tuple[float, float]) -> str:
    small, large = min(results, key=lambda r: r["size"]), max(results, key=lambda r: r["size"])
    ratios = cost_ratios(results)
    worst = max(ratios.values())
    per_stage = " ".join(f"{stage}={ratio:.3f}" for stage, ratio in ratios.items())
    return (f"{per_stage} load={load[0]:.2f},{load[1]:.2f} "
            f"driver_rss_ratio={large['maxrss_kb'] / small['maxrss_kb']:.3f} "
            f"worst_per_record_cost_ratio_{large['size']}x_vs_{small['size']}x={worst:.3f}")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--driver-report":
        driver_main(sys.argv[2], sys.argv[4:])  # the pipeline's flags follow "--"
        return
    ap = argparse.ArgumentParser()
    # Two submissions per problem and language: pairs form within (problem, language), so one
    # would pair only with its mutants, never fast with slow or passing with failing.
    ap.add_argument("--base-problems", type=int, default=1, help="CodeNet problems at 1x (bundled problems, cycled)")
    ap.add_argument("--per-language", type=int, default=2, help="submissions per problem and language")
    ap.add_argument("--base-commits", type=int, default=4, help="kept commit pairs at 1x")
    ap.add_argument("--sizes", default="1,4,16", help="multiples of the base size")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--backend", default="local", choices=("local", "docker", "auto"))
    ap.add_argument("extra", nargs="*", help="more pipeline flags, e.g. --no_mutate (after --)")
    args = ap.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    try:
        load0 = os.getloadavg()
        results = []
        for size in sizes:
            results.append(measure(size, args, tmp))
            print(f"{size}x done in {results[-1]['wall_s']:.1f} s", file=sys.stderr, flush=True)
        load1 = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"base: {args.base_problems} problems x 8 languages x {args.per_language}, {args.base_commits} commit "
          f"pairs; {cores} cores")
    for line in table(results, cores):
        print(line)
    print(f"load average before {load0[0]:.2f}, after {load1[0]:.2f} ({cores} cores)")
    print(last_line(results, (load0[0], load1[0])))


if __name__ == "__main__":
    main()
