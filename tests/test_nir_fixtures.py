"""evsim against snnTorch and Norse: NIR files their own exporters wrote, and the spikes the libraries computed.

The fixtures in ``tests/data/nir/`` were made by ``tools/make_nir_fixtures.py`` (torch, snnTorch 1.0.0,
Norse 1.1.0; see the README there). Each holds the library's input and every spiking layer's output at
every step; evsim reads the ``.nir`` file with ``from_nir`` and must give the same spikes, slot by slot.
Library step ``k`` is evsim's spike at time ``k·dt`` (a spike crosses every feed-forward layer in its step).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("nir")

import evsim  # noqa: E402
from evsim import ValidationError  # noqa: E402
from evsim.inputs import Analog  # noqa: E402
from evsim.nirio import UnsupportedNode, from_nir  # noqa: E402

DATA = Path(__file__).parent / "data" / "nir"


def fixture(case: str):
    data = np.load(DATA / f"{case}.npz")
    return data, json.loads(str(data["meta"]))


def evsim_spikes(net, data, meta, dt: float) -> dict[str, np.ndarray]:
    """Every spiking layer's spikes as a (steps, width) 0/1 array, row k = evsim's spikes at time k·dt."""
    inputs, steps = data["inputs"], int(meta["steps"])
    if meta.get("input_kind") == "real values":
        feed = {f"input[{i}]": Analog(np.arange(steps) * dt, inputs[:, i]) for i in range(inputs.shape[1])}
    else:
        feed = {f"input[{i}]": (np.flatnonzero(inputs[:, i]) * dt).tolist() for i in range(inputs.shape[1])}
    record = evsim.simulate(net, feed, steps * dt)
    out = {layer: np.zeros(data[f"spikes__{layer}"].shape) for layer in meta["layers"]}
    for neuron, time in zip(record.neuron, record.time):
        layer, _, index = record.names[neuron].rpartition("[")
        if layer in out:
            out[layer][int(round(time / dt)), int(index[:-1])] = 1
    return out


@pytest.mark.parametrize("case, dt", [
    ("snntorch_mlp_scalar_zero", None),  # snn.Leaky(beta=0.9): one β for the layer, broadcast
    ("snntorch_mlp_perneuron_zero", None),
    ("snntorch_conv_zero", None),
    ("norse_iaf", 1.0),  # Norse's IAF adds its input whatever dt (v += I) and writes r = 1: NIR's IF at dt = 1
    ("norse_lifbox", 1e-6),  # Norse writes tau = dt·τ (not τ): NIR's Euler step equals Norse's at dt = 1e-6
])
def test_the_libraries_own_files_spike_as_the_libraries_did(case, dt):
    """Law: for files the library wrote with nothing it cannot say, every layer's spikes at every step equal
    the library's own output (dt: the file's time step, or the one under which its time constants mean
    the library's update, as tests/data/nir/README.md derives)."""
    data, meta = fixture(case)
    dt = float(data["dt"]) if dt is None else dt
    got = evsim_spikes(from_nir(DATA / f"{case}.nir", dt=dt), data, meta, dt)
    for layer in meta["layers"]:
        want = data[f"spikes__{layer}"]
        assert np.array_equal(got[layer], want), (layer, int(np.sum(got[layer] != want)), want.size)
    assert data["spikes"].sum() > 0  # not vacuous: the output layer fires


@pytest.mark.parametrize("case, options", [
    ("snntorch_mlp_scalar_subtract", dict(reset="subtract")),
    ("snntorch_mlp_perneuron_subtract", dict(reset="subtract")),  # reset_by = θ/β per neuron
    ("snntorch_conv_subtract", dict(reset="subtract")),
    ("snntorch_rleaky_subtract", dict(reset="subtract", loop_delay=True)),
    ("snntorch_rleaky_zero", dict(loop_delay=True, refractory={"1.lif": 2e-4})),  # only the RLeaky drops a step
])
def test_what_the_file_cannot_say_is_said_by_the_documented_options(case, options):
    """Law: where the file cannot say what snnTorch did (its subtract reset, written as v_reset = 0; RLeaky's
    one-step loop with no Delay node; RLeaky's zero reset, which drops the step after a spike), from_nir with
    the options its docstring gives for that library spikes as the library did, every layer, every step."""
    data, meta = fixture(case)
    dt = float(data["dt"])
    got = evsim_spikes(from_nir(DATA / f"{case}.nir", dt=dt, **options), data, meta, dt)
    for layer in meta["layers"]:
        want = data[f"spikes__{layer}"]
        assert np.array_equal(got[layer], want), (layer, int(np.sum(got[layer] != want)), want.size)
    assert data["spikes"].sum() > 0


def test_without_the_option_snntorchs_subtract_reset_is_read_as_the_file_says():
    """The file says v_reset = 0, and read so it spikes differently (the option is needed, not decoration)."""
    data, meta = fixture("snntorch_mlp_scalar_subtract")
    dt = float(data["dt"])
    got = evsim_spikes(from_nir(DATA / "snntorch_mlp_scalar_subtract.nir", dt=dt), data, meta, dt)
    assert sum(int(np.sum(got[layer] != data[f"spikes__{layer}"])) for layer in meta["layers"]) > 50


