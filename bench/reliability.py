"""Reliability benchmark: the whole DAG on a fuzz corpus of malformed inputs.

    .venv/bin/python bench/reliability.py [--n 1000] [--seed 0] [--keep DIR]

Builds the corpus (bench/fuzz_inputs.py: problem folders, commit exports, HF datasets
full of binary, undecodable, empty, huge, mistyped and mislabelled inputs, plus a few
valid ones), runs the pipeline in-process on DirectRunner, and checks the balance
sheet: every input is a sample or an input dead letter, every sample is paired or a
sample dead letter, every proposed pair is written or a pair dead letter. Prints the
figures, then ONE final line of key=value pairs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pipeline.run import run
from bench.fuzz_inputs import accounting, make_fuzz_corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="inputs in the corpus")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", default=None, help="write corpus and output here and keep them")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="codepref-reliability-"))
    t0 = time.perf_counter()
    corpus = make_fuzz_corpus(work / "corpus", n=args.n, seed=args.seed)
    t_corpus = time.perf_counter() - t0
    print(f"corpus: {corpus['inputs']} = {corpus['total']} inputs in {t_corpus:.1f}s")

    crashes, acc = 0, None
    t0 = time.perf_counter()
    try:
        manifest = run(["--runner=DirectRunner", f"--output={work / 'out'}", "--run_id=reliability", "--no_bundled",
                        f"--work_dir={work / 'cache'}", "--exec_repeat=1", "--exec_cache=none", *corpus["argv"]])
        acc = accounting(work / "out", manifest)
    except Exception:  # noqa: BLE001 - a crash is the figure this benchmark exists to report
        crashes = 1
        traceback.print_exc()
    wall = time.perf_counter() - t0
    try:
        if acc is not None:
            print("input dead letters by reason:")
            for reason, n in sorted(acc["input_reasons"].items(), key=lambda kv: -kv[1]):
                print(f"  {reason:<24} {n}")
            print(f"samples {acc['samples']}, dead letters {acc['dead_letters']} {acc['dead_by_kind']}, "
                  f"pairs {acc['pairs']}, sandbox runs {acc['sandbox_runs']}")
            print(f"balances (must be 0): inputs {acc['inputs_balance']}, samples {acc['samples_balance']}, "
                  f"pairs {acc['pairs_balance']}; counted inputs {acc['inputs']} vs written {corpus['total']}")
        accounted = acc is not None and acc["inputs"] == corpus["total"] and not any(
            acc[k] for k in ("inputs_balance", "samples_balance", "pairs_balance"))
        print(f"inputs={corpus['total']} crashes={crashes} accounted={str(accounted).lower()} "
              f"dead_letters={acc['dead_letters'] if acc else -1} sandbox_runs={acc['sandbox_runs'] if acc else -1} "
              f"pairs={acc['pairs'] if acc else -1} wall_s={wall:.1f} inputs_per_s={corpus['total'] / wall:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
