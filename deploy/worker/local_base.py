"""A local stand-in for apache/beam_python3.11_sdk:2.77.0, for CI (no registry is reachable).

    python deploy/worker/local_base.py          # prints the image tag, building it when missing

The image is a root filesystem assembled from this machine and loaded with ``docker import``:
the files of the Debian packages of the eight toolchains, python3.11 and bubblewrap (with
their dependency closure), the runtime Python distributions of codepref (from the
interpreter running this script) under /usr/local/lib/python3.11/dist-packages, and a
stand-in ``/opt/apache/beam/boot``. It is what deploy/worker/Dockerfile needs from Beam's
image (python, pip, Beam, the boot entrypoint), so CI builds that Dockerfile with
``--build-arg BASE_IMAGE=<tag> --build-arg NODE_IMAGE=<tag> --build-arg INSTALL_TOOLCHAINS=0``.
The tag hashes the package and distribution versions, so an unchanged machine reuses it.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata

from schemas import languages

REPOSITORY = "codepref/beam-sdk-local"
ROOT_DISTRIBUTION = "codepref"
# Debian packages of the toolchains (schemas/languages.toml), the worker's own tools, and what
# the Beam image brings itself.
ROOT_PACKAGES = languages.apt_packages() + (
    "bubblewrap", "git", "ca-certificates", "python3.11", "coreutils", "bash", "dash", "libc-bin", "findutils",
    "grep", "sed")
# pip itself and the wheel build backend are part of Beam's image.
TOOL_DISTRIBUTIONS = ("pip", "setuptools", "wheel")
SKIP_PREFIXES = ("/usr/share/doc/", "/usr/share/man/", "/usr/share/locale/", "/usr/share/info/",
                 "/usr/share/lintian/", "/usr/share/bug/")
# Whole /etc entries: alternatives are made by maintainer scripts, not listed by dpkg -L.
ETC_ENTRIES = ("alternatives", "ssl", "ca-certificates", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
               "passwd", "group", "nsswitch.conf", "java-17-openjdk", "mono", "gitconfig")
SITE_PACKAGES = "usr/local/lib/python3.11/dist-packages"
STANDIN_BOOT = b"""#!/bin/sh
# Stand-in for Beam's boot program (a Go binary in apache/beam_python3.11_sdk), CI only.
# --worker_pool starts Beam's Python worker pool on 50000, as boot does for Flink sidecars.
case " $* " in
  *" --worker_pool "*) exec python -m apache_beam.runners.worker.worker_pool_main --service_port=50000 ;;
