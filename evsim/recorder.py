"""Collects spikes, probed potentials and the optional event trace during a run."""

from __future__ import annotations

from types import MappingProxyType
from typing import Iterable

import numpy as np

from evsim.compile import INTEGRATOR, Plan
from evsim.errors import ValidationError
from evsim.neurons import drift_steps, flow
from evsim.record import PHASE_NAMES, EventTrace, PotentialTrace, SpikeRecord, TraceEvent
from evsim.scheduler import DELIVER, UPDATE

__all__ = ["Recorder"]


class Recorder:
    """Accumulates what a :class:`~evsim.simulator.Simulator` observes.

    Spikes of one window are buffered and appended sorted by
    ``(time, rank, neuron)``, so the record never depends on the order in
    which the window's work was done.
    """

    def __init__(self, plan: Plan, probes: Iterable[str] = (), trace: bool = False) -> None:
        self.p = plan
        self._spikes: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._window: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.probed = np.zeros(plan.size, bool)
        for name in probes:
            i = plan.net.index(name)
            if plan.kind[i] != INTEGRATOR:
                raise ValidationError(f"cannot probe {name!r}: only IF/LIF neurons have a potential")
            self.probed[i] = True
        self.probing = bool(self.probed.any())
        self._probe_rows: list[tuple] = []
        self.tracing = trace
        self._trace_rows: list[tuple] = []
        self._trace_window: list[tuple] = []

    # -- called by the kernels ---------------------------------------------
    def spikes(self, neuron: np.ndarray, time: np.ndarray, value: np.ndarray) -> None:
        if neuron.size:
            self._window.append((neuron, time, value))
            if self.tracing:
                self._trace(time, neuron, UPDATE, "input" if value is not None else "spike", value)

    def deliveries(self, neuron, time, total, blocked) -> None:
        if self.tracing and neuron.size:
            self._trace(time[~blocked], neuron[~blocked], DELIVER, "deliver", total[~blocked])
            self._trace(time[blocked], neuron[blocked], DELIVER, "blocked", total[blocked])

    def updates(self, neuron, time, before, fired, state) -> None:
        """Note one update per neuron: spikes, trace lines, probed potentials.

        ``state`` has arrays ``v`` and ``anchor`` (after the update), or is
        None for neurons without a potential.
        """
        if self.tracing:
            self._trace(time, neuron, UPDATE, "update", before)
        if fired.any():
            self.spikes(neuron[fired], time[fired], None)
        if self.probing and state is not None and self.probed[neuron].any():
            keep = self.probed[neuron]
            mine = neuron[keep]
            self._probe_rows.append((mine, time[keep], before[keep], state.v[mine], state.anchor[mine]))

    def mark(self) -> int:
        """A bookmark into the current window's spikes."""
        return len(self._window)

    def spikes_since(self, mark: int):
        """``(neurons, times)`` of the window's spikes recorded after ``mark``."""
        return [(w[0], w[1]) for w in self._window[mark:]]

    def _trace(self, time, neuron, phase, kind, value) -> None:
        value = np.ones(neuron.size) if value is None else value
        self._trace_window.append((time, neuron, phase, kind, value))

    def end_window(self) -> None:
        """Append the window's spikes (and trace lines) in canonical order."""
        if self._window:
            neuron = np.concatenate([w[0] for w in self._window])
            time = np.concatenate([w[1] for w in self._window])
            value = np.concatenate([np.ones(w[0].size) if w[2] is None else w[2] for w in self._window])
            order = np.lexsort((neuron, self.p.rank[neuron], time))
            self._spikes.append((neuron[order], time[order], value[order]))
            self._window = []
        if self._trace_window:
            self._flush_trace()

    def _flush_trace(self) -> None:
        rows = [
            (float(t), int(self.p.rank[n]), phase, kind, int(n), float(v))
            for time, neuron, phase, kind, value in self._trace_window
            for t, n, v in zip(time, neuron, value)
        ]
        rows = [(r[0], r[1], r[2], i, r) for i, r in enumerate(rows)]
        self._trace_rows.extend(r[-1] for r in sorted(rows))
        self._trace_window = []

    # -- the result ------------------------------------------------------------
    def record(self) -> SpikeRecord:
        p, unit = self.p, self.p.unit
        if self._spikes:
            neuron, time, value = (np.concatenate(c) for c in zip(*self._spikes))
        else:
            neuron, time, value = np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        names = p.net.names
        trace = None
        if self.tracing:
            trace = EventTrace(tuple(
                TraceEvent(t * unit, r, PHASE_NAMES[ph], kind, names[n], v) for t, r, ph, kind, n, v in self._trace_rows
            ))
        return SpikeRecord(names, neuron, time * unit, value, MappingProxyType(self._potentials()), trace)

    def _potentials(self) -> dict[str, PotentialTrace]:
        rows = [np.concatenate(c) for c in zip(*self._probe_rows)] if self._probe_rows else [np.zeros(0)] * 5
        neuron, time, before, after, anchor = rows
        out = {}
        for i in np.flatnonzero(self.probed):
            mine = neuron == i
            out[self.p.net.names[i]] = PotentialTrace(
                self.p.net.names[i], time[mine] * self.p.unit, before[mine], after[mine],
                anchor[mine], _sampler(self.p, int(i)),
            )
        return out


def _sampler(plan: Plan, i: int):
    """Potential of neuron ``i`` at arbitrary times from its exact update values.

    Discrete networks hold the value of the last step until the next one.
    """
    unit = plan.unit
    initial_anchor = -1.0 if plan.discrete else 0.0

    def sample(times_ms, anchors, event_times_ms, afters):
        t = times_ms / unit
        event_t = np.concatenate(([-np.inf], event_times_ms / unit))
        anchor = np.concatenate(([initial_anchor], anchors))
        value = np.concatenate(([plan.v_init[i]], afters))
        j = np.searchsorted(event_t, t, "right") - 1
        a, v = anchor[j], value[j]
        held = t < a
        params = (plan.v_rest[i], plan.bias[i])
        if plan.discrete:
            free = drift_steps(v, np.maximum(np.floor(t + 1e-9) - a, 0), plan.beta[i], *params)
        else:
            free = flow(v, np.maximum(t - a, 0.0), plan.tau[i], *params)
        return np.where(held, v, free)

    return sample
