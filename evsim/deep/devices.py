"""Process variation of a spiking net's weights: a die of RRAM crossbars.

On an RRAM chip every weight is the conductance of a fabricated device, and
no two devices, nor two dies, come out the same. :class:`DeviceModel` writes
the variation down; :func:`fabricate` draws one die of a net from it. Every
weight matrix of every layer (the output accumulator's too) is one crossbar;
biases, thresholds, leaks and initial potentials are not devices and stay as
designed. A weight ``w`` of layer ``l`` on a die becomes::

    w' = 0                    with probability stuck_zero  (a device stuck at its lowest conductance)
    w' = sign(w)·w_max(l)     with probability stuck_max   (stuck at its highest)
    w' = w·g_l·exp(σ·z)       otherwise,  z ~ N(0, 1) per device,  ln g_l ~ N(0, die_sigma²) per crossbar

``w_max(l)`` is the largest ``|w|`` of the designed crossbar: the highest
conductance its mapping uses, with the sign of the device pair (positive or
negative column) the weight was written to. A designed zero has no side and
stays zero: evsim's model maps a zero weight to no device. ``σ`` is the device-to-device
spread of ``ln w'/w``, ``die_sigma`` the die-to-die spread of a crossbar's
common gain — the part a per-layer threshold can undo
(:mod:`evsim.deep.tuning`). This is the variation model of the yield-recovery
study of RRAM SNNs that evsim's threshold tuning follows (an IEEE paper on
response-signature testing and layer-wise threshold tuning); its numbers are
evsim's, stated where they are used.

Die ``k`` of seed ``s`` draws from ``numpy.random.default_rng([s, k])``: the
same die whatever else is drawn, on every machine.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from evsim.deep import checks
from evsim.deep.convert import SpikingNet
from evsim.deep.layers import Conv2d, Dense
from evsim.validation import integer, probability, real, refuse

__all__ = ["DeviceModel", "fabricate"]


@dataclass(frozen=True)
class DeviceModel:
    """How a die's weights differ from the design (see the module docstring).

    Attributes
    ----------
    sigma : float
        Device-to-device spread: the standard deviation of ``ln w'/w`` within a crossbar (``>= 0``).
    die_sigma : float, optional
        Die-to-die spread: the standard deviation of ``ln g_l``, a crossbar's common gain
        (``>= 0``); default 0.0.
    stuck_zero : float, optional
        Probability that a device is stuck at zero conductance, in ``[0, 1]``; default 0.0.
    stuck_max : float, optional
        Probability that a device is stuck at the crossbar's highest conductance, in ``[0, 1]``;
        ``stuck_zero + stuck_max <= 1``; default 0.0.

    Raises
    ------
    ValidationError
        A spread that is negative or not finite, a probability outside ``[0, 1]``, or two fault
        probabilities that add up to more than 1.

    Examples
    --------
    >>> from evsim.deep.devices import DeviceModel
    >>> DeviceModel(0.1, die_sigma=0.3, stuck_zero=0.01)
    DeviceModel(sigma=0.1, die_sigma=0.3, stuck_zero=0.01, stuck_max=0.0)
    >>> DeviceModel(0.1, stuck_zero=0.7, stuck_max=0.5)
    Traceback (most recent call last):
    ...
    evsim.errors.ValidationError: DeviceModel: stuck_zero + stuck_max must be <= 1 (a device has one fault at most), got 1.2
    """

    sigma: float
    die_sigma: float = 0.0
    stuck_zero: float = 0.0
    stuck_max: float = 0.0

    def __post_init__(self) -> None:
        owner = "DeviceModel"
        for name in ("sigma", "die_sigma"):
            object.__setattr__(self, name, real(name, getattr(self, name), owner=owner, minimum=0.0))
        for name in ("stuck_zero", "stuck_max"):
            object.__setattr__(self, name, probability(name, getattr(self, name), owner=owner))
        if self.stuck_zero + self.stuck_max > 1.0:
            raise refuse(owner, "stuck_zero + stuck_max", "<= 1 (a device has one fault at most)",
                         self.stuck_zero + self.stuck_max)

    def crossbar(self, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One crossbar's weights on a die, drawn from ``rng`` (a new array of ``weights``' dtype).

        Parameters
        ----------
        weights : ndarray
            The designed weights of one layer (any shape).
        rng : numpy.random.Generator
            The die's generator; this draws the crossbar's gain, then one normal and one
            uniform number per device.

        Returns
        -------
        ndarray
            ``w'`` of the module docstring, same shape and dtype.

        Examples
        --------
        >>> import numpy as np
        >>> from evsim.deep.devices import DeviceModel
        >>> w = np.array([0.5, -0.25, 1.0, -2.0])
        >>> DeviceModel(0.0, stuck_max=1.0).crossbar(w, np.random.default_rng(0)).tolist()
        [2.0, -2.0, 2.0, -2.0]
        >>> DeviceModel(0.0).crossbar(w, np.random.default_rng(0)).tolist()  # no variation: the design
        [0.5, -0.25, 1.0, -2.0]
        """
        gain = np.exp(self.die_sigma * rng.standard_normal())
        varied = weights * (gain * np.exp(self.sigma * rng.standard_normal(weights.shape)))
        fault = rng.random(weights.shape)
        w_max = np.abs(weights).max(initial=0.0)
        varied = np.where(fault < self.stuck_zero, 0.0, varied)
        stuck_high = (fault >= self.stuck_zero) & (fault < self.stuck_zero + self.stuck_max)
        return np.where(stuck_high, np.sign(weights) * w_max, varied).astype(weights.dtype)


def fabricate(snn: SpikingNet, device: DeviceModel, die: int, *, seed: int = 0) -> SpikingNet:
    """Die number ``die`` of ``snn``: every weight drawn from ``device`` (``snn`` is not changed).

    Parameters
    ----------
    snn : SpikingNet
        The designed net.
    device : DeviceModel
        The variation.
    die : int
        Which die (``>= 0``); die ``k`` of ``seed`` is the same on every call and machine.
    seed : int, optional
        The production run (``>= 0``); default 0.

    Returns
    -------
    SpikingNet
        A copy whose Dense and Conv2d weights are the die's; everything else as designed.

    Raises
    ------
    ValidationError
        ``snn`` not a SpikingNet, ``device`` not a DeviceModel, or ``die``/``seed`` not an
        integer ``>= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.devices import DeviceModel, fabricate
    >>> snn = spiking_mlp([4, 3, 2], seed=0)
    >>> a, b = (fabricate(snn, DeviceModel(0.2), 7) for _ in range(2))
    >>> bool(np.array_equal(a.layers[0].ops[0].params["W"], b.layers[0].ops[0].params["W"]))
    True
    >>> bool(np.array_equal(a.layers[0].ops[0].params["W"], snn.layers[0].ops[0].params["W"]))
    False
    """
    owner = "fabricate"
    checks.instance("snn", snn, SpikingNet, owner=owner)
    checks.instance("device", device, DeviceModel, owner=owner)
    die = integer("die", die, owner=owner, minimum=0)
    seed = integer("seed", seed, owner=owner, minimum=0)
    rng = np.random.default_rng([seed, die])
    chip = copy.deepcopy(snn)
    for layer in chip.layers:
        for op in layer.ops:
            if isinstance(op, (Dense, Conv2d)):
                op.params["W"] = device.crossbar(op.params["W"], rng)
    return chip
