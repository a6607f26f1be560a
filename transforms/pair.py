"""The label and pair stage: executed or tagged samples -> labelled candidate pairs.

Submissions pair within (problem, language), in windows of at most ``max_group`` samples
(ordered by id) so a problem with thousands of submissions gives a bounded number of
pairs; a variant (mutant, LLM bug) pairs only with the submission it was made from; each commit pairs its old and new file
on every criterion its message points to. A sample in no pair is dead-lettered as
``unpaired``; a proposed pair the labeller rejects is a pair-level dead letter.

The labelled pairs of each split x criterion are then shortcut-balanced (unless
``no_shortcut_balance``): a selection, never a relabelling, after which no trivial rule
(longer / more lines / more comments / more identifiers wins; ``transforms.shortcuts``)
picks the chosen side in more than 1/2 + ``shortcut_tolerance`` or less than 1/2 -
``shortcut_tolerance`` of the pairs; the pairs left out are dead letters ``shortcut_balance``.
Only (order, key, signs) per pair travel to the group, and the decision is joined back by
pair key, so a group of millions of pairs holds no code.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import apache_beam as beam

from schemas.criteria import CRITERION_IDS
from schemas.languages import get as get_language
from transforms import shortcuts
from transforms.common import DEAD, MAIN, count, drop, drop_pair, stable_hex
from transforms.config import check_config, option
from transforms.labels import Label, label_commit, label_executed
from transforms.mining import terms as term_lists
from transforms.mining.instructions import offline_instruction

STAGE = "pair"


def candidate(criterion: str, label: Label, chosen: dict, rejected: dict, base: dict) -> dict:
    """A labelled pair before system prompts and ids: provenance plus both sides."""
    return {
        "pair_key": stable_hex(criterion, chosen["id"], rejected["id"], length=24),
        "criterion": criterion, "split": base["split"], "source": base["source"],
        "language_id": base["language"], "input": base["input"],
        "chosen": chosen["code"], "rejected": rejected["code"],
        "origin": base["origin"], "commit": base.get("commit"), "problem_id": base.get("problem_id"),
        "license": base.get("license"), "chosen_id": chosen["id"], "rejected_id": rejected["id"],
        "label_method": label.method, "margin": float(label.margin),
        "chosen_execution": chosen.get("execution"), "rejected_execution": rejected.get("execution"),
        "votes": [dict(v) for v in label.votes], "agreement": label.agreement,
        # Commit provenance: the message, the file, the term that named the criterion and its
        # span in the message, and the label checks that passed (None / [] for submissions).
        "message": base.get("message"), "path": base.get("path"), "term": base.get("term"),
        "term_span": base.get("term_span"), "label_checks": list(label.checks),
    }


def rejected_pair(criterion: str, label: Label, a: dict, b: dict, base: dict) -> dict:
    """Minimal record for a proposed pair that got no label (for the dead letters)."""
    return {"pair_key": stable_hex(criterion, a["id"], b["id"], length=24), "criterion": criterion,
            "split": base["split"], "source": base["source"], "language_id": base["language"],
            "reason": label.reason, "margin": label.margin}


def _side(sample: dict) -> dict:
    return {"id": sample["sample_id"], "code": sample["code"], "execution": sample.get("execution")}


def related(a: dict, b: dict) -> bool:
    """Whether two submissions may pair: a variant (mutant, LLM bug) only with the submission it
    was made from, so its pair differs by exactly that edit; originals pair with each other."""
    va, vb = a.get("variant_of"), b.get("variant_of")
    if not va and not vb:
        return True
    return va == b["sample_id"] or vb == a["sample_id"]


def family_order(s: dict) -> tuple:
    """Windows keep a variant next to its original (originals keep their id order)."""
    return s.get("variant_of") or s["sample_id"], s["sample_id"]


def pair_submissions(samples: list[dict], ratio: float, criteria=CRITERION_IDS) -> tuple[list[dict], list[dict], list[dict]]:
    """(pairs, unlabelled proposals, unpaired samples) for submissions of one problem and language."""
    samples = sorted(samples, key=lambda s: s["sample_id"])
    pairs, unlabelled, used = [], [], set()
    for a, b in combinations(samples, 2):
        if not related(a, b):
            continue
        base = {"split": a["split"], "source": a["source"], "language": a["language"], "input": a["instruction"],
                "origin": f"{a['repo']}/{a['problem_id']}", "problem_id": a["problem_id"], "license": a["license"]}
        for criterion in criteria:
            label = label_executed(criterion, a, b, ratio)
            sa, sb = _side(a), _side(b)
            if label.better is None:
                # Pairs that cannot qualify on this criterion (e.g. fc between two passing
                # programs) are not proposals; only judged-and-rejected ones are recorded.
                if label.reason not in ("same_outcome", "not_both_passing", "below_ratio"):
                    unlabelled.append(rejected_pair(criterion, label, sa, sb, base))
                continue
            chosen, rej = (sa, sb) if label.better == "A" else (sb, sa)
            pairs.append(candidate(criterion, label, chosen, rej, base))
            used.update((a["sample_id"], b["sample_id"]))
    unpaired = [s for s in samples if s["sample_id"] not in used]
    return pairs, unlabelled, unpaired


def commit_instruction(sample: dict) -> str:
    """Offline instruction for a commit pair: the file's description and interface and the commit
    subject as a request, in one of four styles (``transforms.mining.instructions``)."""
    return offline_instruction(sample)[0]


def commit_terms(sample: dict) -> dict[str, term_lists.TermMatch]:
    """criterion -> the term match recorded on its pair (the earliest one not in the file's name)."""
    message = sample.get("message") or ""
    matches = term_lists.matches_outside_path(term_lists.find_matches(message), message, sample.get("path") or "")
    return {cid: m for cid in sample["criteria_hint"] if (m := term_lists.first_match(matches, cid)) is not None}


def pair_commit(sample: dict) -> tuple[list[dict], list[dict]]:
    """(pairs, unlabelled proposals) for a commit: old vs new on each hinted criterion."""
    base = {"split": sample["split"], "source": sample["source"], "language": sample["language"],
            "input": commit_instruction(sample), "origin": sample["repo"], "commit": sample["commit"],
            "license": sample["license"], "message": sample.get("message"), "path": sample.get("path")}
    old = {"id": sample["sample_id"] + ":before", "code": sample["code_before"], "execution": None}
    new = {"id": sample["sample_id"] + ":after", "code": sample["code"], "execution": None}
    found = commit_terms(sample)
    pairs, unlabelled = [], []
    for criterion in sample["criteria_hint"]:
        label = label_commit(criterion, sample)
        if label.better is None:
            unlabelled.append(rejected_pair(criterion, label, old, new, base))
            continue
        match = found.get(criterion)
        term = {"term": match.term, "term_span": [match.start, match.end]} if match else {}
        chosen, rej = (old, new) if label.better == "A" else (new, old)
        pairs.append(candidate(criterion, label, chosen, rej, {**base, **term}))
    return pairs, unlabelled


def windows(samples: list[dict], max_group: int) -> list[list[dict]]:
    """Split a (problem, language) group into id-ordered windows of at most ``max_group``."""
    ordered = sorted(samples, key=family_order)
    return [ordered[i:i + max_group] for i in range(0, len(ordered), max_group)]


class _PairGroupFn(beam.DoFn):
    def __init__(self, ratio: float, max_group: int):
        self.ratio, self.max_group = ratio, max_group

    def process(self, item):
        _, samples = item
        samples = list(samples)
        count(STAGE, "in", len(samples))
        for window in windows(samples, self.max_group):
            pairs, unlabelled, unpaired = pair_submissions(window, self.ratio)
            yield from _emit(pairs, unlabelled)
            count(STAGE, "paired_samples", len(window) - len(unpaired))
            for s in unpaired:
                yield drop(STAGE, "unpaired", s, "no qualifying pair on any criterion")


class _PairCommitFn(beam.DoFn):
    def process(self, sample: dict):
        count(STAGE, "in")
        pairs, unlabelled = pair_commit(sample)
        yield from _emit(pairs, unlabelled)
        if pairs:
            count(STAGE, "paired_samples")
        else:
            yield drop(STAGE, "unpaired", sample, "every hinted criterion was rejected by the labeller")


def _emit(pairs: list[dict], unlabelled: list[dict]):
    count(STAGE, "proposed", len(pairs) + len(unlabelled))
    count(STAGE, "labelled", len(pairs))
    yield from pairs
    for p in unlabelled:
        yield drop_pair(STAGE, p["reason"], p, f"margin={p['margin']:.3f}")


def balance_key(pair: dict) -> tuple[str, str]:
    """The group a pair is balanced in: its split and criterion (the unit the audit bounds).
    Languages are pooled so that a small language with one-way pairs can be offset by
    another; the audit still reports every language."""
    return pair["split"], pair["criterion"]


def balance_item(pair: dict, seed: int) -> tuple[tuple[str, str], tuple[str, str, tuple[int, ...]]]:
    """(group, (seeded order, pair key, sign per balanced rule)): what the selection needs of a
    pair, small enough that a whole group fits one worker."""
    lang = pair["language_id"]
    s = shortcuts.signs(shortcuts.features(pair["chosen"], lang), shortcuts.features(pair["rejected"], lang))
    return balance_key(pair), (stable_hex(seed, pair["pair_key"]), pair["pair_key"],
                               tuple(s[r] for r in shortcuts.BALANCED_RULES))


def select_group(items, tolerance: float, min_group: int = 0) -> list[tuple[str, str | None]]:
    """(pair key, None when kept / the drop detail) for one group's ``balance_item``s, considered
    in seeded order so the same seed drops the same pairs whatever order the group arrives in.
    A group of fewer than ``min_group`` pairs is kept whole."""
    ordered = sorted(items)
    if len(ordered) < min_group:
        return [(key, None) for _, key, _ in ordered]
    patterns = {key: pattern for _, key, pattern in ordered}
    _, dropped = shortcuts.balance([(key, pattern) for _, key, pattern in ordered], tolerance)
    gone = set(dropped)

    def detail(pattern) -> str:
        return "chosen side by rule: " + ", ".join(
            f"{r} {'+' if v > 0 else '-' if v < 0 else '='}" for r, v in zip(shortcuts.BALANCED_RULES, pattern))
    return [(key, detail(patterns[key]) if key in gone else None) for _, key, _ in ordered]


class _ApplySelectionFn(beam.DoFn):
    """Joins a pair with its group's decision: kept pairs out, dropped ones to the dead letters."""

    def process(self, item):
        _, joined = item
        decisions = list(joined["decision"])
        for pair in joined["pair"]:
            dropped = next((d for d in decisions if d is not None), None)
            if dropped is None:
                count(STAGE, "out")
                yield pair
            else:
                yield drop_pair(STAGE, "shortcut_balance", pair, dropped)


def _count_out(pair: dict) -> dict:
    count(STAGE, "out")
    return pair


@dataclass(frozen=True)
class PairConfig:
    efficiency_ratio: float = option(5.0, "Chosen side must be this many times better (CPU time or peak memory).")
    # Submissions pair within id-ordered windows of this many per (problem, language): bounds the
    # pairs one popular problem can make (n^2) and the memory of one group.
    max_group: int = 64
    no_shortcut_balance: bool = option(False, "Keep every labelled pair: no selection that keeps the shortcut rules "
                                       "(longer, more lines/comments/identifiers wins) near one half per split and "
                                       "criterion (docs/shortcuts.md).")
    shortcut_tolerance: float = option(0.1, "Shortcut balancing keeps each rule's accuracy within 0.5 +- this in "
                                       "split x criterion (accuracy = agreeing pairs + half the ties, over all pairs).")
    # A split x criterion with fewer pairs is kept whole: the audit does not judge a shortcut on
    # fewer pairs either, and a small input would otherwise lose whole criteria.
    shortcut_min_group: int = option(20, "Split x criterion groups with fewer labelled pairs are not balanced.")

    def __post_init__(self):
        check_config(0.0 <= self.shortcut_tolerance < 0.5,
                     f"--shortcut_tolerance must be in [0, 0.5), got {self.shortcut_tolerance}")
        check_config(self.shortcut_min_group >= 0, f"--shortcut_min_group must be >= 0, got {self.shortcut_min_group}")


class Pair(beam.PTransform):
    """Executed/tagged samples -> labelled candidate pairs, shortcut-balanced unless switched off."""

    def __init__(self, config: PairConfig, seed: int):
        super().__init__()
        self.ratio, self.max_group = config.efficiency_ratio, config.max_group
        self.config, self.seed = config, seed

    def expand(self, samples):
        by_kind = samples | "ByKind" >> beam.Partition(lambda s, _: 0 if s["kind"] == "submission" else 1, 2)
        groups = (by_kind[0]
                  | "KeyByProblem" >> beam.Map(lambda s: ((s["problem_id"], s["language"]), s))
                  | "GroupByProblem" >> beam.GroupByKey()
                  | "PairSubmissions" >> beam.ParDo(_PairGroupFn(self.ratio, self.max_group)).with_outputs(DEAD, main=MAIN))
        commits = by_kind[1] | "PairCommits" >> beam.ParDo(_PairCommitFn()).with_outputs(DEAD, main=MAIN)
        labelled = (groups[MAIN], commits[MAIN]) | "Pairs" >> beam.Flatten()
        dead = [groups[DEAD], commits[DEAD]]
        if self.config.no_shortcut_balance:
            main = labelled | "CountOut" >> beam.Map(_count_out)
        else:
            tolerance, min_group, seed = self.config.shortcut_tolerance, self.config.shortcut_min_group, self.seed
            decisions = (labelled
                         | "BalanceItems" >> beam.Map(balance_item, seed)
                         | "GroupForBalance" >> beam.GroupByKey()
                         | "SelectBalanced" >> beam.FlatMap(lambda kv: select_group(kv[1], tolerance, min_group)))
            keyed = labelled | "KeyByPair" >> beam.Map(lambda p: (p["pair_key"], p))
            balanced = ({"pair": keyed, "decision": decisions}
                        | "JoinSelection" >> beam.CoGroupByKey()
                        | "ApplySelection" >> beam.ParDo(_ApplySelectionFn()).with_outputs(DEAD, main=MAIN))
            main, dead = balanced[MAIN], dead + [balanced[DEAD]]
        return {MAIN: main, DEAD: tuple(dead) | "Dead" >> beam.Flatten()}
