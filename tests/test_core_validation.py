"""The build layer refuses bad arguments with a message naming the argument, the value and what is accepted."""

import math

import numpy as np
import pytest

import evsim
from evsim import IF, LIF, Input, Network, Scheduler, SchedulingError, Stochastic, Synapse, SynapseTable, Threshold
from evsim.errors import ValidationError

PAIR = {"x": Input(), "y": IF()}


def _pair(**kwargs):
    return Network(dict(PAIR), **kwargs)


REFUSED = [
    # (call, substrings the message must contain)
    (lambda: IF(threshold=True), ["threshold", "True", "not a bool"]),
    (lambda: IF(bias="0.1"), ["bias", "'0.1'"]),
    (lambda: IF(v_init=math.nan), ["v_init", "nan"]),
    (lambda: IF(single_spike="no"), ["single_spike", "'no'", "True or False"]),
    (lambda: IF(single_spike=0), ["single_spike", "0"]),
    (lambda: IF(reset="soft"), ["reset", "'soft'", "'subtract', 'zero'"]),
    (lambda: IF(reset=True), ["reset", "True"]),
    (lambda: IF(refractory=-1.0), ["refractory", "-1.0", ">= 0"]),
    (lambda: LIF(tau=0.0), ["tau", "0.0", "> 0"]),
    (lambda: LIF(tau="20"), ["tau", "'20'"]),
    (lambda: LIF(tau=math.nan), ["tau", "nan"]),
    (lambda: LIF.from_beta(1.5), ["beta", "1.5", "<= 1"]),
    (lambda: LIF.from_beta(0.5, dt=0), ["dt", "0", "> 0"]),
    (lambda: Stochastic(temperature=0.0), ["temperature", "0.0"]),
    (lambda: Stochastic(initial="yes"), ["initial", "'yes'"]),
    (lambda: Threshold(initial=1), ["initial", "1", "True or False"]),
    (lambda: Synapse("x", "y", weight=True), ["weight", "True", "'x' -> 'y'"]),
    (lambda: Synapse("x", "y", delay=-1.0), ["delay", "-1.0", ">= 0"]),
    (lambda: Synapse(0, 1), ["source", "0", "non-empty string"]),
    (lambda: SynapseTable([0.5], [1], [1.0], [1.0]), ["source", "float64", "integer neuron indices"]),
    (lambda: SynapseTable([0], [1], ["1"], [1.0]), ["weight", "'1'"]),
    (lambda: SynapseTable([0, 1], [1], [1.0], [1.0]), ["one length", "'source': 2"]),
    (lambda: SynapseTable(np.array([2**64 - 1], np.uint64), [1], [1.0], [1.0]), ["18446744073709551615", "out of range"]),
    (lambda: _pair(synapses=None), ["synapses", "NoneType"]),
    (lambda: _pair(synapses=SynapseTable([-1], [1], [1.0], [1.0])), ["source index -1", "0 <= index < 2"]),
    (lambda: _pair(synapses={"source": [0.0], "target": [1], "weight": [1.0]}), ["sources", "[0.0]"]),
    (lambda: _pair(synapses={"source": ["x"], "target": ["y"], "weight": [True]}), ["weights", "[True]"]),
    (lambda: _pair(synapses=[Synapse("x", "y", 1.0, 10**6 + 0.0001)]), ["delay 1000000.0001", "not a multiple"]),
    (lambda: _pair(outputs="yz"), ["output 'yz' is not a neuron"]),
    (lambda: _pair(outputs=["y", 3]), ["outputs", "3"]),
    (lambda: _pair(outputs=None), ["outputs", "None"]),
    (lambda: _pair(dt=True), ["dt", "True"]),
    (lambda: _pair(dt="1"), ["dt", "'1'"]),
    (lambda: evsim.compose("a", _pair()), ["n1", "'a'", "Network"]),
    (lambda: evsim.hide(_pair(outputs={"y"}), 3), ["names", "3"]),
    (lambda: evsim.rename(_pair(), {"y": 3}), ["new name of 'y'", "3"]),
    (lambda: evsim.rename(_pair(), [("y", "z")]), ["mapping", "[('y', 'z')]"]),
    (lambda: evsim.simulate(_pair(), {"x": [1]}, 3, rng="abc"), ["rng", "'abc'", "seed"]),
    (lambda: evsim.simulate(_pair(), {"x": [1]}, 3, rng=-1), ["rng", "-1"]),
    (lambda: evsim.simulate(_pair(), {"x": [1]}, 3, probes=3), ["probes", "3"]),
    (lambda: evsim.simulate(_pair(), {"x": [1]}, 3, probes=["y", "y"]), ["probes", "'y' twice"]),
    (lambda: evsim.simulate(_pair(), {"x": [1]}, 3, trace=1), ["trace", "1"]),
    (lambda: evsim.simulate("net"), ["net", "'net'", "Network"]),
    (lambda: evsim.simulate(_pair(), {"x": [True]}), ["input 'x'", "[True]", "real numbers"]),
    (lambda: evsim.simulate(_pair(), {"x": [[0, 1], [2, 3]]}), ["input 'x'", "(2, 2)", "evsim.Analog"]),
    (lambda: evsim.reference.simulate(_pair(), {"x": [1]}, 3, rng="abc"), ["rng", "'abc'"]),
]


@pytest.mark.parametrize("call, words", REFUSED)
def test_refusals_name_the_argument_the_value_and_what_is_accepted(call, words):
    with pytest.raises(ValidationError) as info:
        call()
    for word in words:
        assert word in str(info.value), f"{word!r} not in {str(info.value)!r}"


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: Scheduler().schedule(True, "x"), ["True"]),
        (lambda: Scheduler().schedule(1.0, "x", rank="0"), ["rank", "'0'"]),
        (lambda: Scheduler().schedule(1.0, "x", phase=1.5), ["phase", "1.5"]),
        (lambda: Scheduler(origin=(0.0, 0.0)).schedule((1.0,), "x"), ["tuple of 2 numbers", "(1.0,)"]),
        (lambda: Scheduler(origin="start"), ["origin", "'start'"]),
    ],
)
def test_the_scheduler_refuses_times_and_keys_it_cannot_order(call, words):
    with pytest.raises(SchedulingError) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_valid_values_of_every_accepted_type_still_build():
    assert IF(threshold=np.float32(0.5), bias=np.int64(0), single_spike=np.bool_(True)).single_spike
    assert LIF(tau=math.inf).tau == math.inf
    assert IF(reset=np.float64(-0.5)).reset_potential == -0.5
    net = _pair(synapses=SynapseTable(np.array([0], np.uint8), [1], [1.0], [2.0]), outputs=["y"], dt=np.float64(0.5))
    assert net.outputs == {"y"} and net.dt == 0.5 and _pair(outputs="y").outputs == {"y"}
    assert evsim.simulate(net, {"x": (0, 1)}, 4, probes=["y"], rng=np.random.default_rng(0)).counts()["x"] == 2
