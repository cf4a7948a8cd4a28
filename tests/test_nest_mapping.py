"""What evsim.nest refuses, and why, checked without NEST: every refusal happens before NEST is imported.

Each unsupported construct has its own test: a typed ValidationError whose
message names the neuron (or synapse, or input), the reason and the fix.
The runs themselves, against NEST, are in tests/test_nest.py.
"""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evsim
from evsim import IF, LIF, Analog, CubaLIF, Input, Network, Stochastic, Synapse, Threshold, ValidationError
from evsim.nest import nest_plan
from evsim.nest.discrete import bias_current, propagators
from evsim.nest.mapping import NO_LEAK_TAU, SINGLE_SPIKE_HOLD, nest_offsets


def lif(**params):
    return LIF(**{"tau": 10.0, "reset": 0.0, "refractory": 0.5, **params})


def net_of(neuron, delay=0.5, dt=None):
    return Network({"x": Input(), "y": neuron}, [Synapse("x", "y", 1.0, delay)], outputs={"y"}, dt=dt)


def refused(net, inputs=None, resolution=None, *words):
    with pytest.raises(ValidationError) as caught:
        nest_plan(net, inputs if inputs is not None else {"x": [1.0]}, resolution)
    for word in words:
        assert word in str(caught.value), str(caught.value)
    return str(caught.value)


def test_importing_evsim_and_evsim_nest_does_not_import_nest():
    """NEST is an optional extra: only building or running a network imports it."""
    code = "import sys, evsim, evsim.nest; print('nest' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_mappable_network_gets_nest_parameters_one_for_one():
    net = Network({"x": Input(), "y": lif(bias=0.05, v_rest=-0.1, v_init=0.2, threshold=1.5), "z": IF(reset="zero",
                   refractory=1.0)}, [Synapse("x", "y", 0.7, 0.3), Synapse("y", "z", -0.2, 1.2)], outputs={"y", "z"},
                  dt=None)
    plan = nest_plan(net, {"x": [0.25, 2.0]})
    assert plan.resolution == 0.1  # the largest step dividing 0.3, 1.2, 0.5 and 1.0
    assert plan.parameters["tau_m"].tolist() == [10.0, NO_LEAK_TAU]
    assert plan.parameters["I_e"].tolist() == [0.05, 0.0] and plan.parameters["C_m"].tolist() == [1.0, 1.0]
    assert plan.parameters["E_L"].tolist() == [-0.1, 0.0] and plan.parameters["V_th"].tolist() == [1.5, 1.0]
    assert plan.parameters["V_reset"].tolist() == [0.0, 0.0] and plan.parameters["t_ref"].tolist() == [0.5, 1.0]
    assert plan.parameters["V_m"].tolist() == [0.2, 0.0]
    assert plan.trains[0][0].tolist() == [0.25, 2.0] and plan.trains[0][1] is None
    assert plan.weight.tolist() == [0.7, -0.2] and plan.delay.tolist() == [0.3, 1.2]


def test_analog_inputs_map_to_spike_weights():
    plan = nest_plan(net_of(lif()), {"x": Analog([1.0, 2.0], [0.5, -2.0])})
    assert plan.trains[0][1].tolist() == [0.5, -2.0]


def test_single_spike_maps_to_a_refractory_period_longer_than_any_run():
    plan = nest_plan(net_of(lif(reset="subtract", single_spike=True, refractory=0.0)), {"x": [1.0]})
    assert plan.parameters["t_ref"].tolist() == [SINGLE_SPIKE_HOLD]
    assert plan.parameters["V_reset"][0] < plan.parameters["V_th"][0]


def test_subtract_reset_is_refused():
    refused(net_of(lif(reset="subtract")), None, None, "'y'", "reset='subtract'", "reset=0.0")


def test_subtract_reset_by_an_amount_is_refused():
    refused(net_of(lif(reset="subtract", reset_by=0.5)), None, None, "'y'", "reset='subtract'")


def test_a_hard_reset_at_or_above_the_threshold_is_refused():
    refused(net_of(lif(reset=1.0)), None, None, "'y'", "V_reset < V_th")


@pytest.mark.parametrize("kind", [Stochastic(bias=0.5), Threshold(bias=0.5)])
def test_lynch_musco_neurons_are_refused_by_name(kind):
    net = Network({"x": Input(), "y": kind}, [Synapse("x", "y", 1.0, 1.0)], outputs={"y"})
    refused(net, {"x": [1.0]}, None, "'y' is a", type(kind).__name__, "Lynch–Musco", "engine='evsim'")


