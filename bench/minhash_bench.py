"""MinHash signatures from RAW TEXT: ours (new and old path) vs datasketch 2.0 and rensa, same run.

Every implementation starts from the same texts and ends with one signature per
text, so tokenising, shingling and hashing are inside the timing:

- ``new_fss``       ``minhash.signatures(texts, 5, P)``: the pipeline's default,
                    bytes -> shingle keys -> Fast Similarity Sketching in one
                    compiled pass (``transforms/minhash_kernel.py``);
- ``new_rensa``     vectorised numpy shingle hashing + rensa R-MinHash (full
                    MinHash, SIMD Rust; its Python list output costs more than
                    its sketching);
- ``new_affine32``  the same shingle hashes + our numpy affine32 permutations;
- ``old``           the previous path: Python ``shingles`` + xxh32 ``base_hashes``
                    + numpy affine32 (``signatures_from_hashes``);
- ``datasketch``    Python shingling + ``MinHash.bulk`` (sha1, its default);
- ``datasketch_xxh32``  the same with xxh32 as base hash (its fastest setting);
- ``rensa_text``    Python shingling + ``RMinHash.digest_matrix_from_token_sets``
                    (how rensa is used from text without our hashing).
``rensa_core`` (shingles prepared beforehand, not from text) shows the library's
own ceiling. Rates are docs per CPU-second of this process (one core: every
implementation is single-threaded; CPU time is steadier than wall time on a
shared machine) with wall-clock rates alongside; implementations alternate
within each repeat, best of ``--repeats``.

Accuracy: mean |estimate - exact Jaccard of the shingle sets| over (a) pairs of
the synthetic snippets (every 4th is an edited copy of an earlier one) and (b)
real code pairs: this repository's own source files (8 languages' worth of
Python, shell, Go, Java, ...), each paired with a copy in which a random share
of lines is replaced by lines of other files or deleted, so the pairs span
Jaccard 0.2-1.0, plus pairs of unrelated files.

    .venv/bin/python bench/minhash_bench.py [--docs 20000] [--repeats 2] [--perms 128 256]

The last line is one ``key=value`` summary, ratios first: ``new_vs_old_P`` is
the pipeline path's (``new_fss``) docs/s over the old path's, ``new_vs_datasketch_P``
over datasketch's ``bulk``.
"""
from __future__ import annotations

import argparse
import array
import random
import sys
import time
from pathlib import Path

import numpy as np
import xxhash

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms import minhash  # noqa: E402

NGRAM = 5
_KEYWORDS = ["if", "for", "while", "return", "def", "class", "int", "const", "let", "var", "else", "try"]
_OPS = ["=", "+", "-", "*", "<", ">", "==", "+=", "(", ")", "{", "}", ";", ","]
_CODE_SUFFIXES = (".py", ".sh", ".go", ".java", ".js", ".c", ".cpp", ".cs", ".rb", ".hs", ".toml", ".yaml")


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


def real_code_pairs(root: Path = ROOT, pairs: int = 400, seed: int = 3,
                    max_lines: int = 150) -> tuple[list[str], list[tuple[int, int]]]:
    """Texts and (i, j) pairs from real source files under ``root`` (sorted walk, seeded).

    Three of four pairs: a file (its first ``max_lines`` lines) and an edit of it
    (each line replaced by a line of another file with probability r, deleted with
    probability r/4, r uniform in [0, 0.6]); one of four: two different files.
    """
    skip = {".venv", ".git", "node_modules", "__pycache__"}
    files = sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES and p.is_file()
                   and not skip & set(p.relative_to(root).parts))
    docs = []
    for p in files:
        lines = p.read_text(encoding="utf-8", errors="replace").splitlines()[:max_lines]
        if len(lines) >= 20:
            docs.append(lines)
    if len(docs) < 10:
        raise SystemExit(f"real_code_pairs: fewer than 10 source files of 20+ lines under {root}")
    rng = random.Random(seed)
    all_lines = [line for d in docs for line in d if line.strip()]
    texts: list[str] = []
    out: list[tuple[int, int]] = []
    for k in range(pairs):
        a = rng.randrange(len(docs))
        if k % 4 == 3:
            b = rng.randrange(len(docs) - 1)
            other = docs[b + (b >= a)]
        else:
            r = rng.uniform(0.0, 0.6)
            other = []
            for line in docs[a]:
                x = rng.random()
                if x < r:
                    other.append(rng.choice(all_lines))
                elif x < r * 1.25:
                    continue
                else:
                    other.append(line)
        texts += ["\n".join(docs[a]), "\n".join(other)]
        out.append((len(texts) - 2, len(texts) - 1))
    return texts, out


def _rows(matrix, num_perm: int) -> np.ndarray:
    buf = array.array("I")
    for row in matrix.to_rows():
        buf.extend(row)
    return np.frombuffer(buf, dtype=np.uint32).reshape(-1, num_perm)


