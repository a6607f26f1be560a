"""Run summaries that need the records themselves, computed by the pipeline with bounded combiners.

The run report shows the distribution of CPU time and peak RSS of the distinct executed
samples behind the pairs, and of the efficiency pairs' margins. Computing those on the
driver from the shards needs every sample id (to count a sample once) and every value: memory
that grows with the run. Here the workers deduplicate samples by id (a CombinePerKey), and
each distribution is folded into a ``Sketch``: n, exact min and max, and a histogram of 100
log-spaced bins per decade that also keeps the smallest and largest value seen in each bin.
Its size is bounded by the value range, not the count; quantiles are exact when a bin holds
one distinct value and otherwise within one bin (2.3 %). The result is one small JSON file,
``<output>/summary/measurements.json``, that ``pipeline.report`` reads.
"""
from __future__ import annotations

import json
import math

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

BINS_PER_DECADE = 100
NONPOSITIVE_BIN = -(10 ** 6)  # zero or negative values (log-binning needs positives): one bin below all others
SUMMARY_DIR = "summary"
MEASUREMENTS_FILE = "measurements.json"
# Distributions in the summary: executed samples' measurements, then efficiency pairs' margins.
MEASUREMENTS = ("cpu_s", "peak_rss_mib")
EFFICIENCY = ("ee", "me")


def bin_index(value: float) -> int:
    return math.floor(math.log10(value) * BINS_PER_DECADE) if value > 0 else NONPOSITIVE_BIN


class Sketch:
    """A mergeable, bounded summary of a distribution (see the module docstring)."""

    def __init__(self):
        self.n = 0
        self.bins: dict[int, list] = {}  # bin -> [count, smallest, largest]

    def add(self, value: float) -> "Sketch":
        value = float(value)
        b = self.bins.get(bin_index(value))
        if b is None:
            self.bins[bin_index(value)] = [1, value, value]
        else:
            b[0] += 1
            b[1], b[2] = min(b[1], value), max(b[2], value)
        self.n += 1
        return self

    def merge(self, other: "Sketch") -> "Sketch":
        for k, (c, lo, hi) in other.bins.items():
            b = self.bins.get(k)
            self.bins[k] = [c, lo, hi] if b is None else [b[0] + c, min(b[1], lo), max(b[2], hi)]
        self.n += other.n
        return self

    def quantile(self, q: float) -> float | None:
        """Nearest-rank quantile: the largest value seen in the bin holding rank ceil(q n)."""
        if not self.n:
            return None
        rank, seen = min(self.n, max(1, math.ceil(q * self.n))), 0
        for k in sorted(self.bins):
            seen += self.bins[k][0]
            if seen >= rank:
                return self.bins[k][2]
        raise AssertionError("counts do not add up to n")

    def summary(self) -> dict[str, float | None]:
        """n, min, p50, p90, max (the report's columns)."""
        if not self.n:
            return {"n": 0, "min": None, "p50": None, "p90": None, "max": None}
        keys = sorted(self.bins)
        return {"n": self.n, "min": self.bins[keys[0]][1], "p50": self.quantile(0.5), "p90": self.quantile(0.9),
                "max": self.bins[keys[-1]][2]}

    def weighted(self) -> tuple[list[float], list[int]]:
        """(one value per bin: its smallest, count) in bin order, for drawing a histogram."""
        keys = sorted(self.bins)
        return [self.bins[k][1] for k in keys], [self.bins[k][0] for k in keys]

    def to_json(self) -> dict:
        return {"n": self.n, "bins": [[k, *self.bins[k]] for k in sorted(self.bins)]}

    @classmethod
    def from_json(cls, data: dict) -> "Sketch":
        sketch = cls()
        sketch.n = int(data["n"])
        sketch.bins = {int(k): [int(c), float(lo), float(hi)] for k, c, lo, hi in data["bins"]}
        return sketch


