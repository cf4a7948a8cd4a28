"""Choosing SEENN-I's exit threshold and temperature on data the user may look at.

Early exit (:func:`evsim.deep.run` with ``exit_threshold=α``) trades steps for
accuracy through two numbers, ``α`` and the softmax temperature. Picking them
by test accuracy makes the test score optimistic, so :func:`tune_exit` picks
them on a tuning set (evsim's experiment uses the training set): among the
grid, the setting with the fewest average steps whose accuracy on the tuning
set is at least the fixed-``T`` accuracy minus ``tolerance``; ties go to the
earlier setting in the grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from evsim.deep.convert import SpikingNet
from evsim.deep.runner import run
from evsim.errors import ValidationError

__all__ = ["ExitChoice", "tune_exit", "THRESHOLDS", "TEMPERATURES"]

THRESHOLDS = (0.9, 0.95, 0.99, 0.995, 0.999)
TEMPERATURES = (1.0, 2.0, 4.0)


@dataclass(frozen=True)
class ExitChoice:
    """The chosen setting and what it measured on the tuning set."""

    exit_threshold: float
    temperature: float
    avg_steps: float
    accuracy: float
    fixed_accuracy: float


def tune_exit(snn: SpikingNet, x: np.ndarray, labels: np.ndarray, steps: int, *,
              thresholds: Sequence[float] = THRESHOLDS, temperatures: Sequence[float] = TEMPERATURES,
              tolerance: float = 0.0, **run_options) -> ExitChoice:
    """The fewest-average-steps ``(α, temperature)`` that keeps accuracy on ``(x, labels)``.

    Every setting runs ``steps`` steps with analog input unless ``run_options``
    say otherwise; ``tolerance`` is a fraction (0.005 = half a point).
    """
    if not thresholds or not temperatures:
        raise ValidationError("tune_exit needs at least one threshold and one temperature")
    if not 0 <= tolerance < 1:
        raise ValidationError(f"tolerance is a fraction of accuracy in [0, 1), got {tolerance!r}")
    fixed = float(run(snn, x, steps, labels=labels, **run_options).accuracy[-1])
    best = None
    for temperature in temperatures:
        for alpha in thresholds:
            out = run(snn, x, steps, labels=labels, exit_threshold=alpha, temperature=temperature, **run_options)
            keeps = out.exit_accuracy >= fixed - tolerance - 1e-12
            if keeps and (best is None or out.avg_steps < best.avg_steps):
                best = ExitChoice(alpha, temperature, out.avg_steps, out.exit_accuracy, fixed)
    if best is None:
        raise ValidationError(f"no setting keeps the tuning accuracy within {tolerance} of fixed T={steps} "
                              f"({fixed:.4f}); raise tolerance or add larger thresholds/temperatures")
    return best
