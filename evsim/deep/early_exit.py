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
    """The chosen setting and what it measured on the tuning set.

    Attributes
    ----------
    exit_threshold : float
        The chosen ``α``.
    temperature : float
        The chosen softmax temperature.
    avg_steps : float
        Mean steps per sample with that setting (:attr:`~evsim.deep.RunResult.avg_steps`).
    accuracy : float
        Accuracy at each sample's exit with that setting (:attr:`~evsim.deep.RunResult.exit_accuracy`).
    fixed_accuracy : float
        Accuracy after all ``steps`` steps without early exit, the reference.

    Examples
    --------
    >>> from evsim.deep.early_exit import ExitChoice
    >>> ExitChoice(exit_threshold=0.99, temperature=1.0, avg_steps=3.5, accuracy=0.9, fixed_accuracy=0.9)
    ExitChoice(exit_threshold=0.99, temperature=1.0, avg_steps=3.5, accuracy=0.9, fixed_accuracy=0.9)
    """

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

    Parameters
    ----------
    snn : SpikingNet
        The converted net.
    x : array_like of float
        The tuning inputs, ``(samples, *snn.input_shape)`` (in ``[0, 1]`` for the spike encodings).
    labels : array_like of int
        One class label per sample; required (``None`` is refused).
    steps : int
        The fixed ``T``, and every setting's largest number of steps.
    thresholds : sequence of float, optional
        The ``α`` to try, each ``0 < α < 1``; default :data:`THRESHOLDS`.
    temperatures : sequence of float, optional
        The softmax temperatures to try, each ``> 0``; default :data:`TEMPERATURES`.
    tolerance : float, optional
        Accuracy a setting may lose against the fixed-``T`` accuracy, in ``[0, 1)``; default 0.
    **run_options
        Further keyword arguments of :func:`~evsim.deep.run` (:data:`RUN_OPTIONS`: ``encoding``, ``rng``,
        ``chunk``, ``record_spikes``, ``compensation``, ``single_spike``), passed to every run. With
        ``encoding="rate"`` (no ``compensation``), an integer ``rng`` gives every run the same input spikes;
        ``None`` or a Generator gives each run new ones.

    Returns
    -------
    ExitChoice
        The setting with the fewest average steps among those that keep the accuracy (ties: the earlier
        one, temperatures in the outer loop, thresholds in the inner), with what it measured.

    Raises
    ------
    ValidationError
        A threshold outside ``(0, 1)``, a temperature not ``> 0`` (or an empty sequence of either),
        ``tolerance`` outside ``[0, 1)``, ``run_options`` naming ``labels``, ``exit_threshold``,
        ``temperature`` or an option ``run`` does not take, ``labels`` ``None``, an argument ``run``
        refuses; or no setting keeps the accuracy within ``tolerance``.
    LimitError
        A run would need more memory than ``evsim.limits(memory=...)`` allows.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import deep
    >>> from evsim.deep.early_exit import tune_exit
    >>> ann = deep.Sequential([deep.Dense(3, 4, rng=0), deep.ReLU(), deep.Dense(4, 2, rng=1)])
    >>> x = np.random.default_rng(0).uniform(0, 1, (5, 3))
    >>> snn = deep.convert(ann, calibration=x)
    >>> tune_exit(snn, x, labels=ann.forward(x).argmax(axis=1), steps=8, thresholds=(0.9, 0.99))
    ExitChoice(exit_threshold=0.9, temperature=1.0, avg_steps=6.2, accuracy=1.0, fixed_accuracy=1.0)
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
