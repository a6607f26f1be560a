"""Suite-wide ordering: tests that need the judge venv run last, so its set-up (started in
the background by scripts/test) overlaps everything else."""
from __future__ import annotations


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.get_closest_marker("judge_venv") is not None)
