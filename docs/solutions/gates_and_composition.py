"""Solutions to the exercises of the tutorial "Stochastic gates, composition and exact behaviour"."""

from __future__ import annotations

import math

import evsim
from evsim.behavior import exact
from evsim.library import and_gate, gate_error, not_gate

W = 6.0


def exercise_1() -> tuple[float, float]:
    """One input on: ``sigmoid((w − 1.5w)/λ) = sigmoid(−w/2) = ε``.

    Returns the exact probability that ``y`` fires in round 1 and ε.
    """
    b = exact(and_gate(w=W), {"x1": [0]}, 2)
    return sum(p for sequence, p in b if sequence["y"][1] == 1), gate_error(W)


def exercise_2() -> tuple[float, float]:
    """``y(2)`` reads ``a(1)`` and ``y(3)`` reads ``a(2)``: independent draws, each round right with
    probability ``(1 − ε)² + ε²`` (both gates right, or both wrong), so both rounds ``((1 − ε)² + ε²)²``.

    Returns the exact probability and that formula.
    """
    nand = evsim.hide(evsim.compose(and_gate("x1", "x2", "a", w=W), not_gate("a", "y", w=W)), {"a"})
    b = exact(nand, {"x1": [0, 1, 2], "x2": [0, 1, 2]}, 4)
    eps = gate_error(W)
    return sum(p for sequence, p in b if sequence["y"][2] == 0 and sequence["y"][3] == 0), ((1 - eps) ** 2 + eps ** 2) ** 2


def exercise_3() -> tuple[float, float]:
    """``1/(1 + e^(w/2)) < 0.001`` ⟺ ``e^(w/2) > 999`` ⟺ ``w > 2·ln 999 ≈ 13.81``.

    Returns the bound on ``w`` and ``gate_error`` just above it.
    """
    bound = 2.0 * math.log(999.0)
    return bound, gate_error(bound + 1e-9)
