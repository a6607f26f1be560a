"""The conformance suite: ordinary judge-accepted programs (tests/data/conformance/, see its
README) pass on both backends at the default memory limit.

Programs run in a few threads against one sandbox per backend (docker: a warm pool), once
per backend (a module fixture); each program is then asserted on its own, so a failure names
language, program and backend.
"""
from __future__ import annotations

import os
import shutil
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from sandboxes import Limits, Sandbox, TestCase
from sandboxes.judge import outputs_match
from schemas import languages

SUITE = Path(__file__).parent / "data" / "conformance"
LIMITS = Limits(time_s=5.0, wall_s=30.0)  # the default memory (1024 MB), output and process limits
MIN_PER_LANGUAGE = 8


def _ext(lang_id: str) -> str:
    return os.path.splitext(languages.get(lang_id).source)[1]


def _cases() -> list[tuple[str, str, dict]]:
    out = []
    for lang_id in languages.LANGUAGE_IDS:
        table = tomllib.loads((SUITE / lang_id / "cases.toml").read_text())
        for name, spec in table.items():
            out.append((lang_id, name, spec))
    return out


CASES = _cases()


@dataclass
class Outcome:
    verdict: str
    detail: str
    stdout: str
    stderr: str


def _stdin(spec: dict) -> str:
    if "stdin_repeat" in spec:
        line, count = spec["stdin_repeat"]
        return (line + "\n") * int(count)
    return spec.get("stdin", "")


def _run(sb: Sandbox, lang_id: str, name: str, spec: dict) -> Outcome:
    source = (SUITE / lang_id / f"{name}{_ext(lang_id)}").read_text(encoding="utf-8")
    report, outcomes = sb.execute_with_runs(lang_id, source, [TestCase(_stdin(spec), None)])
    run = outcomes[0].runs[-1] if outcomes and outcomes[0].runs else None
    return Outcome(report["verdict"], report["detail"] or "",
                   run.stdout.decode("utf-8", "replace") if run else "",
                   run.stderr.decode("utf-8", "replace") if run else "")


def _docker_reason() -> str | None:
    try:
        from sandboxes.docker_backend import docker_unavailable_reason
    except ImportError as exc:
        return f"docker backend unavailable: {exc}"
    return docker_unavailable_reason()


@pytest.fixture(scope="module", params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def suite(request):
    backend = request.param
    if backend == "local" and shutil.which("bwrap") is None and shutil.which("unshare") is None:
        pytest.skip("neither bwrap nor unshare is installed")
    if backend == "docker":
        reason = _docker_reason()
        if reason:
            if os.environ.get("CODEPREF_REQUIRE_DOCKER"):
                pytest.fail(f"CODEPREF_REQUIRE_DOCKER is set but docker is unusable: {reason}")
            pytest.skip(reason)
    with Sandbox(backend=backend, limits=LIMITS, repeat=1, docker={"pool_size": 3}) as sb:
        with ThreadPoolExecutor(max_workers=3) as pool:
            outcomes = list(pool.map(lambda case: _run(sb, *case), CASES))
    yield backend, {(lang, name): out for (lang, name, _), out in zip(CASES, outcomes)}


def test_at_least_eight_programs_per_language():
    for lang_id in languages.LANGUAGE_IDS:
        names = [name for lang, name, _ in CASES if lang == lang_id]
        assert len(names) >= MIN_PER_LANGUAGE, (lang_id, names)
        for name in names:
            assert (SUITE / lang_id / f"{name}{_ext(lang_id)}").exists(), (lang_id, name)


@pytest.mark.parametrize("lang_id, name, spec", CASES, ids=[f"{l}-{n}" for l, n, _ in CASES])
def test_conformance(suite, lang_id, name, spec):
    backend, results = suite
    out = results[(lang_id, name)]
    where = f"{lang_id}/{name} on {backend}"
    expected_verdict = spec.get("verdict", "OK")
    assert out.verdict == expected_verdict, f"{where}: {out.verdict} {out.detail[:500]} stderr={out.stderr[:500]!r}"
    if "expected" in spec:
        assert outputs_match(out.stdout, spec["expected"]), f"{where}: stdout {out.stdout[:500]!r}"
    if "expected_has" in spec:
        assert spec["expected_has"] in out.stdout, f"{where}: stdout {out.stdout[:500]!r}"
    if "stderr_has" in spec:
        assert spec["stderr_has"] in out.stderr, f"{where}: stderr {out.stderr[:500]!r}"
