"""CI checks of deploy/: manifests parse and agree with each other, with the guides and with
our code (CurationOptions, Beam's version, languages.toml); Dockerfiles pass deploy/checks.py;
with a Docker daemon the worker image is built from a local base and probed."""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from schemas import languages

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")
BEAM_BOOT = ["/opt/apache/beam/boot"]


def _module(relpath: str):
    path = os.path.join(DEPLOY, relpath)
    name = "deploy_" + relpath.replace("/", "_").removesuffix(".py")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


checks = _module("checks.py")


def _read(relpath: str) -> str:
    with open(os.path.join(DEPLOY, relpath)) as fh:
        return fh.read()


def _yaml_docs(relpath: str) -> list[dict]:
    return [d for d in yaml.safe_load_all(_read(relpath)) if d is not None]


def _beam_version() -> str:
    from apache_beam.version import __version__
    return __version__


# --- the Dockerfile checker itself ------------------------------------------------------------

def test_parser_joins_continuations_and_skips_comments():
    ins = checks.parse_dockerfile("# c\nARG A=1\nFROM x:${A} AS b\nRUN a \\\n  # inner\n  && b\n")
    assert [(i.line, i.keyword, i.args) for i in ins] == [(2, "ARG", "A=1"), (3, "FROM", "x:${A} AS b"),
                                                          (4, "RUN", "a && b")]
    assert checks.from_images(ins) == [("x:1", "b")]


@pytest.mark.parametrize("text, fragment", [
    ("RUN true\nFROM a:1\n", "not FROM"),
    ("FROM debian\n", "no tag"),
    ("FROM debian:latest\n", "latest tag"),
    ("ARG B\nFROM ${B}\n", "unresolved variable"),
    ("FROM a:1\nCOPY --from=nope /x /x\n", "names no stage"),
    ("FROM a:1\nRUN apt-get install -y gcc\n", "without apt-get update"),
    ("FROM a:1\nENTRYPOINT [\"/bin/sh\"]\n", "is not ['/opt/apache/beam/boot']"),
    ("FROM a:1\n", "sets no ENTRYPOINT"),
    ("FROM a:1 AS s\nENTRYPOINT [\"/opt/apache/beam/boot\"]\nFROM s\nENTRYPOINT /opt/apache/beam/boot\n", "is not"),
])
def test_linter_flags(text, fragment):
    problems = checks.lint_dockerfile(text, entrypoint=BEAM_BOOT)
    assert any(fragment in p for p in problems), problems


def test_linter_accepts_pinned_multistage():
    text = ("ARG BASE=img:1.2@sha256:abc\nFROM ${BASE} AS s\nRUN apt-get update && apt-get install -y "
            "--no-install-recommends x && rm -rf /var/lib/apt/lists/*\nFROM s\nCOPY --from=s /a /a\n"
            "ENTRYPOINT [\"/opt/apache/beam/boot\"]\n")
    assert checks.lint_dockerfile(text, entrypoint=BEAM_BOOT) == []


def test_image_tag_handles_registry_ports_and_digests():
    assert checks.image_tag("localhost:5000/a/b") is None
    assert checks.image_tag("localhost:5000/a/b:2.77.0") == "2.77.0"
    assert checks.image_tag("a@sha256:ff") == "sha256:ff"


# --- Dockerfiles --------------------------------------------------------------------------------

@pytest.mark.parametrize("relpath, entrypoint", [
    ("worker/Dockerfile", BEAM_BOOT),
    ("dataflow/launcher.Dockerfile", BEAM_BOOT),
] + [(f"sandboxes/{lid}.Dockerfile", ["python3", "-S", "/opt/sandbox/runner.py"]) for lid in languages.LANGUAGE_IDS])
def test_dockerfiles_lint_clean(relpath, entrypoint):
    assert checks.lint_dockerfile(_read(relpath), entrypoint=entrypoint) == []


def test_worker_base_is_beams_sdk_image_for_our_beam_version():
    images = {stage: image for image, stage in checks.from_images(checks.parse_dockerfile(
        _read("worker/Dockerfile")))}
    base = checks.arg_defaults(checks.parse_dockerfile(_read("worker/Dockerfile")))["BASE_IMAGE"]
    assert base == f"apache/beam_python{sys.version_info.major}.{sys.version_info.minor}_sdk:{_beam_version()}"
    assert images["wheel"] == base and images[None] == base


