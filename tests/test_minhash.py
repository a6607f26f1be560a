"""Pure-function tests of transforms.minhash (no Beam)."""
from __future__ import annotations

import random

import numpy as np
import pytest

from transforms import minhash as mh


def _pair(rng: random.Random, k: int, size: int, jaccard: float) -> tuple[list[str], list[str]]:
    """Two token sets of ``size`` elements with the given exact Jaccard (rounded)."""
    shared = round(2 * size * jaccard / (1 + jaccard))
    a = [f"p{k}_{i}" for i in range(size)]
    b = a[:shared] + [f"q{k}_{i}" for i in range(size - shared)]
    rng.shuffle(b)
    return a, b


# ---- tokens and shingles -----------------------------------------------------------

def test_tokenize_is_code_aware():
    assert mh.tokenize("foo_bar.baz(x1) += 42;") == ["foo_bar", "baz", "x1", "42"]
    assert mh.tokenize("If X") == ["If", "X"]
    assert mh.tokenize("If X", lowercase=True) == ["if", "x"]
    assert mh.tokenize("  \n\t ") == []


def test_word_ngrams_distinct_and_short_documents():
    assert mh.word_ngrams(["a", "b", "c", "a", "b", "c"], 2) == ["a b", "b c", "c a"]
    assert mh.word_ngrams(["a", "b"], 5) == ["a b"]  # shorter than n: one shingle
    assert mh.word_ngrams([], 3) == []
    with pytest.raises(ValueError):
        mh.word_ngrams(["a"], 0)


def test_shingles_ignore_formatting():
    assert mh.shingles("def f(x):\n    return x", 2) == mh.shingles("def f ( x ) :  return   x", 2)


def test_base_hashes_are_xxh32_of_utf8():
    import xxhash
    want = [xxhash.xxh32_intdigest(b"ab"), xxhash.xxh32_intdigest("\u00e9".encode()), xxhash.xxh32_intdigest(b"ab")]
    for items in (["ab", "\u00e9", "ab"], [b"ab", "\u00e9".encode(), b"ab"], ["ab", "\u00e9".encode(), b"ab"]):
        h = mh.base_hashes(items)
        assert h.dtype == np.uint32 and h.tolist() == want
    assert mh.base_hashes(["ab"], seed=3).tolist() == [xxhash.xxh32_intdigest(b"ab", 3)]
    assert mh.base_hashes([]).shape == (0,)


def test_repeated_shingles_do_not_change_the_signature():
    h = mh.base_hashes(["a b", "b c", "c d"])
    twice = np.concatenate([h, h[:2]])
    assert np.array_equal(mh.signatures_from_hashes([h], 32), mh.signatures_from_hashes([twice], 32))


# ---- signatures ------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", mh.SCHEMES)
def test_signatures_deterministic_and_seeded(scheme):
    texts = ["int main() { return 0; }", "def f(x): return x + 1", "puts 'hi'"]
    a = mh.signatures(texts, 2, 64, seed=5, scheme=scheme)
    b = mh.signatures(texts, 2, 64, seed=5, scheme=scheme)
    c = mh.signatures(texts, 2, 64, seed=6, scheme=scheme)
    assert a.dtype == np.uint32 and a.shape == (3, 64)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("scheme", mh.SCHEMES)
def test_signatures_do_not_depend_on_blocking(scheme):
    rng = random.Random(1)
    docs = [" ".join(f"w{rng.randrange(500)}" for _ in range(rng.randrange(0, 80))) for _ in range(40)]
    whole = mh.signatures(docs, 3, 32, scheme=scheme, block_shingles=100_000)
    tiny = mh.signatures(docs, 3, 32, scheme=scheme, block_shingles=1)
    single = np.stack([mh.signature(d, 3, 32, scheme=scheme) for d in docs])
    assert np.array_equal(whole, tiny) and np.array_equal(whole, single)


