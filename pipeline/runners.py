"""Runner selection. ``DirectRunner`` means Beam's in-process FnApiRunner here.

Beam's DirectRunner first tries the Prism runner, which it downloads on first use;
offline that costs a failed download on every run. We hand the pipeline straight
to the FnApiRunner (what DirectRunner falls back to), which honours
``--direct_running_mode`` and ``--direct_num_workers``. ``DaskRunner`` is Beam's Dask
runner completed where it lacks what a real pipeline uses (``pipeline.dask_runner``).
Every other runner name (PortableRunner, DataflowRunner, FlinkRunner, ...) passes through
unchanged.
"""
from __future__ import annotations

from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions


def resolve_runner(options: PipelineOptions):
    name = options.view_as(StandardOptions).runner or "DirectRunner"
    if name in ("DaskRunner", "dask"):
        from pipeline.dask_runner import DaskRunner
        return DaskRunner()
    if name not in ("DirectRunner", "direct", "FnApiRunner"):
        return name
    from apache_beam.portability.api import beam_provision_api_pb2
    from apache_beam.runners.portability.fn_api_runner import fn_runner
    from apache_beam.runners.portability.portable_runner import JobServiceHandle

    encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
    info = fn_runner.ExtendedProvisionInfo(beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded))
    return fn_runner.FnApiRunner(provision_info=info)