def test_worker_checks_every_toolchain_languages_toml_runs():
    text = _read("worker/Dockerfile")
    checked = set(re.search(r"for tool in ([^;]+);", text).group(1).split())
    needed = set()
    for lang in languages.languages().values():
        for argv in (lang.compile, lang.run, lang.version):
            if argv and not argv[0].startswith("./"):
                needed.add(argv[0])
    assert needed <= checked, needed - checked
    assert "bwrap" in checked and "git" in checked


def test_toolchain_packages_are_the_language_table_s():
    """The worker image and CI install what schemas/languages.toml names (node comes from the node image,
    python with Beam's image); setup reads the table itself."""
    text = _read("worker/Dockerfile")
    apt_line = re.search(r"apt-get install -y --no-install-recommends \\\n\s+([^\\]+)\\", text).group(1).split()
    wanted = set(languages.apt_packages()) - {"nodejs", "python3"}
    assert wanted <= set(apt_line), wanted - set(apt_line)
    assert "COPY --from=node /usr/local/bin/node" in text
    setup = open(os.path.join(ROOT, "scripts", "setup.sh")).read()
    assert "scripts/toolchains.py\" missing" in setup and "jdk" not in setup
    listed = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "toolchains.py"), "all"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert listed == list(languages.apt_packages())
    assert set(languages.apt_packages()) <= set(_module("worker/local_base.py").ROOT_PACKAGES)


def test_worker_copies_every_package_and_dockerignore_sends_them():
    packages = ["pipeline", "transforms", "sandboxes", "schemas", "training"]
    text = _read("worker/Dockerfile")
    with open(os.path.join(ROOT, "pyproject.toml")) as fh:
        include = re.search(r'include = \[([^]]*)\]', fh.read()).group(1)
    assert sorted(p.strip('" *') for p in include.split(",")) == sorted(packages)
    with open(os.path.join(ROOT, ".dockerignore")) as fh:
        rules = [line.strip() for line in fh if line.strip() and not line.startswith("#")]
    assert rules[0] == "*", "allow-list: everything else (.venv, out, .git) stays out of the context"
    for name in packages + ["pyproject.toml", "README.md", "deploy/dataflow/main.py", "deploy/dataflow/flex_template.py"]:
        assert f"!{name}" in rules
    for name in packages:
        assert f"COPY {name} ./{name}" in text


# --- Dataflow -------------------------------------------------------------------------------

def _option_actions():
    from pipeline.options import CurationOptions
    parser = argparse.ArgumentParser(add_help=False)
    CurationOptions._add_argparse_args(parser)
    return {a.option_strings[0][2:]: a for a in parser._actions if a.option_strings}


def test_flex_metadata_is_generated_from_curation_options():
    on_disk = json.loads(_read("dataflow/metadata.json"))
    assert on_disk == _module("dataflow/flex_template.py").metadata(), \
        "regenerate: python deploy/dataflow/flex_template.py > deploy/dataflow/metadata.json"


def test_flex_parameters_are_real_flags_and_accept_their_defaults():
    actions = _option_actions()
    params = json.loads(_read("dataflow/metadata.json"))["parameters"]
    assert sorted(p["name"] for p in params) == sorted(actions)
    for p in params:
        assert {"name", "label", "helpText", "isOptional"} <= set(p) and p["helpText"]
        action = actions[p["name"]]
        for regex in p.get("regexes", []):
            values = [str(action.default).lower() if isinstance(action.default, bool) else action.default]
            values += list(action.choices or [])
            for value in values:
                if value is not None:
                    assert re.fullmatch(regex, str(value)), (p["name"], regex, value)
    assert [p["name"] for p in params if not p["isOptional"]] == ["output"]


def test_template_argv_rewrites_booleans_and_lists_for_curation_options():
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipeline.options import CurationOptions
    ft = _module("dataflow/flex_template.py")
    argv = ft.template_argv(["--no_bundled=true", "--repos=a.git, b.git", "--hf_dataset={\"a\": 1, \"b\": 2}",
                             "--seed=3", "--runner=DataflowRunner"])
    opts = PipelineOptions(argv).view_as(CurationOptions)
    assert opts.no_bundled is True and opts.repos == ["a.git", "b.git"] and opts.seed == 3
    assert opts.hf_dataset == ['{"a": 1, "b": 2}'] and opts.checkpoint == "none"
    assert ft.template_argv(["--no_bundled=false", "--checkpoint=stages"]) == ["--checkpoint=stages"]
    with pytest.raises(ValueError):
        ft.template_argv(["--no_bundled=yes"])


