"""The one filter chain every single-file commit goes through (Beam-free).

Mined git commits (``git_commits``), commit-export rows (``sources.commit_export``) and
Hugging Face commit rows (``sources.hf_dataset``) all call these checks, so a change
is kept or dropped for the same reason whichever source it came from:

1. ``check_message``   low-signal, too short/long, no criterion term (``terms``).
2. ``check_path``      vendored folders, generated file names.
3. ``check_change``    generated-code headers; terms that are only the file's own name
                       (``term_only_in_path``); fc/ee/me claims on test or benchmark harness
                       files (``harness_file``); changes that leave the tree-sitter token
                       stream unchanged (``whitespace_only``) or change only comments
                       (``comment_only``).

Each failed check is a drop reason (also the dead-letter reason and counter name) with a
one-line detail. Token streams come from the tree-sitter grammars of
``transforms.tagging.parsers``: leaves in document order, string-like nodes taken whole
(their inner whitespace is content), comment subtrees apart, and each token with its
depth in the tree so a Python re-indent that moves a statement out of a block is a change.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from transforms.mining import terms as term_lists
from transforms.mining.terms import TermMatch

if TYPE_CHECKING:  # the config lives with the git miner; importing it here would be circular
    from transforms.mining.git_commits import MiningConfig

# Drop reasons of this chain (git_commits re-exports them in its DROP_REASONS order).
LOW_SIGNAL_MESSAGE = "low_signal_message"
MESSAGE_TOO_SHORT = "message_too_short"
MESSAGE_TOO_LONG = "message_too_long"
NO_CRITERION_TERMS = "no_criterion_terms"
VENDORED_PATH = "vendored_path"
GENERATED_FILE = "generated_file"
TERM_ONLY_IN_PATH = "term_only_in_path"
HARNESS_FILE = "harness_file"
WHITESPACE_ONLY = "whitespace_only"
COMMENT_ONLY = "comment_only"

# Criteria a change to a test or benchmark harness cannot support: a faster or leaner
# benchmark driver says nothing about the code it measures, and "fix the edge case" on a
# test file adds or fixes a test, not the behaviour of the code under test.
HARNESS_BLIND_CRITERIA = frozenset({"fc", "ee", "me"})


@dataclass(frozen=True)
class MessageCheck:
    matches: tuple[TermMatch, ...]
    reason: str | None

    @property
    def criteria(self) -> list[str]:
        return term_lists.criteria_of(list(self.matches))


def message_matches(message: str, config: "MiningConfig") -> MessageCheck:
    """The message's term matches for the configured criteria, or the reason it is dropped."""
    text = message.strip()
    first_line = text.split("\n", 1)[0].strip().lower()
    normalised = re.sub(r"[\s.!]+$", "", first_line)
    if normalised in config.low_signal_messages or first_line.startswith(config.low_signal_prefixes):
        return MessageCheck((), LOW_SIGNAL_MESSAGE)
    if len(text) < config.min_message_chars:
        return MessageCheck((), MESSAGE_TOO_SHORT)
    if len(text) > config.max_message_chars:
        return MessageCheck((), MESSAGE_TOO_LONG)
    matches = tuple(m for m in term_lists.find_matches(message) if m.criterion in config.criteria)
    return MessageCheck(matches, None if matches else NO_CRITERION_TERMS)


def check_message(message: str, config: "MiningConfig") -> tuple[list[str], str | None]:
    """(criteria the message points to, drop reason or None)."""
    found = message_matches(message, config)
    return (found.criteria, None) if found.reason is None else ([], found.reason)


def is_vendored(path: str, config: "MiningConfig") -> bool:
    return any(part.lower() in config.vendored_dirs for part in path.split("/")[:-1])


def is_generated_path(path: str, config: "MiningConfig") -> bool:
    base = path.rsplit("/", 1)[-1].lower()
    return any(fnmatch.fnmatchcase(base, g) for g in config.generated_globs)


def has_generated_marker(text: str, config: "MiningConfig") -> bool:
    head = "\n".join(text.split("\n", config.generated_marker_lines)[: config.generated_marker_lines]).lower()
    return any(marker in head for marker in config.generated_markers)


