"""Labelling rules (Beam-free): which of two code samples is better, on which criterion, and why.

Functional correctness, runtime and memory efficiency are grounded in execution;
readability and security come from the static judge over tree-sitter tags (the
LLM judge, when configured, replaces it). Commit pairs for fc/ee/me have no tests
to run; offline they take the commit's direction (the message claims the
improvement), recorded as label_method ``commit_message``, but only after sanity
checks of what the change does (``commit_checks``): the names of the checks that
passed travel on the pair as ``label_checks``; a failed one rejects the pair with
the check's reason.
"""
from __future__ import annotations

import math
import statistics

from dataclasses import dataclass

from sandboxes.judge import Stability, cpu_steady, relative_spread
from transforms.mining import filters
from transforms.tagging import static_judge, tag_code
from transforms.tagging.changed import changed_parts
from transforms.tagging.static_judge import StaticJudgeConfig

# Runs under the sandbox's noise floor (~20 ms CPU) report meaningless CVs and are judged
# stable by absolute spread instead; cap the CV used to widen a ratio accordingly.
CV_CAP = 0.25
FAILING = frozenset({"WRONG_ANSWER", "RUNTIME_ERROR", "TIME_LIMIT", "MEMORY_LIMIT", "OUTPUT_LIMIT"})


@dataclass(frozen=True)
class Label:
    """``better`` is "A" or "B"; ``None`` means no pair, with ``reason`` saying why."""
    better: str | None
    method: str
    margin: float
    reason: str | None = None
    votes: tuple = ()
    agreement: float | None = None
    checks: tuple[str, ...] = ()  # commit pairs: the label checks that passed


def _pass_rate(ex: dict) -> float:
    return ex["tests_passed"] / ex["tests_total"] if ex["tests_total"] else 0.0


def functional(a: dict, b: dict) -> Label:
    """Passing beats failing; both must have compiled (the execute stage drops compile errors)."""
    va, vb = a["verdict"], b["verdict"]
    if va == "OK" and vb in FAILING:
        return Label("A", "execution", _pass_rate(a) - _pass_rate(b))
    if vb == "OK" and va in FAILING:
        return Label("B", "execution", _pass_rate(b) - _pass_rate(a))
    return Label(None, "execution", 0.0, "same_outcome")


UNSTABLE_SPREADS = 2  # an unstable side's label must survive this many of its (uncapped) spreads


def steady(ex: dict, flag: str) -> bool:
    """An execution report's stability flag for one quantity (``cpu_stable``, ``rss_stable``);
    records written before the split flags existed carry only ``stable``, both at once."""
    return bool(ex.get(flag, ex.get("stable")))


PAIRED_MIN_ROUNDS = 3  # fewer rounds in common: the samples' own medians and spreads decide


def run_totals(ex: dict, start: int = 0, stop: int | None = None) -> list[float]:
    """The CPU time of the report's runs ``start``..``stop``, each summed over its tests (what
    ``sandboxes.judge.cpu_totals`` gives for a sandbox's outcomes, read back from a report)."""
    tests = ex.get("tests") or []
    n = min((len(t.get("runs_cpu_s") or []) for t in tests), default=0)
    return [sum(t["runs_cpu_s"][r] for t in tests) for r in range(start, n if stop is None else min(stop, n))]


def round_totals(ex: dict) -> list[float]:
    """The CPU time of each run taken in the report's interleaved rounds, summed over tests."""
    return run_totals(ex, ex.get("round_first") or 0)


def paired_ratios(a: dict, b: dict) -> list[float] | None:
    """``b``'s CPU time over ``a``'s, round by round, when both were re-measured in the same
    interleaved rounds (``round_group``); None otherwise. A round's two runs were taken one
    right after the other, so the machine's speed at the time (the other core's load, the
    host's) is nearly the same on both sides and divides out."""
    group = a.get("round_group")
    if not group or group != b.get("round_group"):
        return None
    ta, tb = round_totals(a), round_totals(b)
    rounds = [(x, y) for x, y in zip(ta, tb) if x > 0 and y > 0]
    return [y / x for x, y in rounds] if len(rounds) >= PAIRED_MIN_ROUNDS else None


