"""Sample filters on tags (the Themis final-pair filters: language, tree depth, tokens)."""
from __future__ import annotations

WRONG_LANGUAGE = "wrong_language"
SHALLOW_TREE = "shallow_tree"
TOO_MANY_TOKENS = "too_many_tokens"


def filter_reason(tags: dict, *, min_depth: int = 3, max_tokens: int = 4096) -> str | None:
    """Why a sample must be dropped (a dead-letter reason), or None to keep it."""
    if not tags.get("language_ok"):
        return WRONG_LANGUAGE
    if tags.get("depth", 0) < min_depth:
        return SHALLOW_TREE
    if tags.get("tokens", 0) > max_tokens:
        return TOO_MANY_TOKENS
    return None
