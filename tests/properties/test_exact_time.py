"""Laws of exact time in continuous networks, against the exact-rational oracle (evsim.reference)."""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from evsim import IF, LIF, Input, Network, Synapse, reference, simulate
from evsim.timegrid import TimeGrid

#: decimals a person writes: the values most likely to coincide along different paths
DELAYS = [0.1, 0.2, 0.3, 0.4, 0.5, 1.0]
REFRACTORY = [0.0, 0.1, 0.2, 0.3, 0.5]
WEIGHTS = [1.5, 1.0, 0.6, 0.5, -0.8, -1.5, 0.25]


@st.composite
def decimal_networks(draw):
    """``(network, inputs)``: IF/LIF neurons with decimal delays, refractory periods and input times.

    Inputs fire at multiples of 0.05 ms; synapses into neurons have delays from
    ``DELAYS`` (zero only from a lower to a higher neuron, so ranks stay
    acyclic); some neurons drift to the threshold on their own (closed-form
    crossings), so exact and computed times mix. Their biases are not round
    numbers: a crossing that falls exactly on a grid time in exact arithmetic
    is computed in floats by engine and oracle alike, and its side of that
    time is rounding, not semantics (see evsim.reference).
    """
    n_in, n = draw(st.integers(1, 3)), draw(st.integers(2, 6))
    neurons = {f"x{i}": Input() for i in range(n_in)}
    for j in range(n):
        params = dict(threshold=1.0, reset=draw(st.sampled_from(["zero", 0.2, "subtract"])),
                      refractory=draw(st.sampled_from(REFRACTORY)),
                      bias=draw(st.sampled_from([0.0, 0.0, 0.0517, 0.2113])))
        tau = draw(st.sampled_from([5.0, 10.0, 20.0, math.inf]))
        neurons[f"n{j}"] = IF(**params) if math.isinf(tau) else LIF(tau=tau, **params)
    synapses = []
    for i in range(n_in):
        for j in draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n)):
            synapses.append(Synapse(f"x{i}", f"n{j}", draw(st.sampled_from(WEIGHTS)), draw(st.sampled_from([0.0] + DELAYS))))
    for a in range(n):
        for b in range(n):
            if draw(st.integers(0, 2)) == 0:
                delays = DELAYS + ([0.0] if a < b else [])
                synapses.append(Synapse(f"n{a}", f"n{b}", draw(st.sampled_from(WEIGHTS)), draw(st.sampled_from(delays))))
    inputs = {f"x{i}": sorted(k / 20 for k in draw(st.sets(st.integers(0, 100), min_size=1, max_size=8)))
              for i in range(n_in)}
    return Network(neurons, synapses, outputs={f"n{j}" for j in range(n)}, dt=None), inputs


def by_neuron(rows):
    """``{neuron: [(time, kind, value), ...]}``, keeping the order given (exact time order on both sides:
    two instants an ulp apart may print as one float)."""
    out = defaultdict(list)
    for time, neuron, kind, value in rows:
        out[neuron].append((time, kind, value))
    return dict(out)


def engine_deliveries(record):
    return [(e.time, e.neuron, e.kind, e.value) for e in record.trace if e.kind in ("deliver", "blocked")]


@given(decimal_networks())
def test_coincidences_in_exact_arithmetic_are_coincidences_in_the_engine(setup):
    """Law: against an oracle that adds delays to times in exact rational arithmetic, for
    random continuous networks with decimal delays, refractory periods and input times:
    every set of arrivals that coincide exactly reaches its neuron as one summed delivery;
    an arrival exactly at the end of a refractory period is delivered, one inside it
    blocked; and the spike times agree within 1e-9 ms.

    (The deliveries are compared neuron by neuron: same number, same kinds, times within
    1e-9 ms, the same summed values.) Mutations that break it: arrival times computed as one
    float ``t + d`` again; ``<=`` instead of ``<`` in the refractory test."""
    net, inputs = setup
    record = simulate(net, inputs, until=8.0, trace=True)
    oracle = reference.simulate(net, inputs, until=8.0)
    got, want = by_neuron(engine_deliveries(record)), by_neuron(oracle.deliveries)
    assert got.keys() == want.keys()
    for name in want:
        assert [k for _, k, _ in got[name]] == [k for _, k, _ in want[name]], name
        np.testing.assert_allclose([t for t, _, _ in got[name]], [t for t, _, _ in want[name]], rtol=0, atol=1e-9)
        np.testing.assert_allclose([v for _, _, v in got[name]], [v for _, _, v in want[name]], rtol=1e-12, atol=1e-12)
    trains = record.trains()
    for name, times in oracle.trains.items():
        assert len(trains[name]) == len(times), name
        np.testing.assert_allclose(trains[name], times, rtol=0, atol=1e-9)


@given(st.integers(0, 2**42), st.integers(1, 2**12))
def test_input_times_a_whole_number_of_steps_apart_share_their_offset(m, b):
    """Law: two input times off the grid whose exact values differ by a whole number of grid
    steps get the same offset, so delays that close the gap make their arrivals coincide.
    (Times ``m·2⁻³⁶`` ms and ``+ b/64`` ms: both floats exact, the gap ``b·15625`` steps of 1 ns.)
    Mutation that breaks it: the offset computed as the float ``t − k·h`` instead of from the
    exact product ``t/h``."""
    t = m * 2.0**-36
    later = t + b / 64
    assert Fraction(later) - Fraction(t) == Fraction(b, 64)  # both exact by construction
    (k1, k2), (f1, f2) = TimeGrid.of(None).locate(np.array([t, later]))
    assume(f1 != 0 and f2 != 0)  # within 8 ulps of a grid point a time is that point
    assert k2 - k1 == b * 15625 and f1 == f2


def test_decimal_input_times_land_on_the_grid_at_any_magnitude():
    """Times written as decimals are grid points, so they add like decimals."""
    grid = TimeGrid.of(None)
    times = np.array([0.1, 1.05, 1.15, 99.999999, 12345.678901, 3.6e6 + 0.5])
    k, f = grid.locate(times)
    assert (f == 0).all()
    assert k.tolist() == [100000, 1050000, 1150000, 99999999, 12345678901, 3600000500000]
    assert grid.ms(k, f).tolist() == times.tolist()  # and print back as the same decimals