def first_runs(ex: dict) -> dict:
    """A re-measured report as its first measurement was: CPU time, spread and flag over the
    runs before its rounds (``round_first``); other reports as they are.

    For a pair with one side re-measured in rounds and the other not: the re-measurement chose
    its sides on the first measurements, and this pair's was far from the threshold. Compared
    per sample after the rounds, the re-measured side's runs of minutes later met the first
    runs of the other (two Ruby pairs at 9.1-11.3x round by round in three runs said 6.6x and
    5.9x in the fourth, docs/benchmarks.md); compared on the first runs of both, the pair is as
    far as it was found. The flag is judged with the default ``Stability`` (the first report's
    own is not kept)."""
    first = ex.get("round_first") or 0
    if not ex.get("round_group") or first < 1:
        return ex  # never re-measured in rounds, or re-measured afresh (no first runs kept)
    totals = run_totals(ex, 0, first)
    return dict(ex, cpu_s=sum(statistics.median(t["runs_cpu_s"][:first]) for t in ex["tests"]),
                cpu_cv=relative_spread(totals), cpu_stable=cpu_steady(totals, Stability()))


def paired_efficiency(ratios: list[float], ratio: float) -> Label:
    """An ee label from the round-by-round ratios of two samples measured in turns: their median
    reaches ``ratio``, and that is all.

    Measured (docs/benchmarks.md, four runs of the label-stability bench): between two runs the
    median round ratio of a pair moved by about 5 %, its spread by far more (0.02 in one run,
    0.12 in the next). Moving the median against the label by a share of that spread (0.25 to
    1 spread, or one standard error of the median), or refusing pairs whose spread is over
    0.25, made more labels come and go (96.4-97.7 % survived) than the median alone (98.5 %):
    a spread that moves, moves the line. The direction is never in doubt near 5x (no label
    was ever reversed); only whether the pair is in."""
    # The median on a log scale: with an even count, the geometric mean of the middle two, so
    # the ratio is the same whichever side is A (the plain median of b/a is not 1 / that of a/b).
    r = math.exp(statistics.median(math.log(x) for x in ratios))
    hi = max(r, 1 / r)
    if hi < ratio:
        return Label(None, "execution", hi, "below_ratio")
    return Label("A" if r > 1 else "B", "execution", hi)


