"""Run manifest, dataset card and summary, built from the run's own outputs and counters.

Counts come from what was written (shards, dead letters), so they hold on every
runner; Beam counters are added where the runner reports them. The shards are streamed
(a record batch of a few columns at a time) and folded into counters, so the driver's
memory does not grow with the run.
"""
from __future__ import annotations

import json
import platform
from collections import Counter, defaultdict
from collections.abc import Iterator
from importlib import metadata

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from schemas import SCHEMA_VERSION
from schemas.criteria import CRITERIA, CRITERION_IDS
from schemas.docgen import field_table
from schemas.languages import LANGUAGE_IDS, languages
from schemas.records import DEAD_LETTER, PREFERENCE_PAIR
from pipeline.token_stats import card_lines as length_lines
from pipeline.token_stats import LengthTally
from transforms.common import NAMESPACE
from transforms.shortcuts import ALL, RULES, ShortcutTally

PACKAGES = ("codepref", "apache-beam", "pyarrow", "tree-sitter", "numpy", "datasketch", "docker")


# Rows are read a record batch at a time, with only the columns a summary needs: the driver's
# memory stays flat however many pairs and dead letters a run writes.
BATCH_ROWS = 8192
PAIR_COLUMNS = ("criterion", "language_id", "source", "label_method")
DEAD_COLUMNS = ("stage", "reason", "record_kind", "criterion", "language")


def shard_paths(pattern: str) -> list[str]:
    """The files matching ``pattern``, sorted (one name per shard: bounded by the shard count)."""
    return sorted(m.path for r in FileSystems.match([pattern]) for m in r.metadata_list)


def iter_rows(paths: list[str], columns) -> Iterator[dict]:
    """The rows of Parquet files, ``columns`` only, one record batch in memory at a time."""
    for path in paths:
        with FileSystems.open(path) as f:
            for batch in pq.ParquetFile(f).iter_batches(batch_size=BATCH_ROWS, columns=list(columns)):
                yield from batch.to_pylist()


def counters(result) -> dict[str, int]:
    """Committed Beam counters of our namespace, summed over steps; {} when unsupported."""
    try:
        res = result.metrics().query()
    except Exception:
        return {}
    out: dict[str, int] = defaultdict(int)
    for c in res.get("counters", []):
        if c.key.metric.namespace == NAMESPACE:
            out[c.key.metric.name] += int(c.committed or 0)
    return dict(sorted(out.items()))


def _grid(rows) -> dict[str, dict[str, int]]:
    grid = {c: {l: 0 for l in LANGUAGE_IDS} for c in CRITERION_IDS}
    for r in rows:
        grid[r["criterion"]][r["language_id"]] += 1
    return grid


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


class SplitTally:
    """Per-split pair counts, the shortcut audit and text lengths, folded one row at a time
    (further per-pair statistics go in ``add``, their columns in ``COLUMNS``)."""

    COLUMNS = (*PAIR_COLUMNS, "chosen", "rejected", "chosen_id", "system", "input")

    def __init__(self, split: str):
        self.split, self.pairs = split, 0
        self.grid = _grid(())
        self.by_source, self.by_label_method = Counter(), Counter()
        self.shortcuts, self.lengths = ShortcutTally(), LengthTally()

    def add(self, row: dict) -> None:
        self.pairs += 1
        self.grid[row["criterion"]][row["language_id"]] += 1
        self.by_source[row["source"]] += 1
        self.by_label_method[row["label_method"]] += 1
        self.shortcuts.add(dict(row, split=self.split))
        self.lengths.add(row)

    def as_dict(self, files: list[str]) -> dict:
        return {"files": [p.rsplit("/", 1)[-1] for p in files], "pairs": self.pairs,
                "by_criterion_language": self.grid, "by_source": dict(sorted(self.by_source.items())),
                "by_label_method": dict(sorted(self.by_label_method.items())),
                "token_stats": self.lengths.result()}


