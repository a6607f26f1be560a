"""MinHash signatures and LSH banding, vectorised with numpy (no Beam here).

Per document: code-aware word tokens -> distinct word n-gram shingles -> one
32-bit xxh32 base hash per shingle -> ``num_perm`` affine permutations
``a*h + b`` -> minimum per permutation (uint32 signature).

Two permutation schemes (see ``permutations``): ``affine32`` (default; mod 2^32
with odd ``a``, a bijection, pure uint32 SIMD arithmetic, the scheme datasketch
2.0 defaults to) and ``mersenne31`` (mod the Mersenne prime 2^31 - 1, exact in
uint64 with shift-mask-add reductions; about 3x slower, same accuracy).

Speed comes from the layout: a block of documents is one ``permutations x
shingles`` matrix (the shingles of all its documents concatenated) in a reused
workspace, so each numpy pass is long and contiguous, and the per-document
minimum is one ``np.minimum.reduceat`` over the document offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import xxhash

MERSENNE_31 = np.uint64((1 << 31) - 1)
_SHIFT_31 = np.uint64(31)
EMPTY_VALUE = np.uint32(0xFFFFFFFF)  # signature of a document without shingles
BLOCK_ELEMENTS = 1 << 20  # permutations x shingles per block: 4 MiB of uint32 workspace (measured best)
AFFINE32 = "affine32"
MERSENNE31 = "mersenne31"
SCHEMES = (AFFINE32, MERSENNE31)

# Identifiers (letters, digits, underscore, unicode word characters) are words;
# punctuation and operators are boundaries. `foo_bar.baz(x)` -> foo_bar, baz, x.
_WORD = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str, lowercase: bool = False) -> list[str]:
    """Code-aware word tokens: identifier/number runs, punctuation dropped."""
    if lowercase:
        text = text.lower()
    return _WORD.findall(text)


def word_ngrams(tokens: Sequence[str], n: int) -> list[str]:
    """Distinct word n-grams joined by a space, in first-seen order.

    A document with fewer than ``n`` (but at least one) tokens yields one
    shingle made of all its tokens, so short snippets still get a signature.
    """
    if n < 1:
        raise ValueError(f"n-gram size must be >= 1, got {n}")
    if not tokens:
        return []
    if len(tokens) < n:
        return [" ".join(tokens)]
    grams = (" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return list(dict.fromkeys(grams))


def shingles(text: str, n: int, lowercase: bool = False) -> list[str]:
    """Word n-gram shingles of a text (see ``tokenize`` and ``word_ngrams``)."""
    return word_ngrams(tokenize(text, lowercase), n)


def base_hashes(items: Sequence[str | bytes], seed: int = 0) -> np.ndarray:
    """xxh32 of each shingle (str as UTF-8), as uint32.

    Not deduplicated: a repeated value cannot change a minimum. This Python
    loop, not the permutations, dominates signature time, so the common cases
    (all bytes / all str, seed 0) run through ``map`` without per-item checks.
    """
    h = xxhash.xxh32_intdigest
    n = len(items)
    if seed == 0:
        try:
            return np.fromiter(map(h, items), dtype=np.uint32, count=n)
        except TypeError:  # str items (or a mix)
            pass
        try:
            return np.fromiter(map(h, map(str.encode, items)), dtype=np.uint32, count=n)
        except TypeError:  # a mix of str and bytes
            pass
    return np.fromiter((h(s.encode("utf-8") if isinstance(s, str) else s, seed) for s in items),
                       dtype=np.uint32, count=n)


@lru_cache(maxsize=32)
def permutations(num_perm: int, seed: int = 1, scheme: str = AFFINE32) -> tuple[np.ndarray, np.ndarray]:
    """Affine permutation parameters ``(a, b)``, each shaped ``(num_perm, 1)``.

    affine32 (default): ``a`` odd, arithmetic mod 2^32 (uint32 wrap-around): a
    bijection on 32-bit hashes, all in uint32 so numpy runs it in SIMD lanes.
    mersenne31: ``1 <= a < p``, ``0 <= b < p`` with the Mersenne prime
    ``p = 2^31 - 1``, hashes reduced mod p: ``a*h + b < 2^62`` is exact in
    uint64 and the reduction is a shift-mask-add. (With ``p = 2^61 - 1`` the
    product needs 128 bits; capping ``a`` below 2^32 instead makes the maps
    nearly monotone in ``h`` and the estimates useless, we measured it.)
    Deterministic for a seed.
    """
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm}")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    rng = np.random.Generator(np.random.PCG64(seed))
    if scheme == AFFINE32:
        a = (rng.integers(0, 1 << 31, size=num_perm, dtype=np.uint32) << np.uint32(1)) | np.uint32(1)
        b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64).astype(np.uint32)
    else:
        a = rng.integers(1, int(MERSENNE_31), size=num_perm, dtype=np.uint64)
        b = rng.integers(0, int(MERSENNE_31), size=num_perm, dtype=np.uint64)
    a, b = a.reshape(-1, 1), b.reshape(-1, 1)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def _minima_affine32(hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray,
                     work: np.ndarray) -> np.ndarray:
    """Per-segment minima of ``(a*h + b) mod 2^32``: shape (segments, num_perm)."""
    np.multiply(a, hashes[None, :], out=work)
    work += b
    return np.minimum.reduceat(work, offsets, axis=1).T


def _fold31(x: np.ndarray, spare: np.ndarray) -> None:
    """In place: x <- (x & p) + (x >> 31), which is congruent to x mod p = 2^31 - 1."""
    np.right_shift(x, _SHIFT_31, out=spare)
    x &= MERSENNE_31
    x += spare


def _minima_mersenne31(hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray,
                       work: np.ndarray, spare: np.ndarray) -> np.ndarray:
    """Per-segment minima of ``(a*h + b) mod (2^31 - 1)``: shape (segments, num_perm)."""
    h = hashes.astype(np.uint64) % MERSENNE_31
    np.multiply(a, h[None, :], out=work)  # < 2^62: exact
    work += b
    _fold31(work, spare)                  # < 2^32 + 2^31
    _fold31(work, spare)                  # <= p + 2
    np.subtract(work, MERSENNE_31, out=spare)  # unsigned wrap: huge when work < p
    np.minimum(work, spare, out=work)          # exactly mod p now
    return np.minimum.reduceat(work, offsets, axis=1).T.astype(np.uint32)


def _blocks(lengths: Sequence[int], budget: int) -> Iterable[tuple[int, int]]:
    """Consecutive [start, end) document ranges of about ``budget`` shingles."""
    start, total = 0, 0
    for i, n in enumerate(lengths):
        if total and total + n > budget:
            yield start, i
            start, total = i, 0
        total += n
    if start < len(lengths):
        yield start, len(lengths)


def signatures_from_hashes(docs: Sequence[np.ndarray], num_perm: int, seed: int = 1,
                           scheme: str = AFFINE32, block_shingles: int | None = None) -> np.ndarray:
    """MinHash signatures (uint32, shape (len(docs), num_perm)) from base hashes.

    Documents are processed in blocks of about ``block_shingles`` shingles
    (default: ``BLOCK_ELEMENTS / num_perm``) as one permutations x shingles
    matrix in a reused workspace. A document
    without shingles gets the all-0xFFFFFFFF signature (callers should keep
    such documents out of LSH). The result does not depend on the blocking.
    """
    a, b = permutations(num_perm, seed, scheme)
    out = np.full((len(docs), num_perm), EMPTY_VALUE, dtype=np.uint32)
    nonempty = [i for i, d in enumerate(docs) if len(d)]
    lengths = [len(docs[i]) for i in nonempty]
    if not nonempty:
        return out
    block_shingles = block_shingles or max(1, BLOCK_ELEMENTS // num_perm)
    capacity = num_perm * max(block_shingles, max(lengths))
    dtype = np.uint32 if scheme == AFFINE32 else np.uint64
    work = np.empty(capacity, dtype=dtype)
    spare = np.empty(capacity, dtype=dtype) if scheme == MERSENNE31 else None
    for start, end in _blocks(lengths, block_shingles):
        rows = nonempty[start:end]
        offsets = np.zeros(len(rows), dtype=np.int64)
        np.cumsum(lengths[start:end - 1], out=offsets[1:])
        hashes = np.concatenate([docs[i] for i in rows]).astype(np.uint32, copy=False)
        size = num_perm * len(hashes)
        w = work[:size].reshape(num_perm, len(hashes))
        if scheme == AFFINE32:
            out[rows] = _minima_affine32(hashes, offsets, a, b, w)
        else:
            out[rows] = _minima_mersenne31(hashes, offsets, a, b, w, spare[:size].reshape(w.shape))
    return out


def signatures(texts: Sequence[str], ngram: int, num_perm: int, seed: int = 1, scheme: str = AFFINE32,
               lowercase: bool = False, block_shingles: int | None = None) -> np.ndarray:
    """MinHash signatures of texts (word ``ngram`` shingles), shape (len, num_perm)."""
    return signatures_from_hashes([base_hashes(shingles(t, ngram, lowercase)) for t in texts],
                                  num_perm, seed, scheme, block_shingles)


def signature(text: str, ngram: int, num_perm: int, seed: int = 1, scheme: str = AFFINE32,
              lowercase: bool = False) -> np.ndarray:
    """MinHash signature of one text."""
    return signatures([text], ngram, num_perm, seed, scheme, lowercase)[0]


def is_empty(sig: np.ndarray) -> bool:
    """True for the signature of a document without shingles."""
    return bool(np.all(sig == EMPTY_VALUE))


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Jaccard estimate: the share of permutations whose minima agree."""
    if sig_a.shape != sig_b.shape:
        raise ValueError(f"signature shapes differ: {sig_a.shape} vs {sig_b.shape}")
    return float(np.count_nonzero(sig_a == sig_b)) / sig_a.shape[-1]


