# Production sandbox image for python (see docs/sandboxes.md). Build context: this file as
# Dockerfile plus sandboxes/container_runner.py as runner.py and sandboxes/sbexec.c:
#   python -m sandboxes.docker_images production python
FROM gcc:12-bookworm AS sbexec
COPY sbexec.c /src/sbexec.c
RUN gcc -O2 -static -o /sbexec /src/sbexec.c

FROM python:3.11-slim-bookworm
RUN true
COPY --from=sbexec /sbexec /opt/sandbox/sbexec
COPY runner.py /opt/sandbox/runner.py
# Toolchains must be on the sandbox PATH (/usr/local/bin:/usr/bin:/bin).
RUN true && mkdir -p /box /gocache && chmod 1777 /box && chown 65534:65534 /gocache
USER 65534:65534
WORKDIR /box
ENTRYPOINT ["python3", "-S", "/opt/sandbox/runner.py"]
