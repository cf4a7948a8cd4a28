"""The digits conversion experiment behind ``evsim convert``.

A QCFS MLP (64-256-256-10, L = 4 levels, trainable λ) is trained with Adam on
the bundled digits (fixed split, seed 2), converted with ``norm="qcfs"``, and
run with analog input for T = 1 … 32 steps for each ``v_init``. The whole
experiment takes a few seconds on 2 cores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from evsim.datasets import load_digits
from evsim.deep import checks
from evsim.deep.calibrate import activation_errors, expected_errors, per_image_errors
from evsim.deep.convert import convert
from evsim.deep.early_exit import tune_exit
from evsim.deep.energy import energy_ratio
from evsim.deep.layers import QCFS, Dense, ReLU, Sequential
from evsim.deep.runner import run
from evsim.deep.train import accuracy, train
from evsim.validation import choice, integer, refuse

__all__ = ["STEPS", "V_INITS", "METHODS", "ConversionTable", "digits_qcfs_mlp", "digits_relu_mlp", "conversion_table", "compare_rows",
           "format_compare"]

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
        """The SNN accuracy of one row of the table."""
        choice("v_init", v_init, sorted({r["v_init"] for r in self.rows}), owner="ConversionTable.accuracy")
        for r in self.rows:
            if r["v_init"] == v_init and r["steps"] == steps:
                return r["accuracy"]
        raise refuse("ConversionTable.accuracy", "steps", f"one of {sorted({r['steps'] for r in self.rows})}",
                     steps)

    def format(self) -> str:
        head = f"{'v_init':<8}" + "".join(f"{'T=' + str(t):>9}" for t in STEPS)
        lines = [f"{self.dataset}: ANN test accuracy {100 * self.ann_accuracy:.2f} %", "SNN test accuracy (%):", head]
        for v in V_INITS:
            lines.append(f"{v:<8}" + "".join(f"{100 * self.accuracy(v, t):>9.2f}" for t in STEPS))
        return "\n".join(lines)


def digits_qcfs_mlp(data, *, seed: int = 2, levels: int = 4, hidden: int = 256, epochs: int = 60,
                    progress=False) -> Sequential:
    """Train the QCFS MLP on the digits training set."""
    seed = integer("seed", seed, owner="digits_qcfs_mlp", minimum=0)
    hidden = integer("hidden", hidden, owner="digits_qcfs_mlp", minimum=1)
    ann = Sequential([Dense(64, hidden, rng=seed), QCFS(levels, lam=2.0), Dense(hidden, hidden, rng=seed + 10),
                      QCFS(levels, lam=2.0), Dense(hidden, 10, rng=seed + 20)])
    train(ann, data.x_train.reshape(len(data.x_train), -1), data.y_train, epochs=epochs, lr=2e-3, seed=seed,
          progress=progress)
    return ann


def digits_relu_mlp(data, *, seed: int = 0, hidden: int = 256, epochs: int = 60) -> Sequential:
    """A 64-``hidden``-``hidden``-10 ReLU MLP trained on the digits (Adam, lr 2e-3): the studies' ANN.

    Its initial weights come from seeds ``seed + 1000``, ``+ 1010``, ``+ 1020``, not from the
    seeds :func:`~evsim.deep.direct.spiking_mlp` gives a spiking net of the same shape (``seed + 10·k``):
    an ANN compared with, or teaching, such a net does not start from its weights.

    Parameters
    ----------
    data : Dataset
        The digits (:func:`~evsim.datasets.load_digits`, or one of its folds); trained on ``data.x_train``.
    seed : int, optional
        Seed (``>= 0``) of the initial weights and the order; default 0.
    hidden : int, optional
        Width of each hidden layer; default 256.
    epochs : int, optional
        Passes over the training set; default 60.

    Returns
    -------
    Sequential
        The trained ANN.

    Raises
    ------
    ValidationError
        A negative ``seed``, or a training argument :func:`~evsim.deep.train.train` refuses.

    Examples
    --------
    >>> from evsim.datasets import load_digits
    >>> from evsim.deep.experiment import digits_relu_mlp
    >>> ann = digits_relu_mlp(load_digits(), hidden=16, epochs=1)
    >>> ann.forward(load_digits().x_test[:2].reshape(2, -1)).shape
    (2, 10)
    """
    seed = integer("seed", seed, owner="digits_relu_mlp", minimum=0)
    ann = Sequential([Dense(64, hidden, rng=seed + 1000), ReLU(), Dense(hidden, hidden, rng=seed + 1010), ReLU(),
                      Dense(hidden, 10, rng=seed + 1020)])
    train(ann, data.x_train.reshape(len(data.x_train), -1), data.y_train, epochs=epochs, lr=2e-3, seed=seed)
    return ann


def conversion_table(*, seed: int = 2, progress=False) -> tuple[ConversionTable, Sequential]:
    """Train, convert and run; return the accuracy table and the ANN."""
    integer("seed", seed, owner="conversion_table", minimum=0)
    checks.progress(progress, owner="conversion_table")
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


METHODS = (  # (label, v_init, encoding, compensation, early_exit, single_spike)
    ("zero", "zero", "analog", False, False, False),
    ("half", "half", "analog", False, False, False),
    ("calibrated", "calibrated", "analog", False, False, False),
    ("rate", "half", "rate", False, False, False),
    ("rate+compensation", "half", "rate", True, False, False),
    ("early exit", "half", "analog", False, True, False),
    ("hybrid single-spike", "half", "hybrid", False, False, True),
)


def compare_rows(*, seed: int = 2, steps: Sequence[int] = STEPS, progress=False) -> tuple[list[dict], float]:
    """Every method of :data:`METHODS` on one trained ANN: accuracy, steps, spikes, energy ratio.

    Calibration and the early-exit setting (:func:`~evsim.deep.early_exit.tune_exit`)
    see only the training set; every reported number is on the test set.
    Analog rows without early exit also carry each spiking layer's activation
    errors (:func:`~evsim.deep.calibrate.expected_errors` and
    :func:`~evsim.deep.calibrate.per_image_errors`).
    """
    integer("seed", seed, owner="compare_rows", minimum=0)
    checks.progress(progress, owner="compare_rows")
    if isinstance(steps, (str, bytes)) or not hasattr(steps, "__len__") or len(steps) == 0:
        raise refuse("compare_rows", "steps", "a non-empty sequence of step counts >= 1", steps)
    steps = [integer(f"steps[{i}]", t, owner="compare_rows", minimum=1) for i, t in enumerate(steps)]
    data = load_digits()
    ann = digits_qcfs_mlp(data, seed=seed, progress=progress)
    x_train = data.x_train.reshape(len(data.x_train), -1)
    x_test = data.x_test.reshape(len(data.x_test), -1)
    nets = {v: convert(ann, norm="qcfs", v_init=v, input_shape=(64,)) for v in ("zero", "half")}
    jobs = [(method, T) for method in METHODS for T in steps if not (method[2] == "hybrid" and T < 2)]
    if progress:
        from tqdm import tqdm

        jobs = tqdm(jobs, desc="methods x steps", leave=False)
    rows = []
    for (label, v_init, encoding, compensation, early_exit, single), T in jobs:
        snn = nets.get(v_init) or convert(ann, calibration=x_train, norm="qcfs", v_init=v_init,
                                          calibration_steps=T)
        exit_options = _tuned_exit(snn, x_train, data.y_train, T) if early_exit else {}
        out = run(snn, x_test, T, encoding=encoding, labels=data.y_test, rng=seed, compensation=compensation,
                  single_spike=single, record_spikes=single, **exit_options)
        if single:  # the defining property of single-spike inference, checked on every image
            assert all(layer.sum(axis=0).max(initial=0) <= 1 for layer in out.spikes), "a neuron fired twice"
        rows.append({"method": label, "v_init": v_init, "encoding": encoding, "compensation": compensation,
                     "exit_threshold": exit_options.get("exit_threshold"),
                     "temperature": exit_options.get("temperature"), "single_spike": single, "steps": T,
                     "avg_steps": out.avg_steps, "accuracy": out.exit_accuracy,
                     "spikes_per_image": float(out.spike_counts.sum() / len(x_test)),
                     "energy_ratio": energy_ratio(out, snn),
                     **_activation_errors(snn, ann, x_test, T, measured=encoding == "analog" and not early_exit)})
    return rows, accuracy(ann, x_test, data.y_test)


def _tuned_exit(snn, x_train, y_train, steps: int) -> dict:
    choice = tune_exit(snn, x_train, y_train, steps)
    return {"exit_threshold": choice.exit_threshold, "temperature": choice.temperature}


def _activation_errors(snn, ann, x, steps: int, *, measured: bool) -> dict:
    if not measured:
        return {"expected_error": None, "per_image_error": None}
    errors = activation_errors(snn, ann, x, steps)
    return {"expected_error": expected_errors(errors).tolist(), "per_image_error": per_image_errors(errors).tolist()}


def format_compare(rows: list[dict], ann_accuracy: float) -> str:
    """The comparison table, then the activation errors of the analog rows that carry them."""
    lines = [f"digits: ANN test accuracy {100 * ann_accuracy:.2f} %",
             f"{'method':<20}{'T':>4}{'avg T':>8}{'acc %':>8}{'spikes/img':>12}{'energy/ANN':>12}"]
    for r in rows:
        exit_note = f"  (α={r['exit_threshold']}, temperature {r['temperature']})" if r["exit_threshold"] else ""
        lines.append(f"{r['method']:<20}{r['steps']:>4}{r['avg_steps']:>8.2f}{100 * r['accuracy']:>8.2f}"
                     f"{r['spikes_per_image']:>12.1f}{r['energy_ratio']:>12.3f}{exit_note}")
    lines += ["", "activation error per spiking layer, test set: |mean over images of (θN/T − a)| averaged over "
              "neurons  ;  mean |θN/T − a|",
              f"{'method':<20}{'T':>4}{'expected':>22}{'per image':>22}"]
    for r in (r for r in rows if r["expected_error"] is not None):
        expected = " ".join(f"{e:.4f}" for e in r["expected_error"])
        per_image = " ".join(f"{e:.4f}" for e in r["per_image_error"])
        lines.append(f"{r['method']:<20}{r['steps']:>4}{expected:>22}{per_image:>22}")
    return "\n".join(lines)
