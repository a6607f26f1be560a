"""Model FLOPs of one training step of the decoder reward model, in two stated conventions.

``CAUSAL_DONE`` (what the bench calls mfu): 6 x the matmul parameters a token goes through
(the transformer layers; the LM head only on the tokens the auxiliary loss scores) plus
attention with causal masking counted as done: a sequence of n tokens costs
12 x layers x attention width x n(n+1)/2 (QK^T and AV, forward + backward), no recomputation.

``PALM`` (mfu_palm; PaLM appendix B, nanoGPT, torchtitan): 6 x (layer + LM-head parameters) on
every token plus 12 x layers x attention width x n per token, i.e. the full n x n attention
square of each sequence. It counts work a reward model does not do (the LM head on every token,
the masked half of attention); it is printed so the figure can be set beside published ones.
"""
from __future__ import annotations

CAUSAL_DONE = "6N_per_token(layers,+lm_head_on_scored_tokens)+causal_attention_as_done"
PALM = "6N_per_token(layers+lm_head,every_token)+12*L*H*Q*T(full_attention_square)"


def attention_width(config) -> int:
    heads = config.num_attention_heads
    return heads * (getattr(config, "head_dim", None) or config.hidden_size // heads)


def step_flops(config, layer_params: int, lengths: list[int], lm_tokens: int, convention: str = CAUSAL_DONE) -> float:
    """FLOPs (forward + backward) for sequences of ``lengths`` tokens, ``lm_tokens`` of them scored by the LM head."""
    tokens = sum(lengths)
    layers, width = config.num_hidden_layers, attention_width(config)
    head = config.hidden_size * config.vocab_size
    if convention == CAUSAL_DONE:
        return 6.0 * layer_params * tokens + 6.0 * head * lm_tokens + 12.0 * layers * width * sum(n * (n + 1) / 2 for n in lengths)
    if convention == PALM:
        return 6.0 * (layer_params + head) * tokens + 12.0 * layers * width * sum(n * n for n in lengths)
    raise ValueError(f"unknown FLOPs convention {convention!r}")
