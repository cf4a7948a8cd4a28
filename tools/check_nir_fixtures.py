"""How evsim's from_nir does on the fixtures in tests/data/nir/ (made by tools/make_nir_fixtures.py).

Needs evsim and nir only (no torch)::

    PYTHONPATH=. python tools/check_nir_fixtures.py [--dir tests/data/nir]

For each case: does ``from_nir(<case>.nir, dt=<the library's dt>)`` import; if so, evsim is run on
the stored inputs (input ``i`` at step ``k`` is a spike at time ``k*dt``, or an analog value held from
``k*dt``) and its spikes are compared with the library's, slot by slot (a slot is one neuron at one
step). Step ``k`` of the library is compared with evsim's spikes at time ``(k + shift)*dt``; the table
gives the count of differing slots for shift 0 (a spike at the step of the input that caused it,
evsim's documented convention) and shift 1.

Where today's import refuses a node for scalar parameters ("has 1 neurons but receives N values"),
a second row shows the same file with those parameters broadcast to the width of the Affine feeding
the node (done here, on the graph nir.read returns), to show what remains after that fix. Two more
rows run Norse's files at the dt under which NIR's equations give Norse's update (see
tests/data/nir/README.md); for the LIFCell (CubaLIF) file that row also sets ``w_in = tau_syn/dt``,
the input scale Norse's rule means but its file does not write (see ``evsim.nirio``).
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


def broadcast_scalars(graph) -> int:
    """Give every neuron node whose parameters have shape () or (1,) the width of the Affine/Linear
    that feeds it (what the exporters mean); returns how many nodes were changed."""
    changed = 0
    for name, node in graph.nodes.items():
        if type(node).__name__ == "NIRGraph":
            changed += broadcast_scalars(node)
            continue
        if type(node).__name__ not in ("LIF", "IF", "CubaLIF") or np.size(node.v_threshold) != 1:
            continue
        feeds = [graph.nodes[src] for src, dst in graph.edges if dst == name and hasattr(graph.nodes[src], "weight")]
        if not feeds:
            continue
        width = np.shape(feeds[0].weight)[0]
        for field in ("tau", "tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "v_reset", "w_in"):
            if getattr(node, field, None) is not None:
                setattr(node, field, np.full(width, np.asarray(getattr(node, field), float).item()))
        changed += 1
    return changed


def delay_loops(graph, dt: float) -> int:
    """Put a Delay of one step on every edge that closes a neuron → linear → same neuron loop (what
    snnTorch's RLeaky means: recurrent(spk_{k-1})); returns how many edges were changed."""
    import nir

    changed = 0
    for src, dst in list(graph.edges):
        if (dst, src) in graph.edges and type(graph.nodes[dst]).__name__ in ("LIF", "IF", "CubaLIF"):
            name = f"{src}.delay"
            width = np.shape(graph.nodes[src].weight)[0]
            graph.nodes[name] = nir.Delay(delay=np.full(width, dt))
            graph.edges.remove((src, dst))
            graph.edges += [(src, name), (name, dst)]
            changed += 1
    return changed


def norse_input_scale(graph, dt: float) -> int:
    """Set every CubaLIF node's ``w_in`` to ``tau_syn/dt``: Norse adds the input to the current unscaled, which
    NIR's ``tau_syn·di/dt = −i + w_in·I`` says only so (Norse writes 1); returns how many nodes were changed."""
    cells = [node for node in graph.nodes.values() if type(node).__name__ == "CubaLIF"]
    for node in cells:
        node.w_in = np.asarray(node.tau_syn, float) / dt
    return len(cells)


def check(path: Path, dt_override: float | None = None, broadcast: bool = False) -> dict:
    import nir

    data = np.load(path.with_suffix(".npz"))
    meta = json.loads(str(data["meta"]))
    dt = float(data["dt"]) if dt_override is None else dt_override
    layers, steps = meta["layers"], int(meta["steps"])
    row = {"case": path.stem + (" (scalars broadcast here)" if broadcast else ""), "dt": dt}
    try:
        if broadcast:
            graph = nir.read(str(path), type_check=False)
            broadcast_scalars(graph)
            if delay_loops(graph, dt):
                row["case"] += " + 1-step Delay in the loop"
            if path.stem.startswith("norse") and norse_input_scale(graph, dt):
                row["case"] += " + w_in = tau_syn/dt"
            net = from_nir(graph, dt=dt)
        else:
            net = from_nir(path, dt=dt)
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
        if "has 1 neurons but receives" in rows[-1].get("error", ""):
            rows.append(check(path, broadcast=True))
        if path.stem == "norse_iaf":  # Norse's IAF ignores dt (v += I) and writes r = 1: NIR means that at dt = 1
            rows.append(check(path, dt_override=1.0, broadcast=True))
        if path.stem in ("norse_lifbox", "norse_lif_cubalif"):  # Norse writes tau = dt*tau: its step is NIR's at dt*dt
            rows.append(check(path, dt_override=1e-6, broadcast=True))
    print(f"{'case':55} {'dt':>6}  imports  {'output differ (shift 0 | 1)':>28}  {'all layers differ (shift 0 | 1)':>32}")
    for row in rows:
        if "error" in row:
            print(f"{row['case']:55} {row['dt']:>6g}  no       {row['error']}")
            continue
        out = f"{row['out0']} | {row['out1']} of {row['out_total']}"
        every = f"{row['all0']} | {row['all1']} of {row['all_total']}"
        print(f"{row['case']:55} {row['dt']:>6g}  yes      {out:>28}  {every:>32}")


if __name__ == "__main__":
    main()
