"""Per-kind state and the vectorised update kernels the simulator calls.

A kernel receives every arrival inside one *window* of time for the neurons
of one rank, plus the neurons whose predicted update falls inside it, and
processes each neuron's own events in time order. Neurons do not interact
inside a window (every synapse between non-input neurons either has zero
delay, which is handled rank by rank, or a delay at least the window's
length), so neurons can be advanced side by side, in *rounds*: round ``k``
handles the ``k``-th event of every neuron at once.

Arrivals at one neuron and one instant are summed in synapse-row order
(:func:`numpy.bincount` adds sequentially) before that neuron updates once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from evsim.compile import INTEGRATOR, STOCHASTIC, Plan
from evsim.neurons import apply_reset, firing_probability

__all__ = ["Arrivals", "Integrators", "LynchMusco", "geometric_wait"]


class Arrivals(NamedTuple):
    """Parallel arrays: arrival time (units), target neuron, value, synapse row."""

    time: np.ndarray
    target: np.ndarray
    value: np.ndarray
    row: np.ndarray

    def take(self, rows) -> "Arrivals":
        return Arrivals(*(a[rows] for a in self))

    @staticmethod
    def concat(chunks) -> "Arrivals":
        chunks = list(chunks)
        if not chunks:
            return Arrivals(np.zeros(0), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))
        if len(chunks) == 1:
            return chunks[0]
        return Arrivals(*(np.concatenate(parts) for parts in zip(*chunks)))


class Instants(NamedTuple):
    """Summed arrivals, one row per (neuron, time), sorted by neuron then time."""

    neuron: np.ndarray
    time: np.ndarray
    total: np.ndarray


def sum_instants(arrivals: Arrivals) -> Instants:
    """Sum arrivals per (target, time) in synapse-row order."""
    by_time = np.argsort(arrivals.time, kind="stable")
    order = by_time[np.argsort(arrivals.target[by_time], kind="stable")]
    target, time = arrivals.target[order], arrivals.time[order]
    first = np.ones(target.size, bool)
    first[1:] = (target[1:] != target[:-1]) | (time[1:] != time[:-1])
    if not first.all():  # simultaneous arrivals at one neuron: fix the summation order
        order = np.lexsort((arrivals.row, arrivals.time, arrivals.target))
        target, time = arrivals.target[order], arrivals.time[order]
    value = arrivals.value[order]
    group = np.cumsum(first) - 1
    total = np.bincount(group, weights=value) if target.size else np.zeros(0)
    return Instants(target[first], time[first], total)


def _runs(sorted_neurons: np.ndarray, extra: np.ndarray):
    """Distinct neurons of ``sorted_neurons`` ∪ ``extra``, with each one's slice ``[start, stop)``."""
    if extra.size:
        neurons = np.union1d(sorted_neurons, extra)
        return neurons, np.searchsorted(sorted_neurons, neurons, "left"), np.searchsorted(sorted_neurons, neurons, "right")
    if sorted_neurons.size == 0:
        return sorted_neurons, sorted_neurons, sorted_neurons
    first = np.flatnonzero(np.concatenate(([True], sorted_neurons[1:] != sorted_neurons[:-1])))
    return sorted_neurons[first], first, np.append(first[1:], sorted_neurons.size)


