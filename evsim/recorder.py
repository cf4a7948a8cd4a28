"""Watches a run: spikes, probed potentials and the optional event trace.

The recorder only observes. The simulator tells it of every spike it
routes (:meth:`Recorder.spikes`) and the populations tell it of every
delivery and update; nothing it keeps flows back into the run. Times arrive
as ``(k, f)`` grid pairs and leave as float ms (:meth:`TimeGrid.ms`).
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Iterable, NamedTuple

import numpy as np

from evsim.errors import ValidationError
from evsim.events import Arrivals, Spikes
from evsim.neurons import drift_steps, flow
from evsim.record import PHASE_NAMES, EventTrace, PotentialTrace, SpikeRecord, TraceEvent
from evsim.scheduler import DELIVER, UPDATE
from evsim._arrays import concat_ranges
from evsim.timegrid import earlier, time_order

__all__ = ["Recorder"]

# within one phase: (group, place within a neuron's lines of that group) — a neuron's arrivals, then their sum;
# inputs; updates; each spike, then its reset
_KIND_ORDER = {"arrive": (0, 0), "deliver": (0, 1), "blocked": (0, 1), "input": (0, 1), "update": (1, 0),
               "spike": (2, 0), "reset": (2, 1)}


class Recorder:
    """Accumulates what a :class:`~evsim.simulator.Simulator` observes.

    Spikes are listed by ``(time, rank, neuron)`` whatever order the work was
    done in — put in that order when the record is asked for, not window by
    window; trace lines by ``(time, rank, phase, kind, neuron)`` (see
    :meth:`_flush_trace`).
    """

    def __init__(self, plan, populations, owner: np.ndarray, probes: Iterable[str] = (), trace: bool = False,
                 recorded: tuple[str, ...] | None = None) -> None:
        self.p = plan
        self._recorded = recorded
        self._keep = None  # which neurons' spikes are kept (None: all)
        if recorded is not None:
            self._keep = np.zeros(plan.size, bool)
            self._keep[[plan.net.index(name) for name in recorded]] = True
        self._ordered = _NO_ROWS  # the spikes recorded so far, in (time, rank, neuron) order …
        self._new: dict[str, list[Spikes]] = {"input": [], "spike": []}  # … and the ones since (all later in time)
        self._sorted: SpikeRecord | None = None
        self.probed = np.zeros(plan.size, bool)
        self._potential_of = {}
        for name in probes:
            i = plan.net.index(name)
            population = populations[owner[i]] if owner[i] >= 0 else None  # (owner: population number, -1: input)
            if population is None or not population.has_potential:
                raise ValidationError(f"cannot probe {name!r}: only IF, LIF and CubaLIF neurons have a potential")
            self.probed[i] = True
            self._potential_of[i] = population
        self.probing = bool(self.probed.any())
        self._probe_rows: list[tuple] = []
        self.tracing = trace
        self._trace_rows: list[tuple] = []
        self._trace_window: list[tuple] = []

    # -- told by the simulator ---------------------------------------------
    def spikes(self, spikes: Spikes, kind: str = "spike") -> None:
        """Spikes the simulator routes: ``"input"`` events or neurons' ``"spike"`` (kept if recorded)."""
        if spikes.size:
            if self.tracing:
                self._trace(spikes.k, spikes.f, spikes.neuron, UPDATE, kind, spikes.value)
            if self._keep is not None:
                kept = self._keep[spikes.neuron]
                spikes = spikes if kept.all() else Spikes(*(a[kept] for a in spikes))
            if spikes.size:
                self._new[kind].append(spikes)

    def end_window(self) -> None:
        """Close a window: its trace lines join the trace in canonical order."""
        if self._trace_window:
            self._flush_trace()
        self._sorted = None  # spikes, probes or trace lines may have come

    # -- told by the populations -------------------------------------------
    def deliveries(self, neuron, k, f, total, blocked) -> None:
        """Summed arrivals at each neuron and instant (``blocked``: discarded)."""
        if self.tracing and neuron.size:
            self._trace(k[~blocked], f[~blocked], neuron[~blocked], DELIVER, "deliver", total[~blocked])
            self._trace(k[blocked], f[blocked], neuron[blocked], DELIVER, "blocked", total[blocked])

    def arrivals(self, arrivals: Arrivals) -> None:
        """Each synaptic arrival of a rank, before :meth:`Arrivals.summed` adds them up (traced only)."""
        if self.tracing and arrivals.size:
            self._trace(arrivals.k, arrivals.f, arrivals.target, DELIVER, "arrive", arrivals.value, arrivals.row)

    def updates(self, neuron, k, f, before, fired, after=None, anchor_k=None, anchor_f=None) -> None:
        """One update per neuron: the pre-threshold value ``before``; for probes, the potential and anchor after it.

        ``after``: the potential after the update and any reset (traced as a
        ``reset`` line where the neuron fired).
        """
        if self.tracing:
            self._trace(k, f, neuron, UPDATE, "update", before)
            if after is not None and fired.any():
                self._trace(k[fired], f[fired], neuron[fired], UPDATE, "reset", after[fired])
        if self.probing and self.probed[neuron].any():
            keep = self.probed[neuron]
            self._probe_rows.append((neuron[keep], k[keep], f[keep], before[keep], after[keep], anchor_k[keep],
                                     anchor_f[keep]))

    # -- the trace -----------------------------------------------------------
    def _trace(self, k, f, neuron, phase, kind, value, row=None) -> None:
        self._trace_window.append((k, f, neuron, phase, kind, value, np.full(len(neuron), -1) if row is None else row))

    def _flush_trace(self) -> None:
        """The window's trace lines in canonical order (:data:`_KIND_ORDER`).

        By time, rank, phase; within a phase, the inputs and each neuron's
        arrivals (by synapse row) followed by their sum, then the updates,
        then each spike followed by its reset, neuron by neuron. A neuron has
        at most one line of each other kind per instant and one arrival per
        synapse row, so the order does not depend on the order the engine did
        the work in.
        """
        rank = self.p.rank
        rows = [
            (float(k), float(f), int(rank[n]), phase, *_KIND_ORDER[kind][:1], int(n), _KIND_ORDER[kind][1], int(r),
             kind, float(v))
            for ks, fs, neuron, phase, kind, value, synapse in self._trace_window
            for k, f, n, v, r in zip(ks, fs, neuron, value, synapse)
        ]
        rows.sort(key=lambda r: r[:8])
        self._trace_rows.extend(rows)
        self._trace_window = []

    # -- the result ------------------------------------------------------------
    def record(self) -> SpikeRecord:
        if self._sorted is None:
            self._sorted = self._build_record()
        return self._sorted

    def drain(self) -> SpikeRecord:
        """The record so far; its spikes are then forgotten (potentials and trace are kept)."""
        record = self.record()
        self._ordered, self._sorted = _NO_ROWS, None
        return record

    def _build_record(self) -> SpikeRecord:
        grid, names = self.p.grid, self.p.net.names
        self._order_new_spikes()
        neuron, time, value = self._ordered
        trace = None
        if self.tracing:
            source, delay = self.p.net.table.source, self.p.net.delay_steps
            trace = EventTrace(tuple(
                TraceEvent(float(grid.ms(k, f)), r, PHASE_NAMES[phase], kind, names[n], v,
                           *((names[source[row]], row, float(grid.ms(k - delay[row], f))) if row >= 0 else ()))
                for k, f, r, phase, _, n, _, row, kind, v in self._trace_rows
            ))
        return SpikeRecord(names, neuron, time, value, MappingProxyType(self._potentials()), trace,
                           self._recorded, tuple(name for name in names if name in self.p.net.inputs))

    def _order_new_spikes(self) -> None:
        """Put the spikes that came since the last record in order and append them.

        Windows follow each other in time, so every new spike is at or after
        every ordered one: ordering the new ones orders the whole record. Input
        spikes come released in time order (only equal times may need their
        neurons put in order); the neurons' spikes are sorted on their own; the
        two runs are then merged by position, not sorted again.
        """
        if self._new["input"] or self._new["spike"]:
            inputs = self._in_order(Spikes.joined(self._new["input"]))  # (slices of the input queue: no copy)
            made = self._in_order(Spikes.concat(self._new["spike"]))
            self._new = {"input": [], "spike": []}
            merged = self._merged(inputs, made)
            self._ordered = merged if not self._ordered.neuron.size else RecordRows(
                *(np.concatenate(pair) for pair in zip(self._ordered, merged)))

    def _in_order(self, spikes: Spikes) -> Spikes:
        """``spikes`` by ``(time, rank, neuron)``; a run already in that order is returned as it is."""
        k, f = spikes.k, spikes.f
        at = np.flatnonzero(~earlier(k[:-1], f[:-1], k[1:], f[1:]))  # pairs not strictly later in time
        if self._first(spikes, at, spikes, at + 1).all():  # (checked on those few pairs only)
            return spikes
        order = time_order(self.p.grid, k, f, minor=self._minor(spikes.neuron))
        return Spikes(*(a[order] for a in spikes))

    def _minor(self, neuron: np.ndarray) -> np.ndarray:
        return self.p.rank[neuron] * self.p.size + neuron

    def _first(self, a: Spikes, i: np.ndarray, b: Spikes, j: np.ndarray) -> np.ndarray:
        """Whether row ``a[i]`` comes before row ``b[j]`` in ``(time, rank, neuron)`` order, exactly."""
        return earlier(a.k[i], a.f[i], b.k[j], b.f[j]) | (
            (a.k[i] == b.k[j]) & (a.f[i] == b.f[j]) & (self._minor(a.neuron[i]) < self._minor(b.neuron[j])))

    def _merged(self, a: Spikes, b: Spikes) -> "RecordRows":
        """Two runs in ``(time, rank, neuron)`` order, merged: ``b``'s rows inserted where they belong in ``a``.

        Strictly smaller sort keys are strictly earlier times, so a binary
        search by key places every row of ``b`` except among rows of ``a``
        with an equal key; there the exact order decides. Times are turned
        into ms before the merge, so three arrays are merged, not four.
        """
        grid = self.p.grid
        if not (a.size and b.size):
            rows = a if a.size else b
            return RecordRows(rows.neuron, grid.ms(rows.k, rows.f), rows.value)
        key_a, key_b = grid.sort_key(a.k, a.f), grid.sort_key(b.k, b.f)
        at, stop = np.searchsorted(key_a, key_b, "left"), np.searchsorted(key_a, key_b, "right")
        tied = np.flatnonzero(stop > at)
        if tied.size:  # count the rows of a with an equal key that come first in exact order
            rows = concat_ranges(at[tied], stop[tied])
            which = np.repeat(tied, (stop - at)[tied])
            first = self._first(a, rows, b, which)
            at[tied] += np.bincount(np.searchsorted(tied, which), weights=first, minlength=tied.size).astype(np.int64)
        into_b = at + np.arange(b.size)  # where b's rows land in the merged arrays
        from_a = np.ones(a.size + b.size, bool)
        from_a[into_b] = False
        merged = []
        for x, y in ((a.neuron, b.neuron), (grid.ms(a.k, a.f), grid.ms(b.k, b.f)), (a.value, b.value)):
            out = np.empty(a.size + b.size, np.result_type(x, y))
            out[into_b] = y
            out[from_a] = x
            merged.append(out)
        return RecordRows(*merged)

    def _potentials(self) -> dict[str, PotentialTrace]:
        grid = self.p.grid
        if self._probe_rows:
            neuron, k, f, before, after, anchor_k, anchor_f = (np.concatenate(c) for c in zip(*self._probe_rows))
        else:
            neuron, k, f, before, after, anchor_k, anchor_f = (np.zeros(0),) * 7
        out = {}
        for i in np.flatnonzero(self.probed):
            mine = neuron == i
            name = self.p.net.names[i]
            out[name] = PotentialTrace(
                name, grid.ms(k[mine], f[mine]), before[mine], after[mine], _drawn_threshold(self._potential_of[i], i),
                grid.ms(anchor_k[mine], anchor_f[mine]), _sampler_of(self._potential_of[i], int(i), grid),
            )
        return out


