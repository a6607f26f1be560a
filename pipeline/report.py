"""Run report: ``<output>/report/report.md`` plus PNG charts, from the output folder and manifest only.

Charts: pairs per criterion x language for each split (heat map), the funnel of drops
per stage, the shortcut audit (how often trivial rules pick the chosen side, per criterion
and split; ``transforms.shortcuts``, folded by the manifest), and the measurement
distributions (CPU time and peak RSS of the executed samples behind the pairs; margins of the
efficiency pairs). Counts are folded while the shards and dead letters stream past (a few
columns, a record batch at a time); the distributions come from the summary the pipeline
wrote (``transforms.summaries``), so the driver's memory does not grow with the run.
Everything is read and
written through Beam's FileSystems, so the output may be a local folder or a gs:// URI.
The files are byte-identical for the same inputs: fixed figure sizes and DPI, no
timestamps or software tags in the PNG metadata, sorted tables.
"""
from __future__ import annotations

import io
import math
from collections import Counter

from apache_beam.io.filesystems import FileSystems

from pipeline.manifest import iter_rows, measurement_lines, shard_paths
from schemas.criteria import CRITERIA, CRITERION_IDS
from schemas.languages import LANGUAGE_IDS
from transforms import shortcuts
from transforms.summaries import EFFICIENCY, Sketch, empty_summary, read_summary

SPLITS = ("train", "bench")
# DAG order of the stages' counter/dead-letter names (docs/architecture.md).
STAGE_ORDER = ("read", "split", "dedup_exact", "dedup_near", "tag", "execute", "pair", "decontaminate",
               "dedup_pairs", "finalize")
DPI = 100
HEATMAP_SIZE = (12.0, 4.5)  # inches: 1200 x 450 px
FUNNEL_SIZE = (10.0, 5.0)  # 1000 x 500 px
DISTRIBUTION_SIZE = (12.0, 8.0)  # 1200 x 800 px
SHORTCUT_SIZE = (12.0, 7.0)  # 1200 x 700 px
SHORTCUT_BAND = (0.35, 0.65)  # accuracies outside this band (with >= 20 pairs) are flagged shortcuts
SHORTCUT_COLORS = ("#3182bd", "#6baed6", "#31a354", "#fd8d3c", "#969696")
PNG_METADATA = {"Software": None}  # matplotlib writes no tIME chunk; dropping Software keeps bytes version-free


# --------------------------------------------------------------------------- pure summaries

# stage -> record kind -> (counter of records in, counter of records out), for stages whose
# dead letters mix kinds.
SPLIT_BY_KIND = {"pair": {"sample": ("in", "paired_samples"), "pair": ("proposed", "out")}}


def dead_tally(dead) -> Counter:
    """(stage, reason, record kind) -> dead letters, folded from an iterable of dead-letter rows."""
    return Counter((d["stage"], d["reason"], d["record_kind"]) for d in dead)


def stage_funnel(counters: dict[str, int], dead) -> list[dict]:
    """One row per stage in DAG order: records in/out (counters), drops (dead letters) by reason.

    ``dead``: dead-letter rows, or their ``dead_tally``. Drops come from the written dead
    letters, so they hold on runners without counters; ``in``/``out`` are None where the
    runner reported no counter. Stages the DAG order does not know (a new stage) follow in
    name order."""
    tally = dead if isinstance(dead, Counter) else dead_tally(dead)
    drops: dict[str, Counter] = {}
    for (stage, reason, _), n in tally.items():
        drops.setdefault(stage, Counter())[reason] += n
    known = set(STAGE_ORDER)
    stages = [s for s in STAGE_ORDER if s in drops or f"{s}.in" in counters or f"{s}.inputs" in counters]
    stages += sorted({s for s in drops if s not in known}
                     | {k.split(".", 1)[0] for k in counters if k.endswith(".in") and k.split(".", 1)[0] not in known})
    rows = []
    for s in stages:
        if s in SPLIT_BY_KIND:
            # Stages that take samples and emit pairs drop both: one row per kind, so "in"
            # and "dropped" count the same things.
            for kind, (n_in, n_out) in SPLIT_BY_KIND[s].items():
                reasons = Counter()
                for (stage, reason, k), n in tally.items():
                    if stage == s and k == kind:
                        reasons[reason] += n
                rows.append(_funnel_row(f"{s} ({kind}s)", counters.get(f"{s}.{n_in}"), counters.get(f"{s}.{n_out}"),
                                        reasons))
            continue
        rows.append(_funnel_row(s, counters.get(f"{s}.inputs", counters.get(f"{s}.in")),
                                counters.get(f"{s}.samples", counters.get(f"{s}.out")), drops.get(s, Counter())))
    return rows


