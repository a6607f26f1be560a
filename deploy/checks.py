"""Static checks of the deployment files: a small Dockerfile linter and manifest helpers.

Pure functions over file text or parsed YAML/JSON; tests/test_deploy.py runs them in CI.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

VARIABLE = re.compile(r"\$(?:\{(\w+)(?::?[-+][^}]*)?\}|(\w+))")


@dataclass(frozen=True)
class Instruction:
    line: int  # 1-based line where the instruction starts
    keyword: str  # upper case
    args: str  # the rest, continuation lines joined


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions in order; comments, blank lines and backslash continuations handled."""
    out: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # comment lines inside a continued instruction are dropped by Docker too
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1].strip())
            continue
        pending.append(line)
        keyword, _, args = " ".join(p for p in pending if p).partition(" ")
        out.append(Instruction(start, keyword.upper(), args.strip()))
        pending = []
    if pending:
        keyword, _, args = " ".join(pending).partition(" ")
        out.append(Instruction(start, keyword.upper(), args.strip()))
    return out


def arg_defaults(instructions: list[Instruction]) -> dict[str, str]:
    """Defaults of the ARGs declared before the first FROM (the ones FROM lines may use)."""
    defaults: dict[str, str] = {}
    for ins in instructions:
        if ins.keyword == "FROM":
            break
        if ins.keyword == "ARG":
            name, eq, value = ins.args.partition("=")
            if eq:  # an ARG without a default stays unresolved
                defaults[name.strip()] = value.strip().strip('"')
    return defaults


def expand(text: str, values: dict[str, str]) -> str:
    return VARIABLE.sub(lambda m: values.get(m.group(1) or m.group(2), m.group(0)), text)


def from_images(instructions: list[Instruction]) -> list[tuple[str, str | None]]:
    """(image with ARG defaults expanded, stage name) for every FROM."""
    defaults = arg_defaults(instructions)
    out = []
    for ins in instructions:
        if ins.keyword == "FROM":
            words = [w for w in ins.args.split() if not w.startswith("--platform")]
            stage = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            out.append((expand(words[0], defaults), stage))
    return out


def image_tag(image: str) -> str | None:
    """The tag of ``repo[:tag][@digest]``; None when untagged (docker then means latest)."""
    if "@" in image:
        return image.split("@", 1)[1]
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


def image_pin_problem(image: str) -> str | None:
    """Why an image reference is not pinned, or None."""
    if VARIABLE.search(image):
        return f"{image}: unresolved variable"
    tag = image_tag(image)
    if tag is None:
        return f"{image}: no tag (means latest)"
    if tag == "latest":
        return f"{image}: latest tag"
    return None


def exec_form(args: str) -> list[str] | None:
    """The argv of an exec-form (JSON array) ENTRYPOINT/CMD, None for shell form."""
    import json
    try:
        value = json.loads(args)
    except ValueError:
        return None
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def _apt_problems(ins: Instruction) -> Iterator[str]:
    if ins.keyword != "RUN" or "apt-get install" not in ins.args:
        return
    if "apt-get update" not in ins.args:
        yield f"line {ins.line}: apt-get install without apt-get update in the same RUN"
    if "--no-install-recommends" not in ins.args:
        yield f"line {ins.line}: apt-get install without --no-install-recommends"
    if "rm -rf /var/lib/apt/lists" not in ins.args:
        yield f"line {ins.line}: apt lists left in the layer"


def lint_dockerfile(text: str, entrypoint: list[str] | None = None) -> list[str]:
    """Problems found: FROM first (only ARGs before it), pinned base images (no latest, no
    untagged), stage references defined, exec-form ENTRYPOINT equal to ``entrypoint`` when given
    (it is the last stage's), apt hygiene."""
    instructions = parse_dockerfile(text)
    problems: list[str] = []
    keywords = [i.keyword for i in instructions]
    first = next((k for k in keywords if k != "ARG"), None)
    if first != "FROM":
        problems.append(f"the first instruction after ARGs is {first}, not FROM")
    stages: list[str] = []
    for image, stage in from_images(instructions):
        if image not in stages:
            problem = image_pin_problem(image)
            if problem:
                problems.append(problem)
        if stage:
            stages.append(stage)
    for ins in instructions:
        if ins.keyword == "COPY":
            source = re.search(r"--from=(\S+)", ins.args)
            if source and source.group(1) not in stages and not source.group(1).isdigit():
                problems.append(f"line {ins.line}: COPY --from={source.group(1)} names no stage")
        problems.extend(_apt_problems(ins))
    last_from = max((n for n, k in enumerate(keywords) if k == "FROM"), default=-1)
    entrypoints = [i for i in instructions[last_from + 1:] if i.keyword == "ENTRYPOINT"]
    if entrypoint is not None:
        if not entrypoints:
            problems.append(f"final stage sets no ENTRYPOINT (want {entrypoint})")
        elif exec_form(entrypoints[-1].args) != entrypoint:
            problems.append(f"ENTRYPOINT {entrypoints[-1].args} is not {entrypoint}")
    return problems


def walk(node: Any, key: str) -> Iterator[Any]:
    """Every value stored under ``key`` anywhere in parsed YAML/JSON."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from walk(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item, key)


def flag_values(text: str, flag: str) -> list[str]:
    """Values of ``--flag=value`` / ``--flag value`` in shell command lines of a text."""
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        try:
            words = shlex.split(line, comments=False)
        except ValueError:
            words = line.split()
        for n, word in enumerate(words):
            if word.startswith(f"--{flag}="):
                out.append(word.split("=", 1)[1])
            elif word == f"--{flag}" and n + 1 < len(words):
                out.append(words[n + 1])
    return out
