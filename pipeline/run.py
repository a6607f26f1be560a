"""Entry point: ``python -m pipeline.run --runner=DirectRunner [options]``.

With no options it runs the whole DAG on the bundled inputs (a git history built
from our fixtures and a problem set) and writes under ``./out/<run_id>/``::

    shards/train/train-00000-of-0000N.parquet   preference pairs
    shards/bench/bench-00000-of-0000N.parquet
    dead_letter/dead_letter-*.parquet           every dropped record with its stage and reason
    summary/measurements.json                   distributions for the report (bounded sketches, written by the pipeline)
    manifest.json                               counts per stage, reason, criterion x language; options; versions
    README.md                                   dataset card
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.io.filesystems import FileSystems

from pipeline import checkpoint, validate
from pipeline.build import PHASES, Stages, build
from pipeline.config import DriverConfig, RunConfig
from pipeline.manifest import (build_manifest, counters, counters_text, dataset_card, summary_table, write_json,
                               write_text)
from pipeline.options import CurationOptions, help_parser
from pipeline.progress import run_with_progress
from pipeline.report import write_report
from pipeline.runners import resolve_runner
from transforms.config import ConfigError, flat_settings, from_flags
from transforms.write import dead_key

log = logging.getLogger("codepref")


def default_cache_dir() -> Path:
    return Path(os.environ.get("CODEPREF_CACHE", Path.home() / ".cache" / "codepref"))


def bundled_problems() -> str:
    return str(Path(__file__).resolve().parent / "defaults" / "problems")


def resolve_config(options: PipelineOptions, run_id: str | None) -> tuple[DriverConfig, RunConfig, float]:
    """The driver's and the stages' configs from the parsed options, with the run's own defaults
    filled in (output folder, bundled inputs, execution cache, the judge's seed); returns the
    time spent (building the bundled history)."""
    t0 = time.perf_counter()
    values = options.view_as(CurationOptions).get_all_options()
    driver = from_flags(DriverConfig, values)
    cfg = from_flags(RunConfig, values)
    if run_id is None:
        run_id = driver.run_id or time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    cache = Path(driver.work_dir) if driver.work_dir else default_cache_dir()
    read = cfg.read
    if not driver.no_bundled:
        if not read.repos:
            from pipeline.defaults.history import build_repositories
            read = replace(read, repos=tuple(str(p) for p in build_repositories(cache / "history")))
        if not read.problems:
            read = replace(read, problems=(bundled_problems(),))
    exec_cache = cfg.execute.exec_cache or str(cache / "exec")
    cfg = replace(cfg, output=cfg.output or os.path.join("out", run_id), read=read,
                  execute=replace(cfg.execute, exec_cache=None if exec_cache.lower() == "none" else exec_cache),
                  judge=replace(cfg.judge, seed=cfg.seed))
    return replace(driver, run_id=run_id), cfg, time.perf_counter() - t0


def print_progress(line: str) -> None:
    print(f"[progress] {line}", flush=True)


def _run_pipeline(options: PipelineOptions, wire, attempts: int, progress_s: float) -> dict[str, int]:
    """Build with ``wire(p)`` and run to completion; a failed run (a worker killed mid-bundle,
    a lost connection to the job service) is retried from scratch up to ``attempts`` times."""
    for attempt in range(1, attempts + 1):
        p = beam.Pipeline(runner=resolve_runner(options), options=options)
        wire(p)
        try:
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


def run_phases(options: PipelineOptions, cfg: RunConfig, driver: DriverConfig) -> tuple[dict, dict]:
    """Run the DAG phase by phase over materialised outputs; returns (counters, phase report)."""
    stages, totals, report = Stages(cfg), {}, {}
    previous, dead_dirs = None, []
    identity = checkpoint.run_identity(cfg)
    for index, (name, methods, key) in enumerate(PHASES):
        fp = checkpoint.fingerprint(identity, index)
        folder = checkpoint.phase_dir(cfg.output, name, fp)
        t0 = time.perf_counter()
        if not driver.fresh and checkpoint.is_complete(folder):
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

            phase_counters = _run_pipeline(options, wire, driver.max_attempts, driver.progress_s)
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
    validate.check_or_exit({"repos": options.view_as(CurationOptions).repos})
    t_start = time.perf_counter()
    try:
        driver, cfg, t_inputs = resolve_config(options, None)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        raise SystemExit(2) from None

    t0 = time.perf_counter()
    if driver.checkpoint == "stages":
        metrics, phases = run_phases(options, cfg, driver)
    else:
        metrics, phases = _run_pipeline(options, lambda p: build(p, cfg), driver.max_attempts, driver.progress_s), {}
    t_pipeline = time.perf_counter() - t0

    recorded = json.loads(json.dumps(flat_settings(cfg), default=str))
    recorded["runner"] = options.view_as(StandardOptions).runner or "DirectRunner"
    recorded["direct_running_mode"] = options.view_as(DirectOptions).direct_running_mode
    recorded["direct_num_workers"] = options.view_as(DirectOptions).direct_num_workers
    recorded["checkpoint"] = driver.checkpoint
    durations = {"inputs": round(t_inputs, 3), "pipeline": round(t_pipeline, 3)}
    manifest = build_manifest(cfg.output, driver.run_id, recorded, durations, metrics)
    manifest["phases"] = phases
    manifest["durations_s"]["total"] = round(time.perf_counter() - t_start, 3)
    write_json(FileSystems.join(cfg.output, "manifest.json"), manifest)
    write_text(FileSystems.join(cfg.output, "README.md"), dataset_card(manifest))
    if not driver.no_report:
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
        print(f"warning: {unreadable} input repository, problem set or function-problem file(s) could not be read; "
              f"see the 'unreadable_repository' / 'unreadable_problem_set' / 'unreadable_function_problems' dead "
              f"letters in {manifest.get('output', 'the output')}",
              file=sys.stderr)
        raise SystemExit(validate.UNREADABLE_INPUT_EXIT)


if __name__ == "__main__":
    main()