def implementations(num_perm: int) -> dict:
    """name -> function(texts) -> signatures (uint32 array, or datasketch MinHash objects)."""
    from datasketch import MinHash
    from rensa import RMinHash

    def grams_bytes(texts):
        return [[g.encode("utf-8") for g in minhash.shingles(t, NGRAM)] for t in texts]

    return {
        "new_fss": lambda texts: minhash.signatures(texts, NGRAM, num_perm),
        "new_rensa": lambda texts: minhash.signatures(texts, NGRAM, num_perm, scheme=minhash.RENSA),
        "new_affine32": lambda texts: minhash.signatures(texts, NGRAM, num_perm, scheme=minhash.AFFINE32),
        "old": lambda texts: minhash.signatures_from_hashes(
            [minhash.base_hashes(minhash.shingles(t, NGRAM)) for t in texts], num_perm, scheme=minhash.AFFINE32),
        "datasketch": lambda texts: MinHash.bulk(grams_bytes(texts), num_perm=num_perm),
        "datasketch_xxh32": lambda texts: MinHash.bulk(grams_bytes(texts), num_perm=num_perm,
                                                       hashfunc=xxhash.xxh32_intdigest),
        "rensa_text": lambda texts: _rows(RMinHash.digest_matrix_from_token_sets(
            [minhash.shingles(t, NGRAM) for t in texts], num_perm, 1), num_perm),
    }


def _estimate(sigs, i: int, j: int) -> float:
    if isinstance(sigs, np.ndarray):
        return minhash.estimate_jaccard(sigs[i], sigs[j])
    return float(sigs[i].jaccard(sigs[j]))


def mean_abs_error(texts: list[str], pairs: list[tuple[int, int]], sigs) -> float:
    """Mean |estimate - exact Jaccard of the distinct shingle sets| over ``pairs``."""
    errors = []
    for i, j in pairs:
        exact = minhash.exact_jaccard(minhash.shingles(texts[i], NGRAM), minhash.shingles(texts[j], NGRAM))
        errors.append(abs(_estimate(sigs, i, j) - exact))
    return float(np.mean(errors))


def _timed(fn, texts) -> tuple[float, float, object]:
    c0, w0 = time.process_time(), time.perf_counter()
    result = fn(texts)
    return time.process_time() - c0, time.perf_counter() - w0, result


def run(docs: int, repeats: int, perms: tuple[int, ...]) -> dict[str, float]:
    from rensa import RMinHash

    texts, pairs = synthetic_snippets(docs)
    real_texts, real_pairs = real_code_pairs()
    prepared = [minhash.shingles(t, NGRAM) for t in texts]
    print(f"docs={docs} mean_shingles={np.mean([len(g) for g in prepared]):.1f} "
          f"mean_chars={np.mean([len(t) for t in texts]):.0f} real_code_pairs={len(real_pairs)} "
          f"(mean exact Jaccard {np.mean([minhash.exact_jaccard(minhash.shingles(real_texts[i], NGRAM), minhash.shingles(real_texts[j], NGRAM)) for i, j in real_pairs]):.2f})")
    results: dict[str, float] = {}
    minhash.signatures(texts[:2], NGRAM, 8)  # compile (or load) the numba kernel outside the timing
    for num_perm in perms:
        impls = implementations(num_perm)
        impls["rensa_core"] = lambda _texts: _rows(RMinHash.digest_matrix_from_token_sets(prepared, num_perm, 1),
                                                   num_perm)
        cpu = {k: float("inf") for k in impls}
        wall = {k: float("inf") for k in impls}
        outputs = {}
        for _ in range(repeats):
            for name, fn in impls.items():  # alternate implementations within a repeat
                c, w, outputs[name] = _timed(fn, texts)
                cpu[name], wall[name] = min(cpu[name], c), min(wall[name], w)
        print(f"perm={num_perm}  {'implementation':18s} {'docs/s/core':>12s} {'(wall)':>10s}  "
              f"{'mae synth':>9s} {'mae real':>9s}")
        for name in impls:
            rate = docs / cpu[name]
            results[f"{name}_{num_perm}"] = rate
            line = f"perm={num_perm}  {name:18s} {rate:12,.0f} {docs / wall[name]:10,.0f}"
            if name != "rensa_core":
                synth = mean_abs_error(texts, pairs, outputs[name])
                real = mean_abs_error(real_texts, real_pairs, impls[name](real_texts))
                results[f"mae_synth_{name}_{num_perm}"], results[f"mae_real_{name}_{num_perm}"] = synth, real
                line += f"  {synth:9.4f} {real:9.4f}"
            else:
                line += "  (shingles prepared, not from text)"
            print(line)
        for ref in ("old", "datasketch", "datasketch_xxh32", "rensa_text", "new_rensa"):
            results[f"new_vs_{ref}_{num_perm}"] = cpu[ref] / cpu["new_fss"]
        print(f"perm={num_perm}  new_fss / old {results[f'new_vs_old_{num_perm}']:.1f}x, "
              f"/ datasketch {results[f'new_vs_datasketch_{num_perm}']:.1f}x, "
              f"/ datasketch_xxh32 {results[f'new_vs_datasketch_xxh32_{num_perm}']:.1f}x, "
              f"/ rensa_text {results[f'new_vs_rensa_text_{num_perm}']:.1f}x, "
              f"/ new_rensa {results[f'new_vs_new_rensa_{num_perm}']:.1f}x")
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--perms", type=int, nargs="+", default=[128, 256])
    args = parser.parse_args(argv)
    r = run(args.docs, args.repeats, tuple(args.perms))
    keys = ([f"new_vs_{ref}_{p}" for p in args.perms for ref in ("old", "datasketch")]
            + [f"{k}_{p}" for p in args.perms for k in ("new_fss", "new_rensa", "old", "datasketch")]
            + [f"mae_real_{k}_{p}" for p in args.perms for k in ("new_fss", "new_rensa", "old", "datasketch")])
    print(" ".join(f"{k}={r[k]:.4g}" for k in keys))


if __name__ == "__main__":
    main()
