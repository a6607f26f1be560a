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

from pipeline import checkpoint, validate
from pipeline.build import PHASES, RunConfig, Stages, build, dead_key
from transforms.mining.splits import SplitConfig
from pipeline.manifest import (build_manifest, counters, counters_text, dataset_card, summary_table, write_json,
                               write_text)
from pipeline.options import CurationOptions, help_parser
from pipeline.progress import run_with_progress
from pipeline.report import write_report
from pipeline.runners import resolve_runner
from transforms.judging.config import JudgeConfig

log = logging.getLogger("codepref")


def default_cache_dir() -> Path:
    return Path(os.environ.get("CODEPREF_CACHE", Path.home() / ".cache" / "codepref"))


def bundled_problems() -> str:
    return str(Path(__file__).resolve().parent / "defaults" / "problems")


def judge_config(opts: CurationOptions) -> JudgeConfig:
    server_args = []
    for item in opts.judge_vllm_arg or []:
        key, _, value = item.partition("=")
        server_args.append((key.lstrip("-"), value or None))
    return JudgeConfig(
        backend=opts.judge_backend, model=opts.judge_model, endpoint=opts.judge_endpoint,
        api_key_env=opts.judge_api_key_env, vllm_server_kwargs=tuple(server_args), n=opts.judge_samples,
        temperature=opts.judge_temperature, top_p=opts.judge_top_p, max_tokens=opts.judge_max_tokens,
        seed=opts.seed, min_agreement=opts.judge_min_agreement, on_disagreement=opts.judge_on_disagreement,
        criteria=tuple(c.strip() for c in opts.judge_criteria.split(",") if c.strip()),
        min_improvement=opts.judge_min_improvement, timeout_s=opts.judge_timeout_s,
        max_retries=opts.judge_max_retries, concurrency=opts.judge_concurrency)


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
        rows_per_shard=opts.rows_per_shard, judge=judge_config(opts), insert_bugs=opts.judge_insert_bugs,
        judge_accelerator=opts.judge_accelerator)
    return cfg, time.perf_counter() - t0


def print_progress(line: str) -> None:
    print(f"[progress] {line}", flush=True)


def _run_pipeline(options: PipelineOptions, wire, attempts: int) -> dict[str, int]:
    """Build with ``wire(p)`` and run to completion; a failed run (a worker killed mid-bundle,
    a lost connection to the job service) is retried from scratch up to ``attempts`` times."""
    for attempt in range(1, attempts + 1):
        p = beam.Pipeline(runner=resolve_runner(options), options=options)
        wire(p)
        try:
            progress_s = options.view_as(CurationOptions).progress_s
            if progress_s > 0:
                result = run_with_progress(p, interval_s=progress_s, emit=print_progress)
            else:
                result = p.run()
                result.wait_until_finish()
            return counters(result)
        except Exception:
            if attempt == attempts:
                raise
            log.warning("pipeline attempt %d of %d failed; running it again", attempt, attempts, exc_info=True)
    raise AssertionError("unreachable")


