"""The event-driven simulator: a network, a scheduler, state and a random generator.

How a run proceeds
------------------
The scheduler (a :class:`~evsim.scheduler.Scheduler`, backed by heapdict)
holds two kinds of keys:

* a *delivery bucket* per future arrival time: every spike that will arrive
  at that time is appended to one heap entry (priority ``(t, 0, DELIVER)``);
* one *predicted-update* key per neuron that will update without input — an
  integrate-and-fire neuron's exact threshold crossing (or, in discrete time,
  a checkpoint), a Lynch–Musco neuron's next spontaneous firing round
  (priority ``(t, rank, UPDATE)``). Its priority is moved in place whenever an
  update changes the prediction.

Input trains are kept as one time-sorted array and merged in, with no heap
entry per input spike.

The simulator advances in *windows* ``[t0, t0 + L)``, where ``t0`` is the
next event and ``L`` the lookahead: the smallest positive delay out of any
non-input neuron (one round when Lynch–Musco neurons are present). Nothing
emitted inside a window can land inside it, except through zero-delay
synapses, whose targets have a higher rank; so the window's work is exact
when done rank by rank, each neuron's events in time order, with the
arrivals of one instant summed before its single update
(DELIVER < UPDATE). Window boundaries never change a result: a run split at
any time equals the whole run.
"""

from __future__ import annotations

import math
import numbers
from typing import Iterable

import numpy as np

from evsim._arrays import concat_ranges
from evsim.compile import INPUT, INTEGRATOR, STOCHASTIC, compile_network
from evsim.dynamics import clock_for
from evsim.errors import EmptySchedule, SchedulingError, ValidationError
from evsim.inputs import InputsLike, normalise_inputs
from evsim.network import Network
from evsim.populations import Arrivals, Integrators, LynchMusco
from evsim.record import SpikeRecord
from evsim.recorder import Recorder
from evsim.scheduler import DELIVER, UPDATE, Scheduler

__all__ = ["Simulator", "simulate"]

MAX_INPUTS_PER_WINDOW = 200_000


