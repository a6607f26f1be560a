"""Problem sets for pipeline runs in tests: one bundled problem, whole or with some of its
languages (fewer submissions to measure where the languages are not the subject)."""
from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.run import bundled_problems


def bundled_subset(dest: Path, problem: str, languages: tuple[str, ...] | None = None) -> Path:
    """A problem-set folder at ``dest`` holding bundled ``problem``: linked whole, or copied with
    only the solutions of ``languages``."""
    dest.mkdir(parents=True, exist_ok=True)
    source = Path(bundled_problems()) / problem
    if languages is None:
        (dest / problem).symlink_to(source)
        return dest
    shutil.copytree(source, dest / problem)
    for lang in (dest / problem / "solutions").iterdir():
        if lang.name not in languages:
            shutil.rmtree(lang)
    return dest
