"""The event-driven simulator: a network, a scheduler, populations and a random generator.

How one spike travels (docs/engine.md walks through it with an example)
-----------------------------------------------------------------------
1. An input train is :meth:`Simulator.feed` into an :class:`~evsim.inputs.InputQueue`,
   its times placed on the network's grid as ``(k, f)`` pairs and wired at
   once into their synaptic :class:`~evsim.events.Arrivals`
   (:meth:`~evsim.compile.Plan.fan_out`).
2. :meth:`Simulator.run` cuts time into *windows* (:meth:`_window`) of one
   lookahead ``L``: the smallest positive delay out of any non-input neuron.
   Nothing emitted inside a window can land inside it, except through
   zero-delay synapses, whose targets have a higher rank.
3. At the start of a window the simulator collects its work
   (:meth:`_collect`): the :class:`~evsim.events.Delivery` buckets and
   :class:`~evsim.events.Wakeup` entries the scheduler holds before the
   window's end (a population's wake-up names its neurons due), and the input
   spikes and arrivals the queue releases.
4. Rank by rank (:meth:`_run_rank`), the arrivals at that rank are summed per
   neuron and instant (DELIVER, :meth:`~evsim.events.Arrivals.summed`) and
   each population updates its neurons (UPDATE, ``population.process``),
   each neuron's events in time order; it returns the spikes it made.
5. The simulator records those spikes and sends them on (:meth:`_send`):
   through a synapse of delay ``d`` a spike at ``(k, f)`` arrives at
   ``(k + d, f)`` — delays add whole steps, so coincidences stay exact.
   Arrivals inside the window (zero delay) go to the next rank; later ones
   wait in one :class:`~evsim.events.Delivery` bucket on the scheduler.
6. Each population's earliest update with no input (a predicted threshold
   crossing) is its :class:`~evsim.events.Wakeup` entry, moved in place
   with decrease/increase-key (:meth:`_sync_wakeups`).

The scheduler (:class:`~evsim.scheduler.Scheduler`, backed by heapdict) thus
holds one entry per pending fan-out batch and one per population that will
update without input; input spikes are never heap entries. Window boundaries
never change a result: a run split at any time equals the whole run.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from evsim import validation as check
from evsim.compile import compile_network
from evsim.errors import EmptySchedule, SchedulingError, ValidationError
from evsim.events import Arrivals, Delivery, Spikes, Wakeup, Window
from evsim.inputs import InputQueue, InputsLike, normalise_inputs
from evsim.network import Network
from evsim.record import SpikeRecord
from evsim.recorder import Recorder
from evsim.scheduler import DELIVER, UPDATE, Scheduler
from evsim.termination import why_endless
from evsim.timegrid import MAX_STEPS, before, earlier, earliest

__all__ = ["Simulator", "simulate"]

MAX_INPUTS_PER_WINDOW = 200_000
ORIGIN = (0.0, 0.0)
NEVER = (math.inf, 0.0)
ENGINES = ("evsim", "nest")  # simulate(engine=...): the event engine, or NEST (evsim.nest)


class Simulator:
    """Runs one network from time 0; resumable, deterministic for a given ``rng``.

    Parameters
    ----------
    net : Network
    rng : None, int or numpy.random.Generator
        Source of randomness for Lynch–Musco neurons (keyword-only).
    probes : iterable of str
        IF, LIF or CubaLIF neurons whose potential is recorded at every update.
    trace : bool
        Keep the full event trace (for teaching; costs time and memory).
    recorded : iterable of str or None
        The neurons whose spikes the record keeps (default ``None``: all).
        Recording only observes, so the kept spikes are the same either way;
        the record's memory (24 B a spike) scales with what is kept. For long
        runs, :meth:`drain` hands over the spikes so far and forgets them.

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
        self, net: Network, *, rng=None, probes: Iterable[str] = (), trace: bool = False,
        recorded: Iterable[str] | None = None,
    ) -> None:
        check.instance("net", net, Network, owner="Simulator")
        self._rng = check.generator(rng, owner="Simulator")
        probes = check.name_set("probes", probes, owner="Simulator")
        check.flag("trace", trace, owner="Simulator")
        if recorded is not None:  # (unknown names are refused by Network.index, as for probes)
            recorded = check.name_set("recorded", recorded, owner="Simulator")
        self.net = net
        self.plan = plan = compile_network(net)
        self._grid = plan.grid
        self._index = {name: i for i, name in enumerate(net.names)}
        self._populations = [kind(plan, members, self._rng) for kind, members in plan.groups]
        self._owner = np.full(plan.size, -1)  # which population runs each neuron (-1: input)
        for number, population in enumerate(self._populations):
            self._owner[population.members] = number
        self._window_steps = min([plan.lookahead] + [pop.max_window for pop in self._populations])
        self._ranks = np.unique(plan.rank[~plan.is_input])
        self._scheduler = Scheduler(origin=ORIGIN)
        self._wake_at = [NEVER] * len(self._populations)  # where each population's Wakeup entry is
        self._inputs = InputQueue(plan)
        self._recorder = Recorder(plan, self._populations, self._owner, probes, trace, recorded)
        self._done = ORIGIN  # everything before this time has run
        self._now_ms = 0.0  # the last processed instant or run end, in ms
        self._endless: str | None | bool = False  # why a run without an end may not stop (False: not asked yet)
        self._sync_wakeups()

    def __repr__(self) -> str:
        upcoming = self.peek()
        following = "no event pending" if upcoming == float("inf") else f"next event at {upcoming!r} ms"
        return f"Simulator(at {self.now!r} ms, {following}; {len(self.record)} spikes so far; net={self.net!r})"

    # -- public API --------------------------------------------------------
    @property
    def now(self) -> float:
        """Current model time in ms."""
        return self._now_ms

    @property
    def record(self) -> SpikeRecord:
        """Everything recorded so far."""
        return self._recorder.record()

    def drain(self) -> SpikeRecord:
        """The record so far, whose spikes are then forgotten: stream a long run in pieces.

        ``run(t1); a = drain(); run(t2); b = drain()`` gives ``a`` the spikes
        before ``t1`` and ``b`` those in ``[t1, t2)``; memory holds only the
        spikes since the last drain (probed potentials and the trace are kept).
        """
        return self._recorder.drain()

    def feed(self, inputs: InputsLike) -> None:
        """Add input events: ``{name: times}`` or ``{name: Analog(times, values)}`` (ms).

        Raises
        ------
        ValidationError
            Unknown or non-input neuron, bad times or values.
        SchedulingError
            A time that has already been simulated.
        """
        spikes = normalise_inputs(inputs, self._index, self.net.inputs, self._grid, self.now)
        if spikes.size and earlier(spikes.k[0], spikes.f[0], *self._done):
            raise SchedulingError(
                f"input time {float(self._grid.ms(spikes.k[0], spikes.f[0]))!r} ms has already been simulated "
                f"(simulated up to {float(self._grid.ms(*self._done))!r} ms)"
            )
        self._inputs.add(spikes)

    def peek(self) -> float:
        """Time (ms) of the next event, ``inf`` if there is none."""
        return float(self._grid.ms(*self._next_time()))

    def step(self) -> float:
        """Process every event of the next instant; return its time (ms).

        Raises
        ------
        EmptySchedule
            If no event is left.
        """
        start = self._next_time()
        if math.isinf(start[0]):
            raise EmptySchedule("no event left to step; feed() inputs or check peek() first")
        self._window(Window(start, _just_after(start)))
        self._now_ms = float(self._grid.ms(*start))
        return self._now_ms

    def run(self, until: float) -> None:
        """Process every event with time ``< until`` (ms); resumable.

        ``until=inf`` runs until the events end, which is allowed only where
        that provably happens (:func:`evsim.termination.why_endless`: no
        self-driven neuron, no cycle of exciting synapses); the same for an
        ``until`` beyond the longest time represented exactly.

        Raises
        ------
        ValidationError
            If ``until`` is not a real number (a bool, a string, NaN), or is
            infinite on a network whose activity may never end.
        SchedulingError
            If ``until`` is before the current time.
        """
        given, until = until, check.real("until", until, owner="Simulator.run", allow_inf=True)
        if until < self._now_ms:
            raise SchedulingError(f"cannot run until {given!r} ms: the simulation is already at {self.now!r} ms; "
                                  f"until must be >= now")
        end = self._grid.boundary(until)
        if math.isinf(end[0]):
            self._require_an_end(until)
        while True:
            start = self._next_time()
            if not earlier(*start, *end):
                break
            self._window(Window(start, self._window_end(start, end)))
        self._now_ms = float(until)
        self._done = max(self._done, end)

    def _require_an_end(self, until: float) -> None:
        """Refuse a run that ends only when the events do, on a network whose events may never end."""
        if self._endless is False:
            self._endless = why_endless(self.net)
        if self._endless is None:
            return
        if math.isinf(until):
            said = "until=inf runs until the events end"
        else:
            longest = float(self._grid.ms(MAX_STEPS))
            said = (f"until={until!r} ms is beyond the longest time represented exactly ({longest!r} ms), "
                    f"so the run would go on until the events end")
        raise ValidationError(f"Simulator.run: {said}, and here they may never end: {self._endless}; give a finite until (ms)")

    # -- one window ------------------------------------------------------------
    def _window(self, window: Window) -> None:
        """Everything that happens in ``window``, rank by rank."""
        arrivals, due = self._collect(window)
        for rank in self._ranks:
            arrivals = self._run_rank(rank, arrivals, due, window)
        self._sync_wakeups()
        self._recorder.end_window()
        self._done = max(self._done, window.end)

    def _collect(self, window: Window) -> tuple[list, np.ndarray]:
        """The window's work: popped deliveries and wake-ups, and the input spikes it releases."""
        arrivals: list[Arrivals] = []
        due: list[np.ndarray] = [np.zeros(0, np.int64)]
        for event in self._scheduler.pop_before(window.end):
            if isinstance(event.payload, Wakeup):
                number = event.payload.population
                due.append(self._populations[number].due_before(window.end))
                self._wake_at[number] = NEVER
            else:
                arrivals.extend(self._route(Arrivals.concat(event.payload.chunks), window))
        inputs, wired = self._inputs.release(window.end)
        self._recorder.spikes(inputs, "input")
        arrivals.append(wired)
        return arrivals, np.sort(np.concatenate(due))

    def _run_rank(self, rank, arrivals: list, due: np.ndarray, window: Window) -> list:
        """Update the neurons of one rank; return the arrivals left for higher ranks."""
        plan = self.plan
        arrivals = Arrivals.concat(arrivals)
        later: list[Arrivals] = []
        if self._ranks.size > 1:
            here = plan.rank[arrivals.target] == rank
            arrivals, rest = arrivals.take(here), arrivals.take(~here)
            later = [rest] if rest.size else []
            due = due[plan.rank[due] == rank]
        self._recorder.arrivals(arrivals)
        instants = arrivals.summed(self._grid)  # DELIVER: all arrivals at a neuron and instant, summed
        for number, population in enumerate(self._populations):
            if len(self._populations) > 1:
                mine = self._owner[instants.neuron] == number
                mine_instants, mine_due = instants.take(mine), due[self._owner[due] == number]
            else:
                mine_instants, mine_due = instants, due
            if mine_instants.neuron.size or mine_due.size:
                spikes = population.process(mine_instants, mine_due, window, self._recorder)  # UPDATE
                self._recorder.spikes(spikes)
                later.extend(self._send(spikes, window))
        return later

    # -- spikes into arrivals ----------------------------------------------------
    def _send(self, spikes: Spikes, window: Window) -> list:
        """Fan neurons' ``spikes`` out along their synapses; return the arrivals inside the window.

        A spike at ``(k, f)`` through a synapse of ``d`` steps arrives at
        ``(k + d, f)`` with the synapse's weight (input spikes were wired when fed).
        """
        if not spikes.size:
            return []
        return self._route(self.plan.fan_out(spikes, unit=True), window)

    def _route(self, arrivals: Arrivals, window: Window) -> list:
        """Arrivals inside the window are returned; later ones wait in one Delivery bucket.

        The bucket is keyed at its earliest arrival; when it is popped, any
        arrival beyond that window is routed again. With uniform delays a
        window's whole fan-out lands in the next window, so this costs one
        heap entry per window instead of one per arrival time.
        """
        inside = before(arrivals.k, arrivals.f, window.end)
        count = np.count_nonzero(inside)
        if count == arrivals.size:
            return [arrivals] if arrivals.size else []
        if count == 0:
            self._postpone(arrivals)
            return []
        self._postpone(arrivals.take(~inside))
        return [arrivals.take(inside)]

    def _postpone(self, arrivals: Arrivals) -> None:
        time = earliest(arrivals.k, arrivals.f)
        key = ("delivery", time)
        if key in self._scheduler:
            self._scheduler.payload_of(key).chunks.append(arrivals)
        else:
            self._scheduler.schedule(time, Delivery([arrivals]), rank=0, phase=DELIVER, event_id=key)

    # -- time ------------------------------------------------------------------
    def _next_time(self) -> tuple[float, float]:
        return min(self._scheduler.peek(), self._inputs.next_time())

    def _window_end(self, start, end) -> tuple[float, float]:
        """One lookahead after ``start`` (whole steps), not past ``end`` nor past too many inputs."""
        window_end = min((start[0] + self._window_steps, 0.0), end)
        crowded = self._inputs.time_of(MAX_INPUTS_PER_WINDOW)
        if crowded is not None and crowded < window_end:
            window_end = max(crowded, _just_after(start))
        return window_end

    def _sync_wakeups(self) -> None:
        """Move each population's Wakeup entry to its earliest update with no input (if that changed)."""
        for number, population in enumerate(self._populations):
            time = population.next_wakeup()
            if time == self._wake_at[number]:
                continue
            key = ("wakeup", number)
            if math.isinf(time[0]):
                self._scheduler.cancel(key)
            elif math.isinf(self._wake_at[number][0]):
                self._scheduler.schedule(time, Wakeup(number), rank=0, phase=UPDATE, event_id=key)
            else:
                self._scheduler.reschedule(key, time)
            self._wake_at[number] = time


