"""Expand a small converted net into an event-driven :class:`~evsim.network.Network`.

Neurons: ``in{i}`` (Input, flattened), ``L{k}_{j}`` (IF with the layer's θ,
soft reset, ``v_init`` and per-neuron bias), ``out{j}`` (the accumulator: an
IF whose threshold can never be reached, so its potential after step ``t``
is the cumulative logit). Synapses have zero delay, so one step runs layer by
layer through the ranks; a spike of layer ``k−1`` carries ``θ_{k−1}``, folded
into the synapse weight ``W_ij · θ_{k−1}``. Feed inputs with the event view of
the encoding (analog input: one analog event per element per step).
"""

from __future__ import annotations

import numpy as np

from evsim.inputs import Analog

from evsim.deep.convert import SpikingNet, linear_part
from evsim.errors import ValidationError
from evsim.network import Network
from evsim.neurons import IF, Input

__all__ = ["to_network", "network_inputs", "UNREACHABLE"]

UNREACHABLE = float(np.finfo(float).max)
MAX_SYNAPSES = 2_000_000


def _matrix(layer) -> np.ndarray:
    n = int(np.prod(layer.input_shape))
    basis = np.eye(n).reshape((n, *layer.input_shape))
    return linear_part(layer.ops, basis).reshape(n, -1)


def to_network(snn: SpikingNet) -> Network:
    """The event-driven network of ``snn`` (see the module docstring)."""
    n_in = int(np.prod(snn.input_shape))
    names = [f"in{i}" for i in range(n_in)]
    neurons = {name: Input() for name in names}
    sources, targets, weights = [], [], []
    previous, scale = np.arange(n_in), 1.0
    for k, layer in enumerate(snn.layers):
        matrix = _matrix(layer) * scale
        rows, cols = np.nonzero(matrix)
        if rows.size + sum(map(len, sources)) > MAX_SYNAPSES:
            raise ValidationError(f"to_network is for small nets: layer {k} would bring the synapses past "
                                  f"{MAX_SYNAPSES:,}; run big nets with deep.run")
        prefix = f"L{k}_" if layer.spiking else "out"
        start = len(names)
        for j in range(layer.size):
            name = f"{prefix}{j}"
            names.append(name)
            threshold = layer.theta if layer.spiking else UNREACHABLE
            neurons[name] = IF(threshold=threshold, v_init=float(layer.v_init.reshape(-1)[j]),
                               bias=float(layer.bias.reshape(-1)[j]))
        sources.append(previous[rows])
        targets.append(start + cols)
        weights.append(matrix[rows, cols])
        previous = start + np.arange(layer.size)
        scale = layer.theta if layer.spiking else 1.0
    table = {"source": np.concatenate(sources), "target": np.concatenate(targets),
             "weight": np.concatenate(weights), "delay": np.zeros(sum(map(len, sources)))}
    outputs = {name for name in names if name.startswith("out")}
    return Network(neurons, table, outputs=outputs, dt=1.0)


def network_inputs(values: np.ndarray) -> dict:
    """Event-view inputs for one sample: ``values`` is ``(steps, *input_shape)`` (0 entries skipped)."""
    flat = np.asarray(values, float).reshape(values.shape[0], -1)
    out = {}
    for i in range(flat.shape[1]):
        steps = np.flatnonzero(flat[:, i])
        if steps.size:
            out[f"in{i}"] = Analog(steps.astype(float).tolist(), flat[steps, i].tolist())
    return out
