"""Exact and near-duplicate removal as composite PTransforms.

Both stages take a PCollection of record dicts and return
``{"main": kept records, "dead_letter": dead letters}``. The text compared is
``text_fn(record)``; ``scope_fn(record)`` (optional) limits comparisons to
records of the same scope (e.g. per sub-dataset or language). Records are
identified by ``id_fn(record)`` (default: ``record["sample_id"]``), which must
be unique; the representative of every duplicate cluster is the record with
the smallest id, so results do not depend on bundle order or worker count.

Near-dedup is fully distributed (no step sees all records or all edges):

1. signatures per record (numpy, in batches) -> ``(scope, band, band-hash)`` keys;
2. GroupByKey per band bucket -> star edges from the bucket's smallest id to
   each other member (linear, not quadratic, in the bucket size);
3. optional verification of each edge by estimated Jaccard >= threshold (two
   joins that bring both endpoints' signatures to the edge);
4. connected components by alternating large-star / small-star rounds
   (Kiveris et al., "Connected Components in MapReduce and Beyond", 2014),
   unrolled ``max_rounds`` times in the DAG, each step one GroupByKey over
   edges; at a fixed point every component is a star around its minimum id;
5. a node's label is the minimum of itself and its neighbours. A component's
   minimum always labels itself, so every component keeps at least one record
   even if rounds run out (then some clusters are split, never emptied, and
   ``<stage>.cc_unconverged_nodes`` counts the nodes that were not settled).

Counters (namespace ``codepref``): ``<stage>.in``, ``<stage>.out``, one per
drop reason (``exact_duplicate`` / ``near_duplicate``), and for NearDedup the
diagnostics ``<stage>.candidate_edges``, ``<stage>.rejected_edges`` and
``<stage>.cc_unconverged_nodes`` (not drop reasons).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import apache_beam as beam
import numpy as np

from transforms import minhash
from transforms.common import DEAD, MAIN, count, dead_letter, route_dead
from transforms.config import option

EXACT_DUPLICATE = "exact_duplicate"
NEAR_DUPLICATE = "near_duplicate"
_WS = re.compile(r"\s+")
_MASK_63 = (1 << 63) - 1  # keys stay within Beam's signed 64-bit varint coder


def normalise_text(text: str | None) -> str:
    """Whitespace- and line-ending-insensitive form of a text."""
    return _WS.sub(" ", text or "").strip()


def content_hash(text: str | None) -> str:
    """128-bit hex digest of the normalised text."""
    return hashlib.blake2b(normalise_text(text).encode("utf-8"), digest_size=16).hexdigest()


def default_id(record: dict[str, Any]) -> str:
    return record["sample_id"]


def no_scope(record: dict[str, Any]) -> str:
    return ""


def drop_record(stage: str, reason: str, record: dict[str, Any], record_id: str, record_kind: str,
                detail: str) -> beam.pvalue.TaggedOutput:
    """Dead letter for a dropped record (sample or pair), with its provenance."""
    return route_dead(dead_letter(stage, reason, record_id, record_kind, detail, record.get("source"),
                                  record.get("language_id", record.get("language")), record.get("criterion"),
                                  record.get("split")))


class CountElements(beam.DoFn):
    """Pass-through that bumps `<stage>.<name>` per element."""

    def __init__(self, stage: str, name: str):
        self.stage, self.name = stage, name

    def process(self, element):
        count(self.stage, self.name)
        yield element


# ---- exact dedup -----------------------------------------------------------------

class _KeepSmallest(beam.DoFn):
    """Per content hash: keep the record with the smallest id, drop the rest."""

    def __init__(self, stage: str, id_fn: Callable, record_kind: str):
        self.stage, self.id_fn, self.record_kind = stage, id_fn, record_kind

    def process(self, element):
        (_, digest), records = element
        kept_id = min(str(self.id_fn(r)) for r in records)
        kept = False
        for r in records:
            rid = str(self.id_fn(r))
            if rid == kept_id and not kept:
                kept = True
                count(self.stage, "out")
                yield r
            else:
                yield drop_record(self.stage, EXACT_DUPLICATE, r, rid, self.record_kind,
                                  f"kept={kept_id} cluster=exact:{digest[:16]}")


class ExactDedup(beam.PTransform):
    """Keep one record (smallest id) per normalised content hash and scope."""

    def __init__(self, stage: str, text_fn: Callable[[dict], str], scope_fn: Callable[[dict], Any] | None = None,
                 id_fn: Callable[[dict], str] | None = None, record_kind: str = "sample"):
        super().__init__(label=None)
        self.stage, self.text_fn = stage, text_fn
        self.scope_fn = scope_fn or no_scope
        self.id_fn = id_fn or default_id
        self.record_kind = record_kind

    def expand(self, pcoll):
        text_fn, scope_fn = self.text_fn, self.scope_fn
        out = (pcoll
               | "CountIn" >> beam.ParDo(CountElements(self.stage, "in"))
               | "KeyByContent" >> beam.Map(lambda r: ((str(scope_fn(r)), content_hash(text_fn(r))), r))
               | "GroupByContent" >> beam.GroupByKey()
               | "KeepSmallest" >> beam.ParDo(_KeepSmallest(self.stage, self.id_fn, self.record_kind))
               .with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}


# ---- near dedup: signatures and candidate edges ---------------------------------------

BANDS = "bands"


class _Signatures(beam.DoFn):
    """Batch of records -> (id, signature bytes) and band keys ((scope, band, hash), id)."""

    def __init__(self, params: minhash.MinHashParams, text_fn: Callable, scope_fn: Callable, id_fn: Callable):
        self.params, self.text_fn, self.scope_fn, self.id_fn = params, text_fn, scope_fn, id_fn
        self.bands_rows = params.bands_rows  # computed once at construction, not on every worker

    def process(self, batch: list[dict]):
        bands, rows = self.bands_rows
        sigs = self.params.signatures([self.text_fn(r) or "" for r in batch])
        for record, sig in zip(batch, sigs):
            if minhash.is_empty(sig):  # no tokens: nothing to compare, the record is kept as is
                continue
            rid, scope = str(self.id_fn(record)), str(self.scope_fn(record))
            yield rid, sig.tobytes()
            for band, h in enumerate(minhash.band_hashes(sig, bands, rows)):
                yield beam.pvalue.TaggedOutput(BANDS, ((scope, band, h & _MASK_63), rid))


def star_edges(ids: Iterable[str]) -> list[tuple[str, str]]:
    """Edges from the smallest id of a bucket to every other distinct id."""
    members = sorted(set(ids))
    return [(members[0], other) for other in members[1:]]


def _sig(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint32)


def _attach_source_signature(element):
    """(u, {sig: [sig_u], out: [v...]}) -> (v, (u, sig_u)) for every edge u-v."""
    u, groups = element
    sigs = list(groups["sig"])
    if not sigs:
        return
    for v in groups["out"]:
        yield v, (u, sigs[0])


class _VerifyEdges(beam.DoFn):
    """(v, {sig: [sig_v], in: [(u, sig_u)...]}) -> verified (u, v) edges."""

    def __init__(self, stage: str, threshold: float):
        self.stage, self.threshold = stage, threshold

    def process(self, element):
        v, groups = element
        sigs = list(groups["sig"])
        if not sigs:
            return
        sig_v = _sig(sigs[0])
        for u, sig_u in groups["in"]:
            if minhash.estimate_jaccard(_sig(sig_u), sig_v) >= self.threshold:
                yield u, v
            else:
                count(self.stage, "rejected_edges")


# ---- near dedup: connected components ------------------------------------------------

def _both_directions(edge: tuple[str, str]):
    u, v = edge
    yield u, v
    yield v, u


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def large_star(node: str, neighbours: Iterable[str]) -> list[tuple[str, str]]:
    """Link every larger neighbour of ``node`` to the minimum of its closed neighbourhood."""
    nbrs = set(neighbours)
    m = min(nbrs | {node})
    return [_ordered(v, m) for v in nbrs if v > node]


def small_star(node: str, smaller_neighbours: Iterable[str]) -> list[tuple[str, str]]:
    """Link ``node`` and its smaller neighbours to the minimum among them."""
    nbrs = set(smaller_neighbours) | {node}
    m = min(nbrs)
    return [(m, v) for v in nbrs if v != m]


def label_of(node: str, neighbours: Iterable[str]) -> str:
    """Component label after the rounds: the minimum of the closed neighbourhood."""
    return min(set(neighbours) | {node})


def is_settled(node: str, neighbours: Iterable[str]) -> bool:
    """At the fixed point a node either has only larger neighbours (the centre)
    or exactly one neighbour, smaller than itself (a leaf)."""
    nbrs = set(neighbours)
    return not any(v < node for v in nbrs) or len(nbrs) == 1


class _Label(beam.DoFn):
    def __init__(self, stage: str):
        self.stage = stage

    def process(self, element):
        node, neighbours = element
        neighbours = list(neighbours)
        if not is_settled(node, neighbours):
            count(self.stage, "cc_unconverged_nodes")
        yield node, label_of(node, neighbours)


class ConnectedComponents(beam.PTransform):
    """Undirected edges (u, v) -> (node, label = smallest id of its component).

    ``max_rounds`` rounds of large-star then small-star, unrolled in the DAG;
    nodes not settled after the last round are counted in
    ``<stage>.cc_unconverged_nodes`` and get the smallest id they can see.
    """

    def __init__(self, stage: str, max_rounds: int):
        super().__init__()
        if max_rounds < 1:
            raise ValueError(f"max_rounds must be >= 1, got {max_rounds}")
        self.stage, self.max_rounds = stage, max_rounds

    def expand(self, edges):
        edges = edges | "Normalise" >> beam.MapTuple(_ordered)
        for i in range(self.max_rounds):
            edges = (edges
                     | f"LargeStarKeys{i}" >> beam.FlatMap(_both_directions)
                     | f"LargeStarGroup{i}" >> beam.GroupByKey()
                     | f"LargeStar{i}" >> beam.FlatMapTuple(large_star))
            edges = (edges
                     | f"SmallStarKeys{i}" >> beam.MapTuple(lambda a, b: (b, a))  # key by the larger end
                     | f"SmallStarGroup{i}" >> beam.GroupByKey()
                     | f"SmallStar{i}" >> beam.FlatMapTuple(small_star))
        return (edges
                | "LabelKeys" >> beam.FlatMap(_both_directions)
                | "LabelGroup" >> beam.GroupByKey()
                | "Label" >> beam.ParDo(_Label(self.stage)))


# ---- near dedup: the stage ------------------------------------------------------------

def _rep_signature(element):
    """(rep, {sig: [sig_rep], members: [x...]}) -> (x, (rep, sig_rep))."""
    rep, groups = element
    sigs = list(groups["sig"])
    sig = sigs[0] if sigs else None
    for x in groups["members"]:
        yield x, (rep, sig)


class _Resolve(beam.DoFn):
    """(id, {rec, sig, rep}) -> the record, or a near_duplicate dead letter."""

    def __init__(self, stage: str, record_kind: str):
        self.stage, self.record_kind = stage, record_kind

    def process(self, element):
        rid, groups = element
        reps = list(groups["rep"])
        sigs = list(groups["sig"])
        for record in groups["rec"]:
            if not reps:
                count(self.stage, "out")
                yield record
                continue
            rep, rep_sig = reps[0]
            jaccard = (minhash.estimate_jaccard(_sig(sigs[0]), _sig(rep_sig))
                       if sigs and rep_sig is not None else float("nan"))
            yield drop_record(self.stage, NEAR_DUPLICATE, record, rid, self.record_kind,
                              f"kept={rep} cluster={rep} jaccard={jaccard:.3f}")


@dataclass(frozen=True)
class NearDedupConfig:
    """A near-dedup stage's MinHash settings; the run holds two (``--commit_*``, ``--pair_*``)."""
    ngram: int = option(5, "Shingle size (word n-grams).")
    threshold: float = option(0.7, "Jaccard similarity at which two texts are duplicates.")
    num_perm: int = option(256, "MinHash permutations.")


