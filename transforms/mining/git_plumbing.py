"""Git plumbing for reading commits out of real repositories (Beam-free).

Everything goes through git plumbing (``cat-file``, ``diff-tree``, ``ls-tree``,
``rev-list``) in subprocesses with NUL-separated output, so odd file names are
safe. A repository may be a working tree, a bare repository, a ``.bundle`` file
(local, or an fsspec URI such as ``gs://b/x.bundle``, copied to the worker first)
or a URL; bundles and URLs are cloned once into a content-keyed cache. Only
branches, tags and HEAD are listed; URLs are cloned bare (not ``--mirror``), so
forge refs such as ``refs/pull/*`` never enter. A shallow clone is refused with a
message saying so.

The reader that turns a commit into a sample is ``transforms.read.git``; this module
only opens repositories, lists and parses objects, and finds a tree's licence.
"""
from __future__ import annotations

import atexit
import difflib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from transforms.common import stable_hex
from transforms.mining.filters import PERMISSIVE_LICENSES
from transforms.mining.licenses import (detect_spdx, is_license_file, is_manifest_file, license_file_rank,
                                        manifest_license, spdx_header, spdx_of_expression)


class GitError(RuntimeError):
    """A git command failed, or a repository could not be opened or cloned."""



# --------------------------------------------------------------------------- repositories

_GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def git(git_dir: str, *args: str, input_bytes: bytes | None = None) -> bytes:
    env = {**os.environ, **_GIT_ENV}
    proc = subprocess.run(["git", f"--git-dir={git_dir}", *args], input=input_bytes, capture_output=True, env=env)
    if proc.returncode != 0:
        raise GitError(f"git {' '.join(args[:3])} failed in {git_dir}: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout


def _is_url(repo: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", repo)) or bool(re.match(r"^[\w.-]+@[\w.-]+:", repo))


# Schemes git itself clones from; any other ``<scheme>://`` is an fsspec filesystem (gs, s3, memory...).
GIT_URL_SCHEMES = frozenset({"http", "https", "git", "ssh", "git+ssh", "ssh+git", "file", "ftp", "ftps"})


def _is_fsspec_bundle(repo: str) -> bool:
    """A ``.bundle`` on an fsspec filesystem (``gs://b/x.bundle``), which git cannot read in place."""
    scheme = repo.split("://", 1)[0].lower() if "://" in repo else ""
    return bool(scheme) and scheme not in GIT_URL_SCHEMES and repo.rstrip("/").endswith(".bundle")


def _cache_root() -> Path:
    return Path(os.environ.get("CODEPREF_GIT_CACHE") or Path(tempfile.gettempdir()) / "codepref-git-cache")


def _clone_into_cache(source: str, key: str) -> str:
    """Clone ``source`` bare into the cache under ``key`` (atomically, so parallel workers can race).

    A bare clone, not ``--mirror``: it holds the branches and tags a normal clone has. A mirror
    also copies ``refs/pull/*`` (every pull request a forge ever received, merged or not, and
    the pre-squash commits of merged ones), which are not the project's history."""
    dest = _cache_root() / key
    if (dest / "HEAD").exists():
        return str(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=dest.parent))
    try:
        proc = subprocess.run(["git", "clone", "--quiet", "--bare", source, str(tmp / "repo.git")],
                              capture_output=True, env={**os.environ, **_GIT_ENV})
        if proc.returncode != 0:
            raise GitError(f"cannot clone {source}: {proc.stderr.decode('utf-8', 'replace').strip()}"
                           + (" (is the network reachable?)" if _is_url(source) else ""))
        try:
            os.rename(tmp / "repo.git", dest)
        except OSError:
            if not (dest / "HEAD").exists():  # lost a race only if the winner finished
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return str(dest)


def _clone_remote_bundle(uri: str) -> str:
    """Copy a bundle from an fsspec URI into the cache folder with fsspec, then clone it like a local one."""
    import fsspec

    root = _cache_root()
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".download-", dir=root))
    try:
        local = tmp / "repo.bundle"
        digest = hashlib.sha256()
        try:
            with fsspec.open(uri, "rb") as src, open(local, "wb") as dst:
                for block in iter(lambda: src.read(1 << 20), b""):
                    digest.update(block)
                    dst.write(block)
        except (OSError, ValueError) as e:
            raise GitError(f"cannot read bundle {uri}: {e!r}") from e
        return _clone_into_cache(str(local), f"bundle-{digest.hexdigest()[:24]}")  # same key as a local copy
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@lru_cache(maxsize=256)
def resolve(repo: str) -> str:
    """The git directory to read ``repo`` from, cloning bundles and URLs first."""
    if _is_fsspec_bundle(repo):
        return _clone_remote_bundle(repo)
    if _is_url(repo):
        return _check_not_shallow(repo, _clone_into_cache(repo, "clone-" + stable_hex(repo)))
    path = Path(repo).expanduser().resolve()
    if path.is_file():
        if path.suffix != ".bundle":
            raise GitError(f"{repo} is a file but not a .bundle")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
        return _clone_into_cache(str(path), f"bundle-{digest}")
    if not path.exists():
        raise GitError(f"{repo}: no such file or directory")
    if (path / ".git").exists():
        out = subprocess.run(["git", "-C", str(path), "rev-parse", "--absolute-git-dir"], capture_output=True,
                             env={**os.environ, **_GIT_ENV})
        if out.returncode == 0:
            return _check_not_shallow(repo, out.stdout.decode().strip())
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        return _check_not_shallow(repo, str(path))
    raise GitError(f"{repo} is not a git repository, bare repository, .bundle file or URL")


