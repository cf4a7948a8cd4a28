"""Building a planned network in NEST's kernel and running it (NEST is imported here, when called)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Iterable

import numpy as np

from evsim import validation as check
from evsim.compile import compile_network
from evsim.errors import ValidationError
from evsim.inputs import InputsLike
from evsim.network import Network
from evsim.record import SpikeRecord
from evsim.nest.mapping import SINGLE_SPIKE_HOLD, NestPlan, nest_plan

__all__ = ["NestNodes", "to_nest", "simulate", "load_nest"]


def load_nest():
    """The ``nest`` module, quiet; a :class:`ValidationError` saying how to install it where it is missing.

    Returns
    -------
    module
        ``nest``, imported with ``PYNEST_QUIET`` set (unless already set) and its verbosity at errors.

    Raises
    ------
    ValidationError
        NEST cannot be imported here.

    Examples
    --------
    >>> from evsim.nest import load_nest
    >>> nest = load_nest()                        # doctest: +SKIP
    >>> nest.GetKernelStatus("resolution")        # doctest: +SKIP
    0.1
    """
    os.environ.setdefault("PYNEST_QUIET", "1")  # no banner
    try:
        import nest
    except ImportError as error:
        raise ValidationError(
            f"engine='nest' needs the NEST simulator (3.10 or later), which is not importable here ({error}); "
            f"install it with pip install 'evsim[nest]' (Linux; NEST's wheel needs numpy < 2.4), or use "
            f"engine='evsim'") from None
    if hasattr(nest, "VerbosityLevel"):
        nest.verbosity = nest.VerbosityLevel.ERROR
    return nest


class NestNodes(Mapping):
    """NEST's node handles by evsim name: ``nodes["y"]`` is the ``NodeCollection`` of neuron ``y``.

    A neuron is an ``iaf_psc_delta_ps`` node (``iaf_psc_delta`` in a discrete
    network), an input a ``spike_generator``. Made by :func:`to_nest`.

    Parameters
    ----------
    nest : module
        The ``nest`` module whose kernel holds the nodes.
    names : tuple of str
        The evsim network's neuron names, in network order: the mapping's keys.
    ids : ndarray of int64
        The NEST node id of every evsim neuron (by evsim index); kept as ``ids``.
    plan : NestPlan
        What was built (:class:`~evsim.nest.mapping.NestPlan`); kept as ``plan``.

    Examples
    --------
    >>> import evsim
    >>> from evsim.nest import to_nest
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.LIF(tau=10.0, threshold=1.0, reset="zero")},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)])
    >>> nodes = to_nest(net, {"x": [1, 2]})       # doctest: +SKIP
    >>> list(nodes), nodes.resolution, nodes.plan.model       # doctest: +SKIP
    (['x', 'y'], 1.0, 'iaf_psc_delta')
    >>> nodes["y"].get("tau_m")                   # doctest: +SKIP
    10.0
    """

    def __init__(self, nest, names: tuple[str, ...], ids: np.ndarray, plan: NestPlan) -> None:
        self._nest, self._names, self.ids, self.plan = nest, names, ids, plan
        self._index = {name: i for i, name in enumerate(names)}

    def __getitem__(self, name: str):
        return self._nest.NodeCollection([int(self.ids[self._index[name]])])

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    @property
    def resolution(self) -> float:
        """NEST's step (ms)."""
        return self.plan.resolution