@dataclass(frozen=True)
class CommitDedupConfig(NearDedupConfig):
    dedup_on: str = option("change", "Commit near-dedup text: the change (diff lines) or the new file contents.",
                           choices=("change", "file"))


class NearDedup(beam.PTransform):
    """MinHash-LSH near-duplicate removal with distributed connected components."""

    def __init__(self, stage: str, text_fn: Callable[[dict], str], config: NearDedupConfig,
                 scope_fn: Callable[[dict], Any] | None = None, max_rounds: int = 10, verify: bool = True,
                 seed: int = 1, scheme: str = minhash.DEFAULT_SCHEME, lowercase: bool = False,
                 id_fn: Callable[[dict], str] | None = None, record_kind: str = "sample", batch_size: int = 64):
        super().__init__(label=None)
        self.stage, self.text_fn = stage, text_fn
        self.scope_fn = scope_fn or no_scope
        self.id_fn = id_fn or default_id
        self.params = minhash.MinHashParams(config.ngram, config.num_perm, config.threshold, seed, scheme, lowercase)
        self.max_rounds, self.verify = max_rounds, verify
        self.record_kind, self.batch_size = record_kind, batch_size

    def expand(self, pcoll):
        stage, id_fn = self.stage, self.id_fn
        records = pcoll | "CountIn" >> beam.ParDo(CountElements(stage, "in"))
        keyed = records | "KeyById" >> beam.Map(lambda r: (str(id_fn(r)), r))
        computed = (records
                    | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self.batch_size)
                    | "Signatures" >> beam.ParDo(_Signatures(self.params, self.text_fn, self.scope_fn, id_fn))
                    .with_outputs(BANDS, main="sigs"))
        sigs, bands = computed["sigs"], computed[BANDS]
        edges = (bands
                 | "GroupBuckets" >> beam.GroupByKey()
                 | "StarEdges" >> beam.FlatMapTuple(lambda _, ids: star_edges(ids))
                 | "DistinctEdges" >> beam.Distinct()
                 | "CountEdges" >> beam.ParDo(CountElements(stage, "candidate_edges")))
        if self.verify:
            edges = ({"sig": sigs, "out": edges}
                     | "JoinSourceSig" >> beam.CoGroupByKey()
                     | "AttachSourceSig" >> beam.FlatMap(_attach_source_signature))
            edges = ({"sig": sigs, "in": edges}
                     | "JoinTargetSig" >> beam.CoGroupByKey()
                     | "Verify" >> beam.ParDo(_VerifyEdges(stage, self.params.threshold)))
        labels = edges | "Components" >> ConnectedComponents(stage, self.max_rounds)
        members = (labels
                   | "NonRepresentatives" >> beam.Filter(lambda kv: kv[0] != kv[1])
                   | "KeyByRep" >> beam.MapTuple(lambda node, rep: (rep, node)))
        rep_sigs = ({"sig": sigs, "members": members}
                    | "JoinRepSig" >> beam.CoGroupByKey()
                    | "RepSigToMember" >> beam.FlatMap(_rep_signature))
        out = ({"rec": keyed, "sig": sigs, "rep": rep_sigs}
               | "JoinRecords" >> beam.CoGroupByKey()
               | "Resolve" >> beam.ParDo(_Resolve(stage, self.record_kind)).with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}


