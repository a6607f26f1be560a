"""The run's configuration: the driver's settings and every stage's config, composed.

``RunConfig`` is what ``pipeline.build`` wires the DAG from: one frozen config per stage,
each declared next to its stage. ``DriverConfig`` holds what only the driver uses (how to
run phases, where bundled inputs are built). The command line is generated from both
(``pipeline.options``), so a flag, its default and its help are written once.
"""
from __future__ import annotations

from dataclasses import dataclass

from transforms.config import nested, option
from transforms.decontaminate import DecontamConfig
from transforms.dedup import CommitDedupConfig, NearDedupConfig
from transforms.execute import ExecuteConfig
from transforms.judging.config import JudgeConfig
from transforms.mining.splits import SplitConfig
from transforms.mutate import MutateConfig
from transforms.pair import PairConfig
from transforms.read import ReadConfig
from transforms.tag import TagConfig
from transforms.write import WriteConfig

CHECKPOINT_MODES = ("stages", "none")


@dataclass(frozen=True)
class DriverConfig:
    run_id: str | None = option(None, "Run id (default: UTC time, YYYYmmdd-HHMMSS).", parse=str)
    no_bundled: bool = option(False, "Use only the inputs given with --repos/--problems/... (no bundled inputs).")
    work_dir: str | None = option(None, "Scratch folder for built repositories and the execution cache "
                                  "(default: ~/.cache/codepref, or $CODEPREF_CACHE).", parse=str)
    checkpoint: str = option("stages", "stages: run phase by phase over materialised outputs under "
                             "<output>/_stages, so a re-run skips completed phases and a killed run resumes; none: "
                             "one fused pipeline, nothing materialised.", choices=CHECKPOINT_MODES)
    fresh: bool = option(False, "Recompute every phase even when a completed one matches (--checkpoint=stages).")
    max_attempts: int = option(2, "Runs of a failed phase pipeline (worker lost, job service gone) before giving up.")
    progress_s: float = option(30.0, "Seconds between progress lines while a phase runs (0: none).")
    no_report: bool = option(False, "Skip the run report (<output>/report/report.md with PNG charts).")


@dataclass(frozen=True)
class RunConfig:
    """Everything ``pipeline.build`` needs; each stage gets its own part."""
    output: str | None = option(None, "Output folder or URI (default: ./out/<run_id>).", parse=str)
    seed: int = option(0, "Seed for every random choice.")
    read: ReadConfig = nested(ReadConfig, title="codepref inputs")
    split: SplitConfig = nested(SplitConfig, title="codepref commit splits")
    commit_dedup: CommitDedupConfig = nested(CommitDedupConfig, prefix="commit_", title="codepref commit near-dedup")
    tag: TagConfig = nested(TagConfig, title="codepref tagging")
    execute: ExecuteConfig = nested(ExecuteConfig, title="codepref execution")
    mutate: MutateConfig = nested(MutateConfig, title="codepref execution-verified mutants")
    pair: PairConfig = nested(PairConfig, title="codepref labels and pairs")
    decontam: DecontamConfig = nested(DecontamConfig, title="codepref decontamination")
    pair_dedup: NearDedupConfig = nested(lambda: NearDedupConfig(ngram=20, threshold=0.75, num_perm=128),
                                         prefix="pair_", title="codepref final-pair near-dedup")
    write: WriteConfig = nested(WriteConfig, title="codepref shards")
    judge: JudgeConfig = nested(JudgeConfig, prefix="judge_", title="codepref LLM judge (static judge by default)")
