"""``tag_code``: parse, verify, measure and scan one file into a TAGS record."""
from __future__ import annotations

import logging

from transforms.tagging import language_check, metrics, parsers, security

log = logging.getLogger(__name__)

# Field order of schemas.records.TAGS.
TAG_FIELDS = (
    "parse_ok", "language_ok", "error_count", "error_ratio", "depth", "node_count", "lines", "tokens",
    "functions", "classes", "max_nesting", "cyclomatic_max", "cyclomatic_mean", "longest_function",
    "comment_ratio", "identifier_mean_length", "one_letter_share", "naming_consistency",
    "duplicate_line_ratio", "magic_number_ratio", "long_line_share", "security_findings",
)


def empty_tags(code: str = "") -> dict:
    """Tags of code that could not be analysed: fails verification, so filters drop it."""
    return {
        "parse_ok": False, "language_ok": False, "error_count": 0, "error_ratio": 0.0, "depth": 0,
        "node_count": 0, "lines": len(metrics.text_lines(code)), "tokens": 0, "functions": 0, "classes": 0,
        "max_nesting": 0, "cyclomatic_max": 0, "cyclomatic_mean": 0.0, "longest_function": 0,
        "comment_ratio": 0.0, "identifier_mean_length": 0.0, "one_letter_share": 0.0,
        "naming_consistency": 0.0, "duplicate_line_ratio": 0.0, "magic_number_ratio": 0.0,
        "long_line_share": 0.0, "security_findings": [],
    }


def tag_code(code: str, language: str, skip_rivals_over: int | None = None) -> dict:
    """TAGS of ``code`` parsed as ``language`` (an id or display name). Never raises.

    Code with more than ``skip_rivals_over`` tokens gets ``language_ok`` from the claimed grammar's
    limits alone, without the rival grammars' parses (the slow part of the check on large
    files): callers that set it drop such code for its size anyway.
    """
    try:
        if not isinstance(code, str):
            return empty_tags()
        lang_id = parsers.language_id(language) if isinstance(language, str) else None
        if lang_id is None:
            return empty_tags(code)
        data = code.encode("utf-8", "surrogatepass")
        tree = parsers.parse(data, lang_id)
        check = parsers.verify(tree, data)
        measured = metrics.measure(tree, code, lang_id)
        oversized = skip_rivals_over is not None and measured["tokens"] > skip_rivals_over
        tags = {
            "parse_ok": check.parse_ok, "error_count": check.error_count,
            "language_ok": language_check.claim_holds(data, lang_id, check, rivals=not oversized),
            "error_ratio": check.error_ratio, "node_count": check.node_count,
            **measured,
            "security_findings": security.scan_tree(tree, lang_id),
        }
        return {name: tags[name] for name in TAG_FIELDS}
    except Exception:  # noqa: BLE001 - one odd sample must never fail a pipeline bundle
        log.exception("tagging failed for a %r sample", language)
        return empty_tags(code if isinstance(code, str) else "")
