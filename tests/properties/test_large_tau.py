"""Continuous LIF maths at any time constant, against high-precision references (``decimal``).

At large ``tau`` the resting level ``v_inf = v_rest + bias·tau`` is huge and
the forms written around it cancel (``tau = 1e16``, ``bias = 0.1``: the first
crossing came out at 11.10 ms instead of 10); :func:`evsim.neurons.slow_leak`
picks the forms that tend to the IF limit there.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from evsim import LIF, Network, reference, simulate
from evsim.neurons import crossing_time, flow, slow_leak
from tests.time_limit import time_limit

EPS = np.finfo(float).eps
PRECISION = 80  # decimal digits of the references


def _ln1p(x: Decimal) -> Decimal:
    """``ln(1 + x)`` to ``PRECISION`` digits relative, for tiny ``x`` too (series below 1e-8)."""
    if abs(x) < Decimal("1e-8"):
        return sum((-1) ** (n + 1) * x**n / n for n in range(1, 12))
    return (1 + x).ln()


def _expm1_neg(y: Decimal) -> Decimal:
    """``1 − exp(−y)`` to ``PRECISION`` digits relative (series below 1e-8)."""
    if y < Decimal("1e-8"):
        return -sum((-y) ** n / math.factorial(n) for n in range(1, 12))
    return 1 - (-y).exp()


def excess(theta, tau, v_rest, bias) -> Decimal:
    """``v_inf − theta = v_rest + bias·tau − theta`` from the floats' exact values, to 80 digits."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return Decimal(v_rest) + Decimal(bias) * Decimal(tau) - Decimal(theta)


def exact_crossing(v, theta, tau, v_rest, bias) -> float:
    """``tau·ln((v_inf − v)/(v_inf − theta))`` from the floats' exact values, to 80 digits."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        d = Decimal(theta) - Decimal(v)
        return float(Decimal(tau) * _ln1p(d / excess(theta, tau, v_rest, bias)))


def exact_flow(v, s, tau, v_rest, bias) -> float:
    """``v + (v_inf − v)(1 − exp(−s/tau))`` from the floats' exact values, to 80 digits."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        towards = Decimal(v_rest) + Decimal(bias) * Decimal(tau) - Decimal(v)
        return float(Decimal(v) + towards * _expm1_neg(Decimal(s) / Decimal(tau)))


taus = st.floats(0.0, 300.0).map(lambda e: 10.0**e)  # 1 ms … 1e300 ms, every scale alike
moderate = st.floats(-10.0, 10.0)


@given(taus, moderate, moderate, st.floats(1e-9, 20.0), st.floats(1e-3, 1e3))
def test_crossing_time_is_accurate_at_every_tau(tau, theta, v_rest, d, bias):
    """Law: for 1 <= tau <= 1e300, crossing_time is within 16·eps·(K + 4) relative of the exact
    ``tau·ln(1 + d/(v_inf − theta))`` (K = (bias·tau + |v_rest| + |theta| + |v|)/(v_inf − theta):
    how much the inputs cancel), divided by min(1, ln(1 + x)) where the leak is not slow —
    the classic form there, whose log of a ratio near 1 loses digits; the bound tends to the
    IF limit's accuracy as tau grows."""
    v = theta - d
    assume(v < theta)
    a = excess(theta, tau, v_rest, bias)
    assume(a > 0)  # the resting level is above the threshold: a crossing exists
    exact = exact_crossing(v, theta, tau, v_rest, bias)
    got = float(crossing_time(v, theta, tau, v_rest, bias))
    with localcontext() as ctx:
        ctx.prec = PRECISION
        kappa = float((Decimal(bias) * Decimal(tau) + Decimal(abs(v_rest)) + Decimal(abs(theta)) + Decimal(abs(v))) / a)
        x = float((Decimal(theta) - Decimal(v)) / a)
    spread = 1.0 if slow_leak(tau, theta, v_rest, bias) else 1.0 / min(1.0, math.log1p(x))
    assert abs(got - exact) <= 16 * EPS * (kappa + 4) * spread * exact, (got, exact)


