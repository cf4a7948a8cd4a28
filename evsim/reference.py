"""Slow, obviously-correct oracles: test your constructions (and evsim's engine) against them.

:func:`simulate` runs a network the most direct way there is, written from the
rules of docs/design.md §2 and nothing of evsim's engine (no scheduler, no
windows, no vectorisation):

* **discrete networks** — a clock-driven loop: at every step ``k``, every
  neuron in zero-delay rank order sums the arrivals at ``k`` in synapse-row
  order and updates (``m = (v_rest + β(v − v_rest) + bias) + I``, fire iff
  ``m >= θ``, reset; a CubaLIF first updates its current,
  ``i = (β_syn·i + i_bias) + I``, and adds ``i`` instead of ``I``),
  Lynch–Musco neurons draw their round;
* **continuous networks** — an exact-time loop, one instant at a time, in
  which every time is an exact rational (:class:`fractions.Fraction`): an
  input time is its float's exact value (one within 8 ulps of a multiple of
  the resolution *is* that multiple), an arrival is spike time + delay added
  exactly, the end of a refractory period is spike time + period exactly;
  between events the potential follows the closed form
  (:func:`evsim.neurons.flow`), and a threshold crossing is
  ``anchor + crossing_time`` (the one float in the loop; the engine's own
  functions, so the two agree on the formulas and differ only in time).

It is slow (pure Python, one neuron and one event at a time) and meant for
small networks. Results are plain lists. For discrete networks the engine
agrees exactly; in continuous time, within the rounding of the crossings
(which both compute in floats; times to about 1e-15 ms)::

    record = evsim.simulate(net, inputs, until)
    oracle = evsim.reference.simulate(net, inputs, until)
    for name, times in oracle.trains.items():
        np.testing.assert_allclose(record.trains()[name], times, rtol=0, atol=1e-9)

The one semantic difference that rounding can make: a crossing that falls on
another event's time in exact arithmetic (say an IF neuron with bias 0.2 from
0 to 1, due at exactly 5 ms) is computed in floats and may land an ulp before
or after it, in either program; times from inputs and delays are exact.

Examples
--------
>>> import evsim
>>> from evsim import reference
>>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
>>> reference.simulate(net, {"x": [0, 1, 2]}, until=5).trains["y"]
[2.0]
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from evsim import validation as check
from evsim.errors import ValidationError
from evsim.inputs import normalise_inputs, train_events
from evsim.network import Network
from evsim.neurons import IF, LIF, CubaLIF, Input, Stochastic, Threshold, crossing_time, flow
from evsim.termination import why_endless
from evsim.timegrid import RESOLUTION

__all__ = ["Run", "simulate"]

_SNAP = Fraction(8) * Fraction(np.finfo(float).eps)  # relative closeness that puts an input time on the grid


@dataclass
class Run:
    """What :func:`simulate` produced.

    Attributes
    ----------
    trains : dict of str to list of float
        Spike (or input event) times of every neuron, in ms.
    deliveries : list of (float, str, str, float)
        Every summed delivery: ``(time ms, neuron, "deliver" or "blocked", summed value)``,
        sorted by time then neuron name (IF, LIF and CubaLIF neurons).

    Examples
    --------
    >>> import evsim
    >>> from evsim import reference
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 0.6)], outputs={"y"})
    >>> run = reference.simulate(net, {"x": [0, 1]}, until=3)
    >>> run.trains
    {'x': [0.0, 1.0], 'y': [2.0]}
    >>> run.deliveries
    [(1.0, 'y', 'deliver', 0.6), (2.0, 'y', 'deliver', 0.6)]
    """

    trains: dict[str, list[float]]
    deliveries: list[tuple[float, str, str, float]] = field(default_factory=list)


def simulate(net, inputs=None, until: float = 0.0, *, rng=None) -> Run:
    """Run ``net`` with ``inputs`` (as for :func:`evsim.simulate`) until ``until`` ms (exclusive).

    Parameters
    ----------
    net : Network
        The network to run.
    inputs : mapping of str to array_like or Analog, optional
        As for :func:`evsim.simulate`; ``None``: no input.
    until : float, default 0.0
        ``until`` is a real number ``>= 0``; ``inf`` only in continuous time and
        where the run provably ends (:func:`evsim.termination.why_endless`) — the
        clock-driven loop of a discrete network needs a finite end, and its
        ``(steps, neurons)`` arrays must fit in the memory limit.
    rng : None, int or numpy.random.Generator, optional
        Randomness of the :class:`~evsim.neurons.Stochastic` neurons
        (keyword-only; ``None``: fresh entropy). The draws are made in this
        function's own order, not the engine's: a seed gives the engine's
        distribution of spikes, not its spikes.

    Returns
    -------
    Run
        The spike trains of every neuron and the summed deliveries, as plain
        lists.

    Raises
    ------
    ValidationError
        ``net`` not a network, an ``rng`` that is not a seed or generator,
        an ``until`` that is not a real number ``>= 0`` or is ``inf`` where
        the run may not end (always, for a discrete network), or inputs that
        name an unknown or non-input neuron or have bad times or values.
    SchedulingError
        An input time below 0 ms.
    LimitError
        A discrete network whose ``(steps, neurons)`` arrays (about 9 bytes
        an entry) are above the memory limit.

    Examples
    --------
    >>> import evsim
    >>> from evsim import reference
    >>> net = evsim.Network({"y": evsim.IF(bias=0.25)}, outputs={"y"}, dt=None)  # continuous time
    >>> reference.simulate(net, until=10).trains
    {'y': [4.0, 8.0]}
    >>> evsim.simulate(net, until=10).trains()["y"].tolist()
    [4.0, 8.0]
    """
    check.instance("net", net, Network, owner="reference.simulate")
    rng = check.generator(rng, owner="reference.simulate")
    until = check.real("until", until, owner="reference.simulate", minimum=0.0, allow_inf=True)
    inputs = {} if inputs is None else inputs
    normalise_inputs(inputs, {name: i for i, name in enumerate(net.names)}, net.inputs, net.grid, 0.0)  # checks only
    inputs = dict(inputs)
    if math.isinf(until):
        reason = "the clock-driven loop steps every step" if net.discrete else why_endless(net)
        if reason is not None:
            raise ValidationError(f"reference.simulate: until=inf never ends here: {reason}; give a finite until (ms)")
    if net.discrete:
        return _clock_driven(net, inputs, until, rng)
    return _exact_time(net, inputs, until)


# -- the order of work at one instant ------------------------------------------------


def _ranks(net) -> list[int]:
    """Longest zero-delay path depth, by repeated relaxation."""
    rank = [0] * len(net.names)
    for _ in range(len(net.names)):
        for s, t, d in zip(net.table.source, net.table.target, net.table.delay):
            if d == 0:
                rank[t] = max(rank[t], rank[s] + 1)
    return rank


def _record(net, fired) -> dict[str, list[float]]:
    return {name: sorted(fired.get(i, [])) for i, name in enumerate(net.names)}


# -- discrete networks: every neuron at every step ----------------------------------------


def _clock_driven(net, inputs, until: float, rng) -> Run:
    dt, models = net.dt, list(net.neurons.values())
    end = net.grid.boundary(until)[0]  # the first step not run: k·dt < until (the grid's one rule for "on the grid")
    check.require_budget("reference.simulate", f"the clock-driven loop over {end:.0f} steps", 9.0 * end * len(models))
    steps = int(end)
    fired = np.zeros((steps, len(models)), bool)
    payload = np.zeros((steps, len(models)))
    for name, train in inputs.items():
        i = net.names.index(name)
        for t, value in zip(*train_events(train)):
            k = round(t / dt)
            if k < steps:
                fired[k, i], payload[k, i] = True, value
    rank = _ranks(net)
    order = sorted((i for i, m in enumerate(models) if not isinstance(m, Input)), key=lambda i: (rank[i], i))
    incoming = {j: _incoming(net, j, dt) for j in order}
    v = {j: getattr(models[j], "v_init", 0.0) for j in order}
    current = {j: getattr(models[j], "i_init", 0.0) for j in order}  # (CubaLIF)
    ref_end = {j: -math.inf for j in order}
    silenced = {j: False for j in order}
    deliveries = []
    for k in range(steps):
        for j in order:
            model = models[j]
            total, any_input = _arriving(k, incoming[j], fired, payload)
            if isinstance(model, (Stochastic, Threshold)):
                fired[k, j] = _lynch_musco_round(model, k, total, rng)
                payload[k, j] = 1.0
                continue
            blocked = silenced[j] or k < ref_end[j]
            if any_input:
                deliveries.append((float(k * Fraction(repr(dt))), net.names[j], "blocked" if blocked else "deliver",
                                   float(total)))
            if blocked:
                continue
            if isinstance(model, CubaLIF):
                beta_syn, beta_mem = model.betas(dt)
                current[j] = beta_syn * current[j] + model.i_bias + total
                m = (model.v_rest + beta_mem * (v[j] - model.v_rest) + model.bias) + current[j]
            else:
                beta = 1.0 if isinstance(model, IF) else float(np.exp(-dt / model.tau))
                m = (model.v_rest + beta * (v[j] - model.v_rest) + model.bias) + total
            if m >= model.threshold:
                fired[k, j], payload[k, j] = True, 1.0
                v[j] = m - model.reset_amount if model.reset == "subtract" else model.reset_potential
                ref_end[j] = k + round(getattr(model, "refractory", 0.0) / dt)  # (CubaLIF has neither)
                silenced[j] = getattr(model, "single_spike", False)
            else:
                v[j] = m
    step = Fraction(repr(dt))  # the decimal dt was written as: times are k·dt rounded once
    trains = {i: [float(int(k) * step) for k in np.flatnonzero(fired[:, i])] for i in range(len(models))}
    return Run(_record(net, trains), sorted(deliveries, key=lambda d: d[:2]))


def _incoming(net, j, dt):
    """Synapses into neuron j, in table order, as (source, weight, delay in steps)."""
    t = net.table
    return [(int(s), float(w), round(d / dt)) for s, g, w, d in zip(t.source, t.target, t.weight, t.delay) if g == j]


def _arriving(k, rows, fired, payload):
    total, any_input = 0.0, False
    for s, w, d in rows:
        if k - d >= 0 and fired[k - d, s]:
            total += w * payload[k - d, s]
            any_input = True
    return total, any_input


def _lynch_musco_round(model, k, total, rng) -> bool:
    if k == 0:
        return bool(model.initial)
    pot = total - model.bias
    if isinstance(model, Threshold):
        return pot >= 0
    return bool(rng.random() < 1.0 / (1.0 + math.exp(-pot / model.temperature)))


# -- continuous networks: exact times, one instant at a time ------------------------------


_H = Fraction(1, round(1 / RESOLUTION))  # the continuous time grid's step, exactly


def _exact(t: float) -> Fraction:
    """A user's time as an exact rational: its float's value, or the grid point within 8 ulps of it."""
    exact = Fraction(t)
    steps = exact / _H
    nearest = round(steps)
    return nearest * _H if abs(steps - nearest) <= _SNAP * abs(steps) else exact


def _exact_duration(d: float) -> Fraction:
    """A delay or refractory period as a whole number of grid steps (the network checked it is one)."""
    return round(Fraction(d) / _H) * _H


class _Neuron:
    """One IF/LIF neuron's state; times are exact rationals (ms)."""

    def __init__(self, model) -> None:
        self.model = model
        self.v = float(model.v_init)
        self.anchor = Fraction(0)  # free evolution runs from here
        self.ref_end = Fraction(-1)
        self.held = True  # free evolution has not (re)started yet: at t = 0, or until the refractory end
        self.silenced = False
        self.crossing: Fraction | None = None

    def free(self, t: Fraction) -> float:
        """The potential at ``t >= anchor`` with no input (closed form, :func:`evsim.neurons.flow`)."""
        m = self.model
        return float(flow(self.v, float(t - self.anchor), m.tau, m.v_rest, m.bias, m.threshold))

    def predict(self) -> None:
        """The next time it updates with no input: its threshold crossing, if any."""
        m = self.model
        if self.silenced:
            self.crossing = None
        elif self.v >= m.threshold:
            self.crossing = self.anchor if self.held else None
        else:
            wait = float(crossing_time(self.v, m.threshold, m.tau, m.v_rest, m.bias))
            self.crossing = self.anchor + Fraction(wait) if math.isfinite(wait) else None


