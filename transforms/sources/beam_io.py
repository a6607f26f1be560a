"""Beam composites over the source readers, shaped like ``transforms.read.ReadProblems``.

Each returns ``{"main": source samples, "dead_letter": dead letters}``; dead letters are
of record kind ``input`` with a ``<file>:<row>`` or ``<problem>:<submission>`` locator,
and the counters are ``read.inputs`` (one per row or submission), ``read.samples``,
``read.<reason>`` and ``read.dropped``. Work is planned per file (or problem) and then
spread, after a Reshuffle, per chunk: a JSON Lines line range, a Parquet row group, a
saved dataset's row range or one CodeNet problem.
"""
from __future__ import annotations

import apache_beam as beam

from transforms.common import DEAD, MAIN, count
from transforms.mining.git_commits import MiningConfig
from transforms.read import STAGE, input_dead
from transforms.sources import DEFAULT_CHUNK_ROWS, UNREADABLE_FILE, expand_paths, plan_chunks, read_chunk
from transforms.sources import codenet, commit_export, hf_dataset

READ_ERROR = "read_error"
UNREADABLE_PROBLEM = "unreadable_problem"


def _emit(locator: str, result: tuple, source: str):
    """Count one input and route its sample or dead letter."""
    sample, reason, detail = result
    count(STAGE, "inputs")
    if sample is None:
        return input_dead(reason or READ_ERROR, locator, detail, source)
    count(STAGE, "samples")
    return sample


class _PlanFiles(beam.DoFn):
    """A row file -> its chunks; an unreadable file is one dead input."""

    def __init__(self, plan, source: str):
        self.plan, self.source = plan, source

    def process(self, path: str):
        try:
            chunks = self.plan(path)
        except Exception as e:
            count(STAGE, "inputs")
            yield input_dead(UNREADABLE_FILE, path, repr(e), self.source)
            return
        yield from chunks


class _ReadRows(beam.DoFn):
    """A chunk -> one sample or dead letter per row."""

    def __init__(self, read, convert, source: str):
        self.read, self.convert, self.source = read, convert, source

    def process(self, chunk):
        rows = self.read(chunk)
        while True:
            try:
                locator, row, reason, detail = next(rows)
            except StopIteration:
                return
            except Exception as e:  # the rest of the chunk cannot be read (truncated gzip, bad row group)
                count(STAGE, "inputs")
                yield input_dead(UNREADABLE_FILE, f"{chunk.path}@{getattr(chunk, 'start', 0)}", repr(e), self.source)
                return
            if row is None:
                yield _emit(locator, (None, reason, detail), self.source)
                continue
            try:
                result = self.convert(chunk, row)
            except Exception as e:
                result = (None, READ_ERROR, repr(e))
            yield _emit(locator, result, self.source)


def _read_files(pbegin, files: list, plan, read, convert, source: str) -> dict:
    chunks = (pbegin | "Files" >> beam.Create(files)
              | "Plan" >> beam.ParDo(_PlanFiles(plan, source)).with_outputs(DEAD, main=MAIN))
    rows = (chunks[MAIN] | "Spread" >> beam.Reshuffle()
            | "ReadRows" >> beam.ParDo(_ReadRows(read, convert, source)).with_outputs(DEAD, main=MAIN))
    dead = (chunks[DEAD], rows[DEAD]) | "Dead" >> beam.Flatten()
    return {MAIN: rows[MAIN], DEAD: dead}


class _ChunkPlanner:
    def __init__(self, chunk_rows: int):
        self.chunk_rows = chunk_rows

    def __call__(self, path: str):
        return plan_chunks(path, self.chunk_rows)


class _CommitRow:
    def __init__(self, mining: MiningConfig):
        self.mining = mining

    def __call__(self, chunk, row):
        return commit_export.read_commit_row(row, self.mining)


class ReadCommitExports(beam.PTransform):
    """BigQuery-style single-file-commit exports (files, folders or globs) -> commit samples (split "train")."""

    def __init__(self, paths: list[str], mining: MiningConfig = MiningConfig(), chunk_rows: int = DEFAULT_CHUNK_ROWS):
        super().__init__()
        self.paths, self.mining, self.chunk_rows = list(paths), mining, chunk_rows

    def expand(self, pbegin):
        return _read_files(pbegin, expand_paths(self.paths), _ChunkPlanner(self.chunk_rows), read_chunk,
                           _CommitRow(self.mining), commit_export.SOURCE)


class _DatasetPlanner:
    def __init__(self, fmt: str, chunk_rows: int):
        self.fmt, self.chunk_rows = fmt, chunk_rows

    def __call__(self, path: str):
        return hf_dataset.plan_dataset(path, self.fmt, self.chunk_rows)


class _DatasetRow:
    def __init__(self, column_map: dict, source: str, split: str):
        self.column_map, self.source, self.split = column_map, source, split

    def __call__(self, chunk, row):
        return hf_dataset.row_to_sample(row, self.column_map, self.source, hf_dataset.chunk_split(chunk, self.split))


class ReadHFDataset(beam.PTransform):
    """A saved Hugging Face dataset, or Parquet/JSON files, -> samples through a column map."""

    def __init__(self, path: str, column_map: dict[str, str], source: str, fmt: str = "auto",
                 split: str = "train", chunk_rows: int = DEFAULT_CHUNK_ROWS):
        super().__init__()
        if fmt not in hf_dataset.FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {hf_dataset.FORMATS}")
        if split not in ("train", "bench"):
            raise ValueError(f"split must be train or bench, not {split!r}")
        self.path, self.column_map = path, hf_dataset.check_column_map(column_map)
        self.source, self.fmt, self.split, self.chunk_rows = source, fmt, split, chunk_rows

    def expand(self, pbegin):
        return _read_files(pbegin, [self.path], _DatasetPlanner(self.fmt, self.chunk_rows),
                           hf_dataset.read_dataset_chunk, _DatasetRow(self.column_map, self.source, self.split),
                           self.source)


class _ReadProblem(beam.DoFn):
    def __init__(self, root: str, bench_fraction: float):
        self.root, self.bench_fraction = root, bench_fraction
        self._problem_list = None

    def setup(self):
        self._problem_list = codenet.read_problem_list(self.root)

    def process(self, problem_id: str):
        try:
            items = list(codenet.iter_problem_submissions(self.root, problem_id, self.bench_fraction,
                                                          self._problem_list))
        except Exception as e:  # unreadable metadata or statement: one dead input for the problem
            count(STAGE, "inputs")
            yield input_dead(UNREADABLE_PROBLEM, problem_id, repr(e), codenet.SOURCE)
            return
        for locator, sample, reason, detail in items:
            yield _emit(locator, (sample, reason, detail), codenet.SOURCE)


class ReadCodeNet(beam.PTransform):
    """A CodeNet-layout folder -> submission samples, split per problem (see transforms.sources.codenet)."""

    def __init__(self, root: str, bench_fraction: float = codenet.DEFAULT_BENCH_FRACTION):
        super().__init__()
        if not 0.0 <= bench_fraction <= 1.0:
            raise ValueError(f"bench_fraction must lie in [0, 1], not {bench_fraction}")
        self.root, self.bench_fraction = str(root), bench_fraction

    def expand(self, pbegin):
        # Problem ids are listed on a worker: the graph holds the root, not thousands of ids.
        out = (pbegin | "Root" >> beam.Create([self.root]) | "Problems" >> beam.FlatMap(codenet.problem_ids)
               | "Spread" >> beam.Reshuffle()
               | "ReadSubmissions" >> beam.ParDo(_ReadProblem(self.root, self.bench_fraction))
               .with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
