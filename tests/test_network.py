import math

import numpy as np
import pytest

from evsim import (
    IF,
    LIF,
    Input,
    Network,
    Stochastic,
    Synapse,
    SynapseTable,
    Threshold,
    ValidationError,
)


def small(**kw):
    neurons = kw.pop("neurons", {"x": Input(), "a": IF(), "b": IF()})
    synapses = kw.pop("synapses", [Synapse("x", "a", 1.0, 1.0), Synapse("a", "b", 0.5, 0.0)])
    return Network(neurons, synapses, **kw)


def test_roles_and_ranks():
    net = small(outputs={"b"})
    assert net.inputs == {"x"} and net.outputs == {"b"} and net.internals == {"a"}
    assert list(net.ranks) == [0, 0, 1]
    assert net.synapses[1] == Synapse("a", "b", 0.5, 0.0)
    assert "3 neurons" in net.describe() and "dt=1.0" in repr(net)


def test_arrays_with_names_or_indices_give_the_same_network():
    by_name = Network({"x": Input(), "y": IF()}, {"source": ["x"], "target": ["y"], "weight": [2.0], "delay": [1.0]})
    by_index = Network({"x": Input(), "y": IF()}, {"source": np.array([0]), "target": np.array([1]), "weight": [2.0]})
    assert by_name == by_index
    assert by_name != Network({"x": Input(), "y": IF()}, [Synapse("x", "y", 3.0)])


def test_network_arrays_are_read_only():
    net = small()
    with pytest.raises(ValueError):
        net.table.weight[0] = 5.0
    with pytest.raises(TypeError):
        net.neurons["z"] = IF()


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        (dict(synapses=[Synapse("x", "ghost")]), "'ghost' is not a neuron"),
        (dict(synapses=[Synapse("a", "x")]), "'a' -> 'x' ends at an Input"),
        (dict(synapses=lambda: [Synapse("x", "a", math.nan)]), "'x' -> 'a': weight must be a finite .* got nan"),
        (dict(synapses=lambda: [Synapse("x", "a", math.inf)]), "'x' -> 'a': weight must be a finite .* got inf"),
        (dict(synapses=lambda: [Synapse("x", "a", 1.0, -1.0)]), r"'x' -> 'a': delay \(ms\) must be .*>= 0 .* got -1.0"),
        (dict(synapses={"source": ["x"], "target": ["a"], "weight": [math.nan]}), "'x' -> 'a' has weight nan"),
        (dict(synapses={"source": ["x"], "target": ["a"], "weight": [1.0], "delay": [-1.0]}),
         "'x' -> 'a' has delay -1.0"),
        (dict(synapses=[Synapse("x", "a", 1.0, 0.5)]), "'x' -> 'a' has delay 0.5 ms, not a multiple of dt=1.0"),
        (dict(synapses=[Synapse("a", "b", 1.0, 0.0), Synapse("b", "a", 1.0, 0.0)]), "zero-delay cycle a -> b -> a"),
        (dict(synapses=[Synapse("a", "a", 1.0, 0.0)]), "zero-delay cycle a -> a"),
        (dict(outputs={"nope"}), "output 'nope' is not a neuron"),
        (dict(outputs={"x"}), "output 'x' is an Input"),
        (dict(dt=0.0), r"dt \(ms; None for continuous time\) must be .* got 0.0"),
        (dict(dt=-1.0), "got -1.0"),
        (dict(neurons={"x": Input(), "a": "IF"}), "neuron 'a' has model 'IF'"),
        (dict(neurons={"": IF()}, synapses=[]), "non-empty strings, got ''"),
        (dict(synapses={"source": ["x"], "target": ["a"]}), "columns must be source, target, weight"),
        (dict(synapses={"source": [0], "target": [7], "weight": [1.0]}), "target index 7 is out of range"),
        (dict(synapses={"source": ["x", "x"], "target": ["a"], "weight": [1.0, 1.0]}), "differ in length"),
        (dict(synapses={"source": ["x"], "target": ["a"], "weight": ["heavy"]}), "weights must be an array of real numbers"),
        (dict(synapses=["x->a"]), "must be Synapse values, got 'x->a'"),
    ],
)
def test_rejected_networks_name_the_bad_item(kwargs, pattern):
    with pytest.raises(ValidationError, match=pattern):
        small(**{k: v() if callable(v) else v for k, v in kwargs.items()})


