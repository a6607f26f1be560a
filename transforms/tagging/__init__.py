"""Tree-sitter tagging: verification, metrics, security findings, filters, static judge.

    tags = tag_code(code, language)            # a schemas.records.TAGS dict; never raises
    reason = filter_reason(tags)               # "wrong_language" | "shallow_tree" | "too_many_tokens" | None
    verdict = static_judge("rm", tags_a, tags_b)
"""
from transforms.tagging.filters import filter_reason
from transforms.tagging.security import scan
from transforms.tagging.static_judge import StaticVerdict, static_judge
from transforms.tagging.tagger import tag_code

__all__ = ["tag_code", "filter_reason", "static_judge", "StaticVerdict", "scan"]
