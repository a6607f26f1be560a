"""``--runner=DaskRunner``: Beam's Dask runner, with the parts it lacks for a real pipeline.

Beam 2.77's ``apache_beam.runners.dask`` translates a pipeline into ``dask.bag`` operations
and submits them to a ``dask.distributed`` scheduler (``--dask_client_address``). As shipped
it cannot run this pipeline (nor most pipelines with more than one output):

1. Multi-output ParDos (``with_outputs``): every output tag of a ParDo becomes one bag with
   all tags' elements mixed, so dead letters flow into the main output.
2. ``finish_bundle`` outputs are dropped (results are collected before ``finish_bundle``):
   ``BatchElements`` loses its last batch of every partition.
3. Only the bag of the last transform visited is computed: other branches (the dead-letter
   table, a second sink) never run.
4. A ParDo's task carries its raw side-input arguments, which hold their PCollection and
   so the whole pipeline (a 136 MiB task graph for one problem; the client ran out of memory
   building it here), and side inputs are computed inside each consuming task
   (``list(bag)``), once per partition.
5. ``Reshuffle`` is a no-op, so everything after a one-element ``Create`` runs in one
   partition on one worker; and ``Flatten`` adds its inputs' partitions up, so iterated
   joins double them each round (thousands of tasks for the near-dedup rounds).
6. ``metrics()`` raises ``NotImplementedError``; counters are dropped.
7. Partitions of ``map``/``filter``/``groupby`` bags are one-shot iterators: a PCollection
   read by two transforms is seen whole by one of them and empty by the other. Dask's graph
   optimisation (``lazify``) makes more partitions lazy the same way.

This module keeps Beam's translation of Create, GroupByKey and Flatten (and its option
class) and replaces the rest: each ParDo emits ``(tag, value)`` and every output
PCollection gets its own bag of lists (every stored partition is a list; the graph is
computed without dask's optimisation); outputs are collected after ``finish_bundle``; every
leaf is computed; Flatten and GroupByKey outputs keep at most that many partitions; a side
input is reduced once to a single dask ``Item`` that consuming
tasks depend on; ``Reshuffle`` repartitions to ``--dask_npartitions`` (default: the
cluster's worker threads) partitions; each ParDo partition runs in a Beam metrics scope and
returns its counters, which ``metrics()`` reports (as committed and attempted values once
the job is done; nothing while it runs). Not supported: stateful DoFns and timers
(``user_state_context`` is None, as in Beam's runner) and windows other than the global one;
the pipeline uses none of them. GroupByKey is dask.bag's groupby, which partitions by
Python's ``hash``: workers must share ``PYTHONHASHSEED``, which dask's nanny (the default for
``dask worker``) sets for them.

Nothing in the pipeline knows which runner runs it; ``pipeline.runners.resolve_runner``
hands ``DaskRunner`` to this class, as it hands ``DirectRunner`` to the FnApiRunner.
"""
from __future__ import annotations

from dataclasses import dataclass

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics.cells import CounterCell
from apache_beam.metrics.execution import MetricKey, MetricResult, MetricsContainer
from apache_beam.metrics.metric import MetricResults
from apache_beam.metrics.metricbase import MetricName
from apache_beam.pipeline import PipelineVisitor
from apache_beam.runners.common import DoFnContext, DoFnInvoker, DoFnSignature, Receiver, _OutputHandler
from apache_beam.runners.dask import dask_runner as beam_dask
from apache_beam.runners.dask.overrides import (_Create, _Flatten, _GroupAlsoByWindow, _GroupByKeyOnly, _Reshuffle,
                                                dask_overrides)
from apache_beam.runners.dask.transform_evaluator import Create, Flatten, GroupByKey, get_windowed_value
from apache_beam.runners.runner import PipelineResult, PipelineState
from apache_beam.runners.worker import statesampler
from apache_beam.transforms.sideinputs import SideInputMap
from apache_beam.transforms.window import GlobalWindows
from apache_beam.utils import counters as beam_counters

DaskOptions = beam_dask.DaskOptions
METRICS_TAG = "__codepref_dask_metrics__"  # the (tag, value) of a partition's counters


class _TagReceiver(Receiver):
    def __init__(self, tag, out: list):
        self.tag, self.out = tag, out

    def receive(self, windowed_value):
        self.out.append((self.tag, windowed_value.value))


class _Receivers(dict):
    def __init__(self, out: list):
        super().__init__()
        self.out = out

    def __missing__(self, tag):
        self[tag] = _TagReceiver(tag, self.out)
        return self[tag]


