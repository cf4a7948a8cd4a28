"""SNN-only, ANN-only and hybrid SNN–ANN on the digits: accuracy, latency and energy in one table (``evsim hybrid``).

Per seed, on the bundled digits (test split):

- **ANN**: a 64-256-256-10 ReLU MLP, trained 60 epochs (Adam, lr 2e-3); one
  pass, latency 1 step; its MACs set the energy scale (energy/ANN = 1).
- **SNN**: a 64-256-256-10 LIF net trained by Yin et al.'s continuous method
  at ``T`` steps (:func:`~evsim.deep.methods.train_digits`), for each ``T``.
- **hybrid, 1 spiking layer**: that SNN's first layer, an accumulator, and a
  256-256-10 ReLU head trained on the accumulated features over ``T`` steps.
- **hybrid, 2 spiking layers**: both of its spiking layers, an accumulator, and
  a 256-64-10 ReLU head.

At each ``T`` the SNN and both hybrids share the same spiking weights (the
SNN trained at ``T``; not retrained for the hybrids); only the heads differ
from the SNN's own linear readout. Energy per image is
:func:`~evsim.deep.hybrid.hybrid_energy` (ACs of spikes, MACs of analog input and
of the head) over the ANN's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evsim.datasets import load_digits
from evsim.display import mean_sd
from evsim.deep import checks
from evsim.deep.energy import E_MAC
from evsim.deep.energy import dense_macs
from evsim.deep.experiment import digits_relu_mlp
from evsim.deep.hybrid import features, fit_head, hybrid_energy, spiking_part
from evsim.deep.layers import Dense, ReLU, Sequential
from evsim.deep.methods import train_digits
from evsim.deep.runner import run
from evsim.deep.train import accuracy

__all__ = ["HybridRow", "compare", "format_rows", "STEPS"]

STEPS = (2, 4, 8)  # the latencies compared
HIDDEN = 256


@dataclass(frozen=True)
class HybridRow:
    """One model at one latency, over the seeds (accuracies are fractions).

    Attributes
    ----------
    model : str
        ``"ANN"``, ``"SNN"``, ``"hybrid, 1 spiking layer"`` or ``"hybrid, 2 spiking layers"``.
    steps : int
        Latency in time steps (1 for the ANN).
    accuracy : tuple of float
        Test accuracy per seed.
    energy_ratio : tuple of float
        Joules per image over the same seed's ANN's, per seed.

    Examples
    --------
    >>> from evsim.deep.hybrid_study import HybridRow, format_rows
    >>> print(format_rows([HybridRow("ANN", 1, (0.98, 0.97), (1.0, 1.0))]))
    model                        T   test accuracy %   energy / ANN
    ANN                          1      97.50 ± 0.71           1.00
    """

    model: str
    steps: int
    accuracy: tuple[float, ...]
    energy_ratio: tuple[float, ...]

    def as_json(self) -> dict:
        return {"model": self.model, "steps": self.steps, "accuracy": list(self.accuracy),
                "energy_ratio": list(self.energy_ratio)}


def compare(seeds=(0, 1, 2, 3, 4), *, progress: bool = False) -> list[HybridRow]:
    """The table of the module docstring, over ``seeds``.

    Parameters
    ----------
    seeds : sequence of int, optional
        Seeds (``>= 0``) of every model's weights and training order; default 0–4.
    progress : bool, optional
        A tqdm bar over the seeds; default False.

    Returns
    -------
    list of HybridRow
        The ANN, then SNN and both hybrids at each ``T`` of :data:`STEPS`.

    Raises
    ------
    ValidationError
        A seed that is not an integer ``>= 0``, or no seeds.

    Examples
    --------
    Training five seeds' models takes minutes (``evsim hybrid`` runs it):

    >>> from evsim.deep.hybrid_study import STEPS
    >>> STEPS
    (2, 4, 8)
    >>> rows = compare(seeds=[0])  # doctest: +SKIP
    """
    per_seed = [_one_seed(seed) for seed in checks.seeds(seeds, progress, owner="compare")]
    keys = list(per_seed[0])
    return [HybridRow(model, steps, tuple(r[(model, steps)][0] for r in per_seed),
                      tuple(r[(model, steps)][1] for r in per_seed)) for model, steps in keys]


def _one_seed(seed: int) -> dict:
    """``{(model, T): (accuracy, energy / ANN)}`` for one seed."""
    data = load_digits()
    x_train, x_test = (images.reshape(len(images), -1) for images in (data.x_train, data.x_test))
    ann = digits_relu_mlp(data, seed=seed, hidden=HIDDEN)
    ann_energy = dense_macs(ann) * E_MAC
    out = {("ANN", 1): (accuracy(ann, x_test, data.y_test), 1.0)}
    heads = {1: lambda: Sequential([Dense(HIDDEN, HIDDEN, rng=seed + 30), ReLU(), Dense(HIDDEN, 10, rng=seed + 40)]),
             2: lambda: Sequential([Dense(HIDDEN, 64, rng=seed + 30), ReLU(), Dense(64, 10, rng=seed + 40)])}
    for steps in STEPS:
        snn = train_digits("continuous", steps, seed=seed, hidden=HIDDEN, data=data).net
        alone = run(snn, x_test, steps, labels=data.y_test)
        out[("SNN", steps)] = (float(alone.accuracy[-1]), alone.energy() / len(x_test) / ann_energy)
        for layers, head in heads.items():
            model = fit_head(spiking_part(snn, layers), head(), x_train, data.y_train, steps, seed=seed)
            values, result = features(model.part, x_test, steps)
            correct = model.head.forward(values).argmax(axis=1) == data.y_test
            name = f"hybrid, {layers} spiking layer{'s' * (layers > 1)}"
            out[(name, steps)] = (float(correct.mean()), hybrid_energy(result, model.head) / ann_energy)
    return out


def format_rows(rows: list[HybridRow]) -> str:
    """The table as text: mean ± standard deviation over the seeds.

    Parameters
    ----------
    rows : list of HybridRow
        From :func:`compare`.

    Returns
    -------
    str
        One line per row under a header.

    Raises
    ------
    ValidationError
        Never for rows from :func:`compare`.

    Examples
    --------
    See :class:`HybridRow`.
    """
    lines = [f"{'model':<26}{'T':>4}{'test accuracy %':>18}{'energy / ANN':>15}"]
    for row in rows:
        lines.append(f"{row.model:<26}{row.steps:>4}{mean_sd(100 * np.asarray(row.accuracy)):>18}"
                     f"{np.mean(row.energy_ratio):>15.2f}")
    return "\n".join(lines)
