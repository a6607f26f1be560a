"""The mutate stage: execution-verified mutants of passing submissions, as new failing samples.

For every submission that passed its tests, ``mutants_per_sample`` mutants are drawn with the
tree-sitter operators of ``transforms.mutation.operators`` (seeded by the run's seed and the
sample id). Each mutant is tagged and run against the same tests, the way LLM bug insertion
(``transforms.judge.InsertBugs``) makes variants; only a mutant that fails a test goes on, as a
submission with ``variant_of`` = its original, and pairing makes it the rejected side of a
functional-correctness pair with that original. A mutant that still passes is a dead letter
``mutant_survived``; one that does not parse or compile is ``mutant_not_compiling``. Mutant dead
letters are of kind ``variant`` (like failed bug insertions): they sit outside the sample ledger,
which gains ``mutate.out`` (read.samples + mutate.out = pair.paired_samples + sample dead letters).

Counters (``mutate.*``): in (passing submissions considered), candidates, out (failing mutants),
survived, not_compiling, each also per language (``failing_python`` ...) and failing/survived per
operator (``failing_op_boundary_shift`` ...).
"""
from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

import apache_beam as beam

from transforms.common import DEAD, MAIN, count, dead_letter, route_dead, stable_hex, stable_id
from transforms.config import check_config, option
from transforms.execute import ExecuteConfig, _ExecuteFn
from transforms.mutation import operators
from transforms.tag import tag_sample
from transforms.tagging.filters import TagConfig

STAGE = "mutate"
FAILING = frozenset({"WRONG_ANSWER", "RUNTIME_ERROR", "TIME_LIMIT", "MEMORY_LIMIT", "OUTPUT_LIMIT"})


@dataclass(frozen=True)
class MutateConfig:
    no_mutate: bool = option(False, "Do not add execution-verified mutants of passing submissions as fc pairs.")
    mutants_per_sample: int = option(2, "Mutants drawn per passing submission (each from a different operator "
                                     "while operators last).")

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
    lang = mutant.get("language")
    count(STAGE, reason.removeprefix("mutant_"))
    count(STAGE, f"{reason.removeprefix('mutant_')}_{lang}")
    count(STAGE, f"{reason.removeprefix('mutant_')}_op_{operator_of(mutant)}")
    return route_dead(dead_letter(STAGE, reason, mutant["sample_id"], "variant", detail, mutant.get("source"), lang,
                                  "fc", mutant.get("split")))


class _DrawFn(beam.DoFn):
    """Passing submission -> tagged mutants; mutants tree-sitter cannot parse are dead letters."""

    def __init__(self, config: MutateConfig, tag: TagConfig, seed: int):
        self.config, self.tag, self.seed = config, tag, seed

    def process(self, sample: dict):
        count(STAGE, "in")
        before = operators.error_count(sample["code"], sample["language"])
        for mutant in draw(sample, self.config.mutants_per_sample, self.seed):
            count(STAGE, "candidates")
            count(STAGE, f"candidates_{mutant['language']}")
            after = operators.error_count(mutant["code"], mutant["language"])
            if after > before:
                yield mutant_dead("mutant_not_compiling", mutant, f"parse errors {before} -> {after}")
                continue
            tagged, reason, detail = tag_sample(mutant, self.tag)
            if reason:
                yield mutant_dead(f"mutant_{reason}", mutant, detail)
                continue
            yield tagged


class _VerifyFn(beam.DoFn):
    """Runs mutants in the sandboxes (the execute stage's runner, its cache and limits; its
    counters are not bumped) and keeps the failing ones."""

    def __init__(self, config: ExecuteConfig):
        self.runner = _ExecuteFn(config)

    def setup(self):
        self.runner.setup()

    def teardown(self):
        self.runner.teardown()

    def process(self, batch: list[dict], tests_by_problem: dict):
        runs = []
        for mutant in batch:
            problem = tests_by_problem.get(mutant["problem_id"])
            if problem is None:  # the original ran, so its tests exist; kept for a changed side input
                yield mutant_dead("mutant_no_tests", mutant, f"problem {mutant['problem_id']!r} has no tests")
            else:
                runs.append((mutant, self.runner.pool.submit(self.runner.run_one, mutant, problem)))
        for mutant, future in runs:
            try:
                report, _ = future.result()
            except Exception as e:  # noqa: BLE001 - a sandbox that breaks costs this mutant, not the run
                yield mutant_dead("mutant_sandbox_error", mutant, repr(e))
                continue
            verdict, lang = report["verdict"], mutant["language"]
            if verdict == "COMPILE_ERROR":
                yield mutant_dead("mutant_not_compiling", mutant, report.get("detail"))
            elif verdict == "OK":
                yield mutant_dead("mutant_survived", mutant, f"passed {report['tests_passed']}/{report['tests_total']}")
            elif verdict in FAILING:
                count(STAGE, "out")
                count(STAGE, f"failing_{lang}")
                count(STAGE, f"failing_op_{operator_of(mutant)}")
                yield dict(mutant, execution=report)
            else:
                yield mutant_dead("mutant_sandbox_error", mutant, report.get("detail"))


class Mutate(beam.PTransform):
    """Executed samples -> {main: failing mutants (executed, tagged), dead: mutant dead letters}.

    The input samples are not passed on; flatten the output with them before pairing."""

    def __init__(self, tests_by_problem: dict, config: MutateConfig, execute: ExecuteConfig, tag: TagConfig,
                 seed: int):
        super().__init__()
        # One run per test is enough to see a failure; fc needs no timing spread.
        self.execute = dataclasses.replace(execute, exec_repeat=1)
        self.tests_by_problem, self.config, self.tag, self.seed = tests_by_problem, config, tag, seed

    def expand(self, samples):
        drawn = (samples | "Candidates" >> beam.Filter(is_candidate)
                 | "Draw" >> beam.ParDo(_DrawFn(self.config, self.tag, self.seed)).with_outputs(DEAD, main=MAIN))
        tests = samples.pipeline | "Tests" >> beam.Create([self.tests_by_problem])
        verified = (drawn[MAIN] | "Spread" >> beam.Reshuffle()
                    | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=4 * self.execute.parallelism())
                    | "Verify" >> beam.ParDo(_VerifyFn(self.execute), beam.pvalue.AsSingleton(tests))
                    .with_outputs(DEAD, main=MAIN))
        dead = (drawn[DEAD], verified[DEAD]) | "Dead" >> beam.Flatten()
        return {MAIN: verified[MAIN], DEAD: dead}
