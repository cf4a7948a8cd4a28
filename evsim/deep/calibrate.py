"""IC-SNN Algorithm 2 as evsim defines it: initial potentials calibrated on training data.

For a target number of steps ``T``, layer by layer (earlier layers already
calibrated), starting from ``v(0) = θ/2``, each neuron ``j`` is corrected
``iterations`` times. The correction is

    Δ_j = −T · (mean_x θ·N_j/T − mean_x a_j)

where ``N_j`` is its spike count over ``T`` steps of analog input and ``a_j``
the ANN's activation, averaged over the calibration inputs: raising ``v(0)``
by ``δ`` raises the rate ``θ·N/T`` by about ``δ/T`` (the rate identity), so a
full step drives the neuron's mean rate error towards zero. Each iteration
tries ``v_j(0) + s·Δ_j`` for ``s ∈ {0, ¼, ½, 1}`` (clipped to ``[0, θ)``) and
keeps, per neuron, the one with the smallest mean absolute error
``mean_x |θ·N_j/T − a_j|`` — neurons of one layer do not interact, so the
choice is per neuron, and on the calibration data no layer ends worse than
``θ/2`` would leave it, given the calibrated layers before it.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from evsim.deep.convert import SpikingNet
from evsim.deep.layers import ACTIVATIONS, Sequential
from evsim.deep.runner import run

__all__ = ["ann_activations", "snn_rates", "layer_errors", "calibrate"]


def ann_activations(ann: Sequential, x: np.ndarray) -> list[np.ndarray]:
    """The ANN's output after each activation layer, flattened per sample."""
    out = []
    for layer in ann.layers:
        x = layer.forward(x)
        if isinstance(layer, ACTIVATIONS):
            out.append(x.reshape(len(x), -1))
    return out


def snn_rates(snn: SpikingNet, x: np.ndarray, steps: int) -> list[np.ndarray]:
    """``θ·N/T`` of every spiking neuron, per sample: ``(batch, neurons)`` per layer."""
    result = run(snn, x, steps, record_spikes=True)
    thetas = snn.thresholds
    return [theta * spikes.sum(axis=0) / steps for theta, spikes in zip(thetas, result.spikes)]


def layer_errors(snn: SpikingNet, ann: Sequential, x: np.ndarray, steps: int) -> np.ndarray:
    """Mean absolute activation error ``|θ·N/T − a|`` of each spiking layer, over samples and neurons."""
    return np.array([np.abs(r - a).mean() for r, a in zip(snn_rates(snn, x, steps), ann_activations(ann, x))])


def _with_v_init(snn: SpikingNet, k: int, v0: np.ndarray) -> SpikingNet:
    layers = list(snn.layers)
    layers[k] = dataclasses.replace(layers[k], v_init=v0.reshape(layers[k].output_shape).astype(snn.dtype))
    return dataclasses.replace(snn, layers=tuple(layers))


def calibrate(snn: SpikingNet, ann: Sequential, x: np.ndarray, steps: int, iterations: int = 3) -> SpikingNet:
    """``snn`` with per-neuron initial potentials calibrated for ``steps`` (see the module docstring)."""
    activations = ann_activations(ann, x)
    spiking = [k for k, layer in enumerate(snn.layers) if layer.spiking]
    for position, k in enumerate(spiking):
        theta, target = snn.layers[k].theta, activations[position]
        v0 = np.full(snn.layers[k].size, theta / 2)
        ceiling = np.nextafter(theta, 0.0)
        for _ in range(iterations):
            rates = {}
            for scale in (0.0, 0.25, 0.5, 1.0):
                if scale == 0.0:
                    candidate = v0
                else:
                    candidate = np.clip(v0 - scale * steps * (rates[0.0].mean(axis=0) - target.mean(axis=0)), 0.0, ceiling)
                rates[scale] = snn_rates(_with_v_init(snn, k, candidate), x, steps)[position]
                if scale == 0.0:
                    best_v, best_err = v0.copy(), np.abs(rates[0.0] - target).mean(axis=0)
                    continue
                err = np.abs(rates[scale] - target).mean(axis=0)
                better = err < best_err
                best_v[better], best_err[better] = candidate[better], err[better]
            v0 = best_v
        snn = _with_v_init(snn, k, v0)
    return dataclasses.replace(snn, v_init_rule=f"calibrated(T={steps})")