def test_cubalif_neurons_are_refused_by_name():
    net = Network({"x": Input(), "y": CubaLIF()}, [Synapse("x", "y", 1.0, 1.0)], outputs={"y"})
    refused(net, {"x": [1.0]}, None, "'y' is a CubaLIF", "engine='evsim'")


def test_a_discrete_network_maps_to_nests_grid_neuron_at_its_clock():
    net = Network({"x": Input(), "y": LIF(tau=10.0, bias=0.05, reset=0.0, refractory=3.0), "z": IF(reset=-0.5)},
                  [Synapse("x", "y", 0.7, 1.0), Synapse("y", "z", 0.4, 2.0)], outputs={"y", "z"}, dt=1.0)
    plan = nest_plan(net, {"x": [0, 2]})
    assert plan.model == "iaf_psc_delta" and plan.resolution == 1.0 and not plan.precise
    assert plan.trains[0][0].tolist() == [1.0, 3.0]  # evsim's step j is NEST's stamp j + 1
    assert plan.fed[1].tolist() == [0.0, 2.0]  # what the record shows
    assert plan.parameters["t_ref"].tolist() == [2.0, 0.0]  # n steps blocking n - 1 of them
    p33, p30 = propagators(10.0, 1.0)
    assert p30 * plan.parameters["I_e"][0] == 0.05 and plan.parameters["tau_m"][1] >= 1e30


@given(st.floats(0.5, 1e4), st.floats(-10.0, 10.0), st.sampled_from([1.0, 0.5, 0.1, 2.0]),
       st.integers(-64, 64))
def test_the_bias_current_gives_evsims_bias_exactly_or_no_float_near_does(tau, bias, dt, ulps):
    """Law: where bias_current gives an I_e, NEST's P30·I_e is the bias to the bit; where it gives none, the float
    `ulps` steps from bias/P30 misses the bias too (the product skips it: refusing loses no mappable neuron)."""
    i_e = bias_current(bias, tau, dt)
    _, p30 = propagators(tau, dt)
    if i_e is not None:
        assert p30 * i_e == bias
        return
    x = bias / p30
    assert p30 * x != bias
    for _ in range(abs(ulps)):
        x = np.nextafter(x, np.inf if ulps > 0 else -np.inf)
    assert p30 * x != bias


def test_a_discrete_bias_nests_product_misses_is_refused():
    """tau = 20 ms, dt = 0.1 ms: P30·(0.1/P30) is 0.10000000000000002, and no other I_e gives 0.1."""
    assert bias_current(0.1, 20.0, 0.1) is None
    refused(net_of(LIF(tau=20.0, bias=0.1, reset=0.0), delay=0.1, dt=0.1), {"x": [0.1]}, None, "'y'", "bias=0.1",
            "no I_e")


def test_a_discrete_subtract_reset_is_refused():
    refused(net_of(IF(), delay=1.0, dt=1.0), {"x": [1.0]}, None, "'y'", "reset='subtract'", "iaf_psc_delta")


def test_a_discrete_if_with_bias_is_refused():
    refused(net_of(IF(reset=0.0, bias=0.1), delay=1.0, dt=1.0), {"x": [1.0]}, None, "'y'", "bias=0.1", "P30*I_e = 0")


def test_a_discrete_lif_with_a_resting_potential_is_refused():
    refused(net_of(LIF(v_rest=0.2, reset=0.0), delay=1.0, dt=1.0), {"x": [1.0]}, None, "'y'", "v_rest=0.2")


def test_a_discrete_zero_delay_is_refused():
    refused(net_of(IF(reset=0.0), delay=0.0, dt=1.0), {"x": [1.0]}, None, "'x' -> 'y'", "no zero delay")


def test_a_discrete_network_runs_at_its_own_clock_only():
    refused(net_of(IF(reset=0.0), delay=1.0, dt=1.0), {"x": [1.0]}, 0.5, "resolution", "dt=1.0")
    refused(net_of(IF(reset=0.0), delay=1.0, dt=1.0), {"x": [1.0]}, True, "resolution", "True")
    refused(Network({"y": IF(reset=0.0)}, [], outputs={"y"}, dt=1e-4), {}, None, "dt=0.0001", "microseconds")


def test_a_zero_delay_synapse_is_refused():
    refused(net_of(lif(), delay=0.0), None, 0.1, "synapse 0 ('x' -> 'y')", "no zero delay")


