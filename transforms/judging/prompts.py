"""Jinja2 prompts of the LLM judge (templates in transforms/judging/templates/*.j2)."""
from __future__ import annotations

import re
from functools import cache
from importlib import resources

import jinja2

from schemas.criteria import CRITERIA
from schemas.languages import get as get_language

_TEMPLATES = ("transforms.judging", "templates")


def _load(name: str):
    path = resources.files(_TEMPLATES[0]).joinpath(_TEMPLATES[1], name)
    if not path.is_file():
        return None
    return path.read_text("utf-8")


@cache
def environment() -> jinja2.Environment:
    # Plain text prompts: no autoescape; StrictUndefined so a missing variable is an error.
    return jinja2.Environment(loader=jinja2.FunctionLoader(_load), autoescape=False,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render(template: str, **values) -> str:
    return environment().get_template(template).render(**values).strip() + "\n"


def fence_for(*codes: str) -> str:
    """A backtick fence longer than any backtick run inside the code, so blocks cannot break."""
    longest = max((len(m) for code in codes for m in re.findall(r"`+", code or "")), default=0)
    return "`" * max(3, longest + 1)


def _user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def preference_prompt(criterion: str, language: str, task: str, code_a: str, code_b: str) -> str:
    """The pairwise judging prompt: task, solutions A and B, the criterion's checklist, answer format."""
    return render("preference.j2", criterion=criterion, aspect=CRITERIA[criterion].name,
                  language=get_language(language).name, task=task, code_a=code_a, code_b=code_b,
                  fence=fence_for(code_a, code_b), fence_lang=get_language(language).fence)


def preference_messages(pair: dict, order: str) -> list[dict]:
    """Chat messages judging ``pair`` with chosen shown as A (order AB) or as B (order BA)."""
    a, b = (pair["chosen"], pair["rejected"]) if order == "AB" else (pair["rejected"], pair["chosen"])
    return _user(preference_prompt(pair["criterion"], pair["language_id"], pair["input"], a, b))


def improvement_messages(pair: dict) -> list[dict]:
    """Rate 1-5 how much rejected -> chosen (the commit's change) improves the pair's criterion."""
    lang = get_language(pair["language_id"])
    return _user(render("improvement.j2", criterion=pair["criterion"], aspect=CRITERIA[pair["criterion"]].name,
                        language=lang.name, before=pair["rejected"], after=pair["chosen"],
                        fence=fence_for(pair["rejected"], pair["chosen"]), fence_lang=lang.fence))


def instruction_messages(pair: dict, style: str) -> list[dict]:
    """Write an instruction in ``style`` that both versions of the file answer."""
    lang = get_language(pair["language_id"])
    return _user(render(f"instruction_{style}.j2", language=lang.name, code=pair["chosen"],
                        fence=fence_for(pair["chosen"]), fence_lang=lang.fence))


def bug_prompt(language: str, problem_statement: str, code: str) -> str:
    """Ask for a subtly buggy variant of a correct solution, as one fenced code block."""
    lang = get_language(language)
    return render("bug.j2", language=lang.name, statement=problem_statement, code=code,
                  fence=fence_for(code), fence_lang=lang.fence)
