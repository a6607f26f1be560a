"""What every reader of the read stage shares: its stage name, its dead letters and the
Beam plumbing that reads row files in parallel.

Every reader's composite returns ``{"main": source samples, "dead_letter": dead letters}``;
dead letters are of record kind ``input`` with a locator (``<file>:<row>``,
``<problem>:<submission>``, ``<repo>@<sha>``), and the counters are ``read.inputs`` (one
per row, submission or commit), ``read.samples``, ``read.<reason>`` and ``read.dropped``.
Row files are planned per file and then spread, after a Reshuffle, per chunk: a JSON Lines
line range, a Parquet row group or a saved dataset's row range.
"""
from __future__ import annotations

import apache_beam as beam

from transforms.common import DEAD, MAIN, count, dead_letter, route_dead
from transforms.read.rows import UNREADABLE_FILE

STAGE = "read"
READ_ERROR = "read_error"


def input_dead(reason: str, locator: str, detail: str | None, source: str) -> beam.pvalue.TaggedOutput:
    """An input that could not become a sample, to the dead letters."""
    return route_dead(dead_letter(STAGE, reason, locator, "input", detail, source))


def emit(locator: str, result: tuple, source: str):
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
                yield emit(locator, (None, reason, detail), self.source)
                continue
            try:
                result = self.convert(chunk, row)
            except Exception as e:
                result = (None, READ_ERROR, repr(e))
            yield emit(locator, result, self.source)


def read_files(pbegin, files: list, plan, read, convert, source: str) -> dict:
    """Row files -> {main: samples, dead: input dead letters}: ``plan(path)`` lists a file's chunks,
    ``read(chunk)`` yields its (locator, row, reason, detail) and ``convert(chunk, row)`` makes a
    (sample, reason, detail) of one row."""
    chunks = (pbegin | "Files" >> beam.Create(files)
              | "Plan" >> beam.ParDo(_PlanFiles(plan, source)).with_outputs(DEAD, main=MAIN))
    rows = (chunks[MAIN] | "Spread" >> beam.Reshuffle()
            | "ReadRows" >> beam.ParDo(_ReadRows(read, convert, source)).with_outputs(DEAD, main=MAIN))
    dead = (chunks[DEAD], rows[DEAD]) | "Dead" >> beam.Flatten()
    return {MAIN: rows[MAIN], DEAD: dead}
