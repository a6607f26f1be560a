"""Turn (system, prompt, response) into token ids, truncating only the response.

The text is rendered with the tokenizer's chat template when it has one; otherwise with
the plain template below (documented in docs/training.md):

    System: {system}\n\nUser: {prompt}\n\nAssistant: {response}

(the "System:" block is left out when there is no system prompt). The prompt part and
the response part are tokenised separately so that only the response is cut when a row
is too long; a row whose prompt alone leaves no room for a response token is dropped.
"""
from __future__ import annotations

from dataclasses import dataclass

PLAIN_SYSTEM = "System: {system}\n\n"
PLAIN_USER = "User: {prompt}\n\nAssistant: "


@dataclass(frozen=True)
class Encoded:
    input_ids: list[int]
    response_start: int  # index of the first response token in input_ids
    response_end: int  # one past the last response token


def render(tokenizer, system: str | None, prompt: str, response: str) -> tuple[str, str]:
    """(prompt text, response text) whose concatenation is the full rendered conversation."""
    if getattr(tokenizer, "chat_template", None):
        messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
        head = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        full = tokenizer.apply_chat_template(messages + [{"role": "assistant", "content": response}], tokenize=False)
        if full.startswith(head):
            return head, full[len(head):]
        # Templates that rewrite the last assistant turn (e.g. reasoning markers) are not
        # prefix-stable; fall back to the generation prompt followed by the raw response.
        return head, response
    head = (PLAIN_SYSTEM.format(system=system) if system else "") + PLAIN_USER.format(prompt=prompt)
    return head, response


def special_layout(tokenizer) -> tuple[list[int], list[int]]:
    """The special token ids the tokenizer puts before and after a single sequence."""
    probe = "a"
    bare = tokenizer(probe, add_special_tokens=False)["input_ids"]
    full = tokenizer(probe)["input_ids"]
    for lead in range(len(full) - len(bare) + 1):
        if full[lead:lead + len(bare)] == bare:
            return full[:lead], full[lead + len(bare):]
    raise ValueError("cannot locate the content among the tokenizer's special tokens")


def encode(tokenizer, system: str | None, prompt: str, response: str, max_length: int,
           keep_long_prompt: bool = False) -> Encoded | None:
    """Token ids of the conversation, or None when the prompt alone does not fit.

    With ``keep_long_prompt`` (evaluation, where every row must get a score) an oversized
    prompt keeps only its last ``max_length // 2`` tokens instead of dropping the row.
    """
    head, tail = render(tokenizer, system, prompt, response)
    head_ids = tokenizer(head, add_special_tokens=False)["input_ids"]
    tail_ids = tokenizer(tail, add_special_tokens=False)["input_ids"]
    lead, trail = special_layout(tokenizer)
    room = max_length - len(lead) - len(trail) - len(head_ids)
    if room < 1 and keep_long_prompt:
        head_ids = head_ids[-(max_length // 2):]
        room = max_length - len(lead) - len(trail) - len(head_ids)
    if room < 1:
        return None
    tail_ids = tail_ids[:room]
    ids = lead + head_ids + tail_ids + trail
    start = len(lead) + len(head_ids)
    return Encoded(ids, start, start + len(tail_ids))