def _exact_time(net, inputs, until: float) -> Run:
    names, rank = net.names, _ranks(net)
    end = _exact(until) if math.isfinite(until) else None
    out = defaultdict(list)  # source -> [(row, target, weight, delay)]
    for row, (s, g, w, d) in enumerate(zip(net.table.source, net.table.target, net.table.weight, net.table.delay)):
        out[int(s)].append((row, int(g), float(w), _exact_duration(float(d))))
    neurons = {i: _Neuron(m) for i, m in enumerate(net.neurons.values()) if isinstance(m, (IF, LIF))}
    for cell in neurons.values():
        cell.predict()
    input_events = defaultdict(list)  # exact time -> [(input neuron, value)]
    for name, train in inputs.items():
        for t, value in zip(*train_events(train)):
            input_events[_exact(t)].append((names.index(name), value))
    arriving = defaultdict(list)  # exact time -> [(synapse row, target, value)]
    fired: dict[int, list[float]] = defaultdict(list)
    deliveries: list = []

    def send(source: int, t: Fraction, value: float) -> None:
        fired[source].append(float(t))
        for row, target, weight, delay in out[source]:
            arriving[t + delay].append((row, target, weight * value))

    while True:
        crossings = [c.crossing for c in neurons.values() if c.crossing is not None]
        now = min([*input_events, *arriving, *crossings], default=None)
        if now is None or (end is not None and now >= end):
            break
        for i, value in input_events.pop(now, []):
            send(i, now, value)
        for r in sorted(set(rank)):  # rank by rank: zero-delay arrivals land at this instant, one rank up
            here = sorted((a for a in arriving.get(now, []) if rank[a[1]] == r), key=lambda a: a[0])
            arriving[now] = [a for a in arriving.get(now, []) if rank[a[1]] != r]
            summed: dict[int, float] = {}
            for _, target, value in here:  # in synapse-row order, from 0.0
                summed[target] = summed.get(target, 0.0) + value
            due = {i for i, c in neurons.items() if c.crossing == now and rank[i] == r}
            for i in sorted(set(summed) | due):
                if _update(neurons[i], now, summed.get(i), deliveries, names[i]):
                    send(i, now, 1.0)
        del arriving[now]
    deliveries.sort(key=lambda d: d[:2])
    return Run(_record(net, fired), deliveries)


def _update(cell: _Neuron, now: Fraction, total: float | None, deliveries: list, name: str) -> bool:
    """One update of ``cell`` at ``now`` with the summed arrivals (``None``: its predicted crossing)."""
    m = cell.model
    if total is not None:
        blocked = now < cell.ref_end or cell.silenced
        deliveries.append((float(now), name, "blocked" if blocked else "deliver", total))
        if blocked:
            return False
    free = cell.free(now)
    if cell.crossing == now:
        free = max(free, m.threshold)  # at a predicted crossing the potential is on the threshold
    value = free + (total or 0.0)
    cell.v, cell.anchor, cell.held = value, now, False
    spiked = value >= m.threshold
    if spiked:
        cell.v = value - m.reset_amount if m.reset == "subtract" else m.reset_potential
        refractory = _exact_duration(m.refractory)
        cell.anchor = cell.ref_end = now + refractory
        cell.held = refractory > 0
        cell.silenced = m.single_spike
    cell.predict()
    return spiked
