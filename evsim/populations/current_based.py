"""The current-based population: every CubaLIF neuron of a (discrete) network.

Each neuron holds a potential ``v`` and a synaptic current ``i``; one update
at step ``k`` is :func:`evsim.neurons.cuba_step` with the step's summed
arrivals (``0.0`` on a step without any), then :func:`~evsim.neurons.fires`
and :func:`~evsim.neurons.apply_reset` — the rule of
:class:`~evsim.neurons.CubaLIF`.

Idle steps. A neuron is *awake* while a step with no input would change its
state or fire: after every update (and at time 0) the population computes
that step, and the neuron *rests* only if it gives back exactly the same
``(v, i)`` — bit for bit, sign of zero included — without reaching the
threshold. An awake neuron updates at every step (its next update with no
input is the next step); a resting one updates only at its next arrival,
because every idle step in between would map its state to itself. So the
engine computes exactly the steps a step-by-step loop computes, minus steps
that change nothing: bit-exact. (A current decays to a floating-point fixed
point — ``0``, or a few subnormals where ``beta_syn > 1/2`` — in about
``745 / ln(1 / beta_syn)`` steps from a current near 1 (1075 at ``1/2``),
and the potential settles likewise, since both maps are monotone and
contracting; a neuron whose resting state lies at or above its threshold
stays awake, firing: it is self-driven.)

Within a window the population runs each neuron's events in time order, in
rounds: round ``r`` updates every neuron at its own next event — its next
arrival or, if awake, its next step, whichever is earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evsim.events import Instants, Spikes, Window
from evsim.neurons import apply_reset, cuba_step, fires
from evsim.timegrid import before

__all__ = ["CurrentBased", "CurrentParameters"]


@dataclass(frozen=True, eq=False)
class CurrentParameters:
    """CubaLIF parameters as arrays over every neuron of the network (meaningful at ``members``).

    ``beta_syn``, ``beta_mem`` are the per-step decays (:meth:`~evsim.neurons.CubaLIF.betas`),
    ``reset_to`` is NaN for a subtract reset.
    """

    theta: np.ndarray
    v_rest: np.ndarray
    bias: np.ndarray
    i_bias: np.ndarray
    beta_syn: np.ndarray
    beta_mem: np.ndarray
    reset_to: np.ndarray
    v_init: np.ndarray
    i_init: np.ndarray

    @classmethod
    def of(cls, plan, members: np.ndarray) -> "CurrentParameters":
        models = list(plan.net.neurons.values())
        dt = plan.net.dt

        def column(get, default=0.0):
            values = np.full(len(models), default)
            values[members] = [get(models[i]) for i in members.tolist()]
            return values

        return cls(
            theta=column(lambda m: m.threshold, math.inf), v_rest=column(lambda m: m.v_rest),
            bias=column(lambda m: m.bias), i_bias=column(lambda m: m.i_bias),
            beta_syn=column(lambda m: m.betas(dt)[0]), beta_mem=column(lambda m: m.betas(dt)[1]),
            reset_to=column(lambda m: math.nan if m.reset_potential is None else m.reset_potential),
            v_init=column(lambda m: m.v_init), i_init=column(lambda m: m.i_init),
        )

    def step(self, rows, v, i, inputs):
        """:func:`~evsim.neurons.cuba_step` of the neurons at ``rows``: their new current and ``m``."""
        return cuba_step(v, i, inputs, self.beta_syn[rows], self.beta_mem[rows], self.v_rest[rows], self.bias[rows],
                         self.i_bias[rows])


class CurrentBased:
    """State and update kernel of every CubaLIF neuron (see the module docstring)."""

    has_potential = True
    max_window = math.inf

    def __init__(self, plan, members: np.ndarray, rng=None) -> None:
        self.members = members
        self.grid = plan.grid
        self.p = p = CurrentParameters.of(plan, members)
        self.v, self.i = p.v_init.copy(), p.i_init.copy()
        self.next = np.full(plan.size, np.inf)  # the step of the next update with no input (inf: resting)
        self.next[members] = np.where(self._resting(members), np.inf, 0.0)

    def next_wakeup(self) -> tuple[float, float]:
        """``(k, 0)`` of the earliest update with no input: the next step of an awake neuron (``inf``: none)."""
        return float(self.next.min()), 0.0

    def due_before(self, end: tuple[float, float]) -> np.ndarray:
        """Awake members whose next step comes before ``end``."""
        return np.flatnonzero(before(self.next, 0.0, end))

    def process(self, instants: Instants, due: np.ndarray, window: Window, observer) -> Spikes:
        """Each neuron's arrivals and idle steps before ``window.end``, in time order, round by round."""
        neurons = np.union1d(instants.neuron, due)
        cursor = np.searchsorted(instants.neuron, neurons, "left")
        stop = np.searchsorted(instants.neuron, neurons, "right")
        k_of = np.append(instants.k, np.inf)  # a sentinel for neurons with no arrival left
        total_of = np.append(instants.total, 0.0)
        spikes: list = []
        while neurons.size:
            at = np.where(cursor < stop, cursor, k_of.size - 1)
            t = np.minimum(k_of[at], self.next[neurons])
            live = before(t, 0.0, window.end)
            if not live.all():
                neurons, cursor, stop, at, t = (a[live] for a in (neurons, cursor, stop, at, t))
                if not neurons.size:
                    break
            arriving = k_of[at] == t
            inputs = np.where(arriving, total_of[at], 0.0)
            if observer.tracing and arriving.any():
                observer.deliveries(neurons[arriving], t[arriving], np.zeros(int(arriving.sum())), inputs[arriving],
                                    np.zeros(int(arriving.sum()), bool))
            self._update(neurons, t, inputs, observer, spikes)
            cursor = cursor + arriving
        if not spikes:
            return Spikes.none()
        neuron, k = (np.concatenate(parts) for parts in zip(*spikes))
        return Spikes(neuron, k, np.zeros(neuron.size), np.ones(neuron.size))

    def _update(self, neurons, t, inputs, observer, spikes: list) -> None:
        """One step of ``neurons``, each at its own step ``t``; then whether each rests or stays awake."""
        p = self.p
        self.i[neurons], m = p.step(neurons, self.v[neurons], self.i[neurons], inputs)
        fired = fires(m, p.theta[neurons])
        self.v[neurons] = apply_reset(m, fired, p.theta[neurons], p.reset_to[neurons])
        if fired.any():
            spikes.append((neurons[fired], t[fired]))
        self.next[neurons] = np.where(self._resting(neurons), np.inf, t + 1)
        if observer.tracing or observer.probing:
            observer.updates(neurons, t, np.zeros(t.size), m, fired, self.v[neurons], t, np.zeros(t.size))

    def _resting(self, neurons) -> np.ndarray:
        """Where a step with no input gives back the same state, bit for bit, and does not fire."""
        v, i = self.v[neurons], self.i[neurons]
        i_next, m = self.p.step(neurons, v, i, 0.0)
        return _same(i_next, i) & _same(m, v) & ~fires(m, self.p.theta[neurons])

    def sampler(self, i: int):
        """Potential of neuron ``i`` at times (ms) the run reached, from its updates.

        Between updates a CubaLIF rests (its idle steps change nothing), so the
        potential is the one after its last update at or before the time's
        step (``v_init`` before the first).
        """
        grid, v_init = self.grid, float(self.p.v_init[i])

        def sample(times_ms, anchors_ms, event_times_ms, afters):
            last = np.searchsorted(grid.step_of(event_times_ms), grid.step_of(times_ms), "right") - 1
            return np.append(afters, v_init)[last]  # (last = -1: before the first update)

        return sample


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Equal bit for bit (``0.0`` and ``-0.0`` differ; no NaN occurs)."""
    return (a == b) & (np.signbit(a) == np.signbit(b))
