"""Settings are written once: stage configs, the generated command line, clear errors for bad values."""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.config import DriverConfig, RunConfig
from pipeline.options import help_parser
from pipeline.run import resolve_config
from transforms.config import ConfigError, flat_settings, from_flags, option_fields

ROOT = Path(__file__).resolve().parents[1]
OUR_PACKAGES = ("pipeline", "transforms", "sandboxes", "schemas")

# A lower layer that owns a setting's default; the stage config reads it from there.
OWNED_BELOW = {"max_cpu_cv": "sandboxes.judge.Stability", "max_rss_cv": "sandboxes.judge.Stability",
               "rss_noise_floor_bytes": "sandboxes.judge.Stability"}
# Parameters that share a flag's name but are another setting: MinHash's hash-family seed
# (a fixed constant of the signature scheme, not the run's --seed) and the seed of a vLLM
# server started outside a run (a run passes its --seed).
OTHER_MEANING = {("seed", "transforms.minhash"), ("seed", "transforms.dedup"),
                 ("seed", "transforms.judging.vllm_server")}


def all_flags() -> dict[str, tuple]:
    out = {}
    for cfg in (DriverConfig, RunConfig):
        for flag, f, owner, default in option_fields(cfg):
            assert flag not in out, f"--{flag} is declared twice"
            out[flag] = (f, owner, default)
    return out


def test_help_lists_every_flag_once_with_its_default():
    flags = all_flags()
    parser = help_parser()
    ours = [a for a in parser._actions if a.option_strings and a.option_strings[0][2:] in flags]
    assert sorted(a.option_strings[0][2:] for a in ours) == sorted(flags)
    text = parser.format_help()
    for flag, (f, _, default) in flags.items():
        assert text.count(f"--{flag} ") + text.count(f"--{flag}\n") >= 1
        if not isinstance(default, bool) and default not in (None, (), ""):
            shown = ",".join(map(str, default)) if isinstance(default, tuple) else str(default)
            help_of = next(a.help for a in ours if a.option_strings[0] == f"--{flag}")
            assert f"(default: {shown})" in help_of, flag


def _signatures_and_fields():
    """(where, name, default) of every defaulted parameter and dataclass field in our packages."""
    for pkg in OUR_PACKAGES:
        mod = importlib.import_module(pkg)
        names = [pkg] + [i.name for i in pkgutil.walk_packages(mod.__path__, pkg + ".")]
        for name in names:
            if name.endswith("tiny_model"):  # needs torch; declares no settings
                continue
            module = importlib.import_module(name)
            for obj in vars(module).values():
                if getattr(obj, "__module__", None) != module.__name__:
                    continue
                if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
                    for f in dataclasses.fields(obj):
                        if f.default is not dataclasses.MISSING:
                            yield f"{module.__name__}.{obj.__qualname__}", f.name, f.default, obj
                    continue
                functions = [obj] if inspect.isfunction(obj) else (
                    [v for v in vars(obj).values() if inspect.isfunction(v)] if inspect.isclass(obj) else [])
                for fn in functions:
                    for p in inspect.signature(fn).parameters.values():
                        if p.default is not inspect.Parameter.empty:
                            yield f"{module.__name__}.{fn.__qualname__}", p.name, p.default, None


def test_no_setting_has_a_second_default():
    """A flag's default lives in its stage config; no function or other dataclass declares it again
    (the drift this prevents: exec_parallelism 0 vs 2, max_cpu_cv 0.25 vs 0.10)."""
    flags = all_flags()
    declaring = {owner for _, owner, _ in flags.values()}
    problems = []
    for where, name, default, owner in _signatures_and_fields():
        if name not in flags or owner in declaring or where.rsplit(".", 1)[0] in {
                f"{o.__module__}.{o.__qualname__}" for o in declaring}:
            continue
        if any(name == n and where.startswith(m) for n, m in OTHER_MEANING):
            continue
        if OWNED_BELOW.get(name) == where:
            assert default == flags[name][2], f"{where}.{name} = {default!r}, --{name} says {flags[name][2]!r}"
            continue
        problems.append(f"{where}: {name}={default!r} (the setting is --{name}, default {flags[name][2]!r})")
    assert not problems, "\n".join(problems)


def test_config_defaults_match_the_parsed_empty_command_line():
    values = PipelineOptions([]).get_all_options()
    assert from_flags(RunConfig, values) == RunConfig()
    assert from_flags(DriverConfig, values) == DriverConfig()


def test_flags_reach_their_stage_config_by_the_same_name():
    argv = ["--no_bundled", "--exec_repeat=5", "--judge_samples=4", "--judge_criteria=rm,sh", "--pair_ngram=7",
            "--commit_ngram=6", "--benchmark=a.parquet", "--benchmark=b.parquet", "--judge_vllm_arg=max-model-len=64",
            "--hf_dataset", '{"path": "d", "columns": {"code": "c", "language": "l"}}', "--time_limit_s=2.5"]
    driver, cfg, _ = resolve_config(PipelineOptions(argv), "t")
    assert driver.no_bundled and cfg.execute.exec_repeat == 5 and cfg.execute.time_limit_s == 2.5
    assert cfg.judge.samples == 4 and cfg.judge.criteria == ("rm", "sh")
    assert cfg.judge.vllm_arg == (("max-model-len", "64"),)
    assert cfg.pair_dedup.ngram == 7 and cfg.commit_dedup.ngram == 6 and cfg.commit_dedup.threshold == 0.7
    assert cfg.decontam.benchmark == ("a.parquet", "b.parquet")
    assert cfg.read.hf_dataset == ({"path": "d", "columns": {"code": "c", "language": "l"}},)
    settings = flat_settings(cfg)
    assert settings["judge_samples"] == 4 and settings["pair_ngram"] == 7 and settings["exec_repeat"] == 5


@pytest.mark.parametrize("argv, message", [
    (["--train_end=2019-13-01"], "--train_end: '2019-13-01' is not a date of the form YYYY-MM-DD"),
    (["--train_end=20190331"], "--train_end: '20190331' is not a date of the form YYYY-MM-DD"),
    (["--bench_start=2020-01-01", "--bench_end=2019-12-31"], "--bench_end: 2019-12-31 is before --bench_start"),
    (["--train_end=2019-07-01"], "--bench_start: 2019-06-01 is not after --train_end 2019-07-01"),
    (["--hf_dataset={\"path\": 1}"], "--hf_dataset"),
    (["--judge_criteria=fc,xx"], "unknown criteria ['xx']"),
    (["--exec_repeat=0"], "--exec_repeat must be >= 1"),
    (["--codenet_bench_fraction=2"], "--codenet_bench_fraction must lie in [0, 1]"),
])
def test_bad_values_name_the_flag(argv, message):
    with pytest.raises(ConfigError) as e:
        resolve_config(PipelineOptions(["--no_bundled"] + argv), "t")
    assert message in str(e.value)


def test_a_bad_value_is_one_line_and_exit_status_2():
    proc = subprocess.run([sys.executable, "-m", "pipeline.run", "--no_bundled", "--train_end", "2019-13-01"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: --train_end: '2019-13-01' is not a date of the form YYYY-MM-DD (month must be in 1..12)"]
