"""The hostile suite: every attack in tests/data/hostile/ on both backends (see its README).

Each class runs in a sandbox of its own (docker: one warm run container), its programs one
after the other, each followed by the checks of its properties; classes run in parallel
threads so the suite costs about a minute per backend. Results are computed once per
backend (a module fixture) and asserted per program, so a failure names class, language
and backend. ``CODEPREF_HOSTILE_TABLE=<file>`` also writes the results as a Markdown table
(the one in docs/sandboxes.md).
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import tomllib
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sandboxes import Limits, Sandbox, TestCase

SUITE = Path(__file__).parent / "data" / "hostile"
EXT_LANG = {".c": "c", ".cpp": "cpp", ".cs": "csharp", ".go": "go", ".java": "java", ".js": "javascript",
            ".py": "python", ".rb": "ruby"}
BASE_LIMITS = dict(time_s=1.0, memory_mb=256, output_bytes=100_000, pids=32, wall_s=3.0, compile_time_s=60.0,
                   compile_memory_mb=1024)
SECRET = "codepref-host-secret-" + uuid.uuid4().hex
ESCAPE = f"/tmp/codepref-escape-{uuid.uuid4().hex}"
SECRET_FILE = f"/tmp/codepref-secret-{uuid.uuid4().hex}"
ESCAPES = (ESCAPE, "/usr/codepref-escape", "/etc/codepref-escape", "/codepref-escape")
PROPERTIES = ("no_process_left", "next_job_unaffected", "no_file_left", "measurement_within_bounds",
              "host_unreached", "output_capped")


def _classes() -> list[str]:
    return sorted(p.name for p in SUITE.iterdir() if (p / "case.toml").exists())


def _meta(cls: str, backend: str) -> dict:
    meta = tomllib.loads((SUITE / cls / "case.toml").read_text())
    over = meta.pop("backend", {}).get(backend, {})
    meta.update(over)
    unknown = set(meta.get("properties", ())) - set(PROPERTIES)
    assert not unknown, f"{cls}/case.toml: unknown properties {sorted(unknown)}"
    return meta


def _programs(cls: str) -> list[tuple[str, Path]]:
    out = []
    for path in sorted((SUITE / cls).iterdir()):
        lang = EXT_LANG.get(path.suffix)
        if lang and path.stem == lang:
            out.append((lang, path))
    return out


CASES = [(cls, lang) for cls in _classes() for lang, _ in _programs(cls)]


@dataclass
class Outcome:
    verdict: str
    detail: str
    stdout: str
    cpu_s: float
    peak_mb: float
    failures: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)


class HostServer:
    """A TCP listener on the host's loopback: no sandboxed program may reach it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            while True:
                conn, _ = self.sock.accept()
                self.accepted += 1
                conn.close()
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()


def _fill(text: str, server: HostServer, gocache: str) -> str:
    return (text.replace("{{PORT}}", str(server.port)).replace("{{ESCAPE}}", ESCAPE)
            .replace("{{SECRET_FILE}}", SECRET_FILE).replace("{{SECRET}}", SECRET).replace("{{GOCACHE}}", gocache))


def _host_processes_of_uid(uid: int) -> list[int]:
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid:
                pids.append(int(pid))
        except OSError:
            continue
    return pids


def _leftovers(sb: Sandbox) -> list[str]:
    """Processes a finished job left behind in this sandbox."""
    backend = sb.backend
    if backend.name == "local":
        left = [f"pid {p} (uid {backend.run_uid()})" for p in _host_processes_of_uid(backend.run_uid())]
        cg = backend._cgroup()
        if cg.available:
            server = getattr(backend._local, "server", None)
            keep = server.pid if server is not None else None
            left += [f"pid {p} in the worker cgroup" for p in cg._members() if p != keep]
        return left
    left = []
    for pool in list(backend._pools.values()):
        for c in list(pool._all):
            rows = c.container.top().get("Processes") or []
            if len(rows) != 1:  # only the runner, PID 1
                left.append(f"container {c.container.short_id}: {[r[-1] for r in rows]}")
    return left


def _next_program(cls: str, lang: str) -> tuple[str, Path] | None:
    ext = next(e for e, l in EXT_LANG.items() if l == lang)
    for candidate in (SUITE / cls / f"next{ext}", SUITE / cls / "next.py"):
        if candidate.exists():
            return EXT_LANG[candidate.suffix], candidate
    return None


