"""The eight languages as data: a typed view over ``languages.toml``."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class SandboxSpec:
    """How a sandbox runs the language (see the ``[.sandbox]`` keys in languages.toml)."""
    memory_rlimit: str = "as"
    stack_mb: int = 8
    env: tuple[tuple[str, str], ...] = ()
    oom_markers: tuple[str, ...] = ()
    syntax_check: tuple[str, ...] = ()


@dataclass(frozen=True)
class Language:
    id: str
    name: str  # training-set spelling (Themis-CodePreference)
    crb: str  # benchmark spelling (Themis-CodeRewardBench)
    extensions: tuple[str, ...]
    grammar_module: str
    grammar_function: str
    source: str
    compile: tuple[str, ...] | None
    run: tuple[str, ...]
    version: tuple[str, ...]
    cpu_factor: float
    aliases: tuple[str, ...] = ()  # other spellings, lowercase (datasets, compilers, code-fence info strings)
    fence: str = ""  # info string of the fenced code blocks we write
    apt: tuple[str, ...] = ()  # Debian packages providing the toolchain
    sandbox: SandboxSpec = SandboxSpec()
    kin: str | None = None  # a language whose grammar parses much of this one's code (C++ for C)
    kin_extensions: tuple[str, ...] = ()  # extensions both use: the parse decides which it is

    @property
    def compiled(self) -> bool:
        return self.compile is not None


@cache
def languages() -> dict[str, Language]:
    """All languages keyed by id, in table order."""
    table = tomllib.loads(resources.files(__package__).joinpath("languages.toml").read_text("utf-8"))
    out = {}
    for lid, row in table.items():
        out[lid] = Language(
            id=lid,
            name=row["name"],
            crb=row["crb"],
            extensions=tuple(row["extensions"]),
            grammar_module=row["grammar"]["module"],
            grammar_function=row["grammar"]["function"],
            source=row["source"],
            compile=tuple(row["compile"]) if "compile" in row else None,
            run=tuple(row["run"]),
            version=tuple(row["version"]),
            cpu_factor=float(row["cpu_factor"]),
            aliases=tuple(a.lower() for a in row.get("aliases", ())),
            fence=row.get("fence", lid),
            apt=tuple(row.get("apt", ())),
            sandbox=_sandbox_spec(row.get("sandbox", {})),
            kin=row.get("kin"),
            kin_extensions=tuple(row.get("kin_extensions", ())),
        )
    for lang in out.values():
        if lang.kin is not None and lang.kin not in out:
            raise ValueError(f"languages.toml: {lang.id}.kin names unknown language {lang.kin!r}")
        if lang.kin_extensions and lang.kin is None:
            raise ValueError(f"languages.toml: {lang.id}.kin_extensions without a kin")
    return out


def _sandbox_spec(row: dict) -> SandboxSpec:
    return SandboxSpec(
        memory_rlimit=row.get("memory_rlimit", "as"), stack_mb=int(row.get("stack_mb", 8)),
        env=tuple(sorted(row.get("env", {}).items())), oom_markers=tuple(row.get("oom_markers", ())),
        syntax_check=tuple(row.get("syntax_check", ())))


LANGUAGE_IDS: tuple[str, ...] = tuple(languages())


def get(language: str) -> Language:
    """Look a language up by id, training name or benchmark name (case-insensitive)."""
    found = _aliases().get(language.strip().lower())
    if found is None:
        raise KeyError(f"unknown language {language!r}; known: {', '.join(LANGUAGE_IDS)}")
    return found


def by_extension(path: str) -> Language | None:
    """The language a file name maps to, or None."""
    dot = path.rfind(".")
    return _extensions().get(path[dot:].lower()) if dot >= 0 else None


@cache
def _aliases() -> dict[str, Language]:
    out: dict[str, Language] = {}
    for lang in languages().values():
        for alias in (lang.id, lang.name, lang.crb, lang.fence, *lang.aliases):
            if out.setdefault(alias.lower(), lang) is not lang:
                raise ValueError(f"languages.toml: {alias!r} names both {out[alias.lower()].id} and {lang.id}")
    return out


def kin(language_id: str) -> str | None:
    """The language kin to ``language_id`` (C <-> C++), whichever of the two declares it; None for
    a language without one (or an unknown id)."""
    if language_id not in languages():
        return None
    own = languages()[language_id].kin
    if own is not None:
        return own
    return next((lang.id for lang in languages().values() if lang.kin == language_id), None)


def apt_packages() -> tuple[str, ...]:
    """Every language's toolchain packages (Debian), in table order, without repeats."""
    return tuple(dict.fromkeys(pkg for lang in languages().values() for pkg in lang.apt))


@cache
def _extensions() -> dict[str, Language]:
    return {ext: lang for lang in languages().values() for ext in lang.extensions}
