"""The label and pair stage: executed or tagged samples -> labelled candidate pairs.

Submissions pair within (problem, language), in windows of at most ``max_group`` samples
(ordered by id) so a problem with thousands of submissions gives a bounded number of
pairs; each commit pairs its old and new file
on every criterion its message points to. A sample in no pair is dead-lettered as
``unpaired``; a proposed pair the labeller rejects is a pair-level dead letter.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import apache_beam as beam

from schemas.criteria import CRITERION_IDS
from schemas.languages import get as get_language
from transforms.common import DEAD, MAIN, count, drop, drop_pair, stable_hex
from transforms.config import option
from transforms.labels import Label, label_commit, label_executed

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
    }


def rejected_pair(criterion: str, label: Label, a: dict, b: dict, base: dict) -> dict:
    """Minimal record for a proposed pair that got no label (for the dead letters)."""
    return {"pair_key": stable_hex(criterion, a["id"], b["id"], length=24), "criterion": criterion,
            "split": base["split"], "source": base["source"], "language_id": base["language"],
            "reason": label.reason, "margin": label.margin}


def _side(sample: dict) -> dict:
    return {"id": sample["sample_id"], "code": sample["code"], "execution": sample.get("execution")}


def pair_submissions(samples: list[dict], ratio: float, criteria=CRITERION_IDS) -> tuple[list[dict], list[dict], list[dict]]:
    """(pairs, unlabelled proposals, unpaired samples) for submissions of one problem and language."""
    samples = sorted(samples, key=lambda s: s["sample_id"])
    pairs, unlabelled, used = [], [], set()
    for a, b in combinations(samples, 2):
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
    """Offline instruction for a commit pair, from the file's path and its leading comment.

    Lower quality than an LLM-written instruction: it names the file's purpose, not a task."""
    lang = get_language(sample["language"]).name
    head = []
    for line in (sample.get("code_before") or sample["code"]).splitlines()[:12]:
        text = line.strip().lstrip("/#*-!; ").strip()
        if line.strip().startswith(("#", "//", "/*", "*", '"""', "'''")) and text and not text.startswith("!"):
            head.append(text)
    about = (" " + " ".join(head)[:400]) if head else ""
    return (f"Write the {lang} source file `{sample['path']}` of the `{sample['repo']}` project.{about}\n"
            f"Return the complete file.")


def pair_commit(sample: dict) -> tuple[list[dict], list[dict]]:
    """(pairs, unlabelled proposals) for a commit: old vs new on each hinted criterion."""
    base = {"split": sample["split"], "source": sample["source"], "language": sample["language"],
            "input": commit_instruction(sample), "origin": sample["repo"], "commit": sample["commit"],
            "license": sample["license"]}
    old = {"id": sample["sample_id"] + ":before", "code": sample["code_before"], "execution": None}
    new = {"id": sample["sample_id"] + ":after", "code": sample["code"], "execution": None}
    pairs, unlabelled = [], []
    for criterion in sample["criteria_hint"]:
        label = label_commit(criterion, sample)
        if label.better is None:
            unlabelled.append(rejected_pair(criterion, label, old, new, base))
            continue
        chosen, rej = (old, new) if label.better == "A" else (new, old)
        pairs.append(candidate(criterion, label, chosen, rej, base))
    return pairs, unlabelled


def windows(samples: list[dict], max_group: int) -> list[list[dict]]:
    """Split a (problem, language) group into id-ordered windows of at most ``max_group``."""
    ordered = sorted(samples, key=lambda s: s["sample_id"])
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
    count(STAGE, "out", len(pairs))
    yield from pairs
    for p in unlabelled:
        yield drop_pair(STAGE, p["reason"], p, f"margin={p['margin']:.3f}")


@dataclass(frozen=True)
class PairConfig:
    efficiency_ratio: float = option(5.0, "Chosen side must be this many times better (CPU time or peak memory).")
    # Submissions pair within id-ordered windows of this many per (problem, language): bounds the
    # pairs one popular problem can make (n^2) and the memory of one group.
    max_group: int = 64


class Pair(beam.PTransform):
    """Executed/tagged samples -> labelled candidate pairs."""

    def __init__(self, config: PairConfig = PairConfig()):
        super().__init__()
        self.ratio, self.max_group = config.efficiency_ratio, config.max_group

    def expand(self, samples):
        by_kind = samples | "ByKind" >> beam.Partition(lambda s, _: 0 if s["kind"] == "submission" else 1, 2)
        groups = (by_kind[0]
                  | "KeyByProblem" >> beam.Map(lambda s: ((s["problem_id"], s["language"]), s))
                  | "GroupByProblem" >> beam.GroupByKey()
                  | "PairSubmissions" >> beam.ParDo(_PairGroupFn(self.ratio, self.max_group)).with_outputs(DEAD, main=MAIN))
        commits = by_kind[1] | "PairCommits" >> beam.ParDo(_PairCommitFn()).with_outputs(DEAD, main=MAIN)
        main = (groups[MAIN], commits[MAIN]) | "Pairs" >> beam.Flatten()
        dead = (groups[DEAD], commits[DEAD]) | "Dead" >> beam.Flatten()
        return {MAIN: main, DEAD: dead}
