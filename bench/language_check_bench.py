"""Language check on real repositories: real files kept, foreign claims refused, time per file.

Takes git repositories (bare or working trees; the ``fetch`` tool's mirrors do), reads up to
``--per-repo`` source files of HEAD per repository (200 B - 40 kB, seeded shuffle; the
language is the extension's), and for each file asks the language check twice:

- **own claim**: the file as the language of its extension; a real file should be accepted.
  A header (``.h``) is settled first (``language_check.settle``), so a C++ header is claimed
  as C++, as the commit reader claims it, by both checks (the count of such headers is printed).
- **foreign claims**: the file claimed as each of the 7 other languages (C claimed as C++ is
  left out: C++ compiles most C); each acceptance is a false acceptance.

Both questions are answered by the project's check (what ``tag_code`` gives as ``language_ok``) and by
the peer every tree-sitter pipeline starts from, the claimed grammar alone within error
limits (error-node ratio <= 0.02 and ERROR subtrees <= 10 % of the bytes; the project's own
check until 2026-12-08), on the same files in the same run. The CPU time of one own-claim
check (parse and verify, plus the rivals' parses where ours needs them) is printed for both.

    .venv/bin/python bench/language_check_bench.py REPO [REPO ...] [--per-repo 120] [--seed 0]

The last line: ``own=... peer_own=... foreign=... peer_foreign=... ratio=...`` where the
ratio is the peer's false-acceptance rate over ours (higher is better).
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas.languages import LANGUAGE_IDS, by_extension  # noqa: E402
from transforms.tagging import parsers  # noqa: E402
from transforms.tagging.language_check import claim_holds, settle  # noqa: E402

MIN_BYTES, MAX_BYTES = 200, 40_000
PEER_MAX_ERROR_RATIO, PEER_MAX_ERROR_BYTE_SHARE = 0.02, 0.10


def ours_accepts(code: str, language: str) -> bool:
    """The project's check, as ``tag_code`` makes it (its ``language_ok``)."""
    data = code.encode("utf-8", "surrogatepass")
    return claim_holds(data, language, parsers.verify(parsers.parse(data, language), data))


def peer_accepts(code: str, language: str) -> bool:
    """The claimed grammar alone: few error nodes and little text inside ERROR subtrees."""
    data = code.encode("utf-8", "surrogatepass")
    check = parsers.verify(parsers.parse(data, language), data)
    return check.error_ratio <= PEER_MAX_ERROR_RATIO and check.error_byte_share <= PEER_MAX_ERROR_BYTE_SHARE


def _git(repo: Path, *args: str | bytes) -> subprocess.CompletedProcess:
    return subprocess.run(["git", f"--git-dir={_git_dir(repo)}", *args], capture_output=True, check=True)


def _git_dir(repo: Path) -> Path:
    return repo / ".git" if (repo / ".git").exists() else repo


def files_of(repo: Path, per_repo: int, seed: int) -> list[tuple[str, str, str]]:
    """(path, language id, text) of up to ``per_repo`` source files of HEAD, seeded shuffle."""
    listed = _git(repo, "ls-tree", "-r", "-z", "--name-only", "HEAD").stdout.split(b"\0")
    names = sorted(n.decode("utf-8", "surrogateescape") for n in listed if n)
    names = [n for n in names if by_extension(n)]
    random.Random(seed).shuffle(names)
    out = []
    for name in names:
        blob = _git(repo, "cat-file", "blob", f"HEAD:{name}".encode("utf-8", "surrogateescape")).stdout
        if not MIN_BYTES < len(blob) <= MAX_BYTES or b"\0" in blob[:8000]:
            continue
        try:
            text = blob.decode("utf-8")
        except UnicodeDecodeError:
            continue
        out.append((name, settle(by_extension(name).id, name, text), text))
        if len(out) >= per_repo:
            break
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--per-repo", type=int, default=120)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    own, peer_own, total_own, headers = Counter(), Counter(), Counter(), Counter()
    foreign, peer_foreign, total_foreign = Counter(), Counter(), 0
    ours_s = peer_s = 0.0
    for repo in args.repos:
        name = repo.parent.name if repo.name == "repo" else repo.name
        for path, language, text in files_of(repo, args.per_repo, args.seed):
            total_own[name] += 1
            if by_extension(path).id != language:
                headers[name] += 1
            start = time.process_time()
            own[name] += ours_accepts(text, language)
            ours_s += time.process_time() - start
            start = time.process_time()
            peer_own[name] += peer_accepts(text, language)
            peer_s += time.process_time() - start
            for claim in LANGUAGE_IDS:
                if claim == language or (language, claim) == ("c", "cpp"):
                    continue
                total_foreign += 1
                foreign[(language, claim)] += ours_accepts(text, claim)
                peer_foreign[(language, claim)] += peer_accepts(text, claim)
        settled = f", {headers[name]} headers read as C++" if headers[name] else ""
        print(f"{name}: own claims kept {own[name]}/{total_own[name]} (peer {peer_own[name]}){settled}", flush=True)

    n_own = sum(total_own.values())
    print("foreign claims accepted, ours (peer), most frequent first:")
    for (language, claim), _ in (peer_foreign + foreign).most_common(10):
        print(f"  {language} claimed as {claim}: {foreign[(language, claim)]} ({peer_foreign[(language, claim)]})")
    print(f"cpu per file, own claim: ours {1000 * ours_s / n_own:.2f} ms, peer {1000 * peer_s / n_own:.2f} ms")
    f_ours, f_peer = sum(foreign.values()) / total_foreign, sum(peer_foreign.values()) / total_foreign
    print(f"files={n_own} foreign_claims={total_foreign} own={sum(own.values()) / n_own:.4f} "
          f"peer_own={sum(peer_own.values()) / n_own:.4f} foreign={f_ours:.4f} peer_foreign={f_peer:.4f} "
          f"ratio={f_peer / f_ours if f_ours else float('inf'):.2f}")


if __name__ == "__main__":
    main()
