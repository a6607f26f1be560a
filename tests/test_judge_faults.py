"""The judge stage in a Beam TestPipeline against real in-process HTTP servers speaking the
OpenAI /v1/chat/completions wire format: a scripted judge, and servers that return garbage,
sleep past the client timeout, or die mid-run (and maybe come back)."""
from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.ml.inference.vllm_inference import VLLMChatModelHandler
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.common import DEAD, MAIN, NAMESPACE, stable_hex
from transforms.execute import Execute, ExecuteConfig
from transforms.judge import InsertBugs, Judge
from transforms.judging.config import JudgeConfig
from transforms.judging.voting import sample_orders
from transforms.judging.vllm_server import free_port
from transforms.pair import Pair, PairConfig

# ---- an OpenAI-compatible server in a thread ------------------------------------------------


def completion(texts: list[str]) -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "judge-m",
            "choices": [{"index": i, "message": {"role": "assistant", "content": t}, "finish_reason": "stop"}
                        for i, t in enumerate(texts)],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def judge_answer(prompt: str) -> str:
    """A judge that prefers the solution containing GOOD, rates LOWGAIN changes 1, writes
    instructions and buggy programs, and answers TIE when it cannot tell."""
    if "Rate how much the change improves" in prompt:
        after = prompt.split("## AFTER", 1)[1]
        return "<evaluation>meh</evaluation><score>1</score>" if "LOWGAIN" in after else "<score>4</score>"
    if "<instruction>...</instruction>" in prompt:
        return "<instruction>Write a function that adds two numbers.</instruction>"
    if "Insert one subtle bug" in prompt:
        if "NOFENCE" in prompt:
            return "I would rather not."
        return "```python\nprint(sum(map(int, input().split())) + 1)\n```"
    a = prompt.split("## Solution A", 1)[1].split("## Solution B", 1)[0]
    b = prompt.split("## Solution B", 1)[1].split("## How to judge", 1)[0]
    if "GOOD" in a or "GOOD" in b:
        return f"<evaluation>one is better</evaluation>\n<verdict>{'A' if 'GOOD' in a else 'B'}</verdict>"
    return "<evaluation>same</evaluation><verdict>TIE</verdict>"


def scripted(body: dict, attempt: int) -> tuple[int, bytes, float]:
    prompt = body["messages"][-1]["content"]
    return 200, json.dumps(completion([judge_answer(prompt)] * body.get("n", 1))).encode(), 0.0


class ChatServer:
    """ThreadingHTTPServer on 127.0.0.1 answering POST /v1/chat/completions with
    ``script(body, attempt)`` -> (status, body, delay); ``attempt`` counts identical bodies.
    ``die_after``: stop listening after that many requests; ``back_after_s``: listen again then."""

    def __init__(self, script=scripted, die_after: int | None = None, back_after_s: float | None = None):
        self.script, self.die_after, self.back_after_s = script, die_after, back_after_s
        self.requests, self.attempts, self.lock, self.dead = 0, Counter(), threading.Lock(), False
        self.port = free_port()
        self.httpd = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = owner.answer(self.path, raw)
                if answer is None:  # dying: hang up without a response, like a crashed server
                    self.close_connection = True
                    return
                status, payload, delay = answer
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (timeout): nothing to answer

            def log_message(self, *args):
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self.httpd = httpd
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def answer(self, path: str, raw: bytes) -> tuple[int, bytes, float] | None:
        if not path.endswith("/chat/completions"):
            return 404, b'{"error": "not found"}', 0.0
        body = json.loads(raw)
        with self.lock:
            if self.dead:  # between dying and the listening socket closing
                return None
            self.requests += 1
            key = hashlib.sha256(raw).hexdigest()
            self.attempts[key] += 1
            attempt = self.attempts[key]
            if self.die_after is not None and self.requests == self.die_after:
                self.dead = True
                threading.Thread(target=self._die, daemon=True).start()
        return self.script(body, attempt)

    def _die(self):
        self.stop()
        if self.back_after_s is not None:
            time.sleep(self.back_after_s)
            with self.lock:
                self.die_after, self.dead = None, False
            self.start()

    def stop(self):
        if self.httpd is not None:
            httpd, self.httpd = self.httpd, None
            httpd.shutdown()
            httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# ---- fixtures --------------------------------------------------------------------------------

