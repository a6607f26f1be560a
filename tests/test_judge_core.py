"""Unit tests of the LLM judge core: parsers, prompts, votes, decisions, plans, retries."""
from __future__ import annotations

import re
from importlib import resources

import httpx2 as httpx
import openai
import pytest

from transforms.judging.chat import (
    ChatOutcome,
    MalformedResponse,
    backoff_delay,
    classify,
    texts_from_body,
    with_retries,
)
from transforms.judging.config import JudgeConfig
from transforms.judging.jobs import (
    bug_plan,
    drive,
    instruction_style,
    is_bug_candidate,
    needs_llm,
    pair_plan,
)
from transforms.judging.parse import (
    parse_code_block,
    parse_instruction,
    parse_score,
    parse_verdict,
)
from transforms.judging.prompts import (
    bug_prompt,
    fence_for,
    improvement_messages,
    instruction_messages,
    preference_messages,
)
from transforms.judging.voting import (
    apply_votes,
    decide,
    flipped,
    make_vote,
    sample_orders,
)

CFG = JudgeConfig(backend="openai", model="judge-m", samples=8)
STATIC_VOTE = {"judge": "static", "order": "AB", "verdict": "A", "prefers_chosen": True, "error": None}


def make_pair(key="pk1", criterion="rm", method="static_judge", commit=None, chosen="GOOD = 1\n",
              rejected="BAD = 2\n") -> dict:
    return {"pair_key": key, "criterion": criterion, "split": "train", "source": "problems",
            "language_id": "python", "input": "Add two numbers.", "chosen": chosen, "rejected": rejected,
            "origin": "o", "commit": commit, "problem_id": None if commit else "p1", "license": "MIT",
            "chosen_id": "cid", "rejected_id": "rid", "label_method": method, "margin": 0.4,
            "chosen_execution": {"verdict": "OK"}, "rejected_execution": None, "votes": [dict(STATIC_VOTE)],
            "agreement": 1.0}


# ---- parsers -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("<evaluation>x</evaluation><verdict>A</verdict>", "A"),
    ("<verdict> b </verdict>", "B"),
    ("<VERDICT>\n Tie\n</Verdict>", "TIE"),
    ("<verdict>A</verdict> ... again <verdict>a</verdict>", "A"),
    ("<verdict>A</verdict> or <verdict>B</verdict>", None),  # contradictory
    ("<verdict>C</verdict>", None),
    ("<verdict>A</verdict><verdict>maybe</verdict>", None),
    ("Verdict: A", None),  # strict about the tag
    ("<verdict>A", None),
    ("<think>first <verdict>B</verdict></think><verdict>A</verdict>", "A"),
    ("<think>never closed <verdict>B</verdict>", None),
    ("", None),
])
def test_parse_verdict(text, expected):
    assert parse_verdict(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("<score>4</score>", 4), ("<SCORE> 5 / 5 </score>", 5), ("<score>3.0</score>", 3),
    ("<score>0</score>", None), ("<score>7</score>", None), ("score 4", None),
    ("<score>2</score><score>4</score>", None),
])
def test_parse_score(text, expected):
    assert parse_score(text) == expected


def test_parse_instruction():
    assert parse_instruction("<instruction>\n Write a CSV reader.\n</instruction>") == "Write a CSV reader."
    assert parse_instruction("<think><instruction>no</instruction></think>none") is None
    assert parse_instruction("<instruction>  </instruction>") is None
    assert parse_instruction("Write a CSV reader.") is None


