"""Structural and readability metrics of a parsed file (the TAGS fields).

Everything language-specific is data in ``node_types.toml``; this module walks
the syntax tree once with a cursor and derives all counts from that walk.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import tree_sitter as ts

from transforms.tagging import parsers, style

STYLES = {
    "snake": re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*"),
    "camel": re.compile(r"[a-z][a-zA-Z0-9]*"),
    "pascal": re.compile(r"[A-Z][a-zA-Z0-9]*"),
    "upper": re.compile(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*"),
}
ROLES = ("function", "variable", "type")
# A line needs this many characters (after stripping) to count as non-trivial for
# the duplicate-line ratio; shorter lines are braces, `end`, `else:`, `break;`...
MIN_DUPLICATE_LINE = 12
_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class LanguageSpec:
    """The node-type sets of one language, as frozensets for fast membership tests."""

    functions: frozenset
    classes: frozenset
    classes_with_body: frozenset
    decisions: frozenset
    nesting: frozenset
    chain: frozenset
    chain_parents: frozenset
    comments: frozenset
    docstrings: bool
    identifiers: frozenset
    naming: str
    styles: dict
    pick_one: bool


@cache
def spec(lang_id: str) -> LanguageSpec:
    row = parsers.node_table()[lang_id]
    sets = {key: frozenset(row[key]) for key in (
        "functions", "classes", "classes_with_body", "decisions", "nesting", "chain", "chain_parents",
        "comments", "identifiers")}
    return LanguageSpec(**sets, docstrings=bool(row["docstrings"]), naming=row["naming"],
                        styles={role: tuple(row["styles"][role]) for role in ROLES}, pick_one=bool(row["pick_one"]))


@dataclass
class FunctionInfo:
    """One function: name, 1-based first/last line and cyclomatic complexity."""

    name: str
    start_line: int
    end_line: int
    complexity: int = 1

    @property
    def lines(self) -> int:
        return self.end_line - self.start_line + 1


@dataclass
class Walk:
    """Everything the single tree walk collects."""

    depth: int = 0  # edges on the longest root-to-leaf path
    tokens: int = 0
    classes: int = 0
    max_nesting: int = 0
    file_decisions: int = 0
    functions: list = field(default_factory=list)
    comment_rows: set = field(default_factory=set)
    identifiers: set = field(default_factory=set)


# Roles of node kinds in the walk, looked up by kind id (cheaper than string sets).
NONE, DECISION, IDENTIFIER, COMMENT, FUNCTION, CLASS, CLASS_WITH_BODY, NESTING, CHAIN, DOCSTRING = range(10)


@cache
def roles(lang_id: str) -> tuple[int, ...]:
    """Role of every kind id of the grammar. Keywords such as Ruby's `class` or `if`
    share names with named nodes, so decisions match anonymous kinds only and all
    other roles named kinds only."""
    lang, grammar = spec(lang_id), parsers.grammar(lang_id)
    table = []
    for kind_id in range(grammar.node_kind_count):
        name = grammar.node_kind_for_id(kind_id)
        if not grammar.node_kind_is_named(kind_id):
            table.append(DECISION if name in lang.decisions else NONE)
        elif name in lang.identifiers:
            table.append(IDENTIFIER)
        elif name in lang.comments:
            table.append(COMMENT)
        elif name in lang.functions:
            table.append(FUNCTION)
        elif name in lang.classes:
            table.append(CLASS)
        elif name in lang.classes_with_body:
            table.append(CLASS_WITH_BODY)
        elif name in lang.nesting:
            table.append(CHAIN if name in lang.chain else NESTING)
        elif lang.docstrings and name == "string":
            table.append(DOCSTRING)
        else:
            table.append(NONE)
    return tuple(table)


def walk(tree: ts.Tree, lang_id: str) -> Walk:
    """Depth-first walk with a cursor (cheaper than materialising child lists).

    Enclosing function and nesting level are kept on a stack that only grows at
    function and nesting nodes; an entry is dropped when the walk climbs back to
    the depth of the node that opened it.
    """
    lang = spec(lang_id)
    role_of = roles(lang_id)
    n_roles = len(role_of)
    out = Walk()
    functions = out.functions
    identifiers: set[bytes] = set()
    cursor = tree.walk()
    depth = 0  # edges from the root: `x` alone is 2 deep, `x = 1` is 3
    max_depth = tokens = decisions = classes = max_nesting = 0
    nesting, func = 0, -1
    stack: list[tuple[int, int, int]] = []  # (depth of the opening node, outer nesting, outer function)
    while True:
        node = cursor.node
        kind_id = node.kind_id
        role = role_of[kind_id] if kind_id < n_roles else NONE  # ERROR is 65535
        if role:
            if role == DECISION:
                decisions += 1
                if func >= 0:
                    functions[func].complexity += 1
            elif role == IDENTIFIER:
                identifiers.add(node.text)
            elif role == COMMENT or (role == DOCSTRING and node.parent.type == "expression_statement"):
                out.comment_rows.update(range(node.start_point[0], node.end_point[0] + 1))
            elif role == FUNCTION:
                stack.append((depth, nesting, func))
                functions.append(FunctionInfo(function_name(node), node.start_point[0] + 1, node.end_point[0] + 1))
                func = len(functions) - 1
            elif role == CLASS or (role == CLASS_WITH_BODY and node.child_by_field_name("body") is not None):
                classes += 1
            elif role == NESTING or (role == CHAIN and node.parent.type not in lang.chain_parents):
                stack.append((depth, nesting, func))
                nesting += 1
                if nesting > max_nesting:
                    max_nesting = nesting
        if cursor.goto_first_child():
            depth += 1
            continue
        if depth > max_depth:
            max_depth = depth
        if node.end_byte > node.start_byte:  # MISSING nodes are zero-width
            tokens += 1
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                out.depth, out.tokens, out.file_decisions = max_depth, tokens, decisions
                out.classes, out.max_nesting = classes, max_nesting
                out.identifiers = {i.decode("utf-8", "replace").lstrip("@$") for i in identifiers}
                return out
            depth -= 1
            while stack and stack[-1][0] >= depth:
                _, nesting, func = stack.pop()
        # A sibling at the same depth: close contexts opened by the finished node.
        while stack and stack[-1][0] >= depth:
            _, nesting, func = stack.pop()


def function_name(node: ts.Node) -> str:
    """The declared name of a function node, following C-style declarator chains."""
    current = node
    for _ in range(8):
        name = current.child_by_field_name("name")
        if name is not None:
            return _last_segment(name.text)
        declarator = current.child_by_field_name("declarator")
        if declarator is None:
            break
        if declarator.type in ("identifier", "field_identifier", "qualified_identifier", "destructor_name",
                               "operator_name"):
            return _last_segment(declarator.text)
        current = declarator
    parent = node.parent
    if parent is not None and parent.type in ("variable_declarator", "pair", "assignment_expression"):
        target = (parent.child_by_field_name("name") or parent.child_by_field_name("key")
                  or parent.child_by_field_name("left"))
        if target is not None:
            return _last_segment(target.text)
    return "(anonymous)"


def _last_segment(text: bytes) -> str:
    return re.split(r"::|\.", text.decode("utf-8", "replace"))[-1]


def naming_consistency(tree: ts.Tree, lang_id: str, lang: LanguageSpec) -> float:
    """Share of declared names that follow the language's convention for their role."""
    captures = ts.QueryCursor(parsers.query(lang_id, lang.naming)).captures(tree.root_node)
    conforming = total = 0
    for role in ROLES:
        names = [_bare(n.text) for n in captures.get(role, ())]
        names = [n for n in names if n]
        if not names:
            continue
        accepted = lang.styles[role]
        if lang.pick_one:
            candidates = [s for s in accepted if s != "upper"]
            best = max(candidates, key=lambda s: sum(1 for n in names if STYLES[s].fullmatch(n)))
            accepted = (best, "upper") if "upper" in accepted else (best,)
        total += len(names)
        conforming += sum(1 for n in names if any(STYLES[s].fullmatch(n) for s in accepted))
    return conforming / total if total else 1.0


