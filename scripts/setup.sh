#!/usr/bin/env bash
# Idempotent set-up shared by scripts/pipeline and scripts/test: the eight toolchains
# (Debian/Ubuntu packages, when we are root or have sudo), a virtualenv in .venv and
# the package with the requested extras. Re-runs are fast: nothing is reinstalled
# unless pyproject.toml changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extras="${1:-}"

# The toolchains' packages are language facts (schemas/languages.toml); the sandbox's and the
# miner's own tools are listed here.
read -r -a missing <<< "$(python3 "$root/scripts/toolchains.py" missing)"
declare -A pkg=([bwrap]=bubblewrap [git]=git)
for tool in "${!pkg[@]}"; do command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg[$tool]}"); done
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ -z "$sudo" ] || command -v sudo >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing toolchains (${missing[*]}); install them to execute those languages" >&2
  fi
fi

venv="$root/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
stamp="$venv/.codepref-installed"
want="$(cat "$root/pyproject.toml" | sha256sum | cut -c1-16)-${extras}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$venv/bin/python" -m pip install -q --upgrade pip setuptools wheel
  spec="$root"; [ -n "$extras" ] && spec="$root[$extras]"
  "$venv/bin/python" -m pip install -q -e "$spec"
  echo "$want" > "$stamp"
fi