def test_a_delay_node_on_the_loop_is_the_same_as_loop_delay():
    """The other fix the error names: a nir.Delay of one step on RLeaky's loop edge gives the same network."""
    import nir

    data, meta = fixture("snntorch_rleaky_subtract")
    dt = float(data["dt"])
    graph = nir.read(str(DATA / "snntorch_rleaky_subtract.nir"), type_check=False)
    width = np.asarray(graph.nodes["1.w_rec"].weight).shape[0]  # (snnTorch writes the loop's nodes flat)
    graph.nodes["late"] = nir.Delay(delay=np.full(width, dt))
    graph.edges = [e for e in graph.edges if e != ("1.w_rec", "1.lif")] + [("1.w_rec", "late"), ("late", "1.lif")]
    got = evsim_spikes(from_nir(graph, dt=dt, reset="subtract"), data, meta, dt)
    for layer in meta["layers"]:
        assert np.array_equal(got[layer], data[f"spikes__{layer}"]), layer


@pytest.mark.parametrize("case, error, message", [
    ("snntorch_rleaky_zero", ValidationError, r"loop without a Delay node .*zero-delay cycle 1.lif\[0\] .* "
                                              r"RLeaky .* pass loop_delay=True .* put a nir.Delay\(delay=dt\) on "
                                              r"the loop's edge. .*refractory=2\*dt"),
])
def test_what_evsim_cannot_run_yet_is_refused_by_name(case, error, message):
    """Law: a graph evsim cannot run faithfully is a typed error naming the node or loop, never a wrong run."""
    data, _ = fixture(case)
    with pytest.raises(error, match=message):
        from_nir(DATA / f"{case}.nir", dt=float(data["dt"]))


def test_norse_lifcell_spikes_as_norse_did_once_its_input_scale_is_written():
    """Law: Norse's LIFCell, exported as NIR CubaLIF, spikes in evsim exactly as in Norse — every neuron of
    every layer at every step — at dt = 1e-6 (Norse writes tau = dt·τ, so NIR's 1 − dt/tau is Norse's
    1 − dt·τ⁻¹ there: 0.8 and 0.9) once w_in says what Norse does: it adds the input to the current
    unscaled, which NIR writes as w_in = tau_syn/dt (5 here), not the 1 Norse writes. Potentials equal
    Norse's float32 ones to 1e-6 (float32 rounding); with w_in = 1 as written, no neuron ever fires."""
    import nir

    data, meta = fixture("norse_lif_cubalif")
    dt = 1e-6
    graph = nir.read(str(DATA / "norse_lif_cubalif.nir"), type_check=False)
    cells = [node for node in graph.nodes.values() if isinstance(node, nir.CubaLIF)]
    assert len(cells) == 2 and all(float(node.w_in) == 1.0 for node in cells)
    assert sum(evsim_spikes(from_nir(graph, dt=dt), data, meta, dt)[layer].sum() for layer in meta["layers"]) == 0
    net = from_nir(DATA / "norse_lif_cubalif.nir", dt=dt, w_in="unscaled")  # the documented option
    for node in cells:
        node.w_in = node.tau_syn / dt
    edited = evsim_spikes(from_nir(graph, dt=dt), data, meta, dt)  # writing w_in = tau_syn/dt into the file
    got = evsim_spikes(net, data, meta, dt)
    assert all(np.array_equal(edited[layer], got[layer]) for layer in meta["layers"])
    for layer in meta["layers"]:
        want = data[f"spikes__{layer}"]
        assert want.sum() > 0 and np.array_equal(got[layer], want), (layer, int(np.sum(got[layer] != want)))
    x, steps = data["inputs"], int(meta["steps"])
    probes = [name for name in net.names if name.rpartition("[")[0] in meta["layers"]]
    record = evsim.simulate(net, {f"input[{i}]": list(np.flatnonzero(x[:, i]) * dt) for i in range(x.shape[1])},
                            steps * dt, probes=probes)
    for layer in meta["layers"]:
        want = data[f"v__{layer}"].reshape(steps, -1)
        got_v = np.array([record.potentials[f"{layer}[{j}]"].sample(np.arange(steps) * dt)
                          for j in range(want.shape[1])]).T
        np.testing.assert_allclose(got_v, want, rtol=0, atol=1e-6)


def test_a_cubalif_whose_decay_is_not_between_0_and_1_is_refused():
    """Law: forward Euler of NIR's CubaLIF needs dt < tau: a larger dt is a typed error naming the node and the fix."""
    with pytest.raises(ValidationError, match=r"NIR CubaLIF '1': forward Euler needs a decay 1 − dt/tau_syn strictly "
                                              r"between 0 and 1 .*got tau_syn = .* at dt = 1e-05; choose dt"):
        from_nir(DATA / "norse_lif_cubalif.nir", dt=1e-5)


def test_the_shipped_sample_spikes_as_snntorch_did():
    """The package's sample (evsim.nirio.sample, for the README) is installed with evsim and imports exactly."""
    path, run = evsim.nirio.sample()
    net = from_nir(path, dt=run["dt"])
    dt, x = run["dt"], run["inputs"]
    record = evsim.simulate(net, {f"input[{i}]": list(np.flatnonzero(x[:, i]) * dt) for i in range(x.shape[1])},
                            until=len(x) * dt)
    got = np.zeros_like(run["spikes"])
    for neuron, time in zip(record.neuron, record.time):
        layer, _, index = record.names[neuron].rpartition("[")
        if layer == "3":
            got[int(round(time / dt)), int(index[:-1])] = 1
    assert np.array_equal(got, run["spikes"]) and run["spikes"].sum() > 0
