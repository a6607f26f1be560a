"""Compiled builds, keyed by language + toolchain version + source hash, LRU-bounded.

Each entry is a directory holding the build (binary, class files, or the staged
source for interpreters) and the outcome. Concurrent requests for the same key
wait for one build instead of compiling twice.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from typing import Callable

from .model import BuildResult

BUILDS_PREFIX = "codepref-builds-"  # + creating pid: a later start sweeps those of dead processes


def build_key(language_id: str, toolchain: str | None, source: str) -> str:
    h = hashlib.sha256()
    for part in (language_id, toolchain or "", source):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:32]


class BuildCache:
    def __init__(self, root: str | None = None, max_entries: int = 128) -> None:
        self.root = root or tempfile.mkdtemp(prefix=f"{BUILDS_PREFIX}{os.getpid()}-")
        os.makedirs(self.root, exist_ok=True)
        os.chmod(self.root, 0o755)
        self.max_entries = max_entries
        self._entries: OrderedDict[str, BuildResult] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self.hits = 0
        self.misses = 0
        # Removed at interpreter exit even when close() is never called.
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.root, True)

    def get_or_build(self, key: str, build: Callable[[str], BuildResult]) -> BuildResult:
        """The cached build for ``key``, or ``build(fresh_dir)`` stored under it."""
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return self._entries[key]
                self.misses += 1
            path = os.path.join(self.root, key)
            shutil.rmtree(path, ignore_errors=True)
            os.makedirs(path)
            result = build(path)
            with self._lock:
                if result.sandbox_error is None:  # a sandbox failure may be transient: do not remember it
                    self._entries[key] = result
                    self._evict()
                self._key_locks.pop(key, None)
            if result.sandbox_error is not None:
                shutil.rmtree(path, ignore_errors=True)
            return result

    def _evict(self) -> None:
        while len(self._entries) > self.max_entries:
            old_key, old = self._entries.popitem(last=False)
            shutil.rmtree(old.build_dir, ignore_errors=True)

    def __len__(self) -> int:
        return len(self._entries)

    def close(self) -> None:
        with self._lock:
            self._entries.clear()
        self._finalizer()