def exact_jaccard(a: Iterable, b: Iterable) -> float:
    """Exact Jaccard similarity of two sets (1.0 for two empty sets)."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


# ---- LSH banding ---------------------------------------------------------------

@lru_cache(maxsize=1024)
def _legendre(points: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(points)


def _gauss_legendre(lo: float, hi: float, degree: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on [lo, hi] that integrate polynomials up to ``degree`` exactly."""
    nodes, weights = _legendre(degree // 2 + 1)
    half = (hi - lo) / 2.0
    return lo + half * (nodes + 1.0), half * weights


def false_positive_probability(threshold: float, bands: int, rows: int) -> float:
    """Integral over s in [0, threshold] of P(candidate | Jaccard s) = 1-(1-s^r)^b."""
    x, w = _gauss_legendre(0.0, threshold, bands * rows)
    return float(np.sum(w * (1.0 - (1.0 - x ** rows) ** bands)))


def false_negative_probability(threshold: float, bands: int, rows: int) -> float:
    """Integral over s in [threshold, 1] of P(not candidate | Jaccard s) = (1-s^r)^b."""
    x, w = _gauss_legendre(threshold, 1.0, bands * rows)
    return float(np.sum(w * (1.0 - x ** rows) ** bands))


@lru_cache(maxsize=64)
def optimal_bands_rows(threshold: float, num_perm: int, fp_weight: float = 0.5,
                       fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) with bands*rows <= num_perm minimising the weighted sum of
    the integrated false-positive and false-negative probabilities.

    Same objective and search order as datasketch's ``_optimal_param`` (first
    minimum over bands ascending, then rows ascending). The integrands are
    polynomials of degree bands*rows, so Gauss-Legendre quadrature of that
    degree integrates them exactly (up to rounding) without scipy.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    best, best_error = (0, 0), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            error = (fp_weight * false_positive_probability(threshold, b, r)
                     + fn_weight * false_negative_probability(threshold, b, r))
            if error < best_error:
                best, best_error = (b, r), error
    return best


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> list[int]:
    """One 64-bit key per band: xxh64 of the band's rows (band index as seed)."""
    if bands * rows > sig.shape[-1]:
        raise ValueError(f"{bands} bands x {rows} rows exceed {sig.shape[-1]} permutations")
    data = np.ascontiguousarray(sig[:bands * rows], dtype=np.uint32).reshape(bands, rows)
    h = xxhash.xxh64_intdigest
    return [h(data[i].tobytes(), i) for i in range(bands)]


@dataclass(frozen=True)
class MinHashParams:
    """Everything that makes two signatures comparable."""

    ngram: int
    num_perm: int
    threshold: float
    seed: int = 1
    scheme: str = AFFINE32
    lowercase: bool = False

    def signatures(self, texts: Sequence[str]) -> np.ndarray:
        return signatures(texts, self.ngram, self.num_perm, self.seed, self.scheme, self.lowercase)

    @property
    def bands_rows(self) -> tuple[int, int]:
        return optimal_bands_rows(self.threshold, self.num_perm)
