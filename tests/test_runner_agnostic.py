"""Runner-agnostic inputs: problem sets (and CodeNet sets), commit exports, dataset row files,
benchmark Parquet and git bundles read from any fsspec URI, and a whole DAG whose transforms
survive serialisation to the runner API and pickling.

``memory://`` stands in for gs:// or s3://: it is a non-local fsspec filesystem that the
in-process runner shares with the test, so nothing here can fall back to the local disk."""
from __future__ import annotations

import gzip
import json
import os
import pickle
import subprocess
import uuid
from pathlib import Path

import apache_beam as beam
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.internal import pickler
from apache_beam.testing import test_pipeline
from apache_beam.testing.util import assert_that, equal_to

from pipeline.build import build
from pipeline.config import RunConfig
from transforms.execute import ExecuteConfig
from transforms.read import ReadConfig
from pipeline.defaults.history import build_repository, load_specs
from pipeline.run import bundled_problems
from tests.test_sources import (
    EXPORT,
    MINING,
    SUBMISSION_MAP,
    parquet_rows,
    submission_columns,
)
from transforms import decontaminate
from transforms.common import DEAD, MAIN
from transforms.mining.filters import MiningConfig
from transforms.read import codenet, commit_export, hf_dataset, problems
from transforms.read import git as read_git
from transforms.read.commit_export import ReadCommitExports
from transforms.read.hf_dataset import ReadHFDataset
from transforms.read.problems import ReadProblems, load_tests
from transforms.read.rows import expand_paths, plan_chunks

pytestmark = pytest.mark.timeout(120)

PROBLEM = "prime-count"
CODENET = Path(__file__).parent / "data" / "sources" / "codenet"


def _upload(local: Path, uri: str) -> None:
    """Copy a local folder tree to an fsspec URI."""
    fs, root = fsspec.core.url_to_fs(uri)
    for f in sorted(local.rglob("*")):
        if f.is_file():
            fs.pipe_file(f"{root}/{f.relative_to(local).as_posix()}", f.read_bytes())


@pytest.fixture()
def sets(tmp_path):
    """The same one-problem set twice: a local folder with the problem symlinked in, and a memory:// copy."""
    local = tmp_path / "problems"
    local.mkdir()
    (local / PROBLEM).symlink_to(Path(bundled_problems()) / PROBLEM)
    (local / "not-a-problem").mkdir()  # a folder without problem.toml is not listed
    remote = f"memory://codepref-{uuid.uuid4().hex}/problems"
    _upload(Path(bundled_problems()) / PROBLEM, f"{remote}/{PROBLEM}")
    fsspec.filesystem("memory").pipe_file(f"{remote}/README.md", b"a file, not a problem")
    yield local, remote
    fsspec.filesystem("memory").rm(remote.rsplit("/", 1)[0], recursive=True)


def _samples(root) -> list[tuple[str, dict | None, str | None, str | None]]:
    return [item for d in problems.problem_dirs(root)
            for item in problems.iter_submissions(problems.load_problem(d))]


def test_problem_dirs_keep_the_form_of_their_root(sets):
    local, remote = sets
    assert problems.problem_dirs(local) == [local / PROBLEM]
    assert problems.problem_dirs(str(local)) == [local / PROBLEM]
    assert problems.problem_dirs(remote) == [f"{remote}/{PROBLEM}"]


def test_a_problem_reads_the_same_from_memory_as_from_a_symlinked_local_folder(sets):
    local, remote = sets
    a, b = problems.load_problem(local / PROBLEM), problems.load_problem(f"{remote}/{PROBLEM}")
    assert (a.id, a.statement, a.tests, a.time_limit_s, a.memory_limit_mb, a.split) == (
        b.id, b.statement, b.tests, b.time_limit_s, b.memory_limit_mb, b.split)
    assert len(a.tests) >= 2 and b.root == f"{remote}/{PROBLEM}"
    local_items, remote_items = _samples(local), _samples(remote)
    assert len(local_items) >= 8 and all(s is not None for _, s, _, _ in local_items)
    # Locators, sample ids, code and every other field (the set folder is "problems" in both).
    assert remote_items == local_items
    assert load_tests([remote]) == load_tests([str(local)]) and PROBLEM in load_tests([remote])


