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

Resets: ``"subtract"`` (``v - a``, soft, where the amount ``a`` is ``reset_by``,
by default ``theta``), ``"zero"`` (``0``) or a number (``v_reset``). A discrete
soft reset by ``a = theta / beta`` is the rule of libraries that subtract
``theta`` from the next step's already decayed potential (snnTorch's
``reset_mechanism="subtract"``): ``beta * (m - theta / beta) = beta * m - theta``. A refractory period ``r`` holds ``v`` at its reset value and
discards arrivals at times ``t`` with ``t_spike < t < t_spike + r``.
``single_spike`` neurons never fire again after their first spike.

Current-based LIF (``CubaLIF``)
-------------------------------
Discrete time only (clock ``dt``), one update at every step ``k``::

    i_k = (beta_syn * i_{k-1} + i_bias) + I_k                  (synaptic_current)
    m_k = drift(v_{k-1}) + i_k,   drift(v) = v_rest + beta_mem * (v - v_rest) + bias
    fire iff m_k >= theta;  v_k = reset(m_k) if fired else m_k

with ``beta_syn = exp(-dt / tau_syn)``, ``beta_mem = exp(-dt / tau_mem)``:
the input jumps into the current, and the membrane takes the new current
(snnTorch's ``Synaptic``, Norse's ``LIFCell``). :func:`cuba_step` is that step.

Lynch–Musco (``Stochastic``, ``Threshold``)
--------------------------------------------
Memoryless Boolean state; round 0 is ``initial``; in round ``t >= 1``::

    pot = sum(w * fired(t-1)) - bias
    P[fire] = sigmoid(pot / temperature)       (Threshold: fire iff pot >= 0)
"""

from __future__ import annotations

import math
from dataclasses import MISSING, dataclass, fields
from typing import ClassVar, Union

import numpy as np

from evsim import validation as check
from evsim.errors import ValidationError

__all__ = [
    "Input",
    "IF",
    "LIF",
    "CubaLIF",
    "Stochastic",
    "Threshold",
    "NeuronModel",
    "Reset",
    "fires",
    "drift",
    "drift_steps",
    "drift_crossing",
    "relax",
    "flow",
    "slow_leak",
    "resting_level",
    "crossing_time",
    "apply_reset",
    "synaptic_current",
    "cuba_step",
    "cuba_ceiling",
    "sigmoid",
    "firing_probability",
]

Reset = Union[str, float]


def _require_finite(model, owner: str, *names: str) -> None:
    """Check the named fields of a (frozen) model and keep them as Python floats, whatever number type was given."""
    for name in names:
        object.__setattr__(model, name, check.real(name, getattr(model, name), owner=owner))


def _check_reset(owner: str, reset: Reset) -> Reset:
    if isinstance(reset, str) and reset in ("subtract", "zero"):
        return reset
    try:
        return check.real("reset", reset, owner=owner)
    except ValidationError:
        raise ValidationError(
            f"{owner}: reset must be 'subtract', 'zero' or a finite real number (the reset "
            f"potential), got {reset!r}"
        ) from None


class NeuronModel:
    """Base of every neuron model: a frozen value holding parameters, never state.

    A model also says what it needs from the network's clock, so that
    :class:`~evsim.network.Network` can check any kind of neuron the same way:

    * ``rounds_only`` — runs only in discrete rounds (refused in continuous time,
      with ``why_rounds_only`` as the reason);
    * ``input_delay_steps`` — every synapse into it must have exactly this many
      steps of delay (``None``: any delay);
    * :meth:`durations` — its periods (ms) that must be whole numbers of grid steps.

    Which population runs a model is written in one place, :mod:`evsim.kinds`.
    """

    rounds_only: ClassVar[bool] = False
    why_rounds_only: ClassVar[str] = "which runs only in rounds"
    input_delay_steps: ClassVar[int | None] = None

    def durations(self) -> dict[str, float]:
        """Periods (ms) that must lie on the network's time grid, by parameter name."""
        return {}

    def brief(self) -> str:
        """The model as a call with only the parameters that differ from their defaults, e.g. ``IF(threshold=2.0)``.

        The same value as the full ``repr`` (every field left out has its
        default), short enough to list a network's neurons.
        """
        implied = self._implied_defaults()
        changed = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                   if f.default is MISSING or (getattr(self, f.name) != f.default and not (
                       f.name in implied and repr(getattr(self, f.name)) == repr(implied[f.name])))]
        return f"{type(self).__name__}({', '.join(changed)})"

    def _implied_defaults(self) -> dict[str, object]:
        """Fields whose default ``None`` stands for another value (a LIF's ``v_init`` is its ``v_rest``)."""
        return {}


