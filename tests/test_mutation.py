"""Mutation operators on real tree-sitter parses (all 8 languages), seeded draws, and the mutate stage
through the local sandbox: failing mutants go on, survivors and non-compiling ones are dead letters."""
from __future__ import annotations

import random

import pytest
from apache_beam.pvalue import TaggedOutput

from schemas.languages import LANGUAGE_IDS
from tests.factories import execution, submission
from transforms.execute import ExecuteConfig
from transforms.mutate import MutateConfig, _MutateFn, draw, is_candidate
from transforms.mutation import operators
from transforms.pair import pair_submissions, windows
from transforms.tagging.filters import TagConfig

# One small program per language and, per operator, a mutant its sites must produce (the whole
# mutated program is checked, so the edit lands in the right place and nowhere else).
SNIPPETS = {
    "python": ("def f(a, n):\n    s = 0\n    for i in range(1, n):\n        if a[i] < n:\n            s += a[i] * 2\n"
               "    print(max(s, n))\n    return s\n",
               {"comparison_swap": ("a[i] < n", "a[i] > n"), "boundary_shift": ("a[i] < n", "a[i] <= n"),
                "arithmetic_swap": ("s += a[i] * 2", "s -= a[i] * 2"), "constant_shift": ("range(1, n)", "range(2, n)"),
                "drop_statement": ("    s = 0\n", "    pass\n"), "swap_arguments": ("max(s, n)", "max(n, s)"),
                "negate_condition": ("if a[i] < n:", "if not (a[i] < n):")}),
    "c": ("int f(int *a, int n) {\n  int s = 0;\n  for (int i = 0; i < n; i++) {\n    if (a[i] <= n) { s += a[i] * 2; }\n"
          "  }\n  printf(\"%d %d\\n\", s, n);\n  return s;\n}\n",
          {"comparison_swap": ("a[i] <= n", "a[i] >= n"), "boundary_shift": ("i < n", "i <= n"),
           "arithmetic_swap": ("a[i] * 2", "a[i] / 2"), "constant_shift": ("int s = 0", "int s = 1"),
           "drop_statement": ("{ s += a[i] * 2; }", "{  }"), "swap_arguments": ("s, n)", "n, s)"),
           "negate_condition": ("if (a[i] <= n)", "if (!(a[i] <= n))")}),
    "cpp": ("int f(vector<int>& a, int n) {\n  int s = 0;\n  for (int i = 0; i < n; i++) {\n    if (a[i] == n) { s -= 2; }\n"
            "  }\n  cout << s << endl;\n  return max(s, n);\n}\n",
            {"comparison_swap": ("a[i] == n", "a[i] != n"), "boundary_shift": ("i < n", "i <= n"),
             "arithmetic_swap": ("s -= 2", "s += 2"), "constant_shift": ("s -= 2", "s -= 3"),
             "drop_statement": ("{ s -= 2; }", "{  }"), "swap_arguments": ("max(s, n)", "max(n, s)"),
             "negate_condition": ("if (a[i] == n)", "if (!(a[i] == n))")}),
    "csharp": ("class P {\n  static int F(int[] a, int n) {\n    int s = 0;\n    for (int i = 0; i < n; i++) {\n"
               "      if (a[i] > n) { s += a[i] % 7; }\n    }\n    return Math.Max(s, n);\n  }\n}\n",
               {"comparison_swap": ("a[i] > n", "a[i] < n"), "boundary_shift": ("a[i] > n", "a[i] >= n"),
                "arithmetic_swap": ("a[i] % 7", "a[i] * 7"), "constant_shift": ("% 7", "% 8"),
                "drop_statement": ("{ s += a[i] % 7; }", "{  }"), "swap_arguments": ("Max(s, n)", "Max(n, s)"),
                "negate_condition": ("if (a[i] > n)", "if (!(a[i] > n))")}),
    "go": ("package main\n\nfunc f(a []int, n int) int {\n\ts := 0\n\tfor i := 0; i < n; i++ {\n\t\tif a[i] >= n {\n"
           "\t\t\ts += a[i] - 1\n\t\t}\n\t}\n\treturn max(s, n)\n}\n",
           {"comparison_swap": ("a[i] >= n", "a[i] <= n"), "boundary_shift": ("a[i] >= n", "a[i] > n"),
            "arithmetic_swap": ("a[i] - 1", "a[i] + 1"), "constant_shift": ("a[i] - 1", "a[i] - 0"),
            "drop_statement": ("\t\t\ts += a[i] - 1\n", "\t\t\t\n"), "swap_arguments": ("max(s, n)", "max(n, s)"),
            "negate_condition": ("if a[i] >= n", "if !(a[i] >= n)")}),
    "java": ("class P {\n  static int f(int[] a, int n) {\n    int s = 0;\n    for (int i = 0; i < n; i++) {\n"
             "      if (a[i] != n) { s += a[i] * 2; }\n    }\n    return Math.max(s, n);\n  }\n}\n",
             {"comparison_swap": ("a[i] != n", "a[i] == n"), "boundary_shift": ("i < n", "i <= n"),
              "arithmetic_swap": ("s += a", "s -= a"), "constant_shift": ("* 2", "* 1"),
              "drop_statement": ("{ s += a[i] * 2; }", "{  }"), "swap_arguments": ("max(s, n)", "max(n, s)"),
              "negate_condition": ("if (a[i] != n)", "if (!(a[i] != n))")}),
    "javascript": ("function f(a, n) {\n  let s = 0;\n  for (let i = 0; i < n; i++) {\n    if (a[i] === n) { s += a[i] * 2; }\n"
                   "  }\n  console.log(Math.max(s, n));\n  return s;\n}\n",
                   {"comparison_swap": ("a[i] === n", "a[i] !== n"), "boundary_shift": ("i < n", "i <= n"),
                    "arithmetic_swap": ("a[i] * 2", "a[i] / 2"), "constant_shift": ("let s = 0", "let s = 1"),
                    "drop_statement": ("  console.log(Math.max(s, n));\n", "  \n"),
                    "swap_arguments": ("max(s, n)", "max(n, s)"),
                    "negate_condition": ("if (a[i] === n)", "if (!(a[i] === n))")}),
    "ruby": ("def f(a, n)\n  s = 0\n  (0...n).each do |i|\n    if a[i] < n\n      s += a[i] * 2\n    end\n  end\n"
             "  puts foo(s, n)\n  s\nend\n",
             {"comparison_swap": ("a[i] < n", "a[i] > n"), "boundary_shift": ("a[i] < n", "a[i] <= n"),
              "arithmetic_swap": ("a[i] * 2", "a[i] / 2"), "constant_shift": ("s = 0", "s = 1"),
              "drop_statement": ("      s += a[i] * 2\n", "      nil\n"), "swap_arguments": ("foo(s, n)", "foo(n, s)"),
              "negate_condition": ("if a[i] < n", "if !(a[i] < n)")}),
}