def _bare(text: bytes) -> str:
    """Strip privacy underscores and Ruby's ?/!/= method suffixes before style checks."""
    return text.decode("utf-8", "replace").strip("_").rstrip("?!=")


def duplicate_line_ratio(lines: list[str]) -> float:
    """Share of non-trivial lines that repeat an earlier line (whitespace-normalised)."""
    counts = Counter()
    for line in lines:
        norm = " ".join(line.split())
        if len(norm) >= MIN_DUPLICATE_LINE and _WORD.search(norm):
            counts[norm] += 1
    total = sum(counts.values())
    return sum(c - 1 for c in counts.values()) / total if total else 0.0


def text_lines(code: str) -> list[str]:
    """Lines split on \\n only, as tree-sitter counts rows (str.splitlines also splits on \\f, U+2028...)."""
    lines = code.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def measure(tree: ts.Tree, code: str, lang_id: str) -> dict:
    """The metric fields of TAGS (everything but verification and security)."""
    lang = spec(lang_id)
    w = walk(tree, lang_id)
    lines = text_lines(code)
    non_blank = [i for i, line in enumerate(lines) if line.strip()]
    comment_lines = sum(1 for i in non_blank if i in w.comment_rows)
    complexities = [f.complexity for f in w.functions]
    idents = [i for i in w.identifiers if i]
    return {
        "depth": w.depth,
        "lines": len(lines),
        "tokens": w.tokens,
        "functions": len(w.functions),
        "classes": w.classes,
        "max_nesting": w.max_nesting,
        "cyclomatic_max": max(complexities) if complexities else 1 + w.file_decisions,
        "cyclomatic_mean": sum(complexities) / len(complexities) if complexities else float(1 + w.file_decisions),
        "longest_function": max((f.lines for f in w.functions), default=0),
        "comment_ratio": comment_lines / len(non_blank) if non_blank else 0.0,
        "identifier_mean_length": sum(map(len, idents)) / len(idents) if idents else 0.0,
        "one_letter_share": sum(1 for i in idents if len(i) == 1) / len(idents) if idents else 0.0,
        "naming_consistency": naming_consistency(tree, lang_id, lang),
        "duplicate_line_ratio": duplicate_line_ratio(lines),
        "magic_number_ratio": style.magic_numbers(tree, lines, lang_id) / len(non_blank) if non_blank else 0.0,
        "long_line_share": style.long_line_share(lines),
    }


def function_complexities(code: str, language: str) -> list[FunctionInfo]:
    """Per-function cyclomatic complexity (used by the lizard cross-check)."""
    lang_id = parsers.language_id(language)
    if lang_id is None:
        raise ValueError(f"unknown language {language!r}")
    tree = parsers.parse(code.encode("utf-8"), lang_id)
    return walk(tree, lang_id).functions
