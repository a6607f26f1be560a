"""The layering rules of docs/architecture.md, checked on the import statements (no imports run)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = ("pipeline", "transforms", "sandboxes", "schemas", "training", "tests", "bench", "deploy")
# package -> the packages of ours it may import (itself included)
ALLOWED = {
    "schemas": {"schemas"},
    "sandboxes": {"sandboxes", "schemas"},
    "transforms": {"transforms", "sandboxes", "schemas"},
    "training": {"training", "schemas"},
    "pipeline": {"pipeline", "transforms", "sandboxes", "schemas"},
    "bench": {"bench", "pipeline", "transforms", "sandboxes", "schemas", "training"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(OURS)


def test_each_package_imports_only_the_layers_below_it():
    problems = []
    for package, allowed in ALLOWED.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            bad = imported_packages(path) - allowed
            if bad:
                problems.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not problems, "\n".join(problems)


def test_training_does_not_import_beam_statically():
    for path in sorted((ROOT / "training").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        mods = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        mods |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not any(m.split(".")[0] == "apache_beam" for m in mods), path