def test_parse_code_block_prefers_the_language_block():
    answer = "Here:\n```text\nnot code\n```\nand\n```py\nprint(1)\n```\nDone."
    assert parse_code_block(answer, "python") == "print(1)\n"
    assert parse_code_block("```\nx = 1\n```", "python") == "x = 1\n"
    assert parse_code_block("```c++\nint main(){}\n```", "cpp") == "int main(){}\n"
    assert parse_code_block("```ruby\nputs 1\n```", "python") == "puts 1\n"  # the only block
    assert parse_code_block("```js\na\n```\n```ts\nb\n```", "python") is None  # ambiguous
    assert parse_code_block("no code here", "go") is None
    assert parse_code_block("```go\n\n```", "go") is None
    inner = 'doc = """\n```\nexample\n```\n"""\n'
    assert parse_code_block(f"````python\n{inner}````", "python") == inner


# ---- prompts -------------------------------------------------------------------------------

def test_every_template_is_package_data():
    names = {p.name for p in resources.files("transforms.judging").joinpath("templates").iterdir()}
    for c in ("fc", "ee", "me", "rm", "sh"):
        assert f"checklist_{c}.j2" in names
    for s in ("assignment", "qa", "search", "contest"):
        assert f"instruction_{s}.j2" in names
    assert {"preference.j2", "improvement.j2", "bug.j2"} <= names


@pytest.mark.parametrize("criterion,word", [("fc", "Functional correctness checklist"),
                                            ("ee", "Runtime efficiency checklist"),
                                            ("me", "Memory efficiency checklist"),
                                            ("rm", "Readability and maintainability checklist"),
                                            ("sh", "Security hardness checklist")])
def test_preference_prompt_has_checklist_task_blocks_and_format(criterion, word):
    pair = make_pair(criterion=criterion)
    ab = preference_messages(pair, "AB")[0]["content"]
    ba = preference_messages(pair, "BA")[0]["content"]
    assert word in ab and "Add two numbers." in ab
    assert "<evaluation>" in ab and "<verdict>A</verdict>" in ab and "<verdict>TIE</verdict>" in ab
    a_block = re.search(r"## Solution A\n\n```python\n(.*?)```", ab, re.DOTALL).group(1)
    assert a_block == "GOOD = 1\n\n"
    assert re.search(r"## Solution A\n\n```python\n(.*?)```", ba, re.DOTALL).group(1) == "BAD = 2\n\n"
    others = {"Functional correctness", "Runtime efficiency", "Memory efficiency", "Security hardness",
              "Readability and maintainability"} - {word.removesuffix(" checklist")}
    assert not any(f"{o} checklist" in ab for o in others)


def test_fence_grows_past_backticks_in_code():
    assert fence_for("x = 1") == "```"
    assert fence_for("s = '````'") == "`````"
    text = preference_messages(make_pair(chosen="a = '```'\n"), "AB")[0]["content"]
    assert "````python" in text


def test_improvement_instruction_and_bug_prompts():
    pair = make_pair(criterion="ee", commit="abc", chosen="NEW\n", rejected="OLD\n")
    text = improvement_messages(pair)[0]["content"]
    assert text.index("OLD") < text.index("NEW") and "<score>N</score>" in text and "Runtime efficiency" in text
    for style, phrase in (("assignment", "assignment"), ("qa", "Q&A"), ("search", "search-engine query"),
                          ("contest", "contest problem")):
        text = instruction_messages(pair, style)[0]["content"]
        assert phrase in text and "<instruction>...</instruction>" in text and "NEW" in text
    text = bug_prompt("java", "Print the sum.", "class Main {}")
    assert "Print the sum." in text and "```java\nclass Main {}\n```" in text and "Java" in text


# ---- votes and decisions -------------------------------------------------------------------

def test_sample_orders_are_deterministic_and_mixed():
    assert sample_orders(0, "k", 8) == sample_orders(0, "k", 8)
    seen = {o for i in range(20) for o in sample_orders(0, f"k{i}", 8)}
    assert seen == {"AB", "BA"}
    assert any(sample_orders(0, f"k{i}", 8) != sample_orders(1, f"k{i}", 8) for i in range(5))


