"""Read single-file commits out of real git repositories (Beam-free).

Everything goes through git plumbing (``cat-file``, ``diff-tree``, ``ls-tree``,
``rev-list``) in subprocesses with NUL-separated output, so odd file names are
safe. A repository may be a working tree, a bare repository, a ``.bundle`` file
(local, or an fsspec URI such as ``gs://b/x.bundle``, copied to the worker first)
or a URL; bundles and URLs are cloned once into a content-keyed cache.

``read_commit`` either returns a ``schemas.records.SOURCE_SAMPLE`` dict or names
the first filter that rejected the commit. Checks run cheapest first: commit
metadata, then the message, then the changed-file list, then the path, then the
blobs, then the change itself (``transforms.mining.filters``: the one chain every commit
source shares), then the licence at that commit. Only branches, tags and HEAD are
mined; URLs are cloned bare (not ``--mirror``), so forge refs such as ``refs/pull/*``
never enter. A shallow clone is refused with a message saying so.
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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from schemas.criteria import CRITERION_IDS
from schemas.languages import by_extension
from transforms.common import stable_hex
from transforms.mining import filters
from transforms.mining.filters import (  # noqa: F401  (re-exported: the chain's checks are this module's API too)
    COMMENT_ONLY, GENERATED_FILE, HARNESS_FILE, LOW_SIGNAL_MESSAGE, MESSAGE_TOO_LONG, MESSAGE_TOO_SHORT,
    NO_CRITERION_TERMS, TERM_ONLY_IN_PATH, VENDORED_PATH, WHITESPACE_ONLY, check_message, has_generated_marker,
    is_generated_path, is_vendored)
from transforms.mining.terms import criteria_of
from transforms.mining.licenses import (detect_spdx, is_license_file, is_manifest_file, license_file_rank,
                                        manifest_license, spdx_header, spdx_of_expression)

SOURCE = "commits"

# Drop reasons (also the dead-letter reasons and counter names).
MERGE_COMMIT = "merge_commit"
MULTI_FILE = "multi_file"
NOT_MODIFIED_IN_PLACE = "not_modified_in_place"
UNKNOWN_LANGUAGE = "unknown_language"
BINARY_FILE = "binary_file"
OVERSIZED_FILE = "oversized_file"
UNDECODABLE = "undecodable"
LICENSE_NOT_ALLOWED = "license_not_allowed"
DROP_REASONS = (
    MERGE_COMMIT, LOW_SIGNAL_MESSAGE, MESSAGE_TOO_SHORT, MESSAGE_TOO_LONG, NO_CRITERION_TERMS, MULTI_FILE,
    NOT_MODIFIED_IN_PLACE, VENDORED_PATH, GENERATED_FILE, OVERSIZED_FILE, BINARY_FILE, UNKNOWN_LANGUAGE,
    UNDECODABLE, TERM_ONLY_IN_PATH, HARNESS_FILE, WHITESPACE_ONLY, COMMENT_ONLY, LICENSE_NOT_ALLOWED,
)  # in the order the checks run (the content checks are transforms.mining.filters.check_change)

# Permissive licences only: a dataset redistributes snippets, so copyleft (GPL,
# LGPL, AGPL) is out, and so is MPL-2.0, whose file-level copyleft would bind
# every snippet taken from an MPL file.
PERMISSIVE_LICENSES = frozenset({
    "MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Unlicense", "0BSD", "Zlib",
})

LOW_SIGNAL_MESSAGES = frozenset({
    "wip", "work in progress", "update", "updates", "updated", "fix typo", "fix typos", "typo", "typos",
    "minor", "minor fix", "minor fixes", "minor changes", "changes", "misc", "stuff", "tmp", "temp", "test",
    "tests", "commit", "initial commit", "first commit", "save", "checkpoint", "more", "oops", "fixup",
    "asdf", "done", ".", "-",
})
LOW_SIGNAL_PREFIXES = (
    "merge branch", "merge pull request", "merge remote-tracking branch", "merge tag", "revert \"",
    "fixup!", "squash!", "amend!", "wip:", "wip ", "bump version", "release v", "version bump",
)
VENDORED_DIRS = frozenset({
    "vendor", "vendors", "node_modules", "third_party", "third-party", "thirdparty", "bower_components",
    "external", "externals", "extern", "deps", "pods", "site-packages", ".venv", "venv",
})
GENERATED_GLOBS = (
    "*.min.js", "*.min.mjs", "*.min.css", "*.bundle.js", "*_pb2.py", "*_pb2_grpc.py", "*.pb.go", "*.pb.gw.go",
    "*.pb.cc", "*.pb.h", "*.pb.c", "*_grpc.pb.go", "*.g.cs", "*.designer.cs", "*.generated.*", "*_generated.*",
    "*_gen.go", "zz_generated*", "*.pbobjc.*", "*_pb.rb", "*_pb.js", "*.tab.c", "*.tab.h", "lex.yy.c",
)
# Test and benchmark harnesses: an ee/me claim about them says nothing about the code they drive.
HARNESS_DIRS = frozenset({
    "test", "tests", "testing", "__tests__", "spec", "specs", "testdata", "bench", "benches", "benchmark",
    "benchmarks", "perf", "fuzz", "fuzzing", "e2e",
})
HARNESS_GLOBS = (
    "test_*", "*_test.*", "*_tests.*", "*.test.*", "*.spec.*", "*_spec.*", "*Test.*", "*Tests.*", "Test*.java",
    "*Benchmark*", "*benchmark*", "bench_*", "*_bench.*", "*Bench.*", "conftest.py",
)
GENERATED_MARKERS = ("code generated", "do not edit", "@generated", "autogenerated", "auto-generated",
                     "generated by the protocol buffer compiler")


@dataclass(frozen=True)
class MiningConfig:
    """Commit filters. Messages are measured stripped, in characters; files in bytes."""
    min_message_chars: int = 12
    max_message_chars: int = 2000
    low_signal_messages: frozenset[str] = LOW_SIGNAL_MESSAGES
    low_signal_prefixes: tuple[str, ...] = LOW_SIGNAL_PREFIXES
    max_file_bytes: int = 64 * 1024
    license_allowlist: frozenset[str] = PERMISSIVE_LICENSES
    vendored_dirs: frozenset[str] = VENDORED_DIRS
    generated_globs: tuple[str, ...] = GENERATED_GLOBS
    generated_markers: tuple[str, ...] = GENERATED_MARKERS
    generated_marker_lines: int = 10  # header lines searched for a generated-code marker
    criteria: tuple[str, ...] = field(default=CRITERION_IDS)  # criteria a message may point to
    harness_dirs: frozenset[str] = HARNESS_DIRS
    harness_globs: tuple[str, ...] = HARNESS_GLOBS


class GitError(RuntimeError):
    """A git command failed, or a repository could not be opened or cloned."""


# --------------------------------------------------------------------------- git plumbing

_GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def _git(git_dir: str, *args: str, input_bytes: bytes | None = None) -> bytes:
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
def _resolve(repo: str) -> str:
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
    git_dir = _resolve(repo)
    heads = ["HEAD"] if subprocess.run(["git", f"--git-dir={git_dir}", "rev-parse", "--verify", "-q", "HEAD"],
                                       capture_output=True, env={**os.environ, **_GIT_ENV}).returncode == 0 else []
    out = _git(git_dir, "rev-list", "--branches", "--tags", "--remotes", *heads, "--reverse", "--date-order")
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
# (transforms.read) and at exit.
MAX_READERS = 8
_readers: "OrderedDict[tuple[int, str], _CatFile]" = OrderedDict()
_readers_lock = threading.Lock()


def _reader(git_dir: str) -> _CatFile:
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
    return detect_spdx(_reader(git_dir).read(blob)[1].decode("utf-8", "replace"))


@lru_cache(maxsize=4096)
def _manifest_license_of_blob(git_dir: str, name: str, blob: str) -> str | None:
    return manifest_license(name, _reader(git_dir).read(blob)[1].decode("utf-8", "replace"))


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
    top = parse_tree_object(_reader(git_dir).read(tree)[1], len(tree) // 2)
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


# --------------------------------------------------------------------------- the miner

Result = tuple[dict[str, Any] | None, str | None, str | None]


def commit_sample(repo: str, sha: str, path: str, language_id: str, before: str, after: str, message: str,
                  license_id: str | None, timestamp: int | None, criteria: list[str]) -> dict[str, Any]:
    """A SOURCE_SAMPLE dict for a single-file change that passed the filter chain (every commit source)."""
    return {
        "sample_id": stable_hex(repo, sha, path),
        "source": SOURCE,
        "kind": "commit",
        "language": language_id,
        "code": after,
        "code_before": before,
        "diff": unified_diff(before, after, path),
        "message": message,
        "instruction": None,
        "problem_id": None,
        "submission_id": None,
        "user_id": None,
        "repo": repo,
        "commit": sha,
        "path": path,
        "license": license_id,
        "timestamp": timestamp,
        "criteria_hint": criteria,
        "variant_of": None, "split": "train",  # placeholder: transforms.mining.splits assigns the real split
    }


def read_commit(repo: str, sha: str, config: MiningConfig) -> Result:
    """Mine one commit: (SOURCE_SAMPLE dict, None, None) or (None, drop_reason, detail)."""
    git_dir = _resolve(repo)
    reader = _reader(git_dir)
    kind, raw = reader.read(sha)
    if kind != "commit":
        raise GitError(f"{sha} is a {kind}, not a commit")
    meta = parse_commit_object(raw)
    if len(meta.parents) > 1:
        return None, MERGE_COMMIT, f"{len(meta.parents)} parents"

    found = filters.message_matches(meta.message, config)
    if found.reason is not None:
        return None, found.reason, meta.message.strip().split("\n", 1)[0][:200]

    base = [meta.parents[0]] if meta.parents else ["--root"]
    changes = parse_raw_diff(_git(git_dir, "diff-tree", "-r", "-z", "-M", "--raw", "--no-commit-id", *base, sha))
    if len(changes) != 1:
        return None, (MULTI_FILE if changes else NOT_MODIFIED_IN_PLACE), f"{len(changes)} files changed"
    change = changes[0]
    if change.status != "M" or not (change.old_mode.startswith("100") and change.new_mode.startswith("100")):
        return None, NOT_MODIFIED_IN_PLACE, f"status {change.status} {change.old_path} -> {change.path}"
    path = change.path

    bad_path = filters.check_path(path, config)
    if bad_path is not None:
        return None, *bad_path
    size = max(reader.info(change.old_blob)[1], reader.info(change.new_blob)[1])
    if size > config.max_file_bytes:
        return None, OVERSIZED_FILE, f"{path}: {size} bytes > {config.max_file_bytes}"
    old_bytes, new_bytes = reader.read(change.old_blob)[1], reader.read(change.new_blob)[1]
    if is_binary(old_bytes) or is_binary(new_bytes):
        return None, BINARY_FILE, path
    language = by_extension(path)
    if language is None:
        return None, UNKNOWN_LANGUAGE, path
    try:
        path.encode("utf-8")  # paths are read with surrogateescape; Arrow strings need real UTF-8
        before, after = old_bytes.decode("utf-8"), new_bytes.decode("utf-8")
    except UnicodeError as err:
        return None, UNDECODABLE, f"{path!r}: {err.reason}"
    matches, reason, detail = filters.check_change(meta.message, found.matches, path, language.id, before, after,
                                                   config)
    if reason is not None:
        return None, reason, detail

    finding = license_at(git_dir, meta.tree, after, config.license_allowlist)
    if finding.spdx not in config.license_allowlist:
        return None, LICENSE_NOT_ALLOWED, finding.detail()

    return commit_sample(repo_name(repo), sha, path, language.id, before, after, meta.message, finding.spdx,
                         meta.author_time, criteria_of(list(matches))), None, None


def mine_repository(repo: str, config: MiningConfig = MiningConfig()) -> list[tuple[str, Result]]:
    """Every commit of ``repo`` with its mining result, oldest first (a convenience for tests and tools)."""
    return [(sha, read_commit(repo, sha, config)) for sha in list_commits(repo)]
