"""SPDX licence detection from a licence file's text, by characteristic phrases.

Only the licence families a repository is likely to carry are recognised; the
first rule whose phrases all occur (case- and whitespace-insensitively) wins, so
more specific rules come before the ones they contain (LGPL before GPL, BSD-3
before BSD-2, 0BSD before ISC).
"""
from __future__ import annotations

import re

# (SPDX id, phrases that must all occur, phrases that must not occur)
_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Apache-2.0", ("apache license", "version 2.0"), ()),
    ("MPL-2.0", ("mozilla public license", "2.0"), ()),
    ("LGPL-3.0", ("gnu lesser general public license", "version 3"), ()),
    ("LGPL-2.1", ("gnu lesser general public license", "version 2.1"), ()),
    ("LGPL-2.0", ("gnu library general public license", "version 2"), ()),
    ("AGPL-3.0", ("gnu affero general public license", "version 3"), ()),
    ("GPL-3.0", ("gnu general public license", "version 3"), ()),
    ("GPL-2.0", ("gnu general public license", "version 2"), ()),
    ("Unlicense", ("this is free and unencumbered software released into the public domain",), ()),
    ("BSD-3-Clause", ("redistribution and use in source and binary forms",
                      "neither the name of"), ()),
    ("BSD-3-Clause", ("redistribution and use in source and binary forms",
                      "may be used to endorse or promote products derived from this software"), ()),
    ("BSD-2-Clause", ("redistribution and use in source and binary forms",
                      "redistributions of source code must retain the above copyright notice"), ()),
    ("0BSD", ("permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted.",
              'the software is provided "as is"'), ("above copyright notice and this permission notice appear",)),
    ("ISC", ("permission to use, copy, modify, and/or distribute this software for any purpose",
             "above copyright notice and this permission notice appear in all copies"), ()),
    ("ISC", ("permission to use, copy, modify, and distribute this software for any purpose",
             "above copyright notice and this permission notice appear in all copies"), ()),
    ("Zlib", ("this software is provided 'as-is'", "altered source versions must be plainly marked"), ()),
    ("MIT", ("permission is hereby granted, free of charge, to any person obtaining a copy",
             "the above copyright notice and this permission notice shall be included"), ()),
)

_SPACE = re.compile(r"\s+")
_DECOR = re.compile(r"^[ \t]*(?:#|//|\*|/\*|--|;)+[ \t]?", re.MULTILINE)

# Licence file names: a stem (LICENSE, LICENCE, COPYING, UNLICENSE), optionally with a
# licence name before or after it (MIT-LICENSE, LICENSE-MIT, LICENSE.APACHE2, COPYING.BSD)
# and a text extension (.txt, .md, .rst, .markdown). Matched case-insensitively.
LICENSE_FILE_STEMS = ("license", "licence", "copying", "unlicense")
_LICENSE_NAMES = r"mit|apache|apache-?2(?:\.0)?|bsd|isc|zlib|0bsd|unlicense|apl|asl"
_LICENSE_FILE = re.compile(
    rf"^(?:(?P<pre>{_LICENSE_NAMES})[-_.])?(?P<stem>license|licence|copying|unlicense)"
    rf"(?:[-_.](?P<post>{_LICENSE_NAMES}))?(?P<ext>\.(?:txt|md|rst|markdown))?$", re.IGNORECASE)

# Package manifests whose licence field names the project's licence (file name -> how to read it).
MANIFEST_FILES = ("package.json", "composer.json", "Cargo.toml", "pyproject.toml", "setup.cfg", "setup.py")
MANIFEST_SUFFIXES = (".gemspec", ".nuspec", ".csproj")

# Licence names people write in manifests and headers, lowercased -> SPDX id.
LICENSE_ALIASES = {
    "mit": "MIT", "mit license": "MIT", "the mit license": "MIT", "expat": "MIT",
    "apache-2.0": "Apache-2.0", "apache 2.0": "Apache-2.0", "apache2": "Apache-2.0", "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0", "apache license, version 2.0": "Apache-2.0", "apache 2": "Apache-2.0",
    "apache software license": "Apache-2.0", "asl 2.0": "Apache-2.0",
    "bsd-2-clause": "BSD-2-Clause", "bsd-3-clause": "BSD-3-Clause", "new bsd": "BSD-3-Clause",
    "simplified bsd": "BSD-2-Clause", "isc": "ISC", "unlicense": "Unlicense", "the unlicense": "Unlicense",
    "0bsd": "0BSD", "zlib": "Zlib", "gpl-2.0": "GPL-2.0", "gpl-3.0": "GPL-3.0", "lgpl-2.1": "LGPL-2.1",
    "lgpl-3.0": "LGPL-3.0", "agpl-3.0": "AGPL-3.0", "mpl-2.0": "MPL-2.0", "gpl-2.0-only": "GPL-2.0",
    "gpl-3.0-only": "GPL-3.0", "gpl-2.0-or-later": "GPL-2.0", "gpl-3.0-or-later": "GPL-3.0",
}
_SPDX_HEADER = re.compile(r"SPDX-License-Identifier:\s*([^\n*]+?)\s*(?:\*/|-->)?\s*$", re.MULTILINE)


