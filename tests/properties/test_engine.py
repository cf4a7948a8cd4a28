"""Laws of the event engine, checked on random networks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evsim import (
    IF,
    LIF,
    CubaLIF,
    Input,
    Network,
    Simulator,
    Stochastic,
    Synapse,
    Threshold,
    simulate,
)
from evsim.testing import assert_spikes_equal, continuous_setups, discrete_setups

from evsim import reference


def as_lists(trains):
    return {name: [float(t) for t in times] for name, times in trains.items()}


@given(discrete_setups(cuba=True))
def test_event_engine_equals_the_clock_driven_reference(setup):
    """Law: for deterministic discrete networks (random weights, delays incl. zero,
    biases, leaks, resets, refractoriness, single-spike, CubaLIF currents, analog and spike inputs) the
    event engine's spike trains equal a step-by-step loop over every neuron exactly."""
    net, inputs, steps = setup
    assert as_lists(simulate(net, inputs, until=steps).trains()) == reference.simulate(net, inputs, steps).trains


@given(discrete_setups(cuba=True))
def test_event_engine_deliveries_equal_the_clock_driven_reference(setup):
    """Law: in discrete networks every (neuron, step) with arrivals is one delivery in the
    engine's trace — summed in synapse order to the same float as the reference's loop, and
    blocked exactly where the reference discards it (refractory, spent single-spike)."""
    net, inputs, steps = setup
    trace = simulate(net, inputs, until=steps, trace=True).trace
    integrators = {name for name, m in net.neurons.items() if isinstance(m, (IF, LIF, CubaLIF))}
    got = sorted((e.time, e.neuron, e.kind, e.value) for e in trace
                 if e.kind in ("deliver", "blocked") and e.neuron in integrators)
    assert got == sorted(reference.simulate(net, inputs, steps).deliveries)


@given(discrete_setups(cuba=True), st.data())
def test_split_runs_equal_whole_runs_discrete(setup, data):
    """Law: run(t1); run(t2) leaves the same record as run(t2), for any t1 <= t2."""
    net, inputs, steps = setup
    cut = data.draw(st.integers(0, steps))
    split = Simulator(net)
    split.feed(inputs)
    split.run(cut)
    split.run(steps)
    assert_spikes_equal(split.record, simulate(net, inputs, until=steps))


@given(continuous_setups(), st.floats(0.0, 50.0))
def test_split_runs_equal_whole_runs_continuous(setup, cut):
    """Law: in continuous time too, splitting a run at any time changes nothing, bit for bit."""
    net, inputs = setup
    split = Simulator(net)
    split.feed(inputs)
    split.run(cut)
    split.run(50.0)
    assert_spikes_equal(split.record, simulate(net, inputs, until=50.0))


@given(discrete_setups(lynch_musco=True), st.integers(0, 2**32 - 1))
def test_same_seed_gives_identical_records(setup, seed):
    """Law: the same rng seed reproduces a stochastic run exactly; stepping equals running."""
    net, inputs, steps = setup
    first = simulate(net, inputs, until=steps, rng=seed)
    assert_spikes_equal(first, simulate(net, inputs, until=steps, rng=seed))
    stepped = Simulator(net, rng=seed)
    stepped.feed(inputs)
    while stepped.peek() < steps:
        stepped.step()
    assert stepped.record == first


@given(discrete_setups(lynch_musco=True))
def test_threshold_networks_equal_the_reference(setup):
    """Law: networks whose Lynch–Musco neurons are all deterministic (Threshold) follow
    the round rule exactly: round 0 = initial, round t fires iff sum(w*fired(t-1)) - bias >= 0."""
    net, inputs, steps = setup
    if any(isinstance(m, Stochastic) for m in net.neurons.values()):
        net = Network({n: Threshold(m.bias, m.initial) if isinstance(m, Stochastic) else m
                       for n, m in net.neurons.items()}, net.table, net.outputs, net.dt)
    assert as_lists(simulate(net, inputs, until=steps).trains()) == reference.simulate(net, inputs, steps).trains


