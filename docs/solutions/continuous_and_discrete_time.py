"""Solutions to the exercises of the tutorial "Continuous and discrete time"."""

from __future__ import annotations

import math

import evsim


def _first_spike(bias: float, dt: float | None) -> float:
    net = evsim.Network({"y": evsim.LIF(tau=10.0, threshold=1.0, reset=0.0, bias=bias)}, [], outputs={"y"}, dt=dt)
    return float(evsim.simulate(net, {}, until=25.0).trains()["y"][0])


def exercise_1() -> tuple[float, float]:
    """``v_∞ = τ·b = 2``, so ``t* = 10·ln(2/1) = 6.931… ms``. Returns the closed form and the simulated time."""
    return 10.0 * math.log(2.0), _first_spike(0.2, None)


def _resting_bias(dt: float) -> float:
    """``v = β·v + b`` at ``v = 1.5``: ``b = 1.5·(1 − β)``, ``β = exp(−dt/τ)``."""
    return 1.5 * (1.0 - math.exp(-dt / 10.0))


def exercise_2() -> tuple[float, float]:
    """``b = 1.5·(1 − e^(−0.1)) ≈ 0.14274``; then ``v_k = 1.5·(1 − β^(k+1))``, the continuous potential at
    ``(k + 1)`` ms, first ≥ 1 at ``k + 1 = 11`` (the first whole ms past 10.986): step 10.

    Returns the bias and the time of the first spike.
    """
    bias = _resting_bias(1.0)
    return bias, _first_spike(bias, 1.0)


def exercise_3() -> float:
    """With ``dt = 0.5``: ``v_k`` is the continuous potential at ``(k + 1)·0.5`` ms, first ≥ 1 at 11.0 ms, so
    the spike is at step 21, 10.5 ms. Step 0 already integrates one whole step, so the discrete clock fires
    at the first grid time ``k·dt ≥ t* − dt``: it approaches 10.986 from below as ``dt`` shrinks.

    Returns the time of the first spike.
    """
    return _first_spike(_resting_bias(0.5), 0.5)
