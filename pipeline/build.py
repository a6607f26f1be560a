"""DAG assembly: ``build(pipeline, config)`` wires the stages; nothing here runs them.

read (git, commit exports, problem sets, CodeNet, HF datasets) -> commit splits -> exact dedup -> near dedup (commits) -> tag -> execute -> label & pair
     -> decontaminate -> pair dedup -> finalize (system prompts, ids) -> shards
Every stage also yields dead letters; they are flattened into one dead-letter table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from schemas.records import DEAD_LETTER, PREFERENCE_PAIR
from transforms.common import DEAD, MAIN, stable_id
from transforms.decontaminate import BenchmarkNgrams, Decontaminate, ReadBenchmarkNgrams
from transforms.dedup import ExactDedup, NearDedup
from transforms.execute import Execute
from transforms.finalize import Finalize
from transforms.mining.git_commits import MiningConfig
from transforms.mining.splits import SplitConfig
from transforms.pair import Pair
from transforms.read import AssignCommitSplits, ReadCommits, ReadProblems, load_tests
from transforms.sources.beam_io import ReadCodeNet, ReadCommitExports, ReadHFDataset
from transforms.sources.codenet import load_codenet_tests
from transforms.judge import InsertBugs, Judge
from transforms.judging.config import JudgeConfig
from transforms.tag import Tag
from transforms.write import WriteShards

SPLITS = ("train", "bench")


@dataclass
class RunConfig:
    """Everything ``build`` needs, resolved from the options by ``pipeline.run``."""
    output: str
    repos: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    benchmarks: list[str] = field(default_factory=list)
    commit_exports: list[str] = field(default_factory=list)
    codenet: list[str] = field(default_factory=list)
    codenet_bench_fraction: float = 0.1
    hf_datasets: list[dict] = field(default_factory=list)
    seed: int = 0
    min_depth: int = 3
    max_tokens: int = 4096
    commit_ngram: int = 5
    commit_threshold: float = 0.7
    commit_num_perm: int = 256
    pair_ngram: int = 20
    pair_threshold: float = 0.75
    pair_num_perm: int = 128
    decontam_ngram: int = 13
    decontam_on: str = "prompt"
    commit_dedup_on: str = "change"
    split: SplitConfig = field(default_factory=SplitConfig)
    sandbox_backend: str = "auto"
    exec_repeat: int = 3
    exec_parallelism: int = 2
    exec_cache: str | None = None
    time_limit_s: float | None = None
    memory_limit_mb: int | None = None
    max_cpu_cv: float = 0.25
    max_rss_cv: float = 0.10
    efficiency_ratio: float = 5.0
    rows_per_shard: int = 50_000
    judge: JudgeConfig = field(default_factory=JudgeConfig)
    insert_bugs: bool = False
    judge_accelerator: str | None = None


# Picklable accessors the generic dedup/decontam transforms are parameterised with.
def sample_text(s: dict) -> str:
    return (s.get("code_before") or "") + "\n\x00\n" + s["code"]


def sample_scope(s: dict) -> tuple:
    return s["source"], s["language"]


def commit_file_text(s: dict) -> str:
    return s["code"]


def commit_change_text(s: dict) -> str:
    """The commit's change: added and removed lines of the diff, without headers.

    Successive commits to one file share most of its contents, so near-dedup on the
    file would keep one commit per file; near-identical *changes* are the real
    duplicates (forks, cherry-picks, vendored copies)."""
    lines = (s.get("diff") or "").splitlines()
    return "\n".join(l for l in lines if l[:1] in "+-" and not l.startswith(("+++", "---")))


def pair_text(p: dict) -> str:
    return "\n".join((p["input"], p["chosen"], p["rejected"]))


def pair_scope(p: dict) -> tuple:
    return p["split"], p["source"], p["criterion"]


def pair_prompt(p: dict) -> str:
    return p["input"]


def pair_chosen(p: dict) -> str:
    return p["chosen"]


def pair_rejected(p: dict) -> str:
    return p["rejected"]


DECONTAM_TEXTS = {"prompt": (pair_prompt,), "prompt_and_code": (pair_prompt, pair_chosen, pair_rejected)}
BENCH_COLUMNS = {"prompt": ("prompt",), "prompt_and_code": ("prompt", "chosen", "rejected")}


def pair_id(p: dict) -> str:
    return p["pair_key"]


def is_bench(p: dict) -> bool:
    return p["split"] == "bench"


def is_commit(s: dict) -> bool:
    return s["kind"] == "commit"


def shard_key(row: dict) -> int:
    return row["idx"]


def row_order(row: dict) -> tuple:
    return row["idx"], row["criterion"]


def dead_key(d: dict) -> int:
    return stable_id(d["stage"], d["record_id"])


def dead_order(d: dict) -> tuple:
    return d["stage"], d["reason"], d["record_kind"], d["record_id"], d.get("criterion") or ""


def sample_key(s: dict) -> int:
    return stable_id(s["sample_id"])


def pair_record_key(p: dict) -> int:
    return stable_id(p["pair_key"])


class Stages:
    """The DAG as phases; each takes the previous phase's records and returns (records, dead letters).

    ``build`` chains them into one pipeline; ``pipeline.run`` can instead run each phase as
    its own pipeline over materialised outputs (``pipeline.checkpoint``), which makes a run
    resumable phase by phase."""

    def __init__(self, cfg: RunConfig):
        self.cfg = cfg

    def tag(self, p: beam.Pipeline, _=None):
        """read -> commit splits -> exact dedup -> near dedup (commits) -> tree-sitter tags."""
        cfg, dead = self.cfg, []

        def keep(result):
            dead.append(result[DEAD])
            return result[MAIN]

        commit_reads = [keep(p | "ReadCommits" >> ReadCommits(cfg.repos, MiningConfig()))]
        if cfg.commit_exports:
            commit_reads.append(keep(p | "ReadCommitExports" >> ReadCommitExports(cfg.commit_exports, MiningConfig())))
        commits = keep((commit_reads | "AllCommits" >> beam.Flatten())
                       | "AssignCommitSplits" >> AssignCommitSplits(cfg.split))
        other = [keep(p | "ReadProblems" >> ReadProblems(cfg.problems))]
        for i, root in enumerate(cfg.codenet):
            other.append(keep(p | f"ReadCodeNet{i}" >> ReadCodeNet(root, cfg.codenet_bench_fraction)))
        for i, spec in enumerate(cfg.hf_datasets):
            other.append(keep(p | f"ReadHFDataset{i}" >> ReadHFDataset(
                spec["path"], spec["columns"], spec.get("source", "hf"), spec.get("fmt", "auto"),
                spec.get("split", "train"))))
        samples = ([commits] + other) | "AllSamples" >> beam.Flatten()

        unique = keep(samples | "ExactDedup" >> ExactDedup("dedup_exact", sample_text, scope_fn=sample_scope))
        kinds = unique | "SplitKinds" >> beam.Partition(lambda s, _: 0 if is_commit(s) else 1, 2)
        near = keep(kinds[0] | "NearDedupCommits" >> NearDedup(
            "dedup_near", commit_change_text if cfg.commit_dedup_on == "change" else commit_file_text,
            ngram=cfg.commit_ngram, num_perm=cfg.commit_num_perm, threshold=cfg.commit_threshold,
            scope_fn=sample_scope))
        deduped = (near, kinds[1]) | "Deduped" >> beam.Flatten()
        return keep(deduped | "Tag" >> Tag(cfg.min_depth, cfg.max_tokens)), dead

    def _execute(self, tests: dict, label: str):
        cfg = self.cfg
        return label >> Execute(
            tests, cfg.sandbox_backend, cfg.exec_repeat, cfg.exec_cache,
            cfg.time_limit_s, cfg.memory_limit_mb, cfg.max_cpu_cv, cfg.max_rss_cv, cfg.exec_parallelism)

    def _judge(self, transform: beam.PTransform) -> beam.PTransform:
        if self.cfg.judge_accelerator:
            return transform.with_resource_hints(accelerator=self.cfg.judge_accelerator)
        return transform

    def execute(self, p: beam.Pipeline, tagged):
        """Sandbox runs; with --judge_insert_bugs, LLM bug variants of passing submissions too."""
        cfg = self.cfg
        tests = load_tests(cfg.problems)
        for root in cfg.codenet:
            tests.update(load_codenet_tests(root))
        result = tagged | self._execute(tests, "Execute")
        executed, dead = result[MAIN], [result[DEAD]]
        if cfg.insert_bugs and cfg.judge.uses_llm:
            bugs = executed | "InsertBugs" >> self._judge(InsertBugs(cfg.judge))
            tagged_bugs = bugs[MAIN] | "TagBugs" >> Tag(cfg.min_depth, cfg.max_tokens)
            ran = tagged_bugs[MAIN] | self._execute(tests, "ExecuteBugs")
            dead += [bugs[DEAD], tagged_bugs[DEAD], ran[DEAD]]
            executed = (executed, ran[MAIN]) | "WithBugs" >> beam.Flatten()
        return executed, dead

    def label(self, p: beam.Pipeline, executed):
        """Execution, static and commit-message labels; then the LLM judge (identity when static)."""
        result = executed | "Pair" >> Pair(self.cfg.efficiency_ratio)
        dead = [result[DEAD]]
        pairs = result[MAIN]
        if self.cfg.judge.uses_llm:
            judged = pairs | "Judge" >> self._judge(Judge(self.cfg.judge))
            pairs, dead = judged[MAIN], dead + [judged[DEAD]]
        return pairs, dead

    def clean(self, p: beam.Pipeline, pairs):
        """Training pairs share no n-gram with the bench split or a given benchmark; near-dup pairs go."""
        cfg, dead = self.cfg, []
        bench = pairs | "BenchPairs" >> beam.Filter(is_bench)
        train = pairs | "TrainPairs" >> beam.Filter(lambda r: not is_bench(r))
        texts = list(DECONTAM_TEXTS[cfg.decontam_on])
        bench_ngrams = [bench | "BenchNgrams" >> BenchmarkNgrams(texts, id_fn=pair_id, n=cfg.decontam_ngram)]
        if cfg.benchmarks:
            bench_ngrams.append(p | "ExternalBenchNgrams" >> ReadBenchmarkNgrams(
                cfg.benchmarks, columns=BENCH_COLUMNS[cfg.decontam_on], n=cfg.decontam_ngram))
        clean_train = train | "Decontaminate" >> Decontaminate(
            "decontaminate", texts, bench_ngrams, n=cfg.decontam_ngram, id_fn=pair_id, record_kind="pair")
        dead.append(clean_train[DEAD])
        clean = (clean_train[MAIN], bench) | "CleanPairs" >> beam.Flatten()
        final = clean | "PairDedup" >> NearDedup(
            "dedup_pairs", pair_text, ngram=cfg.pair_ngram, num_perm=cfg.pair_num_perm,
            threshold=cfg.pair_threshold, scope_fn=pair_scope, id_fn=pair_id, record_kind="pair")
        dead.append(final[DEAD])
        return final[MAIN], dead

    def write(self, p: beam.Pipeline, pairs, dead: list) -> dict:
        """Finalize (system prompts, ids) and write the shards and the dead-letter table."""
        cfg = self.cfg
        rows = pairs | "Finalize" >> Finalize(cfg.seed)
        by_split = rows | "BySplit" >> beam.Partition(lambda r, _: SPLITS.index(r["split"]), len(SPLITS))
        written = {}
        for i, split in enumerate(SPLITS):
            written[split] = by_split[i] | f"Write_{split}" >> WriteShards(
                FileSystems.join(cfg.output, "shards", split), split, PREFERENCE_PAIR, shard_key, row_order,
                cfg.rows_per_shard)
        written["dead_letter"] = (dead | "AllDead" >> beam.Flatten()) | "WriteDead" >> WriteShards(
            FileSystems.join(cfg.output, "dead_letter"), "dead_letter", DEAD_LETTER, dead_key, dead_order,
            cfg.rows_per_shard)
        return written


# (phase, the Stages methods it runs, key of its records in a checkpoint). The last phase writes.
PHASES = (("tag", ("tag",), sample_key), ("execute", ("execute",), sample_key),
          ("label", ("label",), pair_record_key), ("write", ("clean",), None))


def build(p: beam.Pipeline, cfg: RunConfig) -> dict:
    """Wire the whole DAG into one pipeline ``p``; returns the PCollections of written shard paths."""
    stages, dead, records = Stages(cfg), [], None
    for _, methods, _ in PHASES:
        for m in methods:
            records, d = getattr(stages, m)(p, records)
            dead += d
    return stages.write(p, records, dead)
