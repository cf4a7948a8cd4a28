"""Laws of backpropagation through time with pseudo-derivatives (evsim.deep.bptt, evsim.deep.surrogate).

The gradient checked is that of the *relaxed* forward pass — the same network
with the spike ``H(m − θ)`` replaced by the surrogate's smooth ``σ(m − θ)``,
whose derivative is the pseudo-derivative — against central finite
differences of that forward pass, in float64. The gradient of the true
Heaviside forward pass is not what is checked: it is zero almost everywhere.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evsim.deep import AvgPool2d, Conv2d, Dense, Flatten, ReLU, Sequential, convert, run
from evsim.deep import bptt
from evsim.deep import surrogate as sg
from evsim.deep.convert import RESETS
from evsim.deep.runner import encode_batch
from evsim.deep.train import cross_entropy
from evsim.testing import converted_nets
from tests.properties.test_deep_laws import DECAYS, LAYER_RESETS, SYNAPSE_DECAYS, with_dynamics

STEP = 1e-6          # finite-difference step (parameters are of order 1)
TOLERANCE = 1e-6     # max |BPTT − finite difference| over the net, relative to the largest finite difference
MARGIN = 1e-4        # least distance of every m − θ from a surrogate's kinks
SATURATED = 1e-9     # a loss whose every difference is below this is saturated: it shows nothing, skipped

SURROGATES = {
    "straight-through": st.just(sg.StraightThrough()),
    "clipped": st.sampled_from([0.5, 1.0, 2.0]).map(sg.ClippedStraightThrough),
    "fast sigmoid": st.sampled_from([1.0, 2.0, 4.0]).map(sg.FastSigmoid),
    "arctan": st.sampled_from([1.0, 2.0, 3.0]).map(sg.ArcTan),
    "triangle": st.sampled_from([0.5, 1.0, 2.0]).map(sg.Triangle),
    "stdb": st.tuples(st.sampled_from([0.3, 1.0]), st.sampled_from([0.0, 0.1, 0.5])).map(lambda p: sg.STDB(*p)),
    "stdb windowed": st.tuples(st.sampled_from([0.3, 1.0]), st.sampled_from([0.0, 0.1]),
                               st.sampled_from([1.0, 4.0])).map(lambda p: sg.STDB(*p)),
}


def _tiny_net(kind: str, rng: np.random.Generator, leaky: bool, current: bool, reset: str = "subtract"):
    """3 → 4 → 3 → 2 (dense) or 1×3×3 → conv 2×3×3 → 3 → 2; random weights near the thresholds."""
    if kind == "dense":
        layers, shape = [Dense(3, 4), ReLU(), Dense(4, 3), ReLU(), Dense(3, 2)], (3,)
    else:
        layers, shape = [Conv2d(1, 2, 2, padding=1), ReLU(), AvgPool2d(2), Flatten(), Dense(8, 3), ReLU(),
                         Dense(3, 2)], (1, 3, 3)
    for layer in layers:
        for name, value in layer.params.items():
            layer.params[name] = rng.normal(0.3 if name == "W" else 0.1, 0.6, value.shape)
    snn = convert(Sequential(layers), thresholds=[0.8, 0.6], input_shape=shape, v_init="half")
    spiking = []
    for layer in snn.layers:
        if layer.spiking:
            beta = float(rng.uniform(0.5, 0.95)) if leaky else 1.0
            layer = replace(layer, beta=beta, synapse_beta=float(rng.uniform(0.3, 0.8)) if current else None,
                            v_init=rng.uniform(0.0, 0.5, layer.output_shape), reset=reset)
        spiking.append(layer)
    return replace(snn, layers=tuple(spiking)), rng.uniform(0.0, 1.0, (2, *shape))


def _loss(snn, x, labels, steps, surrogate, options) -> float:
    tape = bptt.forward(snn, x, steps, surrogate, relaxed=True, **options)
    return cross_entropy(tape.logits[-1], labels)[0]


def _finite_differences(snn, x, labels, steps, surrogate, options):
    """Central differences of the relaxed loss for every weight, bias, v_init, β and β_syn, in backward's order.

    β and β_syn are moved past SpikingLayer's checks (an IF's β = 1 to 1 ± 1e-6): the forward pass takes
    any number, so the leak's gradient is checked at β = 1 too.
    """
    def central(change):
        change(+STEP)
        up = _loss(snn_box[0], x, labels, steps, surrogate, options)
        change(-STEP)
        down = _loss(snn_box[0], x, labels, steps, surrogate, options)
        change(0.0)
        return (up - down) / (2 * STEP)

    def entries(array):
        out = np.empty(array.shape)
        old = array.copy()
        for index in np.ndindex(array.shape):
            def change(delta, index=index):
                array[index] = old[index] + delta
            out[index] = central(change)
        return out

    snn_box, results = [snn], []
    for k, layer in enumerate(snn.layers):
        weights = tuple(entries(op.params["W"]) if "W" in op.params else None for op in layer.ops)
        result = {"weights": weights, "bias": entries(layer.bias)}
        if layer.spiking:
            result["v_init"] = entries(layer.v_init)
            for name in ("beta", "synapse_beta"):
                value = getattr(layer, name)
                if value is not None:
                    def change(delta, k=k, name=name, value=value):
                        layers = list(snn.layers)
                        layers[k] = replace(layers[k])
                        object.__setattr__(layers[k], name, value + delta)  # β = 1 + δ too: an IF's β gradient
                        snn_box[0] = replace(snn, layers=tuple(layers))
                    result[name] = central(change)
        results.append(result)
    return results


def _pairs(gradients, differences):
    """(BPTT value, finite difference) arrays for every parameter the differences cover."""
    for computed, reference in zip(gradients, differences):
        for mine, theirs in zip(computed.weights, reference["weights"]):
            if theirs is not None:
                yield mine, theirs
        for name in ("bias", "v_init", "beta", "synapse_beta"):
            if name in reference:
                yield np.asarray(getattr(computed, name)), np.asarray(reference[name])


def _distance_to_kinks(tape, surrogate) -> float:
    if not surrogate.kinks:
        return np.inf
    return min(np.abs(record.m - layer.theta - kink).min() for layer, record in zip(tape.net.layers, tape.layers)
               if record.m is not None for kink in surrogate.kinks)


def _masks(snn, rng: np.random.Generator, samples: int) -> list[np.ndarray]:
    """Dropout-like masks: per spiking layer and sample, each neuron's factor 0 (a third of them) or in [0.5, 2]."""
    return [np.where(rng.random((samples, *layer.output_shape)) < 1 / 3, 0.0,
                     rng.uniform(0.5, 2.0, (samples, *layer.output_shape)))
            for layer in snn.layers if layer.spiking]


