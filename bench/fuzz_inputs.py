"""Fuzz corpus: malformed inputs in every format the readers accept, plus a few valid ones.

``make_fuzz_corpus(root, n, seed)`` writes under ``root``:

    problems/      problem folders: one valid problem whose solutions folder also holds
                   binary, undecodable, empty, NUL-laden, huge, mislabelled and unknown files,
                   plus malformed problem folders (bad TOML, wrong types, missing tests, ...)
    exports/       commit exports: a JSON Lines file of broken, incomplete and mistyped rows,
                   a truncated gzip, a fake Parquet file, JSON arrays, an empty file
    hf_disk/       a Hugging Face dataset saved with ``save_to_disk`` (string columns)
    hf_rows.jsonl  dataset rows as JSON Lines, with wrong types

and returns how many inputs each source must report (``read.inputs``), computed from
the very bytes written with the readers' own rules (one per submission file, per
malformed problem folder, per non-blank JSON line, per array element, per unreadable
file, per dataset row), and the pipeline flags that read the corpus.
"""
from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from pathlib import Path

TEN_MB = 10 * 1024 * 1024
PROBLEM_ID = "fuzz-add"
PROBLEM_TOML = f'''id = "{PROBLEM_ID}"
title = "Add two numbers"
split = "train"
time_limit_s = 5
memory_limit_mb = 256
statement = "Read two integers a and b from standard input and print a + b."
tests = [{{ name = "one" }}, {{ name = "two" }}]
'''
TESTS = {"one": ("1 2\n", "3\n"), "two": ("40 2\n", "42\n")}
# The valid submissions: two correct, one wrong; they are the only ones that reach a sandbox.
VALID_SUBMISSIONS = {
    "python/good.py": "import sys\n\n\ndef main():\n    a, b = map(int, sys.stdin.read().split())\n"
                      "    print(a + b)\n\n\nif __name__ == \"__main__\":\n    main()\n",
    "python/good_loop.py": "import sys\n\n\ndef main():\n    total = 0\n    for token in sys.stdin.read().split():\n"
                           "        total += int(token)\n    print(total)\n\n\nif __name__ == \"__main__\":\n    main()\n",
    "python/wrong.py": "import sys\n\n\ndef main():\n    a, b = map(int, sys.stdin.read().split())\n"
                       "    print(a - b)\n\n\nif __name__ == \"__main__\":\n    main()\n",
}
PY_SNIPPET = "def f(x):\n    if x:\n        return [i for i in range(x)]\n    return None\n"
C_SNIPPET = "#include <stdio.h>\nint main(void) { int a, b; if (scanf(\"%d %d\", &a, &b) == 2) { printf(\"%d\\n\", a + b); } return 0; }\n"
OTHER_EXTENSIONS = (".hs", ".txt", ".xyz", ".md", ".pyc", ".class", ".o", ".exe", ".zip", "")
MISLABELLED = (".c", ".cpp", ".cs", ".go", ".java", ".js", ".rb")

VALID_COMMIT = {
    "commit": "0" * 40, "message": "Speed up total() by using the builtin sum\n\nThe loop was slow.",
    "repos": ["fuzz/tools"], "license": "mit", "old_file": "src/total.py", "new_file": "src/total.py",
    "unix_time": 1500000000,
    "old_contents": "def total(xs):\n    s = 0\n    for x in xs:\n        s = s + x\n    return s\n",
    "new_contents": "def total(xs):\n    return sum(xs)\n",
}


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _random_bytes(rng: random.Random, size: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(size))