def run_phases(options: PipelineOptions, cfg: RunConfig, resume: bool, attempts: int) -> tuple[dict, dict]:
    """Run the DAG phase by phase over materialised outputs; returns (counters, phase report)."""
    stages, totals, report = Stages(cfg), {}, {}
    previous, dead_dirs = None, []
    identity = checkpoint.run_identity(cfg)
    for index, (name, methods, key) in enumerate(PHASES):
        fp = checkpoint.fingerprint(identity, index)
        folder = checkpoint.phase_dir(cfg.output, name, fp)
        t0 = time.perf_counter()
        if resume and checkpoint.is_complete(folder):
            phase_counters = checkpoint.read_marker(folder)["counters"]
            report[name] = {"fingerprint": fp, "resumed": True, "seconds": 0.0}
        else:
            checkpoint.clear(folder)
            if key is None:  # the writing phase starts from empty output folders
                for sub in ("shards", "dead_letter"):
                    checkpoint.clear(FileSystems.join(cfg.output, sub))

            def wire(p, methods=methods, key=key, folder=folder, previous=previous, dead_dirs=tuple(dead_dirs)):
                records = None if previous is None else p | "ReadPrevious" >> checkpoint.ReadMaterialized(previous, "main")
                dead = []
                for m in methods:
                    records, d = getattr(stages, m)(p, records)
                    dead += d
                if key is None:
                    dead += [p | f"ReadDead{j}" >> checkpoint.ReadMaterialized(dd, "dead")
                             for j, dd in enumerate(dead_dirs)]
                    stages.write(p, records, dead)
                    return
                _ = records | "SaveMain" >> checkpoint.Materialize(folder, "main", key)
                _ = (dead | "AllDead" >> beam.Flatten()) | "SaveDead" >> checkpoint.Materialize(folder, "dead", dead_key)

            phase_counters = _run_pipeline(options, wire, attempts)
            seconds = time.perf_counter() - t0
            checkpoint.mark_complete(folder, phase_counters, seconds)
            checkpoint.remove_stale(cfg.output, name, fp)
            report[name] = {"fingerprint": fp, "resumed": False, "seconds": round(seconds, 3)}
        for k, v in phase_counters.items():
            totals[k] = totals.get(k, 0) + v
        previous = folder
        if key is not None:
            dead_dirs.append(folder)
    return dict(sorted(totals.items())), report


def run(argv: list[str] | None = None) -> dict:
    """Run the pipeline; returns the manifest."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if {"-h", "--help"} & set(argv):
        help_parser().print_help()
        raise SystemExit(0)
    options = PipelineOptions(argv)
    opts = options.view_as(CurationOptions)
    validate.check_or_exit({name: getattr(opts, name) for name in (*validate.DATE_OPTIONS, "repos")})
    run_id = opts.run_id or time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    t_start = time.perf_counter()
    cfg, t_inputs = resolve_config(opts, run_id)

    t0 = time.perf_counter()
    if opts.checkpoint == "stages":
        metrics, phases = run_phases(options, cfg, resume=not opts.fresh, attempts=opts.max_attempts)
    else:
        metrics, phases = _run_pipeline(options, lambda p: build(p, cfg), opts.max_attempts), {}
    t_pipeline = time.perf_counter() - t0

    recorded = json.loads(json.dumps(asdict(cfg), default=str))
    recorded["runner"] = options.view_as(StandardOptions).runner or "DirectRunner"
    recorded["direct_running_mode"] = options.view_as(DirectOptions).direct_running_mode
    recorded["direct_num_workers"] = options.view_as(DirectOptions).direct_num_workers
    recorded["checkpoint"] = opts.checkpoint
    durations = {"inputs": round(t_inputs, 3), "pipeline": round(t_pipeline, 3)}
    manifest = build_manifest(cfg.output, run_id, recorded, durations, metrics)
    manifest["phases"] = phases
    manifest["durations_s"]["total"] = round(time.perf_counter() - t_start, 3)
    write_json(FileSystems.join(cfg.output, "manifest.json"), manifest)
    write_text(FileSystems.join(cfg.output, "README.md"), dataset_card(manifest))
    if not opts.no_report:
        write_report(cfg.output, manifest)
    print("counters (also in manifest.json):")
    print(counters_text(manifest))
    print(summary_table(manifest))
    print(f"output: {cfg.output}")
    return manifest


def main() -> None:
    logging.basicConfig(level=os.environ.get("CODEPREF_LOG", "WARNING"))
    manifest = run()
    unreadable = validate.unreadable_inputs(manifest.get("counters", {}))
    if unreadable:  # a run that silently skipped an input would look like a clean, smaller one
        print(f"warning: {unreadable} input repository or problem set(s) could not be read; see the "
              f"'unreadable_repository' / 'unreadable_problem_set' dead letters in {manifest.get('output', 'the output')}",
              file=sys.stderr)
        raise SystemExit(validate.UNREADABLE_INPUT_EXIT)


if __name__ == "__main__":
    main()