def test_signature_is_min_over_permuted_hashes():
    """Reference implementation with Python integers."""
    hashes = mh.base_hashes(["x y", "y z", "z w"])
    a, b = mh.permutations(16, 3, mh.MERSENNE31)
    p = (1 << 31) - 1
    want = [min((int(ai) * (int(h) % p) + int(bi)) % p for h in hashes) for ai, bi in zip(a[:, 0], b[:, 0])]
    got = mh.signatures_from_hashes([hashes], 16, 3, mh.MERSENNE31)[0]
    assert got.tolist() == want
    a32, b32 = mh.permutations(16, 3, mh.AFFINE32)
    assert all(int(x) % 2 == 1 for x in a32[:, 0])  # odd multipliers: bijections mod 2^32
    want32 = [min((int(ai) * int(h) + int(bi)) % (1 << 32) for h in hashes) for ai, bi in zip(a32[:, 0], b32[:, 0])]
    assert mh.signatures_from_hashes([hashes], 16, 3, mh.AFFINE32)[0].tolist() == want32


def test_empty_document_has_empty_signature():
    sigs = mh.signatures(["", "  ;; ", "x"], 5, 16)
    assert mh.is_empty(sigs[0]) and mh.is_empty(sigs[1]) and not mh.is_empty(sigs[2])


def test_identical_and_disjoint_documents():
    s = mh.signatures(["a b c d e f", "a b c d e f", "u v w x y z"], 2, 128)
    assert mh.estimate_jaccard(s[0], s[1]) == 1.0
    assert mh.estimate_jaccard(s[0], s[2]) < 0.1


@pytest.mark.parametrize("scheme", mh.SCHEMES)
@pytest.mark.parametrize("num_perm", [128, 256])
def test_estimation_error_vs_exact_and_datasketch(scheme, num_perm):
    datasketch = pytest.importorskip("datasketch")
    rng = random.Random(11)
    pairs = [_pair(rng, k, rng.randrange(60, 300), rng.random()) for k in range(120)]
    docs = [mh.base_hashes(d) for pair in pairs for d in pair]
    sigs = mh.signatures_from_hashes(docs, num_perm, seed=1, scheme=scheme)
    ours, theirs = [], []
    for k, (a, b) in enumerate(pairs):
        exact = mh.exact_jaccard(a, b)
        ours.append(mh.estimate_jaccard(sigs[2 * k], sigs[2 * k + 1]) - exact)
        ma, mb = datasketch.MinHash(num_perm=num_perm), datasketch.MinHash(num_perm=num_perm)
        ma.update_batch([t.encode() for t in a])
        mb.update_batch([t.encode() for t in b])
        theirs.append(ma.jaccard(mb) - exact)
    ours_mae, theirs_mae = float(np.mean(np.abs(ours))), float(np.mean(np.abs(theirs)))
    # Standard error of the estimator is sqrt(J(1-J)/num_perm) <= 0.5/sqrt(num_perm).
    assert ours_mae < 0.5 / np.sqrt(num_perm)
    assert ours_mae < 1.3 * theirs_mae
    assert abs(float(np.mean(ours))) < 0.01  # unbiased


def test_estimate_jaccard_shape_mismatch():
    with pytest.raises(ValueError):
        mh.estimate_jaccard(np.zeros(4, np.uint32), np.zeros(8, np.uint32))


def test_exact_jaccard():
    assert mh.exact_jaccard("abc", "bcd") == 0.5
    assert mh.exact_jaccard([], []) == 1.0


# ---- LSH parameters and bands --------------------------------------------------------------

def test_optimal_bands_rows_paper_setting():
    assert mh.optimal_bands_rows(0.7, 256) == (25, 10)


@pytest.mark.parametrize("threshold,num_perm", [(0.75, 256), (0.5, 128), (0.9, 128), (0.3, 64), (0.8, 200)])
def test_optimal_bands_rows_matches_datasketch(threshold, num_perm):
    lsh = pytest.importorskip("datasketch.lsh")
    assert mh.optimal_bands_rows(threshold, num_perm) == lsh._optimal_param(threshold, num_perm, 0.5, 0.5)