class RecordRows(NamedTuple):
    """Recorded spikes in record order: neuron, time (ms), value."""

    neuron: np.ndarray
    time: np.ndarray
    value: np.ndarray


_NO_ROWS = RecordRows(np.zeros(0, np.int64), np.zeros(0), np.zeros(0))


def _drawn_threshold(population, i: int) -> float:
    """Neuron ``i``'s threshold, or ``inf`` for one that can never fire (θ the largest float: an accumulator)."""
    theta = float(population.p.theta[i])
    return math.inf if theta >= np.finfo(float).max else theta


def _sampler_of(population, i: int, grid):
    """The population's own sampler of neuron ``i``'s potential, if it has one; else :func:`_sampler`."""
    own = getattr(population, "sampler", None)
    return own(i) if own is not None else _sampler(population, i, grid)


def _sampler(population, i: int, grid):
    """Potential of neuron ``i`` at arbitrary times (ms) from its exact update values.

    Between updates the potential follows the neuron's own free evolution
    from its anchor (held at the reset value until the anchor, after a
    spike); discrete networks hold each step's value until the next step.
    """
    p = population.p
    initial_anchor = grid.ms(population.clock.initial_anchor)

    def sample(times_ms, anchors_ms, event_times_ms, afters):
        event_t = np.concatenate(([-np.inf], event_times_ms))
        anchor = np.concatenate(([initial_anchor], anchors_ms))
        value = np.concatenate(([p.v_init[i]], afters))
        j = np.searchsorted(event_t, times_ms, "right") - 1
        a, v = anchor[j], value[j]
        held = times_ms < a
        params = (p.v_rest[i], p.bias[i])
        if grid.discrete:
            steps = grid.step_of(times_ms) - grid.step_of(a)
            free = drift_steps(v, np.maximum(steps, 0), p.beta[i], *params)
        else:
            free = flow(v, np.maximum(times_ms - a, 0.0), p.tau[i], *params, p.theta[i])
        return np.where(held, v, free)

    return sample
