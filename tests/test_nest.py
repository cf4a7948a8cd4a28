"""evsim and NEST run the same networks to the same spikes (needs NEST; skipped without it).

NEST is the optional extra ``evsim[nest]``. The laws compare
``simulate(engine="evsim")`` with ``simulate(engine="nest")``: the same
neurons fire the same number of times, every spike within 1e-9 ms (what
remains is two closed forms for a crossing, about 1e-13 ms apart).
Random networks are drawn on dyadic numbers (weights, thresholds, resets,
input times on a 2^-10 ms grid, resolutions of 2^-k ms), where coincidences
are frequent and exact in both simulators — arrivals summed at one instant,
arrivals at the very end of a refractory period — and, as in
``tools/nest_crosscheck.py``, on decimal resolutions with random input times.
Discrete networks run on NEST's grid neuron and must give evsim's record bit
for bit (and its potential, step by step).
"""

import os

import numpy as np
import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

os.environ.setdefault("PYNEST_QUIET", "1")
nest = pytest.importorskip("nest", reason="NEST is not installed (pip install 'evsim[nest]', Linux)")

from evsim import IF, LIF, Analog, Input, Network, Synapse, ValidationError, simulate  # noqa: E402
from evsim.nest import to_nest  # noqa: E402
from evsim.testing import distinct_instants  # noqa: E402

TOLERANCE = 1e-9  # ms
UNTIL = 40.0  # ms


def assert_same_spikes(evsim_record, nest_record, tolerance=TOLERANCE):
    """Every neuron fires equally often in both, each spike within ``tolerance`` ms; names the first difference."""
    a, b = evsim_record.trains(), nest_record.trains()
    assert a.keys() == b.keys()
    for name in a:
        m = min(a[name].size, b[name].size)
        far = np.flatnonzero(np.abs(a[name][:m] - b[name][:m]) > tolerance)
        k = int(far[0]) if far.size else (None if a[name].size == b[name].size else m)
        assert k is None, (f"{name!r} spike #{k}: evsim {a[name][k:k + 1].tolist()} nest {b[name][k:k + 1].tolist()} "
                           f"(evsim {a[name].size} spikes, nest {b[name].size})")


def dyadic(draw, low, high, bits=6):
    return draw(st.integers(int(low * 2**bits), int(high * 2**bits))) / 2**bits


@st.composite
def neuron_models(draw, h):
    threshold = dyadic(draw, 0.5, 2.0)
    v_rest = draw(st.sampled_from([0.0, 0.0, -0.25, 0.125]))
    below = threshold - 2**-6
    reset = dyadic(draw, v_rest - 0.5, below)
    v_init = dyadic(draw, v_rest - 0.5, below)
    refractory = h * draw(st.integers(1, 8))
    single = draw(st.integers(0, 9)) == 0
    if draw(st.booleans()):
        return IF(threshold=threshold, v_init=v_init, reset=reset, refractory=refractory, single_spike=single)
    bias = draw(st.sampled_from([0.0, dyadic(draw, -0.05, 0.15, bits=8)]))
    tau = draw(st.floats(2.0, 50.0))
    return LIF(tau=tau, threshold=threshold, v_rest=v_rest, v_init=v_init, bias=bias, reset=reset,
               refractory=refractory, single_spike=single)


@st.composite
def nest_setups(draw, decimal=False):
    """A random continuous network NEST can run, its inputs and its resolution."""
    h = 0.1 if decimal else draw(st.sampled_from([0.125, 0.25, 0.5]))
    n, m = draw(st.integers(1, 7)), draw(st.integers(1, 3))
    neurons = {f"n{i}": draw(neuron_models(h)) for i in range(n)}
    neurons |= {f"in{j}": Input() for j in range(m)}
    weight = (lambda: draw(st.floats(-1.0, 1.5))) if decimal else (lambda: dyadic(draw, -1.5, 1.5))
    synapses = []
    for i in range(n):
        for j in range(n):
            if draw(st.integers(0, 3)) == 0:
                synapses.append(Synapse(f"n{i}", f"n{j}", weight(), h * draw(st.integers(1, 12))))
    inputs = {}
    for j in range(m):
        for i in draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True)):
            synapses.append(Synapse(f"in{j}", f"n{i}", abs(weight()) + 0.25, h * draw(st.integers(1, 12))))
        if decimal:
            times = distinct_instants(draw(st.sets(st.floats(0.001, UNTIL), max_size=12)))
        else:
            times = [t / 2**10 for t in draw(st.lists(st.integers(1, int(UNTIL) * 2**10), max_size=12, unique=True))]
        inputs[f"in{j}"] = sorted(times)
    net = Network(neurons, synapses, outputs={f"n{i}" for i in range(n)}, dt=None)
    note(f"neurons {neurons}\nsynapses {synapses}\ninputs {inputs}\nresolution {h}")
    return net, inputs, h