def test_a_delay_off_the_resolution_is_refused():
    refused(net_of(lif(), delay=0.25), None, 0.1, "delay 0.25", "whole multiple")


def test_a_refractory_period_of_zero_is_refused():
    refused(net_of(lif(refractory=0.0)), None, None, "'y'", "refractory=0.0", "at least one")


def test_a_refractory_period_off_the_resolution_is_refused():
    refused(net_of(lif(refractory=0.25)), None, 0.1, "'y'", "refractory=0.25")


def test_a_neuron_starting_at_or_above_its_threshold_is_refused():
    refused(net_of(lif(v_init=1.0)), None, None, "'y'", "v_init=1.0 >= threshold=1.0", "h*eps")


@pytest.mark.parametrize("neuron", [IF(bias=0.1, reset=0.0, refractory=0.5), lif(tau=float("inf"), bias=0.1),
                                    lif(tau=1e7, bias=1e-6), lif(tau=1e4, bias=1.0)])
def test_a_bias_on_a_slow_leak_is_refused(neuron):
    refused(net_of(neuron), None, None, "'y'", "bias=", "-tau_m*ln")


def test_an_if_neuron_without_bias_maps_without_leak():
    plan = nest_plan(net_of(IF(reset=0.0, refractory=0.5)), {"x": [1.0]})
    assert plan.parameters["tau_m"].tolist() == [NO_LEAK_TAU] and plan.parameters["I_e"].tolist() == [0.0]


def test_an_input_at_time_zero_is_refused():
    refused(net_of(lif()), {"x": [0.0, 1.0]}, None, "inputs['x']", "at 0")


def test_input_times_whose_offsets_nest_computes_differently_are_refused():
    """0.15 + 0.2 and 0.25 + 0.1 are one instant (evsim sums the arrivals); NEST's offsets differ by an ulp."""
    net = Network({"a": Input(), "b": Input(), "y": lif()},
                  [Synapse("a", "y", 1.0, 0.2), Synapse("b", "y", -1.0, 0.1)], outputs={"y"}, dt=None)
    refused(net, {"a": [0.15], "b": [0.25]}, 0.1, "0.15", "0.25", "'a'", "'b'", "resolution grid")
    nest_plan(net, {"a": [0.15], "b": [0.25]}, 0.05)  # on a 0.05 ms grid both are grid times: offsets 0


def test_times_below_a_microsecond_are_refused():
    refused(net_of(lif(), delay=0.0005), None, None, "delay 0.0005", "microseconds")


@pytest.mark.parametrize("bad", [0.0, -0.1, 0.0005, float("nan"), "0.1", True])
def test_the_resolution_must_be_whole_microseconds(bad):
    refused(net_of(lif()), None, bad, "resolution")


def test_nest_offsets_follow_nests_stamp_and_offset():
    stamps, offsets = nest_offsets(np.array([0.1, 0.15, 0.25, 1.0, 0.30000000000000004]), 0.1)
    assert stamps.tolist() == [1, 2, 3, 10, 3]
    assert offsets[[0, 3, 4]].tolist() == [0.0, 0.0, 0.0]  # grid times (and float noise on them) have no offset
    assert offsets[1] != offsets[2] and abs(offsets[1] - 0.05) < 1e-15  # the ulp that separates them in NEST


@pytest.mark.parametrize("options, words", [({"engine": "nest", "probes": ["y"]}, ("probes", "('y',)")),
                                            ({"engine": "nest", "trace": True}, ("trace", "True")),
                                            ({"threads": 2}, ("threads", "engine='nest'")),
                                            ({"resolution": 0.1}, ("resolution", "engine='nest'")),
                                            ({"engine": "NEST"}, ("engine", "'NEST'"))])
def test_simulate_checks_the_engine_and_its_options(options, words):
    with pytest.raises(ValidationError) as caught:
        evsim.simulate(net_of(lif()), {"x": [1.0]}, until=3.0, **options)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("options, words", [({"threads": 0}, ("threads", "0")), ({"until": float("inf")}, ("until",)),
                                            ({"until": 2e9}, ("until", "single-spike"))])
def test_nest_runs_check_threads_and_until_before_importing_nest(options, words):
    from evsim.nest import simulate

    until = options.pop("until", 3.0)
    with pytest.raises(ValidationError) as caught:
        simulate(net_of(lif()), {"x": [1.0]}, until, **options)
    for word in words:
        assert word in str(caught.value)
