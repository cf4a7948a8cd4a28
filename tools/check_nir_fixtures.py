"""How evsim's from_nir does on the fixtures in tests/data/nir/ (made by tools/make_nir_fixtures.py).

Needs evsim and nir only (no torch)::

    PYTHONPATH=. python tools/check_nir_fixtures.py [--dir tests/data/nir]

For each case: does ``from_nir(<case>.nir, dt=<the library's dt>)`` import; if so, evsim is run on
the stored inputs (input ``i`` at step ``k`` is a spike at time ``k*dt``, or an analog value held from
``k*dt``) and its spikes are compared with the library's, slot by slot (a slot is one neuron at one
step). Step ``k`` of the library is compared with evsim's spikes at time ``(k + shift)*dt``; the table
gives the count of differing slots for shift 0 (a spike at the step of the input that caused it,
evsim's documented convention) and shift 1.

Where the file cannot say what the library did, a second row reads it with the from_nir arguments
documented for that library (``DOCUMENTED``: the dt under which NIR's equations give Norse's update,
snnTorch's subtract reset, RLeaky's one-step loop and its zero reset; see tests/data/nir/README.md).
A last table covers the other direction: evsim's own exports (``evsim_<case>.nir``) and, per library
that imported them, the slots in which its stored spikes differ from evsim's run of the file (or the
error it raised).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

import evsim
from evsim.inputs import Analog
from evsim.nirio import from_nir


def evsim_spikes(net, inputs: np.ndarray, dt: float, analog: bool, layers: list[str], widths: dict,
                 steps: int, names: list[str] | None = None, neurons: dict | None = None) -> dict:
    """(steps + 2, width) 0/1 arrays of evsim's spikes per layer, row k = spikes at time k*dt. Inputs are
    ``input[i]`` (or ``names``); a layer's neurons are ``<layer>[j]`` (or ``neurons[layer][j]``)."""
    names = names or [f"input[{i}]" for i in range(inputs.shape[1])]
    if analog:
        times = np.arange(inputs.shape[0]) * dt
        feed = {name: Analog(times, inputs[:, i]) for i, name in enumerate(names)}
    else:
        feed = {name: (np.flatnonzero(inputs[:, i]) * dt).tolist() for i, name in enumerate(names)}
    record = evsim.simulate(net, feed, (steps + 1) * dt)
    where = {f"{layer}[{j}]": (layer, j) for layer in layers for j in range(widths[layer])}
    where.update({name: (layer, j) for layer, members in (neurons or {}).items() for j, name in enumerate(members)})
    out = {layer: np.zeros((steps + 2, widths[layer])) for layer in set(layers) | set(neurons or {})}
    for n, t in zip(record.neuron, record.time):
        if str(record.names[n]) in where:
            layer, j = where[str(record.names[n])]
            out[layer][int(round(t / dt)), j] = 1
    return out


# What each library's file cannot say, as the from_nir arguments evsim/nirio/__init__.py documents for it.
DOCUMENTED = {
    "norse_iaf": dict(dt=1.0),  # Norse's IAF adds its input unscaled and writes r = 1: NIR's IF at dt = 1
    "norse_lifbox": dict(dt=1e-6),  # Norse writes tau = dt*tau_mem: its step is NIR's at dt*dt
    "norse_lif_cubalif": dict(dt=1e-6, w_in="unscaled"),  # and Norse adds the input to the current as it is
    "snntorch_mlp_scalar_subtract": dict(reset="subtract"),
    "snntorch_mlp_perneuron_subtract": dict(reset="subtract"),
    "snntorch_conv_subtract": dict(reset="subtract"),
    "snntorch_rleaky_subtract": dict(reset="subtract", loop_delay=True),
    "snntorch_rleaky_zero": dict(loop_delay=True, refractory={"1.lif": 2e-4}),
}