@dataclass(frozen=True)
class Input(NeuronModel):
    """A neuron driven from outside: it fires exactly at the times it is given.

    A spike carries the value 1; an analog event carries a real value that
    multiplies the weight of every outgoing synapse.

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 1.0)], outputs={"y"})
    >>> record = evsim.simulate(net, {"x": evsim.Analog([0.0, 2.0], [0.5, 0.5])}, until=5)  # analog events
    >>> record.trains()["x"].tolist(), record.value.tolist(), record.trains()["y"].tolist()
    ([0.0, 2.0], [0.5, 0.5, 1.0], [3.0])
    """


def reset_to(reset: "Reset") -> float:
    """A reset (``"subtract"``, ``"zero"`` or a potential) in the form :func:`apply_reset` takes: NaN for
    subtract, else the potential a spike leaves."""
    if reset == "subtract":
        return math.nan
    return 0.0 if reset == "zero" else float(reset)


class _Resetting(NeuronModel):
    """What every neuron with a threshold and a reset answers about its reset (``reset``, ``threshold``)."""

    reset_by: ClassVar[float | None] = None  # (IF and LIF make it a field)

    @property
    def reset_potential(self) -> float | None:
        """The potential after a spike for a hard reset; ``None`` for subtract."""
        to = reset_to(self.reset)
        return None if math.isnan(to) else to

    @property
    def reset_to(self) -> float:
        """The hard reset's potential, NaN for a subtract reset: the form :func:`apply_reset` takes."""
        return reset_to(self.reset)

    @property
    def reset_amount(self) -> float:
        """What a subtract reset removes from the potential: ``reset_by``, by default the threshold."""
        return self.threshold if self.reset_by is None else self.reset_by


