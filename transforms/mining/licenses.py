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

# File names (lowercased, without extension) that hold a repository's licence.
LICENSE_FILE_STEMS = ("license", "licence", "copying", "unlicense", "license-mit", "license-apache")
LICENSE_FILE_SUFFIXES = ("", ".txt", ".md", ".rst")


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
    """Whether a top-level file name is a licence file (LICENSE, COPYING.txt, LICENCE.md, ...)."""
    lower = name.lower()
    return any(lower == stem + suffix for stem in LICENSE_FILE_STEMS for suffix in LICENSE_FILE_SUFFIXES)


def license_file_rank(name: str) -> int:
    """Sort key: LICENSE before LICENCE before COPYING, plain names before suffixed ones."""
    lower = name.lower()
    for i, stem in enumerate(LICENSE_FILE_STEMS):
        for j, suffix in enumerate(LICENSE_FILE_SUFFIXES):
            if lower == stem + suffix:
                return i * len(LICENSE_FILE_SUFFIXES) + j
    return 1 << 30
