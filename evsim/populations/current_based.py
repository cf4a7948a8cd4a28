"""The current-based population: every CubaLIF neuron of a (discrete) network.

Each neuron holds a potential ``v`` and a synaptic current ``i``; one update
at step ``k`` is :func:`evsim.neurons.cuba_step` with the step's summed
arrivals (``0.0`` on a step without any), then :func:`~evsim.neurons.fires`
and :func:`~evsim.neurons.apply_reset` — the rule of
:class:`~evsim.neurons.CubaLIF`.

Idle steps (no arrivals) are computed exactly as a step-by-step loop would,
``cuba_step`` with ``I = 0``, but only where they matter. After every update
(and at time 0) a neuron is

* *settled* if an idle step gives back its state bit for bit (sign of zero
  included) without firing: every idle step until its next arrival would,
  so none is computed;
* *quiet* if its free evolution provably stays below the threshold
  (:func:`~evsim.neurons.cuba_ceiling`, rounding included): it cannot fire
  before its next arrival, so it gets no update of its own; its idle steps
  are computed (stopping once it settles) up to each step the population
  runs, all quiet neurons of the rank together — so before its next update —
  and, for a probed potential, by the sampler;
* *awake* otherwise: it may fire on its own, so it updates at every step.

So the engine computes exactly the loop's steps, minus those that change
nothing (bit-exact), and schedules wake-ups only for neurons that may fire.
(A current decays to a floating-point fixed point — ``0``, or a few
subnormals where ``beta_syn > 1/2`` — in about ``745 / ln(1 / beta_syn)``
steps from a current near 1 (1075 at ``1/2``), and the potential settles
likewise, since both maps are monotone and contracting; a neuron whose
resting state lies at or above its threshold stays awake, firing: it is
self-driven.)

Within a window the population goes step by step through the steps that
have arrivals or awake neurons: at each, the quiet neurons of the rank take
their idle steps up to it (together, so a long quiet stretch costs one
vectorised idle step per step, or nothing once settled), then the neurons
with arrivals or awake there update.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evsim._arrays import shared_values
from evsim.events import Instants, Spikes, Window
from evsim.neurons import apply_reset, cuba_ceiling, cuba_step, fires
from evsim.timegrid import before

__all__ = ["CurrentBased", "CurrentParameters"]


@dataclass(frozen=True, eq=False)
class CurrentParameters:
    """CubaLIF parameters as arrays over every neuron of the network (meaningful at ``members``).

    ``beta_syn``, ``beta_mem`` are the per-step decays (:meth:`~evsim.neurons.CubaLIF.betas`),
    ``reset_to`` is NaN for a subtract reset. :meth:`of_rows` gives a field at some rows — one scalar where
    every member shares it (broadcasting it gives the same numbers, without gathering).
    """

    members: np.ndarray
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
            members=members, theta=column(lambda m: m.threshold, math.inf), v_rest=column(lambda m: m.v_rest),
            bias=column(lambda m: m.bias), i_bias=column(lambda m: m.i_bias),
            beta_syn=column(lambda m: m.betas(dt)[0]), beta_mem=column(lambda m: m.betas(dt)[1]),
            reset_to=column(lambda m: m.reset_to),
            v_init=column(lambda m: m.v_init), i_init=column(lambda m: m.i_init),
        )

    def __post_init__(self) -> None:
        names = ("theta", "v_rest", "bias", "i_bias", "beta_syn", "beta_mem", "reset_to")
        object.__setattr__(self, "shared", shared_values(self, names, self.members))

    def of_rows(self, name: str, rows):
        """The field ``name`` at ``rows`` (a scalar where every member shares it)."""
        return self.shared[name] if name in self.shared else getattr(self, name)[rows]

    def decay(self, rows) -> tuple:
        """``beta_syn, beta_mem, v_rest, bias, i_bias`` at ``rows``: the arguments of the step after the state."""
        return tuple(self.of_rows(name, rows) for name in ("beta_syn", "beta_mem", "v_rest", "bias", "i_bias"))

    def step(self, rows, v, i, inputs):
        """:func:`~evsim.neurons.cuba_step` of the neurons at ``rows``: their new current and ``m``."""
        return cuba_step(v, i, inputs, *self.decay(rows))

    def idle_steps(self, rows, v, i, n, quiet: bool = True):
        """``n`` idle steps (elementwise) of the neurons at ``rows`` from ``(v, i)``, each stopping once settled.

        Returns the new ``(v, i)`` and which of them settled on the way. ``quiet``: the neurons were
        proven not to fire (an internal invariant, checked).
        """
        v, i, left = np.array(v, float), np.array(i, float), np.array(n, float)
        settled = np.zeros(v.shape, bool)
        live = np.flatnonzero(left > 0)
        while live.size:
            at = rows[live]
            i_next, m = self.step(at, v[live], i[live], 0.0)
            assert not (quiet and fires(m, self.of_rows("theta", at)).any()), "a quiet CubaLIF reached its threshold"
            still = _same(i_next, i[live]) & _same(m, v[live])
            v[live], i[live] = m, i_next
            settled[live[still]] = True
            left[live] -= 1
            live = live[~still & (left[live] > 0)]
        return v, i, settled

    def quiet(self, rows, v, i):
        """Where free evolution from ``(v, i)`` provably stays below the threshold (:func:`~evsim.neurons.cuba_ceiling`)."""
        return ~fires(cuba_ceiling(v, i, *self.decay(rows)), self.of_rows("theta", rows))


class CurrentBased:
    """State and update kernel of every CubaLIF neuron (see the module docstring)."""

    has_potential = True
    max_window = math.inf

    def __init__(self, plan, members: np.ndarray, rng=None) -> None:
        n = plan.size
        self.members = members
        self.grid, self.rank = plan.grid, plan.rank
        self.p = p = CurrentParameters.of(plan, members)
        self.v, self.i = p.v_init.copy(), p.i_init.copy()
        self.at = np.full(n, -1.0)  # the last step applied to (v, i)
        self.drifting = np.zeros(n, bool)  # quiet, not settled: idle steps still change it
        self.next = np.full(n, np.inf)  # the step of the next update with no input (inf: none)
        self._probed_currents: list = []  # (neurons, i after the update) of probed neurons, for the sampler
        self._classify(members, np.full(members.size, -1.0))

    def next_wakeup(self) -> tuple[float, float]:
        """``(k, 0)`` of the earliest update with no input: the next step of an awake neuron (``inf``: none)."""
        return float(self.next.min()), 0.0

    def due_before(self, end: tuple[float, float]) -> np.ndarray:
        """Awake members whose next step comes before ``end``."""
        return np.flatnonzero(before(self.next, 0.0, end))

    def process(self, instants: Instants, due: np.ndarray, window: Window, observer) -> Spikes:
        """Every update before ``window.end``, step by step: at each step with arrivals or awake neurons, the
        quiet neurons' idle steps up to it, then the update of the neurons with arrivals or awake there."""
        order = np.lexsort((instants.neuron, instants.k))  # by step, then neuron
        k, neuron, total = instants.k[order], instants.neuron[order], instants.total[order]
        awake, first, spikes = due, 0, []
        rank = self.rank[neuron[0] if neuron.size else due[0]]  # (the simulator hands over one rank at a time)
        here = self.rank == rank  # (quiet neurons of higher ranks may still get arrivals in this window)
        while True:
            step = min(k[first] if first < k.size else np.inf, self.next[awake].min() if awake.size else np.inf)
            if not before(step, 0.0, window.end):
                break
            last = int(np.searchsorted(k, step, "right"))
            arriving, sums = neuron[first:last], total[first:last]
            now = self.next[awake] == step
            later = awake[~now]  # (no arrival comes before an awake neuron's next step: it updates at every step)
            neurons = np.union1d(arriving, awake[now])
            inputs = np.zeros(neurons.size)
            inputs[np.searchsorted(neurons, arriving)] = sums
            if observer.tracing and arriving.size:
                observer.deliveries(arriving, k[first:last], np.zeros(arriving.size), sums,
                                    np.zeros(arriving.size, bool))
            self._catch_up(np.flatnonzero(self.drifting & here), step - 1)  # all quiet neurons of the rank together
            self._update(neurons, np.full(neurons.size, step), inputs, observer, spikes)
            awake = np.concatenate((later, neurons[self.next[neurons] == step + 1]))
            first = last
        if not spikes:
            return Spikes.none()
        fired, at = (np.concatenate(parts) for parts in zip(*spikes))
        return Spikes(fired, at, np.zeros(fired.size), np.ones(fired.size))

    def _update(self, neurons, t, inputs, observer, spikes: list) -> None:
        """One step of ``neurons`` at step ``t`` (the quiet ones among them have taken their idle steps before it)."""
        p = self.p
        self.i[neurons], m = p.step(neurons, self.v[neurons], self.i[neurons], inputs)
        theta = p.of_rows("theta", neurons)
        fired = fires(m, theta)
        self.v[neurons] = apply_reset(m, fired, theta, p.of_rows("reset_to", neurons))
        if fired.any():
            spikes.append((neurons[fired], t[fired]))
        self._classify(neurons, t)
        if observer.tracing or observer.probing:
            observer.updates(neurons, t, np.zeros(t.size), m, fired, self.v[neurons], t, np.zeros(t.size))
        if observer.probing and observer.probed[neurons].any():
            keep = observer.probed[neurons]
            self._probed_currents.append((neurons[keep], self.i[neurons][keep]))

    def _classify(self, neurons, t) -> None:
        """After step ``t``: settled (nothing to do), quiet (idle steps computed lazily) or awake (updates at t + 1)."""
        v, i = self.v[neurons], self.i[neurons]
        i_next, m = self.p.step(neurons, v, i, 0.0)
        calm = ~fires(m, self.p.of_rows("theta", neurons))
        settled = calm & _same(i_next, i) & _same(m, v)
        quiet = ~settled & self.p.quiet(neurons, v, i)
        self.at[neurons] = t
        self.drifting[neurons] = quiet
        self.next[neurons] = np.where(settled | quiet, np.inf, t + 1)

    def _catch_up(self, neurons, upto) -> None:
        """Apply the idle steps up to step ``upto`` (inclusive) to the quiet ones among ``neurons``."""
        drifting = neurons[self.drifting[neurons]]
        if not drifting.size:
            return
        upto = np.broadcast_to(upto, neurons.shape)[self.drifting[neurons]]
        v, i, settled = self.p.idle_steps(drifting, self.v[drifting], self.i[drifting],
                                          np.maximum(upto - self.at[drifting], 0.0))
        self.v[drifting], self.i[drifting] = v, i
        self.at[drifting] = np.maximum(self.at[drifting], upto)
        self.drifting[drifting[settled]] = False

    def sampler(self, i: int):
        """Potential of neuron ``i`` at times (ms): after its last update at or before the time's step (the
        initial state before the first), the idle steps up to that step — the free evolution of the rule."""
        grid, p, rows = self.grid, self.p, np.array([i])
        start_v, start_i = float(p.v_init[i]), float(p.i_init[i])

        def sample(times_ms, anchors_ms, event_times_ms, afters):
            currents = [c[n == i] for n, c in self._probed_currents]
            after_i = np.concatenate(currents) if currents else np.zeros(0)
            events = grid.step_of(event_times_ms)
            steps = grid.step_of(times_ms)
            last = np.searchsorted(events, steps, "right") - 1  # (-1: before the first update)
            v = np.append(afters, start_v)[last]
            c = np.append(after_i, start_i)[last]
            since = np.append(events, -1)[last]
            return p.idle_steps(np.repeat(rows, v.size), v, c, steps - since, quiet=False)[0]

        return sample


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Equal bit for bit (``0.0`` and ``-0.0`` differ; no NaN occurs)."""
    return (a == b) & (np.signbit(a) == np.signbit(b))
