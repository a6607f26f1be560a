"""The docker backend: warm pools of containers running ``container_runner.py``.

A job costs one JSON line each way over the container's attach stream, plus a
fork/exec inside the container (no ``docker exec``/``docker run`` per job).
Builds run in a separate builder container per image (the only one with the
shared Go build cache mounted), so untrusted programs never share a container
with a cache other builds read.

Images (see deploy/sandboxes/):
  host        one image with no toolchain of its own; the host's /usr and a few
              /etc entries are bind-mounted read-only. Built locally with
              ``python -m sandboxes.docker_images host`` (no registry needed).
  production  one image per language from official toolchain images
              (deploy/sandboxes/<language>.Dockerfile), tagged codepref-sandbox-<language>.
"""
from __future__ import annotations

import base64
import json
import os
import socket as _socket_mod
import tempfile
import queue
import socket
import struct
import threading
from dataclasses import asdict
from typing import Any

from schemas.languages import LANGUAGE_IDS, Language

from . import langdata
from .docker_images import HOST_IMAGE, GOCACHE_VOLUME, host_binds, image_exists, production_image
from .local import NOFILE, program_env, supervisor_limits, sweep_stale_state
from .model import BuildResult, Limits, RunResult

RUNNER_CMD = ["python3", "-S", "/opt/sandbox/runner.py"]
LABEL = "codepref.sandbox"
HOST_LABEL = "codepref.host"  # which machine's process owns a container (pids mean nothing elsewhere)
OWNER_LABEL = "codepref.owner"  # that process's pid
STARTED_LABEL = "codepref.owner_started"  # and its start time, so a reused pid is not mistaken for it
RUNNER_OVERHEAD_BYTES = 96 << 20  # the runner (~10 MB), its copy of stdin and tmpfs files ride on top of the program's limit,
# which the container cgroup (not RLIMIT_AS) enforces: kept small so a program gets little more than its limit
REQUEST_SLACK_S = 20.0
PROBE_TIMEOUT_S = 15


def _client(timeout: int = 5):
    import docker
    return docker.from_env(timeout=timeout)


def docker_unavailable_reason() -> str | None:
    """Why the docker backend cannot run here, or None when it can."""
    # A busy daemon can take seconds to answer; a short timeout would misreport it as absent
    # (or, worse, raise out of the probe and fail a whole batch of samples).
    try:
        client = _client(timeout=PROBE_TIMEOUT_S)
        client.ping()
    except Exception as exc:  # no SDK, no socket, daemon down
        return f"no docker daemon answers ({type(exc).__name__})"
    try:
        if image_exists(client, HOST_IMAGE) or all(image_exists(client, production_image(lang))
                                                   for lang in LANGUAGE_IDS):
            return None
        return "no sandbox images: build them with `python -m sandboxes.docker_images host`"
    except Exception as exc:
        return f"docker daemon did not list images ({type(exc).__name__})"
    finally:
        client.close()


def docker_ready() -> bool:
    return docker_unavailable_reason() is None


def _process_started(pid: int) -> str | None:
    """A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or None."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def owner_labels() -> dict[str, str]:
    return {LABEL: "runner", HOST_LABEL: _socket_mod.gethostname(), OWNER_LABEL: str(os.getpid()),
            STARTED_LABEL: _process_started(os.getpid()) or ""}


def sweep_stale_containers(client) -> list[str]:
    """Remove sandbox containers whose owning process (on this host) is gone: a kill -9 of
    the CLI or a worker skips close(), and nothing else would ever stop them."""
    import docker.errors
    removed = []
    host = _socket_mod.gethostname()
    # The low-level listing carries the labels; the high-level one inspects each container
    # again, which raises NotFound when a neighbour's container ends between the two calls.
    for c in client.api.containers(all=True, filters={"label": [LABEL]}):
        labels = c.get("Labels") or {}
        if labels.get(HOST_LABEL, host) != host:
            continue
        owner = labels.get(OWNER_LABEL, "")
        alive = owner.isdigit() and _process_started(int(owner)) is not None and (
            not labels.get(STARTED_LABEL) or _process_started(int(owner)) == labels.get(STARTED_LABEL))
        if alive:
            continue
        try:
            client.api.remove_container(c["Id"], force=True)
            removed.append(c["Id"])
        except docker.errors.NotFound:  # removed concurrently by another sweeper
            pass
    return removed


def _memory_cgroup_dir(pid: int) -> str | None:
    """Host path of a container process's v1 memory cgroup, when this host can see it."""
    try:
        with open(f"/proc/{pid}/cgroup") as fh:
            for line in fh:
                _, ctrls, path = line.rstrip("\n").split(":", 2)
                if "memory" in ctrls.split(","):
                    full = os.path.join("/sys/fs/cgroup/memory", path.lstrip("/"))
                    return full if os.path.exists(os.path.join(full, "memory.max_usage_in_bytes")) else None
    except (OSError, ValueError):
        pass
    return None


