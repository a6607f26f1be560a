"""Per-language sandbox settings, read from the ``[.sandbox]`` keys of ``schemas/languages.toml``.

The table there documents each key; this module only adapts it to the backends
(a dict environment, and whether the shared Go build cache is needed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from schemas.languages import languages


@dataclass(frozen=True)
class LangExtra:
    memory_rlimit: str = "as"
    env: dict[str, str] = field(default_factory=dict)
    oom_markers: tuple[str, ...] = ()
    needs_gocache: bool = False
    stack_mb: int = 8
    syntax_check: tuple[str, ...] = ()


@cache
def extra(language_id: str) -> LangExtra:
    lang = languages().get(language_id)
    if lang is None:
        return LangExtra()
    spec = lang.sandbox
    env = dict(spec.env)
    return LangExtra(spec.memory_rlimit, env, spec.oom_markers, any("{gocache}" in v for v in env.values()),
                     spec.stack_mb, spec.syntax_check)


def build_argv(lang) -> tuple[str, ...] | None:
    """What builds (or syntax-checks) ``lang``'s source; None when nothing needs to run."""
    if lang.compile is not None:
        return lang.compile
    check = extra(lang.id).syntax_check
    return tuple(arg.format(src=lang.source) for arg in check) if check else None
