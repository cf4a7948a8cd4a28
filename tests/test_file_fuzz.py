"""File fuzzing: corrupted, truncated, oversized and adversarial .npz and .nir files, generated here.

Law (both formats): loading a mutated file either raises one of evsim's own errors (``EvsimError``:
``ValidationError`` or ``LimitError``) or returns an object equal to what the bytes say — for an
``.npz`` network every neuron, parameter, output and synapse row equals the file's (read independently
with ``np.load(allow_pickle=False)``), so a network is never silently rewired; for a ``.nir`` file no two
neurons are merged (as many neurons as the graph's populations declare). Nothing else escapes (no
IndexError, MemoryError, RecursionError, h5py or zipfile error).
"""

from __future__ import annotations

import dataclasses
import io as bytes_io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evsim
from evsim import EvsimError, io

ADVERSARIAL_VALUES = [None, -1, 0, 2**63, 10**20, -1e308, "x", "", [], [1, 2], {}, {"a": 1}, True, 0.5,
                      "network", "spiking_net", "IF", [10**9, 10**9], [-1], "Infinity"]


def network() -> evsim.Network:
    return evsim.Network({"x": evsim.Input(), "a": evsim.IF(threshold=0.5, reset="subtract"),
                          "b": evsim.LIF(tau=4.0, refractory=1.0), "c": evsim.IF(bias=0.1)},
                         [evsim.Synapse("x", "a", 0.7, 1.0), evsim.Synapse("a", "b", 1.2, 2.0),
                          evsim.Synapse("b", "c", -0.5, 1.0), evsim.Synapse("c", "a", 0.25, 3.0)],
                         outputs={"b", "c"}, dt=1.0)


def spiking_net():
    ann = evsim.deep.Sequential([evsim.deep.Conv2d(1, 2, 3, padding=1, rng=0), evsim.deep.ReLU(),
                                 evsim.deep.AvgPool2d(2), evsim.deep.Flatten(), evsim.deep.Dense(8, 3, rng=1)])
    return evsim.deep.convert(ann, thresholds=[1.0], input_shape=(1, 4, 4))


def archive_bytes(obj) -> bytes:
    buffer = bytes_io.BytesIO()
    np.savez(buffer, **_arrays_of(obj))
    return buffer.getvalue()


def _arrays_of(obj) -> dict:
    arrays: dict = {}
    document = io._network_document(obj, arrays) if isinstance(obj, evsim.Network) else \
        io._spiking_document(obj, arrays)
    document.update(format="evsim", version=io.FORMAT_VERSION)
    arrays["__evsim__"] = np.array(json.dumps(document))
    return arrays


BASES = {"network": archive_bytes(network()), "spiking_net": archive_bytes(spiking_net())}


# -- mutations ---------------------------------------------------------------------------------------------

def flip_bits(data: bytes, offsets: list[int]) -> bytes:
    raw = bytearray(data)
    for offset in offsets:
        raw[offset % len(raw)] ^= 1 << (offset % 8)
    return bytes(raw)


def json_paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from json_paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from json_paths(item, prefix + (i,))


