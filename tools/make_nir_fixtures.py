"""Make the NIR fixtures in tests/data/nir/ from snnTorch and Norse themselves.

Run by hand where torch, snnTorch, Norse, nirtorch and nir are installed (evsim is not needed)::

    python tools/make_nir_fixtures.py [--out tests/data/nir]

Each case builds a tiny network with fixed weights (on a 1/16 grid, so sums of inputs are exact in
float32), exports it with the library's own NIR exporter, runs it in the library on fixed inputs, and
writes ``<case>.nir`` and ``<case>.npz``. The ``.npz`` holds

- ``inputs``: (steps, input width), the value fed at step k (0/1 spikes, or real values);
- ``spikes``: (steps, output width), the output layer's spikes at step k;
- ``spikes__<node>`` and ``v__<node>``: (steps, width) spikes and membrane potential of every spiking
  layer, keyed by its NIR node name (the potential as the library holds it after step k);
- ``dt``: the time step the library integrates with (and wrote the file with);
- ``meta``: a JSON string (library and versions, reset mechanism, exporter used, what the file cannot
  say, the smallest distance of any potential from its threshold, input shape).

The library's output at step k is computed from the inputs of steps 0..k: a spike travels through
all layers within the step in which it is emitted (no delay on a connection; a recurrent connection
of snnTorch's RLeaky acts one step later). See tests/data/nir/README.md for each library's update.
"""

from __future__ import annotations

import argparse
import json
import re
from importlib.metadata import version
from pathlib import Path

import nir
import nirtorch
import numpy as np
import torch

import norse.torch as norse
import snntorch as snn
from snntorch.export_nir import _extract_snntorch_module, export_to_nir

STEPS = 30
GRID = 16  # weights are multiples of 1/GRID; biases odd multiples of 1/(2*GRID), so no sum equals 1 exactly


def versions() -> dict:
    return {name: version(name) for name in ("torch", "snntorch", "norse", "nirtorch", "nir", "numpy")}


def set_dyadic(layer: torch.nn.Module, rng: np.random.Generator, low: float, high: float,
               bias: tuple[float, float] | None = (-0.125, 0.125), bias_unit: float = 1 / (2 * GRID)) -> None:
    """Weights drawn uniformly from multiples of 1/GRID in [low, high]; biases from odd multiples of
    ``bias_unit`` in ``bias`` (or 0 if ``bias`` is None). With odd biases no input sum lands exactly on a
    threshold of 1, where the float32 rounding of the exported time constants would decide the spike."""
    with torch.no_grad():
        w = rng.integers(round(low * GRID), round(high * GRID) + 1, tuple(layer.weight.shape)) / GRID
        layer.weight.copy_(torch.as_tensor(w, dtype=torch.float32))
        if layer.bias is not None:
            odd = rng.integers(round(bias[0] / bias_unit / 2), round(bias[1] / bias_unit / 2),
                               tuple(layer.bias.shape)) if bias else 0
            b = (2 * odd + 1) * bias_unit if bias else np.zeros(layer.bias.shape)
            layer.bias.copy_(torch.as_tensor(b, dtype=torch.float32))


def spike_inputs(rng: np.random.Generator, shape: tuple[int, ...], rate: float = 0.3) -> np.ndarray:
    return (rng.random((STEPS, *shape)) < rate).astype(np.float32)


# -- snnTorch ------------------------------------------------------------------------------------------

def snntorch_export(net: torch.nn.Module, sample: torch.Tensor) -> tuple[nir.NIRGraph, str]:
    """snnTorch's export_to_nir; where it raises (its final type check fails on scalar parameters), the
    same export without that check (nirtorch.extract_nir_graph with snnTorch's own module mapper)."""
    try:
        return export_to_nir(net, sample, ignore_dims=[0]), "snntorch.export_nir.export_to_nir(net, sample, ignore_dims=[0])"
    except ValueError as error:
        graph = nirtorch.extract_nir_graph(net, _extract_snntorch_module, sample, model_name="snntorch",
                                           ignore_submodules_of=[snn.RLeaky, snn.RSynaptic], ignore_dims=[0])
        return graph, (f"export_to_nir raised ValueError({error}); written by the same code without its final "
                       f"infer_types(): nirtorch.extract_nir_graph(net, snntorch.export_nir._extract_snntorch_module, "
                       f"sample, ignore_submodules_of=[RLeaky, RSynaptic], ignore_dims=[0])")