@dataclass(frozen=True)
class _Integrator(_Resetting):
    """Shared checks of the integrate-and-fire family."""

    def durations(self) -> dict[str, float]:
        return {"refractory": self.refractory}

    def _validate(self, owner: str) -> None:
        _require_finite(self, owner, "threshold", "v_init", "bias")
        object.__setattr__(self, "reset", _check_reset(owner, self.reset))
        object.__setattr__(self, "refractory", check.real("refractory", self.refractory, owner=owner, minimum=0))
        object.__setattr__(self, "single_spike", check.flag("single_spike", self.single_spike, owner=owner))
        if self.reset_by is not None:
            object.__setattr__(self, "reset_by", check.real(
                "reset_by (the amount a subtract reset removes; None: the threshold)", self.reset_by, owner=owner,
                minimum=0, exclusive_minimum=True))
            if self.reset != "subtract":
                raise ValidationError(f"{owner}: reset_by={self.reset_by!r} is the amount a subtract reset removes, "
                                      f"but reset={self.reset!r}; give reset='subtract' or leave reset_by None")



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
    reset_by : float, optional
        The amount a subtract reset removes (``> 0``); ``None``: the threshold.

    Examples
    --------
    >>> import evsim
    >>> evsim.IF(threshold=2.0, refractory=1.0).brief()
    'IF(threshold=2.0, refractory=1.0)'
    >>> net = evsim.Network({"y": evsim.IF(bias=0.25)}, outputs={"y"}, dt=None)  # continuous time
    >>> evsim.simulate(net, until=10).trains()["y"].tolist()
    [4.0, 8.0]
    """

    threshold: float = 1.0
    v_init: float = 0.0
    bias: float = 0.0
    reset: Reset = "subtract"
    refractory: float = 0.0
    single_spike: bool = False
    reset_by: float | None = None

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
    threshold, v_init, bias, reset, refractory, single_spike, reset_by
        As for :class:`IF`. ``v_init`` defaults to ``v_rest``. A discrete
        soft reset that removes ``threshold`` after the next step's decay
        (snnTorch's) is ``reset_by = threshold / beta``.
    v_rest : float
        Resting potential the leak pulls towards.

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"y": evsim.LIF(tau=10.0, bias=0.2)}, outputs={"y"}, dt=None)
    >>> [round(t, 6) for t in evsim.simulate(net, until=15).trains()["y"].tolist()]  # 10 ln 2 apart
    [6.931472, 13.862944]
    >>> round(evsim.LIF.from_beta(0.9).tau, 6)  # the tau whose decay per 1 ms step is 0.9
    9.491222
    """

    tau: float = 20.0
    threshold: float = 1.0
    v_rest: float = 0.0
    v_init: float | None = None
    bias: float = 0.0
    reset: Reset = "subtract"
    refractory: float = 0.0
    single_spike: bool = False
    reset_by: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tau", check.real("tau (ms; inf for no leak)", self.tau, owner="LIF", minimum=0,
                                                   exclusive_minimum=True, allow_inf=True))
        _require_finite(self, "LIF", "v_rest")
        if self.v_init is None:
            object.__setattr__(self, "v_init", self.v_rest)
        self._validate("LIF")

    def _implied_defaults(self) -> dict[str, object]:
        return {"v_init": self.v_rest}  # (v_init=None means "start at rest")

    @classmethod
    def from_beta(cls, beta: float, dt: float = 1.0, **params) -> "LIF":
        """A LIF whose per-step decay in a network of clock ``dt`` is exactly ``beta``.

        ``tau = -dt / ln(beta)``, nudged by a few ulps where needed so that
        ``exp(-dt / tau) == beta`` holds in floating point. ``beta = 0`` (the
        potential does not carry over from one step to the next) is
        ``tau = dt / 1000``: ``exp(-1000)`` is 0 in floating point.
        """
        beta = check.real("beta", beta, owner="LIF.from_beta", minimum=0, maximum=1)
        dt = check.real("dt", dt, owner="LIF.from_beta", minimum=0, exclusive_minimum=True)
        if beta == 1:
            return cls(tau=math.inf, **params)
        if beta == 0:
            return cls(tau=dt / 1000, **params)
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
class CubaLIF(_Resetting):
    """Current-based leaky integrate-and-fire neuron, discrete time only.

    A synaptic current ``i`` takes the input and decays with ``tau_syn``; the
    potential leaks towards ``v_rest`` with ``tau_mem`` and adds the current.
    In a network of clock ``dt`` (``beta_syn = exp(-dt / tau_syn)``,
    ``beta_mem = exp(-dt / tau_mem)``, ``I_k`` the sum of the arrivals at
    step ``k``)::

        i_k = (beta_syn * i_{k-1} + i_bias) + I_k
        m_k = (v_rest + beta_mem * (v_{k-1} - v_rest) + bias) + i_k
        fire iff m_k >= threshold;  v_k = reset(m_k) if fired else m_k

    in exactly that floating-point order (:func:`cuba_step`), from
    ``(v_init, i_init)`` at step 0. Refused in continuous time: there the
    threshold crossing between arrivals has no closed form, and evsim never
    finds crossings by stepping.

    Parameters
    ----------
    tau_syn, tau_mem : float
        Synaptic and membrane time constants in ms (finite, ``> 0``).
    threshold : float
        Fires when the potential reaches it (``>=``).
    v_rest : float
        Resting potential the leak pulls towards.
    v_init : float or None
        Potential at time 0 (``None``: ``v_rest``).
    i_init : float
        Synaptic current at time 0.
    bias : float
        Added to the potential every step (as for :class:`LIF`).
    i_bias : float
        Added to the current every step: a constant input (where a NIR
        ``Affine``'s bias goes).
    reset : {"subtract", "zero"} or float
        Soft reset by ``threshold`` (default), to zero, or to this value. The
        current is never reset. (No refractory period and no single-spike
        option: snnTorch's ``Synaptic``, Norse's ``LIFCell`` and NIR's
        ``CubaLIF`` have neither.)

    Examples
    --------
    >>> import evsim
    >>> model = evsim.CubaLIF(tau_syn=5.0, tau_mem=10.0)
    >>> [round(beta, 6) for beta in model.betas(1.0)]
    [0.818731, 0.904837]
    >>> net = evsim.Network({"x": evsim.Input(), "y": model}, [evsim.Synapse("x", "y", 0.5)], outputs={"y"})
    >>> evsim.simulate(net, {"x": [0, 1, 2]}, until=10).trains()["y"].tolist()  # the current outlasts the input
    [2.0, 3.0, 4.0, 5.0, 7.0, 9.0]
    """

    rounds_only: ClassVar[bool] = True
    why_rounds_only: ClassVar[str] = (
        "which runs only in discrete time (its threshold crossing between arrivals has no closed form in "
        "continuous time, and evsim never finds crossings by stepping)")

    tau_syn: float = 5.0
    tau_mem: float = 10.0
    threshold: float = 1.0
    v_rest: float = 0.0
    v_init: float | None = None
    i_init: float = 0.0
    bias: float = 0.0
    i_bias: float = 0.0
    reset: Reset = "subtract"

    def __post_init__(self) -> None:
        for name in ("tau_syn", "tau_mem"):
            object.__setattr__(self, name, check.real(f"{name} (ms)", getattr(self, name), owner="CubaLIF",
                                                      minimum=0, exclusive_minimum=True))
        _require_finite(self, "CubaLIF", "threshold", "v_rest")
        if self.v_init is None:
            object.__setattr__(self, "v_init", self.v_rest)
        _require_finite(self, "CubaLIF", "v_init", "i_init", "bias", "i_bias")
        object.__setattr__(self, "reset", _check_reset("CubaLIF", self.reset))

    def betas(self, dt: float) -> tuple[float, float]:
        """``(beta_syn, beta_mem)``: the per-step decays in a network of clock ``dt``, as every path computes them."""
        return float(np.exp(-dt / self.tau_syn)), float(np.exp(-dt / self.tau_mem))

    def _implied_defaults(self) -> dict[str, object]:
        return {"v_init": self.v_rest}  # (v_init=None means "start at rest")

    @classmethod
    def from_betas(cls, beta_syn: float, beta_mem: float, dt: float = 1.0, **params) -> "CubaLIF":
        """A CubaLIF whose per-step decays in a network of clock ``dt`` are exactly ``beta_syn`` and ``beta_mem``.

        ``tau = -dt / ln(beta)``, nudged by a few ulps where needed so that
        ``exp(-dt / tau) == beta`` holds in floating point (as :meth:`betas`
        computes it) — where such a ``tau`` exists: below ``beta = 1/e`` an
        ulp of ``tau`` moves ``beta`` by more than an ulp, and some values
        (``0.1`` at ``dt = 0.25``) are missed by one; then the nearest is
        kept. NIR's forward Euler is ``beta = 1 - dt/tau``; Norse's
        ``LIFCell`` at its ``dt`` has ``beta_syn = 1 - dt/tau_syn`` and
        ``beta_mem = 1 - dt/tau_mem``.
        """
        owner = "CubaLIF.from_betas"
        for name, beta in (("beta_syn", beta_syn), ("beta_mem", beta_mem)):
            check.real(name, beta, owner=owner, minimum=0, maximum=1, exclusive_minimum=True,
                       exclusive_maximum=True)
        dt = check.real("dt", dt, owner=owner, minimum=0, exclusive_minimum=True)
        return cls(tau_syn=_tau_of(beta_syn, dt), tau_mem=_tau_of(beta_mem, dt), **params)


