"""Neuron models: frozen parameter values plus the pure maths they follow.

A model holds parameters only; the simulator keeps the state (potential,
last-update time, refractory end) in arrays. The maths is written once, as
pure functions over NumPy arrays (or floats), and every execution path —
the event-driven simulator and the vectorised deep runner — calls these.

Integrate-and-fire (``IF``, ``LIF``)
------------------------------------
Discrete time (clock ``dt``), one update at every step ``k``::

    m_k = drift(v_{k-1}) + I_k,    drift(v) = v_rest + beta * (v - v_rest) + bias
    fire iff m_k >= theta;  v_k = reset(m_k) if fired else m_k

with ``beta = exp(-dt / tau)`` (``beta = 1`` for ``IF``), ``I_k`` the sum of the
arrivals at step ``k`` and the floating-point operations evaluated in exactly
this order. Steps with no arrivals apply the same formula with ``I_k = 0``.

Continuous time, between events (exact solution, delta synapses)::

    dv/dt = -(v - v_rest) / tau + bias
    v(t0 + s) = v_inf + (v(t0) - v_inf) * exp(-s / tau),  v_inf = v_rest + bias * tau
    v(t0 + s) = v(t0) + bias * s                            (IF: tau = inf)

An arrival adds its weight to ``v`` at its time; the neuron fires when ``v``
reaches ``theta``, at an arrival or at the analytically predicted crossing
``t* = tau * ln((v_inf - v0) / (v_inf - theta))`` (``(theta - v0) / bias`` for IF).
Where the leak is slow (:func:`slow_leak`: ``tau·|bias| > 2^10·|theta − v_rest|``,
so ``v_inf`` is far beyond the threshold) both are evaluated in forms that tend
to the IF limit as ``tau → ∞`` (``expm1``, ``log1p``; see :func:`flow`,
:func:`crossing_time`), as forms around a huge ``v_inf`` would cancel.

Resets: ``"subtract"`` (``v - theta``, soft), ``"zero"`` (``0``) or a number
(``v_reset``). A refractory period ``r`` holds ``v`` at its reset value and
discards arrivals at times ``t`` with ``t_spike < t < t_spike + r``.
``single_spike`` neurons never fire again after their first spike.

Lynch–Musco (``Stochastic``, ``Threshold``)
--------------------------------------------
Memoryless Boolean state; round 0 is ``initial``; in round ``t >= 1``::

    pot = sum(w * fired(t-1)) - bias
    P[fire] = sigmoid(pot / temperature)       (Threshold: fire iff pot >= 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Union

import numpy as np

from evsim.errors import ValidationError

__all__ = [
    "Input",
    "IF",
    "LIF",
    "Stochastic",
    "Threshold",
    "NeuronModel",
    "Reset",
    "fires",
    "drift",
    "drift_steps",
    "relax",
    "flow",
    "slow_leak",
    "resting_level",
    "crossing_time",
    "apply_reset",
    "sigmoid",
    "firing_probability",
]

Reset = Union[str, float]


def _require_finite(owner: str, **values: float) -> None:
    for name, value in values.items():
        if not isinstance(value, (int, float, np.floating, np.integer)) or not math.isfinite(value):
            raise ValidationError(f"{owner}: {name} must be a finite number, got {value!r}")


def _check_reset(owner: str, reset: Reset) -> None:
    if isinstance(reset, str):
        if reset not in ("subtract", "zero"):
            raise ValidationError(
                f"{owner}: reset must be 'subtract', 'zero' or a number (the reset "
                f"potential), got {reset!r}"
            )
        return
    _require_finite(owner, reset=reset)


class NeuronModel:
    """Base of every neuron model: a frozen value holding parameters, never state.

    A model also says what it needs from the network's clock, so that
    :class:`~evsim.network.Network` can check any kind of neuron the same way:

    * ``rounds_only`` — runs only in discrete rounds (refused in continuous time);
    * ``input_delay_steps`` — every synapse into it must have exactly this many
      steps of delay (``None``: any delay);
    * :meth:`durations` — its periods (ms) that must be whole numbers of grid steps.

    Which population runs a model is written in one place, :mod:`evsim.kinds`.
    """

    rounds_only: ClassVar[bool] = False
    input_delay_steps: ClassVar[int | None] = None

    def durations(self) -> dict[str, float]:
        """Periods (ms) that must lie on the network's time grid, by parameter name."""
        return {}