def run_snntorch(net: torch.nn.Sequential, inputs: np.ndarray, input_shape: tuple[int, ...]) -> dict:
    """Step the Sequential (neurons with init_hidden=True) one time step at a time, batch 1; record the
    spikes and potential of each neuron module after every step."""
    for module in net:
        if isinstance(module, (snn.Leaky, snn.RLeaky)):
            module.reset_mem()
    record = {}
    with torch.no_grad():
        for k in range(inputs.shape[0]):
            x = torch.as_tensor(inputs[k].reshape(1, *input_shape))
            for name, module in net.named_children():
                x = module(x)
                if isinstance(module, (snn.Leaky, snn.RLeaky)):
                    if isinstance(x, tuple):
                        x = x[0]
                    key = f"{name}.lif" if isinstance(module, snn.RLeaky) else name
                    record.setdefault(key, ([], [], float(np.max(module.threshold.numpy()))))
                    record[key][0].append(x.reshape(-1).numpy().copy())
                    record[key][1].append(module.mem.reshape(-1).numpy().copy())
    return {key: (np.array(s), np.array(v), th) for key, (s, v, th) in record.items()}


SNNTORCH_STEP = ("snnTorch Leaky (reset_delay=True, the default): reset_k = H(mem_{k-1} - thr) (the previous "
                 "step's potential, before any reset); 'zero': mem_k = beta*(1 - reset_k)*mem_{k-1} + I_k; "
                 "'subtract': mem_k = beta*mem_{k-1} + I_k - reset_k*thr (thr subtracted after the decay, "
                 "not decayed); spk_k = H(mem_k - thr), H(x) = 1 iff x > 0.")


def snntorch_meta(reset: str, cannot_say: list[str], how: str, extra: dict | None = None) -> dict:
    meta = {"library": "snntorch", "versions": versions(), "reset_mechanism": reset, "exporter": how,
            "update": SNNTORCH_STEP, "dt_note": "snnTorch's exporter writes tau = dt/(1-beta), r = tau/dt with "
            "dt = 1e-4 fixed in its code, and writes dt nowhere in the graph", "cannot_say": cannot_say}
    meta.update(extra or {})
    return meta


def leaky(beta, reset: str, width: int, per_neuron: bool, **kw) -> snn.Leaky:
    if per_neuron:  # the exporter needs threshold with the same shape as beta
        return snn.Leaky(beta=torch.as_tensor(beta, dtype=torch.float32), threshold=torch.ones(width),
                         learn_beta=True, reset_mechanism=reset, init_hidden=True, **kw)
    return snn.Leaky(beta=beta, reset_mechanism=reset, init_hidden=True, **kw)


def snntorch_mlp(reset: str, per_neuron: bool, seed: int):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    n_in, n_hid, n_out = 10, 12, 6
    beta1 = rng.integers(10, 16, n_hid) / 16 if per_neuron else 0.9
    beta2 = rng.integers(10, 16, n_out) / 16 if per_neuron else 0.9
    net = torch.nn.Sequential(torch.nn.Linear(n_in, n_hid), leaky(beta1, reset, n_hid, per_neuron),
                              torch.nn.Linear(n_hid, n_out), leaky(beta2, reset, n_out, per_neuron, output=True))
    set_dyadic(net[0], rng, -0.375, 0.625)
    set_dyadic(net[2], rng, -0.375, 0.625)
    inputs = spike_inputs(rng, (n_in,))
    graph, how = snntorch_export(net, torch.zeros(1, n_in))
    cannot_say = ["dt (1e-4) is not in the file"]
    if reset == "subtract":
        cannot_say.append("reset by subtraction: the file says v_reset = 0 (NIR has no subtract reset); snnTorch "
                          "subtracts thr after the decay (mem_k = beta*mem_{k-1} + I_k - thr), not beta*thr")
    if not per_neuron:
        cannot_say.append("the neuron count of each LIF node: scalar beta and threshold give parameters of shape ()")
    return graph, run_snntorch(net, inputs, (n_in,)), inputs, 1e-4, snntorch_meta(reset, cannot_say, how)


