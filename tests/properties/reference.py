"""Obviously-correct clock-driven references, written without evsim's engine.

They visit every neuron at every step, in zero-delay rank order, and follow
the update rules of ``docs/design.md`` line by line.
"""

from __future__ import annotations

import math

import numpy as np

from evsim import IF, Input, Stochastic, Threshold


def _ranks(net) -> list[int]:
    """Longest zero-delay path depth, by repeated relaxation."""
    rank = [0] * len(net.names)
    for _ in range(len(net.names)):
        for s, t, d in zip(net.table.source, net.table.target, net.table.delay):
            if d == 0:
                rank[t] = max(rank[t], rank[s] + 1)
    return rank


def _input_events(net, inputs, steps):
    fired = np.zeros((steps, len(net.names)), bool)
    payload = np.zeros((steps, len(net.names)))
    for name, train in inputs.items():
        i = net.names.index(name)
        times, values = train if isinstance(train, tuple) else (train, [1.0] * len(train))
        for t, value in zip(times, values):
            k = round(t / net.dt)
            if k < steps:
                fired[k, i], payload[k, i] = True, value
    return fired, payload


def _incoming(net, j, dt):
    """Synapses into neuron j, in table order, as (source, weight, delay in steps)."""
    t = net.table
    return [(int(s), float(w), round(d / dt)) for s, g, w, d in zip(t.source, t.target, t.weight, t.delay) if g == j]


def _arriving(k, rows, fired, payload):
    total = 0.0
    for s, w, d in rows:
        if k - d >= 0 and fired[k - d, s]:
            total += w * payload[k - d, s]
    return total, any(k - d >= 0 and fired[k - d, s] for s, _, d in rows)


def clock_driven(net, inputs, steps: int, rng=None) -> dict[str, list[float]]:
    """Spike times (ms) of every neuron over ``steps`` steps of a discrete network."""
    dt, models = net.dt, list(net.neurons.values())
    fired, payload = _input_events(net, inputs, steps)
    rank = _ranks(net)
    order = sorted((i for i, m in enumerate(models) if not isinstance(m, Input)), key=lambda i: (rank[i], i))
    incoming = {j: _incoming(net, j, dt) for j in order}
    v = {j: getattr(models[j], "v_init", 0.0) for j in order}
    ref_end = {j: -math.inf for j in order}
    silenced = {j: False for j in order}
    for k in range(steps):
        for j in order:
            model = models[j]
            total, any_input = _arriving(k, incoming[j], fired, payload)
            if isinstance(model, (Stochastic, Threshold)):
                fired[k, j] = _lynch_musco_round(model, k, total, rng)
                payload[k, j] = 1.0
                continue
            if silenced[j] or k < ref_end[j]:
                continue
            beta = 1.0 if isinstance(model, IF) else float(np.exp(-dt / model.tau))
            m = (model.v_rest + beta * (v[j] - model.v_rest) + model.bias) + total
            if m >= model.threshold:
                fired[k, j], payload[k, j] = True, 1.0
                v[j] = m - model.threshold if model.reset == "subtract" else model.reset_potential
                ref_end[j] = k + round(model.refractory / dt)
                silenced[j] = model.single_spike
            else:
                v[j] = m
    return {name: [k * dt for k in np.flatnonzero(fired[:, i])] for i, name in enumerate(net.names)}


def _lynch_musco_round(model, k, total, rng) -> bool:
    if k == 0:
        return bool(model.initial)
    pot = total - model.bias
    if isinstance(model, Threshold):
        return pot >= 0
    return bool(rng.random() < 1.0 / (1.0 + math.exp(-pot / model.temperature)))
