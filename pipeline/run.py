"""Entry point: ``python -m pipeline.run --runner=DirectRunner [options]``.

With no options it runs the whole DAG on the bundled inputs (a git history built
from our fixtures and a problem set) and writes under ``./out/<run_id>/``::

    shards/train/train-00000-of-0000N.parquet   preference pairs
    shards/bench/bench-00000-of-0000N.parquet
    dead_letter/dead_letter-*.parquet           every dropped record with its stage and reason
    manifest.json                               counts per stage, reason, criterion x language; options; versions
    README.md                                   dataset card
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict
import os
import sys
import time
from datetime import date
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.io.filesystems import FileSystems

from pipeline.build import RunConfig, build
from transforms.mining.splits import SplitConfig
from pipeline.manifest import build_manifest, counters, dataset_card, summary_table, write_json, write_text
from pipeline.options import CurationOptions
from pipeline.runners import resolve_runner


def default_cache_dir() -> Path:
    return Path(os.environ.get("CODEPREF_CACHE", Path.home() / ".cache" / "codepref"))


def bundled_problems() -> str:
    return str(Path(__file__).resolve().parent / "defaults" / "problems")


def resolve_config(opts: CurationOptions, run_id: str) -> tuple[RunConfig, float]:
    """Fill in defaults (bundled inputs, cache folders); returns the config and the time spent."""
    t0 = time.perf_counter()
    cache = Path(opts.work_dir) if opts.work_dir else default_cache_dir()
    repos = list(opts.repos or [])
    problems = list(opts.problems or [])
    if not opts.no_bundled:
        from pipeline.defaults.history import build_repositories
        if not opts.repos:
            repos = [str(p) for p in build_repositories(cache / "history")]
        if not opts.problems:
            problems = [bundled_problems()]
    exec_cache = opts.exec_cache or str(cache / "exec")
    cfg = RunConfig(
        output=opts.output or os.path.join("out", run_id), repos=repos, problems=problems,
        benchmarks=list(opts.benchmark or []), commit_exports=list(opts.commit_export or []),
        codenet=list(opts.codenet or []), codenet_bench_fraction=opts.codenet_bench_fraction,
        hf_datasets=[json.loads(spec) for spec in (opts.hf_dataset or [])],
        seed=opts.seed, min_depth=opts.min_depth, max_tokens=opts.max_tokens,
        commit_ngram=opts.commit_ngram, commit_threshold=opts.commit_threshold, commit_num_perm=opts.commit_num_perm,
        pair_ngram=opts.pair_ngram, pair_threshold=opts.pair_threshold, pair_num_perm=opts.pair_num_perm,
        decontam_ngram=opts.decontam_ngram, decontam_on=opts.decontam_on, commit_dedup_on=opts.commit_dedup_on,
        split=SplitConfig(date.fromisoformat(opts.train_end), date.fromisoformat(opts.bench_start),
                          date.fromisoformat(opts.bench_end)), sandbox_backend=opts.sandbox_backend, exec_repeat=opts.exec_repeat,
        exec_parallelism=opts.exec_parallelism or os.cpu_count() or 1,
        exec_cache=None if exec_cache.lower() == "none" else exec_cache, time_limit_s=opts.time_limit_s,
        memory_limit_mb=opts.memory_limit_mb, max_cpu_cv=opts.max_cpu_cv, max_rss_cv=opts.max_rss_cv,
        efficiency_ratio=opts.efficiency_ratio,
        rows_per_shard=opts.rows_per_shard)
    return cfg, time.perf_counter() - t0


def run(argv: list[str] | None = None) -> dict:
    """Run the pipeline; returns the manifest."""
    argv = list(sys.argv[1:] if argv is None else argv)
    options = PipelineOptions(argv)
    opts = options.view_as(CurationOptions)
    run_id = opts.run_id or time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    t_start = time.perf_counter()
    cfg, t_inputs = resolve_config(opts, run_id)

    t0 = time.perf_counter()
    p = beam.Pipeline(runner=resolve_runner(options), options=options)
    build(p, cfg)
    result = p.run()
    result.wait_until_finish()
    t_pipeline = time.perf_counter() - t0

    recorded = json.loads(json.dumps(asdict(cfg), default=str))
    recorded["runner"] = options.view_as(StandardOptions).runner or "DirectRunner"
    recorded["direct_running_mode"] = options.view_as(DirectOptions).direct_running_mode
    recorded["direct_num_workers"] = options.view_as(DirectOptions).direct_num_workers
    durations = {"inputs": round(t_inputs, 3), "pipeline": round(t_pipeline, 3)}
    manifest = build_manifest(cfg.output, run_id, recorded, durations, counters(result))
    manifest["durations_s"]["total"] = round(time.perf_counter() - t_start, 3)
    write_json(FileSystems.join(cfg.output, "manifest.json"), manifest)
    write_text(FileSystems.join(cfg.output, "README.md"), dataset_card(manifest))
    print(summary_table(manifest))
    print(f"output: {cfg.output}")
    return manifest


def main() -> None:
    logging.basicConfig(level=os.environ.get("CODEPREF_LOG", "WARNING"))
    run()


if __name__ == "__main__":
    main()