def snntorch_conv(seed: int, reset: str = "zero"):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    shape = (1, 4, 4)
    beta1 = torch.as_tensor(rng.integers(10, 16, (2, 4, 4)) / 16, dtype=torch.float32)
    conv_lif = snn.Leaky(beta=beta1, threshold=torch.ones(2, 4, 4), learn_beta=True, reset_mechanism=reset,
                         init_hidden=True)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), conv_lif, torch.nn.Flatten(),
                              torch.nn.Linear(32, 4), leaky(rng.integers(10, 16, 4) / 16, reset, 4, True, output=True))
    set_dyadic(net[0], rng, -0.25, 0.5, bias_unit=1 / 256)  # inputs k/8: sums on 1/128, biases odd/256
    set_dyadic(net[3], rng, -0.25, 0.5)
    inputs = (rng.integers(0, 9, (STEPS, *shape)) / 8).astype(np.float32)  # real values, a new image each step
    graph, how = snntorch_export(net, torch.zeros(1, *shape))
    cannot_say = ["dt (1e-4) is not in the file"] + (
        ["the subtract reset (written as v_reset = 0), and snnTorch's form of it (threshold subtracted after the "
         "decay)"] if reset == "subtract" else [])
    note = ("per-neuron beta and threshold (shape (2, 4, 4) after the conv): with scalar ones snnTorch cannot "
            "write this net (export_to_nir's type check fails, and without it Conv2d.input_shape stays None, "
            "which nir.write cannot store)")
    meta = snntorch_meta(reset, cannot_say, how, {"input_shape": list(shape), "input_kind": "real values",
                                                   "note": note})
    return graph, run_snntorch(net, inputs.reshape(STEPS, -1), shape), inputs.reshape(STEPS, -1), 1e-4, meta


def snntorch_rleaky(reset: str, seed: int):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    n_in, n_hid, n_out = 8, 10, 4
    net = torch.nn.Sequential(torch.nn.Linear(n_in, n_hid),
                              snn.RLeaky(beta=0.9, linear_features=n_hid, reset_mechanism=reset, init_hidden=True),
                              torch.nn.Linear(n_hid, n_out), leaky(0.9, reset, n_out, False, output=True))
    set_dyadic(net[0], rng, -0.25, 0.75, bias=None)  # one odd bias (the recurrent one) per sum
    set_dyadic(net[1].recurrent, rng, -0.5, 0.5, bias=(-0.0625, 0.0625))
    set_dyadic(net[2], rng, -0.375, 0.625)
    inputs = spike_inputs(rng, (n_in,))
    graph, how = snntorch_export(net, torch.zeros(1, n_in))
    cannot_say = ["dt (1e-4) is not in the file",
                  "the recurrent loop 1.lif -> 1.w_rec -> 1.lif has no Delay node, but RLeaky adds "
                  "recurrent(spk_{k-1}): the previous step's spikes (one step, dt, of delay)",
                  "the output LIF node has parameters of shape () (scalar beta and threshold)"]
    update = ("snnTorch RLeaky (reset_delay=True): reset_k = H(mem_{k-1} - thr); "
              "base_k = beta*mem_{k-1} + I_k + W_rec @ spk_{k-1} + b_rec; 'zero': mem_k = base_k - reset_k*base_k "
              "(the whole step after a spike is lost: mem_k = 0, unlike Leaky's zero reset, which keeps I_k); "
              "'subtract': mem_k = base_k - reset_k*thr; spk_k = H(mem_k - thr)")
    if reset == "zero":
        cannot_say.append("RLeaky's zero reset zeroes the potential of the step after a spike, input included "
                          "(a one-step refractory period); NIR's v_reset = 0 then integrates that step's input")
    else:
        cannot_say.append("reset by subtraction: written as v_reset = 0")
    meta = snntorch_meta(reset, cannot_say, how, {"update_rleaky": update})
    return graph, run_snntorch(net, inputs, (n_in,)), inputs, 1e-4, meta