@pytest.mark.parametrize("order,verdict,prefers", [("AB", "A", True), ("AB", "B", False), ("BA", "A", False),
                                                   ("BA", "B", True), ("AB", "TIE", None), ("BA", "TIE", None)])
def test_make_vote_maps_back_through_the_order(order, verdict, prefers):
    v = make_vote("m", order, verdict)
    assert v == {"judge": "m", "order": order, "verdict": verdict, "prefers_chosen": prefers, "error": None}


def test_make_vote_error():
    assert make_vote("m", "BA", None, "timeout") == {
        "judge": "m", "order": "BA", "verdict": "ERROR", "prefers_chosen": None, "error": "timeout"}


def votes(agree: int, disagree: int, ties: int = 0, errors: int = 0) -> list[dict]:
    return ([make_vote("m", "AB", "A")] * agree + [make_vote("m", "BA", "A")] * disagree
            + [make_vote("m", "AB", "TIE")] * ties + [make_vote("m", "AB", None, "timeout")] * errors)


def test_decide():
    assert decide(votes(6, 2), 0.75, "flip") .action == "keep"
    assert decide(votes(6, 2, ties=3, errors=3), 0.75, "flip").agreement == 0.75  # ties, errors left out
    d = decide(votes(1, 7), 0.75, "flip")
    assert (d.action, d.agreement) == ("flip", 7 / 8)
    d = decide(votes(1, 7), 0.75, "drop")
    assert (d.action, d.reason) == ("drop", "judge_disagreement")
    d = decide(votes(4, 4), 0.75, "flip")
    assert (d.action, d.reason, d.agreement) == ("drop", "judge_disagreement", 0.5)
    d = decide(votes(0, 0, errors=8), 0.75, "flip")
    assert (d.action, d.reason) == ("drop", "judge_error") and "timeout" in d.detail
    assert decide(votes(0, 0, ties=5, errors=3), 0.75, "flip").reason == "judge_disagreement"
    d = decide(votes(0, 8), 0.75, "flip", protected=True)
    assert (d.action, d.agreement) == ("keep", 0.0)


def test_apply_votes_flip_swaps_sides_and_inverts_every_vote():
    pair = dict(make_pair(), judge_errors=1)
    new = votes(1, 6, errors=1)
    out = apply_votes(pair, new, decide(new, 0.75, "flip"))
    assert (out["chosen"], out["rejected"], out["chosen_id"], out["rejected_id"]) == ("BAD = 2\n", "GOOD = 1\n", "rid", "cid")
    assert out["rejected_execution"] == {"verdict": "OK"} and out["chosen_execution"] is None
    assert len(out["votes"]) == 9 and out["votes"][0] == dict(STATIC_VOTE, order="BA", prefers_chosen=False)
    assert [v["order"] for v in out["votes"][1:]] == ["BA"] + ["AB"] * 6 + ["BA"]
    assert all(make_vote("m", v["order"], v["verdict"])["prefers_chosen"] == v["prefers_chosen"]
               for v in out["votes"][1:] if v["verdict"] != "ERROR")
    assert [v["prefers_chosen"] for v in out["votes"][1:]] == [False] + [True] * 6 + [None]
    assert out["agreement"] == pytest.approx(6 / 7) == out["margin"]
    assert out["label_method"] == "llm_judge" and out["judge_errors"] == 2
    assert pair["chosen"] == "GOOD = 1\n" and len(pair["votes"]) == 1  # input untouched
    assert flipped(flipped(pair)) == pair


def test_apply_votes_protected_keeps_label_and_margin():
    pair = make_pair(criterion="fc", method="execution")
    new = votes(0, 8)
    out = apply_votes(pair, new, decide(new, 0.75, "flip", protected=True), protected=True)
    assert out["chosen"] == pair["chosen"] and out["label_method"] == "execution" and out["margin"] == 0.4
    assert out["agreement"] == 0.0 and len(out["votes"]) == 9


