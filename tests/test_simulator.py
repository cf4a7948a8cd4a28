import math

import numpy as np
import pytest

import evsim
from evsim import (
    Analog,
    IF,
    LIF,
    EmptySchedule,
    Input,
    Network,
    SchedulingError,
    Simulator,
    Stochastic,
    Synapse,
    Threshold,
    ValidationError,
    reference,
    simulate,
)


def feed_net(model, weight=1.0, delay=1.0, dt=1.0):
    return Network({"x": Input(), "y": model}, [Synapse("x", "y", weight, delay)], outputs={"y"}, dt=dt)


def test_docstring_example_and_record_views():
    rec = simulate(feed_net(IF(threshold=1.0), 0.6), {"x": [0, 1, 2]}, until=5)
    assert list(rec.trains()["y"]) == [2.0]
    assert rec.counts() == {"x": 3, "y": 1}
    assert len(rec) == 4 and "4 spikes" in repr(rec)


def test_step_zero_updates_from_v_init():
    net = Network({"y": IF(threshold=1.0, v_init=0.5, bias=0.5)}, [])
    assert list(simulate(net, until=10).trains()["y"]) == [0, 2, 4, 6, 8]


def test_zero_delay_chain_fires_in_the_same_step_rank_by_rank():
    net = Network(
        {"x": Input(), "a": IF(threshold=1.0), "b": IF(threshold=1.0)},
        [Synapse("x", "a", 1.0, 0.0), Synapse("a", "b", 1.0, 0.0)],
    )
    rec = simulate(net, {"x": [3]}, until=5, trace=True)
    assert rec.trains()["a"][0] == 3 and rec.trains()["b"][0] == 3
    order = [(e.kind, e.neuron) for e in rec.trace if e.time == 3 and e.kind in ("update", "input")]
    assert order == [("input", "x"), ("update", "a"), ("update", "b")]
    ranks = [e.rank for e in rec.trace]
    assert ranks == sorted(ranks)  # one instant: ranks never go back


@pytest.mark.parametrize("order", [0, 1])
def test_simultaneous_excitation_and_inhibition_cancel_whatever_the_order(order):
    syn = [Synapse("e", "y", 1.0, 1.0), Synapse("i", "y", -1.0, 1.0)]
    syn = syn if order == 0 else syn[::-1]
    net = Network({"e": Input(), "i": Input(), "y": IF(threshold=1.0)}, syn)
    rec = simulate(net, {"e": [0], "i": [0]}, until=5, trace=True)
    assert rec.counts()["y"] == 0
    deliveries = [e for e in rec.trace if e.kind == "deliver"]
    assert len(deliveries) == 1 and deliveries[0].value == 0.0  # summed before one update


def test_deliver_comes_before_update_at_an_instant():
    rec = simulate(feed_net(IF(threshold=5.0)), {"x": [0]}, until=3, trace=True)
    at_one = [(e.phase, e.kind) for e in rec.trace if e.time == 1]
    assert at_one == [("deliver", "arrive"), ("deliver", "deliver"), ("update", "update")]
    assert "deliver" in rec.trace.format(limit=3)


def test_each_arrival_is_listed_with_its_synapse_before_the_sum_and_each_spike_with_its_reset():
    """The trace shows what summation hides (+1.5 and −0.8 from two synapses) and the value after a reset."""
    net = Network({"e": Input(), "i": Input(), "y": IF(threshold=0.5, reset=0.25)},
                  [Synapse("i", "y", -0.8, 1.0), Synapse("e", "y", 1.5, 1.0)])
    trace = simulate(net, {"e": [0], "i": [0]}, until=3, trace=True).trace
    lines = [(e.kind, e.value, e.source, e.synapse) for e in trace.select(1.0, 2.0, neurons="y")]
    assert lines == [("arrive", -0.8, "i", 0), ("arrive", 1.5, "e", 1), ("deliver", 0.7, "", -1),
                     ("update", 0.7, "", -1), ("spike", 1.0, "", -1), ("reset", 0.25, "", -1)]
    assert net.synapses[trace.select(kinds="arrive").events[1].synapse].source == "e"
    text = trace.format()
    assert "arrive   y          -0.8   from i at 0.0, synapse 0" in text and "reset    y          0.25" in text
    assert [e.sent for e in trace.select(kinds="arrive")] == [0.0, 0.0]