# -- Norse ---------------------------------------------------------------------------------------------

NORSE_STEP = {
    "LIFBoxCell": "v' = v + dt*tau_mem_inv*(v_leak - v + I_k); z_k = H(v' - v_th); v_k = (1-z_k)*v' + z_k*v_reset",
    "LIFCell": ("i' = i_{k-1} + I_k (the input jumps into the current, unscaled); "
                "v' = v + dt*tau_mem_inv*(v_leak - v + i'); i_k = i' - dt*tau_syn_inv*i'; "
                "z_k = H(v' - v_th); v_k = (1-z_k)*v' + z_k*v_reset"),
    "IAFCell": "v' = v_{k-1} + I_k (dt unused); z_k = H(v' - v_th); v_k = (1-z_k)*v' + z_k*v_reset",
}

NORSE_CANNOT_SAY = {
    "LIFBoxCell": ["dt (1e-3) is not in the file",
                   "the neuron count of each node: every parameter has shape ()"],
    "LIFCell": ["dt (1e-3) is not in the file",
                "the neuron count of each node: every parameter has shape ()",
                "the input scale: Norse adds the input to the synaptic current unscaled (i += I), which NIR's "
                "tau_syn di/dt = -i + w_in*I says with w_in = tau_syn/dt; Norse writes w_in = 1"],
    "IAFCell": ["the neuron count of each node: every parameter has shape ()",
                "Norse's IAF adds the input unscaled (v += I) and writes r = 1, which NIR's dv/dt = R*I means "
                "only for dt = 1 (for dt = 1e-3 it needs r = 1/dt)"],
}


def norse_net(cell: str, seed: int):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    n_in, n_hid, n_out = 10, 12, 6
    make = getattr(norse, cell)
    net = norse.SequentialState(torch.nn.Linear(n_in, n_hid), make(), torch.nn.Linear(n_hid, n_out), make())
    scale = {"LIFBoxCell": (-1.0, 3.0), "LIFCell": (-0.25, 0.75), "IAFCell": (-0.5, 1.0)}[cell]
    bias = None if cell == "IAFCell" else (-0.125, 0.125)  # IAF: exact sums, ties at v_th test Norse's v > v_th
    set_dyadic(net[0], rng, *scale, bias=bias)
    set_dyadic(net[2], rng, *scale, bias=bias)
    inputs = spike_inputs(rng, (n_in,))
    graph = norse.to_nir(net, torch.zeros(1, n_in))
    record, state = {}, None
    with torch.no_grad():
        for k in range(STEPS):
            x = torch.as_tensor(inputs[k].reshape(1, n_in))
            new_state = []
            for i, module in enumerate(net):
                if isinstance(module, torch.nn.Linear):
                    x = module(x)
                    new_state.append(None)
                    continue
                x, s = module(x, None if state is None else state[i])
                new_state.append(s)
                record.setdefault(str(i), ([], [], float(module.p.v_th)))
                record[str(i)][0].append(x.reshape(-1).numpy().copy())
                record[str(i)][1].append(s.v.reshape(-1).numpy().copy())
            state = new_state
    # SequentialState itself gives the same output spikes (checked here, so the manual loop is Norse's own)
    out, s = [], None
    with torch.no_grad():
        for k in range(STEPS):
            z, s = net(torch.as_tensor(inputs[k].reshape(1, n_in)), s)
            out.append(z.reshape(-1).numpy().copy())
    assert np.array_equal(np.array(out), np.array(record["3"][0])), "SequentialState differs from the layer loop"
    meta = {"library": "norse", "versions": versions(), "cell": cell, "reset_mechanism": "value (v_reset = 0)",
            "exporter": "norse.torch.to_nir(net, torch.zeros(1, n_in)) (dt = 1e-3, its default)",
            "update": NORSE_STEP[cell], "cannot_say": NORSE_CANNOT_SAY[cell],
            "input_node_note": "the Input node's shape includes the batch dimension: [1, n_in]"}
    return graph, {k: (np.array(s), np.array(v), th) for k, (s, v, th) in record.items()}, inputs, 1e-3, meta


