"""Lessons on the event-driven core: one IF neuron, a zero-delay circuit, a continuous LIF."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

import evsim
from evsim import IF, LIF, Input, Network, Synapse

__all__ = ["if_neuron_lesson", "circuit_lesson", "continuous_lif_lesson", "save_figure"]


def save_figure(ax, path: Path) -> Path:
    """Write the Axes' figure as a PNG and close it."""
    fig = ax.figure
    if fig.get_layout_engine() is None:  # (evsim's figures lay themselves out: constrained layout)
        fig.tight_layout()
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def if_neuron_lesson(out_dir: Path) -> str:
    """One IF neuron (θ = 1, soft reset) fed 0.625 per input spike, with its event trace; then why floats matter.

    Look for: arrivals at t + 1 (the synapse delay); the neuron fires at the
    step where the summed potential first reaches θ, and keeps the excess.
    The weight 0.625 = 5/8 is exact in binary, so every sum is exact. With
    0.6 the same inputs give one spike fewer: 1.2 − 1 is
    0.19999999999999996 in binary floating point, the error carries, and
    what "should" be 0.4 + 0.6 is 0.3999999999999999 + 0.6 =
    0.9999999999999999, below θ = 1 — evsim compares exactly the numbers it has.
    """
    rec = evsim.simulate(_one_neuron(0.625), {"x": INPUTS}, until=8, probes=["y"], trace=True)
    figure = save_figure(evsim.plot.potential(rec, "y", until=8), out_dir / "01_if_neuron_potential.png")
    decimal = evsim.simulate(_one_neuron(0.6), {"x": INPUTS}, until=8, probes=["y"])
    left, last = decimal.potentials["y"].sample(np.array([5.0, 6.0]))  # after the update at 5, and at 6
    return "\n".join([
        "1. One IF neuron: x --(w=0.625, delay 1 ms)--> y, threshold 1, soft reset",
        f"   input spikes x: {rec.trains()['x'].tolist()} ms",
        f"   output spikes y: {rec.trains()['y'].tolist()} ms",
        "   event trace (deliver < update at each instant):",
        *("   " + line for line in rec.trace.format().splitlines()),
        f"   why floats matter: with w = 0.6, y fires at {decimal.trains()['y'].tolist()} ms only — at 6 ms its "
        f"potential is {float(left)!r} + 0.6 = {float(last)!r} < 1, not 0.4 + 0.6 = 1: in binary floating "
        f"point 1.2 - 1 is already {1.2 - 1!r}, and the error carries",
        f"   figure: {figure}",
    ])


INPUTS = [0, 1, 2, 4, 5]


def _one_neuron(weight: float) -> Network:
    return Network({"x": Input(), "y": IF(threshold=1.0)}, [Synapse("x", "y", weight, 1.0)], outputs={"y"})


def circuit_lesson(out_dir: Path) -> str:
    """Two neurons in a zero-delay chain, and simultaneous excitation + inhibition.

    Look for: ``a`` and ``b`` fire in the same step (rank 0 then rank 1); at
    t = 6 excitation and inhibition arrive together, are summed first, and
    cancel, whatever the order of the synapses.
    """
    net = Network(
        {"x": Input(), "inh": Input(), "a": IF(threshold=1.0), "b": IF(threshold=1.0)},
        [Synapse("x", "a", 1.0, 0.0), Synapse("a", "b", 1.0, 0.0), Synapse("inh", "a", -1.0, 0.0)],
        outputs={"b"},
    )
    rec = evsim.simulate(net, {"x": [2, 6], "inh": [6]}, until=10, trace=True)
    figure = save_figure(evsim.plot.event_timeline(rec), out_dir / "02_circuit_events.png")
    trains = {k: v.tolist() for k, v in rec.trains().items()}
    return "\n".join([
        "2. Zero-delay chain x -> a -> b with an inhibitory input onto a",
        f"   spikes: {trains}",
        "   x, a, b have zero-delay ranks 0, 1, 2: at t=2 all three fire in the same step;",
        "   at t=6 the +1 and -1 arrivals are summed before a updates, and cancel",
        f"   figure: {figure}",
    ])


def continuous_lif_lesson(out_dir: Path) -> str:
    """A continuous-time LIF driven by a constant bias: crossings found in closed form.

    Look for: spike times equal ``k * tau * ln(v_inf / (v_inf - theta))``
    exactly (to rounding), with no time step anywhere.
    """
    tau, theta, bias = 10.0, 1.0, 0.15  # v_inf = 1.5
    net = Network({"y": LIF(tau=tau, threshold=theta, bias=bias, reset="zero")}, [], dt=None)
    rec = evsim.simulate(net, until=60.0, probes=["y"])
    period = tau * math.log(1.5 / 0.5)
    spikes = rec.trains()["y"]
    error = max(abs(t - (k + 1) * period) for k, t in enumerate(spikes))
    figure = save_figure(evsim.plot.potential(rec, "y", until=60.0), out_dir / "03_lif_continuous.png")
    return "\n".join([
        "3. Continuous-time LIF, tau = 10 ms, v_inf = 1.5, threshold 1, reset to 0",
        f"   spike times: {[round(t, 6) for t in spikes.tolist()]} ms",
        f"   closed-form period tau*ln(v_inf/(v_inf-theta)) = {period:.6f} ms; max deviation {error:.1e} ms"
        + (", within float rounding (< 1e-12 ms)" if error < 1e-12 else ""),
        f"   figure: {figure}",
    ])
