"""Transports that turn a batch of ChatRequests into ChatOutcomes, retrying on their own.

``OpenAIBackend`` talks to any OpenAI-compatible endpoint with bounded concurrency;
``BeamHandlerBackend`` delegates to one of Beam's chat model handlers (vLLM) and turns
whatever it raises into per-request errors.
"""
from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from transforms.judging.chat import (
    ChatOutcome,
    ChatRequest,
    MalformedResponse,
    retry,
    texts_from_body,
    texts_from_choices,
    with_retries,
)
from transforms.judging.config import JudgeConfig


def openai_client(config: JudgeConfig):
    """An OpenAI client with our timeout and no SDK retries (``with_retries`` does them)."""
    import openai
    return openai.OpenAI(base_url=config.endpoint, api_key=os.environ.get(config.api_key_env) or "EMPTY",
                         timeout=config.timeout_s, max_retries=0)


class OpenAIBackend:
    def __init__(self, client, config: JudgeConfig):
        self.client, self.config = client, config

    def _call(self, request: ChatRequest) -> list[str]:
        # The raw response lets us tell a malformed body (retried) from an SDK parse quirk.
        raw = self.client.chat.completions.with_raw_response.create(
            model=self.config.model, messages=request.message_dicts(), **self.config.sampling_args(request.n))
        return texts_from_body(raw.http_response.content)

    def _one(self, request: ChatRequest) -> ChatOutcome:
        c = self.config
        return with_retries(lambda: self._call(request), c.max_retries, c.backoff_s, c.backoff_cap_s)

    def send(self, requests: Sequence[ChatRequest]) -> list[ChatOutcome]:
        if not requests:
            return []
        with ThreadPoolExecutor(max_workers=min(self.config.concurrency, len(requests))) as pool:
            return list(pool.map(self._one, requests))


class BeamHandlerBackend:
    """Requests through a Beam chat ModelHandler (e.g. VLLMChatModelHandler) and its loaded model.

    Its ``inference_args`` apply to a whole batch, so requests are grouped by ``n``; a group
    that raises is retried as a whole and, once retries run out, every request in it fails."""

    def __init__(self, handler, model, config: JudgeConfig):
        self.handler, self.model, self.config = handler, model, config

    def _call(self, group: list[ChatRequest]) -> list[tuple[str, ...]]:
        from apache_beam.ml.inference.vllm_inference import OpenAIChatMessage
        batch = [[OpenAIChatMessage(role, content) for role, content in r.messages] for r in group]
        predictions = list(self.handler.run_inference(batch, self.model, self.config.sampling_args(group[0].n)))
        if len(predictions) != len(group):
            raise MalformedResponse(f"{len(predictions)} predictions for {len(group)} requests")
        out = []
        for p in predictions:
            choices = getattr(p.inference, "choices", None)
            if not isinstance(choices, list) or not choices:
                raise MalformedResponse("no choices")
            out.append(tuple(texts_from_choices(choices)))
        return out

    def send(self, requests: Sequence[ChatRequest]) -> list[ChatOutcome]:
        c = self.config
        by_n: dict[int, list[int]] = defaultdict(list)
        for i, r in enumerate(requests):
            by_n[r.n].append(i)
        outcomes: list[ChatOutcome | None] = [None] * len(requests)
        for _, idx in sorted(by_n.items()):
            group = [requests[i] for i in idx]
            for start in range(0, len(group), c.concurrency):  # bounded requests in flight
                part, part_idx = group[start:start + c.concurrency], idx[start:start + c.concurrency]
                texts, error, failures = retry(lambda part=part: self._call(part), c.max_retries, c.backoff_s,
                                               c.backoff_cap_s)
                for j, i in enumerate(part_idx):
                    outcomes[i] = ChatOutcome(texts[j] if texts else (), error, failures)
        return outcomes
