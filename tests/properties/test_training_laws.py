"""Laws of nets trained by evsim.deep.direct.fit: they are ordinary SpikingNets, the same machine in the
vectorised runner and in the event engine."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from evsim.deep import direct
from evsim.deep import surrogate as sg
from evsim.deep.convert import RESETS
from tests.properties.test_deep_laws import _assert_runner_equals_engine

GRID = 2.0**-8  # trained parameters are rounded to multiples of this: every sum in either engine is then exact
DECAYS = (0.0, 0.5, 0.75, 1.0)  # decays the engine's exp(-1/τ) gives exactly


def _on_grid(net):
    """``net`` with every weight, bias and initial potential rounded to a multiple of :data:`GRID`."""
    layers = []
    for layer in net.layers:
        for op in layer.ops:
            if "W" in op.params:
                op.params["W"] = np.round(op.params["W"] / GRID) * GRID
        layers.append(replace(layer, bias=np.round(layer.bias / GRID) * GRID,
                              v_init=np.round(layer.v_init / GRID) * GRID))
    return replace(net, layers=tuple(layers))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), beta=st.sampled_from(DECAYS), reset=st.sampled_from(RESETS),
       encoding=st.sampled_from(["analog", "rate", "ttfs", "hybrid"]), single_spike=st.booleans(),
       steps=st.integers(2, 5), loss=st.sampled_from(direct.LOSSES),
       surrogate=st.sampled_from([sg.FastSigmoid(4.0), sg.ClippedStraightThrough(1.0), sg.STDB()]),
       train_leak=st.booleans(), dropout=st.sampled_from([0.0, 0.3]))
def test_a_trained_net_fires_the_same_spikes_in_the_runner_and_the_event_engine(seed, beta, reset, encoding,
                                                                                 single_spike, steps, loss,
                                                                                 surrogate, train_leak, dropout):
    """Law: a net trained by fit (any decay β ∈ {0, ½, ¾, 1}, trained or not, either reset, every encoding,
    single-spike or not, either loss and pseudo-derivative, with or without dropout), expanded by to_network, fires in the event engine
    exactly the spikes deep.run fires — every neuron of every layer at every step — and its output potentials
    are the runner's cumulative logits. The trained parameters are rounded to multiples of 2⁻⁸ (and a trained
    β to the nearest of 0, ½, ¾, 1) so that no sum depends on its order (the engine adds arrivals one by one, the runner
    by matrix products); the lesson's digits net is checked unrounded (tests/test_demos.py)."""
    rng = np.random.default_rng(seed)
    single_spike = single_spike and encoding != "rate"
    x = rng.integers(0, 17, (12, 4)) / 16
    y = rng.integers(0, 2, 12)
    net = direct.spiking_mlp([4, 5, 3, 2], theta=0.5, beta=beta, reset=reset, seed=seed % 1000)
    trained = direct.fit(net, x, y, steps, epochs=2, batch=4, lr=0.05, seed=seed, surrogate=surrogate,
                         encoding=encoding, single_spike=single_spike, loss=loss, train_leak=train_leak,
                         dropout=dropout).net
    trained = _on_grid(trained)
    trained = replace(trained, layers=tuple(replace(layer, beta=min(DECAYS, key=lambda b: abs(b - layer.beta)))
                                            if layer.spiking else layer for layer in trained.layers))
    _assert_runner_equals_engine(trained, x[:4], steps, encoding, single_spike)
