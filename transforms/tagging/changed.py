"""The part of a file a commit changed: both versions without the functions it left alone.

A refactor of one function in a file of ten moves file-level readability scores (maxima,
means and shares over the whole file) by a few hundredths, below any margin that separates
two normally written programs. Judging only what changed asks the question a reviewer asks
of a commit: is the new code more readable than the code it replaced?
"""
from __future__ import annotations

import tree_sitter as ts

from transforms.tagging import metrics, parsers


def _statement_functions(tree: ts.Tree, code: bytes, lang_id: str) -> list[tuple[int, int, bytes]]:
    """(start byte, end byte, whitespace-normalised text) of functions that stand as statements:
    outermost, first on their line and last on it (arrow functions inside expressions are not
    removable without breaking the code). A Python decorator travels with its function."""
    role_of = metrics.roles(lang_id)
    out = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        kind = node.kind_id
        if kind < len(role_of) and role_of[kind] == metrics.FUNCTION:
            whole = node.parent if node.parent is not None and node.parent.type == "decorated_definition" else node
            start, end = whole.start_byte, whole.end_byte
            lines = parsers.whole_lines(code, start, end, trailing=b";")
            if lines is not None:
                out.append((*lines, b" ".join(code[start:end].split())))
                continue
        stack.extend(reversed(node.children))
    return sorted(out)


def _without(code: bytes, spans: list[tuple[int, int]]) -> bytes:
    parts, at = [], 0
    for start, end in spans:
        parts.append(code[at:start])
        at = end
    parts.append(code[at:])
    return b"".join(parts)


def changed_parts(before: str, after: str, language: str) -> tuple[str, str] | None:
    """Both versions without the functions whose text (whitespace aside) is on both sides, or
    None when nothing was left out (no function is shared, or the language is unknown)."""
    lang_id = parsers.language_id(language)
    if lang_id is None:
        return None
    old, new = before.encode("utf-8", "surrogatepass"), after.encode("utf-8", "surrogatepass")
    old_fns = _statement_functions(parsers.parse(old, lang_id), old, lang_id)
    new_fns = _statement_functions(parsers.parse(new, lang_id), new, lang_id)
    shared = {text for *_, text in old_fns} & {text for *_, text in new_fns}
    if not shared:
        return None
    old_part = _without(old, [(s, e) for s, e, text in old_fns if text in shared])
    new_part = _without(new, [(s, e) for s, e, text in new_fns if text in shared])
    return old_part.decode("utf-8", "surrogatepass"), new_part.decode("utf-8", "surrogatepass")
