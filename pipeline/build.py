"""DAG assembly: ``build(pipeline, config)`` wires the stages; nothing here runs them or looks at records.

read (git, commit exports, problem sets, CodeNet, HF datasets; commit splits) -> dedup (exact, commit
near-dedup) -> tag -> execute -> label & pair -> judge -> clean (decontaminate, pair dedup)
-> write (finalize, shards). Every stage also yields dead letters; they are written as one table.

The DAG is cut into phases (``PHASES``): ``pipeline.run`` runs each phase as its own pipeline
over the previous phase's materialised records (a resumable run), or all of them fused.
"""
from __future__ import annotations

import apache_beam as beam

from pipeline.config import RunConfig
from transforms.clean import CleanPairs
from transforms.common import DEAD, MAIN, stable_id
from transforms.dedup import DedupSamples
from transforms.execute import Execute
from transforms.judge import InsertBugs, Judge
from transforms.mutate import Mutate
from transforms.pair import Pair
from transforms.read import ReadSources
from transforms.read.problem_tests import ReadProblemTests
from transforms.summaries import WriteMeasurementSummary
from transforms.tag import Tag
from transforms.write import WriteRun


class Stages:
    """The DAG's stages; each takes the previous stage's records and returns (records, dead letters)."""

    def __init__(self, cfg: RunConfig):
        self.cfg = cfg

    def read(self, p: beam.Pipeline, _=None):
        out = p | "Read" >> ReadSources(self.cfg.read, self.cfg.split)
        return out[MAIN], [out[DEAD]]

    def dedup(self, p: beam.Pipeline, samples):
        out = samples | "Dedup" >> DedupSamples(self.cfg.commit_dedup)
        return out[MAIN], [out[DEAD]]

    def tag(self, p: beam.Pipeline, samples):
        out = samples | "Tag" >> Tag(self.cfg.tag)
        return out[MAIN], [out[DEAD]]

    def _judge(self, transform: beam.PTransform) -> beam.PTransform:
        if self.cfg.judge.accelerator:
            return transform.with_resource_hints(accelerator=self.cfg.judge.accelerator)
        return transform

    def execute(self, p: beam.Pipeline, tagged):
        """Sandbox runs; execution-verified mutants of passing submissions (unless --no_mutate); with
        --judge_insert_bugs, LLM bug variants of passing submissions too."""
        cfg = self.cfg
        # Read on the workers and joined by problem id: the graph never carries the tests.
        tests = p | "ProblemTests" >> ReadProblemTests(cfg.read.problems, cfg.read.codenet, cfg.read.humaneval,
                                                       cfg.read.humaneval_split)
        result = tagged | "Execute" >> Execute(tests, cfg.execute, cfg.pair)
        executed, dead = result[MAIN], [result[DEAD]]
        if not cfg.mutate.no_mutate:
            mutants = executed | "Mutate" >> Mutate(tests, cfg.mutate, cfg.execute, cfg.tag, cfg.seed)
            dead.append(mutants[DEAD])
            executed = (executed, mutants[MAIN]) | "WithMutants" >> beam.Flatten()
        if cfg.judge.insert_bugs and cfg.judge.uses_llm:
            bugs = executed | "InsertBugs" >> self._judge(InsertBugs(cfg.judge))
            tagged_bugs = bugs[MAIN] | "TagBugs" >> Tag(cfg.tag)
            ran = tagged_bugs[MAIN] | "ExecuteBugs" >> Execute(tests, cfg.execute, cfg.pair)
            dead += [bugs[DEAD], tagged_bugs[DEAD], ran[DEAD]]
            executed = (executed, ran[MAIN]) | "WithBugs" >> beam.Flatten()
        return executed, dead

    def label(self, p: beam.Pipeline, executed):
        """Execution, static and commit-message labels; then the LLM judge (identity when static)."""
        result = executed | "Pair" >> Pair(self.cfg.pair, self.cfg.seed)
        dead = [result[DEAD]]
        pairs = result[MAIN]
        if self.cfg.judge.uses_llm:
            judged = pairs | "Judge" >> self._judge(Judge(self.cfg.judge))
            pairs, dead = judged[MAIN], dead + [judged[DEAD]]
        return pairs, dead

    def clean(self, p: beam.Pipeline, pairs):
        """Training pairs share no n-gram with the bench split or a given benchmark; near-dup pairs go."""
        out = pairs | "Clean" >> CleanPairs(self.cfg.decontam, self.cfg.pair_dedup)
        return out[MAIN], [out[DEAD]]

    def write(self, p: beam.Pipeline, pairs, dead: list) -> dict:
        """Finalize (system prompts, ids) and write the shards and the dead-letter table."""
        all_dead = dead | "AllDead" >> beam.Flatten()
        # The report's distributions, summarised on the workers (the driver never reads every pair).
        _ = pairs | "Summarize" >> WriteMeasurementSummary(self.cfg.output)
        return (pairs, all_dead) | "Write" >> WriteRun(self.cfg.output, self.cfg.write, self.cfg.seed)


# Checkpoint keys: materialised records are sharded by these (module-level: they pickle).
def sample_key(s: dict) -> int:
    return stable_id(s["sample_id"])


def pair_key(p: dict) -> int:
    return stable_id(p["pair_key"])


# (phase, the Stages methods it runs, key of its records in a checkpoint). The last phase writes.
PHASES = (("read_dedup_tag", ("read", "dedup", "tag"), sample_key),
          ("execute", ("execute",), sample_key),
          ("label", ("label",), pair_key),
          ("clean_write", ("clean",), None))


def build(p: beam.Pipeline, cfg: RunConfig) -> dict:
    """Wire the whole DAG into one pipeline ``p``; returns the PCollections of written shard paths."""
    stages, dead, records = Stages(cfg), [], None
    for _, methods, _ in PHASES:
        for m in methods:
            records, d = getattr(stages, m)(p, records)
            dead += d
    return stages.write(p, records, dead)