def efficiency(a: dict, b: dict, field: str, ratio: float) -> Label:
    """Both pass, and the better one is at least ``ratio`` x better even when each side is moved
    one spread (CV, capped at ``CV_CAP``) against the label; a side whose measurement of ``field``
    is flagged unstable is moved ``UNSTABLE_SPREADS`` of its full spread instead.

    An unstable flag used to refuse every pair of its sample. One noisy program (a 0.22 s
    program at a CPU spread of 0.26, flag off in one run of two and on in the other) took with
    it labels at 15-27x, far beyond what its spread could move; those labels came and went with
    the flag. Moved two whole spreads (an unstable side's spread is over the threshold), a pair
    that stays labelled is clear of its noise; a near one is refused as before.

    CPU time of two samples re-measured in the same interleaved rounds is compared round by
    round instead (``paired_ratios``, ``paired_efficiency``): their flags and per-sample spreads
    carry the machine's drift over the minutes between two samples' runs, which a round's two
    runs share. A pair with only one side in rounds is compared on both sides' first runs
    (``first_runs``)."""
    if a["verdict"] != "OK" or b["verdict"] != "OK":
        return Label(None, "execution", 0.0, "not_both_passing")
    xa, xb = a[field], b[field]
    if not xa or not xb:
        return Label(None, "execution", 0.0, "missing_measurement")
    if field == "cpu_s":
        ratios = paired_ratios(a, b)
        if ratios is not None:
            return paired_efficiency(ratios, ratio)
        a, b = first_runs(a), first_runs(b)
        xa, xb = a[field], b[field]
    # Each criterion needs only its own quantity steady: CPU time for ee, peak RSS for me.
    flag = "cpu_stable" if field == "cpu_s" else "rss_stable"
    cv = "cpu_cv" if field == "cpu_s" else "rss_cv"

    def moved(ex: dict) -> float:
        spread = ex.get(cv)
        if steady(ex, flag):
            return min(spread or 0.0, CV_CAP)
        # Unstable without a spread (a single run): nothing says how far it could move.
        return math.inf if spread is None else UNSTABLE_SPREADS * spread

    (lo, lo_move, lo_ex), (hi, hi_move, hi_ex) = sorted(((xa, moved(a), a), (xb, moved(b), b)), key=lambda t: t[0])
    if hi < ratio * lo:
        return Label(None, "execution", hi / lo, "below_ratio")
    if hi * (1 - hi_move) < ratio * lo * (1 + lo_move):
        both = steady(lo_ex, flag) and steady(hi_ex, flag)
        return Label(None, "execution", hi / lo, "ratio_within_spread" if both else "unstable_measurement")
    return Label("A" if xa < xb else "B", "execution", hi / lo)


def static(criterion: str, tags_a: dict, tags_b: dict, min_margin: float | None = None) -> Label:
    """The deterministic static judge, as one vote."""
    kwargs = {} if min_margin is None else {"min_margin": min_margin}
    v = static_judge(criterion, tags_a, tags_b, **kwargs)
    if v.winner is None:
        return Label(None, "static_judge", v.margin, f"judge_{v.reason}")
    vote = {"judge": "static", "order": "AB", "verdict": v.winner, "prefers_chosen": True, "error": None}
    return Label(v.winner, "static_judge", v.margin, votes=(vote,), agreement=1.0)


def label_executed(criterion: str, a: dict, b: dict, ratio: float) -> Label:
    """Label two executed submissions of the same problem and language."""
    ea, eb = a["execution"], b["execution"]
    if criterion == "fc":
        return functional(ea, eb)
    if criterion == "ee":
        return efficiency(ea, eb, "cpu_s", ratio)
    if criterion == "me":
        return efficiency(ea, eb, "peak_rss_bytes", ratio)
    if ea["verdict"] != "OK" or eb["verdict"] != "OK":
        return Label(None, "static_judge", 0.0, "not_both_passing")
    return static(criterion, a["tags"], b["tags"])


# Commit-label checks, in the order they run: (name recorded when it passes, criteria it
# applies to). A failing check's reason is the pair's dead-letter reason.
COMMIT_CHECKS = (
    ("code_changed", ("fc", "ee", "me")),        # the code tokens differ (not whitespace or comments)
    ("parses_as_well", ("fc", "ee", "me")),      # the new side has no more syntax errors than the old
    ("not_only_constants", ("ee", "me")),        # an efficiency claim needs a change beyond literals
    ("no_size_increase", ("me",)),               # a bigger buffer, cache or allocation is not leaner
    ("no_loop_to_recursion", ("ee",)),           # trading loops for recursion is not a speed-up
    ("changes_existing_code", ("ee",)),          # a faster variant added beside untouched old code
    ("focused_fix", ("fc",)),                    # a fix inside a rewrite: which part is the fix is unknown
)
MAX_FIX_SHARE = 0.3  # a fix changes at most this share of the old file's code tokens