def test_config_validation():
    for bad in ({"backend": "gpt"}, {"backend": "openai"}, {"on_disagreement": "keep"},
                {"min_agreement": 0.5}, {"criteria": ("xx",)}, {"samples": 0}, {"instruction_styles": ("poem",)},
                {"max_retries": -1}):
        with pytest.raises(ValueError):
            JudgeConfig(**bad)
    assert JudgeConfig().sampling_args(3) == {"n": 3, "temperature": 0.8, "top_p": 0.95, "max_tokens": 1024}
    assert JudgeConfig(backend="vllm", model="m").judge_name == "m"


# ---- plans, driven by a scripted judge ------------------------------------------------------

def scripted(prefer: str | None, fail: dict | None = None):
    """A send() judging like a model that prefers the block containing ``prefer``; ``fail``
    maps request-key substrings to failed outcomes. Records every request."""
    sent = []

    def send(requests):
        out = []
        for r in requests:
            sent.append(r)
            failure = next((o for k, o in (fail or {}).items() if k in r.key), None)
            if failure is not None:
                out.append(failure)
                continue
            text = r.messages[-1][1]
            if ":improvement" in r.key:
                answer = "<score>4</score>"
            elif ":instruction" in r.key:
                answer = "<instruction>Implement the adder.</instruction>"
            elif ":bug" in r.key:
                answer = "```python\nprint(int(input()) - 1)\n```"
            else:
                a = text.split("## Solution A", 1)[1].split("## Solution B", 1)[0]
                answer = "<verdict>TIE</verdict>" if prefer is None else (
                    f"<evaluation>ok</evaluation><verdict>{'A' if prefer in a else 'B'}</verdict>")
            out.append(ChatOutcome((answer,) * r.n))
        return out
    return send, sent


def test_vote_plan_keeps_when_the_judge_agrees_and_records_both_orders():
    send, sent = scripted("GOOD")
    (result,) = drive([pair_plan(make_pair(), CFG)], send)
    pair = result.record
    assert pair["label_method"] == "llm_judge" and pair["agreement"] == 1.0 and pair["margin"] == 1.0
    llm = pair["votes"][1:]
    assert len(llm) == 8 and all(v["prefers_chosen"] for v in llm) and {v["judge"] for v in llm} == {"judge-m"}
    assert [v["order"] for v in llm] == sample_orders(0, "pk1", 8)
    assert {v["verdict"] for v in llm} == ({"A"} if {v["order"] for v in llm} == {"AB"} else
                                           {"B"} if {v["order"] for v in llm} == {"BA"} else {"A", "B"})
    assert sum(r.n for r in sent) == 8 and len(sent) == len({v["order"] for v in llm})
    assert result.events["votes"] == 8 and result.events["requests"] == len(sent)


def test_vote_plan_flips_when_the_judge_prefers_rejected():
    (result,) = drive([pair_plan(make_pair(), CFG)], scripted("BAD")[0])
    assert result.record["chosen"] == "BAD = 2\n" and result.record["agreement"] == 1.0
    assert result.events["flipped"] == 1
    (result,) = drive([pair_plan(make_pair(), JudgeConfig(backend="openai", model="m", on_disagreement="drop"))],
                      scripted("BAD")[0])
    assert result.record is None and result.reason == "judge_disagreement"


def test_vote_plan_failures_become_error_votes_and_events():
    failed = ChatOutcome((), "timeout", ("timeout",) * 4)
    (result,) = drive([pair_plan(make_pair(), CFG)], scripted("GOOD", {":vote:": failed})[0])
    assert result.record is None and result.reason == "judge_error"
    assert result.events["error_votes"] == 8 and result.events["timeout"] == 4 * result.events["requests"]
    assert result.events["retries"] == 3 * result.events["requests"] == 3 * result.events["failed_requests"]
    # Garbage text: unparseable ERROR votes.
    send = scripted(None)[0]

    def garbage(requests):
        return [ChatOutcome(("I like A",) * r.n) for r in requests] if requests else send(requests)
    (result,) = drive([pair_plan(make_pair(), CFG)], garbage)
    assert result.reason == "judge_error" and result.events["unparseable"] == 8


