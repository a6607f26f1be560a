"""Run report and progress reporting: numbers in report.md, chart images, live progress lines."""
from __future__ import annotations

import hashlib
import struct
import threading
from pathlib import Path

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.metrics.execution import MetricKey, MetricResult
from apache_beam.metrics.metricbase import MetricName

from pipeline import progress, report
from pipeline.runners import resolve_runner
from schemas.records import DEAD_LETTER, PREFERENCE_PAIR
from tests.factories import execution
from transforms import summaries
from transforms.common import dead_letter

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _pair(n: int, split: str, criterion: str, language: str, margin: float = 2.0, cpu=(0.1, 0.6),
          method: str = "execution") -> dict:
    row = {f.name: None for f in PREFERENCE_PAIR}
    row.update(system=None, input="task", chosen=f"c{n}", rejected=f"r{n}", language=language, aspect=criterion,
               source="problems", idx=n, split=split, criterion=criterion, language_id=language, origin="o",
               chosen_id=f"s{n}a", rejected_id=f"s{n}b", label_method=method, margin=margin, votes=[],
               system_mode="none", schema_version="1.1.0",
               chosen_execution=execution(cpu_s=cpu[0], rss=10 * 2**20),
               rejected_execution=execution(cpu_s=cpu[1], rss=30 * 2**20))
    return row


def _write(path: Path, rows: list[dict], schema: pa.Schema) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


@pytest.fixture
def run_folder(tmp_path):
    train = [_pair(1, "train", "fc", "python"), _pair(2, "train", "fc", "python"), _pair(3, "train", "ee", "c", 6.0),
             _pair(4, "train", "me", "go", 8.0), _pair(5, "train", "rm", "java", 0.4, method="static_judge")]
    bench = [_pair(6, "bench", "sh", "ruby", 0.3, method="static_judge"), _pair(7, "bench", "ee", "c", 12.0)]
    _write(tmp_path / "shards/train/train-00000-of-00001.parquet", train, PREFERENCE_PAIR)
    _write(tmp_path / "shards/bench/bench-00000-of-00001.parquet", bench, PREFERENCE_PAIR)
    dead = ([dead_letter("read", "binary_file", f"f{i}", "input") for i in range(4)]
            + [dead_letter("read", "empty_file", "e", "input")]
            + [dead_letter("tag", "wrong_language", f"t{i}", "sample") for i in range(3)]
            + [dead_letter("pair", "unstable_measurement", "p", "pair", criterion="ee", language="c")])
    _write(tmp_path / "dead_letter/dead_letter-00000-of-00001.parquet", dead, DEAD_LETTER)
    # What the pipeline's WriteMeasurementSummary writes for these pairs (same dedup and sketches).
    (tmp_path / "summary").mkdir()
    (tmp_path / "summary/measurements.json").write_bytes(summaries.to_json_bytes(summaries.summary_of_pairs(train + bench)))
    manifest = {"run_id": "synthetic", "durations_s": {"total": 12.5}, "pairs_total": 7,
                "dead_letters": {"total": len(dead)},
                "counters": {"read.inputs": 20, "read.samples": 15, "tag.in": 15, "tag.out": 12, "pair.in": 12,
                             "pair.proposed": 8, "pair.out": 7}}
    return tmp_path, manifest


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _md_row(md: str, first_cell: str, after: str = "") -> list[str]:
    text = md[md.index(after):] if after else md
    line = next(l for l in text.splitlines() if l.startswith(f"| {first_cell} |"))
    return [c.strip() for c in line.strip("|").split("|")]


