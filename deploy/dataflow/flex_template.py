"""The flex template's parameters and argv, both derived from pipeline.options.CurationOptions.

    python deploy/dataflow/flex_template.py > deploy/dataflow/metadata.json   # after adding an option

Template parameters always arrive as ``--name=value``, so the launcher's argv is rewritten before
``pipeline.run`` parses it: store_true flags (``--no_bundled=true`` becomes ``--no_bundled``,
``=false`` drops it) and repeatable inputs given as one comma-separated value (``--repos=a,b``
becomes ``--repos=a --repos=b``; --hf_dataset holds JSON and stays whole). ``--checkpoint``
defaults to ``none`` here: phase-by-phase runs submit one Dataflow job per phase, and a flex
template launch tracks one job.
"""
from __future__ import annotations

import argparse
import json
import sys

JSON_FLAGS = ("hf_dataset",)  # repeatable, but a value may itself contain commas
REQUIRED = ("output",)  # ./out/<run_id> on the launcher VM is no place for results
TEMPLATE_DEFAULTS = {"checkpoint": "none"}
DESCRIPTION = ("Curate multi-criteria code-preference pairs (Themis approach) from git history, commit exports, "
               "problem sets, CodeNet and HF datasets; writes Parquet shards, a dead-letter table and a manifest "
               "under --output.")


def option_actions() -> list[argparse.Action]:
    from pipeline.options import CurationOptions
    parser = argparse.ArgumentParser(add_help=False)
    CurationOptions._add_argparse_args(parser)
    return [a for a in parser._actions if a.option_strings]


def flag_name(action: argparse.Action) -> str:
    return action.option_strings[0].removeprefix("--")


def is_boolean(action: argparse.Action) -> bool:
    return isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction))


def is_list(action: argparse.Action) -> bool:
    return isinstance(action, argparse._AppendAction) and flag_name(action) not in JSON_FLAGS


def value_regex(action: argparse.Action) -> str | None:
    """The check the Dataflow UI and API apply to a parameter before launching."""
    if is_boolean(action):
        return "^(true|false)$"
    if action.choices:
        return "^(" + "|".join(action.choices) + ")$"
    if action.type is int:
        return "^-?[0-9]+$"
    if action.type is float:
        return "^[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?$"
    return None


def parameter(action: argparse.Action) -> dict:
    name = flag_name(action)
    help_text = action.help or name
    if is_list(action):
        help_text = help_text.replace("; repeatable", "").rstrip(" ;.") + ". Template: a comma-separated list."
    if name in TEMPLATE_DEFAULTS:
        help_text += f" Template default: {TEMPLATE_DEFAULTS[name]}."
    item = {"name": name, "label": name.replace("_", " ").capitalize(), "helpText": help_text,
            "isOptional": name not in REQUIRED, "paramType": "TEXT"}
    regex = value_regex(action)
    if regex:
        item["regexes"] = [regex]
    return item


def metadata() -> dict:
    return {"name": "codepref curation", "description": DESCRIPTION, "streaming": False,
            "parameters": [parameter(a) for a in option_actions()]}


def template_argv(argv: list[str], actions: list[argparse.Action] | None = None) -> list[str]:
    actions = option_actions() if actions is None else actions
    booleans = {flag_name(a) for a in actions if is_boolean(a)}
    lists = {flag_name(a) for a in actions if is_list(a)}
    out: list[str] = []
    for arg in argv:
        name, eq, value = arg.partition("=")
        flag = name.removeprefix("--") if name.startswith("--") else None
        if eq and flag in booleans:
            if value.strip().lower() not in ("true", "false"):
                raise ValueError(f"{name} takes true or false, not {value!r}")
            out += [name] if value.strip().lower() == "true" else []
        elif eq and flag in lists:
            out += [f"{name}={item.strip()}" for item in value.split(",") if item.strip()]
        else:
            out.append(arg)
    given = {a.partition("=")[0].removeprefix("--") for a in out if a.startswith("--")}
    return out + [f"--{k}={v}" for k, v in TEMPLATE_DEFAULTS.items() if k not in given]


if __name__ == "__main__":
    json.dump(metadata(), sys.stdout, indent=2)
    sys.stdout.write("\n")
