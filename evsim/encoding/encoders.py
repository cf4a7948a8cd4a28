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

from evsim import validation as check
from evsim.encoding.code import SpikeCode
from evsim.errors import ValidationError

__all__ = ["rate", "ttfs", "hybrid", "compensate", "ttfs_linear_step", "RATE_METHODS", "TTFS_CODES"]

RATE_METHODS = ("bernoulli", "poisson", "regular")
TTFS_CODES = ("linear", "log")
BYTES_PER_EVENT = 48  # index, time and value of an event, and the sort that orders them
BYTES_PER_CELL = 64  # a step × element cell of a dense code: draws, spikes, and its event if it fires


def _values(x, clip: bool, owner: str) -> np.ndarray:
    """``x`` as a float array in ``[0, 1]`` (clipped into it with ``clip=True``)."""
    clip = check.flag("clip", clip, owner=owner)
    if clip:
        return np.clip(check.real_array("x", x, owner=owner, allow_inf=True), 0.0, 1.0)
    try:
        return check.real_array("x", x, owner=owner, minimum=0.0, maximum=1.0)
    except ValidationError as error:
        raise ValidationError(f"{error}; scale the input or pass clip=True") from None


def _grid(steps, dt, owner: str, least: int = 1) -> tuple[int, float]:
    return (check.integer("steps", steps, owner=owner, minimum=least, maximum=2**53),
            check.real("dt", dt, owner=owner, minimum=0.0, exclusive_minimum=True))