def to_nest(net: Network, inputs: InputsLike | None = None, *, resolution: float | None = None,
            threads: int = 1) -> NestNodes:
    """Build ``net`` with ``inputs`` in NEST's current kernel (reset first); return the nodes by evsim name.

    Each IF/LIF neuron becomes an ``iaf_psc_delta_ps`` node (in a discrete
    network an ``iaf_psc_delta`` node at resolution ``dt``), each input a
    ``spike_generator`` (with ``precise_times`` in continuous time; analog
    values as its ``spike_weights``), each synapse a ``static_synapse`` with evsim's weight
    (mV) and delay (ms), connected in evsim's row order. The mapping, and
    everything it refuses, is :mod:`evsim.nest.mapping`; :func:`simulate`
    runs the result.

    Parameters
    ----------
    net : Network
        The network: ``Input``, ``IF`` and ``LIF`` neurons, as :mod:`evsim.nest.mapping` accepts them.
    inputs : mapping, optional
        ``{input neuron name: spike times (ms)}``, a train also as an ``Analog`` of times and values, as
        :func:`evsim.simulate` takes them; default none.
    resolution : float, optional
        NEST's step (ms, whole µs; default: the largest step dividing every delay and refractory period); a
        discrete network runs at its ``dt``.
    threads : int, optional
        NEST's ``local_num_threads`` (``>= 1``); default 1.

    Returns
    -------
    NestNodes
        The nodes by evsim name, with the ids and the plan.

    Raises
    ------
    ValidationError
        A construct NEST cannot run as evsim does (named, with the fix), a
        bad argument, or NEST missing.
    SchedulingError
        An input time before 0.

    Examples
    --------
    >>> import evsim
    >>> from evsim.nest import to_nest
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.LIF(tau=10.0, threshold=1.0, reset="zero")},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)])
    >>> nodes = to_nest(net, {"x": [1, 2]})       # doctest: +SKIP
    >>> nodes["y"].get("V_th")                    # doctest: +SKIP
    1.0

    What NEST cannot run is refused before NEST is imported:

    >>> to_nest(evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)}, [evsim.Synapse("x", "y", 0.6, 1.0)]))
    Traceback (most recent call last):
    ...
    evsim.errors.ValidationError: to_nest: neuron 'y' (IF) has reset='subtract'; NEST's iaf_psc_delta only resets ...
    """
    threads = check.integer("threads", threads, owner="to_nest", minimum=1)
    plan = nest_plan(net, inputs, resolution, owner="to_nest")
    nest = load_nest()
    nest.ResetKernel()
    if hasattr(nest, "VerbosityLevel"):
        nest.verbosity = nest.VerbosityLevel.ERROR
    nest.set(resolution=plan.resolution, local_num_threads=threads)
    ids = np.zeros(len(net.names), np.int64)
    if plan.neurons.size:
        params = {key: float(v[0]) if np.all(v == v[0]) else v.tolist() for key, v in plan.parameters.items()}
        ids[plan.neurons] = _ids(nest.Create(plan.model, int(plan.neurons.size), params=params))
    if plan.inputs.size:
        generators = nest.Create("spike_generator", int(plan.inputs.size),
                                 params=[_generator(times, values, plan.precise) for times, values in plan.trains])
        ids[plan.inputs] = _ids(generators)
    if plan.source.size:
        nest.Connect(ids[plan.source], ids[plan.target], "one_to_one",
                     syn_spec={"weight": plan.weight, "delay": plan.delay})
    return NestNodes(nest, net.names, ids, plan)


def _ids(created) -> np.ndarray:
    """The node ids of one ``nest.Create`` call: consecutive."""
    first, last = created[0].global_id, created[-1].global_id
    assert last - first + 1 == len(created)
    return np.arange(first, last + 1, dtype=np.int64)


def _generator(times: np.ndarray, values: np.ndarray | None, precise: bool) -> dict:
    params = {"precise_times": precise, "spike_times": times.tolist()}
    if values is not None:
        params["spike_weights"] = values.tolist()  # NEST multiplies the synapse's weight by it, as evsim does
    return params