def make_pair(key: str, chosen: str, rejected: str, criterion="rm", method="static_judge", commit=None) -> dict:
    return {"pair_key": key, "criterion": criterion, "split": "train", "source": "commits" if commit else "problems",
            "language_id": "python", "input": "Add two numbers.", "chosen": chosen, "rejected": rejected,
            "origin": "o", "commit": commit, "problem_id": None if commit else "p1", "license": "MIT",
            "chosen_id": f"{key}-c", "rejected_id": f"{key}-r", "label_method": method, "margin": 0.3,
            "chosen_execution": None, "rejected_execution": None,
            "votes": [{"judge": "static", "order": "AB", "verdict": "A", "prefers_chosen": True, "error": None}],
            "agreement": 1.0}


def config(server: ChatServer, **kw) -> JudgeConfig:
    base = {"backend": "openai", "model": "judge-m", "endpoint": server.url, "timeout_s": 5.0, "backoff_s": 0.05,
            "backoff_cap_s": 0.2, "concurrency": 4, "batch_size": 4}
    return JudgeConfig(**{**base, **kw})


_COLLECTED: dict[str, list] = {}  # DirectRunner runs in this process: DoFns append here


class _Collect(beam.DoFn):
    def __init__(self, key: str):
        self.key = key

    def process(self, record):
        _COLLECTED.setdefault(self.key, []).append(record)


def run(transform, records) -> tuple[list, list, Counter]:
    """(main, dead letters, codepref counters) of ``transform`` over ``records``."""
    tag = f"run-{len(_COLLECTED)}"
    p = TestPipeline()
    out = p | beam.Create(records) | transform
    out[MAIN] | "KeepMain" >> beam.ParDo(_Collect(tag + ":main"))
    out[DEAD] | "KeepDead" >> beam.ParDo(_Collect(tag + ":dead"))
    result = p.run()
    result.wait_until_finish()
    counters = Counter()  # a counter bumped in several steps is reported once per step
    for c in result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))["counters"]:
        counters[c.key.metric.name] += c.committed
    return _COLLECTED.pop(tag + ":main", []), _COLLECTED.pop(tag + ":dead", []), counters


# ---- tests -----------------------------------------------------------------------------------

def test_judge_keeps_flips_drops_and_passes_through():
    pairs = [make_pair("keep", "x = 'GOOD'\n", "x = 1\n"), make_pair("flip", "x = 2\n", "x = 'GOOD!'\n"),
             make_pair("tie", "x = 3\n", "x = 4\n"),
             make_pair("exec", "x = 5\n", "x = 6\n", criterion="fc", method="execution")]
    seen = Counter()  # (pair, order of the chosen code in the prompt) -> samples asked for

    def recording(body, attempt):
        prompt = body["messages"][-1]["content"]
        a = prompt.split("## Solution A", 1)[1].split("## Solution B", 1)[0]
        for p in pairs[:2]:
            if p["chosen"] in prompt:
                seen[(p["pair_key"], "AB" if p["chosen"] in a else "BA")] += body["n"]
        return scripted(body, attempt)
    with ChatServer(recording) as server:
        main, dead, counters = run(Judge(config(server)), pairs)
    by_key = {p["pair_key"]: p for p in main}
    assert set(by_key) == {"keep", "flip", "exec"}
    # The server saw the original chosen as A exactly as often as the votes say (before any flip).
    assert seen == Counter({(k, o): n for k in ("keep", "flip")
                            for o, n in Counter(sample_orders(0, k, 8)).items()})
    assert by_key["exec"] == pairs[3]  # execution labels never reach the LLM by default
    kept, flipped = by_key["keep"], by_key["flip"]
    assert kept["chosen"] == "x = 'GOOD'\n" and kept["agreement"] == 1.0 and kept["label_method"] == "llm_judge"
    assert flipped["chosen"] == "x = 'GOOD!'\n" and flipped["chosen_id"] == "flip-r" and flipped["agreement"] == 1.0
    # The static vote is now against the label: it saw the new chosen as B.
    assert flipped["votes"][0] == {"judge": "static", "order": "BA", "verdict": "A", "prefers_chosen": False,
                                   "error": None}
    for pair in (kept, flipped):
        llm = pair["votes"][1:]
        drawn = sample_orders(0, pair["pair_key"], 8)
        swap = {"AB": "BA", "BA": "AB"}
        assert [v["order"] for v in llm] == (drawn if pair is kept else [swap[o] for o in drawn])
        assert all(v["prefers_chosen"] for v in llm) and pair["judge_errors"] == 0
        # The answer follows the GOOD code around; mapping back through the order undoes it.
        assert all(v["verdict"] == ("A" if v["order"] == "AB" else "B") for v in llm)
    orders = [v["order"] for p in (kept, flipped) for v in p["votes"][1:]]
    assert set(orders) == {"AB", "BA"}
    assert [(d["record_id"], d["reason"], d["record_kind"], d["stage"]) for d in dead] == [
        ("tie", "judge_disagreement", "pair", "judge")]
    assert counters["judge.in"] == 4 and counters["judge.out"] == 3 and counters["judge.votes"] == 24
    assert counters["judge.kept"] == 1 and counters["judge.flipped"] == 1 and counters["judge.passed_through"] == 1
    assert counters["judge.tie_votes"] == 8 and counters["judge.judge_disagreement"] == 1
    assert "judge.retries" not in counters and server.requests == counters["judge.requests"]


