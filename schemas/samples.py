"""The one constructor of source samples (``schemas.records.SOURCE_SAMPLE`` records).

Every reader (git commits, commit exports, problem sets, CodeNet, Hugging Face datasets)
builds its samples here, so the record's keys, their order and the defaults of the fields
a source does not have are written once. Records stay plain dicts: they travel through the
Beam DAG and into Arrow as they are.
"""
from __future__ import annotations

from typing import Any, Iterable

KINDS = ("commit", "submission")
SPLITS = ("train", "bench")


def source_sample(*, sample_id: str, source: str, kind: str, language: str, code: str, split: str,
                  code_before: str | None = None, diff: str | None = None, message: str | None = None,
                  instruction: str | None = None, problem_id: str | None = None, submission_id: str | None = None,
                  user_id: str | None = None, repo: str | None = None, commit: str | None = None,
                  path: str | None = None, license: str | None = None, timestamp: int | None = None,
                  criteria_hint: Iterable[str] = (), variant_of: str | None = None) -> dict[str, Any]:
    """A SOURCE_SAMPLE record, its keys in the schema's order; ValueError for a kind or split it cannot have."""
    if kind not in KINDS:
        raise ValueError(f"sample kind must be one of {KINDS}, not {kind!r}")
    if split not in SPLITS:
        raise ValueError(f"sample split must be one of {SPLITS}, not {split!r}")
    return {
        "sample_id": sample_id,
        "source": source,
        "kind": kind,
        "language": language,
        "code": code,
        "code_before": code_before,
        "diff": diff,
        "message": message,
        "instruction": instruction,
        "problem_id": problem_id,
        "submission_id": submission_id,
        "user_id": user_id,
        "repo": repo,
        "commit": commit,
        "path": path,
        "license": license,
        "timestamp": timestamp,
        "criteria_hint": list(criteria_hint),
        "split": split,
        "variant_of": variant_of,
    }