def both(net, inputs, h, threads=1):
    return (simulate(net, inputs, until=UNTIL),
            simulate(net, inputs, until=UNTIL, engine="nest", resolution=h, threads=threads))


def crossing_meets_arrival(net, inputs, until=UNTIL) -> bool:
    """Whether some neuron's bias-driven crossing falls (within 1e-12 mV) on the instant of an arrival.

    evsim makes that one update (``m = θ + I``: the arrival counts, an inhibitory one prevents the spike); NEST
    propagates to the arrival, finds ``V >= θ`` or not by the last bit, and fires first if so. Such exact ties
    arise from the network's structure: two crossings from the same reset take the same time, and a delay as long
    as the time between their starts carries one onto the other (see test_a_crossing_that_meets_an_arrival_...).
    """
    trace = simulate(net, inputs, until=until, trace=True).trace
    delivered = {(e.time, e.neuron): e.value for e in trace if e.kind == "deliver"}
    return any(e.kind == "update" and (e.time, e.neuron) in delivered
               and abs(e.value - delivered[e.time, e.neuron] - net.neurons[e.neuron].threshold) <= 1e-12
               for e in trace)


@given(nest_setups())
def test_nest_gives_evsims_spikes_on_dyadic_networks(setup):
    """Law: on random IF/LIF networks with hard resets, refractory periods, biases, delays on the resolution
    grid and dyadic input times, NEST's iaf_psc_delta_ps fires the same spikes as evsim, each within 1e-9 ms
    (exact coincidences — summed simultaneous arrivals, arrivals at the end of a refractory period — included),
    unless a bias-driven crossing falls exactly on an arrival (crossing_meets_arrival: a tie NEST breaks by
    rounding; such runs are set aside)."""
    net, inputs, h = setup
    evsim_record, nest_record = both(net, inputs, h)
    if evsim_record != nest_record:
        assume(not crossing_meets_arrival(net, inputs))
    assert_same_spikes(evsim_record, nest_record)


@given(nest_setups(decimal=True))
def test_nest_gives_evsims_spikes_with_random_input_times(setup):
    """Law: the same on a 0.1 ms resolution with input times anywhere (decimal weights), where NEST's offsets
    agree with evsim's (the mapping refuses the rest)."""
    net, inputs, h = setup
    try:
        nest_record = simulate(net, inputs, until=UNTIL, engine="nest", resolution=h)
    except ValidationError as refusal:
        assume("offsets inside a step" not in str(refusal))
        raise
    evsim_record = simulate(net, inputs, until=UNTIL)
    if evsim_record.counts() != nest_record.counts():
        assume(not crossing_meets_arrival(net, inputs))
    assert_same_spikes(evsim_record, nest_record)


@settings(max_examples=20)
@given(nest_setups())
def test_one_and_two_threads_give_the_same_spikes(setup):
    """Law: NEST on 2 threads fires exactly (bit for bit) the spikes it fires on 1 thread."""
    net, inputs, h = setup
    one = simulate(net, inputs, until=UNTIL, engine="nest", resolution=h, threads=1)
    two = simulate(net, inputs, until=UNTIL, engine="nest", resolution=h, threads=2)
    assert one == two


@st.composite
def discrete_nest_setups(draw):
    """A random discrete network NEST's grid neuron runs as evsim does: IF without bias, LIF with v_rest = 0,
    hard resets, refractory periods and delays of whole steps, dyadic weights, inputs (some analog) on steps."""
    dt = draw(st.sampled_from([1.0, 0.5, 0.1]))
    n, m = draw(st.integers(1, 6)), draw(st.integers(1, 2))
    neurons = {}
    for i in range(n):
        threshold = dyadic(draw, 0.5, 2.0)
        params = {"threshold": threshold, "v_init": dyadic(draw, -0.5, threshold + 0.5),
                  "reset": draw(st.sampled_from(["zero", dyadic(draw, -0.5, threshold - 2**-6)])),
                  "refractory": dt * draw(st.integers(0, 4)), "single_spike": draw(st.integers(0, 9)) == 0}
        if draw(st.booleans()):
            neurons[f"n{i}"] = IF(**params)
        else:
            neurons[f"n{i}"] = LIF(tau=draw(st.floats(1.0, 50.0)), bias=dyadic(draw, -0.05, 0.15, bits=10), **params)
    assume(all(m_.reset_potential is None or m_.reset_potential < m_.threshold for m_ in neurons.values()))
    neurons |= {f"in{j}": Input() for j in range(m)}
    synapses = [Synapse(f"n{i}", f"n{j}", dyadic(draw, -1.5, 1.5), dt * draw(st.integers(1, 6)))
                for i in range(n) for j in range(n) if draw(st.integers(0, 3)) == 0]
    inputs = {}
    for j in range(m):
        for i in draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True)):
            synapses.append(Synapse(f"in{j}", f"n{i}", dyadic(draw, 0.25, 1.5), dt * draw(st.integers(1, 6))))
        steps = sorted(draw(st.sets(st.integers(0, 59), max_size=15)))
        times = [round(k * dt, 9) for k in steps]
        inputs[f"in{j}"] = (Analog(times, [dyadic(draw, -1.0, 2.0) for _ in times]) if draw(st.booleans())
                            else times)
    net = Network(neurons, synapses, outputs={f"n{i}" for i in range(n)}, dt=dt)
    note(f"neurons {neurons}\nsynapses {synapses}\ninputs {inputs}")
    return net, inputs, dt


