"""The mutate stage: execution-verified mutants of passing submissions, as new failing samples.

For every submission that passed its tests, up to ``mutants_per_sample`` mutants are drawn with
the tree-sitter operators of ``transforms.mutation.operators`` (seeded by the run's seed and the
sample id) and tried in draw order: each is tagged and run against the same tests, the way LLM
bug insertion (``transforms.judge.InsertBugs``) makes variants, until one fails a test. That one
goes on, as a submission with ``variant_of`` = its original, and pairing makes it the rejected
side of a functional-correctness pair with that original (``transforms.pair.related``). A mutant
that still passes is a dead letter ``mutant_survived``; one that does not parse or compile is
``mutant_not_compiling``. Mutant dead letters are of kind ``variant`` (like failed bug
insertions): they sit outside the sample ledger, which gains ``mutate.out``
(read.samples + mutate.out = pair.paired_samples + sample dead letters).

Counters (``mutate.*``): in (passing submissions), candidates (mutants tried), out (failing
mutants kept), mutant_survived / mutant_not_compiling (with the dead letters), and per language
``candidates_<lang>``, ``failing_<lang>``, ``survived_<lang>``, ``not_compiling_<lang>``, and per
operator ``failing_op_<op>``, ``survived_op_<op>``.
"""
from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

import apache_beam as beam

from transforms.common import DEAD, MAIN, count, dead_letter, route_dead, stable_hex, stable_id
from transforms.config import check_config, option
from transforms.execute import ExecuteConfig, _ExecuteFn
from transforms.read.problem_tests import JoinProblems
from transforms.mutation import operators
from transforms.tag import tag_sample
from transforms.tagging.filters import TagConfig

STAGE = "mutate"
FAILING = frozenset({"WRONG_ANSWER", "RUNTIME_ERROR", "TIME_LIMIT", "MEMORY_LIMIT", "OUTPUT_LIMIT"})


@dataclass(frozen=True)
class MutateConfig:
    no_mutate: bool = option(False, "Do not add execution-verified mutants of passing submissions as fc pairs.")
    mutants_per_sample: int = option(3, "Mutants tried per passing submission, in seeded draw order (a different "
                                     "operator each while operators last), until one fails a test; that one is kept.")

    def __post_init__(self):
        check_config(self.mutants_per_sample >= 1, "--mutants_per_sample must be >= 1 (--no_mutate turns mutation off)")


def is_candidate(sample: dict) -> bool:
    """An original (not itself a variant) problem submission that passed its tests, in a language
    the operators know."""
    execution = sample.get("execution") or {}
    return (sample.get("kind") == "submission" and bool(sample.get("problem_id")) and not sample.get("variant_of")
            and execution.get("verdict") == "OK" and sample.get("language") in operators.languages())


def mutant_sample(sample: dict, mutant: operators.Mutant, index: int) -> dict:
    """A mutant as a new submission sample, to be tagged and executed like any other."""
    out = {k: v for k, v in sample.items() if k not in ("execution", "tags", "tags_before")}
    sub = sample.get("submission_id") or sample["sample_id"]
    out.update(sample_id=stable_hex(sample["sample_id"], "mutant", index, mutant.operator), code=mutant.code,
               variant_of=sample["sample_id"], submission_id=f"{sub}~mutant:{mutant.operator}:{index}")
    return out


def operator_of(mutant: dict) -> str:
    return mutant["submission_id"].rsplit(":", 2)[-2]


def draw(sample: dict, n: int, seed: int) -> list[dict]:
    """The sample's mutants as samples (deterministic in seed and sample id)."""
    rng = random.Random(stable_id(seed, sample["sample_id"], "mutate"))
    return [mutant_sample(sample, m, i) for i, m in enumerate(operators.mutants(sample["code"], sample["language"], n, rng))]


def mutant_dead(reason: str, mutant: dict, detail: str | None) -> beam.pvalue.TaggedOutput:
    """A mutant that gives no pair, as a ``variant`` dead letter (counted per language and operator)."""
    what, lang = reason.removeprefix("mutant_"), mutant.get("language")
    count(STAGE, f"{what}_{lang}")
    count(STAGE, f"{what}_op_{operator_of(mutant)}")
    return route_dead(dead_letter(STAGE, reason, mutant["sample_id"], "variant", detail, mutant.get("source"), lang,
                                  "fc", mutant.get("split")))