def test_launcher_runs_flex_template_main():
    text = _read("dataflow/launcher.Dockerfile")
    assert "ENV FLEX_TEMPLATE_PYTHON_PY_FILE=/template/main.py" in text
    assert "python_template_launcher" in text


def test_dataflow_guide_gpu_hints_parse_as_beam_hints():
    import apache_beam as beam
    guide = _read("dataflow/README.md")
    accelerator = "type:nvidia-l4;count:1;install-nvidia-driver"
    assert f"worker_accelerator={accelerator}" in guide and f"--resource_hints=accelerator={accelerator}" in guide
    hints = beam.Map(str).with_resource_hints(accelerator=accelerator).get_resource_hints()
    assert hints == {"beam:resources:accelerator:v1": accelerator.encode()}
    assert "--sdk-language=PYTHON" in guide and "--metadata-file=deploy/dataflow/metadata.json" in guide


# --- Flink ----------------------------------------------------------------------------------

def _flink():
    (session,) = _yaml_docs("flink/flink-session.yaml")
    by_kind = {d["kind"]: d for d in _yaml_docs("flink/job-server.yaml")}
    return session, by_kind


def test_flink_session_deployment_structure():
    session, _ = _flink()
    assert session["apiVersion"] == "flink.apache.org/v1beta1" and session["kind"] == "FlinkDeployment"
    spec = session["spec"]
    assert "job" not in spec, "a session cluster has no job section"
    for key in ("image", "flinkVersion", "serviceAccount", "jobManager", "taskManager"):
        assert key in spec
    for role in ("jobManager", "taskManager"):
        assert {"memory", "cpu"} <= set(spec[role]["resource"])
    containers = {c["name"]: c for c in spec["taskManager"]["podTemplate"]["spec"]["containers"]}
    assert "flink-main-container" in containers
    pool = containers["beam-worker-pool"]
    assert pool["args"] == ["--worker_pool"]
    assert [p["containerPort"] for p in pool["ports"]] == [50000]
    assert pool["image"].endswith(f"codepref-worker:{_beam_version()}")


def test_flink_versions_agree_and_are_published_by_beam():
    from apache_beam.options.pipeline_options import FlinkRunnerOptions
    session, by_kind = _flink()
    (server,) = by_kind["Deployment"]["spec"]["template"]["spec"]["containers"]
    match = re.fullmatch(r"apache/beam_flink(\d+\.\d+)_job_server:(.+)", server["image"])
    assert match and match.group(2) == _beam_version()
    flink = match.group(1)
    assert flink in FlinkRunnerOptions.PUBLISHED_FLINK_VERSIONS
    assert session["spec"]["flinkVersion"] == "v" + flink.replace(".", "_")
    assert session["spec"]["image"].startswith(f"flink:{flink}")
    assert all(v == flink for v in checks.flag_values(_read("flink/README.md"), "flink_version"))


def test_flink_ports_agree_between_job_server_service_operator_and_guide():
    session, by_kind = _flink()
    deployment, service = by_kind["Deployment"], by_kind["Service"]
    (server,) = deployment["spec"]["template"]["spec"]["containers"]
    args = dict(a[2:].split("=", 1) for a in server["args"])
    container_ports = {p["name"]: p["containerPort"] for p in server["ports"]}
    service_ports = {p["name"]: (p["port"], p["targetPort"]) for p in service["spec"]["ports"]}
    for name in ("job", "artifact", "expansion"):
        port = int(args[f"{name}-port"])
        assert container_ports[name] == port and service_ports[name] == (port, port)
    rest_port = session["spec"]["flinkConfiguration"].get("rest.port", "8081")
    assert args["flink-master"] == f"{session['metadata']['name']}-rest:{rest_port}"
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    guide = _read("flink/README.md")
    assert {e.rsplit(":", 1)[1] for e in checks.flag_values(guide, "job_endpoint")} == {args["job-port"]}
    assert {e.rsplit(":", 1)[1] for e in checks.flag_values(guide, "artifact_endpoint")} == {args["artifact-port"]}
    assert checks.flag_values(guide, "environment_config") and all(
        c == "localhost:50000" for c in checks.flag_values(guide, "environment_config"))
    assert all(m.endswith(":" + rest_port) for m in checks.flag_values(guide, "flink_master"))


