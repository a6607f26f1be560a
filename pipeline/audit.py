"""Read-through pages for written commit pairs: ``python -m pipeline.audit RUN_DIR --sample N --seed S``.

Samples ``N`` commit pairs (seeded, so the same run, N and S give the same sample) from the
shards of a finished run and writes, under ``RUN_DIR/audit/`` (or ``--out``):

* ``pair-XXX.md``: one page per pair: repository, commit, file, message with the matched
  term marked, criterion, label method and margin, label checks, the instruction, and the
  diff from the rejected to the chosen side, with an empty verdict line per criterion to
  fill in (right / doubtful / wrong);
* ``index.md``: the sample as a table, plus two checks over *every* written commit pair:
  how many are no-ops (chosen and rejected have the same code tokens) and how many
  instructions contain licence text. Both must be 0; the command exits 1 otherwise.
"""
from __future__ import annotations

import argparse
import difflib
import random
import sys
from pathlib import Path

import pyarrow.parquet as pq

from transforms.mining.filters import token_streams
from transforms.mining.instructions import contains_license_text


def read_pairs(run_dir: str) -> list[dict]:
    """Every written pair of a run (train and bench shards), ordered by row id."""
    files = sorted(Path(run_dir, "shards").rglob("*.parquet"))
    rows = [r for f in files for r in pq.read_table(f).to_pylist()]
    return sorted(rows, key=lambda r: r["idx"])


def is_commit_pair(row: dict) -> bool:
    return bool(row.get("commit"))


def is_noop(row: dict) -> bool:
    """The two sides have the same code tokens (a whitespace- or comment-only difference)."""
    a, b = token_streams(row["chosen"], row["language_id"]), token_streams(row["rejected"], row["language_id"])
    if a is None or b is None:
        return "".join(row["chosen"].split()) == "".join(row["rejected"].split())
    return a[0] == b[0]


def sample_pairs(rows: list[dict], n: int, seed: int) -> list[dict]:
    """``n`` commit pairs drawn with ``seed`` (all of them when there are fewer): each repository's
    pairs in a seeded random order, then taken round-robin over repositories, so a large
    repository does not crowd the others out of the sample."""
    commits = [r for r in rows if is_commit_pair(r)]
    if len(commits) <= n:
        return commits
    rng = random.Random(seed)
    by_origin: dict[str, list[dict]] = {}
    for r in commits:
        by_origin.setdefault(r["origin"], []).append(r)
    queues = []
    for origin in sorted(by_origin):
        items = by_origin[origin]
        rng.shuffle(items)
        queues.append(items)
    picked: list[dict] = []
    while len(picked) < n:
        for q in queues:
            if q and len(picked) < n:
                picked.append(q.pop())
    return picked


def marked_message(row: dict) -> str:
    """The message with the matched term in ``[[...]]``."""
    message = row.get("message") or ""
    span = row.get("term_span")
    if span and len(span) == 2 and 0 <= span[0] <= span[1] <= len(message):
        return message[:span[0]] + "[[" + message[span[0]:span[1]] + "]]" + message[span[1]:]
    return message


def diff_of(row: dict) -> str:
    path = row.get("path") or "file"
    lines = difflib.unified_diff(row["rejected"].splitlines(keepends=True), row["chosen"].splitlines(keepends=True),
                                 fromfile=f"rejected/{path}", tofile=f"chosen/{path}", n=3)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def page(number: int, row: dict) -> str:
    """One pair's Markdown page."""
    checks = ", ".join(row.get("label_checks") or []) or "none"
    return "\n".join([
        f"# Pair {number}: {row['criterion']} / {row['language_id']}",
        "",
        f"- repository: `{row['origin']}`",
        f"- commit: `{row['commit']}`",
        f"- file: `{row.get('path')}`",
        f"- criterion: {row['criterion']} ({row['aspect']})",
        f"- matched term: `{row.get('term')}` at {row.get('term_span')}",
        f"- label: {row['label_method']}, margin {row['margin']:.3f}; chosen = {row['chosen_id'].rsplit(':', 1)[-1]}",
        f"- label checks passed: {checks}",
        f"- no-op (same code tokens): {'YES' if is_noop(row) else 'no'}",
        f"- verdict: ",
        "",
        "## Message (matched term in [[ ]])",
        "",
        "```text",
        marked_message(row).strip(),
        "```",
        "",
        "## Instruction",
        "",
        "```text",
        row["input"].strip(),
        "```",
        "",
        "## Diff (rejected -> chosen)",
        "",
        "```diff",
        diff_of(row).rstrip(),
        "```",
        "",
    ])


def audit(run_dir: str, n: int, seed: int, out: str | None = None) -> dict:
    """Write the pages and the index; returns the figures the index states."""
    rows = read_pairs(run_dir)
    commits = [r for r in rows if is_commit_pair(r)]
    noops = [r for r in commits if is_noop(r)]
    licensed = [r for r in rows if contains_license_text(r["input"])]
    chosen = sample_pairs(rows, n, seed)
    folder = Path(out or Path(run_dir, "audit"))
    folder.mkdir(parents=True, exist_ok=True)
    table = ["| # | repository | commit | criterion | language | term | checks | verdict |",
             "|---|---|---|---|---|---|---|---|"]
    for i, row in enumerate(chosen, 1):
        (folder / f"pair-{i:03d}.md").write_text(page(i, row), "utf-8")
        table.append(f"| [{i}](pair-{i:03d}.md) | {row['origin']} | `{row['commit'][:10]}` | {row['criterion']} | "
                     f"{row['language_id']} | {row.get('term')} | {', '.join(row.get('label_checks') or [])} | |")
    figures = {"pairs": len(rows), "commit_pairs": len(commits), "sampled": len(chosen), "noops": len(noops),
               "license_text_instructions": len(licensed)}
    index = [f"# Audit of {run_dir}", "", f"Sample of {len(chosen)} commit pairs (seed {seed}) out of "
             f"{len(commits)} written commit pairs ({len(rows)} pairs in all).", "",
             f"- no-op commit pairs (same code tokens on both sides): {len(noops)}",
             f"- instructions containing licence text (all pairs): {len(licensed)}", "", *table, ""]
    (folder / "index.md").write_text("\n".join(index), "utf-8")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", help="output folder of a finished run (holds shards/)")
    parser.add_argument("--sample", type=int, default=40, help="commit pairs to sample (default 40)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    parser.add_argument("--out", default=None, help="folder for the pages (default RUN_DIR/audit)")
    args = parser.parse_args(argv)
    if not Path(args.run_dir, "shards").is_dir():
        parser.error(f"RUN_DIR: {args.run_dir!r} has no shards/ folder (expected the --output of a finished run)")
    if args.sample < 1:
        parser.error(f"--sample: {args.sample} must be at least 1")
    figures = audit(args.run_dir, args.sample, args.seed, args.out)
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    print(f"pages: {Path(args.out or Path(args.run_dir, 'audit'))}")
    return 1 if figures["noops"] or figures["license_text_instructions"] else 0


if __name__ == "__main__":
    sys.exit(main())