def test_optimal_bands_rows_weights_shift_the_tradeoff():
    b_fp, r_fp = mh.optimal_bands_rows(0.7, 128, fp_weight=0.9, fn_weight=0.1)
    b_fn, r_fn = mh.optimal_bands_rows(0.7, 128, fp_weight=0.1, fn_weight=0.9)
    # Penalising false positives favours longer bands (stricter candidates).
    assert r_fp > r_fn


def test_fp_fn_probabilities_match_quadrature():
    quad = pytest.importorskip("scipy.integrate").quad
    b, r, t = 25, 10, 0.7
    fp = quad(lambda s: 1 - (1 - s ** r) ** b, 0, t)[0]
    fn = quad(lambda s: (1 - s ** r) ** b, t, 1)[0]
    assert mh.false_positive_probability(t, b, r) == pytest.approx(fp, rel=1e-9, abs=1e-12)
    assert mh.false_negative_probability(t, b, r) == pytest.approx(fn, rel=1e-9, abs=1e-12)


def test_band_hashes_agree_exactly_on_shared_bands():
    sig = mh.signature("a b c d e f g h i j k l", 2, 64)
    other = sig.copy()
    other[8:16] += np.uint32(1)  # change band 1 only (8 rows per band)
    ha, hb = mh.band_hashes(sig, 8, 8), mh.band_hashes(other, 8, 8)
    assert len(ha) == 8
    assert [x == y for x, y in zip(ha, hb)] == [True, False] + [True] * 6
    # same rows in different bands give different keys (band index seeds the hash)
    same = np.zeros(16, np.uint32)
    assert len(set(mh.band_hashes(same, 2, 8))) == 2
    with pytest.raises(ValueError):
        mh.band_hashes(sig, 9, 8)


def test_lsh_candidate_rate_follows_s_curve():
    """Pairs well above the threshold almost always share a band; pairs well below rarely."""
    rng = random.Random(5)
    b, r = mh.optimal_bands_rows(0.7, 256)
    hits = {}
    for j in (0.9, 0.4):
        pairs = [_pair(rng, k, 200, j) for k in range(60)]
        sigs = mh.signatures_from_hashes([mh.base_hashes(d) for p in pairs for d in p], 256)
        hits[j] = sum(bool(set(mh.band_hashes(sigs[2 * k], b, r)) & set(mh.band_hashes(sigs[2 * k + 1], b, r)))
                      for k in range(len(pairs)))
    assert hits[0.9] >= 57 and hits[0.4] <= 3


def test_params_validate():
    with pytest.raises(ValueError):
        mh.optimal_bands_rows(1.5, 128)
    with pytest.raises(ValueError):
        mh.permutations(8, 1, "md5")
    p = mh.MinHashParams(ngram=5, num_perm=256, threshold=0.7)
    assert p.bands_rows == (25, 10)
    assert p.signatures(["a b c d e f"]).shape == (1, 256)


# ---- vectorised text -> shingle hashes (the default path) -----------------------------------

def _texts(seed: int = 3, count: int = 150) -> list[str]:
    """Texts that exercise the tokenizer: unicode words and punctuation, long tokens,
    empty and short texts, tabs and newlines."""
    rng = random.Random(seed)
    words = ["a", "bb", "ccc_1", "If", "x" * 9, "y" * 17, "z" * 30, "\u00e9t\u00e9", "\u65e5\u672c", "\u0130",
             "(", ");", " \n\t", "\u2014", "\u2192", "+=", "42"]
    fixed = ["foo_bar.baz(x1) += 42;", "", "  ;; ", "a", "a b", "h\u00e9llo w\u00f6rld_1 \u2192 x\u2014y ok ok"]
    return fixed + [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 40))) for _ in range(count)]