def test_pairs_outside_criteria_or_methods_need_no_llm():
    assert not needs_llm(make_pair(criterion="fc", method="execution"), CFG)
    assert needs_llm(make_pair(criterion="fc", method="execution"),
                     JudgeConfig(backend="openai", model="m", methods=("execution",)))
    assert not needs_llm(make_pair(criterion="rm"), JudgeConfig(backend="openai", model="m", criteria=("sh",)))
    assert not needs_llm(make_pair(), JudgeConfig())
    assert needs_llm(make_pair(criterion="fc", method="execution", commit="c1"), CFG)  # rewrite only


def test_execution_pairs_get_votes_but_keep_their_label():
    cfg = JudgeConfig(backend="openai", model="m", methods=("execution",))
    (result,) = drive([pair_plan(make_pair(criterion="fc", method="execution"), cfg)], scripted("BAD")[0])
    assert result.record["chosen"] == "GOOD = 1\n" and result.record["agreement"] == 0.0
    assert result.record["label_method"] == "execution"


def test_commit_pair_rewrite_then_votes():
    pair = make_pair(key="commit-pair", commit="c0ffee", method="commit_message", criterion="ee")
    send, sent = scripted("GOOD")
    (result,) = drive([pair_plan(pair, CFG)], send)
    out = result.record
    style = instruction_style(CFG, "commit-pair")
    assert out["input"] == "Implement the adder." and out["instruction_style"] == style
    assert out["improvement_score"] == 4.0 and out["label_method"] == "llm_judge"
    assert sent[0].key.endswith(":improvement") and sent[1].key.endswith(f":instruction:{style}")
    assert "Implement the adder." in sent[2].messages[0][1]  # votes see the new instruction
    assert len({instruction_style(CFG, f"k{i}") for i in range(40)}) == 4


def test_commit_pair_low_improvement_and_instruction_fallback():
    pair = make_pair(commit="c0ffee", method="commit_message", criterion="ee")
    low = ChatOutcome(("<score>2</score>",))
    (result,) = drive([pair_plan(pair, CFG)], scripted("GOOD", {":improvement": low})[0])
    assert result.record is None and result.reason == "low_improvement"
    bad = ChatOutcome(("Sure! Here is an instruction.",))
    (result,) = drive([pair_plan(pair, CFG)], scripted("GOOD", {":instruction": bad})[0])
    assert result.record["input"] == "Add two numbers." and result.record["instruction_style"] == "offline"
    assert result.events["instruction_fallback"] == 1
    dead = ChatOutcome((), "connection_error", ("connection_error",) * 4)
    (result,) = drive([pair_plan(pair, CFG)], scripted("GOOD", {":improvement": dead})[0])
    assert result.reason == "judge_error" and "connection_error" in result.detail


def sample(**kw) -> dict:
    base = {"sample_id": "s1", "source": "problems", "kind": "submission", "language": "python",
            "code": "print(int(input()))\n", "instruction": "Echo n.", "problem_id": "p1",
            "submission_id": "python/fast", "split": "train", "tags": {"x": 1},
            "execution": {"verdict": "OK"}}
    return {**base, **kw}


