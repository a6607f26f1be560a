"""Compile and run programs in eight languages under isolation, measuring CPU time and peak RSS.

    from sandboxes import Sandbox, Limits, TestCase
    with Sandbox(limits=Limits(time_s=2)) as sb:
        report = sb.execute("python", "print(input())", [TestCase("hi\\n", "hi")])

``report`` follows ``schemas.records.EXECUTION``. See docs/sandboxes.md.
"""
from .judge import Stability
from .model import VERDICTS, Limits, TestCase
from .sandbox import Sandbox, execute

__all__ = ["Sandbox", "Limits", "TestCase", "Stability", "VERDICTS", "execute"]
