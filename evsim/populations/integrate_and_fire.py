"""The integrate-and-fire population: every IF and LIF neuron of a network.

Parameters (:class:`Parameters`, arrays built once from the models) and state
(:class:`State`: potential ``v``, the anchor of free evolution, the end of the
refractory period, the next predicted update…) are kept apart; one update of
a batch of neurons is :meth:`IntegrateAndFire._update`, in the order of the
rules of docs/design.md §2:

1. arrivals during a refractory period, or at a spent single-spike neuron,
   are discarded (``blocked``); one at exactly the end of the period counts;
2. ``m = free evolution from the anchor to t + I``
   (:mod:`evsim.dynamics`; on the threshold exactly at a predicted crossing);
3. fire iff ``m >= theta`` (:func:`evsim.neurons.fires`);
4. a neuron that fired is reset (:func:`evsim.neurons.apply_reset`), held
   until ``t + refractory``, and retired if single-spike;
5. its next update without input is predicted again.

A window's events are run in *rounds* (round ``r``: the ``r``-th event of
every neuron that has one). When no neuron has a predicted update inside the
window — every arrival-driven network, and most windows of the others — the
rounds run on a compact copy of the window's neurons, ordered by how many
events each has, so that round ``r`` is the first ``n_r`` of them: a slice
(:meth:`IntegrateAndFire._rounds_as_slices`). Otherwise a neuron's next event
is its next arrival or its predicted update, whichever comes first
(:meth:`IntegrateAndFire._rounds_with_predictions`). Both call the same
``_update`` on the same numbers, so they give the same bits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from evsim._arrays import shared_values, some, stable_order
from evsim.dynamics import clock_for, may_cross
from evsim.events import Instants, Spikes, Window
from evsim.neurons import apply_reset, fires, resting_level, slow_leak
from evsim.timegrid import before, earlier, earliest

__all__ = ["IntegrateAndFire", "Parameters", "Rows", "State"]

_NEVER, _ZERO = np.array([np.inf]), np.array([0.0])


@dataclass(frozen=True, eq=False)
class Parameters:
    """IF/LIF parameters as arrays over every neuron of the network (meaningful at ``members``).

    ``beta`` is the per-step decay ``exp(−dt/τ)`` of a discrete network (1
    in continuous time), ``reset_to`` is NaN for a subtract reset, which
    removes ``reset_by`` (the threshold unless the model says otherwise),
    ``refractory`` is in whole grid steps, ``v_inf = v_rest + τ·bias`` the
    resting level of continuous free evolution, ``may_cross`` says whether
    free evolution alone can reach the threshold (:func:`evsim.dynamics.may_cross`)
    and ``slow`` whether the leak is slow (:func:`evsim.neurons.slow_leak`).
    """

    members: np.ndarray
    theta: np.ndarray
    v_rest: np.ndarray
    bias: np.ndarray
    tau: np.ndarray
    beta: np.ndarray
    reset_to: np.ndarray
    reset_by: np.ndarray
    refractory: np.ndarray
    single_spike: np.ndarray
    v_init: np.ndarray
    v_inf: np.ndarray
    may_cross: np.ndarray
    slow: np.ndarray

    @classmethod
    def of(cls, plan, members: np.ndarray) -> "Parameters":
        models = list(plan.net.neurons.values())
        mine = np.zeros(len(models), bool)
        mine[members] = True

        def column(get, default=0.0, dtype=float):
            return np.array([get(m) if own else default for m, own in zip(models, mine)], dtype)

        grid = plan.grid
        theta, v_rest, bias, tau = (column(lambda m: m.threshold, math.inf), column(lambda m: m.v_rest),
                                    column(lambda m: m.bias), column(lambda m: m.tau, math.inf))
        beta = np.exp(-grid.step / tau) if grid.discrete else np.ones_like(tau)
        v_inf = resting_level(tau, v_rest, bias)
        return cls(
            members=members, theta=theta, v_rest=v_rest, bias=bias, tau=tau, beta=beta,
            reset_to=column(lambda m: m.reset_to),
            reset_by=column(lambda m: m.reset_amount, math.inf),
            refractory=grid.steps(column(lambda m: m.refractory), lambda i: "refractory"),
            single_spike=column(lambda m: m.single_spike, False, bool),
            v_init=column(lambda m: m.v_init),
            v_inf=v_inf,
            may_cross=may_cross(theta, v_inf, beta, v_rest, bias, grid.discrete),
            slow=slow_leak(tau, theta, v_rest, bias),
        )

    def __post_init__(self) -> None:
        names = ("theta", "v_rest", "bias", "tau", "beta", "reset_to", "reset_by", "refractory", "single_spike",
                 "v_inf", "may_cross", "slow")
        object.__setattr__(self, "shared", shared_values(self, names, self.members))  # (-0.0 is not 0.0)

    def rows(self, rows) -> "Rows":
        """The parameters of the neurons at ``rows`` (an index array or a slice)."""
        return Rows(self, rows)


class Rows:
    """The parameters of some neurons: each field is gathered when first read, then kept.

    ``Rows(source, rows).theta`` is ``source.theta[rows]`` — or one scalar, if
    every member of the population has the same value (``Parameters.shared``:
    broadcasting it gives the same numbers, without gathering). ``source`` is
    a :class:`Parameters` or another ``Rows``, ``rows`` an index array or a slice.
    """

    def __init__(self, source, rows) -> None:
        self.__dict__.update(source.shared)
        self.shared = source.shared
        self._source, self._rows = source, rows

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._source, name)[self._rows]
        self.__dict__[name] = value
        return value

    def rows(self, rows) -> "Rows":
        return Rows(self, rows)


@dataclass(eq=False)
class State:
    """The state of IF/LIF neurons, one array per field (times as ``(k, f)`` pairs).

    ``v`` potential; ``ak, af`` the anchor free evolution is measured from;
    ``rk, rf`` until when arrivals are blocked: the end of the refractory
    period, or never (``rk = inf``) once a single-spike neuron has spent its
    spike; ``restart`` true while free evolution has not restarted yet (from
    t = 0, or until a refractory period ends); ``pk, pf`` the next update with
    no input (``pk = inf``: none).
    """

    v: np.ndarray
    ak: np.ndarray
    af: np.ndarray
    rk: np.ndarray
    rf: np.ndarray
    restart: np.ndarray
    pk: np.ndarray
    pf: np.ndarray

    def take(self, rows) -> "State":
        """A compact copy of the neurons at ``rows``."""
        return State(*(getattr(self, f.name)[rows] for f in fields(self)))

    def put(self, rows, part: "State", predictions: bool = True) -> None:
        """Write a compact copy back at ``rows`` (its predictions too, unless they cannot have changed)."""
        for f in fields(self):
            if predictions or f.name not in ("pk", "pf"):
                getattr(self, f.name)[rows] = getattr(part, f.name)


class IntegrateAndFire:
    """State and update kernel of every IF/LIF neuron (see the module docstring)."""

    has_potential = True
    max_window = math.inf

    def __init__(self, plan, members: np.ndarray, rng=None) -> None:
        n = plan.size
        self.members = members
        self.p = p = Parameters.of(plan, members)
        self.clock = clock_for(p, plan.grid)
        self.state = State(v=p.v_init.astype(float).copy(), ak=np.full(n, self.clock.initial_anchor), af=np.zeros(n),
                           rk=np.full(n, -np.inf), rf=np.zeros(n), restart=np.ones(n, bool),
                           pk=np.full(n, np.inf), pf=np.zeros(n))
        self._repredict(self.state, members, p.rows(members))
        # only a neuron that may cross on its own, or is left at or above the threshold (from the start,
        # or by a reset not below it), ever has a predicted update: without one, pk stays inf for good
        reset_below = p.reset_to[members] < p.theta[members]  # (NaN, the subtract reset: not below)
        self._predicts = bool(p.may_cross[members].any() or not reset_below.all()
                              or np.isfinite(self.state.pk[members]).any())

    def next_wakeup(self) -> tuple[float, float]:
        """``(k, f)`` of the earliest predicted update among the members (``k = inf``: none)."""
        if not self._predicts:
            return math.inf, 0.0
        return earliest(self.state.pk, self.state.pf)  # (pk is inf for every neuron that is not a member)

    def due_before(self, end: tuple[float, float]) -> np.ndarray:
        """Members whose predicted update comes before ``end``."""
        return np.flatnonzero(before(self.state.pk, self.state.pf, end))

    def process(self, instants: Instants, due: np.ndarray, window: Window, observer) -> Spikes:
        """Each neuron's arrivals and predicted updates before ``window.end``, in time order."""
        neurons, start, stop = _runs(instants.neuron, due)
        spikes: list = []
        if due.size == 0 and not (self._predicts and some(before(self.state.pk[neurons], self.state.pf[neurons],
                                                                 window.end))):
            left = self._rounds_as_slices(neurons, start, stop, instants, window, observer, spikes)
            if left is None:
                return _spikes(spikes)
            neurons, start, stop = left
        self._rounds_with_predictions(neurons, start, stop, instants, window, observer, spikes)
        return _spikes(spikes)

    def _rounds_as_slices(self, neurons, start, stop, instants: Instants, window: Window, observer, spikes: list):
        """Run the rounds on a compact copy of the window's neurons, most events first.

        Round ``r`` updates the first ``n_r`` neurons (those with more than ``r``
        events) at their ``r``-th instant; the instants are laid out round by
        round so that each round reads a slice. Returns ``None`` when every
        event has run, or — if an update predicted a crossing inside the
        window — ``(neurons, cursor, stop)`` for the rounds with predictions.
        """
        count = stop - start
        order = stable_order(count.max() - count)
        neurons, start, count = neurons[order], start[order], count[order]
        widths = np.cumsum(np.bincount(count)[::-1])[::-1][1:]  # widths[r]: neurons with more than r events
        offsets = np.concatenate(([0], np.cumsum(widths)))
        round_of = np.repeat(np.arange(widths.size), widths)
        source = start[np.arange(offsets[-1]) - offsets[round_of]] + round_of  # row of each (round, neuron)
        k, f, total = instants.k[source], instants.f[source], instants.total[source]
        state, q = self.state.take(neurons), self.p.rows(neurons)
        for r, n in enumerate(widths.tolist()):
            events = slice(offsets[r], offsets[r] + n)
            rows = slice(0, n)
            self._update(state, rows, q.rows(rows), neurons[:n], (k[events], f[events]), total[events],
                         observer, spikes)
            if self._predicts and some(before(state.pk[:n], state.pf[:n], window.end)):
                self.state.put(neurons, state, self._predicts)
                done = np.minimum(count, r + 1)
                return neurons, start + done, start + count
        self.state.put(neurons, state, self._predicts)
        return None

    def _rounds_with_predictions(self, neurons, cursor, stop, instants: Instants, window: Window, observer,
                                 spikes: list) -> None:
        """Rounds in which a neuron's next event is its next arrival or its predicted update, whichever is first.

        One update if they coincide; neurons with nothing left before the
        window's end drop out.
        """
        # a sentinel row past the end for neurons with no arrival left
        arrivals = Instants(None, np.concatenate((instants.k, _NEVER)), np.concatenate((instants.f, _ZERO)),
                            np.concatenate((instants.total, _ZERO)))
        state = self.state
        while neurons.size:
            at = np.where(cursor < stop, cursor, arrivals.k.size - 1)
            pk, pf = state.pk[neurons], state.pf[neurons]
            ak, af = arrivals.k[at], arrivals.f[at]
            forced = earlier(pk, pf, ak, af)  # the prediction comes first: an update with no input
            tk, tf = np.where(forced, pk, ak), np.where(forced, pf, af)
            live = before(tk, tf, window.end)
            if not live.all():
                neurons, cursor, stop, tk, tf, forced, at, pk, pf = (
                    a[live] for a in (neurons, cursor, stop, tk, tf, forced, at, pk, pf)
                )
                if not neurons.size:
                    break
            inputs = np.where(forced, 0.0, arrivals.total[at])
            crossing = ~earlier(tk, tf, pk, pf)  # the predicted crossing is now
            self._update(state, neurons, self.p.rows(neurons), neurons, (tk, tf), inputs, observer, spikes,
                         forced, crossing, predict=True)
            cursor = cursor + ~forced

    def _update(self, state: State, rows, q, neurons, t, inputs, observer, spikes: list, forced=None,
                crossing=None, predict: bool | None = None) -> None:
        """One update of the neurons at ``rows`` of ``state``, each at its own time ``t = (k, f)``.

        ``q``: their parameters; ``neurons``: their indices in the network;
        ``forced``: the update is the neuron's predicted one, with no arrivals;
        ``crossing``: its predicted crossing falls at ``t`` (``None``: nowhere).
        ``predict``: whether to predict the next update without input
        (default: if any neuron of the population can have one). The spikes
        are appended to ``spikes``.
        """
        blocked = earlier(t[0], t[1], state.rk[rows], state.rf[rows])  # (a spent single-spike neuron: rk = inf)
        if forced is not None:
            blocked &= ~forced
        if observer.tracing:
            delivered = ~forced if forced is not None else slice(None)
            observer.deliveries(neurons[delivered], t[0][delivered], t[1][delivered], inputs[delivered],
                                blocked[delivered])
        v, anchor = state.v[rows], (state.ak[rows], state.af[rows])
        any_blocked = some(blocked)
        if any_blocked:  # a blocked arrival changes nothing: evaluate it at the anchor and keep the old state
            t = (np.where(blocked, anchor[0], t[0]), np.where(blocked, anchor[1], t[1]))
        m = self.clock.integrate(q, v, anchor, t, inputs, crossing)
        fired = fires(m, q.theta)
        if any_blocked:
            fired &= ~blocked
            state.v[rows] = np.where(blocked, v, m)
            state.restart[rows] &= blocked
        else:
            state.v[rows] = m
            state.restart[rows] = False
        state.ak[rows], state.af[rows] = t
        if some(fired):
            i = np.flatnonzero(fired)
            at = _pick(rows, i)
            self._fire(state, at, q.rows(i), (t[0][i], t[1][i]), m[i])
            spikes.append((neurons[i], t[0][i], t[1][i]))
        if self._predicts if predict is None else predict:
            self._repredict(state, rows, q)
        if observer.tracing or observer.probing:
            went = ~blocked
            observer.updates(neurons[went], t[0][went], t[1][went], m[went], fired[went], state.v[rows][went],
                             state.ak[rows][went], state.af[rows][went])

    def _fire(self, state: State, at, q, t, m) -> None:
        """Reset, hold until the end of the refractory period, retire single-spike neurons (``at``: rows of ``state``)."""
        state.v[at] = apply_reset(m, True, q.reset_by, q.reset_to)
        refractory = q.refractory
        ref_end = (t[0] + refractory, t[1])
        state.ak[at], state.af[at] = self.clock.anchor_after_spike(t, refractory, ref_end)
        state.restart[at] = refractory > 0
        state.rk[at], state.rf[at] = np.where(q.single_spike, np.inf, ref_end[0]), ref_end[1]  # spent: blocked for good

    def _repredict(self, state: State, rows, q) -> None:
        """Recompute the next update-without-input of the neurons at ``rows``."""
        v = state.v[rows]
        quiet = _spent(state, rows) | (~q.may_cross & ~fires(v, q.theta))
        pk, pf = np.full(v.shape, np.inf), np.zeros(v.shape)
        if not quiet.all():
            w = np.flatnonzero(~quiet)
            anchor = (state.ak[rows][w], state.af[rows][w])
            pk[w], pf[w] = self.clock.predict(q.rows(w), v[w], anchor, state.restart[rows][w])
        state.pk[rows], state.pf[rows] = pk, pf


