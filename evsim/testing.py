"""Hypothesis strategies and assertions for property-testing SNN constructions.

Needs the test extra (``pip install "evsim[test]"``: hypothesis). evsim's own
property tests are written with these; use them for your own laws::

    from hypothesis import given
    from evsim import simulate
    from evsim.testing import discrete_setups, assert_spikes_equal

    @given(discrete_setups())
    def test_my_law(setup):
        net, inputs, steps = setup
        assert_spikes_equal(simulate(net, inputs, until=steps), simulate(net, inputs, until=steps))

Strategies: ``integrator_models``, ``cuba_models``, ``discrete_setups`` (a discrete network of
IF/LIF — with ``cuba=True`` also CubaLIF — or Lynch–Musco neurons with inputs and a number of steps), ``networks``
(the network alone),
``continuous_setups`` (delays from ``grid_delays``: multiples of 1 µs; input
times through ``distinct_instants``: one per instant of the 1 ns grid), ``spike_trains``, ``lm_model``, ``lm_network`` and
``single_networks`` (Lynch–Musco networks), ``compatible_pairs`` (two
networks that compose, with cycles and shared inputs), ``converted_nets``
(small dense or conv ANNs with dyadic numbers, ready to convert). Assertions:
``assert_spikes_equal``, ``assert_same_behavior``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from evsim.behavior import Behavior, distance
from evsim.deep import AvgPool2d, Conv2d, Dense, Flatten, ReLU, Sequential
from evsim.inputs import Analog
from evsim.network import Network
from evsim.neurons import IF, LIF, CubaLIF, Input, Stochastic, Threshold
from evsim.record import SpikeRecord
from evsim.synapses import Synapse
from evsim.timegrid import TimeGrid

__all__ = ["weights", "nice_weights", "grid_delays", "distinct_instants", "pick", "integrator_models", "cuba_models", "networks", "discrete_setups", "continuous_setups", "spike_trains", "lm_model",
           "lm_network", "single_networks", "compatible_pairs", "converted_nets", "assert_spikes_equal",
           "assert_same_behavior"]


nice_weights = st.sampled_from([0.25, 0.5, 1.0, -1.0, 1.5, -0.5, 2.0])
weights = st.one_of(nice_weights, st.floats(-2.0, 2.0, allow_nan=False, width=64))


@st.composite
def integrator_models(draw):
    """IF or LIF (exact β) with random threshold, start, bias, reset (a subtract reset sometimes by an amount
    other than the threshold), refractoriness, single-spike."""
    common = dict(
        threshold=draw(st.sampled_from([0.5, 1.0, 1.7]) | st.floats(0.1, 2.0)),
        v_init=draw(st.sampled_from([0.0, 0.5]) | st.floats(-1.0, 1.5)),
        bias=draw(st.sampled_from([0.0, 0.1, 0.25, -0.1]) | st.floats(-0.3, 0.4)),
        reset=draw(st.sampled_from(["subtract", "zero", -0.5, 0.2])),
        refractory=float(draw(st.integers(0, 3))),
        single_spike=draw(st.booleans()),
    )
    if common["reset"] == "subtract":
        common["reset_by"] = draw(st.sampled_from([None, None, 0.75, 1.25]))
    if draw(st.booleans()):
        return IF(**common)
    beta = draw(st.sampled_from([0.5, 0.9, 0.99]) | st.floats(0.3, 0.999))
    return LIF.from_beta(beta, v_rest=draw(st.sampled_from([0.0, 0.3, -0.2])), **common)


@st.composite
def cuba_models(draw):
    """CubaLIF (exact decays up to 3/4, so an excited neuron rests within a few thousand steps) with random
    threshold, rest, start (potential and current), biases and reset."""
    decay = st.sampled_from([0.5, 0.75]) | st.floats(0.2, 0.75)
    return CubaLIF.from_betas(
        draw(decay), draw(decay),
        threshold=draw(st.sampled_from([0.5, 1.0, 1.7]) | st.floats(0.1, 2.0)),
        v_rest=draw(st.sampled_from([0.0, 0.3, -0.2])),
        v_init=draw(st.sampled_from([0.0, 0.5]) | st.floats(-1.0, 1.5)),
        i_init=draw(st.sampled_from([0.0, 0.25]) | st.floats(-1.0, 1.0)),
        bias=draw(st.sampled_from([0.0, 0.05, -0.1]) | st.floats(-0.1, 0.1)),
        i_bias=draw(st.sampled_from([0.0, 0.05, -0.1]) | st.floats(-0.1, 0.1)),
        reset=draw(st.sampled_from(["subtract", "zero", -0.5, 0.2])),
    )


@st.composite
def discrete_setups(draw, lynch_musco=False, cuba=False):
    """A random discrete network (inputs, integrators or Lynch–Musco neurons) and its inputs.

    ``cuba``: each integrator is an IF/LIF or a CubaLIF (:func:`cuba_models`), at even odds.
    """
    steps = draw(st.integers(1, 30))
    n_in, n_hid = draw(st.integers(0, 3)), draw(st.integers(1, 5))
    neurons = {f"x{i}": Input() for i in range(n_in)}
    for j in range(n_hid):
        if lynch_musco:
            bias = draw(st.floats(-2.0, 2.0))
            neurons[f"h{j}"] = (Threshold(bias, draw(st.booleans())) if draw(st.booleans())
                                else Stochastic(bias, draw(st.sampled_from([0.5, 1.0, 2.0])), draw(st.booleans())))
        else:
            neurons[f"h{j}"] = draw(cuba_models() if cuba and draw(st.booleans()) else integrator_models())
    names = list(neurons)
    synapses = []
    for s, source in enumerate(names):
        for t in range(n_in, len(names)):
            if draw(st.integers(0, 9)) < 4:
                zero_ok = not lynch_musco and s < t  # zero delay only "forwards": acyclic
                delay = 1 if lynch_musco else draw(st.integers(0 if zero_ok else 1, 3))
                synapses.append(Synapse(source, names[t], draw(weights), float(delay)))
    inputs = draw(spike_trains([f"x{i}" for i in range(n_in)], steps))
    return Network(neurons, synapses, outputs=set(names[n_in:]), dt=1.0), inputs, steps


def networks(lynch_musco: bool = False) -> st.SearchStrategy[Network]:
    """A random discrete network alone (the network of :func:`discrete_setups`)."""
    return discrete_setups(lynch_musco=lynch_musco).map(lambda setup: setup[0])


#: delays a person writes: multiples of 1 µs from 0.1 to 2 ms, on the continuous time grid
grid_delays = st.integers(100, 2000).map(lambda microseconds: microseconds / 1000)


@st.composite
def continuous_setups(draw):
    """``(network, inputs)``: continuous-time LIF neurons, recurrent delays, one input train (any float times)."""
    n_hid = draw(st.integers(1, 4))
    neurons = {"x": Input()}
    for j in range(n_hid):
        neurons[f"h{j}"] = LIF(
            tau=draw(st.floats(2.0, 30.0)), threshold=1.0, bias=draw(st.floats(-0.05, 0.15)),
            reset=draw(st.sampled_from(["zero", "subtract", 0.3])), refractory=draw(st.sampled_from([0.0, 0.7])),
        )
    names = list(neurons)
    synapses = [Synapse("x", "h0", draw(st.floats(0.2, 1.2)), draw(st.sampled_from([0.0, 0.3])))]
    for s in names[1:]:
        for t in names[1:]:
            if draw(st.booleans()):
                synapses.append(Synapse(s, t, draw(weights), draw(grid_delays)))
    times = distinct_instants(draw(st.sets(st.floats(0.0, 40.0), max_size=25)))
    return Network(neurons, synapses, outputs=set(names[1:]), dt=None), {"x": times}


def distinct_instants(times) -> list[float]:
    """Sorted ``times`` without those that fall on an earlier one's instant of the continuous time grid."""
    times = np.sort(np.asarray(list(times), float))
    k, f = TimeGrid.of(None).locate(times)
    keep = np.ones(times.size, bool)
    keep[1:] = (k[1:] != k[:-1]) | (f[1:] != f[:-1])
    return times[keep].tolist()


