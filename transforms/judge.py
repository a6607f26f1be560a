"""LLM judge stage: re-judge candidate pairs with n sampled votes, rewrite commit pairs'
instructions, and insert bugs into correct submissions, all through Beam RunInference.

The Beam-free core is ``transforms/judging/``; this module only wires it. With the
"static" backend (the offline default) ``Judge`` is the identity and ``InsertBugs`` emits
nothing. Request failures never fail the run: they become ERROR votes, dead letters and
counters ``judge.<class>`` (timeout, connection_error, server_error, malformed,
unparseable, retries, failed_requests, ...).
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.ml.inference.base import RunInference

from transforms.common import DEAD, MAIN, count, dead_letter, drop_pair, route_dead, stable_hex
from transforms.judging.config import JudgeConfig
from transforms.judging.handler import JudgeModelHandler
from transforms.judging.jobs import bug_plan, is_bug_candidate, needs_llm, pair_plan

STAGE = "judge"
BUG_STAGE = "insert_bugs"


class _EmitFn(beam.DoFn):
    """PredictionResult(record, JobResult) -> the new record, or a counted dead letter."""

    def __init__(self, stage: str, record_kind: str):
        self.stage, self.record_kind = stage, record_kind

    def process(self, prediction):
        record, result = prediction.example, prediction.inference
        for name, n in sorted(result.events.items()):
            if n:
                count(self.stage, name, n)
        if result.record is not None:
            count(self.stage, "out")
            yield result.record
        elif self.record_kind == "pair":
            yield drop_pair(self.stage, result.reason, record, result.detail)
        else:
            # A failed bug insertion loses no sample (the original goes on): it is a
            # "variant" dead letter, outside the sample ledger.
            yield route_dead(dead_letter(
                self.stage, result.reason, stable_hex(record["sample_id"], "bug"), "variant", result.detail,
                record.get("source"), record.get("language"), "fc", record.get("split")))


def _empty(pipeline, label: str):
    return pipeline | label >> beam.Create([])


class Judge(beam.PTransform):
    """Candidate pairs -> judged pairs. Pairs the config does not select pass through."""

    def __init__(self, config: JudgeConfig | None = None, inner_handler=None):
        super().__init__()
        self.config, self.inner_handler = config or JudgeConfig(), inner_handler

    def expand(self, pairs):
        cfg = self.config

        def passed(pair):
            count(STAGE, "in")
            count(STAGE, "passed_through")
            count(STAGE, "out")
            return pair

        if not cfg.uses_llm:
            return {MAIN: pairs | "PassThrough" >> beam.Map(passed), DEAD: _empty(pairs.pipeline, "NoDead")}
        parts = pairs | "Select" >> beam.Partition(lambda p, _: 0 if needs_llm(p, cfg) else 1, 2)

        def judged_in(pair):
            count(STAGE, "in")
            return pair

        judged = (parts[0] | "CountIn" >> beam.Map(judged_in)
                  | "Spread" >> beam.Reshuffle()
                  | "Ask" >> RunInference(JudgeModelHandler(cfg, pair_plan, self.inner_handler))
                  | "Decide" >> beam.ParDo(_EmitFn(STAGE, "pair")).with_outputs(DEAD, main=MAIN))
        skipped = parts[1] | "PassThrough" >> beam.Map(passed)
        return {MAIN: (judged[MAIN], skipped) | "All" >> beam.Flatten(), DEAD: judged[DEAD]}


class InsertBugs(beam.PTransform):
    """Samples -> NEW buggy variants of correct problem submissions (only those; the input
    samples are not passed on). Each variant has a fresh ``sample_id``, ``variant_of`` = the
    original's id and no tags/execution: tag and execute it like any submission, and pairing
    makes it an fc pair only if execution shows that it fails."""

    def __init__(self, config: JudgeConfig | None = None, inner_handler=None):
        super().__init__()
        self.config, self.inner_handler = config or JudgeConfig(), inner_handler

    def expand(self, samples):
        if not self.config.uses_llm:
            empty = _empty(samples.pipeline, "NoBugs")
            return {MAIN: empty, DEAD: _empty(samples.pipeline, "NoDead")}

        def candidate(sample):
            ok = is_bug_candidate(sample)
            count(BUG_STAGE, "in" if ok else "skipped")
            return ok

        out = (samples | "Candidates" >> beam.Filter(candidate)
               | "Spread" >> beam.Reshuffle()
               | "Ask" >> RunInference(JudgeModelHandler(self.config, bug_plan, self.inner_handler))
               | "Emit" >> beam.ParDo(_EmitFn(BUG_STAGE, "variant")).with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
