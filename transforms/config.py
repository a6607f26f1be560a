"""Settings as frozen dataclasses, one per stage; the command line is generated from them.

A setting is written once: as a dataclass field declared with ``option(default, help)``
in the config of the stage that uses it. ``add_arguments`` turns a config class (and the
configs nested in it) into argparse flags, ``from_flags`` builds the config back from the
parsed values, and ``flat_settings`` lists a config under its flag names (the manifest and
the checkpoint fingerprint use those names, so a setting has one name everywhere).

A field's flag is ``prefix + field name``; the prefix belongs to where a config is nested
(``NearDedupConfig`` sits in the run config twice, as ``commit_*`` and ``pair_*``), so the
same name travels from ``--help`` to the transform unchanged. Values keep their command-line
form in Beam's options (they are serialised to workers as JSON); ``parse`` turns a string
into the field's value when the config is built, and a bad value raises ``ConfigError``
naming the flag.
"""
from __future__ import annotations

import argparse
from dataclasses import MISSING, Field, field, fields, is_dataclass
from typing import Any, Callable

OPTION = "codepref.option"
NESTED = "codepref.nested"


class ConfigError(ValueError):
    """A setting with a value it cannot take; the message names the flag and what it expects."""


def option(default: Any, help: str, *, choices: tuple | None = None, parse: Callable[[str], Any] | None = None,
           repeat: bool = False, metavar: str | None = None) -> Any:
    """A dataclass field that is also a command-line flag.

    ``repeat``: the flag may be given several times; the value is a tuple of ``parse``d items.
    A bool field with default False is a switch (``--flag``). Other fields take one value,
    converted by ``parse`` or, when it is None, by the type of ``default``."""
    if isinstance(default, (list, dict, set)):
        raise TypeError("frozen configs hold tuples, not mutable defaults")
    meta = {"help": help, "choices": choices, "parse": parse, "repeat": repeat, "metavar": metavar}
    return field(default=default, metadata={OPTION: meta})


def nested(factory: Callable[[], Any], prefix: str = "", title: str | None = None) -> Any:
    """A config held inside another; its flags are ``prefix + field name``."""
    return field(default_factory=factory, metadata={NESTED: {"prefix": prefix, "title": title}})


def _default(f: Field) -> Any:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    raise TypeError(f"config field {f.name} has no default")


def option_fields(cls_or_obj, prefix: str = ""):
    """(flag, field, owner config class, default) for every option, nested configs included, in order."""
    cls = cls_or_obj if isinstance(cls_or_obj, type) else type(cls_or_obj)
    defaults = cls_or_obj if not isinstance(cls_or_obj, type) else None
    for f in fields(cls):
        if NESTED in f.metadata:
            inner = getattr(defaults, f.name) if defaults is not None else _default(f)
            yield from option_fields(inner, prefix + f.metadata[NESTED]["prefix"])
        elif OPTION in f.metadata:
            value = getattr(defaults, f.name) if defaults is not None else _default(f)
            yield prefix + f.name, f, cls, value


def _parser_of(f: Field, default: Any) -> Callable[[str], Any]:
    meta = f.metadata[OPTION]
    if meta["parse"] is not None:
        return meta["parse"]
    kind = type(default)
    if kind in (int, float, str):
        return kind
    return str


def add_arguments(parser: argparse.ArgumentParser | Any, config_cls, title: str | None = None) -> None:
    """Flags for every option of ``config_cls`` (nested configs in their own argument groups).

    Values are left as strings (Beam serialises options as JSON); ``from_flags`` parses them,
    so a bad value is reported with the flag's name by the same code on every runner."""
    _add(parser, config_cls(), "", title)


def _add(parser, config, prefix: str, title: str | None) -> None:
    group = parser.add_argument_group(title) if title else parser
    for f in fields(config):
        if NESTED in f.metadata:
            sub = f.metadata[NESTED]
            _add(parser, getattr(config, f.name), prefix + sub["prefix"], sub["title"] or title)
            continue
        if OPTION not in f.metadata:
            continue
        meta, default, flag = f.metadata[OPTION], getattr(config, f.name), "--" + prefix + f.name
        help_text = meta["help"]
        if not isinstance(default, bool) and not (default in (None, (), "") and "default" in help_text.lower()):
            shown = ",".join(map(str, default)) if isinstance(default, tuple) else default
            help_text += f" (default: {shown if shown not in ('', None) else 'none'})"
        if isinstance(default, bool):
            if default:
                raise TypeError(f"{flag}: a switch must default to False (name it --no_...)")
            group.add_argument(flag, action="store_true", default=False, help=help_text)
        elif meta["repeat"]:
            group.add_argument(flag, action="append", default=None, metavar=meta["metavar"],
                               help=help_text + "; repeatable")
        else:
            # Numbers are typed for argparse too (Beam keeps them as JSON numbers; Dataflow's template
            # checks them); other values stay strings until ``from_flags``.
            parse = _parser_of(f, default)
            group.add_argument(flag, default=None, choices=meta["choices"], metavar=meta["metavar"],
                               type=parse if parse in (int, float) else None, help=help_text)


def from_flags(config_cls, values: dict[str, Any], **replacements):
    """The config built from parsed flag values (``None`` or absent: the field's default).

    ``replacements`` set fields that are not flags (resolved by the driver)."""
    return _build(config_cls, config_cls(), values, "", replacements)


def _build(cls, defaults, values: dict, prefix: str, replacements: dict):
    kwargs = {}
    for f in fields(cls):
        if NESTED in f.metadata:
            kwargs[f.name] = _build(type(getattr(defaults, f.name)), getattr(defaults, f.name), values,
                                    prefix + f.metadata[NESTED]["prefix"], {})
        elif OPTION in f.metadata:
            flag = prefix + f.name
            raw = values.get(flag)
            kwargs[f.name] = getattr(defaults, f.name) if raw is None else convert(flag, f, getattr(defaults, f.name), raw)
    kwargs.update(replacements)
    try:
        return cls(**kwargs)
    except ConfigError:
        raise
    except (TypeError, ValueError) as e:
        raise ConfigError(str(e)) from e


def convert(flag: str, f: Field, default: Any, raw: Any) -> Any:
    """A flag's string value(s) as the field's value; ConfigError names the flag."""
    meta = f.metadata[OPTION]
    if isinstance(default, bool) or not isinstance(raw, (str, list, tuple)):
        return raw
    parse = _parser_of(f, default)
    items = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    out = []
    for item in items:
        if meta["choices"] and item not in meta["choices"]:
            raise ConfigError(f"--{flag}: {item!r} is not one of {', '.join(meta['choices'])}")
        try:
            out.append(parse(item) if isinstance(item, str) else item)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"--{flag}: {item!r} is not {expected(parse)} ({e})") from None
    return tuple(out) if meta["repeat"] else out[0]


def expected(parse: Callable) -> str:
    """What a parser accepts, for error messages."""
    return getattr(parse, "expects", None) or {int: "an integer", float: "a number", str: "text"}.get(
        parse, getattr(parse, "__name__", "a value"))


def flat_settings(config, prefix: str = "") -> dict[str, Any]:
    """Every option of ``config`` (nested ones included) under its flag name."""
    return {flag: value for flag, _, _, value in option_fields(config, prefix)}


def check_config(condition: bool, message: str) -> None:
    """For ``__post_init__`` checks: raise ConfigError with ``message`` unless ``condition``."""
    if not condition:
        raise ConfigError(message)


def is_config(obj) -> bool:
    return is_dataclass(obj) and any(OPTION in f.metadata or NESTED in f.metadata for f in fields(obj))
