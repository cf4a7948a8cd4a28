"""The integrate-and-fire population: every IF and LIF neuron of a network.

Parameters (:class:`Parameters`, arrays built once from the models) and state
(potential ``v``, the anchor of free evolution, the end of the refractory
period, the last update, the next predicted update) are kept apart; the
update itself is :meth:`IntegrateAndFire._update`, in the order of the rules
of docs/design.md §2:

1. arrivals during a refractory period, or at a spent single-spike neuron,
   are discarded (``blocked``); one at exactly the end of the period counts;
2. ``m = free evolution from the anchor to t + I``
   (:mod:`evsim.dynamics`; on the threshold exactly at a predicted crossing);
3. fire iff ``m >= theta`` (:func:`evsim.neurons.fires`);
4. a neuron that fired is reset (:func:`evsim.neurons.apply_reset`), held
   until ``t + refractory``, and retired if single-spike;
5. its next update without input is predicted again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evsim.dynamics import clock_for
from evsim.events import Instants, Spikes, Window
from evsim.neurons import apply_reset, fires
from evsim.populations import Processed
from evsim.timegrid import before, earlier

__all__ = ["IntegrateAndFire", "Parameters"]

_NEVER, _ZERO = np.array([np.inf]), np.array([0.0])


@dataclass(frozen=True, eq=False)
class Parameters:
    """IF/LIF parameters as arrays over every neuron of the network (meaningful at ``members``).

    ``beta`` is the per-step decay ``exp(−dt/τ)`` of a discrete network (1
    in continuous time), ``reset_to`` is NaN for a subtract reset, and
    ``refractory`` is in whole grid steps.
    """

    members: np.ndarray
    theta: np.ndarray
    v_rest: np.ndarray
    bias: np.ndarray
    tau: np.ndarray
    beta: np.ndarray
    reset_to: np.ndarray
    refractory: np.ndarray
    single_spike: np.ndarray
    v_init: np.ndarray

    @classmethod
    def of(cls, plan, members: np.ndarray) -> "Parameters":
        models = list(plan.net.neurons.values())
        mine = np.zeros(len(models), bool)
        mine[members] = True

        def column(get, default=0.0, dtype=float):
            return np.array([get(m) if own else default for m, own in zip(models, mine)], dtype)

        tau = column(lambda m: m.tau, math.inf)
        grid = plan.grid
        return cls(
            members=members,
            theta=column(lambda m: m.threshold, math.inf),
            v_rest=column(lambda m: m.v_rest),
            bias=column(lambda m: m.bias),
            tau=tau,
            beta=np.exp(-grid.step / tau) if grid.discrete else np.ones_like(tau),
            reset_to=column(lambda m: math.nan if m.reset_potential is None else m.reset_potential),
            refractory=grid.steps(column(lambda m: m.refractory), lambda i: "refractory"),
            single_spike=column(lambda m: m.single_spike, False, bool),
            v_init=column(lambda m: m.v_init),
        )


class IntegrateAndFire:
    """State and update kernel of every IF/LIF neuron (see the module docstring)."""

    has_potential = True
    max_window = math.inf

    def __init__(self, plan, members: np.ndarray, rng=None) -> None:
        n = plan.size
        self.members = members
        self.p = Parameters.of(plan, members)
        self.clock = clock_for(self.p, plan.grid)
        self.v = self.p.v_init.astype(float).copy()
        self.anchor = (np.full(n, self.clock.initial_anchor), np.zeros(n))
        self.ref_end = (np.full(n, -np.inf), np.zeros(n))
        # True while free evolution has not restarted yet: from t = 0, or until a refractory period ends
        self.restart_pending = np.ones(n, bool)
        self.silenced = np.zeros(n, bool)
        self.pred = (np.full(n, np.inf), np.zeros(n))
        self._repredict(members)

    def wakeups(self, neurons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(k, f)`` of each neuron's next update with no input: its predicted crossing (``k = inf``: none)."""
        return self.pred[0][neurons], self.pred[1][neurons]

    def process(self, instants: Instants, due: np.ndarray, window: Window, observer) -> Processed:
        """Each neuron's arrivals and predicted updates before ``window.end``, in time order.

        Round by round: a neuron's next event is its next instant of arrivals
        or its predicted update, whichever is earlier (one update if they
        coincide); neurons with nothing left before the window's end drop out.
        """
        neurons, cursor, stop = _runs(instants.neuron, due)
        updated = neurons
        # a sentinel row past the end for neurons with no arrival left
        arrivals = Instants(None, np.concatenate((instants.k, _NEVER)), np.concatenate((instants.f, _ZERO)),
                            np.concatenate((instants.total, _ZERO)))
        rounds = []
        while neurons.size:
            neurons, cursor, stop, t, inputs, forced, crossing = self._next_events(neurons, cursor, stop, arrivals,
                                                                                    window)
            if neurons.size == 0:
                break
            rounds.append(self._update(neurons, t, inputs, observer, forced, crossing))
            cursor = cursor + (1 if forced is None else ~forced)
        return Processed(_fired(rounds), updated)

    def _next_events(self, neurons, cursor, stop, arrivals: Instants, window: Window):
        """Each neuron's next event before the window's end: ``(neurons, cursor, stop, t, inputs, forced, crossing)``.

        ``forced`` marks predicted updates that come before the next arrival
        (no input), ``crossing`` the updates at a predicted crossing; both are
        ``None`` when no neuron has a prediction (then every event is an arrival).
        """
        pk, pf = self.pred[0][neurons], self.pred[1][neurons]
        if np.isinf(pk).all():
            live = cursor < stop  # (every arrival handed over lies inside the window)
            if not live.all():
                neurons, cursor, stop = neurons[live], cursor[live], stop[live]
            return neurons, cursor, stop, (arrivals.k[cursor], arrivals.f[cursor]), arrivals.total[cursor], None, None
        at = np.where(cursor < stop, cursor, arrivals.k.size - 1)
        ak, af = arrivals.k[at], arrivals.f[at]
        forced = earlier(pk, pf, ak, af)  # the prediction comes first: an update with no input
        tk, tf = np.where(forced, pk, ak), np.where(forced, pf, af)
        live = before(tk, tf, window.end)
        if not live.all():
            neurons, cursor, stop, tk, tf, forced, at, pk, pf = (
                a[live] for a in (neurons, cursor, stop, tk, tf, forced, at, pk, pf)
            )
        inputs = np.where(forced, 0.0, arrivals.total[at])
        crossing = ~earlier(tk, tf, pk, pf)  # the predicted crossing is now
        return neurons, cursor, stop, (tk, tf), inputs, forced, crossing

    def _update(self, idx, t, inputs, observer, forced=None, crossing=None) -> tuple:
        """One update of each neuron in ``idx`` at its own time ``t = (k, f)``.

        ``forced``: the update is the neuron's predicted one, with no arrivals;
        ``crossing``: its predicted crossing falls at ``t`` (``None``: nowhere).
        Returns ``(neurons, k, f, fired)`` of the neurons that updated.
        """
        blocked = earlier(t[0], t[1], self.ref_end[0][idx], self.ref_end[1][idx]) | self.silenced[idx]
        if forced is not None:
            blocked &= ~forced
        if observer.tracing:
            delivered = ~forced if forced is not None else slice(None)
            observer.deliveries(idx[delivered], t[0][delivered], t[1][delivered], inputs[delivered], blocked[delivered])
        if blocked.any():
            go = ~blocked
            idx, t, inputs = idx[go], (t[0][go], t[1][go]), inputs[go]
            crossing = crossing[go] if crossing is not None else None
        anchor = (self.anchor[0][idx], self.anchor[1][idx])
        m = self.clock.integrate(idx, self.v[idx], anchor, t, inputs, crossing)
        fired = fires(m, self.p.theta[idx])
        self.v[idx] = m
        self._set(self.anchor, idx, t)
        self.restart_pending[idx] = False
        if fired.any():
            self._fire(idx[fired], (t[0][fired], t[1][fired]), m[fired])
        self._repredict(idx)
        observer.updates(idx, t[0], t[1], m, fired, self)
        return idx, t[0], t[1], fired

    def _fire(self, idx, t, m) -> None:
        """Reset, hold until the end of the refractory period, retire single-spike neurons."""
        p = self.p
        self.v[idx] = apply_reset(m, True, p.theta[idx], p.reset_to[idx])
        refractory = p.refractory[idx]
        ref_end = (t[0] + refractory, t[1])
        self._set(self.ref_end, idx, ref_end)
        self._set(self.anchor, idx, self.clock.anchor_after_spike(t, refractory, ref_end))
        self.restart_pending[idx] = refractory > 0
        self.silenced[idx] |= p.single_spike[idx]

    def _repredict(self, idx: np.ndarray) -> None:
        """Recompute the next update-without-input of each neuron in ``idx``."""
        v = self.v[idx]
        quiet = self.silenced[idx] | (~self.clock.may_cross[idx] & ~fires(v, self.p.theta[idx]))
        self.pred[0][idx[quiet]] = np.inf  # (an offset beside k = inf means nothing)
        if not quiet.all():
            work = idx[~quiet]
            anchor = (self.anchor[0][work], self.anchor[1][work])
            self._set(self.pred, work, self.clock.predict(work, v[~quiet], anchor, self.restart_pending[work]))

    @staticmethod
    def _set(pair, idx, value) -> None:
        pair[0][idx], pair[1][idx] = value


def _fired(rounds: list) -> Spikes:
    """The spikes among the updates of all rounds."""
    if not rounds:
        return Spikes.none()
    idx, k, f, fired = (np.concatenate(parts) for parts in zip(*rounds))
    return Spikes(idx[fired], k[fired], f[fired], np.ones(int(fired.sum())))


def _runs(sorted_neurons: np.ndarray, extra: np.ndarray):
    """Distinct neurons of ``sorted_neurons`` ∪ ``extra``, with each one's slice ``[start, stop)``."""
    if extra.size:
        neurons = np.union1d(sorted_neurons, extra)
        return neurons, np.searchsorted(sorted_neurons, neurons, "left"), np.searchsorted(sorted_neurons, neurons, "right")
    if sorted_neurons.size == 0:
        return sorted_neurons, sorted_neurons, sorted_neurons
    first = np.flatnonzero(np.concatenate(([True], sorted_neurons[1:] != sorted_neurons[:-1])))
    return sorted_neurons[first], first, np.append(first[1:], sorted_neurons.size)
