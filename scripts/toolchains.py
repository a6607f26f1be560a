"""Debian packages for the language toolchains, read from schemas/languages.toml (stdlib only:
setup runs it before the virtualenv exists).

    python3 scripts/toolchains.py missing   # packages of the toolchains not on PATH
    python3 scripts/toolchains.py all       # every toolchain package
"""
from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "schemas" / "languages.toml"


def commands(row: dict) -> set[str]:
    """The programs a language needs on PATH (compiler, runner, version probe)."""
    return {argv[0] for argv in (row.get("compile"), row.get("run"), row.get("version"))
            if argv and not argv[0].startswith("./")}


def packages(only_missing: bool) -> list[str]:
    table = tomllib.loads(TABLE.read_text("utf-8"))
    out: dict[str, None] = {}
    for row in table.values():
        if not only_missing or any(shutil.which(c) is None for c in commands(row)):
            out.update(dict.fromkeys(row.get("apt", ())))
    return list(out)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    if mode not in ("missing", "all"):
        sys.exit("usage: toolchains.py missing|all")
    print(" ".join(packages(mode == "missing")))
