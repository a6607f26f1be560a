"""A per-worker cgroup (v1 memory+pids controllers, or v2) when the host lets us make one.

The cgroup is the hard backstop of the memory and process limits (rlimits are per
process). It is reused across runs of one worker: limits are rewritten and the
peak/failure counters reset before each run.
"""
from __future__ import annotations

import itertools
import os
import time

_V1 = "/sys/fs/cgroup"
_counter = itertools.count()


def _write(path: str, value: str) -> bool:
    try:
        with open(path, "w") as fh:
            fh.write(value)
        return True
    except OSError:
        return False


def _read_int(path: str) -> int | None:
    try:
        with open(path) as fh:
            return int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _own_v1_path(controller: str) -> str:
    """The cgroup this process is in for ``controller``, so ours nests under it."""
    try:
        with open("/proc/self/cgroup") as fh:
            for line in fh:
                _, ctrls, path = line.rstrip("\n").split(":", 2)
                if controller in ctrls.split(","):
                    return path.lstrip("/")
    except OSError:
        pass
    return ""


def _is_v2() -> bool:
    return os.path.exists(os.path.join(_V1, "cgroup.controllers"))


PREFIX = "codepref-sandbox-"


def sweep_stale(parent: str) -> None:
    """Remove our empty cgroups whose creating process is gone (a crash skipped close())."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(PREFIX):
            continue
        owner = name[len(PREFIX):].split("-")[0]
        if owner.isdigit() and not os.path.exists(f"/proc/{owner}"):
            try:
                os.rmdir(os.path.join(parent, name))
            except OSError:
                pass  # still has members


class WorkerCgroup:
    """Memory + pids cgroup(s) for one worker. ``available`` is False when none could be made."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.v2 = _is_v2()
        name = f"{PREFIX}{os.getpid()}-{next(_counter)}"
        if self.v2:
            base = os.path.join(_V1, _own_v1_path(""))
            candidate = os.path.join(base, name)
            if self._mkdir(candidate):
                self.paths = [candidate]
        else:
            mem = os.path.join(_V1, "memory", _own_v1_path("memory"), name)
            pids = os.path.join(_V1, "pids", _own_v1_path("pids"), name)
            if self._mkdir(mem) and os.path.exists(os.path.join(mem, "memory.limit_in_bytes")):
                self.paths.append(mem)
                if self._mkdir(pids):
                    self.paths.append(pids)
            else:
                self._rmdir(mem)
        self.available = bool(self.paths)

    @classmethod
    def probe(cls) -> bool:
        """Whether this process can make (and so limit memory with) a worker cgroup."""
        cg = cls()
        try:
            return cg.available
        finally:
            cg.close()

    @staticmethod
    def _mkdir(path: str) -> bool:
        sweep_stale(os.path.dirname(path))
        try:
            os.makedirs(path, exist_ok=True)
            return True
        except OSError:
            return False

    @staticmethod
    def _rmdir(path: str) -> None:
        try:
            os.rmdir(path)
        except OSError:
            pass

    @property
    def procs_files(self) -> list[str]:
        return [os.path.join(p, "cgroup.procs") for p in self.paths]

    def _mem(self) -> str:
        return self.paths[0]

    def _pids_dir(self) -> str | None:
        if self.v2:
            return self._mem()
        return self.paths[1] if len(self.paths) > 1 else None

    def pids_limit_for(self, pids: int) -> int:
        """``pids`` more than the tasks the cgroup still holds, keeping ``pids`` for this run.

        The tasks of a finished run leave ``cgroup.procs`` at once but stay charged to the pids
        controller until the kernel releases them, 1.2-1.9 s later for a bubblewrap run (its
        namespaces are torn down asynchronously): measured 3-4 charges per run. Back-to-back runs
        of a 20 ms program pile up far more than a 64-task budget, and the next program's fork,
        thread or namespace creation failed with EAGAIN: a correct Go or Java program reported
        RUNTIME_ERROR ("failed to create new OS thread"), bwrap "Creating new namespace failed".
        ``pids`` counts the spawn server (one task), so only the charges beyond it are added."""
        where = self._pids_dir()
        held = _read_int(os.path.join(where, "pids.current")) if where else None
        return pids + max(0, (held or 0) - 1)

    def prepare(self, memory_bytes: int, pids: int) -> None:
        """Set the limits and reset the counters before a run (``pids_limit_for``: the run gets
        its ``pids`` whatever the previous runs' dying tasks still hold)."""
        if not self.available:
            return
        mem = self._mem()
        pids = self.pids_limit_for(pids)
        if self.v2:
            _write(os.path.join(mem, "memory.max"), str(memory_bytes))
            _write(os.path.join(mem, "memory.swap.max"), "0")
            _write(os.path.join(mem, "pids.max"), str(pids))
            _write(os.path.join(mem, "memory.peak"), "0")  # resettable on newer kernels only
            self._events_before = self._oom_events()
            return
        # memsw must stay >= limit: raise the plain limit first when growing, last when shrinking.
        _write(os.path.join(mem, "memory.limit_in_bytes"), str(memory_bytes))
        _write(os.path.join(mem, "memory.memsw.limit_in_bytes"), str(memory_bytes))
        _write(os.path.join(mem, "memory.limit_in_bytes"), str(memory_bytes))
        _write(os.path.join(mem, "memory.max_usage_in_bytes"), "0")
        _write(os.path.join(mem, "memory.failcnt"), "0")
        _write(os.path.join(mem, "memory.memsw.failcnt"), "0")
        self._events_before = self._oom_events()
        if len(self.paths) > 1:
            _write(os.path.join(self.paths[1], "pids.max"), str(pids))

    def _oom_events(self) -> int:
        mem = self._mem()
        name = "memory.events" if self.v2 else "memory.oom_control"
        try:
            with open(os.path.join(mem, name)) as fh:
                for line in fh:
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def oom_killed(self) -> bool:
        """The kernel OOM-killed something in this cgroup since ``prepare``."""
        if not self.available:
            return False
        return self._oom_events() > getattr(self, "_events_before", 0)

    @property
    def has_memory(self) -> bool:
        """A memory controller enforces the limit (so no address-space rlimit is needed)."""
        return self.available

    def usage_bytes(self) -> int | None:
        if not self.available:
            return None
        name = "memory.current" if self.v2 else "memory.usage_in_bytes"
        return _read_int(os.path.join(self._mem(), name))

    def peak_bytes(self) -> int | None:
        if not self.available:
            return None
        name = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        return _read_int(os.path.join(self._mem(), name))

    def _members(self) -> list[int]:
        pids: set[int] = set()
        for path in self.paths:
            try:
                with open(os.path.join(path, "cgroup.procs")) as fh:
                    pids.update(int(x) for x in fh.read().split())
            except (OSError, ValueError):
                continue
        return sorted(pids)

    def kill_all(self, wait_s: float = 2.0, keep: int | None = None) -> bool:
        """SIGKILL every process still in the cgroup and wait until it is empty, so dying
        processes neither outlive the run nor count against the next run's pids limit.
        ``keep`` is the worker's spawn server, which lives there on purpose.
        Returns whether the cgroup emptied in time."""
        deadline = time.monotonic() + wait_s
        while True:
            members = [pid for pid in self._members() if pid != keep]
            if not members:
                return True
            for pid in members:
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)

    def close(self) -> None:
        self.kill_all()
        for path in self.paths:
            self._rmdir(path)
        self.paths = []
        self.available = False
