"""Command line: run one program on one input and print the verdict.

    python -m sandboxes.run --language python prog.py --stdin in.txt --expected out.txt --json
"""
from __future__ import annotations

import argparse
import json
import sys

from .model import Limits, TestCase
from .sandbox import Sandbox


def _read(path: str | None) -> str | None:
    if path is None:
        return None
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m sandboxes.run", description=__doc__.splitlines()[0])
    p.add_argument("file", help="source file")
    p.add_argument("--language", "-l", required=True, help="language id or alias (schemas/languages.toml)")
    p.add_argument("--stdin", help="file fed to the program's standard input")
    p.add_argument("--expected", help="file holding the expected standard output")
    p.add_argument("--backend", default="auto", choices=("auto", "local", "docker"))
    p.add_argument("--repeat", type=int, default=1, help="runs of the test (median reported)")
    p.add_argument("--time-limit", type=float, default=Limits.time_s, help="CPU seconds")
    p.add_argument("--memory-limit", type=int, default=Limits.memory_mb, help="MB")
    p.add_argument("--output-limit", type=int, default=Limits.output_bytes, help="bytes of standard output")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    source = _read(args.file) or ""
    test = TestCase(stdin=_read(args.stdin) or "", expected=_read(args.expected), name="cli")
    limits = Limits(time_s=args.time_limit, memory_mb=args.memory_limit, output_bytes=args.output_limit)
    with Sandbox(backend=args.backend, limits=limits, repeat=args.repeat) as sb:
        report, outcomes = sb.execute_with_runs(args.language, source, [test])
    last = outcomes[0].runs[-1] if outcomes and outcomes[0].runs else None
    first_test = report["tests"][0] if report["tests"] else {}
    out = dict(report)
    out["exit_code"] = first_test.get("exit_code")
    out["signal"] = first_test.get("signal")
    out["stdout"] = last.stdout.decode("utf-8", "replace") if last else ""
    out["stderr"] = last.stderr.decode("utf-8", "replace") if last else ""
    if args.json:
        json.dump(out, sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(out["stdout"])
        sys.stderr.write(out["stderr"])
        print(f"verdict={out['verdict']} backend={out['backend']} exit_code={out['exit_code']} "
              f"cpu_s={out['cpu_s']} wall_s={out['wall_s']} peak_rss_bytes={out['peak_rss_bytes']} "
              f"detail={out['detail']!r}", file=sys.stderr)
    return 0 if report["verdict"] == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
