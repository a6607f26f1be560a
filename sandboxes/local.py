"""The local backend: bubblewrap namespaces (or ``unshare``), rlimits, a cgroup, sbexec.

Process tree of one run::

    sbexec --enter-cgroups ... -- bwrap ... -- /.sbexec <fd> <limits> -- <program>
    (host, joins the cgroup)      (namespaces)  (supervisor, root w/o caps)  (uid 65534)

The supervisor wait4()s the program and reports its own rusage on a pipe, so
bwrap's set-up cost never enters cpu_s / peak_rss_bytes / wall_s.
"""
from __future__ import annotations

import math
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import weakref
from dataclasses import dataclass

from schemas.languages import Language

from . import langdata
from .cgroups import WorkerCgroup
from .helper import sbexec_path
from .model import BuildResult, Limits, RunResult

SANDBOX_UID = 65534
SANDBOX_GID = 65534
WORK = "/box"  # the program's working directory inside the sandbox
GOCACHE_IN = "/gocache"
PATH = "/usr/local/bin:/usr/bin:/bin"
# /etc entries the toolchains read (Java's jvm.cfg and Mono's config are links into /etc).
ETC_BINDS = ("alternatives", "java-17-openjdk", "mono", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
             "passwd", "group", "nsswitch.conf", "localtime", "ssl/openssl.cnf")
NOFILE = 256
CGROUP_SLACK_BYTES = 128 << 20  # page cache, tmpfs files and the supervisor ride on top of the program
COMPILE_PIDS = 512
BACKSTOP_S = 10.0  # extra wall time before the host kills a run the supervisor failed to stop


@dataclass(frozen=True)
class SupervisorLimits:
    cpu_s: int
    wall_ms: int
    memory_rlimit: str
    memory_bytes: int
    fsize_bytes: int
    nproc: int
    stack_bytes: int


