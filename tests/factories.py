"""Record factories shared by the unit tests: schema-valid samples and executions."""
from __future__ import annotations

from schemas.records import EXECUTION
from schemas.samples import source_sample


def execution(verdict="OK", cpu_s=0.1, rss=50_000_000, passed=None, total=3, stable=True, **extra) -> dict:
    """``stable`` sets all three flags; ``cpu_stable=``/``rss_stable=`` in ``extra`` override one."""
    rec = {f.name: None for f in EXECUTION}
    rec.update(backend="local", verdict=verdict, compile_ok=verdict != "COMPILE_ERROR",
               tests_passed=total if passed is None and verdict == "OK" else (passed or 0), tests_total=total,
               cpu_s=cpu_s, wall_s=cpu_s, peak_rss_bytes=rss, cpu_cv=0.01, rss_cv=0.01, stable=stable,
               cpu_stable=stable, rss_stable=stable,
               repeats=3, detail=None, toolchain="test 1.0", tests=[])
    rec.update(extra)
    rec["stable"] = rec["cpu_stable"] and rec["rss_stable"]
    return rec


def submission(sample_id: str, code: str, execution_report: dict | None, tags: dict | None = None,
               language="python", problem_id="p1", split="train") -> dict:
    return {**source_sample(sample_id=sample_id, source="problems", kind="submission", language=language, code=code,
                            instruction="Solve p1.", problem_id=problem_id, submission_id=sample_id, repo="bundled",
                            path=f"{sample_id}.py", license="Apache-2.0", split=split),
            "tags": tags, "tags_before": None, "execution": execution_report}
