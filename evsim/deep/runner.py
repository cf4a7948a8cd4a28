"""The vectorised clock-driven runner for converted nets, over ``(batch, neurons)`` arrays.

Each step ``t`` and spiking layer ``l`` (the same maths as the event engine,
through :func:`evsim.neurons.drift` and :func:`evsim.neurons.apply_reset`)::

    I   = W_l · x_{l−1}(t)              (the layer's affine group, bias left out)
    m   = drift(v, 1, 0, b_l) + I       (= (v + b_l) + I)
    s   = m >= θ_l;  v = m − s·θ_l;  x_l(t) = s·θ_l

The output accumulator adds ``W·x + b`` to the logits every step. With the
analog input (the same ``x`` every step) the first layer's ``W·x`` is computed
once. Synaptic operations are counted exactly: every spike of a neuron costs
one accumulate per nonzero weight out of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evsim import encoding as encoding_module
from evsim.deep.convert import SpikingNet, linear_part
from evsim.errors import ValidationError
from evsim.neurons import apply_reset, drift

__all__ = ["RunResult", "run", "encode_batch", "fan_out"]

ENCODINGS = ("analog", "rate", "ttfs", "hybrid")


@dataclass(frozen=True, eq=False)
class RunResult:
    """What :func:`run` measured.

    Attributes
    ----------
    logits : (steps, batch, classes) cumulative output after each step
    predictions : (steps, batch) argmax of the cumulative logits
    accuracy : (steps,) accuracy after each step (None without labels)
    spike_counts : (steps, spiking layers) spikes summed over batch and neurons
    synops : (steps, spiking layers + 1) accumulates triggered by spikes into each layer
    spikes : list of (steps, batch, neurons) bool arrays per spiking layer, if recorded
    """

    logits: np.ndarray
    predictions: np.ndarray
    accuracy: np.ndarray | None
    spike_counts: np.ndarray
    synops: np.ndarray
    spikes: list | None


def fan_out(layer_ops, input_shape) -> np.ndarray:
    """Nonzero weights out of each input element of an affine group (flat, C order)."""
    n = int(np.prod(input_shape))
    basis = np.eye(n).reshape((n, *input_shape))
    return np.count_nonzero(linear_part(layer_ops, basis).reshape(n, -1), axis=1)


def encode_batch(x: np.ndarray, steps: int, encoding: str, rng) -> np.ndarray:
    """``(steps, batch, *shape)`` input values for an encoding (analog: ``x`` every step)."""
    if encoding == "analog":
        return np.broadcast_to(x, (steps, *x.shape))
    if encoding == "rate":
        return encoding_module.rate(x, steps, rng=rng).array
    if encoding == "ttfs":
        return encoding_module.ttfs(x, steps).array
    if encoding == "hybrid":
        return encoding_module.hybrid(x, steps).array
    raise ValidationError(f"encoding must be one of {ENCODINGS}, got {encoding!r}")


def _check(snn: SpikingNet, x: np.ndarray, steps) -> None:
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValidationError(f"steps must be a whole number >= 1, got {steps!r}")
    if tuple(x.shape[1:]) != tuple(snn.input_shape):
        raise ValidationError(f"input shape {x.shape[1:]} does not match the network's {snn.input_shape}")
    if not np.isfinite(x).all():
        raise ValidationError("input contains NaN or infinite values")


def run(snn: SpikingNet, x: np.ndarray, steps: int, *, encoding: str = "analog", labels: np.ndarray | None = None,
        rng=None, chunk: int = 1000, record_spikes: bool = False) -> RunResult:
    """Run a converted net on a batch for ``steps`` steps, in chunks of ``chunk`` samples."""
    if not isinstance(snn, SpikingNet):
        raise ValidationError(f"run takes a SpikingNet (from convert), got {type(snn).__name__}")
    x = np.asarray(x, snn.dtype)
    _check(snn, x, steps)
    rng = np.random.default_rng(rng)
    parts = [_run_chunk(snn, x[i:i + chunk], steps, encoding, rng, record_spikes) for i in range(0, len(x), chunk)]
    logits = np.concatenate([p[0] for p in parts], axis=1)
    predictions = logits.argmax(axis=2)
    accuracy = None if labels is None else (predictions == np.asarray(labels)[None, :]).mean(axis=1)
    spikes = [np.concatenate([p[3][k] for p in parts], axis=1) for k in range(len(parts[0][3]))] if record_spikes else None
    return RunResult(logits, predictions, accuracy, sum(p[1] for p in parts), sum(p[2] for p in parts), spikes)


def _run_chunk(snn: SpikingNet, x: np.ndarray, steps: int, encoding: str, rng, record: bool):
    layers = snn.layers
    inputs = encode_batch(x, steps, encoding, rng).astype(snn.dtype, copy=False)
    v = [np.broadcast_to(layer.v_init, (len(x), *layer.output_shape)).copy() for layer in layers]
    fanouts = [fan_out(layer.ops, layer.input_shape) for layer in layers]
    n_spiking = sum(layer.spiking for layer in layers)
    logits = np.zeros((steps, len(x), layers[-1].size), snn.dtype)
    counts, synops = np.zeros((steps, n_spiking)), np.zeros((steps, n_spiking + 1))
    recorded = [np.zeros((steps, len(x), layer.size), bool) for layer in layers if layer.spiking] if record else []
    first_current = linear_part(layers[0].ops, x) if encoding == "analog" else None
    total = np.zeros((len(x), layers[-1].size), snn.dtype)
    input_active = np.count_nonzero(inputs.reshape(steps, len(x), -1), axis=1)  # (steps, inputs)
    for t in range(steps):
        previous, active = inputs[t], input_active[t]
        for k, layer in enumerate(layers):
            current = first_current if (k == 0 and first_current is not None) else linear_part(layer.ops, previous)
            synops[t, k] = active @ fanouts[k]
            if not layer.spiking:
                total = total + (current + layer.bias)
                logits[t] = total
                break
            m = drift(v[k], 1.0, 0.0, layer.bias) + current
            fired = m >= layer.theta
            v[k] = apply_reset(m, fired, layer.theta, np.nan)
            previous = fired * snn.dtype(layer.theta)
            active = fired.reshape(len(x), -1).sum(axis=0)
            counts[t, k] = active.sum()
            if record:
                recorded[k][t] = fired.reshape(len(x), -1)
    return logits, counts, synops, recorded
