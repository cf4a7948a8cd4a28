"""The Lynch–Musco population: every Stochastic and Threshold neuron, in rounds.

Round 0 fires the ``initial`` neurons. In a later round a neuron with
arrivals fires with probability ``sigmoid((I − bias) / temperature)``
(:func:`evsim.neurons.firing_probability`; ``Threshold`` fires iff
``I − bias >= 0``); a neuron without arrivals fires with
``p0 = sigmoid(−bias / temperature)``.

Picture an independent Bernoulli(p0) coin for every round: the rounds
without arrivals use their coin, rounds with arrivals ignore it. The next
spontaneous firing is the first success after the last one consumed, a
geometric wait, whatever happens in between; so a neuron's wake-up is drawn
again only when it is consumed — when it comes due, or when a round with
arrivals falls on it — and otherwise never moves.
"""

from __future__ import annotations

import numpy as np

from evsim.events import Instants, Spikes, Window
from evsim.neurons import firing_probability
from evsim.timegrid import before

__all__ = ["LynchMusco", "geometric_wait"]


def geometric_wait(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """Rounds until the first success of independent Bernoulli(p) rounds (>= 1; inf if p = 0).

    Inverse transform: ``max(1, ceil(log1p(-U) / log1p(-p)))`` with ``U ~ U[0, 1)``.
    """
    u = rng.random(p.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = np.maximum(1.0, np.ceil(np.log1p(-u) / np.log1p(-p)))
    return np.where(p > 0, wait, np.inf)


class LynchMusco:
    """State of every Stochastic/Threshold neuron: the round of its next spontaneous firing."""

    has_potential = False
    max_window = 1.0  # one round at a time: round t reads the firing of round t - 1

    def __init__(self, plan, members: np.ndarray, rng: np.random.Generator) -> None:
        models = list(plan.net.neurons.values())
        n = plan.size
        self.members, self.rng = members, rng
        self.bias = np.zeros(n)
        self.temperature = np.ones(n)
        self.initial = np.zeros(n, bool)
        for i in members.tolist():
            model = models[i]
            self.bias[i], self.temperature[i], self.initial[i] = model.bias, model.temperature, model.initial
        self.p_spontaneous = firing_probability(-self.bias, self.temperature)
        self.due = np.full(n, np.inf)
        self.due[members] = np.where(self.initial[members], 0.0, geometric_wait(rng, self.p_spontaneous[members]))

    def next_wakeup(self) -> tuple[float, float]:
        """``(round, 0)`` of the earliest spontaneous firing (``inf``: never)."""
        return float(self.due.min()), 0.0

    def due_before(self, end: tuple[float, float]) -> np.ndarray:
        """Members whose spontaneous firing comes before round ``end``."""
        return np.flatnonzero(before(self.due, 0.0, end))

    def process(self, instants: Instants, due: np.ndarray, window: Window, observer) -> Spikes:
        """Round ``t = window.start``: the neurons with arrivals or due then fire, or not."""
        t = window.start[0]
        neurons = np.union1d(instants.neuron, due)
        if neurons.size == 0:
            return Spikes.none()
        k, f = np.full(neurons.size, t), np.zeros(neurons.size)
        has_input = np.isin(neurons, instants.neuron)
        total = np.zeros(neurons.size)
        total[has_input] = instants.total
        observer.deliveries(neurons[has_input], k[has_input], f[has_input], instants.total,
                            np.zeros(instants.total.size, bool))
        if t == 0:
            fired = self.initial[neurons].copy()
            chance = fired.astype(float)
        else:
            chance = np.where(has_input, firing_probability(total - self.bias[neurons], self.temperature[neurons]), 1.0)
            fired = np.ones(neurons.size, bool)
            fired[has_input] = self.rng.random(int(has_input.sum())) < chance[has_input]
        consumed = neurons[self.due[neurons] <= t]
        self.due[consumed] = t + geometric_wait(self.rng, self.p_spontaneous[consumed])
        observer.updates(neurons, k, f, chance, fired)
        return Spikes(neurons[fired], k[fired], f[fired], np.ones(int(fired.sum())))