@dataclass(frozen=True)
class Input(NeuronModel):
    """A neuron driven from outside: it fires exactly at the times it is given.

    A spike carries the value 1; an analog event carries a real value that
    multiplies the weight of every outgoing synapse.
    """


@dataclass(frozen=True)
class _Integrator(NeuronModel):
    """Shared checks of the integrate-and-fire family."""

    def durations(self) -> dict[str, float]:
        return {"refractory": self.refractory}

    def _validate(self, owner: str) -> None:
        _require_finite(owner, threshold=self.threshold, v_init=self.v_init, bias=self.bias)
        _check_reset(owner, self.reset)
        _require_finite(owner, refractory=self.refractory)
        if self.refractory < 0:
            raise ValidationError(
                f"{owner}: refractory must be >= 0 ms, got {self.refractory!r}"
            )

    @property
    def reset_potential(self) -> float | None:
        """The potential after a spike for a hard reset; ``None`` for subtract."""
        if self.reset == "subtract":
            return None
        return 0.0 if self.reset == "zero" else float(self.reset)


@dataclass(frozen=True)
class IF(_Integrator):
    """Integrate-and-fire neuron (no leak).

    Discrete: ``m = (v + bias) + I``; continuous: ``dv/dt = bias``.
    See the module docstring for the full update rule.

    Parameters
    ----------
    threshold : float
        Fires when the potential reaches it (``>=``).
    v_init : float
        Potential at time 0.
    bias : float
        Added every step (discrete) or per ms (continuous).
    reset : {"subtract", "zero"} or float
        Soft reset by ``threshold`` (default), to zero, or to this value.
    refractory : float
        Dead time after a spike, ms.
    single_spike : bool
        Fire at most once per simulation.
    """

    threshold: float = 1.0
    v_init: float = 0.0
    bias: float = 0.0
    reset: Reset = "subtract"
    refractory: float = 0.0
    single_spike: bool = False

    def __post_init__(self) -> None:
        self._validate("IF")

    tau = math.inf
    v_rest = 0.0


@dataclass(frozen=True)
class LIF(_Integrator):
    """Leaky integrate-and-fire neuron: ``dv/dt = -(v - v_rest)/tau + bias``.

    In a discrete network of clock ``dt`` the potential decays by
    ``beta = exp(-dt / tau)`` per step: ``m = (v_rest + beta (v - v_rest) + bias) + I``.

    Parameters
    ----------
    tau : float
        Membrane time constant in ms (``> 0``; ``inf`` means no leak).
    threshold, v_init, bias, reset, refractory, single_spike
        As for :class:`IF`. ``v_init`` defaults to ``v_rest``.
    v_rest : float
        Resting potential the leak pulls towards.
    """

    tau: float = 20.0
    threshold: float = 1.0
    v_rest: float = 0.0
    v_init: float | None = None
    bias: float = 0.0
    reset: Reset = "subtract"
    refractory: float = 0.0
    single_spike: bool = False

    def __post_init__(self) -> None:
        if self.v_init is None:
            object.__setattr__(self, "v_init", self.v_rest)
        if not isinstance(self.tau, (int, float)) or math.isnan(self.tau) or self.tau <= 0:
            raise ValidationError(f"LIF: tau must be > 0 ms (inf for no leak), got {self.tau!r}")
        _require_finite("LIF", v_rest=self.v_rest)
        self._validate("LIF")

    @classmethod
    def from_beta(cls, beta: float, dt: float = 1.0, **params) -> "LIF":
        """A LIF whose per-step decay in a network of clock ``dt`` is exactly ``beta``.

        ``tau = -dt / ln(beta)``, nudged by a few ulps where needed so that
        ``exp(-dt / tau) == beta`` holds in floating point.
        """
        if not 0 < beta <= 1:
            raise ValidationError(f"LIF.from_beta: beta must be in (0, 1], got {beta!r}")
        if beta == 1:
            return cls(tau=math.inf, **params)
        tau = -dt / math.log(beta)
        for candidate in _neighbours(tau, 8):
            if math.exp(-dt / candidate) == beta:
                return cls(tau=candidate, **params)
        return cls(tau=tau, **params)