def test_report_tables_count_the_synthetic_run(run_folder):
    out, manifest = run_folder
    paths = report.write_report(str(out), manifest)
    assert [Path(p).name for p in paths] == ["report.md", "pairs_heatmap.png", "funnel.png", "shortcuts.png",
                                             "distributions.png"]
    md = (out / "report/report.md").read_text()
    # languages in LANGUAGE_IDS order: c cpp csharp go java javascript python ruby
    assert _md_row(md, "FC", "language: train") == ["FC", "0", "0", "0", "0", "0", "0", "2", "0", "2"]
    assert _md_row(md, "EE", "language: train") == ["EE", "1", "0", "0", "0", "0", "0", "0", "0", "1"]
    assert _md_row(md, "total", "language: train")[1:] == ["1", "0", "0", "1", "1", "0", "2", "0", "5"]
    assert _md_row(md, "SH", "language: bench")[-2:] == ["1", "1"]
    assert _md_row(md, "total", "language: bench")[-1] == "2"
    assert _md_row(md, "7") == ["7", "5", "2", "9", "12.5"]  # pairs, train, bench, dead letters, wall
    assert _md_row(md, "read") == ["read", "20", "15", "5", "binary_file 4, empty_file 1"]
    assert _md_row(md, "tag") == ["tag", "15", "12", "3", "wrong_language 3"]
    assert _md_row(md, "pair (pairs)")[:4] == ["pair (pairs)", "8", "7", "1"]  # proposed, written on, dropped
    # 7 pairs x 2 distinct executed sides; margins of execution-labelled ee pairs: 6 and 12
    assert _md_row(md, "CPU time of executed samples (s)")[1:] == ["14", "0.1", "0.1", "0.6", "0.6"]
    assert _md_row(md, "peak RSS of executed samples (MiB)")[1:] == ["14", "10", "10", "30", "30"]
    assert _md_row(md, "EE pair margin (ratio)")[1:] == ["2", "6", "6", "12", "12"]
    assert _md_row(md, "ME pair margin (ratio)")[1:] == ["1", "8", "8", "8", "8"]


def test_report_says_when_programs_were_measured_where_memory_goes_back_to_the_host(run_folder):
    out, manifest = run_folder
    report.write_report(str(out), {**manifest, "counters": {"execute.executed": 14}})
    assert "free page reporting" not in (out / "report/report.md").read_text()
    counters = {"execute.executed": 14, "execute.executed_free_page_reporting": 14}
    report.write_report(str(out), {**manifest, "counters": counters})
    md = (out / "report/report.md").read_text()
    assert "14 of 14 programs were measured on a virtual machine with free page reporting" in md
    assert md.index("## Measurements") < md.index("free page reporting")


def test_report_shortcut_table_counts_the_synthetic_pairs(run_folder):
    out, manifest = run_folder
    report.write_report(str(out), manifest)  # no "shortcuts" in this manifest: audited from the shards
    md = (out / "report/report.md").read_text()
    # Both sides of every synthetic pair are two characters long: every rule ties (50%).
    assert _md_row(md, "FC", "Shortcut audit")[:4] == ["FC", "train", "2", "50% (0/2, 2 tied)"]
    assert _md_row(md, "SH", "Shortcut audit")[:3] == ["SH", "bench", "1"]
    longer = {"fc": {"train": {"all": {"longer": {"n": 20, "agree": 15, "disagree": 5, "tie": 0, "accuracy": 0.75}}}}}
    report.write_report(str(out), {**manifest, "shortcuts": longer})
    md = (out / "report/report.md").read_text()
    assert _md_row(md, "FC", "Shortcut audit") == ["FC", "train", "20", "75% (15/20, 0 tied)", "-", "-", "-", "-"]


def test_report_charts_are_pngs_of_fixed_size_and_deterministic(run_folder, tmp_path_factory):
    out, manifest = run_folder
    report.write_report(str(out), manifest)
    sizes = {name: _png_size((out / "report" / name).read_bytes())
             for name in ("pairs_heatmap.png", "funnel.png", "shortcuts.png", "distributions.png")}
    assert sizes == {"pairs_heatmap.png": (1200, 450), "funnel.png": (1000, 500), "shortcuts.png": (1200, 700),
                     "distributions.png": (1200, 800)}
    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (out / "report").iterdir()}
    report.write_report(str(out), manifest)
    again = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (out / "report").iterdir()}
    assert first == again
    for name in sizes:
        assert b"tIME" not in (out / "report" / name).read_bytes()


