"""The read stage as one composite: every configured source -> samples (commits with their split).

One module per source, each a Beam-free reader under a thin composite:

=================  =================================================================
``git``            git repositories (paths, bare repos, bundles, URLs) -> commits
``commit_export``  BigQuery ``github_repos``-shaped single-file-commit rows -> commits
``problems``       problem sets (``problem.toml`` + tests + solutions) -> submissions
``codenet``        Project CodeNet-layout folders -> submissions
``hf_dataset``     Hugging Face datasets / Parquet / JSON through a column map
``humaneval``      function-level (HumanEval-shaped) problems with test harnesses
=================  =================================================================

Shared: ``rows`` (row files in chunks, value helpers), ``common`` (stage name, dead
letters, the row-file Beam plumbing) and ``split`` (commit samples of every commit source
get their train/bench split). Every commit change, whichever source read it, goes through
the one filter chain, ``commit_filter``. The driver only says which inputs to read (``ReadConfig``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import apache_beam as beam

from transforms.common import DEAD, MAIN
from transforms.config import check_config, option
from transforms.mining.filters import MiningConfig
from transforms.mining.splits import SplitConfig
from transforms.read.codenet import DEFAULT_BENCH_FRACTION, ReadCodeNet
from transforms.read.commit_export import ReadCommitExports
from transforms.read.git import ReadCommits
from transforms.read.hf_dataset import ReadHFDataset
from transforms.read.humaneval import ReadFunctionProblems
from transforms.read.problems import ReadProblems
from transforms.read.split import AssignCommitSplits

HF_SPEC_KEYS = ("path", "columns", "source", "fmt", "split")


def parse_hf_spec(text: str) -> dict:
    """One --hf_dataset value: a JSON object with ``path`` and ``columns`` (``source``, ``fmt``, ``split``
    optional)."""
    spec = json.loads(text)
    if not isinstance(spec, dict):
        raise ValueError("not a JSON object")
    missing = [k for k in ("path", "columns") if k not in spec]
    unknown = sorted(set(spec) - set(HF_SPEC_KEYS))
    if missing or unknown:
        raise ValueError(f"missing {missing}" if missing else f"unknown keys {unknown}")
    return spec


parse_hf_spec.expects = 'a JSON object {"path": ..., "columns": {"code": ..., "language": ...}}'


@dataclass(frozen=True)
class ReadConfig:
    repos: tuple[str, ...] = option((), "Git repository (path, bare repo, .bundle or URL). Default: the bundled "
                                    "history, built under --work_dir.", repeat=True, metavar="REPO")
    problems: tuple[str, ...] = option((), "Problem-set folder. Default: the bundled problem set.", repeat=True,
                                       metavar="DIR")
    commit_export: tuple[str, ...] = option((), "Commit export (BigQuery github_repos single-file shape): "
                                            "JSONL(.gz)/Parquet file, folder or glob.", repeat=True, metavar="PATH")
    codenet: tuple[str, ...] = option((), "Project CodeNet-layout folder (metadata/, data/, "
                                      "derived/input_output/).", repeat=True, metavar="DIR")
    codenet_bench_fraction: float = option(DEFAULT_BENCH_FRACTION, "Share of CodeNet problems (by a hash "
                                           "of the id) that go to the bench split.")
    hf_dataset: tuple[dict, ...] = option((), 'Hugging Face dataset as JSON: {"path": ..., "columns": {"code": ..., '
                                          '"language": ...}, "source": ..., "fmt": "auto|disk|parquet|json", '
                                          '"split": "train"}.', repeat=True, parse=parse_hf_spec, metavar="JSON")
    humaneval: tuple[str, ...] = option((), "Function-level problems in HumanEval shape (JSONL or JSONL.gz: "
                                        "task_id, prompt, entry_point, canonical_solution, test; "
                                        "docs/function-problems.md).", repeat=True, metavar="PATH")
    humaneval_split: str = option("bench", "Split of --humaneval problems whose lines name none (held out by "
                                  "default).", choices=("train", "bench"))
    # Commit filters (message length, file size, licences, vendored paths): data, not flags.
    mining: MiningConfig = MiningConfig()

    def __post_init__(self):
        check_config(0.0 <= self.codenet_bench_fraction <= 1.0,
                     f"--codenet_bench_fraction must lie in [0, 1], not {self.codenet_bench_fraction}")


class ReadSources(beam.PTransform):
    """Every source of ``config`` -> {main: samples, dead: input dead letters}; commits carry their split."""

    def __init__(self, config: ReadConfig, split: SplitConfig):
        super().__init__()
        self.config, self.split = config, split

    def expand(self, pbegin):
        cfg, dead = self.config, []

        def keep(result):
            dead.append(result[DEAD])
            return result[MAIN]

        commit_reads = [keep(pbegin | "ReadCommits" >> ReadCommits(list(cfg.repos), cfg.mining))]
        if cfg.commit_export:
            commit_reads.append(keep(pbegin | "ReadCommitExports" >> ReadCommitExports(list(cfg.commit_export),
                                                                                       cfg.mining)))
        commits = keep((commit_reads | "AllCommits" >> beam.Flatten())
                       | "AssignCommitSplits" >> AssignCommitSplits(self.split))
        other = [keep(pbegin | "ReadProblems" >> ReadProblems(list(cfg.problems)))]
        for i, root in enumerate(cfg.codenet):
            other.append(keep(pbegin | f"ReadCodeNet{i}" >> ReadCodeNet(root, cfg.codenet_bench_fraction)))
        if cfg.humaneval:
            other.append(keep(pbegin | "ReadFunctionProblems" >> ReadFunctionProblems(list(cfg.humaneval),
                                                                                       cfg.humaneval_split)))
        for i, spec in enumerate(cfg.hf_dataset):
            other.append(keep(pbegin | f"ReadHFDataset{i}" >> ReadHFDataset(
                spec["path"], spec["columns"], spec.get("source", "hf"), spec.get("fmt", "auto"),
                spec.get("split", "train"))))
        samples = ([commits] + other) | "AllSamples" >> beam.Flatten()
        return {MAIN: samples, DEAD: dead | "ReadDead" >> beam.Flatten()}
