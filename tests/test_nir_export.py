"""The layout to_nir writes: one NIR node per population, no zero-delay loops, converted nets op by op."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

nir = pytest.importorskip("nir")

import evsim  # noqa: E402
from evsim.deep import convert, to_network  # noqa: E402
from evsim.deep.layers import AvgPool2d, Conv2d, Dense, Flatten, ReLU, Sequential  # noqa: E402
from evsim.nirio import from_nir, to_nir  # noqa: E402
from evsim.nirio.write import below, populations  # noqa: E402
from evsim.testing import converted_nets, discrete_setups  # noqa: E402

NEURON_NODES = ("IF", "LIF", "Input")


def kinds(graph) -> dict[str, str]:
    return {name: type(node).__name__ for name, node in graph.nodes.items()}


def trains(record) -> dict[str, list[float]]:
    return {name: times.tolist() for name, times in record.trains().items()}


def zero_delay_successors(graph, start: str) -> set[str]:
    """Neuron nodes reached from ``start`` along edges through linear nodes other than Delay."""
    kind, found, stack, seen = kinds(graph), set(), [start], set()
    while stack:
        node = stack.pop()
        for src, dst in graph.edges:
            if src != node or dst in seen:
                continue
            seen.add(dst)
            if kind[dst] in NEURON_NODES:
                found.add(dst)
            elif kind[dst] not in ("Delay", "Output"):
                stack.append(dst)
    return found


@given(discrete_setups())
def test_no_node_feeds_itself_within_a_step_and_each_holds_one_kind(setup):
    """Law: in to_nir(net), no neuron node reaches itself through linear nodes without a Delay, each
    neuron node holds neurons of one kind, no zero-delay synapse joins two neurons of one node, and the
    nodes hold every neuron once."""
    net = setup[0]
    graph = to_nir(net)
    members = populations(net)
    assert sorted(np.concatenate(list(members.values())).tolist()) == list(range(len(net.names)))
    for name, idx in members.items():
        assert name not in zero_delay_successors(graph, name)
        assert len({type(net.neurons[net.names[i]]) for i in idx}) == 1
    node_of = {int(i): name for name, idx in members.items() for i in idx}
    zero = net.table.delay == 0
    assert all(node_of[int(s)] != node_of[int(t)] for s, t in zip(net.table.source[zero], net.table.target[zero]))


def two_layers(delay: float, kind=evsim.IF) -> evsim.Network:
    rng = np.random.default_rng(3)
    neurons = {f"x{i}": evsim.Input() for i in range(4)}
    neurons.update({f"h{j}": kind(threshold=1.0, reset="zero") for j in range(5)})
    neurons.update({f"y{k}": kind(threshold=1.0, reset="zero") for k in range(3)})
    synapses = [evsim.Synapse(f"x{i}", f"h{j}", float(rng.uniform(0, 1)), delay) for i in range(4) for j in range(5)]
    synapses += [evsim.Synapse(f"h{j}", f"y{k}", float(rng.uniform(0, 1)), delay) for j in range(5) for k in range(3)]
    return evsim.Network(neurons, synapses, outputs={f"y{k}" for k in range(3)}, dt=1.0)


@pytest.mark.parametrize("delay", [0.0, 1.0, 2.0])
@pytest.mark.parametrize("kind", [evsim.IF, evsim.LIF])
def test_a_hand_built_two_layer_net_is_two_nodes_joined_by_one_edge(delay, kind):
    """Each layer is one node; layer 1 → layer 2 is one Linear (+ a Delay only for a positive delay); the
    output node reads layer 2 directly (so importers see its spikes); the round trip keeps every spike."""
    net = two_layers(delay, kind)
    graph = to_nir(net)
    label = "if" if kind is evsim.IF else "lif"
    neuron_nodes = [name for name, k in kinds(graph).items() if k in ("IF", "LIF")]
    assert neuron_nodes == [f"{label}_1", f"{label}_2"]
    assert graph.nodes[f"{label}_1"].v_threshold.shape == (5,)
    delays = [name for name, k in kinds(graph).items() if k == "Delay"]
    assert len(delays) == (2 if delay else 0)
    assert (f"{label}_2", "output") in graph.edges
    inputs = {f"x{i}": [0.0, 1.0, 3.0, 4.0] for i in range(4)}
    back = from_nir(graph)
    want = trains(evsim.simulate(net, inputs, 12))
    assert trains(evsim.simulate(back, inputs, 12)) == want and sum(map(len, want.values())) > 10


def test_a_net_from_to_network_has_one_if_node_per_spiking_layer():
    """to_network's expansion of a converted net (all synapses zero-delay) exports as one IF node per
    spiking layer, and the converted net itself as its ops (Linear → IF → Linear → IF → Linear → Output:
    the biases are zero)."""
    rng = np.random.default_rng(0)
    ann = Sequential([Dense(6, 8, rng=1), ReLU(), Dense(8, 5, rng=2), ReLU(), Dense(5, 3, rng=3)])
    snn = convert(ann, calibration=rng.random((50, 6)))
    flat = to_nir(to_network(snn))
    assert [name for name, k in kinds(flat).items() if k == "IF"] == ["if_1", "if_2", "if_3"]  # out: a 3rd IF
    graph = to_nir(snn)
    assert list(kinds(graph).values()) == ["Input", "Linear", "IF", "Linear", "IF", "Linear", "Output"]
    assert graph.edges == [("input", "L0_op0"), ("L0_op0", "L0"), ("L0", "L1_op0"), ("L1_op0", "L1"),
                           ("L1", "out_op0"), ("out_op0", "output")]
    # the threshold a spike carries is folded into the next layer's weights
    assert np.array_equal(graph.nodes["L1_op0"].weight, ann.layers[2].params["W"] * snn.layers[0].theta)


def converted_conv_net(k: int, size: int, pool_first: bool):
    """Conv2d → IF → AvgPool2d(k) → Flatten → Dense → IF → Dense with float weights; or, with
    ``pool_first`` false, the pooling after the convolution (in the same group)."""
    rng = np.random.default_rng(k)
    tail = [Flatten(), Dense(2 * (size // k) ** 2, 4, rng=2), ReLU(), Dense(4, 3, rng=3)]
    layers = ([Conv2d(1, 2, 3, padding=1, rng=1), ReLU(), AvgPool2d(k)] if pool_first else
              [Conv2d(1, 2, 3, padding=1, rng=1), AvgPool2d(k), ReLU()]) + tail
    for layer in layers:
        layer.params = {key: rng.normal(size=v.shape) for key, v in layer.params.items()}
    snn = convert(Sequential(layers), thresholds=[0.7, 1.3], input_shape=(1, size, size))
    return snn, rng.random((6, size * size))


@pytest.mark.parametrize("k, size, pool_first, expected", [
    (2, 4, True, ["Input", "Conv2d", "IF", "SumPool2d", "Flatten", "Affine", "IF", "Affine", "Output"]),
    (3, 6, True, ["Input", "Conv2d", "IF", "SumPool2d", "Flatten", "Affine", "IF", "Affine", "Output"]),
    (2, 4, False, ["Input", "Flatten", "Affine", "IF", "Flatten", "Affine", "IF", "Affine", "Output"]),
])
def test_a_converted_conv_net_is_written_op_by_op_where_that_reads_back_exactly(k, size, pool_first, expected):
    """Average pooling before the weighted op is written as SumPool2d with 1/k² folded into the weights
    (exact for any k, float weights); pooling after the weighted op is not, so every group becomes one
    Affine; both read back spike for spike as to_network."""
    snn, x = converted_conv_net(k, size, pool_first)
    graph = to_nir(snn)
    assert list(kinds(graph).values()) == expected
    inputs = {f"in{i}": evsim.Analog(list(range(6)), x[:, i].tolist()) for i in range(size * size)}
    got = trains(evsim.simulate(from_nir(graph), inputs, 6))
    want = trains(evsim.simulate(to_network(snn), inputs, 6))
    assert {n: t for n, t in got.items() if t} == {n: t for n, t in want.items() if t}
    assert sum(map(len, want.values())) > 10


@given(converted_nets())
def test_converted_nets_are_written_op_by_op(args):
    """Law: the dyadic nets of evsim.testing.converted_nets are written op by op (never the fallback), so
    the round-trip law in tests/test_nir.py covers the layer-wise form."""
    ann, thresholds, x, v_init, steps, encoding = args
    snn = convert(ann, thresholds=thresholds, input_shape=x.shape[1:], v_init=v_init)
    node_kinds = list(kinds(to_nir(snn)).values())
    assert node_kinds.count("IF") == len(snn.thresholds)
    assert "Conv2d" in node_kinds or "Conv2d" not in {type(op).__name__ for layer in snn.layers for op in layer.ops}
    assert sum(k in ("Affine", "Linear") for k in node_kinds) == sum(
        isinstance(op, Dense) for layer in snn.layers for op in layer.ops)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.floats(-1e6, 1e6, allow_nan=False, width=32))
def test_the_written_threshold_makes_a_float32_readers_strict_test_evsims(theta, v):
    """Law: for every float32 potential v, v > below(θ) (NIR's test, as float32 readers evaluate it) holds
    exactly when v >= θ (evsim's test)."""
    written = below(np.array([theta]))[0]
    assert (np.float32(v) > np.float32(written)) == (float(np.float32(v)) >= theta)


@pytest.mark.parametrize("kind", ["if", "lif"])
def test_the_standard_fields_alone_run_a_hard_reset_net_as_evsim_does(kind):
    """What other readers see: with evsim's metadata removed, from_nir of to_nir(net) — NIR's own
    equations on the standard fields — spikes as net, for IF and LIF (β = 3/4, v_rest ≠ 0) layers with a hard
    reset and v(0) = 0 (NIR has no initial potential)."""
    rng = np.random.default_rng(7)
    def model(j):
        bias = float(2 * rng.integers(-2, 2) + 1) / 32
        if kind == "if":
            return evsim.IF(threshold=1.0, reset="zero", bias=bias)
        return evsim.LIF.from_beta(0.75, threshold=1.0, reset=0.25, v_rest=0.125, v_init=0.0, bias=bias)
    neurons = {f"x{i}": evsim.Input() for i in range(4)}
    neurons.update({f"h{j}": model(j) for j in range(5)})
    neurons.update({f"y{k}": model(k) for k in range(3)})
    synapses = [evsim.Synapse(f"x{i}", f"h{j}", float(rng.integers(-4, 9)) / 16, 0.0) for i in range(4)
                for j in range(5)]
    synapses += [evsim.Synapse(f"h{j}", f"y{k}", float(rng.integers(-4, 13)) / 16, 0.0) for j in range(5)
                 for k in range(3)]
    net = evsim.Network(neurons, synapses, outputs={f"y{k}" for k in range(3)}, dt=1.0)
    graph = to_nir(net)
    assert all(np.all(node.r == 1) for node in graph.nodes.values() if isinstance(node, nir.LIF))  # Norse: r = 1
    graph.metadata = {}
    for node in graph.nodes.values():
        node.metadata.pop("evsim_exact", None)
    inputs = {f"x{i}": sorted(rng.choice(20, 8, replace=False).tolist()) for i in range(4)}
    want = trains(evsim.simulate(net, inputs, 20))
    got = trains(evsim.simulate(from_nir(graph, dt=1.0), inputs, 20))
    assert got == want and sum(map(len, want.values())) > 10


def test_a_layer_wise_form_that_would_not_read_back_exactly_is_replaced(monkeypatch):
    """The export checks its layer-wise form against to_network: if a group's nodes would give other bits
    (here forced by nudging every written weight by one ulp), every group is written as one Affine of
    to_network's matrix, and the round trip stays exact."""
    from evsim.nirio import write

    layerwise = write._group_nodes

    def nudged(nir_module, layer, scale):
        chain = layerwise(nir_module, layer, scale)
        for node in chain or []:
            if hasattr(node, "weight"):
                node.weight = np.nextafter(node.weight, np.inf)
        return chain

    monkeypatch.setattr(write, "_group_nodes", nudged)
    snn, x = converted_conv_net(2, 4, True)
    graph = to_nir(snn)
    assert list(kinds(graph).values()) == ["Input", "Flatten", "Affine", "IF", "Flatten", "Affine", "IF", "Affine",
                                           "Output"]
    inputs = {f"in{i}": evsim.Analog(list(range(6)), x[:, i].tolist()) for i in range(16)}
    got = trains(evsim.simulate(from_nir(graph), inputs, 6))
    want = trains(evsim.simulate(to_network(snn), inputs, 6))
    assert {n: t for n, t in got.items() if t} == {n: t for n, t in want.items() if t}


def test_a_leaky_spiking_net_is_written_with_lif_nodes_and_reads_back_exactly():
    """Spiking layers with beta < 1 (LIF in to_network) become LIF nodes; the round trip keeps every spike."""
    import dataclasses

    rng = np.random.default_rng(0)
    ann = Sequential([Dense(6, 8, rng=1), ReLU(), Dense(8, 5, rng=2), ReLU(), Dense(5, 3, rng=3)])
    snn = convert(ann, calibration=rng.random((50, 6)))
    snn = dataclasses.replace(snn, layers=tuple(dataclasses.replace(layer, beta=0.75) if layer.spiking else layer
                                                for layer in snn.layers))
    graph = to_nir(snn)
    assert [k for k in kinds(graph).values() if k in ("IF", "LIF")] == ["LIF", "LIF"]
    x = rng.random((10, 6))
    inputs = {f"in{i}": evsim.Analog(list(range(10)), x[:, i].tolist()) for i in range(6)}
    want = {n: t for n, t in trains(evsim.simulate(to_network(snn), inputs, 10)).items() if t}
    assert {n: t for n, t in trains(evsim.simulate(from_nir(graph), inputs, 10)).items() if t} == want
    assert sum(map(len, want.values())) > 20


def test_a_net_with_current_based_layers_is_written_with_cubalif_nodes_and_reads_back():
    """A current-based layer (synapse_beta) becomes a NIR CubaLIF node, its bias the bias of the Affine into it
    (the current's input), and from_nir reads the graph back spike for spike as to_network runs it."""
    import dataclasses

    rng = np.random.default_rng(0)
    ann = Sequential([Dense(6, 8, rng=1), ReLU(), Dense(8, 5, rng=2), ReLU(), Dense(5, 3, rng=3)])
    snn = convert(ann, calibration=rng.random((50, 6)))
    first, second = snn.layers[0], snn.layers[1]
    layers = (dataclasses.replace(first, beta=0.75, synapse_beta=0.5), dataclasses.replace(second, beta=0.875))
    snn = dataclasses.replace(snn, layers=layers + snn.layers[2:])
    graph = to_nir(snn)
    assert [k for k in kinds(graph).values() if k in ("IF", "LIF", "CubaLIF")] == ["CubaLIF", "LIF"]
    x = rng.random((10, 6))
    inputs = {f"in{i}": evsim.Analog(list(range(10)), x[:, i].tolist()) for i in range(6)}
    want = {n: t for n, t in trains(evsim.simulate(to_network(snn), inputs, 10)).items() if t}
    assert {n: t for n, t in trains(evsim.simulate(from_nir(graph), inputs, 10)).items() if t} == want
    assert sum(map(len, want.values())) > 10