class DeadTally:
    """Dead-letter counts by stage and reason, kind, and (for pairs) criterion x language."""

    COLUMNS = DEAD_COLUMNS

    def __init__(self):
        self.total = 0
        self.by_stage_reason, self.by_kind = Counter(), Counter()
        self.pairs = defaultdict(lambda: defaultdict(Counter))

    def add(self, d: dict) -> None:
        self.total += 1
        self.by_stage_reason[(d["stage"], d["reason"])] += 1
        self.by_kind[d["record_kind"]] += 1
        if d["record_kind"] == "pair" and d["criterion"] and d["language"]:
            self.pairs[d["criterion"]][d["language"]][f"{d['stage']}.{d['reason']}"] += 1


def build_manifest(output: str, run_id: str, options: dict, durations: dict, metrics: dict) -> dict:
    splits, grid_all, total = {}, _grid(()), 0
    shortcuts = ShortcutTally()  # the shortcut audit, folded over every written pair
    for split in ("train", "bench"):
        paths, tally = shard_paths(FileSystems.join(output, "shards", split, "*.parquet")), SplitTally(split)
        for row in iter_rows(paths, SplitTally.COLUMNS):
            tally.add(row)
        splits[split] = tally.as_dict(paths)
        shortcuts.merge(tally.shortcuts)
        total += tally.pairs
        for c, langs in tally.grid.items():
            for lang, n in langs.items():
                grid_all[c][lang] += n
    dead = DeadTally()
    for d in iter_rows(shard_paths(FileSystems.join(output, "dead_letter", "*.parquet")), DeadTally.COLUMNS):
        dead.add(d)
    stages: dict[str, dict] = {}
    for (stage, reason), n in dead.by_stage_reason.items():  # first-seen order, as the rows were read
        stages.setdefault(stage, {"dropped": {}})["dropped"][reason] = n
    for name, value in metrics.items():
        stage, _, key = name.partition(".")
        if key in ("in", "out", "inputs", "samples", "proposed", "paired_samples", "executed", "cache_hit",
                   "not_executable") or key.startswith("verdict_"):
            stages.setdefault(stage, {"dropped": {}})[key] = value
    return {
        "run_id": run_id,
        "schema_version": SCHEMA_VERSION,
        "output": output,
        "options": options,
        "versions": versions(),
        "durations_s": durations,
        "splits": splits,
        "pairs_total": total,
        "by_criterion_language": grid_all,
        "pairs_dropped_by_criterion_language": {c: {l: dict(v) for l, v in ls.items()}
                                                for c, ls in sorted(dead.pairs.items())},
        "shortcuts": shortcuts.result(),
        "dead_letters": {"total": dead.total, "by_kind": dict(sorted(dead.by_kind.items()))},
        "stages": stages,
        "counters": metrics,
    }


def counters_text(manifest: dict) -> str:
    """Every Beam counter of the run, one line per stage (``stage: name=value ...``)."""
    by_stage: dict[str, list[str]] = defaultdict(list)
    for name, value in sorted(manifest["counters"].items()):
        stage, _, key = name.partition(".")
        by_stage[stage].append(f"{key}={value}")
    return "\n".join(f"{stage}: {' '.join(items)}" for stage, items in by_stage.items())


def summary_table(manifest: dict) -> str:
    """Pairs per criterion x language (train+bench), as a fixed-width text table."""
    grid = manifest["by_criterion_language"]
    names = [languages()[l].name for l in LANGUAGE_IDS]
    width = max(len(n) for n in names) + 1
    lines = ["criterion".ljust(10) + "".join(n.rjust(width) for n in names) + "total".rjust(8)]
    for c in CRITERION_IDS:
        row = [grid[c][l] for l in LANGUAGE_IDS]
        lines.append(CRITERIA[c].short.ljust(10) + "".join(str(v).rjust(width) for v in row) + str(sum(row)).rjust(8))
    totals = [sum(grid[c][l] for c in CRITERION_IDS) for l in LANGUAGE_IDS]
    lines.append("total".ljust(10) + "".join(str(v).rjust(width) for v in totals) + str(sum(totals)).rjust(8))
    s = manifest["splits"]
    lines.append(f"train {s['train']['pairs']} pairs, bench {s['bench']['pairs']} pairs, "
                 f"dead letters {manifest['dead_letters']['total']}, wall {manifest['durations_s'].get('total', 0):.1f}s")
    return "\n".join(lines)


