"""System prompts for reward-model rows: none, the row's own criterion, or all criteria shuffled.

Data both sides use: the pipeline writes them into the shards' ``system`` column, the trainer
and the evaluator build the same prompts (texts in ``system_prompts.toml``).

The mix follows Themis: 15% none, 60% base + the row's criterion, 25% base + all five
criteria in a shuffled order. Draws are seeded per row, so a run is reproducible.
"""
from __future__ import annotations

import random
import tomllib
import zlib
from functools import cache
from importlib import resources

from schemas import criteria as criteria_table
from schemas.criteria import CRITERION_IDS

MODES = ("none", "criterion", "all")
DEFAULT_MIX = (0.15, 0.60, 0.25)
# How a scorer (the evaluator, or the trainer overriding the shards' own mix) picks one
# prompt per pair: none; base + the pair's criterion; base + all five in a per-pair order.
PAIR_MODES = ("none", "aspect", "full")


@cache
def _texts() -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("system_prompts.toml").read_text("utf-8"))


def render(criteria: list[str]) -> str:
    """The base prompt followed by the given criteria, numbered from 3."""
    texts = _texts()
    lines = [texts["base"].rstrip()]
    for i, cid in enumerate(criteria, start=3):
        lines.append(f"{i}. {texts['criteria'][cid]}")
    return "\n".join(lines)


def aspect_prompt(criterion: str) -> str:
    """The evaluation-time prompt: base + the pair's own criterion."""
    return render([criterion])


def full_prompt(seed: int) -> str:
    """Base + all five criteria in a seeded order."""
    order = list(CRITERION_IDS)
    random.Random(seed).shuffle(order)
    return render(order)


def assign(criterion: str, row_seed: int, mix: tuple[float, float, float] = DEFAULT_MIX) -> tuple[str | None, str]:
    """(system prompt or None, mode) for a row; deterministic in ``row_seed``."""
    rng = random.Random(row_seed)
    u = rng.random()
    if u < mix[0]:
        return None, "none"
    if u < mix[0] + mix[1]:
        return aspect_prompt(criterion), "criterion"
    order = list(CRITERION_IDS)
    rng.shuffle(order)
    return render(order), "all"


def for_pair(mode: str, criterion: str, pair_id: str) -> str | None:
    """The ``PAIR_MODES`` prompt of one pair; ``criterion`` in any spelling, ``pair_id`` seeds the order."""
    if mode == "none":
        return None
    if mode == "aspect":
        return aspect_prompt(criteria_table.get(criterion).id)
    if mode == "full":
        return full_prompt(seed=zlib.crc32(pair_id.encode()))  # stable per-pair order of the five criteria
    raise ValueError(f"system prompt mode must be one of {PAIR_MODES}, got {mode!r}")
