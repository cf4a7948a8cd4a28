"""Populations: the state of one kind of neuron, and the kernel that updates it.

The simulator owns time, the scheduler and the synapses; a *population*
owns the state of every neuron of its kind (potentials, refractory ends,
next spontaneous firing…) and knows how that kind updates. Every population
class follows one protocol, :class:`Population`; :mod:`evsim.kinds` says which
population runs which neuron model.

Within one window of time the simulator hands a population, rank by rank,

* ``instants`` — the arrivals at its neurons, already summed per (neuron,
  instant) in synapse-row order (:meth:`evsim.events.Arrivals.summed`), and
* ``due`` — its neurons whose next update with no input (a predicted
  crossing, a checkpoint, a spontaneous firing) falls in the window: the
  population's :class:`~evsim.events.Wakeup` entry on the scheduler, keyed at
  the earliest of them (:meth:`Population.next_wakeup`), brought the
  simulator to ask for them (:meth:`Population.due_before`),

and the population runs each neuron's events in time order and returns the
spikes. Neurons do not interact inside a window (every synapse between
non-input neurons either has zero delay, handled rank by rank, or a delay at
least the window's length), so a population may advance its neurons side by
side, in *rounds*: round ``i`` handles the ``i``-th event of every neuron.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from evsim.events import Instants, Spikes, Window

__all__ = ["Population"]


class Population(Protocol):
    """The protocol every population class follows.

    Attributes
    ----------
    members : ndarray
        Indices (into ``net.names``) of the neurons it runs.
    has_potential : bool
        Whether its neurons have a membrane potential that can be probed.
    max_window : float
        The longest window, in steps, it can process in one call (``inf``: any).
    """

    members: np.ndarray
    has_potential: bool
    max_window: float

    def __init__(self, plan, members: np.ndarray, rng: np.random.Generator) -> None: ...

    def process(self, instants: Instants, due: np.ndarray, window: Window, observer) -> Spikes:
        """Every event of these neurons inside ``window``, in time order; the spikes they made (in any order).

        ``observer`` is told of every delivery and update (it only watches).
        """

    def next_wakeup(self) -> tuple[float, float]:
        """``(k, f)`` of the earliest update with no input among its neurons (``k = inf``: none)."""

    def due_before(self, end: tuple[float, float]) -> np.ndarray:
        """Its neurons (sorted) whose next update with no input comes before ``end``."""

    # optional, where has_potential holds and the potential between updates is not IF/LIF free evolution:
    # sampler(i) -> sample(times_ms, anchors_ms, event_times_ms, afters), as evsim.recorder uses it