class _Bundle:
    """A ParDo's work on one dask partition (one Beam bundle): (tag, value) outputs, then its counters.

    Named by its step, so dask does not hash the DoFn and its arguments to name the task (that
    pickles them once per ParDo, minutes for this pipeline)."""

    def __init__(self, fn, args, kwargs, window_fn, label: str, side_specs: list, serial: int):
        self.fn, self.args, self.kwargs, self.window_fn = fn, args, kwargs, window_fn
        self.label, self.side_specs, self.serial = label, side_specs, serial

    def __dask_tokenize__(self):
        return ("codepref-dask-pardo", self.label, self.serial)

    def __call__(self, items, *side_values):
        return _run_bundle(items, self.fn, self.args, self.kwargs, self.window_fn, self.label, self.side_specs,
                           *side_values)


def _run_bundle(items, fn, args, kwargs, window_fn, label, side_specs, *side_values):
    out: list = []
    receivers = _Receivers(out)
    side_inputs = [SideInputMap(view, options, [get_windowed_value(v, None) for v in values])
                   for (view, options), values in zip(side_specs, side_values)]
    handler = _OutputHandler(window_fn=window_fn, main_receivers=receivers[None], tagged_receivers=receivers,
                             per_element_output_counter=None, output_batch_converter=None,
                             process_yields_batches=False, process_batch_yields_elements=False)
    invoker = DoFnInvoker.create_invoker(
        DoFnSignature(fn), handler, context=DoFnContext(label, state=None), side_inputs=side_inputs,
        input_args=list(args), input_kwargs=kwargs, user_state_context=None,
        bundle_finalizer_param=beam.DoFn.BundleFinalizerParam())
    container = MetricsContainer(label)
    sampler = statesampler.StateSampler("dask", beam_counters.CounterFactory())
    previous = statesampler.get_current_tracker()
    statesampler.set_current_tracker(sampler)
    try:
        with sampler.scoped_state(label, "process", metrics_container=container):
            invoker.invoke_setup()
            invoker.invoke_start_bundle()
            for item in items:
                invoker.invoke_process(get_windowed_value(item, window_fn))
            invoker.invoke_finish_bundle()
            invoker.invoke_teardown()
    finally:
        statesampler.set_current_tracker(previous)
    counts = {(k.metric_name.namespace, k.metric_name.name): cell.get_cumulative()
              for k, cell in container.metrics.items() if k.cell_type == CounterCell}
    out.append((METRICS_TAG, (label, counts)))
    return out


def _select(partition, tag) -> list:
    """The values of one output tag of a ParDo partition (a list: see ``_concrete``)."""
    return [value for t, value in partition if t == tag]


def _as_list(partition) -> list:
    return list(partition)


def _concat(parts) -> list:
    return [x for part in parts for x in part]


def _count(partition) -> int:
    return sum(1 for _ in partition)


def _concrete(bag):
    """Partitions as lists. dask.bag's map/filter/groupby partitions are one-shot iterators:
    when a PCollection has two consumers, the first exhausts the partition and the second
    silently sees nothing (lost records and counters, a different loss on every run)."""
    return bag.map_partitions(_as_list)


