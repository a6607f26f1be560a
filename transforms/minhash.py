"""MinHash signatures and LSH banding from raw text, vectorised (no Beam here).

Per document: code-aware word tokens -> word n-gram shingles -> one 64-bit hash
per shingle -> ``num_perm`` minima (uint32 signature).

Text to shingle hashes (``shingle_hashes``) runs in numpy over a whole block of
documents at once, with no Python object per token or shingle: the block's
UTF-8 bytes are classified word / non-word with one ``bytes.translate``, token
boundaries are the class changes, each token is hashed from its bytes read as
little-endian 64-bit words, and each n-gram's hash comes from prefix sums of a
polynomial over the token hashes (constant work per shingle whatever n is).
That path is about 20x faster than the per-token Python shingling it replaces
(``shingles`` + ``base_hashes``, kept for prepared shingles and as reference).

Signatures, four schemes (see ``signatures``):
``fss`` (default): Fast Similarity Sketching (Dahlgaard, Knudsen, Thorup 2017)
computed from the text's bytes in one compiled pass (``minhash_kernel``, numba):
O(shingles + num_perm log num_perm) hash evaluations per document instead of
O(shingles x num_perm), same estimator and accuracy as MinHash;
``rensa``: the Rust R-MinHash of the ``rensa`` package (full MinHash with
multiply-shift permutations, SIMD), fed the flat hash buffer and row offsets in
one call (its Python-list output costs more than its hashing);
``affine32``: numpy ``a*h + b mod 2^32`` permutations of the top 32 bits;
``mersenne31``: the same mod 2^31 - 1 (about 3x slower than affine32). Every
scheme estimates Jaccard as the share of equal slots, with the same accuracy
(tests and bench/minhash_bench.py measure it against exact Jaccard).

For the numpy schemes a block of documents is one ``permutations x shingles``
matrix (the shingles of all its documents concatenated) in a reused workspace,
so each numpy pass is long and contiguous, and the per-document minimum is one
``np.minimum.reduceat`` over the document offsets.
"""
from __future__ import annotations

import array
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import xxhash

from transforms import minhash_kernel

MERSENNE_31 = np.uint64((1 << 31) - 1)
_SHIFT_31 = np.uint64(31)
EMPTY_VALUE = minhash_kernel.EMPTY_VALUE  # signature of a document without shingles
BLOCK_ELEMENTS = 1 << 20  # permutations x shingles per block: 4 MiB of uint32 workspace (measured best)
BLOCK_TEXT_BYTES = 1 << 18  # text bytes per shingle-hashing block: its uint64 temporaries stay in cache
FSS = "fss"
AFFINE32 = "affine32"
MERSENNE31 = "mersenne31"
RENSA = "rensa"
SCHEMES = (FSS, RENSA, AFFINE32, MERSENNE31)
DEFAULT_SCHEME = FSS

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


# ---- text -> shingle hashes, vectorised over a block of documents --------------------------
#
# Definition (``reference_shingle_hashes`` spells it out in plain Python):
# token bytes u (UTF-8 of one ``\w+`` run) -> little-endian 64-bit chunks c_0, c_1, ...
# (8 bytes each, the last one zero-padded; tokens hold no zero bytes, so padding
# cannot collide with content) -> g = c_0, then g = fmix64(g) ^ c_k -> token hash
# t = fmix64(g). Shingle over tokens [i, e) -> fmix64(sum_j t_{i+j} * Q^j mod 2^64).
# fmix64 (MurmurHash3's finaliser) makes each token hash uniform before the
# polynomial: with raw packed bytes, tokens differing only in a high byte would
# make the polynomial collide for a large share of Q values. Q is odd, hence
# invertible mod 2^64, which is what lets prefix sums give any window's sum.

