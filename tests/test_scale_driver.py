"""Nothing on the driver grows with the data: the pipeline graph and the driver's summaries.

The graph a runner receives (``Pipeline.to_runner_api()``) must not carry input data: with
4 or 400 problems it has the same size. The manifest and report read the shards and dead
letters back; the driver's peak RSS for that must not grow with the number of pairs.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.build import build
from pipeline.run import bundled_problems, resolve_config
from schemas.records import DEAD_LETTER, PREFERENCE_PAIR
from tests.factories import execution
from transforms import summaries
from transforms.common import dead_letter

ROOT = Path(__file__).resolve().parents[1]
GRAPH_TOLERANCE_BYTES = 4096


def copy_problems(n: int, dest: Path) -> Path:
    """``n`` problems: renamed copies of the bundled ones (ids ``<id>-<i>``), tests and solutions included."""
    sources = sorted(d for d in Path(bundled_problems()).iterdir() if (d / "problem.toml").is_file())
    for i in range(n):
        src = sources[i % len(sources)]
        dst = dest / f"{src.name}-{i:04d}"
        shutil.copytree(src, dst)
        meta = (dst / "problem.toml").read_text()
        meta, found = re.subn(r'(?m)^id\s*=\s*"([^"]+)"', lambda m: f'id = "{m.group(1)}-{i:04d}"', meta, count=1)
        assert found == 1, src
        (dst / "problem.toml").write_text(meta)
    return dest


def graph_size(problems: Path, output: Path) -> int:
    options = PipelineOptions(["--checkpoint=none", "--no_bundled", "--problems", str(problems),
                               "--output", str(output)])
    _, cfg, _ = resolve_config(options, "graph")
    p = beam.Pipeline(runner="DirectRunner", options=options)
    build(p, cfg)
    return len(p.to_runner_api().SerializeToString())


def test_pipeline_graph_does_not_grow_with_the_number_of_problems(tmp_path):
    # Same-length folder names, so only what the graph carries of the problems can differ.
    small = graph_size(copy_problems(4, tmp_path / "set-a"), tmp_path / "out")
    large = graph_size(copy_problems(400, tmp_path / "set-b"), tmp_path / "out")
    assert abs(large - small) <= GRAPH_TOLERANCE_BYTES, (small, large)


# --------------------------------------------------------------------------- driver memory

LANGS = ("c", "cpp", "csharp", "go", "java", "javascript", "python", "ruby")
CRITERIA = ("fc", "ee", "me", "rm", "sh")
CODE = "def solve(values):\n    return sorted(values)[len(values) // 2]\n" * 12  # ~700 bytes per side


def _pair(n: int) -> dict:
    row = {f.name: None for f in PREFERENCE_PAIR}
    criterion, language = CRITERIA[n % len(CRITERIA)], LANGS[n % len(LANGS)]
    row.update(system=None, input=f"task {n}: " + "x" * 300, chosen=CODE + f"# {n}a\n", rejected=CODE + f"# {n}b\n",
               language=language, aspect=criterion, source="problems", idx=n, split="train" if n % 5 else "bench",
               criterion=criterion, language_id=language, origin="o", chosen_id=f"s{n}a", rejected_id=f"s{n}b",
               label_method="execution", margin=5.0 + n % 7, votes=[], system_mode="none", schema_version="1.1.0",
               chosen_execution=execution(cpu_s=0.01 + n % 100 / 1000, rss=(10 + n % 50) * 2**20),
               rejected_execution=execution(cpu_s=0.2 + n % 90 / 100, rss=(30 + n % 70) * 2**20))
    return row


def synthetic_run(out: Path, pairs: int, per_shard: int = 2000) -> Path:
    """A run folder as the pipeline writes it: shards, dead letters (one per pair) and the summary."""
    rows = [_pair(n) for n in range(pairs)]
    for split in ("train", "bench"):
        mine = [r for r in rows if r["split"] == split]
        shards = max(1, -(-len(mine) // per_shard))
        (out / "shards" / split).mkdir(parents=True)
        for i in range(shards):
            pq.write_table(pa.Table.from_pylist(mine[i::shards], schema=PREFERENCE_PAIR),
                           out / "shards" / split / f"{split}-{i:05d}-of-{shards:05d}.parquet")
    (out / "dead_letter").mkdir()
    dead = [dead_letter("pair", "ratio_within_spread", f"p{n}", "pair", detail="d" * 200,
                        criterion=CRITERIA[n % 5], language=LANGS[n % 8]) for n in range(pairs)]
    for i in range(0, pairs, per_shard):
        pq.write_table(pa.Table.from_pylist(dead[i:i + per_shard], schema=DEAD_LETTER),
                       out / "dead_letter" / f"dead_letter-{i // per_shard:05d}.parquet")
    (out / "summary").mkdir()
    (out / "summary" / "measurements.json").write_bytes(summaries.to_json_bytes(summaries.summary_of_pairs(rows)))
    return out


SUMMARISE = """
import sys
from pipeline.manifest import build_manifest
from pipeline.report import write_report
manifest = build_manifest(sys.argv[1], "rss", {}, {}, {})
write_report(sys.argv[1], manifest)
assert manifest["pairs_total"] == int(sys.argv[2]), manifest["pairs_total"]
# VmHWM: this process image's peak RSS (ru_maxrss would include the forking parent's, kept across exec).
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")))  # KiB
"""


def summarise_peak_rss_kib(folder: Path, pairs: int) -> int:
    done = subprocess.run([sys.executable, "-c", SUMMARISE, str(folder), str(pairs)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.strip().splitlines()[-1])


def test_driver_peak_rss_does_not_grow_with_the_number_of_pairs(tmp_path):
    small = summarise_peak_rss_kib(synthetic_run(tmp_path / "small", 2_000), 2_000)
    large = summarise_peak_rss_kib(synthetic_run(tmp_path / "large", 20_000), 20_000)
    # Reading 10x the pairs whole (as rows) costs well over 50 MiB more; streaming a few columns, ~nothing.
    assert large - small < 12 * 1024, (small, large)
