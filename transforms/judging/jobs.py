"""What the LLM does for one record, as a plan of request rounds (pure, transport-free).

A plan is a generator: it yields a list of ChatRequests, receives their ChatOutcomes,
may yield another round, and returns a JobResult. ``drive`` runs the plans of a whole
batch in lock-step rounds so every round's requests go out together (one batch to the
server); the plans themselves never do I/O and are tested with scripted outcomes.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field

from transforms.common import stable_hex, stable_id
from transforms.judging.chat import ChatOutcome, ChatRequest
from transforms.judging.config import JudgeConfig
from transforms.judging.parse import (
    parse_code_block,
    parse_instruction,
    parse_score,
    parse_verdict,
)
from transforms.judging.prompts import (
    bug_prompt,
    improvement_messages,
    instruction_messages,
    preference_messages,
)
from transforms.judging.voting import (
    ORDERS,
    apply_votes,
    decide,
    make_vote,
    sample_orders,
)

# Execution decides these labels; the LLM may add votes but never overrides them.
PROTECTED_METHODS = frozenset({"execution"})


@dataclass
class JobResult:
    record: dict | None  # the judged pair / new sample; None when dropped
    reason: str | None = None  # dead-letter reason when dropped
    detail: str = ""
    events: Counter = field(default_factory=Counter)  # counter name (without stage) -> increment


Plan = Generator[list[ChatRequest], list[ChatOutcome], JobResult]


def _texts(outcome: ChatOutcome, n: int) -> list[tuple[str | None, str | None]]:
    """(text, error) for each of the n samples a request asked for."""
    if not outcome.ok:
        return [(None, outcome.error)] * n
    got = [(t, None) for t in outcome.texts[:n]]
    return got + [(None, "missing_choice")] * (n - len(got))


def wants_votes(pair: dict, config: JudgeConfig) -> bool:
    return pair["criterion"] in config.criteria and pair["label_method"] in config.methods


def wants_rewrite(pair: dict, config: JudgeConfig) -> bool:
    return bool(pair.get("commit")) and config.rewrite_commits


def needs_llm(pair: dict, config: JudgeConfig) -> bool:
    return config.uses_llm and (wants_votes(pair, config) or wants_rewrite(pair, config))


def instruction_style(config: JudgeConfig, pair_key: str) -> str:
    styles = config.instruction_styles
    return styles[stable_id(config.seed, pair_key, "instruction_style") % len(styles)]


def vote_plan(pair: dict, config: JudgeConfig, events: Counter) -> Plan:
    """n samples in per-sample A/B orders (one request per order), then keep / flip / drop."""
    key = pair["pair_key"]
    orders = sample_orders(config.seed, key, config.samples)
    by_order = {o: [i for i, x in enumerate(orders) if x == o] for o in ORDERS}
    used = [o for o in ORDERS if by_order[o]]
    requests = [ChatRequest.of(f"{key}:vote:{o}", preference_messages(pair, o), len(by_order[o])) for o in used]
    outcomes = yield requests
    votes: list[dict | None] = [None] * config.samples
    for o, outcome in zip(used, outcomes):
        for i, (text, error) in zip(by_order[o], _texts(outcome, len(by_order[o]))):
            verdict = parse_verdict(text) if text is not None else None
            if text is not None and verdict is None:
                error = "unparseable"
                events["unparseable"] += 1
            votes[i] = make_vote(config.judge_name, o, verdict, error)
    events["votes"] += len(votes)
    events["error_votes"] += sum(v["verdict"] == "ERROR" for v in votes)
    events["tie_votes"] += sum(v["verdict"] == "TIE" for v in votes)
    protected = pair["label_method"] in PROTECTED_METHODS
    decision = decide(votes, config.min_agreement, config.on_disagreement, protected)
    if decision.action == "drop":
        return JobResult(None, decision.reason, decision.detail, events)
    events["flipped" if decision.action == "flip" else "kept"] += 1
    return JobResult(apply_votes(pair, votes, decision, protected), events=events)


def rewrite_plan(pair: dict, config: JudgeConfig, events: Counter) -> Plan:
    """Commit pairs: rate the change 1-5 and drop weak ones, then write a fresh instruction."""
    key = pair["pair_key"]
    k = config.improvement_samples
    (outcome,) = yield [ChatRequest.of(f"{key}:improvement", improvement_messages(pair), k)]
    scores = [parse_score(t) for t, _ in _texts(outcome, k) if t is not None]
    valid = [s for s in scores if s is not None]
    events["unparseable"] += len(scores) - len(valid)
    if not valid:
        cause = outcome.error or "unparseable"
        return JobResult(None, "judge_error", f"no improvement score: {cause}", events)
    score = sum(valid) / len(valid)
    if score < config.min_improvement:
        return JobResult(None, "low_improvement", f"improvement {score:.2f} < {config.min_improvement}", events)
    style = instruction_style(config, key)
    (outcome,) = yield [ChatRequest.of(f"{key}:instruction:{style}", instruction_messages(pair, style))]
    text = outcome.texts[0] if outcome.ok and outcome.texts else None
    instruction = parse_instruction(text) if text is not None else None
    if instruction is None:
        # The offline instruction still describes the file; losing the pair would cost more.
        events["instruction_fallback"] += 1
        events["unparseable" if text is not None else "instruction_error"] += 1
        return JobResult(dict(pair, improvement_score=score, instruction_style="offline"), events=events)
    events[f"instruction_{style}"] += 1
    return JobResult(dict(pair, input=instruction, improvement_score=score, instruction_style=style), events=events)


def pair_plan(pair: dict, config: JudgeConfig) -> Plan:
    """Everything the judge does to one candidate pair: rewrite (commits), then votes."""
    events: Counter = Counter()
    if wants_rewrite(pair, config):
        result = yield from rewrite_plan(pair, config, events)
        if result.record is None:
            return result
        pair = result.record
    if wants_votes(pair, config):
        return (yield from vote_plan(pair, config, events))
    return JobResult(pair, events=events)


def is_bug_candidate(sample: dict) -> bool:
    """A problem submission with a statement that passed its tests (or is not executed yet)."""
    execution = sample.get("execution")
    return (sample.get("kind") == "submission" and bool(sample.get("problem_id"))
            and bool(sample.get("instruction")) and (execution is None or execution.get("verdict") == "OK"))


def bug_sample(sample: dict, code: str) -> dict:
    """The buggy variant as a new source sample, to be tagged and executed like any other."""
    out = {k: v for k, v in sample.items() if k not in ("execution", "tags", "tags_before")}
    out.update(sample_id=stable_hex(sample["sample_id"], "bug"), code=code, variant_of=sample["sample_id"],
               submission_id=f"{sample.get('submission_id') or sample['sample_id']}~bug")
    return out


def bug_plan(sample: dict, config: JudgeConfig) -> Plan:
    """Ask for a buggy variant of a correct submission; the new sample or a dead letter."""
    events: Counter = Counter()
    prompt = bug_prompt(sample["language"], sample["instruction"], sample["code"])
    (outcome,) = yield [ChatRequest.of(f"{sample['sample_id']}:bug", [{"role": "user", "content": prompt}])]
    if not outcome.ok or not outcome.texts:
        return JobResult(None, "judge_error", f"no answer: {outcome.error or 'missing_choice'}", events)
    code = parse_code_block(outcome.texts[0], sample["language"])
    if code is None:
        events["unparseable"] += 1
        return JobResult(None, "unparseable", "no fenced code block in the answer", events)
    if code.split() == sample["code"].split():
        return JobResult(None, "bug_unchanged", "the answer repeats the original program", events)
    return JobResult(bug_sample(sample, code), events=events)


def drive(plans: Sequence[Plan], send: Callable[[list[ChatRequest]], list[ChatOutcome]]) -> list[JobResult]:
    """Run plans in lock-step rounds through ``send``; request-level failures become events."""
    results: list[JobResult | None] = [None] * len(plans)
    transport: list[Counter] = [Counter() for _ in plans]
    pending: dict[int, list[ChatRequest]] = {}

    def advance(i: int, outcomes):
        try:
            pending[i] = plans[i].send(outcomes)
        except StopIteration as stop:
            results[i] = stop.value

    for i in range(len(plans)):
        advance(i, None)
    while pending:
        flat = [(i, r) for i, reqs in sorted(pending.items()) for r in reqs]
        outcomes = send([r for _, r in flat]) if flat else []
        by_plan: dict[int, list[ChatOutcome]] = {i: [] for i in pending}
        for (i, _), outcome in zip(flat, outcomes):
            by_plan[i].append(outcome)
            transport[i]["requests"] += 1
            transport[i]["retries"] += max(0, len(outcome.failures) - (0 if outcome.ok else 1))
            transport[i].update(outcome.failures)
            if not outcome.ok:
                transport[i]["failed_requests"] += 1
        current, pending = pending, {}
        for i in current:
            advance(i, by_plan[i])
    for result, counts in zip(results, transport):
        result.events.update(counts)
    return results
