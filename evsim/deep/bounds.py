"""ANN→SNN conversion theory as executable formulas (Rueckauer et al., Front.
Neurosci. 2017; Bu et al., "Optimal ANN-SNN Conversion for High-accuracy and
Ultra-low-latency Spiking Neural Networks", ICLR 2022).

One IF neuron with soft reset, threshold ``θ``, initial potential ``v(0)`` and
input currents ``z(1) … z(T)`` (1-based steps, as in those papers):

* rate identity (exact, any inputs): ``θ·N/T = mean(z) − (v(T) − v(0)) / T``;
* constant input ``z`` and ``v(0) ∈ [0, θ)``: ``N = clip(floor((z·T + v(0)) / θ), 0, T)``;
  with ``v(0) = θ/2``, ``|θ·N/T − clip(z, 0, θ)| ≤ θ / (2T)``;
* QCFS: ``h(z) = λ·clip(floor(z·L/λ + φ) / L, 0, 1)``. Theorem 1: ``φ = 0``,
  ``T = L``, ``θ = λ``, ``v(0) = 0`` gives ``θ·N/T = h(z)`` exactly.
"""

from __future__ import annotations

import math

import numpy as np

from evsim.neurons import apply_reset, drift, fires
from evsim.validation import integer, real, real_array

__all__ = ["if_response", "rate_identity_gap", "constant_input_count", "conversion_error_bound", "qcfs"]


def if_response(currents, theta: float, v0: float = 0.0) -> tuple[int, float]:
    """Spike count and final potential of one soft-reset IF neuron (the engine's maths).

    Parameters
    ----------
    currents : array_like of float, shape (T,)
        The input currents ``z(1) … z(T)``, one per step (finite; may be empty).
    theta : float
        Threshold ``θ > 0``: the neuron fires when the potential reaches it and a spike subtracts it.
    v0 : float, optional
        Initial potential ``v(0)`` (finite); default 0.

    Returns
    -------
    n : int
        Spike count ``N`` over the ``T`` steps.
    v : float
        Final potential ``v(T)``.

    Raises
    ------
    ValidationError
        ``currents`` not a 1-d array of finite real numbers, ``theta`` not a finite number ``> 0``, or ``v0``
        not a finite real number.

    Examples
    --------
    >>> from evsim.deep import bounds
    >>> bounds.if_response([0.6, 0.6, 0.6], theta=1.0)            # v: 0.6, 1.2 (spike) -> 0.2, 0.8
    (1, 0.7999999999999999)
    >>> bounds.if_response([0.6, 0.6, 0.6], theta=1.0, v0=0.5)    # v(0) = 0.5: one more spike
    (2, 0.30000000000000004)
    """
    currents = real_array("currents", currents, owner="if_response", ndim=1)
    theta = real("theta", theta, owner="if_response", minimum=0.0, exclusive_minimum=True)
    v, n = real("v0", v0, owner="if_response"), 0
    for z in currents:
        m = drift(v, 1.0, 0.0, 0.0) + z
        fired = bool(fires(m, theta))
        v = float(apply_reset(m, fired, theta, math.nan))
        n += fired
    return n, v


def rate_identity_gap(currents, theta: float, v0: float = 0.0) -> float:
    """``θ·N/T − (mean(z) − (v(T) − v(0)) / T)``: zero up to rounding, for any inputs.

    Parameters
    ----------
    currents : array_like of float, shape (T,)
        The input currents ``z(1) … z(T)`` (finite, at least one).
    theta : float
        Threshold ``θ > 0``.
    v0 : float, optional
        Initial potential ``v(0)``; default 0.

    Returns
    -------
    float
        The gap, computed from :func:`if_response`'s ``N`` and ``v(T)``.

    Raises
    ------
    ValidationError
        ``currents`` empty or not a 1-d array of finite real numbers, ``theta`` not a finite number ``> 0``,
        or ``v0`` not a finite real number.

    Examples
    --------
    >>> from evsim.deep import bounds
    >>> gap = bounds.rate_identity_gap([0.3, 1.2, -0.4, 0.9], theta=1.0, v0=0.25)
    >>> abs(gap) < 1e-12
    True
    """
    currents = real_array("currents", currents, owner="rate_identity_gap", ndim=1, allow_empty=False)
    n, v_end = if_response(currents, theta, v0)
    T = currents.size
    return float(theta * n / T - (currents.mean() - (v_end - v0) / T))


