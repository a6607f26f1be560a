"""ExactDedup / NearDedup / ConnectedComponents on small PCollections (in-process runner)."""
from __future__ import annotations

import json
import os
import random
import tempfile

import apache_beam as beam
import pytest
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.util import assert_that

from transforms import dedup, minhash

def _capture(path):
    def check(actual):  # runs inside the pipeline: hand the elements back through a file
        with open(path, "w") as f:
            json.dump(list(actual), f)
    return check


def run_stage(make_transform, records):
    """Run ``records | transform`` in-process; return (main, dead letters, counters)."""
    with tempfile.TemporaryDirectory() as tmp:
        main_path, dead_path = os.path.join(tmp, "main.json"), os.path.join(tmp, "dead.json")
        p = beam.Pipeline(runner=FnApiRunner())  # in-process: no Prism download
        out = p | beam.Create(records) | make_transform()
        assert_that(out["main"], _capture(main_path), label="CaptureMain")
        assert_that(out["dead_letter"], _capture(dead_path), label="CaptureDead")
        result = p.run()
        result.wait_until_finish()
        counters = {c.key.metric.name: c.committed for c in result.metrics().query()["counters"]}
        with open(main_path) as f, open(dead_path) as g:
            return json.load(f), json.load(g), counters


def code(text):
    return text["code"]


def by_source(record):
    return record["source"]


def rec(sid, text, source="s1", **extra):
    return {"sample_id": sid, "code": text, "source": source, "language": "python", "split": "train", **extra}


# ---- pure helpers -----------------------------------------------------------------------

def test_normalise_text_and_content_hash():
    assert dedup.normalise_text("a\r\n  b\tc \n") == "a b c"
    assert dedup.content_hash("x = 1\r\ny = 2") == dedup.content_hash("x = 1\ny = 2\n")
    assert dedup.content_hash("x = 1") != dedup.content_hash("x = 2")
    assert dedup.content_hash(None) == dedup.content_hash("")


def test_star_edges():
    assert dedup.star_edges(["c", "a", "b", "a"]) == [("a", "b"), ("a", "c")]
    assert dedup.star_edges(["a"]) == []


def _components_in_memory(edges, rounds):
    """The ConnectedComponents rounds, simulated with plain dicts."""
    def group(pairs):
        g = {}
        for k, v in pairs:
            g.setdefault(k, []).append(v)
        return g

    edges = [tuple(sorted(e)) for e in edges]
    for _ in range(rounds):
        edges = [e for u, n in group([(a, b) for x, y in edges for a, b in ((x, y), (y, x))]).items()
                 for e in dedup.large_star(u, n)]
        edges = [e for u, n in group([(y, x) for x, y in edges]).items() for e in dedup.small_star(u, n)]
    g = group([(a, b) for x, y in edges for a, b in ((x, y), (y, x))])
    return {u: dedup.label_of(u, n) for u, n in g.items()}, all(dedup.is_settled(u, n) for u, n in g.items())


def _true_components(edges):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in edges:
        parent[find(u)] = find(v)
    members = {}
    for x in list(parent):
        members.setdefault(find(x), []).append(x)
    return {x: min(ms) for ms in members.values() for x in ms}


@pytest.mark.parametrize("seed", range(6))
def test_large_small_star_finds_component_minimum(seed):
    rng = random.Random(seed)
    nodes = [f"n{i:03d}" for i in range(120)]
    rng.shuffle(nodes)
    edges = [(nodes[i], nodes[i + 1]) for i in range(0, 40)]  # a long path in random id order
    edges += [(rng.choice(nodes[50:]), rng.choice(nodes[50:])) for _ in range(60)]
    edges = [e for e in edges if e[0] != e[1]]
    labels, settled = _components_in_memory(edges, rounds=12)
    assert settled
    assert labels == _true_components(edges)


