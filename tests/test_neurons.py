import math

import numpy as np
import pytest

from evsim import IF, LIF, Stochastic, Threshold, ValidationError
from evsim.neurons import (
    apply_reset,
    crossing_time,
    drift,
    drift_steps,
    fires,
    firing_probability,
    flow,
    resting_level,
    sigmoid,
)


@pytest.mark.parametrize(
    "make, pattern",
    [
        (lambda: IF(threshold=math.nan), "threshold.*nan"),
        (lambda: IF(v_init=math.inf), "v_init.*inf"),
        (lambda: IF(bias="a"), "bias.*'a'"),
        (lambda: IF(reset="hard"), "reset.*'hard'"),
        (lambda: IF(reset=math.nan), "reset.*nan"),
        (lambda: IF(refractory=-1.0), "refractory.*-1.0"),
        (lambda: LIF(tau=0.0), "tau.*0.0"),
        (lambda: LIF(tau=-5.0), "tau.*-5.0"),
        (lambda: LIF(v_rest=math.nan), "v_rest.*nan"),
        (lambda: Stochastic(temperature=0.0), "temperature.*0.0"),
        (lambda: Stochastic(bias=math.inf), "bias.*inf"),
        (lambda: Threshold(bias=math.nan), "bias.*nan"),
        (lambda: LIF.from_beta(1.5), "beta.*1.5"),
    ],
)
def test_bad_parameters_name_the_value(make, pattern):
    with pytest.raises(ValidationError, match=pattern):
        make()


def test_defaults_follow_the_design():
    assert IF().reset == "subtract" and IF().reset_potential is None
    assert LIF(v_rest=-65.0).v_init == -65.0
    assert IF(reset="zero").reset_potential == 0.0 and IF(reset=-2).reset_potential == -2.0


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.95, 0.99, 0.123456789, 1 - 1e-9])
def test_lif_from_beta_reproduces_beta_exactly(beta):
    lif = LIF.from_beta(beta, dt=1.0)
    assert math.exp(-1.0 / lif.tau) == beta
    assert LIF.from_beta(1.0).tau == math.inf


def test_drift_steps_equals_a_loop_bit_for_bit():
    rng = np.random.default_rng(3)
    v = rng.normal(size=20)
    n = rng.integers(0, 40, 20)
    beta, v_rest, bias = rng.uniform(0.5, 1.0, 20), rng.normal(size=20), rng.normal(size=20) * 0.1
    got = drift_steps(v, n, beta, v_rest, bias)
    for i in range(20):
        x = v[i]
        for _ in range(n[i]):
            x = v_rest[i] + beta[i] * (x - v_rest[i]) + bias[i]
        assert got[i] == x


def test_drift_is_the_documented_formula():
    assert drift(2.0, 0.5, 1.0, 0.25) == 1.0 + 0.5 * (2.0 - 1.0) + 0.25


def test_flow_matches_the_closed_form_and_the_ode():
    # LIF: v_inf + (v0 - v_inf) e^{-s/tau}; IF: v0 + bias*s
    got = flow(np.array([0.0, 1.0]), np.array([5.0, 5.0]), np.array([10.0, math.inf]), 0.0, np.array([0.3, 0.2]))
    assert got[0] == pytest.approx(3.0 + (0.0 - 3.0) * math.exp(-0.5), abs=1e-15)
    assert got[1] == pytest.approx(2.0, abs=1e-15)


def test_crossing_time_cases():
    v = np.array([0.0, 0.0, 0.0, 2.0, 0.0, 0.0])
    theta = np.ones(6)
    tau = np.array([10.0, 10.0, math.inf, 10.0, math.inf, 10.0])
    bias = np.array([0.2, 0.05, 0.5, 0.0, -1.0, 0.1])
    got = crossing_time(v, theta, tau, 0.0, bias)
    assert got[0] == pytest.approx(10.0 * math.log(2.0 / 1.0), abs=1e-12)
    assert got[1] == math.inf  # v_inf = 0.5 < theta
    assert got[2] == pytest.approx(2.0)
    assert got[3] == 0.0  # already above
    assert got[4] == math.inf
    assert got[5] == math.inf  # v_inf == theta: approached, never reached


def test_resting_level():
    got = resting_level(np.array([10.0, math.inf, math.inf]), 1.0, np.array([0.5, 1.0, -1.0]))
    assert list(got) == [6.0, math.inf, -math.inf]


