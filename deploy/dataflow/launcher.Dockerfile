# Flex-template image: the worker image (deploy/worker/Dockerfile) plus Google's Python
# template launcher, so one image serves as launcher and as --sdk_container_image.
# Build context: the repository root.
#   docker build -f deploy/dataflow/launcher.Dockerfile \
#     --build-arg WORKER_IMAGE=REGION-docker.pkg.dev/PROJECT/REPO/codepref-worker:2.77.0 \
#     -t REGION-docker.pkg.dev/PROJECT/REPO/codepref-template:2.77.0 .
# LAUNCHER_IMAGE: pick the current tag from Google's list of flex-template base images.
ARG LAUNCHER_IMAGE=gcr.io/dataflow-templates-base/python311-template-launcher-base:20260122_RC00
ARG WORKER_IMAGE=codepref-worker:2.77.0

FROM ${LAUNCHER_IMAGE} AS launcher

FROM ${WORKER_IMAGE}
COPY --from=launcher /opt/google/dataflow/python_template_launcher /opt/google/dataflow/python_template_launcher
WORKDIR /template
COPY deploy/dataflow/main.py deploy/dataflow/flex_template.py /template/
ENV FLEX_TEMPLATE_PYTHON_PY_FILE=/template/main.py
# The package and its dependencies are already installed; the launcher must not pip-install.
ENV PIP_NO_DEPS=True
# Keep Beam's boot: Dataflow starts this image as the SDK harness too. The launcher VM runs
# /opt/google/dataflow/python_template_launcher itself.
ENTRYPOINT ["/opt/apache/beam/boot"]