@pytest.mark.parametrize("name", SURROGATES)
@settings(max_examples=12)
@given(data=st.data(), kind=st.sampled_from(["dense", "conv"]), reset=st.sampled_from(RESETS),
       leaky=st.booleans(), current=st.booleans(), single_spike=st.booleans(), detach=st.just(False),
       dropout=st.booleans(), steps=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_bptt_is_the_gradient_of_the_relaxed_forward_pass(name, data, kind, reset, leaky, current, single_spike,
                                                          detach, dropout, steps, seed):
    """Law: for every pseudo-derivative d with relaxed spike σ (σ' = d), dense and conv nets, subtract and
    zero reset, IF (β = 1) and LIF (β < 1) layers, with and without a synaptic current, single-spike
    masking and dropout masks on what each layer sends, backward(forward(relaxed=True)) equals central
    finite differences (step 1e-6) of the relaxed forward pass's cross-entropy, for every weight, bias,
    v_init, β (at 1 too) and β_syn: max |error| <= 1e-6 × the largest difference (float64; skipped: samples
    whose m − θ lie within 1e-4 of a kink of d, and a saturated loss, every difference below 1e-9)."""
    surrogate = data.draw(SURROGATES[name])
    rng = np.random.default_rng(seed)
    snn, x = _tiny_net(kind, rng, leaky, current and leaky, reset)
    labels = np.array([0, 1])
    options = dict(single_spike=single_spike, detach_reset=detach, masks=_masks(snn, rng, len(x)) if dropout else None)
    tape = bptt.forward(snn, x, steps, surrogate, relaxed=True, **options)
    assume(_distance_to_kinks(tape, surrogate) > MARGIN)
    gradients = bptt.backward(tape, cross_entropy(tape.logits[-1], labels)[1])
    pairs = list(_pairs(gradients, _finite_differences(snn, x, labels, steps, surrogate, options)))
    scale = max(np.abs(reference).max() for _, reference in pairs)
    assume(scale > SATURATED)
    error = max(np.abs(mine - reference).max() for mine, reference in pairs)
    assert error <= TOLERANCE * scale, (error, scale)


@settings(max_examples=25)
@given(converted_nets(), DECAYS, SYNAPSE_DECAYS, st.booleans(), LAYER_RESETS)
def test_hard_forward_spikes_are_the_runners(setup, betas, synapse_betas, single_spike, resets):
    """Law: with the hard spike (relaxed=False) bptt.forward's spikes at every step of every layer and its
    cumulative logits equal deep.run's bit for bit, for IF, LIF (β = 0 too) and current-based layers, both
    resets, every encoding and single-spike masking (the same neuron functions in the same order)."""
    ann, thresholds, x, v_init, steps, encoding = setup
    snn = with_dynamics(convert(ann, thresholds=thresholds, v_init=v_init, input_shape=x.shape[1:]), betas,
                        synapse_betas, resets)
    result = run(snn, x, steps, encoding=encoding, rng=7, record_spikes=True, single_spike=single_spike)
    values = x if encoding == "analog" else encode_batch(x, steps, encoding, np.random.default_rng(7))
    tape = bptt.forward(snn, values, steps, sg.FastSigmoid(), single_spike=single_spike)
    assert np.array_equal(tape.logits, result.logits)
    for mine, theirs in zip(tape.spikes, result.spikes, strict=True):
        assert np.array_equal(mine.reshape(theirs.shape), theirs)
