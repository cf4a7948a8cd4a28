"""Solutions to the exercises of the tutorial "A LIF neuron and its reset"."""

from __future__ import annotations

import math

import evsim


def _lif_pair(gap: float) -> evsim.SpikeRecord:
    net = evsim.Network({"x": evsim.Input(), "y": evsim.LIF(tau=10.0, threshold=1.0, reset=0.0)},
                        [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"}, dt=None)
    return evsim.simulate(net, {"x": [0.0, gap]}, until=gap + 5.0)


def exercise_1() -> tuple[float, int, int]:
    """The largest gap: ``0.6·e^(−d/τ) + 0.6 = 1`` gives ``d = τ·ln(0.6/0.4) = 10·ln 1.5 ≈ 4.0547 ms``.

    Returns the gap and the spike counts of ``y`` 1 µs below and 1 µs above it (1 and 0).
    """
    gap = 10.0 * math.log(0.6 / 0.4)
    below, above = (len(_lif_pair(gap + shift).trains()["y"]) for shift in (-1e-3, 1e-3))
    return gap, below, above


def exercise_2() -> tuple[int, float]:
    """One arrival of 2.5 at a subtract-reset IF (discrete time, dt = 1 ms): it fires at 1 ms (2.5 → 1.5)
    and, still at or above θ, again at the next step, 2 ms (1.5 → 0.5); then 0.5 < θ stays.

    Returns the number of spikes and the potential left. (In continuous time, ``dt=None``, an IF
    without bias updates only when something arrives, so it fires once and keeps 1.5 until the next
    input.)
    """
    net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0, reset="subtract")},
                        [evsim.Synapse("x", "y", 2.5, 1.0)], outputs={"y"})
    record = evsim.simulate(net, {"x": [0]}, until=10, probes=["y"])
    return len(record.trains()["y"]), float(record.potentials["y"].after[-1])


def exercise_3() -> tuple[list[float], float, float]:
    """0.6 is not a binary fraction: after the spikes at 2 and 4 ms the sums are 0.19999999999999996,
    0.7999999999999999, 0.3999999999999999 and, at 5 ms, 0.9999999999999999 < 1 — no third spike.
    0.625 = 5/8 is exact, and every sum with it is too.

    Returns the spike times, the last update's value, and an exact weight near 0.6.
    """
    net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0, reset="subtract")},
                        [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    record = evsim.simulate(net, {"x": range(5)}, until=10, trace=True)
    last = [e.value for e in record.trace.select(neurons="y", kinds="update")][-1]
    return record.trains()["y"].tolist(), last, 0.625