def test_too_few_rounds_are_detected_but_keep_each_component_minimum():
    chain = [(f"n{i:02d}", f"n{i + 1:02d}") for i in range(30)]
    order = list(range(31))
    random.Random(0).shuffle(order)
    relabel = {f"n{i:02d}": f"n{order[i]:02d}" for i in range(31)}
    edges = [(relabel[a], relabel[b]) for a, b in chain]
    labels, settled = _components_in_memory(edges, rounds=1)
    assert not settled
    assert labels["n00"] == "n00"  # the global minimum always labels itself


# ---- ExactDedup ----------------------------------------------------------------------------

def test_exact_dedup_keeps_smallest_id_per_scope():
    records = [
        rec("b", "x = 1\ny = 2\n"),
        rec("a", "x = 1\r\n  y = 2"),       # same content modulo whitespace
        rec("c", "x = 1\ny = 2", source="s2"),  # other scope: kept
        rec("d", "x = 3"),
        rec("e", "x = 1 y = 2"),
    ]
    main, dead, counters = run_stage(lambda: dedup.ExactDedup("exact", code, by_source), records)
    assert sorted(r["sample_id"] for r in main) == ["a", "c", "d"]
    assert sorted(d["record_id"] for d in dead) == ["b", "e"]
    cluster = {d["detail"].split("cluster=")[1] for d in dead}
    assert len(cluster) == 1
    for d in dead:
        assert d["reason"] == "exact_duplicate" and d["stage"] == "exact"
        assert d["detail"].startswith("kept=a ")
        assert d["source"] == "s1" and d["language"] == "python" and d["split"] == "train"
        assert d["record_kind"] == "sample"
    assert counters["exact.in"] == 5 and counters["exact.out"] == 3 and counters["exact.exact_duplicate"] == 2


def test_exact_dedup_without_scope_and_custom_id():
    records = [{"idx": 7, "chosen": "a b", "source": "x", "language_id": "go", "criterion": "fc"},
               {"idx": 3, "chosen": "a  b", "source": "y", "language_id": "go", "criterion": "fc"}]
    main, dead, _ = run_stage(lambda: dedup.ExactDedup("exact", lambda r: r["chosen"],
                                                       id_fn=lambda r: str(r["idx"]), record_kind="pair"),
                              records)
    assert [r["idx"] for r in main] == [3]
    assert dead[0]["record_id"] == "7" and dead[0]["record_kind"] == "pair"
    assert dead[0]["language"] == "go" and dead[0]["criterion"] == "fc"


# ---- NearDedup -------------------------------------------------------------------------------

def _base_text(seed, n=120):
    rng = random.Random(seed)
    return [f"v{rng.randrange(10**6)}" for _ in range(n)]


def _edit(tokens, positions, tag):
    out = list(tokens)
    for i in positions:
        out[i] = f"{tag}{i}"
    return " ".join(out)


def _chain_records():
    """A ~ B ~ C with A and C below the threshold: one cluster only through B.

    Word 1-gram sets of 120 tokens: A and B differ in 10 tokens (J ~ 0.85),
    B and C in another 10 (J ~ 0.85), A and C in 20 (J ~ 0.71 < 0.75). With
    256 permutations (21 bands x 12 rows) A-B and B-C share bands, A-C none
    (checked in the test, so a change of hashing cannot silently void it)."""
    base = _base_text(1)
    a = " ".join(base)
    b = _edit(base, range(0, 10), "b")
    c = _edit(base, list(range(0, 10)) + list(range(60, 70)), "c")
    c = _edit(c.split(), range(0, 10), "b")
    return a, b, c


