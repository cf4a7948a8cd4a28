"""Write evsim networks as NIR files, with the spikes evsim computes, for snnTorch and Norse to import.

Run in evsim's environment (evsim, nir; no torch)::

    PYTHONPATH=. python tools/make_evsim_exports.py [--out tests/data/nir]

Then ``python tools/make_nir_fixtures.py --from-evsim`` (where torch, snnTorch and Norse are installed)
imports each ``evsim_<case>.nir`` with snnTorch's and Norse's NIR importers, runs it on the same inputs
and stores what each library computed (``evsim_<case>.<library>.npz``); ``tests/test_nir_export_fixtures.py``
compares them. Each case writes

- ``evsim_<case>.nir``: ``nir.write(path, evsim.io.to_nir(net), compression=None)``;
- ``evsim_<case>.npz``: ``inputs`` (steps × input width: the value fed at step k, 0/1 spikes or real
  values), ``spikes__<node>`` (steps × width: evsim's spikes of the neurons of NIR node ``<node>`` at
  time k·dt), ``dt`` and ``meta`` (JSON: case, layers, steps, input kind, versions, what NIR cannot say).

Weights are multiples of 1/16, inputs of 1/8, biases odd multiples of 1/32 and thresholds 1, so every
sum is exact in float32 and float64 alike (ties with the threshold do occur in the IF nets: evsim's
``m >= θ`` is what the written ``v_threshold``, the largest float32 below θ, makes of a float32
``v > v_threshold``); LIF decays are β = 3/4 and 7/8.
"""

from __future__ import annotations

import argparse
import json
from importlib.metadata import version
from pathlib import Path

import nir
import numpy as np

import evsim
from evsim.deep import convert, to_network
from evsim.deep.layers import AvgPool2d, Conv2d, Dense, Flatten, ReLU, Sequential
from evsim.inputs import Analog
from evsim.nirio import to_nir
from evsim.nirio.write import populations

STEPS = 30
GRID = 16


def dyadic(rng: np.random.Generator, shape, low: float, high: float) -> np.ndarray:
    return rng.integers(round(low * GRID), round(high * GRID) + 1, shape) / GRID


def odd_biases(rng: np.random.Generator, n: int) -> np.ndarray:
    return (2 * rng.integers(-2, 2, n) + 1) / 32  # ±1/32, ±3/32


def converted_ann(seed: int):
    """A Dense 6 → 8 → 5 → 3 ANN converted with thresholds 1 (IF neurons, subtract reset, v(0) = 0)."""
    rng = np.random.default_rng(seed)
    ann = Sequential([Dense(6, 8), ReLU(), Dense(8, 5), ReLU(), Dense(5, 3)])
    for layer in ann.layers:
        if layer.params:
            layer.params = {"W": dyadic(rng, layer.params["W"].shape, -0.5, 0.625),
                            "b": odd_biases(rng, layer.params["b"].size)}
    snn = convert(ann, thresholds=[1.0, 1.0], input_shape=(6,))
    inputs = rng.integers(0, 9, (STEPS, 6)) / 8  # analog input: a real value per input and step
    cannot = ["reset by subtraction (evsim's converted neurons): NIR has no subtract reset; the file says "
              "v_reset = 0, which the importers read as a reset to 0"]
    return snn, to_network(snn), inputs, "real values", cannot


def converted_conv(seed: int):
    """Conv2d(1→2, 3×3, padding 1) → ReLU → AvgPool2d(2) → Flatten → Dense(8→4) → ReLU → Dense(4→3) on
    1×4×4 images, converted with thresholds 1 (IF neurons, subtract reset)."""
    rng = np.random.default_rng(seed)
    ann = Sequential([Conv2d(1, 2, 3, padding=1), ReLU(), AvgPool2d(2), Flatten(), Dense(8, 4), ReLU(),
                      Dense(4, 3)])
    for layer in ann.layers:
        if layer.params:
            layer.params = {"W": dyadic(rng, layer.params["W"].shape, -0.5, 0.75),
                            "b": odd_biases(rng, layer.params["b"].size)}
    snn = convert(ann, thresholds=[1.0, 1.0], input_shape=(1, 4, 4))
    inputs = rng.integers(0, 9, (STEPS, 16)) / 8  # a new image (flattened) every step
    cannot = ["reset by subtraction (evsim's converted neurons), read as a reset to 0"]
    return snn, to_network(snn), inputs, "real values", cannot