def test_flink_shared_artifact_volume():
    session, by_kind = _flink()
    claim = by_kind["PersistentVolumeClaim"]["metadata"]["name"]
    pod = session["spec"]["taskManager"]["podTemplate"]["spec"]
    assert [v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]] == [claim]
    (server,) = by_kind["Deployment"]["spec"]["template"]["spec"]["containers"]
    artifacts_dir = dict(a[2:].split("=", 1) for a in server["args"])["artifacts-dir"]
    for container in pod["containers"] + [server]:
        assert [m["mountPath"] for m in container["volumeMounts"]] == [artifacts_dir]


# --- judge server ---------------------------------------------------------------------------

def test_judge_compose_gpu_and_cpu_profiles():
    (compose,) = _yaml_docs("judge/compose.yaml")
    services = compose["services"]
    assert {tuple(s["profiles"]) for s in services.values()} == {("gpu",), ("cpu",)}
    gpu = services["vllm-gpu"]
    (device,) = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert gpu["image"].startswith("vllm/vllm-openai:") and checks.image_pin_problem(gpu["image"]) is None
    default_cpu_image = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", services["vllm-cpu"]["image"])
    assert checks.image_pin_problem(default_cpu_image) is None
    guide = _read("judge/README.md")
    for service in services.values():
        assert service["ports"] == ["8000:8000"]
        args = dict(a[2:].split("=", 1) for a in service["command"])
        assert args["port"] == "8000" and args["host"] == "0.0.0.0"
        assert checks.flag_values(guide, "judge_model") == [args["served-model-name"]]
        assert "localhost:8000/health" in " ".join(service["healthcheck"]["test"])
        for volume in service["volumes"]:
            source = volume.split(":", 1)[0]
            assert source.startswith(".") or source in compose["volumes"]
    assert checks.flag_values(guide, "judge_endpoint") == ["http://localhost:8000/v1"]
    assert checks.flag_values(guide, "judge_backend") == ["openai"]


# --- the worker image, built for real -------------------------------------------------------

def _docker_unavailable() -> str | None:
    if shutil.which("docker") is None:
        return "no docker CLI"
    probe = subprocess.run(["docker", "info"], check=False, capture_output=True, text=True, timeout=60)
    return None if probe.returncode == 0 else "no docker daemon answers `docker info`"


@pytest.mark.docker
def test_worker_image_builds_on_a_local_base_and_runs_toolchains():
    reason = _docker_unavailable()
    if reason:
        if os.environ.get("CODEPREF_REQUIRE_DOCKER") == "1":
            pytest.fail(f"CODEPREF_REQUIRE_DOCKER=1 but {reason}")
        pytest.skip(reason)
    base = _module("worker/local_base.py").build()
    tag = "codepref-worker:ci"
    env = dict(os.environ, DOCKER_BUILDKIT="0")  # the legacy builder sees locally imported images
    build = subprocess.run(
        ["docker", "build", "-q", "-f", "deploy/worker/Dockerfile", "--build-arg", f"BASE_IMAGE={base}",
         "--build-arg", f"NODE_IMAGE={base}", "--build-arg", "INSTALL_TOOLCHAINS=0", "-t", tag, "."],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    inspect = subprocess.run(["docker", "inspect", "-f", "{{json .Config.Entrypoint}}", tag],
                             capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(inspect.stdout) == BEAM_BOOT
    # Import the installed package, then run every language's version argv from languages.toml.
    script = ("import json, subprocess, importlib.metadata as md, pipeline.run, transforms, sandboxes\n"
              "from schemas import languages\n"
              "out = {'codepref': md.version('codepref'), 'where': pipeline.run.__file__}\n"
              "for lid, lang in languages.languages().items():\n"
              "    p = subprocess.run(list(lang.version), capture_output=True, text=True)\n"
              "    out[lid] = [p.returncode, (p.stdout or p.stderr).strip().splitlines()[:1]]\n"
              "print(json.dumps(out))\n")
    run = subprocess.run(["docker", "run", "--rm", "--network=none", "--entrypoint", "python", tag, "-c", script],
                         check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    from importlib.metadata import version
    assert report["codepref"] == version("codepref"), report
    assert re.search(r"/(site|dist)-packages/pipeline/run\.py$", report["where"]), report
    for lid in languages.LANGUAGE_IDS:
        assert report[lid][0] == 0 and report[lid][1], (lid, report[lid])
    assert "go1." in report["go"][1][0] and report["c"][1][0].startswith("gcc")