def test_refractory_period_discards_arrivals():
    rec = simulate(feed_net(IF(threshold=1.0, refractory=2.0)), {"x": range(6)}, until=8, trace=True)
    assert list(rec.trains()["y"]) == [1, 3, 5]
    assert [e.time for e in rec.trace if e.kind == "blocked"] == [2, 4, 6]


def test_single_spike_neurons_fire_once():
    rec = simulate(feed_net(IF(threshold=1.0, single_spike=True)), {"x": range(6)}, until=8)
    assert list(rec.trains()["y"]) == [1]


@pytest.mark.parametrize("reset, after", [("subtract", 0.5), ("zero", 0.0), (-1.0, -1.0)])
def test_reset_modes(reset, after):
    rec = simulate(feed_net(IF(threshold=1.0, reset=reset), 1.5), {"x": [0]}, until=3, probes=["y"])
    trace = rec.potentials["y"]
    assert list(trace.time) == [1.0] and trace.before[0] == 1.5 and trace.after[0] == after


@pytest.mark.parametrize("dt", [1.0, None])
def test_a_subtract_reset_removes_reset_by_instead_of_the_threshold(dt):
    rec = simulate(feed_net(IF(threshold=1.0, reset_by=1.25), 1.5, dt=dt), {"x": [0]}, until=3, probes=["y"])
    assert rec.potentials["y"].after[0] == 0.25


def test_a_reset_by_threshold_over_beta_is_subtracting_the_threshold_after_the_next_decay():
    """snnTorch's soft reset, ``v_k = β·v_{k−1} + I_k − s_{k−1}·θ``: exact on dyadic numbers (β = 1/2)."""
    beta, theta, drive = 0.5, 1.0, [1.5, 0.75, 1.25, 0.0, 1.0, 0.5, 0.75, 1.0]
    rec = simulate(feed_net(LIF.from_beta(beta, threshold=theta, reset_by=theta / beta), 1.0),
                   {"x": Analog(range(len(drive)), drive)}, until=len(drive) + 1, probes=["y"])
    v, fired, spikes, potentials = 0.0, False, [], []
    for k, current in enumerate(drive):
        v = beta * v + current - fired * theta
        fired = v >= theta
        spikes += [k + 1] * fired  # (the feed's synapse has delay 1)
        potentials.append(v)
    assert list(rec.trains()["y"]) == spikes and len(spikes) >= 3
    assert list(rec.potentials["y"].before) == potentials  # the potential tested against θ, step by step


def test_lif_decay_in_discrete_steps():
    beta = 0.5
    rec = simulate(feed_net(LIF.from_beta(beta, threshold=10.0), 4.0), {"x": [0]}, until=4, probes=["y"])
    samples = rec.potentials["y"].sample([0, 1, 2, 3])
    assert list(samples) == [0.0, 4.0, 2.0, 1.0]


def test_analog_input_multiplies_the_weight():
    rec = simulate(feed_net(IF(threshold=1.0), 0.5), {"x": Analog([0, 1], [2.5, 1.0])}, until=4, probes=["y"])
    assert list(rec.value[rec.neuron == 0]) == [2.5, 1.0]
    assert list(rec.potentials["y"].before) == [1.25, 0.75]


def test_continuous_lif_fires_at_the_closed_form_times():
    tau, theta, bias = 10.0, 1.0, 0.2  # v_inf = 2
    net = Network({"y": LIF(tau=tau, threshold=theta, bias=bias, reset="zero")}, [], dt=None)
    spikes = simulate(net, until=50.0).trains()["y"]
    period = tau * math.log((2.0 - 0.0) / (2.0 - theta))
    np.testing.assert_allclose(spikes, period * np.arange(1, 8), rtol=0, atol=1e-9)


def test_continuous_arrival_fires_at_its_exact_time():
    net = feed_net(LIF(tau=5.0, threshold=1.0), 1.0, delay=0.25, dt=None)
    assert list(simulate(net, {"x": [0.1]}, until=2.0).trains()["y"]) == [0.35]


def test_continuous_potential_held_above_threshold_fires_when_refractoriness_ends():
    net = feed_net(IF(threshold=1.0, refractory=0.5), 2.5, delay=0.0, dt=None)
    assert list(simulate(net, {"x": [1.0]}, until=5.0).trains()["y"]) == [1.0, 1.5]


