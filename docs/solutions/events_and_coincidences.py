"""Solutions to the exercises of the tutorial "Events, delays and coincidences"."""

from __future__ import annotations

import evsim


def exercise_1() -> tuple[bool, float, float]:
    """+2.5 and −1.0 at one instant are summed first: 1.5 ≥ θ = 1, so ``y`` fires, and the subtract reset
    (IF's default) leaves 1.5 − 1 = 0.5.

    Returns whether ``y`` fired, the ``deliver`` value and the potential after the reset.
    """
    net = evsim.Network({"e": evsim.Input(), "i": evsim.Input(), "y": evsim.IF(threshold=1.0)},
                        [evsim.Synapse("e", "y", 2.5, 1.0), evsim.Synapse("i", "y", -1.0, 1.0)], outputs={"y"})
    trace = evsim.simulate(net, {"e": [0], "i": [0]}, until=3, trace=True).trace
    fired = bool(trace.select(neurons="y", kinds="spike").events)
    (delivered,) = [e.value for e in trace.select(neurons="y", kinds="deliver")]
    (after,) = [e.value for e in trace.select(neurons="y", kinds="reset")]
    return fired, delivered, after


def exercise_2() -> tuple[float, dict[str, int]]:
    """All of ``a``, ``b`` and ``c`` fire at 2.0 ms, the instant ``x`` fires; their ranks are their depths
    along zero-delay synapses: 1, 2 and 3 (inputs are rank 0).

    Returns ``c``'s spike time and each neuron's rank as the trace shows it.
    """
    names = ["x", "a", "b", "c"]
    net = evsim.Network({"x": evsim.Input(), **{n: evsim.IF(threshold=1.0) for n in names[1:]}},
                        [evsim.Synapse(s, t, 1.0, 0.0) for s, t in zip(names, names[1:])], outputs={"c"})
    record = evsim.simulate(net, {"x": [2.0]}, until=4, trace=True)
    ranks = {e.neuron: e.rank for e in record.trace if e.kind in ("input", "spike")}
    return float(record.trains()["c"][0]), ranks


def exercise_3() -> tuple[list[float], list[float]]:
    """The second input reaches ``a`` at 1.3 + 0.2 = 1.5, after its refractory period (to 1.45): ``a``
    fires at 1.25 and 1.5. ``n`` gets 0.7 at 1.45 (+1.5 − 0.8, as before) and at 1.7 +1.5 from ``a``
    (1.5 + 0.2) and −0.8 from ``x`` (1.3 + 0.4): 0.7·e^(−0.025) + 0.7 ≈ 1.383 ≥ 1, so ``n`` fires at 1.7.

    Returns the spike times of ``a`` and ``n``.
    """
    lif = lambda refractory: evsim.LIF(tau=10.0, threshold=1.0, reset=0.0, refractory=refractory)  # noqa: E731
    net = evsim.Network({"x": evsim.Input(), "a": lif(0.2), "n": lif(2.0)},
                        [evsim.Synapse("x", "a", 1.5, 0.2), evsim.Synapse("a", "n", 1.5, 0.2),
                         evsim.Synapse("x", "n", -0.8, 0.4)], outputs={"n"}, dt=None)
    trains = evsim.simulate(net, {"x": [1.05, 1.3]}, until=5).trains()
    return trains["a"].tolist(), trains["n"].tolist()
