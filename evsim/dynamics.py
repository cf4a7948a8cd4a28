"""How integrate-and-fire state moves between updates, in each kind of clock.

The simulator stores per neuron a potential ``v`` and an *anchor*: the time
from which free evolution is measured. Both clocks answer the same three
questions with the pure functions of :mod:`evsim.neurons`:

* ``integrate`` — the pre-threshold potential ``m`` at an update time ``t``
  given the arrivals' sum ``I``;
* ``anchor_after_spike`` — where free evolution restarts after a spike with
  refractory period ``r`` (the potential is held until then);
* ``predict`` — the next time the neuron must update with no arrivals.

Discrete clock (times in steps): ``m = drift^(t - anchor)(v) + I`` — every
step from the anchor to ``t`` applies one drift, the last one being the
update's own. Prediction iterates the drift exactly (so it agrees with a
step-by-step simulation bit for bit) up to a horizon; a neuron that has not
crossed by then gets a *checkpoint* update, which changes nothing but its
anchor. Neurons proven never to cross get no event at all.

Continuous clock (times in ms): ``m = flow(v, t - anchor) + I``; the next
crossing is closed-form. A potential still ``>= theta`` after a reset fires
again when the refractory period ends, or at the next arrival if ``r = 0``
(a neuron updates at most once per instant).
"""

from __future__ import annotations

import numpy as np

from evsim.compile import Plan
from evsim.neurons import crossing_time, drift, drift_steps, flow, relax, resting_level

__all__ = ["ContinuousClock", "DiscreteClock", "clock_for"]

PREDICTION_HORIZON = 256  # steps a discrete prediction iterates before a checkpoint


class ContinuousClock:
    """Closed-form evolution between events (times in ms)."""

    initial_anchor = 0.0

    def __init__(self, plan: Plan) -> None:
        self.p = plan
        self.v_inf = resting_level(plan.tau, plan.v_rest, plan.bias)
        #: neurons whose potential can climb to the threshold with no input
        self.may_cross = self.v_inf > plan.theta
        self._all_leaky = bool(np.isfinite(plan.tau[plan.kind != 0]).all())

    def integrate(self, idx, v, anchor, t, inputs, crossing):
        p = self.p
        if self._all_leaky:  # the common case, with the resting level precomputed
            free = relax(v, t - anchor, p.tau[idx], self.v_inf[idx])
        else:
            free = flow(v, t - anchor, p.tau[idx], p.v_rest[idx], p.bias[idx])
        # at its predicted crossing the potential is exactly on the threshold
        # (or above it, if it was held there through a refractory period)
        if crossing.any():
            free = np.where(crossing, np.maximum(free, p.theta[idx]), free)
        return free + inputs

    def anchor_after_spike(self, t, refractory):
        return t + refractory

    def predict(self, idx, v, anchor, last_update):
        p = self.p
        theta = p.theta[idx]
        wait = crossing_time(v, theta, p.tau[idx], p.v_rest[idx], p.bias[idx])
        out = anchor + wait
        already_above = v >= theta
        out[already_above & ~(anchor > last_update)] = np.inf
        return out


class DiscreteClock:
    """Step-by-step evolution, skipped over exactly (times in steps)."""

    initial_anchor = -1.0

    def __init__(self, plan: Plan) -> None:
        self.p = plan
        #: neurons whose potential can climb to the threshold with no input
        self.may_cross = ~_settles_below(plan.theta, plan.beta, plan.v_rest, plan.bias)

    def integrate(self, idx, v, anchor, t, inputs, crossing):
        p = self.p
        before = drift_steps(v, t - anchor - 1, p.beta[idx], p.v_rest[idx], p.bias[idx])
        return drift(before, p.beta[idx], p.v_rest[idx], p.bias[idx]) + inputs

    def anchor_after_spike(self, t, refractory):
        return np.maximum(t, t + refractory - 1)

    def predict(self, idx, v, anchor, last_update):
        p = self.p
        theta, beta, v_rest, bias = p.theta[idx], p.beta[idx], p.v_rest[idx], p.bias[idx]
        out = np.full(idx.shape, np.inf)
        never = (v < theta) & ~self.may_cross[idx]
        pending = np.flatnonzero(~never)
        x = np.asarray(v, float)[pending]
        for step in range(1, PREDICTION_HORIZON + 1):
            if pending.size == 0:
                return out
            x = drift(x, beta[pending], v_rest[pending], bias[pending])
            hit = x >= theta[pending]
            out[pending[hit]] = anchor[pending[hit]] + step
            pending, x = pending[~hit], x[~hit]
        out[pending] = anchor[pending] + PREDICTION_HORIZON  # checkpoint
        return out


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


def clock_for(plan: Plan):
    """The clock object that matches the plan's network."""
    return DiscreteClock(plan) if plan.discrete else ContinuousClock(plan)