def _funnel_row(stage: str, n_in, n_out, reasons: Counter) -> dict:
    return {"stage": stage, "in": n_in, "out": n_out, "dropped": sum(reasons.values()),
            "reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))}


def quantiles(values: list[float]) -> dict[str, float | None]:
    """n, min, median, p90, max (nearest-rank) of sorted values; None entries when empty."""
    if not values:
        return {"n": 0, "min": None, "p50": None, "p90": None, "max": None}

    def rank(q: float) -> float:
        return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]
    return {"n": len(values), "min": values[0], "p50": rank(0.5), "p90": rank(0.9), "max": values[-1]}


# --------------------------------------------------------------------------- markdown

def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _table(header: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + \
        ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]


def grid_table(grid: list[list[int]]) -> list[str]:
    rows = [[CRITERIA[c].short] + grid[i] + [sum(grid[i])] for i, c in enumerate(CRITERION_IDS)]
    totals = [sum(grid[i][j] for i in range(len(CRITERION_IDS))) for j in range(len(LANGUAGE_IDS))]
    rows.append(["total"] + totals + [sum(totals)])
    return _table(["criterion", *LANGUAGE_IDS, "total"], rows)


def shortcut_rows(table: dict) -> list[list]:
    """One row per criterion x split (all languages): pairs, then each rule's accuracy (percent)."""
    rows = []
    for split in SPLITS:
        for c in CRITERION_IDS:
            cells = (table.get(c) or {}).get(split, {}).get(shortcuts.ALL)
            if not cells:
                continue
            rows.append([CRITERIA[c].short, split, max(x["n"] for x in cells.values()),
                         *(f"{100 * x['accuracy']:.0f}% ({x['agree']}/{x['n']}, {x['tie']} tied)"
                           if (x := cells.get(r)) else "-" for r in shortcuts.RULES)])
    return rows


def render_markdown(manifest: dict, grids: dict[str, list[list[int]]], funnel: list[dict],
                    sketches: dict[str, Sketch], charts: list[str], shortcut_table: dict | None = None) -> str:
    lines = [f"# Run report: {manifest.get('run_id', '?')}", ""]
    durations = manifest.get("durations_s", {})
    dead = manifest.get("dead_letters", {})
    per_split = [sum(map(sum, grids[split])) for split in SPLITS]
    lines += _table(["pairs", *SPLITS, "dead letters", "wall (s)"],
                    [[sum(per_split), *per_split, dead.get("total"), durations.get("total")]]) + [""]
    for split in SPLITS:
        lines += [f"## Pairs per criterion x language: {split}", ""] + grid_table(grids[split]) + [""]
    lines += ["## Funnel: drops per stage", ""]
    lines += _table(["stage", "in", "out", "dropped", "reasons"],
                    [[f["stage"], f["in"], f["out"], f["dropped"],
                      ", ".join(f"{r} {n}" for r, n in f["reasons"].items()) or "-"] for f in funnel]) + [""]
    lines += ["## Shortcut audit", "",
              "How often a trivial rule picks the chosen side (ties count half; 50% = no signal; "
              f"{SHORTCUT_BAND[0]:.0%}-{SHORTCUT_BAND[1]:.0%} is the accepted band). `newer` covers commit pairs only "
              "and is 100% by construction (docs/shortcuts.md).", ""]
    lines += _table(["criterion", "split", "pairs", *shortcuts.RULES],
                    shortcut_rows(shortcut_table if shortcut_table is not None else manifest.get("shortcuts", {}))) + [""]
    lines += ["## Measurements", "", *measurement_lines(manifest.get("counters", {}))]
    rows = [[name, *sketches[key].summary().values()] for key, name in _distributions()]
    lines += _table(["measure", "n", "min", "p50", "p90", "max"], rows) + [""]
    lines += ["## Charts", ""] + [f"![{name}]({name})" for name in charts] + [""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- charts

def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams["svg.hashsalt"] = "codepref"  # no random ids anywhere
    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata=PNG_METADATA)
    import matplotlib.pyplot as plt
    plt.close(fig)
    return buf.getvalue()


