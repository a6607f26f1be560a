"""Tags: schema conformance, verification, and metrics on snippets with known answers."""
from pathlib import Path

import pyarrow as pa
import pytest

from schemas.languages import LANGUAGE_IDS, by_extension
from schemas.records import TAGS
from transforms.tagging import metrics, parsers, tag_code

DATA = Path(__file__).parent / "data" / "tagging"
FIXTURES = sorted(p for p in DATA.iterdir() if by_extension(p.name))


def test_fixtures_cover_every_language():
    assert {by_extension(p.name).id for p in FIXTURES} == set(LANGUAGE_IDS)


# Type declarations each fixture defines (struct/class/type ... struct), read off the files.
DECLARED_TYPES = {"Inventory.cs": 1, "Inventory.java": 1, "WordStats.cs": 1, "WordStats.java": 1, "inventory.c": 1,
                  "inventory.cpp": 2, "inventory.go": 1, "inventory.js": 1, "inventory.py": 1, "inventory.rb": 1,
                  "wordstats.c": 1, "wordstats.cpp": 1, "wordstats.go": 1, "wordstats.js": 0, "wordstats.py": 1,
                  "wordstats.rb": 1}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_tags_match_the_arrow_schema_and_fixture_is_clean(path):
    tags = tag_code(path.read_text(), by_extension(path.name).id)
    assert list(tags) == [f.name for f in TAGS]
    pa.array([tags], type=TAGS)  # raises on any type mismatch
    assert tags["parse_ok"] and tags["language_ok"] and tags["error_count"] == 0
    assert tags["functions"] >= 4 and tags["classes"] == DECLARED_TYPES[path.name]
    assert tags["depth"] >= 5 and tags["tokens"] > 100
    assert 0.0 <= tags["naming_consistency"] <= 1.0
    assert tags["naming_consistency"] >= 0.9  # the fixtures follow their language's conventions


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_code_claimed_as_another_language_fails_verification(path):
    own = by_extension(path.name).id
    code = path.read_text()
    for other in LANGUAGE_IDS:
        if other == own or (own, other) == ("c", "cpp"):  # C is (nearly) a subset of C++
            continue
        tags = tag_code(code, other)
        assert not tags["language_ok"], f"{path.name} accepted as {other}"
        assert not tags["parse_ok"] and tags["error_count"] > 0


def test_python_claimed_as_java_is_rejected():
    code = (DATA / "inventory.py").read_text()
    assert tag_code(code, "python")["language_ok"]
    assert not tag_code(code, "java")["language_ok"]


@pytest.mark.parametrize("code,language", [("", "python"), ("\x00\xff garbage {{{", "c"), ("x = 1", "cobol"),
                                           (None, "python"), ("print(1)", None), ("\ud800", "python")])
def test_tag_code_never_raises(code, language):
    tags = tag_code(code, language)
    pa.array([tags], type=TAGS)


def test_unknown_language_is_not_language_ok():
    assert tag_code("x = 1", "cobol")["language_ok"] is False


def test_language_display_names_are_accepted():
    assert tag_code("int main(){return 0;}", "C++")["language_ok"]


def test_python_function_metrics():
    code = ("def f(a, b):\n"
            "    if a and b:\n"
            "        return 1\n"
            "    for i in range(3):\n"
            "        while b:\n"
            "            b -= 1\n"
            "    return 0\n")
    tags = tag_code(code, "python")
    assert tags["functions"] == 1 and tags["classes"] == 0
    assert tags["cyclomatic_max"] == 5  # 1 + if + and + for + while
    assert tags["cyclomatic_mean"] == 5.0
    assert tags["max_nesting"] == 2     # for > while
    assert tags["longest_function"] == 7 and tags["lines"] == 7
    # distinct identifiers f a b i range
    assert tags["one_letter_share"] == pytest.approx(4 / 5)
    assert tags["identifier_mean_length"] == pytest.approx(9 / 5)


def test_depth_tokens_and_nodes_of_a_tiny_program():
    tags = tag_code("x = 1\n", "python")
    assert tags["depth"] == 3   # module > expression_statement > assignment > identifier: 3 edges
    assert tags["tokens"] == 3
    assert tags["node_count"] == 6  # module, expression_statement, assignment, x, =, 1
    assert tags["cyclomatic_max"] == 1 and tags["functions"] == 0


def test_file_level_complexity_without_functions():
    tags = tag_code("n = int(input())\nif n > 0 or n < -5:\n    print(n)\n", "python")
    assert tags["cyclomatic_max"] == 3 and tags["functions"] == 0 and tags["longest_function"] == 0