def check(path: Path, options: dict | None = None) -> dict:
    data = np.load(path.with_suffix(".npz"))
    meta = json.loads(str(data["meta"]))
    options = dict(options or {})
    dt = float(options.pop("dt", data["dt"]))
    layers, steps = meta["layers"], int(meta["steps"])
    said = ", ".join(f"{k}={v!r}" for k, v in options.items())
    row = {"case": path.stem + (f" ({said})" if said else ""), "dt": dt}
    try:
        net = from_nir(path, dt=dt, **options)
    except Exception as error:  # report, whatever it is
        row["error"] = f"{type(error).__name__}: {error}"
        return row
    widths = {layer: data[f"spikes__{layer}"].shape[1] for layer in layers}
    try:
        got = evsim_spikes(net, data["inputs"], dt, meta.get("input_kind") == "real values", layers, widths, steps)
    except Exception as error:
        row["error"] = f"imports, but simulate fails: {type(error).__name__}: {error}"
        return row
    for shift in (0, 1):
        row[f"out{shift}"] = int(np.sum(got[layers[-1]][shift:shift + steps] != data["spikes"]))
        row[f"all{shift}"] = sum(int(np.sum(got[layer][shift:shift + steps] != data[f"spikes__{layer}"]))
                                 for layer in layers)
    row["out_total"] = data["spikes"].size
    row["all_total"] = sum(data[f"spikes__{layer}"].size for layer in layers)
    row["lib_spikes"] = int(data["spikes"].sum())
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parent.parent / "tests" / "data" / "nir"))
    args = parser.parse_args()
    rows = []
    for path in sorted(Path(args.dir).glob("*.nir")):
        if path.stem.startswith("evsim_"):  # evsim's own exports: see exports() below
            continue
        rows.append(check(path))
        if path.stem in DOCUMENTED:
            rows.append(check(path, DOCUMENTED[path.stem]))
    print(f"{'case':90} {'dt':>6}  imports  {'output differ (shift 0 | 1)':>28}  {'all layers differ (shift 0 | 1)':>32}")
    for row in rows:
        if "error" in row:
            print(f"{row['case']:90} {row['dt']:>6g}  no       {row['error']}")
            continue
        out = f"{row['out0']} | {row['out1']} of {row['out_total']}"
        every = f"{row['all0']} | {row['all1']} of {row['all_total']}"
        print(f"{row['case']:90} {row['dt']:>6g}  yes      {out:>28}  {every:>32}")
    exports(Path(args.dir))


def exports(directory: Path) -> None:
    """evsim's files (tools/make_evsim_exports.py) as the libraries ran them: differing slots per library,
    against evsim's run of the committed file (input i at step k: an event at time k*dt)."""
    print(f"\n{'evsim export':28} {'library':20} differing slots (neuron x step)")
    for path in sorted(directory.glob("evsim_*.nir")):
        if path.stem.count(".") or not path.with_suffix(".npz").exists():
            continue
        data = np.load(path.with_suffix(".npz"))
        meta = json.loads(str(data["meta"]))
        net, names = from_nir(path), meta["input_names"]
        x = data["inputs"].reshape(len(data["inputs"]), -1)
        widths = {layer: data[f"spikes__{layer}"].shape[1] for layer in meta["layers"]}
        got = evsim_spikes(net, x, net.dt, meta["input_kind"] == "real values", [], widths, int(meta["steps"]),
                           names=names, neurons=meta["neurons"])
        for library_file in sorted(directory.glob(f"{path.stem}.*.npz")):
            theirs = np.load(library_file)
            info = json.loads(str(theirs["meta"]))
            if "error" in info:
                print(f"{path.stem:28} {info['library']:20} {info['error'][:70]}")
                continue
            differ = sum(int(np.sum(theirs[f"spikes__{layer}"] != got[layer][:int(meta["steps"])]))
                         for layer in meta["layers"])
            total = sum(theirs[f"spikes__{layer}"].size for layer in meta["layers"])
            print(f"{path.stem:28} {info['library']:20} {differ} of {total}")


if __name__ == "__main__":
    main()
