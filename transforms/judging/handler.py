"""The Beam ModelHandler of the judge: records in, JobResults out, never raising.

``load_model`` builds the transport (an OpenAI client, or Beam's VLLMChatModelHandler and
its server) once per worker; ``run_inference`` runs one plan per record of the batch and
sends each round's requests together.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from apache_beam.ml.inference.base import ModelHandler, PredictionResult

from transforms.judging.backends import BeamHandlerBackend, OpenAIBackend, openai_client
from transforms.judging.config import JudgeConfig
from transforms.judging.jobs import JobResult, Plan, drive


def managed_vllm_handler(config: JudgeConfig):
    """Beam's vLLM chat handler, with its server tree tracked and stopped at exit (Beam's own
    handler leaves the API server and its engine core running). Without a GPU, vLLM-CPU
    settings (small KV cache, one engine process) apply unless server flags are given."""
    from transforms.judging import vllm_server
    on_cpu = shutil.which("nvidia-smi") is None
    kwargs = dict(config.vllm_arg) or (vllm_server.cpu_server_kwargs(seed=config.seed) if on_cpu else None)
    env = vllm_server.cpu_env() if on_cpu else {}
    return vllm_server.ManagedVLLMChatModelHandler(config.model, vllm_server_kwargs=kwargs, env=env)


class JudgeModelHandler(ModelHandler[dict, PredictionResult, Any]):
    """``planner(record, config)`` says what to ask; the backend of ``config`` asks it.

    ``inner``: for the vllm backend, a Beam chat handler to delegate to (default: Beam's
    ``VLLMChatModelHandler(config.model, vllm_server_kwargs)``)."""

    def __init__(self, config: JudgeConfig, planner: Callable[[dict, JudgeConfig], Plan], inner=None):
        if not config.uses_llm:
            raise ValueError("the static backend needs no model handler")
        super().__init__(min_batch_size=1, max_batch_size=config.batch_size)
        self.config, self.planner = config, planner
        if config.backend == "vllm" and inner is None:
            inner = managed_vllm_handler(config)
        self.inner = inner

    def load_model(self):
        if self.config.backend == "openai":
            return OpenAIBackend(openai_client(self.config), self.config)
        return BeamHandlerBackend(self.inner, self.inner.load_model(), self.config)

    def run_inference(self, batch: Sequence[dict], model, inference_args: dict | None = None
                      ) -> Iterable[PredictionResult]:
        results: list[JobResult] = drive([self.planner(r, self.config) for r in batch], model.send)
        return [PredictionResult(record, result) for record, result in zip(batch, results)]

    def get_metrics_namespace(self) -> str:
        return "codepref_judge"

    def share_model_across_processes(self) -> bool:
        return False