@pytest.mark.parametrize("n", [1, 2, 5, 20])
@pytest.mark.parametrize("lowercase", [False, True])
def test_shingle_hashes_match_the_plain_python_definition(n, lowercase):
    texts = _texts()
    hashes, offsets = mh.shingle_hashes(texts, n, lowercase)
    assert hashes.dtype == np.uint64 and offsets.tolist()[0] == 0 and len(offsets) == len(texts) + 1
    for k, text in enumerate(texts):
        assert hashes[offsets[k]:offsets[k + 1]].tolist() == mh.reference_shingle_hashes(text, n, lowercase), text
        # one hash per shingle position; as many distinct hashes as distinct shingles (no collisions)
        assert len(set(hashes[offsets[k]:offsets[k + 1]].tolist())) == len(mh.shingles(text, n, lowercase))


@pytest.mark.parametrize("n", [1, 5, 20])
@pytest.mark.parametrize("num_perm", [1, 2, 7, 128, 256])
@pytest.mark.parametrize("lowercase", [False, True])
def test_fss_kernel_matches_the_plain_python_definition(n, num_perm, lowercase):
    """The compiled pass (bytes -> keys -> rounds) gives, bit for bit, the sketch that
    ``minhash_kernel.reference_signature`` defines over ``reference_shingle_hashes``."""
    from transforms import minhash_kernel

    texts = _texts(count=40)
    a, b = mh.permutations(num_perm, 1, mh.FSS)
    got = mh.signatures(texts, n, num_perm, lowercase=lowercase)
    for k, text in enumerate(texts):
        want = minhash_kernel.reference_signature(mh.reference_shingle_hashes(text, n, lowercase), a[:, 0], b[:, 0])
        assert got[k].tolist() == want, text
    # the same sketches from prepared keys (signatures_from_hashes), and from text in one call per text
    hashes, offsets = mh.shingle_hashes(texts, n, lowercase)
    rows = [hashes[offsets[k]:offsets[k + 1]] for k in range(len(texts))]
    assert (mh.signatures_from_hashes(rows, num_perm, scheme=mh.FSS) == got).all()


def test_fss_strides_visit_every_slot():
    """Each key's start + i * stride (mod t), i < t, is a permutation of the t slots."""
    from transforms import minhash_kernel

    for t in (1, 2, 3, 12, 128, 255, 256):
        for v in minhash_kernel.units(t).tolist():
            assert sorted((5 + i * v) % t for i in range(t)) == list(range(t)), (t, v)
    assert minhash_kernel.units(12).tolist() == [1, 5, 7, 11]


def test_fss_stops_early_on_long_texts_and_fills_every_slot():
    """A text of many shingles fills all slots in a few rounds: every slot holds a value
    from the first rounds, i.e. no slot is left empty and none keeps the start marker."""
    rng = random.Random(3)
    text = " ".join(f"w{rng.randrange(10**6)}" for _ in range(3000))
    sig = mh.signatures([text], 5, 256)[0]
    assert not (sig == mh.EMPTY_VALUE).any()
    assert len(set(sig.tolist())) > 250  # distinct winners, not one shingle copied everywhere


def test_shingle_hashes_of_texts_are_independent_of_their_neighbours():
    texts = _texts(count=40)
    hashes, offsets = mh.shingle_hashes(texts, 3)
    for k, text in enumerate(texts):
        alone, _ = mh.shingle_hashes([text], 3)
        assert hashes[offsets[k]:offsets[k + 1]].tolist() == alone.tolist()
    assert mh.shingle_hashes([], 3)[0].shape == (0,) and mh.shingle_hashes([], 3)[1].tolist() == [0]
    with pytest.raises(ValueError):
        mh.shingle_hashes(["a"], 0)


