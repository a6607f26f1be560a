"""Offline instructions for commit pairs: what the file is for and what the change asks (Beam-free).

Without an LLM writer the instruction is assembled from the file itself and the commit:

* the file's own description: a module docstring, else the comment block at the top of
  the file, else the doc comment of its first definition; licence and copyright
  paragraphs, preprocessor lines (``#include``, ``#define``), shebangs, encoding and
  linter pragmas are never taken;
* its public function and type signatures (tree-sitter, up to ``MAX_SIGNATURES``);
* the commit subject rewritten as a request ("Fixed crash on empty input" -> "fix crash
  on empty input"); subjects that only name a file ("Update foo.py") are left out.

One of four styles (assignment, qa, search, contest: the LLM writer's styles) is picked
by a stable hash of the sample id. No instruction contains licence text:
``contains_license_text`` is the check, applied here and by the audit to the shards.
"""
from __future__ import annotations

import re

from schemas.languages import get as get_language
from transforms.common import stable_id

STYLES = ("assignment", "qa", "search", "contest")
MAX_DESCRIPTION = 320
MAX_SIGNATURES = 6
MAX_SIGNATURE_CHARS = 110

# Phrases that mark licence or copyright text (lowercase).
LICENSE_PHRASES = (
    "copyright", "(c) 20", "(c) 19", "©", "all rights reserved", "permission is hereby granted", "licensed under",
    "license", "licence", "redistribution and use", "warranty", "without warranties", "spdx-license-identifier",
    "gnu general public", "free software foundation", "apache license", "mit license",
)
# Comment lines that are tooling, not description.
_PRAGMA = re.compile(r"^(?:!|-\*-|vim?:|eslint|jshint|jslint|prettier|noqa|pylint|type:|flake8|mypy|rubocop|"
                     r"frozen_string_literal|encoding[:=]|coding[:=]|go:|\+build|nolint|clang-format|"
                     r"@ts-|istanbul|pragma|region|endregion|#|=begin|=end|@file|@author|@date|@version|"
                     r"author:|date:|created|modified|file:|filename:|@since|@package|@module)", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
_QUOTES = re.compile(r"^[rRbBuUfF]*(?:\"{3}|'{3}|\"|')|(?:\"{3}|'{3}|\"|')$")
# Top-level nodes passed over on the way to the description (directives, imports, packages).
_SKIPPED_TOP = re.compile(r"preproc|import|package|using|include|require|use_declaration|shebang|hash_bang|"
                          r"namespace_statement|extern_alias|directive")
DEFINITIONS = frozenset({
    "function_definition", "function_declaration", "method_declaration", "method_definition", "function_item",
    "constructor_declaration", "method", "singleton_method", "generator_function_declaration",
    "class_declaration", "class_definition", "class", "module", "class_specifier", "struct_specifier",
    "interface_declaration", "enum_declaration", "struct_declaration", "record_declaration", "type_spec",
    "struct_item", "trait_item", "enum_item", "impl_item", "decorated_definition_inner",
})
_BODY_FIELDS = ("body", "block")

PAST_TO_IMPERATIVE = {
    "fixed": "fix", "fixes": "fix", "fixing": "fix", "added": "add", "adds": "add", "adding": "add",
    "improved": "improve", "improves": "improve", "improving": "improve", "optimized": "optimize",
    "optimizes": "optimize", "optimised": "optimise", "optimises": "optimise", "updated": "update",
    "updates": "update", "removed": "remove", "removes": "remove", "reduced": "reduce", "reduces": "reduce",
    "replaced": "replace", "replaces": "replace", "used": "use", "uses": "use", "made": "make", "makes": "make",
    "changed": "change", "changes": "change", "refactored": "refactor", "refactors": "refactor",
    "simplified": "simplify", "simplifies": "simplify", "sped": "speed", "speeds": "speed", "avoided": "avoid",
    "avoids": "avoid", "prevented": "prevent", "prevents": "prevent", "handled": "handle", "handles": "handle",
    "corrected": "correct", "corrects": "correct", "cleaned": "clean", "cleans": "clean", "renamed": "rename",
    "renames": "rename", "implemented": "implement", "implements": "implement", "ensured": "ensure",
    "ensures": "ensure", "rewrote": "rewrite", "rewrites": "rewrite", "moved": "move", "moves": "move",
    "converted": "convert", "converts": "convert", "extracted": "extract", "extracts": "extract",
    "sanitized": "sanitize", "sanitizes": "sanitize", "escaped": "escape", "escapes": "escape",
    "validated": "validate", "validates": "validate", "checked": "check", "checks": "check",
    "switched": "switch", "switches": "switch", "stopped": "stop", "stops": "stop", "cached": "cache",
    "memoized": "memoize", "streamed": "stream", "streams": "stream", "lowered": "lower", "lowers": "lower",
}
_FILE_ONLY_SUBJECT = re.compile(r"^(?:update|create|add|added|delete|rename|upload|modify|edit|edited|updated|"
                                r"created)\s+(?:files?\s+via\s+upload|[\w./ -]*\.\w{1,5})\s*$", re.IGNORECASE)


def contains_license_text(text: str) -> bool:
    """Whether ``text`` carries licence or copyright wording."""
    lower = text.lower()
    return any(p in lower for p in LICENSE_PHRASES)


def _comment_text(raw: str) -> list[str]:
    """A comment's lines without markers (``//``, ``#``, ``/*``, `` * ``, ``--``, ``=begin``)."""
    lines = []
    for line in raw.replace("\r", "").split("\n"):
        t = line.strip()
        t = re.sub(r"^(?:/\*+!?|\*+/|\*+|//+!?|#+|--+|;+|=begin|=end|\"\"\"|''')", "", t).strip()
        t = re.sub(r"\*+/$", "", t).strip()
        lines.append(t)
    return lines


def _paragraphs(lines: list[str]) -> list[str]:
    paras, cur = [], []
    for line in lines + [""]:
        if line and not _PRAGMA.match(line) and not re.fullmatch(r"[-=*#_~/\\ ]+", line):
            line = re.sub(r"^@(?:brief|summary|description|desc)\s+", "", line)
            cur.append(line)
        elif cur:
            paras.append(" ".join(cur))
            cur = []
    return paras


def _clean_description(raw: str) -> str:
    paras = [p for p in _paragraphs(_comment_text(raw)) if not contains_license_text(p)]
    text = _URL.sub("", " ".join(paras))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_DESCRIPTION:  # end on a sentence when one ends early enough
        cut = text[:MAX_DESCRIPTION]
        stop = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
        text = cut[:stop + 1] if stop > MAX_DESCRIPTION // 3 else cut.rsplit(" ", 1)[0] + "..."
    return text


def _tree(code: str, language_id: str):
    from transforms.tagging import parsers
    try:
        return parsers.parse(code.encode("utf-8"), language_id)
    except (KeyError, ImportError, AttributeError):
        return None


def _docstring(node) -> str | None:
    """A Python docstring: the first statement (after comments) of a module/function body being a string."""
    first = next((c for c in node.named_children if "comment" not in c.type), None)
    if first is not None and first.type == "expression_statement" and first.named_child_count \
            and first.named_children[0].type == "string":
        raw = first.named_children[0].text.decode("utf-8", "replace")
        return _QUOTES.sub("", raw.strip())
    return None


def file_description(code: str, language_id: str) -> str:
    """The file's own description (docstring / top comment / first definition's doc comment), cleaned."""
    tree = _tree(code, language_id)
    if tree is None:
        return ""
    root = tree.root_node
    doc = _docstring(root)
    if doc:
        found = _clean_description(doc)
        if found:
            return found
    comments, first_definition = [], None
    for child in root.children:
        if "comment" in child.type:
            comments.append(child.text.decode("utf-8", "replace"))
            continue
        if _SKIPPED_TOP.search(child.type) or (child.type == "expression_statement" and child.named_child_count
                                               and child.named_children[0].type == "string"):
            if comments and _clean_description("\n".join(comments)):
                break  # a description block ended at the first directive after it
            comments = []  # a licence header before the imports is not the description
            continue
        first_definition = child
        break
    found = _clean_description("\n".join(comments)) if comments else ""
    if found:
        return found
    # The doc comment right above the first definition (Javadoc, Go doc, rustdoc...).
    first_definition = next((c for c in root.children if c.type in DEFINITIONS or c.type in (
        "export_statement", "decorated_definition")), first_definition)
    if first_definition is not None:
        prev = first_definition.prev_sibling
        block = []
        while prev is not None and "comment" in prev.type:
            block.insert(0, prev.text.decode("utf-8", "replace"))
            prev = prev.prev_sibling
        found = _clean_description("\n".join(block))
        if found:
            return found
        if first_definition.type in ("class_definition", "function_definition"):
            body = first_definition.child_by_field_name("body")
            doc = _docstring(body) if body is not None else None
            if doc:
                return _clean_description(doc)
    return ""


def _is_public(name: str | None) -> bool:
    return bool(name) and (not name.startswith("_") or name in ("__init__", "__call__"))


def signatures(code: str, language_id: str) -> list[str]:
    """Public function and type signatures, in file order: the text of a definition up to its body."""
    tree = _tree(code, language_id)
    if tree is None:
        return []
    data = code.encode("utf-8")
    out: list[str] = []
    stack = [(tree.root_node, 0)]
    order: list = []
    while stack:
        node, depth = stack.pop()
        if depth > 4:
            continue
        if node.is_named and node.type in DEFINITIONS and not (node.type in ("struct_specifier", "class_specifier")
                                             and node.child_by_field_name("body") is None):
            body = next((node.child_by_field_name(f) for f in _BODY_FIELDS if node.child_by_field_name(f) is not None),
                        None)
            end = body.start_byte if body is not None else node.end_byte
            head = data[node.start_byte:end].decode("utf-8", "replace")
            head = re.sub(r"\s+", " ", head).strip().rstrip("{:=").strip()
            name_node = node.child_by_field_name("name")
            name = name_node.text.decode("utf-8", "replace") if name_node is not None else head
            if head and _is_public(name) and not head.startswith(("static ", "private ", "internal "))\
                    and len(head) <= MAX_SIGNATURE_CHARS and not contains_license_text(head):
                order.append((node.start_byte, head))
        stack.extend((child, depth + 1) for child in node.children)
    for _, head in sorted(order):
        if head not in out:
            out.append(head)
    return out[:MAX_SIGNATURES]


def subject_request(message: str | None) -> str:
    """The commit subject as a request ("Fixed a crash on empty input (#12)" -> "fix a crash on
    empty input"); empty when the subject only names a file or is missing."""
    if not message:
        return ""
    subject = message.strip().split("\n", 1)[0].strip()
    subject = re.sub(r"^[\w-]+(?:\([^)]*\))?!?:\s*", "", subject)         # conventional-commit prefix
    subject = re.sub(r"\s*\((?:#|gh-)\d+\)\s*$|\s*#\d+\s*$|\s*\[[^\]]*\]\s*$", "", subject)
    subject = subject.strip().rstrip(".!").strip()
    if not subject or _FILE_ONLY_SUBJECT.match(subject) or contains_license_text(subject):
        return ""
    words = subject.split(" ")
    first = words[0]
    verb = PAST_TO_IMPERATIVE.get(first.lower(), first.lower() if not re.match(r"^[A-Z]{2,}", first) else first)
    return " ".join([verb] + words[1:])


def offline_instruction(sample: dict) -> tuple[str, str]:
    """(instruction, style) for a commit sample: the file's purpose, interface and the requested change."""
    lang = get_language(sample["language"]).name
    path, repo = sample["path"], sample["repo"]
    source = sample.get("code_before") or sample["code"]
    desc = file_description(source, sample["language"])
    sigs = signatures(source, sample["language"])
    request = subject_request(sample.get("message"))
    key = sample.get("sample_id") or f"{repo}:{sample.get('commit')}:{path}"
    style = STYLES[stable_id(key, "offline_style") % len(STYLES)]
    text = _render(style, lang, path, repo, desc, sigs, request)
    if contains_license_text(text):  # never ship licence text: fall back to the bare task
        text = _render(style, lang, path, repo, "", [], "")
    return text, style


def _render(style: str, lang: str, path: str, repo: str, desc: str, sigs: list[str], request: str) -> str:
    about = f" {desc}" if desc else ""
    sig_list = "; ".join(f"`{s}`" for s in sigs)
    if style == "assignment":
        parts = [f"Implement the {lang} file `{path}` of the {repo} project.{about}"]
        if sigs:
            parts.append(f"It provides {sig_list}.")
        if request:
            parts.append(f"In this version, {request}.")
        parts.append("Return the complete file.")
        return " ".join(parts)
    if style == "qa":
        parts = [f"I'm working on `{path}` ({lang}) in {repo}.{about}"]
        if sigs:
            parts.append(f"It has {sig_list}.")
        parts.append(f"Can you write the file so that it does what it should{' and ' + request if request else ''}? "
                     f"Please show the whole file.")
        return " ".join(parts)
    if style == "search":
        words = " ".join(re.findall(r"[A-Za-z0-9]+", path.rsplit("/", 1)[-1].rsplit(".", 1)[0]))
        head = f"{lang} {words}: {desc}" if desc else f"{lang} {words}"
        tail = f" ({request})" if request else ""
        iface = f" Interface: {sig_list}." if sigs else ""
        return f"{head}{tail} - full source of `{path}`.{iface}"
    lines = [f"Task: write the {lang} source file `{path}` ({repo})."]
    if desc:
        lines.append(f"Description: {desc}")
    if sigs:
        lines.append("Required interface:\n" + "\n".join(f"- `{s}`" for s in sigs))
    if request:
        lines.append(f"Requirement: {request}.")
    lines.append("Output: the complete file.")
    return "\n".join(lines)
