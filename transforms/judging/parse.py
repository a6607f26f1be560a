"""Parsers for judge answers: tolerant of case and whitespace, strict about the tags."""
from __future__ import annotations

import re

from schemas.languages import get as get_language

# Reasoning models (Qwen3, DeepSeek-R1) think aloud first; a verdict inside the thinking is not final.
_THINK = re.compile(r"<think>.*?(</think>|\Z)", re.DOTALL | re.IGNORECASE)
_VERDICT = re.compile(r"<verdict>\s*(A|B|TIE)\s*</verdict>", re.IGNORECASE)
_ANY_VERDICT = re.compile(r"<verdict>(.*?)</verdict>", re.IGNORECASE | re.DOTALL)
_SCORE = re.compile(r"<score>\s*([1-5])(?:\.0+)?\s*(?:/\s*5\s*)?</score>", re.IGNORECASE)
_ANY_SCORE = re.compile(r"<score>(.*?)</score>", re.IGNORECASE | re.DOTALL)
_INSTRUCTION = re.compile(r"<instruction>(.*?)</instruction>", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"^(?P<fence>`{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.DOTALL | re.MULTILINE)
def strip_thinking(text: str) -> str:
    return _THINK.sub("", text or "")


def _single(pattern: re.Pattern, any_pattern: re.Pattern, text: str) -> str | None:
    """The one value of a tag; None when absent, malformed or contradictory."""
    text = strip_thinking(text)
    tags = any_pattern.findall(text)
    values = {m.upper() for m in pattern.findall(text)}
    if not tags or len(values) != 1 or len(tags) != len(pattern.findall(text)):
        return None
    return values.pop()


def parse_verdict(text: str) -> str | None:
    """"A", "B" or "TIE" from ``<verdict>...</verdict>``; None if missing, malformed or contradictory."""
    return _single(_VERDICT, _ANY_VERDICT, text)


def parse_score(text: str) -> int | None:
    """The 1-5 rating from ``<score>N</score>``; None if missing, out of range or contradictory."""
    value = _single(_SCORE, _ANY_SCORE, text)
    return None if value is None else int(value)


def parse_instruction(text: str) -> str | None:
    """The text of the last ``<instruction>...</instruction>``; None if missing or empty."""
    found = _INSTRUCTION.findall(strip_thinking(text))
    value = found[-1].strip() if found else ""
    return value or None


def _language_tags(language: str) -> set[str]:
    lang = get_language(language)
    return {lang.id, lang.name.lower(), lang.crb.lower(), lang.fence, *lang.aliases}


def parse_code_block(answer: str, language: str) -> str | None:
    """The code of the answer's fenced block: the last one tagged with ``language`` (or untagged),
    else the only block; None when there is none or it is empty."""
    blocks = [(m["info"].strip().lower(), m["body"]) for m in _FENCE.finditer(strip_thinking(answer))]
    tags = _language_tags(language)
    matching = [body for info, body in blocks if (info.split() or [""])[0] in tags | {""}]
    if matching:
        code = matching[-1]
    elif len(blocks) == 1:
        code = blocks[0][1]
    else:
        return None
    return code if code.strip() else None