def test_report_of_an_empty_run_has_zero_tables_and_placeholder_charts(tmp_path):
    paths = report.write_report(str(tmp_path), {"run_id": "empty"})
    md = Path(paths[0]).read_text()
    assert _md_row(md, "total", "language: train")[-1] == "0" and _md_row(md, "total", "language: bench")[-1] == "0"
    assert _md_row(md, "CPU time of executed samples (s)")[1:] == ["0", "-", "-", "-", "-"]
    assert all(_png_size(Path(p).read_bytes()) for p in paths[1:])


def test_funnel_orders_stages_by_the_dag_and_keeps_unknown_ones():
    dead = [dead_letter("tag", "shallow_tree", "a", "sample"), dead_letter("zeta", "odd", "b", "sample"),
            dead_letter("read", "empty_file", "c", "input")]
    rows = report.stage_funnel({"read.inputs": 3, "read.samples": 2, "execute.in": 1}, dead)
    assert [r["stage"] for r in rows] == ["read", "tag", "execute", "zeta"]
    assert rows[0]["in"] == 3 and rows[0]["out"] == 2 and rows[1]["in"] is None and rows[3]["dropped"] == 1


def test_funnel_splits_the_pair_stage_by_record_kind():
    dead = [dead_letter("pair", "unpaired", "s1", "sample"), dead_letter("pair", "judge_no_signal", "p1", "pair"),
            dead_letter("pair", "judge_no_signal", "p2", "pair")]
    counters = {"pair.in": 10, "pair.paired_samples": 9, "pair.proposed": 30, "pair.out": 28}
    rows = report.stage_funnel(counters, dead)
    assert [(r["stage"], r["in"], r["out"], r["dropped"]) for r in rows] == [
        ("pair (samples)", 10, 9, 1), ("pair (pairs)", 30, 28, 2)]
    only_pairs = report.stage_funnel(counters, dead[1:])
    assert [(r["stage"], r["dropped"]) for r in only_pairs] == [("pair (samples)", 0), ("pair (pairs)", 2)]


def test_quantiles_use_nearest_rank():
    assert report.quantiles([1.0, 2.0, 3.0, 4.0]) == {"n": 4, "min": 1.0, "p50": 2.0, "p90": 4.0, "max": 4.0}


def test_sketch_quantiles_are_nearest_rank_within_one_bin():
    import random
    rng = random.Random(7)
    # One value per bin (spaced two bins apart), zeros included: exactly the nearest-rank quantiles.
    spaced = sorted([0.0] * 3 + [10 ** (k / 50) for k in rng.sample(range(-300, 300), 200)])
    sketch = summaries.Sketch()
    for v in rng.sample(spaced, len(spaced)):
        sketch.add(v)
    assert sketch.summary() == report.quantiles(spaced)
    # Any values: n, min and max exact, quantiles within one bin (2.3 %), from merged halves.
    values = sorted(rng.lognormvariate(0, 2) for _ in range(5000))
    a, b = summaries.Sketch(), summaries.Sketch()
    for i, v in enumerate(values):
        (a if i % 2 else b).add(v)
    merged, exact = summaries.Sketch.from_json(a.merge(b).to_json()).summary(), report.quantiles(values)
    assert (merged["n"], merged["min"], merged["max"]) == (exact["n"], exact["min"], exact["max"])
    for q in ("p50", "p90"):
        assert exact[q] <= merged[q] <= exact[q] * 10 ** (1 / summaries.BINS_PER_DECADE)


def test_pipeline_summary_counts_each_executed_sample_once(tmp_path):
    pairs = [_pair(1, "train", "ee", "c", 6.0, cpu=(0.1, 0.7)), _pair(2, "train", "fc", "python", cpu=(0.2, 0.3)),
             _pair(3, "bench", "me", "go", 8.0, cpu=(0.4, 0.5))]
    pairs.append(dict(pairs[0], idx=4, criterion="me", margin=9.0))  # the same two samples in a second pair
    with beam.Pipeline(runner=resolve_runner(beam.options.pipeline_options.PipelineOptions([]))) as p:
        _ = p | beam.Create(pairs) | summaries.WriteMeasurementSummary(str(tmp_path))
    written = summaries.read_summary(str(tmp_path))
    expected = summaries.summary_of_pairs(pairs)
    assert {k: s.to_json() for k, s in written.items()} == {k: s.to_json() for k, s in expected.items()}
    assert written["cpu_s"].summary() == {"n": 6, "min": 0.1, "p50": 0.3, "p90": 0.7, "max": 0.7}
    assert written["me"].n == 2 and written["ee"].summary()["max"] == 6.0