def _tau_of(beta: float, dt: float) -> float:
    """The ``tau`` nearest ``-dt / ln(beta)`` with ``np.exp(-dt / tau) == beta`` exactly, if a few ulps find one."""
    tau = -dt / math.log(beta)
    return next((c for c in _neighbours(tau, 8) if float(np.exp(-dt / c)) == beta), tau)


@dataclass(frozen=True)
class Stochastic(NeuronModel):
    """Lynch–Musco stochastic neuron (memoryless, one bit of state).

    Round ``t >= 1``: ``pot = sum(w * fired(t-1)) - bias`` and the neuron fires
    with probability ``1 / (1 + exp(-pot / temperature))``. Round 0 fires iff
    ``initial``. All incoming synapses must have delay ``dt``.

    Parameters
    ----------
    bias : float, default 0.0
        Subtracted from the summed input each round (finite): the larger,
        the less likely a spike; with no input it fires with probability
        ``sigmoid(-bias / temperature)``.
    temperature : float, default 1.0
        Finite and ``> 0``: the smaller, the sharper the sigmoid (use
        :class:`Threshold` for the deterministic limit).
    initial : bool, default False
        Whether it fires in round 0.

    Raises
    ------
    ValidationError
        A bias that is not a finite real number, a temperature that is not
        finite and ``> 0``, or an ``initial`` that is not a bool.

    Examples
    --------
    >>> import evsim
    >>> neurons = {"x": evsim.Input(), "y": evsim.Stochastic(bias=2.0, temperature=0.5)}
    >>> net = evsim.Network(neurons, [evsim.Synapse("x", "y", 4.0)], outputs={"y"})
    >>> evsim.simulate(net, {"x": [0, 2]}, until=5, rng=0).trains()["y"].tolist()  # P[fire] = sigmoid(4) after x
    [1.0, 3.0]
    """

    rounds_only: ClassVar[bool] = True
    input_delay_steps: ClassVar[int | None] = 1

    bias: float = 0.0
    temperature: float = 1.0
    initial: bool = False

    def __post_init__(self) -> None:
        _require_finite(self, "Stochastic", "bias")
        object.__setattr__(self, "temperature", check.real(
            "temperature (use Threshold for the deterministic limit)", self.temperature,
            owner="Stochastic", minimum=0, exclusive_minimum=True))
        object.__setattr__(self, "initial", check.flag("initial", self.initial, owner="Stochastic"))


