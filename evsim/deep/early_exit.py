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

import inspect
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from evsim.deep.convert import SpikingNet
from evsim.deep.runner import run
from evsim.deep import checks
from evsim.deep.checks import Said
from evsim.errors import ValidationError
from evsim.validation import real, refuse

__all__ = ["ExitChoice", "tune_exit", "THRESHOLDS", "TEMPERATURES", "RUN_OPTIONS"]

THRESHOLDS = (0.9, 0.95, 0.99, 0.995, 0.999)
_TUNED = ("labels", "exit_threshold", "temperature")
RUN_OPTIONS = tuple(p.name for p in inspect.signature(run).parameters.values()
                    if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name not in _TUNED)
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
    owner = "tune_exit"
    thresholds = tuple(checks.exit_probability(f"thresholds[{i}]", alpha, owner=owner)
                       for i, alpha in enumerate(checks.positive_reals("thresholds", thresholds, owner=owner)))
    temperatures = checks.positive_reals("temperatures", temperatures, owner=owner)
    tolerance = real("tolerance", tolerance, owner=owner, minimum=0.0, maximum=np.nextafter(1.0, 0.0))
    taken = sorted(set(_TUNED) & set(run_options))
    if taken:
        raise refuse(owner, taken[0], "left to tune_exit (it sets labels, exit_threshold and temperature)",
                     run_options[taken[0]])
    unknown = sorted(set(run_options) - set(RUN_OPTIONS))
    if unknown:
        raise refuse(owner, f"option {unknown[0]!r}", "one of deep.run's options: " + ", ".join(RUN_OPTIONS),
                     Said(f"{unknown[0]}={run_options[unknown[0]]!r}"))
    if labels is None:
        raise refuse(owner, "labels", "one class label per sample", labels)
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
