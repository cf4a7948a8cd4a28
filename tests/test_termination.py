"""Runs without an end time: allowed where they provably end, refused (before looping) elsewhere."""

import math

import pytest
from hypothesis import assume, given

from evsim import IF, LIF, Input, Network, SchedulingError, Simulator, Stochastic, Synapse, Threshold
from evsim import ValidationError, reference, simulate
from evsim.errors import LimitError
from evsim.termination import why_endless
from evsim.testing import assert_spikes_equal, continuous_setups, discrete_setups
from tests.time_limit import time_limit


def chain(second_weight: float, back_weight: float | None, model=IF, dt=1.0) -> Network:
    synapses = [Synapse("x", "a", 1.0, 1.0), Synapse("a", "b", second_weight, 1.0)]
    if back_weight is not None:
        synapses.append(Synapse("b", "a", back_weight, 1.0))
    return Network({"x": Input(), "a": model(), "b": model()}, synapses, outputs={"b"}, dt=dt)


def test_a_self_driven_neuron_is_refused_naming_it_and_the_fix():
    net = Network({"x": Input(), "y": IF(bias=1e-3)}, [Synapse("x", "y", 1.0, 1.0)], outputs={"y"})
    with time_limit(10), pytest.raises(ValidationError, match=r"neuron 'y'.*free evolution.*finite until"):
        simulate(net, {"x": [0]}, until=math.inf)


def test_an_until_beyond_the_exact_range_is_refused_the_same_way():
    net = Network({"y": LIF(tau=10.0, bias=0.2)}, [], outputs={"y"}, dt=None)
    with time_limit(10), pytest.raises(ValidationError, match=r"until=1e\+300 ms is beyond.*'y'"):
        simulate(net, None, until=1e300)


def test_an_exciting_cycle_is_refused_naming_it():
    with time_limit(10), pytest.raises(ValidationError, match=r"cycle a -> b -> a"):
        simulate(chain(1.0, 1.0), {"x": [0]}, until=math.inf)


@pytest.mark.parametrize("model", [lambda: Stochastic(bias=1.0), lambda: Threshold(bias=0.0),
                                   lambda: LIF(reset=2.0, refractory=1.0)])
def test_spontaneous_and_self_resetting_neurons_are_self_driven(model):
    net = Network({"y": model()}, [], outputs={"y"})
    assert why_endless(net) is not None and "'y'" in why_endless(net)


def test_a_relay_in_an_inhibitory_cycle_is_refused():
    # in continuous time a reset at or above the threshold (and no refractory period) makes a neuron
    # fire at every arrival, inhibitory ones too; in discrete time at every step
    relay = lambda: IF(reset=1.0)  # noqa: E731
    with time_limit(10), pytest.raises(ValidationError, match="cycle a -> b -> a"):
        simulate(chain(-0.5, -0.5, model=relay, dt=None), {"x": [0]}, until=math.inf)
    with time_limit(10), pytest.raises(ValidationError, match="neurons 'a', 'b'.*reset leaves"):
        simulate(chain(-0.5, -0.5, model=relay), {"x": [0]}, until=math.inf)


@pytest.mark.parametrize("dt", [1.0, None])
def test_feed_forward_and_inhibitory_cycles_run_to_their_end(dt):
    for net in (chain(1.0, None, dt=dt), chain(1.0, -1.0, dt=dt)):
        assert why_endless(net) is None
        with time_limit(10):
            record = simulate(net, {"x": [0, 5]}, until=math.inf)
        assert_spikes_equal(record, simulate(net, {"x": [0, 5]}, until=100))
    self_driven_once = Network({"y": IF(bias=0.5, single_spike=True)}, [], outputs={"y"}, dt=dt)
    with time_limit(10):
        assert simulate(self_driven_once, None, until=math.inf).counts()["y"] == 1


def test_the_reference_refuses_what_it_cannot_end():
    with pytest.raises(ValidationError, match="clock-driven"):
        reference.simulate(chain(1.0, None), {"x": [0]}, until=math.inf)
    with pytest.raises(ValidationError, match="cycle a -> b -> a"):
        reference.simulate(chain(1.0, 1.0, dt=None), {"x": [0]}, until=math.inf)
    assert reference.simulate(chain(1.0, None, dt=None), {"x": [0]}, until=math.inf).trains["b"] == [2.0]
    with pytest.raises(LimitError, match="memory limit"):
        reference.simulate(chain(1.0, None), {"x": [0]}, until=1e15)


@pytest.mark.parametrize("bad", [True, "5", None, math.nan, [5.0], 1 + 2j])
def test_until_must_be_a_real_number(bad):
    net = chain(1.0, None)
    for run in (lambda: simulate(net, None, until=bad), lambda: Simulator(net).run(bad),
                lambda: reference.simulate(net, None, until=bad)):
        with pytest.raises(ValidationError, match="until must be a real number"):
            run()


def test_until_must_not_be_in_the_past():
    sim = Simulator(chain(1.0, None))
    sim.run(5.0)
    with pytest.raises(SchedulingError, match="already at 5.0 ms"):
        sim.run(4.0)
    with pytest.raises(SchedulingError):
        simulate(chain(1.0, None), None, until=-1.0)
    with pytest.raises(ValidationError, match=">= 0.0"):
        reference.simulate(chain(1.0, None), None, until=-1.0)


def _ends_like_a_long_finite_run(net, inputs):
    assume(why_endless(net) is None)
    with time_limit(5):
        endless = simulate(net, inputs, until=math.inf)
    last = float(endless.time.max()) if endless.time.size else 0.0
    assert_spikes_equal(endless, simulate(net, inputs, until=last + 50.0))


@given(discrete_setups(cuba=True))
def test_runs_allowed_without_an_end_do_end_discrete(setup):
    """Law: where why_endless finds nothing, simulate(until=inf) ends, and records exactly the spikes
    of a run until any time past its last spike."""
    net, inputs, _ = setup
    _ends_like_a_long_finite_run(net, inputs)


@given(continuous_setups())
def test_runs_allowed_without_an_end_do_end_continuous(setup):
    """Law: as for discrete networks, in continuous time."""
    _ends_like_a_long_finite_run(*setup)
