"""In-container job runner for the docker backend (stdlib only; runs as the container's PID 1).

Reads one JSON job per line on stdin, answers one JSON line on stdout. Per job it
forks and execs the static ``sbexec`` supervisor (sandboxes/sbexec.c), which sets
the rlimits, forks the program with files as stdio, and reaps it and every
descendant (orphans included), so CPU time and peak RSS are the whole tree's and
nothing else's. Being PID 1 of the container's PID namespace, it cannot be
SIGKILLed from inside; it and sbexec make themselves non-dumpable, so the program
(same uid) can neither ptrace them nor open their pipes through /proc/<pid>/fd:
the result channel cannot be forged.

Between jobs nothing a program wrote survives: /box, /tmp, /dev/shm and
/dev/mqueue are emptied (write permission given back first, so a directory made
read-only cannot pin its contents) and the uid's System V IPC objects removed.

Jobs::

  {"op": "version", "argv": [...]}
  {"op": "build", "key": K, "files": {name: b64}, "argv": [...] | null, "limits": {...}, "env": {...}}
      -> result + "files": {name: b64} of the build directory when the command succeeded
  {"op": "run", "key": K, "files": {name: b64} | null, "argv": [...], "stdin": b64, "limits": {...}, "env": {...}}
      -> result; "files" is sent only when this container has not seen build K yet ("need_files" asks for it)

A result has sbexec's fields (exited, code, signal, utime_us, stime_us, maxrss_kb,
wall_us, timeout, exec_errno) plus oom, stdout (b64), stdout_size, stderr (b64);
"lost": 1 when the supervisor died without reporting.
"""
import base64
import json
import os
import shutil
from collections import OrderedDict
import signal
import sys

WORK = "/box"
RUN = os.path.join(WORK, "run")
MAX_BUILDS = 32
STDERR_CAP = 1 << 16
SBEXEC = os.environ.get("SANDBOX_SBEXEC", "/opt/sandbox/sbexec")
BACKSTOP_S = 10.0

_timed_out = False
_child_pgid = 0


def _on_alarm(signum, frame):
    global _timed_out
    _timed_out = True
    if _child_pgid:
        try:
            os.killpg(_child_pgid, signal.SIGKILL)
        except OSError:
            pass


def _harden():
    """Ignore the signals a program could send to PID 1, and refuse ptrace / /proc/1/fd."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGPIPE,
                signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (ImportError, OSError, AttributeError):  # a minimal Python without ctypes
        pass


def _oom_kills():
    for path, key in (("/sys/fs/cgroup/memory.events", "oom_kill"), ("/sys/fs/cgroup/memory/memory.oom_control",
                                                                      "oom_kill")):
        try:
            with open(path) as fh:
                for line in fh:
                    name, _, value = line.partition(" ")
                    if name == key:
                        return int(value)
        except (OSError, ValueError):
            continue
    return 0


def _kill_leftovers():
    """Everything but PID 1 (us) belongs to the last job: kill it, and wait until it is gone
    (every process in the container is our child or was re-parented to us), so no zombie or
    dying process is left when the next job starts."""
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue


def _clean_dir(path):
    _force_rmtree(path)
    os.makedirs(path, exist_ok=True)


def _force_rmtree(path):
    """rmtree that first restores the owner's permissions on every directory (a program may
    chmod 0 or 0555 its directories; the runner runs as the same uid, so it may undo that)."""
    if os.path.isdir(path) and not os.path.islink(path):
        try:
            os.chmod(path, 0o700)
        except OSError:
            pass
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
    else:
        try:
            os.unlink(path)
        except OSError:
            pass


def _memory_usage():
    for path in ("/sys/fs/cgroup/memory/memory.usage_in_bytes", "/sys/fs/cgroup/memory.current"):
        try:
            with open(path) as fh:
                return int(fh.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return -1


def _supervisor_argv(result_fd, lim, argv):
    """sbexec's command line (see sbexec.c); -1 ids: the container already runs unprivileged."""
    return [SBEXEC, str(result_fd), "-1", "-1", str(lim.get("cpu_s", 0)), str(lim.get("wall_ms", 0)),
            lim.get("memory_rlimit", "none"), str(lim.get("memory_bytes", 0)), str(lim.get("fsize_bytes", 0)),
            str(lim.get("nofile", 0)), str(lim.get("nproc", 0)), str(lim.get("stack_bytes", 0)), "--"] + list(argv)


def _parse_line(line):
    out = {}
    for item in line.split():
        key, _, value = item.partition("=")
        try:
            out[key] = int(value)
        except ValueError:
            pass
    return out