def _check_not_shallow(repo: str, git_dir: str) -> str:
    """``git_dir``, or GitError when it is a shallow clone: its oldest commits name parents it does
    not have, so their diffs cannot be read (git says only "bad object")."""
    if (Path(git_dir) / "shallow").is_file():
        raise GitError(f"{repo} is a shallow clone (made with --depth); its history is incomplete. "
                       f"Run `git -C {repo} fetch --unshallow` or clone it without --depth")
    return git_dir


def repo_name(repo: str) -> str:
    """The name samples carry: the URL as given, else the folder or file name without .git/.bundle
    (a bundle on gs://, s3://... is named like its local copy, so its samples are the same)."""
    if _is_url(repo) and not _is_fsspec_bundle(repo):
        return repo
    name = Path(repo.rstrip("/\\")).name
    for suffix in (".bundle", ".git"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return name


def list_commits(repo: str) -> list[str]:
    """Every commit reachable from a branch, tag, remote-tracking branch or HEAD, oldest first
    (ties broken by git's topological order). Other refs (``refs/pull/*`` of a forge mirror,
    notes, stashes) are not the project's history and are not mined."""
    git_dir = resolve(repo)
    heads = ["HEAD"] if subprocess.run(["git", f"--git-dir={git_dir}", "rev-parse", "--verify", "-q", "HEAD"],
                                       capture_output=True, env={**os.environ, **_GIT_ENV}).returncode == 0 else []
    out = git(git_dir, "rev-list", "--branches", "--tags", "--remotes", *heads, "--reverse", "--date-order")
    return out.decode("ascii").split()


# --------------------------------------------------------------------------- commit parsing

@dataclass(frozen=True)
class CommitMeta:
    tree: str
    parents: tuple[str, ...]
    author_time: int
    message: str


def parse_commit_object(raw: bytes) -> CommitMeta:
    """Parse a raw commit object (``git cat-file commit``)."""
    header, _, body = raw.partition(b"\n\n")
    tree, parents, author_time = "", [], 0
    for line in header.split(b"\n"):
        if line.startswith(b"tree "):
            tree = line[5:].decode("ascii")
        elif line.startswith(b"parent "):
            parents.append(line[7:].decode("ascii"))
        elif line.startswith(b"author "):
            m = re.search(rb"> (-?\d+) [+-]\d{4}$", line)
            author_time = int(m.group(1)) if m else 0
    return CommitMeta(tree, tuple(parents), author_time, body.decode("utf-8", "replace"))


@dataclass(frozen=True)
class FileChange:
    status: str  # git status letter: A C D M R T U X
    old_mode: str
    new_mode: str
    old_blob: str
    new_blob: str
    path: str
    old_path: str


def parse_raw_diff(out: bytes) -> list[FileChange]:
    """Parse ``git diff-tree -r -z --raw`` output (rename/copy entries carry two paths)."""
    parts = out.split(b"\0")
    changes, i = [], 0
    while i < len(parts) and parts[i]:
        meta = parts[i].decode("ascii").lstrip(":").split()
        old_mode, new_mode, old_blob, new_blob, status = meta[0], meta[1], meta[2], meta[3], meta[4][0]
        if status in "RC":
            old_path, path = parts[i + 1].decode("utf-8", "surrogateescape"), parts[i + 2].decode("utf-8", "surrogateescape")
            i += 3
        else:
            old_path = path = parts[i + 1].decode("utf-8", "surrogateescape")
            i += 2
        changes.append(FileChange(status, old_mode, new_mode, old_blob, new_blob, path, old_path))
    return changes


def is_binary(data: bytes) -> bool:
    """git's own heuristic: a NUL byte in the first 8000 bytes."""
    return b"\0" in data[:8000]


def unified_diff(before: str, after: str, path: str) -> str:
    """Unified diff (3 lines of context) with git-style a/ b/ headers."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{path}", tofile=f"b/{path}", n=3)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


class _CatFile:
    """A long-lived ``git cat-file --batch`` / ``--batch-check`` pair for one repository.

    Spawning git per object dominates mining time, so each worker process keeps one
    reader per repository and serialises requests on it with a lock.
    """

    def __init__(self, git_dir: str):
        env = {**os.environ, **_GIT_ENV}
        self._lock = threading.Lock()
        self._batch = subprocess.Popen(["git", f"--git-dir={git_dir}", "cat-file", "--batch"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, env=env)
        self._check = subprocess.Popen(["git", f"--git-dir={git_dir}", "cat-file", "--batch-check"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)

    @staticmethod
    def _ask(proc: subprocess.Popen, name: str) -> list[str]:
        proc.stdin.write(name.encode("utf-8") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().decode("utf-8", "replace").split()
        if len(header) != 3:
            raise GitError(f"cannot read object {name}: {' '.join(header) or 'no answer'}")
        return header

    def info(self, name: str) -> tuple[str, int]:
        """(object type, size in bytes)."""
        with self._lock:
            _, kind, size = self._ask(self._check, name)
        return kind, int(size)

    def read(self, name: str) -> tuple[str, bytes]:
        """(object type, content)."""
        with self._lock:
            _, kind, size = self._ask(self._batch, name)
            data = self._batch.stdout.read(int(size) + 1)[:-1]  # content, then a newline
        return kind, data

    def close(self) -> None:
        with self._lock:
            for proc in (self._batch, self._check):
                if proc.poll() is None:
                    proc.stdin.close()
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
                proc.stdout.close()


# Open readers, most recently used last. Keyed by pid too: a forked worker must not share
# pipes. At most MAX_READERS stay open per process (each is two git processes); the least
# recently used is closed when another repository is opened, and all close at DoFn teardown
# (transforms.read.git) and at exit.
MAX_READERS = 8
_readers: "OrderedDict[tuple[int, str], _CatFile]" = OrderedDict()
_readers_lock = threading.Lock()


def reader(git_dir: str) -> _CatFile:
    key = (os.getpid(), git_dir)
    with _readers_lock:
        if key in _readers:
            _readers.move_to_end(key)
            return _readers[key]
        mine = [k for k in _readers if k[0] == key[0]]
        while len(mine) >= MAX_READERS:
            oldest = mine.pop(0)
            _readers.pop(oldest).close()
        _readers[key] = reader = _CatFile(git_dir)
        return reader


def open_readers() -> int:
    """How many ``git cat-file`` reader pairs this process holds open."""
    with _readers_lock:
        return sum(1 for pid, _ in _readers if pid == os.getpid())


@atexit.register
def close_readers() -> None:
    """Close this process's ``git cat-file`` readers (others' pipes are left alone)."""
    with _readers_lock:
        for key in [k for k in _readers if k[0] == os.getpid()]:
            _readers.pop(key).close()
        for key in list(_readers):  # a forked child's inherited entries are not its to close
            if key[0] != os.getpid():
                del _readers[key]


def parse_tree_object(raw: bytes, hash_bytes: int = 20) -> list[tuple[str, str, str]]:
    """Entries (mode, name, sha) of a raw tree object: ``<mode> <name>\\0<binary sha>`` repeated (SHA-1: 20 bytes)."""
    entries, pos = [], 0
    while pos < len(raw):
        space = raw.index(b" ", pos)
        nul = raw.index(b"\0", space)
        entries.append((raw[pos:space].decode("ascii"), raw[space + 1:nul].decode("utf-8", "surrogateescape"),
                        raw[nul + 1:nul + 1 + hash_bytes].hex()))
        pos = nul + 1 + hash_bytes
    return entries


@lru_cache(maxsize=4096)
def _license_of_blob(git_dir: str, blob: str) -> str | None:
    return detect_spdx(reader(git_dir).read(blob)[1].decode("utf-8", "replace"))


@lru_cache(maxsize=4096)
def _manifest_license_of_blob(git_dir: str, name: str, blob: str) -> str | None:
    return manifest_license(name, reader(git_dir).read(blob)[1].decode("utf-8", "replace"))


@dataclass(frozen=True)
class LicenseFinding:
    """What decided a commit's licence: ``spdx`` (None when nothing was recognised), where it was
    found (``source``) and, when nothing passed, what was seen (``seen``)."""
    spdx: str | None
    source: str | None
    seen: str = ""

    def detail(self) -> str:
        """The dead-letter detail: the file that was found and why it did not pass."""
        if self.spdx is not None:
            return f"{self.spdx} is not an allowed licence (from {self.source})"
        return self.seen or "no licence file (LICENSE, COPYING, MIT-LICENSE...), manifest licence field or SPDX header"


def license_at(git_dir: str, tree: str, file_text: str | None = None,
               allowed: frozenset[str] = PERMISSIVE_LICENSES) -> LicenseFinding:
    """The licence of a file at ``tree``: its own ``SPDX-License-Identifier`` header when it has one,
    else the first top-level licence file whose text is recognised (LICENSE before COPYING, plain
    before named such as MIT-LICENSE), else a package manifest's licence field."""
    if file_text is not None:
        header = spdx_header(file_text)
        if header:
            spdx = spdx_of_expression(header, allowed)
            if spdx is not None:
                return LicenseFinding(spdx, "the file's SPDX-License-Identifier header")
    top = parse_tree_object(reader(git_dir).read(tree)[1], len(tree) // 2)
    files = sorted((license_file_rank(name), name, sha) for mode, name, sha in top
                   if mode.startswith("100") and is_license_file(name))
    for _, name, sha in files:
        spdx = _license_of_blob(git_dir, sha)
        if spdx is not None:
            return LicenseFinding(spdx, name)
    seen = [f"{name} found but its text matches no known licence" for _, name, _ in files]
    for mode, name, sha in sorted(top, key=lambda e: e[1]):
        if mode.startswith("100") and is_manifest_file(name):
            field_value = _manifest_license_of_blob(git_dir, name, sha)
            if field_value:
                spdx = spdx_of_expression(field_value, allowed)
                if spdx is not None:
                    return LicenseFinding(spdx, f"{name} licence field")
                seen.append(f"{name} licence field {field_value!r} is not a known SPDX licence")
    return LicenseFinding(None, None, "; ".join(seen))
