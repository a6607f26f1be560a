"""Encoded pairs, length-grouped batch plans and collation (chosen + rejected in one forward)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

import pyarrow as pa
import torch

from schemas import criteria as criteria_table
from training import formatting
from training.formatting import MIN_RESPONSE_SHARE, Encoded

IGNORE = -100


def criterion_index(name: str | None) -> int:
    """Position of a criterion (any spelling) in CRITERION_IDS; -1 when the row names none."""
    return criteria_table.index(name) if name else -1


@dataclass(frozen=True)
class Pair:
    chosen: Encoded
    rejected: Encoded
    criterion: int = -1  # index in CRITERION_IDS (models with per-criterion parameters read it)

    @property
    def length(self) -> int:
        return max(len(self.chosen.input_ids), len(self.rejected.input_ids))


@dataclass
class EncodeReport:
    """What fitting the rows into ``max_length`` did: drops by reason, cuts and token counts."""
    rows: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    prompt_truncated: int = 0  # kept pairs whose system prompt or prompt was cut
    response_truncated: int = 0  # kept pairs with a response cut (either side)
    response_aligned: int = 0  # kept pairs whose windows skip a shared head to show the difference
    prompt_tokens: list[int] = field(default_factory=list)  # system + prompt, rendered, before cutting
    response_tokens: list[int] = field(default_factory=list)  # both sides, before cutting
    seen_response_tokens: list[int] = field(default_factory=list)  # both sides, after cutting

    def drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1

    def summary(self) -> dict:
        """Counts and p50/p90/max token statistics (the trainer's start record)."""
        def pct(values):
            if not values:
                return {}
            v = sorted(values)
            return {"p50": v[len(v) // 2], "p90": v[min(len(v) - 1, int(0.9 * len(v)))], "max": v[-1]}
        return {"rows": self.rows, "dropped": dict(sorted(self.dropped.items())),
                "prompt_truncated": self.prompt_truncated, "response_truncated": self.response_truncated,
                "response_aligned": self.response_aligned,
                "prompt_tokens": pct(self.prompt_tokens), "response_tokens": pct(self.response_tokens),
                "seen_response_tokens": pct(self.seen_response_tokens)}


# Reasons a pair is dropped while encoding (each counted in EncodeReport.dropped).
TEMPLATE_TOO_LONG = "template_too_long"  # the chat template's own tokens leave no room
IDENTICAL_AFTER_TRUNCATION = "identical_after_truncation"  # both sides encode to the same ids: no signal


def encode_pair(tokenizer, system, prompt: str, chosen: str, rejected: str, max_length: int,
                min_response_share: float = MIN_RESPONSE_SHARE, criterion: int = -1) -> tuple[Pair | None, str | None]:
    """(pair, None) or (None, reason it cannot be trained on)."""
    c, r = formatting.encode_pair(tokenizer, system, prompt, chosen, rejected, max_length, min_response_share)
    if c is None or r is None:
        return None, TEMPLATE_TOO_LONG
    if c.input_ids == r.input_ids:
        return None, IDENTICAL_AFTER_TRUNCATION
    return Pair(c, r, criterion), None


def encode_table(tokenizer, table: pa.Table, max_length: int, system_override=None,
                 min_response_share: float = MIN_RESPONSE_SHARE) -> tuple[list[Pair], EncodeReport]:
    """(pairs, report): every row that is not kept is counted under its reason.

    ``system_override`` (a function of the row dict) replaces the row's own system prompt.
    """
    pairs, report = [], EncodeReport()
    for row in table.select([c for c in ("system", "input", "chosen", "rejected", "aspect", "criterion", "source", "idx")
                             if c in table.column_names]).to_pylist():
        report.rows += 1
        system = system_override(row) if system_override else row.get("system")
        pair, reason = encode_pair(tokenizer, system, row["input"], row["chosen"], row["rejected"], max_length,
                                   min_response_share, criterion_index(row.get("criterion") or row.get("aspect")))
        if pair is None:
            report.drop(reason)
            continue
        pairs.append(pair)
        sides = (pair.chosen, pair.rejected)
        report.prompt_tokens.append(pair.chosen.response_start + pair.chosen.prompt_cut)
        report.prompt_truncated += any(e.prompt_cut for e in sides)
        report.response_truncated += any(e.response_cut for e in sides)
        report.response_aligned += any(e.response_skip for e in sides)
        for e in sides:
            seen = e.response_end - e.response_start
            report.response_tokens.append(seen + e.response_cut)
            report.seen_response_tokens.append(seen)
    return pairs, report


def plan_epoch(lengths: list[int], batch_size: int, seed: int, epoch: int, group_batches: int = 64) -> list[list[int]]:
    """Micro-batches of pair indices for one epoch, deterministic in (seed, epoch).

    Indices are shuffled, cut into groups of ``group_batches`` batches, sorted by length
    inside each group (so a batch holds pairs of similar length and little padding), cut
    into batches, and the batch order is shuffled again. An incomplete last batch is dropped.
    """
    rng = random.Random(seed * 1_000_003 + epoch)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    span = batch_size * group_batches
    batches = []
    for start in range(0, len(order), span):
        group = sorted(order[start:start + span], key=lambda i: lengths[i])
        batches.extend(group[i:i + batch_size] for i in range(0, len(group) - batch_size + 1, batch_size))
    rng.shuffle(batches)
    return batches


def collate(pairs: list[Pair], pad_id: int, with_lm_targets: bool = False,
            with_response_mask: bool = False) -> dict[str, torch.Tensor]:
    """Rows 0..B-1 are the chosen sides, B..2B-1 the rejected sides, right-padded.

    ``lm_targets`` (B x L, chosen rows only) holds the response token ids and IGNORE elsewhere;
    ``response_mask`` (2B x L bool, every row) marks the response tokens, and ``criterion`` (2B)
    holds each row's criterion index.
    """
    seqs = [p.chosen.input_ids for p in pairs] + [p.rejected.input_ids for p in pairs]
    width = max(len(s) for s in seqs)
    input_ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        input_ids[i, :len(s)] = torch.tensor(s, dtype=torch.long)
        attention_mask[i, :len(s)] = 1
    batch = {"input_ids": input_ids, "attention_mask": attention_mask}
    if with_lm_targets:
        targets = torch.full((len(pairs), width), IGNORE, dtype=torch.long)
        for i, p in enumerate(pairs):
            lo, hi = p.chosen.response_start, p.chosen.response_end
            targets[i, lo:hi] = input_ids[i, lo:hi]
        batch["lm_targets"] = targets
    if with_response_mask:
        response = torch.zeros((len(seqs), width), dtype=torch.bool)
        for i, e in enumerate([p.chosen for p in pairs] + [p.rejected for p in pairs]):
            response[i, e.response_start:e.response_end] = True
        batch["response_mask"] = response
        batch["criterion"] = torch.tensor([p.criterion for p in pairs] * 2, dtype=torch.long)
    return batch
