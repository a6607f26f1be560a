"""Per-language sandbox settings, read from the ``[.sandbox]`` keys of ``schemas/languages.toml``.

The table there documents each key; this module only adapts it to the backends
(a dict environment, whether the shared Go build cache is needed, the source file
name and build/run argv of one program, the files a build needs next to the source).
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from schemas.languages import languages


@dataclass(frozen=True)
class LangExtra:
    memory_rlimit: str = "as"
    env: dict[str, str] = field(default_factory=dict)
    oom_markers: tuple[str, ...] = ()
    needs_gocache: bool = False
    stack_mb: int = 8
    syntax_check: tuple[str, ...] = ()
    entry_class: bool = False
    prelude: str = ""
    support_files: tuple[str, ...] = ()


@cache
def _sandbox_table() -> dict[str, dict]:
    """The raw ``[<lang>.sandbox]`` tables (keys schemas.languages does not model)."""
    text = resources.files("schemas").joinpath("languages.toml").read_text("utf-8")
    return {lid: row.get("sandbox", {}) for lid, row in tomllib.loads(text).items()}


@cache
def extra(language_id: str) -> LangExtra:
    lang = languages().get(language_id)
    if lang is None:
        return LangExtra()
    spec = lang.sandbox
    raw = _sandbox_table().get(language_id, {})
    env = dict(spec.env)
    return LangExtra(spec.memory_rlimit, env, spec.oom_markers, any("{gocache}" in v for v in env.values()),
                     spec.stack_mb, spec.syntax_check, bool(raw.get("entry_class", False)),
                     str(raw.get("prelude", "")), tuple(raw.get("support_files", ())))


# A public top-level type; comments and strings are blanked first so a mention in them
# does not count.
_PUBLIC_TYPE = re.compile(r"^[ \t]*public\s+(?:(?:final|abstract|strictfp|sealed|non-sealed)\s+)*"
                          r"(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)", re.M)
_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"", re.S)


def entry_name(lang, source: str) -> str | None:
    """The program's public class when the language names files after it (Java), else None."""
    if not extra(lang.id).entry_class:
        return None
    match = _PUBLIC_TYPE.search(_COMMENTS.sub(lambda m: " " * len(m.group(0)), source))
    return match.group(1) if match else None


def source_name(lang, source: str) -> str:
    """The file name the program is written to (Java: ``<PublicClass>.java``)."""
    name = entry_name(lang, source)
    return f"{name}{os.path.splitext(lang.source)[1]}" if name else lang.source


def prepare_source(lang, source: str) -> str:
    return extra(lang.id).prelude + source


def support_files(lang) -> dict[str, bytes]:
    """Files (from sandboxes/data/) placed next to the source before the build."""
    root = resources.files(__package__).joinpath("data")
    return {os.path.basename(rel): root.joinpath(rel).read_bytes() for rel in extra(lang.id).support_files}


def build_argv(lang, src_name: str | None = None) -> tuple[str, ...] | None:
    """What builds (or syntax-checks) ``lang``'s source; None when nothing needs to run."""
    src_name = src_name or lang.source
    if lang.compile is not None:
        return tuple(src_name if arg == lang.source else arg for arg in lang.compile)
    check = extra(lang.id).syntax_check
    return tuple(arg.format(src=src_name) for arg in check) if check else None


def run_argv(lang, files: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The run argv of a build (Java: the class named after the source file the build kept)."""
    if not extra(lang.id).entry_class:
        return lang.run
    stem, ext = os.path.splitext(lang.source)
    names = [os.path.splitext(f)[0] for f in files if f.endswith(ext)]
    entry = names[0] if len(names) == 1 else stem
    return tuple(entry if arg == stem else arg for arg in lang.run)


def build_problem(lang, build_dir: str, files: tuple[str, ...]) -> str | None:
    """Why a successful build still cannot run, or None. A compiler may succeed without an
    executable (``go build -o main`` of a non-main package writes a package archive): that
    is the program's fault, a COMPILE_ERROR, not a sandbox failure at run time."""
    target = lang.run[0]
    if not target.startswith("./"):
        return None
    name = target[2:]
    try:
        with open(os.path.join(build_dir, name), "rb") as fh:
            magic = fh.read(4)
    except OSError:
        magic = b""
    if magic == b"\x7fELF" or magic[:2] == b"#!":
        return None
    hint = " (a Go program must be `package main` with `func main`)" if lang.id == "go" else ""
    return f"the build produced no executable {name}{hint}"
