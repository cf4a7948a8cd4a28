"""SEENN-I against SEENN-II on the digits: accuracy against average steps (``evsim seenn``).

Per seed: the QCFS digits ANN (:func:`~evsim.deep.experiment.digits_qcfs_mlp`),
converted with ``v(0) = θ/2``, analog input, ``T = 8``.

- **SEENN-I** (:mod:`evsim.deep.early_exit`): each test image exits at the first
  step whose softmax confidence of the cumulative output reaches ``α``, for each
  ``α`` of :data:`THRESHOLDS` (temperature 1).
- **SEENN-II** (:mod:`evsim.deep.seenn`): a 64-32-8 ReLU policy, trained on the
  training images' rewards (the SNN run 8 steps on each), for each penalty ``β``
  of :data:`BETAS`; each test image runs the steps its policy chooses.

Every number is on the test split; nothing is chosen on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evsim.datasets import load_digits
from evsim.deep import checks
from evsim.deep.convert import convert
from evsim.deep.energy import energy_ratio
from evsim.deep.experiment import digits_qcfs_mlp
from evsim.deep.layers import Dense, ReLU, Sequential
from evsim.deep.runner import run
from evsim.deep.seenn import fit_policy, policy_run, rewards
from evsim.deep.train import accuracy

__all__ = ["SeennPoint", "compare", "format_points", "matched", "rows_for_plot", "THRESHOLDS", "BETAS", "STEPS", "MATCH"]

STEPS = 8
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)  # SEENN-I's confidence thresholds α
BETAS = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0)  # SEENN-II's penalties β of a wrong answer
MATCH = 0.003  # "equal accuracy": within 0.3 point


@dataclass(frozen=True)
class SeennPoint:
    """One setting of one method over the seeds (accuracies are fractions).

    Attributes
    ----------
    method : str
        ``"SEENN-I"``, ``"SEENN-II"`` or ``"fixed T"``.
    setting : float
        ``α`` for SEENN-I, ``β`` for SEENN-II, ``T`` for the fixed row.
    accuracy, avg_steps, energy_ratio : tuple of float
        Per seed: test accuracy, mean steps per image, joules per image over the ANN's.

    Examples
    --------
    >>> from evsim.deep.seenn_study import SeennPoint
    >>> SeennPoint("SEENN-II", 0.1, (0.97, 0.96), (2.0, 3.0), (0.1, 0.1)).mean("avg_steps")
    2.5
    """

    method: str
    setting: float
    accuracy: tuple[float, ...]
    avg_steps: tuple[float, ...]
    energy_ratio: tuple[float, ...]

    def mean(self, field: str) -> float:
        return float(np.mean(getattr(self, field)))

    def as_json(self) -> dict:
        return {"method": self.method, "setting": self.setting, "accuracy": list(self.accuracy),
                "avg_steps": list(self.avg_steps), "energy_ratio": list(self.energy_ratio)}


def compare(seeds=(0, 1, 2, 3, 4), *, progress: bool = False) -> tuple[list[SeennPoint], float]:
    """Every setting of both methods and the fixed-T run, over ``seeds``; and the ANNs' mean accuracy.

    Parameters
    ----------
    seeds : sequence of int, optional
        Seeds (``>= 0``) of the ANN and the policy; default 0–4.
    progress : bool, optional
        A tqdm bar over the seeds; default False.

    Returns
    -------
    points : list of SeennPoint
        The fixed-T row, then SEENN-I for each ``α``, then SEENN-II for each ``β``.
    ann_accuracy : float
        The ANNs' mean test accuracy.

    Raises
    ------
    ValidationError
        A seed that is not an integer ``>= 0``, or no seeds.

    Examples
    --------
    Five seeds take about 15 seconds on one core (``evsim seenn`` runs them):

    >>> from evsim.deep.seenn_study import BETAS
    >>> BETAS[0]
    1.0
    >>> points, ann = compare(seeds=[0])  # doctest: +SKIP
    """
    runs = [_one_seed(seed) for seed in checks.seeds(seeds, progress, owner="compare")]
    keys = [key for key in runs[0][0]]
    points = [SeennPoint(method, setting, *(tuple(r[0][(method, setting)][i] for r in runs) for i in range(3)))
              for method, setting in keys]
    return points, float(np.mean([r[1] for r in runs]))


def _one_seed(seed: int) -> tuple[dict, float]:
    """``({(method, setting): (accuracy, avg_steps, energy/ANN)}, ANN accuracy)`` for one seed."""
    data = load_digits()
    x_train, x_test = (images.reshape(len(images), -1) for images in (data.x_train, data.x_test))
    ann = digits_qcfs_mlp(data, seed=seed)
    snn = convert(ann, norm="qcfs", v_init="half", input_shape=(64,))
    fixed = run(snn, x_test, STEPS, labels=data.y_test)
    out = {("fixed T", float(STEPS)): (float(fixed.accuracy[-1]), float(STEPS), energy_ratio(fixed, snn))}
    for alpha in THRESHOLDS:
        early = run(snn, x_test, STEPS, labels=data.y_test, exit_threshold=alpha)
        out[("SEENN-I", alpha)] = (early.exit_accuracy, early.avg_steps, energy_ratio(early, snn))
    training = run(snn, x_train, STEPS, labels=data.y_train)
    for beta in BETAS:
        policy = Sequential([Dense(64, 32, rng=seed + 50), ReLU(), Dense(32, STEPS, rng=seed + 60)])
        policy = fit_policy(policy, x_train, rewards(training, data.y_train, beta), seed=seed)
        chosen = policy_run(snn, policy, x_test, data.y_test)
        out[("SEENN-II", beta)] = (chosen.accuracy, chosen.avg_steps, chosen.energy_ratio)
    return out, accuracy(ann, x_test, data.y_test)


def format_points(points: list[SeennPoint], ann_accuracy: float) -> str:
    """The table as text (means over the seeds), and for each SEENN-II point the SEENN-I point it is compared with.

    A SEENN-II setting is matched with the SEENN-I setting of fewest average
    steps whose mean accuracy is at least the SEENN-II accuracy minus 0.3
    point (:data:`MATCH`); "fewer steps" says whether SEENN-II needs fewer.

    Parameters
    ----------
    points : list of SeennPoint
        From :func:`compare`.
    ann_accuracy : float
        The ANNs' mean accuracy.

    Returns
    -------
    str
        The table.

    Raises
    ------
    ValidationError
        Never for points from :func:`compare`.

    Examples
    --------
    >>> from evsim.deep.seenn_study import SeennPoint, format_points
    >>> points = [SeennPoint("SEENN-I", 0.9, (0.95,), (2.0,), (0.2,)), SeennPoint("SEENN-II", 0.1, (0.951,), (1.5,), (0.1,))]
    >>> print(format_points(points, 0.98))
    ANN 98.00 %; means over 1 seed(s)
    method     setting   accuracy %   avg steps   energy/ANN   SEENN-I at equal accuracy
    SEENN-I      0.900        95.00        2.00        0.200
    SEENN-II     0.100        95.10        1.50        0.100   α = 0.9: 2.00 steps (fewer steps: yes)
    """
    seeds = len(points[0].accuracy)
    lines = [f"ANN {100 * ann_accuracy:.2f} %; means over {seeds} seed(s)",
             f"{'method':<10}{'setting':>8}{'accuracy %':>13}{'avg steps':>12}{'energy/ANN':>13}   "
             f"SEENN-I at equal accuracy"]
    first = [p for p in points if p.method == "SEENN-I"]
    for point in points:
        line = (f"{point.method:<10}{point.setting:>8.3f}{100 * point.mean('accuracy'):>13.2f}"
                f"{point.mean('avg_steps'):>12.2f}{point.mean('energy_ratio'):>13.3f}")
        if point.method == "SEENN-II":
            match = matched(point, first)
            line += ("   none as accurate" if match is None else
                     f"   α = {match.setting:g}: {match.mean('avg_steps'):.2f} steps (fewer steps: "
                     f"{'yes' if point.mean('avg_steps') < match.mean('avg_steps') else 'no'})")
        lines.append(line)
    return "\n".join(lines)


def matched(point: SeennPoint, first: list[SeennPoint]) -> SeennPoint | None:
    """The SEENN-I point of fewest average steps within :data:`MATCH` of ``point``'s accuracy or above (None: none).

    Parameters
    ----------
    point : SeennPoint
        A SEENN-II point.
    first : list of SeennPoint
        The SEENN-I points.

    Returns
    -------
    SeennPoint or None
        The match.

    Raises
    ------
    ValidationError
        Never.

    Examples
    --------
    See :func:`format_points`.
    """
    good = [p for p in first if p.mean("accuracy") >= point.mean("accuracy") - MATCH - 1e-12]
    return min(good, key=lambda p: p.mean("avg_steps")) if good else None


def rows_for_plot(points: list[SeennPoint]) -> list[dict]:
    """The means as the rows :func:`evsim.plot.accuracy_vs_latency` draws, one line per method.

    Parameters
    ----------
    points : list of SeennPoint
        From :func:`compare`.

    Returns
    -------
    list of dict
        ``method``, ``avg_steps``, ``steps``, ``accuracy`` and ``energy_ratio`` per point.

    Raises
    ------
    ValidationError
        Never.

    Examples
    --------
    >>> from evsim.deep.seenn_study import SeennPoint, rows_for_plot
    >>> rows_for_plot([SeennPoint("SEENN-I", 0.9, (0.95,), (2.0,), (0.2,))])[0]["method"]
    'SEENN-I (confidence exit)'
    """
    names = {"SEENN-I": "SEENN-I (confidence exit)", "SEENN-II": "SEENN-II (policy)", "fixed T": "fixed T"}
    return [{"method": names[p.method], "avg_steps": p.mean("avg_steps"), "steps": STEPS,
             "accuracy": p.mean("accuracy"), "energy_ratio": p.mean("energy_ratio")}
            for p in sorted(points, key=lambda p: (p.method, p.mean("avg_steps")))]
