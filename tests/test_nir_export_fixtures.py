"""evsim's NIR files read by snnTorch and Norse: what the libraries computed from them, against evsim.

``tests/data/nir/evsim_<case>.nir`` and ``evsim_<case>.npz`` (inputs and evsim's spikes per NIR node)
were written by ``tools/make_evsim_exports.py``; ``evsim_<case>.<library>.npz`` hold the spikes snnTorch
1.0.0 and Norse 1.1.0 computed after importing the file with their own importers
(``tools/make_nir_fixtures.py --from-evsim``; see tests/data/nir/README.md). No torch is needed here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

nir = pytest.importorskip("nir")

import evsim  # noqa: E402
from evsim.inputs import Analog  # noqa: E402
from evsim.nirio import from_nir  # noqa: E402

DATA = Path(__file__).parent / "data" / "nir"
CASES = ("converted_ann", "converted_conv", "if_two_layers", "lif_two_layers")
# What each library does with each file (tests/data/nir/README.md, "evsim's files in snnTorch and Norse"):
# the number of (neuron, step) slots in which its spikes differ from evsim's, or the error it raises.
SNNTORCH_IF_ERROR = "TypeError: linear(): argument 'input' (position 1) must be Tensor, not tuple"
EXPECTED = {
    ("converted_ann", "norse"): 77,  # subtract reset, which NIR cannot say, read as a reset to 0
    ("converted_ann", "snntorch"): SNNTORCH_IF_ERROR,
    ("converted_conv", "norse"): 279,  # the same
    ("converted_conv", "snntorch"): "AttributeError: 'tuple' object has no attribute 'pow'",  # (SumPool2d)
    ("if_two_layers", "norse"): 0,
    ("if_two_layers", "snntorch"): SNNTORCH_IF_ERROR,
    ("lif_two_layers", "norse"): 0,
    ("lif_two_layers", "snntorch"): 0,
    # the file form snnTorch 1.0 runs as IF neurons: each IF node rewritten as LIF(tau = 1e30, r = tau/1e-4)
    ("converted_ann", "snntorch_if_as_lif"): 77,
    ("converted_conv", "snntorch_if_as_lif"): 279,
    ("if_two_layers", "snntorch_if_as_lif"): 0,
}


def stored(case: str, library: str | None = None):
    name = f"evsim_{case}" + (f".{library}" if library else "")
    with np.load(DATA / f"{name}.npz") as data:
        arrays = {key: data[key] for key in data.files}
    return arrays, json.loads(str(arrays["meta"]))


def run(net: evsim.Network, case: str) -> dict[str, np.ndarray]:
    """evsim's spikes of ``net`` on the case's stored inputs, per NIR node: (steps, width), row k = time k·dt."""
    data, meta = stored(case)
    dt, steps, x = net.dt, int(meta["steps"]), data["inputs"]
    times = np.arange(steps) * dt
    if meta["input_kind"] == "real values":
        feed = {name: Analog(times.tolist(), x[:, i].tolist()) for i, name in enumerate(meta["input_names"])}
    else:
        feed = {name: times[x[:, i] > 0].tolist() for i, name in enumerate(meta["input_names"])}
    record = evsim.simulate(net, feed, steps * dt)
    where = {name: (node, j) for node, names in meta["neurons"].items() for j, name in enumerate(names)}
    out = {node: np.zeros((steps, len(names))) for node, names in meta["neurons"].items()}
    for n, t in zip(record.neuron, record.time):
        if str(record.names[n]) in where:
            node, j = where[str(record.names[n])]
            out[node][int(round(t / dt)), j] = 1
    return out


def standard_fields_only(path: Path):
    """The graph with evsim's metadata removed: what NIR itself says (hard reset to v_reset, …)."""
    graph = nir.read(str(path), type_check=False)
    graph.metadata = {}
    for node in graph.nodes.values():
        node.metadata = {key: value for key, value in node.metadata.items() if key != "evsim_exact"}
    return graph


def differing(a: dict, b: dict) -> int:
    return sum(int(np.sum(a[node] != b[node])) for node in a)


@pytest.mark.parametrize("case", CASES)
def test_the_committed_file_spikes_as_evsim_did(case):
    """Law: from_nir of the committed .nir (its dt and exact parameters from the metadata) gives the stored
    evsim spikes in every slot, and they are not trivial."""
    data, meta = stored(case)
    got = run(from_nir(DATA / f"evsim_{case}.nir"), case)
    for node in meta["layers"]:
        assert np.array_equal(got[node], data[f"spikes__{node}"]), node
        assert 0 < data[f"spikes__{node}"].sum() < data[f"spikes__{node}"].size


@pytest.mark.parametrize("case, library", sorted(EXPECTED))
def test_what_snntorch_and_norse_computed_from_evsims_files(case, library):
    """Law: each library's spikes (stored by the fixture script) differ from evsim's — both the stored ones
    and those of the committed file run by evsim — in exactly the documented number of slots (0 wherever NIR
    can say the network), or the library raised the documented error."""
    ours, meta = stored(case)
    theirs, info = stored(case, library)
    expected = EXPECTED[(case, library)]
    if isinstance(expected, str):
        assert info["error"] == expected
        return
    evsim_now = run(from_nir(DATA / f"evsim_{case}.nir"), case)
    library_spikes = {node: theirs[f"spikes__{node}"] for node in meta["layers"]}
    assert differing(library_spikes, {node: ours[f"spikes__{node}"] for node in meta["layers"]}) == expected
    assert differing(library_spikes, evsim_now) == expected


@pytest.mark.parametrize("case, differing_slots", [("converted_ann", "77 of 390"), ("converted_conv", "279 of 1080")])
@pytest.mark.parametrize("library", ["norse", "snntorch_if_as_lif"])
def test_a_converted_nets_difference_is_the_subtract_reset_alone(case, differing_slots, library):
    """Law: the library's spikes for a converted net equal, in every slot, evsim's run of the file's
    standard fields alone (a reset to v_reset = 0, as NIR says), so the slots that differ from evsim come
    from its subtract reset, which NIR cannot carry; the documentation states their number."""
    theirs, _ = stored(case, library)
    _, meta = stored(case)
    nir_says = run(from_nir(standard_fields_only(DATA / f"evsim_{case}.nir"), dt=1.0), case)
    assert differing({node: theirs[f"spikes__{node}"] for node in meta["layers"]}, nir_says) == 0
    total = sum(theirs[f"spikes__{node}"].size for node in meta["layers"])
    assert differing_slots == f"{EXPECTED[(case, library)]} of {total}"
    assert differing_slots in evsim.nirio.__doc__.replace("\n", " ") and "subtract" in evsim.nirio.__doc__
    assert f"{case}` | {differing_slots}" in (DATA / "README.md").read_text()


def test_the_library_runs_record_their_versions():
    for case, library in EXPECTED:
        _, info = stored(case, library)
        assert info["library"] == library and info["versions"]["nir"] == "1.0.8"
        package = library.split("_")[0]
        assert info["versions"][package] == {"snntorch": "1.0.0", "norse": "1.1.0"}[package]