@given(discrete_nest_setups())
def test_nest_gives_evsims_discrete_record_bit_for_bit(setup):
    """Law: a discrete network NEST can run (iaf_psc_delta at resolution dt, where the mapping finds an I_e whose
    P30·I_e is the bias and both exp agree) gives evsim's record exactly: the same neurons, steps and values."""
    net, inputs, dt = setup
    try:
        nest_record = simulate(net, inputs, until=60 * dt, engine="nest")
    except ValidationError as refusal:
        assume("no I_e" not in str(refusal) and "exp" not in str(refusal))
        raise
    assert nest_record == simulate(net, inputs, until=60 * dt)


def test_nests_grid_potential_is_evsims_step_by_step():
    """NEST's multimeter (V_m after each step) against evsim's potential at each step, bit for bit, for LIFs with
    decimal parameters (at most two arrivals at a time, so the sum has one order)."""
    net = Network({"x": Input(), "a": LIF(tau=7.3, bias=0.0625, reset=0.1, refractory=3.0, threshold=1.2),
                   "b": LIF(tau=13.0, bias=-0.03125, reset="zero", threshold=0.9, v_init=0.3)},
                  [Synapse("x", "a", 0.37, 1.0), Synapse("a", "b", 0.61, 2.0), Synapse("x", "b", 0.29, 3.0)],
                  outputs={"a", "b"}, dt=1.0)
    inputs = {"x": [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 18]}
    record = simulate(net, inputs, until=30, probes=["a", "b"])
    nodes = to_nest(net, inputs)
    meter = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["V_m"]})
    nest.Connect(meter, nest.NodeCollection(sorted([nodes.ids[1], nodes.ids[2]])))
    nest.Simulate(31.0)
    events = meter.get("events")
    for name, column in (("a", 1), ("b", 2)):
        mine = events["senders"] == nodes.ids[column]
        nest_v = np.asarray(events["V_m"])[mine][np.argsort(events["times"][mine])][:30]
        evsim_v = record.potentials[name].sample(np.arange(30.0))
        assert np.array_equal(nest_v, evsim_v), (name, np.flatnonzero(nest_v != evsim_v)[:3])
    assert record.counts()["a"] >= 2 and record.counts()["b"] >= 1


# -- the mapping's edge cases, one by one ------------------------------------------------------------

def chain(neuron, synapses, outputs=("y",)):
    names = {s.source for s in synapses if s.source.startswith("x")}
    return Network({**{n: Input() for n in sorted(names)}, "y": neuron}, synapses, outputs=set(outputs), dt=None)


def test_an_arrival_at_the_very_end_of_refractoriness_counts_in_both():
    """y fires at 1.3 (x0 at 1.0 + 0.3), is refractory for 0.5 ms: x1's arrival at exactly 1.8 counts
    (and fires y), x1's at 1.7 (one step before the end) is dropped."""
    y = LIF(tau=20.0, reset=0.0, refractory=0.5)
    net = chain(y, [Synapse("x0", "y", 1.0, 0.3), Synapse("x1", "y", 1.0, 0.1)])
    for late, fired in ((1.7, [1.3, 1.8]), (1.6, [1.3])):
        records = both(net, {"x0": [1.0], "x1": [late]}, 0.1)
        assert_same_spikes(*records)
        assert records[1].trains()["y"].tolist() == fired