def _neighbours(x: float, n: int) -> list[float]:
    """``x`` and its ``n`` nearest floats on each side, nearest first."""
    out, lo, hi = [x], x, x
    for _ in range(n):
        lo, hi = math.nextafter(lo, -math.inf), math.nextafter(hi, math.inf)
        out += [lo, hi]
    return out


@dataclass(frozen=True)
class Stochastic(NeuronModel):
    """Lynch–Musco stochastic neuron (memoryless, one bit of state).

    Round ``t >= 1``: ``pot = sum(w * fired(t-1)) - bias`` and the neuron fires
    with probability ``1 / (1 + exp(-pot / temperature))``. Round 0 fires iff
    ``initial``. All incoming synapses must have delay ``dt``.
    """

    rounds_only: ClassVar[bool] = True
    input_delay_steps: ClassVar[int | None] = 1

    bias: float = 0.0
    temperature: float = 1.0
    initial: bool = False

    def __post_init__(self) -> None:
        _require_finite("Stochastic", bias=self.bias, temperature=self.temperature)
        if self.temperature <= 0:
            raise ValidationError(
                f"Stochastic: temperature must be > 0 (use Threshold for the "
                f"deterministic limit), got {self.temperature!r}"
            )


@dataclass(frozen=True)
class Threshold(NeuronModel):
    """Deterministic limit of :class:`Stochastic` (temperature -> 0).

    Round ``t >= 1`` fires iff ``sum(w * fired(t-1)) - bias >= 0``.
    """

    rounds_only: ClassVar[bool] = True
    input_delay_steps: ClassVar[int | None] = 1

    bias: float = 0.0
    initial: bool = False

    def __post_init__(self) -> None:
        _require_finite("Threshold", bias=self.bias)

    temperature = 0.0


# --------------------------------------------------------------------------
# Pure maths (arrays or floats in, arrays or floats out; no state kept here)
# --------------------------------------------------------------------------


def fires(m, threshold, out=None):
    """The threshold test, the same in every execution path: fire iff ``m >= threshold``.

    Parameters
    ----------
    m, threshold : array_like or float
        Potentials after the step's input, and the threshold.
    out : ndarray of bool, optional
        Where the result is written (no new array).
    """
    if out is None:
        return m >= threshold
    return np.greater_equal(m, threshold, out=out)


def drift(v, beta, v_rest, bias, out=None):
    """One discrete step with no input: ``v_rest + beta * (v - v_rest) + bias``.

    Parameters
    ----------
    v : array_like or float
        Potentials before the step.
    beta, v_rest, bias : array_like or float
        Decay per step (1 for IF), resting potential and per-step bias.
    out : ndarray, optional
        Where the result is written (may be ``v`` itself), with the result's
        dtype. The same operations run in the same order, in place, so the
        bits are the same; ``v - v_rest`` with ``v_rest = +0.0`` and
        ``beta * x`` with ``beta = 1``, which change no bit, are skipped.
    """
    if out is None:
        return v_rest + beta * (v - v_rest) + bias
    x = v if _is_scalar(v_rest, 0.0) else np.subtract(v, v_rest, out=out)
    if not _is_scalar(beta, 1.0):
        x = np.multiply(beta, x, out=out)
    np.add(v_rest, x, out=out)
    return np.add(out, bias, out=out)


def _is_scalar(a, value: float) -> bool:
    """``a`` is the single number ``value``, sign of zero included."""
    return np.ndim(a) == 0 and a == value and math.copysign(1.0, a) == math.copysign(1.0, value)


