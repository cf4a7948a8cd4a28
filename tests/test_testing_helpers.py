import pytest
from hypothesis import given

import evsim
from evsim.behavior import exact
from evsim.library import and_gate, or_gate
from evsim.testing import (
    assert_same_behavior,
    assert_spikes_equal,
    compatible_pairs,
    discrete_setups,
    networks,
)


def net():
    return evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)}, [evsim.Synapse("x", "y", 0.6)])


def test_assert_spikes_equal_names_the_first_difference():
    a = evsim.simulate(net(), {"x": [0, 1, 2]}, until=5)
    assert_spikes_equal(a, evsim.simulate(net(), {"x": [0, 1, 2]}, until=5))
    with pytest.raises(AssertionError, match=r"spike 1 differs: \('x', 1.0, 1.0\) vs \('x', 3.0, 1.0\)"):
        assert_spikes_equal(a, evsim.simulate(net(), {"x": [0, 3]}, until=5))
    with pytest.raises(AssertionError, match="the first record has 3 more spikes, the next at 1.0 ms from 'x'"):
        assert_spikes_equal(a, evsim.simulate(net(), {"x": [0]}, until=5))


def test_assert_same_behavior_names_the_most_different_sequence():
    inputs = {"x1": [0]}
    assert_same_behavior(exact(and_gate(), inputs, 2), exact(and_gate(), inputs, 2))
    with pytest.raises(AssertionError, match=r"differ by .* most at outputs \{'y': \(0, [01]\)\}"):
        assert_same_behavior(exact(and_gate(), inputs, 2), exact(or_gate(), inputs, 2))


@given(discrete_setups())
def test_discrete_setups_are_simulatable(setup):
    """The strategy's networks and inputs are valid together (a user's first law)."""
    network, inputs, steps = setup
    record = evsim.simulate(network, inputs, until=steps)
    assert set(record.trains()) == set(network.names)


@given(compatible_pairs())
def test_compatible_pairs_compose(pair):
    """Every pair the strategy draws composes, and the result has both components' outputs."""
    n1, n2 = pair
    assert evsim.compose(n1, n2).outputs == n1.outputs | n2.outputs


@given(networks(lynch_musco=True))
def test_networks_draws_valid_discrete_networks(network):
    """The network-only strategy gives discrete networks with at least one non-input neuron."""
    assert isinstance(network, evsim.Network) and network.discrete and network.outputs
    assert len(network.names) > len(network.inputs)
