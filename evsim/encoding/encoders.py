"""Encoders: rate (Bernoulli, Poisson, regular), time-to-first-spike, hybrid.

Inputs are arrays of any shape with values in ``[0, 1]`` (pixel
intensities); a value outside, a NaN, ``steps < 1`` or a negative rate is a
:class:`~evsim.errors.ValidationError` naming it, unless ``clip=True`` asks
for clipping into ``[0, 1]``. Steps are numbered ``k = 0 … steps−1`` and last
``dt`` ms; Datta, Kundu & Beerel (arXiv:2107.12374) count steps from 1, so
their "step 1" is evsim's step 0.
"""

from __future__ import annotations

import numpy as np

from evsim.encoding.code import SpikeCode
from evsim.errors import ValidationError

__all__ = ["rate", "ttfs", "hybrid", "compensate", "ttfs_linear_step"]


def _values(x, clip: bool) -> np.ndarray:
    try:
        x = np.array(x, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(f"encoders take arrays of numbers, got {x!r}") from None
    bad = np.isnan(x)
    if bad.any():
        raise ValidationError(f"input has NaN at index {tuple(int(i) for i in np.argwhere(bad)[0])}")
    if clip:
        return np.clip(x, 0.0, 1.0)
    outside = (x < 0) | (x > 1)
    if outside.any():
        where = tuple(int(i) for i in np.argwhere(outside)[0])
        raise ValidationError(
            f"input value {float(x[where]) if where else float(x)!r} at index {where} is outside [0, 1]; "
            f"scale the input or pass clip=True"
        )
    return x


def _steps(steps, least: int = 1) -> int:
    if not isinstance(steps, (int, np.integer)) or steps < least:
        raise ValidationError(f"steps must be a whole number >= {least}, got {steps!r}")
    return int(steps)


def _dt(dt) -> float:
    if not isinstance(dt, (int, float)) or not np.isfinite(dt) or dt <= 0:
        raise ValidationError(f"dt must be a positive number of ms, got {dt!r}")
    return float(dt)


def rate(x, steps: int, *, method: str = "bernoulli", gain: float = 1.0, offset: float = 0.0,
         max_rate: float | None = None, dt: float = 1.0, rng=None, clip: bool = False) -> SpikeCode:
    """Rate code with firing probability ``p = clip(gain·x + offset, 0, 1)`` per step.

    * ``"bernoulli"``: each step fires independently with probability ``p``
      (snnTorch's ``spikegen.rate``); expected count ``p·steps``.
    * ``"poisson"``: a Poisson process of ``p · max_rate`` Hz (default
      ``max_rate = 1000/dt``, one spike per step at ``p = 1``) over
      ``steps·dt`` ms, with exact float times; expected count ``p·steps`` by default.
    * ``"regular"`` (ΣΔ): deterministic, exactly ``floor(p·steps + 1/2)``
      spikes, evenly spaced: step ``k`` fires iff
      ``floor(p(k+1) + 1/2) > floor(p·k + 1/2)``.
    """
    x, steps, dt = _values(x, clip), _steps(steps), _dt(dt)
    p = np.clip(gain * x + offset, 0.0, 1.0)
    if method == "bernoulli":
        spikes = np.random.default_rng(rng).random((steps, *x.shape)) < p
        return SpikeCode.from_array(spikes, dt, "rate/bernoulli")
    if method == "regular":
        k = np.arange(steps).reshape((steps,) + (1,) * x.ndim)
        spikes = np.floor(p * (k + 1) + 0.5) > np.floor(p * k + 0.5)
        return SpikeCode.from_array(spikes, dt, "rate/regular")
    if method == "poisson":
        return _poisson(p, steps, dt, max_rate, np.random.default_rng(rng))
    raise ValidationError(f"method must be 'bernoulli', 'poisson' or 'regular', got {method!r}")


def _poisson(p: np.ndarray, steps: int, dt: float, max_rate: float | None, rng) -> SpikeCode:
    if max_rate is not None and (not np.isfinite(max_rate) or max_rate < 0):
        raise ValidationError(f"max_rate must be a rate >= 0 Hz, got {max_rate!r}")
    per_ms = p.reshape(-1) * (max_rate / 1000.0 if max_rate is not None else 1.0 / dt)
    duration = steps * dt
    counts = rng.poisson(per_ms * duration)
    index = np.repeat(np.arange(p.size), counts)
    time = rng.uniform(0.0, duration, counts.sum())
    return SpikeCode(p.shape, steps, dt, index, time, np.ones(index.size), "rate/poisson", exact_steps=False)


def ttfs_linear_step(x: np.ndarray, first: int, last: int) -> np.ndarray:
    """Step of a linear TTFS spike: ``x = 1`` fires at ``first``, ``x = 0`` at ``last``,
    ``first + (1 − x)(last − first)`` rounded half up."""
    return first + np.floor((1.0 - x) * (last - first) + 0.5)


def ttfs(x, steps: int, *, code: str = "linear", threshold: float = 0.0, tau: float = 1.0, dt: float = 1.0,
         continuous: bool = False, fire_last: bool = False, clip: bool = False) -> SpikeCode:
    """Time-to-first-spike: at most one spike per element, brighter fires earlier.

    * ``"linear"``: at ``(1 − x)(steps − 1)`` steps.
    * ``"log"`` (an RC neuron charging to ``threshold``): at
      ``tau · ln(x / (x − threshold))`` ms.

    Elements with ``x <= threshold`` do not fire — or fire at the last step
    with ``fire_last=True``; so do log-coded ones whose time falls after the
    window. With ``continuous=True`` the exact float time is kept, otherwise
    it is rounded (half up) to a step.
    """
    x, steps, dt = _values(x, clip), _steps(steps), _dt(dt)
    fires = x > threshold
    if code == "linear":
        exact = (1.0 - x) * (steps - 1)  # in steps
    elif code == "log":
        if not threshold > 0 or not tau > 0:
            raise ValidationError(f"the log code needs threshold > 0 and tau > 0 ms, got {threshold!r}, {tau!r}")
        with np.errstate(divide="ignore", invalid="ignore"):
            exact = np.where(fires, tau * np.log(x / (x - threshold)), np.inf) / dt
    else:
        raise ValidationError(f"code must be 'linear' or 'log', got {code!r}")
    when = exact if continuous else np.floor(exact + 0.5)
    fires &= when <= steps - 1
    if fire_last:
        when, fires = np.where(fires, when, steps - 1), np.ones_like(fires)
    index = np.flatnonzero(fires.reshape(-1))
    time = when.reshape(-1)[index] * dt
    return SpikeCode(x.shape, steps, dt, index, time, np.ones(index.size), f"ttfs/{code}",
                     exact_steps=not continuous)


def hybrid(x, steps: int, *, threshold: float = 0.0, dt: float = 1.0, clip: bool = False) -> SpikeCode:
    """Datta et al.'s hybrid code: the analog value at step 0, then one TTFS spike.

    Step 0 carries ``x`` itself as an analog event (nonzero elements only);
    steps ``1 … steps−1`` carry at most one spike per element, at
    ``1 + (1 − x)(steps − 2)`` rounded half up (brighter earlier); elements
    with ``x <= threshold`` send no spike. With ``steps = 2`` the spike window
    is the single step 1, so the spike's time carries no information.
    """
    x, steps, dt = _values(x, clip), _steps(steps, least=2), _dt(dt)
    flat = x.reshape(-1)
    analog = np.flatnonzero(flat != 0)
    spiking = np.flatnonzero(flat > threshold)
    when = ttfs_linear_step(flat[spiking], 1, steps - 1)
    index = np.concatenate((analog, spiking))
    time = np.concatenate((np.zeros(analog.size), when * dt))
    value = np.concatenate((flat[analog], np.ones(spiking.size)))
    return SpikeCode(x.shape, steps, dt, index, time, value, "hybrid")


def compensate(code: SpikeCode, x, *, gain: float = 1.0, offset: float = 0.0, clip: bool = False) -> SpikeCode:
    """IC-SNN coding compensation (evsim's definition) of a Bernoulli rate code.

    The encoding residual ``r(t) = p·t − Σ_{τ≤t} s(τ)`` is carried forward: step
    ``t`` delivers ``s(t) + c(t)`` with a correction ``c(t) ∈ {−1, 0, +1}`` chosen
    so that the delivered count after ``t`` steps is exactly ``⌊p·t + ½⌋``
    (``p = clip(gain·x + offset, 0, 1)``). The result's events are the
    delivered ones (a spike and a −1 correction at one step cancel).
    """
    if not code.kind.startswith("rate/"):
        raise ValidationError(f"compensate corrects a rate code, got {code.kind!r}")
    p = np.clip(gain * _values(x, clip) + offset, 0.0, 1.0)
    if p.shape != code.shape:
        raise ValidationError(f"x has shape {p.shape} but the code encodes shape {code.shape}")
    k = np.arange(1, code.steps + 1).reshape((code.steps,) + (1,) * p.ndim)
    target = np.floor(p * k + 0.5)  # delivered count after each step
    delivered = np.diff(target, axis=0, prepend=0.0)
    return SpikeCode.from_array(delivered, code.dt, "rate/compensated")