def two_layers(kind: str, seed: int):
    """10 → 12 → 6 spike inputs, hard reset to 0, zero-delay synapses (IF at dt = 1, LIF at dt = 1e-4)."""
    rng = np.random.default_rng(seed)
    n_in, n_hid, n_out = 10, 12, 6
    dt = 1.0 if kind == "if" else 1e-4
    w1, w2 = dyadic(rng, (n_hid, n_in), -0.5, 0.5), dyadic(rng, (n_out, n_hid), -0.25, 0.75)
    b1, b2 = odd_biases(rng, n_hid), odd_biases(rng, n_out)

    def model(bias: float, beta: float):
        if kind == "if":
            return evsim.IF(threshold=1.0, reset="zero", bias=float(bias))
        return evsim.LIF.from_beta(beta, dt=dt, threshold=1.0, reset="zero", bias=float(bias))

    neurons = {f"x{i}": evsim.Input() for i in range(n_in)}
    neurons.update({f"h{j}": model(b1[j], 0.75) for j in range(n_hid)})
    neurons.update({f"y{k}": model(b2[k], 0.875) for k in range(n_out)})
    synapses = {"source": [f"x{i}" for j in range(n_hid) for i in range(n_in)] +
                          [f"h{j}" for k in range(n_out) for j in range(n_hid)],
                "target": [f"h{j}" for j in range(n_hid) for i in range(n_in)] +
                          [f"y{k}" for k in range(n_out) for j in range(n_hid)],
                "weight": np.concatenate([w1.ravel(), w2.ravel()]), "delay": np.zeros(w1.size + w2.size)}
    net = evsim.Network(neurons, synapses, outputs={f"y{k}" for k in range(n_out)}, dt=dt)
    inputs = (rng.random((STEPS, n_in)) < 0.4).astype(float)
    return None, net, inputs, "spikes", []


CASES = {
    "converted_ann": lambda: converted_ann(11),
    "converted_conv": lambda: converted_conv(14),
    "if_two_layers": lambda: two_layers("if", 12),
    "lif_two_layers": lambda: two_layers("lif", 13),
}


def feed(net: evsim.Network, inputs: np.ndarray, kind: str, input_names: list[str]) -> dict:
    times = np.arange(inputs.shape[0]) * net.dt
    if kind == "real values":
        return {name: Analog(times.tolist(), inputs[:, i].tolist()) for i, name in enumerate(input_names)}
    return {name: times[inputs[:, i] > 0].tolist() for i, name in enumerate(input_names)}


def layer_spikes(net: evsim.Network, record, layers: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """(steps, width) 0/1 spikes of each node's neurons, row k = evsim's spikes at time k·dt."""
    out = {node: np.zeros((STEPS, idx.size)) for node, idx in layers.items()}
    where = {net.names[i]: (node, j) for node, idx in layers.items() for j, i in enumerate(idx)}
    for n, t in zip(record.neuron, record.time):
        name = str(record.names[n])
        if name in where:
            node, j = where[name]
            out[node][int(round(t / net.dt)), j] = 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "tests" / "data" / "nir"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    for case, make in CASES.items():
        snn, net, inputs, kind, cannot = make()
        graph = to_nir(snn if snn is not None else net)
        nir.write(str(out / f"evsim_{case}.nir"), graph, compression=None)
        members = populations(net) if snn is None else None
        if snn is None:
            layers = {node: idx for node, idx in members.items() if node != "input"}
            input_names = [net.names[i] for i in members["input"]]
        else:
            index = {name: i for i, name in enumerate(net.names)}
            layers = {f"L{k}": np.array([index[f"L{k}_{j}"] for j in range(layer.size)])
                      for k, layer in enumerate(snn.layers) if layer.spiking}
            input_names = [f"in{i}" for i in range(inputs.shape[1])]
        record = evsim.simulate(net, feed(net, inputs, kind, input_names), STEPS * net.dt)
        spikes = layer_spikes(net, record, layers)
        meta = {"case": case, "layers": list(layers), "steps": STEPS, "input_kind": kind, "cannot_say": cannot,
                "input_names": input_names,
                "input_shape": list(snn.input_shape) if snn is not None else [len(input_names)],
                "neurons": {node: [net.names[i] for i in idx] for node, idx in layers.items()},
                "versions": {name: version(name) for name in ("nir", "numpy")},
                "made_by": "tools/make_evsim_exports.py"}
        np.savez_compressed(out / f"evsim_{case}.npz", inputs=inputs, dt=np.float64(net.dt),
                            meta=np.array(json.dumps(meta)), **{f"spikes__{k}": v for k, v in spikes.items()})
        counts = ", ".join(f"{k}: {int(v.sum())}/{v.size}" for k, v in spikes.items())
        print(f"evsim_{case}: nodes {list(graph.nodes)}; evsim spikes {counts}")


if __name__ == "__main__":
    main()