def simulate(net: Network, inputs: InputsLike | None = None, until: float = 0.0, *, threads: int = 1,
             resolution: float | None = None, recorded: Iterable[str] | None = None) -> SpikeRecord:
    """Run ``net`` in NEST from time 0 until ``until`` ms (exclusive); the :class:`SpikeRecord` evsim would give.

    The network is built by :func:`to_nest`; NEST runs to the first step end
    at or after ``until`` and the spikes before ``until`` are kept, with the
    input spikes as fed, ordered by ``(time, rank, neuron)`` as evsim's
    record. Spike times are NEST's (``stamp − offset``, within about 1e-13 ms
    of evsim's on the networks the mapping accepts; a discrete network's
    steps exactly, one step off NEST's stamps).

    Parameters
    ----------
    net : Network
        The network: ``Input``, ``IF`` and ``LIF`` neurons, as :mod:`evsim.nest.mapping` accepts them.
    inputs : mapping, optional
        ``{input neuron name: spike times (ms)}``, a train also as an ``Analog`` of times and values, as
        :func:`evsim.simulate` takes them; default none.
    until : float, optional
        End of the run (ms, exclusive), ``>= 0`` and below :data:`~evsim.nest.mapping.SINGLE_SPIKE_HOLD`
        (1e9 ms); default 0.
    threads : int, optional
        NEST's ``local_num_threads`` (``>= 1``); default 1.
    resolution : float, optional
        NEST's step (ms), as for :func:`to_nest`.
    recorded : str or iterable of str, optional
        ``recorded`` keeps only those neurons' spikes (input neurons' included); default ``None``, every
        neuron.

    Returns
    -------
    SpikeRecord
        The spikes, with input spikes as fed, as evsim's event engine records them (no potentials).

    Raises
    ------
    ValidationError
        ``until`` refused, ``recorded`` naming something that is not a neuron of ``net``, anything
        :func:`to_nest` refuses, or more than one MPI process.
    SchedulingError
        An input time before 0.

    Examples
    --------
    >>> import evsim
    >>> from evsim import nest
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.LIF(tau=10.0, threshold=1.0, reset="zero")},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)])
    >>> evsim.simulate(net, {"x": [1, 2]}, until=5).trains()["y"].tolist()     # evsim's event engine
    [3.0]
    >>> nest.simulate(net, {"x": [1, 2]}, until=5).trains()["y"].tolist()      # doctest: +SKIP
    [3.0]
    """
    until = check.real("until", until, owner="simulate(engine='nest')", minimum=0)
    if until >= SINGLE_SPIKE_HOLD:
        raise check.refuse("simulate(engine='nest')", "until", f"below {SINGLE_SPIKE_HOLD:g} ms (a single-spike "
                           f"neuron is held refractory that long in NEST)", until)
    if recorded is not None:
        recorded = check.name_set("recorded", recorded, owner="simulate")
        for name in recorded:
            net.index(name)
    nodes = to_nest(net, inputs, resolution=resolution, threads=threads)
    nest, plan = nodes._nest, nodes.plan
    if nest.NumProcesses() > 1:
        raise ValidationError(
            f"simulate(engine='nest') runs in one of {nest.NumProcesses()} MPI processes, which records only its own "
            f"neurons' spikes; under mpirun use to_nest(net, inputs) and NEST's own recording (a spike_recorder with "
            f"record_to='ascii' writes one file per process), or run without MPI")
    kept = np.ones(len(net.names), bool) if recorded is None else np.isin(net.names, recorded)
    record_ids = np.sort(nodes.ids[plan.neurons[kept[plan.neurons]]])
    neuron, time = _run(nest, record_ids, nodes.ids, plan, until)
    if not plan.precise:  # NEST stamps the spike of evsim's step k at step k + 1
        time = net.grid.ms(time - 1)
    fed_neuron, fed_time, fed_value = plan.fed
    fed = kept[fed_neuron] & (fed_time < until)
    neuron = np.concatenate([neuron, fed_neuron[fed]])
    value = np.concatenate([np.ones(time.size), fed_value[fed]])
    time = np.concatenate([time, fed_time[fed]])
    rank = compile_network(net).rank
    order = np.lexsort((neuron, rank[neuron], time))
    return SpikeRecord(net.names, neuron[order], time[order], value[order], {}, None, recorded,
                       tuple(name for name in net.names if name in net.inputs))


def _run(nest, record_ids: np.ndarray, ids: np.ndarray, plan: NestPlan, until: float):
    """Simulate to the step end at or after ``until``; the recorded neurons and their spike times.

    In continuous time the times are NEST's (ms), those before ``until``; on
    NEST's grid they are the steps NEST stamped (whole numbers), those of
    evsim's steps ``k`` with ``k·h < until``.
    """
    h = plan.resolution
    steps = math.ceil(round(until / h, 9))
    if record_ids.size:
        recorder = nest.Create("spike_recorder", params={"time_in_steps": not plan.precise})
        nest.Connect(nest.NodeCollection(record_ids.tolist()), recorder)
    if steps:
        nest.Simulate(steps * h)
    if not record_ids.size:
        return np.zeros(0, np.int64), np.zeros(0)
    events = recorder.get("events")
    senders, times = np.asarray(events["senders"], np.int64), np.asarray(events["times"], float)
    before = times < until if plan.precise else times <= steps
    index_of = np.full(int(ids.max()) + 1, -1, np.int64)
    index_of[ids] = np.arange(ids.size)
    return index_of[senders[before]], times[before]
