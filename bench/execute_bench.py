"""The execute stage's wall time against its floor, measured in the same run.

Stage: the pipeline on the bundled problems with the execution cache off and without
mutants (``--no_mutate``: the execute phase also compiles and runs the mutants of passing
submissions, work this floor does not replay); the execute phase's wall time (its Beam
pipeline included) from the manifest.

Floor: the same programs with the same work, bare (no sandbox, no Beam): every distinct
(language, source) compiled once with the toolchain's own argv (schemas/languages.toml, the
argv the sandbox runs), then each submission run on each test as many times as the stage ran
it (its report's ``repeats``, plus the warm-up runs the report leaves out: ``exec_warmup`` before
the first measurement and again before a re-measured sample's first round, ``exec_round_warmup``
before each later round, and a fresh re-measurement's discarded first runs; a failing run ends that
test's repeats, as in the sandbox), on
the same cores. The floor is the sum of those bare times divided by the cores: two cores
kept perfectly busy, the ideal schedule. The bare work itself runs on a pool of ``cores``
threads (so each bare time is taken under the same kind of contention as the stage's), and
that pool's own wall time is printed beside it.

    .venv/bin/python bench/execute_bench.py [--problems N] [--rounds R] [--backend local] [extra pipeline flags]

Last line: key=value pairs ending with ratio=stage/floor (target <= 1.3).
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.checkpoint import load_records  # noqa: E402
from pipeline.run import bundled_problems, run  # noqa: E402
from sandboxes import langdata  # noqa: E402
from sandboxes.judge import outputs_match  # noqa: E402
from schemas import languages  # noqa: E402
from transforms.read.problems import load_tests  # noqa: E402

PATH = "/usr/local/bin:/usr/bin:/bin"


def load_phase(out: Path, phase: str, name: str = "main") -> list:
    rows = []
    for path in sorted(glob.glob(str(out / "_stages" / f"{phase}-*" / f"{name}-*.pkl.z"))):
        rows += load_records(path)
    return rows


def bare_env(lang, home: str, gocache: str) -> dict[str, str]:
    env = {"PATH": PATH, "HOME": home, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": "/tmp"}
    for key, value in langdata.extra(lang.id).env.items():
        env[key] = value.format(home=home, gocache=gocache)
    return env


class Bare:
    """Compile and run programs as plain subprocesses; records the time of each step."""

    def __init__(self, root: str, gocache: str):
        self.root, self.gocache = root, gocache
        self.times: list[float] = []
        self.by_kind: dict[tuple[str, str], float] = {}  # (language, compile|run) -> seconds
        self.lock = threading.Lock()
        self.compiles = self.runs = self.failed_compiles = 0

    def _timed(self, argv, cwd, env, stdin: bytes, timeout: float, what: tuple[str, str] = ("", "")):
        """Run argv with stdin and stdout in files, as the sandbox does (pipes would make the
        program wait for this process to be scheduled for every 64 KiB of a large test), in a
        session of its own, as the sandbox does: with the kernel's autogroup scheduling a new
        session is a scheduling group of its own, so sharing the bench's session would give
        the bare programs a smaller CPU share than the sandboxed ones on a loaded machine."""
        with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as fout, \
                tempfile.TemporaryFile() as ferr:
            fin.write(stdin)
            fin.seek(0)
            t0 = time.perf_counter()
            try:
                rc = subprocess.run(argv, cwd=cwd, env=env, stdin=fin, stdout=fout, stderr=ferr,
                                    timeout=timeout, start_new_session=True).returncode
            except subprocess.TimeoutExpired:
                rc = None
            dt = time.perf_counter() - t0
            fout.seek(0)
            out = fout.read()
        with self.lock:
            self.times.append(dt)
            self.by_kind[what] = self.by_kind.get(what, 0.0) + dt
        return rc, out

    def compile(self, lang, source: str) -> tuple[str, tuple[str, ...]] | None:
        """(build dir, files) of a successful build, or None."""
        d = tempfile.mkdtemp(dir=self.root)
        name = langdata.source_name(lang, source)
        Path(d, name).write_text(langdata.prepare_source(lang, source), encoding="utf-8")
        for fname, data in langdata.support_files(lang).items():
            Path(d, fname).write_bytes(data)
        argv = langdata.build_argv(lang, name)
        with self.lock:
            self.compiles += 1
        if argv is None:
            return d, (name,)
        rc, _ = self._timed(list(argv), d, bare_env(lang, d, self.gocache), b"", 120, (lang.id, "compile"))
        if rc != 0:
            with self.lock:
                self.failed_compiles += 1
            return None
        if not lang.compiled:
            return d, (name,)
        return d, tuple(sorted(n for n in os.listdir(d) if os.path.isfile(os.path.join(d, n))))

    def run_tests(self, lang, build, tests: list, repeats: int, time_limit_s: float) -> None:
        d, files = build
        argv = list(langdata.run_argv(lang, files))
        env = bare_env(lang, d, self.gocache)
        env.pop("GOCACHE", None)
        for _, stdin, expected in tests:
            for _ in range(repeats):
                rc, out = self._timed(argv, d, env, stdin.encode("utf-8"), 2 * time_limit_s + 1, (lang.id, "run"))
                with self.lock:
                    self.runs += 1
                ok = rc == 0 and (expected is None or outputs_match(out.decode("utf-8", "replace"), expected))
                if not ok:  # the sandbox stops repeating a failing test
                    break


def floor(samples: list[dict], repeats_of: dict[str, int], tests: dict, cores: int, tmp: Path) -> dict:
    """Bare compile-once-then-run of every program on ``cores`` threads."""
    tmp.mkdir(parents=True, exist_ok=True)
    gocache = str(tmp / "gocache")
    bare = Bare(str(tmp), gocache)
    warm = languages.get("go")  # the sandbox's shared Go cache is warm from earlier runs: warm ours too
    bare.compile(warm, "package main\nimport \"fmt\"\nfunc main() { fmt.Println(1) }\n")
    bare.times.clear()
    bare.by_kind.clear()
    bare.compiles = 0
    by_source: dict[tuple[str, str], list[dict]] = {}
    for s in samples:
        if s["kind"] == "submission" and s.get("problem_id") in tests:
            by_source.setdefault((s["language"], s["code"]), []).append(s)

    def work(key):
        lang = languages.get(key[0])
        build = bare.compile(lang, key[1])
        if build is None:
            return
        for s in by_source[key]:
            problem = tests[s["problem_id"]]
            bare.run_tests(lang, build, problem["tests"], repeats_of.get(s["sample_id"], 0), problem["time_limit_s"])

    t0 = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        list(pool.map(work, list(by_source)))
    wall = time.perf_counter() - t0
    return {"sum_s": sum(bare.times), "pool_wall_s": wall, "floor_s": sum(bare.times) / cores,
            "compiles": bare.compiles, "failed_compiles": bare.failed_compiles, "runs": bare.runs,
            "programs": sum(len(v) for v in by_source.values()), "by_kind": bare.by_kind}


def unreported_runs(report: dict, repeat: int, warmup: int, round_warmup: int) -> int:
    """Runs per test behind one report that it leaves out: ``warmup`` before the first
    measurement; for a re-measured one also ``warmup`` before its first round, ``round_warmup``
    before each later round (one run per round, from run ``round_first`` on), and the first
    measurement's ``repeat`` runs when it was re-measured afresh (``round_first`` 0)."""
    if not report.get("round_group"):
        return warmup
    first = report.get("round_first") or 0
    rounds = report["repeats"] - first
    return warmup + warmup + round_warmup * max(rounds - 1, 0) + (repeat if first == 0 else 0)


