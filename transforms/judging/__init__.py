"""Beam-free core of the LLM judge stage (transforms/judge.py wires it into Beam).

config: JudgeConfig; prompts: Jinja2 prompts; parse: answer parsers; voting: votes and the
keep/flip/drop decision; chat: requests, outcomes, retries; backends: OpenAI / Beam-handler
transports; jobs: per-record plans and their driver; handler: the RunInference ModelHandler.
"""
from transforms.judging.config import JudgeConfig

__all__ = ["JudgeConfig"]