@given(taus, st.floats(1e-9, 1.0), st.floats(1e-3, 10.0))
def test_crossing_time_tends_to_the_integrate_and_fire_limit(tau, d, bias):
    """Law: where the leak is slow (bias·tau > 2^10), from v = 1 − d in [0, 1) to theta = 1
    (v_rest = 0), the leaky neuron is no faster than the integrator and slower by at most the
    leak at the threshold: within 8 ulps, d/bias <= crossing_time <= (d/bias) / (1 − 1/(bias·tau))
    — which closes on the IF time d/bias as tau grows (since ln(1 + x) <= x)."""
    v = 1.0 - d
    assume(slow_leak(tau, 1.0, 0.0, bias) and v < 1.0)
    got = float(crossing_time(v, 1.0, tau, 0.0, bias))
    limit = (1.0 - v) / bias
    assert limit * (1 - 8 * EPS) <= got <= limit / (1 - 1 / (bias * tau)) * (1 + 8 * EPS)


@given(taus, moderate, moderate, st.floats(0.0, 1e3), st.floats(-1e3, 1e3))
def test_flow_is_accurate_at_every_tau(tau, v, v_rest, s, bias):
    """Law: flow(v, s) with the threshold as its scale (theta = v_rest + 1) is within
    16·eps·(|v| + |exact| + s·(|bias| + |v − v_rest|/tau)) of the exact solution where the leak is
    slow, and within 16·eps·(|v_inf| + |v| + |exact|) elsewhere (the classic form, around v_inf)."""
    theta = v_rest + 1.0
    exact = exact_flow(v, s, tau, v_rest, bias)
    got = float(flow(v, s, tau, v_rest, bias, theta))
    if slow_leak(tau, theta, v_rest, bias):
        scale = abs(v) + abs(exact) + s * (abs(bias) + abs(v - v_rest) / tau)
    else:
        scale = abs(v_rest + bias * tau) + abs(v) + abs(exact)
    assert abs(got - exact) <= 16 * EPS * scale, (got, exact)


def test_flow_without_a_threshold_uses_the_slow_form_everywhere():
    # the slow form is the IF solution at tau = inf and the LIF one elsewhere
    assert flow(0.5, 2.0, math.inf, 0.0, 0.25) == 0.5 + 0.25 * 2.0
    assert math.isclose(float(flow(0.0, 10.0, 10.0, 0.0, 0.3)), 3.0 * (1 - math.exp(-1.0)), rel_tol=1e-15)


def test_a_crossing_below_the_threshold_is_never_now():
    # the ratio (v_inf - v)/(v_inf - theta) rounds to 1 here: ln gives 0, which would make the
    # neuron cross "now", again and again
    v = math.nextafter(1.0, 0.0)
    assert float(crossing_time(v, 1.0, 10.0, 0.0, 0.2)) > 0.0
    assert float(crossing_time(1.0, 1.0, 10.0, 0.0, 0.2)) == 0.0


def _lif(**params) -> Network:
    return Network({"y": LIF(**params)}, [], outputs={"y"}, dt=None)


def test_a_lif_with_a_huge_tau_fires_when_the_integrator_would():
    # exact first crossing: 1e16·ln(1 + 1/(1e15 − 1)) = 10.000000000000005 ms (it was 11.10)
    net = _lif(tau=1e16, bias=0.1, reset="zero", threshold=1.0)
    record = simulate(net, None, until=35.0)
    np.testing.assert_allclose(record.trains()["y"], [10.0, 20.0, 30.0], rtol=1e-14)
    np.testing.assert_allclose(reference.simulate(net, None, 35.0).trains["y"], [10.0, 20.0, 30.0], rtol=1e-14)


def test_a_lif_meant_as_no_leak_runs_to_its_end():
    # tau = 1e20: the classic form gave a crossing time of 0, so the neuron fired at t = 0 forever
    net = _lif(tau=1e20, bias=0.01)
    with time_limit(20):
        record = simulate(net, None, until=950.0)
    np.testing.assert_allclose(record.trains()["y"], np.arange(100.0, 950.0, 100.0), rtol=1e-13)