CASES = {
    "snntorch_mlp_scalar_zero": lambda: snntorch_mlp("zero", False, 1),
    "snntorch_mlp_scalar_subtract": lambda: snntorch_mlp("subtract", False, 2),
    "snntorch_mlp_perneuron_zero": lambda: snntorch_mlp("zero", True, 3),
    "snntorch_mlp_perneuron_subtract": lambda: snntorch_mlp("subtract", True, 10),
    "snntorch_conv_zero": lambda: snntorch_conv(4),
    "snntorch_conv_subtract": lambda: snntorch_conv(11, "subtract"),
    "snntorch_rleaky_zero": lambda: snntorch_rleaky("zero", 5),
    "snntorch_rleaky_subtract": lambda: snntorch_rleaky("subtract", 6),
    "norse_lifbox": lambda: norse_net("LIFBoxCell", 7),
    "norse_lif_cubalif": lambda: norse_net("LIFCell", 8),
    "norse_iaf": lambda: norse_net("IAFCell", 9),
}


def to_numpy_fields(graph: nir.NIRGraph) -> None:
    """Norse leaves torch tensors in the graph; nir.write wants arrays (values unchanged)."""
    for node in graph.nodes.values():
        if isinstance(node, nir.NIRGraph):
            to_numpy_fields(node)
            continue
        for key, value in vars(node).items():
            if isinstance(value, torch.Tensor):
                setattr(node, key, value.detach().numpy())


def write_nir(path: Path, graph: nir.NIRGraph) -> None:
    """nir.write without compression: gzip makes these tiny files larger, and h5py refuses it on the
    shape-() datasets that the exporters write for scalar parameters."""
    nir.write(str(path), graph, compression=None)


# -- evsim's files, imported by snnTorch and Norse ------------------------------------------------------

def snntorch_import(graph: nir.NIRGraph, dt: float):
    """snnTorch's own importer (it assumes dt = 1e-4 and takes none); the module is called once per step."""
    from snntorch.import_nir import import_from_nir

    module = import_from_nir(graph)
    return (lambda x, state: (module(x), None)), module, "snntorch.import_nir.import_from_nir(graph)"


def norse_import(graph: nir.NIRGraph, dt: float):
    """Norse's own importer with the file's time step (Norse's default is 1e-3)."""
    module = norse.from_nir(graph, dt=dt)
    return module, module, f"norse.torch.from_nir(graph, dt={dt!r}) (dt: the file's evsim_dt)"


def if_as_lif(graph: nir.NIRGraph) -> nir.NIRGraph:
    """Each IF node as the LIF node snnTorch 1.0 runs as an IF neuron: its importer makes every IF node a
    Leaky(beta=0.9, subtract reset) that returns (spikes, potential), which the next layer cannot take, but
    reads LIF(tau, r) as beta = 1 - 1e-4/tau and input gain r*1e-4/tau. tau = 1e30 gives beta = 1.0 and
    r = tau/1e-4 gain 1 (in NIR's own terms this means an IF only at dt = 1e-4, and Norse reads it as a
    neuron that never moves)."""
    for name, node in list(graph.nodes.items()):
        if isinstance(node, nir.IF):
            tau = np.full(np.shape(node.v_threshold), 1e30)
            graph.nodes[name] = nir.LIF(tau=tau, r=tau / 1e-4, v_leak=np.zeros_like(tau),
                                        v_threshold=node.v_threshold, v_reset=np.zeros_like(tau),
                                        metadata=node.metadata)
    return graph


def snntorch_if_as_lif_import(graph: nir.NIRGraph, dt: float):
    step, module, call = snntorch_import(if_as_lif(graph), dt)
    return step, module, f"{call} on the graph with each IF node as LIF(tau=1e30, r=1e34, v_leak=0, v_reset=0)"


