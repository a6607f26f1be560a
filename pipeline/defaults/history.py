"""Build the bundled git history into real git repositories, deterministically.

Each ``history/<repo>.toml`` describes one repository: its licence and an ordered
list of commits. File contents live in ``history/<repo>/`` (one file per version)
and licence texts in ``history/licenses/``. The history is written with one ``git fast-import``
stream under a fixed environment (no user or system config, fixed names, e-mails, dates
and branch), so the commit hashes are identical on every machine and every run.

Spec format (TOML)::

    name = "lumen-utils"          # repository (folder) name
    license = "MIT"               # SPDX id the miner must detect
    license_text = "MIT.txt"      # file in history/licenses/
    split = "train"               # the split its commits are meant for (documentation, tests)

    [[commit]]
    date = "2017-01-09T10:12:00+01:00"       # ISO 8601 with offset: author and committer date
    author = "Mara Quint <mara@lumen.example>"
    message = "Fix off-by-one in pagination bounds"
    branch = "main"                           # optional: commit on this branch (created from HEAD)
    merge = "feature/x"                       # optional: a --no-ff merge of that branch instead of files
    expect = ["fc"]                           # what the miner must produce: criteria, or a drop reason
    files = [
      { path = "src/pager.py", from = "python/v1.py" },   # content from history/<repo>/
      { path = "LICENSE", license = true },               # the licence text
      { path = "notes.txt", text = "inline\\n" },          # inline text
      { path = "logo.png", base64 = "iVBOR..." },          # raw bytes
      { path = "big.py", repeat = "x = 1\\n", times = 9000 },
      { path = "new/name.py", rename_from = "old/name.py" },  # git mv (optionally with from/text)
      { path = "gone.py", delete = true },
    ]
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import tomllib
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_BRANCH = "main"
COMMITTER = ("codepref fixtures", "fixtures@codepref.invalid")
MARKER = "codepref-fixture.json"  # inside .git: spec digest and the head it produced


def bundled_history_dir() -> Path:
    """The folder holding the bundled history specs (works from a source tree and when installed)."""
    return Path(str(resources.files(__package__).joinpath("history")))


def load_specs(history_dir: Path | None = None) -> list[dict[str, Any]]:
    """All repository specs, sorted by file name, each with ``_dir`` (its version folder) added."""
    root = history_dir or bundled_history_dir()
    specs = []
    for path in sorted(root.glob("*.toml")):
        spec = tomllib.loads(path.read_text("utf-8"))
        spec["_dir"] = root / spec["name"]
        spec["_licenses"] = root / "licenses"
        _validate(spec, path)
        specs.append(spec)
    return specs


def _validate(spec: dict[str, Any], path: Path) -> None:
    messages = [c["message"].strip() for c in spec["commit"]]
    dupes = {m for m in messages if messages.count(m) > 1}
    if dupes:
        raise ValueError(f"{path.name}: commit messages must be unique, repeated: {sorted(dupes)}")
    dates = [datetime.fromisoformat(c["date"]) for c in spec["commit"]]
    if any(b < a for a, b in zip(dates, dates[1:])):
        raise ValueError(f"{path.name}: commit dates must not go backwards")


def _git_date(iso: str) -> str:
    """git's internal date format ``<unix> <+hhmm>`` from an ISO 8601 date with offset."""
    dt = datetime.fromisoformat(iso)
    if dt.tzinfo is None:
        raise ValueError(f"date {iso!r} needs a UTC offset")
    minutes = int(dt.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{int(dt.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _author(text: str) -> tuple[str, str]:
    name, _, rest = text.partition("<")
    return name.strip(), rest.rstrip(">").strip()


def _file_bytes(spec: dict[str, Any], entry: dict[str, Any]) -> bytes | None:
    """The content a file entry writes, or None for a pure delete/rename."""
    if "from" in entry:
        return (spec["_dir"] / entry["from"]).read_bytes()
    if entry.get("license"):
        return (spec["_licenses"] / spec["license_text"]).read_bytes()
    if "text" in entry:
        return entry["text"].encode("utf-8")
    if "base64" in entry:
        return base64.b64decode(entry["base64"])
    if "repeat" in entry:
        return (entry["repeat"] * int(entry["times"])).encode("utf-8")
    return None


def spec_digest(spec: dict[str, Any]) -> str:
    """Digest of everything that determines the built repository: the spec and every byte it writes."""
    h = hashlib.sha256()
    h.update(json.dumps({k: v for k, v in spec.items() if not k.startswith("_")}, sort_keys=True).encode())
    for commit in spec["commit"]:
        for entry in commit.get("files", []):
            data = _file_bytes(spec, entry)
            h.update(hashlib.sha256(data or b"").digest())
    return h.hexdigest()


def _git(work: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run git in ``work`` with no user or system configuration and a fixed locale and time zone."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", "TZ": "UTC"}
    proc = subprocess.run(["git", "-c", "core.autocrlf=false", *args], cwd=work, env=env, input=stdin,
                          capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args[:2])} failed: {proc.stderr.decode('utf-8', 'replace')}")
    return proc.stdout.decode("utf-8", "replace").strip()


def _quote(path: str) -> bytes:
    """A path as git fast-import reads it: C-style quoted."""
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return b'"' + escaped.encode("utf-8") + b'"'


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def fast_import_stream(spec: dict[str, Any]) -> bytes:
    """The whole history as one ``git fast-import`` stream (one process instead of hundreds of git calls).

    Branch contents are tracked here so that a merge commit can list its merged tree:
    the target branch, plus every file the merged branch changed since it forked.
    """
    out = bytearray()
    tips: dict[str, int] = {}
    files: dict[str, dict[str, bytes]] = {DEFAULT_BRANCH: {}}
    forks: dict[str, dict[str, bytes]] = {}
    for mark, commit in enumerate(spec["commit"], start=1):
        branch = commit.get("branch", DEFAULT_BRANCH)
        if branch not in files:  # a new branch starts at the current tip of the default branch
            files[branch] = dict(files[DEFAULT_BRANCH])
            forks[branch] = dict(files[DEFAULT_BRANCH])
            if DEFAULT_BRANCH in tips:
                tips[branch] = tips[DEFAULT_BRANCH]
        name, email = _author(commit["author"])
        date = _git_date(commit["date"]).encode()
        out += b"commit refs/heads/%s\nmark :%d\n" % (branch.encode(), mark)
        out += b"author %s <%s> %s\n" % (name.encode(), email.encode(), date)
        out += b"committer %s <%s> %s\n" % (COMMITTER[0].encode(), COMMITTER[1].encode(), date)
        out += _data((commit["message"].strip() + "\n").encode("utf-8"))
        if branch in tips:
            out += b"from :%d\n" % tips[branch]
        state = files[branch]
        if "merge" in commit:
            other = commit["merge"]
            out += b"merge :%d\n" % tips[other]
            for path, content in files[other].items():
                if forks[other].get(path) != content:
                    state[path] = content
            for path in set(forks[other]) - set(files[other]):
                state.pop(path, None)
            out += b"deleteall\n"
            for path in sorted(state):
                out += b"M 100644 inline %s\n" % _quote(path) + _data(state[path])
        for entry in commit.get("files", []):
            if entry.get("delete") or "rename_from" in entry:
                gone = entry["path"] if entry.get("delete") else entry["rename_from"]
                moved = state.pop(gone)
                out += b"D %s\n" % _quote(gone)
                if entry.get("delete"):
                    continue
                state[entry["path"]] = moved
            data = _file_bytes(spec, entry)
            if data is not None:
                state[entry["path"]] = data
            out += b"M 100644 inline %s\n" % _quote(entry["path"]) + _data(state[entry["path"]])
        out += b"\n"
        tips[branch] = mark
    out += b"done\n"
    return bytes(out)


def _build(spec: dict[str, Any], work: Path) -> str:
    """Create the repository in ``work`` (an empty folder) and check out the default branch; returns its head."""
    _git(work, "init", "-q", f"--initial-branch={DEFAULT_BRANCH}")
    _git(work, "fast-import", "--quiet", "--done", "--date-format=raw", stdin=fast_import_stream(spec))
    _git(work, "reset", "-q", "--hard", DEFAULT_BRANCH)
    return _git(work, "rev-parse", "HEAD")


def _reusable(repo: Path, digest: str) -> bool:
    marker = repo / ".git" / MARKER
    if not marker.is_file():
        return False
    recorded = json.loads(marker.read_text("utf-8"))
    if recorded.get("digest") != digest:
        return False
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                          env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    return head.returncode == 0 and head.stdout.strip() == recorded.get("head")


def build_repository(spec: dict[str, Any], dest: Path) -> Path:
    """Build one spec as ``dest/<name>`` unless an identical build is already there."""
    repo = dest / spec["name"]
    digest = spec_digest(spec)
    if _reusable(repo, digest):
        return repo
    dest.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{spec['name']}-", dir=dest))
    try:
        head = _build(spec, work)
        (work / ".git" / MARKER).write_text(json.dumps({"digest": digest, "head": head}), "utf-8")
        if repo.exists():
            shutil.rmtree(repo)
        os.rename(work, repo)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return repo


def build_repositories(dest: Path, history_dir: Path | None = None) -> list[Path]:
    """Build every bundled repository under ``dest``; returns their paths in spec order."""
    return [build_repository(spec, Path(dest)) for spec in load_specs(history_dir)]


def recorded_head(repo: Path) -> str:
    """The head a built repository's marker records."""
    return json.loads((repo / ".git" / MARKER).read_text("utf-8"))["head"]