def with_arrays(data: bytes, change) -> bytes:
    """The archive with its members read (no pickle), changed by ``change(document, arrays)``, rewritten."""
    with np.load(bytes_io.BytesIO(data), allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    document = json.loads(str(arrays.pop("__evsim__")))
    document = change(document, arrays)
    text = document if isinstance(document, str) else json.dumps(document)
    buffer = bytes_io.BytesIO()
    np.savez(buffer, __evsim__=np.array(text), **arrays)
    return buffer.getvalue()


def edit_json(data: bytes, pick: int, value) -> bytes:
    def change(document, arrays):
        paths = [p for p in json_paths(document) if p]
        path = paths[pick % len(paths)]
        holder = document
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = value
        return document
    return with_arrays(data, change)


ARRAY_REPLACEMENTS = [
    lambda a: np.full(a.shape, -1, np.int64),
    lambda a: np.full(a.shape, np.iinfo(np.uint64).max, np.uint64),
    lambda a: np.full(a.shape, 4, np.int64),
    lambda a: np.full(a.shape, 2**40, np.int64),
    lambda a: a.astype(np.float32),
    lambda a: a.astype(np.int8) if a.dtype.kind == "f" else a.astype(np.float64),
    lambda a: np.concatenate([a.ravel(), a.ravel()]),
    lambda a: a.ravel()[:-1],
    lambda a: a.reshape(1, -1),
    lambda a: np.full(a.shape, np.nan),
    lambda a: np.array(["x"] * a.size),
    lambda a: np.zeros(0, a.dtype),
    lambda a: np.array(True),
]


def replace_array(data: bytes, pick: int, how: int) -> bytes:
    def change(document, arrays):
        key = sorted(arrays)[pick % len(arrays)]
        arrays[key] = ARRAY_REPLACEMENTS[how % len(ARRAY_REPLACEMENTS)](arrays[key])
        return document
    return with_arrays(data, change)


def huge_header(data: bytes, pick: int) -> bytes:
    """One member's .npy header declares a shape of 2^40 elements over its few real bytes."""
    source = zipfile.ZipFile(bytes_io.BytesIO(data))
    names = sorted(source.namelist())
    victim = names[pick % len(names)]
    buffer = bytes_io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name in names:
            member = source.read(name)
            if name == victim:
                member = member.replace(b"'shape': (", b"'shape': (1099511627776, ", 1)
            out.writestr(name, member)
    return buffer.getvalue()


def bomb(data: bytes, pick: int) -> bytes:
    """One member replaced by 4 MiB of deflated zeros under a header that declares them."""
    source = zipfile.ZipFile(bytes_io.BytesIO(data))
    names = sorted(source.namelist())
    victim = names[pick % len(names)]
    buffer = bytes_io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for name in names:
            if name != victim:
                out.writestr(name, source.read(name))
        header = np.lib.format.header_data_from_array_1_0(np.zeros(0))
        header["shape"] = (1 << 19,)
        with out.open(victim, "w") as f:
            np.lib.format.write_array_header_1_0(f, header)
            f.write(bytes(4 << 20))
    return buffer.getvalue()


npz_mutations = st.one_of(
    st.tuples(st.just("bits"), st.lists(st.integers(0, 10**6), min_size=1, max_size=8)),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("append"), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("json"), st.integers(0, 10**4), st.sampled_from(ADVERSARIAL_VALUES)),
    st.tuples(st.just("document"), st.sampled_from(["[]", "[" * 50_000 + "]" * 50_000, "{}", "null", "1e999",
                                                     '{"format": "evsim", "version": 1, "kind": "network"}'])),
    st.tuples(st.just("array"), st.integers(0, 100), st.integers(0, 100)),
    st.tuples(st.just("header"), st.integers(0, 100)),
    st.tuples(st.just("bomb"), st.integers(0, 100)),
)


def mutate(data: bytes, mutation) -> bytes:
    kind, *args = mutation
    if kind == "bits":
        return flip_bits(data, args[0])
    if kind == "truncate":
        return data[:int(args[0] * len(data))]
    if kind == "append":
        return data + args[0]
    if kind == "json":
        return edit_json(data, *args)
    if kind == "document":
        return with_arrays(data, lambda document, arrays: args[0])
    if kind == "array":
        return replace_array(data, *args)
    if kind == "header":
        return huge_header(data, args[0])
    return bomb(data, args[0])


# -- what the bytes say ----------------------------------------------------------------------------------

def assert_network_is_what_the_bytes_say(net: evsim.Network, path: Path) -> None:
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    document = json.loads(str(arrays["__evsim__"]))
    assert list(net.names) == [entry["name"] for entry in document["neurons"]]
    for entry in document["neurons"]:
        model = net.neurons[entry["name"]]
        assert type(model).__name__ == entry["model"]
        stored = dataclasses.asdict(model)
        assert all(stored[key] == value for key, value in entry["params"].items())
    assert net.outputs == frozenset(document["outputs"]) and net.dt == document["dt"]
    for column in ("source", "target", "weight", "delay"):
        assert np.array_equal(getattr(net.table, column), arrays[column]), column


def assert_spiking_net_is_what_the_bytes_say(snn, path: Path) -> None:
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    document = json.loads(str(arrays["__evsim__"]))
    assert snn.input_shape == tuple(document["input_shape"]) and len(snn.layers) == len(document["layers"])
    for layer, entry in zip(snn.layers, document["layers"]):
        assert layer.theta == entry["theta"] and layer.output_shape == tuple(entry["output_shape"])
        assert np.array_equal(layer.bias, arrays[entry["bias"]])
        assert np.array_equal(layer.v_init, arrays[entry["v_init"]])
        for op, op_entry in zip(layer.ops, entry["ops"], strict=True):
            assert type(op).__name__ == op_entry["type"]
            for name in op.params:
                assert np.array_equal(op.params[name], arrays[op_entry[name]])


@given(kind=st.sampled_from(sorted(BASES)), mutation=npz_mutations)
def test_a_mutated_npz_file_loads_as_its_bytes_say_or_raises_an_evsim_error(tmp_path_factory, kind, mutation):
    """Law: io.load of a mutated archive raises EvsimError or returns exactly what the bytes say."""
    path = tmp_path_factory.mktemp("fuzz") / "mutated.npz"
    path.write_bytes(mutate(BASES[kind], mutation))
    with evsim.limits(file_bytes=1 << 20):
        try:
            loaded = io.load(path)
        except EvsimError:
            return
    if isinstance(loaded, evsim.Network):
        assert_network_is_what_the_bytes_say(loaded, path)
    else:
        assert_spiking_net_is_what_the_bytes_say(loaded, path)