def _probabilities(x: np.ndarray, gain, offset, owner: str) -> np.ndarray:
    """``p = clip(gain·x + offset, 0, 1)``."""
    gain, offset = check.real("gain", gain, owner=owner), check.real("offset", offset, owner=owner)
    return np.clip(gain * x + offset, 0.0, 1.0)


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

    Parameters
    ----------
    x : array_like of float
        Values in ``[0, 1]``, any shape.
    steps : int
        Number of steps, ``>= 1``.
    method : {"bernoulli", "poisson", "regular"}, optional
        Default ``"bernoulli"``.
    gain, offset : float, optional
        Map ``x`` to ``p`` as above (finite); default 1 and 0.
    max_rate : float, optional
        ``"poisson"`` only: the rate at ``p = 1`` in Hz (``>= 0``); default ``1000/dt``.
    dt : float, optional
        Step length in ms, ``> 0``; default 1.
    rng : None, int, Generator, BitGenerator or SeedSequence, optional
        The random source of ``"bernoulli"`` and ``"poisson"`` (``"regular"`` draws nothing); default
        ``None``, fresh entropy.
    clip : bool, optional
        ``True``: clip ``x`` into ``[0, 1]`` instead of refusing a value outside; default ``False``.

    Returns
    -------
    SpikeCode
        Spikes of value 1, kind ``"rate/bernoulli"``, ``"rate/poisson"`` (exact float times,
        ``exact_steps=False``) or ``"rate/regular"``.

    Raises
    ------
    ValidationError
        A value of ``x`` outside ``[0, 1]`` (without ``clip``) or NaN, ``steps`` not an integer ``>= 1``,
        ``method`` unknown, ``gain``, ``offset`` or ``dt`` refused, ``max_rate`` negative or given for another
        method, ``rng`` not a seed or generator, or ``clip`` not a bool.
    LimitError
        The code would need more memory than ``evsim.limits(memory=...)`` allows.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> x = np.array([0.25, 0.5, 1.0])
    >>> encoding.rate(x, steps=8, method="regular").to_inputs()
    {'x0': [1.0, 5.0], 'x1': [0.0, 2.0, 4.0, 6.0], 'x2': [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]}
    >>> encoding.decode_rate(encoding.rate(x, steps=8, rng=0)).tolist()   # Bernoulli: unbiased, noisy
    [0.375, 0.375, 1.0]
    """
    method = check.choice("method", method, RATE_METHODS, owner="rate")
    x, (steps, dt) = _values(x, clip, "rate"), _grid(steps, dt, "rate")
    p = _probabilities(x, gain, offset, "rate")
    if max_rate is not None and method != "poisson":
        raise ValidationError(f"rate: max_rate applies to method='poisson' only, got max_rate={max_rate!r} "
                              f"with method={method!r}")
    generator = check.generator(rng, owner="rate")
    if method == "poisson":
        return _poisson(p, steps, dt, max_rate, generator)
    check.require_budget("rate", f"a {method} code of {steps} steps × {x.size} elements",
                         BYTES_PER_CELL * float(steps) * x.size)
    if method == "bernoulli":
        spikes = generator.random((steps, *x.shape)) < p
        return SpikeCode.from_array(spikes, dt, "rate/bernoulli")
    k = np.arange(steps).reshape((steps,) + (1,) * x.ndim)
    spikes = np.floor(p * (k + 1) + 0.5) > np.floor(p * k + 0.5)
    return SpikeCode.from_array(spikes, dt, "rate/regular")


def _poisson(p: np.ndarray, steps: int, dt: float, max_rate: float | None, rng) -> SpikeCode:
    if max_rate is not None:
        max_rate = check.real("max_rate", max_rate, owner="rate", minimum=0.0)
    per_ms = p.reshape(-1) * (max_rate / 1000.0 if max_rate is not None else 1.0 / dt)
    duration = steps * dt
    expected = float(per_ms.sum()) * duration
    check.require_budget("rate", f"a Poisson code of about {expected:.3g} events",
                         BYTES_PER_EVENT * (expected + 10.0 * np.sqrt(expected)))
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

    Parameters
    ----------
    x : array_like of float
        Values in ``[0, 1]``, any shape.
    steps : int
        Number of steps, ``>= 1``; spikes fall in steps ``0 … steps−1``.
    code : {"linear", "log"}, optional
        Default ``"linear"``.
    threshold : float, optional
        Elements with ``x <= threshold`` send no spike; for ``"log"`` it must be ``> 0`` (the RC neuron's
        threshold). Default 0.
    tau : float, optional
        The log code's time constant in ms, ``> 0`` (unused by ``"linear"``); default 1.
    dt : float, optional
        Step length in ms, ``> 0``; default 1.
    continuous : bool, optional
        Keep exact float times; default ``False``.
    fire_last : bool, optional
        Make every element that would send no spike fire at the last step; default ``False``.
    clip : bool, optional
        ``True``: clip ``x`` into ``[0, 1]`` instead of refusing a value outside; default ``False``.

    Returns
    -------
    SpikeCode
        At most one spike (value 1) per element, kind ``"ttfs/linear"`` or ``"ttfs/log"``.

    Raises
    ------
    ValidationError
        A value of ``x`` outside ``[0, 1]`` (without ``clip``) or NaN, ``steps`` not an integer ``>= 1``,
        ``code`` unknown, ``threshold`` not a finite real number (``> 0`` for ``"log"``), ``tau`` or ``dt``
        not a finite number ``> 0``, or a flag not ``True`` or ``False``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> code = encoding.ttfs(np.array([1.0, 0.5, 0.0]), steps=5)    # larger values fire earlier; 0 never
    >>> code.to_inputs()
    {'x0': [0.0], 'x1': [2.0], 'x2': []}
    """
    code = check.choice("code", code, TTFS_CODES, owner="ttfs")
    x, (steps, dt) = _values(x, clip, "ttfs"), _grid(steps, dt, "ttfs")
    positive = dict(owner="ttfs", minimum=0.0, exclusive_minimum=True)
    threshold = check.real("threshold", threshold, **(positive if code == "log" else {"owner": "ttfs"}))
    tau = check.real("tau", tau, **positive)
    continuous = check.flag("continuous", continuous, owner="ttfs")
    fire_last = check.flag("fire_last", fire_last, owner="ttfs")
    fires = x > threshold
    if code == "linear":
        exact = (1.0 - x) * (steps - 1)  # in steps
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            exact = np.where(fires, tau * np.log(x / (x - threshold)), np.inf) / dt
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

    Parameters
    ----------
    x : array_like of float
        Values in ``[0, 1]``, any shape.
    steps : int
        Number of steps, ``>= 2``.
    threshold : float, optional
        Elements with ``x <= threshold`` send no spike; default 0.
    dt : float, optional
        Step length in ms, ``> 0``; default 1.
    clip : bool, optional
        ``True``: clip ``x`` into ``[0, 1]`` instead of refusing a value outside; default ``False``.

    Returns
    -------
    SpikeCode
        Kind ``"hybrid"``: analog events (value ``x``) at time 0, spikes (value 1) after.

    Raises
    ------
    ValidationError
        A value of ``x`` outside ``[0, 1]`` (without ``clip``) or NaN, ``steps`` not an integer ``>= 2``,
        ``threshold`` not a finite real number, ``dt`` not a finite number ``> 0``, or ``clip`` not a bool.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> code = encoding.hybrid(np.array([0.25, 0.75]), steps=4)    # the value at step 0, then one spike
    >>> code.to_inputs()
    {'x0': Analog(times=[0.0, 3.0], values=[0.25, 1.0]), 'x1': Analog(times=[0.0, 2.0], values=[0.75, 1.0])}
    """
    x, (steps, dt) = _values(x, clip, "hybrid"), _grid(steps, dt, "hybrid", least=2)
    threshold = check.real("threshold", threshold, owner="hybrid")
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

    Parameters
    ----------
    code : SpikeCode
        A rate code (kind ``"rate/…"``).
    x : array_like of float
        The values it encodes, in ``[0, 1]`` and of the code's shape.
    gain, offset : float, optional
        As given to :func:`rate` (finite); default 1 and 0.
    clip : bool, optional
        ``True``: clip ``x`` into ``[0, 1]`` instead of refusing a value outside; default ``False``.

    Returns
    -------
    SpikeCode
        Kind ``"rate/compensated"``, on whole steps, values 1. Since the delivered counts are fixed, it depends
        on ``code`` only through its shape, ``steps`` and ``dt``: its events are those of
        ``rate(x, code.steps, method="regular", gain=gain, offset=offset, dt=code.dt, clip=clip)``.

    Raises
    ------
    ValidationError
        ``code`` not a rate ``SpikeCode``, a value of ``x`` outside ``[0, 1]`` (without ``clip``) or NaN,
        ``x`` not of the code's shape, or ``gain``, ``offset`` or ``clip`` refused.
    LimitError
        The code would need more memory than ``evsim.limits(memory=...)`` allows.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> x = np.array([0.25, 0.5, 1.0])
    >>> noisy = encoding.rate(x, steps=8, rng=0)
    >>> encoding.decode_rate(noisy).tolist(), encoding.decode_rate(encoding.compensate(noisy, x)).tolist()
    ([0.375, 0.375, 1.0], [0.25, 0.5, 1.0])
    """
    check.instance("code", code, SpikeCode, owner="compensate")
    if not code.kind.startswith("rate/"):
        raise ValidationError(f"compensate: code must be a rate code (kind 'rate/…'), got kind {code.kind!r}")
    p = _probabilities(_values(x, clip, "compensate"), gain, offset, "compensate")
    if p.shape != code.shape:
        raise ValidationError(f"compensate: x must have the code's shape {code.shape}, got shape {p.shape}")
    check.require_budget("compensate", f"a code of {code.steps} steps × {p.size} elements",
                         BYTES_PER_CELL * float(code.steps) * p.size)
    k = np.arange(1, code.steps + 1).reshape((code.steps,) + (1,) * p.ndim)
    target = np.floor(p * k + 0.5)  # delivered count after each step
    delivered = np.diff(target, axis=0, prepend=0.0)
    return SpikeCode.from_array(delivered, code.dt, "rate/compensated")