class _MutateFn(beam.DoFn):
    """Passing submissions -> at most one failing mutant each, plus dead letters for the mutants tried.

    A submission's mutants are tried in draw order until one fails a test: more failing mutants of
    one submission would only give near-duplicate pairs (same prompt and chosen side), which the
    final pair near-dedup drops. Submissions run on the execute stage's sandbox threads (its
    runner, cache and limits; its counters are not bumped); counters are bumped on this thread."""

    def __init__(self, config: MutateConfig, execute: ExecuteConfig, tag: TagConfig, seed: int):
        self.config, self.tag, self.seed = config, tag, seed
        # One run per test is enough to see a failure; fc needs no timing spread.
        self.runner = _ExecuteFn(dataclasses.replace(execute, exec_repeat=1))

    def setup(self):
        self.runner.setup()

    def teardown(self):
        self.runner.teardown()

    def try_mutants(self, sample: dict, problem: dict) -> list[tuple[str, dict, str | None]]:
        """(outcome, mutant, detail) per mutant tried; outcome is ``failing`` or a dead-letter reason."""
        outcomes = []
        before = operators.error_count(sample["code"], sample["language"])
        for mutant in draw(sample, self.config.mutants_per_sample, self.seed):
            after = operators.error_count(mutant["code"], mutant["language"])
            if after > before:
                outcomes.append(("mutant_not_compiling", mutant, f"parse errors {before} -> {after}"))
                continue
            tagged, reason, detail = tag_sample(mutant, self.tag)
            if reason:
                outcomes.append((f"mutant_{reason}", mutant, detail))
                continue
            # A mutant fails once one test fails: the tests after it are not run (an infinite
            # loop would spend the time limit on each), and its report covers the tests run.
            report, _ = self.runner.run_one(tagged, problem, stop_at_failure=True)
            verdict = report["verdict"]
            if verdict in FAILING:
                outcomes.append(("failing", dict(tagged, execution=report), None))
                break
            if verdict == "OK":
                outcomes.append(("mutant_survived", mutant, f"passed {report['tests_passed']}/{report['tests_total']}"))
            elif verdict == "COMPILE_ERROR":
                outcomes.append(("mutant_not_compiling", mutant, report.get("detail")))
            else:
                outcomes.append(("mutant_sandbox_error", mutant, report.get("detail")))
        return outcomes

    def process(self, batch: list[tuple[dict, dict | None]]):
        runs = []
        for sample, problem in batch:
            count(STAGE, "in")
            if problem is not None:  # it passed, so its tests exist
                runs.append((sample, self.runner.pool.submit(self.try_mutants, sample, problem)))
        for sample, future in runs:
            try:
                outcomes = future.result()
            except Exception as e:  # noqa: BLE001 - a sandbox that breaks costs this sample's mutants, not the run
                yield route_dead(dead_letter(STAGE, "mutant_error", stable_hex(sample["sample_id"], "mutant"),
                                             "variant", repr(e), sample.get("source"), sample.get("language"), "fc",
                                             sample.get("split")))
                continue
            for outcome, mutant, detail in outcomes:
                count(STAGE, "candidates")
                count(STAGE, f"candidates_{mutant['language']}")
                if outcome != "failing":
                    yield mutant_dead(outcome, mutant, detail)
                    continue
                count(STAGE, "out")
                count(STAGE, f"failing_{mutant['language']}")
                count(STAGE, f"failing_op_{operator_of(mutant)}")
                yield mutant


class Mutate(beam.PTransform):
    """Executed samples -> {main: failing mutants (executed, tagged), dead: mutant dead letters}.

    The input samples are not passed on; flatten the output with them before pairing."""

    def __init__(self, tests: beam.PCollection, config: MutateConfig, execute: ExecuteConfig, tag: TagConfig,
                 seed: int):
        """``tests``: ``(problem_id, (order, entry))`` as ``ReadProblemTests`` reads them on the workers."""
        super().__init__()
        self.execute = execute
        self.tests, self.config, self.tag, self.seed = tests, config, tag, seed

    def expand(self, samples):
        out = (samples | "Candidates" >> beam.Filter(is_candidate)
               | "WithTests" >> JoinProblems(self.tests)
               | "Spread" >> beam.Reshuffle()
               | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=4 * self.execute.parallelism())
               | "TryMutants" >> beam.ParDo(_MutateFn(self.config, self.execute, self.tag, self.seed))
               .with_outputs(DEAD, main=MAIN))
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