def test_discrete_crossing_far_beyond_the_prediction_horizon_is_exact():
    bias = 1.0 / 300.0
    v, k = 0.0, 0
    while True:
        v = v + bias
        if v >= 1.0:
            break
        k += 1
    net = Network({"y": IF(threshold=1.0, bias=bias, reset="zero")}, [])
    assert simulate(net, until=k + 1).trains()["y"][0] == k


def test_threshold_neurons_follow_the_rounds():
    net = Network(
        {"x": Input(), "copy": Threshold(bias=0.5), "on": Threshold(bias=-0.5, initial=True), "off": Threshold(bias=0.5)},
        [Synapse("x", "copy", 1.0, 1.0)],
    )
    rec = simulate(net, {"x": [2, 3]}, until=6)
    assert list(rec.trains()["copy"]) == [3, 4]
    assert list(rec.trains()["on"]) == [0, 1, 2, 3, 4, 5]
    assert rec.counts()["off"] == 0


def test_same_seed_same_record_and_different_seed_differs():
    net = Network({"s": Stochastic(bias=0.0)}, [Synapse("s", "s", 0.5, 1.0)])
    a, b, c = (simulate(net, until=200, rng=seed) for seed in (7, 7, 8))
    assert a == b and a != c
    assert 40 < a.counts()["s"] < 160


def test_generator_is_accepted_as_rng():
    net = Network({"s": Stochastic()}, [])
    assert simulate(net, until=50, rng=np.random.default_rng(1)) == simulate(net, until=50, rng=1)


def test_step_and_peek_walk_one_instant_at_a_time():
    sim = Simulator(feed_net(IF(threshold=1.0)))
    assert sim.peek() == math.inf
    sim.feed({"x": [2, 5]})
    assert sim.peek() == 2.0
    assert sim.step() == 2.0 and sim.now == 2.0
    assert sim.peek() == 3.0  # the arrival
    assert [sim.step(), sim.step(), sim.step()] == [3.0, 5.0, 6.0]
    with pytest.raises(EmptySchedule, match="no event left"):
        sim.step()
    assert list(sim.record.trains()["y"]) == [3.0, 6.0]


def test_run_is_resumable_and_feed_can_continue():
    sim = Simulator(feed_net(IF(threshold=1.0)))
    sim.feed({"x": [0]})
    sim.run(3)
    sim.feed({"x": [4]})
    sim.run(10)
    assert list(sim.record.trains()["y"]) == [1.0, 5.0]


@pytest.mark.parametrize(
    "inputs, error, pattern",
    [
        ({"ghost": [1]}, ValidationError, "'ghost', which is not a neuron"),
        ({"y": [1]}, ValidationError, "'y', which is a non-input neuron"),
        ({"x": [0.5]}, ValidationError, "input .x. has time 0.5 ms, not a multiple of dt=1.0"),
        ({"x": [math.nan]}, ValidationError, "time nan is not finite"),
        ({"x": [1, 1]}, ValidationError, "time 1.0 ms appears twice"),
        ({"x": Analog([1, 2], [1.0])}, ValidationError, "2 times but 1 values"),
        ({"x": Analog([1], [math.inf])}, ValidationError, "value inf is not finite"),
        ({"x": ["soon"]}, ValidationError, "must be real numbers"),
        ([1, 2], ValidationError, "inputs must map"),
    ],
)
def test_bad_inputs_are_named(inputs, error, pattern):
    with pytest.raises(error, match=pattern):
        Simulator(feed_net(IF())).feed(inputs)


def test_inputs_in_the_past_name_both_times():
    sim = Simulator(feed_net(IF()))
    sim.run(5)
    with pytest.raises(SchedulingError, match=r"time 2.0 ms is before the current time 5.0 ms"):
        sim.feed({"x": [2]})
    with pytest.raises(SchedulingError, match=r"until 1 ms.*already at 5.0 ms"):
        sim.run(1)
    with pytest.raises(ValidationError, match="until must be a real number"):
        sim.run(float("nan"))


def test_stepped_instant_cannot_be_fed_again():
    net = feed_net(IF(), dt=None)
    sim = Simulator(net)
    sim.feed({"x": [1.0]})
    sim.step()
    with pytest.raises(SchedulingError, match="already been simulated"):
        sim.feed({"x": [1.0]})


def test_probes_only_for_potential_neurons_and_known_names():
    with pytest.raises(ValidationError, match="cannot probe 'x'"):
        Simulator(feed_net(IF()), probes=["x"])
    with pytest.raises(ValidationError, match="'nope' is not a neuron"):
        Simulator(feed_net(IF()), probes=["nope"])
    with pytest.raises(ValidationError, match="Simulator: net must be a Network"):
        Simulator("net")


