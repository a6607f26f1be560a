"""Commit pairs a reader would agree with (issue 11): terms, change filters, label checks,
licences, instructions, option errors, clone sources and the audit command.

Every repository here is a small git repository built in the test."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import audit, validate
from pipeline.defaults import history
from schemas.records import PREFERENCE_PAIR
from transforms.finalize import to_row
from transforms.mining import filters, git_plumbing, licenses, terms
from transforms.mining.filters import MiningConfig
from transforms.read.git import GitError, list_commits, read_commit
from transforms.mining.instructions import contains_license_text, offline_instruction
from transforms.mining.splits import SplitConfig
from transforms.config import ConfigError
from transforms.pair import pair_commit
from transforms.read import commit_export, hf_dataset

GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "A",
           "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org"}
MIT = (history.bundled_history_dir() / "licenses" / "MIT.txt").read_text()


def git(*args: str, cwd: Path | None = None, date: str = "2018-01-01T10:00:00+00:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def make_repo(root: Path, commits: list[tuple[str, dict[str, str]]]) -> Path:
    """A working repository with one commit per (message, {path: text}) entry, one day apart."""
    root.mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=root)
    for day, (message, files) in enumerate(commits, 1):
        for path, text in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
        git("add", "-A", cwd=root)
        git("commit", "-q", "-m", message, cwd=root, date=f"2018-01-{day:02d}T10:00:00+00:00")
    return root


def mine(repo) -> list[tuple]:
    """(sample, reason, detail) of every commit, oldest first."""
    return [read_commit(str(repo), sha, MiningConfig()) for sha in list_commits(str(repo))]


# --------------------------------------------------------------------------- criterion terms

@pytest.mark.parametrize("message, criteria", [
    ("Update Binary Search.cpp", []),                                       # the term is the file name
    ("Update binary_search.py", []),
    ("Increase the parser buffer size\n\nKeeps cpu/memory usage low under load", []),
    ("Add Elgamal cipher key generator", []),
    ("Add benchmark for the sorting functions", []),
    ("Add logistic regression", []),
    ("Fix broken link", []),
    ("Fix typo in the off-by-one explanation", []),                          # a veto: text, not code
    ("The parser is slowly getting better", []),                            # word boundary: slowly != slow
    ("Use `binary_search()` in lookup", []),                                 # quoted code is not a claim
    ("feat: Add BFS cycle check\n\n* Use map for better performance", []),  # squash body of a new feature
    ("Refactor the helper\n\n- No change in time/space complexity", ["rm"]),   # a term said to be unaffected
    ("Added a new example to check correctness of the code", []),
    ("Reduce complexity of linear_discriminant_analysis", []),              # code complexity, not runtime
    ("Fix performance measuring code bug", []),
    ("Improve prefix_sum.py (#12560)\n\n* Update prefix_sum.py\n\nOptimized contains_sum", []),  # late PR text
    ("Simplify it (#1)\n\n* Make it five times faster\n\n* auto fixes", ["ee", "rm"]),  # first squash item counts
    ("Optimised space complexity to O(sum)", ["me"]),
    ("The time complexity of every algorithm makes its value", []),          # a weak term without a claim
    ("Improve the time complexity of the search", ["ee"]),
    ("Speed up the scan with a hash set", ["ee"]),
    ("Reduce memory usage of the parser", ["me"]),
    ("Fix off-by-one and memoize the table", ["fc", "ee"]),
    # Security topic and function names need a security claim word in their clause
    # (terms/sh_claim_words.txt); the subjects are real ones from fmt, libuv, cJSON, redis, rack.
    ("Optimize format string parsing", ["ee"]),
    ("Check format string at compile time in print", []),
    ("Add sprintf overload for wide strings", []),
    ('Disable MSVC "secure" warnings in format.h only.', []),
    ("unix: fix format string vulnerability in freebsd.c", ["sh"]),
    ("Replace strcpy with strncpy, sprintf with snprintf", ["sh"]),
    ("Escape untrusted text when logging", ["sh"]),
    ("Avoid using unsafe C functions (#10932)", ["sh"]),
    ("unix,win: fix 'sprintf' is deprecated warning (#3813)", ["sh"]),
    ("test: gets(3)? Just say no!", ["sh"]),                                 # gets is unsafe in any use
    ("Use snprintf instead of sprintf", ["sh"]),                             # weak terms, a claim word
    ("Simplify format string parsing; avoid a temporary", ["rm"]),           # the claim word is in another clause
    # The compiler's optimizer is not an optimisation, and removing one claims the reverse (spdlog, redis).
    ("try to prevent optimizer to remove null sink code altogether", []),
    ("remove minor optimization for the sake of simplicity", []),
    ("Remove AOF optimization to skip expired keys.", []),
    ("pad3 small optimization", ["ee"]),
    ("Remove redundant copies: optimization of the hot loop", ["ee"]),      # a veto's "..." stays in its clause
    # "->" bullets make a list too: only its first item counts (spdlog db0d0438ff)
    ("tcp_client.h bugfix for macOS\n\n-> fix the missing declaration\n-> optimize if/else block", ["fc"]),
])
def test_terms_are_word_bounded_and_skip_file_names_and_negative_contexts(message, criteria):
    assert terms.match_criteria(message) == criteria


def test_matches_carry_the_term_and_its_span():
    message = "Speed up lookups (#12)\n\nThe hot path was quadratic."
    found = terms.find_matches(message)
    first = terms.first_match(found, "ee")
    assert (first.term, message[first.start:first.end]) == ("speed up", "Speed up")
    assert [m.term for m in found] == ["speed up", "quadratic"]  # "hot path" is weak: no improvement word


def test_term_lists_have_negatives_and_vetoes_as_data():
    lists = terms.term_lists()
    assert "cpu/memory usage" in lists["me"].negatives and "increase ... buffer*" in lists["me"].vetoes
    assert "benchmark" not in lists["ee"].terms and "generator" not in lists["me"].terms
    assert "sprintf" in lists["sh"].weak and "buffer overflow" not in lists["sh"].weak
    assert terms.improvement_words("sh").pattern != terms.improvement_words("ee").pattern  # sh has its own
    assert terms.improvement_words("ee").pattern == terms.improvement_words().pattern
    parsed = terms.parse_term_list("# c\nfoo\nnot foo bar\nveto baz\n")
    assert (parsed.terms, parsed.negatives, parsed.vetoes) == (("foo",), ("foo bar",), ("baz",))


# --------------------------------------------------------------------------- change filters

def test_whitespace_comment_and_file_name_changes_are_dropped_with_their_reason(tmp_path):
    code = "def square(x):\n    return x * x\n"
    repo = make_repo(tmp_path / "r", [
        ("Add licence and code", {"LICENSE": MIT, "lookup_table.py": code, "tests/test_sq.py": "def test():\n    pass\n"}),
        ("Fix off-by-one in square", {"lookup_table.py": "def square( x ):\n\n    return x*x\n"}),
        ("Fix wrong result of square", {"lookup_table.py": "# Squares.\ndef square( x ):\n\n    return x*x  # ok\n"}),
        ("Rework lookup table layout", {"lookup_table.py": "def square(x):\n    return x ** 2\n"}),
        ("Fix the edge case in the square test", {"tests/test_sq.py": "def test():\n    assert True\n"}),
        ("Fix off-by-one in square", {"lookup_table.py": "def square(x):\n    return x * x + 0\n"}),
    ])
    results = mine(repo)
    assert [r[1] for r in results] == ["no_criterion_terms", "whitespace_only", "comment_only", "term_only_in_path",
                                       "harness_file", None]
    assert "tree-sitter" in results[1][2] and "lookup table" in results[3][2].lower()


def test_token_streams_keep_string_content_and_python_blocks():
    assert filters.change_kind('s = "a b"\n', 's = "a  b"\n', "python") is None
    assert filters.change_kind("if x:\n    a()\n    b()\n", "if x:\n    a()\nb()\n", "python") is None
    assert filters.change_kind("int f(){return 1;}\n", "int f() {\n  return 1;\n}\n", "c") == "whitespace_only"
    assert filters.change_kind("int f(){return 1;} // a\n", "int f(){return 1;} // b\n", "c") == "comment_only"


def test_commit_exports_and_hf_rows_share_the_chain():
    row = {"commit": "a" * 40, "repos": "acme/x", "message": "Fix off-by-one in square", "license": "mit",
           "old_file": "sq.py", "new_file": "sq.py", "unix_time": 1500000000,
           "old_contents": "def square(x):\n    return x * x\n", "new_contents": "def square(x):\n    return x*x\n"}
    assert commit_export.read_commit_row(row)[1] == "whitespace_only"
    hf = {"after": row["new_contents"], "before": row["old_contents"], "msg": row["message"], "file": "sq.py"}
    cmap = {"code": "after", "code_before": "before", "message": "msg", "path": "file"}
    assert hf_dataset.row_to_sample(hf, cmap, "hf")[1] == "whitespace_only"
    assert hf_dataset.row_to_sample(dict(hf, file="tests/test_sq.py", after="def square(x):\n    return 1\n"),
                                    cmap, "hf")[1] == "harness_file"


# --------------------------------------------------------------------------- label checks

def commit_sample(before: str, after: str, message: str, language: str = "c", path: str = "src/parse.c") -> dict:
    return {"sample_id": "s1", "source": "commits", "kind": "commit", "language": language, "code": after,
            "code_before": before, "message": message, "repo": "acme", "commit": "c" * 40, "path": path,
            "license": "MIT", "split": "train", "criteria_hint": terms.match_criteria(message),
            "tags": {"error_count": 0}, "tags_before": {"error_count": 0}}


def test_a_buffer_size_increase_is_not_a_memory_improvement():
    before = "#define BUF_SIZE 16384\nstatic char buf[BUF_SIZE];\nint parse(void) { return read_into(buf, BUF_SIZE); }\n"
    after = before.replace("16384", "1048576")
    pairs, rejected = pair_commit(commit_sample(before, after, "Reduce memory usage of the parser"))
    assert pairs == [] and [(r["reason"], r["criterion"]) for r in rejected] == [("check_size_increase", "me")]
    grown = before.replace("static char buf[BUF_SIZE];", "static char buf[BUF_SIZE * 64];")
    pairs, rejected = pair_commit(commit_sample(before, grown, "Reduce memory usage of the parser"))
    assert pairs == [] and [r["reason"] for r in rejected] == ["check_size_increase"]
    py = "buffer = bytearray(4096)\n"
    pairs, rejected = pair_commit(commit_sample(py, py.replace("4096", "65536"), "Reduce memory usage", "python",
                                                "io/read.py"))
    assert pairs == [] and [r["reason"] for r in rejected] == ["check_only_constants_changed"]
    assert filters.size_increases(py, py.replace("4096", "65536"), "python") == ["buffer: 4096 -> 65536"]
    assert terms.match_criteria("Increase the parser buffer size to reduce memory usage") == []


def test_loop_to_recursion_is_not_a_speed_up_and_checks_are_recorded():
    loop = "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n"
    rec = "def total(xs):\n    return xs[0] + total(xs[1:]) if xs else 0\n"
    _, rejected = pair_commit(commit_sample(loop, rec, "Speed up total", "python", "pkg/total.py"))
    assert [r["reason"] for r in rejected] == ["check_loop_to_recursion"]
    pairs, _ = pair_commit(commit_sample(rec, loop, "Speed up total", "python", "pkg/total.py"))
    (pair,) = pairs
    assert pair["label_checks"] == ["code_changed", "parses_as_well", "not_only_constants", "no_loop_to_recursion",
                                   "changes_existing_code"]
    beside = rec + "\n\ndef total_fast(xs):\n    return sum(xs)\n"
    _, rejected = pair_commit(commit_sample(rec, beside, "Speed up total", "python", "pkg/total.py"))
    assert [r["reason"] for r in rejected] == ["check_only_additions"]
    assert (pair["term"], pair["term_span"], pair["path"]) == ("speed up", [0, 8], "pkg/total.py")
    row = to_row(pair, seed=0)
    pa.Table.from_pylist([row], schema=PREFERENCE_PAIR)  # the new columns are in the shard schema


def test_a_fix_inside_a_rewrite_is_not_a_fix_pair():
    before = "def mean(xs):\n    return sum(xs) / len(xs)\n"
    after = ("from statistics import fmean\n\n\ndef mean(values: list[float]) -> float:\n    if not values:\n"
             "        raise ValueError('empty')\n    return fmean(values)\n")
    _, rejected = pair_commit(commit_sample(before, after, "Fix crash on empty input", "python", "m.py"))
    assert [r["reason"] for r in rejected] == ["check_rewrite_not_fix"]
    small = "def mean(xs):\n    return sum(xs) / len(xs) if xs else 0.0\n"
    pairs, _ = pair_commit(commit_sample(before, small, "Fix crash on empty input", "python", "m.py"))
    assert pairs and pairs[0]["label_checks"][-1] == "focused_fix"


# --------------------------------------------------------------------------- licences

def test_renamed_licence_file_is_recognised(tmp_path):
    repo = make_repo(tmp_path / "r", [("Add code and licence", {"LICENSE": MIT, "f.py": "def f(xs):\n    return xs[0]\n"})])
    git("mv", "LICENSE", "MIT-LICENSE", cwd=repo)
    git("commit", "-q", "-m", "Rename the licence file", cwd=repo, date="2018-01-05T10:00:00+00:00")
    (repo / "f.py").write_text("def f(xs):\n    return xs[-1] if xs else None\n")
    git("commit", "-q", "-am", "Fix crash on empty input in f", cwd=repo, date="2018-01-09T10:00:00+00:00")
    sample, reason, detail = mine(repo)[-1]
    assert reason is None and sample["license"] == "MIT", detail
    for name in ("MIT-LICENSE", "LICENSE-MIT", "LICENCE.txt", "COPYING.md", "License.md", "UNLICENSE"):
        assert licenses.is_license_file(name), name


def test_licence_detail_names_the_file_and_why_and_manifests_count(tmp_path):
    code = "def f(xs):\n    return xs[0]\n"
    repo = make_repo(tmp_path / "r", [
        ("Add code", {"LICENSE.txt": "All rights reserved. Ask before you copy.\n", "f.py": code}),
        ("Fix off-by-one in f", {"f.py": "def f(xs):\n    return xs[-1]\n"}),
        ("Add package.json", {"package.json": '{"name": "f", "license": "MIT"}'}),
        ("Fix crash on empty input in f", {"f.py": "def f(xs):\n    return xs[-1] if xs else None\n"}),
    ])
    results = mine(repo)
    assert results[1][1] == "license_not_allowed"
    assert "LICENSE.txt found but its text matches no known licence" in results[1][2]
    assert results[3][1] is None and results[3][0]["license"] == "MIT"
    assert licenses.spdx_header("// SPDX-License-Identifier: GPL-2.0-only\n") == "GPL-2.0-only"


# --------------------------------------------------------------------------- instructions

def test_instruction_has_no_licence_header_or_preprocessor_lines():
    before = ("/*\n  Copyright (c) 2009 Someone\n\n  Permission is hereby granted, free of charge, to any person "
              "obtaining a copy\n*/\n\n/* A tiny JSON number parser. */\n\n#include <stdio.h>\n#define BUF 16\n\n"
              "int parse_number(const char *s) { return s[0] - '0'; }\n")
    sample = commit_sample(before, before.replace("s[0]", "s[1]"), "Fixed off-by-one in parse_number (#12)")
    for sid in ("a", "b", "c", "d", "e", "f"):
        text, style = offline_instruction(dict(sample, sample_id=sid))
        assert "#include" not in text and "#define" not in text and not contains_license_text(text), text
        assert "A tiny JSON number parser." in text and "int parse_number(const char *s)" in text
        assert "fix off-by-one in parse_number" in text and "`src/parse.c`" in text
    styles = {offline_instruction(dict(sample, sample_id=str(i)))[1] for i in range(40)}
    assert styles == {"assignment", "qa", "search", "contest"}


# --------------------------------------------------------------------------- options and inputs

def test_bad_dates_and_windows_name_the_option_and_exit_2(capsys):
    from pipeline.run import run
    with pytest.raises(SystemExit) as stop:
        run(["--train_end", "2019-13-01", "--no_bundled"])
    assert stop.value.code == 2
    assert "--train_end: '2019-13-01' is not a date of the form YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(ConfigError) as problem:
        SplitConfig(date(2019, 3, 31), date(2020, 6, 1), date(2020, 1, 1))
    assert str(problem.value) == "--bench_end: 2020-01-01 is before --bench_start 2020-06-01; the bench window must run forwards"
    with pytest.raises(ConfigError) as problem:
        SplitConfig(date(2020, 3, 31), date(2020, 3, 1), date(2021, 1, 1))
    assert str(problem.value).startswith("--bench_start:")


def test_missing_repository_is_an_error_and_an_unreadable_one_a_warning(tmp_path, capsys, monkeypatch):
    from pipeline import run as run_module
    with pytest.raises(SystemExit) as stop:
        run_module.run(["--repos", str(tmp_path / "nope"), "--no_bundled"])
    assert stop.value.code == 2 and "--repos:" in capsys.readouterr().err
    monkeypatch.setattr(run_module, "run", lambda argv=None: {"counters": {"read.unreadable_repository": 1},
                                                              "output": "out/x"})
    with pytest.raises(SystemExit) as stop:
        run_module.main()
    assert stop.value.code == 1 and "could not be read" in capsys.readouterr().err


def test_shallow_clone_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("CODEPREF_GIT_CACHE", str(tmp_path / "cache"))
    repo = make_repo(tmp_path / "r", [("one", {"a.py": "x = 1\n"}), ("two", {"a.py": "x = 2\n"}),
                                      ("three", {"a.py": "x = 3\n"})])
    git("clone", "-q", "--depth", "1", repo.as_uri(), str(tmp_path / "shallow"))
    with pytest.raises(GitError, match="shallow clone"):
        list_commits(str(tmp_path / "shallow"))


def test_url_source_mines_branches_and_tags_not_pull_request_refs(tmp_path, monkeypatch):
    monkeypatch.setenv("CODEPREF_GIT_CACHE", str(tmp_path / "cache"))
    repo = make_repo(tmp_path / "r", [("Add code", {"LICENSE": MIT, "f.py": "def f(xs):\n    return xs[0]\n"}),
                                      ("Fix off-by-one in f", {"f.py": "def f(xs):\n    return xs[-1]\n"})])
    git("tag", "v1", cwd=repo)
    git("checkout", "-q", "-b", "pr", cwd=repo)
    (repo / "f.py").write_text("def f(xs):\n    return xs[-1] if xs else 0\n")
    git("commit", "-q", "-am", "Fix crash on empty input", cwd=repo, date="2018-02-01T10:00:00+00:00")
    pr_sha = git("rev-parse", "HEAD", cwd=repo).strip()
    git("checkout", "-q", "main", cwd=repo)
    bare = tmp_path / "forge.git"
    git("clone", "-q", "--bare", str(repo), str(bare))
    git("update-ref", "refs/pull/7/head", pr_sha, cwd=bare)  # an unmerged pull request, as forges keep it
    git("branch", "-D", "pr", cwd=bare)
    url = bare.as_uri()
    shas = list_commits(url)
    assert len(shas) == 2 and pr_sha not in shas
    assert pr_sha not in list_commits(str(bare))  # a local mirror with forge refs is read the same way
    assert mine(url)[-1][0]["criteria_hint"] == ["fc"]


def test_cat_file_readers_are_bounded_and_closed(tmp_path):
    repos = [make_repo(tmp_path / f"r{i}", [("Add code", {"a.py": f"x = {i}\n"})]) for i in range(git_plumbing.MAX_READERS + 3)]
    for repo in repos:
        mine(repo)
    assert git_plumbing.open_readers() <= git_plumbing.MAX_READERS
    git_plumbing.close_readers()
    assert git_plumbing.open_readers() == 0
    children = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"cat-file" in cmd and stat[0] != "Z":
            children.append(cmd)
    assert children == []


# --------------------------------------------------------------------------- audit

def test_audit_writes_pages_and_flags_noops_and_licence_text(tmp_path):
    rec = "def total(xs):\n    return xs[0] + total(xs[1:]) if xs else 0\n"
    loop = "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n"
    (pair,) = pair_commit(commit_sample(rec, loop, "Speed up total", "python", "pkg/total.py"))[0]
    row = to_row(pair, seed=0)
    shards = tmp_path / "run" / "shards" / "train"
    shards.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([row], schema=PREFERENCE_PAIR), shards / "train-00000-of-00001.parquet")
    assert audit.main([str(tmp_path / "run"), "--sample", "5", "--seed", "1"]) == 0
    text = (tmp_path / "run" / "audit" / "pair-001.md").read_text()
    assert "[[Speed up]]" in text and "no_loop_to_recursion" in text and "```diff" in text
    noop = dict(row, idx=row["idx"] + 1, chosen=rec + "\n", input="MIT License. " + row["input"])
    pq.write_table(pa.Table.from_pylist([row, noop], schema=PREFERENCE_PAIR), shards / "train-00000-of-00001.parquet")
    assert audit.main([str(tmp_path / "run"), "--sample", "5"]) == 1
    index = (tmp_path / "run" / "audit" / "index.md").read_text()
    assert "no-op commit pairs (same code tokens on both sides): 1" in index
    assert "instructions containing licence text (all pairs): 1" in index