def executed_sides(pair: dict):
    """(sample id, (CPU seconds, peak RSS MiB)) for each executed side of a pair."""
    for side in ("chosen", "rejected"):
        ex = pair.get(f"{side}_execution")
        if ex is not None:
            rss = ex.get("peak_rss_bytes")
            yield pair[f"{side}_id"], (ex.get("cpu_s"), None if rss is None else rss / 2**20)


def margin_items(pair: dict):
    """(criterion, margin) of an execution-labelled efficiency pair."""
    if pair["criterion"] in EFFICIENCY and pair["label_method"] == "execution":
        yield pair["criterion"], pair["margin"]


def measurement_items(cpu_s: float | None, rss_mib: float | None):
    if cpu_s is not None:
        yield "cpu_s", cpu_s
    if rss_mib is not None:
        yield "peak_rss_mib", rss_mib


def empty_summary() -> dict[str, Sketch]:
    return {name: Sketch() for name in MEASUREMENTS + EFFICIENCY}


def summarize(items) -> dict[str, Sketch]:
    """(distribution name, value) items -> a sketch per distribution."""
    out = empty_summary()
    for name, value in items:
        out[name].add(value)
    return out


def summary_of_pairs(pairs) -> dict[str, Sketch]:
    """The pipeline's summary computed in one process (small runs and tests): same dedup, same sketches."""
    distinct = {}
    for pair in pairs:
        for sample_id, values in executed_sides(pair):
            distinct.setdefault(sample_id, values)
    items = [i for values in distinct.values() for i in measurement_items(*values)]
    items += [i for pair in pairs for i in margin_items(pair)]
    return summarize(items)


def to_json_bytes(summary: dict[str, Sketch]) -> bytes:
    return (json.dumps({name: s.to_json() for name, s in sorted(summary.items())}, sort_keys=True) + "\n").encode()


def read_summary(output_dir: str) -> dict[str, Sketch] | None:
    """The summary a run wrote, or None when there is none (a folder no pipeline wrote)."""
    path = FileSystems.join(output_dir, SUMMARY_DIR, MEASUREMENTS_FILE)
    if not FileSystems.exists(path):
        return None
    with FileSystems.open(path) as f:
        data = json.loads(f.read().decode("utf-8"))
    out = empty_summary()
    out.update({name: Sketch.from_json(s) for name, s in data.items()})
    return out


# --------------------------------------------------------------------------- Beam

class _SketchesFn(beam.CombineFn):
    def create_accumulator(self):
        return empty_summary()

    def add_input(self, acc, item):
        name, value = item
        acc[name].add(value)
        return acc

    def merge_accumulators(self, accs):
        accs = iter(accs)
        out = next(accs)
        for acc in accs:
            for name, sketch in acc.items():
                out[name].merge(sketch)
        return out

    def extract_output(self, acc):
        return acc


def _one_of(values):
    """Every value of a sample id is the same execution: keep any (the smallest, to be explicit)."""
    return min(values, key=lambda v: tuple(-1.0 if x is None else x for x in v))


class _WriteSummary(beam.DoFn):
    def __init__(self, output: str):
        self.output = output

    def process(self, summary):
        path = FileSystems.join(self.output, SUMMARY_DIR, MEASUREMENTS_FILE)
        with FileSystems.create(path) as f:
            f.write(to_json_bytes(summary))
        yield path


class WriteMeasurementSummary(beam.PTransform):
    """Pairs -> ``<output>/summary/measurements.json`` (one file, written once per run)."""

    def __init__(self, output: str):
        super().__init__()
        self.output = output

    def expand(self, pairs):
        samples = (pairs | "ExecutedSides" >> beam.FlatMap(executed_sides)
                   | "OnePerSample" >> beam.CombinePerKey(_one_of)
                   | "Measurements" >> beam.FlatMap(lambda kv: measurement_items(*kv[1])))
        margins = pairs | "Margins" >> beam.FlatMap(margin_items)
        return ((samples, margins) | "Items" >> beam.Flatten()
                | "Sketch" >> beam.CombineGlobally(_SketchesFn())
                | "Write" >> beam.ParDo(_WriteSummary(self.output)))