def test_chain_is_one_component_across_rounds():
    a, b, c = _chain_records()
    other = " ".join(_base_text(2))
    sigs = minhash.signatures([a, b, c], 1, 256)
    bands = [set(minhash.band_hashes(s, *minhash.optimal_bands_rows(0.75, 256))) for s in sigs]
    assert bands[0] & bands[1] and bands[1] & bands[2] and not bands[0] & bands[2]
    records = [rec("z_a", a), rec("m_b", b), rec("a_c", c), rec("q_other", other)]
    main, dead, counters = run_stage(
        lambda: dedup.NearDedup("near", code, dedup.NearDedupConfig(ngram=1, num_perm=256, threshold=0.75), max_rounds=3), records)
    assert sorted(r["sample_id"] for r in main) == ["a_c", "q_other"]
    assert sorted(d["record_id"] for d in dead) == ["m_b", "z_a"]
    for d in dead:
        assert d["reason"] == "near_duplicate"
        assert "kept=a_c cluster=a_c jaccard=" in d["detail"]
    jac = {d["record_id"]: float(d["detail"].rsplit("=", 1)[1]) for d in dead}
    assert jac["m_b"] > 0.75 and jac["z_a"] < 0.75  # A is only linked through B
    assert counters["near.in"] == 4 and counters["near.out"] == 2 and counters["near.near_duplicate"] == 2
    assert counters.get("near.cc_unconverged_nodes", 0) == 0


def test_scope_separates_and_representatives_are_deterministic():
    base = _base_text(3)
    texts = [" ".join(base), _edit(base, [5], "x"), _edit(base, [9], "y")]
    records = [rec("r2", texts[0], "s1"), rec("r1", texts[1], "s1"), rec("r3", texts[2], "s2"),
               rec("r0", texts[0], "s2")]
    results = []
    for order in (records, list(reversed(records))):
        main, dead, _ = run_stage(
            lambda: dedup.NearDedup("near", code, dedup.NearDedupConfig(ngram=3, num_perm=128, threshold=0.7), scope_fn=by_source,
                                    max_rounds=2), order)
        results.append((sorted(r["sample_id"] for r in main), sorted((d["record_id"], d["detail"]) for d in dead)))
    assert results[0] == results[1]
    kept, dropped = results[0]
    assert kept == ["r0", "r1"]  # one per scope, smallest id within the scope
    assert [d[0] for d in dropped] == ["r2", "r3"]
    assert "kept=r1" in dict(dropped)["r2"] and "kept=r0" in dict(dropped)["r3"]


def test_verification_rejects_weak_candidates_and_empty_texts_pass():
    base = _base_text(4, 60)
    records = [rec("a", " ".join(base)), rec("b", _edit(base, range(0, 24), "w")),  # J ~ 0.43
               rec("e1", ""), rec("e2", "  ")]
    main, dead, counters = run_stage(
        lambda: dedup.NearDedup("near", code, dedup.NearDedupConfig(ngram=1, num_perm=64, threshold=0.9), max_rounds=1), records)
    assert sorted(r["sample_id"] for r in main) == ["a", "b", "e1", "e2"] and dead == []
    assert counters["near.out"] == 4
    assert counters.get("near.candidate_edges", 0) == counters.get("near.rejected_edges", 0)


def _run_components(edges, rounds):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "labels.json")
        p = beam.Pipeline(runner=FnApiRunner())
        labels = p | beam.Create(edges) | dedup.ConnectedComponents("cc", rounds)
        assert_that(labels, _capture(path))
        result = p.run()
        result.wait_until_finish()
        counters = {c.key.metric.name: c.committed for c in result.metrics().query()["counters"]}
        with open(path) as f:
            return dict(map(tuple, json.load(f))), counters


def test_connected_components_transform_on_a_shuffled_path():
    ids = [f"n{i:02d}" for i in range(24)]
    random.Random(3).shuffle(ids)
    edges = [(ids[i], ids[i + 1]) for i in range(23)] + [("x1", "x0"), ("x2", "x1")]
    want = _true_components(edges)
    labels, counters = _run_components(edges, rounds=8)
    assert labels == want
    assert counters.get("cc.cc_unconverged_nodes", 0) == 0
    short, counters = _run_components(edges, rounds=1)
    assert counters["cc.cc_unconverged_nodes"] > 0
    assert short["n00"] == "n00" and short["x0"] == "x0"  # minima always label themselves
    assert all(short[x] >= want[x] for x in want)  # labels only ever move towards the true minimum