def commit_checks(criterion: str, sample: dict) -> tuple[tuple[str, ...], str | None, str]:
    """(checks passed, failed check's reason or None, detail) for an fc/ee/me commit label,
    from the tree-sitter tags and token streams of both sides."""
    before, after, lang = sample["code_before"], sample["code"], sample["language"]
    passed: list[str] = []
    for name, criteria in COMMIT_CHECKS:
        if criterion not in criteria:
            continue
        if name == "code_changed":
            a, b = filters.token_streams(before, lang), filters.token_streams(after, lang)
            if a is not None and b is not None and a[0] == b[0]:
                return tuple(passed), "check_code_unchanged", "the code tokens of both sides are identical"
        elif name == "parses_as_well":
            ta, tb = sample.get("tags_before") or {}, sample.get("tags") or {}
            if tb.get("error_count", 0) > ta.get("error_count", 0):
                return tuple(passed), "check_new_side_parse_errors", \
                    f"syntax errors {ta.get('error_count', 0)} -> {tb.get('error_count', 0)}"
        elif name == "not_only_constants":
            a, b = filters.masked_code_tokens(before, lang), filters.masked_code_tokens(after, lang)
            if a is not None and a == b:
                return tuple(passed), "check_only_constants_changed", "only literal values differ"
        elif name == "no_size_increase":
            grown = filters.size_increases(before, after, lang)
            if grown:
                return tuple(passed), "check_size_increase", "; ".join(grown)[:200]
        elif name == "no_loop_to_recursion":
            a, b = filters.loops_and_recursion(before, lang), filters.loops_and_recursion(after, lang)
            if a is not None and b is not None and b[0] < a[0] and b[1] > a[1]:
                return tuple(passed), "check_loop_to_recursion", f"loops {a[0]} -> {b[0]}, self-calls {a[1]} -> {b[1]}"
        elif name == "changes_existing_code":
            if filters.only_adds_beside_old_code(before, after, lang):
                return tuple(passed), "check_only_additions", "every existing function is unchanged; code was added beside it"
        elif name == "focused_fix":
            share = filters.changed_share(before, after, lang)
            if share is not None and share > MAX_FIX_SHARE:
                return tuple(passed), "check_rewrite_not_fix", f"{share:.0%} of the code tokens changed"
        passed.append(name)
    return tuple(passed), None, ""


def commit_readability(sample: dict, config: StaticJudgeConfig = StaticJudgeConfig()) -> Label:
    """The static rm judge on what the commit changed: both versions without the functions it left
    alone (the whole files when it shares none, or when a trimmed side no longer verifies)."""
    tags_a, tags_b = sample["tags_before"], sample["tags"]
    parts = changed_parts(sample["code_before"], sample["code"], sample["language"])
    if parts is not None:
        part_a, part_b = tag_code(parts[0], sample["language"]), tag_code(parts[1], sample["language"])
        if part_a["language_ok"] and part_b["language_ok"]:
            tags_a, tags_b = part_a, part_b
    return static("rm", tags_a, tags_b, min_margin=config.commit_rm_min_margin)


def label_commit(criterion: str, sample: dict) -> Label:
    """Label old (A) vs new (B) of a commit on the criterion its message points to: rm/sh by the
    static judge (rm on the changed code, ``commit_readability``), kept only when it agrees with
    the commit (new is better); fc/ee/me by the commit's direction once ``commit_checks`` pass."""
    if criterion in ("rm", "sh"):
        label = commit_readability(sample) if criterion == "rm" else static(criterion, sample["tags_before"], sample["tags"])
        if label.better == "A":
            # The message claims the new side is better and the judge prefers the old one: two
            # sources disagree, so neither direction is trustworthy enough to train on.
            return Label(None, label.method, label.margin, "judge_disagrees_with_commit")
        return Label(label.better, label.method, label.margin, label.reason, label.votes, label.agreement,
                     ("static_judge_agrees",) if label.better else ())
    passed, reason, _ = commit_checks(criterion, sample)
    if reason is not None:
        return Label(None, "commit_message", 0.0, reason, checks=passed)
    return Label("B", "commit_message", 1.0, checks=passed)