# ----------------------------------------------------------------------------- the samples' dedup stage
# Record accessors the generic transforms above are parameterised with (module-level: they pickle).
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


COMMIT_DEDUP_TEXTS = {"change": commit_change_text, "file": commit_file_text}


def _kind_index(sample: dict, _n: int) -> int:
    return 0 if sample["kind"] == "commit" else 1


class DedupSamples(beam.PTransform):
    """Samples -> exact dedup per (source, language), then MinHash near dedup of commits.

    Submissions to one problem are meant to be similar (they solve the same task), so only
    commits are near-deduplicated; their text is the change or the file (``dedup_on``)."""

    def __init__(self, commits: CommitDedupConfig):
        super().__init__()
        self.commits = commits

    def expand(self, samples):
        unique = samples | "ExactDedup" >> ExactDedup("dedup_exact", sample_text, scope_fn=sample_scope)
        kinds = unique[MAIN] | "SplitKinds" >> beam.Partition(_kind_index, 2)
        near = kinds[0] | "NearDedupCommits" >> NearDedup(
            "dedup_near", COMMIT_DEDUP_TEXTS[self.commits.dedup_on], self.commits, scope_fn=sample_scope)
        main = (near[MAIN], kinds[1]) | "Deduped" >> beam.Flatten()
        dead = (unique[DEAD], near[DEAD]) | "DedupDead" >> beam.Flatten()
        return {MAIN: main, DEAD: dead}