def _submission_payloads(rng: random.Random, i: int) -> tuple[str, bytes]:
    """(relative path under solutions/, bytes) of the i-th malformed submission file."""
    kind = i % 12
    if kind == 0:
        return f"python/binary_{i}.py", b"\x7fELF\x02\x01\x01\x00" + _random_bytes(rng, 64)
    if kind == 1:
        return f"c/latin1_{i}.c", "/* caf\u00e9 */ int main(void) { return 0; }\n".encode("latin-1") + bytes([0xff, 0xfe])
    if kind == 2:
        return f"ruby/empty_{i}.rb", b""
    if kind == 3:
        return f"javascript/blank_{i}.js", b" \n\t\n   \r\n"
    if kind == 4:
        return f"go/nul_{i}.go", b"package main\n\x00\x00func main() {}\n"
    if kind == 5:
        return f"misc/unknown_{i}{OTHER_EXTENSIONS[i % len(OTHER_EXTENSIONS)]}", PY_SNIPPET.encode()
    if kind == 6:  # Python code under another language's extension: must not pass as that language
        ext = MISLABELLED[i % len(MISLABELLED)]
        return f"mislabelled/wrong_{i}{ext}", (PY_SNIPPET * 3 + f"# {i}\n").encode()
    if kind == 7:
        return f"python/random_{i}.py", _random_bytes(rng, 256).replace(b"\0", b"\1")
    if kind == 8:  # a program on one 200 kB line
        return f"javascript/longline_{i}.js", ("var x = [" + "1," * 100_000 + "0];\n").encode()
    if kind == 9:
        return f"c/surrogate_{i}.c", b"int main(void) { return 0; } /* \xed\xa0\x80 */\n"
    if kind == 10:
        return f"java/bom_{i}.java", b"\xef\xbb\xbf" + b"\xc3\x28" * 8
    return f"cpp/garbage {i} \u00fc.cpp", f"@@@ {i} }}}} ((( <<< %%%\n".encode() * 5