def shortcut_lines(manifest: dict) -> list[str]:
    """The card's shortcut table: per criterion x split (all languages), each rule's accuracy
    with its agree/n counts (ties count half; docs/shortcuts.md)."""
    table = manifest.get("shortcuts") or {}
    lines = ["How often a trivial rule picks the chosen side (ties count half; 50% = no signal). "
             "`newer` applies to commit pairs only and is 100% by construction. Per language: `manifest.json`, "
             "`shortcuts`.", "",
             "| criterion | split | pairs | " + " | ".join(RULES) + " |", "|---|---|---|" + "---|" * len(RULES)]
    for c in CRITERION_IDS:
        for split, langs in (table.get(c) or {}).items():
            cells = langs.get(ALL, {})
            n = max((x["n"] for x in cells.values()), default=0)
            shown = [f"{x['accuracy']:.0%} ({x['agree']}/{x['n']}, {x['tie']} tied)" if (x := cells.get(r)) else "-"
                     for r in RULES]
            lines.append(f"| {CRITERIA[c].short} | {split} | {n} | " + " | ".join(shown) + " |")
    if manifest["options"].get("no_shortcut_balance"):
        return lines + ["", "Shortcut balancing was switched off (`--no_shortcut_balance`)."]
    dropped = {c: sum(reasons.get("pair.shortcut_balance", 0) for reasons in langs.values())
               for c, langs in manifest.get("pairs_dropped_by_criterion_language", {}).items()}
    return lines + ["", f"Shortcut balancing dropped {sum(dropped.values())} labelled pairs (`pair` stage, reason "
                    "`shortcut_balance`; tolerance "
                    f"{manifest['options'].get('shortcut_tolerance')}): "
                    + ", ".join(f"{CRITERIA[c].short} {dropped.get(c, 0)}" for c in CRITERION_IDS) + "."]


def _judge_lines(options: dict) -> list[str]:
    """The card's judge paragraph from the recorded settings (flag names, ``judge_*``)."""
    judge = {k.removeprefix("judge_"): v for k, v in options.items() if k.startswith("judge_")}
    if judge.get("backend", "static") == "static":
        return ["Labelled offline: no LLM judge was used. Commit pairs' instructions are assembled from the file's "
                "own description, its public signatures and the commit subject as a request "
                "(`instruction_style = offline`), which is lower quality than an LLM-written instruction."]
    lines = [f"7. LLM judge `{judge.get('model')}` ({judge.get('backend')} backend): {judge.get('samples')} votes per pair "
             f"(temperature {judge.get('temperature')}, top_p {judge.get('top_p')}, A/B order randomised per vote) "
             f"re-judged static and commit-message labels on {', '.join(judge.get('criteria', []))}; a label is kept at "
             f">= {judge.get('min_agreement')} agreement, otherwise {judge.get('on_disagreement')}ped; execution labels "
             "are never overridden. Commit pairs were rated 1-5 for improvement (below "
             f"{judge.get('min_improvement')} dropped) and given an LLM-written instruction."]
    if judge.get("insert_bugs"):
        lines.append("8. Buggy variants of passing submissions were written by the LLM and kept as functional-"
                     "correctness pairs only when the sandbox saw them fail a test.")
    return lines


