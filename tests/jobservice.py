"""Beam's local job service in a subprocess: the portable job API that Flink and Spark job
servers speak, for tests that run the pipeline through ``PortableRunner``."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

from transforms.judging.vllm_server import free_port


@contextlib.contextmanager
def local_job_service(startup_s: float = 60.0):
    """Yields the ``--job_endpoint`` of a running local job service; stops it on exit."""
    port = free_port()
    service = subprocess.Popen([sys.executable, "-m", "apache_beam.runners.portability.local_job_service_main",
                                f"--port={port}"], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + startup_s
        while True:
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or service.poll() is not None:
                    raise RuntimeError("the local job service did not start") from None
                time.sleep(0.2)
        yield f"localhost:{port}"
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=30)
