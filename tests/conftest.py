"""Suite-wide fixtures and ordering.

Ordering: tests that need the judge venv run last, so its set-up (started in the background
by scripts/test) overlaps everything else; just before them run the tests that read the
default run's measurements (``reads_default_run``), so the end-to-end run has filled the
shared execution cache by then."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        if item.get_closest_marker("judge_venv") is not None:
            return 2
        return 1 if item.get_closest_marker("reads_default_run") is not None else 0
    items.sort(key=rank)


@pytest.fixture(scope="session")
def default_exec_cache(tmp_path_factory):
    """The execution cache of the session's runs with the default execution settings (the
    end-to-end run on the bundled inputs fills it). A measurement is data, addressed by
    program, tests, limits, runs and backend, so another default-settings run of the same
    programs reads it instead of running them again. Tests whose subject is measuring (cold
    runs, cache independence, killed sandboxes) keep a cache of their own or none."""
    return tmp_path_factory.mktemp("default-exec-cache")
