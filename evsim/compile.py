"""Compile a :class:`~evsim.network.Network` into a :class:`Plan` of flat arrays.

The plan is what the simulator runs: neuron kinds and parameters as arrays
indexed like ``net.names``, outgoing synapses in CSR form sorted by
``(source, delay, synapse row)``, zero-delay ranks, and the *lookahead* —
the smallest positive delay out of any non-input neuron. Times inside a plan
are in *units*: steps for a discrete network (so every time is an integer
count, converted to ms as ``k * dt``), ms for a continuous one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evsim.network import Network
from evsim.neurons import IF, LIF, Input, Stochastic, Threshold, firing_probability

__all__ = ["Plan", "compile_network", "INPUT", "INTEGRATOR", "STOCHASTIC"]

INPUT, INTEGRATOR, STOCHASTIC = 0, 1, 2


@dataclass(frozen=True, eq=False)
class Plan:
    """Flat arrays for one network; see the module docstring."""

    net: Network
    unit: float  # ms per time unit (dt, or 1.0 in continuous time)
    kind: np.ndarray
    rank: np.ndarray
    # integrate-and-fire parameters (meaningful where kind == INTEGRATOR)
    theta: np.ndarray
    v_rest: np.ndarray
    bias: np.ndarray
    tau: np.ndarray  # ms (continuous)
    beta: np.ndarray  # per-step decay (discrete)
    reset_to: np.ndarray  # NaN = subtract
    refractory: np.ndarray  # units
    single_spike: np.ndarray
    v_init: np.ndarray
    # Lynch–Musco parameters (meaningful where kind == STOCHASTIC)
    temperature: np.ndarray
    initial: np.ndarray
    p_spontaneous: np.ndarray
    # CSR fan-out
    out_ptr: np.ndarray
    out_target: np.ndarray
    out_weight: np.ndarray
    out_delay: np.ndarray  # units
    out_row: np.ndarray  # row in net.table: fixes the summation order
    lookahead: float  # units

    @property
    def discrete(self) -> bool:
        return self.net.dt is not None

    @property
    def size(self) -> int:
        return int(self.kind.size)


def compile_network(net: Network) -> Plan:
    """Build the :class:`Plan` of ``net``."""
    unit = net.dt if net.dt is not None else 1.0
    models = list(net.neurons.values())
    kind = np.array([_kind(m) for m in models], np.int8)
    params = _parameters(models, unit, net.dt)
    table = net.table
    delay = table.delay / unit
    if net.dt is not None:
        delay = np.round(delay)
    order = np.lexsort((np.arange(len(table)), delay, table.source))
    out_ptr = np.searchsorted(table.source[order], np.arange(kind.size + 1))
    lookahead = _lookahead(kind, table.source, delay)
    if (kind == STOCHASTIC).any():
        lookahead = min(lookahead, 1.0)
    return Plan(
        net=net,
        unit=unit,
        kind=kind,
        rank=net.ranks,
        out_ptr=out_ptr,
        out_target=table.target[order],
        out_weight=table.weight[order],
        out_delay=delay[order],
        out_row=order,
        lookahead=lookahead,
        **params,
    )


def _kind(model) -> int:
    if isinstance(model, Input):
        return INPUT
    return INTEGRATOR if isinstance(model, (IF, LIF)) else STOCHASTIC


def _parameters(models, unit: float, dt: float | None) -> dict[str, np.ndarray]:
    def column(get, default=0.0, dtype=float):
        return np.array([get(m) if isinstance(m, (IF, LIF)) else default for m in models], dtype)

    def lm_column(get, default=0.0, dtype=float):
        return np.array([get(m) if isinstance(m, (Stochastic, Threshold)) else default for m in models], dtype)

    tau = column(lambda m: m.tau, math.inf)
    beta = np.exp(-dt / tau) if dt is not None else np.ones_like(tau)
    temperature = lm_column(lambda m: m.temperature, 1.0)
    lm_bias = lm_column(lambda m: m.bias)
    return dict(
        theta=column(lambda m: m.threshold, math.inf),
        v_rest=column(lambda m: m.v_rest),
        bias=column(lambda m: m.bias) + lm_bias,
        tau=tau,
        beta=beta,
        reset_to=column(lambda m: math.nan if m.reset_potential is None else m.reset_potential),
        refractory=np.round(column(lambda m: m.refractory) / unit) if dt is not None else column(lambda m: m.refractory),
        single_spike=column(lambda m: m.single_spike, False, bool),
        v_init=column(lambda m: m.v_init),
        temperature=temperature,
        initial=lm_column(lambda m: m.initial, False, bool),
        p_spontaneous=firing_probability(-lm_bias, temperature),
    )


def _lookahead(kind: np.ndarray, source: np.ndarray, delay: np.ndarray) -> float:
    """Smallest positive delay on a synapse whose source is not an input (inf if none)."""
    internal = (kind[source] != INPUT) & (delay > 0) if source.size else np.zeros(0, bool)
    return float(delay[internal].min()) if internal.any() else math.inf
