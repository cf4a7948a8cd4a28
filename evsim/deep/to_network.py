"""Expand a small converted net into an event-driven :class:`~evsim.network.Network`.

Neurons: ``in{i}`` (Input, flattened), ``L{k}_{j}`` (IF with the layer's θ,
reset, ``v_init`` and per-neuron bias; a LIF of the layer's ``beta``
where it is below 1 — at ``beta = 0`` a LIF whose ``τ`` is so short that
``exp(−1/τ)`` is 0; a CubaLIF of ``synapse_beta`` and ``beta``, the bias its
``i_bias``, in a current-based layer), ``out{j}`` (the accumulator: an
IF whose threshold can never be reached, so its potential after step ``t``
is the cumulative logit). Synapses have zero delay, so one step runs layer by
layer through the ranks; a spike of layer ``k−1`` carries ``θ_{k−1}``, folded
into the synapse weight ``W_ij · θ_{k−1}``. Feed inputs with the event view of
the encoding (analog input: one analog event per element per step).
"""

from __future__ import annotations

import math

import numpy as np

from evsim.deep import checks
from evsim.deep.convert import SpikingNet
from evsim.deep.matrix import BLOCK_BYTES, fan_out, matrix_blocks
from evsim.inputs import Analog
from evsim.network import Network, require_network_budget
from evsim.neurons import IF, LIF, CubaLIF, Input
from evsim.record import SpikeRecord
from evsim.validation import flag, integer, real_array, refuse

__all__ = ["to_network", "network_inputs", "layer_spikes", "UNREACHABLE"]

UNREACHABLE = float(np.finfo(float).max)


def to_network(snn: SpikingNet, *, single_spike: bool = False) -> Network:
    """The event-driven network of ``snn`` (see the module docstring).

    The synapses are counted first (:func:`~evsim.deep.matrix.fan_out`, no
    matrix built) and a network above the memory limit is refused before
    anything is built (:class:`~evsim.errors.LimitError`); then each layer's
    matrix is read a block of rows at a time.

    Parameters
    ----------
    snn : SpikingNet
        The net; keep it small (one neuron per element, one synapse per nonzero weight).
    single_spike : bool, optional
        Every hidden neuron fires at most once (the neurons' own ``single_spike``),
        as :func:`evsim.deep.run` with ``single_spike=True``. Default False.

    Returns
    -------
    Network
        Neurons ``in{i}``, ``L{k}_{j}`` and ``out{j}`` (the outputs), zero-delay
        synapses, ``dt = 1`` ms: step ``t`` of the runner is time ``t``.

    Raises
    ------
    ValidationError
        ``snn`` is not a SpikingNet or ``single_spike`` not a bool; ``single_spike``
        with a current-based layer; or a layer's ``beta`` or ``synapse_beta`` that
        no ``τ`` gives exactly as the engine's ``exp(−1/τ)``.
    LimitError
        The network would exceed the memory limit (``evsim.limits``).

    Examples
    --------
    >>> from evsim.deep import spiking_mlp, to_network
    >>> network = to_network(spiking_mlp([2, 3, 2], seed=0))
    >>> list(network.neurons), sorted(network.outputs)
    (['in0', 'in1', 'L0_0', 'L0_1', 'L0_2', 'out0', 'out1'], ['out0', 'out1'])
    """
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet (from deep.convert)", owner="to_network")
    single_spike = flag("single_spike", single_spike, owner="to_network")
    n_in = int(np.prod(snn.input_shape))
    n_neurons = n_in + sum(layer.size for layer in snn.layers)
    n_synapses = sum(int(fan_out(layer.ops, layer.input_shape).sum()) for layer in snn.layers)
    require_network_budget("to_network", n_neurons, n_synapses, extra_bytes=2 * BLOCK_BYTES)
    names = [f"in{i}" for i in range(n_in)]
    neurons = {name: Input() for name in names}
    sources, targets, weights = [], [], []
    previous, scale = np.arange(n_in), 1.0
    for k, layer in enumerate(snn.layers):
        prefix = f"L{k}_" if layer.spiking else "out"
        start = len(names)
        for j in range(layer.size):
            name = f"{prefix}{j}"
            names.append(name)
            threshold = layer.theta if layer.spiking else UNREACHABLE
            neurons[name] = _neuron(layer, threshold=threshold, v_init=float(layer.v_init.reshape(-1)[j]),
                                    bias=float(layer.bias.reshape(-1)[j]), reset=layer.reset,
                                    single_spike=single_spike and layer.spiking)
        for first, block in matrix_blocks(layer.ops, layer.input_shape):
            block = block * scale
            rows, cols = np.nonzero(block)
            sources.append(previous[first + rows])
            targets.append(start + cols)
            weights.append(block[rows, cols])
        previous = start + np.arange(layer.size)
        scale = layer.theta if layer.spiking else 1.0
    table = {"source": np.concatenate(sources), "target": np.concatenate(targets),
             "weight": np.concatenate(weights), "delay": np.zeros(sum(map(len, sources)))}
    outputs = {name for name in names if name.startswith("out")}
    return Network(neurons, table, outputs=outputs, dt=1.0)


