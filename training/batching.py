"""Encoded pairs, length-grouped batch plans and collation (chosen + rejected in one forward)."""
from __future__ import annotations

import random
from dataclasses import dataclass

import pyarrow as pa
import torch

from training.formatting import Encoded, encode

IGNORE = -100


@dataclass(frozen=True)
class Pair:
    chosen: Encoded
    rejected: Encoded

    @property
    def length(self) -> int:
        return max(len(self.chosen.input_ids), len(self.rejected.input_ids))


def encode_table(tokenizer, table: pa.Table, max_length: int, system_override=None) -> tuple[list[Pair], int]:
    """(pairs, rows dropped because the prompt alone exceeds max_length).

    ``system_override`` (a function of the row dict) replaces the row's own system prompt.
    """
    pairs, dropped = [], 0
    for row in table.select([c for c in ("system", "input", "chosen", "rejected", "aspect", "criterion")
                             if c in table.column_names]).to_pylist():
        system = system_override(row) if system_override else row.get("system")
        chosen = encode(tokenizer, system, row["input"], row["chosen"], max_length)
        rejected = encode(tokenizer, system, row["input"], row["rejected"], max_length)
        if chosen is None or rejected is None:
            dropped += 1
            continue
        pairs.append(Pair(chosen, rejected))
    return pairs, dropped


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


def collate(pairs: list[Pair], pad_id: int, with_lm_targets: bool = False) -> dict[str, torch.Tensor]:
    """Rows 0..B-1 are the chosen sides, B..2B-1 the rejected sides, right-padded.

    ``lm_targets`` (B x L, chosen rows only) holds the response token ids and IGNORE elsewhere.
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
    return batch