def test_commit_pairs_get_a_rating_and_an_instruction():
    pairs = [make_pair("c-ok", "y = 'GOOD'\n", "y = 0\n", criterion="ee", method="commit_message", commit="c1"),
             make_pair("c-low", "y = 'LOWGAIN'\n", "y = 0\n", criterion="ee", method="commit_message", commit="c2")]
    with ChatServer() as server:
        main, dead, counters = run(Judge(config(server)), pairs)
    (pair,) = main
    assert pair["input"] == "Write a function that adds two numbers."
    assert pair["instruction_style"] in ("assignment", "qa", "search", "contest")
    assert pair["improvement_score"] == 4.0 and pair["label_method"] == "llm_judge" and pair["agreement"] == 1.0
    assert [(d["record_id"], d["reason"]) for d in dead] == [("c-low", "low_improvement")]
    assert counters["judge.low_improvement"] == 1 and counters[f"judge.instruction_{pair['instruction_style']}"] == 1


def garbage(body: dict, attempt: int) -> tuple[int, bytes, float]:
    """Attempt 1: not JSON; 2: JSON without choices; 3: HTTP 503; 4: an answer, which has a
    proper verdict only when the prompt contains GOOD."""
    if attempt == 1:
        return 200, b"<html>upstream hiccup</html>", 0.0
    if attempt == 2:
        return 200, b'{"object": "chat.completion"}', 0.0
    if attempt == 3:
        return 503, b'{"error": {"message": "overloaded"}}', 0.0
    prompt = body["messages"][-1]["content"]
    text = judge_answer(prompt) if "GOOD" in prompt else "Both look fine to me, I prefer A."
    return 200, json.dumps(completion([text] * body["n"])).encode(), 0.0


def test_garbage_is_retried_then_unparseable_answers_become_error_votes():
    pairs = [make_pair("good", "z = 'GOOD'\n", "z = 1\n"), make_pair("vague", "z = 2\n", "z = 3\n")]
    with ChatServer(garbage) as server:
        main, dead, counters = run(Judge(config(server, max_retries=3)), pairs)
    (kept,) = main
    assert kept["pair_key"] == "good" and kept["agreement"] == 1.0 and kept["judge_errors"] == 0
    (d,) = dead
    assert (d["record_id"], d["reason"]) == ("vague", "judge_error") and "unparseable" in d["detail"]
    requests = counters["judge.requests"]
    assert counters["judge.malformed"] == 2 * requests and counters["judge.server_error"] == requests
    assert counters["judge.retries"] == 3 * requests and "judge.failed_requests" not in counters
    assert counters["judge.unparseable"] == 8 and counters["judge.error_votes"] == 8


def test_garbage_past_the_retry_budget_becomes_error_votes():
    pairs = [make_pair("good", "z = 'GOOD'\n", "z = 1\n")]
    with ChatServer(garbage) as server:
        main, dead, counters = run(Judge(config(server, max_retries=1)), pairs)
    assert main == [] and [d["reason"] for d in dead] == ["judge_error"] and "malformed" in dead[0]["detail"]
    assert counters["judge.failed_requests"] == counters["judge.requests"] and counters["judge.error_votes"] == 8


def slow_when_marked(body: dict, attempt: int) -> tuple[int, bytes, float]:
    status, payload, _ = scripted(body, attempt)
    return status, payload, 1.5 if "SLOW" in body["messages"][-1]["content"] else 0.0