IMPORTERS = {"snntorch": snntorch_import, "norse": norse_import, "snntorch_if_as_lif": snntorch_if_as_lif_import}


def run_imported(library: str, path: Path, data, meta: dict) -> tuple[dict, dict]:
    """Import ``path`` with the library, feed the stored inputs one step at a time (batch 1), and record
    the spikes of every node named in ``meta["layers"]`` (a forward hook on its module)."""
    dt = float(data["dt"])
    info = {"library": library, "versions": versions(), "steps": STEPS, "file": path.name, "dt": dt}
    spikes: dict[str, list] = {layer: [] for layer in meta["layers"]}
    try:
        step, module, info["importer"] = IMPORTERS[library](nir.read(str(path)), dt)
        modules = dict(module.named_modules())
        for layer in meta["layers"]:
            modules[layer].register_forward_hook(
                lambda _m, _i, out, layer=layer: spikes[layer].append(
                    (out[0] if isinstance(out, tuple) else out).detach().reshape(-1).numpy().copy()))
            info.setdefault("modules", {})[layer] = re.sub(r" at 0x[0-9a-f]+", "", repr(modules[layer]))
        state = None
        with torch.no_grad():
            for k in range(STEPS):
                x = data["inputs"][k].reshape(1, *meta["input_shape"])
                _, state = step(torch.as_tensor(x, dtype=torch.float32), state)
    except Exception as error:  # record what the library does with the file, whatever it is
        info["error"] = f"{type(error).__name__}: {error}"
        return {}, info
    return {f"spikes__{layer}": np.array(s, dtype=np.float32) for layer, s in spikes.items()}, info


def from_evsim(out: Path) -> None:
    """For each evsim_<case>.nir (tools/make_evsim_exports.py): what snnTorch and Norse compute from it."""
    for path in sorted(out.glob("evsim_*.nir")):
        with np.load(path.with_suffix(".npz")) as stored:
            data = {key: stored[key] for key in stored.files}
        meta = json.loads(str(data["meta"]))
        has_if = any(isinstance(node, nir.IF) for node in nir.read(str(path)).nodes.values())
        for library in (name for name in IMPORTERS if has_if or name != "snntorch_if_as_lif"):
            arrays, info = run_imported(library, path, data, meta)
            np.savez_compressed(out / f"{path.stem}.{library}.npz", meta=np.array(json.dumps(info)), **arrays)
            differ = {layer: int(np.sum(arrays[f"spikes__{layer}"] != data[f"spikes__{layer}"]))
                      for layer in meta["layers"]} if arrays else info["error"]
            print(f"{path.stem} / {library}: differing slots {differ}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "tests" / "data" / "nir"))
    parser.add_argument("--from-evsim", action="store_true",
                        help="import the evsim_*.nir files in --out with snnTorch and Norse instead")
    parser.add_argument("cases", nargs="*", help="the cases to make (default: all)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.from_evsim:
        from_evsim(out)
        return
    for name, make in CASES.items():
        if args.cases and name not in args.cases:
            continue
        graph, record, inputs, dt, meta = make()
        to_numpy_fields(graph)
        write_nir(out / f"{name}.nir", graph)
        layers = list(record)
        margin = min(float(np.min(np.abs(v - th))) for _, v, th in record.values())
        meta.update(layers=layers, output_layer=layers[-1], steps=STEPS, seed_case=name,
                    min_distance_of_potential_from_threshold=margin)
        arrays = {"inputs": inputs, "spikes": record[layers[-1]][0], "dt": np.float64(dt),
                  "meta": np.array(json.dumps(meta))}
        for key, (s, v, _) in record.items():
            arrays[f"spikes__{key}"] = s
            arrays[f"v__{key}"] = v
        np.savez_compressed(out / f"{name}.npz", **arrays)
        counts = ", ".join(f"{key}: {int(s.sum())}/{s.size}" for key, (s, _, _) in record.items())
        print(f"{name}: spikes {counts}; min |v - thr| = {margin:.3g}")


if __name__ == "__main__":
    main()