def mutation_lines(counters: dict) -> list[str]:
    """The card's table of execution-verified mutants per language (none when mutation was off)."""
    if "mutate.in" not in counters:
        return []
    cols = (("candidates", "mutants tried"), ("failing", "failing (kept, fc)"), ("survived", "survived"),
            ("not_compiling", "not compiling"))
    lines = ["Execution-verified mutants of passing submissions (`docs/mutation.md`):", "",
             "| language | " + " | ".join(title for _, title in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for lang in LANGUAGE_IDS:
        values = [counters.get(f"mutate.{key}_{lang}", 0) for key, _ in cols]
        if any(values):
            lines.append(f"| {languages()[lang].name} | " + " | ".join(str(v) for v in values) + " |")
    return lines + [""]


def measurement_lines(counters: dict) -> list[str]:
    """The card's warning when programs were measured on a VM that hands free memory back to its
    host (``sandboxes.machine``): a program's CPU time there includes host page faults."""
    n = counters.get("execute.executed_free_page_reporting", 0)
    if not n:
        return []
    return [f"{n} of {counters.get('execute.executed', n)} programs were measured on a virtual machine with "
            "free page reporting: memory left free goes back to the host and the next program to touch it "
            "pays host page faults in its CPU time, which can move ee/me labels near the threshold "
            "(the project's docs/sandboxes.md). Measure on machines without it (or bare metal) for the "
            "steadiest labels.", ""]


def dataset_card(manifest: dict) -> str:
    """README.md for the output folder: what is in it and how it was made."""
    lines = [
        f"# codepref preference shards (run {manifest['run_id']})", "",
        "Multi-criteria code-preference pairs in the Themis-CodePreference layout (`system`, `input`, "
        "`chosen`, `rejected`, `language`, `aspect`, `source`, `idx`) plus provenance columns. "
        f"Schema version {manifest['schema_version']}; every column is documented in the project's "
        "`docs/schema.md`.", "",
        "## How it was made", "",
        "1. Read single-file git commits whose messages point to a criterion, and problem submissions with tests.",
        "2. Exact dedup (normalised content hash), then MinHash LSH near-dedup of commit files.",
        "3. Tree-sitter tags; code that does not parse, is too shallow or too long is dropped.",
        "4. Submissions run in sandboxes against the problem tests (median CPU time and peak RSS over repeats).",
        "5. Labels: functional correctness from test verdicts; runtime and memory efficiency from measurements "
        f"(chosen at least {manifest['options'].get('efficiency_ratio', 5.0)}x better, both stable); readability "
        "and security from the static judge over tree-sitter signals; commit fc/ee/me pairs follow the "
        "commit direction (`label_method = commit_message`, lower confidence).",
        "6. Decontamination against the bench split (13-gram prompts), pair near-dedup, seeded system prompts "
        "(15% none, 60% own criterion, 25% all criteria shuffled).", "",
        *_judge_lines(manifest["options"]), "",
        *measurement_lines(manifest.get("counters", {})),
        "## Counts", "",
        "```", summary_table(manifest), "```", "",
        "| split | source | pairs |", "|---|---|---|",
    ]
    for split, info in manifest["splits"].items():
        for source, n in info["by_source"].items():
            lines.append(f"| {split} | {source} | {n} |")
    lines += ["", "Text lengths in lexical tokens (words and punctuation marks; a model tokenizer gives more, "
              "see the project's docs/training.md). `prompt` = system + input: trainers should cut it, not the code.", "",
              *length_lines(manifest["splits"])]
    lines += ["", *mutation_lines(manifest.get("counters", {}))]
    lines += ["| stage | in | out | dropped (dead letters by reason) |", "|---|---|---|---|"]
    for stage, info in manifest["stages"].items():
        dropped = ", ".join(f"{r} {n}" for r, n in sorted(info["dropped"].items(), key=lambda kv: -kv[1]))
        lines.append(f"| {stage} | {info.get('in', info.get('inputs', ''))} | {info.get('out', info.get('samples', ''))} "
                     f"| {dropped} |")
    lines += ["", "## Shortcut audit", "", *shortcut_lines(manifest)]
    lines += ["", "## Schema", "",
              f"Schema version {manifest['schema_version']}. Every row of `shards/` has these columns:", "",
              *field_table(list(PREFERENCE_PAIR)), "",
              "`dead_letter/` rows:", "", *field_table(list(DEAD_LETTER))]
    lines += ["", "## Load", "", "```python",
              "from datasets import load_dataset",
              "ds = load_dataset('parquet', data_files={'train': 'shards/train/*.parquet', 'bench': 'shards/bench/*.parquet'})",
              "```", ""]
    return "\n".join(lines)


def write_json(path: str, obj) -> None:
    with FileSystems.create(path) as f:
        f.write((json.dumps(obj, indent=2, sort_keys=False) + "\n").encode("utf-8"))


def write_text(path: str, text: str) -> None:
    with FileSystems.create(path) as f:
        f.write(text.encode("utf-8"))