def drift_steps(v, n, beta, v_rest, bias):
    """Apply :func:`drift` ``n`` times (elementwise ``n >= 0``), bit-exactly.

    Iterates rather than using ``beta**n`` so that the result equals a
    step-by-step simulation to the last bit. Stops early once every element
    has reached a floating-point fixed point.
    """
    v = np.array(v, dtype=float, copy=True)
    n = np.broadcast_to(np.asarray(n), v.shape).astype(np.int64)
    beta, v_rest, bias = (np.broadcast_to(np.asarray(a, float), v.shape) for a in (beta, v_rest, bias))
    left = n.copy()
    while True:
        live = np.flatnonzero(left > 0)
        if live.size == 0:
            return v
        new = drift(v[live], beta[live], v_rest[live], bias[live])
        settled = new == v[live]
        v[live] = new
        left[live] -= 1
        left[live[settled]] = 0


def relax(v, s, tau, v_inf):
    """Leaky free evolution towards ``v_inf``: ``v_inf + (v - v_inf) * exp(-s / tau)``."""
    return v_inf + (v - v_inf) * np.exp(s / -tau)  # (= exp(-s/tau) to the bit: division is sign-symmetric)


SLOW_LEAK = 2.0**10  # a leak this many times weaker than the bias at the threshold counts as slow


def slow_leak(tau, theta, v_rest, bias):
    """Where the leak is negligible at the threshold: ``tau·|bias| > 2^10·|theta − v_rest|`` (IF: everywhere).

    Such a neuron's resting level ``v_inf = v_rest + bias·tau`` lies far
    beyond every potential that matters (``tau = 1e16`` with ``bias = 0.1``
    puts it at ``1e15``), so the forms written around ``v_inf`` —
    :func:`relax` and ``tau·ln((v_inf − v)/(v_inf − theta))`` — cancel away
    their digits; :func:`flow` and :func:`crossing_time` then use forms that
    tend to the IF limit instead. Elsewhere the ``v_inf`` forms are kept, so
    the spike times of such networks are unchanged to the bit.
    """
    tau, theta, v_rest, bias = (np.asarray(a, float) for a in (tau, theta, v_rest, bias))
    with np.errstate(invalid="ignore", over="ignore"):
        return ~np.isfinite(tau) | (tau * np.abs(bias) > SLOW_LEAK * np.abs(theta - v_rest))


def _log1p_ratio(x):
    """``ln(1 + x) / x``, 1 at ``x = 0`` (accurate for tiny ``x``: ``log1p``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 1.0, np.log1p(x) / np.where(x == 0, 1.0, x))


def _expm1_ratio(y):
    """``(1 − exp(−y)) / y``, 1 at ``y = 0`` (accurate for tiny ``y``: ``expm1``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y == 0, 1.0, -np.expm1(-y) / np.where(y == 0, 1.0, y))


def flow(v, s, tau, v_rest, bias, theta=None):
    """Exact continuous-time solution after ``s`` ms with no input.

    Two forms of one solution::

        relax:  v_inf + (v − v_inf)·exp(−s/tau),             v_inf = v_rest + bias·tau
        slow:   v + (bias − (v − v_rest)/tau) · s · (1 − exp(−y))/y,   y = s/tau

    The slow form (``expm1``) is the IF solution ``v + bias·s`` when ``tau``
    is infinite and tends to it as ``tau → ∞``; it is used where
    :func:`slow_leak` holds for ``theta`` — everywhere if ``theta`` is
    ``None`` — and :func:`relax` elsewhere (where both are accurate).
    """
    tau = np.asarray(tau, float)
    slow = True if theta is None else slow_leak(tau, theta, v_rest, bias)
    if not np.any(slow):
        return relax(v, s, tau, v_rest + bias * tau)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = bias - (v - v_rest) / tau  # dv/dt at v
        steady = v + rate * s * _expm1_ratio(s / tau)
    if np.all(slow):
        return steady
    leaky = np.where(slow, 1.0, tau)
    return np.where(slow, steady, relax(v, s, leaky, v_rest + bias * leaky))


def resting_level(tau, v_rest, bias):
    """Where free evolution settles: ``v_rest + bias * tau`` (``±inf`` or ``v`` for IF).

    For IF (``tau = inf``) returns ``inf`` if ``bias > 0``, ``-inf`` if
    ``bias < 0`` and NaN if ``bias == 0`` (it stays wherever it is).
    """
    tau, v_rest, bias = (np.asarray(a, float) for a in (tau, v_rest, bias))
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(tau), v_rest + bias * np.where(np.isfinite(tau), tau, 0.0), np.sign(bias) * np.inf)


