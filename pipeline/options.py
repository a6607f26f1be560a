"""Pipeline options: one PipelineOptions subclass, so ``--help`` lists them all.

Nothing is declared here: every flag comes from a field of ``pipeline.config.DriverConfig`` or
``pipeline.config.RunConfig`` (the stages' configs), with its default and help.
"""
from __future__ import annotations

import argparse

from apache_beam.options import pipeline_options as po
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.config import DriverConfig, RunConfig
from transforms.config import add_arguments


class CurationOptions(PipelineOptions):
    """Our flags, generated from the driver's and the stages' configs (``pipeline.config``)."""

    @classmethod
    def _add_argparse_args(cls, parser):
        add_arguments(parser, DriverConfig, title="codepref run")
        add_arguments(parser, RunConfig, title="codepref output and seed")


# Beam's groups a user of this pipeline sets, in the order --help lists them.
BEAM_GROUPS = ("StandardOptions", "DirectOptions", "PortableOptions", "SetupOptions", "WorkerOptions",
               "GoogleCloudOptions", "FlinkRunnerOptions", "SparkRunnerOptions", "DebugOptions")


def help_parser() -> argparse.ArgumentParser:
    """One parser with our options and Beam's runner options, for ``--help``."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.run",
                                     description="Curate multi-criteria code-preference shards (Apache Beam).")
    CurationOptions._add_argparse_args(parser)
    for name in BEAM_GROUPS:
        cls = getattr(po, name, None)
        if cls is None:
            continue
        group = parser.add_argument_group(f"Beam {name}")
        try:
            cls._add_argparse_args(group)
        except argparse.ArgumentError:  # a flag two Beam groups share
            pass
    return parser