def test_timeouts_are_retried_counted_and_become_error_votes():
    pairs = [make_pair("fast", "w = 'GOOD'\n", "w = 1\n"), make_pair("slow", "w = 'GOOD SLOW'\n", "w = 2\n")]
    with ChatServer(slow_when_marked) as server:
        main, dead, counters = run(Judge(config(server, timeout_s=0.3, max_retries=1)), pairs)
    assert [p["pair_key"] for p in main] == ["fast"]
    assert [(d["record_id"], d["reason"]) for d in dead] == [("slow", "judge_error")]
    assert "timeout" in dead[0]["detail"]
    slow_requests = len(set(sample_orders(0, "slow", 8)))
    assert counters["judge.timeout"] == 2 * slow_requests and counters["judge.failed_requests"] == slow_requests


def test_server_that_dies_and_comes_back_loses_nothing():
    pairs = [make_pair(f"p{i}", f"v = 'GOOD{i}'\n", f"v = {i}\n") for i in range(4)]
    with ChatServer(die_after=2, back_after_s=0.2) as server:
        main, dead, counters = run(Judge(config(server, backoff_s=0.3, backoff_cap_s=2.0, concurrency=2)), pairs)
    assert sorted(p["pair_key"] for p in main) == ["p0", "p1", "p2", "p3"] and dead == []
    assert all(p["judge_errors"] == 0 and p["agreement"] == 1.0 for p in main)
    assert counters["judge.connection_error"] >= 1 and counters["judge.retries"] >= 1
    assert "judge.failed_requests" not in counters


def test_server_that_dies_for_good_gives_error_votes_and_the_run_completes():
    pairs = [make_pair("half", "u = 'GOOD'\n", "u = 1\n"), make_pair("none", "u = 'GOOD'\n", "u = 2\n")]
    with ChatServer(die_after=1) as server:
        main, dead, counters = run(Judge(config(server, concurrency=1, batch_size=2, max_retries=2)), pairs)
    orders = {k: sample_orders(0, k, 8) for k in ("half", "none")}
    # Requests go out one at a time: the first request (of one of the pairs) is answered.
    assert len(main) + len(dead) == 2 and len(main) <= 1
    for pair in main:
        first = "AB" if "AB" in orders[pair["pair_key"]] else "BA"  # a pair's AB request goes first
        assert pair["judge_errors"] == 8 - orders[pair["pair_key"]].count(first) and pair["agreement"] == 1.0
        assert {v["error"] for v in pair["votes"][1:] if v["verdict"] == "ERROR"} == {"connection_error"}
    assert all(d["reason"] == "judge_error" and "connection_error" in d["detail"] for d in dead)
    assert counters["judge.failed_requests"] == counters["judge.requests"] - 1
    assert counters["judge.connection_error"] == 3 * counters["judge.failed_requests"]


class _RunningServer:
    """Stands in for Beam's _VLLMModelServer when the OpenAI-compatible server already runs."""

    def __init__(self, port: int):
        self.port = port

    def get_server_port(self) -> int:
        return self.port

    def check_connectivity(self, retries=3, timeout_secs=600):
        return None


class LocalVLLMHandler(VLLMChatModelHandler):
    def __init__(self, port: int):
        super().__init__("judge-m")
        self.port = port

    def load_model(self):
        return _RunningServer(self.port)


def flaky(body: dict, attempt: int) -> tuple[int, bytes, float]:
    if attempt == 1:
        return 200, b"not json at all", 0.0
    return scripted(body, attempt)


def test_vllm_backend_wraps_beams_handler_and_survives_its_errors():
    pairs = [make_pair("v1", "q = 'GOOD'\n", "q = 1\n"), make_pair("v2", "q = 2\n", "q = 'GOOD'\n")]
    with ChatServer(flaky) as server:
        cfg = JudgeConfig(backend="vllm", model="judge-m", backoff_s=0.05, max_retries=3)
        main, dead, counters = run(Judge(cfg, inner_handler=LocalVLLMHandler(server.port)), pairs)
    by_key = {p["pair_key"]: p for p in main}
    assert set(by_key) == {"v1", "v2"} and dead == []
    assert by_key["v2"]["chosen_id"] == "v2-r" and by_key["v1"]["chosen_id"] == "v1-c"
    assert counters["judge.retries"] == counters["judge.malformed"] == counters["judge.requests"]
    assert counters["judge.votes"] == 16
    server = ChatServer()  # never started: connections are refused, Beam's handler raises
    cfg = JudgeConfig(backend="vllm", model="judge-m", backoff_s=0.01, max_retries=0)
    main, dead, counters = run(Judge(cfg, inner_handler=LocalVLLMHandler(server.port)), pairs[:1])
    assert main == [] and [d["reason"] for d in dead] == ["judge_error"]
    assert "connection_error" in dead[0]["detail"] and counters["judge.error_votes"] == 8
    assert counters["judge.failed_requests"] == counters["judge.requests"]


