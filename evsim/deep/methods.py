"""The seed papers' ways of training a spiking net, on the digits data, behind ``evsim train``.

``"continuous"`` — Yin et al., "Algorithm and hardware design of discrete-time
spiking neural networks based on back propagation with binary activations"
(BioCAS 2017), *continuous integration*: LIF layers whose membrane carries
over from step to step (``β = 0.9``), the spike a binary activation trained
with the clipped straight-through estimator (``d = 1/w`` on ``|m − θ| <= w/2``),
back-propagated through time; analog input (the same value every step);
the loss on the output potential after the last step; dropout ``p = 0.05``
(:func:`~evsim.deep.direct.fit`).

``"discontinuous"`` — the same paper's *discontinuous integration*: the
membrane restarts at every step (``β = 0``: ``m = b + W·x``), so each step
is a binary-activation net of its own and the output sums them; made for
rate-coded input (a fresh Bernoulli draw every step). Trained with the same
estimator; with ``β = 0`` no gradient crosses from one step to another, so
back-propagation through time *is* training step by step.

``"datta"`` — Datta, Kundu & Beerel, "Training energy-efficient deep spiking
neural networks with single-spike hybrid input encoding" (IJCNN 2021),
as a hybrid recipe: train the QCFS ANN (:func:`~evsim.deep.experiment.digits_qcfs_mlp`),
convert it (``θ = λ``, ``v_init = θ/2``), then fine-tune it as an SNN with
hybrid input (the analog value at the first step, a time-to-first-spike code
after), every hidden neuron firing at most once, a pseudo-derivative of the
STDB family and the ``"time+membrane"`` loss (:mod:`evsim.deep.direct`), with
an energy term that holds the hidden spikes' energy at the converted net's
(measured on the training data before fine-tuning) and dropout (``p = 0.2``,
one mask per sample kept over its steps, as Rathi et al.'s STDB training does).

Every reported accuracy is on the test split; every setting was chosen on
held-out parts of the training split (docs/training.md also says which
test-split results prompted a search).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from evsim.datasets import Dataset, load_digits
from evsim.deep import checks
from evsim.deep.convert import SpikingNet, convert
from evsim.deep.direct import Training, fit, spike_energy, spiking_mlp
from evsim.deep.energy import energy_ratio
from evsim.deep.experiment import digits_qcfs_mlp
from evsim.deep.runner import run
from evsim.deep.surrogate import STDB, ClippedStraightThrough, Surrogate
from evsim.deep.train import accuracy
from evsim.validation import choice, integer, refuse

__all__ = ["Method", "METHODS", "DigitsTraining", "train_digits"]

SHOWN_EPOCHS = 10  # rows of the epoch table in DigitsTraining.format


@dataclass(frozen=True)
class Method:
    """One training method's settings (see the module docstring).

    Attributes
    ----------
    summary : str
        One line saying what the method is (printed by ``evsim train``).
    steps : int
        The default number of time steps ``T``.
    encoding, loss : str
        :func:`~evsim.deep.direct.fit`'s ``encoding`` and ``loss``.
    surrogate : Surrogate
        The spike's pseudo-derivative.
    epochs : int
        The default number of epochs of :func:`~evsim.deep.direct.fit`.
    lr : float
        Adam's learning rate.
    beta : float, optional
        The hidden layers' decay per step, for :func:`~evsim.deep.direct.spiking_mlp`
        (not read when ``converted``); default 1.0.
    single_spike : bool, optional
        Every hidden neuron fires at most once per sample; default False.
    converted : bool, optional
        Start from the converted QCFS ANN instead of an untrained
        :func:`~evsim.deep.direct.spiking_mlp`; default False.
    hold_energy : bool, optional
        The energy term's budget is the starting net's own spike energy on the
        training data (:func:`~evsim.deep.direct.spike_energy`); default False.
    hidden : int, optional
        The default width of the two hidden layers; default 256.
    options : dict, optional
        Further :func:`~evsim.deep.direct.fit` options (``weight_decay``,
        ``spike_cost``, ``schedule``, …); default empty.

    Examples
    --------
    >>> from evsim.deep.methods import METHODS
    >>> datta = METHODS["datta"]
    >>> datta.steps, datta.encoding, datta.surrogate, datta.single_spike
    (4, 'hybrid', STDB(alpha=0.3, beta=0.01, slope=4.0), True)
    """

    summary: str
    steps: int  # the default T
    encoding: str
    surrogate: Surrogate
    loss: str
    epochs: int
    lr: float
    beta: float = 1.0
    single_spike: bool = False
    converted: bool = False
    hold_energy: bool = False  # the energy term's budget: the converted net's own spike energy on the training data
    hidden: int = 256
    options: dict = field(default_factory=dict)  # further fit() options (weight_decay, spike_cost, …)


METHODS = {
    "continuous": Method("Yin et al.: LIF (β = 0.9) carried over steps, clipped straight-through, BPTT, analog "
                         "input, dropout 0.05", steps=8, encoding="analog", surrogate=ClippedStraightThrough(1.0),
                         loss="final", epochs=20, lr=1e-3, beta=0.9, hidden=512, options={"weight_decay": 2.0, "dropout": 0.05}),
    "discontinuous": Method("Yin et al.: the membrane restarts every step (β = 0), clipped straight-through, rate "
                            "input", steps=8, encoding="rate", surrogate=ClippedStraightThrough(1.0), loss="final",
                            epochs=20, lr=1e-3, beta=0.0, hidden=512),
    "datta": Method("Datta et al.: the converted QCFS net fine-tuned with hybrid input, single-spike hidden "
                    "layers, windowed STDB, the spike-time + membrane loss and dropout", steps=4, encoding="hybrid",
                    surrogate=STDB(0.3, 0.01, slope=4.0), loss="time+membrane", epochs=160, lr=1e-3,
                    single_spike=True, converted=True, hold_energy=True,
                    options={"schedule": "cosine", "spike_cost": 10.0, "dropout": 0.2}),
}


@dataclass(frozen=True, eq=False)
class DigitsTraining:
    """What :func:`train_digits` measured (accuracies are fractions, on the test split).

    Attributes
    ----------
    method : str
        The method's name, a key of :data:`METHODS`.
    steps, seed : int
        The time steps and the seed used.
    accuracy : float
        The trained net's test accuracy after the last step.
    spikes_per_image : float
        The trained net's hidden spikes per test image (all layers and steps).
    energy_ratio : float
        Joules per image over the ANN's (:func:`~evsim.deep.energy.energy_ratio`).
    curve : Training
        The :class:`~evsim.deep.direct.Training` (loss, training accuracy and
        test accuracy after each epoch).
    ann_accuracy, converted_accuracy, converted_energy_ratio : float or None, optional
        For ``"datta"`` also the ANN's accuracy and the converted net's accuracy
        and energy before fine-tuning; None (the default) for the other methods.

    Examples
    --------
    A stand-in for :func:`train_digits`'s result, from a toy :func:`~evsim.deep.direct.fit`:

    >>> import numpy as np
    >>> from evsim.deep import fit, spiking_mlp
    >>> from evsim.deep.methods import DigitsTraining
    >>> x = np.random.default_rng(0).random((16, 2))
    >>> y = (x[:, 0] > x[:, 1]).astype(int)
    >>> curve = fit(spiking_mlp([2, 8, 2]), x, y, 4, epochs=2, batch=8, lr=0.01, validation=(x, y))
    >>> print(DigitsTraining("continuous", 4, 0, 0.3125, 1.5, 0.05, curve).format())
    digits, continuous (Yin et al.: ...), T = 4, seed 0
     epoch      loss   train %    test %
         1    1.3505     37.50     31.25
         2    1.1781     31.25     31.25
    trained SNN: test accuracy 31.25 %, 1.5 spikes per image, energy/ANN 0.050
    """

    method: str
    steps: int
    seed: int
    accuracy: float
    spikes_per_image: float
    energy_ratio: float
    curve: Training
    ann_accuracy: float | None = None
    converted_accuracy: float | None = None
    converted_energy_ratio: float | None = None

    @property
    def net(self) -> SpikingNet:
        return self.curve.net

    def as_json(self) -> dict:
        return {"dataset": "digits", "method": self.method, "steps": self.steps, "seed": self.seed,
                "epochs": len(self.curve.losses), "accuracy": self.accuracy,
                "spikes_per_image": self.spikes_per_image, "energy_ratio": self.energy_ratio,
                "ann_accuracy": self.ann_accuracy, "converted_accuracy": self.converted_accuracy,
                "converted_energy_ratio": self.converted_energy_ratio, "losses": list(self.curve.losses),
                "train_accuracy": list(self.curve.accuracies), "test_accuracy": list(self.curve.validation)}

    def format(self) -> str:
        method = METHODS[self.method]
        lines = [f"digits, {self.method} ({method.summary}), T = {self.steps}, seed {self.seed}",
                 f"{'epoch':>6}{'loss':>10}{'train %':>10}{'test %':>10}"]
        epochs = len(self.curve.losses)
        every = -(-epochs // SHOWN_EPOCHS)  # at most about SHOWN_EPOCHS rows; --json has them all
        for epoch in sorted({*range(every, epochs + 1, every), 1, epochs}):
            loss, train, test = (values[epoch - 1] for values in (self.curve.losses, self.curve.accuracies,
                                                                  self.curve.validation))
            lines.append(f"{epoch:>6}{loss:>10.4f}{100 * train:>10.2f}{100 * test:>10.2f}")
        if self.ann_accuracy is not None:
            lines.append(f"ANN {100 * self.ann_accuracy:.2f} %; converted, before fine-tuning "
                         f"{100 * self.converted_accuracy:.2f} % (energy/ANN {self.converted_energy_ratio:.3f})")
        lines.append(f"trained SNN: test accuracy {100 * self.accuracy:.2f} %, {self.spikes_per_image:.1f} "
                     f"spikes per image, energy/ANN {self.energy_ratio:.3f}")
        return "\n".join(lines)


def train_digits(method: str = "continuous", steps: int | None = None, *, epochs: int | None = None, seed: int = 0,
                 hidden: int | None = None, progress: bool | Callable[[int, float], None] = False,
                 data: Dataset | None = None) -> DigitsTraining:
    """Train a 64-``hidden``-``hidden``-10 spiking net on the digits by ``method`` (see :data:`METHODS`).

    ``steps``, ``epochs`` and ``hidden`` default to the method's.

    Parameters
    ----------
    method : {"continuous", "discontinuous", "datta"}, optional
        The recipe; default ``"continuous"``.
    steps : int or None, optional
        Time steps per sample (``>= 1``; ``>= 2`` for ``"datta"``'s hybrid input).
    epochs : int or None, optional
        Epochs of training the SNN (``>= 1``); for ``"datta"``, of fine-tuning
        (its QCFS ANN always trains for 60).
    seed : int, optional
        Seed (``>= 0``) of the weights, the shuffle and the rate code's draws
        (and of the ANN's training, for ``"datta"``); default 0.
    hidden : int or None, optional
        Width of each hidden layer (``>= 1``).
    progress : bool or callable, optional
        As :func:`~evsim.deep.direct.fit`'s, over the SNN's epochs (not the
        ANN's, for ``"datta"``); default False.
    data : Dataset or None, optional
        The digits to train and measure on; default None: :func:`~evsim.datasets.load_digits`.
        ``load_digits().fold(k)`` measures on part ``k`` of the training set instead of the
        test set (how the recipes were chosen).

    Returns
    -------
    DigitsTraining
        The test accuracy, spikes and energy of the trained net and its training curve.

    Raises
    ------
    ValidationError
        A bad argument, named with the value and what is accepted.
    LimitError
        A ``hidden`` so wide that the weights, a training batch's tape or a run
        would exceed the memory limit (``evsim.limits``).

    Examples
    --------
    A run takes many seconds (``evsim train`` runs it); by default it uses the method's settings:

    >>> from evsim.deep.methods import METHODS, train_digits
    >>> METHODS["continuous"].steps, METHODS["continuous"].epochs, METHODS["continuous"].hidden
    (8, 20, 512)
    >>> result = train_digits("continuous", epochs=2, hidden=32)  # doctest: +SKIP
    """
    owner = "train_digits"
    method = choice("method", method, tuple(METHODS), owner=owner)
    recipe = METHODS[method]
    steps = recipe.steps if steps is None else \
        integer("steps", steps, owner=owner, minimum=2 if recipe.encoding == "hybrid" else 1)
    epochs = recipe.epochs if epochs is None else integer("epochs", epochs, owner=owner, minimum=1)
    seed = integer("seed", seed, owner=owner, minimum=0)
    hidden = recipe.hidden if hidden is None else integer("hidden", hidden, owner=owner, minimum=1)
    progress = checks.progress(progress, owner=owner)
    data = load_digits() if data is None else checks.instance("data", data, Dataset, owner=owner)
    if data.image_shape != (8, 8):
        raise refuse(owner, "data", "8×8 digits (load_digits() or one of its folds)", data)
    x_train, x_test = data.x_train.reshape(len(data.x_train), -1), data.x_test.reshape(len(data.x_test), -1)
    before = {}
    if recipe.converted:
        ann = digits_qcfs_mlp(data, seed=seed, hidden=hidden)
        snn = convert(ann, norm="qcfs", v_init="half", input_shape=(64,))
        converted = _measure(snn, x_test, data.y_test, steps, recipe, seed)
        before = dict(ann_accuracy=accuracy(ann, x_test, data.y_test), converted_accuracy=converted[0],
                      converted_energy_ratio=converted[2])
    else:
        snn = spiking_mlp([64, hidden, hidden, 10], beta=recipe.beta, seed=seed)
    options = dict(recipe.options)
    if recipe.hold_energy:
        options["spike_budget"] = spike_energy(snn, x_train, steps, encoding=recipe.encoding,
                                               single_spike=recipe.single_spike, rng=seed)
    curve = fit(snn, x_train, data.y_train, steps, epochs=epochs, lr=recipe.lr, seed=seed,
                surrogate=recipe.surrogate, encoding=recipe.encoding, single_spike=recipe.single_spike,
                loss=recipe.loss, validation=(x_test, data.y_test), progress=progress, **options)
    accuracy_, spikes, energy = _measure(curve.net, x_test, data.y_test, steps, recipe, seed)
    return DigitsTraining(method, steps, seed, accuracy_, spikes, energy, curve, **before)


def _measure(snn: SpikingNet, x, y, steps: int, recipe: Method, seed: int) -> tuple[float, float, float]:
    """(test accuracy, spikes per image, energy per image over the ANN's) of ``snn`` run as trained."""
    result = run(snn, x, steps, encoding=recipe.encoding, labels=y, rng=seed, single_spike=recipe.single_spike)
    return float(result.accuracy[-1]), float(result.spike_counts.sum() / len(x)), energy_ratio(result, snn)
