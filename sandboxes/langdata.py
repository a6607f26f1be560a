"""Per-language sandbox data that ``schemas/languages.toml`` does not carry (yet).

Kept in one small table so it can move into languages.toml later. Keys are
language ids from the toml; nothing here restates compile/run argv.

memory_rlimit  which rlimit enforces the memory limit: "as" (address space) for
               runtimes with modest virtual reservations, "data" for runtimes that
               reserve large address ranges up front (V8, Go, Mono), where RLIMIT_AS
               would stop them from starting. "none" for the JVM: it commits its
               initial heap (1/64 of host RAM) at start-up, so any rlimit below that
               kills it before main(); its heap is capped by -Xmx (run argv) and the
               cgroup enforces the limit.
env            extra environment for compile and run ({home} is the work dir,
               {gocache} the shared Go build cache).
oom_markers    stderr fragments a runtime prints when an allocation fails.
syntax_check   argv that checks an interpreted program without running it, so a
               syntax error is a COMPILE_ERROR as for compiled languages ({src} is
               the source file name from languages.toml).
stack_mb       RLIMIT_STACK. glibc also sizes every new thread's stack from it, so the
               multi-threaded runtimes keep the usual 8 MB (they size their own stacks);
               single-threaded native/interpreted programs get room for deep recursion.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LangExtra:
    memory_rlimit: str = "as"
    env: dict[str, str] = field(default_factory=dict)
    oom_markers: tuple[str, ...] = ()
    needs_gocache: bool = False
    stack_mb: int = 8
    syntax_check: tuple[str, ...] = ()


EXTRA: dict[str, LangExtra] = {
    "c": LangExtra("as", {}, (), stack_mb=256),
    "cpp": LangExtra("as", {}, ("std::bad_alloc",), stack_mb=256),
    "csharp": LangExtra("data", {"MONO_GC_PARAMS": "", "MONO_ENV_OPTIONS": ""},
                        ("OutOfMemoryException", "Out of memory", "GC_ERROR")),
    "go": LangExtra("data", {"GOCACHE": "{gocache}", "GOPATH": "{home}/gopath", "GO111MODULE": "off",
                             "CGO_ENABLED": "0", "GOFLAGS": "", "GOTOOLCHAIN": "local"},
                    ("runtime: out of memory", "fatal error: out of memory"), needs_gocache=True),
    "java": LangExtra("none", {}, ("java.lang.OutOfMemoryError", "Could not reserve enough space",
                                   "insufficient memory for the Java Runtime")),
    "javascript": LangExtra("data", {}, ("JavaScript heap out of memory", "Allocation failed",
                                         "RangeError: Array buffer allocation failed"),
                            syntax_check=("node", "--check", "{src}")),
    "python": LangExtra("as", {}, ("MemoryError",), stack_mb=256,
                        syntax_check=("python3", "-S", "-c",
                                      "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')",
                                      "{src}")),
    "ruby": LangExtra("as", {}, ("NoMemoryError", "failed to allocate memory"), stack_mb=256,
                      syntax_check=("ruby", "--disable-gems", "-c", "{src}")),
}


def extra(language_id: str) -> LangExtra:
    return EXTRA.get(language_id, LangExtra())


def build_argv(lang) -> tuple[str, ...] | None:
    """What builds (or syntax-checks) ``lang``'s source; None when nothing needs to run."""
    if lang.compile is not None:
        return lang.compile
    check = extra(lang.id).syntax_check
    return tuple(arg.format(src=lang.source) for arg in check) if check else None
