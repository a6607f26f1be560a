"""Start, probe and stop an OpenAI-compatible vLLM server without leaving orphans behind.

vLLM's API server spawns engine-core worker processes. ``VLLMServer`` starts the server
in its own session (so it leads a fresh process group), and on stop signals the whole
group plus every descendant it saw, SIGTERM first and SIGKILL after a grace period.

Beam's ``VLLMChatModelHandler`` starts its own server (``sys.executable -m
vllm.entrypoints.openai.api_server``) and only stops it from ``_VLLMModelServer.__del__``,
which sends SIGTERM to the API server alone; as RunInference keeps the model in a
process-level singleton, that object usually lives until interpreter exit, where
``__del__`` is not guaranteed to run. ``ManagedVLLMChatModelHandler`` tracks every server
it loads and stops each one's whole process tree from ``stop_beam_servers()``, which also
runs at exit.
"""
from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Self

SERVER_MODULE = "vllm.entrypoints.openai.api_server"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def cpu_server_kwargs(max_model_len: int = 4096, max_num_seqs: int = 64, dtype: str = "float32",
                      seed: int = 0) -> dict[str, str | None]:
    """vLLM flags for a small CPU deployment, in the ``{flag: value}`` form Beam's handlers take.

    Eager mode: compiling graphs costs minutes on a couple of cores and buys nothing for a
    tiny model. float32 is the dtype every CPU kernel supports. The "uni" executor runs the
    model worker inside the engine-core process instead of a third process: each vLLM
    process start costs a full torch + vLLM import (~30 s on two busy cores).
    """
    return {"dtype": dtype, "max-model-len": str(max_model_len), "max-num-seqs": str(max_num_seqs),
            "enforce-eager": None, "distributed-executor-backend": "uni", "seed": str(seed)}


def cpu_env(kv_cache_gib: int = 1, omp_threads_bind: str = "nobind") -> dict[str, str]:
    """Environment variables vLLM-CPU reads: a small KV cache, no core pinning (shared host).

    VLLM_ENABLE_V1_MULTIPROCESSING=0 is what lets vLLM-CPU honour the "uni" executor of
    cpu_server_kwargs() (it forces "mp" otherwise); the API server still runs its engine
    core in a child process.
    """
    return {"VLLM_CPU_KVCACHE_SPACE": str(kv_cache_gib), "VLLM_CPU_OMP_THREADS_BIND": omp_threads_bind,
            "VLLM_ENABLE_V1_MULTIPROCESSING": "0"}


def flags(kwargs: Mapping[str, str | None]) -> list[str]:
    """``{"max-model-len": "512", "enforce-eager": None}`` -> ``["--max-model-len", "512", "--enforce-eager"]``."""
    out: list[str] = []
    for key, value in kwargs.items():
        out.append(f"--{key}")
        if value is not None:
            out.append(str(value))
    return out


def server_argv(python: str, model: str, port: int, host: str = "127.0.0.1",
                served_model_name: str | None = None,
                server_kwargs: Mapping[str, str | None] | None = None,
                extra_args: Sequence[str] = ()) -> list[str]:
    """The argv that starts vLLM's OpenAI-compatible server."""
    argv = [python, "-m", SERVER_MODULE, "--model", str(model), "--host", host, "--port", str(port)]
    if served_model_name:
        argv += ["--served-model-name", served_model_name]
    argv += flags(cpu_server_kwargs() if server_kwargs is None else server_kwargs)
    return argv + list(extra_args)


# --- process-tree helpers (psutil: both venvs have it; vLLM depends on it) -------------------