def test_else_if_chain_does_not_nest_but_inner_if_does():
    code = ("int f(int a, int b, int c, int d) {\n"
            "  if (a) { return 1; } else if (b) { return 2; } else if (c) { if (d) { return 3; } }\n"
            "  return 0;\n}\n")
    tags = tag_code(code, "c")
    assert tags["max_nesting"] == 2
    assert tags["cyclomatic_max"] == 5


@pytest.mark.parametrize("language,code,expected", [
    ("java", "class A { int f(int x) { return x > 0 && x < 9 ? 1 : 0; } }", 3),
    ("go", "package m\n\nfunc f(x int) int {\n\tswitch x {\n\tcase 1:\n\t\treturn 1\n\tcase 2:\n\t\treturn 2\n"
           "\tdefault:\n\t\treturn 0\n\t}\n}\n", 3),
    ("csharp", "class A { int F(int? x) { return x ?? 0; } }", 3),  # lizard counts ? and ??
    ("ruby", "def f(x)\n  return 0 unless x\n  x > 1 ? 2 : 1\nend\n", 2),  # lizard ignores unless
    ("javascript", "function f(a) { try { return a || b; } catch (e) { return 0; } }", 3),
])
def test_cyclomatic_counts_as_lizard_does(language, code, expected):
    assert tag_code(code, language)["cyclomatic_max"] == expected


def test_comment_ratio_counts_comment_lines_over_non_blank_lines():
    code = "# header\nx = 1\n\n# note\ny = 2  # trailing\n"
    assert tag_code(code, "python")["comment_ratio"] == pytest.approx(3 / 4)


def test_python_docstrings_count_as_comments():
    code = 'def f():\n    """Doc."""\n    return 1\n'
    assert tag_code(code, "python")["comment_ratio"] == pytest.approx(1 / 3)


def test_duplicate_line_ratio():
    lines = ["total = total + values[i]", "total = total + values[i]", "print(total, file=out)", "}", "}",
             "   total = total + values[i]   "]
    # 4 non-trivial lines ("}" is trivial), 2 of them repeat an earlier one.
    assert metrics.duplicate_line_ratio(lines) == pytest.approx(2 / 4)
    assert metrics.duplicate_line_ratio(["}", "end"]) == 0.0


@pytest.mark.parametrize("language,code,expected", [
    ("python", "def good_name():\n    pass\ndef badName():\n    pass\nclass my_class:\n    pass\n", 1 / 3),
    ("python", "MAX_N = 10\nrow_count = 2\nclass Tree:\n    pass\n", 1.0),
    ("java", "class A { void do_it() { int myVar = 1; int other_var = 2; } }", 2 / 4),
    ("go", "package m\n\nfunc parse_line() {}\nfunc ParseAll() {}\n", 1 / 2),
    ("ruby", "class Foo\n  def bar?\n    my_value = 1\n  end\nend\n", 1.0),
    ("csharp", "class A { void DoIt(int count) { var total = 0; } void doIt() {} }", 4 / 5),
    # C: snake_case dominates, so the camelCase function is the odd one out.
    ("c", "void read_input(void) {}\nvoid parse_line(void) {}\nvoid printAll(void) {}\n", 2 / 3),
    ("c", "void readInput(void) {}\nvoid parseLine(void) {}\nvoid print_all(void) {}\n", 2 / 3),
    ("python", "print(1)\n", 1.0),
])
def test_naming_consistency(language, code, expected):
    assert tag_code(code, language)["naming_consistency"] == pytest.approx(expected)


def test_classes_are_counted_per_language():
    assert tag_code("struct p { int x; };\nstruct p q;\n", "c")["classes"] == 1
    assert tag_code("package m\n\ntype P struct{ X int }\ntype I interface{ M() }\n", "go")["classes"] == 2
    assert tag_code("module M\n  class A\n  end\nend\n", "ruby")["classes"] == 2


@pytest.mark.parametrize("language", LANGUAGE_IDS)
def test_node_type_table_names_exist_in_the_grammar(language):
    grammar = parsers.grammar(language)
    spec = metrics.spec(language)
    for group in ("functions", "classes", "classes_with_body", "nesting", "chain", "chain_parents", "comments",
                  "identifiers"):
        for name in getattr(spec, group):
            assert grammar.id_for_node_kind(name, True), f"{language}.{group}: {name}"
    for token in spec.decisions:
        assert grammar.id_for_node_kind(token, False), f"{language}.decisions: {token}"
    parsers.query(language, spec.naming)