def one_round(args, tmp: Path, problems: Path, r: int) -> dict:
    """The stage (a pipeline run), then the floor of the same work."""
    out = tmp / f"run{r}"
    manifest = run(["--runner=DirectRunner", "--no_bundled", f"--problems={problems}",
                    f"--work_dir={tmp / 'work'}", "--exec_cache=none", f"--sandbox_backend={args.backend}",
                    "--progress_s=0", "--no_report", "--no_mutate", f"--output={out}", *args.extra])
    stage = manifest["phases"]["execute"]["seconds"]
    tagged = load_phase(out, "read_dedup_tag")
    executed = load_phase(out, "execute")
    opts = manifest["options"]
    left_out = (opts.get("exec_repeat", 3), opts.get("exec_warmup", 0), opts.get("exec_round_warmup", 0))
    repeats_of = {s["sample_id"]: s["execution"]["repeats"] + unreported_runs(s["execution"], *left_out)
                  for s in executed if s.get("execution")}
    bare = floor(tagged, repeats_of, load_tests([str(problems)]), args.cores, tmp / f"bare{r}")
    shutil.rmtree(out, ignore_errors=True)
    return dict(bare, stage_s=stage, ratio=stage / bare["floor_s"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--problems", type=int, default=4, help="bundled problems to use (1-4)")
    ap.add_argument("--backend", default="local", choices=("local", "docker", "auto"))
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="cores of the ideal (default: all)")
    ap.add_argument("--rounds", type=int, default=1, help="stage-then-floor rounds (load drifts: median ratio)")
    ap.add_argument("extra", nargs="*", help="more pipeline flags, e.g. --exec_parallelism=2")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="execute-bench-"))
    try:
        problems = tmp / "problems"
        problems.mkdir()
        for d in sorted(Path(bundled_problems()).iterdir())[: args.problems]:
            (problems / d.name).symlink_to(d)
        load0 = os.getloadavg()
        rounds = [one_round(args, tmp, problems, r) for r in range(args.rounds)]
        load1 = os.getloadavg()
        for r, b in enumerate(rounds):
            print(f"round {r}: programs {b['programs']} ({b['compiles']} distinct sources, {b['failed_compiles']} "
                  f"not compiling), bare runs {b['runs']}")
            for (lang, kind), sec in sorted(b["by_kind"].items()):
                print(f"  bare {lang:10} {kind:7} {sec:7.1f} s")
            print(f"  execute stage      {b['stage_s']:8.1f} s wall")
            print(f"  bare work, summed  {b['sum_s']:8.1f} s; on {args.cores} threads {b['pool_wall_s']:.1f} s wall")
            print(f"  floor (sum/{args.cores})     {b['floor_s']:8.1f} s   ratio {b['ratio']:.3f}")
        print(f"load average before {load0[0]:.2f}, after {load1[0]:.2f} ({os.cpu_count()} cores)")
        ratio = statistics.median(b["ratio"] for b in rounds)
        stages = ",".join(f"{b['stage_s']:.1f}" for b in rounds)
        floors = ",".join(f"{b['floor_s']:.1f}" for b in rounds)
        print(f"stage_s={stages} floor_s={floors} runs={rounds[0]['runs']} compiles={rounds[0]['compiles']} "
              f"load={load0[0]:.2f},{load1[0]:.2f} ratio={ratio:.3f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
