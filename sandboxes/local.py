"""The local backend: bubblewrap namespaces (or ``unshare``), rlimits, a cgroup, sbexec.

Process tree of one run::

    sbexec --spawn-server ... -> bwrap ... -- /.sbexec <fd> <limits> -- <program>
    (host, in the worker cgroup)  (namespaces)  (supervisor, root w/o caps)  (the worker's own uid)

The supervisor reaps the program and every descendant (it is their subreaper) and
reports their rusage on a pipe, so bwrap's set-up cost never enters cpu_s /
peak_rss_bytes / wall_s while orphans' CPU and memory do.

Programs run as a uid of their own per worker (``run_uid``), never shared with a
neighbouring sandbox: RLIMIT_NPROC counts per uid, and compile outputs and the Go
build cache (written by compilers as ``SANDBOX_UID``) stay read-only to programs.
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
from .buildcache import BUILDS_PREFIX
from .cgroups import WorkerCgroup
from .helper import sbexec_path
from .model import BuildResult, Limits, RunResult

SANDBOX_UID = 65534  # compilers (they write the build dir and the shared Go build cache)
SANDBOX_GID = 65534
# Programs: RUN_UID_BASE + (pid mod 2**22) * RUN_UID_SLOTS + slot, unique to one worker thread of
# one live process (pids are unique while alive and below pid_max <= 2**22; under 2**31 in all).
RUN_UID_BASE = 100_000_000
RUN_UID_SLOTS = 256
_slot_lock = threading.Lock()
_slots_in_use: set[int] = set()


def _take_slot() -> int:
    """The lowest run-uid slot no live backend thread of this process holds."""
    with _slot_lock:
        slot = next(i for i in range(RUN_UID_SLOTS + 1) if i not in _slots_in_use)
        if slot == RUN_UID_SLOTS:
            raise RuntimeError(f"more than {RUN_UID_SLOTS} local sandbox workers in one process")
        _slots_in_use.add(slot)
        return slot


def _give_back_slots(slots: list[int]) -> None:
    with _slot_lock:
        _slots_in_use.difference_update(slots)
    slots.clear()
STATE_PREFIX = "codepref-sandbox-"
WORK = "/box"  # the program's working directory inside the sandbox
GOCACHE_IN = "/gocache"
PATH = "/usr/local/bin:/usr/bin:/bin"
# /etc entries the toolchains read (Java's jvm.cfg and Mono's config are links into /etc).
ETC_BINDS = ("alternatives", "java-17-openjdk", "mono", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
             "passwd", "group", "nsswitch.conf", "localtime", "ssl/openssl.cnf")
NOFILE = 256
CGROUP_SLACK_BYTES = 64 << 20  # page cache, tmpfs files, bwrap and the supervisor ride on top of the program;
# small, since the cgroup (not RLIMIT_AS) is what limits the program's memory
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


def supervisor_limits(limits: Limits, extra: langdata.LangExtra, compile_step: bool,
                      memory_cgroup: bool = False) -> SupervisorLimits:
    """The rlimits sbexec applies, derived from the user-facing limits.

    With a memory cgroup enforcing the limit (``memory_cgroup``), no address-space or data
    rlimit is set: resident memory is what counts, and RLIMIT_AS would refuse a fourth C
    thread (each reserves its stack size of address space). The rlimit is the fallback."""
    memory_rlimit = "none" if memory_cgroup else extra.memory_rlimit
    if compile_step:
        mem = limits.compile_memory_mb << 20
        return SupervisorLimits(cpu_s=int(math.ceil(limits.compile_time_s)) + 1,
                                wall_ms=int(limits.compile_time_s * 2000), memory_rlimit=memory_rlimit,
                                memory_bytes=mem, fsize_bytes=256 << 20, nproc=0, stack_bytes=8 << 20)
    mem = limits.memory_mb << 20
    return SupervisorLimits(cpu_s=int(math.floor(limits.time_s)) + 1, wall_ms=int(limits.wall_limit_s * 1000),
                            memory_rlimit=memory_rlimit, memory_bytes=mem,
                            fsize_bytes=limits.output_bytes + 1, nproc=0, stack_bytes=min(mem // 4, extra.stack_mb << 20))


def supervisor_argv(path: str, result_fd: int, lim: SupervisorLimits, argv: tuple[str, ...] | list[str],
                    uid: int = SANDBOX_UID, gid: int = SANDBOX_GID) -> list[str]:
    return [path, str(result_fd), str(uid), str(gid), str(lim.cpu_s), str(lim.wall_ms),
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

    def __init__(self, isolation: str = "auto", state_dir: str | None = None, gocache: str | None = None) -> None:
        if isolation == "auto":
            isolation = "bwrap" if shutil.which("bwrap") else "unshare"
        if isolation not in ("bwrap", "unshare") or shutil.which(isolation) is None:
            raise RuntimeError(f"isolation {isolation!r} is not available on this host")
        self.isolation = isolation
        self.helper = sbexec_path()
        sweep_stale_state(tempfile.gettempdir())  # what a killed process left (kill -9 skips close())
        self.state_dir = state_dir or tempfile.mkdtemp(prefix=f"{STATE_PREFIX}{os.getpid()}-")
        os.chmod(self.state_dir, 0o711)
        # Shared across runs and processes so `go build` is warm: the standard library is built once.
        # Only compilers see it (read-write, as SANDBOX_UID); programs never do.
        self.gocache = gocache or os.environ.get("CODEPREF_GOCACHE", "/tmp/codepref-sandbox-gocache")
        self.etc_dir = etc_skeleton(self.state_dir) if isolation == "bwrap" else "/etc"
        self._local = threading.local()
        self._cgroups: list[WorkerCgroup] = []
        self._servers: list[SpawnServer] = []
        self._lock = threading.Lock()
        self._slots: list[int] = []
        # Pipelines do not always call close(): release cgroups and servers at exit anyway.
        self._finalizer = weakref.finalize(self, _release, self._servers, self._cgroups, self.state_dir,
                                           self._slots)

    # -- helpers -----------------------------------------------------------------------------------
    def run_uid(self) -> int:
        """This worker thread's program uid (see RUN_UID_BASE)."""
        slot = getattr(self._local, "slot", None)
        if slot is None:
            slot = self._local.slot = _take_slot()
            with self._lock:
                self._slots.append(slot)
        return RUN_UID_BASE + (os.getpid() % (1 << 22)) * RUN_UID_SLOTS + slot

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
            with self._lock:
                if server in self._servers:
                    self._servers.remove(server)

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
        if st.st_mode & 0o777 != 0o755:  # writable by compilers only, never by a program's uid
            os.chmod(self.gocache, 0o755)

    def _wrap(self, work_dir: str, read_only_files: list[str] | None, lang: Language, tmpfs_bytes: int) -> list[str]:
        """Namespace launcher argv; the supervisor argv follows it."""
        if self.isolation == "unshare":
            return ["unshare", "--pid", "--net", "--ipc", "--uts", "--mount", "--fork", "--kill-child",
                    "--mount-proc", "--"]
        extra: list[str] = []
        if read_only_files is None:  # compile: the build dir itself is the writable work dir
            work = ["--bind", work_dir, WORK]
            if langdata.extra(lang.id).needs_gocache:  # compile only: a program never sees the cache
                extra = ["--bind", self.gocache, GOCACHE_IN]
        else:  # run: a private tmpfs with the build's files bound read-only into it
            work = ["--perms", "0777", "--size", str(tmpfs_bytes), "--tmpfs", WORK]
            for name in read_only_files:
                work += ["--ro-bind", os.path.join(work_dir, name), f"{WORK}/{name}"]
        return bwrap_argv(self.helper, self.etc_dir, work, tmpfs_bytes, extra)

    def _spawn(self, cg: WorkerCgroup, cmd: list[str], env: dict[str, str], cwd: str,
               fds: tuple[int, int, int, int]) -> int | str:
        """Start one launch through this thread's spawn server: its pid, or why it failed."""
        try:
            return self._server(cg).spawn(cmd, env, cwd, fds)
        except OSError as exc:
            self._drop_server()
            if not cg.available:
                return f"cannot start sandbox: {exc}"
        cg.close()  # the cgroup cannot be entered: go on with rlimits only
        try:
            return self._server(cg).spawn(cmd, env, cwd, fds)
        except OSError as exc:
            self._drop_server()
            return f"cannot start sandbox: {exc}"

    def _launch(self, lang: Language, argv: tuple[str, ...] | list[str], work_dir: str,
                read_only_files: list[str] | None, stdin_data: bytes, limits: Limits, compile_step: bool,
                memory_cap: int, pids: int, output_cap: int) -> RunResult:
        """One sandboxed process tree. Every descriptor opened here is closed on every path
        (a launch that fails to start included), so failures cannot exhaust the worker's fds."""
        cg = self._cgroup()
        cg.prepare(memory_cap, pids + 1)  # + the worker's spawn server
        lim = supervisor_limits(limits, langdata.extra(lang.id), compile_step, memory_cgroup=cg.has_memory)
        nproc = lim.nproc or (pids * 4 if cg.available else pids)
        lim = SupervisorLimits(lim.cpu_s, lim.wall_ms, lim.memory_rlimit, lim.memory_bytes, lim.fsize_bytes,
                               nproc, lim.stack_bytes)
        uid = SANDBOX_UID if compile_step else self.run_uid()
        tmpfs_bytes = max(lim.fsize_bytes, 16 << 20)
        env = program_env(lang, GOCACHE_IN if self.isolation == "bwrap" else self.gocache)
        if not compile_step:
            env.pop("GOCACHE", None)  # a program has no build cache
        if self.isolation == "unshare":  # no mount layout of our own: host paths
            env["HOME"] = work_dir
            if "GOPATH" in env:
                env["GOPATH"] = os.path.join(work_dir, "gopath")
        scratch = self._scratch()
        opened: list[int] = []
        try:
            stdin_path = os.path.join(scratch, "stdin")
            with open(stdin_path, "wb") as fh:
                fh.write(stdin_data)
            out_fd = os.open(os.path.join(scratch, "stdout"), os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            opened.append(out_fd)
            err_fd = os.open(os.path.join(scratch, "stderr"), os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            opened.append(err_fd)
            in_fd = os.open(stdin_path, os.O_RDONLY | os.O_CLOEXEC)
            opened.append(in_fd)
            rfd, wfd = os.pipe2(os.O_CLOEXEC)
            opened += [rfd, wfd]
            helper_in = "/.sbexec" if self.isolation == "bwrap" else self.helper
            cmd = self._wrap(work_dir, read_only_files, lang, tmpfs_bytes)
            cmd += supervisor_argv(helper_in, SERVER_RESULT_FD, lim, argv, uid, uid if not compile_step else SANDBOX_GID)
            backstop = lim.wall_ms / 1000 + BACKSTOP_S
            mem_base = cg.usage_bytes()
            pid = self._spawn(cg, cmd, env, work_dir, (in_fd, out_fd, err_fd, wfd))
            for fd in (wfd, in_fd):  # only the launch holds these now
                opened.remove(fd)
                os.close(fd)
            if isinstance(pid, str):
                return RunResult(sandbox_error=pid)
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
            host_timeout = bool(fired)
            line = b"".join(chunks)[:4096].decode("ascii", "replace")
            if cg.available:
                cg.kill_all(keep=self._server(cg).pid)
            stdout = _read_capped(out_fd, output_cap)
            stderr = _read_capped(err_fd, 1 << 16)
            result = _result(line, stdout, stderr, output_cap, host_timeout, cg.oom_killed(), None)
            peak = cg.peak_bytes()
            if peak is not None and mem_base is not None and not result.sandbox_error:
                # The whole tree's memory at once (several processes, tmpfs files), not only
                # its largest process: what the worker cgroup gained during the run.
                result.peak_rss_bytes = max(result.peak_rss_bytes, peak - mem_base)
            return result
        finally:
            for fd in opened:
                try:
                    os.close(fd)
                except OSError:
                    pass
            for name in ("stdin", "stdout", "stderr"):
                try:
                    os.unlink(os.path.join(scratch, name))
                except OSError:
                    pass

    # -- backend interface -------------------------------------------------------------------------
    def compile(self, lang: Language, source: str, build_dir: str, limits: Limits) -> BuildResult:
        source_name = langdata.source_name(lang, source)
        with open(os.path.join(build_dir, source_name), "w", encoding="utf-8") as fh:
            fh.write(langdata.prepare_source(lang, source))
        for name, data in langdata.support_files(lang).items():
            with open(os.path.join(build_dir, name), "wb") as fh:
                fh.write(data)
        os.chmod(build_dir, 0o755)
        argv = langdata.build_argv(lang, source_name)
        if argv is None:
            return BuildResult(ok=True, build_dir=build_dir, files=(source_name,))
        os.chown(build_dir, SANDBOX_UID, SANDBOX_GID)
        if langdata.extra(lang.id).needs_gocache:
            self._ensure_gocache()
        run = self._launch(lang, argv, build_dir, None, b"", limits, True,
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
            return BuildResult(ok=True, build_dir=build_dir, files=(source_name,))
        files = tuple(sorted(n for n in os.listdir(build_dir) if os.path.isfile(os.path.join(build_dir, n))))
        problem = langdata.build_problem(lang, build_dir, files)
        if problem:
            return BuildResult(ok=False, build_dir=build_dir, detail=problem)
        return BuildResult(ok=True, build_dir=build_dir, files=files)

    def run(self, lang: Language, build: BuildResult, stdin: str, limits: Limits) -> RunResult:
        argv = langdata.run_argv(lang, build.files)
        memory_cap = (limits.memory_mb << 20) + CGROUP_SLACK_BYTES
        if self.isolation == "unshare":
            # No private mount namespace layout: give the run its own copy of the build, owned
            # by root (readable, not writable) in a directory the program may write.
            work = tempfile.mkdtemp(dir=self.state_dir)
            try:
                for name in build.files:
                    shutil.copy2(os.path.join(build.build_dir, name), os.path.join(work, name))
                uid = self.run_uid()
                os.chown(work, uid, uid)
                os.chmod(work, 0o755)
                return self._launch(lang, argv, work, None, stdin.encode("utf-8"), limits, False,
                                    memory_cap, limits.pids, limits.output_bytes)
            finally:
                _force_rmtree(work)
        return self._launch(lang, argv, build.build_dir, list(build.files), stdin.encode("utf-8"), limits, False,
                            memory_cap, limits.pids, limits.output_bytes)

    def toolchain(self, lang: Language) -> str | None:
        return probe_version(lang)

    def close(self) -> None:
        with self._lock:
            self._finalizer()


def _force_rmtree(path: str) -> None:
    """rmtree that first gives back write permission a program took away (chmod 0555 dirs)."""
    for root, dirs, _ in os.walk(path):
        for name in dirs:
            sub = os.path.join(root, name)
            if os.path.islink(sub):  # os.walk lists links to directories too; never follow one
                continue
            try:
                os.chmod(sub, 0o700)
            except OSError:
                pass
    shutil.rmtree(path, ignore_errors=True)


def sweep_stale_state(tmp: str) -> list[str]:
    """Remove the state and build directories of sandbox processes that are gone (a kill -9
    skips every clean-up). Names carry the creating pid; a live pid keeps its directories."""
    removed = []
    try:
        names = os.listdir(tmp)
    except OSError:
        return removed
    for name in names:
        for prefix in (STATE_PREFIX, BUILDS_PREFIX):
            if not name.startswith(prefix):
                continue
            owner = name[len(prefix):].split("-")[0]
            if owner.isdigit() and not _pid_alive(int(owner)):
                _force_rmtree(os.path.join(tmp, name))
                removed.append(name)
    return removed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _release(servers: list[SpawnServer], cgroups: list[WorkerCgroup], state_dir: str, slots: list[int]) -> None:
    for server in servers:
        server.close()
    servers.clear()
    for cg in cgroups:
        cg.close()
    cgroups.clear()
    _force_rmtree(state_dir)
    _give_back_slots(slots)


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