# --------------------------------------------------------------------------- progress

def test_format_progress_shows_growth_rates_and_fractions():
    line = progress.format_progress(95.0, {"read.inputs": 300, "tag.out": 40, "execute.in": 10},
                                    {"read.inputs": 100}, 10.0)
    assert line == "progress 1m35s | read.inputs 300 (+200, 20.0/s) | execute.in 10 (+10, 1.0/s) | execute 10/40"


def test_stage_progress_logs_at_most_every_interval_and_restarts_after_pickling():
    import pickle
    now = [0.0]
    lines: list[str] = []
    sp = progress.StageProgress("execute", "samples", every_s=10.0, total=480, clock=lambda: now[0],
                                log=lines.append)
    assert sp.tick() is None
    now[0] = 5.0
    assert sp.tick(10) is None
    now[0] = 10.0
    line = sp.tick(9)
    assert line is not None and line.endswith(": 20/480 samples, 2.0/s") and lines == [line]
    now[0] = 12.0
    assert sp.tick() is None
    clone = pickle.loads(pickle.dumps(progress.StageProgress("tag", every_s=1.0)))
    assert clone._done == 0 and clone._start is None


class _FakeCounterResults:
    def __init__(self, values):
        self.values = values

    def metrics(self):
        return self

    def query(self):
        return {"counters": [MetricResult(MetricKey(step, MetricName(ns, name)), committed, attempted)
                             for step, ns, name, committed, attempted in self.values]}


def test_metrics_snapshot_prefers_attempted_counters_of_our_namespace():
    result = _FakeCounterResults([("s1", "codepref", "read.inputs", 0, 7), ("s2", "codepref", "read.inputs", 1, 3),
                                  ("s1", "other", "read.inputs", 5, 5), ("s3", "codepref", "tag.in", 4, None)])
    assert progress.metrics_snapshot(result) == {"read.inputs": 10, "tag.in": 4}
    assert progress.metrics_snapshot(object()) == {}


def test_reporter_reads_an_attached_running_result():
    lines: list[str] = []
    reporter = progress.ProgressReporter(interval_s=60.0, emit=lines.append, live=progress.LiveCounters())
    reporter.attach(_FakeCounterResults([("s", "codepref", "read.inputs", 0, 12)]))
    assert "read.inputs 12 (+12" in reporter.poll() and len(lines) == 1


_POLLED = threading.Event()


class _SlowItems(beam.DoFn):
    """Tallies each item, then waits until the driver's reporter has seen the tally."""

    def process(self, x):
        progress.note("fuzzstage", "progress")
        _POLLED.wait(timeout=30)
        yield x


def test_reporter_sees_in_process_dofns_while_the_fn_api_runner_runs(tmp_path):
    """FnApiRunner blocks in run(): only the in-process tally can show progress during the run."""
    _POLLED.clear()
    lines: list[str] = []

    def emit(line: str) -> None:
        lines.append(line)
        if "fuzzstage.progress" in line:
            _POLLED.set()

    options = beam.options.pipeline_options.PipelineOptions(["--direct_running_mode=in_memory"])
    p = beam.Pipeline(runner=resolve_runner(options), options=options)
    _ = p | beam.Create([1, 2, 3]) | beam.ParDo(_SlowItems())
    result = progress.run_with_progress(p, interval_s=0.05, emit=emit)
    assert _POLLED.is_set(), lines
    during = [l for l in lines if "fuzzstage.progress" in l]
    assert during and during[0].split("fuzzstage.progress ")[1].split(" ")[0] in {"1", "2", "3"}
    assert result.state == "DONE"