def heatmap_png(grids: dict[str, list[list[int]]]) -> bytes:
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(SPLITS), figsize=HEATMAP_SIZE)
    for ax, split in zip(axes, SPLITS):
        grid = grids[split]
        top = max(1, max(map(max, grid)))
        ax.imshow(grid, cmap="Blues", aspect="auto", vmin=0, vmax=top)
        ax.set_xticks(range(len(LANGUAGE_IDS)), LANGUAGE_IDS, rotation=45, ha="right")
        ax.set_yticks(range(len(CRITERION_IDS)), [CRITERIA[c].short for c in CRITERION_IDS])
        ax.set_title(f"{split}: {sum(map(sum, grid))} pairs")
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color="white" if v > top / 2 else "black")
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.22, top=0.9, wspace=0.2)
    return _png(fig)


def funnel_png(funnel: list[dict]) -> bytes:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=FUNNEL_SIZE)
    names = [f["stage"] for f in funnel][::-1]
    ins = [f["in"] or 0 for f in funnel][::-1]
    drops = [f["dropped"] for f in funnel][::-1]
    ax.barh(names, ins, color="#c6dbef", label="in (counter)")
    ax.barh(names, drops, color="#de2d26", label="dropped (dead letters)")
    for y, (n_in, n_drop) in enumerate(zip(ins, drops)):
        ax.text(max(n_in, n_drop), y, f" {n_drop}/{n_in}", va="center", fontsize=8)
    ax.set_xlabel("records")
    ax.legend(loc="lower right")
    ax.set_title("Drops per stage")
    fig.subplots_adjust(left=0.16, right=0.95, bottom=0.12, top=0.92)
    return _png(fig)


def _distributions() -> list[tuple[str, str]]:
    """(summary key, title) of the report's distributions, in table and chart order."""
    return [("cpu_s", "CPU time of executed samples (s)"), ("peak_rss_mib", "peak RSS of executed samples (MiB)"),
            *((c, f"{CRITERIA[c].short} pair margin (ratio)") for c in EFFICIENCY)]


def distributions_png(sketches: dict[str, Sketch]) -> bytes:
    plt = _pyplot()
    fig, axes = plt.subplots(2, 2, figsize=DISTRIBUTION_SIZE)
    for ax, (key, title) in zip(axes.flat, _distributions()):
        values, weights = sketches[key].weighted()  # one value per sketch bin, with its count
        kept = [(v, w) for v, w in zip(values, weights) if v > 0]
        if kept:
            lo, hi = kept[0][0], sketches[key].summary()["max"]
            bins = [lo * (hi / lo) ** (k / 20) for k in range(21)] if hi > lo else 10
            ax.hist([v for v, _ in kept], bins=bins, weights=[w for _, w in kept], color="#3182bd")
            if hi > lo:
                ax.set_xscale("log")
        else:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(f"{title}, n={sketches[key].n}", fontsize=10)
    fig.subplots_adjust(left=0.07, right=0.97, bottom=0.07, top=0.94, hspace=0.3, wspace=0.2)
    return _png(fig)


