"""The finalize stage: system prompts, Themis column names and stable row ids."""
from __future__ import annotations

import apache_beam as beam

from schemas import SCHEMA_VERSION
from schemas.criteria import CRITERIA
from schemas.languages import get as get_language
from schemas import system_prompts as prompts
from transforms.common import count, stable_id

STAGE = "finalize"


def to_row(pair: dict, seed: int) -> dict:
    """A labelled pair -> a shard row (schemas.records.PREFERENCE_PAIR)."""
    system, mode = prompts.assign(pair["criterion"], stable_id(seed, pair["pair_key"]))
    row = {k: pair[k] for k in (
        "input", "chosen", "rejected", "source", "split", "criterion", "language_id", "origin", "commit",
        "problem_id", "license", "chosen_id", "rejected_id", "label_method", "margin", "chosen_execution",
        "rejected_execution", "votes", "agreement")}
    row.update(judge_errors=pair.get("judge_errors", 0), improvement_score=pair.get("improvement_score"),
               instruction_style=pair.get("instruction_style") or ("problem" if pair.get("problem_id") else "offline"))
    row.update({k: pair.get(k) for k in ("message", "path", "term", "term_span")},  # commit provenance
               label_checks=list(pair.get("label_checks") or []))
    row.update(system=system, system_mode=mode, language=get_language(pair["language_id"]).name,
               aspect=CRITERIA[pair["criterion"]].name, idx=stable_id(pair["pair_key"]),
               schema_version=SCHEMA_VERSION)
    return row


class Finalize(beam.PTransform):
    def __init__(self, seed: int):
        super().__init__()
        self.seed = seed

    def expand(self, pairs):
        seed = self.seed

        def _row(pair):
            count(STAGE, "out")
            return to_row(pair, seed)
        return pairs | "ToRow" >> beam.Map(_row)
