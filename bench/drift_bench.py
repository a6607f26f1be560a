"""How much of a CPU-time ratio is the machine's drift? Runs taken in turns against runs apart.

Three bundled programs (a 0.15-0.2 s C loop, a ~20 ms and a ~140 ms Python program) are run
through the sandbox in turns, one run each per round, for ``--rounds`` rounds. For each pair
of programs it prints the relative spread (``sandboxes.judge.relative_spread``: interquartile
range / 1.349 / median) of
  * each program's own CPU time over the rounds,
  * the ratio of the two runs of one round (taken one right after the other: what the execute
    stage's interleaved re-measurement compares, ``transforms.labels.paired_ratios``),
  * the ratio of two runs from random, unrelated rounds (what comparing two samples measured
    at different times amounts to),
and the range of the ratio of 5-run medians over every pair of 5-round blocks (two samples
measured 5 times each, one after the other). Run it on a busy machine (beside the test
suite, say): on a quiet one there is little drift to see.

    .venv/bin/python bench/drift_bench.py [--rounds 30] [--backend local]

Last line: the spread of ratios from unrelated runs over the spread within rounds, per pair
(the worst pair last): how much taking the runs in turns narrows a ratio.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.run import bundled_problems  # noqa: E402
from sandboxes import Sandbox, TestCase  # noqa: E402
from sandboxes.judge import relative_spread  # noqa: E402

PROGRAMS = {  # name: (problem, language, solution file)
    "c_slow": ("pair-sum", "c", "slow.c"),
    "py_fast": ("prime-count", "python", "fast.py"),
    "py_memory": ("prime-count", "python", "memory.py"),
}


def load(problem: str, language: str, name: str) -> tuple[str, str, list[TestCase]]:
    root = Path(bundled_problems()) / problem
    test = TestCase(stdin=(root / "tests" / "large.in").read_text(), expected=(root / "tests" / "large.out").read_text(),
                    name="large")
    return language, (root / "solutions" / language / name).read_text(), [test]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--backend", default="local", choices=("local", "docker"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    programs = {k: load(*v) for k, v in PROGRAMS.items()}
    cpu: dict[str, list[float]] = {k: [] for k in programs}
    with Sandbox(backend=args.backend, repeat=1) as sb:
        for _ in range(args.rounds):
            for name, (language, source, tests) in programs.items():
                report = sb.execute(language, source, tests, repeat=1)
                if report["verdict"] != "OK":
                    sys.exit(f"{name}: {report['verdict']} {report.get('detail')}")
                cpu[name].append(report["tests"][0]["cpu_s"])
    print(f"{args.rounds} rounds, backend {args.backend}, load average {os.getloadavg()[0]:.2f} "
          f"({os.cpu_count()} cores)")
    for name, values in cpu.items():
        print(f"{name:10} median {statistics.median(values) * 1000:7.1f} ms  spread {relative_spread(values):.3f}")
    rng = random.Random(args.seed)
    gains = []
    for a, b in (("c_slow", "py_fast"), ("py_memory", "py_fast"), ("c_slow", "py_memory")):
        within = relative_spread([x / y for x, y in zip(cpu[a], cpu[b])])
        apart = relative_spread([cpu[a][rng.randrange(args.rounds)] / cpu[b][rng.randrange(args.rounds)]
                                 for _ in range(2000)])
        blocks = [statistics.median(cpu[a][i:i + 5]) / statistics.median(cpu[b][j:j + 5])
                  for i in range(0, args.rounds - 4, 5) for j in range(0, args.rounds - 4, 5)]
        print(f"{a}/{b}: ratio spread within rounds {within:.3f}, runs apart {apart:.3f}; "
              f"ratio of 5-run medians {min(blocks):.2f}-{max(blocks):.2f}x (median {statistics.median(blocks):.2f}x)")
        gains.append((apart / within if within else float("inf"), f"{a}/{b}"))
    gains.sort(reverse=True)
    print(" ".join(f"{name}={g:.2f}" for g, name in gains) + f" ratio={gains[-1][0]:.2f}")


if __name__ == "__main__":
    main()