class _Visitor(PipelineVisitor):
    """Beam transforms -> dask bags, one bag per PCollection (see the module docstring)."""

    def __init__(self, bag_kwargs: dict, reshuffle_partitions: int):
        self.bag_kwargs, self.reshuffle_partitions = bag_kwargs, reshuffle_partitions
        self.bags: dict = {}  # PCollection -> bag
        self.consumed: set = set()
        self.metric_bags: list = []
        self.serial = 0  # with the step's label, names its tasks

    def _inputs(self, node) -> list:
        bags = []
        for pc in node.inputs:
            if isinstance(pc, pvalue.PBegin):
                continue
            self.consumed.add(pc)
            bags.append(self.bags[pc])
        return bags

    def visit_transform(self, node) -> None:
        import dask.bag as db
        transform = node.transform
        inputs = self._inputs(node)
        outputs = list(node.outputs.values())
        if isinstance(transform, _Create):
            bag = Create(node, bag_kwargs=self.bag_kwargs).apply(None)
        elif isinstance(transform, _Flatten):
            bag = self._cap(Flatten(node).apply(inputs)) if inputs else db.from_sequence([], npartitions=1)
        elif isinstance(transform, _GroupByKeyOnly):
            bag = _concrete(GroupByKey(node).apply(self._cap(inputs[0])))  # (key, [values]): windows dropped
        elif isinstance(transform, _GroupAlsoByWindow):
            if not isinstance(transform.windowing.windowfn, GlobalWindows):
                raise NotImplementedError(f"DaskRunner: {node.full_label} groups by window; only global "
                                          "windows are supported")
            bag = inputs[0]  # global windows: grouping by key is all there is (Beam's runner skips it too)
        elif isinstance(transform, _Reshuffle):
            bag = inputs[0]
            if bag.npartitions < self.reshuffle_partitions:
                bag = _concrete(bag.repartition(npartitions=self.reshuffle_partitions))
        elif isinstance(transform, beam.ParDo):
            self._pardo(node, inputs[0], outputs)
            return
        elif not inputs and not outputs:
            return
        else:
            raise NotImplementedError(f"DaskRunner: no translation for {node.full_label} "
                                      f"({type(transform).__name__})")
        for pc in outputs:
            self.bags[pc] = bag

    def _cap(self, bag):
        """At most ``reshuffle_partitions`` partitions (merging neighbours computes nothing). A
        Flatten adds its inputs' partitions up: without a cap, iterated joins (the connected-
        components rounds of near-dedup) double them each round."""
        return _concrete(bag.repartition(npartitions=self.reshuffle_partitions)) \
            if bag.npartitions > self.reshuffle_partitions else bag

    def _pardo(self, node, bag, outputs) -> None:
        transform = node.transform
        # Side inputs as placeholders (``transform.args``), not the raw AsSideInput objects: those
        # hold their PCollection, hence the whole pipeline, which would be pickled into every task.
        args, kwargs = transform.args, transform.kwargs
        main = next(iter(node.main_inputs.values()))
        window_fn = main.windowing.windowfn if hasattr(main, "windowing") else None
        side_specs, side_items = [], []
        for si in transform.side_inputs:
            self.consumed.add(si.pvalue)
            side_specs.append((type(si), si._view_options()))
            side_items.append(self.bags[si.pvalue].reduction(_as_list, _concat))  # once, as a dependency
        self.serial += 1
        bundle = _Bundle(transform.fn, tuple(args), dict(kwargs), window_fn, node.full_label, side_specs, self.serial)
        raw = bag.map_partitions(bundle, *side_items)
        additional = set(transform.output_tags)
        for tag, pc in node.outputs.items():
            self.bags[pc] = raw.map_partitions(_select, tag if tag in additional else None)
        self.metric_bags.append(raw.map_partitions(_select, METRICS_TAG))

    def targets(self) -> list:
        """What to compute: an element count of every leaf PCollection, and every ParDo's counters."""
        leaves = [bag.reduction(_count, sum) for pc, bag in self.bags.items() if pc not in self.consumed]
        return leaves + self.metric_bags


class DaskMetrics(MetricResults):
    """Counters the partitions returned, per step; committed = attempted (known once the job is done)."""

    def __init__(self, per_step: dict):
        self.per_step = per_step

    def query(self, filter=None):
        counters = [MetricResult(MetricKey(step, MetricName(ns, name)), value, value)
                    for (step, ns, name), value in sorted(self.per_step.items())]
        counters = [c for c in counters if self.matches(filter, c.key)]
        return {self.COUNTERS: counters, self.DISTRIBUTIONS: [], self.GAUGES: [], self.STRINGSETS: [],
                self.BOUNDED_TRIES: []}


@dataclass
class DaskResult(PipelineResult):
    client: object
    futures: list
    n_leaves: int

    def __post_init__(self):
        super().__init__(PipelineState.RUNNING)
        self.per_step: dict = {}

    def wait_until_finish(self, duration=None):
        try:
            results = self.client.gather(self.futures)
            for partitions in results[self.n_leaves:]:
                for label, counts in partitions:
                    for (ns, name), value in counts.items():
                        key = (label, ns, name)
                        self.per_step[key] = self.per_step.get(key, 0) + value
            self._state = PipelineState.DONE
        except BaseException:
            self._state = PipelineState.FAILED
            raise
        finally:
            self.client.close()
        return self._state

    def cancel(self):
        self.client.cancel(self.futures)
        self.client.close()
        self._state = PipelineState.CANCELLED
        return self._state

    def metrics(self):
        return DaskMetrics(self.per_step)


class DaskRunner(beam_dask.DaskRunner):
    """Runs a pipeline on a dask.distributed cluster (see the module docstring)."""

    def run_pipeline(self, pipeline, options):
        try:
            import dask.distributed as ddist
        except ImportError as e:
            raise ImportError("DaskRunner needs the dask extra: pip install 'codepref[dask]'") from e
        dask_options = options.view_as(DaskOptions).get_all_options(drop_default=True, current_only=True)
        bag_kwargs = DaskOptions._extract_bag_kwargs(dask_options)
        client = ddist.Client(**dask_options)
        partitions = bag_kwargs.get("npartitions") or max(1, sum(client.nthreads().values()))
        pipeline.replace_all(dask_overrides())
        visitor = _Visitor(bag_kwargs, partitions)
        pipeline.visit(visitor)
        targets = visitor.targets()
        n_leaves = len(targets) - len(visitor.metric_bags)
        return DaskResult(client, client.compute(targets, optimize_graph=False), n_leaves)
