"""The yield study on the digits: dies of a trained net, tested by signature, tuned by a regressor.

:func:`recover` is the method on any net and data: fabricate ``dies`` dies
(:mod:`evsim.deep.devices`); for each, its signature, its accuracy and the
offline best threshold scales (:mod:`evsim.deep.tuning`); fit two ridge
regressors on the first ``train_dies`` — signature → ``ln(1 − accuracy + ERROR_FLOOR)``
(error rates of good and broken dies differ by orders of magnitude; their log
is what a linear model of the signature follows), signature → ``ln s`` —; then on the held-out dies, as on a tester: predict each one's
accuracy from its signature, and tune those predicted out of spec with the
predicted scales. A die is *in spec* when its accuracy is at least the
design's minus ``spec`` points; the *yield* is the fraction of dies in spec.

:func:`yield_study` runs it on the bundled digits with a net trained by
Yin et al.'s continuous method (:func:`~evsim.deep.methods.train_digits`,
64-256-256-10, LIF ``β = 0.9``, ``T = 8``). Images: 20 of the test split
(two per class) are the signature, the other 430 measure accuracy; 400 of
the training split are the calibration inputs of the offline search.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from evsim.datasets import load_digits
from evsim.deep import checks
from evsim.deep.convert import SpikingNet
from evsim.deep.devices import DeviceModel, fabricate
from evsim.deep.methods import train_digits
from evsim.deep.runner import run
from evsim.deep.tuning import Ridge, response, search_scales, with_threshold_scales
from evsim.deep.tuning import signature as signature_of
from evsim.validation import integer, real

__all__ = ["YieldStudy", "recover", "yield_study", "DIGITS_DEVICE", "ERROR_FLOOR"]

ERROR_FLOOR = 1e-3  # added to a die's error rate before its log, the accuracy regressor's target

DIGITS_DEVICE = DeviceModel(0.1, die_sigma=0.4, stuck_zero=0.005, stuck_max=0.0005)
"""The variation :func:`yield_study` uses by default: 10 % device spread, 40 % die-to-die gain spread,
0.5 % of devices stuck at zero, 0.05 % at the highest conductance (evsim's choice: a third of the dies
fail, mostly through their crossbars' gains, the part thresholds can undo; docs/variation.md also
measures a device-dominated case)."""


@dataclass(frozen=True, eq=False)
class YieldStudy:
    """What :func:`recover` measured on the held-out dies (accuracies are fractions).

    Attributes
    ----------
    device : DeviceModel
        The variation.
    spec : float
        Points of accuracy a die may lose and stay in spec.
    design_accuracy : float
        The designed net's accuracy.
    dies : ndarray of int
        The held-out dies' numbers.
    before, after, at_optimum, all_tuned : ndarray
        Per held-out die, the accuracy as fabricated; after recovery (tuned with the predicted
        scales when predicted out of spec, else as fabricated); with the offline search's scales;
        and if every die were tuned with the predicted scales.
    predicted_accuracy : ndarray
        Per held-out die, the accuracy the signature predicts.
    predicted_scales, optimal_scales : ndarray
        ``(held-out dies, spiking layers)``: the regressor's scales and the offline search's.
    accuracy_model, scale_model : Ridge
        The two regressors (signature → ``ln(1 − accuracy + ERROR_FLOOR)``, signature → ``ln s``).
    train_dies : int
        How many dies trained the regressors.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.devices import DeviceModel
    >>> from evsim.deep.yield_study import YieldStudy
    >>> study = YieldStudy(DeviceModel(0.1), 1.0, 0.9, np.arange(2), np.array([0.85, 0.9]), np.array([0.9, 0.9]),
    ...                    np.array([0.9, 0.9]), np.array([0.9, 0.88]), np.array([0.86, 0.9]),
    ...                    np.ones((2, 1)), np.ones((2, 1)), None, None, 10)
    >>> study.out_of_spec(study.before), study.out_of_spec(study.after), study.yield_after
    (1, 0, 1.0)
    """

    device: DeviceModel
    spec: float
    design_accuracy: float
    dies: np.ndarray
    before: np.ndarray
    after: np.ndarray
    at_optimum: np.ndarray
    all_tuned: np.ndarray
    predicted_accuracy: np.ndarray
    predicted_scales: np.ndarray
    optimal_scales: np.ndarray
    accuracy_model: Ridge | None
    scale_model: Ridge | None
    train_dies: int

    @property
    def floor(self) -> float:
        """The lowest accuracy in spec: the design's minus ``spec`` points."""
        return self.design_accuracy - self.spec / 100.0

    def out_of_spec(self, accuracies: np.ndarray) -> int:
        """How many of ``accuracies`` fall below :attr:`floor` (a tolerance of 1e-9 for float sums)."""
        return int((np.asarray(accuracies) < self.floor - 1e-9).sum())

    @property
    def yield_before(self) -> float:
        return 1.0 - self.out_of_spec(self.before) / len(self.before)

    @property
    def yield_after(self) -> float:
        return 1.0 - self.out_of_spec(self.after) / len(self.after)

    @property
    def flagged(self) -> np.ndarray:
        """The held-out dies the signature predicted out of spec (and that were tuned)."""
        return self.predicted_accuracy < self.floor

    @property
    def scale_error(self) -> np.ndarray:
        """Per spiking layer, the mean ``|ln(predicted/optimal)|`` over the held-out dies."""
        return np.abs(np.log(self.predicted_scales / self.optimal_scales)).mean(axis=0)

    def format(self) -> str:
        held = len(self.dies)
        lines = [f"{held} held-out dies (regressors fitted on {self.train_dies}); {self.device}",
                 f"design accuracy {100 * self.design_accuracy:.2f} %; in spec: >= {100 * self.floor:.2f} % "
                 f"(spec {self.spec:g} point{'s' * (self.spec != 1)})",
                 f"out of spec as fabricated:        {self.out_of_spec(self.before):>3} of {held}  "
                 f"(yield {100 * self.yield_before:.1f} %; mean accuracy {100 * self.before.mean():.2f} %)",
                 f"out of spec after recovery:       {self.out_of_spec(self.after):>3} of {held}  "
                 f"(yield {100 * self.yield_after:.1f} %; mean accuracy {100 * self.after.mean():.2f} %; "
                 f"{int(self.flagged.sum())} dies predicted out of spec and tuned)",
                 f"  every die tuned by the regressor: {self.out_of_spec(self.all_tuned):>3} of {held}",
                 f"  every die at its offline optimum: {self.out_of_spec(self.at_optimum):>3} of {held}",
                 f"accuracy predicted from the signature: mean |error| "
                 f"{100 * np.abs(self.predicted_accuracy - self.before).mean():.2f} points",
                 "predicted thresholds against the offline optimum, mean |ln(predicted/optimal)| per layer: "
                 + ", ".join(f"{e:.3f}" for e in self.scale_error)]
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {"device": {"sigma": self.device.sigma, "die_sigma": self.device.die_sigma,
                           "stuck_zero": self.device.stuck_zero, "stuck_max": self.device.stuck_max},
                "spec_points": self.spec, "design_accuracy": self.design_accuracy, "train_dies": self.train_dies,
                "dies": self.dies.tolist(), "before": self.before.tolist(), "after": self.after.tolist(),
                "at_optimum": self.at_optimum.tolist(), "all_tuned": self.all_tuned.tolist(),
                "predicted_accuracy": self.predicted_accuracy.tolist(), "flagged": self.flagged.tolist(),
                "predicted_scales": self.predicted_scales.tolist(), "optimal_scales": self.optimal_scales.tolist(),
                "out_of_spec_before": self.out_of_spec(self.before), "out_of_spec_after": self.out_of_spec(self.after),
                "scale_error": self.scale_error.tolist()}


