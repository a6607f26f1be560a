"""Filters and the static judge: reasons, symmetry, abstention, direction."""
from pathlib import Path

import pytest

from transforms.tagging import StaticVerdict, filter_reason, static_judge, tag_code
from transforms.tagging.static_judge import rm_score, sh_score
from transforms.tagging.filters import TagConfig

DATA = Path(__file__).parent / "data" / "tagging"

CLEAN = '''
def total_price(items, tax_rate):
    """Sum of item prices including tax."""
    subtotal = sum(item.price * item.quantity for item in items)
    return subtotal * (1 + tax_rate)


def cheapest(items):
    return min(items, key=lambda item: item.price) if items else None
'''

MESSY = '''
def f(a, b, c):
    x = 0
    for i in a:
        if i.p > 0:
            if b:
                for j in range(i.q):
                    if c and j % 2 == 0 or j > 10:
                        while x < 100:
                            x = x + i.p * b
                            x = x + i.p * b
                            x = x + i.p * b
    return x
'''

INSECURE = "import hashlib, os\npassword = 'hunter2'\nos.system('ls ' + d)\nh = hashlib.md5(b'x')\n"
LESS_INSECURE = "import hashlib\nh = hashlib.md5(b'x')\n"
SECURE = "import hashlib\nh = hashlib.sha256(b'x')\n"


def test_filter_reasons():
    good = tag_code(CLEAN, "python")
    assert filter_reason(good) is None
    assert filter_reason(tag_code(CLEAN, "java")) == "wrong_language"
    assert filter_reason(tag_code("x", "python")) == "shallow_tree"
    assert filter_reason(good, TagConfig(min_depth=good["depth"] + 1)) == "shallow_tree"
    assert filter_reason(good, TagConfig(max_tokens=good["tokens"] - 1)) == "too_many_tokens"
    assert filter_reason(good, TagConfig(max_tokens=good["tokens"])) is None


def test_wrong_language_takes_precedence():
    tags = dict(tag_code(CLEAN, "python"), language_ok=False, depth=1, tokens=10**6)
    assert filter_reason(tags) == "wrong_language"


def test_rm_prefers_readable_code_and_is_symmetric():
    clean, messy = tag_code(CLEAN, "python"), tag_code(MESSY, "python")
    v = static_judge("rm", clean, messy)
    assert isinstance(v, StaticVerdict)
    assert v.winner == "A" and v.reason == "better_score"
    assert v.margin == pytest.approx(v.score_a - v.score_b) and v.margin > 0.05
    w = static_judge("rm", messy, clean)
    assert w.winner == "B" and w.margin == v.margin
    assert (w.score_a, w.score_b) == (v.score_b, v.score_a)


def test_rm_scores_stay_in_unit_interval():
    for path in DATA.iterdir():
        from schemas.languages import by_extension
        lang = by_extension(path.name)
        if lang:
            assert 0.0 <= rm_score(tag_code(path.read_text(), lang.id)) <= 1.0


def test_rm_abstains_on_identical_code_and_below_margin():
    tags = tag_code(CLEAN, "python")
    v = static_judge("rm", tags, dict(tags))
    assert v.winner is None and v.reason == "below_margin" and v.margin == 0.0
    clean, messy = tag_code(CLEAN, "python"), tag_code(MESSY, "python")
    gap = static_judge("rm", clean, messy).margin
    v = static_judge("rm", clean, messy, min_margin=gap + 1e-9)
    assert v.winner is None and v.reason == "below_margin"


def _adders(n):
    return "".join(f'def add_{k}(left, right):\n    """Add two numbers and offset {k}."""\n'
                   f"    return left + right + {k}\n\n\n" for k in range(n))


def test_rm_is_size_fair():
    # Ten times more of the same kind of code is neither better nor worse code.
    small, large = tag_code(_adders(2), "python"), tag_code(_adders(20), "python")
    assert large["lines"] > 5 * small["lines"]
    v = static_judge("rm", small, large)
    assert v.winner is None and v.reason == "below_margin"


def test_sh_prefers_fewer_weighted_findings():
    insecure, less, secure = (tag_code(c, "python") for c in (INSECURE, LESS_INSECURE, SECURE))
    v = static_judge("sh", secure, insecure)
    assert v.winner == "A" and v.score_a == 1.0
    assert sh_score(insecure) == pytest.approx(1 / (1 + 3 + 2 + 2))  # high shell, medium credential + md5
    assert static_judge("sh", insecure, less).winner == "B"
    assert static_judge("sh", less, insecure).winner == "A"


def test_sh_abstains_without_findings():
    a, b = tag_code(SECURE, "python"), tag_code(CLEAN, "python")
    v = static_judge("sh", a, b)
    assert v.winner is None and v.reason == "no_signal"


def test_judge_abstains_on_unverified_code():
    v = static_judge("rm", tag_code(CLEAN, "python"), tag_code(CLEAN, "ruby"))
    assert v.winner is None and v.reason == "no_signal"


def test_judge_rejects_other_criteria():
    tags = tag_code(CLEAN, "python")
    with pytest.raises(ValueError):
        static_judge("fc", tags, tags)


@pytest.mark.parametrize("criterion", ["rm", "sh"])
def test_swapping_sides_swaps_the_winner_on_all_fixture_pairs(criterion):
    from schemas.languages import by_extension
    tagged = [tag_code(p.read_text(), by_extension(p.name).id) for p in sorted(DATA.iterdir())
              if by_extension(p.name)] + [tag_code(c, "python") for c in (INSECURE, LESS_INSECURE, CLEAN, MESSY)]
    flip = {"A": "B", "B": "A", None: None}
    for a in tagged:
        for b in tagged:
            v, w = static_judge(criterion, a, b), static_judge(criterion, b, a)
            assert w.winner == flip[v.winner] and w.reason == v.reason and w.margin == v.margin
