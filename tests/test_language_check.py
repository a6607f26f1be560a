"""The language check: real C that tree-sitter half-parses is kept, foreign code a rival grammar
reads better is refused, C++ headers are C++ (bench/language_check_bench.py measures it on
real repositories)."""
from pathlib import Path

import pytest

from schemas.languages import LANGUAGE_IDS, kin
from transforms.read.commit_filter import Change, ChangedFile, filter_change
from transforms.mining.filters import MiningConfig
from transforms.tag import tag_sample
from transforms.tagging import language_check, parsers, tag_code
from transforms.tagging.filters import TagConfig

DATA = Path(__file__).parent / "data" / "language_check"
GUARDED_HEADER = (DATA / "guarded_header.h").read_text()
WATCH_C = (DATA / "watch.c").read_text()
CPP_HEADER = """#pragma once
#include <string>
#include <vector>

namespace stats {

template <typename T>
class Window {
 public:
  explicit Window(std::size_t size) : size_(size) {}
  void push(const T& value) {
    values_.push_back(value);
    if (values_.size() > size_) values_.erase(values_.begin());
  }
  const std::vector<T>& values() const { return values_; }

 private:
  std::size_t size_;
  std::vector<T> values_;
};

}  // namespace stats
"""


def check(code: str, language: str) -> parsers.Verification:
    data = code.encode()
    return parsers.verify(parsers.parse(data, language), data)


def accepted_as(code: str) -> set[str]:
    return {language for language in LANGUAGE_IDS if tag_code(code, language)["language_ok"]}


def test_c_and_cpp_are_kin_both_ways():
    assert kin("c") == "cpp" and kin("cpp") == "c" and kin("python") is None


def test_well_formed_code_inside_an_error_node_is_recovered():
    # The `extern "C" {` block opens and closes in two #ifdef branches: one ERROR node spans
    # most of the file, yet the functions inside it parse.
    found = check(GUARDED_HEADER, "c")
    assert found.error_byte_share > 0.5
    assert found.unrecovered_share < language_check.limits()["max_unrecovered_share"] / 2


def test_a_header_whose_braces_split_across_ifdefs_is_c():
    assert accepted_as(GUARDED_HEADER) == {"c", "cpp"}


def test_a_rival_that_parses_clearly_better_refuses_the_claim():
    # C# tolerates this C program within the claimed-grammar limits (few error nodes, little
    # text in them); the C grammar parses it without an error.
    as_csharp = check(WATCH_C, "csharp")
    limits = language_check.limits()
    assert 0 < as_csharp.error_ratio <= limits["max_error_ratio"]
    assert as_csharp.unrecovered_share <= limits["max_unrecovered_share"]
    assert check(WATCH_C, "c").error_count == 0
    assert accepted_as(WATCH_C) == {"c", "cpp"}


def test_characters_no_grammar_reads_count_as_unrecovered():
    # Tree-sitter makes childless ERROR nodes of characters the grammar cannot read at all.
    found = check(WATCH_C + "\n" + "@" * 3000 + "\n", "c")
    assert found.unrecovered_share > 0.5
    assert not tag_code(WATCH_C + "\n" + "@" * 3000 + "\n", "c")["language_ok"]


def _measures(monkeypatch, measures: dict[str, float]) -> None:
    """Make every grammar's parse report the given error measure (as its unrecovered share)."""
    monkeypatch.setattr(parsers, "parse", lambda code, lang_id: lang_id)
    monkeypatch.setattr(parsers, "verify", lambda tree, code: parsers.Verification(
        error_count=1, node_count=1000, error_ratio=0.0, error_byte_share=0.0,
        unrecovered_share=measures.get(tree, 0.9), parse_ok=False))


@pytest.mark.parametrize("rival, measures, holds", [
    ("csharp", {"c": 0.10, "cpp": 0.10, "csharp": 0.096}, True),   # within the margin
    ("csharp", {"c": 0.10, "cpp": 0.10, "csharp": 0.090}, False),  # better by more than the margin
    ("cpp", {"c": 0.10, "cpp": 0.060}, True),                      # kin: better, but not under 0.5x - margin
    ("cpp", {"c": 0.10, "cpp": 0.040}, False),                     # kin: under 0.5x - margin
])
def test_the_decision_rule_on_given_measures(monkeypatch, rival, measures, holds):
    _measures(monkeypatch, measures)
    own = parsers.verify("c", b"")
    assert language_check.claim_holds(b"x", "c", own) is holds


