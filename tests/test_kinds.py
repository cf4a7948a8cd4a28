"""A new neuron kind needs a model, a population and one registry line — nothing else."""

from dataclasses import dataclass

import numpy as np
import pytest

import evsim
from evsim import Input, Network, Synapse, ValidationError, kinds, simulate
from evsim.events import Spikes
from evsim.neurons import NeuronModel, fires


@dataclass(frozen=True)
class Relay(NeuronModel):
    """Fires at every instant its summed input reaches ``level``; no state at all."""

    level: float = 1.0


class Relays:
    """The population of Relay neurons (the protocol of evsim.populations)."""

    has_potential = False
    max_window = np.inf

    def __init__(self, plan, members, rng):
        self.members = members
        self.level = np.array([getattr(m, "level", np.inf) for m in plan.net.neurons.values()])

    def next_wakeup(self):
        return np.inf, 0.0  # no update without input

    def due_before(self, end):
        return np.zeros(0, np.int64)

    def process(self, instants, due, window, observer):
        fired = fires(instants.total, self.level[instants.neuron])
        observer.deliveries(instants.neuron, instants.k, instants.f, instants.total, np.zeros(fired.size, bool))
        observer.updates(instants.neuron, instants.k, instants.f, instants.total, fired)
        return Spikes(instants.neuron[fired], instants.k[fired], instants.f[fired], np.ones(int(fired.sum())))


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(kinds.KINDS, Relay, Relays)  # the one line a new kind adds to evsim/kinds.py


def relay_net():
    return Network({"x": Input(), "r": Relay(level=1.0), "y": evsim.IF(threshold=2.0)},
                   [Synapse("x", "r", 0.6, 0.5), Synapse("x", "r", 0.6, 1.0), Synapse("r", "y", 1.0, 0.25)],
                   outputs={"y"}, dt=None)


def test_a_registered_kind_runs_in_the_engine_beside_the_others(registered):
    record = simulate(relay_net(), {"x": [0.0, 0.5, 2.0]}, until=5, trace=True)
    assert record.trains()["r"].tolist() == [1.0]  # 0.6 + 0.6 coincide only at 1.0
    assert record.trains()["y"].size == 0
    assert any(e.kind == "deliver" and e.neuron == "r" and e.value == 1.2 for e in record.trace)


def test_a_registered_kind_saves_and_loads(registered, tmp_path):
    net = relay_net()
    assert evsim.io.load(evsim.io.save(net, tmp_path / "relay.npz")) == net


def test_an_unregistered_kind_is_named_when_run():
    with pytest.raises(ValidationError, match="no population runs Relay neurons; register the model"):
        simulate(relay_net(), {}, until=1)
