"""Sample filters on tags (the Themis final-pair filters: language, tree depth, tokens)."""
from __future__ import annotations

from dataclasses import dataclass

from transforms.config import option

WRONG_LANGUAGE = "wrong_language"
SHALLOW_TREE = "shallow_tree"
TOO_MANY_TOKENS = "too_many_tokens"


@dataclass(frozen=True)
class TagConfig:
    """The tag stage's filters."""
    min_depth: int = option(3, "Drop code with a shallower syntax tree.")
    max_tokens: int = option(4096, "Token budget per code sample.")


def filter_reason(tags: dict, config: TagConfig = TagConfig()) -> str | None:
    """Why a sample must be dropped (a dead-letter reason), or None to keep it."""
    min_depth, max_tokens = config.min_depth, config.max_tokens
    if not tags.get("language_ok"):
        return WRONG_LANGUAGE
    if tags.get("depth", 0) < min_depth:
        return SHALLOW_TREE
    if tags.get("tokens", 0) > max_tokens:
        return TOO_MANY_TOKENS
    return None