def test_simultaneous_excitation_and_inhibition_are_summed_in_both():
    """+1 (0.3 + 0.1) and -1 (0.1 + 0.3) arrive at one instant 0.4: summed, y stays silent; 0.2 ms apart
    the excitation alone fires it."""
    net = chain(LIF(tau=20.0, reset=0.0, refractory=0.5), [Synapse("x0", "y", 1.0, 0.1),
                                                            Synapse("x1", "y", -1.0, 0.3)])
    together = both(net, {"x0": [0.3], "x1": [0.1]}, 0.1)
    assert_same_spikes(*together)
    assert together[1].counts()["y"] == 0
    apart = both(net, {"x0": [0.3], "x1": [0.3]}, 0.1)
    assert_same_spikes(*apart)
    assert apart[1].trains()["y"].tolist() == [0.4]


def test_a_drift_crossing_is_the_same_closed_form_in_both():
    """A LIF driven by its bias alone fires periodically; the times agree to far better than 1e-9 ms."""
    net = Network({"y": LIF(tau=10.0, bias=0.15, reset=0.0, refractory=0.5)}, [], outputs={"y"}, dt=None)
    ev, ns = both(net, {}, 0.1)
    assert ev.counts()["y"] >= 3
    assert np.max(np.abs(ev.trains()["y"] - ns.trains()["y"])) < 1e-12


def test_an_if_neuron_without_bias_integrates_without_leak_in_both():
    """0.5 at 1 ms and 0.5 at 39 ms reach the threshold 1.0 exactly: no leak at all (tau_m = 1e30 in NEST)."""
    net = chain(IF(reset=0.0, refractory=0.5), [Synapse("x0", "y", 0.5, 0.5)])
    ev, ns = both(net, {"x0": [1.0, 39.0]}, 0.5)
    assert ev.trains()["y"].tolist() == ns.trains()["y"].tolist() == [39.5]


def test_single_spike_neurons_fire_once_in_both():
    net = chain(IF(reset="subtract", single_spike=True), [Synapse("x0", "y", 1.0, 0.5)])
    ev, ns = both(net, {"x0": [1.0, 2.0, 3.0]}, 0.1)
    assert_same_spikes(ev, ns)
    assert ns.trains()["y"].tolist() == [1.5]


def test_analog_inputs_scale_the_weights_in_both():
    net = chain(IF(reset=0.0, refractory=0.5), [Synapse("x0", "y", 0.5, 0.5)])
    inputs = {"x0": Analog([1.0, 2.0, 3.0], [1.5, 2.0, -3.0])}
    ev, ns = both(net, inputs, 0.1)
    assert ev == ns or assert_same_spikes(ev, ns) is None
    assert ns.trains()["y"].tolist() == [2.5] and ns.value[ns.neuron == 0].tolist() == [1.5, 2.0, -3.0]


def test_the_record_is_evsims_record():
    """Same type, names, order (time, rank, neuron), values and recorded neurons."""
    net = chain(LIF(tau=20.0, reset=0.0, refractory=0.5), [Synapse("x0", "y", 1.0, 0.5)])
    ev = simulate(net, {"x0": [0.25, 1.0]}, until=5.0, recorded={"y"})
    ns = simulate(net, {"x0": [0.25, 1.0]}, until=5.0, recorded={"y"}, engine="nest")
    assert ev == ns and ns.recorded == ("y",) and list(ns.trains()) == ["y"]
    full = simulate(net, {"x0": [0.25, 1.0]}, until=5.0, engine="nest")
    assert full == simulate(net, {"x0": [0.25, 1.0]}, until=5.0)


def test_to_nest_returns_the_nodes_by_name():
    net = chain(LIF(tau=20.0, reset=0.0, refractory=0.5), [Synapse("x0", "y", 1.0, 0.5)])
    nodes = to_nest(net, {"x0": [1.0]})
    assert set(nodes) == {"x0", "y"} and nodes.resolution == 0.5
    assert nodes["y"].get("model") == "iaf_psc_delta_ps" and nodes["x0"].get("model") == "spike_generator"
    assert nodes["y"].get("tau_m") == 20.0 and nodes["y"].get("t_ref") == 0.5
    assert nest.GetConnections(nodes["x0"], nodes["y"]).get("delay") == 0.5