def _neuron(layer, **params):
    """The event engine's model of one neuron of ``layer``: the same update (docs of SpikingLayer)."""
    if layer.current_based:  # the bias feeds the current
        if params.pop("single_spike"):
            raise refuse("to_network", "single_spike with a current-based layer", "False: the event engine's "
                         "CubaLIF has no single-spike option (nor do snnTorch's Synaptic and NIR's CubaLIF)", True)
        params["i_bias"] = params.pop("bias")
        model = CubaLIF.from_betas(layer.synapse_beta, layer.beta, **params)
        decays = model.betas(1.0)
        wanted = (layer.synapse_beta, layer.beta)
    elif layer.beta == 1.0:
        return IF(**params)
    else:
        model = LIF.from_beta(layer.beta, **params)
        decays, wanted = (math.exp(-1.0 / model.tau),), (layer.beta,)
    if decays != wanted:  # (the engine's decay is exp(−dt/τ), dt = 1)
        raise refuse("to_network", "a layer's beta and synapse_beta", "decays that some τ gives exactly as "
                     "exp(−1/τ) in floating point (the event engine's), e.g. 0.5, 0.75, 0.9", wanted)
    return model


def network_inputs(values: np.ndarray) -> dict:
    """Event-view inputs for one sample: ``values`` is ``(steps, *input_shape)`` (0 entries skipped).

    Parameters
    ----------
    values : ndarray
        ``(steps, *input_shape)`` finite values of one sample, e.g. ``encode_batch(...)[:, i]``
        (:func:`evsim.deep.runner.encode_batch`), or analog ``x[i]`` repeated every step.

    Returns
    -------
    dict
        ``{"in{i}": Analog(times, values)}`` for each flattened element ``i``
        with a nonzero value: one event at each step ``t`` where it is nonzero
        (time ``t`` ms), with that value. An element that is 0 at every step has no entry.

    Raises
    ------
    ValidationError
        ``values`` is not a non-empty array of finite real numbers with at least two dimensions.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import network_inputs
    >>> network_inputs(np.array([[0.0, 1.0], [0.5, 0.0], [0.0, 0.0]]))  # 3 steps of 2 inputs
    {'in0': Analog(times=[1.0], values=[0.5]), 'in1': Analog(times=[0.0], values=[1.0])}
    """
    values = real_array("values", values, owner="network_inputs", allow_empty=False)
    if values.ndim < 2:
        raise refuse("network_inputs", f"values (shape {values.shape})", "an array (steps, *input_shape)",
                     checks.Said(f"{values.ndim} dimension(s)"))
    flat = values.reshape(values.shape[0], -1)
    out = {}
    for i in range(flat.shape[1]):
        steps = np.flatnonzero(flat[:, i])
        if steps.size:
            out[f"in{i}"] = Analog(steps.astype(float).tolist(), flat[steps, i].tolist())
    return out


def layer_spikes(record: SpikeRecord, snn: SpikingNet, steps: int) -> list[np.ndarray]:
    """The engine's spikes of one sample as the runner records them: per spiking layer, ``(steps, neurons)`` bools.

    Compare with :attr:`RunResult.spikes <evsim.deep.runner.RunResult>`
    ``[k][:, sample]``.

    Parameters
    ----------
    record : SpikeRecord
        A run of :func:`to_network` ``(snn)`` until ``steps``; neuron
        ``L{k}_{j}`` is entry ``j`` of layer ``k`` (the inverse of its naming).
    snn : SpikingNet
        The net the network was made from.
    steps : int
        The steps the run covered (``>= 1``).

    Returns
    -------
    list of ndarray
        Per spiking layer, ``(steps, neurons)`` bools: whether neuron ``j`` fired at step ``t``.

    Raises
    ------
    ValidationError
        ``record`` is not a SpikeRecord or lacks a neuron ``L{k}_{j}`` of ``snn``, ``snn`` is not a
        SpikingNet, ``steps`` not an integer ``>= 1``, or the record holds a spike at a time ``>= steps``
        (it ran longer than ``steps``).

    Examples
    --------
    >>> import numpy as np, evsim
    >>> from evsim.deep import layer_spikes, network_inputs, run, spiking_mlp, to_network
    >>> snn, x = spiking_mlp([2, 3, 2], seed=0), np.array([[0.5, 1.0]])  # analog x: the same values every step
    >>> record = evsim.simulate(to_network(snn), network_inputs(np.repeat(x, 4, axis=0)), until=4)
    >>> hidden = layer_spikes(record, snn, 4)[0]
    >>> hidden.astype(int).tolist(), bool((hidden == run(snn, x, 4, record_spikes=True).spikes[0][:, 0]).all())
    ([[0, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 0]], True)
    """
    checks.instance("record", record, SpikeRecord, accepted="a SpikeRecord (from simulate)", owner="layer_spikes")
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet", owner="layer_spikes")
    steps = integer("steps", steps, owner="layer_spikes", minimum=1)
    trains = record.trains()
    layers = []
    for k, layer in enumerate(layer for layer in snn.layers if layer.spiking):
        spikes = np.zeros((steps, layer.size), bool)
        for j in range(layer.size):
            name = f"L{k}_{j}"
            if name not in trains:
                raise refuse("layer_spikes", "record", f"a run of to_network(snn), which has neuron {name!r}",
                             checks.Said(f"a record without {name!r}"))
            times = trains[name]
            if times.size and times[-1] >= steps:
                raise refuse("layer_spikes", "steps", f"more than the last spike's step ({times[-1]!r} ms, of "
                             f"{name!r}): the record runs longer than steps", steps)
            spikes[times.astype(int), j] = True
        layers.append(spikes)
    return layers