def crossing_time(v, theta, tau, v_rest, bias):
    """Time (ms from now) at which free evolution from ``v`` first reaches ``theta``.

    Two forms of one answer (``d = theta − v``)::

        tau · ln((v_inf − v) / (v_inf − theta))                 if v_inf > theta
        (d / rate) · ln(1 + x) / x,   rate = bias − (theta − v_rest)/tau,  x = d / (rate·tau)

    ``rate`` is the slope ``dv/dt`` at the threshold (a crossing needs
    ``rate > 0``) and ``rate·tau = v_inf − theta``. The second form
    (``log1p``) is ``d / bias`` for IF and tends to it as ``tau → ∞``; it is
    used where :func:`slow_leak` holds, the first elsewhere. ``0`` if
    ``v >= theta``; ``inf`` if the potential never gets there; never ``0``
    for a potential below the threshold (a wait that underflows is the
    smallest positive float, so the crossing stays strictly ahead).
    """
    v, theta, tau, v_rest, bias = (np.asarray(a, float) for a in (v, theta, tau, v_rest, bias))
    slow = slow_leak(tau, theta, v_rest, bias)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # both forms run everywhere
        d = theta - v
        rate = bias - (theta - v_rest) / tau
        steady = np.where(rate > 0, d / rate * _log1p_ratio(d / (rate * tau)), np.inf)
        if slow.all():
            out = steady
        else:
            v_inf = resting_level(tau, v_rest, bias)
            leaky = np.where(v_inf > theta, tau * np.log((v_inf - v) / (v_inf - theta)), np.inf)
            out = np.where(slow, steady, leaky)
    above = fires(v, theta)
    return np.where(above, 0.0, np.where(out > 0, out, np.nextafter(0.0, 1.0)))


def apply_reset(m, fired, theta, reset_to, out=None, removed=None):
    """Potential after the threshold test.

    ``reset_to`` is NaN for a subtract reset (``m - fired·theta``), else the
    value the potential is set to. Neurons that did not fire keep ``m``.

    Parameters
    ----------
    m : array_like or float
        Potentials after the step's input.
    fired : array_like of bool or bool
        Which neurons fired.
    theta, reset_to : array_like or float
        Threshold, and the reset value (NaN: subtract ``theta``).
    out : ndarray, optional
        Where the result is written (may be ``m`` itself), with ``m``'s dtype;
        the same bits as without ``out``.
    removed : ndarray, optional
        Subtract reset only: where ``fired·theta`` (in ``m``'s dtype), the
        amount subtracted, is written on the way.
    """
    m = np.asarray(m)
    subtract = np.ndim(reset_to) == 0 and np.isnan(reset_to)
    if removed is not None and not subtract:
        raise ValidationError("apply_reset: removed= holds fired·theta, which only a subtract reset removes")
    if subtract:  # subtract everywhere; m - 0.0 == m exactly
        return np.subtract(m, np.multiply(fired, theta, dtype=m.dtype, out=removed), out=out)
    if np.ndim(reset_to) == 0:  # one hard reset for every neuron
        result = np.where(fired, reset_to, m)
    else:
        result = np.where(fired, np.where(np.isnan(reset_to), m - theta, reset_to), m)
    if out is None:
        return result
    np.copyto(out, result)
    return out


def sigmoid(x):
    """Numerically stable logistic function ``1 / (1 + exp(-x))``."""
    x = np.asarray(x, float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def firing_probability(pot, temperature):
    """Lynch–Musco firing probability ``sigmoid(pot / temperature)``.

    ``temperature == 0`` is the deterministic limit: ``1`` iff ``pot >= 0``.
    """
    pot, temperature = np.broadcast_arrays(np.asarray(pot, float), np.asarray(temperature, float))
    hard = temperature == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        soft = sigmoid(pot / np.where(hard, 1.0, temperature))
    return np.where(hard, (pot >= 0).astype(float), soft)