def test_bug_plan():
    (result,) = drive([bug_plan(sample(), CFG)], scripted(None)[0])
    new = result.record
    assert new["code"] == "print(int(input()) - 1)\n" and new["variant_of"] == "s1"
    assert new["sample_id"] not in ("s1",) and new["problem_id"] == "p1" and new["split"] == "train"
    assert "execution" not in new and "tags" not in new and new["submission_id"] == "python/fast~bug"
    (again,) = drive([bug_plan(sample(), CFG)], scripted(None)[0])
    assert again.record["sample_id"] == new["sample_id"]
    (result,) = drive([bug_plan(sample(), CFG)], scripted(None, {":bug": ChatOutcome(("no idea",))})[0])
    assert (result.record, result.reason) == (None, "unparseable")
    same = ChatOutcome(("```python\nprint(int(input()))\n```",))
    (result,) = drive([bug_plan(sample(), CFG)], scripted(None, {":bug": same})[0])
    assert result.reason == "bug_unchanged"
    assert is_bug_candidate(sample()) and is_bug_candidate(sample(execution=None))
    assert not is_bug_candidate(sample(execution={"verdict": "WRONG_ANSWER"}))
    assert not is_bug_candidate(sample(kind="commit"))


# ---- transport-agnostic retries ------------------------------------------------------------

def _status_error(code: int) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://judge/v1/chat/completions")
    return openai.APIStatusError("boom", response=httpx.Response(code, request=request), body=None)


def test_classify():
    request = httpx.Request("POST", "http://judge")
    assert classify(openai.APITimeoutError(request=request)) == "timeout"
    assert classify(openai.APIConnectionError(request=request)) == "connection_error"
    assert classify(_status_error(503)) == "server_error"
    assert classify(_status_error(429)) == "rate_limited"
    assert classify(_status_error(400)) == "client_error"
    assert classify(MalformedResponse("x")) == "malformed"
    assert classify(KeyError("x")) == "error"


def test_with_retries_backs_off_and_gives_up():
    sleeps, errors = [], [TimeoutError(), ConnectionError(), MalformedResponse("x")]

    def call():
        if errors:
            raise errors.pop(0)
        return ["<verdict>A</verdict>"]
    out = with_retries(call, 3, 0.5, 1.0, sleeps.append)
    assert out == ChatOutcome(("<verdict>A</verdict>",), None, ("timeout", "connection_error", "malformed"))
    assert sleeps == [0.5, 1.0, 1.0]  # capped
    sleeps.clear()
    out = with_retries(lambda: (_ for _ in ()).throw(TimeoutError()), 2, 0.1, 5, sleeps.append)
    assert (out.error, out.failures, sleeps) == ("timeout", ("timeout",) * 3, [0.1, 0.2])
    out = with_retries(lambda: (_ for _ in ()).throw(_status_error(400)), 3, 0.1, 5, sleeps.append)
    assert out.failures == ("client_error",)  # not retried
    assert backoff_delay(5, 1.0, 30.0) == 16.0 and backoff_delay(9, 1.0, 30.0) == 30.0


def test_texts_from_body():
    assert texts_from_body(b'{"choices": [{"index": 1, "message": {"content": "b"}},'
                           b' {"index": 0, "message": {"content": "a"}}]}') == ["a", "b"]
    assert texts_from_body('{"choices": [{"message": {"content": null}}]}') == [""]
    for bad in (b"<html>502</html>", b'{"id": 1}', b'{"choices": []}', b'[1]', b'{"choices": [{"text": "x"}]}'):
        with pytest.raises(MalformedResponse):
            texts_from_body(bad)


def test_judged_pairs_make_valid_shard_rows():
    from schemas.records import PREFERENCE_PAIR
    from schemas.validate import to_table, validate_record
    from transforms.finalize import to_row
    pair = make_pair(key="row", commit="c0ffee", method="commit_message", criterion="ee")
    pair["chosen_execution"] = None
    (result,) = drive([pair_plan(pair, CFG)], scripted("BAD")[0])  # flipped on the way
    row = to_row(result.record, seed=0)
    validate_record(row, PREFERENCE_PAIR)
    table = to_table([row], PREFERENCE_PAIR)
    assert table.column("judge_errors").to_pylist() == [0]
    assert table.column("instruction_style").to_pylist() == [instruction_style(CFG, "row")]
    assert table.column("label_method").to_pylist() == ["llm_judge"]