class Simulator:
    """Runs one network from time 0; resumable, deterministic for a given ``rng``.

    Parameters
    ----------
    net : Network
    rng : None, int or numpy.random.Generator
        Source of randomness for Lynch–Musco neurons (keyword-only).
    probes : iterable of str
        IF/LIF neurons whose potential is recorded at every update.
    trace : bool
        Keep the full event trace (for teaching; costs time and memory).

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> sim = evsim.Simulator(net)
    >>> sim.feed({"x": [0, 1, 2]})
    >>> sim.run(until=5)
    >>> sim.record.trains()["y"]
    array([2.])
    """

    def __init__(
        self, net: Network, *, rng=None, probes: Iterable[str] = (), trace: bool = False
    ) -> None:
        if not isinstance(net, Network):
            raise ValidationError(f"Simulator needs a Network, got {type(net).__name__}")
        self.net = net
        self.plan = plan = compile_network(net)
        self._rng = np.random.default_rng(rng)
        self._index = {name: i for i, name in enumerate(net.names)}
        self._scheduler = Scheduler()
        self._key_time = np.full(plan.size, np.inf)  # time of each neuron's heap key (inf: none)
        self._recorder = Recorder(plan, probes, trace)
        self._integrators = Integrators(plan, clock_for(plan))
        self._lynch_musco = LynchMusco(plan, self._rng)
        self._input = (np.zeros(0), np.zeros(0, np.int64), np.zeros(0))
        self._input_pos = 0
        self._done = 0.0  # units: everything before this time has run
        self._now = 0.0  # units: time of the last processed instant or run end
        self._ranks = np.unique(plan.rank[plan.kind != INPUT])
        self._populations = self._population_table()
        self._sync_keys(np.arange(plan.size))

    # -- public API --------------------------------------------------------
    @property
    def now(self) -> float:
        """Current model time in ms."""
        return self._now * self.plan.unit

    @property
    def record(self) -> SpikeRecord:
        """Everything recorded so far."""
        return self._recorder.record()

    def feed(self, inputs: InputsLike) -> None:
        """Add input events: ``{name: times}`` or ``{name: (times, values)}`` (ms).

        Raises
        ------
        ValidationError
            Unknown or non-input neuron, bad times or values.
        SchedulingError
            A time that has already been simulated.
        """
        times, neurons, values = normalise_inputs(
            inputs, self._index, self.net.inputs, self.net.dt, self.now
        )
        if times.size and times[0] < self._done:
            raise SchedulingError(
                f"input time {times[0] * self.plan.unit!r} ms has already been simulated "
                f"(simulated up to {self._done * self.plan.unit!r} ms)"
            )
        pos = self._input_pos
        merged = [np.concatenate((old[pos:], new)) for old, new in zip(self._input, (times, neurons, values))]
        order = np.argsort(merged[0], kind="stable")
        self._input = tuple(a[order] for a in merged)
        self._input_pos = 0

    def peek(self) -> float:
        """Time (ms) of the next event, ``inf`` if there is none."""
        return self._next_time() * self.plan.unit

    def step(self) -> float:
        """Process every event of the next instant; return its time (ms).

        Raises
        ------
        EmptySchedule
            If no event is left.
        """
        t0 = self._next_time()
        if math.isinf(t0):
            raise EmptySchedule("no event left to step; feed() inputs or check peek() first")
        self._window(t0, float(np.nextafter(t0, np.inf)))
        self._now = t0
        return t0 * self.plan.unit

    def run(self, until: float) -> None:
        """Process every event with time ``< until`` (ms); resumable.

        Raises
        ------
        SchedulingError
            If ``until`` is before the current time.
        """
        if not isinstance(until, numbers.Real) or math.isnan(until):
            raise ValidationError(f"until must be a time in ms, got {until!r}")
        end = until / self.plan.unit
        if end < self._now:
            raise SchedulingError(f"cannot run until {until!r} ms: the simulation is already at {self.now!r} ms")
        while True:
            t0 = self._next_time()
            if t0 >= end:
                break
            self._window(t0, self._window_end(t0, end))
        self._now = end
        self._done = max(self._done, end)

    # -- the engine ----------------------------------------------------------
    def _population_table(self):
        """``(population, membership mask or None if it owns every non-input neuron)``."""
        kinds = set(self.plan.kind[self.plan.kind != INPUT].tolist())
        table = []
        for kind, population in ((INTEGRATOR, self._integrators), (STOCHASTIC, self._lynch_musco)):
            if kind in kinds:
                table.append((population, None if len(kinds) == 1 else self.plan.kind == kind))
        return table

    def _next_time(self) -> float:
        times = self._input[0]
        next_input = times[self._input_pos] if self._input_pos < times.size else math.inf
        return min(self._scheduler.peek(), float(next_input))

    def _window_end(self, t0: float, end: float) -> float:
        t_end = min(t0 + self.plan.lookahead, end)
        times, cap = self._input[0], self._input_pos + MAX_INPUTS_PER_WINDOW
        if cap < times.size and times[cap] < t_end:
            t_end = max(float(times[cap]), float(np.nextafter(t0, np.inf)))
        return t_end

    def _window(self, t0: float, t_end: float) -> None:
        popped: list[Arrivals] = []
        due: list[int] = []
        for event in self._scheduler.pop_before(t_end):
            if event.payload is None:
                due.append(event.id[1])
                self._key_time[event.id[1]] = np.inf
            else:
                popped.extend(event.payload)
        pending: list[Arrivals] = []
        if popped:
            self._route(Arrivals.concat(popped), t_end, pending)
        self._release_inputs(t_end, pending)
        due = np.array(sorted(due), np.int64)
        for rank in self._ranks:
            pending = self._run_rank(rank, pending, due, t0, t_end)
        self._recorder.end_window()
        self._done = max(self._done, t_end)

    def _release_inputs(self, t_end: float, pending: list[Arrivals]) -> None:
        times, neurons, values = self._input
        lo = self._input_pos
        hi = int(np.searchsorted(times, t_end, "left"))
        if hi <= lo:
            return
        self._input_pos = hi
        self._recorder.spikes(neurons[lo:hi], times[lo:hi], values[lo:hi])
        self._route(self._fan_out(neurons[lo:hi], times[lo:hi], values[lo:hi]), t_end, pending)

    def _run_rank(self, rank, pending, due, t0, t_end) -> list[Arrivals]:
        """Process the neurons of one rank; return the arrivals left for higher ranks."""
        plan = self.plan
        arrivals = Arrivals.concat(pending)
        rest = None
        if self._ranks.size > 1:
            here = plan.rank[arrivals.target] == rank
            arrivals, rest = arrivals.take(here), arrivals.take(~here)
            due = due[plan.rank[due] == rank]
        mark = self._recorder.mark()
        for population, members in self._populations:
            if members is None:
                mine, mine_due = arrivals, due
            else:
                mine, mine_due = arrivals.take(members[arrivals.target]), due[members[due]]
            if mine.time.size or mine_due.size:
                touched = population.process(mine, mine_due, t0, t_end, self._recorder)
                self._sync_keys(touched)
        remaining = [rest] if rest is not None and rest.time.size else []
        spiked = self._recorder.spikes_since(mark)
        if spiked:
            neurons = np.concatenate([s[0] for s in spiked])
            times = np.concatenate([s[1] for s in spiked])
            self._route(self._fan_out(neurons, times, np.ones(neurons.size)), t_end, remaining)
        return remaining

    def _fan_out(self, sources: np.ndarray, times: np.ndarray, values: np.ndarray) -> Arrivals:
        p = self.plan
        lo, hi = p.out_ptr[sources], p.out_ptr[sources + 1]
        rows = concat_ranges(lo, hi)
        counts = hi - lo
        return Arrivals(
            np.repeat(times, counts) + p.out_delay[rows],
            p.out_target[rows],
            np.repeat(values, counts) * p.out_weight[rows],
            p.out_row[rows],
        )

    def _route(self, arrivals: Arrivals, t_end: float, pending: list[Arrivals]) -> None:
        """Arrivals inside the window join ``pending``; later ones form one bucket.

        The bucket is keyed at its earliest arrival; when it is popped, any
        arrival beyond that window is routed again. With uniform delays a
        window's whole fan-out lands in the next window, so this costs one
        heap entry per window instead of one per arrival time.
        """
        inside = arrivals.time < t_end
        if inside.all():
            if inside.size:
                pending.append(arrivals)
            return
        if inside.any():
            pending.append(arrivals.take(inside))
            arrivals = arrivals.take(~inside)
        self._add_to_bucket(float(arrivals.time.min()), arrivals)

    def _add_to_bucket(self, time: float, chunk: Arrivals) -> None:
        key = ("bucket", time)
        if key in self._scheduler:
            self._scheduler.payload_of(key).append(chunk)
        else:
            self._scheduler.schedule(time, [chunk], rank=0, phase=DELIVER, event_id=key)

    def _sync_keys(self, neurons: np.ndarray) -> None:
        """Move each neuron's predicted-update key to its current prediction (if it changed)."""
        pred = np.minimum(self._integrators.pred[neurons], self._lynch_musco.pred[neurons])
        changed = pred != self._key_time[neurons]
        for i, t in zip(neurons[changed].tolist(), pred[changed].tolist()):
            key = ("neuron", i)
            if math.isinf(t):
                self._scheduler.cancel(key)
            elif math.isinf(self._key_time[i]):
                self._scheduler.schedule(t, None, rank=int(self.plan.rank[i]), phase=UPDATE, event_id=key)
            else:
                self._scheduler.reschedule(key, t)
            self._key_time[i] = t


def simulate(
    net: Network,
    inputs: InputsLike | None = None,
    until: float = 0.0,
    *,
    rng=None,
    probes: Iterable[str] = (),
    trace: bool = False,
) -> SpikeRecord:
    """Run ``net`` from time 0 with the given inputs until ``until`` ms (exclusive).

    ``inputs`` maps input-neuron names to spike times (ms), or to
    ``(times, values)`` for analog events. Returns the :class:`SpikeRecord`.
    """
    sim = Simulator(net, rng=rng, probes=probes, trace=trace)
    if inputs:
        sim.feed(inputs)
    sim.run(until)
    return sim.record
