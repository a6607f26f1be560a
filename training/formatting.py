"""Turn (system, prompt, response) into token ids that fit ``max_length``, keeping the code.

The text is rendered with the tokenizer's chat template when it has one; otherwise with
the plain template below (documented in docs/training.md):

    System: {system}\n\nUser: {prompt}\n\nAssistant: {response}

(the "System:" block is left out when there is no system prompt). The prompt part and
the response part are tokenised separately. When a row is too long, the response keeps
what it needs up to a reserved share of the sequence (``min_response_share``; more when
the prompt is short) and the system prompt and user prompt are cut to fit the rest:
both are left-truncated (their ends are kept: the criteria list closes the system prompt,
the question closes most problem statements), each keeping at least half of the prompt
budget unless the other needs less. Only a response longer than its budget loses its tail.
A row is dropped only when the chat template's own markers do not fit.

Pairs (``encode_pair``) are fitted together: two versions of a program usually share a
long head (includes, the signature, the input parsing) and differ somewhere inside, often
past what a head-first window keeps, so both sides would encode to the same ids and teach
nothing (on the default run at 256 tokens: 72 of 469 training pairs, and 49 of 152
held-out HumanEval mutation pairs, scored as wrong). When the first differing response
token lies in the last quarter of the window or beyond it, both sides skip the same
number of leading response tokens (their shared head), so the window starts a quarter
window before the difference.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

PLAIN_SYSTEM = "System: {system}\n\n"
PLAIN_USER = "User: {prompt}\n\nAssistant: "
MIN_RESPONSE_SHARE = 0.75  # chosen by measurement on the default run (docs/training.md)


@dataclass(frozen=True)
class Encoded:
    input_ids: list[int]
    response_start: int  # index of the first response token in input_ids
    response_end: int  # one past the last response token
    prompt_cut: int = 0  # system + user prompt tokens removed to fit
    response_cut: int = 0  # response tokens removed to fit (skipped at the head included)
    response_skip: int = 0  # leading response tokens skipped (pairs: the two sides' shared head)


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


def _ids(tokenizer, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"] if text else []


def keep_last(tokenizer, text: str, k: int) -> str:
    """The shortest suffix of ``text`` that holds its last ``k`` tokens ("" for k <= 0)."""
    if k <= 0 or not text:
        return ""
    if getattr(tokenizer, "is_fast", False):
        offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
        return text if k >= len(offsets) else text[offsets[-k][0]:]
    if len(_ids(tokenizer, text)) <= k:
        return text
    lo, hi = 0, len(text)  # smallest start whose suffix has at most k tokens
    while lo < hi:
        mid = (lo + hi) // 2
        if len(_ids(tokenizer, text[mid:])) <= k:
            hi = mid
        else:
            lo = mid + 1
    return text[lo:]


def split_budget(a: int, b: int, budget: int) -> tuple[int, int]:
    """Token budgets of two parts needing ``a`` and ``b``: each gets at least half unless it needs less."""
    if a + b <= budget:
        return a, b
    half = budget // 2
    if a <= half:
        return a, budget - a
    if b <= budget - half:
        return budget - b, b
    return half, budget - half


def _fit_head(tokenizer, system: str | None, prompt: str, response: str, room: int) -> list[int] | None:
    """Head token ids of at most ``room`` tokens, cutting system and prompt; None if the template alone is too long."""
    sys_n, prompt_n = len(_ids(tokenizer, system or "")), len(_ids(tokenizer, prompt))
    head_ids = _ids(tokenizer, render(tokenizer, system, prompt, response)[0])
    excess = len(head_ids) - room
    for _ in range(8):  # token boundaries shift when text is cut; a few rounds settle it
        content = max(0, sys_n + prompt_n - excess)  # at 0 the system block's markers go too
        keep_sys, keep_prompt = split_budget(sys_n, prompt_n, content)
        cut_sys = keep_last(tokenizer, system or "", keep_sys) or None
        head_ids = _ids(tokenizer, render(tokenizer, cut_sys, keep_last(tokenizer, prompt, keep_prompt), response)[0])
        if len(head_ids) <= room:
            return head_ids
        if content == 0:
            return None
        excess += len(head_ids) - room
    return None


def encode(tokenizer, system: str | None, prompt: str, response: str, max_length: int,
           min_response_share: float = MIN_RESPONSE_SHARE, skip: int = 0) -> Encoded | None:
    """Token ids of the conversation within ``max_length``; None only when the template alone does not fit.

    The response keeps ``min(its length, max(what the full prompt leaves, min_response_share
    x the room))`` tokens, from its ``skip``-th token on (``encode_pair``); the system prompt
    and prompt are left-truncated into the rest.
    """
    head, tail = render(tokenizer, system, prompt, response)
    head_ids, tail_ids = _ids(tokenizer, head), _ids(tokenizer, tail)
    lead, trail = special_layout(tokenizer)
    room = max_length - len(lead) - len(trail)
    prompt_cut = 0
    if len(head_ids) + len(tail_ids) > room:
        reserve = math.ceil(room * min_response_share)
        response_room = min(len(tail_ids), max(reserve, room - len(head_ids)))
        if len(head_ids) > room - response_room:
            # The template's own tokens (an empty system prompt and prompt) cannot be cut.
            floor = len(_ids(tokenizer, render(tokenizer, None, "", response)[0]))
            if floor > room:
                return None
            full = len(head_ids)
            head_ids = _fit_head(tokenizer, system, prompt, response, max(floor, room - response_room))
            if head_ids is None:
                return None
            prompt_cut = full - len(head_ids)
    keep = max(0, room - len(head_ids))
    skip = min(max(0, skip), max(0, len(tail_ids) - keep))  # never skip what would fit anyway
    response_cut = max(0, len(tail_ids) - keep)
    tail_ids = tail_ids[skip:skip + keep]
    ids = lead + head_ids + tail_ids + trail
    start = len(lead) + len(head_ids)
    return Encoded(ids, start, start + len(tail_ids), prompt_cut, response_cut, skip)


def shared_prefix(a: list[int], b: list[int]) -> int:
    """Length of the longest common prefix of two token id lists."""
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def encode_pair(tokenizer, system: str | None, prompt: str, first: str, second: str, max_length: int,
                min_response_share: float = MIN_RESPONSE_SHARE) -> tuple[Encoded | None, Encoded | None]:
    """Both sides of a pair, with their response windows aligned on the first difference (module doc)."""
    a = encode(tokenizer, system, prompt, first, max_length, min_response_share)
    b = encode(tokenizer, system, prompt, second, max_length, min_response_share)
    if a is None or b is None or not (a.response_cut or b.response_cut):
        return a, b
    keep = min(a.response_end - a.response_start, b.response_end - b.response_start)
    context = keep // 4
    diff = shared_prefix(_ids(tokenizer, render(tokenizer, system, prompt, first)[1]),
                         _ids(tokenizer, render(tokenizer, system, prompt, second)[1]))
    if diff < keep - context:
        return a, b  # the difference is well inside the head-first windows
    skip = diff - context
    return (encode(tokenizer, system, prompt, first, max_length, min_response_share, skip),
            encode(tokenizer, system, prompt, second, max_length, min_response_share, skip))
