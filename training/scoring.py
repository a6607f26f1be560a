"""Score (system, prompt, response) triples with any HF sequence-classification reward model,
or with an exported decoder reward model with options (``training.reward_model.DecoderRewardScorer``)."""
from __future__ import annotations

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from training import reward_model
from training.formatting import MIN_RESPONSE_SHARE, Encoded, encode, encode_pair


def load(model_dir: str, device: torch.device):
    """(model in eval mode, tokenizer); bf16 on GPUs, fp32 on the CPU."""
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    if reward_model.is_decoder_reward_export(model_dir):
        model = reward_model.DecoderRewardScorer.from_pretrained(model_dir, dtype).to(device).eval()
    else:
        model = AutoModelForSequenceClassification.from_pretrained(model_dir, dtype=dtype).to(device).eval()
    tok = AutoTokenizer.from_pretrained(model_dir)
    if tok.pad_token_id is None or model.config.pad_token_id is None:
        raise ValueError(f"{model_dir}: the tokenizer and config need a pad token (the last non-pad token is scored)")
    return model, tok


def encode_items(tok, items: list[tuple[str | None, str, str]], max_length: int,
                 min_response_share: float = MIN_RESPONSE_SHARE) -> list[Encoded]:
    """Each (system, prompt, response) encoded as in training (the prompt is cut first)."""
    out = []
    for s, p, r in items:
        enc = encode(tok, s, p, r, max_length, min_response_share)
        if enc is None:
            raise ValueError(f"max_length {max_length} does not hold the chat template's own tokens")
        out.append(enc)
    return out


def encode_pairs(tok, pairs: list[tuple[str | None, str, str, str]], max_length: int,
                 min_response_share: float = MIN_RESPONSE_SHARE) -> list[Encoded]:
    """Every pair's first sides, then every pair's second sides (len 2n), each pair fitted as
    in training (``formatting.encode_pair``: windows aligned on the difference)."""
    firsts, seconds = [], []
    for s, p, a, b in pairs:
        ea, eb = encode_pair(tok, s, p, a, b, max_length, min_response_share)
        if ea is None or eb is None:
            raise ValueError(f"max_length {max_length} does not hold the chat template's own tokens")
        firsts.append(ea)
        seconds.append(eb)
    return firsts + seconds


@torch.inference_mode()
def score_encoded(model, encoded: list[Encoded], batch_size: int, device: torch.device,
                  criteria: list[int] | None = None) -> np.ndarray:
    """One reward per encoded sequence; longest-first batches to bound padding. A model that
    reads the response tokens (``needs_response_mask``) also gets each row's response span and
    its criterion (``criteria``: indices in CRITERION_IDS, one per sequence)."""
    ids = [e.input_ids for e in encoded]
    spans = getattr(model, "needs_response_mask", False)
    if spans and (criteria is None or len(criteria) != len(encoded)):
        raise ValueError("this reward model reads each row's criterion: pass one per row")
    order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
    out = np.empty(len(ids), dtype=np.float64)
    pad = model.config.pad_token_id
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        width = max(len(ids[i]) for i in chunk)
        input_ids = torch.full((len(chunk), width), pad, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        response = torch.zeros((len(chunk), width), dtype=torch.bool)
        for row, i in enumerate(chunk):
            input_ids[row, :len(ids[i])] = torch.tensor(ids[i])
            mask[row, :len(ids[i])] = 1
            response[row, encoded[i].response_start:encoded[i].response_end] = True
        extra = ({"response_mask": response.to(device),
                  "criterion": torch.tensor([criteria[i] for i in chunk], dtype=torch.long, device=device)}
                 if spans else {})
        logits = model(input_ids=input_ids.to(device), attention_mask=mask.to(device), **extra).logits[:, 0]
        out[chunk] = logits.float().cpu().numpy()
    return out


def score(model, tok, items: list[tuple[str | None, str, str]], max_length: int, batch_size: int,
          device: torch.device, min_response_share: float = MIN_RESPONSE_SHARE,
          criteria: list[int] | None = None) -> np.ndarray:
    """One reward per (system, prompt, response) (``criteria``: see ``score_encoded``)."""
    return score_encoded(model, encode_items(tok, items, max_length, min_response_share), batch_size, device, criteria)
