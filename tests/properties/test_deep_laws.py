"""Laws of the conversion theory (Rueckauer et al. 2017; Bu et al. 2022) and of the vectorised runner.

Exactness: where the claim is exact, numbers are dyadic rationals (k/2^m), so
every float sum is exact and the reference can be a fractions.Fraction formula.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evsim
from evsim.deep import (
    bounds,
    convert,
    layer_spikes,
    network_inputs,
    run,
    to_network,
)
from evsim.deep.convert import RESETS
from evsim.deep.runner import encode_batch
from evsim.testing import converted_nets

dyadic = st.integers(-64, 64).map(lambda k: k / 32)
positive_dyadic = st.integers(1, 64).map(lambda k: k / 16)


@given(st.integers(-40, 80).map(lambda k: Fraction(k, 16)), positive_dyadic, st.integers(1, 40))
def test_if_with_half_threshold_start_fires_the_rounded_count(z, theta, T):
    """IF, v(0) = θ/2, constant input z: exactly clip(floor(zT/θ + 1/2), 0, T) spikes (Fraction reference)."""
    theta = Fraction(theta)
    n, _ = bounds.if_response([float(z)] * T, float(theta), float(theta / 2))
    assert n == bounds.constant_input_count(z, T, theta, theta / 2)
    assert n == min(max(int((z * T / theta + Fraction(1, 2)) // 1), 0), T)
    assert abs(theta * n / T - min(max(z, 0), theta)) <= bounds.conversion_error_bound(theta, T)


@given(st.lists(st.floats(-3.0, 3.0), min_size=1, max_size=60), st.floats(0.1, 3.0), st.floats(0.0, 1.0))
def test_rate_identity_holds_for_any_inputs(currents, theta, fraction):
    """Rate identity: θ·N/T = mean(z) − (v(T) − v(0))/T to 1e-9, for arbitrary input sequences."""
    assert abs(bounds.rate_identity_gap(currents, theta, fraction * theta)) <= 1e-9


@given(st.integers(-16, 80).map(lambda k: Fraction(k, 16)), positive_dyadic, st.integers(1, 16))
def test_qcfs_theorem_1_zero_error(z, lam, L):
    """Theorem 1: φ = 0, T = L, θ = λ, v(0) = 0 ⇒ the SNN's θ·N/T equals the QCFS output exactly."""
    n, _ = bounds.if_response([float(z)] * L, lam, 0.0)
    level = min(max(int((z * L / Fraction(lam)) // 1), 0), L)  # QCFS output is λ·level/L
    assert n == level
    assert lam * n / L == pytest.approx(float(bounds.qcfs(float(z), lam, L, shift=0.0)), abs=1e-12)


@pytest.mark.parametrize("T, L", [(1, 4), (3, 8), (8, 2), (16, 16)])
def test_qcfs_theorem_2_expected_error_is_zero(T, L):
    """Theorem 2: φ = 1/2, θ = λ, v(0) = θ/2 ⇒ E[θ·N/T − h(z)] = 0 over z ~ U(0, λ)
    (40,000 seeded samples; |mean| within 5 standard errors)."""
    lam, rng = 2.0, np.random.default_rng(T * 100 + L)
    z = rng.uniform(0.0, lam, 40_000)
    n = np.minimum(np.maximum(np.floor(z * T / lam + 0.5), 0), T)  # the count proved above, vectorised
    errors = lam * n / T - bounds.qcfs(z, lam, L)
    assert abs(errors.mean()) <= 5 * errors.std() / np.sqrt(z.size)


def test_unevenness_example():
    """Weight 1.5, θ = 1, v(0) = 0, T = 4, input spikes at t = 3, 4: the IF fires twice, while the
    rate (mean current 0.75) predicts clip(floor(0.75·4), 0, 4) = 3: late inputs leave v(T) = 1 unfired."""
    currents = [0.0, 0.0, 1.5, 1.5]
    n, v_end = bounds.if_response(currents, 1.0, 0.0)
    assert (n, v_end) == (2, 1.0)
    assert bounds.constant_input_count(np.mean(currents), 4, 1.0, 0.0) == 3


@settings(max_examples=25)
@given(converted_nets())
def test_vectorised_runner_equals_the_event_engine(setup):
    """Differential law: deep.run and the event engine on deep.to_network give identical spikes for
    every neuron of every layer at every step, and the accumulator's potential equals the
    cumulative logits (dense and conv nets; analog, rate, TTFS and hybrid input; dyadic numbers,
    so no summation-order ambiguity)."""
    ann, thresholds, x, v_init, steps, encoding = setup
    snn = convert(ann, thresholds=thresholds, v_init=v_init, input_shape=x.shape[1:])
    _assert_runner_equals_engine(snn, x, steps, encoding)


DECAYS = st.lists(st.sampled_from([0.0, 0.5, 0.75, 1.0]), min_size=3, max_size=3)  # exact as exp(−1/τ)
SYNAPSE_DECAYS = st.lists(st.sampled_from([None, None, 0.5, 0.75]), min_size=3, max_size=3)
LAYER_RESETS = st.lists(st.sampled_from(RESETS), min_size=3, max_size=3)


def with_dynamics(snn, betas, synapse_betas, resets):
    """``snn`` with its spiking layers given these decays, synaptic decays and resets, in layer order (a
    current-based layer's β kept in [½, ¾]: it must leak, and the engine's CubaLIF decays exactly there)."""
    layers = tuple(replace(layer, beta=beta if synapse_beta is None else min(max(beta, 0.5), 0.75),
                           synapse_beta=synapse_beta, reset=reset)
                   if layer.spiking else layer
                   for layer, beta, synapse_beta, reset in zip(snn.layers, betas, synapse_betas, resets))
    return replace(snn, layers=layers + snn.layers[len(layers):])


@settings(max_examples=20)
@given(converted_nets(), DECAYS, SYNAPSE_DECAYS, LAYER_RESETS, st.booleans())
def test_leaky_and_current_based_layers_run_alike_in_the_runner_and_the_event_engine(setup, betas, synapse_betas,
                                                                                      resets, single_spike):
    """Differential law for leaky layers (``beta < 1``: ``m = beta·v + b + I``; ``beta = 0``: nothing
    carries over), current-based ones (``synapse_beta``: ``i = (synapse_beta·i + b) + I``, ``m = beta·v + i``),
    both resets and single-spike neurons: deep.run and the event engine on deep.to_network (IF, LIF and
    CubaLIF neurons of those decays and resets) give identical spikes and logits; dyadic numbers and decays,
    so every product and sum is exact (the runner's equations against a NumPy loop: tests/test_deep.py)."""
    ann, thresholds, x, v_init, steps, encoding = setup
    leaky = with_dynamics(convert(ann, thresholds=thresholds, v_init=v_init, input_shape=x.shape[1:]), betas,
                          synapse_betas, resets)
    single_spike = single_spike and not any(layer.current_based for layer in leaky.layers)  # CubaLIF has none
    _assert_runner_equals_engine(leaky, x, steps, encoding, single_spike)



def _assert_runner_equals_engine(snn, x, steps: int, encoding: str, single_spike: bool = False) -> None:
    result = run(snn, x, steps, encoding=encoding, rng=7, record_spikes=True, single_spike=single_spike)
    inputs = encode_batch(x, steps, encoding, np.random.default_rng(7))  # the very same input values
    net = to_network(snn, single_spike=single_spike)
    n_out = snn.layers[-1].size
    for b in range(len(x)):
        drive = inputs[:, b]
        record = evsim.simulate(net, network_inputs(drive), until=steps, probes=[f"out{j}" for j in range(n_out)])
        for engine, runner in zip(layer_spikes(record, snn, steps), result.spikes, strict=True):
            assert np.array_equal(engine, runner[:, b])
        for j in range(n_out):
            potentials = record.potentials[f"out{j}"].sample(np.arange(steps))
            assert np.array_equal(potentials, result.logits[:, b, j])


@settings(max_examples=25)
@given(converted_nets(), st.integers(4, 9), st.integers(1, 9), st.integers(0, 2**32 - 1), st.booleans())
def test_run_does_not_depend_on_the_chunk_size(setup, samples, chunk, seed, early_exit):
    """Chunk invariance: for every encoding (rate with and without compensation, with and without
    early exit), run(x, chunk=c) gives exactly what run(x, chunk=len(x)) gives — logits, exit steps,
    every spike and every operation count — for any c >= 1 (dyadic numbers, so no summation order
    matters): a sample's input, rate draws included, does not depend on the chunk it runs in."""
    ann, thresholds, x, v_init, steps, encoding = setup
    x = np.random.default_rng(seed).integers(0, 17, (samples, *x.shape[1:])) / 16
    snn = convert(ann, thresholds=thresholds, v_init=v_init, input_shape=x.shape[1:])
    options = dict(encoding=encoding, rng=seed, record_spikes=True, compensation=encoding == "rate" and seed % 2 == 0,
                   exit_threshold=0.6 if early_exit else None, temperature=4.0)
    whole, chunked = run(snn, x, steps, chunk=samples, **options), run(snn, x, steps, chunk=chunk, **options)
    assert np.array_equal(whole.logits, chunked.logits) and np.array_equal(whole.exit_step, chunked.exit_step)
    assert all(np.array_equal(a, b) for a, b in zip(whole.spikes, chunked.spikes))
    for field in ("spike_counts", "acs", "macs"):
        assert np.array_equal(getattr(whole, field), getattr(chunked, field)), field


@st.composite
def affine_groups(draw):
    """A random affine group (a lone Conv2d, AvgPool2d then Conv2d, AvgPool2d-Flatten-Dense, or a
    Conv2d-Flatten-Dense chain) with about a third of its weights zero, and its input shape."""
    from evsim.deep import AvgPool2d, Conv2d, Dense, Flatten

    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    c, k, stride, padding = (draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2)),
                             draw(st.integers(0, 1)))
    side = 2 * draw(st.integers(2, 4))
    kind = draw(st.sampled_from(["conv", "pool-conv", "pool-dense", "conv-dense"]))
    in_side = side // 2 if kind.startswith("pool") else side
    conv = Conv2d(c, 2, min(k, in_side + 2 * padding), stride=stride, padding=padding, rng=1)
    ops = {"conv": [conv], "pool-conv": [AvgPool2d(2), conv],
           "pool-dense": [AvgPool2d(2), Flatten(), Dense(c * in_side * in_side, 3, rng=2)]}.get(kind)
    if ops is None:
        out = conv.forward(np.zeros((1, c, side, side)))
        ops = [conv, Flatten(), Dense(out.size, 3, rng=2)]
    for op in ops:
        for name, value in op.params.items():
            op.params[name] = np.where(rng.random(value.shape) < 0.35, 0.0, value)
    return ops, (c, side, side)


@settings(max_examples=40)
@given(affine_groups())
def test_fan_out_counts_the_nonzeros_of_the_group_matrix(group):
    """fan_out's shortcuts (pooling folded in, a lone Dense's columns, a lone Conv2d's taps) count
    exactly the nonzero entries of each row of the group's matrix built from the identity, and
    matrix_blocks gives that matrix row for row."""
    from evsim.deep.convert import linear_part
    from evsim.deep.matrix import fan_out, matrix_blocks

    ops, shape = group
    n = int(np.prod(shape))
    matrix = linear_part(ops, np.eye(n).reshape(n, *shape)).reshape(n, -1)
    assert np.array_equal(fan_out(ops, shape), np.count_nonzero(matrix, axis=1))
    assert np.array_equal(np.concatenate([rows for _, rows in matrix_blocks(ops, shape)]), matrix)
