"""Yield recovery of a varied die: its response signature, per-layer threshold tuning, a ridge regressor.

The two steps of the RRAM yield-recovery study evsim follows (an IEEE paper on
response-signature testing and layer-wise threshold tuning of RRAM SNNs):

1. **Test by signature.** A die's *response signature* is what a tester reads
   from it on a few fixed images: on each, the class probabilities it answers
   and the log of each spiking layer's firing rate (:func:`signature`). A
   regressor from the signature predicts the die's accuracy (through the log
   of its error rate), so only the dies predicted out of spec are tuned.
2. **Tune thresholds layer by layer.** Spiking layer ``l``'s threshold becomes
   ``s_l·θ_l``. On a chip a spike is a fixed pulse: it still carries ``θ_l`` to
   the next layer. Such a neuron fires when ``m ≥ s_l·θ_l``, i.e. when
   ``m/s_l ≥ θ_l``, and the subtracting reset takes ``s_l·θ_l`` from ``m`` —
   ``θ_l`` from ``m/s_l``. So the tuned die is, exactly in real arithmetic, the
   layer with its incoming weights, bias and initial potential divided by
   ``s_l`` (:func:`with_threshold_scales`). A regressor trained on dies whose best
   scales were searched offline (:func:`search_scales`) maps a new die's
   signature to its scales: one test, one write of the thresholds.

The offline search needs no labels: it chooses the scales whose outputs on
calibration images point the way the designed net's do,
``mismatch = mean_x (1 − cos(u_T(x) of the design, u_T(x) of the die))``
(:func:`mismatch`), one layer at a time over a grid, ``passes`` times
(coordinate descent). Ties go to the scale nearest 1.

:class:`Ridge` is the regressor: least squares with an L2 penalty ``α``,
features standardised, ``α`` chosen by exact leave-one-out error.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from evsim.deep import checks
from evsim.deep.convert import SpikingNet
from evsim.deep.layers import Conv2d, Dense
from evsim.deep.runner import run
from evsim.deep.train import softmax
from evsim.validation import integer, real_array, refuse

__all__ = ["with_threshold_scales", "response", "signature", "mismatch", "search_scales", "Ridge", "SCALE_GRID", "ALPHAS",
           "RATE_FLOOR"]

SCALE_GRID = tuple(float(s) for s in np.geomspace(0.35, 2.8, 31))  # s_l searched: 1/2.8 … 2.8, ~7 % apart
ALPHAS = tuple(float(a) for a in np.logspace(-3, 4, 15))  # Ridge penalties tried


def with_threshold_scales(snn: SpikingNet, scales: Sequence[float]) -> SpikingNet:
    """``snn`` with spiking layer ``l``'s threshold raised to ``scales[l]·θ_l``, spikes still worth ``θ_l``.

    Written as the layer's incoming weights, bias and initial potential divided
    by ``scales[l]`` (see the module docstring); the output accumulator is unchanged.

    Parameters
    ----------
    snn : SpikingNet
        The net (a die, or the design).
    scales : sequence of float
        One finite ``s_l > 0`` per spiking layer.

    Returns
    -------
    SpikingNet
        A new net; ``snn`` is not changed.

    Raises
    ------
    ValidationError
        ``snn`` not a SpikingNet, or ``scales`` not one positive real per spiking layer.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import run, spiking_mlp
    >>> from evsim.deep.tuning import with_threshold_scales
    >>> snn = spiking_mlp([3, 4, 2], seed=0)
    >>> tuned = with_threshold_scales(snn, [2.0])
    >>> float(tuned.layers[0].ops[0].params["W"][0, 0] / snn.layers[0].ops[0].params["W"][0, 0])
    0.5
    >>> x = np.random.default_rng(0).random((5, 3))
    >>> int(run(tuned, x, 8).spike_counts.sum()) <= int(run(snn, x, 8).spike_counts.sum())
    True
    """
    owner = "with_threshold_scales"
    checks.instance("snn", snn, SpikingNet, owner=owner)
    spiking = sum(layer.spiking for layer in snn.layers)
    scales = checks.positive_reals("scales", scales, owner=owner, count=spiking)
    layers, next_scale = [], iter(scales)
    for layer in snn.layers:
        if not layer.spiking:
            layers.append(layer)
            continue
        scale = next(next_scale)
        ops = tuple(_divided(op, scale) for op in layer.ops)
        layers.append(replace(layer, ops=ops, bias=layer.bias / scale, v_init=layer.v_init / scale))
    return replace(snn, layers=tuple(layers))


def _divided(op, scale: float):
    """A copy of a Dense or Conv2d op with its weights over ``scale`` (other ops are shared: they hold no weights)."""
    if not isinstance(op, (Dense, Conv2d)):
        return op
    clone = copy.copy(op)
    clone.params = dict(op.params, W=op.params["W"] / scale)
    return clone


def response(snn: SpikingNet, x: np.ndarray, steps: int) -> np.ndarray:
    """The net's mean output per step ``u_T/T`` on each sample, analog input: ``(samples, classes)``.

    Parameters
    ----------
    snn : SpikingNet
        The net.
    x : ndarray
        ``(samples, *snn.input_shape)`` finite inputs.
    steps : int
        Time steps ``T`` (``>= 1``).

    Returns
    -------
    ndarray
        The output accumulator after the last step, over ``steps``.

    Raises
    ------
    ValidationError
        As :func:`~evsim.deep.runner.run`'s.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.tuning import response
    >>> response(spiking_mlp([3, 4, 2], seed=0), np.ones((2, 3)), 4).shape
    (2, 2)
    """
    steps = integer("steps", steps, owner="response", minimum=1)
    return run(snn, x, steps).logits[-1] / steps


RATE_FLOOR = 1e-3  # added to a firing rate before its log: a silent layer still has a finite signature


def signature(snn: SpikingNet, x: np.ndarray, steps: int) -> np.ndarray:
    """A die's response signature on the images ``x``: what a tester reads from it, as one vector.

    Per image, in order: the class probabilities it answers,
    ``softmax(u_T/T)``, then for each spiking layer ``ln(r + RATE_FLOOR)``,
    ``r`` the layer's firing rate (spikes per neuron per step). The rates show
    each layer's gain; their logarithm makes a gain a shift, which a linear
    regressor reads well. (Tried on the digits study: these features predict
    the offline scales 2–3 times better than the raw outputs ``u_T/T``.)

    Parameters
    ----------
    snn : SpikingNet
        The die (or the design).
    x : ndarray
        ``(images, *snn.input_shape)``: the signature images, analog input.
    steps : int
        Time steps ``T`` (``>= 1``).

    Returns
    -------
    ndarray
        ``images · (classes + spiking layers)`` values.

    Raises
    ------
    ValidationError
        As :func:`~evsim.deep.runner.run`'s.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.tuning import signature
    >>> values = signature(spiking_mlp([3, 4, 4, 2], seed=0), np.ones((5, 3)), 4)
    >>> values.shape  # 5 images · (2 classes + 2 spiking layers)
    (20,)
    >>> float(values.reshape(5, 4)[0, :2].sum())  # the class probabilities of the first image
    1.0
    """
    steps = integer("steps", steps, owner="signature", minimum=1)
    result = run(snn, x, steps, record_spikes=True)
    probabilities, _ = softmax(result.logits[-1] / steps)
    rates = [np.log(spikes.mean(axis=(0, 2)) + RATE_FLOOR) for spikes in result.spikes]  # (images,) per layer
    return np.column_stack([probabilities, *rates]).ravel()


def mismatch(design: np.ndarray, die: np.ndarray) -> float:
    """Mean cosine distance ``1 − cos(u_design, u_die)`` over samples (0 when each pair points the same way).

    Blind to each sample's length: a gain on the output crossbar scales every
    output and changes no answer, so it is not a mismatch the hidden thresholds
    should chase. (The KL divergence of the softmaxes, tried first, is not blind
    to it: on dies that differed only in gains it put the searched scales
    0.17–0.21 in ``ln`` from the true gains, against 0.04 for this distance.)
    A zero output vector counts as orthogonal to anything.

    Parameters
    ----------
    design, die : ndarray
        ``(samples, classes)`` responses (:func:`response`) of the designed net and of a die,
        on the same samples.

    Returns
    -------
    float
        In ``[0, 2]``.

    Raises
    ------
    ValidationError
        Arrays that are not 2-D, finite, non-empty and of one shape.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.tuning import mismatch
    >>> round(mismatch(np.array([[1.0, 2.0]]), np.array([[3.0, 6.0]])), 12)  # the same direction, 3 times as long
    0.0
    >>> mismatch(np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 1.0], [-1.0, 0.0]]))  # (1 + 2) / 2
    1.5
    """
    design = real_array("design", design, owner="mismatch", ndim=2, allow_empty=False)
    die = real_array("die", die, owner="mismatch", ndim=2, allow_empty=False)
    if design.shape != die.shape:
        raise refuse("mismatch", "die", f"responses of the design's shape {design.shape}", die.shape)
    lengths = np.linalg.norm(design, axis=1) * np.linalg.norm(die, axis=1)
    cosines = np.divide((design * die).sum(axis=1), lengths, out=np.zeros(len(design)), where=lengths > 0)
    return float(max((1.0 - cosines).mean(), 0.0))


def search_scales(die: SpikingNet, design: np.ndarray, x: np.ndarray, steps: int, *,
                  grid: Sequence[float] = SCALE_GRID, passes: int = 2) -> np.ndarray:
    """The offline search: per-layer threshold scales bringing ``die``'s response closest to ``design``.

    Coordinate descent over ``grid``, first spiking layer to last, ``passes``
    times, each layer's scale the grid value of least :func:`mismatch` with the
    others held (ties: the one nearest 1, in ratio).

    Parameters
    ----------
    die : SpikingNet
        The varied net.
    design : ndarray
        The designed net's :func:`response` on ``x``.
    x : ndarray
        Calibration inputs (no labels are needed).
    steps : int
        Time steps ``T`` (``>= 1``).
    grid : sequence of float, optional
        Scales tried per layer (positive); default :data:`SCALE_GRID`.
    passes : int, optional
        Sweeps over the layers (``>= 1``); default 2.

    Returns
    -------
    ndarray
        One scale per spiking layer, each a value of ``grid`` (or 1.0 when no grid value
        improves on the die as it is).

    Raises
    ------
    ValidationError
        A bad argument, named with its value.

    Examples
    --------
    A die whose first crossbar came out 1.6 times too strong is tuned back:

    >>> import numpy as np
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.tuning import response, search_scales, with_threshold_scales
    >>> snn = spiking_mlp([6, 20, 3], seed=1, beta=0.9)
    >>> x = np.random.default_rng(0).random((40, 6))
    >>> die = with_threshold_scales(snn, [1 / 1.6])
    >>> search_scales(die, response(snn, x, 8), x, 8, grid=[1.0, 1.3, 1.6, 2.0]).tolist()
    [1.6]
    """
    owner = "search_scales"
    checks.instance("die", die, SpikingNet, owner=owner)
    steps = integer("steps", steps, owner=owner, minimum=1)
    grid = checks.positive_reals("grid", grid, owner=owner)
    passes = integer("passes", passes, owner=owner, minimum=1)
    design = real_array("design", design, owner=owner, ndim=2, allow_empty=False)
    spiking = sum(layer.spiking for layer in die.layers)
    scales = np.ones(spiking)
    best = mismatch(design, response(die, x, steps))
    for _ in range(passes):
        for layer in range(spiking):
            for value in sorted(grid, key=lambda s: abs(np.log(s))):  # nearest 1 first: ties keep it
                trial = scales.copy()
                trial[layer] = value
                score = mismatch(design, response(with_threshold_scales(die, trial), x, steps))
                if score < best:
                    best, scales = score, trial
    return scales


@dataclass(frozen=True, eq=False)
class Ridge:
    """A fitted ridge regression ``y = (x − mean)/scale · coef + intercept`` (see :meth:`fit`).

    Attributes
    ----------
    mean, scale : ndarray
        Per feature, what standardises it (a constant feature keeps scale 1).
    coef : ndarray
        ``(features, targets)`` weights on the standardised features.
    intercept : ndarray
        ``(targets,)``, the targets' mean.
    alpha : float
        The penalty chosen.
    loo_error : float
        Its leave-one-out root-mean-square error, over all targets.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.tuning import Ridge
    >>> x = np.random.default_rng(0).random((30, 3))
    >>> model = Ridge.fit(x, x @ [1.0, -2.0, 0.5] + 3.0, alphas=[1e-6])
    >>> np.round(model.predict(np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])), 4).tolist()
    [3.0, 2.5]
    """

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    alpha: float
    loo_error: float
    _single: bool = False  # fitted on a 1-D y: predict returns 1-D

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, *, alphas: Sequence[float] = ALPHAS) -> "Ridge":
        """Least squares with penalty ``α·‖coef‖²``, ``α`` the one of least leave-one-out error.

        With ``Z`` the standardised features and ``Z = U·diag(d)·Vᵀ`` its thin SVD,
        ``coef = V·diag(d/(d² + α))·Uᵀ·(y − ȳ)``; the leave-one-out residual of
        sample ``i`` is ``r_i/(1 − h_ii)``, ``h_ii = Σ_k U_ik²·d_k²/(d_k² + α) + 1/n``
        (the mean is fitted too), exact for ridge.

        Parameters
        ----------
        x : ndarray
            ``(samples, features)`` finite features, at least 3 samples.
        y : ndarray
            ``(samples,)`` or ``(samples, targets)`` finite targets.
        alphas : sequence of float, optional
            Penalties tried (positive); default :data:`ALPHAS`.

        Returns
        -------
        Ridge
            The fitted model.

        Raises
        ------
        ValidationError
            Arrays of the wrong shape or not finite, fewer than 3 samples, or a penalty that is
            not positive.

        Examples
        --------
        >>> import numpy as np
        >>> from evsim.deep.tuning import Ridge
        >>> x = np.arange(10.0)[:, None]
        >>> model = Ridge.fit(x, 2 * x[:, 0] + 1)
        >>> model.alpha, round(model.loo_error, 3)
        (0.001, 0.001)
        """
        owner = "Ridge.fit"
        x = real_array("x", x, owner=owner, ndim=2, allow_empty=False)
        y = real_array("y", y, owner=owner, allow_empty=False)
        single = y.ndim == 1
        y2 = y[:, None] if single else y
        if y2.ndim != 2 or len(y2) != len(x):
            raise refuse(owner, f"y (shape {y.shape})", f"one target row per sample of x ({len(x)})", y.shape)
        if len(x) < 3:
            raise refuse(owner, "x", "at least 3 samples (one is left out at a time)", len(x))
        alphas = checks.positive_reals("alphas", alphas, owner=owner)
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        z = (x - mean) / scale
        centred = y2 - y2.mean(axis=0)
        u, d, vt = np.linalg.svd(z, full_matrices=False)
        projected = u.T @ centred
        best = None
        for alpha in alphas:
            shrink = d ** 2 / (d ** 2 + alpha)
            fitted = u @ (shrink[:, None] * projected)
            leverage = (u ** 2) @ shrink + 1.0 / len(x)
            loo = (centred - fitted) / (1.0 - leverage)[:, None]
            error = float(np.sqrt((loo ** 2).mean()))
            if best is None or error < best[0] - 1e-12:
                best = (error, alpha, vt.T @ ((d / (d ** 2 + alpha))[:, None] * projected))
        error, alpha, coef = best
        return cls(mean, scale, coef, y2.mean(axis=0), alpha, error, single)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The targets for ``x`` (``(samples, features)``): ``(samples,)`` if fitted on 1-D targets.

        Parameters
        ----------
        x : ndarray
            ``(samples, features)`` finite features, as many features as fitted.

        Returns
        -------
        ndarray
            The predictions.

        Raises
        ------
        ValidationError
            ``x`` of another width, or not finite.

        Examples
        --------
        >>> import numpy as np
        >>> from evsim.deep.tuning import Ridge
        >>> Ridge.fit(np.arange(5.0)[:, None], np.arange(5.0), alphas=[1e-9]).predict(np.array([[7.0]])).round(6)
        array([7.])
        """
        x = real_array("x", x, owner="Ridge.predict", ndim=2)
        if x.shape[1] != len(self.mean):
            raise refuse("Ridge.predict", f"x (shape {x.shape})", f"rows of {len(self.mean)} features", x.shape)
        y = (x - self.mean) / self.scale @ self.coef + self.intercept
        return y[:, 0] if self._single else y