def supervisor_limits(limits: Limits, extra: langdata.LangExtra, compile_step: bool) -> SupervisorLimits:
    """The rlimits sbexec applies, derived from the user-facing limits."""
    memory_rlimit = extra.memory_rlimit
    if compile_step:
        mem = limits.compile_memory_mb << 20
        return SupervisorLimits(cpu_s=int(math.ceil(limits.compile_time_s)) + 1,
                                wall_ms=int(limits.compile_time_s * 2000), memory_rlimit=memory_rlimit,
                                memory_bytes=mem, fsize_bytes=256 << 20, nproc=0, stack_bytes=8 << 20)
    mem = limits.memory_mb << 20
    return SupervisorLimits(cpu_s=int(math.floor(limits.time_s)) + 1, wall_ms=int(limits.wall_limit_s * 1000),
                            memory_rlimit=memory_rlimit, memory_bytes=mem,
                            fsize_bytes=limits.output_bytes + 1, nproc=0, stack_bytes=min(mem // 4, extra.stack_mb << 20))


def supervisor_argv(path: str, result_fd: int, lim: SupervisorLimits, argv: tuple[str, ...] | list[str]) -> list[str]:
    return [path, str(result_fd), str(SANDBOX_UID), str(SANDBOX_GID), str(lim.cpu_s), str(lim.wall_ms),
            lim.memory_rlimit, str(lim.memory_bytes), str(lim.fsize_bytes), str(NOFILE), str(lim.nproc),
            str(lim.stack_bytes), "--", *argv]


def parse_supervisor_line(line: str) -> dict[str, int]:
    """``key=value`` integers from sbexec's result line."""
    out: dict[str, int] = {}
    for item in line.split():
        key, _, value = item.partition("=")
        try:
            out[key] = int(value)
        except ValueError:
            continue
    return out


def program_env(lang: Language, gocache: str) -> dict[str, str]:
    """The whole environment a sandboxed program sees: nothing leaks from the host."""
    env = {"PATH": PATH, "HOME": WORK, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": "/tmp"}
    for key, value in langdata.extra(lang.id).env.items():
        env[key] = value.format(home=WORK, gocache=gocache)
    return env


def _root_links() -> list[str]:
    """Merged-/usr hosts have /bin, /lib... as links into /usr: recreate them; bind real dirs."""
    args: list[str] = []
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = "/" + name
        if os.path.islink(host):
            args += ["--symlink", os.readlink(host), host]
        elif os.path.isdir(host):
            args += ["--ro-bind", host, host]
    return args


def etc_skeleton(root: str) -> str:
    """A private copy of the few /etc entries toolchains need, bound as /etc with one mount
    (one bind per entry costs a few ms per run). Returns the directory."""
    etc = os.path.join(root, "etc")
    os.makedirs(etc, mode=0o755, exist_ok=True)
    for entry in ETC_BINDS:
        src, dst = "/etc/" + entry, os.path.join(etc, entry)
        if not os.path.lexists(src) or os.path.lexists(dst):
            continue
        os.makedirs(os.path.dirname(dst), mode=0o755, exist_ok=True)
        if os.path.isdir(src) and not os.path.islink(src):
            shutil.copytree(src, dst, symlinks=True, ignore_dangling_symlinks=True)
        else:
            shutil.copy2(src, dst, follow_symlinks=True)
    for dirpath, dirnames, filenames in os.walk(etc):  # readable by the sandbox user, nothing more
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)
    os.chmod(etc, 0o755)
    return etc


def bwrap_argv(helper: str, etc_dir: str, work_binds: list[str], tmpfs_bytes: int,
               extra_binds: list[str]) -> list[str]:
    """bubblewrap options for one sandbox (the command follows). No controlling terminal
    exists (the launcher starts a new session), so --new-session is not needed."""
    return ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
            "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL",
            "--ro-bind", "/usr", "/usr", *_root_links(), "--ro-bind", etc_dir, "/etc",
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(tmpfs_bytes), "--tmpfs", "/tmp",
            "--ro-bind", helper, "/.sbexec", *extra_binds, *work_binds, "--chdir", WORK, "--"]


SERVER_RESULT_FD = 3  # where sbexec's fork server puts the result pipe in each launch


class SpawnServer:
    """``sbexec --spawn-server``: a tiny process that joined the worker's cgroups once and
    launches each sandbox on request. Moving a process into a v1 cgroup waits for an RCU
    grace period (~15 ms here) and forking this (large) Python process costs more than
    forking a static helper: both leave the per-run path."""

    def __init__(self, helper: str, procs_files: list[str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = subprocess.Popen([helper, "--spawn-server", str(theirs.fileno()), *procs_files],
                                         pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finally:
            theirs.close()
        self.sock = ours
        self.pid = self.proc.pid
        self._lock = threading.Lock()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str, fds: tuple[int, int, int, int]) -> int:
        """Start argv with fds as stdin, stdout, stderr and fd 3, in a new session; its pid."""
        parts = [cwd, str(len(argv)), *argv, str(len(env)), *(f"{k}={v}" for k, v in env.items())]
        payload = b"\0".join(p.encode("utf-8", "surrogateescape") for p in parts) + b"\0"
        with self._lock:
            socket.send_fds(self.sock, [payload], list(fds))
            reply = self.sock.recv(32)
        if not reply or int(reply) <= 0:
            raise OSError("the sandbox spawn server failed (cgroup not enterable?)")
        return int(reply)

    def close(self) -> None:
        self.sock.close()  # the server exits on EOF
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class LocalBackend:
    """Runs programs on this host under bwrap (preferred) or unshare."""

    name = "local"

    def __init__(self, isolation: str = "auto", state_dir: str | None = None) -> None:
        if isolation == "auto":
            isolation = "bwrap" if shutil.which("bwrap") else "unshare"
        if isolation not in ("bwrap", "unshare") or shutil.which(isolation) is None:
            raise RuntimeError(f"isolation {isolation!r} is not available on this host")
        self.isolation = isolation
        self.helper = sbexec_path()
        self.state_dir = state_dir or tempfile.mkdtemp(prefix=f"codepref-sandbox-{os.getpid()}-")
        os.chmod(self.state_dir, 0o711)
        # Shared across runs and processes so `go build` is warm: the standard library is built once.
        self.gocache = os.environ.get("CODEPREF_GOCACHE", "/tmp/codepref-sandbox-gocache")
        self.etc_dir = etc_skeleton(self.state_dir) if isolation == "bwrap" else "/etc"
        self._local = threading.local()
        self._cgroups: list[WorkerCgroup] = []
        self._servers: list[SpawnServer] = []
        self._lock = threading.Lock()
        # Pipelines do not always call close(): release cgroups and servers at exit anyway.
        self._finalizer = weakref.finalize(self, _release, self._servers, self._cgroups, self.state_dir)

    # -- helpers -----------------------------------------------------------------------------------
    def _cgroup(self) -> WorkerCgroup:
        cg = getattr(self._local, "cgroup", None)
        if cg is None:
            cg = WorkerCgroup()
            self._local.cgroup = cg
            with self._lock:
                self._cgroups.append(cg)
        return cg

    def _server(self, cg: WorkerCgroup) -> "SpawnServer":
        """This thread's fork server, living in its cgroup (started on first use)."""
        server = getattr(self._local, "server", None)
        if server is None or not server.alive():
            server = SpawnServer(self.helper, cg.procs_files)
            self._local.server = server
            with self._lock:
                self._servers.append(server)
        return server

    def _drop_server(self) -> None:
        server = getattr(self._local, "server", None)
        if server is not None:
            server.close()
            self._local.server = None

    def _scratch(self) -> str:
        """This thread's directory for the stdio files of its runs (reused: mkdtemp per run costs)."""
        path = getattr(self._local, "scratch", None)
        if path is None:
            path = tempfile.mkdtemp(dir=self.state_dir)
            self._local.scratch = path
        return path

    def _ensure_gocache(self) -> None:
        os.makedirs(self.gocache, exist_ok=True)
        st = os.stat(self.gocache)
        if st.st_uid != SANDBOX_UID:
            os.chown(self.gocache, SANDBOX_UID, SANDBOX_GID)

    def _wrap(self, work_dir: str, read_only_files: list[str] | None, lang: Language, tmpfs_bytes: int) -> list[str]:
        """Namespace launcher argv; the supervisor argv follows it."""
        if self.isolation == "unshare":
            return ["unshare", "--pid", "--net", "--ipc", "--uts", "--mount", "--fork", "--kill-child",
                    "--mount-proc", "--"]
        extra: list[str] = []
        if langdata.extra(lang.id).needs_gocache:
            extra = ["--bind", self.gocache, GOCACHE_IN]
        if read_only_files is None:  # compile: the build dir itself is the writable work dir
            work = ["--bind", work_dir, WORK]
        else:  # run: a private tmpfs with the build's files bound read-only into it
            work = ["--perms", "0777", "--size", str(tmpfs_bytes), "--tmpfs", WORK]
            for name in read_only_files:
                work += ["--ro-bind", os.path.join(work_dir, name), f"{WORK}/{name}"]
        return bwrap_argv(self.helper, self.etc_dir, work, tmpfs_bytes, extra)

    def _launch(self, lang: Language, argv: tuple[str, ...] | list[str], work_dir: str,
                read_only_files: list[str] | None, stdin_data: bytes, lim: SupervisorLimits,
                memory_cap: int, pids: int, output_cap: int) -> RunResult:
        cg = self._cgroup()
        cg.prepare(memory_cap, pids + 1)  # + the worker's spawn server
        nproc = lim.nproc or (pids * 4 if cg.available else pids)
        lim = SupervisorLimits(lim.cpu_s, lim.wall_ms, lim.memory_rlimit, lim.memory_bytes, lim.fsize_bytes,
                               nproc, lim.stack_bytes)
        tmpfs_bytes = max(lim.fsize_bytes, 16 << 20)
        env = program_env(lang, GOCACHE_IN if self.isolation == "bwrap" else self.gocache)
        if self.isolation == "unshare":  # no mount layout of our own: host paths
            env["HOME"] = work_dir
            if "GOPATH" in env:
                env["GOPATH"] = os.path.join(work_dir, "gopath")
        scratch = self._scratch()
        try:
            stdin_path = os.path.join(scratch, "stdin")
            with open(stdin_path, "wb") as fh:
                fh.write(stdin_data)
            out_fd = os.open(os.path.join(scratch, "stdout"), os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
            err_fd = os.open(os.path.join(scratch, "stderr"), os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
            in_fd = os.open(stdin_path, os.O_RDONLY)
            rfd, wfd = os.pipe()
            helper_in = "/.sbexec" if self.isolation == "bwrap" else self.helper
            cmd = self._wrap(work_dir, read_only_files, lang, tmpfs_bytes)
            cmd += supervisor_argv(helper_in, SERVER_RESULT_FD, lim, argv)
            backstop = lim.wall_ms / 1000 + BACKSTOP_S
            try:
                pid = self._server(cg).spawn(cmd, env, work_dir, (in_fd, out_fd, err_fd, wfd))
            except OSError as exc:
                self._drop_server()
                if not cg.available:
                    os.close(rfd)
                    return RunResult(sandbox_error=f"cannot start sandbox: {exc}")
                cg.close()  # the cgroup cannot be entered: go on with rlimits only
                try:
                    pid = self._server(cg).spawn(cmd, env, work_dir, (in_fd, out_fd, err_fd, wfd))
                except OSError as exc2:
                    self._drop_server()
                    os.close(rfd)
                    return RunResult(sandbox_error=f"cannot start sandbox: {exc2}")
            finally:
                os.close(wfd)
                os.close(in_fd)
            # The launch is done when every holder of the result pipe (bwrap, its init, the
            # supervisor; never the program) has exited; a timer enforces the backstop.
            fired: list[bool] = []
            timer = threading.Timer(backstop, lambda: (fired.append(True), _kill_group(pid)))
            timer.daemon = True
            timer.start()
            chunks = []
            try:
                while chunk := os.read(rfd, 4096):
                    chunks.append(chunk)
            finally:
                timer.cancel()
                os.close(rfd)
            host_timeout = bool(fired)
            line = b"".join(chunks)[:4096].decode("ascii", "replace")
            cg.kill_all(keep=self._server(cg).pid)
            stdout = _read_capped(out_fd, output_cap)
            stderr = _read_capped(err_fd, 1 << 16)
            os.close(out_fd)
            os.close(err_fd)
            return _result(line, stdout, stderr, output_cap, host_timeout, cg.oom_killed(), None)
        finally:
            for name in ("stdin", "stdout", "stderr"):
                try:
                    os.unlink(os.path.join(scratch, name))
                except OSError:
                    pass

    # -- backend interface -------------------------------------------------------------------------
    def compile(self, lang: Language, source: str, build_dir: str, limits: Limits) -> BuildResult:
        with open(os.path.join(build_dir, lang.source), "w", encoding="utf-8") as fh:
            fh.write(source)
        os.chmod(build_dir, 0o755)
        argv = langdata.build_argv(lang)
        if argv is None:
            return BuildResult(ok=True, build_dir=build_dir, files=(lang.source,))
        os.chown(build_dir, SANDBOX_UID, SANDBOX_GID)
        if langdata.extra(lang.id).needs_gocache:
            self._ensure_gocache()
        extra = langdata.extra(lang.id)
        lim = supervisor_limits(limits, extra, compile_step=True)
        run = self._launch(lang, argv, build_dir, None, b"", lim,
                           (limits.compile_memory_mb << 20) + CGROUP_SLACK_BYTES, COMPILE_PIDS, 1 << 16)
        if run.sandbox_error:
            return BuildResult(ok=False, build_dir=build_dir, sandbox_error=run.sandbox_error)
        if run.supervisor_lost:
            return BuildResult(ok=False, build_dir=build_dir,
                               sandbox_error="compiler supervisor vanished: " + run.stderr[:300].decode("utf-8", "replace"))
        if run.wall_timeout or run.signal or run.exit_code != 0:
            text = (run.stderr + b"\n" + run.stdout).decode("utf-8", "replace").strip()
            if run.wall_timeout:
                text = f"compilation exceeded {limits.compile_time_s:g}s\n" + text
            return BuildResult(ok=False, build_dir=build_dir, detail=text[:2000] or f"compiler exit {run.exit_code}")
        if not lang.compiled:  # a syntax check leaves nothing the run needs
            return BuildResult(ok=True, build_dir=build_dir, files=(lang.source,))
        files = tuple(sorted(n for n in os.listdir(build_dir) if os.path.isfile(os.path.join(build_dir, n))))
        return BuildResult(ok=True, build_dir=build_dir, files=files)

    def run(self, lang: Language, build: BuildResult, stdin: str, limits: Limits) -> RunResult:
        extra = langdata.extra(lang.id)
        lim = supervisor_limits(limits, extra, compile_step=False)
        if self.isolation == "unshare":
            # No private mount namespace layout: give the run its own copy of the build.
            work = tempfile.mkdtemp(dir=self.state_dir)
            try:
                for name in build.files:
                    shutil.copy2(os.path.join(build.build_dir, name), os.path.join(work, name))
                os.chown(work, SANDBOX_UID, SANDBOX_GID)
                os.chmod(work, 0o755)
                return self._launch(lang, lang.run, work, None, stdin.encode("utf-8"), lim,
                                    (limits.memory_mb << 20) + CGROUP_SLACK_BYTES, limits.pids, limits.output_bytes)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        return self._launch(lang, lang.run, build.build_dir, list(build.files), stdin.encode("utf-8"), lim,
                            (limits.memory_mb << 20) + CGROUP_SLACK_BYTES, limits.pids, limits.output_bytes)

    def toolchain(self, lang: Language) -> str | None:
        return probe_version(lang)

    def close(self) -> None:
        with self._lock:
            self._finalizer()


def _release(servers: list[SpawnServer], cgroups: list[WorkerCgroup], state_dir: str) -> None:
    for server in servers:
        server.close()
    servers.clear()
    for cg in cgroups:
        cg.close()
    cgroups.clear()
    shutil.rmtree(state_dir, ignore_errors=True)


_versions: dict[str, str | None] = {}


def probe_version(lang: Language) -> str | None:
    """First line of the toolchain's version output (cached per process)."""
    if lang.id not in _versions:
        try:
            proc = subprocess.run(list(lang.version), capture_output=True, timeout=60,
                                  env={"PATH": PATH, "HOME": "/tmp", "LANG": "C.UTF-8"})
            text = (proc.stdout or proc.stderr).decode("utf-8", "replace")
            _versions[lang.id] = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
        except (OSError, subprocess.SubprocessError):
            _versions[lang.id] = None
    return _versions[lang.id]


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _read_capped(fd: int, cap: int) -> tuple[bytes, bool]:
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    data = os.read(fd, min(size, cap)) if size else b""
    return data, size > cap


def _result(line: str, stdout: tuple[bytes, bool], stderr: tuple[bytes, bool], output_cap: int,
            host_timeout: bool, oom: bool, launcher_rc: int | None) -> RunResult:
    fields = parse_supervisor_line(line)
    out, truncated = stdout
    err, _ = stderr
    if "exited" not in fields:
        text = err.decode("utf-8", "replace")
        if host_timeout:
            return RunResult(wall_timeout=True, stdout=out, stderr=err, oom_killed=oom)
        if text.startswith(("bwrap:", "sbexec:", "unshare:")) and "sbexec: exec" not in text:
            return RunResult(sandbox_error=text.strip().splitlines()[0][:300], stdout=out, stderr=err)
        return RunResult(supervisor_lost=True, exit_code=launcher_rc, stdout=out, stderr=err,
                         stdout_truncated=truncated, oom_killed=oom)
    if fields.get("exec_errno"):
        return RunResult(sandbox_error=f"cannot exec program: {os.strerror(fields['exec_errno'])}",
                         stdout=out, stderr=err)
    sig = fields.get("signal") or None
    return RunResult(
        exit_code=fields["code"] if fields["exited"] else None,
        signal=sig,
        cpu_s=(fields.get("utime_us", 0) + fields.get("stime_us", 0)) / 1e6,
        wall_s=fields.get("wall_us", 0) / 1e6,
        peak_rss_bytes=fields.get("maxrss_kb", 0) * 1024,
        stdout=out, stderr=err, stdout_truncated=truncated,
        wall_timeout=bool(fields.get("timeout")), oom_killed=oom,
    )