_M64 = np.uint64
_FMIX_C1, _FMIX_C2, _FMIX_SHIFT = _M64(0xFF51AFD7ED558CCD), _M64(0xC4CEB9FE1A85EC53), _M64(33)
_Q = 0x9E3779B97F4A7C15  # odd: 2^64 / golden ratio
_MASK64 = (1 << 64) - 1
_Q_INVERSE = pow(_Q, -1, 1 << 64)
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [_MASK64], dtype=np.uint64)  # index: bytes kept
# bytes.translate table: 1 for bytes that can be part of a \w token (ASCII letters, digits,
# underscore, and every byte of a multi-byte UTF-8 character; see _token_bytes), else 0.
_WORD_BYTE = bytes(1 if (48 <= i <= 57 or 65 <= i <= 90 or 97 <= i <= 122 or i == 95 or i >= 128) else 0
                   for i in range(256))
_WORD_TABLE = np.frombuffer(_WORD_BYTE, dtype=np.uint8)  # the same classes, for the compiled kernel
_SEP = b"\n"  # a non-word byte between documents, so no token crosses two
_PAD = b"\n" * 9  # lets an 8-byte read at any token start stay inside the buffer


def fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place on a uint64 array (returned)."""
    x ^= x >> _FMIX_SHIFT
    x *= _FMIX_C1
    x ^= x >> _FMIX_SHIFT
    x *= _FMIX_C2
    x ^= x >> _FMIX_SHIFT
    return x


class _Powers:
    """Q^k and Q^-k mod 2^64 for k < size, grown on demand (deterministic, process-local)."""

    def __init__(self) -> None:
        self.up = self.down = np.ones(0, dtype=np.uint64)

    def get(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        if size > len(self.up):
            size = max(size, 2 * len(self.up), 1 << 16)
            self.up, self.down = self._powers(_Q, size), self._powers(pow(_Q, -1, 1 << 64), size)
        return self.up, self.down

    @staticmethod
    def _powers(q: int, size: int) -> np.ndarray:
        out = np.empty(size, dtype=np.uint64)
        out[0] = 1
        np.cumprod(np.full(size - 1, q, dtype=np.uint64), out=out[1:])  # wraps mod 2^64, as intended
        return out


_POWERS = _Powers()


def _token_bytes(text: str, lowercase: bool) -> bytes:
    r"""The text as bytes whose word/non-word byte classes give exactly ``tokenize``'s tokens.

    ASCII text: its bytes (``\w`` on ASCII characters is [A-Za-z0-9_], the translate
    table's word bytes). Other text: the regex tokens joined by spaces, as UTF-8,
    since unicode punctuation (e.g. an em dash) is not ``\w`` but its UTF-8 bytes
    are >= 0x80 like those of letters.
    """
    if lowercase:
        text = text.lower()
    if text.isascii():
        return text.encode("ascii")
    return " ".join(_WORD.findall(text)).encode("utf-8")


def token_hashes(texts: Sequence[str], lowercase: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every token of every text, and per-text token offsets (len+1)."""
    parts = [_token_bytes(t, lowercase) for t in texts]
    joined = _SEP + _SEP.join(parts) + _PAD
    word = np.frombuffer(joined.translate(_WORD_BYTE), dtype=np.bool_)
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1  # first byte starts a separator, so edges pair up
    starts, ends = edges[0::2], edges[1::2]
    lengths = ends - starts
    # Every byte offset read as a little-endian uint64 (an unaligned strided view, no copy).
    words = np.ndarray((len(joined) - 7,), dtype="<u8", buffer=joined, offset=0, strides=(1,))
    g = words[starts]
    g &= _LOW_BYTES[np.minimum(lengths, 8)]
    chunk, long = 8, np.flatnonzero(lengths > 8)
    while long.size:  # the few tokens longer than 8 bytes, one more 8-byte chunk per pass
        c = words[starts[long] + chunk] & _LOW_BYTES[np.minimum(lengths[long] - chunk, 8)]
        g[long] = fmix64(g[long]) ^ c
        chunk += 8
        long = long[lengths[long] > chunk]
    # Text k's bytes begin at 1 + sum(len(parts[:k]) + 1); its tokens are those starting there or later.
    text_starts = np.ones(len(parts), dtype=np.int64)
    if len(parts) > 1:
        np.cumsum(np.fromiter(map(len, parts[:-1]), dtype=np.int64, count=len(parts) - 1) + 1,
                  out=text_starts[1:])
        text_starts[1:] += 1
    offsets = np.empty(len(parts) + 1, dtype=np.int64)
    offsets[:-1] = np.searchsorted(starts, text_starts)
    offsets[-1] = len(starts)
    return fmix64(g), offsets


def shingle_hashes(texts: Sequence[str], n: int, lowercase: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the word ``n``-gram shingles of each text, flat, and per-text offsets (len+1).

    Same shingles as ``shingles`` (a text with fewer than n tokens, but at least
    one, has one shingle of all its tokens), not deduplicated: a repeated hash
    cannot change a minimum. One block: callers split long inputs (``signatures``).
    """
    if n < 1:
        raise ValueError(f"n-gram size must be >= 1, got {n}")
    t, tok_off = token_hashes(texts, lowercase)
    total = len(t)
    up, down = _POWERS.get(total + 1)
    prefix = np.zeros(total + 1, dtype=np.uint64)
    np.cumsum(t * up[:total], out=prefix[1:])
    ntok = np.diff(tok_off)
    count = np.where(ntok >= n, ntok - n + 1, np.minimum(ntok, 1))
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(count, out=offsets[1:])
    # Window i covers tokens [i, i + n) and is a shingle when that stays inside its text,
    # i.e. unless i is among the last n - 1 tokens of its text; a short text's only
    # shingle is its first token's window, cut at the text's end (computed apart).
    full = max(total - n + 1, 0)
    window = (prefix[n:] - prefix[:full]) * down[:full]
    keep = np.ones(full, dtype=np.bool_)
    if n > 1 and full:
        tail = tok_off[1:, None] - np.arange(1, n, dtype=np.int64)[None, :]  # (texts, n - 1)
        tail = tail[(tail >= tok_off[:-1, None]) & (tail < full)]
        keep[tail] = False
    out = np.empty(offsets[-1], dtype=np.uint64)
    short = np.flatnonzero((ntok > 0) & (ntok < n))
    if short.size:
        first, end = tok_off[short], tok_off[short + 1]
        out[offsets[short]] = (prefix[end] - prefix[first]) * down[first]
        rest = np.ones(len(out), dtype=np.bool_)
        rest[offsets[short]] = False
        out[rest] = np.compress(keep, window)
    else:
        np.compress(keep, window, out=out)  # np.compress: measured 2.5x faster than window[keep]
    return fmix64(out), offsets


def _fmix64_int(x: int) -> int:
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & _MASK64
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & _MASK64
    return x ^ (x >> 33)


def reference_shingle_hashes(text: str, n: int, lowercase: bool = False) -> list[int]:
    """``shingle_hashes`` of one text in plain Python integers: the definition, for tests."""
    tokens = []
    for token in tokenize(text, lowercase):
        data = token.encode("utf-8")
        g = int.from_bytes(data[:8], "little")
        for k in range(8, len(data), 8):
            g = _fmix64_int(g) ^ int.from_bytes(data[k:k + 8], "little")
        tokens.append(_fmix64_int(g))
    if not tokens:
        return []
    windows = [tokens[i:i + n] for i in range(max(1, len(tokens) - n + 1))]
    return [_fmix64_int(sum(t * pow(_Q, j, 1 << 64) for j, t in enumerate(w)) & _MASK64) for w in windows]


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
    if scheme not in (FSS, AFFINE32, MERSENNE31):
        raise ValueError(f"permutation scheme must be one of {(FSS, AFFINE32, MERSENNE31)}, got {scheme!r}")
    rng = np.random.Generator(np.random.PCG64(seed))
    if scheme == FSS:  # per-round multiply-add-shift parameters, full 64 bits
        a = rng.integers(0, 1 << 64, size=num_perm, dtype=np.uint64, endpoint=False)
        b = rng.integers(0, 1 << 64, size=num_perm, dtype=np.uint64, endpoint=False)
    elif scheme == AFFINE32:
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


def _check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")


def _rensa_rows(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """R-MinHash signatures of the rows ``hashes[offsets[i]:offsets[i+1]]`` (uint64) via rensa.

    One call for the whole block; the digest matrix only hands back Python lists,
    so the rows are appended to one ``array('I')`` buffer (the cheapest way we
    measured to get them into numpy). An empty row comes back as all 0xFFFFFFFF.
    """
    from rensa import RMinHash  # imported here so the numpy schemes work without it

    matrix = RMinHash.digest_matrix_from_flat_token_hashes(
        np.ascontiguousarray(hashes, dtype=np.uint64), np.ascontiguousarray(offsets, dtype=np.uint64),
        num_perm, seed)
    buf = array.array("I")
    for row in matrix.to_rows():
        buf.extend(row)
    out = np.frombuffer(buf, dtype=np.uint32).reshape(len(offsets) - 1, num_perm)  # writable: array owns it
    out[offsets[1:] == offsets[:-1]] = EMPTY_VALUE  # our empty marker, whatever rensa's convention
    return out


def _numpy_rows(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int, scheme: str,
                block_shingles: int | None) -> np.ndarray:
    """Permutation-minima signatures of flat uint32 ``hashes`` split at ``offsets`` (len+1)."""
    a, b = permutations(num_perm, seed, scheme)
    out = np.full((len(offsets) - 1, num_perm), EMPTY_VALUE, dtype=np.uint32)
    counts = np.diff(offsets)
    nonempty = np.flatnonzero(counts)
    if not nonempty.size:
        return out
    lengths = counts[nonempty].tolist()
    block_shingles = block_shingles or max(1, BLOCK_ELEMENTS // num_perm)
    capacity = num_perm * max(block_shingles, max(lengths))
    dtype = np.uint32 if scheme == AFFINE32 else np.uint64
    work = np.empty(capacity, dtype=dtype)
    spare = np.empty(capacity, dtype=dtype) if scheme == MERSENNE31 else None
    for start, end in _blocks(lengths, block_shingles):
        rows = nonempty[start:end]
        local = np.zeros(len(rows), dtype=np.int64)
        np.cumsum(lengths[start:end - 1], out=local[1:])
        first, last = offsets[rows[0]], offsets[rows[-1] + 1]  # empty rows in between hold no hashes
        block = np.ascontiguousarray(hashes[first:last], dtype=np.uint32)
        size = num_perm * len(block)
        w = work[:size].reshape(num_perm, len(block))
        if scheme == AFFINE32:
            out[rows] = _minima_affine32(block, local, a, b, w)
        else:
            out[rows] = _minima_mersenne31(block, local, a, b, w, spare[:size].reshape(w.shape))
    return out


def signatures_from_hashes(docs: Sequence[np.ndarray], num_perm: int, seed: int = 1,
                           scheme: str = DEFAULT_SCHEME, block_shingles: int | None = None) -> np.ndarray:
    """MinHash signatures (uint32, shape (len(docs), num_perm)) from prepared base hashes.

    ``docs``: one array of shingle hashes per document (``base_hashes``' uint32,
    or ``shingle_hashes``' uint64). The numpy schemes permute the low 32 bits
    (uint32 input) or the top 32 bits (uint64 input); rensa gets 64-bit values,
    uint32 input widened through fmix64 first, because R-MinHash picks slots
    from the high bits. Numpy schemes run in blocks of about ``block_shingles``
    shingles (default ``BLOCK_ELEMENTS / num_perm``). A document without shingles
    gets the all-0xFFFFFFFF signature (keep such documents out of LSH). The
    result does not depend on the blocking.
    """
    _check_scheme(scheme)
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm}")
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=offsets[1:])
    wide = any(np.asarray(d).dtype == np.uint64 for d in docs)
    flat = (np.concatenate([np.asarray(d, dtype=np.uint64 if wide else np.uint32) for d in docs]) if len(docs)
            else np.zeros(0, dtype=np.uint32))
    if scheme in (RENSA, FSS):
        flat = flat if wide else fmix64(flat.astype(np.uint64))
        if scheme == RENSA:
            return _rensa_rows(flat, offsets, num_perm, seed)
        a, b = permutations(num_perm, seed, FSS)
        return minhash_kernel.sketches_from_keys(flat, offsets, a.ravel(), b.ravel())
    if wide:
        flat = (flat >> _M64(32)).astype(np.uint32)
    return _numpy_rows(flat, offsets, num_perm, seed, scheme, block_shingles)


def _text_blocks(texts: Sequence[str], budget: int) -> Iterable[tuple[int, int]]:
    """Consecutive [start, end) ranges of texts of about ``budget`` characters."""
    return _blocks([len(t) + 1 for t in texts], budget)


def _fss_rows(texts: Sequence[str], ngram: int, num_perm: int, seed: int, lowercase: bool) -> np.ndarray:
    """``fss`` sketches of one block of texts, bytes to slots in one compiled pass (``minhash_kernel``)."""
    parts = [_token_bytes(t, lowercase) for t in texts]
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    ends = np.cumsum(lengths + 1) - 1  # text k: bytes [ends[k] - len_k, ends[k]), a separator after each
    a, b = permutations(num_perm, seed, FSS)
    return minhash_kernel.signatures(_SEP.join(parts) + _PAD, _WORD_TABLE, _LOW_BYTES, ends - lengths, ends,
                                     a.ravel(), b.ravel(), _POWERS.get(ngram)[0][:ngram], _Q_INVERSE)


def signatures(texts: Sequence[str], ngram: int, num_perm: int, seed: int = 1, scheme: str = DEFAULT_SCHEME,
               lowercase: bool = False, block_shingles: int | None = None) -> np.ndarray:
    """MinHash signatures of texts (word ``ngram`` shingles), uint32, shape (len, num_perm).

    Texts go in blocks of about ``BLOCK_TEXT_BYTES``; the result does not depend
    on the blocking. ``fss`` (default) runs text to sketch in the compiled kernel;
    the other schemes hash shingles in numpy (``shingle_hashes``) first. Same
    seed and scheme, same signatures in every process (no Python ``hash``;
    rensa's permutations are seeded).
    """
    _check_scheme(scheme)
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm}")
    if ngram < 1:
        raise ValueError(f"n-gram size must be >= 1, got {ngram}")
    out = np.empty((len(texts), num_perm), dtype=np.uint32)
    for start, end in _text_blocks(texts, BLOCK_TEXT_BYTES):
        if scheme == FSS:
            out[start:end] = _fss_rows(texts[start:end], ngram, num_perm, seed, lowercase)
            continue
        hashes, offsets = shingle_hashes(texts[start:end], ngram, lowercase)
        if scheme == RENSA:
            out[start:end] = _rensa_rows(hashes, offsets, num_perm, seed)
        else:
            out[start:end] = _numpy_rows((hashes >> _M64(32)).astype(np.uint32), offsets, num_perm, seed,
                                         scheme, block_shingles)
    return out


def signature(text: str, ngram: int, num_perm: int, seed: int = 1, scheme: str = DEFAULT_SCHEME,
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
    scheme: str = DEFAULT_SCHEME
    lowercase: bool = False

    def signatures(self, texts: Sequence[str]) -> np.ndarray:
        return signatures(texts, self.ngram, self.num_perm, self.seed, self.scheme, self.lowercase)

    @property
    def bands_rows(self) -> tuple[int, int]:
        return optimal_bands_rows(self.threshold, self.num_perm)
