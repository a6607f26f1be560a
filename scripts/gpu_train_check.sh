#!/usr/bin/env bash
# The trainer on one lent H100/H200, in one short run (the whole device budget is 15 minutes):
# environment (torch, FlexAttention, torch.compile on CUDA), the packed-vs-padded correctness
# test (tests/test_train_packing.py, CPU + gloo), then bench/train_bench.py --gpu at 2 (the
# default), 1 and 4 pairs per micro-batch, each printing its two lines (MFU in the causal-done
# convention, then the PaLM convention). A bench that runs out of memory is rerun once with
# activation checkpointing on, and says so.
#
#   run: bash scripts/gpu_train_check.sh            (from the repository root, on the GPU machine)
#
# The lent machine's image has torch, transformers, tokenizers, safetensors, pyarrow, fsspec and
# pytest (the device notes, KINDS.md), which is all that training/ and these tests import:
# nothing is carried. Compiled kernels are cached under $INDUCTOR_CACHE, so the 2nd and 3rd
# bench runs start faster than the first.
set -u
cd "$(dirname "$0")/.."
export PYTHONPATH=$PWD TOKENIZERS_PARALLELISM=false
export TORCHINDUCTOR_CACHE_DIR=${INDUCTOR_CACHE:-/tmp/codepref-inductor}
PY=${PYTHON:-python3}
STEPS=${STEPS:-10}

echo "== environment ($(date -u +%FT%TZ))"
"$PY" - <<'EOF'
import torch, transformers
print(f"torch={torch.__version__} cuda={torch.version.cuda} transformers={transformers.__version__}")
print(f"device={torch.cuda.get_device_name() if torch.cuda.is_available() else 'none'}")
try:
    from torch.nn.attention.flex_attention import create_block_mask, flex_attention
    flex = True
except ImportError:
    flex = False
print(f"flex_attention={flex}")
ok = False
if torch.cuda.is_available():
    try:
        f = torch.compile(lambda x: torch.nn.functional.gelu(x) * 2)
        ok = bool(torch.allclose(f(torch.ones(8, device="cuda")), torch.nn.functional.gelu(torch.ones(8, device="cuda")) * 2))
    except Exception as e:  # report, do not stop: the bench can run with --compile off
        print(f"compile_error={type(e).__name__}: {str(e)[:200]}")
print(f"torch_compile_cuda={ok}")
EOF

echo "== correctness: one FSDP step, packed (+compiled) vs padded, CPU gloo"
timeout 240 "$PY" -m pytest -q -x -p no:cacheprovider tests/test_train_packing.py 2>&1 | tail -5

bench() {
  local pairs=$1 out
  out=$(timeout 200 "$PY" bench/train_bench.py --gpu --batch "$pairs" --steps "$STEPS" 2>&1)
  if [ $? -ne 0 ]; then
    echo "batch_pairs=$pairs failed: $(echo "$out" | grep -m1 -E 'Error|error' | cut -c1-300)"
    echo "rerun with --grad-checkpointing on"
    out=$(timeout 200 "$PY" bench/train_bench.py --gpu --batch "$pairs" --steps "$STEPS" --grad-checkpointing on 2>&1)
  fi
  echo "$out" | grep '^mode=gpu' || echo "$out" | tail -5
}

for pairs in 2 1 4; do
  echo "== bench/train_bench.py --gpu --batch $pairs"
  bench "$pairs"
done
