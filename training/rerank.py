"""Listwise re-ranking metrics: Hits@k and the per-problem Spearman correlation of reward and pass rate."""
from __future__ import annotations

from collections import defaultdict

import numpy as np


def ranks(values) -> np.ndarray:
    """1-based ranks, ties get their average rank."""
    v = np.asarray(values, dtype=np.float64)
    order = np.argsort(v, kind="stable")
    r = np.empty(len(v))
    r[order] = np.arange(1, len(v) + 1)
    for value in np.unique(v):
        tied = v == value
        r[tied] = r[tied].mean()
    return r


def spearman(x, y) -> float | None:
    """Spearman's rho with average ranks; None when either side is constant or too short."""
    if len(x) < 2:
        return None
    rx, ry = ranks(x), ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return None
    return float(np.corrcoef(rx, ry)[0, 1])


def metrics(problem_ids, rewards, pass_rates, ks=(1, 5, 10)) -> dict:
    """Hits@k over problems with at least one passing candidate (pass rate 1.0), ties broken by
    input order; median Spearman over problems where it is defined."""
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for pid, r, p in zip(problem_ids, rewards, pass_rates):
        groups[pid].append((float(r), float(p)))
    solvable = {pid: c for pid, c in groups.items() if any(p >= 1.0 for _, p in c)}
    out: dict = {"problems": len(groups), "solvable_problems": len(solvable), "candidates": sum(map(len, groups.values()))}
    for k in ks:
        hits = [any(p >= 1.0 for _, p in sorted(c, key=lambda t: -t[0])[:k]) for c in solvable.values()]
        out[f"hits@{k}"] = round(float(np.mean(hits)), 4) if hits else None
    rhos = [rho for c in groups.values() if (rho := spearman([r for r, _ in c], [p for _, p in c])) is not None]
    out["spearman_median"] = round(float(np.median(rhos)), 4) if rhos else None
    out["spearman_problems"] = len(rhos)
    return out


def pass_rate_column(table_columns: dict) -> list[float]:
    """pass_rate when given, else 1.0 for verdict OK and 0.0 otherwise."""
    if "pass_rate" in table_columns:
        return [float(x) for x in table_columns["pass_rate"]]
    return [1.0 if str(v).upper() in ("OK", "PASS", "PASSED", "ACCEPTED") else 0.0 for v in table_columns["verdict"]]
