"""IC-SNN Algorithm 2 as evsim defines it: initial potentials calibrated on training data.

A spiking neuron ``j`` with threshold ``θ`` that fires ``N_j`` times in ``T``
steps of analog input has rate output ``r_j = θ·N_j/T``; its *activation
error* on one input is ``e_j = r_j − a_j`` against the ANN's activation
``a_j``. IC-SNN's Theorem 2 makes the *expected* error zero with
``v(0) = θ/2`` when activations are spread evenly between quantisation levels;
Algorithm 2 makes the mean error over real training data zero, neuron by
neuron, at the target ``T``.

evsim's definition. Layer by layer (earlier layers already calibrated), start
from ``v_j(0) = θ/2`` and repeat ``iterations`` times: with ``ē_j`` the mean of
``e_j`` over the calibration inputs, the full correction is

    Δ_j = −T · ē_j

(raising ``v(0)`` by ``δ`` raises ``r`` by about ``δ/T``, the rate identity);
try ``v_j(0) + s·Δ_j`` for ``s ∈ {0, ¼, ½, 1}``, clipped to ``[0, θ)``, and
keep per neuron the candidate with the smallest ``|ē_j|``. Neurons of one
layer do not interact, so the choice is per neuron, and on the calibration
data no neuron ends with a larger ``|ē_j|`` than ``θ/2`` gives it, the layers
before it calibrated as they are.

What it optimises, and what it does not: ``|ē_j|`` (:func:`expected_errors`)
is the quantity Algorithm 2 drives to zero. The mean of ``|e_j|`` over
images (:func:`per_image_errors`) is a different quantity, minimised by a
*median* rather than a mean; where ``θ/2`` is already exact for most images
(QCFS with ``L = T``) calibrating the mean can raise it.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from evsim.deep import checks
from evsim.deep.convert import SpikingNet
from evsim.deep.layers import ACTIVATIONS, Sequential
from evsim.deep.runner import run
from evsim.validation import integer, real_array, refuse

__all__ = ["ann_activations", "snn_rates", "activation_errors", "expected_errors", "per_image_errors", "calibrate"]


def ann_activations(ann: Sequential, x: np.ndarray) -> list[np.ndarray]:
    """The ANN's output after each activation layer, flattened per sample.

    Parameters
    ----------
    ann : Sequential
        The ANN.
    x : array_like of float, shape (samples, ...)
        A non-empty batch of finite inputs, one row per sample, of the shape the ANN's first layer takes.

    Returns
    -------
    list of ndarray
        One ``(samples, neurons)`` array per activation layer (``ReLU``, ``ClipReLU``, ``QCFS``), in
        order.

    Raises
    ------
    ValidationError
        ``ann`` not a ``Sequential``, ``x`` not a non-empty batch of finite real numbers, or a layer
        refusing the shape it receives.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import deep
    >>> from evsim.deep import calibrate
    >>> ann = deep.Sequential([deep.Dense(3, 4, rng=0), deep.ReLU(), deep.Dense(4, 2, rng=1)])
    >>> x = np.random.default_rng(0).uniform(0, 1, (5, 3))
    >>> [a.shape for a in calibrate.ann_activations(ann, x)]     # one activation layer, 5 samples × 4 neurons
    [(5, 4)]
    """
    checks.instance("ann", ann, Sequential, accepted="a Sequential ANN", owner="ann_activations")
    x = checks.samples("x", x, owner="ann_activations")
    out = []
    for layer in ann.layers:
        x = layer.forward(x)
        if isinstance(layer, ACTIVATIONS):
            out.append(x.reshape(len(x), -1))
    return out


def snn_rates(snn: SpikingNet, x: np.ndarray, steps: int) -> list[np.ndarray]:
    """``θ·N/T`` of every spiking neuron, per sample: ``(batch, neurons)`` per layer (``run`` checks the arguments).

    Parameters
    ----------
    snn : SpikingNet
        The converted net.
    x : array_like of float
        The inputs, ``(batch, *snn.input_shape)``, fed as analog input at every step.
    steps : int
        Number of steps ``T >= 1``.

    Returns
    -------
    list of ndarray
        Per spiking layer, a ``(batch, neurons)`` float array of rates ``θ·N/T``.

    Raises
    ------
    ValidationError
        An argument :func:`~evsim.deep.run` refuses.
    LimitError
        The run would need more memory than ``evsim.limits(memory=...)`` allows.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import deep
    >>> from evsim.deep import calibrate
    >>> ann = deep.Sequential([deep.Dense(3, 4, rng=0), deep.ReLU(), deep.Dense(4, 2, rng=1)])
    >>> x = np.random.default_rng(0).uniform(0, 1, (5, 3))
    >>> rates = calibrate.snn_rates(deep.convert(ann, calibration=x), x, steps=8)
    >>> [r.shape for r in rates]
    [(5, 4)]
    """
    result = run(snn, x, steps, record_spikes=True)
    thetas = snn.thresholds
    return [theta * spikes.sum(axis=0) / steps for theta, spikes in zip(thetas, result.spikes)]


def _matching_activations(snn: SpikingNet, ann: Sequential, x: np.ndarray, *, owner: str) -> list[np.ndarray]:
    """The ANN's activations on ``x``, refused unless they pair layer by layer with ``snn``'s spiking layers."""
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet (from deep.convert)", owner=owner)
    activations = ann_activations(ann, x)
    wanted = [layer.size for layer in snn.layers if layer.spiking]
    widths = [a.shape[1] for a in activations]
    if widths != wanted:
        raise refuse(owner, "ann", f"the ANN the SNN was converted from (activation layers of {wanted} neurons)",
                     checks.Said(f"an ANN with activation layers of {widths} neurons"))
    return activations


def activation_errors(snn: SpikingNet, ann: Sequential, x: np.ndarray, steps: int) -> list[np.ndarray]:
    """``e = θ·N/T − a`` of every spiking layer: ``(images, neurons)`` per layer, from one run.

    Parameters
    ----------
    snn : SpikingNet
        The converted net.
    ann : Sequential
        The ANN ``snn`` was converted from: its activation layers pair, by width, with ``snn``'s spiking
        layers.
    x : array_like of float
        The inputs, ``(images, *snn.input_shape)`` (analog input at every step of the SNN).
    steps : int
        Number of steps ``T >= 1``.

    Returns
    -------
    list of ndarray
        Per spiking layer, the ``(images, neurons)`` errors ``e``.

    Raises
    ------
    ValidationError
        ``snn`` not a ``SpikingNet``, ``ann`` not a ``Sequential`` or with activation layers of other widths,
        or ``x`` or ``steps`` refused (by the ANN's layers or by :func:`~evsim.deep.run`).
    LimitError
        The run would need more memory than ``evsim.limits(memory=...)`` allows.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import deep
    >>> from evsim.deep import calibrate
    >>> ann = deep.Sequential([deep.Dense(3, 4, rng=0), deep.ReLU(), deep.Dense(4, 2, rng=1)])
    >>> x = np.random.default_rng(0).uniform(0, 1, (5, 3))
    >>> errors = calibrate.activation_errors(deep.convert(ann, calibration=x), ann, x, steps=8)
    >>> [e.shape for e in errors], calibrate.expected_errors(errors).round(4).tolist()
    ([(5, 4)], [0.0411])
    """
    activations = _matching_activations(snn, ann, x, owner="activation_errors")
    return [r - a for r, a in zip(snn_rates(snn, x, steps), activations)]


def _errors(value: object, *, owner: str) -> list[np.ndarray]:
    """What :func:`activation_errors` returns: a list of ``(images, neurons)`` arrays, none empty."""
    if isinstance(value, (str, bytes, np.ndarray)) or not isinstance(value, (list, tuple)):
        raise refuse(owner, "errors", "a list of (images, neurons) arrays, as activation_errors returns", value)
    checked = [real_array(f"errors[{k}]", e, owner=owner, ndim=2, allow_empty=False) for k, e in enumerate(value)]
    return [e if isinstance(e, np.ndarray) and e.dtype.kind == "f" else c for e, c in zip(value, checked)]  # float32 stays


def expected_errors(errors: list[np.ndarray]) -> np.ndarray:
    """Per layer of :func:`activation_errors`, the mean over neurons of ``|mean over images of e|``:
    what calibration zeroes.

    Parameters
    ----------
    errors : list of ndarray
        What :func:`activation_errors` returns: a list (or tuple) of non-empty ``(images, neurons)`` arrays of
        finite real numbers.

    Returns
    -------
    ndarray
        One value per layer.

    Raises
    ------
    ValidationError
        ``errors`` not a list or tuple of such arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import calibrate
    >>> errors = [np.array([[0.1, -0.2], [0.3, 0.2]])]     # one layer: 2 images × 2 neurons
    >>> calibrate.expected_errors(errors).round(6).tolist()  # mean of |0.2| and |0.0|
    [0.1]
    """
    return np.array([np.abs(e.mean(axis=0)).mean() for e in _errors(errors, owner="expected_errors")])


def per_image_errors(errors: list[np.ndarray]) -> np.ndarray:
    """Per layer of :func:`activation_errors`, the mean of ``|e|`` over images and neurons.

    Parameters
    ----------
    errors : list of ndarray
        What :func:`activation_errors` returns: a list (or tuple) of non-empty ``(images, neurons)`` arrays of
        finite real numbers.

    Returns
    -------
    ndarray
        One value per layer.

    Raises
    ------
    ValidationError
        ``errors`` not a list or tuple of such arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import calibrate
    >>> errors = [np.array([[0.1, -0.2], [0.3, 0.2]])]      # one layer: 2 images × 2 neurons
    >>> calibrate.per_image_errors(errors).round(6).tolist()  # mean of 0.1, 0.2, 0.3, 0.2
    [0.2]
    """
    return np.array([np.abs(e).mean() for e in _errors(errors, owner="per_image_errors")])


def _with_v_init(snn: SpikingNet, k: int, v0: np.ndarray) -> SpikingNet:
    layers = list(snn.layers)
    layers[k] = dataclasses.replace(layers[k], v_init=v0.reshape(layers[k].output_shape).astype(snn.dtype))
    return dataclasses.replace(snn, layers=tuple(layers))


def calibrate(snn: SpikingNet, ann: Sequential, x: np.ndarray, steps: int, iterations: int = 3) -> SpikingNet:
    """``snn`` with per-neuron initial potentials calibrated for ``steps`` (see the module docstring).

    Parameters
    ----------
    snn : SpikingNet
        The converted net to calibrate.
    ann : Sequential
        The ANN ``snn`` was converted from (its activation layers pair, by width, with ``snn``'s spiking
        layers): the targets ``a``.
    x : array_like of float
        The calibration inputs, ``(samples, *snn.input_shape)`` (training data; analog input at every step).
    steps : int
        The number of steps ``T >= 1`` the net will run for.
    iterations : int, optional
        Correction rounds per layer, ``>= 1``; default 3. Each round runs the net on ``x`` four times (the
        current ``v(0)`` and three candidates).

    Returns
    -------
    SpikingNet
        A copy of ``snn`` whose spiking layers' ``v_init`` hold one potential in ``[0, θ)`` per neuron, with
        ``v_init_rule`` ``"calibrated(T=<steps>)"``; ``snn`` itself is unchanged.

    Raises
    ------
    ValidationError
        ``snn`` not a ``SpikingNet``, ``ann`` not a ``Sequential`` or with activation layers of other widths,
        ``x`` not a non-empty batch of ``snn.input_shape`` samples of finite real numbers, or ``steps`` or
        ``iterations`` not an integer ``>= 1``.
    LimitError
        A run would need more memory than ``evsim.limits(memory=...)`` allows.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import deep
    >>> from evsim.deep import calibrate
    >>> ann = deep.Sequential([deep.Dense(3, 4, rng=0), deep.ReLU(), deep.Dense(4, 2, rng=1)])
    >>> x = np.random.default_rng(0).uniform(0, 1, (5, 3))
    >>> snn = calibrate.calibrate(deep.convert(ann, calibration=x), ann, x, steps=8)
    >>> snn.v_init_rule, calibrate.expected_errors(calibrate.activation_errors(snn, ann, x, 8)).round(4).tolist()
    ('calibrated(T=8)', [0.0141])
    """
    owner = "calibrate"
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet (from deep.convert)", owner=owner)
    checks.instance("ann", ann, Sequential, accepted="a Sequential ANN", owner=owner)
    x = checks.samples("x", x, owner=owner, sample_shape=snn.input_shape)
    integer("steps", steps, owner=owner, minimum=1)
    integer("iterations", iterations, owner=owner, minimum=1)
    activations = _matching_activations(snn, ann, x, owner=owner)
    spiking = [k for k, layer in enumerate(snn.layers) if layer.spiking]
    for position, k in enumerate(spiking):
        layer, target = snn.layers[k], activations[position].mean(axis=0)

        def mean_error(v0: np.ndarray) -> np.ndarray:
            return snn_rates(_with_v_init(snn, k, v0), x, steps)[position].mean(axis=0) - target

        v0 = np.full(layer.size, layer.theta / 2)
        ceiling = np.nextafter(layer.theta, 0.0)
        for _ in range(iterations):
            error = mean_error(v0)
            best_v, best = v0.copy(), np.abs(error)
            for scale in (0.25, 0.5, 1.0):
                candidate = np.clip(v0 - scale * steps * error, 0.0, ceiling)
                score = np.abs(mean_error(candidate))
                better = score < best
                best_v[better], best[better] = candidate[better], score[better]
            v0 = best_v
        snn = _with_v_init(snn, k, v0)
    return dataclasses.replace(snn, v_init_rule=f"calibrated(T={steps})")
