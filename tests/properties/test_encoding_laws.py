"""Laws of the encoders and decoders (rate, time-to-first-spike and hybrid codes)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from evsim import IF, Input, Network, Synapse, simulate
from evsim.encoding import (
    SpikeCode,
    decode_hybrid,
    decode_rate,
    decode_ttfs,
    first_spike_times,
    hybrid,
    rate,
    ttfs,
)

unit = st.floats(0.0, 1.0, allow_nan=False)
images = arrays(float, array_shapes(min_dims=1, max_dims=3, max_side=4), elements=unit)
steps = st.integers(2, 40)


@given(images, steps)
def test_regular_rate_count_and_decoding(x, T):
    """Regular rate: exactly floor(x·T + 1/2) spikes per element, at most one per step, decoded within 1/(2T)."""
    code = rate(x, T, method="regular")
    assert np.array_equal(code.counts(), np.floor(x * T + 0.5).astype(int))
    assert code.array.max(initial=0) <= 1
    assert np.all(np.abs(decode_rate(code) - x) <= 1 / (2 * T) + 1e-12)


@given(images, steps)
def test_ttfs_one_spike_monotone_and_decodes_within_half_a_step(x, T):
    """TTFS: at most one spike per element; x1 > x2 implies t1 <= t2; decoded within half a step."""
    code = ttfs(x, T)
    assert code.counts().max(initial=0) <= 1
    t, flat = first_spike_times(code).reshape(-1), x.reshape(-1)
    order = np.argsort(-flat, kind="stable")
    fired = np.isfinite(t[order])
    assert np.all(np.diff(t[order][fired]) >= 0)
    assert np.all(np.abs(decode_ttfs(code) - x)[x > 0] <= 1 / (2 * (T - 1)) + 1e-12)


@given(images, st.floats(0.05, 0.5), st.floats(0.5, 5.0))
def test_log_ttfs_continuous_times_invert_exactly(x, threshold, tau):
    """Log TTFS with exact times: decoding gives x back (to 1e-9) for every element that fired."""
    code = ttfs(x, 10_000, code="log", threshold=threshold, tau=tau, continuous=True)
    fired = np.isfinite(first_spike_times(code))
    assert np.all(x[fired] > threshold)
    assert np.allclose(decode_ttfs(code, kind="log", threshold=threshold, tau=tau)[fired], x[fired], rtol=1e-9)


@given(images, steps)
def test_hybrid_analog_first_step_then_at_most_one_spike(x, T):
    """Hybrid: step 0 carries x exactly; steps 1..T-1 carry at most one spike per element,
    whose time decodes within half a step once the window has two steps or more."""
    code = hybrid(x, T)
    assert np.array_equal(decode_hybrid(code), x)
    assert np.array_equal(code.array[0], x)
    assert code.array[1:].max(initial=0) <= 1 and np.all(code.array[1:].sum(axis=0) <= 1)
    if T >= 3:  # with T = 2 the spike window is one step: no timing information
        assert np.all(np.abs(decode_ttfs(code) - x)[x > 0] <= 1 / (2 * (T - 2)) + 1e-12)


@given(images, steps, st.sampled_from(["bernoulli", "regular", "poisson", "ttfs", "hybrid"]), st.integers(0, 99))
def test_array_and_event_views_describe_the_same_spikes(x, T, kind, seed):
    """Round trip: from_inputs(to_inputs(code)) == code; for step-aligned codes
    from_array(code.array) == code too. Same seed, same spikes."""
    make = {"bernoulli": lambda: rate(x, T, rng=seed), "regular": lambda: rate(x, T, method="regular"),
            "poisson": lambda: rate(x, T, method="poisson", rng=seed), "ttfs": lambda: ttfs(x, T),
            "hybrid": lambda: hybrid(x, T)}[kind]
    code = make()
    names = [f"in{i}" for i in range(code.size)]
    back = SpikeCode.from_inputs(code.to_inputs(names), names, code.shape, code.steps, code.dt)
    assert back == code
    if code.exact_steps:
        assert SpikeCode.from_array(code.array, code.dt) == code
    assert make() == code


def test_bernoulli_mean_count_is_p_times_steps():
    """Bernoulli rate: mean count over 20,000 seeded elements is p·T within 5 standard errors."""
    T, n = 16, 20_000
    for p in (0.05, 0.3, 0.5, 0.9):
        counts = rate(np.full(n, p), T, rng=42).counts()
        assert abs(counts.mean() - p * T) <= 5 * math.sqrt(p * (1 - p) * T / n)


def test_poisson_mean_count_and_exact_times():
    """Poisson: mean count p·T (5 standard errors, sd = sqrt(p·T)), times are not on the step grid."""
    T, n, p = 20, 20_000, 0.4
    code = rate(np.full(n, p), T, method="poisson", rng=3)
    assert abs(code.counts().mean() - p * T) <= 5 * math.sqrt(p * T / n)
    assert not code.exact_steps and np.any(code.time % 1.0 != 0.0)


@pytest.mark.parametrize("kind", ["bernoulli", "regular", "ttfs", "hybrid"])
def test_event_engine_and_numpy_loop_give_the_same_first_layer(kind):
    """Acceptance: an encoded image fed to the event engine (inputs -> IF layer, zero delay) and its
    array view fed to a plain NumPy loop over steps give identical first-layer spike trains."""
    rng = np.random.default_rng(5)
    x, T, n_hid = rng.random((3, 4)), 12, 6
    code = {"bernoulli": lambda: rate(x, T, rng=1), "regular": lambda: rate(x, T, method="regular"),
            "ttfs": lambda: ttfs(x, T), "hybrid": lambda: hybrid(x, T)}[kind]()
    W = rng.normal(0.25, 0.6, (x.size, n_hid))
    theta, single = 1.0, kind == "hybrid"
    neurons = {f"x{i}": Input() for i in range(x.size)}
    neurons.update({f"h{j}": IF(threshold=theta, single_spike=single) for j in range(n_hid)})
    synapses = [Synapse(f"x{i}", f"h{j}", W[i, j], 0.0) for i in range(x.size) for j in range(n_hid)]
    record = simulate(Network(neurons, synapses, dt=1.0), code.to_inputs(), until=T)
    engine = np.zeros((T, n_hid), bool)
    for j in range(n_hid):
        engine[record.trains()[f"h{j}"].astype(int), j] = True

    drive = code.array.reshape(T, -1)
    v, spent, loop = np.zeros(n_hid), np.zeros(n_hid, bool), np.zeros((T, n_hid), bool)
    for k in range(T):
        total = np.zeros(n_hid)
        for i in range(x.size):  # arrivals summed in synapse order, as documented
            if drive[k, i] != 0:
                total = total + drive[k, i] * W[i]
        m = np.where(spent, v, v + 0.0 + total)
        fired = (m >= theta) & ~spent
        loop[k] = fired
        v = np.where(fired, m - theta, m)
        spent |= fired & single
    assert np.array_equal(engine, loop)
    assert engine.sum() >= (n_hid if single else 2 * n_hid) // 2  # not vacuous: the layer fires
    if single:
        assert engine.sum(axis=0).max() <= 1  # single-spike neurons: at most one spike per presentation
