"""Compile a :class:`~evsim.network.Network` into a :class:`Plan` of flat arrays.

The plan is what the simulator runs: the time grid, zero-delay ranks, which
population runs which neurons (from the registry :mod:`evsim.kinds`),
outgoing synapses in CSR form sorted by ``(source, delay, synapse row)`` with
delays in whole grid steps, and the *lookahead* — the smallest positive delay
out of any non-input neuron, in steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evsim._arrays import concat_ranges
from evsim.events import Arrivals, Spikes
from evsim.kinds import population_of
from evsim.network import Network
from evsim.timegrid import TimeGrid

__all__ = ["Plan", "compile_network"]


@dataclass(frozen=True, eq=False)
class Plan:
    """Flat arrays for one network; see the module docstring."""

    net: Network
    grid: TimeGrid
    rank: np.ndarray
    is_input: np.ndarray
    groups: tuple  # ((population class, member indices), ...) in registry order of first appearance
    # CSR fan-out
    out_ptr: np.ndarray
    out_count: np.ndarray  # synapses out of each neuron: out_ptr[i + 1] - out_ptr[i]
    out_target: np.ndarray
    out_weight: np.ndarray
    out_delay: np.ndarray  # whole grid steps
    out_row: np.ndarray  # row in net.table: fixes the summation order
    lookahead: float  # whole grid steps (inf: no synapse out of a non-input neuron)

    @property
    def size(self) -> int:
        return int(self.rank.size)

    def fan_out(self, spikes: Spikes, unit: bool = False) -> Arrivals:
        """Every synaptic arrival of ``spikes``, spike by spike in the CSR order.

        A spike at ``(k, f)`` through a synapse of ``d`` steps arrives at
        ``(k + d, f)`` — delays add whole steps, offsets are copied — with
        value ``weight × spike value`` (the value is 1 for a spike, the real
        payload of an analog input event). ``unit``: every value is 1, so the
        value is the weight itself (``1.0 × w == w``) and the product is skipped.
        """
        if not spikes.size:
            return Arrivals.none()
        lo, counts = self.out_ptr[spikes.neuron], self.out_count[spikes.neuron]
        one_each = not np.count_nonzero(counts != 1)  # (an input wired to one neuron: nothing to repeat)
        rows = lo if one_each else concat_ranges(lo, lo + counts)

        def spread(per_spike):
            """A spike's value on each of its synapses."""
            return per_spike if one_each else np.repeat(per_spike, counts)

        weight = self.out_weight[rows]
        return Arrivals(spread(spikes.k) + self.out_delay[rows], spread(spikes.f), self.out_target[rows],
                        weight if unit else spread(spikes.value) * weight, self.out_row[rows])


def compile_network(net: Network) -> Plan:
    """Build the :class:`Plan` of ``net``."""
    grid = net.grid
    populations = [population_of(model) for model in net.neurons.values()]
    is_input = np.array([p is None for p in populations], bool)
    table = net.table
    delay = net.delay_steps
    order = np.lexsort((np.arange(len(table)), delay, table.source))
    out_ptr = np.searchsorted(table.source[order], np.arange(len(populations) + 1))
    return Plan(
        net=net,
        grid=grid,
        rank=net.ranks,
        is_input=is_input,
        groups=_groups(populations),
        out_ptr=out_ptr,
        out_count=np.diff(out_ptr),
        out_target=table.target[order],
        out_weight=table.weight[order],
        out_delay=delay[order],
        out_row=order,
        lookahead=_lookahead(is_input, table.source, delay),
    )


def _groups(populations: list) -> tuple:
    kinds = list(dict.fromkeys(p for p in populations if p is not None))
    return tuple((kind, np.flatnonzero([p is kind for p in populations])) for kind in kinds)


def _lookahead(is_input: np.ndarray, source: np.ndarray, delay: np.ndarray) -> float:
    """Smallest positive delay on a synapse whose source is not an input (inf if none)."""
    internal = ~is_input[source] & (delay > 0) if source.size else np.zeros(0, bool)
    return float(delay[internal].min()) if internal.any() else math.inf
