"""Laws of the conversion theory (Rueckauer et al. 2017; Bu et al. 2022) and of the vectorised runner.

Exactness: where the claim is exact, numbers are dyadic rationals (k/2^m), so
every float sum is exact and the reference can be a fractions.Fraction formula.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evsim
from evsim.deep import (
    bounds,
    convert,
    network_inputs,
    run,
    to_network,
)
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
    result = run(snn, x, steps, encoding=encoding, rng=7, record_spikes=True)
    inputs = encode_batch(x, steps, encoding, np.random.default_rng(7))  # the very same input values
    net = to_network(snn)
    n_out = snn.layers[-1].size
    for b in range(len(x)):
        drive = inputs[:, b]
        record = evsim.simulate(net, network_inputs(drive), until=steps, probes=[f"out{j}" for j in range(n_out)])
        trains = record.trains()
        for k, layer in enumerate(layer for layer in snn.layers if layer.spiking):
            engine = np.zeros((steps, layer.size), bool)
            for j in range(layer.size):
                engine[trains[f"L{k}_{j}"].astype(int), j] = True
            assert np.array_equal(engine, result.spikes[k][:, b])
        for j in range(n_out):
            potentials = record.potentials[f"out{j}"].sample(np.arange(steps))
            assert np.array_equal(potentials, result.logits[:, b, j])