def is_harness_path(path: str, config: "MiningConfig") -> bool:
    """A test or benchmark harness file: in a test/bench folder, or named like one."""
    parts = path.split("/")
    if any(part.lower() in config.harness_dirs for part in parts[:-1]):
        return True
    base = parts[-1]
    return any(fnmatch.fnmatchcase(base, g) or fnmatch.fnmatchcase(base.lower(), g) for g in config.harness_globs)


def check_path(path: str, config: "MiningConfig") -> tuple[str, str] | None:
    """(reason, detail) for a path no commit from it may use, else None."""
    if is_vendored(path, config):
        return VENDORED_PATH, path
    if is_generated_path(path, config):
        return GENERATED_FILE, path
    return None


# --------------------------------------------------------------------------- token streams

_ATOMIC = re.compile(r"string|char|heredoc|regex|template_literal|raw_str|interpreted_str|rune_lit")


def _is_comment(node) -> bool:
    return "comment" in node.type


def token_streams(code: str, language_id: str) -> tuple[tuple, tuple] | None:
    """(code tokens, comment tokens) of ``code``, each token ``(depth, type, text)``;
    None when the language has no grammar here."""
    from transforms.tagging import parsers  # tree-sitter is loaded only where changes are checked

    try:
        tree = parsers.parse(code.encode("utf-8"), language_id)
    except (KeyError, ImportError, AttributeError):
        return None
    data = code.encode("utf-8")

    def text_of(start: int, stop: int) -> str:
        return data[start:stop].decode("utf-8", "replace")

    code_tokens, comments = [], []
    stack: list = [(tree.root_node, 0, None)]  # (node, depth, ready token): a LIFO walk in document order
    while stack:
        node, depth, token = stack.pop()
        if token is not None:
            code_tokens.append(token)
            continue
        if _is_comment(node):
            comments.append((depth, node.type, " ".join(text_of(node.start_byte, node.end_byte).split())))
            continue
        if node.child_count == 0 or _ATOMIC.search(node.type):
            text = text_of(node.start_byte, node.end_byte)
            if text.strip():
                code_tokens.append((depth, node.type, text))
            continue
        # Text between children that no child covers (grammars that leave string content or
        # punctuation unnamed) is a token too, so no non-blank change goes unseen.
        pos, pieces = node.start_byte, []
        for child in node.children:
            gap = text_of(pos, child.start_byte).strip()
            if gap:
                pieces.append((None, depth + 1, (depth + 1, "_gap", gap)))
            pieces.append((child, depth + 1, None))
            pos = max(pos, child.end_byte)
        gap = text_of(pos, node.end_byte).strip()
        if gap:
            pieces.append((None, depth + 1, (depth + 1, "_gap", gap)))
        stack.extend(reversed(pieces))
    return tuple(code_tokens), tuple(comments)


def change_kind(before: str, after: str, language_id: str) -> str | None:
    """``whitespace_only`` / ``comment_only`` when the change leaves the code tokens alone, else None.

    Without a grammar the text decides: equal once whitespace is removed is whitespace-only."""
    a, b = token_streams(before, language_id), token_streams(after, language_id)
    if a is None or b is None:
        return WHITESPACE_ONLY if "".join(before.split()) == "".join(after.split()) else None
    if a[0] != b[0]:
        return None
    return WHITESPACE_ONLY if a[1] == b[1] else COMMENT_ONLY


def check_change(message: str, matches: tuple[TermMatch, ...], path: str, language_id: str, before: str,
                 after: str, config: "MiningConfig") -> tuple[tuple[TermMatch, ...], str | None, str | None]:
    """(matches still standing, drop reason or None, detail) for a decoded single-file change."""
    if has_generated_marker(before, config) or has_generated_marker(after, config):
        return (), GENERATED_FILE, f"{path}: generated-code header"
    kept = tuple(term_lists.matches_outside_path(list(matches), message, path))
    if not kept:
        said = ", ".join(sorted({message[m.start:m.end] for m in matches}))
        return (), TERM_ONLY_IN_PATH, f"{said!r} is the file's own name ({path})"
    if is_harness_path(path, config):
        without = tuple(m for m in kept if m.criterion not in HARNESS_BLIND_CRITERIA)
        if not without:
            return (), HARNESS_FILE, f"{path}: fc/ee/me claim on a test or benchmark file"
        kept = without
    kind = change_kind(before, after, language_id)
    if kind is not None:
        return (), kind, f"{path}: the tree-sitter code tokens are unchanged"
    return kept, None, None