def test_static_backend_is_the_identity_and_inserts_no_bugs():
    pairs = [make_pair("s1", "a\n", "b\n")]
    bugs = [{"sample_id": "x", "kind": "submission", "problem_id": "p", "instruction": "i", "execution": None}]
    p = TestPipeline()
    judged = p | "Pairs" >> beam.Create(pairs) | Judge(JudgeConfig())
    inserted = p | "Samples" >> beam.Create(bugs) | InsertBugs(JudgeConfig())
    assert_that(judged[MAIN], equal_to(pairs), label="JudgedSame")
    for label, pcoll in (("NoJudgeDead", judged[DEAD]), ("NoBugs", inserted[MAIN]), ("NoBugDead", inserted[DEAD])):
        assert_that(pcoll, equal_to([]), label=label)
    p.run().wait_until_finish()


def submission(sid: str, code: str, verdict: str | None = "OK") -> dict:
    return {"sample_id": sid, "source": "problems", "kind": "submission", "language": "python", "code": code,
            "code_before": None, "diff": None, "message": None, "instruction": "Print a + b.",
            "problem_id": "add", "submission_id": f"python/{sid}", "user_id": None, "repo": "bundle",
            "commit": None, "path": f"python/{sid}.py", "license": "MIT", "timestamp": None,
            "criteria_hint": [], "split": "train", "tags": None, "tags_before": None,
            "execution": None if verdict is None else {"verdict": verdict}}


def test_insert_bugs_emits_variants_and_dead_letters_unparseable_answers():
    samples = [submission("ok", "print(sum(map(int, input().split())))\n"),
               submission("wrong", "print(0)\n", verdict="WRONG_ANSWER"),
               submission("shy", "# NOFENCE\nprint(sum(map(int, input().split())))\n")]
    with ChatServer() as server:
        main, dead, counters = run(InsertBugs(config(server)), samples)
    (bug,) = main
    assert bug["variant_of"] == "ok" and bug["sample_id"] not in ("ok", "wrong", "shy")
    assert bug["code"] == "print(sum(map(int, input().split())) + 1)\n" and "execution" not in bug
    assert (bug["problem_id"], bug["language"], bug["split"]) == ("add", "python", "train")
    # The failed attempt is a "variant" dead letter named after the variant it would have been.
    assert [(d["record_id"], d["reason"], d["record_kind"]) for d in dead] == [
        (stable_hex("shy", "bug"), "unparseable", "variant")]
    assert counters["insert_bugs.skipped"] == 1 and counters["insert_bugs.in"] == 2


LOCAL_ONCE = ExecuteConfig(sandbox_backend="local", exec_repeat=1, exec_parallelism=1)


def test_inserted_bug_is_executed_and_paired_as_functional_correctness():
    """The DAG shape the lead wires: execute, insert bugs into passing samples, execute the
    variants, pair: the variant becomes the rejected side of an fc pair only because it fails."""
    original = submission("orig", "print(sum(map(int, input().split())))\n", verdict=None)
    tests = {"add": {"tests": [("t1", "1 2\n", "3\n"), ("t2", "5 5\n", "10\n")], "time_limit_s": 5,
                     "memory_limit_mb": 256}}
    with ChatServer() as server:
        p = TestPipeline()
        tests = p | "Tests" >> beam.Create([(pid, (0, entry)) for pid, entry in tests.items()])
        executed = p | beam.Create([original]) | "Execute" >> Execute(tests, LOCAL_ONCE)
        bugs = executed[MAIN] | "Bugs" >> InsertBugs(config(server))
        bugs_executed = bugs[MAIN] | "ExecuteBugs" >> Execute(tests, LOCAL_ONCE)
        pairs = (executed[MAIN], bugs_executed[MAIN]) | beam.Flatten() | "Pair" >> Pair(PairConfig(), seed=0)
        fc = pairs[MAIN] | beam.Filter(lambda r: r["criterion"] == "fc") | beam.Map(
            lambda r: (r["chosen_id"], r["label_method"], r["rejected"], r["rejected_execution"]["verdict"]))
        assert_that(fc, equal_to([("orig", "execution", "print(sum(map(int, input().split())) + 1)\n",
                                   "WRONG_ANSWER")]))
        p.run().wait_until_finish()
