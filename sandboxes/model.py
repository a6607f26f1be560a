"""Plain data shared by every backend: limits, test cases, verdicts, raw run results."""
from __future__ import annotations

from dataclasses import dataclass, field

OK = "OK"
WRONG_ANSWER = "WRONG_ANSWER"
RUNTIME_ERROR = "RUNTIME_ERROR"
TIME_LIMIT = "TIME_LIMIT"
MEMORY_LIMIT = "MEMORY_LIMIT"
OUTPUT_LIMIT = "OUTPUT_LIMIT"
COMPILE_ERROR = "COMPILE_ERROR"
SANDBOX_ERROR = "SANDBOX_ERROR"
VERDICTS = (OK, WRONG_ANSWER, RUNTIME_ERROR, TIME_LIMIT, MEMORY_LIMIT, OUTPUT_LIMIT, COMPILE_ERROR, SANDBOX_ERROR)


@dataclass(frozen=True)
class Limits:
    """Per-test limits. ``time_s`` is CPU seconds; the wall-clock limit defaults to
    ``wall_factor * time_s + 1`` so sleeping programs are also stopped."""

    time_s: float = 10.0
    memory_mb: int = 1024
    output_bytes: int = 1 << 20
    pids: int = 64
    wall_s: float | None = None
    wall_factor: float = 2.0
    compile_time_s: float = 60.0
    compile_memory_mb: int = 2048

    @property
    def wall_limit_s(self) -> float:
        return self.wall_s if self.wall_s is not None else self.wall_factor * self.time_s + 1.0


@dataclass(frozen=True)
class TestCase:
    stdin: str
    expected: str | None
    name: str = ""

    __test__ = False  # not a pytest class


@dataclass
class RunResult:
    """One run of a program as a backend saw it (before judging)."""

    exit_code: int | None = None
    signal: int | None = None
    cpu_s: float = 0.0
    wall_s: float = 0.0
    peak_rss_bytes: int = 0
    stdout: bytes = b""
    stderr: bytes = b""
    stdout_truncated: bool = False  # the program wrote more than the output limit
    wall_timeout: bool = False
    oom_killed: bool = False  # the memory cgroup hit its limit
    sandbox_error: str | None = None  # the sandbox itself failed (not the program)
    supervisor_lost: bool = False  # the in-sandbox supervisor vanished without a result


@dataclass
class BuildResult:
    """Outcome of compiling one source (or staging it, for interpreters)."""

    ok: bool
    build_dir: str
    detail: str | None = None
    sandbox_error: str | None = None
    files: tuple[str, ...] = field(default_factory=tuple)
