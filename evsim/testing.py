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
times through ``distinct_instants``: one per exact instant of the 1 ns grid), ``spike_trains``, ``lm_model``,
``lm_network`` and
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

__all__ = ["weights", "nice_weights", "grid_delays", "distinct_instants", "pick", "integrator_models", "cuba_models",
           "networks", "discrete_setups", "continuous_setups", "spike_trains", "lm_model", "lm_network", "single_networks", "compatible_pairs", "converted_nets", "assert_spikes_equal",
           "assert_same_behavior"]


nice_weights = st.sampled_from([0.25, 0.5, 1.0, -1.0, 1.5, -0.5, 2.0])
weights = st.one_of(nice_weights, st.floats(-2.0, 2.0, allow_nan=False, width=64))


@st.composite
def integrator_models(draw):
    """IF or LIF (exact β) with random threshold, start, bias, reset (a subtract reset sometimes by an amount
    other than the threshold), refractoriness, single-spike.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of IF or LIF
        Call it with no arguments: ``integrator_models()``. Thresholds in ``[0.1, 2]``, refractory periods of
        0 to 3 ms, LIF decays ``β`` in ``[0.3, 0.999]``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from evsim.testing import integrator_models
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(integrator_models())
    ... def test_thresholds_are_positive(model):
    ...     assert 0.1 <= model.threshold <= 2.0
    >>> test_thresholds_are_positive()
    """
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
    threshold, rest, start (potential and current), biases and reset.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of CubaLIF
        Call it with no arguments: ``cuba_models()``. Both decays in ``[0.2, 0.75]``, thresholds in
        ``[0.1, 2]``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import evsim
    >>> from evsim.testing import cuba_models
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(cuba_models())
    ... def test_a_cuba_neuron_is_a_cuba_neuron(model):
    ...     assert isinstance(model, evsim.CubaLIF) and 0.1 <= model.threshold <= 2.0
    >>> test_a_cuba_neuron_is_a_cuba_neuron()
    """
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

    Parameters
    ----------
    lynch_musco : bool, optional
        ``True``: the non-input neurons are Threshold or Stochastic (temperature 0.5, 1 or 2) and every
        synapse has delay 1; ``False`` (default): integrators, delays of 0 to 3 steps (zero delays only from an
        earlier neuron to a later one, so no zero-delay cycle).
    cuba : bool, optional
        Each integrator is an IF/LIF or a CubaLIF (:func:`cuba_models`), at even odds (default ``False``:
        IF/LIF only; ignored with ``lynch_musco=True``).

    Returns
    -------
    hypothesis.strategies.SearchStrategy of tuple
        ``(network, inputs, steps)``: a network on the 1 ms clock with 0–3 inputs ``x0 …`` and 1–5 neurons
        ``h0 …`` (all outputs); ``inputs`` from :func:`spike_trains` for the ``x`` neurons; ``steps``
        (1 to 30), the number of steps to simulate.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import evsim
    >>> from evsim.testing import assert_spikes_equal, discrete_setups
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(discrete_setups())
    ... def test_runs_repeat(setup):
    ...     net, inputs, steps = setup
    ...     assert_spikes_equal(evsim.simulate(net, inputs, until=steps), evsim.simulate(net, inputs, until=steps))
    >>> test_runs_repeat()
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
    """A random discrete network alone (the network of :func:`discrete_setups`).

    Parameters
    ----------
    lynch_musco : bool, optional
        ``True``: Threshold and Stochastic neurons; ``False`` (default): IF and LIF neurons.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of Network
        The first element of a :func:`discrete_setups` draw.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from evsim.testing import networks
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(networks())
    ... def test_every_neuron_but_the_inputs_is_an_output(net):
    ...     assert net.outputs == set(net.names) - set(net.inputs) and net.dt == 1.0
    >>> test_every_neuron_but_the_inputs_is_an_output()
    """
    return discrete_setups(lynch_musco=lynch_musco).map(lambda setup: setup[0])


#: delays a person writes: multiples of 1 µs from 0.1 to 2 ms, on the continuous time grid
grid_delays = st.integers(100, 2000).map(lambda microseconds: microseconds / 1000)


@st.composite
def continuous_setups(draw):
    """``(network, inputs)``: continuous-time LIF neurons, recurrent delays, one input train (any float times).

    Returns
    -------
    hypothesis.strategies.SearchStrategy of tuple
        Call it with no arguments: ``continuous_setups()``. ``network`` (``dt=None``): input ``x`` feeding
        ``h0`` (delay 0 or 0.3 ms) and 1–4 LIF neurons ``h0 …`` (all outputs, ``tau`` 2–30 ms, threshold 1)
        with random synapses among them (delays from ``grid_delays``); ``inputs``: ``{"x": times}``, up to
        25 times in ``[0, 40]`` ms through :func:`distinct_instants`.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import evsim
    >>> from evsim.testing import assert_spikes_equal, continuous_setups
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(continuous_setups())
    ... def test_continuous_runs_repeat(setup):
    ...     net, inputs = setup
    ...     assert net.dt is None
    ...     assert_spikes_equal(evsim.simulate(net, inputs, until=50.0), evsim.simulate(net, inputs, until=50.0))
    >>> test_continuous_runs_repeat()
    """
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
    """Sorted ``times`` without those that fall on an earlier one's instant of the continuous time grid.

    Parameters
    ----------
    times : iterable of float
        Times in ms, finite and ``>= 0``, in any order.

    Returns
    -------
    list of float
        Increasing, at most one per exact instant (times that fall on the same point of the 1 ns grid are
        one; the earliest is kept).

    Raises
    ------
    ValidationError
        If a time is negative, not finite, or beyond the grid's range.

    Examples
    --------
    >>> from evsim.testing import distinct_instants
    >>> distinct_instants([2.0, 0.5, 1.0, 0.5])
    [0.5, 1.0, 2.0]
    >>> distinct_instants([0.3, 0.1 + 0.2])  # 0.30000000000000004 is 0.3's instant
    [0.3]
    """
    times = np.sort(np.asarray(list(times), float))
    k, f = TimeGrid.of(None).locate(times)
    keep = np.ones(times.size, bool)
    keep[1:] = (k[1:] != k[:-1]) | (f[1:] != f[:-1])
    return times[keep].tolist()


@st.composite
def lm_model(draw, stochastic_only=False):
    """A Stochastic or Threshold neuron with random bias, temperature and initial state.

    Parameters
    ----------
    stochastic_only : bool, optional
        ``True``: always a Stochastic neuron; ``False`` (default): Stochastic or Threshold at even odds.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of Stochastic or Threshold
        Bias in ``[-2, 2]``; a Stochastic neuron's temperature is 0.5, 1 or 2.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import evsim
    >>> from evsim.testing import lm_model
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(lm_model(stochastic_only=True))
    ... def test_stochastic_only(model):
    ...     assert isinstance(model, evsim.Stochastic)
    >>> test_stochastic_only()
    """
    bias = draw(st.sampled_from([0.0, 0.5, -1.0]) | st.floats(-2.0, 2.0))
    initial = draw(st.booleans())
    if stochastic_only or draw(st.booleans()):
        return Stochastic(bias, draw(st.sampled_from([0.5, 1.0, 2.0])), initial)
    return Threshold(bias, initial)


@st.composite
def lm_network(draw, inputs, outputs, internals, stochastic_only=False):
    """A network with these (possibly empty) name lists and random delay-1 synapses.

    Parameters
    ----------
    inputs, outputs, internals : sequence of str
        Names of the input, output and internal neurons; all distinct (not checked).
    stochastic_only : bool, optional
        ``True``: every output and internal neuron is Stochastic (default ``False``: Stochastic or Threshold,
        from :func:`lm_model`).

    Returns
    -------
    hypothesis.strategies.SearchStrategy of Network
        On the 1 ms clock; each ordered pair (any source, a non-input target, self-loops included) has a
        synapse with probability 0.4, weight in ``[-3, 3]``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from evsim.testing import lm_network
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(lm_network(["x"], ["y"], ["h"]))
    ... def test_the_names_keep_their_roles(net):
    ...     assert net.inputs == {"x"} and net.outputs == {"y"} and net.internals == {"h"}
    >>> test_the_names_keep_their_roles()
    """
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
    """A random sub-list of ``options`` (for optional neurons).

    Parameters
    ----------
    draw : callable
        The ``draw`` argument of the enclosing ``@st.composite`` strategy (``pick`` is a plain helper).
    options : iterable
        The candidates; each is kept or dropped at even odds.

    Returns
    -------
    list
        The kept options, in their order (possibly empty).

    Examples
    --------
    >>> from hypothesis import given, settings, strategies as st
    >>> from evsim.testing import pick
    >>> @st.composite
    ... def some_names(draw):
    ...     return pick(draw, ["u", "v"])
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(some_names())
    ... def test_picks_keep_the_order(names):
    ...     assert names in ([], ["u"], ["v"], ["u", "v"])
    >>> test_picks_keep_the_order()
    """
    return [o for o in options if draw(st.booleans())]


@st.composite
def single_networks(draw, stochastic_only=False):
    """A small Lynch–Musco network: output ``o``, maybe ``p``; inputs and internals from ``u, v`` and ``h, k``.

    Parameters
    ----------
    stochastic_only : bool, optional
        ``True``: every non-input neuron is Stochastic (default ``False``: Stochastic or Threshold).

    Returns
    -------
    hypothesis.strategies.SearchStrategy of Network
        From :func:`lm_network`, each optional name present at even odds.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from evsim import behavior
    >>> from evsim.testing import single_networks
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(single_networks())
    ... def test_a_behaviour_is_a_distribution(net):
    ...     assert abs(behavior.exact(net, horizon=2).table.sum() - 1.0) < 1e-12
    >>> test_a_behaviour_is_a_distribution()
    """
    inputs = pick(draw, ["u", "v"])
    outputs = ["o"] + pick(draw, ["p"])
    return draw(lm_network(inputs, outputs, pick(draw, ["h", "k"]), stochastic_only))


@st.composite
def compatible_pairs(draw):
    """n1 drives n2 through 'a', n2 may drive n1 back through 'b' (a cycle), both may share input 'u';
    'c' is an output of n1 that n2 never sees.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of tuple of Network
        Call it with no arguments: ``compatible_pairs()``. ``(n1, n2)``, Lynch–Musco networks from
        :func:`lm_network` that :func:`evsim.compose` accepts; internals ``h1`` (of n1) and ``h2`` (of n2)
        at even odds.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import evsim
    >>> from evsim.testing import compatible_pairs
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(compatible_pairs())
    ... def test_the_pair_composes(pair):
    ...     n1, n2 = pair
    ...     assert {"a", "b"} <= evsim.compose(n1, n2).outputs
    >>> test_the_pair_composes()
    """
    shared = pick(draw, ["u"])
    cycle = draw(st.booleans())
    n1 = draw(lm_network(shared + (["b"] if cycle else []), ["a"] + pick(draw, ["c"]), pick(draw, ["h1"])))
    n2 = draw(lm_network(shared + ["a"], ["b"], pick(draw, ["h2"])))
    return n1, n2


@st.composite
def converted_nets(draw):
    """A small dense or conv net with dyadic weights, biases, thresholds and inputs.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of tuple
        Call it with no arguments: ``converted_nets()``. ``(ann, thresholds, x, v_init, steps, encoding)``
        for :func:`evsim.deep.convert` and a run: ``ann`` a :class:`~evsim.deep.Sequential` (an MLP of 2–3
        Dense layers, or Conv2d–AvgPool2d–Dense on 1×4×4 images) with 3 outputs; ``thresholds`` one per ReLU;
        ``x`` three samples in ``[0, 1]`` (multiples of 1/16); ``v_init`` ``"zero"`` or ``"half"``; ``steps``
        2 to 8; ``encoding`` ``"analog"``, ``"rate"``, ``"ttfs"`` or ``"hybrid"``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from evsim.testing import converted_nets
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(converted_nets())
    ... def test_three_samples_three_outputs(case):
    ...     ann, thresholds, x, v_init, steps, encoding = case
    ...     assert ann.forward(x).shape == (3, 3) and 2 <= steps <= 8
    >>> test_three_samples_three_outputs()
    """
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
    """An ``inputs`` mapping for these input names over ``steps`` rounds (spikes or analog events).

    Parameters
    ----------
    names : iterable of str
        The input neurons.
    steps : int
        Number of rounds; times are drawn from ``0 … steps − 1`` (``>= 1`` unless ``names`` is empty).
    analog : bool, optional
        ``True`` (default): each train is, at even odds, an :class:`~evsim.Analog` train with values in
        ``[-1.5, 2.5]``; ``False``: plain spike times only.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of dict
        ``{name: times}``: each a sorted list of distinct whole times (ms on the 1 ms clock), possibly
        empty, or an :class:`~evsim.Analog` of them.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from evsim.testing import spike_trains
    >>> @settings(max_examples=5, database=None, deadline=None)
    ... @given(spike_trains(["x0", "x1"], 5, analog=False))
    ... def test_times_are_rounds(inputs):
    ...     assert all(0 <= t < 5 for times in inputs.values() for t in times)
    >>> test_times_are_rounds()
    """
    inputs = {}
    for name in names:
        times = sorted(draw(st.sets(st.integers(0, steps - 1), max_size=steps)))
        if analog and draw(st.booleans()):
            inputs[name] = Analog(times, [draw(st.floats(-1.5, 2.5)) for _ in times])
        else:
            inputs[name] = times
    return inputs


def assert_spikes_equal(a: SpikeRecord, b: SpikeRecord) -> None:
    """Fail with the first difference (neuron, time, value) if two records are not identical.

    Parameters
    ----------
    a, b : SpikeRecord
        The records to compare: neuron names, then every event's neuron, time and value (potentials and
        traces are not compared).

    Returns
    -------
    None
        When the records are equal.

    Raises
    ------
    AssertionError
        If the records' neuron names differ, or their events do: naming the first differing (or extra) event.

    Examples
    --------
    >>> import evsim
    >>> from evsim.testing import assert_spikes_equal
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> assert_spikes_equal(evsim.simulate(net, {"x": [0, 1]}, until=5), evsim.simulate(net, {"x": [0, 1]}, until=5))
    >>> assert_spikes_equal(evsim.simulate(net, {"x": [0, 1]}, until=5), evsim.simulate(net, {"x": [0, 2]}, until=5))
    Traceback (most recent call last):
    ...
    AssertionError: spike 1 differs: ...
    """
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
    """Fail, naming the most different output sequence, if the total variation exceeds ``tolerance``.

    Parameters
    ----------
    a, b : Behavior
        Behaviours of the same outputs, free inputs and horizon.
    tolerance : float, optional
        Largest accepted total-variation distance (:func:`evsim.behavior.distance`; default ``1e-12``).

    Returns
    -------
    None
        When the distance is at most ``tolerance``.

    Raises
    ------
    AssertionError
        With the distance and the (execution, output sequence) entry where the tables differ most.
    ValidationError
        From :func:`~evsim.behavior.distance`: the behaviours differ in outputs, free inputs or horizon, or
        one is not a Behavior.

    Examples
    --------
    >>> from evsim import behavior
    >>> from evsim.library import copy_gate
    >>> from evsim.testing import assert_same_behavior
    >>> exact = behavior.exact(copy_gate(w=6.0), {"x": [0]}, horizon=3)
    >>> assert_same_behavior(exact, behavior.exact(copy_gate(w=6.0), {"x": [0]}, horizon=3))
    >>> assert_same_behavior(exact, behavior.estimate(copy_gate(w=6.0), {"x": [0]}, horizon=3, samples=200, rng=0))
    Traceback (most recent call last):
    ...
    AssertionError: behaviours differ by 0.0596 in total variation (tolerance 1e-12); ...
    """
    gap = distance(a, b)
    if gap <= tolerance:
        return
    row, column = np.unravel_index(np.argmax(np.abs(a.table - b.table)), a.table.shape)
    raise AssertionError(f"behaviours differ by {gap:.3g} in total variation (tolerance {tolerance:g}); most at "
                         f"outputs {a.sequence(int(column))} for free-input execution code {int(row)}: "
                         f"{a.table[row, column]:.6g} vs {b.table[row, column]:.6g}")
