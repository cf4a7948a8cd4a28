"""The digits conversion experiment behind ``evsim convert``.

A QCFS MLP (64-256-256-10, L = 4 levels, trainable λ) is trained with Adam on
the bundled digits (fixed split, seed 2), converted with ``norm="qcfs"``, and
run with analog input for T = 1 … 32 steps for each ``v_init``. The whole
experiment takes a few seconds on 2 cores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evsim.datasets import load_digits
from evsim.deep.convert import convert
from evsim.deep.layers import QCFS, Dense, Sequential
from evsim.deep.runner import run
from evsim.deep.train import accuracy, train

__all__ = ["STEPS", "V_INITS", "ConversionTable", "digits_qcfs_mlp", "conversion_table"]

STEPS = (1, 2, 4, 8, 16, 32)
V_INITS = ("zero", "half")


@dataclass(frozen=True)
class ConversionTable:
    dataset: str
    ann_accuracy: float
    rows: tuple[dict, ...]  # {"v_init", "steps", "accuracy"}

    def as_json(self) -> dict:
        return {"dataset": self.dataset, "ann_accuracy": self.ann_accuracy, "rows": list(self.rows)}

    def accuracy(self, v_init: str, steps: int) -> float:
        return next(r["accuracy"] for r in self.rows if r["v_init"] == v_init and r["steps"] == steps)

    def format(self) -> str:
        head = f"{'v_init':<8}" + "".join(f"{'T=' + str(t):>9}" for t in STEPS)
        lines = [f"{self.dataset}: ANN test accuracy {100 * self.ann_accuracy:.2f} %", "SNN test accuracy (%):", head]
        for v in V_INITS:
            lines.append(f"{v:<8}" + "".join(f"{100 * self.accuracy(v, t):>9.2f}" for t in STEPS))
        return "\n".join(lines)


def digits_qcfs_mlp(data, *, seed: int = 2, levels: int = 4, hidden: int = 256, epochs: int = 60,
                    progress=False) -> Sequential:
    """Train the QCFS MLP on the digits training set."""
    ann = Sequential([Dense(64, hidden, rng=seed), QCFS(levels, lam=2.0), Dense(hidden, hidden, rng=seed + 10),
                      QCFS(levels, lam=2.0), Dense(hidden, 10, rng=seed + 20)])
    train(ann, data.x_train.reshape(len(data.x_train), -1), data.y_train, epochs=epochs, lr=2e-3, seed=seed,
          progress=progress)
    return ann


def conversion_table(*, seed: int = 2, progress=False) -> tuple[ConversionTable, Sequential]:
    """Train, convert and run; return the accuracy table and the ANN."""
    data = load_digits()
    ann = digits_qcfs_mlp(data, seed=seed, progress=progress)
    x_test = data.x_test.reshape(len(data.x_test), -1)
    rows = []
    for v_init in V_INITS:
        snn = convert(ann, norm="qcfs", v_init=v_init, input_shape=(64,))
        result = run(snn, x_test, max(STEPS), labels=data.y_test)
        rows += [{"v_init": v_init, "steps": t, "accuracy": float(result.accuracy[t - 1])} for t in STEPS]
    table = ConversionTable("digits", accuracy(ann, x_test, data.y_test), tuple(rows))
    return table, ann


def plot_table(table: ConversionTable, ax=None):
    """Accuracy against T (log axis) for each v_init, with the ANN's accuracy."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.5, 3.4))
    for v in V_INITS:
        ax.plot(STEPS, [100 * table.accuracy(v, t) for t in STEPS], "o-", label=f"SNN, v_init={v}")
    ax.axhline(100 * table.ann_accuracy, color="k", ls="--", label="ANN (QCFS)")
    ax.set_xscale("log", base=2)
    ax.set_xticks(STEPS, [str(t) for t in STEPS])
    ax.set(xlabel="time steps T", ylabel="test accuracy (%)", title=f"ANN→SNN conversion on {table.dataset}",
           ylim=(max(0.0, 100 * min(r["accuracy"] for r in table.rows) - 5), 100.5))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def as_array(table: ConversionTable) -> np.ndarray:
    """``(len(V_INITS), len(STEPS))`` accuracies."""
    return np.array([[table.accuracy(v, t) for t in STEPS] for v in V_INITS])
