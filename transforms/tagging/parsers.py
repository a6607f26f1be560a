"""Parser registry: one tree-sitter grammar per language id, loaded lazily.

The languages and their grammar modules come from ``schemas.languages``; nothing
here lists languages. ``Language`` objects and compiled ``Query`` objects are
immutable and cached per process. ``Parser`` objects keep parse state, so each
thread gets its own (Beam runners may call us from several threads).
"""
from __future__ import annotations

import importlib
import threading
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import tree_sitter as ts

from schemas import languages as schema_languages

_local = threading.local()


@dataclass(frozen=True)
class Verification:
    """How well code parses as one grammar (``language_check`` decides whether the claim holds)."""

    error_count: int
    node_count: int
    error_ratio: float
    error_byte_share: float  # bytes spanned by ERROR subtrees / all bytes
    unrecovered_share: float  # bytes inside ERROR subtrees that no well-formed construct covers / all bytes
    parse_ok: bool

    @property
    def error_measure(self) -> float:
        """What grammars are compared on: the error-node ratio plus the unrecovered byte share."""
        return self.error_ratio + self.unrecovered_share


@cache
def node_table() -> dict:
    """``node_types.toml``: per-language node-type sets and verification thresholds."""
    text = resources.files(__package__).joinpath("node_types.toml").read_text("utf-8")
    return tomllib.loads(text)


def language_id(language: str) -> str | None:
    """Our language id for an id or display name, or None when unknown."""
    try:
        return schema_languages.get(language).id
    except (KeyError, AttributeError):
        return None


@cache
def grammar(lang_id: str) -> ts.Language:
    """The tree-sitter Language of a language id (KeyError when unknown)."""
    spec = schema_languages.languages()[lang_id]
    module = importlib.import_module(spec.grammar_module)
    return ts.Language(getattr(module, spec.grammar_function)())


def parser(lang_id: str) -> ts.Parser:
    """A parser for the language, private to the calling thread."""
    cache_ = getattr(_local, "parsers", None)
    if cache_ is None:
        cache_ = _local.parsers = {}
    found = cache_.get(lang_id)
    if found is None:
        found = cache_[lang_id] = ts.Parser(grammar(lang_id))
    return found


@cache
def query(lang_id: str, source: str) -> ts.Query:
    """A compiled query, cached by (language, query text)."""
    return ts.Query(grammar(lang_id), source)


def parse(code: bytes, lang_id: str) -> ts.Tree:
    return parser(lang_id).parse(code)


def verify(tree: ts.Tree, code: bytes) -> Verification:
    """Count ERROR/MISSING nodes and the bytes they leave unparsed.

    Tree-sitter recovers from errors, so foreign code still yields a tree; it shows up as
    many error nodes, or as few error nodes covering much of the text. Real code can also
    end in one ERROR node that spans most of the file while holding well-formed functions
    (an ``extern "C" {`` opened and closed in two ``#ifdef`` branches), so the byte share
    that counts is the *unrecovered* one: bytes inside ERROR subtrees outside any error-free
    named node that spans several lines or whole lines (a declaration on its own line).
    Foreign code rarely leaves such nodes: its fragments parse as pieces of a line.
    """
    code_len = len(code)
    root = tree.root_node
    node_count = root.descendant_count
    errors = 0
    error_bytes = 0
    unrecovered = 0
    if root.has_error:
        stack = [root]
        while stack:
            node = stack.pop()
            if node.is_missing:
                errors += 1
                continue
            if node.is_error:
                errors += 1
                error_bytes += node.end_byte - node.start_byte
                # Errors nested in an ERROR subtree count as nodes, not as extra bytes.
                errors += _nested_errors(node)
                unrecovered += _unrecovered_bytes(node, code)
                continue
            stack.extend(child for child in node.children if child.has_error)
    ratio = errors / node_count if node_count else 0.0
    byte_share = error_bytes / code_len if code_len else 0.0
    unrecovered_share = unrecovered / code_len if code_len else 0.0
    return Verification(errors, node_count, ratio, byte_share, unrecovered_share, errors == 0)


def _unrecovered_bytes(error: ts.Node, code: bytes) -> int:
    """Bytes of an ERROR subtree's tokens outside error-free named nodes that span several
    lines or whole lines. Characters the grammar cannot read at all are childless ERROR nodes:
    their bytes count in full."""
    total = 0
    stack = [error]
    while stack:
        node = stack.pop()
        if node.is_error or node.has_error:
            if node.child_count:
                stack.extend(node.children)
            else:
                total += node.end_byte - node.start_byte
        elif not (node.is_named and (node.end_point[0] > node.start_point[0]
                                     or whole_lines(code, node.start_byte, node.end_byte) is not None)):
            total += node.end_byte - node.start_byte
    return total


def whole_lines(code: bytes, start: int, end: int, trailing: bytes = b"") -> tuple[int, int] | None:
    """``(line_start, line_end)`` of ``code[start:end]`` when only blanks (and ``trailing``
    characters after it) share its first and last lines with it, else None."""
    line_start = code.rfind(b"\n", 0, start) + 1
    line_end = code.find(b"\n", end)
    line_end = len(code) if line_end < 0 else line_end
    if code[line_start:start].strip() or code[end:line_end].strip(b" \t\r\n\v\f" + trailing):
        return None
    return line_start, line_end


def _nested_errors(node: ts.Node) -> int:
    count = 0
    stack = list(node.children)
    while stack:
        child = stack.pop()
        if child.is_error or child.is_missing:
            count += 1
        if child.has_error:
            stack.extend(child.children)
    return count
