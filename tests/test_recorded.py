"""Recording only some neurons, and draining a long run's spikes in pieces: probes only observe."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evsim import IF, Input, Network, Simulator, Synapse, ValidationError, simulate
from evsim.testing import continuous_setups, discrete_setups


def _same_for_the_kept(net, inputs, until, kept):
    full = simulate(net, inputs, until=until, rng=3)
    part = simulate(net, inputs, until=until, rng=3, recorded=kept)
    assert set(part.trains()) == set(kept)
    for name in kept:
        mine = part.neuron == net.names.index(name)
        theirs = full.neuron == net.names.index(name)
        assert np.array_equal(part.time[mine], full.time[theirs])
        assert np.array_equal(part.value[mine], full.value[theirs])
    assert len(part) == sum(full.counts()[name] for name in kept)  # nothing else is kept


@given(discrete_setups(cuba=True) | discrete_setups(lynch_musco=True), st.data())
def test_recording_some_neurons_keeps_exactly_their_spikes_discrete(setup, data):
    """Law: a run with recorded=S records, for each neuron of S, exactly the spikes (times, values)
    the full record has, and nothing for the others (Lynch–Musco draws included: same rng)."""
    net, inputs, steps = setup
    kept = data.draw(st.lists(st.sampled_from(net.names), unique=True))
    _same_for_the_kept(net, inputs, steps, kept)


@given(continuous_setups(), st.data())
def test_recording_some_neurons_keeps_exactly_their_spikes_continuous(setup, data):
    """Law: as in discrete time, with predicted crossings."""
    net, inputs = setup
    kept = data.draw(st.lists(st.sampled_from(net.names), unique=True))
    _same_for_the_kept(net, inputs, 60.0, kept)


@given(continuous_setups(), st.lists(st.floats(0.0, 60.0), max_size=4))
def test_drained_pieces_make_up_the_whole_record(setup, cuts):
    """Law: the spikes drained after runs to t1 < t2 < … < T, end to end, are the record of one run to T."""
    net, inputs = setup
    whole = simulate(net, inputs, until=60.0)
    sim = Simulator(net)
    sim.feed(inputs)
    pieces = []
    for t in sorted(cuts) + [60.0]:
        sim.run(t)
        pieces.append(sim.drain())
    for field in ("neuron", "time", "value"):
        assert np.array_equal(np.concatenate([getattr(p, field) for p in pieces]), getattr(whole, field))
    assert len(sim.record) == 0


@pytest.mark.parametrize("bad, message", [("yz", "'yz'"), (["y", "y"], "distinct"),
                                           (["nope"], "'nope'"), ([3], "non-empty string")])
def test_recorded_names_are_checked(bad, message):
    net = Network({"x": Input(), "y": IF()}, [Synapse("x", "y", 1.0, 1.0)], outputs={"y"})
    with pytest.raises(ValidationError, match=message):
        simulate(net, {"x": [0]}, until=3, recorded=bad)


def test_one_name_is_recorded_as_itself():
    net = Network({"x": Input(), "y": IF()}, [Synapse("x", "y", 1.0, 1.0)], outputs={"y"})
    assert simulate(net, {"x": [0]}, until=3, recorded="y").counts() == {"y": 1}
