"""What moves through the engine, by name.

Data that flows between the simulator and the populations (parallel arrays,
times as ``(k, f)`` pairs of :mod:`evsim.timegrid`):

* :class:`Arrivals` — synaptic arrivals: when, at which neuron, what value,
  through which synapse row;
* :class:`Instants` — arrivals summed per (neuron, instant): what a neuron
  integrates in one update (:meth:`Arrivals.summed`);
* :class:`Spikes` — who fired when, with what value: what a population's
  updates produce and an input train releases.

What the scheduler holds (the payloads of its heap entries):

* :class:`Delivery` — a bucket of future :class:`Arrivals`, keyed at its
  earliest arrival;
* :class:`Wakeup` — one per population: the earliest next update with no
  input among its neurons (a predicted threshold crossing, a discrete
  checkpoint, a spontaneous Lynch–Musco firing), keyed at its time.

A window of time the simulator runs at once is a :class:`Window`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from evsim._arrays import joined
from evsim.timegrid import time_order


__all__ = ["Arrivals", "Instants", "Spikes", "Delivery", "Wakeup", "Window"]

Time = tuple  # (k, f): whole steps and offset in ms, see evsim.timegrid


class Arrivals(NamedTuple):
    """Synaptic arrivals: time ``(k, f)``, target neuron, value (weight × payload), synapse row."""

    k: np.ndarray
    f: np.ndarray
    target: np.ndarray
    value: np.ndarray
    row: np.ndarray

    @staticmethod
    def none() -> "Arrivals":
        return Arrivals(np.zeros(0), np.zeros(0), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))

    @property
    def size(self) -> int:
        return int(self.target.size)

    def take(self, rows) -> "Arrivals":
        return Arrivals(*(a[rows] for a in self))

    @staticmethod
    def concat(chunks) -> "Arrivals":
        return _concat(Arrivals, chunks)

    def summed(self, grid) -> "Instants":
        """Arrivals summed per (target, instant), in synapse-row order (the DELIVER phase).

        Rows are sorted by (target, k, f); where several arrivals share a
        target and an instant they are added in the order of their synapse
        rows, starting from 0.0, whatever order they were sent in.
        """
        if not self.size:
            return Instants(self.target, self.k, self.f, self.value)
        order = time_order(grid, self.k, self.f, minor=self.row, major=self.target)
        target, k, f = self.target[order], self.k[order], self.f[order]
        first = np.ones(target.size, bool)
        first[1:] = (target[1:] != target[:-1]) | (k[1:] != k[:-1]) | (f[1:] != f[:-1])
        group = np.cumsum(first) - 1
        total = np.bincount(group, weights=self.value[order], minlength=int(group[-1]) + 1)
        return Instants(target[first], k[first], f[first], total)


class Instants(NamedTuple):
    """Summed arrivals, one row per (neuron, instant), sorted by neuron then time."""

    neuron: np.ndarray
    k: np.ndarray
    f: np.ndarray
    total: np.ndarray

    def take(self, rows) -> "Instants":
        return Instants(*(a[rows] for a in self))


class Spikes(NamedTuple):
    """Who fired, when ``(k, f)``, with what value (1 for a spike, the payload of an analog input)."""

    neuron: np.ndarray
    k: np.ndarray
    f: np.ndarray
    value: np.ndarray

    @staticmethod
    def none() -> "Spikes":
        return Spikes(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0))

    @property
    def size(self) -> int:
        return int(self.neuron.size)

    @staticmethod
    def concat(chunks) -> "Spikes":
        return _concat(Spikes, chunks)

    @staticmethod
    def joined(chunks) -> "Spikes":
        """:meth:`concat`, but chunks that are consecutive slices of one set of arrays come back as a view."""
        return _concat(Spikes, chunks, joined)


def _concat(kind, chunks, combine=np.concatenate):
    """The rows of all ``chunks`` (parallel-array tuples of one ``kind``), in order (``combine`` joins a column)."""
    chunks = [c for c in chunks if c.size]
    if not chunks:
        return kind.none()
    if len(chunks) == 1:
        return chunks[0]
    return kind(*(combine(parts) for parts in zip(*chunks)))


@dataclass
class Delivery:
    """A scheduled bucket of arrivals (one heap entry for a whole fan-out)."""

    chunks: list = field(default_factory=list)


@dataclass(frozen=True)
class Wakeup:
    """A population's earliest update with no input: due neurons to ask it for."""

    population: int


class Window(NamedTuple):
    """The time the simulator runs at once: every event with ``start <= t < end``."""

    start: Time
    end: Time
