"""The time grid, and the coincidences it keeps exact (NEST's iaf_psc_delta_ps gives the same answers)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evsim
from evsim import Input, Network, Synapse, ValidationError, reference, simulate
from evsim.timegrid import MAX_STEPS, TimeGrid, earlier, time_order


def lif(refractory):
    return evsim.LIF(tau=10.0, threshold=1.0, reset=0.0, refractory=refractory)


def test_an_arrival_at_the_end_of_a_refractory_period_counts():
    # x fires at 1.05; arrivals at 1.05 + 0.1 and 1.05 + 0.2; n's refractory period after the
    # first ends at (1.05 + 0.1) + 0.1, which as floats is not 1.05 + 0.2. NEST: [1.15, 1.25].
    net = Network({"x": Input(), "n": lif(0.1)},
                  [Synapse("x", "n", 1.5, 0.1), Synapse("x", "n", 1.5, 0.2)], outputs={"n"}, dt=None)
    assert (1.05 + 0.1) + 0.1 != 1.05 + 0.2
    assert simulate(net, {"x": [1.05]}, until=5).trains()["n"].tolist() == [1.15, 1.25]


def test_excitation_and_inhibition_that_coincide_via_two_paths_are_summed():
    # +1.5 via x -> a -> n (0.2 + 0.2) and -0.8 via x -> n (0.4) arrive together: 0.7 < 1,
    # no spike. As floats the two times differ by an ulp. NEST: no spike.
    net = Network({"x": Input(), "a": lif(2.0), "n": lif(2.0)},
                  [Synapse("x", "a", 1.5, 0.2), Synapse("a", "n", 1.5, 0.2), Synapse("x", "n", -0.8, 0.4)],
                  outputs={"n"}, dt=None)
    assert (1.05 + 0.2) + 0.2 != 1.05 + 0.4
    record = simulate(net, {"x": [1.05]}, until=5, trace=True)
    assert record.trains()["n"].size == 0
    assert [(e.time, e.value) for e in record.trace if e.neuron == "n" and e.kind == "deliver"] == [(1.45, 0.7)]


def test_the_oracle_agrees_on_both_reproducers():
    net = Network({"x": Input(), "n": lif(0.1)},
                  [Synapse("x", "n", 1.5, 0.1), Synapse("x", "n", 1.5, 0.2)], outputs={"n"}, dt=None)
    assert reference.simulate(net, {"x": [1.05]}, until=5).trains["n"] == [1.15, 1.25]


def test_grid_times_print_as_the_decimals_they_are():
    net = Network({"x": Input(), "y": evsim.IF(threshold=0.5)}, [Synapse("x", "y", 1.0, 0.1)], dt=None)
    record = simulate(net, {"x": [0.2, 1.05, 2.7]}, until=5)
    assert record.trains()["y"].tolist() == [0.3, 1.15, 2.8]  # not 0.30000000000000004, 1.1500000000000001


def test_off_grid_input_times_keep_their_exact_value():
    grid = TimeGrid.of(None)
    t = np.array([0.123456789012345, 7.000000000123, math.pi])
    k, f = grid.locate(t)
    assert (f > 0).all() and (f < grid.step).all()
    assert np.all(np.abs(grid.ms(k, f) - t) <= 1e-15 * t)


def test_durations_must_be_whole_steps_and_name_the_grid():
    assert TimeGrid.of(1.0).steps([0.0, 3.0], str).tolist() == [0, 3]
    with pytest.raises(ValidationError, match=r"delay 0\.5 ms, not a multiple of dt=1\.0 ms; use a multiple"):
        TimeGrid.of(1.0).steps([0.5], lambda i: "delay")
    with pytest.raises(ValidationError, match=r"input 'x' has time 0\.25 ms, not a multiple of dt=0\.5 ms"):
        TimeGrid.of(0.5).locate([0.25], lambda i: "input 'x' has time")


def test_times_beyond_the_exact_range_are_refused():
    grid = TimeGrid.of(None)
    with pytest.raises(ValidationError, match="beyond the longest time evsim represents exactly"):
        grid.locate([1e13])
    assert grid.ms(MAX_STEPS - 1) < 1e13


def test_run_boundaries_are_exact_for_any_until():
    assert TimeGrid.of(1.0).boundary(2.5) == (3.0, 0.0)
    assert TimeGrid.of(1.0).boundary(3.0) == (3.0, 0.0)
    assert TimeGrid.of(None).boundary(math.inf) == (math.inf, 0.0)
    k, f = TimeGrid.of(None).boundary(0.1234567891)
    assert (k, f) == (123456.0, pytest.approx(7.891e-7, rel=1e-6))


def test_advance_carries_whole_steps_and_keeps_the_rest():
    grid = TimeGrid.of(None)
    k, f = grid.advance(np.array([10.0, 10.0, 10.0]), np.array([5e-7, 5e-7, 0.0]), np.array([0.0, 2.5e-6, np.inf]))
    assert k[0] == 10 and f[0] == 5e-7  # no wait: exactly where it was
    assert k[1] == 13 and f[1] == pytest.approx(0.0, abs=1e-20)
    assert math.isinf(k[2])


def test_time_order_is_lexicographic_even_where_the_sort_key_ties():
    grid = TimeGrid.of(None)
    k = np.array([2e9, 2e9, 1.0, 2e9])
    f = np.array([3e-17, 1e-17, 0.0, 2e-17])  # offsets closer than the key's rounding at 2e9 steps
    assert grid.sort_key(k[0], f[0]) == grid.sort_key(k[1], f[1])
    assert time_order(grid, k, f).tolist() == [2, 1, 3, 0]
    assert time_order(grid, k, f, major=np.array([1, 0, 1, 1])).tolist() == [1, 2, 3, 0]  # by neuron, then time
    assert earlier(k[1], f[1], k[0], f[0]) and not earlier(k[0], f[0], k[0], f[0])


def test_step_of_bins_float_times_into_their_steps():
    times = [0.0, 0.3, 0.30000000000000004, 0.29999999999999993, 0.55]
    assert TimeGrid.of(0.1).step_of(times).tolist() == [0, 3, 3, 3, 5]


def test_two_input_times_on_one_instant_are_refused():
    net = Network({"x": Input(), "y": evsim.IF()}, [Synapse("x", "y", 1.0, 0.1)], dt=None)
    with pytest.raises(ValidationError, match=r"times 1\.0 and 1\.0000000000000002 ms are the same instant"):
        simulate(net, {"x": [1.0, 1.0000000000000002]}, until=2)


def test_a_crossing_that_leaves_the_neuron_above_threshold_does_not_break_the_schedule():
    # fires at 1/0.3 ms, then sits at 0 >= theta with no arrival to come: it fires again
    # only at its next arrival (a neuron updates at most once per instant)
    net = Network({"y": evsim.IF(threshold=0.0, v_init=-1.0, bias=0.3)}, [], outputs={"y"}, dt=None)
    assert simulate(net, {}, until=10).trains()["y"].tolist() == pytest.approx([1 / 0.3], abs=1e-12)


def test_the_record_is_fresh_after_windows_without_spikes():
    net = Network({"x": Input(), "y": evsim.IF(threshold=10.0)}, [Synapse("x", "y", 1.0, 5.0)], outputs={"y"})
    sim = evsim.Simulator(net, probes=["y"], trace=True)
    sim.feed({"x": [0]})
    sim.run(3)
    assert sim.record.potentials["y"].time.size == 0
    sim.run(10)
    assert sim.record.potentials["y"].time.tolist() == [5.0] and len(sim.record.trace) == 4  # input, arrive, deliver, update


def test_long_durations_are_not_rounded_onto_the_grid():
    with pytest.raises(ValidationError, match=r"delay 1500\.0000004 ms, not a multiple"):
        TimeGrid.of(None).steps([1500.0000004], lambda i: "delay")
    assert TimeGrid.of(None).steps([0.1 + 0.2, 1500.0000000000002], str).tolist() == [300000, 1500000000]
    assert TimeGrid.of(1.0).boundary(1e10 + 5) == (1e10 + 5, 0.0)


def test_runs_until_beyond_the_exact_range_end_with_the_events():
    net = Network({"x": Input(), "y": evsim.IF()}, [Synapse("x", "y", 1.0, 0.5)], dt=None)
    assert simulate(net, {"x": [1.0]}, until=1e12).trains()["y"].tolist() == [1.5]


def test_times_print_as_the_decimals_written_on_any_grid():
    assert TimeGrid.of(0.3).ms(np.arange(4)).tolist() == [0.0, 0.3, 0.6, 0.9]
    assert TimeGrid.of(0.1).ms(np.array([3.0])).tolist() == [0.3]


def test_input_times_print_back_as_given():
    grid = TimeGrid.of(None)
    t = np.random.default_rng(3).uniform(0.0, 100.0, 20000)
    k, f = grid.locate(t)
    assert np.array_equal(grid.ms(k, f)[f > 0], t[f > 0])  # all but the few within 8 eps of a grid point


def test_a_positive_wait_always_moves_time_forward():
    grid = TimeGrid.of(None)
    k, f = grid.advance(np.array([5.0]), np.array([3e-7]), np.array([1e-30]))
    assert (k[0], f[0]) == (5.0, np.nextafter(3e-7, 1.0))


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.0, 1e-7, 2.5e-7, 5e-7])),
                min_size=64, max_size=300),
       st.booleans())
def test_time_order_of_shuffled_events_equals_the_stable_sort(times, with_minor):
    """Law: sorting with ``shuffled=True`` (a radix pass by a coarse bucket, then the stable sort)
    gives exactly the stable order — ties included (many here: few distinct times)."""
    grid = TimeGrid.of(None)
    k = np.array([t[0] for t in times], float)
    f = np.array([t[1] for t in times], float)
    minor = np.arange(k.size)[::-1] % 3 if with_minor else None
    assert time_order(grid, k, f, minor, shuffled=True).tolist() == time_order(grid, k, f, minor).tolist()


def test_long_delays_written_to_the_grid_stay_on_it_and_deliberate_offsets_do_not():
    """The tolerance is never below a value's own float noise (16402.202853 ms is 16402202853 ns, not off the
    1 ns grid), and never above 1e-6 of a step (10**6 + 0.0001 ms on a 1 ms clock is refused, not rounded)."""
    evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 1.0, 16402.202853)], dt=None)
    evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 1.0, 9_999_999.999999)], dt=None)
    with pytest.raises(evsim.ValidationError, match="1000000.0001 ms, not a multiple of dt=1.0"):
        evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 1.0, 10**6 + 0.0001)])
