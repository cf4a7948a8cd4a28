"""from_nir trusts nothing it reads: typed errors for missing files, bad arguments and metadata that would
merge or replace neurons; refusals before allocating the dense matrices of a huge declared layer; and round
trips (in memory and through a file) that keep outputs, inputless networks and the order in which
simultaneous arrivals are summed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

nir = pytest.importorskip("nir")

import evsim  # noqa: E402
from evsim import LimitError, ValidationError  # noqa: E402
from evsim.nirio import from_nir, to_nir  # noqa: E402


def spikes(record) -> list[tuple[str, float]]:
    return sorted((str(record.names[n]), float(t)) for n, t in zip(record.neuron, record.time))


def chain() -> evsim.Network:
    return evsim.Network({"x": evsim.Input(), "a": evsim.IF(threshold=0.5), "l": evsim.LIF(tau=3.0)},
                         [evsim.Synapse("x", "a", 0.7, 1.0), evsim.Synapse("a", "l", 1.5, 1.0)],
                         outputs={"a"}, dt=1.0)


# -- arguments and files ----------------------------------------------------------------------------------

def test_a_missing_file_or_a_wrong_argument_is_a_typed_error(tmp_path):
    with pytest.raises(ValidationError, match=r"from_nir: graph must be an existing file, got '.*missing.nir'"):
        from_nir(tmp_path / "missing.nir")
    with pytest.raises(ValidationError, match=r"from_nir: graph must be a nir.NIRGraph or the path of a NIR "
                                              r"file, got 3 \(int\)"):
        from_nir(3)
    graph = to_nir(chain())
    for dt in (0, -1.0, float("nan"), float("inf"), True, "1"):
        with pytest.raises(ValidationError, match=r"from_nir: dt must be a finite real number > 0.0"):
            from_nir(graph, dt=dt)
    graph.metadata["evsim_dt"] = "fast"
    with pytest.raises(ValidationError, match=r"from_nir \(the graph's evsim_dt\): dt must be a finite real"):
        from_nir(graph)


def test_a_file_whose_datasets_exceed_the_limit_is_refused_before_nir_reads_it(tmp_path):
    path = tmp_path / "big.nir"
    nir.write(str(path), to_nir(chain()))
    with evsim.limits(file_bytes=64):
        with pytest.raises(LimitError, match=r"from_nir\(.*big.nir\): the file('s datasets)? needs about"):
            from_nir(path)


# -- names from metadata ------------------------------------------------------------------------------------

def test_duplicate_evsim_names_are_refused_not_merged():
    net = evsim.Network({"x": evsim.Input(), "a": evsim.IF(), "b": evsim.IF()},
                        [evsim.Synapse("x", "a", 1.0, 1.0), evsim.Synapse("x", "b", 1.0, 1.0)], dt=1.0)
    graph = to_nir(net)
    graph.nodes["if"].metadata["evsim_names"] = np.array([b"a", b"a"])
    with pytest.raises(ValidationError, match=r"from_nir: evsim_names of NIR node 'if' must be distinct names, "
                                              r"got 'a' twice"):
        from_nir(graph)


def test_a_name_equal_to_an_inputs_is_refused_not_replacing_the_input():
    graph = to_nir(chain())
    graph.nodes["if"].metadata["evsim_names"] = np.array([b"x"])
    with pytest.raises(ValidationError, match=r"from_nir: the neuron names \(evsim_names metadata, else node "
                                              r"paths\) must be distinct names, got 'x' twice"):
        from_nir(graph)


# -- memory -----------------------------------------------------------------------------------------------

def test_a_huge_declared_input_is_refused_before_its_dense_matrix_is_allocated(tmp_path):
    """A 10^6-wide Input feeding one neuron would need a 10^6 × 10^6 identity (7.28 TiB)."""
    n = 10**6
    graph = nir.NIRGraph({"input": nir.Input(input_type={"input": np.array([n])}),
                          "w": nir.Affine(weight=np.zeros((1, n)), bias=np.zeros(1)),
                          "lif": nir.IF(r=np.ones(1), v_threshold=np.ones(1), v_reset=np.zeros(1))},
                         [("input", "w"), ("w", "lif")], type_check=False)
    path = tmp_path / "wide.nir"
    nir.write(str(path), graph)
    assert path.stat().st_size < 200_000
    for source in (graph, path):
        with pytest.raises(LimitError, match=r"from_nir: a dense 1000000×1000000 matrix \(the identity of "
                                             r"population 'input'\) needs about 7.28 TiB"):
            from_nir(source, dt=1.0)


@pytest.mark.parametrize("kind, field", [("SumPool2d", "kernel_size"), ("SumPool2d", "stride")])
def test_pooling_windows_out_of_range_are_refused(kind, field):
    fields = {"kernel_size": np.array([2, 2]), "stride": np.array([2, 2]), "padding": np.array([0, 0])}
    fields[field] = np.array([10**9, 10**9]) if field == "kernel_size" else np.array([0, 0])
    graph = nir.NIRGraph({"input": nir.Input(input_type={"input": np.array([1, 4, 4])}),
                          "pool": getattr(nir, kind)(**fields),
                          "lif": nir.IF(r=np.ones(4), v_threshold=np.ones(4), v_reset=np.zeros(4))},
                         [("input", "pool"), ("pool", "lif")], type_check=False)
    with pytest.raises(ValidationError, match=r"NIR window"):
        from_nir(graph, dt=1.0)


# -- round trips ----------------------------------------------------------------------------------------

def test_a_file_round_trip_keeps_the_outputs_and_reads_networks_without_inputs(tmp_path):
    """nir.read with type checking inserted Output nodes for every dangling population ({'a'} became
    {'a', 'l'}) and refused graphs with no Input; evsim reads files without it."""
    inputless = evsim.Network({"a": evsim.IF(bias=0.5), "l": evsim.LIF(tau=2.0)}, [evsim.Synapse("a", "l", 1.0, 1.0)],
                              outputs={"a"}, dt=1.0)
    silent = evsim.Network({"x": evsim.Input(), "a": evsim.IF()}, [evsim.Synapse("x", "a", 1.0, 1.0)], dt=1.0)
    for k, net in enumerate((chain(), inputless, silent)):
        path = tmp_path / f"net{k}.nir"
        nir.write(str(path), to_nir(net))
        back = from_nir(path)
        assert back.outputs == net.outputs and set(back.names) == set(net.names)
        inputs = {"x": [0.0, 1.0, 2.0]} if "x" in net.names else {}
        assert spikes(evsim.simulate(back, inputs, 8)) == spikes(evsim.simulate(net, inputs, 8))


def three_inputs(weights, order) -> evsim.Network:
    neurons = {name: evsim.Input() for name in order}
    neurons["a"] = evsim.IF(threshold=0.1 + 0.2 + 0.3)
    return evsim.Network(neurons, [evsim.Synapse(s, "a", w, 0.0) for s, w in zip("xyz", weights)],
                         outputs={"a"}, dt=1.0)


def test_simultaneous_arrivals_are_summed_in_the_original_order_after_a_round_trip(tmp_path):
    """Three inputs spiking together with weights 0.1, 0.2, 0.3 into an IF at 0.1 + 0.2 + 0.3: whether it
    fires depends on the order of the sum ((0.1 + 0.2) + 0.3 reaches it, 0.1 + (0.2 + 0.3) does not). to_nir
    records evsim's synapse rows, so from_nir (in memory and from a file) fires exactly when the original
    does, for every order of the weights and of the neurons."""
    fired = set()
    for weights in itertools.permutations([0.1, 0.2, 0.3]):
        for order in itertools.permutations("xyz"):
            net = three_inputs(weights, order)
            expected = spikes(evsim.simulate(net, {n: [0.0] for n in "xyz"}, 2))
            fired.add(("a", 0.0) in expected)
            assert spikes(evsim.simulate(from_nir(to_nir(net)), {n: [0.0] for n in "xyz"}, 2)) == expected
    assert fired == {True, False}  # the sum's order matters here: the check is not vacuous
    net = three_inputs((0.3, 0.1, 0.2), "xzy")
    path = tmp_path / "order.nir"
    nir.write(str(path), to_nir(net))
    assert spikes(evsim.simulate(from_nir(path), {n: [0.0] for n in "xyz"}, 2)) == \
        spikes(evsim.simulate(net, {n: [0.0] for n in "xyz"}, 2))


def test_recorded_synapse_rows_yield_to_an_edited_graph():
    """If the graph's weights no longer equal the recorded rows' sums (another tool edited it), from_nir
    reads the graph: the metadata never overrides what the graph says."""
    net = three_inputs((0.1, 0.2, 0.3), "xyz")
    graph = to_nir(net)
    affine = next(node for name, node in graph.nodes.items() if name.startswith("input_to_if"))
    affine.weight = affine.weight * 2
    back = from_nir(graph)
    assert sorted(back.table.weight.tolist()) == [0.2, 0.4, 0.6]


def test_recorded_rows_keep_duplicate_and_zero_weight_synapses():
    net = evsim.Network({"x": evsim.Input(), "a": evsim.IF()},
                        [evsim.Synapse("x", "a", 0.25, 1.0), evsim.Synapse("x", "a", 0.0, 1.0),
                         evsim.Synapse("x", "a", 0.5, 1.0)], outputs={"a"}, dt=1.0)
    assert from_nir(to_nir(net)) == net