def _spent(state: State, rows) -> np.ndarray:
    """Single-spike neurons that have fired: blocked for good (``rk = inf``)."""
    return state.rk[rows] == np.inf


def _pick(rows, i: np.ndarray):
    """The rows ``rows[i]`` of a state, for ``rows`` an index array or a slice from 0."""
    return i if isinstance(rows, slice) else rows[i]


def _spikes(batches: list) -> Spikes:
    """The spikes of all updates, batch after batch."""
    if not batches:
        return Spikes.none()
    neuron, k, f = (np.concatenate(parts) for parts in zip(*batches))
    return Spikes(neuron, k, f, np.ones(neuron.size))


def _runs(sorted_neurons: np.ndarray, extra: np.ndarray):
    """Distinct neurons of ``sorted_neurons`` ∪ ``extra``, with each one's slice ``[start, stop)``."""
    if extra.size:
        neurons = np.union1d(sorted_neurons, extra)
        return neurons, np.searchsorted(sorted_neurons, neurons, "left"), np.searchsorted(sorted_neurons, neurons, "right")
    if sorted_neurons.size == 0:
        return sorted_neurons, sorted_neurons, sorted_neurons
    first = np.flatnonzero(np.concatenate(([True], sorted_neurons[1:] != sorted_neurons[:-1])))
    return sorted_neurons[first], first, np.append(first[1:], sorted_neurons.size)
