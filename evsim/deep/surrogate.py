"""Pseudo-derivatives of the spike for training through time (surrogate and straight-through gradients).

A spiking neuron fires ``s = H(x)`` with ``x = m − θ`` (:func:`evsim.neurons.fires`:
``m >= θ``). ``H`` has derivative zero almost everywhere, so the backward pass
uses a *pseudo-derivative* ``d(x)`` in its place. Each one here is a frozen
value holding two functions:

``derivative(x, elapsed)``
    ``d``, what the backward pass multiplies by where the forward pass has ``H``;
``relaxed(x, elapsed)``
    ``σ``, a smooth "relaxed spike" with ``dσ/dx = d``: the forward pass in which
    ``H`` is replaced by ``σ`` has exactly the gradient BPTT computes with ``d``.
    That is how every pseudo-derivative is verified (finite differences of the
    relaxed forward pass); the gradient of the true Heaviside forward pass is
    not what is checked (it is zero almost everywhere).

``elapsed`` is the number of steps since the neuron's last spike (only
:class:`STDB` reads it). ``kinks`` lists the ``x`` where ``d`` is not
differentiable or not continuous; a finite-difference check keeps away from them.

========================== ====================================== =====================================
pseudo-derivative          ``d(x)``                               ``σ(x)``
========================== ====================================== =====================================
StraightThrough            ``1``                                  ``x + 1/2``
ClippedStraightThrough(w)  ``1/w`` on ``|x| <= w/2``, else 0       ``clip(x/w + 1/2, 0, 1)``
FastSigmoid(k)             ``1/(1 + k|x|)²``                      ``1/2 + x/(1 + k|x|)``
ArcTan(a)                  ``(a/2)/(1 + (π·a·x/2)²)``             ``1/2 + arctan(π·a·x/2)/π``
Triangle(w)                ``max(0, 1 − |x|/w)/w``                ``(1 + x/w)²/2`` on ``[−w, 0]``, ``1 − (1 − x/w)²/2`` on ``[0, w]``
STDB(α, β)                 ``α·exp(−β·Δt)``                       ``1/2 + α·exp(−β·Δt)·x``, ``Δt`` fixed
STDB(α, β, slope=k)        ``α·exp(−β·Δt)/(1 + k|x|)²``           ``1/2 + α·exp(−β·Δt)·x/(1 + k|x|)``
========================== ====================================== =====================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evsim.errors import ValidationError

from evsim.validation import real

__all__ = ["Surrogate", "StraightThrough", "ClippedStraightThrough", "FastSigmoid", "ArcTan", "Triangle", "STDB",
           "SURROGATES"]


class Surrogate:
    """Base of the pseudo-derivatives: ``derivative`` (``d``) and ``relaxed`` (``σ`` with ``σ' = d``).

    Examples
    --------
    >>> from evsim.deep.surrogate import FastSigmoid, STDB, Surrogate
    >>> s = FastSigmoid(2.0)
    >>> isinstance(s, Surrogate), s.kinks, s.uses_elapsed, STDB().uses_elapsed
    (True, (0.0,), False, True)
    """

    kinks: tuple[float, ...] = ()
    uses_elapsed: bool = False

    def derivative(self, x: np.ndarray, elapsed: np.ndarray | None = None) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def relaxed(self, x: np.ndarray, elapsed: np.ndarray | None = None) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


def _positive(owner: str, argument: str, value: object) -> float:
    return real(argument, value, owner=owner, minimum=0.0, exclusive_minimum=True)


@dataclass(frozen=True)
class StraightThrough(Surrogate):
    """The straight-through estimator: ``d(x) = 1``, ``σ(x) = x + 1/2`` (``σ(0) = 1/2``, H's midpoint).

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.surrogate import StraightThrough
    >>> x = np.array([-1.0, 0.0, 0.25, 1.0])
    >>> StraightThrough().derivative(x).tolist(), StraightThrough().relaxed(x).tolist()
    ([1.0, 1.0, 1.0, 1.0], [-0.5, 0.5, 0.75, 1.5])
    """

    def derivative(self, x, elapsed=None):
        return np.ones_like(x)

    def relaxed(self, x, elapsed=None):
        return x + 0.5


@dataclass(frozen=True)
class ClippedStraightThrough(Surrogate):
    """The clipped straight-through window of binarised nets, scaled to ``H``.

    ``d(x) = 1/w`` for ``|x| <= w/2``, else 0 (area 1, the height of ``H``'s
    step); ``σ(x) = clip(x/w + 1/2, 0, 1)``, the hard sigmoid (hard-tanh moved
    to ``[0, 1]``). The window includes its edges; ``d`` jumps at ``±w/2``.

    Attributes
    ----------
    width : float
        ``w``, the width of the window (finite, ``> 0``); default 1.0.

    Raises
    ------
    ValidationError
        ``width`` is not a finite real number ``> 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.surrogate import ClippedStraightThrough
    >>> s = ClippedStraightThrough(1.0)
    >>> x = np.array([-1.0, 0.0, 0.25, 1.0])
    >>> s.derivative(x).tolist(), s.relaxed(x).tolist(), s.kinks
    ([0.0, 1.0, 1.0, 0.0], [0.0, 0.5, 0.75, 1.0], (-0.5, 0.5))
    """

    width: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "width", _positive("ClippedStraightThrough", "width (w: d = 1/w on |x| <= w/2)",
                                                    self.width))

    @property
    def kinks(self) -> tuple[float, ...]:
        return (-self.width / 2, self.width / 2)

    def derivative(self, x, elapsed=None):
        return np.where(np.abs(x) <= self.width / 2, 1.0 / self.width, 0.0)

    def relaxed(self, x, elapsed=None):
        return np.clip(x / self.width + 0.5, 0.0, 1.0)


@dataclass(frozen=True)
class FastSigmoid(Surrogate):
    """SuperSpike's fast sigmoid (Zenke & Ganguli 2018; snnTorch's ``fast_sigmoid``): ``d(x) = 1/(1 + k|x|)²``.

    Its antiderivative: for ``x >= 0``, ``d/dx [x/(1 + kx)] = ((1 + kx) − kx)/(1 + kx)² = 1/(1 + kx)²``,
    and ``x/(1 + k|x|)`` is odd, so ``σ(x) = 1/2 + x/(1 + k|x|)``, which runs
    from ``1/2 − 1/k`` to ``1/2 + 1/k`` (from 0 to 1 at ``k = 2``). ``d`` has a
    corner at 0.

    Attributes
    ----------
    slope : float
        ``k`` (finite, ``> 0``): the larger, the narrower the window around the
        threshold; default 25.0.

    Raises
    ------
    ValidationError
        ``slope`` is not a finite real number ``> 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.surrogate import FastSigmoid
    >>> s = FastSigmoid(2.0)  # σ runs from 0 to 1 at k = 2
    >>> x = np.array([-1.0, 0.0, 0.25, 1.0])
    >>> s.derivative(x).round(4).tolist(), s.relaxed(x).round(4).tolist()
    ([0.1111, 1.0, 0.4444, 0.1111], [0.1667, 0.5, 0.6667, 0.8333])
    """

    slope: float = 25.0
    kinks = (0.0,)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slope", _positive("FastSigmoid", "slope (k in d = 1/(1 + k|x|)^2)", self.slope))

    def derivative(self, x, elapsed=None):
        return 1.0 / (1.0 + self.slope * np.abs(x)) ** 2

    def relaxed(self, x, elapsed=None):
        return 0.5 + x / (1.0 + self.slope * np.abs(x))


@dataclass(frozen=True)
class ArcTan(Surrogate):
    """The arctan surrogate (snnTorch's ``atan``): ``d(x) = (a/2)/(1 + (π·a·x/2)²)``, ``σ(x) = 1/2 + arctan(π·a·x/2)/π``.

    ``σ`` runs from 0 to 1; at ``a = 2`` (the default), ``d(x) = 1/(1 + (πx)²)``.

    Attributes
    ----------
    alpha : float
        ``a`` (finite, ``> 0``): ``d(0) = a/2``, and the larger ``a``, the
        narrower the peak; default 2.0.

    Raises
    ------
    ValidationError
        ``alpha`` is not a finite real number ``> 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.surrogate import ArcTan
    >>> x = np.array([-1.0, 0.0, 0.25, 1.0])
    >>> ArcTan().derivative(x).round(4).tolist(), ArcTan().relaxed(x).round(4).tolist()
    ([0.092, 1.0, 0.6185, 0.092], [0.0981, 0.5, 0.7119, 0.9019])
    """

    alpha: float = 2.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", _positive("ArcTan", "alpha (a in d = (a/2)/(1 + (pi*a*x/2)^2))", self.alpha))

    def derivative(self, x, elapsed=None):
        return (self.alpha / 2) / (1.0 + (np.pi * self.alpha * x / 2) ** 2)

    def relaxed(self, x, elapsed=None):
        return 0.5 + np.arctan(np.pi * self.alpha * x / 2) / np.pi


@dataclass(frozen=True)
class Triangle(Surrogate):
    """The triangle (piecewise-linear) surrogate: ``d(x) = max(0, 1 − |x|/w)/w`` (area 1).

    ``σ(x) = 0`` below ``−w``, ``(1 + x/w)²/2`` on ``[−w, 0]``, ``1 − (1 − x/w)²/2``
    on ``[0, w]``, 1 above ``w``. ``d`` has corners at ``−w``, 0 and ``w``.

    Attributes
    ----------
    width : float
        ``w``, half the width of the triangle's base: ``d > 0`` on ``|x| < w`` (finite, ``> 0``); default 1.0.

    Raises
    ------
    ValidationError
        ``width`` is not a finite real number ``> 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.surrogate import Triangle
    >>> s = Triangle(1.0)
    >>> x = np.array([-1.0, 0.0, 0.25, 1.0])
    >>> s.derivative(x).tolist(), s.relaxed(x).tolist(), s.kinks
    ([0.0, 1.0, 0.75, 0.0], [0.0, 0.5, 0.71875, 1.0], (-1.0, 0.0, 1.0))
    """

    width: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "width", _positive("Triangle", "width (w in d = max(0, 1 - |x|/w)/w)", self.width))

    @property
    def kinks(self) -> tuple[float, ...]:
        return (-self.width, 0.0, self.width)

    def derivative(self, x, elapsed=None):
        return np.maximum(0.0, 1.0 - np.abs(x) / self.width) / self.width

    def relaxed(self, x, elapsed=None):
        u = np.clip(x / self.width, -1.0, 1.0)
        return np.where(u <= 0, (1.0 + u) ** 2 / 2, 1.0 - (1.0 - u) ** 2 / 2)


@dataclass(frozen=True)
class STDB(Surrogate):
    """Spike-timing-dependent backpropagation's pseudo-derivative (Rathi et al., ICLR 2020), and a windowed variant.

    ``d = α·exp(−β·Δt)``, ``Δt`` the steps since the neuron's last spike
    (``elapsed``; before its first spike, ``t + 1`` at step ``t``, as if it had
    fired at step −1); it does not depend on ``x``. (``β`` here is this decay,
    not a layer's leak.) Its relaxed spike is ``σ(x) = 1/2 + α·exp(−β·Δt)·x``
    with ``Δt`` taken from the forward pass's hard spikes ``m >= θ``: fixed
    under a small enough change of the parameters, so ``dσ/dm = d`` exactly.
    ``Δt`` changes where a hard spike appears or vanishes, at ``x = 0``: that
    is its kink.

    ``slope=k`` is this package's variant (Datta et al. train with "a variant
    of STDB" they do not spell out in the abstract this comes from): the same
    time factor times the fast sigmoid's window in the distance to threshold,
    ``d = α·exp(−β·Δt)/(1 + k|x|)²``, ``σ = 1/2 + α·exp(−β·Δt)·x/(1 + k|x|)``.
    Plain STDB gives a neuron far below threshold as much gradient as one
    at it; fine-tuning a converted single-spike net with it was unstable on
    the digits (docs/training.md), the window fixes that.

    Attributes
    ----------
    alpha : float
        ``α``, the pseudo-derivative at ``Δt = 0`` (finite, ``> 0``); default 0.3.
    beta : float
        ``β``, the decay per step of ``Δt`` (finite, ``>= 0``; 0: no decay); default 0.01.
    slope : float or None
        ``k`` of the windowed variant (finite, ``> 0``); default None: plain STDB.

    Raises
    ------
    ValidationError
        ``alpha`` or ``slope`` is not a finite real number ``> 0``, or ``beta`` not one ``>= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.surrogate import STDB
    >>> s = STDB(alpha=0.3, beta=0.5)  # d = 0.3·exp(−0.5·Δt), whatever x
    >>> s.derivative(np.zeros(3), elapsed=np.array([0, 1, 2])).round(4).tolist()
    [0.3, 0.182, 0.1104]
    """

    alpha: float = 0.3
    beta: float = 0.01
    slope: float | None = None
    kinks = (0.0,)
    uses_elapsed = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", _positive("STDB", "alpha (the scale in d = alpha*exp(-beta*dt))", self.alpha))
        object.__setattr__(self, "beta", real("beta (the decay in d = alpha*exp(-beta*dt))", self.beta, owner="STDB",
                                              minimum=0.0))
        if self.slope is not None:
            object.__setattr__(self, "slope", _positive("STDB", "slope (k in the window 1/(1 + k|x|)^2; None: no "
                                                                "window)", self.slope))

    def _time_factor(self, elapsed) -> np.ndarray:
        if elapsed is None:  # (np.asarray(None, float) would be NaN everywhere)
            raise ValidationError("STDB: elapsed must be given (steps since each neuron's last spike): its "
                                  "pseudo-derivative depends on it, got None")
        return self.alpha * np.exp(-self.beta * np.asarray(elapsed, float))

    def derivative(self, x, elapsed=None):
        factor = self._time_factor(elapsed)
        if self.slope is not None:
            factor = factor / (1.0 + self.slope * np.abs(x)) ** 2
        return np.broadcast_to(factor, np.shape(x)).astype(float)

    def relaxed(self, x, elapsed=None):
        window = x if self.slope is None else x / (1.0 + self.slope * np.abs(x))
        return 0.5 + self._time_factor(elapsed) * window


SURROGATES = (StraightThrough, ClippedStraightThrough, FastSigmoid, ArcTan, Triangle, STDB)