def constant_input_count(z, steps: int, theta, v0=0):
    """``clip(floor((z·T + v(0)) / θ), 0, T)`` (works with ``fractions.Fraction`` too).

    Parameters
    ----------
    z : real number
        The constant input current of every step (``int``, ``float`` or ``Fraction``, kept exact).
    steps : int
        Number of steps ``T >= 1``.
    theta : real number
        Threshold ``θ > 0``.
    v0 : real number, optional
        Initial potential ``v(0)``; default 0. The formula is the IF neuron's count for ``v(0) ∈ [0, θ)``
        (see the module docstring), which is not checked here.

    Returns
    -------
    int
        The spike count ``N``, in ``[0, T]``.

    Raises
    ------
    ValidationError
        ``z`` or ``v0`` not a finite real number, ``theta`` not one ``> 0``, or ``steps`` not an integer
        ``>= 1``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from evsim.deep import bounds
    >>> bounds.constant_input_count(Fraction(1, 3), steps=8, theta=1, v0=Fraction(1, 2))   # floor(8/3 + 1/2)
    3
    >>> bounds.if_response([1 / 3] * 8, theta=1.0, v0=0.5)[0]                              # the neuron agrees
    3
    """
    owner = "constant_input_count"
    real("z", z, owner=owner), real("v0", v0, owner=owner)  # checked, kept exact (a Fraction stays one)
    real("theta", theta, owner=owner, minimum=0.0, exclusive_minimum=True)
    integer("steps", steps, owner=owner, minimum=1)
    return min(max(math.floor((z * steps + v0) / theta), 0), steps)


def conversion_error_bound(theta: float, steps: int) -> float:
    """``θ / (2T)``: the largest ``|θ·N/T − clip(z, 0, θ)|`` with ``v(0) = θ/2``.

    Parameters
    ----------
    theta : float
        Threshold ``θ > 0``.
    steps : int
        Number of steps ``T >= 1``.

    Returns
    -------
    float
        The bound ``θ / (2T)``.

    Raises
    ------
    ValidationError
        ``theta`` not a finite number ``> 0``, or ``steps`` not an integer ``>= 1``.

    Examples
    --------
    >>> from evsim.deep import bounds
    >>> bounds.conversion_error_bound(1.0, 8)
    0.0625
    >>> n = bounds.constant_input_count(0.3, steps=8, theta=1.0, v0=0.5)
    >>> abs(n / 8 - 0.3) <= bounds.conversion_error_bound(1.0, 8)
    True
    """
    real("theta", theta, owner="conversion_error_bound", minimum=0.0, exclusive_minimum=True)
    integer("steps", steps, owner="conversion_error_bound", minimum=1)
    return theta / (2 * steps)


def qcfs(z, lam: float, levels: int, shift: float = 0.5):
    """QCFS activation ``λ·clip(floor(z·L/λ + φ)/L, 0, 1)``.

    Parameters
    ----------
    z : array_like of float
        Pre-activations, any shape (finite).
    lam : float
        The ceiling ``λ > 0`` (the trainable threshold of Bu et al.).
    levels : int
        Quantisation levels ``L >= 1``.
    shift : float, optional
        The shift ``φ``; default 0.5, Bu et al.'s choice (Theorem 1's exact case is ``φ = 0``).

    Returns
    -------
    ndarray
        ``h(z)``, float64 of ``z``'s shape, each value one of ``0, λ/L, …, λ``.

    Raises
    ------
    ValidationError
        ``z`` not an array of finite real numbers, ``lam`` not a finite number ``> 0``, ``levels`` not an
        integer ``>= 1``, or ``shift`` not a finite real number.

    Examples
    --------
    >>> from evsim.deep import bounds
    >>> bounds.qcfs([-0.3, 0.2, 0.5, 0.9, 1.7], lam=1.0, levels=4).tolist()
    [0.0, 0.25, 0.5, 1.0, 1.0]
    >>> bounds.qcfs([-0.3, 0.2, 0.5, 0.9, 1.7], lam=1.0, levels=4, shift=0).tolist()
    [0.0, 0.0, 0.5, 0.75, 1.0]
    """
    z = real_array("z", z, owner="qcfs")
    lam = real("lam", lam, owner="qcfs", minimum=0.0, exclusive_minimum=True)
    levels = integer("levels", levels, owner="qcfs", minimum=1)
    shift = real("shift", shift, owner="qcfs")
    return lam * np.clip(np.floor(z * levels / lam + shift) / levels, 0.0, 1.0)