def shortcuts_png(table: dict) -> bytes:
    """Per split, each rule's accuracy per criterion (grouped bars), with the accepted band shaded."""
    plt = _pyplot()
    fig, axes = plt.subplots(len(SPLITS), 1, figsize=SHORTCUT_SIZE)
    width = 0.8 / len(shortcuts.RULES)
    for ax, split in zip(axes, SPLITS):
        ax.axhspan(*SHORTCUT_BAND, color="#e5f5e0", zorder=0)
        ax.axhline(0.5, color="#555555", linewidth=0.8, zorder=1)
        labels = []
        for i, c in enumerate(CRITERION_IDS):
            cells = (table.get(c) or {}).get(split, {}).get(shortcuts.ALL, {})
            labels.append(f"{CRITERIA[c].short}\nn={max((x['n'] for x in cells.values()), default=0)}")
            for k, rule in enumerate(shortcuts.RULES):
                x = cells.get(rule)
                if x and x["accuracy"] is not None:
                    ax.bar(i - 0.4 + width * (k + 0.5), x["accuracy"], width, color=SHORTCUT_COLORS[k], label=rule,
                           zorder=2)
        ax.set_xticks(range(len(CRITERION_IDS)), labels)
        ax.set_ylim(0, 1.25)  # headroom for the legend above the bars
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_ylabel("rule picks chosen")
        ax.set_title(f"{split}: shortcut accuracy per criterion")
        handles, names = ax.get_legend_handles_labels()
        if handles:
            unique = dict(zip(names, handles))  # one entry per rule
            ax.legend([unique[r] for r in shortcuts.RULES if r in unique], [r for r in shortcuts.RULES if r in unique],
                      loc="upper center", fontsize=8, ncol=len(shortcuts.RULES), frameon=False)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.08, top=0.94, hspace=0.45)
    return _png(fig)


# --------------------------------------------------------------------------- entry point

def _write(path: str, data: bytes) -> None:
    with FileSystems.create(path) as f:
        f.write(data)


def write_report(output_dir: str, manifest: dict) -> list[str]:
    """Write ``<output_dir>/report/report.md`` and its charts; returns the written paths (report.md first).

    Reads the shards and dead letters as a stream of a few columns, and the distributions
    from ``summary/measurements.json`` (none in a folder no pipeline wrote: empty tables)."""
    cells: Counter = Counter()
    for p in iter_rows(shard_paths(FileSystems.join(output_dir, "shards", "*", "*.parquet")),
                       ("split", "criterion", "language_id")):
        cells[(p["split"], p["criterion"], p["language_id"])] += 1
    grids = {split: [[cells[(split, c, lang)] for lang in LANGUAGE_IDS] for c in CRITERION_IDS] for split in SPLITS}
    tally = dead_tally(iter_rows(shard_paths(FileSystems.join(output_dir, "dead_letter", "*.parquet")),
                                 ("stage", "reason", "record_kind")))
    funnel = stage_funnel(manifest.get("counters", {}), tally)
    sketches = read_summary(output_dir) or empty_summary()
    shortcut_table = manifest["shortcuts"] if "shortcuts" in manifest else shortcuts.audit(
        dict(row) for row in iter_rows(shard_paths(FileSystems.join(output_dir, "shards", "*", "*.parquet")),
                                       ("split", "criterion", "language_id", "chosen", "rejected", "chosen_id")))
    charts = {"pairs_heatmap.png": heatmap_png(grids), "funnel.png": funnel_png(funnel),
              "shortcuts.png": shortcuts_png(shortcut_table), "distributions.png": distributions_png(sketches)}
    folder = FileSystems.join(output_dir, "report")
    if not FileSystems.exists(folder):
        FileSystems.mkdirs(folder)
    md_path = FileSystems.join(folder, "report.md")
    _write(md_path, render_markdown(manifest, grids, funnel, sketches, list(charts), shortcut_table).encode("utf-8"))
    paths = [md_path]
    for name, data in charts.items():
        paths.append(FileSystems.join(folder, name))
        _write(paths[-1], data)
    return paths
