"""How integrate-and-fire state moves between updates, in each kind of clock.

A population of IF/LIF neurons stores per neuron a potential ``v`` and an
*anchor*: the time from which free evolution is measured. Times are ``(k, f)``
pairs on the network's grid (:mod:`evsim.timegrid`). Both clocks answer the
same three questions with the pure functions of :mod:`evsim.neurons`:

* ``integrate`` — the pre-threshold potential ``m`` at an update time ``t``
  given the arrivals' sum ``I``;
* ``anchor_after_spike`` — where free evolution restarts after a spike with
  refractory period ``r`` steps (the potential is held until then);
* ``predict`` — the next time the neuron must update with no arrivals.

Each takes whole arrays of neurons at their own times, with ``q`` their
parameters (:meth:`~evsim.populations.integrate_and_fire.Parameters.rows`:
the fields of just those neurons, in the same order).

Discrete clock (offsets are always 0): ``m = drift^(t - anchor)(v) + I`` —
every step from the anchor to ``t`` applies one drift, the last one being the
update's own (:func:`~evsim.neurons.drift_steps`: exact leaps over many steps
where the step is a plain addition, IF, else step by step). Prediction
follows the same leaps and steps (:func:`~evsim.neurons.drift_crossing`, so
it agrees with a step-by-step simulation bit for bit) for a bounded number of
rounds; a neuron that has not crossed by then gets a *checkpoint* update,
which changes nothing but its anchor. Neurons proven never to cross (no
crossing by free evolution, a floating-point fixed point below the threshold)
get no event at all.

Continuous clock: ``m = flow(v, t − anchor) + I`` with the elapsed time in ms
(the form that tends to the IF limit where the leak is slow, :func:`~evsim.neurons.slow_leak`);
the next crossing is closed-form, ``anchor + crossing_time`` placed on the grid
by :meth:`~evsim.timegrid.TimeGrid.advance`. A potential still ``>= theta``
after a reset fires again when the refractory period ends, or at the next
arrival if ``r = 0`` (a neuron updates at most once per instant).
"""

from __future__ import annotations

import numpy as np

from evsim.neurons import crossing_time, drift, drift_crossing, drift_steps, fires, flow, relax
from evsim.timegrid import TimeGrid

__all__ = ["ContinuousClock", "DiscreteClock", "clock_for", "may_cross"]

PREDICTION_ROUNDS = 256  # leaps or steps a discrete prediction takes before a checkpoint


class ContinuousClock:
    """Closed-form evolution between events (elapsed times in ms)."""

    initial_anchor = 0.0  # whole steps: free evolution starts at t = 0

    def __init__(self, params, grid: TimeGrid) -> None:
        self.grid = grid
        self._any_slow = bool(params.slow[params.members].any())

    def integrate(self, q, v, anchor, t, inputs, crossing=None):
        s = self.grid.elapsed(t[0], t[1], anchor[0], anchor[1])
        if not self._any_slow:  # the common case, with the resting level precomputed
            free = relax(v, s, q.tau, q.v_inf)
        else:
            free = flow(v, s, q.tau, q.v_rest, q.bias, slow=q.slow)
        # at its predicted crossing the potential is exactly on the threshold
        # (or above it, if it was held there through a refractory period)
        if crossing is not None and crossing.any():
            free = np.where(crossing, np.maximum(free, q.theta), free)
        return free + inputs

    def anchor_after_spike(self, t, refractory, ref_end):
        return ref_end  # free evolution restarts when the refractory period ends

    def predict(self, q, v, anchor, restart_pending):
        theta = q.theta
        wait = crossing_time(v, theta, q.tau, q.v_rest, q.bias, q.slow)
        k, f = self.grid.advance(anchor[0], anchor[1], wait)
        # already at or above the threshold and free since its last update: it fires only at its
        # next arrival (a neuron updates at most once per instant); held by a refractory period, or
        # at t = 0, it fires when free evolution (re)starts, at the anchor
        stuck = fires(v, theta) & ~restart_pending
        return np.where(stuck, np.inf, k), np.where(stuck, 0.0, f)


class DiscreteClock:
    """Step-by-step evolution, skipped over exactly (offsets are always 0)."""

    initial_anchor = -1.0  # step 0 applies the first drift

    def __init__(self, params, grid: TimeGrid) -> None:
        self.grid = grid

    def integrate(self, q, v, anchor, t, inputs, crossing=None):
        before = drift_steps(v, t[0] - anchor[0] - 1, q.beta, q.v_rest, q.bias)
        return drift(before, q.beta, q.v_rest, q.bias) + inputs

    def anchor_after_spike(self, t, refractory, ref_end):
        return np.maximum(t[0], t[0] + refractory - 1), t[1]  # step ref_end applies its own drift

    def predict(self, q, v, anchor, restart_pending):
        theta, beta, v_rest, bias, crosses = np.broadcast_arrays(q.theta, q.beta, q.v_rest, q.bias, q.may_cross, v)[:5]
        out = np.full(np.shape(v), np.inf)
        pending = np.flatnonzero(fires(v, theta) | crosses)
        if pending.size:
            steps, _ = drift_crossing(np.asarray(v, float)[pending], theta[pending], beta[pending], v_rest[pending],
                                      bias[pending], PREDICTION_ROUNDS)
            out[pending] = anchor[0][pending] + steps  # the crossing, or a checkpoint (known: False); inf: never
        return out, np.zeros(np.shape(v))


def _settles_below(theta, beta, v_rest, bias):
    """True where iterating ``drift`` from any ``v < theta`` provably stays below ``theta``.

    Iteration moves monotonically towards the fixed point
    ``v_inf = v_rest + bias / (1 - beta)`` (for IF, ``beta = 1``, it moves by
    ``bias`` each step), so a ``v_inf`` below ``theta`` by more than rounding
    can bridge, or an IF with ``bias <= 0``, means no crossing without input.
    """
    leaky = beta < 1
    with np.errstate(divide="ignore", invalid="ignore"):
        v_inf = np.where(leaky, v_rest + bias / np.where(leaky, 1 - beta, 1.0), np.inf)
        margin = 64 * np.finfo(float).eps * np.maximum(np.maximum(np.abs(theta), np.abs(v_inf)), 1.0)
        return np.where(leaky, v_inf < theta - margin, bias <= 0)


def may_cross(theta, v_inf, beta, v_rest, bias, discrete: bool) -> np.ndarray:
    """Where free evolution (no input) can bring the potential up to ``theta``.

    Continuous: the resting level ``v_inf`` lies above ``theta``. Discrete:
    iterating :func:`~evsim.neurons.drift` does not provably settle below it.
    """
    return ~_settles_below(theta, beta, v_rest, bias) if discrete else v_inf > theta


def clock_for(params, grid: TimeGrid):
    """The clock that matches the network's grid."""
    return DiscreteClock(params, grid) if grid.discrete else ContinuousClock(params, grid)