@st.composite
def lm_model(draw, stochastic_only=False):
    """A Stochastic or Threshold neuron with random bias, temperature and initial state."""
    bias = draw(st.sampled_from([0.0, 0.5, -1.0]) | st.floats(-2.0, 2.0))
    initial = draw(st.booleans())
    if stochastic_only or draw(st.booleans()):
        return Stochastic(bias, draw(st.sampled_from([0.5, 1.0, 2.0])), initial)
    return Threshold(bias, initial)


@st.composite
def lm_network(draw, inputs, outputs, internals, stochastic_only=False):
    """A network with these (possibly empty) name lists and random delay-1 synapses."""
    neurons = {name: Input() for name in inputs}
    for name in list(outputs) + list(internals):
        neurons[name] = draw(lm_model(stochastic_only))
    names = list(neurons)
    synapses = [
        Synapse(s, t, draw(st.sampled_from([1.0, -1.0, 2.0]) | st.floats(-3.0, 3.0)), 1.0)
        for s in names for t in names[len(inputs):] if draw(st.integers(0, 9)) < 4
    ]
    return Network(neurons, synapses, outputs=set(outputs))


def pick(draw, options):
    """A random sub-list of ``options`` (for optional neurons)."""
    return [o for o in options if draw(st.booleans())]