@given(
    tau=st.floats(1.0, 50.0), theta=st.floats(0.5, 30.0), drive=st.floats(1.05, 4.0),
    v0=st.floats(0.0, 0.95), v_reset=st.floats(0.0, 0.9), refractory=st.sampled_from([0.0, 0.5, 2.0]),
)
def test_continuous_lif_spike_times_follow_the_closed_form(tau, theta, drive, v0, v_reset, refractory):
    """Law: a LIF with constant drive (v_inf = drive*theta > theta) first fires at
    t* = tau*ln((v_inf - v0)/(v_inf - theta)) and then every refractory + tau*ln((v_inf - v_reset)/(v_inf - theta)),
    to 1e-9 ms."""
    v_inf = drive * theta
    model = LIF(tau=tau, threshold=theta, v_init=v0 * theta, bias=v_inf / tau, reset=v_reset * theta,
                refractory=refractory)
    spikes = simulate(Network({"y": model}, [], dt=None), until=200.0).trains()["y"]
    first = tau * math.log((v_inf - v0 * theta) / (v_inf - theta))
    period = refractory + tau * math.log((v_inf - v_reset * theta) / (v_inf - theta))
    expected = first + period * np.arange(spikes.size)
    assert spikes.size >= 1 and expected[-1] < 200.0
    np.testing.assert_allclose(spikes, expected, rtol=0, atol=1e-9)


STOCHASTIC_NETS = [
    # a self-exciting pair with a bias, an inhibited neuron, and an input-driven one
    (Network({"a": Stochastic(0.5, 1.0, True), "b": Stochastic(-0.3, 0.7)},
             [Synapse("a", "b", 1.2), Synapse("b", "a", -0.8), Synapse("a", "a", 0.6)]), {}),
    (Network({"x": Input(), "c": Stochastic(1.0, 0.5), "d": Stochastic(0.0, 2.0)},
             [Synapse("x", "c", 2.0), Synapse("c", "d", -1.5), Synapse("x", "d", 1.0)]),
     {"x": [0, 2, 3, 7, 8, 9, 12, 15]}),
    (Network({"e": Stochastic(2.5, 1.0)}, []), {}),  # rare spontaneous firing: geometric skips
]


@pytest.mark.parametrize("net, inputs", STOCHASTIC_NETS)
def test_stochastic_firing_frequencies_match_the_reference(net, inputs):
    """Law: per neuron and round, the event engine's firing frequency over many seeded
    runs matches the clock-driven reference's within 5 two-sample standard errors."""
    runs, steps = 400, 20
    rng = np.random.default_rng(2024)
    engine = np.zeros((len(net.names), steps))
    oracle = np.zeros((len(net.names), steps))
    for _ in range(runs):
        record = simulate(net, inputs, until=steps, rng=rng)
        np.add.at(engine, (record.neuron, record.time.astype(int)), 1)
        for i, times in enumerate(reference.simulate(net, inputs, steps, rng=rng).trains.values()):
            oracle[i, np.array(times, int)] += 1
    p_engine, p_reference = engine / runs, oracle / runs
    pooled = (p_engine + p_reference) / 2
    tolerance = 5 * np.sqrt(2 * pooled * (1 - pooled) / runs) + 1e-12
    assert np.all(np.abs(p_engine - p_reference) <= tolerance)


def _without_slices(monkeypatch):
    """Make every window take the general rounds (arrival or prediction, whichever first)."""
    from evsim.populations.integrate_and_fire import IntegrateAndFire

    def general(self, neurons, start, stop, instants, window, observer, spikes):
        return neurons, start, stop  # nothing done: hand every event to the general rounds

    monkeypatch.setattr(IntegrateAndFire, "_rounds_as_slices", general)


@pytest.mark.parametrize("setups", [discrete_setups, continuous_setups])
def test_rounds_as_slices_give_the_bits_of_the_general_rounds(setups):
    """Law: running a window's rounds as slices of a compact, count-ordered copy of its
    neurons gives the same spikes, trace and probed potentials, bit for bit, as the general
    rounds (each neuron's next arrival or predicted update, whichever is first)."""

    @given(setups())
    def law(setup):
        net, inputs, until = setup if len(setup) == 3 else (*setup, 30.0)
        probes = [n for n, m in net.neurons.items() if isinstance(m, (IF, LIF))]
        fast = simulate(net, inputs, until=until, trace=True, probes=probes)
        with pytest.MonkeyPatch.context() as patch:
            _without_slices(patch)
            general = simulate(net, inputs, until=until, trace=True, probes=probes)
        assert np.array_equal(fast.neuron, general.neuron) and np.array_equal(fast.time, general.time)
        assert fast.trace.events == general.trace.events
        for name in probes:
            mine, theirs = fast.potentials[name], general.potentials[name]
            assert np.array_equal(mine.time, theirs.time) and np.array_equal(mine.before, theirs.before)
            assert np.array_equal(mine.after, theirs.after)

    law()