CANARY = ("python", "import os\nprint('clean' if not os.listdir('.') or os.listdir('.') == ['main.py'] else os.listdir('.'))\n")


def _run_neighbour(backend: str, limits: Limits, source: str, started: threading.Event) -> None:
    with Sandbox(backend=backend, limits=limits, repeat=1, docker={"pool_size": 1}) as sb:
        started.set()
        sb.execute("python", source, [TestCase("", None)])


def _run_class(backend: str, cls: str, server: HostServer, shared_gocache: str) -> dict[tuple[str, str], Outcome]:
    meta = _meta(cls, backend)
    limits = Limits(**{**BASE_LIMITS, **meta.get("limits", {})})
    options: dict = {"docker": {"pool_size": 1}}
    gocache = shared_gocache
    private = None
    if backend == "local" and meta.get("private_gocache"):
        private = f"/tmp/codepref-hostile-gocache-{uuid.uuid4().hex}"
        if os.path.isdir(shared_gocache):
            shutil.copytree(shared_gocache, private, symlinks=True)  # warm, and ours to lose
        gocache = private
        options["local"] = {"gocache": private}
    results: dict[tuple[str, str], Outcome] = {}
    try:
        with Sandbox(backend=backend, limits=limits, repeat=1, **options) as sb:
            for lang, path in _programs(cls):
                results[(cls, lang)] = _run_case(sb, backend, cls, lang, path, meta, limits, server, gocache)
    finally:
        if private:
            shutil.rmtree(private, ignore_errors=True)
    return results


def _run_case(sb: Sandbox, backend: str, cls: str, lang: str, path: Path, meta: dict, limits: Limits,
              server: HostServer, gocache: str) -> Outcome:
    source = _fill(path.read_text(), server, gocache)
    neighbours = []
    if meta.get("neighbours"):
        neighbour_src = (SUITE / cls / "neighbour.py").read_text()
        for _ in range(int(meta["neighbours"])):
            started = threading.Event()
            t = threading.Thread(target=_run_neighbour, args=(backend, limits, neighbour_src, started), daemon=True)
            t.start()
            neighbours.append((t, started))
        for _, started in neighbours:
            started.wait(60)
        time.sleep(1.5)  # let them fill their process limits
    accepted_before = server.accepted
    report, runs = sb.execute_with_runs(lang, source, [TestCase("", None)])
    for t, _ in neighbours:
        t.join(60)
    run = runs[0].runs[-1] if runs and runs[0].runs else None
    stdout = run.stdout.decode("utf-8", "replace") if run else ""
    out = Outcome(report["verdict"], report["detail"] or "", stdout, report["cpu_s"] or 0.0,
                  (report["peak_rss_bytes"] or 0) / 2 ** 20)
    expected = meta["verdict"]
    if out.verdict != expected:
        out.failures.append(f"verdict {out.verdict} ({out.detail[:200]}), expected {expected}")
    for text in meta.get("stdout_has", ()):
        if _fill(text, server, gocache) not in stdout:
            out.failures.append(f"stdout lacks {text!r}: {stdout[:300]!r}")
    for text in meta.get("stdout_lacks", ()):
        if _fill(text, server, gocache) in stdout:
            out.failures.append(f"stdout contains {text!r}")
    if meta.get("detail_has") and meta["detail_has"] not in out.detail:
        out.failures.append(f"detail {out.detail!r} lacks {meta['detail_has']!r}")
    checks = {
        "no_process_left": lambda: _leftovers(sb),
        "no_file_left": lambda: [p for p in ESCAPES if os.path.lexists(p)],
        "host_unreached": lambda: [f"{server.accepted - accepted_before} connections"]
        if server.accepted != accepted_before else [],
        "output_capped": lambda: [f"{len(run.stdout)} bytes"] if run and len(run.stdout) > limits.output_bytes else [],
        "measurement_within_bounds": lambda: _bounds(out, meta),
        "next_job_unaffected": lambda: _next_job(sb, cls, lang, meta, server, gocache),
    }
    for prop in meta.get("properties", ()):
        problems = checks[prop]()
        if problems:
            out.failures.append(f"{prop}: {problems}")
        else:
            out.held.append(prop)
    return out