def recover(snn: SpikingNet, device: DeviceModel, *, signature: np.ndarray, calibration: np.ndarray,
            x: np.ndarray, y: np.ndarray, steps: int, dies: int = 100, train_dies: int = 60, spec: float = 1.0,
            seed: int = 0, progress: bool = False) -> YieldStudy:
    """Fabricate ``dies`` dies of ``snn``, learn recovery on the first ``train_dies``, apply it to the rest.

    Parameters
    ----------
    snn : SpikingNet
        The design.
    device : DeviceModel
        The variation.
    signature : ndarray
        The signature images (``(k, *snn.input_shape)``): a die's signature is its
        :func:`~evsim.deep.tuning.signature` on them.
    calibration : ndarray
        Inputs of the offline search (no labels).
    x, y : ndarray
        The images and labels accuracy is measured on.
    steps : int
        Time steps ``T`` (``>= 1``), analog input.
    dies : int, optional
        Dies fabricated (``>= train_dies + 1``); default 100.
    train_dies : int, optional
        Dies the regressors are fitted on (``>= 3``); default 60.
    spec : float, optional
        Points of accuracy a die may lose and stay in spec (``>= 0``); default 1.0.
    seed : int, optional
        The production run (:func:`~evsim.deep.devices.fabricate`'s seed, ``>= 0``); default 0.
    progress : bool, optional
        Show a tqdm bar over the dies on standard error; default False.

    Returns
    -------
    YieldStudy
        The held-out dies' accuracies before and after, and the regressors.

    Raises
    ------
    ValidationError
        A bad argument, named with its value.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.devices import DeviceModel
    >>> from evsim.deep.yield_study import recover
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((60, 4)); y = (x[:, 0] > x[:, 1]).astype(int)
    >>> study = recover(spiking_mlp([4, 6, 2], seed=0, beta=0.9), DeviceModel(0.1, die_sigma=0.3),
    ...                 signature=x[:5], calibration=x[:30], x=x, y=y, steps=4, dies=8, train_dies=5)
    >>> len(study.dies), study.predicted_scales.shape
    (3, (3, 1))
    """
    owner = "recover"
    checks.instance("snn", snn, SpikingNet, owner=owner)
    steps, dies, train_dies, spec, seed = _checked(owner, device, steps, dies, train_dies, spec, seed, progress)
    signature = checks.samples("signature", signature, owner=owner, sample_shape=snn.input_shape)
    calibration = checks.samples("calibration", calibration, owner=owner, sample_shape=snn.input_shape)
    x = checks.samples("x", x, owner=owner, sample_shape=snn.input_shape)
    y = checks.labels("y", y, owner=owner, count=len(x), classes=snn.layers[-1].size)
    design = response(snn, calibration, steps)
    measured = _measure_dies(snn, device, seed, dies, design, signature, calibration, x, y, steps, progress)
    features, accuracies, optimal, chips = measured
    train, held = slice(0, train_dies), slice(train_dies, dies)
    accuracy_model = Ridge.fit(features[train], np.log(1.0 - accuracies[train] + ERROR_FLOOR))
    scale_model = Ridge.fit(features[train], np.log(optimal[train]))
    predicted_accuracy = np.clip(1.0 + ERROR_FLOOR - np.exp(accuracy_model.predict(features[held])), 0.0, 1.0)
    predicted_scales = np.exp(scale_model.predict(features[held]))
    tuned = np.array([_accuracy(with_threshold_scales(chip, scales), x, y, steps)
                      for chip, scales in zip(chips[held], predicted_scales)])
    at_optimum = np.array([_accuracy(with_threshold_scales(chip, scales), x, y, steps)
                           for chip, scales in zip(chips[held], optimal[held])])
    study = YieldStudy(device, spec, _accuracy(snn, x, y, steps), np.arange(train_dies, dies), accuracies[held],
                       accuracies[held], at_optimum, tuned, predicted_accuracy, predicted_scales, optimal[held],
                       accuracy_model, scale_model, train_dies)
    return replace(study, after=np.where(study.flagged, tuned, study.before))