def _write_problems(root: Path, rng: random.Random, n: int) -> int:
    """The problem folders; returns the inputs they hold."""
    good = root / PROBLEM_ID
    _write(good / "problem.toml", PROBLEM_TOML)
    for name, (stdin, expected) in TESTS.items():
        _write(good / "tests" / f"{name}.in", stdin)
        _write(good / "tests" / f"{name}.out", expected)
    inputs = 0
    for rel, code in VALID_SUBMISSIONS.items():
        _write(good / "solutions" / rel, code)
        inputs += 1
    # A few 10 MB files: one valid-UTF-8 program of each kind, and binary noise.
    _write(good / "solutions" / "python" / "huge.py", (PY_SNIPPET * (TEN_MB // len(PY_SNIPPET) + 1))[:TEN_MB])
    _write(good / "solutions" / "c" / "huge.c", (C_SNIPPET * (TEN_MB // len(C_SNIPPET) + 1))[:TEN_MB])
    _write(good / "solutions" / "ruby" / "huge_binary.rb", b"\0" * TEN_MB)
    inputs += 3
    for i in range(n - inputs - len(MALFORMED_PROBLEMS)):
        rel, data = _submission_payloads(rng, i)
        _write(good / "solutions" / rel, data)
        inputs += 1
    for name, files in MALFORMED_PROBLEMS.items():
        for rel, data in files.items():
            _write(root / name / rel, data)
        inputs += 1  # a malformed problem folder is one dead input, whatever it holds
    # Not problems at all: no problem.toml file, so not inputs.
    _write(root / "not-a-problem" / "solutions" / "python" / "x.py", PY_SNIPPET)
    (root / "toml-is-a-folder" / "problem.toml").mkdir(parents=True, exist_ok=True)
    return inputs


def _toml(body: str) -> dict[str, bytes | str]:
    return {"problem.toml": body, "solutions/python/a.py": PY_SNIPPET}


_TESTS_OK = 'tests = [{ name = "t" }]\n'
MALFORMED_PROBLEMS: dict[str, dict[str, bytes | str]] = {
    "bad-toml": _toml("id = \"x\nstatement = [\n"),
    "bad-utf8": _toml(b'id = "caf\xe9"\nstatement = "s"\ntests = []\n'),  # type: ignore[arg-type]
    "empty-toml": _toml(""),
    "binary-toml": _toml(b"\0\1\2\3" * 100),  # type: ignore[arg-type]
    "missing-id": _toml('statement = "s"\n' + _TESTS_OK),
    "missing-tests": _toml('id = "missing-tests"\nstatement = "s"\n'),
    "tests-not-list": _toml('id = "tests-not-list"\nstatement = "s"\ntests = "t"\n'),
    "test-not-table": _toml('id = "test-not-table"\nstatement = "s"\ntests = [1, 2]\n'),
    "test-no-name": _toml('id = "test-no-name"\nstatement = "s"\ntests = [{ input = "t" }]\n'),
    "test-name-int": _toml('id = "test-name-int"\nstatement = "s"\ntests = [{ name = 5 }]\n'),
    "test-file-missing": _toml('id = "test-file-missing"\nstatement = "s"\n' + _TESTS_OK),
    "test-escapes": _toml('id = "test-escapes"\nstatement = "s"\ntests = [{ name = "../../../../etc/passwd" }]\n'),
    "id-int": _toml('id = 5\nstatement = "s"\n' + _TESTS_OK),
    "statement-int": _toml('id = "statement-int"\nstatement = 5\n' + _TESTS_OK),
    "limit-text": _toml('id = "limit-text"\nstatement = "s"\ntime_limit_s = "fast"\n' + _TESTS_OK),
    "limit-list": _toml('id = "limit-list"\nstatement = "s"\nmemory_limit_mb = [1]\n' + _TESTS_OK),
    "limit-negative": _toml('id = "limit-negative"\nstatement = "s"\ntime_limit_s = -1\n' + _TESTS_OK),
    "split-unknown": _toml('id = "split-unknown"\nstatement = "s"\nsplit = "validation"\n' + _TESTS_OK),
    "license-int": _toml('id = "license-int"\nstatement = "s"\nlicense = 3\n' + _TESTS_OK),
}
for _name in ("test-no-name", "test-name-int", "test-escapes", "limit-text", "limit-list", "limit-negative",
              "split-unknown", "license-int", "id-int", "statement-int", "missing-id"):
    MALFORMED_PROBLEMS[_name].update({"tests/t.in": "1\n", "tests/t.out": "1\n"})


def _commit_rows(rng: random.Random, n: int) -> list[bytes]:
    """JSON Lines of the export: the valid commit (first, so the file sniffs as JSON Lines) and n-1 broken ones."""
    lines = [json.dumps(VALID_COMMIT).encode()]
    for i in range(1, n):
        row = dict(VALID_COMMIT, commit=f"{i:040x}")
        kind = i % 24
        if kind == 0:
            lines.append(json.dumps(row).encode()[: 10 + i % 50])  # truncated
        elif kind == 1:
            lines.append(_random_bytes(rng, 80).replace(b"\n", b"x").replace(b"\r", b"y") + b"!")
        elif kind == 2:
            lines.append(b'{"commit": "\xff\xfe", "message": "x"}')
        elif kind == 3:
            lines.append(b'{"commit": "a\x00b"}\x00\x00')
        elif kind == 4:
            lines.append(rng.choice([b"[1, 2, 3]", b"5", b"null", b'"just a string"', b"true", b"{}"]))
        elif kind == 5:
            row.pop(rng.choice(["commit", "repos", "message", "unix_time", "old_contents", "new_contents"]))
            lines.append(json.dumps(row).encode())
        elif kind == 6:
            field, value = rng.choice([("commit", 123), ("repos", 5), ("repos", []), ("repos", [None, ""]),
                                       ("message", ["x"]), ("unix_time", "soon"), ("unix_time", True),
                                       ("unix_time", {"s": 1}), ("old_contents", 5), ("new_contents", {"a": 1}),
                                       ("license", 7), ("old_file", 5), ("new_file", None)])
            row[field] = value
            lines.append(json.dumps(row).encode())
        elif kind == 7:
            lines.append(json.dumps(dict(row, unix_time=rng.choice([1e400, -1e400, 10**30, -(10**30)]))).encode())
        elif kind == 8:
            lines.append(json.dumps(dict(row, unix_time=float("nan"))).encode())
        elif kind == 9:
            lines.append(json.dumps(dict(row, new_contents="x = 1\n" * 20_000)).encode())  # oversized
        elif kind == 10:
            lines.append(json.dumps(dict(row, old_contents="a\u0000b", new_contents="a\u0000c")).encode())
        elif kind == 11:
            lines.append(json.dumps(dict(row, new_contents="\ud800 lone surrogate")).encode())
        elif kind == 12:
            ext = rng.choice([".hs", ".txt", "", ".PY", ".tar.gz"])
            lines.append(json.dumps(dict(row, old_file=f"a/b{ext}", new_file=f"a/b{ext}")).encode())
        elif kind == 13:
            lines.append(json.dumps(dict(row, old_file="a.py", new_file="b.py")).encode())  # rename
        elif kind == 14:
            lines.append(json.dumps(dict(row, message="x")).encode())  # too short
        elif kind == 15:
            lines.append(json.dumps(dict(row, message="Speed up " + "y" * 1_000_000)).encode())  # huge line
        elif kind == 16:
            lines.append(json.dumps(dict(row, license="GPL-3.0")).encode())
        elif kind == 17:
            lines.append(json.dumps(dict(row, old_file="vendor/x.py", new_file="vendor/x.py")).encode())
        elif kind == 18:  # Python contents under a Java path
            lines.append(json.dumps(dict(row, old_file="A.java", new_file="A.java",
                                         old_contents=PY_SNIPPET, new_contents=PY_SNIPPET + "# more\n")).encode())
        elif kind == 19:
            lines.append(json.dumps(dict(row, unix_time=1580000000 + i)).encode())  # bench window, train repo
        elif kind == 20:
            lines.append(json.dumps(dict(row, unix_time=1556000000)).encode())  # April 2019: no split
        elif kind == 21:
            lines.append(json.dumps(dict(row, message=12345)).encode())
        elif kind == 22:
            lines.append(b'{"commit": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")  # deep nesting
        else:
            lines.append(json.dumps(dict(row, new_contents=row["new_contents"] + f"# {i}\n",
                                         unix_time=1400000000 + i)).encode())
    return lines


def _count_json_lines(data: bytes) -> int:
    """Rows of a JSON Lines file as the readers count them: non-blank lines."""
    return sum(1 for line in data.split(b"\n") if line.strip())


def _write_exports(root: Path, rng: random.Random, n: int) -> int:
    lines = _commit_rows(rng, n - 7)
    body = b"\n".join(line + (b"\n\n" if i % 97 == 0 else b"\n") for i, line in enumerate(lines))
    _write(root / "commits.jsonl", body)
    inputs = _count_json_lines(body)
    _write(root / "truncated.jsonl.gz", gzip.compress(b"\n".join(lines[:20]), mtime=0)[:60])
    _write(root / "fake.parquet", b"PAR1" + _random_bytes(rng, 200))
    _write(root / "broken_array.json", b'[{"commit": "a"}, {"commit": ')
    _write(root / "mixed_array.json", json.dumps([VALID_COMMIT, 5, "x", None]).encode())
    _write(root / "empty.jsonl", b"")
    _write(root / "ignored.txt", b"not a row file")  # not a row-file suffix: not read
    return inputs + 1 + 1 + 1 + 4


def _hf_rows(rng: random.Random, n: int) -> list[dict]:
    kinds = [
        {"code": None, "language": "python"},
        {"code": PY_SNIPPET, "language": "brainfuck"},
        {"code": PY_SNIPPET, "language": "python2"},
        {"code": PY_SNIPPET, "language": None},
        {"code": "   \n", "language": "python"},
        {"code": "x\u0000y", "language": "c"},
        {"code": PY_SNIPPET, "language": "python", "problem_id": None},
        {"code": PY_SNIPPET, "language": "Python 3", "problem_id": "no-such-problem"},
    ]
    rows = []
    for i in range(n):
        row = {"code": None, "language": None, "problem_id": "hf-p", "submission_id": f"s{i}"}
        row.update(kinds[i % len(kinds)])
        if row["code"] is not None and i % len(kinds) == 7:
            row["code"] = row["code"] + f"# variant {rng.randrange(10**6)} {i}\n"
        rows.append(row)
    return rows


def _write_hf(root: Path, rng: random.Random, n_disk: int, n_rows: int) -> tuple[int, int]:
    import datasets
    datasets.Dataset.from_list(_hf_rows(rng, n_disk)).save_to_disk(str(root / "hf_disk"))
    mistyped = [{"code": 123, "language": "python", "problem_id": "p"},
                {"code": PY_SNIPPET, "language": [1, 2], "problem_id": "p"},
                {"code": ["a"], "language": "c", "problem_id": "p"},
                {"code": PY_SNIPPET, "language": {"x": 1}, "problem_id": {"y": 2}},
                {"language": "python", "problem_id": "p"},
                {"code": PY_SNIPPET, "language": "go", "problem_id": "p", "submission_id": 7}]
    lines = [json.dumps(mistyped[i % len(mistyped)]).encode() for i in range(n_rows - 2)]
    lines += [b"{not json", b'"a string"']
    body = b"\n".join(lines) + b"\n"
    _write(root / "hf_rows.jsonl", body)
    return n_disk, _count_json_lines(body)


def make_fuzz_corpus(root: Path, n: int = 1000, seed: int = 0) -> dict:
    """Write at least ``n`` inputs (about 45% problem files, 40% export rows, 15% dataset rows) under ``root``.

    Returns ``{"inputs": {source: count}, "total": count, "argv": pipeline flags reading the corpus}``."""
    if n < 200:
        raise ValueError("the corpus needs n >= 200 to hold every kind of malformed input")
    root = Path(root)
    rng = random.Random(seed)
    n_problems, n_exports = int(n * 0.45), int(n * 0.40)
    n_disk = (n - n_problems - n_exports) // 2
    n_rows = n - n_problems - n_exports - n_disk
    inputs = {"problems": _write_problems(root / "problems", rng, n_problems),
              "commit_export": _write_exports(root / "exports", rng, n_exports)}
    inputs["hf_disk"], inputs["hf_rows"] = _write_hf(root, rng, n_disk, n_rows)
    columns = {"code": "code", "language": "language", "problem_id": "problem_id", "submission_id": "submission_id"}
    argv = [f"--problems={root / 'problems'}", f"--commit_export={root / 'exports'}",
            "--hf_dataset=" + json.dumps({"path": str(root / "hf_disk"), "columns": columns, "source": "fuzz_hf",
                                          "fmt": "disk"}),
            "--hf_dataset=" + json.dumps({"path": str(root / "hf_rows.jsonl"), "columns": columns,
                                          "source": "fuzz_rows", "fmt": "json"})]
    return {"inputs": inputs, "total": sum(inputs.values()), "argv": argv}


def accounting(output: Path, manifest: dict) -> dict:
    """The run's balance sheet, from its counters and written files: every input and sample accounted for?"""
    import pyarrow.parquet as pq
    c = manifest["counters"]
    dead_files = sorted(Path(output).glob("dead_letter/*.parquet"))
    dead = pq.read_table(dead_files).to_pylist() if dead_files else []
    pair_files = sorted(Path(output).glob("shards/*/*.parquet"))
    pairs = sum(pq.ParquetFile(f).metadata.num_rows for f in pair_files)
    kinds = {k: sum(1 for d in dead if d["record_kind"] == k) for k in ("input", "sample", "pair")}
    inputs, samples = c.get("read.inputs", 0), c.get("read.samples", 0)
    return {
        "inputs": inputs, "samples": samples, "pairs": pairs, "dead_letters": len(dead), "dead_by_kind": kinds,
        "input_reasons": dict(sorted(Counter(d["reason"] for d in dead if d["record_kind"] == "input").items())),
        "inputs_balance": inputs - samples - kinds["input"],
        "samples_balance": samples + c.get("mutate.out", 0) - c.get("pair.paired_samples", 0) - kinds["sample"],
        "pairs_balance": c.get("pair.proposed", 0) - pairs - kinds["pair"],
        "sandbox_runs": c.get("execute.executed", 0) + c.get("execute.cache_hit", 0),
    }
