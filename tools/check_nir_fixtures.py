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
                 steps: int) -> dict:
    """(steps + 1, width) 0/1 arrays of evsim's spikes per layer, row k = spikes at time k*dt."""
    if analog:
        times = np.arange(inputs.shape[0]) * dt
        feed = {f"input[{i}]": Analog(times, inputs[:, i]) for i in range(inputs.shape[1])}
    else:
        feed = {f"input[{i}]": (np.flatnonzero(inputs[:, i]) * dt).tolist() for i in range(inputs.shape[1])}
    record = evsim.simulate(net, feed, (steps + 1) * dt)
    out = {layer: np.zeros((steps + 2, widths[layer])) for layer in layers}
    for n, t in zip(record.neuron, record.time):
        name = str(record.names[n])
        layer, _, index = name.rpartition("[")
        if layer in out:
            out[layer][int(round(t / dt)), int(index[:-1])] = 1
    return out


# What each library's file cannot say, as the from_nir arguments evsim/nirio/__init__.py documents for it.
DOCUMENTED = {
    "norse_iaf": dict(dt=1.0),  # Norse's IAF adds its input unscaled and writes r = 1: NIR's IF at dt = 1
    "norse_lifbox": dict(dt=1e-6),  # Norse writes tau = dt*tau_mem: its step is NIR's at dt*dt
    "snntorch_mlp_scalar_subtract": dict(reset="subtract"),
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


if __name__ == "__main__":
    main()