def test_a_missing_remote_test_file_is_a_value_error(sets):
    _, remote = sets
    fs, root = fsspec.core.url_to_fs(remote)
    victim = min(p for p in fs.find(f"{root}/{PROBLEM}/tests") if p.endswith(".out"))
    fs.rm(victim)
    with pytest.raises(ValueError, match="malformed problem"):
        problems.load_problem(f"{remote}/{PROBLEM}")
    assert load_tests([remote]) == {}


def test_read_problems_on_beam_gives_the_same_samples_from_memory(sets):
    local, remote = sets
    expected = sorted((s["sample_id"], s["code"]) for _, s, _, _ in _samples(local))
    missing = f"{remote.rsplit('/', 1)[0]}/no-such-set"
    with test_pipeline.TestPipeline() as p:
        from_memory = p | "Memory" >> ReadProblems([remote, missing])
        from_disk = p | "Disk" >> ReadProblems([str(local)])
        for name, out in (("Memory", from_memory), ("Disk", from_disk)):
            assert_that(out[MAIN] | f"Key{name}" >> beam.Map(lambda s: (s["sample_id"], s["code"])),
                        equal_to(expected), label=f"Same{name}")
        assert_that(from_memory[DEAD] | beam.Map(lambda d: (d["reason"], d["record_id"])),
                    equal_to([("unreadable_problem_set", missing)]), label="MissingSetIsDead")
        assert_that(from_disk[DEAD], equal_to([]), label="NoDeadOnDisk")


def test_codenet_reads_the_same_from_memory():
    remote = f"memory://codepref-{uuid.uuid4().hex}/codenet"
    _upload(CODENET, remote)
    try:
        ids = codenet.problem_ids(CODENET)
        assert codenet.problem_ids(remote) == ids
        assert ([i for pid in ids for i in codenet.iter_problem_submissions(remote, pid)]
                == [i for pid in ids for i in codenet.iter_problem_submissions(CODENET, pid)])
        assert codenet.load_codenet_tests(remote) == codenet.load_codenet_tests(CODENET) != {}
    finally:
        fsspec.filesystem("memory").rm(remote.rsplit("/", 1)[0], recursive=True)


# --------------------------------------------------------------------------- the whole DAG

def _dofns(p: beam.Pipeline) -> dict[str, beam.DoFn]:
    """Full label -> DoFn of every ParDo in the pipeline."""
    found = {}

    class Visitor(beam.pipeline.PipelineVisitor):
        def visit_transform(self, node):
            if isinstance(node.transform, beam.ParDo):
                found[node.full_label] = node.transform.fn

    p.visit(Visitor())
    return found