@st.composite
def single_networks(draw, stochastic_only=False):
    inputs = pick(draw, ["u", "v"])
    outputs = ["o"] + pick(draw, ["p"])
    return draw(lm_network(inputs, outputs, pick(draw, ["h", "k"]), stochastic_only))


@st.composite
def compatible_pairs(draw):
    """n1 drives n2 through 'a', n2 may drive n1 back through 'b' (a cycle), both may share input 'u';
    'c' is an output of n1 that n2 never sees."""
    shared = pick(draw, ["u"])
    cycle = draw(st.booleans())
    n1 = draw(lm_network(shared + (["b"] if cycle else []), ["a"] + pick(draw, ["c"]), pick(draw, ["h1"])))
    n2 = draw(lm_network(shared + ["a"], ["b"], pick(draw, ["h2"])))
    return n1, n2


@st.composite
def converted_nets(draw):
    """A small dense or conv net with dyadic weights, biases, thresholds and inputs."""
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    def dyadic_array(shape, scale=32):
        return rng.integers(-scale, scale + 1, shape) / scale
    if draw(st.booleans()):
        sizes = [draw(st.integers(2, 6)) for _ in range(draw(st.integers(2, 3)))] + [3]
        layers = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            layers += [Dense(a, b), ReLU()]
        layers = layers[:-1]
        shape = (sizes[0],)
    else:
        layers = [Conv2d(1, 2, 3, padding=1), ReLU(), AvgPool2d(2), Flatten(), Dense(8, 4), ReLU(), Dense(4, 3)]
        shape = (1, 4, 4)
    for layer in layers:
        for name, value in layer.params.items():
            layer.params[name] = dyadic_array(value.shape) + (0.25 if name == "W" else 0.0)
    thresholds = [draw(st.sampled_from([0.5, 0.75, 1.0, 1.5, 2.0])) for layer in layers if isinstance(layer, ReLU)]
    x = rng.integers(0, 17, (3, *shape)) / 16
    encoding = draw(st.sampled_from(["analog", "rate", "ttfs", "hybrid"]))
    return Sequential(layers), thresholds, x, draw(st.sampled_from(["zero", "half"])), draw(st.integers(2, 8)), encoding




@st.composite
def spike_trains(draw, names, steps: int, *, analog: bool = True):
    """An ``inputs`` mapping for these input names over ``steps`` rounds (spikes or analog events)."""
    inputs = {}
    for name in names:
        times = sorted(draw(st.sets(st.integers(0, steps - 1), max_size=steps)))
        if analog and draw(st.booleans()):
            inputs[name] = Analog(times, [draw(st.floats(-1.5, 2.5)) for _ in times])
        else:
            inputs[name] = times
    return inputs


def assert_spikes_equal(a: SpikeRecord, b: SpikeRecord) -> None:
    """Fail with the first difference (neuron, time, value) if two records are not identical."""
    if a.names != b.names:
        raise AssertionError(f"records of different networks: {a.names} vs {b.names}")
    if a == b:
        return
    n = min(len(a), len(b))
    for i in range(n):
        left = (a.names[a.neuron[i]], float(a.time[i]), float(a.value[i]))
        right = (b.names[b.neuron[i]], float(b.time[i]), float(b.value[i]))
        if left != right:
            raise AssertionError(f"spike {i} differs: {left} vs {right} (neuron, time ms, value)")
    longer, extra_spike = (a, "first") if len(a) > len(b) else (b, "second")
    raise AssertionError(f"the {extra_spike} record has {abs(len(a) - len(b))} more spikes, the next at "
                         f"{float(longer.time[n])} ms from {longer.names[longer.neuron[n]]!r}")


def assert_same_behavior(a: Behavior, b: Behavior, tolerance: float = 1e-12) -> None:
    """Fail, naming the most different output sequence, if the total variation exceeds ``tolerance``."""
    gap = distance(a, b)
    if gap <= tolerance:
        return
    row, column = np.unravel_index(np.argmax(np.abs(a.table - b.table)), a.table.shape)
    raise AssertionError(f"behaviours differ by {gap:.3g} in total variation (tolerance {tolerance:g}); most at "
                         f"outputs {a.sequence(int(column))} for free-input execution code {int(row)}: "
                         f"{a.table[row, column]:.6g} vs {b.table[row, column]:.6g}")
