"""The bundled problem set (pipeline/defaults/problems) through the tagger and judge:
insecure variants carry findings, the others none; unreadable and tangled variants never win rm."""
from pathlib import Path

import pytest

from schemas.languages import LANGUAGE_IDS, by_extension
from transforms.tagging import filter_reason, static_judge, tag_code

PROBLEMS = Path(__file__).resolve().parents[1] / "pipeline" / "defaults" / "problems"
SOLUTIONS = sorted(p for p in PROBLEMS.glob("*/solutions/*/*") if by_extension(p.name)) if PROBLEMS.is_dir() else []

pytestmark = pytest.mark.skipif(not SOLUTIONS, reason="no bundled problem set")


def _tags(path: Path) -> dict:
    return tag_code(path.read_text(), by_extension(path.name).id)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: "/".join(p.parts[-4:]))
def test_solution_passes_filters_and_findings_match_its_variant(path):
    tags = _tags(path)
    assert filter_reason(tags) is None
    if path.stem == "insecure":
        assert tags["security_findings"], "an insecure variant must be flagged"
    else:
        assert tags["security_findings"] == []


UNREADABLE = ("unreadable", "tangled")  # crammed and short / sprawling and long (issue 13: both length directions)


@pytest.mark.parametrize("variant", UNREADABLE)
def test_readable_variants_beat_unreadable_ones_on_rm(variant):
    decided = total = 0
    for unreadable in (p for p in SOLUTIONS if p.stem == variant):
        worse = _tags(unreadable)
        for other in unreadable.parent.iterdir():
            if other.stem in UNREADABLE or other.stem == "insecure" or not by_extension(other.name):
                continue
            verdict = static_judge("rm", _tags(other), worse)
            assert verdict.winner != "B", f"{unreadable} judged more readable than {other.name}"
            decided += verdict.winner == "A"
            total += 1
    assert total >= len(LANGUAGE_IDS), f"every language's bundled set has a {variant} variant to compare"
    assert decided / total >= 0.8


def test_secure_variants_beat_insecure_ones_on_sh():
    for insecure in (p for p in SOLUTIONS if p.stem == "insecure"):
        bad = _tags(insecure)
        for other in insecure.parent.iterdir():
            if other != insecure and by_extension(other.name):
                assert static_judge("sh", _tags(other), bad).winner == "A"