esac
echo "beam boot stand-in: $*" >&2
exit 2
"""
IMPORT_CHANGES = ('ENTRYPOINT ["/opt/apache/beam/boot"]',
                  "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "ENV LANG=C.UTF-8")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_closure(root: str, requires: Callable[[str], Iterable[str]]) -> list[str]:
    """Canonical names of ``root`` and everything it needs at run time (extras are left out).

    ``requires(name)`` gives a distribution's requirement strings; markers are evaluated for
    this interpreter with no extra selected.
    """
    from packaging.requirements import Requirement
    seen: list[str] = []
    stack = [root]
    while stack:
        name = canonical(stack.pop())
        if name in seen:
            continue
        seen.append(name)
        for text in requires(name):
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                stack.append(req.name)
    return sorted(seen)


def runtime_distributions() -> list[metadata.Distribution]:
    names = requirement_closure(ROOT_DISTRIBUTION, lambda n: metadata.distribution(n).requires or [])
    names = [n for n in names if n != ROOT_DISTRIBUTION] + list(TOOL_DISTRIBUTIONS)
    return [metadata.distribution(n) for n in names]


def kept_path(path: str) -> bool:
    return path.startswith(("/usr/", "/etc/")) and not path.startswith(SKIP_PREFIXES)


def resolve_parent(path: str) -> str:
    """/bin/ls -> /usr/bin/ls on merged-/usr hosts, so no tar entry goes through a symlink."""
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


def with_ancestors(paths: Iterable[str]) -> list[str]:
    out = set()
    for path in paths:
        while path not in ("/", ""):
            out.add(path)
            path = os.path.dirname(path)
    return sorted(out)


def _lines(argv: list[str], check: bool = True) -> list[str]:
    return subprocess.run(argv, check=check, capture_output=True, text=True).stdout.splitlines()


def package_closure(roots: Iterable[str]) -> list[str]:
    """Installed packages that ``roots`` depend on (Depends/PreDepends, recursively)."""
    out = _lines(["apt-cache", "depends", "--recurse", "--installed", "--no-recommends", "--no-suggests",
                  "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *roots])
    return sorted({line.strip() for line in out if line and not line.startswith((" ", "<"))})


def installed_versions(packages: list[str]) -> dict[str, str]:
    """Package -> version for those installed (the closure also names uninstalled alternatives)."""
    lines = _lines(["dpkg-query", "-W", "-f", "${db:Status-Abbrev} ${Package} ${Version}\\n", *packages], check=False)
    return {f[1]: f[2] for f in (line.split() for line in lines) if len(f) == 3 and f[0] == "ii"}


def package_files(packages: list[str]) -> list[str]:
    files: set[str] = set()
    for package in packages:
        files.update(resolve_parent(line) for line in _lines(["dpkg", "-L", package]) if line.startswith("/"))
    return with_ancestors(f for f in files if kept_path(f) and os.path.lexists(f))


def alternative_links(dirs: Iterable[str] = ("/usr/bin", "/usr/sbin")) -> list[str]:
    """Links made by update-alternatives (/usr/bin/java -> /etc/alternatives/java): dpkg -L omits them."""
    links = [os.path.join(d, n) for d in dirs if os.path.isdir(d) for n in os.listdir(d)]
    return sorted(p for p in links if os.path.islink(p) and os.readlink(p).startswith("/etc/alternatives/"))


def image_tag(package_lines: list[str], dists: list[metadata.Distribution]) -> str:
    h = hashlib.sha256("\n".join(package_lines).encode())
    for dist in sorted(dists, key=lambda d: canonical(d.metadata["Name"])):
        h.update(f"{canonical(dist.metadata['Name'])}=={dist.version}\n".encode())
    with open(__file__, "rb") as fh:  # a changed recipe gets a fresh image
        h.update(fh.read())
    return f"{REPOSITORY}:{h.hexdigest()[:12]}"


def _walk(top: str) -> Iterator[str]:
    yield top
    if os.path.isdir(top) and not os.path.islink(top):
        for root, dirs, files in os.walk(top):
            for name in dirs + files:
                yield os.path.join(root, name)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    tar.addfile(info, io.BytesIO(data))


def _add_link(tar: tarfile.TarFile, name: str, target: str) -> None:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = tarfile.SYMTYPE, target
    tar.addfile(info)


def write_rootfs(tar: tarfile.TarFile, host_files: list[str], dists: list[metadata.Distribution]) -> None:
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        if os.path.islink("/" + name):
            _add_link(tar, name, os.readlink("/" + name))
    for name, mode in (("tmp", 0o1777), ("var/tmp", 0o1777), ("root", 0o700), ("proc", 0o755), ("dev", 0o755),
                       ("sys", 0o755), ("opt/apache/beam", 0o755)):
        info = tarfile.TarInfo(name)
        info.type, info.mode = tarfile.DIRTYPE, mode
        tar.addfile(info)
    etc = [p for entry in ETC_ENTRIES if os.path.lexists("/etc/" + entry) for p in _walk("/etc/" + entry)]
    for path in with_ancestors(host_files + etc):
        if path.endswith("/EXTERNALLY-MANAGED"):
            continue  # the image's system python is ours to pip-install into, as in Beam's image
        tar.add(path, arcname=path.lstrip("/"), recursive=False)
    prefix = sys.prefix.rstrip("/") + "/"
    for dist in dists:
        base = str(dist.locate_file(""))
        for rel in dist.files or []:
            src = str(dist.locate_file(rel))
            if rel.parts[0] == ".." or "__pycache__" in rel.parts or not os.path.isfile(src):
                continue  # console scripts live outside site-packages; bytecode is rebuilt
            if not src.startswith(prefix):
                raise RuntimeError(f"{src} is outside {prefix}")
            tar.add(src, arcname=f"{SITE_PACKAGES}/{os.path.relpath(src, base)}", recursive=False)
    _add_bytes(tar, "opt/apache/beam/boot", STANDIN_BOOT, 0o755)
    _add_link(tar, "usr/local/bin/python", "/usr/bin/python3.11")
    _add_link(tar, "usr/local/bin/python3", "/usr/bin/python3.11")
    _add_link(tar, "usr/local/bin/node", "/usr/bin/node")  # what NODE_IMAGE's stage is copied from


def docker_images(repository: str) -> set[str]:
    return set(_lines(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}", repository]))


def build(force: bool = False) -> str:
    versions = installed_versions(package_closure(ROOT_PACKAGES))
    packages, dists = sorted(versions), runtime_distributions()
    tag = image_tag([f"{p} {v}" for p, v in sorted(versions.items())], dists)
    if not force and tag in docker_images(REPOSITORY):
        return tag
    argv = ["docker", "import"] + [a for c in IMPORT_CHANGES for a in ("--change", c)] + ["-", tag]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        with tarfile.open(fileobj=proc.stdin, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            write_rootfs(tar, sorted(set(package_files(packages) + alternative_links())), dists)
    finally:
        proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"docker import failed ({proc.returncode})")
    return tag


if __name__ == "__main__":
    print(build(force="--force" in sys.argv[1:]))