def test_potential_sampling_between_events_is_exact_in_continuous_time():
    net = feed_net(LIF(tau=10.0, threshold=5.0), 1.0, delay=0.0, dt=None)
    rec = simulate(net, {"x": [1.0]}, until=5.0, probes=["y"])
    got = rec.potentials["y"].sample([0.5, 1.0, 3.0])
    assert got[0] == 0.0 and got[1] == 1.0
    assert got[2] == pytest.approx(math.exp(-0.2), abs=1e-15)


def test_public_names_are_exported():
    for name in ("Network", "Synapse", "Simulator", "simulate", "compose", "hide", "rename", "IF", "LIF",
                 "Stochastic", "Threshold", "Input", "Scheduler", "SpikeRecord"):
        assert name in evsim.__all__ and hasattr(evsim, name)


def test_simultaneous_arrivals_are_summed_in_synapse_order():
    # (0.1 + 0.2) + 0.3 == 0.6000000000000001 but (0.3 + 0.2) + 0.1 == 0.6:
    # the documented order (synapse rows) decides whether y fires.
    theta = (0.1 + 0.2) + 0.3
    assert theta != (0.3 + 0.2) + 0.1
    neurons = {"a": Input(), "b": Input(), "c": Input(), "y": IF(threshold=theta)}
    rows = [Synapse("a", "y", 0.1), Synapse("b", "y", 0.2), Synapse("c", "y", 0.3)]
    inputs = {"c": [0], "b": [0], "a": [0]}
    assert simulate(Network(neurons, rows), inputs, until=3).counts()["y"] == 1
    assert simulate(Network(neurons, rows[::-1]), inputs, until=3).counts()["y"] == 0


def test_a_tuple_of_two_numbers_is_two_spike_times_not_one_analog_event():
    """``{"x": (0, 1)}`` used to be read as the analog event (time 0, value 1): one spike instead of two."""
    rec = simulate(feed_net(IF(threshold=10.0), 1.0), {"x": (0, 1)}, until=4)
    assert rec.trains()["x"].tolist() == [0.0, 1.0]
    assert rec.value[rec.neuron == 0].tolist() == [1.0, 1.0]


def test_the_old_pair_form_of_analog_events_is_refused_with_the_new_spelling():
    with pytest.raises(ValidationError, match=r"input 'x' must be spike times .*evsim.Analog\(times, values\)"):
        simulate(feed_net(IF(threshold=10.0), 1.0), {"x": ([0, 1], [2.5, 1.0])}, until=4)


@pytest.mark.parametrize("dt, until", [(0.3, 8.4), (0.3, 0.9), (0.7, 2.1), (0.1, 0.3)])
def test_a_run_on_a_decimal_clock_is_half_open(dt, until):
    # until = k·dt written as a decimal: step k is the end, not inside (8.4 / 0.3 = 28.000000000000004)
    net = feed_net(IF(threshold=1.0), weight=1.0, delay=dt, dt=dt)
    steps = round(until / dt)
    last_input = round((steps - 1) * dt, 10)
    record = simulate(net, {"x": [last_input]}, until=until)
    assert record.trains()["y"].size == 0  # the arrival at `until` is outside [0, until)
    assert reference.simulate(net, {"x": [last_input]}, until=until).trains["y"] == []
    driven = Network({"y": IF(threshold=1.0, bias=1.0)}, [], outputs={"y"}, dt=dt)
    assert simulate(driven, None, until=until).counts()["y"] == steps  # steps 0 … k − 1


def test_a_hard_reset_to_minus_zero_keeps_its_sign_beside_a_reset_to_zero():
    """Parameters every neuron shares are kept as one scalar only where their bits agree: -0.0 is not 0.0."""
    net = Network({"x": Input(), "a": IF(reset=-0.0), "b": IF(reset="zero")},
                  [Synapse("x", "a", 1.5, 1.0), Synapse("x", "b", 1.5, 1.0)], outputs={"a", "b"})
    rec = simulate(net, {"x": [0]}, until=3, probes=["a", "b"])
    after = {name: rec.potentials[name].after[0] for name in ("a", "b")}
    assert after == {"a": 0.0, "b": 0.0}
    assert math.copysign(1.0, after["a"]) == -1.0 and math.copysign(1.0, after["b"]) == 1.0