# --------------------------------------------------------------------------- what a change does (label checks)

_LITERAL = re.compile(r"number|integer|float|string|char|literal|^true$|^false$|^null$|^nil$|^none$|rune|escape|"
                      r"heredoc|regex|template")
_NUMBER = re.compile(r"number|integer|float|int_literal|decimal|hex")
_LOOP = re.compile(r"^(for|while|do|foreach|for_in|for_range|range_based_for|enhanced_for|until|loop)(_statement|_expression|_loop)?$|"
                   r"^(for_statement|while_statement|do_statement|for_in_statement|for_of_statement|"
                   r"foreach_statement|enhanced_for_statement|for_range_loop|while_modifier|until_modifier)$")
_FUNCTION = re.compile(r"function|method|constructor")
_CALL = re.compile(r"^(call|call_expression|method_invocation|invocation_expression|function_call)$")
# Identifiers near a literal that make it a size: a bigger one of these allocates more.
SIZE_WORDS = re.compile(r"buf|buffer|cache|capacity|cap|size|alloc|pool|chunk|block|len|length|limit|max|heap|"
                        r"memory|mem|reserve|queue|window|batch|page|arena|slab|stack", re.IGNORECASE)


def masked_code_tokens(code: str, language_id: str) -> tuple | None:
    """Code tokens with every literal's value replaced by its type: equal streams mean a change
    of constants only."""
    streams = token_streams(code, language_id)
    if streams is None:
        return None
    return tuple((d, t, t if _LITERAL.search(t) else text) for d, t, text in streams[0])


def _number(text: str) -> float | None:
    cleaned = re.sub(r"[_'](?=\d)", "", text.strip()).rstrip("uUlLfFdDmMnN")
    try:
        return float(int(cleaned, 0)) if re.match(r"^[+-]?0[xXbBoO]", cleaned) else float(cleaned)
    except ValueError:
        return None


def _show(x: float) -> str:
    return str(int(x)) if x.is_integer() else f"{x:g}"


def _is_number(token: tuple) -> bool:
    # A C/C++ ``#define NAME 4096`` keeps its value as one preprocessor-argument token.
    return bool(_NUMBER.search(token[1])) or (token[1] == "preproc_arg" and _number(token[2]) is not None)