def _checked(owner: str, device, steps, dies, train_dies, spec, seed, progress) -> tuple[int, int, int, float, int]:
    """The study's own arguments, checked (before anything is trained or fabricated)."""
    checks.instance("device", device, DeviceModel, owner=owner)
    steps = integer("steps", steps, owner=owner, minimum=1)
    train_dies = integer("train_dies", train_dies, owner=owner, minimum=3)
    dies = integer("dies", dies, owner=owner, minimum=train_dies + 1)
    spec = real("spec (points of accuracy)", spec, owner=owner, minimum=0.0)
    seed = integer("seed", seed, owner=owner, minimum=0)
    checks.instance("progress", progress, bool, owner=owner)
    return steps, dies, train_dies, spec, seed


def _measure_dies(snn, device, seed, dies, design, signature, calibration, x, y, steps, progress):
    """Per die: its signature, accuracy, offline best scales, and the die itself."""
    from tqdm import tqdm

    features, accuracies, optimal, chips = [], [], [], []
    for die in tqdm(range(dies), desc="dies: test, search", unit="die", leave=False, disable=not progress):
        chip = fabricate(snn, device, die, seed=seed)
        features.append(signature_of(chip, signature, steps))
        accuracies.append(_accuracy(chip, x, y, steps))
        optimal.append(search_scales(chip, design, calibration, steps))
        chips.append(chip)
    return np.array(features), np.array(accuracies), np.array(optimal), np.array(chips, dtype=object)


