"""Discrete drift leaps over idle steps exactly: bit for bit what stepping gives.

An IF neuron's idle step is ``fl(v + bias)``; within one binade the rounded
increment is the same at every step, so :func:`evsim.neurons.drift_steps`
adds it ``k`` times at once (:func:`evsim.neurons._leap` states the method).
These laws check the leap against plain stepping, near binade edges, on
ties (``bias`` an odd multiple of half an ulp), with tiny and negative biases.
"""

from __future__ import annotations

import contextlib
import math
from unittest import mock

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from evsim import IF, Input, Network, Synapse, neurons, reference, simulate
from evsim.neurons import drift, drift_crossing, drift_steps
from tests.time_limit import time_limit


@st.composite
def plain_drifts(draw):
    """``(v, bias)``: a potential near a binade's edge (or anywhere, or 0) and a bias of a few of its ulps."""
    e = draw(st.integers(-40, 40))
    u = 2.0 ** (e - 52)
    j = draw(st.integers(0, 8) | st.integers(0, 3000))  # a few ulps from the edge, or further
    where = draw(st.sampled_from(["top", "bottom", "inside", "zero"]))
    a = {"top": 2.0 ** (e + 1) - j * u, "bottom": 2.0**e + j * u,
         "inside": 2.0**e * draw(st.floats(1.0, 2.0, exclude_max=True)), "zero": 0.0}[where]
    r = draw(st.one_of(st.integers(-9, 9).map(lambda i: i / 2), st.floats(-6.0, 6.0),
                       st.sampled_from([0.25, 0.4999999, 0.5000001, 1e-3])))
    scale = 2.0 ** draw(st.integers(-3, 3))
    sign = draw(st.sampled_from([1.0, -1.0]))
    bias = r * u * scale
    return sign * a, bias if bias != 0 else u


def stepped(v: np.ndarray, bias: np.ndarray, n: int) -> list[np.ndarray]:
    """Every value of ``n`` plain steps of :func:`drift` (IF: beta 1, v_rest 0), one at a time."""
    out = [v]
    for _ in range(n):
        out.append(drift(out[-1], 1.0, 0.0, bias))
    return out


def bits(x) -> np.ndarray:
    return np.asarray(x, float).view(np.int64)


def leaping_at_once(leap_now: bool):
    """Leap from the first step (no stepping first), so the laws reach the leaps on short trails."""
    return mock.patch.object(neurons, "_STEPS_FIRST", 0) if leap_now else contextlib.nullcontext()


@given(st.lists(plain_drifts(), min_size=1, max_size=40), st.integers(0, 3000), st.booleans())
def test_drift_steps_leaps_equal_stepping_bit_for_bit(cases, n, leap_now):
    """Law: drift_steps(v, k) == k plain steps of drift, to the bit, for every k <= n (IF drift
    fl(v + bias), potentials near binade edges, ties, tiny and negative biases)."""
    v, bias = (np.array(c) for c in zip(*cases))
    trail = stepped(v, bias, n)
    ks = np.random.default_rng(n).integers(0, n + 1, v.size)
    with leaping_at_once(leap_now):
        got = drift_steps(v, ks, 1.0, 0.0, bias)
        whole = drift_steps(v, n, 1.0, 0.0, bias)
    expected = np.array([trail[k][i] for i, k in enumerate(ks)])
    assert np.array_equal(bits(got), bits(expected)), (v, bias, ks, got, expected)
    assert np.array_equal(bits(whole), bits(trail[n]))


def _binade_edges(trail, i) -> list[int]:
    """Steps at which element ``i`` enters another binade (the leaps' ends)."""
    exponent = [np.frexp(x[i])[1] for x in trail]
    return [k for k in range(1, len(trail)) if exponent[k] != exponent[k - 1]]


@given(st.lists(plain_drifts(), min_size=1, max_size=40), st.integers(1, 3000), st.booleans(), st.data())
def test_drift_crossing_is_the_first_step_stepping_reaches(cases, n, leap_now, data):
    """Law: drift_crossing gives the first k >= 1 with drift^k(v) >= theta, as stepping finds it;
    ``inf`` only where stepping never gets there; a checkpoint only short of the crossing
    (thresholds among the values passed, often just over a binade's edge)."""
    v, bias = (np.array(c) for c in zip(*cases))
    trail = stepped(v, bias, n)
    pick = [data.draw(st.sampled_from(_binade_edges(trail, i)) if _binade_edges(trail, i) and data.draw(st.booleans())
                      else st.integers(0, n)) for i in range(v.size)]
    theta = np.array([trail[k][i] for i, k in enumerate(pick)])  # a value the neuron passes, or not
    with leaping_at_once(leap_now):
        steps, known = drift_crossing(v, theta, 1.0, 0.0, bias, rounds=256)
    reached = np.array([[trail[k][i] >= theta[i] for k in range(1, n + 1)] for i in range(v.size)])
    for i in range(v.size):
        first = int(np.argmax(reached[i])) + 1 if reached[i].any() else math.inf
        if known[i] and math.isfinite(steps[i]):
            assert steps[i] == first, (v[i], bias[i], theta[i], steps[i], first)
        elif known[i]:
            assert first == math.inf, (v[i], bias[i], theta[i], first)
        else:
            assert steps[i] < first


@given(plain_drifts(), st.floats(0.5, 4.0), st.lists(st.integers(0, 2999), max_size=6, unique=True),
       st.sampled_from(["subtract", "zero"]))
def test_the_engine_with_leaps_spikes_as_the_clock_driven_reference(drifting, threshold, times, reset):
    """Law: an IF neuron with an adversarial bias (a few ulps of its potential's binade), sparse inputs
    and 3000 steps spikes exactly as the reference, which steps every step."""
    v, bias = drifting
    net = Network({"x": Input(), "y": IF(threshold=threshold, v_init=v, bias=bias, reset=reset)},
                  [Synapse("x", "y", 0.75, 1.0)], outputs={"y"})
    inputs = {"x": sorted(float(t) for t in times)}
    record = simulate(net, inputs, until=3000)
    oracle = reference.simulate(net, inputs, until=3000)
    assert record.trains()["y"].tolist() == oracle.trains["y"]


def test_a_tiny_bias_no_longer_costs_a_step_per_step():
    # 10^7 idle steps to the first spike: the step where 10^7 sequential additions of 1e-7 reach 1
    first = int(np.argmax(np.add.accumulate(np.full(10_000_100, 1e-7)) >= 1.0))
    net = Network({"y": IF(bias=1e-7)}, [], outputs={"y"})
    with time_limit(10):
        record = simulate(net, None, until=2e7)
    assert record.trains()["y"].tolist() == [float(first)]