def test_every_language_has_operators_and_a_snippet():
    assert set(operators.languages()) == set(LANGUAGE_IDS) == set(SNIPPETS)


@pytest.mark.parametrize("language", sorted(SNIPPETS))
def test_each_operator_produces_its_expected_mutant(language):
    code, expected = SNIPPETS[language]
    assert operators.error_count(code, language) == 0
    found = operators.sites(code, language)
    assert set(expected) == set(operators.OPERATORS)
    for op, (old, new) in expected.items():
        assert code.count(old) == 1, (op, old)
        want = code.replace(old, new)
        got = {operators.apply(code, s) for s in found[op]}
        assert want in got, (language, op, sorted(got))
        # Every mutant of a token or literal operator still parses.
        if op != "drop_statement":
            assert all(operators.error_count(m, language) == 0 for m in got), (language, op)


def test_operator_swaps_leave_generics_and_stream_operators_alone():
    code = "int main() { vector<int> v; cout << v.size() << endl; return 0; }\n"
    found = operators.sites(code, "cpp")
    texts = {s.text for op in operators.TOKEN_OPERATORS for s in found[op]}
    assert not texts, texts  # `<int>` is a template, `<<` a stream insertion: nothing to swap


def test_python_keyword_arguments_and_docstrings_are_not_mutated():
    code = 'def f(xs):\n    """Sum."""\n    return sorted(xs, key=abs)\n'
    found = operators.sites(code, "python")
    assert not found["swap_arguments"] and not found["drop_statement"]


def test_draws_are_seeded_distinct_and_spread_over_operators():
    code, _ = SNIPPETS["python"]
    a = operators.mutants(code, "python", 5, random.Random(7))
    b = operators.mutants(code, "python", 5, random.Random(7))
    assert [m.code for m in a] == [m.code for m in b]
    assert len({m.code for m in a}) == 5 and code not in {m.code for m in a}
    assert len({m.operator for m in a}) == 5  # one per operator while operators last
    seeds = {tuple(m.code for m in operators.mutants(code, "python", 2, random.Random(s))) for s in range(10)}
    assert len(seeds) > 1


def test_mutant_samples_are_variants_with_stable_ids():
    code, _ = SNIPPETS["python"]
    original = submission("orig", code, execution())
    assert is_candidate(original)
    assert not is_candidate(dict(original, execution=execution("WRONG_ANSWER")))
    first, second = draw(original, 2, seed=0), draw(original, 2, seed=0)
    assert first == second and len(first) == 2
    for m in first:
        assert m["variant_of"] == "orig" and m["code"] != code and "execution" not in m
        assert m["submission_id"].startswith("orig~mutant:")
    assert not is_candidate(dict(first[0], execution=execution()))  # a variant is never mutated again