@pytest.mark.parametrize("measures, expected", [({"c": 0.10, "cpp": 0.060}, "c"), ({"c": 0.10, "cpp": 0.040}, "cpp"),
                                                ({"c": 0.004, "cpp": 0.0}, "c")])
def test_settle_moves_a_header_only_to_a_clearly_better_kin(monkeypatch, measures, expected):
    _measures(monkeypatch, measures)
    assert language_check.settle("c", "include/x.h", "code") == expected


def test_settle_works_either_way_and_leaves_unknown_ids_alone():
    c_only = "int class = 1;\nint new = 2;\nint delete(int this) { return this + class + new; }\n"
    assert check(c_only, "c").error_count == 0 and check(c_only, "cpp").error_count > 0
    assert language_check.settle("cpp", "include/old.h", c_only) == "c"
    assert language_check.settle("cpp", "src/old.cc", c_only) == "cpp"
    assert language_check.settle("C++", "include/old.h", c_only) == "C++"


def test_kin_wins_only_when_clearly_better():
    cpp, c = check(CPP_HEADER, "cpp"), check(CPP_HEADER, "c")
    assert cpp.error_count == 0 and c.error_count > 0
    assert not tag_code(CPP_HEADER, "c")["language_ok"]  # C++ parses it clearly better
    # The guarded C header parses about as well in both: each claim holds.
    assert check(GUARDED_HEADER, "cpp").error_measure == pytest.approx(check(GUARDED_HEADER, "c").error_measure,
                                                                       abs=0.01)


@pytest.mark.parametrize("path, code, expected", [
    ("include/stats/window.h", CPP_HEADER, "cpp"),   # a C++ header is C++
    ("include/word_stats.h", GUARDED_HEADER, "c"),   # a C header stays C
    ("src/window.c", CPP_HEADER, "c"),               # only a shared extension is settled by the parse
    ("src/watch.c", WATCH_C, "c"),
])
def test_settle_names_the_language_of_a_shared_extension(path, code, expected):
    assert language_check.settle("c", path, code) == expected


def test_the_commit_chain_reads_a_cpp_header_as_cpp():
    after = CPP_HEADER.replace("values_.erase(values_.begin());", "values_.erase(values_.begin(), values_.begin() + 1);")
    located = ChangedFile("include/stats/window.h", lambda: len(after), lambda: (CPP_HEADER, after))
    change = Change("Fix off-by-one in the window", lambda: (located, None, None), lambda text: ("MIT", ""))
    kept, reason, detail = filter_change(change, MiningConfig())
    assert reason is None, detail
    assert kept.language == "cpp"


def _count_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = parsers.parse

    def counting(code: bytes, lang_id: str):
        parsed.append(lang_id)
        return real(code, lang_id)
    monkeypatch.setattr(parsers, "parse", counting)
    return parsed


def test_clean_code_parses_no_rival(monkeypatch):
    parsed = _count_parses(monkeypatch)
    assert tag_code(WATCH_C, "c")["language_ok"]
    assert parsed == ["c"]


def test_a_claim_with_errors_holds_after_every_rival_is_parsed(monkeypatch):
    assert check(GUARDED_HEADER, "c").error_measure > language_check.limits()["rival_margin"]
    parsed = _count_parses(monkeypatch)
    assert tag_code(GUARDED_HEADER, "c")["language_ok"]
    assert parsed[0] == "c" and sorted(parsed) == sorted(LANGUAGE_IDS)


def test_a_refused_claim_stops_at_the_first_rival_that_beats_it(monkeypatch):
    parsed = _count_parses(monkeypatch)
    assert not tag_code(WATCH_C, "csharp")["language_ok"]
    assert parsed == ["csharp", "c"]  # C comes first in the table and parses it cleanly


def test_code_over_the_token_budget_skips_the_rivals(monkeypatch):
    parsed = _count_parses(monkeypatch)
    sample = {"code": WATCH_C, "language": "csharp", "code_before": WATCH_C}
    tagged, reason, _ = tag_sample(sample, TagConfig(max_tokens=50))
    assert reason == "too_many_tokens"
    assert parsed == ["csharp"]  # no rival parses, and the before side is not tagged
    assert tagged["tags_before"] is None