def test_longer_zero_delay_cycle_is_named_in_order():
    names = {"x": Input(), "a": IF(), "b": IF(), "c": IF(), "d": IF()}
    syn = [Synapse("x", "a", 1, 0), Synapse("a", "b", 1, 0), Synapse("b", "c", 1, 0), Synapse("c", "a", 1, 0), Synapse("c", "d", 1, 0)]
    with pytest.raises(ValidationError) as info:
        Network(names, syn)
    message = str(info.value)
    assert "zero-delay cycle" in message and all(n in message for n in "abc") and "d" not in message.split("cycle")[1].split(":")[0]


def test_lynch_musco_neurons_need_rounds_and_unit_delays():
    with pytest.raises(ValidationError, match="'s' is a Stochastic neuron, which runs only in rounds.*dt=1.0"):
        Network({"s": Stochastic()}, [], dt=None)
    with pytest.raises(ValidationError, match="'x' -> 's' has delay 2.0 ms.*into Threshold neurons.*one round"):
        Network({"x": Input(), "s": Threshold()}, [Synapse("x", "s", 1.0, 2.0)])


def test_refractory_must_be_on_the_grid():
    with pytest.raises(ValidationError, match="'a' has refractory 1.5 ms, not a multiple of dt=1.0"):
        Network({"a": LIF(refractory=1.5)}, [])
    Network({"a": LIF(refractory=1.5)}, [], dt=None)  # fine in continuous time


def test_continuous_networks_take_delays_on_the_resolution_grid():
    net = Network({"x": Input(), "y": LIF()}, [Synapse("x", "y", 1.0, 0.37)], dt=None)
    assert not net.discrete and net.table.delay[0] == 0.37
    assert net.grid.step == 1e-6 and net.grid.steps([0.37, 0.1 + 0.2], str).tolist() == [370000, 300000]
    with pytest.raises(ValidationError, match=r"'x' -> 'y' has delay 0.3333333333333333 ms, not a multiple "
                                              r"of the time resolution 1e-06 ms"):
        Network({"x": Input(), "y": LIF()}, [Synapse("x", "y", 1.0, 1 / 3)], dt=None)
    with pytest.raises(ValidationError, match=r"neuron 'y' has refractory 1e-07 ms, not a multiple"):
        Network({"y": LIF(refractory=1e-7)}, [], dt=None)


def test_a_million_synapses_build_from_arrays():
    n, k = 1000, 1_000_000
    rng = np.random.default_rng(0)
    neurons = {f"n{i}": LIF() for i in range(n)}
    table = {"source": rng.integers(0, n, k), "target": rng.integers(0, n, k),
             "weight": rng.normal(size=k), "delay": np.ones(k)}
    net = Network(neurons, table, dt=1.0)
    assert len(net.table) == k and isinstance(net.table, SynapseTable)


def test_a_small_network_prints_whole_and_a_large_one_is_summarised():
    """repr lists every neuron (its non-default parameters) and synapse of a small network; describe() is
    complete up to its limit and says how many it left out."""
    net = Network({"x": Input(), "y": IF(threshold=2.5, bias=0.125), "z": LIF(tau=5.0, reset="zero")},
                  [Synapse("x", "y", 0.6, 1.0), Synapse("y", "z", 2.0, 0.0)], outputs={"z"})
    text = repr(net)
    assert "'y': IF(threshold=2.5, bias=0.125)" in text and "LIF(tau=5.0" in text and "reset='zero'" in text
    assert "Synapse('x', 'y', 0.6, 1.0)" in text and "outputs=['z']" in text
    described = net.describe()
    assert "y            internal IF(threshold=2.5, bias=0.125)" in described and "x -> y, 0.6, 1.0" in described
    big = Network({f"n{i}": IF() for i in range(50)})
    assert repr(big) == ("Network(50 neurons (0 inputs, 0 outputs, 50 internal), 0 synapses, dt=1.0; "
                         "net.describe() lists them)")
    assert big.describe(limit=3).splitlines()[2:6] == ["  n0           internal IF()", "  n1           internal IF()",
                                                       "  n2           internal IF()", "  … and 47 more"]
    assert big.describe().endswith("(none)")
