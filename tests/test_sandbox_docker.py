"""Docker backend: image definitions and runner helpers (always), warm pools (with a daemon)."""
from __future__ import annotations

import io
import os
import tarfile

import pytest

from sandboxes import Limits, Sandbox, TestCase
from sandboxes import container_runner as runner
from sandboxes.docker_images import DEPLOY_DIR, HOST_IMAGE, host_rootfs_tar
from sandboxes.samples import PROBES
from schemas import languages


def test_production_dockerfile_per_language():
    for lid in languages.LANGUAGE_IDS:
        path = os.path.join(DEPLOY_DIR, f"{lid}.Dockerfile")
        text = open(path).read()
        assert "USER 65534:65534" in text and "/opt/sandbox/runner.py" in text and "/opt/sandbox/sbexec" in text


def test_host_rootfs_has_runner_supervisor_and_links():
    with tarfile.open(fileobj=io.BytesIO(host_rootfs_tar())) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["opt/sandbox/runner.py"].isfile() and members["opt/sandbox/sbexec"].mode & 0o111
    assert members["box"].mode == 0o1777 and members["gocache"].uid == 65534
    if os.path.islink("/lib"):
        assert members["lib"].issym() and members["lib"].linkname == os.readlink("/lib")


def test_runner_supervisor_argv_and_parse():
    argv = runner._supervisor_argv(5, {"cpu_s": 2, "wall_ms": 5000, "memory_rlimit": "as", "memory_bytes": 10,
                                       "fsize_bytes": 11, "nofile": 64, "nproc": 0, "stack_bytes": 12}, ["./main"])
    assert argv == [runner.SBEXEC, "5", "-1", "-1", "2", "5000", "as", "10", "11", "64", "0", "12", "--", "./main"]
    assert runner._parse_line("exited=1 code=3 junk") == {"exited": 1, "code": 3}


def _docker_reason():
    from sandboxes.docker_backend import docker_unavailable_reason
    return docker_unavailable_reason()


@pytest.fixture(scope="module")
def docker_sandbox():
    reason = _docker_reason()
    if reason:
        pytest.skip(reason)
    sb = Sandbox(backend="docker", limits=Limits(time_s=3.0, memory_mb=256), repeat=1, docker={"pool_size": 2})
    yield sb
    sb.close()


def test_auto_picks_docker_when_ready(docker_sandbox):
    with Sandbox(backend="auto", limits=Limits(time_s=2.0)) as sb:
        assert sb.backend_name == "docker"


def test_warm_pool_reuses_containers_and_ships_builds(docker_sandbox):
    import docker
    backend = docker_sandbox.backend
    src = PROBES["c"] + "\n/* pool probe */\n"
    for i in range(6):
        rep = docker_sandbox.execute("c", src, [TestCase(f"echo {i}\n", str(i))])
        assert rep["verdict"] == "OK" and rep["backend"] == "docker"
    client = docker.from_env()
    try:
        mine = client.containers.list(filters={"label": [f"codepref.owner={os.getpid()}"]})
        assert len(mine) in (1, 2, 3)  # one builder + at most pool_size (2) runners
        assert all(c.attrs["HostConfig"]["NetworkMode"] == "none" for c in mine)
        assert all(c.attrs["HostConfig"]["ReadonlyRootfs"] for c in mine)
        assert all(c.attrs["Config"]["User"] == "65534:65534" for c in mine)
    finally:
        client.close()
    assert backend.flavour in ("host", "production") and HOST_IMAGE.startswith("codepref-sandbox-host:")


def test_runner_survives_hostile_jobs_and_close_removes_containers(docker_sandbox):
    import docker
    sb = Sandbox(backend="docker", limits=Limits(time_s=1.0, memory_mb=128, wall_s=2.0), repeat=1,
                 docker={"pool_size": 1})
    try:
        assert sb.execute("python", "import os\nos.kill(1, 9)\nprint(1)", [TestCase("", "1")])["verdict"] == "OK"
        assert sb.execute("python", "import time\ntime.sleep(60)", [TestCase("", None)])["verdict"] == "TIME_LIMIT"
        assert sb.execute("python", "x = b'x' * (400 << 20)", [TestCase("", None)])["verdict"] == "MEMORY_LIMIT"
        assert sb.execute("python", "print(2)", [TestCase("", "2")])["verdict"] == "OK"
    finally:
        sb.close()
    client = docker.from_env()
    try:
        owned = client.containers.list(all=True, filters={"label": [f"codepref.owner={os.getpid()}"]})
        assert len(owned) <= 3  # only the module fixture's containers remain
    finally:
        client.close()
