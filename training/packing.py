"""Packing: the chosen and rejected sequences of a micro-batch in one row, with document masking.

A micro-batch of B pairs becomes one row of T tokens: c_0 r_0 c_1 r_1 ... then pad up to a
multiple of ``multiple_of`` (kernel-friendly shapes; the pad block is its own document, so no
query row is ever fully masked). Each sequence gets position ids from 0 and attends only to
earlier tokens of itself, so its hidden states equal those of the padded layout; no compute is
spent on padding beyond the final < ``multiple_of`` tokens.

The reward of sequence k is read at ``last_index[k]`` (chosen 0..B-1, then rejected B..2B-1, the
padded path's order). The LM loss reads the hidden state at ``lm_index`` (a position t whose next
token t+1 is a chosen response token) against ``lm_labels`` (that next token). The likelihood
feature reads, for every sequence, the states before its response tokens (``resp_index``), those
tokens (``resp_labels``), the sequence each belongs to (``resp_seq``) and each sequence's
criterion (``criterion``).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from training.batching import Pair


@dataclass
class Packed:
    input_ids: torch.Tensor  # (1, T)
    position_ids: torch.Tensor  # (1, T)
    doc_ids: torch.Tensor  # (T,) int32, sequence index per token; the pad block has id 2B
    last_index: torch.Tensor  # (2B,)
    lm_index: torch.Tensor | None  # (M,)
    lm_labels: torch.Tensor | None  # (M,)
    real_tokens: int
    resp_index: torch.Tensor | None = None  # (R,)
    resp_labels: torch.Tensor | None = None  # (R,)
    resp_seq: torch.Tensor | None = None  # (R,)
    criterion: torch.Tensor | None = None  # (2B,) criterion index of each sequence

    @property
    def total_tokens(self) -> int:
        return self.input_ids.shape[1]

    def to(self, device) -> "Packed":
        move = lambda t: None if t is None else t.to(device, non_blocking=True)
        return Packed(move(self.input_ids), move(self.position_ids), move(self.doc_ids), move(self.last_index),
                      move(self.lm_index), move(self.lm_labels), self.real_tokens, move(self.resp_index),
                      move(self.resp_labels), move(self.resp_seq), move(self.criterion))


def pack(pairs: list[Pair], pad_id: int, with_lm_targets: bool = False, multiple_of: int = 1,
         with_responses: bool = False) -> Packed:
    b = len(pairs)
    ids, pos, docs, last, lm_index, lm_labels = [], [], [], [0] * (2 * b), [], []
    resp_index, resp_labels, resp_seq = [], [], []
    for k, p in enumerate(pairs):
        for slot, enc in ((k, p.chosen), (b + k, p.rejected)):
            start, n = len(ids), len(enc.input_ids)
            ids.extend(enc.input_ids)
            pos.extend(range(n))
            docs.extend([slot] * n)
            last[slot] = start + n - 1
            if with_lm_targets and slot == k:
                # Hidden state at t predicts token t+1: targets are the response tokens.
                lo, hi = max(enc.response_start, 1), enc.response_end
                lm_index.extend(range(start + lo - 1, start + hi - 1))
                lm_labels.extend(enc.input_ids[lo:hi])
            if with_responses:
                lo, hi = max(enc.response_start, 1), enc.response_end
                resp_index.extend(range(start + lo - 1, start + hi - 1))
                resp_labels.extend(enc.input_ids[lo:hi])
                resp_seq.extend([slot] * (hi - lo))
    real = len(ids)
    width = -(-real // multiple_of) * multiple_of if multiple_of > 1 else real
    extra = width - real
    ids.extend([pad_id] * extra)
    pos.extend(range(extra))
    docs.extend([2 * b] * extra)
    as_long = lambda x: torch.tensor(x, dtype=torch.long)
    return Packed(as_long(ids)[None], as_long(pos)[None], torch.tensor(docs, dtype=torch.int32), as_long(last),
                  as_long(lm_index) if with_lm_targets else None, as_long(lm_labels) if with_lm_targets else None, real,
                  *((as_long(resp_index), as_long(resp_labels), as_long(resp_seq),
                     as_long([p.criterion for p in pairs] * 2)) if with_responses else (None,) * 4))


def dense_mask(doc_ids: torch.Tensor) -> torch.Tensor:
    """(1, 1, T, T) bool: query q sees key k iff same document and k <= q (for SDPA / eager)."""
    t = doc_ids.shape[0]
    same = doc_ids[:, None] == doc_ids[None, :]
    causal = torch.ones(t, t, dtype=torch.bool, device=doc_ids.device).tril_()
    return (same & causal)[None, None]


def flex_available() -> bool:
    try:
        from torch.nn.attention.flex_attention import create_block_mask, flex_attention  # noqa: F401
    except ImportError:
        return False
    return True


def block_mask(doc_ids: torch.Tensor):
    """FlexAttention BlockMask of the same document-causal pattern (blocks outside every document are skipped)."""
    from torch.nn.attention.flex_attention import create_block_mask

    def document_causal(b, h, q, k):
        return (doc_ids[q] == doc_ids[k]) & (k <= q)

    t = doc_ids.shape[0]
    return create_block_mask(document_causal, B=None, H=None, Q_LEN=t, KV_LEN=t, device=doc_ids.device,
                             _compile=doc_ids.device.type == "cuda")


def attention_mask(doc_ids: torch.Tensor, backend: str):
    return block_mask(doc_ids) if backend == "flex" else dense_mask(doc_ids)
