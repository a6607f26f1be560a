"""The five criteria (aspects), with every spelling the Themis release uses."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    id: str  # our identifier
    name: str  # training-set spelling (Themis-CodePreference `aspect`)
    crb: str  # benchmark spelling (Themis-CodeRewardBench `aspect`)
    short: str


CRITERIA: dict[str, Criterion] = {
    c.id: c
    for c in (
        Criterion("fc", "Functional Correctness", "Functional_Correctness", "FC"),
        Criterion("ee", "Runtime Efficiency", "Runtime_Efficiency", "EE"),
        Criterion("me", "Memory Efficiency", "Memory_Efficiency", "ME"),
        Criterion("rm", "Readability and Maintainability", "Readability_Maintainability", "R&M"),
        Criterion("sh", "Security Hardness", "Security_Hardness", "SH"),
    )
}
CRITERION_IDS: tuple[str, ...] = tuple(CRITERIA)


def get(criterion: str) -> Criterion:
    """Look a criterion up by id, training name, benchmark name or short name."""
    key = criterion.strip().lower()
    for c in CRITERIA.values():
        if key in (c.id, c.name.lower(), c.crb.lower(), c.short.lower()):
            return c
    raise KeyError(f"unknown criterion {criterion!r}; known: {', '.join(CRITERION_IDS)}")


def index(criterion: str) -> int:
    """Position of a criterion (any spelling) in CRITERION_IDS (per-criterion model parameters use it)."""
    return CRITERION_IDS.index(get(criterion).id)
