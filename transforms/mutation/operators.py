"""Tree-sitter mutation operators (Beam-free): small, deterministic edits of a program.

Every operator finds *sites* in the parse tree (a byte span and its replacement); a mutant is
the program with one site replaced. What counts as a site is data, per language, in
``operators.toml`` next to this module; this code lists no node types. The operators:

  comparison_swap   ``<`` -> ``>``, ``==`` -> ``!=`` ...
  boundary_shift    ``<`` <-> ``<=``, ``>`` <-> ``>=`` (off-by-one in bounds)
  arithmetic_swap   ``+`` <-> ``-``, ``*`` <-> ``/``, ``+=`` <-> ``-=`` ...
  constant_shift    an integer literal +1 or -1 (off-by-one in constants)
  drop_statement    an expression statement removed from its block
  swap_arguments    two adjacent, different arguments of a call swapped
  negate_condition  the condition of an if/while/for negated

``mutants`` picks a few mutants with a seeded generator, so the same program, seed and count
always give the same mutants. A mutant may still be correct (an equivalent mutant) or fail to
compile; only execution decides whether it becomes a pair.
"""
from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from transforms.tagging.parsers import parse, verify

TOKEN_OPERATORS = ("comparison_swap", "boundary_shift", "arithmetic_swap")
OPERATORS = TOKEN_OPERATORS + ("constant_shift", "drop_statement", "swap_arguments", "negate_condition")
_DECIMAL = re.compile(rb"[0-9]+")


@dataclass(frozen=True)
class Site:
    """One possible edit: replace ``code[start:end]`` with ``text``."""
    operator: str
    start: int
    end: int
    text: bytes


@dataclass(frozen=True)
class Mutant:
    operator: str
    code: str
    detail: str  # what changed, for dead letters and reports ("line 3: '<' -> '<='")


@cache
def table() -> dict:
    """``operators.toml``: the shared token swaps and the per-language node types."""
    return tomllib.loads(resources.files(__package__).joinpath("operators.toml").read_text("utf-8"))


def languages() -> tuple[str, ...]:
    return tuple(k for k in table() if k != "operators")


def _walk(root):
    """Every node in source order, not entering ERROR nodes (text tree-sitter could not read)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if not (node.is_error or node.is_missing):
            stack.extend(reversed(node.children))


def _token_sites(node, spec: dict, swaps: dict) -> list[Site]:
    out = []
    parents = set(spec["operator_parents"])
    for op, mapping in swaps.items():
        if not node.is_named and node.parent is not None and node.parent.type in parents:
            new = mapping.get(node.type)
            if new is not None:
                out.append(Site(op, node.start_byte, node.end_byte, new.encode()))
    return out


def _integer_sites(node, spec: dict) -> list[Site]:
    if node.type not in spec["integers"] or not _DECIMAL.fullmatch(node.text):
        return []
    value = int(node.text)
    shifted = [value + 1] + ([value - 1] if value > 0 else [])
    return [Site("constant_shift", node.start_byte, node.end_byte, str(v).encode()) for v in shifted]


def _drop_sites(node, spec: dict) -> list[Site]:
    if node.type not in spec["statements"] or node.parent is None or node.parent.type not in spec["statement_parents"]:
        return []
    first = node.named_children[0] if node.named_children else None
    if first is not None and first.type in spec["keep_if_child"]:
        return []
    return [Site("drop_statement", node.start_byte, node.end_byte, spec["dropped"].encode())]


def _argument_sites(node, spec: dict) -> list[Site]:
    if node.type not in spec["argument_lists"]:
        return []
    skip = set(spec["argument_skip"])
    args = [c for c in node.named_children if c.type not in skip]
    if len(args) != len([c for c in node.named_children if c.type != "comment"]):
        return []  # keyword arguments or splats: positions do not map to parameters
    out = []
    for a, b in zip(args, args[1:]):
        if a.text != b.text:
            swapped = b.text + node.text[a.end_byte - node.start_byte:b.start_byte - node.start_byte] + a.text
            out.append(Site("swap_arguments", a.start_byte, b.end_byte, swapped))
    return out


def _condition_sites(node, spec: dict) -> list[Site]:
    if node.type not in spec["conditions"]:
        return []
    cond = node.child_by_field_name("condition")
    if cond is None:
        return []
    template = spec["negate_wrapped"] if cond.type in spec["wrapped"] else spec["negate"]
    return [Site("negate_condition", cond.start_byte, cond.end_byte,
                 template.format(cond.text.decode("utf-8")).encode())]


def sites(code: str, language: str) -> dict[str, list[Site]]:
    """operator -> its sites in ``code``, in source order (every operator present, maybe empty)."""
    spec = table()[language]
    swaps = table()["operators"]
    data = code.encode("utf-8")
    tree = parse(data, language)
    found: dict[str, list[Site]] = {op: [] for op in OPERATORS}
    for node in _walk(tree.root_node):
        if node.is_error or node.is_missing:
            continue  # never edit text tree-sitter could not read
        for site in (_token_sites(node, spec, swaps) + _integer_sites(node, spec) + _drop_sites(node, spec)
                     + _argument_sites(node, spec) + _condition_sites(node, spec)):
            found[site.operator].append(site)
    return found


def apply(code: str, site: Site) -> str:
    data = code.encode("utf-8")
    return (data[:site.start] + site.text + data[site.end:]).decode("utf-8")


def describe(code: str, site: Site) -> str:
    data = code.encode("utf-8")
    line = data[:site.start].count(b"\n") + 1
    old = data[site.start:site.end].decode("utf-8", "replace")
    return f"line {line}: {_short(old)!r} -> {_short(site.text.decode('utf-8'))!r}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def error_count(code: str, language: str) -> int:
    """ERROR and MISSING nodes in the parse of ``code`` (as the tagger counts them)."""
    data = code.encode("utf-8")
    return verify(parse(data, language), data).error_count


def mutants(code: str, language: str, n: int, rng: random.Random) -> list[Mutant]:
    """Up to ``n`` distinct mutants, each from a different operator while operators last.

    Operators are visited in a shuffled order and each contributes one random site per
    round, so a program with many comparisons does not get only comparison swaps."""
    by_op = {op: list(found) for op, found in sites(code, language).items() if found}
    order = sorted(by_op)
    rng.shuffle(order)
    out: list[Mutant] = []
    seen = {code}
    while len(out) < n and order:
        for op in list(order):
            if len(out) >= n:
                break
            pool = by_op[op]
            site = pool.pop(rng.randrange(len(pool)))
            if not pool:
                order.remove(op)
            mutated = apply(code, site)
            if mutated not in seen:
                seen.add(mutated)
                out.append(Mutant(op, mutated, describe(code, site)))
    return out
