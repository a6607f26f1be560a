"""Arrow schemas of every record that crosses a stage. The one source of truth.

Records travel through the Beam DAG as plain dicts whose keys and types follow
these schemas; they are validated at stage boundaries in tests and when shards
are written. Bump ``SCHEMA_VERSION`` on any change that is not purely additive.
"""
from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.1.0"


def _field(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


SECURITY_FINDING = pa.struct([
    _field("rule_id", pa.string(), "rule identifier from the rule pack", False),
    _field("severity", pa.string(), "low | medium | high", False),
    _field("cwe", pa.string(), "CWE id, e.g. CWE-78", False),
    _field("line", pa.int32(), "1-based line of the match", False),
])

TAGS = pa.struct([
    _field("parse_ok", pa.bool_(), "the code parses as the claimed language without error nodes", False),
    _field("language_ok", pa.bool_(), "the code is the claimed language: its parse errors are within the limits "
           "and no other grammar parses it clearly better (transforms/tagging/language_check.py)", False),
    _field("error_count", pa.int32(), "ERROR and MISSING nodes in the syntax tree", False),
    _field("error_ratio", pa.float64(), "error nodes / all nodes", False),
    _field("depth", pa.int32(), "syntax-tree depth", False),
    _field("node_count", pa.int32(), "named and anonymous nodes", False),
    _field("lines", pa.int32(), "lines of text", False),
    _field("tokens", pa.int32(), "leaf tokens (the token budget filter uses this)", False),
    _field("functions", pa.int32(), "functions and methods", False),
    _field("classes", pa.int32(), "classes, structs, interfaces, modules", False),
    _field("max_nesting", pa.int32(), "deepest nesting of blocks/control flow", False),
    _field("cyclomatic_max", pa.int32(), "largest cyclomatic complexity over functions (whole file if none)", False),
    _field("cyclomatic_mean", pa.float64(), "mean cyclomatic complexity over functions", False),
    _field("longest_function", pa.int32(), "lines of the longest function", False),
    _field("comment_ratio", pa.float64(), "comment lines / non-blank lines", False),
    _field("identifier_mean_length", pa.float64(), "mean length of distinct identifiers", False),
    _field("one_letter_share", pa.float64(), "share of distinct identifiers of one letter", False),
    _field("naming_consistency", pa.float64(), "share of identifiers following the language's naming convention", False),
    _field("duplicate_line_ratio", pa.float64(), "share of non-trivial lines that repeat", False),
    _field("magic_number_ratio", pa.float64(), "numeric literals other than 0, 1, 2 outside constants and "
           "parameter defaults, per non-blank line", False),
    _field("long_line_share", pa.float64(), "share of non-blank lines longer than 100 columns", False),
    _field("security_findings", pa.list_(SECURITY_FINDING), "matches of the security rule pack", False),
])

TEST_RESULT = pa.struct([
    _field("verdict", pa.string(), "per-test verdict (see EXECUTION.verdict)", False),
    _field("exit_code", pa.int32(), "exit status, or null when killed by a signal"),
    _field("signal", pa.int32(), "terminating signal, if any"),
    _field("cpu_s", pa.float64(), "median user+sys CPU seconds over repeats"),
    _field("wall_s", pa.float64(), "median wall seconds over repeats"),
    _field("peak_rss_bytes", pa.int64(), "median peak resident set size over repeats"),
    _field("cpu_cv", pa.float64(), "relative spread of CPU time over repeats (sandboxes.judge.relative_spread: "
           "the CV under 5 runs, IQR / 1.349 / median from 5 on)"),
    _field("runs_cpu_s", pa.list_(pa.float64()), "each run's CPU seconds, in run order"),
    _field("runs_wall_s", pa.list_(pa.float64()), "each run's wall seconds, in run order"),
    _field("runs_peak_rss_bytes", pa.list_(pa.int64()), "each run's peak RSS, in run order"),
])

EXECUTION = pa.struct([
    _field("backend", pa.string(), "local | docker", False),
    _field("verdict", pa.string(),
           "OK | WRONG_ANSWER | RUNTIME_ERROR | TIME_LIMIT | MEMORY_LIMIT | OUTPUT_LIMIT | COMPILE_ERROR | SANDBOX_ERROR", False),
    _field("compile_ok", pa.bool_(), "the build succeeded (true for interpreters)", False),
    _field("tests_passed", pa.int32(), "tests whose output matched", False),
    _field("tests_total", pa.int32(), "tests run", False),
    _field("cpu_s", pa.float64(), "sum over tests of the median CPU seconds (user+sys)"),
    _field("wall_s", pa.float64(), "sum over tests of the median wall seconds"),
    _field("peak_rss_bytes", pa.int64(), "max over tests of the median peak RSS"),
    _field("cpu_cv", pa.float64(), "relative spread of the CPU time summed over tests, run by run "
           "(sandboxes.judge.relative_spread)"),
    _field("rss_cv", pa.float64(), "coefficient of variation of the run-by-run peak RSS (largest over tests)"),
    _field("stable", pa.bool_(), "cpu_stable and rss_stable", False),
    _field("cpu_stable", pa.bool_(), "every test passed and the spread of the CPU time summed over tests is "
           "small enough to compare (what an ee label needs)", False),
    _field("rss_stable", pa.bool_(), "every test passed and its peak-RSS spread is small enough to compare "
           "(what an me label needs)", False),
    _field("repeats", pa.int32(), "runs per test (more when the execute stage re-measured a sample whose "
           "efficiency pair sat near the threshold)", False),
    _field("detail", pa.string(), "signal, first stderr line, or sandbox error"),
    _field("toolchain", pa.string(), "first line of the toolchain's version output"),
    _field("tests", pa.list_(TEST_RESULT), "per-test results", False),
    _field("round_group", pa.string(), "re-measured samples of one (problem, language) group share this id "
           "(a hash of their sample ids): from run round_first on, they were run in turns, one run each per "
           "round, so an ee label between two of them compares run with run (transforms.labels.efficiency)"),
    _field("round_first", pa.int32(), "index, in each test's runs, of the first run taken in round_group's rounds"),
])

SOURCE_SAMPLE = pa.schema([
    _field("sample_id", pa.string(), "stable id: hash of origin and content", False),
    _field("source", pa.string(), "sub-dataset that produced it (e.g. commits, problems)", False),
    _field("kind", pa.string(), "commit | submission", False),
    _field("language", pa.string(), "language id (schemas/languages.toml)", False),
    _field("code", pa.string(), "the code: a submission, or the file after a commit", False),
    _field("code_before", pa.string(), "commits: the file before the commit"),
    _field("diff", pa.string(), "commits: unified diff"),
    _field("message", pa.string(), "commits: full commit message"),
    _field("instruction", pa.string(), "problems: the statement both solutions answer"),
    _field("problem_id", pa.string(), "problems: problem id"),
    _field("submission_id", pa.string(), "problems: submission id"),
    _field("user_id", pa.string(), "problems: submitter"),
    _field("repo", pa.string(), "commits: origin repository"),
    _field("commit", pa.string(), "commits: commit hash"),
    _field("path", pa.string(), "commits: file path"),
    _field("license", pa.string(), "SPDX id of the origin's license"),
    _field("timestamp", pa.int64(), "unix seconds (commit author time)"),
    _field("criteria_hint", pa.list_(pa.string()), "criteria the commit message points to", False),
    _field("split", pa.string(), "train | bench", False),
    _field("variant_of", pa.string(), "LLM bug variants and mutants: sample id of the correct submission it was made from"),
])

# A sample after tagging and execution: the source sample plus enrichments.
ENRICHED_SAMPLE = pa.schema(list(SOURCE_SAMPLE) + [
    _field("tags", TAGS, "tree-sitter tags of `code`"),
    _field("tags_before", TAGS, "tree-sitter tags of `code_before`"),
    _field("execution", EXECUTION, "sandbox result of `code` against the problem's tests"),
])

JUDGE_VOTE = pa.struct([
    _field("judge", pa.string(), "static | model name", False),
    _field("order", pa.string(), "AB: chosen shown as A; BA: chosen shown as B", False),
    _field("verdict", pa.string(), "A | B | TIE | ERROR, as the judge answered", False),
    _field("prefers_chosen", pa.bool_(), "the vote, mapped back through the order, favours `chosen`"),
    _field("error", pa.string(), "why the vote is ERROR: timeout, server_error, unparseable, ..."),
])

PREFERENCE_PAIR = pa.schema([
    # Themis-CodePreference columns, same names and meaning.
    _field("system", pa.string(), "system prompt (null for none)"),
    _field("input", pa.string(), "the task both responses answer", False),
    _field("chosen", pa.string(), "preferred code", False),
    _field("rejected", pa.string(), "dispreferred code", False),
    _field("language", pa.string(), "training-set language name (C, C++, C#, Go, ...)", False),
    _field("aspect", pa.string(), "training-set criterion name", False),
    _field("source", pa.string(), "sub-dataset that produced the row", False),
    _field("idx", pa.int64(), "row id: stable 63-bit hash of the pair", False),
    # Provenance.
    _field("split", pa.string(), "train | bench", False),
    _field("criterion", pa.string(), "criterion id (fc, ee, me, rm, sh)", False),
    _field("language_id", pa.string(), "language id", False),
    _field("origin", pa.string(), "repository or problem set the pair came from", False),
    _field("commit", pa.string(), "commit hash (commit pairs)"),
    _field("problem_id", pa.string(), "problem id (problem pairs)"),
    _field("license", pa.string(), "SPDX license id of the origin"),
    _field("chosen_id", pa.string(), "sample id of the chosen side", False),
    _field("rejected_id", pa.string(), "sample id of the rejected side", False),
    _field("label_method", pa.string(), "execution | static_judge | llm_judge | commit_message", False),
    _field("margin", pa.float64(), "strength of the preference: measurement ratio, score gap or vote agreement", False),
    _field("chosen_execution", EXECUTION, "execution behind the label (chosen side)"),
    _field("rejected_execution", EXECUTION, "execution behind the label (rejected side)"),
    _field("votes", pa.list_(JUDGE_VOTE), "judge votes behind the label", False),
    _field("agreement", pa.float64(), "share of valid votes that agree with the label"),
    _field("judge_errors", pa.int32(), "LLM judge samples that ended in an error (timeout, garbage, ...)"),
    _field("improvement_score", pa.float64(), "commit pairs: mean LLM rating 1-5 of how much the change improves its criterion"),
    _field("instruction_style", pa.string(), "how `input` was made: offline | assignment | qa | search | contest | problem"),
    _field("system_mode", pa.string(), "none | criterion | all", False),
    _field("schema_version", pa.string(), "schemas.SCHEMA_VERSION", False),
    # Commit provenance (null for problem pairs): why the pair is labelled as it is.
    _field("message", pa.string(), "commit pairs: the commit message"),
    _field("path", pa.string(), "commit pairs: the changed file's path"),
    _field("term", pa.string(), "commit pairs: the criterion term matched in the message (terms/<criterion>.txt)"),
    _field("term_span", pa.list_(pa.int32()), "commit pairs: [start, end) of the matched text in `message`"),
    _field("label_checks", pa.list_(pa.string()), "commit pairs: label sanity checks that passed"),
])

DEAD_LETTER = pa.schema([
    _field("stage", pa.string(), "stage that dropped the record", False),
    _field("reason", pa.string(), "machine-readable reason (also the Beam counter name)", False),
    _field("record_id", pa.string(), "sample id, pair key or input locator", False),
    _field("record_kind", pa.string(), "input | sample | variant (a failed LLM bug insertion or a mutant that gives no pair) | pair", False),
    _field("detail", pa.string(), "human-readable detail"),
    _field("source", pa.string(), "sub-dataset"),
    _field("language", pa.string(), "language id, when known"),
    _field("criterion", pa.string(), "criterion id, when known"),
    _field("split", pa.string(), "train | bench, when known"),
])

SCHEMAS: dict[str, pa.Schema] = {
    "source_sample": SOURCE_SAMPLE,
    "enriched_sample": ENRICHED_SAMPLE,
    "preference_pair": PREFERENCE_PAIR,
    "dead_letter": DEAD_LETTER,
}
STRUCTS: dict[str, pa.DataType] = {
    "tags": TAGS,
    "security_finding": SECURITY_FINDING,
    "execution": EXECUTION,
    "test_result": TEST_RESULT,
    "judge_vote": JUDGE_VOTE,
}

THEMIS_COLUMNS = ("system", "input", "chosen", "rejected", "language", "aspect", "source", "idx")
CRB_COLUMNS = ("prompt", "chosen", "rejected", "language", "aspect", "subset", "id")
