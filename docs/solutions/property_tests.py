"""Solutions to the exercises of the tutorial "Writing your own laws with hypothesis"."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

import evsim
from evsim.testing import assert_spikes_equal, discrete_setups

SETTINGS = settings(max_examples=60, deadline=None, database=None)


@SETTINGS
@given(discrete_setups())
def exercise_1(setup) -> None:
    """Law: an input neuron that is never fed and has no synapses changes no spike of the others."""
    net, inputs, steps = setup
    before = evsim.simulate(net, inputs, until=steps)
    wider = evsim.Network({**net.neurons, "unused": evsim.Input()}, list(net.synapses), outputs=net.outputs,
                          dt=net.dt)
    after = evsim.simulate(wider, inputs, until=steps)
    assert {n: list(t) for n, t in after.trains().items() if n != "unused"} == \
        {n: list(t) for n, t in before.trains().items()}


def scaled(net: evsim.Network, factor: float) -> evsim.Network:
    """Every weight and every potential-valued parameter times ``factor`` (τ, delays and refractory kept)."""
    def model(m):
        if isinstance(m, evsim.Input):
            return m
        changes = {"threshold": m.threshold * factor, "v_init": m.v_init * factor, "bias": m.bias * factor}
        if isinstance(m.reset, float):
            changes["reset"] = m.reset * factor
        if m.reset_by is not None:
            changes["reset_by"] = m.reset_by * factor
        if isinstance(m, evsim.LIF):
            changes["v_rest"] = m.v_rest * factor
        return replace(m, **changes)

    neurons = {name: model(m) for name, m in net.neurons.items()}
    synapses = [replace(s, weight=s.weight * factor) for s in net.synapses]
    return evsim.Network(neurons, synapses, outputs=net.outputs, dt=net.dt)


@SETTINGS
@given(discrete_setups())
def exercise_2(setup) -> None:
    """Law: doubling every weight and potential-valued parameter changes no spike (×2 is exact in floats)."""
    net, inputs, steps = setup
    assert_spikes_equal(evsim.simulate(scaled(net, 2.0), inputs, until=steps), evsim.simulate(net, inputs, until=steps))
