"""Chat requests, their outcomes, error classes and the retry loop (transport-agnostic).

A request asks for ``n`` samples of one prompt. Its outcome holds the sample texts, or
the error class of the last attempt after retries, plus the classes of every failed
attempt so the Beam layer can count them (counters only work on the DoFn's thread).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import openai

T = TypeVar("T")

# Retried with backoff; anything else (e.g. HTTP 400: a request we built wrong) fails at once.
RETRYABLE = frozenset({"timeout", "connection_error", "server_error", "rate_limited", "malformed", "error"})


@dataclass(frozen=True)
class ChatRequest:
    key: str  # unique within a job, e.g. "<pair_key>:vote:AB"
    messages: tuple[tuple[str, str], ...]  # (role, content)
    n: int = 1

    @staticmethod
    def of(key: str, messages: list[dict], n: int = 1) -> ChatRequest:
        return ChatRequest(key, tuple((m["role"], m["content"]) for m in messages), n)

    def message_dicts(self) -> list[dict]:
        return [{"role": r, "content": c} for r, c in self.messages]


@dataclass(frozen=True)
class ChatOutcome:
    texts: tuple[str, ...] = ()  # up to n sample texts (fewer if the server returned fewer)
    error: str | None = None  # error class when the request failed after retries
    failures: tuple[str, ...] = ()  # error class of every failed attempt, retried or final

    @property
    def ok(self) -> bool:
        return self.error is None


class MalformedResponse(ValueError):
    """A 2xx answer that is not a chat completion (not JSON, no choices, no message)."""


def classify(exc: BaseException) -> str:
    """The error class of a failed request (also the name of its counter)."""
    if isinstance(exc, (MalformedResponse, json.JSONDecodeError)):  # SDKs raise the latter on non-JSON bodies
        return "malformed"
    if isinstance(exc, openai.APITimeoutError):  # subclass of APIConnectionError: test first
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection_error"
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500:
            return "server_error"
        return "rate_limited" if exc.status_code == 429 else "client_error"
    if isinstance(exc, openai.APIResponseValidationError):
        return "malformed"
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, ConnectionError):
        return "connection_error"
    return "error"


def backoff_delay(attempt: int, base_s: float, cap_s: float) -> float:
    """Capped exponential backoff before retry number ``attempt`` (1-based)."""
    return min(cap_s, base_s * (2 ** (attempt - 1)))


def retry(call: Callable[[], T], max_retries: int, base_s: float, cap_s: float,
          sleep: Callable[[float], None] = time.sleep) -> tuple[T | None, str | None, tuple[str, ...]]:
    """(value, None, failures) once ``call`` succeeds, else (None, last error class, failures)
    after ``max_retries`` retries with capped exponential backoff; never raises."""
    failures: list[str] = []
    for attempt in range(max_retries + 1):
        if attempt:
            sleep(backoff_delay(attempt, base_s, cap_s))
        try:
            return call(), None, tuple(failures)
        except Exception as e:  # noqa: BLE001 - every failure becomes data: an ERROR vote, a counter
            kind = classify(e)
            failures.append(kind)
            if kind not in RETRYABLE:
                break
    return None, failures[-1], tuple(failures)


def with_retries(call: Callable[[], Sequence[str]], max_retries: int, base_s: float, cap_s: float,
                 sleep: Callable[[float], None] = time.sleep) -> ChatOutcome:
    """One request's outcome: ``call`` returns its sample texts."""
    texts, error, failures = retry(call, max_retries, base_s, cap_s, sleep)
    return ChatOutcome(tuple(texts or ()), error, failures)


def texts_from_body(body: str | bytes) -> list[str]:
    """Sample texts of a /v1/chat/completions response body, in choice order."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise MalformedResponse(f"not JSON: {e}") from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices:
        raise MalformedResponse("no choices")
    return texts_from_choices(choices)


def texts_from_choices(choices: list) -> list[str]:
    out = []
    for i, c in enumerate(sorted(choices, key=lambda c: _get(c, "index") or 0)):
        message = _get(c, "message")
        content = _get(message, "content") if message is not None else None
        if message is None or not (content is None or isinstance(content, str)):
            raise MalformedResponse(f"choice {i} has no message")
        out.append(content or "")  # empty content: a valid, unparseable answer
    return out


def _get(obj, name):
    """Field of a JSON dict or of an SDK object (Beam's vLLM handler returns SDK objects)."""
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
