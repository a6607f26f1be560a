"""Security rule pack: tree-sitter queries in ``rules/<language_id>.toml``.

Each rule carries id, severity, CWE, message, a query (captures: ``@hit`` marks
the reported node) and inline ``positive``/``negative`` examples that the tests
run. All rules of a language are compiled into one query, so a file is scanned
in a single pass; pattern indices map back to rules.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import tree_sitter as ts

from transforms.tagging import parsers

SEVERITIES = ("low", "medium", "high")
HIT = "hit"


@dataclass(frozen=True)
class Rule:
    id: str
    language: str
    severity: str
    cwe: str
    message: str
    query: str
    positive: str
    negative: str


@cache
def rules(lang_id: str) -> tuple[Rule, ...]:
    """The rule pack of a language (empty when it has no rule file)."""
    resource = resources.files(__package__).joinpath("rules", f"{lang_id}.toml")
    if not resource.is_file():
        return ()
    table = tomllib.loads(resource.read_text("utf-8"))
    language = table["language"]
    out = []
    for row in table["rule"]:
        rule = Rule(id=row["id"], language=language, severity=row["severity"], cwe=row["cwe"],
                    message=row["message"], query=row["query"], positive=row["positive"], negative=row["negative"])
        if rule.severity not in SEVERITIES:
            raise ValueError(f"rule {rule.id}: severity {rule.severity!r} not in {SEVERITIES}")
        out.append(rule)
    return tuple(out)


@cache
def compiled(lang_id: str) -> tuple[ts.Query | None, tuple[Rule, ...]]:
    """One query holding every rule's patterns, and the rule behind each pattern index."""
    owners: list[Rule] = []
    sources = []
    for rule in rules(lang_id):
        owners.extend([rule] * parsers.query(lang_id, rule.query).pattern_count)
        sources.append(rule.query)
    if not sources:
        return None, ()
    return ts.Query(parsers.grammar(lang_id), "\n".join(sources)), tuple(owners)


def scan_tree(tree: ts.Tree, lang_id: str, only: Rule | None = None) -> list[dict]:
    """Findings of the rule pack (or of one rule) in a parsed tree."""
    if only is not None:
        query, owners = parsers.query(lang_id, only.query), None
    else:
        query, owners = compiled(lang_id)
        if query is None:
            return []
    found = {}
    for index, captures in ts.QueryCursor(query).matches(tree.root_node):
        rule = only if owners is None else owners[index]
        nodes = captures.get(HIT) or next(iter(captures.values()))
        line = nodes[0].start_point[0] + 1
        found[(line, rule.id)] = {"rule_id": rule.id, "severity": rule.severity, "cwe": rule.cwe, "line": line}
    return [found[key] for key in sorted(found)]


def scan(code: str, language: str) -> list[dict]:
    """Security findings ``{rule_id, severity, cwe, line}``, sorted by line then rule id."""
    lang_id = parsers.language_id(language)
    if lang_id is None:
        return []
    return scan_tree(parsers.parse(code.encode("utf-8"), lang_id), lang_id)