def test_a_crossing_that_meets_an_arrival_is_one_update_in_evsim_and_a_spike_first_in_nest():
    """The one difference the mapping cannot refuse ahead of time. n0 fires at 1.5009765625 (input), then by its
    bias at 1.5009765625 + 0.25 + w and, after an input spike at 3.0009765625, at 3.0009765625 + 0.25 + w: the
    same wait w from the same reset. Its self-inhibition (delay 1.5) carries the first onto the second exactly.
    evsim sums them (θ − 0.015625: no spike, as the exact dynamics say); NEST reaches the arrival with V >= θ
    by rounding and fires first."""
    n0 = LIF(tau=14.0, threshold=0.5, bias=0.06640625, reset=0.46875, refractory=0.25)
    net = Network({"n0": n0, "in1": Input(), "in2": Input()},
                  [Synapse("n0", "n0", -0.015625, 1.5), Synapse("in1", "n0", 0.25, 3.0),
                   Synapse("in2", "n0", 0.40625, 1.5)], outputs={"n0"}, dt=None)
    inputs = {"in1": [2**-10], "in2": [2**-10]}
    ev = simulate(net, inputs, until=4.5)
    ns = simulate(net, inputs, until=4.5, engine="nest", resolution=0.25)
    assert crossing_meets_arrival(net, inputs, until=4.5)
    assert ev.counts()["n0"] == 3 and ns.counts()["n0"] == 4
    assert abs(ns.trains()["n0"][3] - (ev.trains()["n0"][1] + 1.5)) < 1e-12  # the spike that met the inhibition


# -- why the mapping refuses what it refuses: NEST's own behaviour ----------------------------------------

def test_nest_fires_a_neuron_that_starts_above_threshold_after_zero_so_the_mapping_refuses_it():
    """NEST cannot spike at 0: a neuron starting above its threshold fires h*eps later and stays refractory
    h*eps longer, so an arrival at exactly t_ref is dropped where evsim counts it."""
    net = chain(LIF(tau=20.0, v_init=1.5, reset=0.0, refractory=0.5), [Synapse("x0", "y", 1.0, 0.25)])
    ev = simulate(net, {"x0": [0.25]}, until=2.0)
    assert ev.trains()["y"].tolist() == [0.0, 0.5]  # the arrival at exactly 0.5 = t_ref counts in evsim
    nest.ResetKernel()
    nest.resolution = 0.25
    y = nest.Create("iaf_psc_delta_ps", params={"tau_m": 20.0, "C_m": 1.0, "E_L": 0.0, "V_th": 1.0, "V_reset": 0.0,
                                                "t_ref": 0.5, "V_m": 1.5})
    x = nest.Create("spike_generator", params={"precise_times": True, "spike_times": [0.25]})
    nest.Connect(x, y, syn_spec={"weight": 1.0, "delay": 0.25})
    recorder = nest.Create("spike_recorder")
    nest.Connect(y, recorder)
    nest.Simulate(2.0)
    times = recorder.get("events")["times"].tolist()
    assert len(times) == 1 and 0.0 < times[0] < 1e-15  # fired h*eps after 0; the arrival at 0.5 was dropped
    with pytest.raises(ValidationError, match="v_init=1.5 >= threshold=1.0"):
        simulate(net, {"x0": [0.25]}, until=2.0, engine="nest")


def test_nest_separates_arrivals_evsim_sums_when_their_offsets_round_apart_so_the_mapping_refuses_them():
    """Inputs at 0.15 (+0.2 ms) and 0.25 (+0.1 ms) meet at 0.35 in exact time: evsim sums +1 and -1 (silent);
    NEST computes their offsets inside the step as 0.2 - 0.15 and 0.3 - 0.25 in floats, an ulp apart, takes the
    excitation first and fires."""
    net = Network({"a": Input(), "b": Input(), "y": LIF(tau=20.0, reset=0.0, refractory=0.5)},
                  [Synapse("a", "y", 1.0, 0.2), Synapse("b", "y", -1.0, 0.1)], outputs={"y"}, dt=None)
    assert simulate(net, {"a": [0.15], "b": [0.25]}, until=2.0).counts()["y"] == 0
    nest.ResetKernel()
    nest.resolution = 0.1
    y = nest.Create("iaf_psc_delta_ps", params={"tau_m": 20.0, "C_m": 1.0, "E_L": 0.0, "V_th": 1.0, "V_reset": 0.0,
                                                "t_ref": 0.5, "V_m": 0.0})
    a = nest.Create("spike_generator", params={"precise_times": True, "spike_times": [0.15]})
    b = nest.Create("spike_generator", params={"precise_times": True, "spike_times": [0.25]})
    nest.Connect(a, y, syn_spec={"weight": 1.0, "delay": 0.2})
    nest.Connect(b, y, syn_spec={"weight": -1.0, "delay": 0.1})
    recorder = nest.Create("spike_recorder")
    nest.Connect(y, recorder)
    nest.Simulate(2.0)
    assert recorder.get("events")["times"].size == 1
    with pytest.raises(ValidationError, match="offsets inside a step"):
        simulate(net, {"a": [0.15], "b": [0.25]}, until=2.0, engine="nest", resolution=0.1)
