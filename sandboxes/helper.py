"""Builds the in-sandbox supervisor (sbexec.c) once per machine, keyed by its hash."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from functools import cache
from importlib import resources

HELPER_DIR = os.environ.get("CODEPREF_SANDBOX_HELPER_DIR", "/tmp/codepref-sandbox-helper")


def helper_source() -> bytes:
    return resources.files(__package__).joinpath("sbexec.c").read_bytes()


@cache
def sbexec_path() -> str:
    """Path of a compiled, world-executable sbexec (static, so it needs nothing from the sandbox)."""
    src = helper_source()
    digest = hashlib.sha256(src).hexdigest()[:16]
    target = os.path.join(HELPER_DIR, f"sbexec-{digest}")
    if os.path.exists(target):
        return target
    os.makedirs(HELPER_DIR, mode=0o755, exist_ok=True)
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        raise RuntimeError("no C compiler to build the sandbox supervisor (sbexec.c)")
    with tempfile.TemporaryDirectory() as tmp:
        c_file = os.path.join(tmp, "sbexec.c")
        with open(c_file, "wb") as fh:
            fh.write(src)
        out = os.path.join(tmp, "sbexec")
        proc = subprocess.run([cc, "-O2", "-static", "-o", out, c_file], capture_output=True)
        if proc.returncode != 0:  # static libc may be missing: a dynamic build works with /usr bound
            proc = subprocess.run([cc, "-O2", "-o", out, c_file], capture_output=True)
        if proc.returncode != 0:
            raise RuntimeError("building sbexec failed: " + proc.stderr.decode("utf-8", "replace")[:500])
        os.chmod(out, 0o755)
        os.replace(out, target) if os.path.dirname(out) == HELPER_DIR else shutil.move(out, target)
    return target