def test_a_variant_pairs_only_with_its_original():
    ok = execution("OK")
    orig, other = submission("a", "x = 1\n", ok), submission("b", "y = 2\n", ok)
    mutant = dict(submission("m", "x = 2\n", execution("WRONG_ANSWER", passed=1)), variant_of="a")
    pairs, _, unpaired = pair_submissions([orig, other, mutant], ratio=5.0, criteria=("fc",))
    assert [(p["chosen_id"], p["rejected_id"]) for p in pairs] == [("a", "m")]
    assert unpaired == [other]
    # Windows keep a variant next to its original.
    many = [submission(f"s{i:02d}", "x\n", ok) for i in range(10)] + [dict(mutant, variant_of="s00")]
    assert any({"s00", "m"} <= {s["sample_id"] for s in w} for w in windows(many, 2))


# A program whose mutants split: some fail the test, some are equivalent (the branch never runs).
SURVIVOR_PROGRAM = "n = int(input())\nif n > 100:\n    n = n\nprint(n)\n"
TESTS = {"p1": {"tests": [("t1", "5\n", "5\n"), ("t2", "7\n", "7\n")], "time_limit_s": 5.0, "memory_limit_mb": 256}}


def _run_mutate(samples, n):
    """The stage's DoFn driven directly (the pipeline wiring runs in test_humaneval's end-to-end run)."""
    fn = _MutateFn(MutateConfig(mutants_per_sample=n), ExecuteConfig(exec_parallelism=2), TagConfig(), seed=0)
    fn.setup()
    try:
        out = list(fn.process([(s, TESTS.get(s["problem_id"])) for s in samples if is_candidate(s)]))
    finally:
        fn.teardown()
    return ([o for o in out if not isinstance(o, TaggedOutput)], [o.value for o in out if isinstance(o, TaggedOutput)])


def _seed_where(sample: dict, n: int, wanted) -> int:
    """A seed whose first ``n`` drawn mutants satisfy ``wanted`` (drawing runs nothing)."""
    return next(seed for seed in range(200) if wanted([m["code"] for m in draw(sample, n, seed)]))


def _try(sample: dict, n: int, seed: int, tests: dict) -> list:
    fn = _MutateFn(MutateConfig(mutants_per_sample=n), ExecuteConfig(exec_parallelism=1), TagConfig(), seed=seed)
    fn.setup()
    try:
        out = list(fn.process([(sample, tests.get(sample["problem_id"]))]))
    finally:
        fn.teardown()
    return [o.value if isinstance(o, TaggedOutput) else o for o in out]


def test_mutants_are_tried_until_one_fails_and_survivors_are_dead_letters():
    original = submission("orig", SURVIVOR_PROGRAM, execution(), problem_id="p1")
    survivor = SURVIVOR_PROGRAM.replace("n > 100", "n < 100")  # the branch assigns n to itself: same output
    failing = SURVIVOR_PROGRAM.replace("print(n)", "pass")
    seed = _seed_where(original, 3, lambda codes: codes[0] == survivor and codes[1] == failing)
    letter, kept = _try(original, 3, seed, TESTS)  # the third mutant is never tried
    assert letter["reason"] == "mutant_survived" and letter["record_kind"] == "variant"
    assert (letter["stage"], letter["criterion"], letter["language"]) == ("mutate", "fc", "python")
    assert kept["code"] == failing and kept["variant_of"] == "orig" and kept["tags"] is not None
    assert kept["execution"]["verdict"] == "WRONG_ANSWER" and kept["execution"]["repeats"] == 1
    # It failed t1, so t2 never ran; the survivor ran both.
    assert kept["execution"]["tests_total"] == 1 and len(kept["execution"]["tests"]) == 1
    assert letter["detail"] == "passed 2/2"
    # A failing original is never mutated.
    assert not is_candidate(submission("bad", "print(0)\n", execution("WRONG_ANSWER", passed=0)))


def test_a_mutant_that_does_not_compile_is_a_dead_letter():
    # Go rejects unused variables and imports: dropping the only use of both does not compile.
    code = 'package main\n\nimport "fmt"\n\nfunc main() {\n\ta := 7\n\tfmt.Println(a)\n}\n'
    original = submission("go1", code, execution(), language="go", problem_id="g1")
    dropped = code.replace("\tfmt.Println(a)\n", "\t\n")
    seed = _seed_where(original, 1, lambda codes: codes[0] == dropped)
    tests = {"g1": {"tests": [("t1", "", "7\n")], "time_limit_s": 10.0, "memory_limit_mb": 512}}
    (letter,) = _try(original, 1, seed, tests)
    assert letter["reason"] == "mutant_not_compiling" and letter["record_kind"] == "variant"
    assert "not used" in letter["detail"]


def test_the_dataset_card_lists_mutants_per_language():
    from pipeline.manifest import mutation_lines
    lines = mutation_lines({"mutate.in": 2, "mutate.candidates_go": 3, "mutate.failing_go": 1,
                            "mutate.not_compiling_go": 2})
    assert "| Go | 3 | 1 | 0 | 2 |" in lines and not any("Python" in line for line in lines)
    assert mutation_lines({"execute.in": 4}) == []  # --no_mutate: no table