def test_the_unmutated_files_load_so_the_fuzz_starts_from_valid_files(tmp_path):
    for kind, data in BASES.items():
        (tmp_path / f"{kind}.npz").write_bytes(data)
        loaded = io.load(tmp_path / f"{kind}.npz")
        check = assert_network_is_what_the_bytes_say if kind == "network" else assert_spiking_net_is_what_the_bytes_say
        check(loaded, tmp_path / f"{kind}.npz")


# -- .nir files ------------------------------------------------------------------------------------------

nir = pytest.importorskip("nir")
h5py = pytest.importorskip("h5py")

NIR_EDITS = [
    ("node/nodes/if/v_threshold", np.array(["a"], dtype="S1")),
    ("node/nodes/if/v_threshold", np.zeros((2, 3))),
    ("node/nodes/if/v_threshold", np.zeros(0)),
    ("node/nodes/if/r", np.array([np.nan, 1.0])),
    ("node/nodes/input/shape", np.array([10**6])),
    ("node/nodes/input/shape", np.array([-3])),
    ("node/nodes/input/shape", np.array([2**62, 2**62])),
    ("node/nodes/input/metadata/evsim_names", np.array([b"a"])),
    ("node/nodes/if/metadata/evsim_names", np.array([b"x", b"x"])),
    ("node/nodes/if/metadata/evsim_names", np.array([b"x", b"y"])),
    ("node/nodes/if/metadata/evsim_threshold", np.array([b"high"])),
    ("node/nodes/if/metadata/evsim_tau", np.zeros(5)),
    ("node/metadata/evsim_dt", np.float64(0.0)),
    ("node/metadata/evsim_dt", np.array(b"one")),
    ("node/metadata/evsim_synapse_source", np.array([b"nobody"] * 4)),
    ("node/metadata/evsim_synapse_weight", np.array([1e308] * 4)),
    ("node/edges", np.array([[b"input", b"nowhere"]])),
    ("node/edges", np.array([[b"if", b"if"]])),
    ("node/nodes/input_to_if_0/weight", np.zeros((7, 7))),
    ("node/nodes/input_to_if_0/type", np.array(b"Pickle")),
    ("node/nodes/if/type", np.array(b"LIF")),
    ("node/type", np.array(b"Affine")),
]


def nir_network() -> evsim.Network:
    return evsim.Network({"x": evsim.Input(), "y": evsim.Input(), "a": evsim.IF(threshold=0.5),
                          "b": evsim.IF(reset="zero")},
                         [evsim.Synapse("x", "a", 0.7, 1.0), evsim.Synapse("y", "b", 1.2, 1.0),
                          evsim.Synapse("a", "b", 0.3, 2.0), evsim.Synapse("b", "a", -0.2, 1.0)],
                         outputs={"b"}, dt=1.0)


@pytest.fixture(scope="module")
def nir_file(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("nir") / "base.nir"
    nir.write(str(path), to_nir_graph())
    return path.read_bytes()


def to_nir_graph():
    from evsim.nirio import to_nir
    return to_nir(nir_network())


def declared_neurons(path: Path) -> int:
    graph = nir.read(str(path), type_check=False)
    total = 0
    for node in graph.nodes.values():
        if isinstance(node, nir.Input):
            total += int(np.prod(node.input_type["input"]))
        elif isinstance(node, (nir.IF, nir.LIF)):
            total += int(np.size(node.v_threshold)) or 1
    return total


def edited_nir(data: bytes, tmp: Path, edit) -> Path:
    path = tmp / "edited.nir"
    path.write_bytes(data)
    key, value = edit
    with h5py.File(path, "a") as f:
        if key in f:
            del f[key]
        f.create_dataset(key, data=value)
    return path


@pytest.mark.parametrize("edit", NIR_EDITS, ids=[f"{k}={v!r:.20}" for k, v in NIR_EDITS])
def test_an_edited_nir_file_reads_without_merging_neurons_or_raises_an_evsim_error(nir_file, tmp_path, edit):
    """Law: from_nir of an edited file raises EvsimError or returns a network with one neuron per declared
    population element (no names merged or replaced)."""
    from evsim.nirio import from_nir
    path = edited_nir(nir_file, tmp_path, edit)
    try:
        net = from_nir(path)
    except EvsimError:
        return
    assert len(net.names) >= declared_neurons(path)


@given(mutation=st.one_of(st.tuples(st.just("truncate"), st.floats(0, 1)),
                          st.tuples(st.just("append"), st.binary(min_size=1, max_size=64))))
def test_a_truncated_or_padded_nir_file_raises_an_evsim_error_or_reads(nir_file, tmp_path_factory, mutation):
    """Law: from_nir of a truncated or padded file raises EvsimError or reads a network."""
    from evsim.nirio import from_nir
    path = tmp_path_factory.mktemp("nirfuzz") / "mutated.nir"
    path.write_bytes(mutate(nir_file, mutation))
    try:
        assert isinstance(from_nir(path), evsim.Network)
    except EvsimError:
        pass