@pytest.fixture(scope="module")
def dag(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dag")
    problems_root = tmp / "problems"
    problems_root.mkdir()
    (problems_root / PROBLEM).symlink_to(Path(bundled_problems()) / PROBLEM)
    spec = next(s for s in load_specs() if s["name"] == "forge-core")
    repo = build_repository(spec, tmp / "history")
    cfg = RunConfig(output=str(tmp / "out"),
                    read=ReadConfig(repos=(str(repo),), problems=(str(problems_root),), codenet=(str(CODENET),)),
                    execute=ExecuteConfig(exec_cache=str(tmp / "exec"), sandbox_backend="local"))
    p = beam.Pipeline(runner="DirectRunner")
    build(p, cfg)
    return p


def test_the_whole_dag_serialises_to_the_runner_api(dag):
    proto = dag.to_runner_api()
    labels = {t.unique_name for t in proto.components.transforms.values()}
    assert {"Read/ReadProblems", "Read/ReadCommits", "Execute"} <= {"/".join(label.split("/")[:2]) for label in labels} | {
        label.split("/")[0] for label in labels}


def test_every_dofn_of_the_dag_round_trips_through_beam_pickler(dag):
    dofns = _dofns(dag)
    assert len(dofns) > 20
    for label, fn in dofns.items():
        again = pickler.loads(pickler.dumps(fn))
        assert type(again) is type(fn), label


def test_the_project_dofns_pickle_with_the_standard_library_too(dag):
    # Project DoFns are module-level classes holding plain data, so even plain pickle (a stricter
    # serialiser than Beam's cloudpickle) ships them; Beam's own wrappers (Map's lambdas) are left out.
    ours = {label: fn for label, fn in _dofns(dag).items() if type(fn).__module__.startswith("transforms.")}
    assert {"_ListProblems", "_ReadSubmissions", "_ReadProblem", "_ExecuteFn"} <= {type(fn).__name__ for fn in ours.values()}
    for label, fn in ours.items():
        again = pickle.loads(pickle.dumps(fn))
        assert type(again) is type(fn) and vars(again).keys() == vars(fn).keys(), label



# --------------------------------------------------------------------------- row files, benchmarks, bundles

@pytest.fixture()
def bucket():
    """A fresh memory:// folder standing in for a gs:// bucket; removed afterwards."""
    root = f"memory://codepref-{uuid.uuid4().hex}"
    yield root
    fsspec.filesystem("memory").rm(root, recursive=True)


def _put(uri: str, data: bytes) -> str:
    fs, path = fsspec.core.url_to_fs(uri)
    fs.pipe_file(path, data)
    return uri


def _outcomes(items) -> list[tuple]:
    """(line or row number, sample, reason, detail): the read without the file's own name."""
    return [(loc.rsplit(":", 1)[1], sample, reason, detail) for loc, sample, reason, detail in items]


def _export_files(tmp_path: Path, bucket: str) -> tuple[list[str], list[str]]:
    """The commit-export fixture as JSON Lines, gzip JSON Lines and Parquet (two-row groups), locally and in memory."""
    local = tmp_path / "exports"
    local.mkdir()
    data = EXPORT.read_bytes()
    (local / "a.jsonl").write_bytes(data)
    (local / "b.jsonl.gz").write_bytes(gzip.compress(data))
    pq.write_table(pa.Table.from_pylist(parquet_rows()), local / "c.parquet", row_group_size=2)
    for f in sorted(local.iterdir()):
        _put(f"{bucket}/exports/{f.name}", f.read_bytes())
    _put(f"{bucket}/exports/notes.txt", b"not a row file")
    return sorted(str(f) for f in local.iterdir()), [f"{bucket}/exports/{f.name}" for f in sorted(local.iterdir())]


def test_expand_paths_lists_and_globs_uris_in_the_form_given(tmp_path, bucket):
    _, remote = _export_files(tmp_path, bucket)
    assert expand_paths([f"{bucket}/exports"]) == sorted(remote)  # a folder: its row files, not notes.txt
    assert expand_paths([f"{bucket}/exports/"]) == sorted(remote)
    assert expand_paths([f"{bucket}/*/*.parquet", f"{bucket}/exports/*.jsonl*"]) == [remote[2], remote[0], remote[1]]
    assert expand_paths([f"{bucket}/absent.jsonl"]) == [f"{bucket}/absent.jsonl"]  # kept: read as a dead letter


def test_commit_exports_read_the_same_from_memory(tmp_path, bucket):
    local, remote = _export_files(tmp_path, bucket)
    for here, there in zip(local, remote):
        assert [(c.fmt, c.start, c.first_row, c.rows) for c in plan_chunks(here, 4)] == [
            (c.fmt, c.start, c.first_row, c.rows) for c in plan_chunks(there, 4)]
        from_disk = list(commit_export.read_exports([here], MINING))
        from_memory = list(commit_export.read_exports([there], MINING))
        assert len(from_disk) >= 5 and any(s for _, s, _, _ in from_disk)
        assert _outcomes(from_memory) == _outcomes(from_disk), there
        assert all(loc.startswith(f"{there}:") for loc, *_ in from_memory)


def test_read_commit_exports_on_beam_gives_the_same_samples_from_memory(tmp_path, bucket):
    local, _ = _export_files(tmp_path, bucket)
    key = lambda s: (s["sample_id"], s["code"])
    expected = sorted(key(s) for path in local for _, s, _, _ in commit_export.read_exports([path], MINING) if s)
    dead = sum(1 for path in local for _, s, _, _ in commit_export.read_exports([path], MINING) if s is None)
    assert len(expected) == 2 * 3 + 1
    with test_pipeline.TestPipeline() as p:
        out = p | ReadCommitExports([f"{bucket}/exports", f"{bucket}/missing.jsonl"], MINING, chunk_rows=4)
        assert_that(out[MAIN] | beam.Map(key), equal_to(expected), label="SameSamples")
        assert_that(out[DEAD] | beam.Map(lambda d: d["reason"]) | beam.combiners.Count.Globally(),
                    equal_to([dead + 1]), label="EveryRowAccounted")
        assert_that(out[DEAD] | beam.Filter(lambda d: d["reason"] == "unreadable_file")
                    | beam.Map(lambda d: d["record_id"]), equal_to([f"{bucket}/missing.jsonl"]), label="MissingIsDead")


def test_hf_row_files_read_the_same_from_memory(tmp_path, bucket):
    cols = submission_columns()
    cols["task"] = [str(t) for t in cols["task"]]
    pq.write_table(pa.table(cols), tmp_path / "part-0.parquet", row_group_size=2)
    rows = [dict(zip(cols, values)) for values in zip(*cols.values())]
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{oops\n")
    for name in ("part-0.parquet", "rows.jsonl"):
        remote = _put(f"{bucket}/hf/{name}", (tmp_path / name).read_bytes())
        from_disk = list(hf_dataset.read_dataset(str(tmp_path / name), SUBMISSION_MAP, "mydata"))
        from_memory = list(hf_dataset.read_dataset(remote, SUBMISSION_MAP, "mydata"))
        assert sorted(s["submission_id"] for _, s, _, _ in from_memory if s) == ["a", "b", "e"], name
        assert _outcomes(from_memory) == _outcomes(from_disk), name
    assert not hf_dataset.is_saved_dataset(f"{bucket}/hf")
    _put(f"{bucket}/saved/state.json", b"{}")
    assert hf_dataset.is_saved_dataset(f"{bucket}/saved") and not hf_dataset.is_saved_dataset(f"{bucket}/hf/rows.jsonl")
    with test_pipeline.TestPipeline() as p:
        out = p | ReadHFDataset(f"{bucket}/hf", SUBMISSION_MAP, "mydata", chunk_rows=2)  # a folder of row files
        assert_that(out[MAIN] | beam.Map(lambda s: s["submission_id"]),
                    equal_to(["a", "b", "e"] * 2), label="Samples")
        assert_that(out[DEAD] | beam.combiners.Count.Globally(), equal_to([2 * 4 + 1]), label="Dead")


def test_benchmark_parquet_ngrams_read_the_same_from_memory(tmp_path, bucket):
    prompt = "Given an array of integers return the indices of the two numbers that add up to the target value"
    table = pa.table({"prompt": [prompt, "too short"], "chosen": ["x", "y"], "id": ["FC_1", "FC_2"]})
    pq.write_table(table, tmp_path / "crb.parquet")
    remote = _put(f"{bucket}/bench/crb.parquet", (tmp_path / "crb.parquet").read_bytes())
    expected = sorted((h, "FC_1") for h in decontaminate.ngram_hashes(prompt))
    assert len(expected) > 5
    with test_pipeline.TestPipeline() as p:
        from_memory = p | "Memory" >> decontaminate.ReadBenchmarkNgrams([remote])
        from_disk = p | "Disk" >> decontaminate.ReadBenchmarkNgrams([str(tmp_path / "crb.parquet")])
        assert_that(from_memory, equal_to(expected), label="SameFromMemory")
        assert_that(from_disk, equal_to(expected), label="SameFromDisk")


def _git(*args: str, cwd: Path) -> None:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    assert proc.returncode == 0, proc.stderr


def _mine(repo: str) -> dict[str, tuple]:
    return {sha: read_git.read_commit(repo, sha, MiningConfig()) for sha in read_git.list_commits(repo)}


def test_a_git_bundle_mines_the_same_from_memory(tmp_path, bucket, monkeypatch):
    monkeypatch.setenv("CODEPREF_GIT_CACHE", str(tmp_path / "cache"))
    spec = next(s for s in load_specs() if s["name"] == "forge-core")
    repo = build_repository(spec, tmp_path / "history")
    bundle = tmp_path / "forge-core.bundle"
    _git("bundle", "create", str(bundle), "--all", cwd=repo)
    remote = _put(f"{bucket}/repos/forge-core.bundle", bundle.read_bytes())
    assert read_git.repo_name(remote) == read_git.repo_name(str(bundle)) == "forge-core"
    from_disk, from_memory = _mine(str(bundle)), _mine(remote)
    assert len(from_disk) >= 3 and any(s for s, _, _ in from_disk.values())
    assert from_memory == from_disk  # same commits, samples (repo name included) and drop reasons
    with pytest.raises(read_git.GitError, match="cannot read bundle"):
        read_git.list_commits(f"{bucket}/repos/absent.bundle")
    # git's own URLs are not fsspec bundles: still cloned (and named) by git as given
    assert read_git.repo_name("https://example.com/x/y.bundle") == "https://example.com/x/y.bundle"
