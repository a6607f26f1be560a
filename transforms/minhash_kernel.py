"""Text bytes -> Fast Similarity Sketching signatures in one compiled pass (numba).

Classic MinHash evaluates every permutation on every shingle: ``num_perm x
shingles`` hash evaluations (65,536 for a 256-shingle text at 256 permutations),
which no amount of SIMD brings under the cost of reading the text. Fast
Similarity Sketching (Dahlgaard, Knudsen, Thorup, FOCS 2017) fills the same
``t = num_perm`` slots with O(shingles + t log t) evaluations and keeps MinHash's
estimator: E[share of equal slots] = Jaccard.

The sketch, as computed here. Each shingle key ``k`` gets a start slot ``u(k)``
and a stride ``v(k)`` coprime with ``t``, so over rounds ``i = 0 .. t-1`` it visits
every slot exactly once: slot ``(u + i*v) mod t`` in round ``i``, with the value
``(i, h_i(k))``, ``h_i(x) = ((a_i*x + b_i) mod 2^64) >> 32`` (multiply-add-shift,
strongly universal on 32-bit keys). A slot keeps its smallest value (earlier
rounds first). Once every slot holds a value, later rounds cannot win anywhere
and the text is done: after about ``(t / shingles) * ln t`` rounds. Why the
estimator is right: for texts A and B, the winner of a slot over A | B is a
uniformly random element of A | B (per-element sequences are i.i.d.); when it is
in both, both sketches hold it (neither stops before the winner's round, since
each stops only when all its slots are filled by values no later than that). So
a slot agrees with probability J (plus 2^-32 collisions). The slot stores
``h_i`` (32 bits).

Everything from bytes to slots happens in one pass per text: tokens -> token
hashes -> a ring of the last ``ngram`` token hashes -> shingle keys -> the
rounds. The token and shingle hashes are exactly ``minhash.shingle_hashes``'
(the test checks both against ``minhash.reference_shingle_hashes``), and
``reference_signature`` below is the plain-Python definition the kernel must
match bit for bit. Every constant is uint64: numba turns mixed uint64/int64
arithmetic into float64.
"""
from __future__ import annotations

from functools import lru_cache
from math import gcd

import numpy as np

try:  # a declared dependency; without it the fss scheme says so (``require``)
    import numba
except ImportError:  # pragma: no cover - exercised where numba is absent
    numba = None

AVAILABLE = numba is not None

_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_S32 = np.uint64(32)
_S8 = np.uint64(8)
_M32 = np.uint64(0xFFFFFFFF)
_ZERO = np.uint64(0)
_UNSET = np.uint64(0xFFFFFFFFFFFFFFFF)  # above every (round << 32 | value) a slot can hold
EMPTY_VALUE = np.uint32(0xFFFFFFFF)  # the signature of a text without shingles, in every slot (all schemes)


@lru_cache(maxsize=32)
def units(t: int) -> np.ndarray:
    """The strides: integers in [1, t) coprime with t (just [1] for t = 1 and 2), as uint64 (read-only:
    cached, since every block of every call needs the same array)."""
    out = np.array([v for v in range(1, max(t, 2)) if gcd(v, t) == 1], dtype=np.uint64)
    out.setflags(write=False)
    return out


def _fmix64(x):
    x ^= x >> _S33
    x *= _C1
    x ^= x >> _S33
    x *= _C2
    x ^= x >> _S33
    return x


def _chunk(words, low_bytes, start, end):
    """Bytes [start, min(end, start + 8)) as a little-endian uint64, zero-padded.

    ``words[i]`` is the 8 bytes at offset i (an unaligned view of the padded buffer):
    one load and a mask instead of a loop over the bytes.
    """
    return words[start] & low_bytes[min(end - start, 8)]


def _shingle_keys(buf, words, word, low_bytes, start, end, powers, inverse, ring, keys):
    """Writes the text's shingle keys (``minhash.shingle_hashes``) into ``keys``; returns how many.

    The window sum ``S = sum_j t_{i+j} Q^j`` rolls: ``S' = (S - t_i) Q^-1 + t_{i+n} Q^(n-1)``
    (mod 2^64, Q odd), so each shingle costs two multiplies whatever n is; the ring
    holds the window's token hashes for the subtraction (no modulo: division is slow).
    """
    n = powers.shape[0]
    top = powers[n - 1]
    tokens = 0
    count = 0
    pos = 0  # ring slot of the window's oldest token once the window is full
    s = _ZERO
    i = start
    while i < end:
        if word[buf[i]] == 0:
            i += 1
            continue
        j = i
        while j < end and word[buf[j]] != 0:
            j += 1
        g = _chunk(words, low_bytes, i, j)
        k = i + 8
        while k < j:
            g = _fmix64(g) ^ _chunk(words, low_bytes, k, j)
            k += 8
        t = _fmix64(g)
        if tokens < n:
            s += t * powers[tokens]
            ring[tokens] = t
        else:
            s = (s - ring[pos]) * inverse + t * top
            ring[pos] = t
            pos += 1
            if pos == n:
                pos = 0
        tokens += 1
        if tokens >= n:
            keys[count] = _fmix64(s)
            count += 1
        i = j
    if 0 < tokens < n:  # a text shorter than one shingle: one shingle of all its tokens
        keys[count] = _fmix64(s)
        count += 1
    return count


