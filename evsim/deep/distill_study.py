"""DNN→SNN distillation on the digits: the same student with and without each path (``evsim distill``).

Per seed: the teacher is a 64-256-256-10 ReLU ANN (60 epochs, Adam, lr 2e-3);
the student a 64-256-256-10 LIF net at ``T = 4`` trained through time by Yin et
al.'s continuous method as :data:`~evsim.deep.methods.METHODS` has it (``β = 0.9``,
clipped straight-through, analog input, weight decay 2, dropout 0.05, 20 epochs,
Adam lr 1e-3), from the same initial
weights and in the same order in every row; only the guide differs
(:class:`~evsim.deep.distill.Distillation`, ``τ = 1``: of 1, 2 and 4, the
least harmful on held-out parts of the training split, docs/distillation.md):

- ``none``: no guide;
- ``output``: the output path (weight 1);
- ``output + intermediate``: and the intermediate path (weight 1, the
  student's last spiking layer decoded into the teacher's last hidden layer);
- ``all three``: and the back path (weight 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evsim.datasets import load_digits
from evsim.display import mean_sd
from evsim.deep import checks
from evsim.deep.direct import fit, spiking_mlp
from evsim.deep.distill import Distillation
from evsim.deep.experiment import digits_relu_mlp
from evsim.deep.methods import METHODS
from evsim.deep.runner import run
from evsim.deep.train import accuracy

__all__ = ["DistillRow", "compare", "format_rows", "PATHS", "STEPS", "TEMPERATURE"]

STEPS = 4
TEMPERATURE = 1.0
PATHS = {"none": None, "output": dict(output=1.0), "output + intermediate": dict(output=1.0, intermediate=1.0),
         "all three": dict(output=1.0, intermediate=1.0, back=1.0)}  # Distillation's weights per row


@dataclass(frozen=True)
class DistillRow:
    """One guide over the seeds (accuracies are fractions).

    Attributes
    ----------
    paths : str
        A key of :data:`PATHS` (or ``"teacher"``).
    accuracy : tuple of float
        The student's (or the teacher's) test accuracy per seed.

    Examples
    --------
    >>> from evsim.deep.distill_study import DistillRow, format_rows
    >>> print(format_rows([DistillRow("none", (0.96, 0.97)), DistillRow("output", (0.97, 0.975))]))
    student at T = 4        test accuracy %   against none (points)
    none                       96.50 ± 0.71
    output                     97.25 ± 0.35            +0.75 ± 0.35
    """

    paths: str
    accuracy: tuple[float, ...]

    def as_json(self) -> dict:
        return {"paths": self.paths, "accuracy": list(self.accuracy)}


def compare(seeds=(0, 1, 2, 3, 4), *, progress: bool = False) -> list[DistillRow]:
    """The rows of the module docstring over ``seeds``, then the teacher's own accuracy.

    Parameters
    ----------
    seeds : sequence of int, optional
        Seeds (``>= 0``) of the teacher, the student's initial weights and the order; default 0–4.
    progress : bool, optional
        A tqdm bar over the seeds; default False.

    Returns
    -------
    list of DistillRow
        One per key of :data:`PATHS`, then ``"teacher"``.

    Raises
    ------
    ValidationError
        A seed that is not an integer ``>= 0``, or no seeds.

    Examples
    --------
    Five seeds take a few minutes (``evsim distill`` runs them):

    >>> from evsim.deep.distill_study import PATHS
    >>> list(PATHS)
    ['none', 'output', 'output + intermediate', 'all three']
    >>> rows = compare(seeds=[0])  # doctest: +SKIP
    """
    per_seed = [_one_seed(seed) for seed in checks.seeds(seeds, progress, owner="compare")]
    return [DistillRow(name, tuple(result[name] for result in per_seed)) for name in [*PATHS, "teacher"]]


def _one_seed(seed: int) -> dict:
    data = load_digits()
    x_train, x_test = (images.reshape(len(images), -1) for images in (data.x_train, data.x_test))
    teacher = digits_relu_mlp(data, seed=seed)
    recipe = METHODS["continuous"]  # the student is trained as `evsim train` trains it, at STEPS and 256 wide
    out = {"teacher": accuracy(teacher, x_test, data.y_test)}
    for name, weights in PATHS.items():
        guide = None if weights is None else Distillation(teacher, temperature=TEMPERATURE, seed=seed, **weights)
        student = fit(spiking_mlp([64, 256, 256, 10], beta=recipe.beta, seed=seed), x_train, data.y_train, STEPS,
                      epochs=recipe.epochs, lr=recipe.lr, seed=seed, surrogate=recipe.surrogate,
                      encoding=recipe.encoding, loss=recipe.loss, guide=guide, **recipe.options).net
        out[name] = float(run(student, x_test, STEPS, labels=data.y_test).accuracy[-1])
    return out


def format_rows(rows: list[DistillRow]) -> str:
    """The table as text: mean ± standard deviation over the seeds, and each row's paired difference from ``none``.

    Parameters
    ----------
    rows : list of DistillRow
        From :func:`compare`.

    Returns
    -------
    str
        The table.

    Raises
    ------
    ValidationError
        Never for rows from :func:`compare`.

    Examples
    --------
    See :class:`DistillRow`.
    """
    base = next(np.asarray(row.accuracy) for row in rows if row.paths == "none")
    lines = [f"{'student at T = ' + str(STEPS):<22}{'test accuracy %':>17}{'against none (points)':>24}"]
    for row in rows:
        values = 100 * np.asarray(row.accuracy)
        line = f"{row.paths:<22}{mean_sd(values):>17}"
        if row.paths not in ("none", "teacher"):
            gain = mean_sd(values - 100 * base)
            line += f"{gain if gain.startswith('-') else '+' + gain:>24}"
        lines.append(line)
    return "\n".join(lines)
