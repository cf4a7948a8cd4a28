"""NIR import/export: round trips, graphs written with nir's own API against a NumPy reference of NIR's
documented dynamics (forward Euler, see evsim.nirio), and typed errors."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given

nir = pytest.importorskip("nir")

import evsim  # noqa: E402
from evsim import ValidationError  # noqa: E402
from evsim.deep import convert, network_inputs, to_network  # noqa: E402
from evsim.deep.runner import encode_batch  # noqa: E402
from evsim.inputs import Analog  # noqa: E402
from evsim.network import Network  # noqa: E402
from evsim.nirio import UnsupportedNode, from_nir, to_nir  # noqa: E402
from evsim.synapses import SynapseTable  # noqa: E402
from evsim.testing import converted_nets, discrete_setups  # noqa: E402


def events(record) -> list[tuple[str, float, float]]:
    """Spikes as (neuron name, time, value), sorted: records of differently ordered networks compare."""
    return sorted((str(record.names[n]), float(t), float(v)) for n, t, v in zip(record.neuron, record.time,
                                                                                record.value))


def dyadic(setup):
    """The setup with weights on a 1/16 grid and analog values on a 1/8 grid, so that every sum of
    arrivals is exact and the order in which simultaneous arrivals are added cannot matter."""
    net, inputs, steps = setup
    t = net.table
    table = SynapseTable(t.source, t.target, np.round(t.weight * 16) / 16, t.delay)
    net = Network(net.neurons, {"source": table.source, "target": table.target, "weight": table.weight,
                                "delay": table.delay}, outputs=net.outputs, dt=net.dt)
    rounded = {name: (times if not isinstance(times, Analog) else Analog(times.times, [round(v * 8) / 8 for v in times.values]))
               for name, times in inputs.items()}
    return net, rounded, steps


@given(discrete_setups().map(dyadic))
def test_from_nir_of_to_nir_spikes_exactly_as_the_network(setup):
    """Round trip law: from_nir(to_nir(net)) fires the same neurons (by name) at the same times with the
    same values as net, for random IF/LIF networks with delays, zero delays, biases, every reset kind,
    refractoriness, single-spike neurons and analog inputs; the outputs are the same names."""
    net, inputs, steps = setup
    back = from_nir(to_nir(net))
    assert set(back.names) == set(net.names) and back.outputs == net.outputs
    assert events(evsim.simulate(back, inputs, steps)) == events(evsim.simulate(net, inputs, steps))


@given(discrete_setups(cuba=True).map(dyadic))
def test_from_nir_of_to_nir_spikes_exactly_as_the_network_with_cubalif_neurons(setup):
    """Round trip law with CubaLIF neurons among IF/LIF ones: from_nir(to_nir(net)) fires the same neurons at
    the same times with the same values as net (the CubaLIF's decays, biases of membrane and current,
    initial current and reset come back exactly from the evsim_* metadata and the Affine's bias)."""
    net, inputs, steps = setup
    back = from_nir(to_nir(net))
    kinds = lambda network: {name: type(model) for name, model in network.neurons.items()}  # noqa: E731
    assert kinds(back) == kinds(net) and back.outputs == net.outputs
    assert events(evsim.simulate(back, inputs, steps)) == events(evsim.simulate(net, inputs, steps))


@given(converted_nets())
def test_converted_nets_survive_the_nir_round_trip(args):
    """Round trip law for converted nets: from_nir(to_nir(snn)) spikes exactly as to_network(snn), whose
    spikes equal deep.run's (tests/properties/test_deep_laws.py)."""
    ann, thresholds, x, v_init, steps, encoding = args
    snn = convert(ann, thresholds=thresholds, input_shape=x.shape[1:], v_init=v_init)
    net, back = to_network(snn), from_nir(to_nir(snn))
    inputs = network_inputs(encode_batch(x[:1], steps, encoding, rng=1)[:, 0])
    assert events(evsim.simulate(back, inputs, steps)) == events(evsim.simulate(net, inputs, steps))


def test_a_nir_file_round_trip_keeps_every_spike(tmp_path):
    """nir.write then from_nir(path): names (stored as bytes in HDF5), dt and exact parameters survive."""
    net = evsim.Network({"in": evsim.Input(), "a": evsim.IF(threshold=0.7, reset="subtract", v_init=0.2),
                         "b": evsim.LIF(tau=3.0, threshold=0.9, reset=-0.1, refractory=1.0)},
                        [evsim.Synapse("in", "a", 0.6, 0.0), evsim.Synapse("a", "b", 1.1, 2.0),
                         evsim.Synapse("b", "a", -0.4, 1.0)], outputs={"b"}, dt=0.5)
    path = tmp_path / "net.nir"
    nir.write(str(path), to_nir(net))
    back = from_nir(path)
    inputs = {"in": [0.0, 0.5, 1.0, 2.5, 3.0, 4.5]}
    assert back.dt == 0.5 and back.outputs == {"b"}
    assert events(evsim.simulate(back, inputs, 12)) == events(evsim.simulate(net, inputs, 12))
    assert len(events(evsim.simulate(net, inputs, 12))) > 6  # hidden neurons fire: the check is not vacuous


# -- graphs written with nir's own API, against a NumPy reference of NIR's dynamics ----------------------

def euler_lif(v, current, tau, r, v_leak, v_threshold, v_reset, dt):
    """NIR LIF, one forward-Euler step: τ dv/dt = (v_leak − v) + R·I; spike iff v > v_thr; v = v_reset."""
    v = v_leak + (1 - dt / tau) * (v - v_leak) + (dt * r / tau) * current
    spikes = v > v_threshold
    return np.where(spikes, v_reset, v), spikes


def euler_if(v, current, r, v_threshold, v_reset, dt):
    """NIR IF, one forward-Euler step: dv/dt = R·I; spike iff v > v_thr; v = v_reset."""
    v = v + dt * r * current
    spikes = v > v_threshold
    return np.where(spikes, v_reset, v), spikes


def spike_events(name: str, spikes: np.ndarray, dt: float) -> list[tuple[str, float, float]]:
    """(name[i], step·dt, 1.0) for every spike of a (steps, neurons) array."""
    steps, neurons = np.nonzero(spikes)
    return [(f"{name}[{i}]", float(k * dt), 1.0) for k, i in zip(steps, neurons)]


def test_an_affine_lif_affine_lif_graph_runs_as_nir_defines_it():
    """snnTorch/Norse-style chain Affine → LIF → Affine → LIF: every LIF spike equals the NumPy reference
    (dyadic parameters, so both sides compute exactly)."""
    rng = np.random.default_rng(0)
    dt, n_in, n1, n2, steps = 0.5, 5, 6, 4, 30
    w1, b1 = rng.integers(-8, 17, (n1, n_in)) / 16, rng.integers(0, 3, n1) / 16
    w2, b2 = rng.integers(-8, 17, (n2, n1)) / 16, np.zeros(n2)
    lif1 = dict(tau=np.full(n1, 2.0), r=np.full(n1, 2.0), v_leak=np.zeros(n1), v_threshold=np.full(n1, 1.0),
                v_reset=np.zeros(n1))
    lif2 = dict(tau=np.full(n2, 4.0), r=np.full(n2, 1.0), v_leak=np.full(n2, 0.25),
                v_threshold=np.full(n2, 0.5), v_reset=np.full(n2, -0.25))
    graph = nir.NIRGraph.from_list(nir.Affine(weight=w1, bias=b1), nir.LIF(**lif1), nir.Affine(weight=w2, bias=b2),
                                   nir.LIF(**lif2))
    x = (rng.random((steps, n_in)) < 0.4).astype(float)
    v1, v2, s1, s2 = np.zeros(n1), np.zeros(n2), [], []
    for k in range(steps):
        v1, z1 = euler_lif(v1, w1 @ x[k] + b1, dt=dt, **lif1)
        v2, z2 = euler_lif(v2, w2 @ z1 + b2, dt=dt, **lif2)
        s1.append(z1)
        s2.append(z2)
    net = from_nir(graph, dt=dt)
    inputs = {f"input[{i}]": (np.flatnonzero(x[:, i]) * dt).tolist() for i in range(n_in)}
    got = [e for e in events(evsim.simulate(net, inputs, steps * dt)) if e[0].startswith("lif")]
    want = sorted(spike_events("lif", np.array(s1), dt) + spike_events("lif_1", np.array(s2), dt))
    assert got == want and len(spike_events("lif_1", np.array(s2), dt)) > 3
    assert net.outputs == {f"lif_1[{i}]" for i in range(n2)}


def euler_cuba_lif(v, i, current, tau_syn, tau_mem, r, v_leak, v_threshold, v_reset, w_in, dt):
    """NIR CubaLIF, one forward-Euler step, the current first (as snnTorch and Norse step):
    τ_syn di/dt = −i + w_in·I, τ_mem dv/dt = (v_leak − v) + R·i; spike iff v > v_thr; v = v_reset."""
    i = (1 - dt / tau_syn) * i + (dt * w_in / tau_syn) * current
    v = v_leak + (1 - dt / tau_mem) * (v - v_leak) + (dt * r / tau_mem) * i
    spikes = v > v_threshold
    return np.where(spikes, v_reset, v), i, spikes


def test_an_affine_cubalif_affine_cubalif_graph_runs_as_nir_defines_it():
    """Affine → CubaLIF → Affine → CubaLIF with per-neuron time constants, w_in and R not 1, v_leak and v_reset
    not 0, and Affine biases (a constant input to the current): every spike equals the NumPy reference, and
    the potentials too (dyadic parameters with gains 1 and 1/2, so both sides compute exactly)."""
    rng = np.random.default_rng(2)
    dt, n_in, n1, n2, steps = 1.0, 5, 6, 4, 20
    w1, b1 = rng.integers(-8, 17, (n1, n_in)) / 16, rng.integers(-2, 3, n1) / 32
    w2, b2 = rng.integers(-8, 17, (n2, n1)) / 16, rng.integers(-2, 3, n2) / 32
    cuba1 = dict(tau_syn=np.tile([2.0, 4.0], n1 // 2), tau_mem=np.tile([4.0, 2.0], n1 // 2),
                 r=np.tile([4.0, 2.0], n1 // 2), w_in=np.tile([2.0, 4.0], n1 // 2), v_leak=np.zeros(n1),
                 v_threshold=np.full(n1, 1.0), v_reset=np.zeros(n1))
    cuba2 = dict(tau_syn=np.full(n2, 2.0), tau_mem=np.full(n2, 4.0), r=np.full(n2, 2.0), w_in=np.full(n2, 2.0),
                 v_leak=np.full(n2, 0.25), v_threshold=np.full(n2, 0.5), v_reset=np.full(n2, -0.25))
    graph = nir.NIRGraph.from_list(nir.Affine(weight=w1, bias=b1), nir.CubaLIF(**cuba1),
                                   nir.Affine(weight=w2, bias=b2), nir.CubaLIF(**cuba2))
    x = (rng.random((steps, n_in)) < 0.5).astype(float)
    v1, i1, v2, i2, s1, s2, vs = np.zeros(n1), np.zeros(n1), np.zeros(n2), np.zeros(n2), [], [], []
    for k in range(steps):
        v1, i1, z1 = euler_cuba_lif(v1, i1, w1 @ x[k] + b1, dt=dt, **cuba1)
        v2, i2, z2 = euler_cuba_lif(v2, i2, w2 @ z1 + b2, dt=dt, **cuba2)
        s1.append(z1)
        s2.append(z2)
        vs.append(np.concatenate([v1, v2]))
    net = from_nir(graph, dt=dt)
    inputs = {f"input[{i}]": (np.flatnonzero(x[:, i]) * dt).tolist() for i in range(n_in)}
    names = [f"cubalif[{j}]" for j in range(n1)] + [f"cubalif_1[{j}]" for j in range(n2)]
    record = evsim.simulate(net, inputs, steps * dt, probes=names)
    got = [e for e in events(record) if e[0].startswith("cubalif")]
    want = sorted(spike_events("cubalif", np.array(s1), dt) + spike_events("cubalif_1", np.array(s2), dt))
    assert got == want and len(spike_events("cubalif", np.array(s1), dt)) > 5 and np.array(s2).sum() > 3
    potentials = np.array([record.potentials[name].sample(np.arange(steps) * dt) for name in names]).T
    assert np.array_equal(potentials, np.array(vs))


def conv_reference(image, weight, bias):
    """Zero-padded (padding 1), stride-1 2-D convolution by explicit sliding windows: (C, H, W) → (O, H, W)."""
    c, h, w = image.shape
    padded = np.pad(image, ((0, 0), (1, 1), (1, 1)))
    out = np.zeros((weight.shape[0], h, w))
    for o in range(weight.shape[0]):
        for y in range(h):
            for q in range(w):
                out[o, y, q] = np.sum(padded[:, y:y + 3, q:q + 3] * weight[o]) + bias[o]
    return out


def test_a_conv_if_sumpool_flatten_affine_graph_runs_as_nir_defines_it():
    """Conv2d → IF → SumPool2d → Flatten → Affine → Output: IF spikes equal the reference, and the read-out
    accumulators hold the running sum of the Affine's output (the documented Output rule)."""
    rng = np.random.default_rng(1)
    dt, steps, shape = 1.0, 12, (1, 6, 6)
    conv_w, conv_b = rng.integers(-4, 9, (2, 1, 3, 3)) / 8, np.array([0.0, 0.125])
    aff_w, aff_b = rng.integers(-4, 5, (3, 18)) / 4, np.array([0.5, 0.0, -0.25])
    if_params = dict(r=np.ones((2, 6, 6)), v_threshold=np.full((2, 6, 6), 1.0), v_reset=np.zeros((2, 6, 6)))
    nodes = {"input": nir.Input(input_type={"input": np.array(shape)}),
             "conv": nir.Conv2d(input_shape=(6, 6), weight=conv_w, stride=1, padding=1, dilation=1, groups=1,
                                bias=conv_b),
             "spiking": nir.IF(**if_params),
             "pool": nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
             "flat": nir.Flatten(input_type={"input": np.array([2, 3, 3])}, start_dim=0),
             "fc": nir.Affine(weight=aff_w, bias=aff_b),
             "output": nir.Output(output_type={"output": np.array([3])})}
    edges = [("input", "conv"), ("conv", "spiking"), ("spiking", "pool"), ("pool", "flat"), ("flat", "fc"),
             ("fc", "output")]
    graph = nir.NIRGraph(nodes, edges, type_check=False)
    images = rng.integers(0, 9, (steps, *shape)) / 8  # analog input, a new image every step
    v, spikes, total, totals = np.zeros((2, 6, 6)), [], np.zeros(3), []
    for k in range(steps):
        v, z = euler_if(v, conv_reference(images[k], conv_w, conv_b), dt=dt, **if_params)
        pooled = z.reshape(2, 3, 2, 3, 2).sum(axis=(2, 4))
        total = total + (aff_w @ pooled.reshape(-1) + aff_b)
        spikes.append(z.reshape(-1))
        totals.append(total)
    net = from_nir(graph, dt=dt)
    flat = images.reshape(steps, -1)
    inputs = {f"input[{i}]": Analog(np.arange(steps) * dt, flat[:, i]) for i in range(flat.shape[1])}
    record = evsim.simulate(net, inputs, steps * dt, probes=[f"output[{j}]" for j in range(3)])
    got = [e for e in events(record) if e[0].startswith("spiking")]
    assert got == sorted(spike_events("spiking", np.array(spikes), dt)) and len(got) > 20
    for j in range(3):
        trace = record.potentials[f"output[{j}]"]
        assert np.array_equal(trace.sample(np.arange(steps) * dt), np.array(totals)[:, j])
    assert net.outputs == {f"output[{j}]" for j in range(3)}


def test_nested_graphs_and_delays_become_one_composed_network():
    """A subgraph (Input → Affine → IF → Output) used twice, joined by a Delay of 2 dt: the second copy fires
    exactly 2 steps after the first, with names prefixed by the subgraph's node name."""
    def block():
        return nir.NIRGraph.from_list(nir.Affine(weight=np.eye(2), bias=np.zeros(2)),
                                      nir.IF(r=np.ones(2), v_threshold=np.full(2, 0.5), v_reset=np.zeros(2)))
    nodes = {"input": nir.Input(input_type={"input": np.array([2])}), "first": block(), "second": block(),
             "wait": nir.Delay(delay=np.full(2, 2.0)), "output": nir.Output(output_type={"output": np.array([2])})}
    edges = [("input", "first"), ("first", "wait"), ("wait", "second"), ("second", "output")]
    net = from_nir(nir.NIRGraph(nodes, edges, type_check=False), dt=1.0)
    record = evsim.simulate(net, {"input[0]": [0.0, 3.0], "input[1]": [1.0]}, 8)
    fired = {(name, t) for name, t, _ in events(record)}
    assert {("first.if[0]", 0.0), ("first.if[0]", 3.0), ("first.if[1]", 1.0)} <= fired
    assert {("second.if[0]", 2.0), ("second.if[0]", 5.0), ("second.if[1]", 3.0)} <= fired
    assert net.outputs == {"second.if[0]", "second.if[1]"}


# -- errors ------------------------------------------------------------------------------------------------

def test_an_unsupported_node_is_named_with_its_path():
    inner = nir.NIRGraph.from_list(nir.LI(tau=np.ones(2), r=np.ones(2), v_leak=np.zeros(2)))
    graph = nir.NIRGraph({"input": nir.Input(input_type={"input": np.array([2])}), "sub": inner,
                          "output": nir.Output(output_type={"output": np.array([2])})},
                         [("input", "sub"), ("sub", "output")], type_check=False)
    with pytest.raises(UnsupportedNode, match=r"'sub\.li' is a LI"):
        from_nir(graph)


@pytest.mark.parametrize("make, message", [
    (lambda: nir.NIRGraph.from_list(nir.Linear(weight=np.eye(2)), nir.LIF(
        tau=np.full(2, 0.5), r=np.ones(2), v_leak=np.zeros(2), v_threshold=np.ones(2))), "tau > dt"),
    (lambda: nir.NIRGraph.from_list(nir.Linear(weight=np.eye(2)), nir.Delay(delay=np.full(2, 0.5)), nir.IF(
        r=np.ones(2), v_threshold=np.ones(2))), "multiples of dt"),
    (lambda: nir.NIRGraph({"input": nir.Input(input_type={"input": np.array([2])}),
                           "w": nir.Linear(weight=np.ones((2, 3))), "n": nir.IF(r=np.ones(2), v_threshold=np.ones(2))},
                          [("input", "w"), ("w", "n")], type_check=False), "'w': weight of shape"),
    (lambda: nir.NIRGraph.from_list(nir.Linear(weight=np.ones((3, 2))), nir.IF(
        r=np.ones(2), v_threshold=np.ones(2)), type_check=False), "'if' has 2 neurons but receives 3"),
])
def test_graphs_evsim_cannot_run_faithfully_are_refused_with_the_node_named(make, message):
    with pytest.raises(ValidationError, match=message):
        from_nir(make(), dt=1.0)


def test_a_loop_of_linear_nodes_is_refused_with_the_cycle_named():
    nodes = {"input": nir.Input(input_type={"input": np.array([1])}), "a": nir.Linear(weight=np.ones((1, 1))),
             "b": nir.Linear(weight=np.ones((1, 1))), "n": nir.IF(r=np.ones(1), v_threshold=np.ones(1)),
             "output": nir.Output(output_type={"output": np.array([1])})}
    edges = [("input", "a"), ("a", "b"), ("b", "a"), ("b", "n"), ("n", "output")]
    with pytest.raises(ValidationError, match="cycle with no neuron on it: b → a → b|a → b → a"):
        from_nir(nir.NIRGraph(nodes, edges, type_check=False), dt=1.0)


def test_a_corrupt_nir_file_is_named(tmp_path):
    path = tmp_path / "broken.nir"
    path.write_bytes(b"not an HDF5 file")
    with pytest.raises(ValidationError, match="broken.nir: not a readable NIR file"):
        from_nir(path)


def test_stochastic_neurons_and_continuous_networks_are_refused_by_to_nir():
    lm = evsim.Network({"x": evsim.Input(), "s": evsim.Stochastic(0.0, 1.0)}, [evsim.Synapse("x", "s", 1.0, 1.0)],
                       outputs={"s"}, dt=1.0)
    with pytest.raises(UnsupportedNode, match="'s' is a Stochastic"):
        to_nir(lm)
    continuous = evsim.Network({"x": evsim.Input(), "a": evsim.LIF()}, [evsim.Synapse("x", "a", 1.0, 1.0)],
                               outputs={"a"}, dt=None)
    with pytest.raises(ValidationError, match="continuous time"):
        to_nir(continuous)


@pytest.mark.parametrize("one", [lambda v: np.array(v), lambda v: np.array([v])], ids=["shape ()", "shape (1,)"])
def test_one_parameter_value_for_a_whole_layer_is_broadcast_to_its_width(one):
    """Exporters write one value for a layer (snnTorch's ``Leaky(beta=0.9)``; Norse's parameters of shape
    ``()``): the node takes the width of its input and runs exactly as with the value written per neuron."""
    rng = np.random.default_rng(1)
    dt, n_in, n1, n2, steps = 0.5, 5, 6, 4, 30
    w1, w2 = rng.integers(-8, 17, (n1, n_in)) / 16, rng.integers(0, 17, (n2, n1)) / 4
    per_neuron = [dict(tau=2.0, r=2.0, v_leak=0.0, v_threshold=1.0, v_reset=0.0),
                  dict(tau=4.0, r=1.0, v_leak=0.25, v_threshold=0.5, v_reset=-0.25)]

    def graph(widths, value):
        return nir.NIRGraph.from_list(
            nir.Linear(weight=w1), nir.LIF(**{k: value(v, widths[0]) for k, v in per_neuron[0].items()}),
            nir.Linear(weight=w2), nir.LIF(**{k: value(v, widths[1]) for k, v in per_neuron[1].items()}),
            type_check=False)

    wide = from_nir(graph((n1, n2), lambda v, n: np.full(n, v)), dt=dt)
    narrow = from_nir(graph((n1, n2), lambda v, n: one(v)), dt=dt)
    assert narrow == wide and len(narrow.names) == n_in + n1 + n2
    x = rng.random((steps, n_in)) < 0.4
    inputs = {f"input[{i}]": (np.flatnonzero(x[:, i]) * dt).tolist() for i in range(n_in)}
    assert events(evsim.simulate(narrow, inputs, steps * dt)) == events(evsim.simulate(wide, inputs, steps * dt))
    fired = {e[0].split("[")[0] for e in events(evsim.simulate(narrow, inputs, steps * dt))}
    assert {"lif", "lif_1"} <= fired, fired


def test_a_graph_that_does_not_say_its_time_step_is_refused_naming_the_exporters_usual_values():
    """NIR has no dt field: a file from snnTorch or Norse needs dt=, and the error says which they mean."""
    graph = nir.NIRGraph.from_list(nir.Linear(weight=np.eye(2)), nir.IF(r=np.ones(2), v_threshold=np.ones(2)))
    with pytest.raises(ValidationError, match=r"does not say its time step .* snnTorch .* dt=1e-4; Norse .* dt=1e-6"):
        from_nir(graph)
    assert len(from_nir(graph, dt=1e-3).names) == 4


@pytest.mark.parametrize("graph, dt, says", [
    (lambda: nir.NIRGraph.from_list(nir.Linear(weight=np.eye(2)), nir.LI(tau=np.ones(2), r=np.ones(2),
                                                                          v_leak=np.zeros(2))),
     1e-3, [r"'li' is a LI", r"end the model with its Affine/Linear"]),
    (lambda: nir.NIRGraph.from_list(nir.Linear(weight=np.eye(2)), nir.Threshold(threshold=np.ones(2))),
     1e-3, [r"'threshold' is a Threshold", r"Replace it in the model"]),
    (lambda: nir.NIRGraph.from_list(nir.Linear(weight=np.eye(2)), nir.IF(r=np.ones(2), v_threshold=np.ones(2))),
     None, [r"does not say its time step", r"give dt="]),
    (lambda: nir.NIRGraph(nodes={"input": nir.Input(input_type={"input": np.array([2])}),
                                 "if": nir.IF(r=np.ones(2), v_threshold=np.ones(2)),
                                 "back": nir.Linear(weight=np.eye(2))},
                          edges=[("input", "if"), ("if", "back"), ("back", "if")], type_check=False),
     1e-3, [r"loop without a Delay node", r"if\[0\] -> if\[0\]", r"loop_delay=True", r"nir.Delay"]),
])
def test_every_refused_graph_names_the_node_and_the_fix(graph, dt, says):
    """Law: a graph from_nir refuses (an unsupported node, no dt, a loop without a delay) is a typed error
    whose message names the node (or the loop) and says how to fix it."""
    with pytest.raises(ValidationError) as refused:
        from_nir(graph(), dt=dt)
    for said in says:
        assert re.search(said, str(refused.value)), (said, str(refused.value))


def test_a_subtract_reset_takes_v_threshold_itself_off_an_if_node():
    """reset="subtract" removes the file's v_threshold (what snnTorch subtracts), not evsim's θ one float above it."""
    graph = nir.NIRGraph.from_list(nir.Linear(weight=np.eye(2)), nir.IF(r=np.ones(2), v_threshold=np.full(2, 0.3)))
    model = from_nir(graph, dt=1.0, reset="subtract").neurons["if[0]"]
    assert model.threshold == np.nextafter(0.3, 1.0) and model.reset_amount == 0.3
