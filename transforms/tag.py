"""The tag stage: tree-sitter tags for each side of a sample, then the parse filters.

Samples whose code does not parse as its language, whose syntax tree is shallower
than ``min_depth`` or whose token count exceeds the budget are dead-lettered.
"""
from __future__ import annotations

import apache_beam as beam

from transforms.common import DEAD, MAIN, count, drop
from transforms.tagging import filter_reason, tag_code
from transforms.tagging.filters import TagConfig

STAGE = "tag"


def tag_sample(sample: dict, config: TagConfig) -> tuple[dict, str | None, str | None]:
    """(tagged sample, drop reason, detail): tags ``code`` and, for commits, ``code_before``.

    The before side is tagged only when the after side passes, and code over the token budget
    skips the language check's rival parses (``tag_code``'s ``skip_rivals_over``): it is dropped
    anyway, as ``too_many_tokens`` unless its own grammar's limits already refuse it
    (``wrong_language``).
    """
    tags = {"after": tag_code(sample["code"], sample["language"], skip_rivals_over=config.max_tokens)}
    if sample.get("code_before") is not None and filter_reason(tags["after"], config) is None:
        tags["before"] = tag_code(sample["code_before"], sample["language"], skip_rivals_over=config.max_tokens)
    tagged = dict(sample, tags=tags["after"], tags_before=tags.get("before"))
    for side, t in tags.items():
        reason = filter_reason(t, config)
        if reason:
            return tagged, reason, f"{side}: depth={t['depth']} tokens={t['tokens']} error_ratio={t['error_ratio']:.3f}"
    return tagged, None, None


class _TagFn(beam.DoFn):
    def __init__(self, config: TagConfig):
        self.config = config

    def process(self, sample: dict):
        count(STAGE, "in")
        tagged, reason, detail = tag_sample(sample, self.config)
        if reason:
            yield drop(STAGE, reason, sample, detail)
            return
        count(STAGE, "out")
        yield tagged


class Tag(beam.PTransform):
    """Samples -> tagged samples; filtered ones to the dead letters."""

    def __init__(self, config: TagConfig = TagConfig()):
        super().__init__()
        self.config = config

    def expand(self, samples):
        out = samples | "TagAndFilter" >> beam.ParDo(_TagFn(self.config)).with_outputs(DEAD, main=MAIN)
        return {MAIN: out[MAIN], DEAD: out[DEAD]}