def size_increases(before: str, after: str, language_id: str) -> list[str]:
    """Numeric literals that grew where a size word names them (``BUF_SIZE = 16384`` -> ``1 << 20``
    counts through the literal that changed): each as ``name: old -> new``."""
    import difflib
    a, b = token_streams(before, language_id), token_streams(after, language_id)
    if a is None or b is None:
        return []
    old, new = list(a[0]), list(b[0])
    found = []
    ops = difflib.SequenceMatcher(None, [t[1:] for t in old], [t[1:] for t in new], autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        if op == "insert":
            # ``SIZE`` -> ``SIZE * 64`` or ``SIZE << 4``: a multiplier inserted next to a size.
            added = new[j1:j2]
            for k in range(1, len(added)):
                value = _number(added[k][2]) if _is_number(added[k]) else None
                if added[k - 1][2] in ("*", "<<") and value is not None and value > 1:
                    context = [t[2] for t in new[max(0, j1 - 8):j1 + k]]
                    named = [w for w in context if SIZE_WORDS.search(w) and re.match(r"^[A-Za-z_]\w*$", w)]
                    if named:
                        found.append(f"{named[-1]}: {added[k - 1][2]} {_show(value)}")
                        break
            continue
        if op != "replace":
            continue
        olds = [_number(t[2]) for t in old[i1:i2] if _is_number(t)]
        news = [_number(t[2]) for t in new[j1:j2] if _is_number(t)]
        olds, news = [x for x in olds if x is not None], [x for x in news if x is not None]
        if not olds or not news or max(news) <= max(olds):
            continue
        context = [t[2] for t in new[max(0, j1 - 8):j1] if not _is_number(t)]
        named = [w for w in context if SIZE_WORDS.search(w) and re.match(r"^[A-Za-z_]\w*$", w)]
        if named:
            found.append(f"{named[-1]}: {_show(max(olds))} -> {_show(max(news))}")
    return found


def _name_of(node) -> str | None:
    for field in ("name", "declarator"):
        child = node.child_by_field_name(field)
        depth = 0
        while child is not None and depth < 6:
            if "identifier" in child.type or child.type in ("name", "constant", "field_identifier"):
                return child.text.decode("utf-8", "replace")
            nxt = child.child_by_field_name("declarator") or child.child_by_field_name("name")
            child, depth = nxt, depth + 1
    return None


def loops_and_recursion(code: str, language_id: str) -> tuple[int, int] | None:
    """(loop statements, calls of a function to itself) in ``code``; None without a grammar."""
    from transforms.tagging import parsers
    try:
        tree = parsers.parse(code.encode("utf-8"), language_id)
    except (KeyError, ImportError, AttributeError):
        return None
    loops = recursive = 0
    stack = [(tree.root_node, ())]
    while stack:
        node, names = stack.pop()
        if node.is_named and _LOOP.search(node.type):
            loops += 1
        if _FUNCTION.search(node.type) and node.named_child_count:
            name = _name_of(node)
            if name:
                names = names + (name,)
        if _CALL.match(node.type) and names:
            callee = (node.child_by_field_name("function") or node.child_by_field_name("name")
                      or node.child_by_field_name("method") or (node.children[0] if node.children else None))
            if callee is not None:
                last = re.findall(r"\w+", callee.text.decode("utf-8", "replace"))
                if last and last[-1] in names:
                    recursive += 1
        stack.extend((child, names) for child in node.children)
    return loops, recursive


_FUNCTION_DEFS = frozenset({
    "function_definition", "function_declaration", "method_declaration", "method_definition", "function_item",
    "constructor_declaration", "method", "singleton_method", "generator_function_declaration", "local_function_statement",
})


def _masked(tokens) -> tuple:
    return tuple((t, t if _LITERAL.search(t) else text) for _, t, text in tokens)


def function_bodies(code: str, language_id: str) -> list[tuple] | None:
    """Each function or method of ``code`` as its code tokens with literals masked (docstrings and
    comments do not count); None without a grammar."""
    from transforms.tagging import parsers
    try:
        tree = parsers.parse(code.encode("utf-8"), language_id)
    except (KeyError, ImportError, AttributeError):
        return None
    data = code.encode("utf-8")
    out, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in _FUNCTION_DEFS:
            text = data[node.start_byte:node.end_byte].decode("utf-8", "replace")
            streams = token_streams(text, language_id)
            if streams is not None:
                out.append(_masked(streams[0]))
            continue  # nested functions are part of their parent's body
        stack.extend(node.children)
    return out


def only_adds_beside_old_code(before: str, after: str, language_id: str) -> bool:
    """True when the change leaves every existing function as it was and only adds code beside it
    (a new, faster variant next to the old one does not make the old code faster)."""
    old, new = function_bodies(before, language_id), function_bodies(after, language_id)
    if old is None or new is None:
        return False
    if old:
        remaining = list(new)
        for body in old:
            if body not in remaining:
                return False
            remaining.remove(body)
        return bool(remaining)
    a, b = token_streams(before, language_id), token_streams(after, language_id)
    if a is None or b is None:
        return False
    import difflib
    ops = difflib.SequenceMatcher(None, _masked(a[0]), _masked(b[0]), autojunk=False).get_opcodes()
    return all(op in ("equal", "insert") for op, *_ in ops) and any(op == "insert" for op, *_ in ops)


def changed_share(before: str, after: str, language_id: str) -> float | None:
    """Code tokens inserted, deleted or replaced, as a share of the old file's code tokens."""
    import difflib
    a, b = token_streams(before, language_id), token_streams(after, language_id)
    if a is None or b is None:
        return None
    ops = difflib.SequenceMatcher(None, [t[1:] for t in a[0]], [t[1:] for t in b[0]], autojunk=False).get_opcodes()
    changed = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")
    return changed / max(1, len(a[0]))