def _bounds(out: Outcome, meta: dict) -> list[str]:
    problems = []
    if "min_cpu_s" in meta and out.cpu_s < meta["min_cpu_s"]:
        problems.append(f"cpu_s {out.cpu_s:.3f} < {meta['min_cpu_s']}")
    if "max_cpu_s" in meta and out.cpu_s > meta["max_cpu_s"]:
        problems.append(f"cpu_s {out.cpu_s:.3f} > {meta['max_cpu_s']}")
    if "min_peak_mb" in meta and out.peak_mb < meta["min_peak_mb"]:
        problems.append(f"peak {out.peak_mb:.0f} MB < {meta['min_peak_mb']}")
    if "max_peak_mb" in meta and out.peak_mb > meta["max_peak_mb"]:
        problems.append(f"peak {out.peak_mb:.0f} MB > {meta['max_peak_mb']}")
    return problems


def _next_job(sb: Sandbox, cls: str, lang: str, meta: dict, server: HostServer, gocache: str) -> list[str]:
    found = _next_program(cls, lang)
    next_lang, source = (found[0], _fill(found[1].read_text(), server, gocache)) if found else CANARY
    report, runs = sb.execute_with_runs(next_lang, source, [TestCase("", meta.get("next_expected", "clean"))])
    if report["verdict"] != "OK":
        stdout = runs[0].runs[-1].stdout.decode("utf-8", "replace") if runs and runs[0].runs else ""
        return [f"next {next_lang} job: {report['verdict']} {(report['detail'] or '')[:200]} {stdout[:200]!r}"]
    return []


def _docker_reason() -> str | None:
    try:
        from sandboxes.docker_backend import docker_unavailable_reason
    except ImportError as exc:
        return f"docker backend unavailable: {exc}"
    return docker_unavailable_reason()


_RESULTS: dict[str, dict[tuple[str, str], Outcome]] = {}


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
    os.environ["CODEPREF_HOST_SECRET"] = SECRET  # in the host's environment: it must not leak
    with open(SECRET_FILE, "w") as fh:
        fh.write(SECRET + "\n")
    os.chmod(SECRET_FILE, 0o644)  # world-readable on the host: only the sandbox's view hides it
    server = HostServer()
    shared_gocache = os.environ.get("CODEPREF_GOCACHE", "/tmp/codepref-sandbox-gocache")
    try:
        results: dict[tuple[str, str], Outcome] = {}
        with ThreadPoolExecutor(max_workers=3) as pool:
            for part in pool.map(lambda cls: _run_class(backend, cls, server, shared_gocache), _classes()):
                results.update(part)
    finally:
        server.close()
        os.unlink(SECRET_FILE)
    _RESULTS[backend] = results
    _write_table()
    yield backend, results


def _write_table() -> None:
    target = os.environ.get("CODEPREF_HOSTILE_TABLE")
    if not target:
        return
    lines = ["| class | language | " + " | ".join(f"{b} verdict | {b} properties held" for b in sorted(_RESULTS)) + " |",
             "|---|---|" + "---|---|" * len(_RESULTS)]
    for cls, lang in CASES:
        cells = []
        for b in sorted(_RESULTS):
            o = _RESULTS[b].get((cls, lang))
            ok = o is not None and not o.failures
            cells += [o.verdict if o else "-", (", ".join(o.held) if ok else "FAILED: " + "; ".join(o.failures)) if o else "-"]
        lines.append(f"| {cls} | {lang} | " + " | ".join(cells) + " |")
    Path(target).write_text("\n".join(lines) + "\n")


def test_suite_covers_every_class_in_three_languages():
    for cls in _classes():
        langs = {lang for lang, _ in _programs(cls)}
        assert {"c", "python"} <= langs and langs & {"go", "java", "javascript"}, (cls, langs)
    assert len(_classes()) >= 16


@pytest.mark.parametrize("cls, lang", CASES, ids=[f"{c}-{l}" for c, l in CASES])
def test_hostile(suite, cls, lang):
    backend, results = suite
    out = results[(cls, lang)]
    assert not out.failures, f"{cls}/{lang} on {backend}: " + "; ".join(out.failures)
