"""Sandbox images for the docker backend.

  python -m sandboxes.docker_images host                 # local image, no registry needed
  python -m sandboxes.docker_images production [LANG...] # official toolchain images (needs a registry)
  python -m sandboxes.docker_images status

The host image is a tiny root filesystem (directories, merged-/usr links, the
runner and the static sbexec supervisor) imported with ``docker import``; containers bind-mount the host's /usr and
a few /etc entries read-only, so it runs the same toolchains as the local backend.
Its tag carries a hash of the runner and sbexec.c, so a changed runner gets a fresh image.
"""
from __future__ import annotations

import hashlib
import io
import os
import sys
import tarfile
import time
from importlib import resources

from .helper import helper_source, sbexec_path
from .local import ETC_BINDS

GOCACHE_VOLUME = "codepref-sandbox-gocache"
DEPLOY_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "deploy", "sandboxes")


def runner_source() -> bytes:
    return resources.files(__package__).joinpath("container_runner.py").read_bytes()


def _image_hash() -> str:
    return hashlib.sha256(runner_source() + b"\0" + helper_source()).hexdigest()[:12]


HOST_IMAGE = "codepref-sandbox-host:" + _image_hash()


def production_image(language_id: str) -> str:
    return f"codepref-sandbox-{language_id}:latest"


def image_exists(client, tag: str) -> bool:
    import docker.errors
    try:
        client.images.get(tag)
        return True
    except docker.errors.ImageNotFound:
        return False


def host_binds() -> dict[str, dict[str, str]]:
    """Read-only bind mounts of the host toolchains for the host image."""
    binds = {"/usr": {"bind": "/usr", "mode": "ro"}}
    for entry in ETC_BINDS:
        path = "/etc/" + entry
        if os.path.exists(path):
            binds[path] = {"bind": path, "mode": "ro"}
    return binds


def host_rootfs_tar() -> bytes:
    """The host image's root filesystem: mount points, /usr links, the runner."""
    buf = io.BytesIO()
    now = int(time.time())
    with tarfile.open(fileobj=buf, mode="w") as tar:
        def add_dir(name: str, mode: int = 0o755, uid: int = 0) -> None:
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.uid, info.gid, info.mtime = tarfile.DIRTYPE, mode, uid, uid, now
            tar.addfile(info)

        for name in ("usr", "etc", "etc/ssl", "opt", "opt/sandbox", "proc", "dev", "sys"):
            add_dir(name)
        add_dir("box", 0o1777)
        add_dir("tmp", 0o1777)
        add_dir("gocache", 0o755, uid=65534)  # seeds the named volume's ownership
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            host = "/" + name
            if os.path.islink(host):
                info = tarfile.TarInfo(name)
                info.type, info.linkname, info.mtime = tarfile.SYMTYPE, os.readlink(host), now
                tar.addfile(info)
            elif os.path.isdir(host):
                add_dir(name)
        data = runner_source()
        info = tarfile.TarInfo("opt/sandbox/runner.py")
        info.size, info.mode, info.mtime = len(data), 0o644, now
        tar.addfile(info, io.BytesIO(data))
        with open(sbexec_path(), "rb") as fh:  # static when the host has a static libc
            data = fh.read()
        info = tarfile.TarInfo("opt/sandbox/sbexec")
        info.size, info.mode, info.mtime = len(data), 0o755, now
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def build_host_image(client) -> str:
    repo, tag = HOST_IMAGE.split(":")
    client.api.import_image_from_data(host_rootfs_tar(), repository=repo, tag=tag)
    return HOST_IMAGE


def build_production_image(client, language_id: str) -> str:
    """docker build deploy/sandboxes/<language>.Dockerfile with the runner in the context."""
    dockerfile = os.path.join(DEPLOY_DIR, f"{language_id}.Dockerfile")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.add(dockerfile, arcname="Dockerfile")
        for name, data in (("runner.py", runner_source()), ("sbexec.c", helper_source())):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    tag = production_image(language_id)
    client.images.build(fileobj=buf, custom_context=True, tag=tag, rm=True, pull=False)
    return tag


def main(argv: list[str] | None = None) -> int:
    import docker
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in ("host", "production", "status"):
        print(__doc__)
        return 2
    client = docker.from_env(timeout=600)
    from schemas import languages
    if args[0] == "host":
        print(build_host_image(client))
    elif args[0] == "production":
        for lid in args[1:] or list(languages.LANGUAGE_IDS):
            print(build_production_image(client, lid))
    else:
        for tag in [HOST_IMAGE] + [production_image(lid) for lid in languages.LANGUAGE_IDS]:
            print(tag, "present" if image_exists(client, tag) else "missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