class ContainerBroken(RuntimeError):
    pass


class RunnerContainer:
    """One warm container and its JSON-lines channel to the runner (PID 1)."""

    def __init__(self, client, image: str, flavour: str, memory_bytes: int, pids: int, tmpfs_mb: int,
                 builder: bool) -> None:
        volumes: dict[str, dict[str, str]] = host_binds() if flavour == "host" else {}
        if builder:
            volumes[GOCACHE_VOLUME] = {"bind": "/gocache", "mode": "rw"}
        self.container = client.containers.create(
            image, command=RUNNER_CMD, stdin_open=True, tty=False, detach=True,
            user="65534:65534", working_dir="/box", network_mode="none",
            mem_limit=memory_bytes, memswap_limit=memory_bytes, pids_limit=pids,
            read_only=True, cap_drop=["ALL"], security_opt=["no-new-privileges"],
            tmpfs={"/box": f"rw,exec,nosuid,size={tmpfs_mb}m,mode=1777",
                   "/tmp": f"rw,exec,nosuid,size={tmpfs_mb}m,mode=1777"},
            environment={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/box", "LANG": "C.UTF-8"},
            volumes=volumes, labels=owner_labels(), ulimits=[], init=False)
        try:
            sock = self.container.attach_socket(params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            self._io = sock
            self._sock: socket.socket = getattr(sock, "_sock", sock)
            self.container.start()
        except Exception:  # a container that never started must not be left behind
            try:
                self.container.remove(force=True)
            except Exception:
                pass
            raise
        try:
            self.container.reload()
            self.memory_cgroup = _memory_cgroup_dir(int(self.container.attrs["State"]["Pid"]))
        except Exception:
            self.memory_cgroup = None
        self._buf = b""
        self.stderr = b""
        self.known_builds: set[str] = set()
        self.broken = False

    def _recv_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self._sock.recv(n - len(data))
            if not chunk:
                raise ContainerBroken("runner closed its stream")
            data += chunk
        return data

    def reset_peak(self) -> None:
        """Restart the container's memory high-water mark (the runner reports the base)."""
        if self.memory_cgroup:
            try:
                with open(os.path.join(self.memory_cgroup, "memory.max_usage_in_bytes"), "w") as fh:
                    fh.write("0")
            except OSError:
                self.memory_cgroup = None

    def peak(self) -> int | None:
        if not self.memory_cgroup:
            return None
        try:
            with open(os.path.join(self.memory_cgroup, "memory.max_usage_in_bytes")) as fh:
                return int(fh.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def request(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one job, wait for its one-line answer (stdout frames; stderr kept for diagnostics)."""
        try:
            self._sock.settimeout(timeout)
            self._sock.sendall(json.dumps(job).encode() + b"\n")
            while b"\n" not in self._buf:
                stream, size = struct.unpack(">BxxxL", self._recv_exact(8))
                payload = self._recv_exact(size)
                if stream == 2:
                    self.stderr = (self.stderr + payload)[-4096:]
                else:
                    self._buf += payload
        except (OSError, struct.error, ContainerBroken) as exc:
            self.broken = True
            raise ContainerBroken(f"runner channel failed: {exc}; stderr: "
                                  f"{self.stderr.decode('utf-8', 'replace')[-300:]}") from exc
        line, _, self._buf = self._buf.partition(b"\n")
        return json.loads(line)

    def close(self) -> None:
        try:
            self._sock.close()
        except OSError:
            pass
        try:
            self.container.remove(force=True)
        except Exception:  # already gone
            pass


class Pool:
    """Up to ``size`` warm containers of one kind; callers borrow one per job."""

    def __init__(self, factory, size: int) -> None:
        self._factory = factory
        self._size = size
        self._idle: queue.Queue[RunnerContainer] = queue.Queue()
        self._count = 0
        self._lock = threading.Lock()
        self._all: list[RunnerContainer] = []

    def acquire(self) -> RunnerContainer:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            create = self._count < self._size
            if create:
                self._count += 1
        if create:
            try:
                c = self._factory()
            except Exception:
                with self._lock:
                    self._count -= 1
                raise
            with self._lock:
                self._all.append(c)
            return c
        return self._idle.get()

    def release(self, c: RunnerContainer) -> None:
        if c.broken:
            c.close()
            with self._lock:
                self._count -= 1
                if c in self._all:
                    self._all.remove(c)
            return
        self._idle.put(c)

    def warm(self) -> None:
        """Start every container now instead of on first use."""
        started = [self.acquire() for _ in range(self._size)]
        for c in started:
            self.release(c)

    def close(self) -> None:
        with self._lock:
            everything, self._all = self._all, []
            self._count = 0
        for c in everything:
            c.close()


class DockerBackend:
    name = "docker"

    def __init__(self, flavour: str = "auto", pool_size: int = 2, limits: Limits | None = None,
                 tmpfs_mb: int = 512) -> None:
        self.client = _client(timeout=60)
        self.client.ping()
        sweep_stale_containers(self.client)  # what a killed process left running
        sweep_stale_state(tempfile.gettempdir())
        if flavour == "auto":
            flavour = "production" if all(image_exists(self.client, production_image(lang))
                                           for lang in LANGUAGE_IDS) else "host"
        if flavour == "host" and not image_exists(self.client, HOST_IMAGE):
            from .docker_images import build_host_image
            build_host_image(self.client)
        self.flavour = flavour
        self.pool_size = pool_size
        self.tmpfs_mb = tmpfs_mb
        self.default_limits = limits or Limits()
        self._pools: dict[tuple[str, str, int, int], Pool] = {}
        self._lock = threading.Lock()
        self._versions: dict[str, str | None] = {}

    def _image(self, lang: Language) -> str:
        return HOST_IMAGE if self.flavour == "host" else production_image(lang.id)

    def _pool(self, lang: Language, builder: bool, limits: Limits) -> Pool:
        image = self._image(lang)
        if builder:
            memory, pids = (limits.compile_memory_mb << 20) + RUNNER_OVERHEAD_BYTES, 512
        else:
            memory, pids = (limits.memory_mb << 20) + RUNNER_OVERHEAD_BYTES, limits.pids + 8
        key = (image, "build" if builder else "run", memory, pids)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                def factory():
                    return RunnerContainer(self.client, image, self.flavour, memory, pids, self.tmpfs_mb, builder)
                pool = Pool(factory, 1 if builder else self.pool_size)
                self._pools[key] = pool
        return pool

    def warm(self, language_ids: list[str] | tuple[str, ...], limits: Limits | None = None) -> None:
        from schemas import languages
        for lid in language_ids:
            self._pool(languages.get(lid), False, limits or self.default_limits).warm()

    def _call(self, pool: Pool, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        c = pool.acquire()
        try:
            reply = c.request(job, timeout)
            if reply.get("need_files"):
                raise ContainerBroken("runner lost a build")  # callers send files when the key is unknown
            return reply
        finally:
            pool.release(c)

    @staticmethod
    def _limits_json(limits: Limits, lang: Language, compile_step: bool) -> dict[str, Any]:
        # The container's memory cgroup enforces the memory limit: no address-space rlimit.
        lim = asdict(supervisor_limits(limits, langdata.extra(lang.id), compile_step, memory_cgroup=True))
        lim["nofile"] = NOFILE
        lim["nproc"] = 0  # per-uid across the host without a user namespace: the container's pids limit rules
        return lim

    def toolchain(self, lang: Language) -> str | None:
        if lang.id not in self._versions:
            reply = self._call(self._pool(lang, True, self.default_limits),
                               {"op": "version", "argv": list(lang.version),
                                "env": program_env(lang, "/gocache")}, 90)
            self._versions[lang.id] = reply.get("version")
        return self._versions[lang.id]

    def compile(self, lang: Language, source: str, build_dir: str, limits: Limits) -> BuildResult:
        src_name = langdata.source_name(lang, source)
        text = langdata.prepare_source(lang, source).encode("utf-8")
        argv = langdata.build_argv(lang, src_name)
        with open(os.path.join(build_dir, src_name), "wb") as fh:
            fh.write(text)
        if argv is None:
            return BuildResult(ok=True, build_dir=build_dir, files=(src_name,))
        sent = {src_name: text, **langdata.support_files(lang)}
        job = {"op": "build", "key": os.path.basename(build_dir), "argv": list(argv),
               "files": {name: base64.b64encode(data).decode() for name, data in sent.items()},
               "limits": self._limits_json(limits, lang, True), "env": program_env(lang, "/gocache")}
        try:
            reply = self._call(self._pool(lang, True, limits), job, limits.compile_time_s * 2 + REQUEST_SLACK_S)
        except ContainerBroken as exc:
            return BuildResult(ok=False, build_dir=build_dir, sandbox_error=str(exc))
        if "error" in reply or reply.get("lost") or reply.get("exec_errno"):
            why = reply.get("error") or ("compiler supervisor lost" if reply.get("lost") else
                                         f"cannot exec compiler: {os.strerror(reply['exec_errno'])}")
            return BuildResult(ok=False, build_dir=build_dir, sandbox_error=why)
        if not (reply.get("exited") and reply.get("code") == 0 and not reply.get("timeout")):
            text = (base64.b64decode(reply.get("stderr", "")) + b"\n" + base64.b64decode(reply.get("stdout", "")))
            detail = text.decode("utf-8", "replace").strip()
            if reply.get("timeout"):
                detail = f"compilation exceeded {limits.compile_time_s:g}s\n" + detail
            return BuildResult(ok=False, build_dir=build_dir, detail=detail[:2000] or "compilation failed")
        if not lang.compiled:
            return BuildResult(ok=True, build_dir=build_dir, files=(src_name,))
        names = []
        for name, data in reply.get("files", {}).items():
            if "/" in name or name in ("", ".", ".."):
                continue
            with open(os.path.join(build_dir, name), "wb") as fh:
                fh.write(base64.b64decode(data))
            names.append(name)
        files = tuple(sorted(names))
        problem = langdata.build_problem(lang, build_dir, files)
        if problem:
            return BuildResult(ok=False, build_dir=build_dir, detail=problem)
        return BuildResult(ok=True, build_dir=build_dir, files=files)

    def _build_files(self, build: BuildResult) -> dict[str, str]:
        out = {}
        for name in build.files:
            with open(os.path.join(build.build_dir, name), "rb") as fh:
                out[name] = base64.b64encode(fh.read()).decode()
        return out

    def run(self, lang: Language, build: BuildResult, stdin: str, limits: Limits) -> RunResult:
        key = os.path.basename(build.build_dir)
        job: dict[str, Any] = {"op": "run", "key": key, "argv": list(langdata.run_argv(lang, build.files)),
                               "stdin": base64.b64encode(stdin.encode("utf-8")).decode(),
                               "limits": self._limits_json(limits, lang, False),
                               "env": program_env(lang, "/gocache"), "output_cap": limits.output_bytes}
        pool = self._pool(lang, False, limits)
        c = pool.acquire()
        try:
            if key not in c.known_builds:
                job["files"] = self._build_files(build)
            c.reset_peak()
            reply = c.request(job, limits.wall_limit_s + REQUEST_SLACK_S)
            if reply.get("need_files"):
                job["files"] = self._build_files(build)
                c.reset_peak()
                reply = c.request(job, limits.wall_limit_s + REQUEST_SLACK_S)
            c.known_builds.add(key)
            peak = c.peak()
        except ContainerBroken as exc:
            return RunResult(supervisor_lost=True, stderr=str(exc).encode())
        finally:
            pool.release(c)
        result = reply_to_result(reply, limits.output_bytes)
        base = reply.get("mem_base", -1)
        if peak is not None and base is not None and base >= 0 and not result.sandbox_error:
            # The whole tree's memory at once (several processes, tmpfs files), not only its
            # largest process: what the container gained over the runner's base.
            result.peak_rss_bytes = max(result.peak_rss_bytes, peak - base)
        return result

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()
        self.client.close()


def reply_to_result(reply: dict[str, Any], output_cap: int) -> RunResult:
    if "error" in reply:
        return RunResult(sandbox_error=f"runner: {reply['error']}")
    if reply.get("exec_errno"):
        return RunResult(sandbox_error=f"cannot exec program: {os.strerror(reply['exec_errno'])}")
    stdout = base64.b64decode(reply.get("stdout", ""))
    if reply.get("lost"):  # the supervisor died without a report (the program killed it)
        return RunResult(supervisor_lost=True, stdout=stdout, stderr=base64.b64decode(reply.get("stderr", "")),
                         stdout_truncated=reply.get("stdout_size", 0) > output_cap,
                         wall_timeout=bool(reply.get("timeout")), oom_killed=bool(reply.get("oom")))
    return RunResult(
        exit_code=reply["code"] if reply.get("exited") else None,
        signal=reply.get("signal") or None,
        cpu_s=(reply.get("utime_us", 0) + reply.get("stime_us", 0)) / 1e6,
        wall_s=reply.get("wall_us", 0) / 1e6,
        peak_rss_bytes=reply.get("maxrss_kb", 0) * 1024,
        stdout=stdout, stderr=base64.b64decode(reply.get("stderr", "")),
        stdout_truncated=reply.get("stdout_size", 0) > output_cap,
        wall_timeout=bool(reply.get("timeout")), oom_killed=bool(reply.get("oom")),
    )


__all__ = ["DockerBackend", "docker_ready", "docker_unavailable_reason"]