class Integrators:
    """State of every IF/LIF neuron: potential, anchor, refractory end, predictions."""

    def __init__(self, plan: Plan, clock) -> None:
        self.p, self.clock = plan, clock
        n = plan.size
        self.members = np.flatnonzero(plan.kind == INTEGRATOR)
        self.v = plan.v_init.astype(float).copy()
        self.anchor = np.full(n, clock.initial_anchor)
        self.ref_end = np.full(n, -np.inf)
        self.last_update = np.full(n, -np.inf)
        self.silenced = np.zeros(n, bool)
        self.pred = np.full(n, np.inf)
        self._repredict(self.members)

    def _repredict(self, idx: np.ndarray) -> None:
        """Recompute the next update-without-input of each neuron in ``idx``."""
        v = self.v[idx]
        quiet = self.silenced[idx] | (~self.clock.may_cross[idx] & (v < self.p.theta[idx]))
        self.pred[idx[quiet]] = np.inf
        if not quiet.all():
            work = ~quiet
            self.pred[idx[work]] = self.clock.predict(idx[work], v[work], self.anchor[idx[work]], self.last_update[idx[work]])

    def process(self, arrivals: Arrivals, due: np.ndarray, t0: float, t_end: float, recorder) -> np.ndarray:
        """Run every event of these neurons before ``t_end``; return the neurons touched."""
        inst = sum_instants(arrivals)
        neurons, cursor, stop = _runs(inst.neuron, due)
        touched = neurons
        times = np.append(inst.time, np.inf)  # a sentinel for neurons with no arrival left
        totals = np.append(inst.total, 0.0)
        while neurons.size:
            at = np.where(cursor < stop, cursor, times.size - 1)
            t_arrival = times[at]
            pred = self.pred[neurons]
            forced = pred < t_arrival
            t = np.where(forced, pred, t_arrival)
            live = t < t_end
            if not live.all():
                neurons, cursor, stop, t, forced, at, pred = (
                    a[live] for a in (neurons, cursor, stop, t, forced, at, pred)
                )
                if neurons.size == 0:
                    break
            inputs = np.where(forced, 0.0, totals[at])
            self._update(neurons, t, inputs, forced, pred <= t, recorder)
            cursor = cursor + ~forced
        return touched

    def _update(self, idx, t, inputs, forced, crossing, recorder) -> None:
        """One update of each neuron in ``idx`` at its own time ``t``.

        ``forced``: the update is the neuron's predicted one (no arrivals);
        ``crossing``: its predicted crossing falls at ``t``.
        """
        p = self.p
        blocked = ~forced & ((t < self.ref_end[idx]) | self.silenced[idx])
        if recorder.tracing:
            recorder.deliveries(idx[~forced], t[~forced], inputs[~forced], blocked[~forced])
        if blocked.any():
            go = ~blocked
            idx, t, inputs, crossing = idx[go], t[go], inputs[go], crossing[go]
        m = self.clock.integrate(idx, self.v[idx], self.anchor[idx], t, inputs, crossing)
        fired = m >= p.theta[idx]
        self.v[idx] = m
        self.anchor[idx] = t
        self.last_update[idx] = t
        if fired.any():
            self._fire(idx[fired], t[fired], m[fired])
        self._repredict(idx)
        recorder.updates(idx, t, m, fired, self)

    def _fire(self, idx, t, m) -> None:
        """Reset, start the refractory period, retire single-spike neurons."""
        p = self.p
        self.v[idx] = apply_reset(m, True, p.theta[idx], p.reset_to[idx])
        refractory = p.refractory[idx]
        self.anchor[idx] = self.clock.anchor_after_spike(t, refractory)
        self.ref_end[idx] = t + refractory
        self.silenced[idx] |= p.single_spike[idx]


def geometric_wait(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """Rounds until the first success of independent Bernoulli(p) rounds (>= 1; inf if p = 0).

    Inverse transform: ``max(1, ceil(log1p(-U) / log1p(-p)))`` with ``U ~ U[0, 1)``.
    """
    u = rng.random(p.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = np.maximum(1.0, np.ceil(np.log1p(-u) / np.log1p(-p)))
    return np.where(p > 0, wait, np.inf)


class LynchMusco:
    """State of every Stochastic/Threshold neuron: the round of its next spontaneous firing.

    Round 0 fires the ``initial`` neurons. In a later round a neuron with
    arrivals fires with probability ``sigmoid((I - bias) / temperature)``; a
    neuron without arrivals fires with ``p0 = sigmoid(-bias / temperature)``.
    Picture an independent Bernoulli(p0) coin for every round: the rounds
    without arrivals use their coin, rounds with arrivals ignore it. The next
    spontaneous firing is the first success after the last one consumed, a
    geometric wait, whatever happens in between; so a neuron's key is drawn
    again only when it is consumed — when it pops, or when a round with
    arrivals falls on it — and otherwise never moves.
    """

    def __init__(self, plan: Plan, rng: np.random.Generator) -> None:
        self.p, self.rng = plan, rng
        self.members = np.flatnonzero(plan.kind == STOCHASTIC)
        self.pred = np.full(plan.size, np.inf)
        m = self.members
        self.pred[m] = np.where(plan.initial[m], 0.0, geometric_wait(rng, plan.p_spontaneous[m]))

    def process(self, arrivals: Arrivals, due: np.ndarray, t: float, t_end: float, recorder) -> np.ndarray:
        """Update the neurons with arrivals at round ``t`` or due then; return them."""
        p = self.p
        inst = sum_instants(arrivals)
        neurons = np.union1d(inst.neuron, due)
        if neurons.size == 0:
            return neurons
        times = np.full(neurons.size, t)
        has_input = np.isin(neurons, inst.neuron)
        total = np.zeros(neurons.size)
        total[has_input] = inst.total
        recorder.deliveries(neurons[has_input], times[has_input], inst.total, np.zeros(inst.total.size, bool))
        if t == 0:
            fired = p.initial[neurons].copy()
            chance = fired.astype(float)
        else:
            chance = np.where(has_input, firing_probability(total - p.bias[neurons], p.temperature[neurons]), 1.0)
            fired = np.ones(neurons.size, bool)
            fired[has_input] = self.rng.random(int(has_input.sum())) < chance[has_input]
        consumed = neurons[self.pred[neurons] <= t]
        self.pred[consumed] = t + geometric_wait(self.rng, p.p_spontaneous[consumed])
        recorder.updates(neurons, times, chance, fired, None)
        return neurons
