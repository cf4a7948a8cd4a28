"""What a simulation leaves behind: spikes, potential probes, the event trace."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple

import numpy as np

from evsim import validation as check
from evsim.display import HTML_ROWS, html_table
from evsim.scheduler import DELIVER, RECORD, UPDATE

__all__ = ["SpikeRecord", "PotentialTrace", "TraceEvent", "EventTrace", "PHASE_NAMES", "TRACE_KINDS"]

PHASE_NAMES = {DELIVER: "deliver", UPDATE: "update", RECORD: "record"}
HTML_TIMES = 20  # spike times an HTML record shows per neuron
TRACE_KINDS = ("input", "arrive", "deliver", "blocked", "update", "spike", "reset")  # what an EventTrace line can be


@dataclass(frozen=True, eq=False)
class PotentialTrace:
    """Exact potentials of one neuron at each of its updates.

    ``sample`` evaluates the potential on any grid from these exact
    values and the neuron's own free evolution.

    Attributes
    ----------
    name : str
        The probed neuron.
    time : ndarray
        The times of its updates (ms), in order.
    before : ndarray
        The pre-threshold potential ``m`` at each update.
    after : ndarray
        The potential after any reset.
    threshold : float
        The neuron's θ, read from its model.

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 0.5)], outputs={"y"})
    >>> trace = evsim.simulate(net, {"x": [0, 1, 2]}, until=5, probes="y").potentials["y"]
    >>> trace
    PotentialTrace('y': 3 updates, 1.0–3.0 ms; .sample(times) evaluates it)
    >>> trace.before.tolist(), trace.after.tolist()
    ([0.5, 1.0, 0.5], [0.5, 0.0, 0.5])
    >>> trace.sample([1.5, 2.5]).tolist()
    [0.5, 0.0]
    """

    name: str
    time: np.ndarray
    before: np.ndarray
    after: np.ndarray
    threshold: float
    _anchor: np.ndarray
    _sampler: object

    def __repr__(self) -> str:
        span = f", {float(self.time[0])!r}–{float(self.time[-1])!r} ms" if self.time.size else ""
        return f"PotentialTrace({self.name!r}: {self.time.size} updates{span}; .sample(times) evaluates it)"

    def sample(self, times) -> np.ndarray:
        """Potential at each of ``times`` (ms), between events by exact free evolution.

        At an update time the value is the one after that update (and reset).
        """
        times = check.real_array("times", times, owner="PotentialTrace.sample", minimum=0)
        return self._sampler(times, self._anchor, self.time, self.after)


class TraceEvent(NamedTuple):
    """One line of the event trace: what happened, where and when.

    ``source``, ``synapse`` and ``sent`` are set on ``arrive`` lines only;
    elsewhere ``""``, ``-1`` and None. (The first six fields are a line's
    core; code that unpacks a line should take those by name.)

    Attributes
    ----------
    time : float
        The instant (ms).
    rank : int
        The neuron's depth in the graph of zero-delay synapses.
    phase : str
        ``"deliver"``, ``"update"`` or ``"record"`` (:data:`PHASE_NAMES`).
    kind : str
        One of :data:`TRACE_KINDS` (see :class:`EventTrace` for each).
    neuron : str
        The neuron the line is about.
    value : float
        What the kind says it is (a payload, a sum, a potential, 1 for a spike).
    source : str
        The neuron the arrival comes from.
    synapse : int
        The row of its synapse in the network's synapse table
        (``Network.synapses[synapse]``).
    sent : float or None
        The time (ms) the source fired (``time`` minus the delay).

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 0.5)], outputs={"y"})
    >>> trace = evsim.simulate(net, {"x": [0]}, until=3, trace=True).trace
    >>> line = trace.select(kinds="arrive").events[0]
    >>> line.time, line.neuron, line.value, line.via
    (1.0, 'y', 0.5, 'from x at 0.0, synapse 0')
    """

    time: float
    rank: int
    phase: str
    kind: str
    neuron: str
    value: float
    source: str = ""
    synapse: int = -1
    sent: float | None = None  # (None, not NaN: lines compare equal after a copy or a pickle round trip)

    @property
    def via(self) -> str:
        """``"from x at 1.05, synapse 3"`` for an arrival, ``""`` for any other line."""
        return f"from {self.source} at {self.sent!r}, synapse {self.synapse}" if self.kind == "arrive" else ""


@dataclass(frozen=True, eq=False)
class EventTrace:
    """Every arrival, delivery, update, spike and input event, in the order they take effect.

    Order is ``(time, rank, phase)``; within a phase, first the inputs and each
    neuron's arrivals (by synapse row, the order they are added in) followed
    by their sum, then the updates, then each spike followed by its reset,
    neuron by neuron — independent of how the engine grouped its work. Kinds:

    * ``input``: an input neuron fires; value = its payload;
    * ``arrive``: one synaptic arrival, before summation; value = weight ×
      payload, with its ``source`` neuron and ``synapse`` row;
    * ``deliver``: the arrivals at a neuron at one instant, summed;
    * ``blocked``: that sum, discarded (refractory, or a spent single-spike neuron);
    * ``update``: the pre-threshold potential ``m`` (for Lynch–Musco neurons
      the firing probability);
    * ``spike``: the neuron fires (value 1);
    * ``reset``: the potential right after that spike's reset (IF, LIF, CubaLIF).

    Attributes
    ----------
    events : tuple of TraceEvent
        The lines, in that order; the trace also iterates over them and has
        their number as its length.

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 0.5)], outputs={"y"})
    >>> trace = evsim.simulate(net, {"x": [0, 1]}, until=5, trace=True).trace
    >>> trace
    EventTrace(10 events, 0.0–2.0 ms: 2 arrive, 2 deliver, 2 input, 1 reset, 1 spike, 2 update; .format() prints them)
    >>> print(trace.at(2.0).format())
         time rank phase    kind     neuron     value
          2.0    0 deliver  arrive   y          0.5    from x at 1.0, synapse 0
          2.0    0 deliver  deliver  y          0.5
          2.0    0 update   update   y          1.0
          2.0    0 update   spike    y          1.0
          2.0    0 update   reset    y          0.0
    """

    events: tuple[TraceEvent, ...]

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self):
        return iter(self.events)

    def select(self, start: float | None = None, end: float | None = None, *,
               neurons: Iterable[str] | str | None = None, kinds: Iterable[str] | str | None = None) -> "EventTrace":
        """The events with ``start <= time < end`` (``None``: open), of ``neurons`` and of ``kinds``, in order.

        ``neurons`` and ``kinds`` take one name or several; ``kinds`` from
        :data:`TRACE_KINDS`. ``trace.select(5.0, 6.0, neurons="y")`` is what
        happened to ``y`` in the instant at 5 ms of a discrete network.
        """
        owner = "EventTrace.select"
        start = -math.inf if start is None else check.real("start", start, owner=owner)
        end = math.inf if end is None else check.real("end", end, owner=owner, allow_inf=True)
        wanted = None if neurons is None else check.name_set("neurons", neurons, owner=owner)
        kinds = None if kinds is None else {check.choice("each of kinds", kind, TRACE_KINDS, owner=owner)
                                            for kind in check.name_set("kinds", kinds, owner=owner)}
        return EventTrace(tuple(e for e in self.events if start <= e.time < end
                                and (wanted is None or e.neuron in wanted) and (kinds is None or e.kind in kinds)))

    def at(self, time: float) -> "EventTrace":
        """Every event of the instant ``time`` (ms), exactly: what happened at ``t``."""
        time = check.real("time", time, owner="EventTrace.at")
        return EventTrace(tuple(e for e in self.events if e.time == time))

    def __repr__(self) -> str:
        kinds = Counter(e.kind for e in self.events)
        span = f", {self.events[0].time!r}–{self.events[-1].time!r} ms" if self.events else ""
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        return f"EventTrace({len(self.events)} events{span}: {counts or 'none'}; .format() prints them)"

    def __str__(self) -> str:
        return self.format()

    def _repr_html_(self) -> str:
        return html_table(["time (ms)", "rank", "phase", "kind", "neuron", "value", "via"],
                          [[repr(e.time), e.rank, e.phase, e.kind, e.neuron, repr(e.value), e.via]
                           for e in self.events[:HTML_ROWS]], title=repr(self), total=len(self.events))

    def format(self, limit: int | None = None) -> str:
        """The trace as an aligned text table (first ``limit`` lines).

        Times and values are printed in full (shortest round-trip form), so
        that e.g. ``0.9999999999999999`` is not mistaken for a threshold of 1
        reached, nor two instants an ulp apart for one.
        """
        shown = self.events[:limit]
        width = max([9] + [len(repr(e.time)) for e in shown])
        rows = [f"{'time':>{width}} {'rank':>4} {'phase':<8} {'kind':<8} {'neuron':<10} value"]
        value = max([5] + [len(repr(e.value)) for e in shown if e.via])
        for e in shown:
            shown_value = f"{e.value!r:<{value}}  {e.via}" if e.via else repr(e.value)
            rows.append(f"{e.time!r:>{width}} {e.rank:4d} {e.phase:<8} {e.kind:<8} {e.neuron:<10} {shown_value}")
        return "\n".join(rows)


@dataclass(frozen=True, eq=False)
class SpikeRecord:
    """All spikes of a simulation as parallel arrays, ordered by ``(time, rank, neuron)``.

    Attributes
    ----------
    names : tuple of str
        Neuron names; ``neuron`` indexes into it.
    neuron, time, value : ndarray
        Who fired, when (ms), and the event's value (1 for a spike, the
        payload for an analog input event).
    potentials : mapping of str to PotentialTrace
        For the neurons that were probed.
    trace : EventTrace or None
        The event trace, if it was asked for.
    recorded : tuple of str or None
        The neurons whose spikes were kept (``Simulator(recorded=...)``);
        ``None``: every neuron.
    inputs : tuple of str
        The network's input neurons (what plots of the network's own
        activity leave out by default).

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 0.5)], outputs={"y"})
    >>> record = evsim.simulate(net, {"x": [0, 1, 2, 3]}, until=6)
    >>> record
    SpikeRecord(6 spikes from 2 neurons)
    >>> record.trains()["y"].tolist(), record.counts()
    ([2.0, 4.0], {'x': 4, 'y': 2})
    """

    names: tuple[str, ...]
    neuron: np.ndarray
    time: np.ndarray
    value: np.ndarray
    potentials: Mapping[str, PotentialTrace]
    trace: EventTrace | None = None
    recorded: tuple[str, ...] | None = None
    inputs: tuple[str, ...] = ()

    def _kept(self) -> list[tuple[int, str]]:
        kept = self.names if self.recorded is None else set(self.recorded)
        return [(i, name) for i, name in enumerate(self.names) if name in kept]

    def trains(self) -> dict[str, np.ndarray]:
        """Spike times (ms) of every recorded neuron, including those that never fired."""
        return {name: self.time[self.neuron == i] for i, name in self._kept()}

    def counts(self) -> dict[str, int]:
        """Number of spikes of every recorded neuron."""
        totals = np.bincount(self.neuron, minlength=len(self.names))
        return {name: int(totals[i]) for i, name in self._kept()}

    def __len__(self) -> int:
        return int(self.neuron.size)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpikeRecord):
            return NotImplemented
        return (
            self.names == other.names
            and np.array_equal(self.neuron, other.neuron)
            and np.array_equal(self.time, other.time)
            and np.array_equal(self.value, other.value)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        extra = [f"potentials of {sorted(self.potentials)}" if self.potentials else "",
                 "a trace" if self.trace is not None else ""]
        shown = "; ".join(x for x in extra if x)
        return f"SpikeRecord({len(self)} spikes from {len(self.names)} neurons{'; ' + shown if shown else ''})"

    def _repr_html_(self) -> str:
        return html_table(["neuron", "spikes", "times (ms)"],
                          [[name, times.size, ", ".join(repr(float(t)) for t in times[:HTML_TIMES])
                            + (" …" if times.size > HTML_TIMES else "")] for name, times in self.trains().items()],
                          title=repr(self))
