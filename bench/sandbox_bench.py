"""Sandbox overhead benchmark: each backend against a bare subprocess of the same program.

    .venv/bin/python bench/sandbox_bench.py [--runs 10] [--backends local,docker] [--languages c,python,...]

Measures, per backend and language, the median wall time of one execution
(``Sandbox.execute`` with one test, build cached) over the median of a bare
``subprocess`` run of the same build; the same for a ~100 ms CPU program;
executions per second with 2 workers; CPU-time CV over repeated runs; and a cold
``docker run`` per execution for comparison with the warm pool. Runs alternate
between modes so machine-load drift hits all of them alike. Prints a table, then
ONE final line of key=value pairs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sandboxes import Limits, Sandbox, TestCase, langdata  # noqa: E402
from sandboxes.judge import cv  # noqa: E402
from sandboxes.local import PATH, program_env  # noqa: E402
from sandboxes.samples import PROBES  # noqa: E402
from schemas import languages  # noqa: E402

HUNDRED_MS_STEPS = {"c": 75_000_000, "python": 450_000}  # ~100 ms of CPU on a CI-class core


def bare_build(lang, source: str) -> str:
    """Compile on the host, no sandbox: the baseline runs this build."""
    work = tempfile.mkdtemp(prefix="sbbench-")
    os.chmod(work, 0o755)  # the cold docker run reads it as an unprivileged user
    src_name = langdata.source_name(lang, source)  # as the sandbox builds it (Java class name, C# prelude)
    with open(os.path.join(work, src_name), "w") as fh:
        fh.write(langdata.prepare_source(lang, source))
    for name, data in langdata.support_files(lang).items():
        with open(os.path.join(work, name), "wb") as fh:
            fh.write(data)
    if lang.compiled:
        env = {"PATH": PATH, "HOME": work, "LANG": "C.UTF-8", "GOCACHE": "/tmp/codepref-sandbox-gocache-bench",
               "GO111MODULE": "off", "CGO_ENABLED": "0", "GOPATH": os.path.join(work, "gopath")}
        subprocess.run(list(langdata.build_argv(lang, src_name)), cwd=work, env=env, check=True, capture_output=True)
    return work


def bare_run(lang, work: str, stdin: bytes) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one bare subprocess run with a minimal environment."""
    env = program_env(lang, "/tmp")
    env["HOME"] = work
    start = time.perf_counter()
    proc = subprocess.Popen(list(langdata.run_argv(lang, os.listdir(work))), cwd=work, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    proc.stdin.write(stdin)
    proc.stdin.close()
    _, _, ru = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return time.perf_counter() - start, ru.ru_utime + ru.ru_stime


def sandbox_run(sb: Sandbox, lang_id: str, source: str, stdin: str) -> tuple[float, float]:
    start = time.perf_counter()
    rep = sb.execute(lang_id, source, [TestCase(stdin, None)], repeat=1)
    wall = time.perf_counter() - start
    if rep["verdict"] != "OK":
        raise RuntimeError(f"{lang_id} on {sb.backend_name}: {rep['verdict']} {rep['detail']}")
    return wall, rep["cpu_s"]


def cold_docker_run(client, image: str, lang, work: str, stdin: bytes, binds: dict) -> float:
    """One fresh container per execution (docker run --rm), same isolation options as the pool."""
    start = time.perf_counter()
    volumes = dict(binds)
    volumes[work] = {"bind": "/box", "mode": "ro"}
    client.containers.run(image, command=list(lang.run), working_dir="/box", user="65534:65534",
                          network_mode="none", read_only=True, cap_drop=["ALL"], security_opt=["no-new-privileges"],
                          volumes=volumes, environment=program_env(lang, "/tmp"), remove=True, stdout=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--backends", default="local,docker")
    ap.add_argument("--languages", default=",".join(languages.LANGUAGE_IDS))
    args = ap.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    if "docker" in backends:
        from sandboxes.docker_backend import docker_unavailable_reason
        reason = docker_unavailable_reason()
        if reason:
            print(f"docker skipped: {reason}", file=sys.stderr)
            backends.remove("docker")
    limits = Limits(time_s=10.0, memory_mb=1024)
    boxes = {b: Sandbox(backend=b, limits=limits, repeat=1, **({"docker": {"pool_size": 2}} if b == "docker" else {}))
             for b in backends}
    results: dict[str, float] = {}
    works: list[str] = []
    try:
        if "docker" in boxes:
            boxes["docker"].backend.warm(args.languages.split(","), limits)
        # 1. Per-language hello (echo) and the ~100 ms CPU program.
        cases = [(lid, "echo", "echo 7\n") for lid in args.languages.split(",")]
        cases += [(lid, "cpu100ms", f"spin {steps}\n") for lid, steps in HUNDRED_MS_STEPS.items()]
        print(f"{'case':24} {'bare ms':>8} " + " ".join(f"{b + ' ms':>10} {b + ' x':>8}" for b in boxes))
        for lid, kind, stdin in cases:
            lang = languages.get(lid)
            src = PROBES[lid]
            work = bare_build(lang, src)
            works.append(work)
            for sb in boxes.values():  # warm up: compile into the cache, start containers
                sandbox_run(sb, lid, src, stdin)
            bare_run(lang, work, stdin.encode())
            walls: dict[str, list[float]] = {"bare": []}
            cpus: dict[str, list[float]] = {"bare": []}
            for _ in range(args.runs):  # alternate modes so drift affects all alike
                w, c = bare_run(lang, work, stdin.encode())
                walls["bare"].append(w)
                cpus["bare"].append(c)
                for name, sb in boxes.items():
                    w, c = sandbox_run(sb, lid, src, stdin)
                    walls.setdefault(name, []).append(w)
                    cpus.setdefault(name, []).append(c)
            bare = statistics.median(walls["bare"])
            row = f"{lid + ' ' + kind:24} {bare * 1e3:8.1f} "
            for name in boxes:
                med = statistics.median(walls[name])
                ratio = med / bare
                results[f"{name}_{lid}_{kind}_x"] = round(ratio, 3)
                row += f"{med * 1e3:10.1f} {ratio:8.2f} "
                if kind == "cpu100ms":
                    results[f"{name}_{lid}_cpu100ms_cpu_cv"] = round(cv(cpus[name]) or 0.0, 4)
            if kind == "cpu100ms":
                results[f"bare_{lid}_cpu100ms_cpu_cv"] = round(cv(cpus["bare"]) or 0.0, 4)
                results[f"bare_{lid}_cpu100ms_cpu_s"] = round(statistics.median(cpus["bare"]), 4)
            print(row)

        # 2. CPU-time CV over 20 runs of the ~100 ms C program (the efficiency signal).
        steps = HUNDRED_MS_STEPS["c"]
        for name, sb in boxes.items():
            rep = sb.execute("c", PROBES["c"], [TestCase(f"spin {steps}\n", None)], repeat=20)
            results[f"{name}_cpu_cv_20runs"] = round(rep["cpu_cv"], 4)
            print(f"{name}: C ~100 ms program, 20 runs: cpu median {rep['cpu_s'] * 1e3:.1f} ms, "
                  f"CPU CV {rep['cpu_cv'] * 100:.2f}% stable={rep['stable']}")

        # 3. Executions per second, 2 workers, python hello.
        n = max(20, args.runs * 4)
        lang = languages.get("python")
        work = bare_build(lang, PROBES["python"])
        works.append(work)
        with ThreadPoolExecutor(2) as ex:
            start = time.perf_counter()
            list(ex.map(lambda _: bare_run(lang, work, b"echo 1\n"), range(n)))
            results["bare_python_exec_per_s_2w"] = round(n / (time.perf_counter() - start), 1)
            for name, sb in boxes.items():
                start = time.perf_counter()
                list(ex.map(lambda _: sandbox_run(sb, "python", PROBES["python"], "echo 1\n"), range(n)))
                results[f"{name}_python_exec_per_s_2w"] = round(n / (time.perf_counter() - start), 1)
        print("executions/s with 2 workers (python hello): " + ", ".join(
            f"{k.split('_')[0]}={v}" for k, v in results.items() if k.endswith("exec_per_s_2w")))

        # 4. Cold docker run per execution vs the warm pool.
        if "docker" in boxes:
            import docker
            from sandboxes.docker_images import HOST_IMAGE, host_binds
            client = docker.from_env(timeout=120)
            if boxes["docker"].backend.flavour == "host":
                pyw = [w for w in works if os.path.exists(os.path.join(w, "main.py"))][0]
                with open(os.path.join(pyw, "main.py"), "w") as fh:
                    fh.write("print(7)\n")
                cold = [cold_docker_run(client, HOST_IMAGE, lang, pyw, b"", host_binds()) for _ in range(5)]
                warm = [sandbox_run(boxes["docker"], "python", PROBES["python"], "echo 7\n")[0] for _ in range(5)]
                results["docker_cold_run_ms"] = round(statistics.median(cold) * 1e3, 1)
                results["docker_warm_pool_ms"] = round(statistics.median(warm) * 1e3, 1)
                results["docker_warm_vs_cold_speedup"] = round(statistics.median(cold) / statistics.median(warm), 2)
                print(f"python hello: cold docker run {results['docker_cold_run_ms']} ms, "
                      f"warm pool {results['docker_warm_pool_ms']} ms")
            client.close()
    finally:
        for sb in boxes.values():
            sb.close()
        for w in works:
            shutil.rmtree(w, ignore_errors=True)
    print(" ".join(f"{k}={v}" for k, v in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
