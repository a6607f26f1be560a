"""MinHash signatures/s: our numpy implementation vs datasketch 2.0, same run.

All implementations get the same 5-gram shingles (bytes) of the same synthetic
code snippets, so the figures compare signature computation (base hash,
permutations, min-reduce), not tokenisation; the end-to-end figure (from text)
is printed separately. Implementations are run alternately, best of
``--repeats``, to damp the drift of a shared machine. Accuracy: mean |estimate -
exact Jaccard| over pairs of related snippets, for ours and datasketch.

    .venv/bin/python bench/minhash_bench.py [--docs 20000] [--repeats 3]

The last line is one ``key=value`` summary.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
import xxhash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms import minhash  # noqa: E402

_KEYWORDS = ["if", "for", "while", "return", "def", "class", "int", "const", "let", "var", "else", "try"]
_OPS = ["=", "+", "-", "*", "<", ">", "==", "+=", "(", ")", "{", "}", ";", ","]


def synthetic_snippets(n: int, seed: int = 7, words: int = 250) -> tuple[list[str], list[tuple[int, int]]]:
    """Code-like snippets and (copy, source) index pairs: every 4th snippet is a
    mutated copy of an earlier one, so the pairs span many Jaccard levels."""
    rng = random.Random(seed)
    vocab = [f"{rng.choice('abcdefghijklmnopqrstuvwxyz')}{rng.randrange(10_000)}" for _ in range(3000)]
    out: list[str] = []
    pairs: list[tuple[int, int]] = []
    for i in range(n):
        if i % 4 == 3:
            j = rng.randrange(len(out))
            base = out[j].split(" ")
            for _ in range(rng.randrange(1, max(2, len(base) // 3))):
                base[rng.randrange(len(base))] = rng.choice(vocab)
            out.append(" ".join(base))
            pairs.append((i, j))
            continue
        toks: list[str] = []
        while len(toks) < words * 5 // 3:  # 3 of every 5 tokens are words
            toks += [rng.choice(_KEYWORDS), rng.choice(vocab), rng.choice(_OPS), rng.choice(vocab), rng.choice(_OPS)]
        out.append(" ".join(toks))
    return out, pairs


def _time(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def run(docs: int, repeats: int, perms: tuple[int, ...]) -> dict[str, float]:
    from datasketch import MinHash

    texts, pairs = synthetic_snippets(docs)
    grams = [minhash.shingles(t, 5) for t in texts]  # distinct 5-gram shingles
    shingle_bytes = [[g.encode("utf-8") for g in d] for d in grams]
    mean_shingles = float(np.mean([len(d) for d in grams]))
    print(f"docs={docs} mean_shingles={mean_shingles:.1f}")

    def ours(num_perm, scheme=minhash.AFFINE32):
        return lambda: minhash.signatures_from_hashes([minhash.base_hashes(d) for d in shingle_bytes], num_perm,
                                                      scheme=scheme)

    def ours_text(num_perm):
        return lambda: minhash.signatures(texts, 5, num_perm)

    def ds_bulk(num_perm, hashfunc=None):
        kw = {} if hashfunc is None else {"hashfunc": hashfunc}
        return lambda: MinHash.bulk(shingle_bytes, num_perm=num_perm, **kw)

    def ds_update_batch(num_perm):
        def go():
            out = []
            for d in shingle_bytes:
                m = MinHash(num_perm=num_perm)
                m.update_batch(d)
                out.append(m)
            return out
        return go

    results: dict[str, float] = {}
    for num_perm in perms:
        impls = {
            "numpy": ours(num_perm),
            "numpy_mersenne31": ours(num_perm, minhash.MERSENNE31),
            "numpy_from_text": ours_text(num_perm),
            "datasketch_bulk": ds_bulk(num_perm),
            "datasketch_bulk_xxh32": ds_bulk(num_perm, xxhash.xxh32_intdigest),
            "datasketch_update_batch": ds_update_batch(num_perm),
        }
        best = {k: float("inf") for k in impls}
        outputs = {}
        for _ in range(repeats):
            for name, fn in impls.items():  # alternate implementations within a repeat
                seconds, outputs[name] = _time(fn)
                best[name] = min(best[name], seconds)
        for name, seconds in best.items():
            results[f"{name}_{num_perm}"] = docs / seconds
            print(f"perm={num_perm:4d} {name:26s} {docs / seconds:10,.0f} docs/s")
        for ref in ("datasketch_bulk", "datasketch_bulk_xxh32", "datasketch_update_batch"):
            ratio = best[ref] / best["numpy"]
            results[f"speedup_vs_{ref}_{num_perm}"] = ratio
            print(f"perm={num_perm:4d} numpy / {ref}: {ratio:.2f}x")
        ours_err, ds_err = _accuracy(grams, pairs, outputs["numpy"], outputs["datasketch_bulk"])
        results[f"mae_numpy_{num_perm}"] = ours_err
        results[f"mae_datasketch_{num_perm}"] = ds_err
        print(f"perm={num_perm:4d} mean |est - exact|: numpy {ours_err:.4f}  datasketch {ds_err:.4f}")
    return results


def _accuracy(grams, pairs, ours_sigs, ds_hashes) -> tuple[float, float]:
    """Mean |estimate - exact Jaccard| over the (copy, source) pairs."""
    ours_err, ds_err = [], []
    for i, j in pairs:
        exact = minhash.exact_jaccard(grams[i], grams[j])
        ours_err.append(abs(minhash.estimate_jaccard(ours_sigs[i], ours_sigs[j]) - exact))
        ds_err.append(abs(ds_hashes[i].jaccard(ds_hashes[j]) - exact))
    return float(np.mean(ours_err)), float(np.mean(ds_err))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--perms", type=int, nargs="+", default=[128, 256])
    args = parser.parse_args(argv)
    r = run(args.docs, args.repeats, tuple(args.perms))
    keys = [k for k in r if k.split("_")[-1].isdigit() and (
        k.startswith(("numpy_1", "numpy_2", "datasketch_bulk_1", "datasketch_bulk_2", "speedup_vs_datasketch_bulk_",
                      "mae_")))]
    print(" ".join(f"{k}={r[k]:.4g}" for k in keys))


if __name__ == "__main__":
    main()
