"""Readability signals a reviewer reads off the text: magic numbers and over-long lines.

Both are shares of the file's code lines, so files of different sizes compare fairly
(like every other input of the readability score, see ``static_judge.RM_COMPONENTS``).
"""
from __future__ import annotations

import re
from functools import cache

import tree_sitter as ts

from transforms.tagging import parsers

# Literals any reader understands without a name: checkstyle's MagicNumber default
# (-1 is the literal 1 under a unary minus in every grammar).
PLAIN_NUMBERS = frozenset({0.0, 1.0, 2.0})
# A literal on a line that declares a named constant is that constant's value.
_CONSTANT_LINE = re.compile(
    r"^\s*(#\s*define\b|.*\b(const|constexpr|final|readonly)\b"
    r"|(export\s+)?[A-Z][A-Z0-9_]*\s*(:[^=]*)?=[^=])")
_SUFFIX = re.compile(r"[uUlLfFdDmMnNiI]+$")
# The common limit of style guides (PEP 8 allows 99 for teams, Google Java 100, rustfmt 100).
LONG_LINE = 100
TAB_WIDTH = 4


@cache
def _number_query(lang_id: str) -> tuple[ts.Query, frozenset]:
    row = parsers.node_table()[lang_id]
    source = "[" + " ".join(f"({kind})" for kind in row["numbers"]) + "] @number"
    return parsers.query(lang_id, source), frozenset(row["constant_nodes"])


def literal_value(text: str) -> float | None:
    """The numeric value of a literal's source text (suffixes and digit separators dropped)."""
    plain = text.replace("_", "").replace("'", "")
    if not plain.lower().startswith("0x"):
        plain = _SUFFIX.sub("", plain)
    try:
        return float(int(plain, 0))
    except ValueError:
        pass
    try:
        return float(plain)
    except ValueError:
        return None


def _is_data(parent: ts.Node | None) -> bool:
    """An element of a list, array, tuple or initializer literal is a row of data (a table of
    values, a test case), not an unexplained constant in the logic."""
    if parent is None:
        return False
    kind = parent.type
    if "argument" in kind or "parameter" in kind:
        return False
    return any(word in kind for word in ("list", "array", "tuple", "initializer")) or kind in ("set", "literal_value")


def _is_named(node: ts.Node, constant_nodes: frozenset) -> bool:
    """A literal that is a constant's value or a parameter's default has a name."""
    parent = node.parent
    for _ in range(6):
        if parent is None:
            return False
        kind = parent.type
        if kind in constant_nodes or "parameter" in kind:
            return True
        parent = parent.parent
    return False


def magic_numbers(tree: ts.Tree, lines: list[str], lang_id: str) -> int:
    """Numeric literals other than 0, 1 and 2 that no constant or parameter names and that are
    not elements of a collection literal."""
    query, constant_nodes = _number_query(lang_id)
    count = 0
    for node in ts.QueryCursor(query).captures(tree.root_node).get("number", ()):
        value = literal_value(node.text.decode("utf-8", "replace"))
        if value is None or abs(value) in PLAIN_NUMBERS:
            continue
        row = node.start_point[0]
        if row < len(lines) and _CONSTANT_LINE.match(lines[row]):
            continue
        if _is_named(node, constant_nodes) or _is_data(node.parent):
            continue
        count += 1
    return count


def long_line_share(lines: list[str]) -> float:
    """Share of non-blank lines longer than ``LONG_LINE`` columns (tabs as ``TAB_WIDTH``)."""
    non_blank = [line for line in lines if line.strip()]
    if not non_blank:
        return 0.0
    return sum(1 for line in non_blank if len(line.rstrip().expandtabs(TAB_WIDTH)) > LONG_LINE) / len(non_blank)
