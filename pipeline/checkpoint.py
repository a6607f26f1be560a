"""Materialised stage outputs with completion markers: what makes a run resumable.

A run is a sequence of phases (``pipeline.build.PHASES``). Each phase is its own Beam
pipeline that reads the previous phase's materialised output and writes its own under
``<output>/_stages/<phase>-<fingerprint>/`` (``main/`` and ``dead/`` record shards). The
driver writes ``_SUCCESS`` (with the phase's Beam counters) only after the phase's
pipeline finished, so a phase killed half-way has no marker and runs again; a phase with
a marker is skipped on the next run with the same output folder and the same fingerprint.

The fingerprint covers every option that changes results and the identity of the inputs
(paths, sizes, modification times), so a changed option or input never reuses stale output.
Records are pickled as they are (no schema round trip), so a resumed run writes the same
bytes as an uninterrupted one.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import zlib
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from transforms.config import flat_settings
from transforms.write import WriteShards

STAGES_DIR = "_stages"
MARKER = "_SUCCESS"
# Settings (flag names) that do not change what a phase writes.
NOT_FINGERPRINTED = ("output", "exec_parallelism", "exec_cache")


def input_identity(uri: str) -> Iterator[list]:
    """(path, size, mtime) of every file under a local path or a FileSystems URI, one at a time
    (a CodeNet tree has millions of files: the driver hashes them as they come); cheap, no reads."""
    if os.path.exists(uri):
        if os.path.isfile(uri):
            st = os.stat(uri)
            yield [uri, st.st_size, st.st_mtime_ns]
            return
        for root, dirs, files in os.walk(uri):
            dirs.sort()
            for name in sorted(files):
                st = os.stat(os.path.join(root, name))
                yield [os.path.relpath(os.path.join(root, name), uri), st.st_size, st.st_mtime_ns]
        return
    try:
        pattern = uri if any(c in uri for c in "*?[") else FileSystems.join(uri, "**")
        found = FileSystems.match([pattern, uri])
    except Exception:  # an unreachable URI: identify it by name; the read stage reports it
        yield [uri]
        return
    yield from sorted([m.path, m.size_in_bytes, m.last_updated_in_seconds] for r in found for m in r.metadata_list)


def run_identity(cfg) -> str:
    """Hash of the results-relevant config and the inputs' identity (one walk of the inputs per
    run, streamed into the hash)."""
    settings = {k: v for k, v in flat_settings(cfg).items() if k not in NOT_FINGERPRINTED}
    read = cfg.read
    inputs = [read.repos, read.problems, read.commit_export, read.codenet, cfg.decontam.benchmark,
              [spec["path"] for spec in read.hf_dataset], read.humaneval]
    h = hashlib.blake2b(digest_size=8)
    h.update(json.dumps(settings, sort_keys=True, default=str).encode("utf-8"))
    for g, group in enumerate(inputs):
        for u, uri in enumerate(group):
            h.update(f"\0input {g} {u}\0".encode())
            for entry in input_identity(uri):
                h.update(json.dumps(entry, default=str).encode("utf-8") + b"\n")
    return h.hexdigest()


def fingerprint(identity: str, phase_index: int) -> str:
    """A phase's fingerprint: the run's identity and the phase's position."""
    return hashlib.blake2b(f"{identity}:{phase_index}".encode(), digest_size=8).hexdigest()


def phase_dir(output: str, phase: str, fp: str) -> str:
    return FileSystems.join(output, STAGES_DIR, f"{phase}-{fp}")


def is_complete(folder: str) -> bool:
    return FileSystems.exists(FileSystems.join(folder, MARKER))


def mark_complete(folder: str, counters: dict[str, int], seconds: float) -> None:
    with FileSystems.create(FileSystems.join(folder, MARKER)) as f:
        f.write(json.dumps({"counters": counters, "seconds": round(seconds, 3)}, sort_keys=True).encode("utf-8"))


def read_marker(folder: str) -> dict:
    with FileSystems.open(FileSystems.join(folder, MARKER)) as f:
        return json.loads(f.read().decode("utf-8"))


def clear(folder: str) -> None:
    """Remove a folder we own (a half-written phase, stale shards) before it is written again."""
    if os.path.isdir(folder):
        shutil.rmtree(folder)
        return
    # Object stores have no folders: delete every object under the prefix.
    found = FileSystems.match([FileSystems.join(folder, "**")])
    paths = [m.path for r in found for m in r.metadata_list]
    if paths:
        FileSystems.delete(paths)


def remove_stale(output: str, phase: str, fp: str) -> None:
    """Drop this phase's folders from runs with other fingerprints (they can never be resumed
    together with the current ones, and they hold a full copy of the phase's records)."""
    pattern = FileSystems.join(output, STAGES_DIR, f"{phase}-*", MARKER)
    current = phase_dir(output, phase, fp)
    for r in FileSystems.match([pattern]):
        for m in r.metadata_list:
            folder = m.path[: -len(MARKER) - 1]
            if folder.rstrip("/") != current.rstrip("/"):
                clear(folder)


# ---- record shards -----------------------------------------------------------------------

def dump_records(path: str, rows: list) -> None:
    with FileSystems.create(path) as f:
        f.write(zlib.compress(pickle.dumps(rows, protocol=4), 3))


def load_records(path: str) -> list:
    with FileSystems.open(path) as f:
        return pickle.loads(zlib.decompress(f.read()))


def matching_paths(pattern: str) -> list[str]:
    return sorted(m.path for r in FileSystems.match([pattern]) for m in r.metadata_list)


class Materialize(beam.PTransform):
    """Records -> ``<folder>/<name>-NNNNN-of-MMMMM.pkl.z`` shards (keyed by ``key_fn``)."""

    def __init__(self, folder: str, name: str, key_fn, records_per_shard: int = 20_000):
        super().__init__()
        self.folder, self.name, self.key_fn, self.records_per_shard = folder, name, key_fn, records_per_shard

    def expand(self, records):
        return records | WriteShards(self.folder, self.name, None, self.key_fn, self.key_fn,
                                     self.records_per_shard, write_fn=dump_records, suffix=".pkl.z")


class ReadMaterialized(beam.PTransform):
    """The records a ``Materialize`` wrote, redistributed for parallel downstream work."""

    def __init__(self, folder: str, name: str):
        super().__init__()
        self.folder, self.name = folder, name

    def expand(self, p):
        pattern = FileSystems.join(self.folder, f"{self.name}-*.pkl.z")
        # Shards are listed on a worker: the graph carries the pattern, not one path per shard.
        return (p | "Pattern" >> beam.Create([pattern])
                | "Paths" >> beam.FlatMap(matching_paths)
                | "SpreadPaths" >> beam.Reshuffle()
                | "Load" >> beam.FlatMap(load_records)
                | "Redistribute" >> beam.Reshuffle())