def _spawn(argv, cwd, env, stdin_bytes, lim, output_cap):
    """Run argv under sbexec, which forks the program afresh (so the runner's own RSS
    never leaks into ru_maxrss), applies the rlimits and reports wait4 rusage."""
    global _timed_out, _child_pgid
    io_dir = "/tmp/.runner-io"
    _clean_dir(io_dir)
    in_path, out_path, err_path = (os.path.join(io_dir, n) for n in ("in", "out", "err"))
    with open(in_path, "wb") as fh:
        fh.write(stdin_bytes)
    in_fd = os.open(in_path, os.O_RDONLY | os.O_CLOEXEC)
    out_fd = os.open(out_path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    err_fd = os.open(err_path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    result_r, result_w = os.pipe()
    os.set_inheritable(result_w, True)
    oom_before = _oom_kills()
    mem_base = _memory_usage()  # the host turns the container's peak into the job's own
    _timed_out = False
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgid(0, 0)
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2,
                        signal.SIGPIPE, signal.SIGXFSZ, signal.SIGALRM):
                signal.signal(sig, signal.SIG_DFL)
            os.dup2(in_fd, 0)
            os.dup2(out_fd, 1)
            os.dup2(err_fd, 2)
            os.close(result_r)
            os.chdir(cwd)
            os.execve(SBEXEC, _supervisor_argv(result_w, lim, argv), env)
        finally:
            os._exit(125)
    _child_pgid = pid
    os.close(result_w)
    os.close(in_fd)
    backstop_ms = lim.get("wall_ms", 0)
    if backstop_ms:  # sbexec enforces the wall limit; this only catches a stuck supervisor
        signal.setitimer(signal.ITIMER_REAL, backstop_ms / 1000.0 + BACKSTOP_S)
    os.waitpid(pid, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    _child_pgid = 0
    with os.fdopen(result_r, "rb") as fh:
        fields = _parse_line(fh.read(4096).decode("ascii", "replace"))
    _kill_leftovers()
    size = os.fstat(out_fd).st_size
    os.lseek(out_fd, 0, os.SEEK_SET)
    stdout = os.read(out_fd, min(size, output_cap)) if size else b""
    os.lseek(err_fd, 0, os.SEEK_SET)
    stderr = os.read(err_fd, STDERR_CAP)
    os.close(out_fd)
    os.close(err_fd)
    fields["mem_base"] = mem_base
    if "exited" not in fields:
        return {"lost": 1, "mem_base": mem_base, "timeout": 1 if _timed_out else 0, "oom": 1 if _oom_kills() > oom_before else 0,
                "stdout": base64.b64encode(stdout).decode(), "stdout_size": size,
                "stderr": base64.b64encode(stderr).decode()}
    fields.update({"oom": 1 if _oom_kills() > oom_before else 0,
                   "stdout": base64.b64encode(stdout).decode(), "stdout_size": size,
                   "stderr": base64.b64encode(stderr).decode()})
    return fields


def _write_files(directory, files):
    for name, data in files.items():
        if "/" in name or name in ("", ".", ".."):
            continue
        path = os.path.join(directory, name)
        with open(path, "wb") as fh:
            fh.write(data)
        os.chmod(path, 0o755)  # build outputs travel without modes; binaries must stay executable


def _read_files(directory):
    out = {}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            with open(path, "rb") as fh:
                out[name] = fh.read()
    return out


def _b64(files):
    return {name: base64.b64encode(data).decode() for name, data in files.items()}


def _unb64(files):
    return {name: base64.b64decode(data) for name, data in (files or {}).items()}


WIPED = (WORK, "/tmp", "/dev/shm", "/dev/mqueue")


def _wipe_work():
    """Nothing a job wrote survives it: /box, /tmp, /dev/shm, /dev/mqueue and System V IPC
    are emptied before every job."""
    for root in WIPED:
        try:
            names = os.listdir(root)
        except OSError:
            continue
        for name in names:
            _force_rmtree(os.path.join(root, name))
    _remove_sysv_ipc()
    os.makedirs(RUN, exist_ok=True)


def _remove_sysv_ipc():
    """Shared memory, message queues and semaphores outlive their creator: remove ours."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
    except (ImportError, OSError):
        return
    uid = os.getuid()
    for kind, rm in (("shm", lambda i: libc.shmctl(i, 0, None)), ("msg", lambda i: libc.msgctl(i, 0, None)),
                     ("sem", lambda i: libc.semctl(i, 0, 0))):  # IPC_RMID = 0
        try:
            with open(f"/proc/sysvipc/{kind}") as fh:
                header = fh.readline().split()
                rows = [dict(zip(header, line.split())) for line in fh]
        except OSError:
            continue
        for row in rows:
            try:
                if int(row.get("uid", -1)) == uid:
                    rm(int(row[{"shm": "shmid", "msg": "msqid", "sem": "semid"}[kind]]))
            except (ValueError, KeyError):
                continue


# Builds this container has seen, kept in the runner's memory (not on disk, where a
# program running as the same uid could tamper with them), least recently used first.
_builds = OrderedDict()


def _remember(key, files):
    _builds[key] = files
    _builds.move_to_end(key)
    while len(_builds) > MAX_BUILDS:
        _builds.popitem(last=False)


def handle(job):
    op = job.get("op")
    env = job.get("env") or {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": WORK, "LANG": "C.UTF-8"}
    if op == "ping":
        return {"ok": True}
    _wipe_work()
    if op == "version":
        res = _spawn(job["argv"], RUN, env, b"", {"wall_ms": 60000}, 1 << 16)
        text = base64.b64decode(res["stdout"]) or base64.b64decode(res["stderr"])
        lines = [ln.strip() for ln in text.decode("utf-8", "replace").splitlines() if ln.strip()]
        return {"version": lines[0] if lines else None}
    key = str(job["key"])
    if op == "build":
        _write_files(RUN, _unb64(job["files"]))
        res = _spawn(job["argv"], RUN, env, b"", job["limits"], 1 << 16)
        if res.get("exited") and res.get("code") == 0 and not res.get("timeout"):
            files = _read_files(RUN)
            _remember(key, files)
            res["files"] = _b64(files)
        return res
    if op == "run":
        if key not in _builds:
            if not job.get("files"):
                return {"need_files": True}
            _remember(key, _unb64(job["files"]))
        _builds.move_to_end(key)
        _write_files(RUN, _builds[key])
        return _spawn(job["argv"], RUN, env, base64.b64decode(job.get("stdin", "")), job["limits"],
                      job.get("output_cap", 1 << 20))
    return {"error": f"unknown op {op!r}"}


def main():
    _harden()
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        try:
            reply = handle(json.loads(line))
        except Exception as exc:  # a bad job must not take the runner down
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(reply).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