@dataclass(frozen=True)
class Threshold(NeuronModel):
    """Deterministic limit of :class:`Stochastic` (temperature -> 0).

    Round ``t >= 1`` fires iff ``sum(w * fired(t-1)) - bias >= 0``.

    Parameters
    ----------
    bias : float, default 0.0
        The summed input a spike needs (finite); with ``bias <= 0`` it
        fires in every round that brings no input.
    initial : bool, default False
        Whether it fires in round 0.

    Raises
    ------
    ValidationError
        A bias that is not a finite real number, or an ``initial`` that is
        not a bool.

    Examples
    --------
    >>> import evsim
    >>> neurons = {"x": evsim.Input(), "y": evsim.Threshold(bias=1.0)}
    >>> net = evsim.Network(neurons, [evsim.Synapse("x", "y", 1.0)], outputs={"y"})
    >>> evsim.simulate(net, {"x": [0, 2]}, until=5).trains()["y"].tolist()
    [1.0, 3.0]
    """

    rounds_only: ClassVar[bool] = True
    input_delay_steps: ClassVar[int | None] = 1

    bias: float = 0.0
    initial: bool = False

    def __post_init__(self) -> None:
        _require_finite(self, "Threshold", "bias")
        object.__setattr__(self, "initial", check.flag("initial", self.initial, owner="Threshold"))

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
    """Apply :func:`drift` ``n`` times (elementwise ``n >= 0``), bit for bit as stepping would.

    Where the step is a plain float addition — IF, or any ``beta = 1`` with
    ``v_rest = 0``, whose drift is ``fl(v + bias)`` — it *leaps* over many
    steps at once where that is exact (:func:`_leap`: within one binade the
    rounded increment is the same at every step, so ``k`` steps add ``k``
    times it) — over more than 256 steps, where leaping pays; shorter ways
    and every other drift it iterates (never ``beta**n``), stopping early
    once an element reaches a floating-point fixed point.
    """
    v = np.array(v, dtype=float, copy=True)
    left = np.broadcast_to(np.asarray(n), v.shape).astype(float)
    beta, v_rest, bias = (np.broadcast_to(np.asarray(a, float), v.shape) for a in (beta, v_rest, bias))
    plain = ((beta == 1) & (v_rest == 0)) & (left > 4 * _STEPS_FIRST)  # (a short way is cheaper by steps)
    if not plain.any():
        return _step_each(v, left, beta, v_rest, bias)
    while True:
        live = np.flatnonzero(left > 0)
        if live.size == 0:
            return v
        x, todo = v[live], left[live]
        new, taken = _advance(x, todo, plain[live], beta[live], v_rest[live], bias[live])
        v[live] = new
        left[live] = np.where((taken == 1) & (new == x), 0.0, todo - taken)  # a fixed point: nothing moves again


def _step_each(v, left, beta, v_rest, bias):
    """``left`` plain steps of :func:`drift` per element (in place on ``v``), stopping at fixed points."""
    while True:
        live = np.flatnonzero(left > 0)
        if live.size == 0:
            return v
        new = drift(v[live], beta[live], v_rest[live], bias[live])
        settled = new == v[live]
        v[live] = new
        left[live] -= 1
        left[live[settled]] = 0  # a fixed point: nothing moves again


def _advance(x, most, plain, beta, v_rest, bias):
    """Up to ``most`` steps of drift from ``x``: one exact leap where it applies, else one step.

    Returns the new values and how many steps each took.
    """
    stepped = drift(x, beta, v_rest, bias)
    increment, count = _leap(x, bias)
    k = np.where(plain, np.minimum(count, most), 0.0)
    leaping = k >= 1
    with np.errstate(invalid="ignore"):
        leapt = x + k * increment  # exact: a multiple of the ulp inside the binade (k·increment/ulp < 2^53)
    return np.where(leaping, leapt, stepped), np.where(leaping, k, 1.0)


_SMALLEST_NORMAL = 2.0**-1022