def test_apply_reset_modes():
    m = np.array([1.5, 1.5, 0.5])
    fired = np.array([True, True, False])
    got = apply_reset(m, fired, 1.0, np.array([math.nan, -0.25, math.nan]))
    assert list(got) == [0.5, -0.25, 0.5]


def _bits(a):
    return np.ascontiguousarray(a).view(np.uint8)


def _potentials(dtype):
    """Random potentials with both signed zeros and infinities among them."""
    v = np.random.default_rng(5).normal(size=(6, 7)).astype(dtype)
    v.flat[:4] = [0.0, -0.0, np.inf, -np.inf]
    return v


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("beta, v_rest", [(1.0, 0.0), (1.0, -0.0), (0.75, 0.0), (1.0, 0.3), (0.9, -0.2),
                                          ("array", "array")])
def test_drift_into_out_gives_the_same_bits(dtype, beta, v_rest):
    """``drift(..., out=)`` — into a new buffer or in place — equals ``drift(...)`` bit for bit, signed
    zeros included (``v_rest = -0.0`` turns ``-0`` into ``+0`` and must not be skipped)."""
    v = _potentials(dtype)
    rng = np.random.default_rng(6)
    if beta == "array":
        beta, v_rest = rng.uniform(0.5, 1.0, 7).astype(dtype), rng.normal(size=7).astype(dtype)
    bias = np.array([0.0, -0.0, 0.5, -0.25, 0.0, -0.0, 1e-3], dtype)
    expected = drift(v, beta, v_rest, bias)
    assert expected.dtype == dtype
    buffer = np.full_like(v, np.nan)
    assert drift(v, beta, v_rest, bias, out=buffer) is buffer
    assert np.array_equal(_bits(buffer), _bits(expected))
    drift(v, beta, v_rest, bias, out=v)
    assert np.array_equal(_bits(v), _bits(expected))


def test_skipped_drift_operations_really_change_no_bit():
    """The case the in-place drift skips for: ``-0.0 + 0.0`` is ``+0.0`` (so ``v_rest + x`` stays),
    while ``-0.0 - 0.0`` and ``1.0 * -0.0`` stay ``-0.0`` (so those two are skipped)."""
    zero = np.array([-0.0])
    assert np.signbit(zero - 0.0).all() and np.signbit(1.0 * zero).all()
    assert not np.signbit(0.0 + zero).any()
    assert not np.signbit(drift(zero, 1.0, 0.0, -0.0, out=np.empty(1))).any()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fires_and_apply_reset_into_out_give_the_same_bits(dtype):
    m = _potentials(dtype)
    theta = 0.7  # not representable: the float32 reset must round it once, like the plain call
    fired = fires(m, theta)
    assert np.array_equal(fires(m, theta, out=np.zeros(m.shape, bool)), fired)
    for reset_to in (math.nan, -0.25, np.where(np.arange(7) % 2, math.nan, 0.1).astype(dtype)):
        expected = apply_reset(m, fired, theta, reset_to)
        got = apply_reset(m, fired, theta, reset_to, out=np.full_like(m, np.nan))
        assert got.dtype == dtype and np.array_equal(_bits(got), _bits(expected))
    removed, in_place = np.full_like(m, np.nan), m.copy()
    apply_reset(in_place, fired, theta, math.nan, out=in_place, removed=removed)
    assert np.array_equal(_bits(in_place), _bits(apply_reset(m, fired, theta, math.nan)))
    assert np.array_equal(_bits(removed), _bits(np.where(fired, dtype(theta), dtype(0.0))))
    with pytest.raises(ValidationError, match="subtract"):
        apply_reset(m, fired, theta, -0.25, removed=removed)


def test_sigmoid_is_stable_and_symmetric():
    x = np.array([-800.0, -1.0, 0.0, 1.0, 800.0])
    s = sigmoid(x)
    assert np.all(np.isfinite(s)) and s[2] == 0.5 and s[0] == 0.0 and s[4] == 1.0
    assert s[1] + s[3] == pytest.approx(1.0, abs=1e-15)


def test_firing_probability_hard_limit():
    assert list(firing_probability(np.array([-0.1, 0.0, 0.1]), 0.0)) == [0.0, 1.0, 1.0]
    assert firing_probability(1.0, 2.0) == pytest.approx(1 / (1 + math.exp(-0.5)))