def _sketch(keys, count, a, b, strides, slot, step, sig, out_row):
    """The rounds of the sketch over ``keys[:count]`` into ``out_row`` (see the module doc)."""
    t = a.shape[0]
    tt = np.uint64(t)
    ns = np.uint64(strides.shape[0])
    for k in range(count):
        low = keys[k] & _M32
        slot[k] = (low * tt) >> _S32           # start slot, uniform in [0, t)
        step[k] = strides[((keys[k] >> _S32 & np.uint64(0xFFFF)) * ns) >> np.uint64(16)]
    for p in range(t):
        sig[p] = _UNSET
    filled = 0
    for i in range(t):
        ai = a[i]
        bi = b[i]
        high = np.uint64(i) << _S32
        for k in range(count):
            j = slot[k]
            v = high | ((ai * (keys[k] >> _S32) + bi) >> _S32)
            old = sig[j]
            if v < old:
                if old == _UNSET:
                    filled += 1
                sig[j] = v
            j += step[k]
            if j >= tt:
                j -= tt
            slot[k] = j
        if filled == t:
            break
    for p in range(t):
        out_row[p] = np.uint32(sig[p] & _M32)


def _signatures(buf, words, word, low_bytes, starts, ends, a, b, strides, powers, inverse, out):
    """One sketch per text ``buf[starts[d]:ends[d]]`` into ``out[d]`` (uint32)."""
    longest = 1
    for d in range(starts.shape[0]):
        longest = max(longest, ends[d] - starts[d])
    keys = np.empty(longest // 2 + 1, dtype=np.uint64)  # tokens, hence shingles, <= (bytes + 1) / 2
    slot = np.empty_like(keys)
    step = np.empty_like(keys)
    ring = np.empty(powers.shape[0], dtype=np.uint64)
    sig = np.empty(a.shape[0], dtype=np.uint64)
    for d in range(starts.shape[0]):
        count = _shingle_keys(buf, words, word, low_bytes, starts[d], ends[d], powers, inverse, ring, keys)
        if count == 0:
            out[d, :] = EMPTY_VALUE
        else:
            _sketch(keys, count, a, b, strides, slot, step, sig, out[d])


def _sketches(keys, offsets, a, b, strides, out):
    """One sketch per row ``keys[offsets[d]:offsets[d + 1]]`` (prepared 64-bit keys) into ``out[d]``."""
    longest = 1
    for d in range(offsets.shape[0] - 1):
        longest = max(longest, offsets[d + 1] - offsets[d])
    slot = np.empty(longest, dtype=np.uint64)
    step = np.empty_like(slot)
    sig = np.empty(a.shape[0], dtype=np.uint64)
    for d in range(offsets.shape[0] - 1):
        row = keys[offsets[d]:offsets[d + 1]]
        if row.shape[0] == 0:
            out[d, :] = EMPTY_VALUE
        else:
            _sketch(row, row.shape[0], a, b, strides, slot, step, sig, out[d])


if AVAILABLE:
    _jit = numba.njit(cache=True, nogil=True, boundscheck=False)
    _fmix64, _chunk = _jit(_fmix64), _jit(_chunk)
    _shingle_keys, _sketch = _jit(_shingle_keys), _jit(_sketch)
    _signatures, _sketches = _jit(_signatures), _jit(_sketches)


def require() -> None:
    if not AVAILABLE:
        raise RuntimeError("the 'fss' MinHash scheme needs numba (a dependency of codepref: pip install numba)")


def signatures(data: bytes, word: np.ndarray, low_bytes: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               a: np.ndarray, b: np.ndarray, powers: np.ndarray, inverse: int) -> np.ndarray:
    """Sketches (uint32, shape (len(starts), len(a))) of the texts at byte ranges of ``data``.

    ``data``: the texts' bytes, with at least 8 bytes after the last text;
    ``word``: uint8[256], 1 for bytes of tokens; ``low_bytes[k]``: the mask that
    keeps k low bytes; ``a``, ``b``: uint64 per-round parameters, one per slot;
    ``powers``: uint64 Q^j for j < ngram; ``inverse``: Q^-1 mod 2^64.
    """
    require()
    buf = np.frombuffer(data, dtype=np.uint8)
    words = np.ndarray((len(data) - 7,), dtype="<u8", buffer=data, offset=0, strides=(1,))
    out = np.empty((len(starts), len(a)), dtype=np.uint32)
    _signatures(buf, words, word, low_bytes, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64),
                a, b, units(len(a)), powers, np.uint64(inverse), out)
    return out


def sketches_from_keys(keys: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sketches of prepared 64-bit shingle keys split at ``offsets`` (len+1), uint32 (rows, len(a))."""
    require()
    out = np.empty((len(offsets) - 1, len(a)), dtype=np.uint32)
    _sketches(np.ascontiguousarray(keys, dtype=np.uint64), np.asarray(offsets, dtype=np.int64), a, b,
              units(len(a)), out)
    return out


def reference_signature(keys: list[int], a: np.ndarray, b: np.ndarray) -> list[int]:
    """The sketch of a list of 64-bit shingle keys, in plain Python: the definition, for tests."""
    t = len(a)
    strides = units(t).tolist()
    mask = (1 << 64) - 1
    if not keys:
        return [0xFFFFFFFF] * t
    sig: list[tuple[int, int] | None] = [None] * t
    for i in range(t):
        for key in keys:
            start = ((key & 0xFFFFFFFF) * t) >> 32
            stride = strides[(((key >> 32) & 0xFFFF) * len(strides)) >> 16]
            j = (start + i * stride) % t
            v = (i, ((int(a[i]) * (key >> 32) + int(b[i])) & mask) >> 32)
            if sig[j] is None or v < sig[j]:
                sig[j] = v
        if all(s is not None for s in sig):
            break
    return [s[1] for s in sig]
