"""Score a reward model on CodeRewardBench-format pairs, or re-aggregate precomputed scores.

    python -m training.evaluate --model MODEL_DIR --data BENCH.parquet|'RUN/shards/bench/*.parquet' --output DIR
    python -m training.evaluate --scores DIR/scores.parquet --output DIR2 [--failed-score 0.0]
    python -m training.evaluate --model MODEL_DIR --rerank CANDIDATES.parquet --output DIR

Input is either the benchmark layout (prompt, chosen, rejected, language, aspect, subset,
id) or our preference shards (input -> prompt, training spellings -> benchmark spellings,
subset = source, id = "{source}_{idx}"). Writes DIR/results.json and DIR/scores.parquet
in the published layout; --rerank writes DIR/rerank.json (Hits@k, Spearman median).

--scores re-aggregates a published (or our) scores.parquet without loading a model: it
imports neither torch nor transformers (those load only with --model). A scores file that
cannot be aggregated (missing, empty, a needed column absent, NaN scores outside marked
parse failures, a stored ``correct`` that disagrees with the scores; see
training/crb_metrics.py) gets one line on stderr, ``error: <file>: <problem>``, and exit
status 2.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import pandas as pd
import pyarrow as pa

from schemas import criteria as criteria_table
from schemas import languages as language_table
from training import crb_metrics, rerank, shards
from schemas.system_prompts import PAIR_MODES as SYSTEM_MODES
from schemas.system_prompts import for_pair
from training.formatting import MIN_RESPONSE_SHARE


def to_crb(table: pa.Table) -> tuple[pd.DataFrame, int]:
    """(benchmark-layout frame, rows skipped because their aspect is not a code criterion)."""
    if "prompt" in table.column_names:
        return table.select(["prompt", "chosen", "rejected", "language", "aspect", "subset", "id"]).to_pandas(), 0
    rows, skipped = [], 0
    for r in table.select(["input", "chosen", "rejected", "language", "aspect", "source", "idx"]).to_pylist():
        try:
            aspect = criteria_table.get(r["aspect"]).crb
        except KeyError:
            skipped += 1
            continue
        rows.append({"prompt": r["input"], "chosen": r["chosen"], "rejected": r["rejected"],
                     "language": language_table.get(r["language"]).crb, "aspect": aspect,
                     "subset": r["source"], "id": f"{r['source']}_{r['idx']}"})
    return pd.DataFrame(rows, columns=["prompt", "chosen", "rejected", "language", "aspect", "subset", "id"]), skipped


def system_prompt(mode: str, aspect: str, row_id: str) -> str | None:
    return for_pair(mode, aspect, row_id)


def evaluate_pairs(model, tok, frame: pd.DataFrame, mode: str, max_length: int, batch_size: int,
                   device, min_response_share: float = MIN_RESPONSE_SHARE) -> tuple[pd.DataFrame, int]:
    """(scores frame for benchmark-layout rows, pairs whose two sides are identical after fitting).

    Both sides of a pair are fitted together, as in training (``formatting.encode_pair``:
    windows aligned on the first difference when the responses are cut). Identical pairs
    get equal scores and so count as wrong; the count says how many.
    """
    from training import scoring  # torch + transformers: only when a model is scored
    systems = [system_prompt(mode, a, i) for a, i in zip(frame["aspect"], frame["id"])]
    encoded = scoring.encode_pairs(tok, list(zip(systems, frame["prompt"], frame["chosen"], frame["rejected"])),
                                   max_length, min_response_share)
    n = len(frame)
    identical = sum(encoded[i].input_ids == encoded[n + i].input_ids for i in range(n))
    criteria = [criteria_table.index(a) for a in frame["aspect"]] * 2
    scores = scoring.score_encoded(model, encoded, batch_size, device, criteria)
    frame_out = crb_metrics.scores_frame(frame["id"], scores[:n], scores[n:], frame["language"], frame["aspect"],
                                         frame["subset"])
    return frame_out, identical


def write_outputs(scores: pd.DataFrame, out_dir: str) -> dict:
    os.makedirs(out_dir, exist_ok=True)
    results = crb_metrics.aggregate(scores, source="model scores")  # NaN rewards are an error here too
    crb_metrics.write(results, os.path.join(out_dir, "results.json"))
    scores.to_parquet(os.path.join(out_dir, "scores.parquet"))
    return results


def run_rerank(model, tok, path: str, mode: str, max_length: int, batch_size: int, device, ks,
               min_response_share: float = MIN_RESPONSE_SHARE) -> dict:
    from training import scoring
    table = shards.read([path])
    cols = table.to_pydict()
    code_col = next(c for c in ("code", "candidate", "response", "solution") if c in cols)
    prompts = cols.get("prompt") or cols.get("input") or [""] * table.num_rows
    system = for_pair(mode, "fc", "")  # reranking ranks correctness; crc32("") = 0 seeds the full prompt
    rewards = scoring.score(model, tok, [(system, p, c) for p, c in zip(prompts, cols[code_col])], max_length,
                            batch_size, device, min_response_share, [criteria_table.index("fc")] * table.num_rows)
    return rerank.metrics([str(x) for x in cols["problem_id"]], rewards, rerank.pass_rate_column(cols), ks)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--output", required=True)
    p.add_argument("--model", help="HF sequence-classification model directory")
    p.add_argument("--data", nargs="+", help="benchmark Parquet or preference shards (paths, globs, URIs)")
    p.add_argument("--scores", help="re-aggregate this scores.parquet into OUTPUT/results.json")
    p.add_argument("--failed-score", type=float, default=None,
                   help="with --scores, for files without parse_failed columns: this score value marks a "
                        "failed parse (e.g. 0.0)")
    p.add_argument("--rerank", help="Parquet of (problem_id, code, pass_rate or verdict[, prompt])")
    p.add_argument("--ks", type=int, nargs="+", default=[1, 5, 10])
    p.add_argument("--system-prompt", choices=SYSTEM_MODES, default="aspect")
    p.add_argument("--max-length", type=int, default=4096)
    p.add_argument("--min-response-share", type=float, default=MIN_RESPONSE_SHARE,
                   help="share of --max-length kept for the response; the prompt is cut first (as in training)")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--limit", type=int, default=0, help="score only the first N pairs")
    p.add_argument("--cpu", action="store_true")
    return p.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.scores:
        try:
            results = crb_metrics.aggregate_file(args.scores, args.failed_score)
        except crb_metrics.ScoresError as e:
            print(f"error: {e}", file=sys.stderr)
            raise SystemExit(2) from None
        os.makedirs(args.output, exist_ok=True)
        crb_metrics.write(results, os.path.join(args.output, "results.json"))
        print(json.dumps(results["overall"], allow_nan=False))
        return results
    if not args.model or not (args.data or args.rerank):
        raise SystemExit("--model with --data or --rerank is required (or --scores to re-aggregate)")
    import torch

    from training import scoring

    device = torch.device("cuda" if torch.cuda.is_available() and not args.cpu else "cpu")
    model, tok = scoring.load(args.model, device)
    if args.rerank:
        results = run_rerank(model, tok, args.rerank, args.system_prompt, args.max_length, args.batch_size, device, args.ks,
                             args.min_response_share)
        os.makedirs(args.output, exist_ok=True)
        with open(os.path.join(args.output, "rerank.json"), "w") as f:
            json.dump(results, f, indent=2)
        print(json.dumps(results))
        return results
    frame, skipped = to_crb(shards.read(args.data))
    if args.limit:
        frame = frame.head(args.limit)
    scores, identical = evaluate_pairs(model, tok, frame, args.system_prompt, args.max_length, args.batch_size, device,
                                       args.min_response_share)
    results = write_outputs(scores, args.output)
    print(json.dumps({"overall": results["overall"], "skipped_non_code_rows": skipped,
                      "identical_after_truncation": identical}))
    for aspect, v in results["by_aspect"].items():
        print(f"{aspect}: accuracy={v['accuracy']} count={v['count']}")
    return results


if __name__ == "__main__":
    main()