def _leap(x, bias):
    """For ``x_{j+1} = fl(x_j + bias)``: an increment ``d`` and a count ``c`` with ``x_j = x + j·d`` exactly for ``j <= c``.

    The method (round to nearest, ties to even). Let ``a = |x|`` lie in the
    binade ``[lo, hi = 2·lo)`` of ulp ``u``, and ``c = ±bias`` the step
    measured away from zero (``|bias| < lo``). Every float of the binade is a
    multiple of ``u``, so while ``a_j + c`` stays inside it, ``fl`` rounds
    ``a_j/u + c/u`` to the nearest integer: ``a_j/u + rint(c/u)`` — the same
    increment ``n·u``, ``n = rint(c/u)``, at every step — unless ``c/u`` is a
    tie (an odd multiple of ½): then the even neighbour wins, which is
    ``rint``'s choice too when ``a_j/u`` is even, and stays so as ``n`` is
    even. So the leap applies when (``M`` counting ulps of room)

    * moving away from zero (``c >= 0``): ``a_j + c < hi``, i.e. ``j·|n| <= M = (hi − a)/u − floor(c/u) − 1``;
    * moving towards zero (``c < 0``): ``a_j + c >= lo``, i.e. ``j·|n| <= M = (a − lo)/u + floor(c/u)``;

    for ``j = 0 … c − 1`` (then ``x_c = x + c·d`` is the last value inside), with
    ``a`` normal, and ``a/u`` even where ``c/u`` is a tie. ``n = 0`` (a step
    below half an ulp) is a fixed point: ``c = inf``. Where no leap applies,
    ``c = 0`` (the caller takes one plain step, after which one usually does).
    """
    x, bias = np.broadcast_arrays(np.asarray(x, float), np.asarray(bias, float))
    sign = np.where(x < 0, -1.0, 1.0)
    a, c = np.abs(x), sign * bias
    _, e = np.frexp(a)
    lo, u = np.ldexp(1.0, e - 1), np.ldexp(1.0, e - 53)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        r = c / u
        n = np.rint(r)
        tie = np.abs(r - np.trunc(r)) == 0.5
        odd = np.fmod(a / u, 2.0) != 0
        usable = (a >= _SMALLEST_NORMAL) & (np.abs(c) < lo) & ~(tie & odd)
        room = np.where(c >= 0, (2 * lo - a) / u - np.floor(r) - 1, (a - lo) / u + np.floor(r))
        room = np.where(usable, room, -1.0)
        steps = np.abs(np.where(usable, n, 1.0)).astype(np.int64)
        fit = np.where(room >= 0, np.where(usable, room, 0.0).astype(np.int64) // np.maximum(steps, 1) + 1, 0)
        count = np.where(usable & (n == 0) & (room >= 0), np.inf, fit.astype(float))
        return np.where(usable, sign * n * u, 0.0), count


def drift_crossing(v, theta, beta, v_rest, bias, rounds: int):
    """The first step ``k >= 1`` at which iterating :func:`drift` from ``v`` gives ``>= theta``.

    Bit-exact (it follows :func:`drift_steps`: leaps where they apply, steps
    elsewhere) and bounded: at most ``rounds`` leaps or steps per element.

    Returns
    -------
    steps : ndarray
        The crossing step; ``inf`` where it provably never comes (a fixed
        point below ``theta``, or a plain step ``v + bias`` with ``bias <= 0``
        from below it); where neither is known after ``rounds``, the number
        of steps searched (a checkpoint).
    known : ndarray of bool
        Whether ``steps`` is the answer (else it is a checkpoint).
    """
    x = np.array(v, dtype=float, copy=True)
    theta, beta, v_rest, bias = (np.broadcast_to(np.asarray(a, float), x.shape) for a in (theta, beta, v_rest, bias))
    plain = (beta == 1) & (v_rest == 0)
    warm = rounds if not plain.any() else min(rounds, _STEPS_FIRST)
    steps, known, x = _cross_by_steps(x, theta, beta, v_rest, bias, warm)
    later = np.flatnonzero(~known & plain)  # plain steps still below: leap on from where stepping stopped
    if later.size and rounds > warm:
        more, known[later] = _cross_by_leaps(x[later], theta[later], beta[later], v_rest[later], bias[later],
                                             rounds - warm)
        steps[later] = warm + more
    return steps, known


_STEPS_FIRST = 64  # steps taken before leaping (a short way is cheaper by steps)


def _cross_by_steps(x, theta, beta, v_rest, bias, rounds: int):
    """:func:`drift_crossing` one step at a time (stops at a fixed point below ``theta``).

    Also returns the values after ``rounds`` steps of the elements not known by then.
    """
    steps, known, end = np.full(x.shape, np.inf), np.zeros(x.shape, bool), x.copy()
    live = np.arange(x.size)
    for step in range(1, rounds + 1):
        if live.size == 0:
            return steps, known, end
        new = drift(x, beta[live], v_rest[live], bias[live])
        hit = fires(new, theta[live])
        fixed = ~hit & (new == x)
        steps[live[hit]] = step
        known[live[hit | fixed]] = True
        go = ~(hit | fixed)
        live, x = live[go], new[go]
    steps[live], end[live] = rounds, x
    return steps, known, end


def _cross_by_leaps(x, theta, beta, v_rest, bias, rounds: int):
    """:func:`drift_crossing` for plain steps ``fl(x + bias)``, by exact leaps (:func:`_leap`)."""
    steps, known, covered = np.full(x.shape, np.inf), np.zeros(x.shape, bool), np.zeros(x.shape)
    live = np.arange(x.size)
    for _ in range(rounds):
        if live.size == 0:
            return steps, known
        t, b, done = theta[live], bias[live], covered[live]
        falling = b <= 0  # its first step decides: from there it only goes down
        new, taken = _advance(x, np.where(falling, 1.0, 2.0**53), True, beta[live], v_rest[live], b)
        crossed = fires(new, t)
        on = (taken > 1) & ~crossed  # a leap ends where the binade does: step over its edge in the same round
        moved = np.zeros(on.shape, bool)
        if on.any():
            over = np.where(on, drift(new, beta[live], v_rest[live], b), new)
            moved = on & (over != new)
            new, taken = np.where(moved, over, new), taken + moved
            crossed = fires(new, t)
        if crossed.any():
            inside = crossed & (taken > 1) & ~moved  # (crossed on the step over the edge: that step is the first)
            first = taken.copy()
            if inside.any():
                first[inside] = _first_within(x[inside], new[inside], taken[inside], t[inside])
            steps[live[crossed]] = (done + first)[crossed]
        never = ~crossed & ((new == x) | falling | (done + taken >= 2.0**53))
        known[live[crossed | never]] = True
        go = ~(crossed | never)
        covered[live] = done + taken
        live, x = live[go], new[go]
    steps[live] = covered[live]
    return steps, known


def _first_within(old, new, taken, theta):
    """In a leap ``old → new`` of ``taken`` equal increments that crosses ``theta``: the first step ``>= theta``.

    ``theta`` lies in the leap's binade, so ``theta − old`` is a whole number
    of increments' ulps, and the step is an exact integer division.
    """
    increment = (new - old) / np.where(taken > 0, taken, 1.0)
    _, e = np.frexp(old)  # the leap stays in old's binade (new may be its upper end)
    u = np.ldexp(1.0, e - 53)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        need = np.where(increment > 0, (theta - old) / u, 0.0).astype(np.int64)
        per = np.maximum(np.where(increment > 0, increment / u, 1.0).astype(np.int64), 1)
    return np.maximum(-(-need // per), 1).astype(float)


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


def flow(v, s, tau, v_rest, bias, theta=None, slow=None):
    """Exact continuous-time solution after ``s`` ms with no input.

    Two forms of one solution::

        relax:  v_inf + (v − v_inf)·exp(−s/tau),             v_inf = v_rest + bias·tau
        slow:   v + (bias − (v − v_rest)/tau) · s · (1 − exp(−y))/y,   y = s/tau

    The slow form (``expm1``) is the IF solution ``v + bias·s`` when ``tau``
    is infinite and tends to it as ``tau → ∞``; it is used where
    :func:`slow_leak` holds for ``theta`` — everywhere if ``theta`` is
    ``None`` — and :func:`relax` elsewhere (where both are accurate);
    ``slow`` is that test's result, if the caller has it.
    """
    tau = np.asarray(tau, float)
    if slow is None:
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


_TINY = np.nextafter(0.0, 1.0)  # the smallest positive float: a wait that is never "now"


def crossing_time(v, theta, tau, v_rest, bias, slow=None):
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
    ``slow``: :func:`slow_leak` of the parameters, if the caller has it.
    """
    v, theta, tau, v_rest, bias = (np.asarray(a, float) for a in (v, theta, tau, v_rest, bias))
    slow = slow_leak(tau, theta, v_rest, bias) if slow is None else np.asarray(slow)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a form runs on every element
        if slow.any():
            d = theta - v
            rate = bias - (theta - v_rest) / tau
            out = steady = np.where(rate > 0, d / rate * _log1p_ratio(d / (rate * tau)), np.inf)
        if not slow.all():
            v_inf = resting_level(tau, v_rest, bias)
            out = leaky = np.where(v_inf > theta, tau * np.log((v_inf - v) / (v_inf - theta)), np.inf)
            if slow.any():
                out = np.where(slow, steady, leaky)
    return np.where(fires(v, theta), 0.0, np.maximum(out, _TINY))  # (below θ, out >= 0: 0 only by underflow)


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


def synaptic_current(i, beta_syn, i_bias, I, out=None):
    """One step of a synaptic current: ``(beta_syn * i + i_bias) + I``, in that order.

    Parameters
    ----------
    i : array_like or float
        Currents before the step.
    beta_syn, i_bias : array_like or float
        Decay per step and the constant input added every step.
    I : array_like or float
        The step's summed arrivals (``0.0`` on a step without any).
    out : ndarray, optional
        Where the result is written (may be ``i`` itself); the same bits.
    """
    if out is None:
        return beta_syn * i + i_bias + I
    np.multiply(beta_syn, i, out=out)
    np.add(out, i_bias, out=out)
    return np.add(out, I, out=out)


def cuba_step(v, i, I, beta_syn, beta_mem, v_rest, bias, i_bias, out=None):
    """One discrete step of a :class:`CubaLIF`: the new current and the pre-threshold potential.

    ::

        i_k = (beta_syn * i_{k-1} + i_bias) + I_k        (synaptic_current)
        m_k = drift(v_{k-1}, beta_mem, v_rest, bias) + i_k

    Then fire iff ``m_k >= theta`` (:func:`fires`) and reset (:func:`apply_reset`).

    Parameters
    ----------
    out : (ndarray, ndarray), optional
        Where ``i_k`` and ``m_k`` are written (may be ``i`` and ``v`` themselves,
        for a runner that updates in place); the same bits.

    Returns
    -------
    i_k, m_k : ndarray or float
    """
    if out is None:
        current = synaptic_current(i, beta_syn, i_bias, I)
        return current, drift(v, beta_mem, v_rest, bias) + current
    current = synaptic_current(i, beta_syn, i_bias, I, out=out[0])
    m = drift(v, beta_mem, v_rest, bias, out=out[1])
    return current, np.add(m, current, out=m)


def cuba_ceiling(v, i, beta_syn, beta_mem, v_rest, bias, i_bias):
    """A bound above every potential that :func:`cuba_step` with no input (and no reset) reaches from ``(v, i)``.

    With ``c* = i_bias/(1 − beta_syn)`` and ``v* = v_rest + (bias + c*)/(1 − beta_mem)`` (the resting
    state), exact arithmetic gives ``v_n − v* = beta_mem^n (v − v*) + Σ_k beta_mem^(n−k) beta_syn^k (i − c*)``,
    so::

        v_n <= v* + max(v − v*, 0) + max(i − c*, 0) · beta_syn · min(1/(1 − beta_syn), 1/(1 − beta_mem))

    Floating point adds at most a few ulps of the magnitudes at each step, contracted by both decays;
    the bound adds ``scale · (2^-30 + 64·eps / ((1 − beta_syn)(1 − beta_mem)))``, ``scale`` the largest
    of those magnitudes and 1. ``inf`` where a decay is 1 (nothing settles).
    """
    v, i = np.asarray(v, float), np.asarray(i, float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c_star = i_bias / (1 - beta_syn)
        v_star = v_rest + (bias + c_star) / (1 - beta_mem)
        gain = beta_syn * np.minimum(1 / (1 - beta_syn), 1 / (1 - beta_mem))
        top = v_star + np.maximum(v - v_star, 0.0) + np.maximum(i - c_star, 0.0) * gain
        scale = np.maximum(np.maximum(np.maximum(np.abs(v), np.abs(v_star)), np.maximum(np.abs(i), np.abs(c_star))),
                           np.maximum(np.maximum(np.abs(v_rest), np.abs(bias)), 1.0))
        margin = scale * (2.0**-30 + 64 * np.finfo(float).eps / ((1 - beta_syn) * (1 - beta_mem)))
        return np.where((np.asarray(beta_syn) < 1) & (np.asarray(beta_mem) < 1), top + margin, np.inf)


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
