"""Laws of how values print: a small network's repr is the network, and a failing law shows it whole."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import reporting
from hypothesis import strategies as st

import evsim
from evsim.testing import networks


def _namespace() -> dict:
    return {name: getattr(evsim, name) for name in dir(evsim) if not name.startswith("_")} | {"inf": math.inf}


@settings(max_examples=60)
@given(networks(lynch_musco=False) | networks(lynch_musco=True))
def test_the_repr_of_a_small_network_builds_the_same_network(net):
    """Law: for a network of at most 12 neurons and 24 synapses, eval(repr(net)) == net (every parameter that
    differs from its default, every synapse, outputs and clock are in the repr, floats by their repr). Mutation:
    leaving the synapses out of the repr breaks it on every network that has one."""
    assume(len(net.names) <= 12 and len(net.table) <= 24)
    assert eval(repr(net), _namespace()) == net


def test_a_failing_law_prints_its_network_with_parameters():
    """A hypothesis counterexample on a network shows each neuron's parameters and each synapse, not a count."""
    shown = []

    @settings(max_examples=50, database=None)
    @given(networks())
    def law(net):
        assert not any(isinstance(model, evsim.IF) for model in net.neurons.values())

    with reporting.with_reporter(shown.append), pytest.raises(AssertionError) as failure:
        law()
    report = "\n".join(map(str, shown + list(getattr(failure.value, "__notes__", []))))
    assert "law(" in report and "Network({" in report and "IF(" in report and "outputs=" in report
    assert "neurons (" not in report  # the summary form is for large networks only
