"""Pipeline options: one PipelineOptions subclass, so ``--help`` lists them all."""
from __future__ import annotations

import argparse

from apache_beam.options import pipeline_options as po
from apache_beam.options.pipeline_options import PipelineOptions


class CurationOptions(PipelineOptions):
    @classmethod
    def _add_argparse_args(cls, parser):
        g = parser.add_argument_group("codepref inputs and outputs")
        g.add_argument("--output", default=None,
                       help="Output folder or URI (default: ./out/<run_id>).")
        g.add_argument("--run_id", default=None, help="Run id (default: UTC time, YYYYmmdd-HHMMSS).")
        g.add_argument("--repos", action="append", default=None,
                       help="Git repository (path, bare repo, .bundle or URL); repeatable. "
                            "Default: the bundled history, built under --work_dir.")
        g.add_argument("--problems", action="append", default=None,
                       help="Problem-set folder; repeatable. Default: the bundled problem set.")
        g.add_argument("--commit_export", action="append", default=None,
                       help="Commit export (BigQuery github_repos single-file shape): JSONL(.gz)/Parquet "
                            "file, folder or glob; repeatable.")
        g.add_argument("--codenet", action="append", default=None,
                       help="Project CodeNet-layout folder (metadata/, data/, derived/input_output/); repeatable.")
        g.add_argument("--codenet_bench_fraction", type=float, default=0.1,
                       help="Share of CodeNet problems (by a hash of the id) that go to the bench split.")
        g.add_argument("--hf_dataset", action="append", default=None,
                       help='Hugging Face dataset as JSON: {"path": ..., "columns": {"code": ..., "language": ...},'
                            ' "source": ..., "fmt": "auto|disk|parquet|json", "split": "train"}; repeatable.')
        g.add_argument("--no_bundled", action="store_true",
                       help="Use only the inputs given with --repos/--problems.")
        g.add_argument("--work_dir", default=None,
                       help="Scratch folder for built repositories (default: ~/.cache/codepref).")
        g.add_argument("--checkpoint", default="stages", choices=("stages", "none"),
                       help="stages (default): run phase by phase (tag, execute, label, write) over "
                            "materialised outputs under <output>/_stages, so a re-run skips completed phases "
                            "and a killed run resumes; none: one fused pipeline, nothing materialised.")
        g.add_argument("--fresh", action="store_true",
                       help="Recompute every phase even when a completed one matches (with --checkpoint=stages).")
        g.add_argument("--max_attempts", type=int, default=2,
                       help="Runs of a failed phase pipeline (worker lost, job service gone) before giving up.")
        g.add_argument("--progress_s", type=float, default=30.0,
                       help="Seconds between progress lines while a phase runs (0: none).")
        g.add_argument("--no_report", action="store_true",
                       help="Skip the run report (<output>/report/report.md with PNG charts).")
        g = parser.add_argument_group("codepref stages")
        g.add_argument("--seed", type=int, default=0, help="Seed for every random choice.")
        g.add_argument("--train_end", default="2019-03-31", help="Last day (UTC) of the training commit window.")
        g.add_argument("--bench_start", default="2019-06-01", help="First day (UTC) of the bench commit window.")
        g.add_argument("--bench_end", default="2021-01-31", help="Last day (UTC) of the bench commit window.")
        g.add_argument("--commit_dedup_on", default="change", choices=("change", "file"),
                       help="Commit near-dedup text: the change (diff lines; default) or the new file contents.")
        g.add_argument("--min_depth", type=int, default=3, help="Drop code with a shallower syntax tree.")
        g.add_argument("--max_tokens", type=int, default=4096, help="Token budget per code sample.")
        g.add_argument("--commit_ngram", type=int, default=5, help="Word n-gram size for commit near-dedup.")
        g.add_argument("--commit_threshold", type=float, default=0.7, help="Jaccard threshold for commit near-dedup.")
        g.add_argument("--commit_num_perm", type=int, default=256, help="MinHash permutations for commit near-dedup.")
        g.add_argument("--pair_ngram", type=int, default=20, help="Shingle size for final-pair near-dedup.")
        g.add_argument("--pair_threshold", type=float, default=0.75, help="Jaccard threshold for final-pair near-dedup.")
        g.add_argument("--pair_num_perm", type=int, default=128, help="MinHash permutations for final-pair near-dedup.")
        g.add_argument("--decontam_ngram", type=int, default=13, help="n-gram size for decontamination.")
        g.add_argument("--decontam_on", default="prompt", choices=("prompt", "prompt_and_code"),
                       help="Texts that must not share an n-gram with the benchmark: the prompt (as Themis) "
                            "or the prompt and both code sides.")
        g.add_argument("--benchmark", action="append", default=None,
                       help="Benchmark Parquet (CodeRewardBench format) to decontaminate against; repeatable.")
        g.add_argument("--sandbox_backend", default="auto", choices=("auto", "local", "docker"),
                       help="Sandbox backend for execution.")
        g.add_argument("--exec_parallelism", type=int, default=0,
                       help="Concurrent sandbox runs per worker (default: one per core).")
        g.add_argument("--exec_repeat", type=int, default=3, help="Runs per test, for median and spread.")
        g.add_argument("--exec_cache", default=None,
                       help="Execution cache folder/URI (default ~/.cache/codepref/exec; 'none' disables).")
        g.add_argument("--time_limit_s", type=float, default=None, help="Override every problem's time limit.")
        g.add_argument("--memory_limit_mb", type=int, default=None, help="Override every problem's memory limit.")
        g.add_argument("--max_cpu_cv", type=float, default=0.25,
                       help="CPU-time coefficient of variation above which a measurement is unstable.")
        g.add_argument("--max_rss_cv", type=float, default=0.10,
                       help="Peak-RSS coefficient of variation above which a measurement is unstable.")
        g.add_argument("--efficiency_ratio", type=float, default=5.0,
                       help="Chosen side must be this many times better (CPU time or peak memory).")
        g.add_argument("--rows_per_shard", type=int, default=50_000, help="Rows per Parquet shard.")

        g = parser.add_argument_group("codepref LLM judge (static judge by default)")
        g.add_argument("--judge_backend", default="static", choices=("static", "openai", "vllm"),
                       help="static (offline default): tree-sitter signals only; openai: any OpenAI-compatible "
                            "endpoint (--judge_endpoint); vllm: Beam RunInference's vLLM handler, which starts a "
                            "vLLM server on each worker (GPU workers in production).")
        g.add_argument("--judge_model", default="", help="Served model name (openai) or model path/id (vllm).")
        g.add_argument("--judge_endpoint", default="http://localhost:8000/v1",
                       help="Base URL of the OpenAI-compatible server (openai backend).")
        g.add_argument("--judge_api_key_env", default="OPENAI_API_KEY",
                       help="Environment variable holding the endpoint's API key.")
        g.add_argument("--judge_samples", type=int, default=8, help="Votes sampled per pair.")
        g.add_argument("--judge_temperature", type=float, default=0.8, help="Sampling temperature of the votes.")
        g.add_argument("--judge_top_p", type=float, default=0.95, help="Nucleus sampling top_p of the votes.")
        g.add_argument("--judge_max_tokens", type=int, default=1024, help="Token budget of one judge answer.")
        g.add_argument("--judge_min_agreement", type=float, default=0.75,
                       help="Share of valid votes a side needs to keep (or take) the label.")
        g.add_argument("--judge_on_disagreement", default="flip", choices=("flip", "drop"),
                       help="When the votes favour the other side with the needed agreement: flip the pair or drop it.")
        g.add_argument("--judge_criteria", default="fc,ee,me,rm,sh",
                       help="Comma-separated criteria whose (static or commit-message) labels the LLM re-judges.")
        g.add_argument("--judge_min_improvement", type=float, default=3.0,
                       help="Commit pairs: drop those the LLM rates below this improvement (1-5).")
        g.add_argument("--judge_insert_bugs", action="store_true",
                       help="Ask the LLM for a buggy variant of every passing submission; the sandbox keeps "
                            "those that fail a test as functional-correctness pairs.")
        g.add_argument("--judge_timeout_s", type=float, default=60.0, help="Per-request timeout (openai backend).")
        g.add_argument("--judge_max_retries", type=int, default=3,
                       help="Retries of a request after a timeout, lost connection, 5xx or malformed answer.")
        g.add_argument("--judge_concurrency", type=int, default=8, help="Requests in flight per worker.")
        g.add_argument("--judge_vllm_arg", action="append", default=None,
                       help="Extra vLLM server flag as key=value (vllm backend), e.g. max-model-len=4096; repeatable.")
        g.add_argument("--judge_accelerator", default=None,
                       help='Beam accelerator resource hint for the judge stage, e.g. '
                            '"type:nvidia-l4;count:1;install-nvidia-driver" (Dataflow).')


# Beam's groups a user of this pipeline sets, in the order --help lists them.
BEAM_GROUPS = ("StandardOptions", "DirectOptions", "PortableOptions", "SetupOptions", "WorkerOptions",
               "GoogleCloudOptions", "FlinkRunnerOptions", "SparkRunnerOptions", "DebugOptions")


def help_parser() -> argparse.ArgumentParser:
    """One parser with our options and Beam's runner options, for ``--help``."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.run",
                                     description="Curate multi-criteria code-preference shards (Apache Beam).")
    CurationOptions._add_argparse_args(parser)
    for name in BEAM_GROUPS:
        cls = getattr(po, name, None)
        if cls is None:
            continue
        group = parser.add_argument_group(f"Beam {name}")
        try:
            cls._add_argparse_args(group)
        except argparse.ArgumentError:  # a flag two Beam groups share
            pass
    return parser