def test_token_hashes_see_the_same_tokens_as_tokenize():
    """Formatting, punctuation and unicode punctuation never change the token hashes."""
    texts = _texts(count=60)
    hashes, offsets = mh.token_hashes(texts)
    again, again_offsets = mh.token_hashes([" ".join(mh.tokenize(t)) for t in texts])
    assert hashes.tolist() == again.tolist() and offsets.tolist() == again_offsets.tolist()
    assert np.diff(offsets).tolist() == [len(mh.tokenize(t)) for t in texts]
    by_token = {}
    for token, h in zip([w for t in texts for w in mh.tokenize(t)], hashes.tolist()):
        assert by_token.setdefault(token, h) == h
    assert len(set(by_token.values())) == len(by_token)


@pytest.mark.parametrize("scheme", mh.SCHEMES)
def test_signatures_from_text_do_not_depend_on_text_blocking(scheme, monkeypatch):
    texts = _texts(count=60)
    whole = mh.signatures(texts, 3, 32, scheme=scheme)
    monkeypatch.setattr(mh, "BLOCK_TEXT_BYTES", 50)
    small_blocks = mh.signatures(texts, 3, 32, scheme=scheme)
    assert np.array_equal(whole, small_blocks)
    hashes, offsets = mh.shingle_hashes(texts, 3)
    prepared = mh.signatures_from_hashes([hashes[a:b] for a, b in zip(offsets[:-1], offsets[1:])], 32,
                                         scheme=scheme)
    assert np.array_equal(whole, prepared)
    empty = [k for k, t in enumerate(texts) if not mh.tokenize(t)]
    assert empty and all(mh.is_empty(whole[k]) for k in empty)
    assert not any(mh.is_empty(whole[k]) for k in range(len(texts)) if k not in empty)


_SIGNATURE_DIGEST = """
import hashlib, sys
from transforms import minhash as mh
texts = ["def f(x):\\n    return x + 1", "int main() { return 0; }", "caf\\u00e9 = 1", ""]
print(hashlib.sha256(b"".join(mh.signatures(texts, 2, 64, seed=7, scheme=s).tobytes() for s in mh.SCHEMES)).hexdigest())
"""


def test_signatures_are_the_same_in_every_process():
    """No Python hash randomisation anywhere: two interpreters with different hash seeds agree."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": root}
        out = subprocess.run([sys.executable, "-c", _SIGNATURE_DIGEST], env=env, cwd=root, check=True,
                             capture_output=True, text=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


@pytest.mark.parametrize("num_perm", [128, 256])
def test_text_path_is_as_accurate_as_the_old_path_on_real_code(num_perm):
    """Mean |estimate - exact Jaccard| on pairs of this repository's own source files
    (edited copies and unrelated files): the compiled fss path (default), the
    vectorised path with rensa and with affine32 against the previous
    Python-shingling path, on the same pairs."""
    from bench.minhash_bench import NGRAM, real_code_pairs

    texts, pairs = real_code_pairs(pairs=400)
    grams = [mh.shingles(t, NGRAM) for t in texts]
    exact = np.array([mh.exact_jaccard(grams[i], grams[j]) for i, j in pairs])
    assert exact.min() < 0.2 and exact.max() > 0.8  # the pairs span the range

    def error(sigs):
        est = np.array([mh.estimate_jaccard(sigs[i], sigs[j]) for i, j in pairs])
        return float(np.mean(np.abs(est - exact))), float(np.mean(est - exact))

    old_mae, _ = error(mh.signatures_from_hashes([mh.base_hashes(g) for g in grams], num_perm,
                                                 scheme=mh.AFFINE32))
    for scheme in (mh.FSS, mh.RENSA, mh.AFFINE32):
        mae, bias = error(mh.signatures(texts, NGRAM, num_perm, scheme=scheme))
        assert mae < 0.5 / np.sqrt(num_perm)
        assert mae < 1.2 * old_mae, (scheme, mae, old_mae)
        assert abs(bias) < 0.01