def normalise(text: str) -> str:
    """Lowercase, comment decoration removed, whitespace collapsed, typographic quotes made plain."""
    text = _DECOR.sub("", text).replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    return _SPACE.sub(" ", text.lower()).strip()


def detect_spdx(text: str) -> str | None:
    """The SPDX id of the licence in ``text``, or None when no rule matches."""
    norm = normalise(text)
    for spdx, required, forbidden in _RULES:
        if all(p in norm for p in required) and not any(p in norm for p in forbidden):
            return spdx
    return None


def is_license_file(name: str) -> bool:
    """Whether a top-level file name is a licence file (LICENSE, MIT-LICENSE, LICENSE-MIT, COPYING.md, ...)."""
    return _LICENSE_FILE.match(name) is not None


def license_file_rank(name: str) -> int:
    """Sort key: LICENSE before LICENCE before COPYING before UNLICENSE; plain names before
    named (MIT-LICENSE) ones; no extension before .txt/.md/.rst."""
    m = _LICENSE_FILE.match(name)
    if m is None:
        return 1 << 30
    stem = LICENSE_FILE_STEMS.index(m.group("stem").lower())
    named = 1 if (m.group("pre") or m.group("post")) else 0
    ext = 0 if not m.group("ext") else 1 + (".txt", ".md", ".rst", ".markdown").index(m.group("ext").lower())
    return stem * 100 + named * 10 + ext


def spdx_of_name(value: str) -> str | None:
    """The SPDX id of a licence name as written in a manifest (``MIT``, ``Apache 2.0``, ``BSD-3-Clause``)."""
    key = re.sub(r"\s+", " ", value.strip().strip("'\"()").lower())
    return LICENSE_ALIASES.get(key)


def spdx_of_expression(value: str, allowed: frozenset[str]) -> str | None:
    """An SPDX expression (``MIT OR Apache-2.0``, ``(MIT AND Zlib)``) -> the id to carry: for OR the
    first allowed alternative; for AND the first id when every part is allowed, else the first
    part that is not; a single name as is. None when no part is recognised."""
    text = value.strip().strip("()")
    if re.search(r"\s+or\s+|\s*/\s*", text, re.IGNORECASE) and not re.search(r"\s+and\s+", text, re.IGNORECASE):
        ids = [spdx_of_name(p) for p in re.split(r"\s+or\s+|\s*/\s*", text, flags=re.IGNORECASE)]
        ids = [i for i in ids if i]
        return next((i for i in ids if i in allowed), ids[0] if ids else None)
    if re.search(r"\s+and\s+", text, re.IGNORECASE):
        ids = [spdx_of_name(p) for p in re.split(r"\s+and\s+", text, flags=re.IGNORECASE)]
        if not all(ids):
            return None
        return next((i for i in ids if i not in allowed), ids[0])
    return spdx_of_name(text)


def manifest_license(name: str, text: str) -> str | None:
    """The licence field of a package manifest (package.json, Cargo.toml, *.gemspec...), as written."""
    import json
    lower = name.lower()
    if lower.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        value = data.get("license") if isinstance(data, dict) else None
        if isinstance(value, dict):
            value = value.get("type")
        if isinstance(value, list):
            value = " OR ".join(str(v.get("type") if isinstance(v, dict) else v) for v in value)
        return value if isinstance(value, str) else None
    if lower.endswith((".toml", ".cfg")):
        m = re.search(r"^\s*license\s*=\s*(?:\{\s*text\s*=\s*)?[\"']?([^\"'\n}]+)", text, re.MULTILINE)
        return m.group(1).strip() if m else None
    if lower.endswith(".py"):
        m = re.search(r"\blicense\s*=\s*[\"']([^\"']+)[\"']", text)
        return m.group(1) if m else None
    if lower.endswith(".gemspec"):
        m = re.search(r"\.licen[cs]es?\s*=\s*\[?\s*[\"']([^\"']+)[\"']", text)
        return m.group(1) if m else None
    if lower.endswith((".nuspec", ".csproj")):
        m = re.search(r"<(?:license[^>]*type=\"expression\"[^>]*|PackageLicenseExpression)>([^<]+)<", text)
        return m.group(1) if m else None
    return None


def is_manifest_file(name: str) -> bool:
    return name in MANIFEST_FILES or name.lower().endswith(MANIFEST_SUFFIXES)


def spdx_header(text: str, lines: int = 30) -> str | None:
    """The ``SPDX-License-Identifier:`` expression in a source file's first lines, as written."""
    head = "\n".join(text.split("\n", lines)[:lines])
    m = _SPDX_HEADER.search(head)
    return m.group(1).strip() if m else None