def _accuracy(snn: SpikingNet, x, y, steps: int) -> float:
    return float(run(snn, x, steps, labels=y).accuracy[-1])


def yield_study(device: DeviceModel = DIGITS_DEVICE, *, dies: int = 100, train_dies: int = 60, spec: float = 1.0,
                steps: int = 8, seed: int = 0, progress: bool = False) -> YieldStudy:
    """:func:`recover` on the digits, with a net trained by the continuous method (see the module docstring).

    Parameters
    ----------
    device : DeviceModel, optional
        The variation; default :data:`DIGITS_DEVICE`.
    dies, train_dies, spec : optional
        As :func:`recover`'s (defaults 100, 60, 1.0).
    steps : int, optional
        Time steps ``T`` of the trained net (``>= 1``); default 8.
    seed : int, optional
        Seed of the net's training, the image choice and the dies (``>= 0``); default 0.
    progress : bool, optional
        As :func:`recover`'s.

    Returns
    -------
    YieldStudy
        See :func:`recover`.

    Raises
    ------
    ValidationError
        A bad argument, named with its value.

    Examples
    --------
    A study takes minutes (``evsim variation`` runs it):

    >>> from evsim.deep.yield_study import DIGITS_DEVICE, yield_study
    >>> DIGITS_DEVICE.die_sigma
    0.4
    >>> study = yield_study(dies=10, train_dies=6)  # doctest: +SKIP
    """
    steps, dies, train_dies, spec, seed = _checked("yield_study", device, steps, dies, train_dies, spec, seed,
                                                   progress)
    data = load_digits()
    snn = train_digits("continuous", steps, seed=seed, hidden=256, data=data).net
    rng = np.random.default_rng(seed)
    x_test, x_train = (images.reshape(len(images), -1) for images in (data.x_test, data.x_train))
    chosen = np.concatenate([rng.permutation(np.flatnonzero(data.y_test == c))[:2] for c in range(10)])
    rest = np.setdiff1d(np.arange(len(x_test)), chosen)
    calibration = x_train[rng.permutation(len(x_train))[:400]]
    return recover(snn, device, signature=x_test[chosen], calibration=calibration, x=x_test[rest],
                   y=data.y_test[rest], steps=steps, dies=dies, train_dies=train_dies, spec=spec, seed=seed,
                   progress=progress)