def _just_after(time: tuple[float, float]) -> tuple[float, float]:
    """The end of a window that holds the instant ``time`` alone: the next offset up."""
    return time[0], float(np.nextafter(time[1], np.inf))


def simulate(
    net: Network,
    inputs: InputsLike | None = None,
    until: float = 0.0,
    *,
    rng=None,
    probes: Iterable[str] = (),
    trace: bool = False,
    recorded: Iterable[str] | None = None,
    engine: str = "evsim",
    threads: int | None = None,
    resolution: float | None = None,
) -> SpikeRecord:
    """Run ``net`` from time 0 with the given inputs until ``until`` ms (exclusive).

    ``engine="nest"`` runs the network in NEST instead (:mod:`evsim.nest`,
    the optional extra ``evsim[nest]``; imported only then) and returns the
    same record; constructs NEST cannot run exactly are refused by name, and
    ``probes`` and ``trace`` belong to the event engine.

    Parameters
    ----------
    net : Network
        The network to run.
    inputs : mapping of str to array_like or Analog, optional
        Maps input-neuron names to spike times (ms), or to
        :class:`~evsim.inputs.Analog` ``(times, values)`` for analog events.
        Times are finite, ``>= 0``, at most one per instant of a train, and
        on the clock's grid in a discrete network. ``None``: no input.
    until : float, default 0.0
        The end of the run (ms): every event with time ``< until`` is
        processed, so the default ``0.0`` processes none. ``inf`` runs until
        the events end, only where that provably happens
        (:func:`evsim.termination.why_endless`).
    rng : None, int or numpy.random.Generator, optional
        Randomness of the :class:`~evsim.neurons.Stochastic` neurons (an
        integer seed repeats a run; ``None``: fresh entropy). Keyword-only,
        as every argument after it.
    probes : str or iterable of str, default ()
        IF, LIF or CubaLIF neurons whose potential is recorded at every
        update (``record.potentials``); event engine only.
    trace : bool, default False
        Keep the full event trace (``record.trace``); event engine only.
    recorded : iterable of str or None, default None
        Limits the record to these neurons' spikes (default: all; see
        :class:`Simulator`).
    engine : {"evsim", "nest"}, default "evsim"
        The event engine, or NEST.
    threads : int or None, default None
        ``engine="nest"`` only: NEST runs on ``threads`` threads (default 1).
    resolution : float or None, default None
        ``engine="nest"`` only: NEST's step (ms; default the largest dividing
        every delay and refractory period).

    Returns
    -------
    SpikeRecord
        The spikes (input events included), and the probed potentials and
        the trace if they were asked for.

    Raises
    ------
    ValidationError
        A bad argument: ``net`` not a network, an unknown ``engine``, an
        ``rng`` that is not a seed or generator, a probe that is not an IF,
        LIF or CubaLIF neuron, an unknown neuron in ``probes`` or
        ``recorded``, ``threads`` or ``resolution`` with the event engine,
        ``probes`` or ``trace`` with NEST; inputs that name an unknown or
        non-input neuron or have bad times or values; an ``until`` that is
        not a real number, or is infinite on a network whose activity may
        never end. With NEST: NEST not installed, a construct it cannot run
        exactly, or an ``until`` below 0 or at least ``1e9`` ms.
    SchedulingError
        An input time below 0 ms, or (event engine) an ``until`` below 0.

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.LIF(tau=10.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.5)], outputs={"y"}, dt=None)  # continuous time
    >>> record = evsim.simulate(net, {"x": [0.0, 0.25]}, until=10)
    >>> record.trains()["y"].tolist()
    [1.75]
    >>> record
    SpikeRecord(3 spikes from 2 neurons)
    """
    engine = check.choice("engine", engine, ENGINES, owner="simulate")
    if engine == "nest":
        wanted = {"probes": check.name_set("probes", probes, owner="simulate"),
                  "trace": check.flag("trace", trace, owner="simulate")}
        for argument, value in wanted.items():
            if value:
                raise check.refuse("simulate", f"{argument} with engine='nest'", "left out (NEST records spikes "
                                   "only; probe potentials and traces with engine='evsim')", value)
        check.generator(rng, owner="simulate")  # (NEST runs only deterministic neurons)
        from evsim import nest as nest_engine  # the edge that imports NEST, only when asked for

        return nest_engine.simulate(net, inputs, until, threads=1 if threads is None else threads,
                                    resolution=resolution, recorded=recorded)
    for argument, value in (("threads", threads), ("resolution", resolution)):
        if value is not None:
            raise check.refuse("simulate", f"{argument} with engine='evsim'", "None (it sets NEST's run: give "
                               "engine='nest'; the event engine runs one thread on its own exact grid)", value)
    sim = Simulator(net, rng=rng, probes=probes, trace=trace, recorded=recorded)
    if inputs is not None:
        sim.feed(inputs)
    sim.run(until)
    return sim.record