def process_tree(pid: int) -> list[int]:
    """pid and all its living descendants."""
    import psutil
    try:
        proc = psutil.Process(pid)
        return [pid] + [c.pid for c in proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def group_members(pgid: int) -> list[int]:
    """Living processes whose process group is pgid."""
    import psutil
    members = []
    for proc in psutil.process_iter():
        try:
            if os.getpgid(proc.pid) == pgid and proc.status() != psutil.STATUS_ZOMBIE:
                members.append(proc.pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return members


def alive(pids: Iterable[int]) -> list[int]:
    """The pids that still run (zombies count as gone: they hold no resources but a slot)."""
    import psutil
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            continue
    return out


def processes_mentioning(text: str) -> list[int]:
    """Living processes, other than us and our ancestors, whose command line contains ``text``."""
    import psutil
    ours = {os.getpid()} | {p.pid for p in psutil.Process().parents()}
    hits = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            if (proc.info["pid"] not in ours and proc.info["status"] != psutil.STATUS_ZOMBIE
                    and text in " ".join(proc.info["cmdline"] or ())):
                hits.append(proc.info["pid"])
        except psutil.Error:
            continue
    return hits


def _signal_all(pids: Iterable[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop_tree(pids: Iterable[int], pgid: int | None = None, grace_s: float = 15.0,
              reap: subprocess.Popen | None = None) -> list[int]:
    """SIGTERM the processes (and group pgid), SIGKILL what remains after grace_s.

    Returns the pids that had to be killed. ``reap`` is our direct child, waited on so it
    leaves no zombie.
    """
    known = set(pids)
    if pgid is not None:
        known |= set(group_members(pgid))
    _signal_all(known, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if reap is not None:
            reap.poll()
        if pgid is not None:
            known |= set(group_members(pgid))
        if not alive(known):
            break
        time.sleep(0.2)
    killed = alive(known | (set(group_members(pgid)) if pgid is not None else set()))
    _signal_all(killed, signal.SIGKILL)
    # SIGKILL is delivered asynchronously: wait until the kernel has really ended them.
    deadline = time.monotonic() + grace_s
    while alive(killed) and time.monotonic() < deadline:
        time.sleep(0.05)
    if reap is not None:
        try:
            reap.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            pass
    return killed


def _get(url: str, timeout: float) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code
    except (urllib.error.URLError, OSError):
        return 0


class VLLMServer:
    """A vLLM OpenAI-compatible server as a context manager.

    >>> with VLLMServer("/path/to/model") as srv:
    ...     OpenAI(base_url=srv.base_url, api_key="x").chat.completions.create(model=srv.model_name, ...)
    """

    def __init__(self, model: str | Path, *, python: str | None = None, host: str = "127.0.0.1",
                 port: int | None = None, served_model_name: str | None = None,
                 server_kwargs: Mapping[str, str | None] | None = None,
                 extra_args: Sequence[str] = (), env: Mapping[str, str] | None = None,
                 startup_timeout_s: float = 600.0, grace_s: float = 15.0,
                 log_path: str | Path | None = None):
        self.model = str(model)
        self.python = python or sys.executable
        self.host = host
        self.requested_port = port
        self.served_model_name = served_model_name
        self.server_kwargs = dict(cpu_server_kwargs() if server_kwargs is None else server_kwargs)
        self.extra_args = list(extra_args)
        self.env = dict(cpu_env() if env is None else env)  # env={} for a GPU server
        self.startup_timeout_s = startup_timeout_s
        self.grace_s = grace_s
        # Our own temporary log is removed on stop (errors quote its tail); a given path stays.
        self._own_log = log_path is None
        self.log_path = Path(log_path) if log_path else Path(
            tempfile.mkstemp(prefix="vllm-server-", suffix=".log")[1])
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self.startup_s: float | None = None
        self._seen: set[int] = set()

    # -- addresses ---------------------------------------------------------------------------
    @property
    def model_name(self) -> str:
        """The name requests must use as ``model``."""
        return self.served_model_name or self.model

    @property
    def base_url(self) -> str:
        """OpenAI client base URL, e.g. ``http://127.0.0.1:8000/v1``."""
        if self.port is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self.port}/v1"

    def argv(self) -> list[str]:
        return server_argv(self.python, self.model, self.port or 0, self.host,
                           self.served_model_name, self.server_kwargs, self.extra_args)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> VLLMServer:
        if self.process is not None and self.process.poll() is None:
            return self
        self.port = self.requested_port or free_port(self.host)
        env = {**os.environ, **self.env}
        t0 = time.monotonic()
        with open(self.log_path, "ab") as log:
            # Own session: the server leads a new process group we can signal as a whole.
            self.process = subprocess.Popen(self.argv(), stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        self._seen = {self.process.pid}
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        self.startup_s = time.monotonic() - t0
        return self

    def wait_ready(self) -> None:
        """Block until /health and /v1/models answer 200, the process dies, or the deadline passes."""
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout_s
        root = f"http://{self.host}:{self.port}"
        while time.monotonic() < deadline:
            self._remember_tree()
            if self.process.poll() is not None:
                raise RuntimeError(f"vLLM server exited with {self.process.returncode}:\n{self.log_tail()}")
            if _get(root + "/health", 2.0) == 200 and _get(root + "/v1/models", 2.0) == 200:
                return
            time.sleep(0.5)
        raise TimeoutError(f"vLLM server not ready after {self.startup_timeout_s:.0f}s:\n{self.log_tail()}")

    def healthy(self) -> bool:
        return (self.process is not None and self.process.poll() is None
                and _get(f"http://{self.host}:{self.port}/health", 2.0) == 200)

    def pids(self) -> list[int]:
        """Living processes of this server: its process group and every descendant seen."""
        self._remember_tree()
        return alive(self._seen)

    def stop(self) -> list[int]:
        """Terminate the whole server tree; returns pids that needed SIGKILL."""
        if self.process is None:
            return []
        self._remember_tree()
        killed = stop_tree(self._seen, self.process.pid, self.grace_s, reap=self.process)
        self.process = None
        if self._own_log:
            self.log_path.unlink(missing_ok=True)
        return killed

    def kill(self) -> None:
        """Simulate a crash: SIGKILL the server's process group at once, no shutdown."""
        if self.process is None:
            return
        self._remember_tree()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _signal_all(self._seen, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + self.grace_s
        while alive(self._seen) and time.monotonic() < deadline:
            time.sleep(0.05)

    def restart(self) -> VLLMServer:
        """Stop (if running) and start again on the same port."""
        if self.process is not None:
            self.stop()
        self.requested_port = self.requested_port or self.port
        return self.start()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def _remember_tree(self) -> None:
        if self.process is not None:
            self._seen |= set(process_tree(self.process.pid)) | set(group_members(self.process.pid))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- Beam ------------------------------------------------------------------------------------

_BEAM_SERVERS: list = []
_BEAM_LOCK = threading.Lock()
_ATEXIT_REGISTERED = False


def _beam_server_tree(server) -> list[int]:
    procs = [getattr(server, name, None) for name in ("_server_process", "_dynamo_process", "_etcd_process")]
    return [pid for p in procs if p is not None for pid in process_tree(p.pid)]


def stop_beam_servers(grace_s: float = 15.0) -> int:
    """Stop every server a ManagedVLLMChatModelHandler loaded in this process; returns how many.

    Descendants are collected before Beam's own stop (SIGTERM to the API server only), as
    they are re-parented and out of reach once it exits; any that linger are then killed.
    """
    with _BEAM_LOCK:
        servers, _BEAM_SERVERS[:] = list(_BEAM_SERVERS), []
    for server in servers:
        tree = _beam_server_tree(server)
        try:
            server._stop_processes()
        finally:
            stop_tree(tree, None, grace_s)
    return len(servers)


def _make_managed_handler():
    from apache_beam.ml.inference.vllm_inference import VLLMChatModelHandler

    class ManagedVLLMChatModelHandler(VLLMChatModelHandler):
        """Beam's VLLMChatModelHandler whose servers are tracked and stopped by stop_beam_servers().

        ``env`` is applied to this process before the server starts (Beam's server inherits
        our environment); it defaults to cpu_env() values not already set.
        """

        def __init__(self, model_name: str, chat_template_path: str | None = None,
                     vllm_server_kwargs: dict[str, str | None] | None = None,
                     env: Mapping[str, str] | None = None, **kwargs):
            super().__init__(model_name, chat_template_path,
                             cpu_server_kwargs() if vllm_server_kwargs is None else vllm_server_kwargs,
                             **kwargs)
            self._env = dict(cpu_env() if env is None else env)

        def load_model(self):
            global _ATEXIT_REGISTERED
            for key, value in self._env.items():
                os.environ.setdefault(key, value)
            server = super().load_model()
            with _BEAM_LOCK:
                _BEAM_SERVERS.append(server)
                if not _ATEXIT_REGISTERED:
                    atexit.register(stop_beam_servers)
                    _ATEXIT_REGISTERED = True
            return server

    # Pickled by reference (Beam ships the handler to workers): name it as a module attribute.
    ManagedVLLMChatModelHandler.__qualname__ = "ManagedVLLMChatModelHandler"
    ManagedVLLMChatModelHandler.__module__ = __name__
    return ManagedVLLMChatModelHandler


def __getattr__(name: str):
    # Beam's vLLM module imports openai and probes for vllm: load it only when asked.
    if name == "ManagedVLLMChatModelHandler":
        cls = _make_managed_handler()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
