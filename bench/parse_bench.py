"""Tagging throughput: files per CPU-second (= per core) for parse + tag, per language.

Corpus: source files under pipeline/defaults when there are any, else the bundled
tagging fixtures (tests/data/tagging). Each language's files are tagged in a loop
for at least --seconds of CPU time on one core (single process, single thread).

    .venv/bin/python bench/parse_bench.py [--seconds 1.0] [--corpus DIR]

Prints one final line of key=value pairs, e.g.
    corpus=tests/data/tagging files=16 python=210.3 ... overall=180.2 unit=files_per_cpu_s
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas.languages import LANGUAGE_IDS, by_extension  # noqa: E402
from transforms.tagging import tag_code  # noqa: E402

DEFAULT_CORPORA = (ROOT / "pipeline" / "defaults", ROOT / "tests" / "data" / "tagging")
MAX_FILE_BYTES = 256 * 1024


def collect(corpus: Path) -> dict[str, list[str]]:
    files: dict[str, list[str]] = defaultdict(list)
    for path in sorted(corpus.rglob("*")):
        lang = by_extension(path.name)
        if lang and path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
            files[lang.id].append(path.read_text("utf-8", errors="replace"))
    return files


def rate(codes: list[str], language: str, seconds: float) -> float:
    """Files tagged per CPU-second, looping over the files until `seconds` have passed."""
    for code in codes:  # warm-up: grammar load, query compilation
        tag_code(code, language)
    done, start = 0, time.process_time()
    while True:
        for code in codes:
            tag_code(code, language)
        done += len(codes)
        spent = time.process_time() - start
        if spent >= seconds:
            return done / spent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="CPU seconds per language")
    parser.add_argument("--corpus", type=Path, help="directory of source files (default: see module doc)")
    args = parser.parse_args(argv)
    corpora = [args.corpus] if args.corpus else [c for c in DEFAULT_CORPORA if c.is_dir()]
    files, corpus = {}, None
    for corpus in corpora:
        files = collect(corpus)
        if files:
            break
    if not files:
        raise SystemExit("no source files found")
    pairs = [f"corpus={corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus}",
             f"files={sum(map(len, files.values()))}"]
    total_files = total_time = 0.0
    for language in LANGUAGE_IDS:
        if language in files:
            r = rate(files[language], language, args.seconds)
            total_files += len(files[language])
            total_time += len(files[language]) / r
            pairs.append(f"{language}={r:.1f}")
    pairs.append(f"overall={total_files / total_time:.1f}")
    pairs.append("unit=files_per_cpu_s")
    print(" ".join(pairs))


if __name__ == "__main__":
    main()
