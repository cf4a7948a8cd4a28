"""Model time on a grid: a whole number of steps plus an offset inside the step.

Every network has a time grid of step ``h``: its clock ``dt`` if it is
discrete, :data:`RESOLUTION` (1 ns = 1e-6 ms) if it runs in continuous time.
Delays and refractory periods are whole numbers of steps. An event time is a
pair ``(k, f)``::

    t = k·h + f,    k a whole number of steps,  0 <= f < h  (ms)

Delays add to ``k`` only, so arrivals that coincide in exact arithmetic —
two paths whose delays add up to the same total, or a spike at the end of a
refractory period that began with a coincident spike — coincide here too:
their offsets are copies of one float, never sums of different ones. (With
times as single floats, ``(1.05 + 0.1) + 0.1 != 1.05 + 0.2`` and such
coincidences break by an ulp.)

The offset is nonzero only where a time is not on the grid: a user's input
time that is not a multiple of ``h`` (kept to the last bit), or a threshold
crossing found in closed form. An input time within float noise of a grid
point (8 ulps) *is* that grid point, so times written as decimals (1.05 ms)
land on the grid and add like the decimals they are.

Pairs are stored as two float64 arrays: ``k`` holds whole numbers (exact up
to 2**53 steps, 104 days at 1 ns; ``inf`` means never) and ``f`` the offset.
Comparisons are lexicographic (:func:`earlier`, :func:`same`). What users
see — records, traces, probes — is float ms, :meth:`TimeGrid.ms`, computed
as ``k / (1/h) + f`` where ``1/h`` is a whole number, so grid times print as
the decimals they are (``1150000 / 1e6 == 1.15``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from evsim._arrays import stable_order
from evsim.errors import ValidationError

__all__ = [
    "RESOLUTION",
    "GRID_TOLERANCE",
    "MAX_STEPS",
    "TimeGrid",
    "before",
    "earlier",
    "same",
    "time_order",
    "step_index",
]

RESOLUTION = 1e-6  # ms: the grid step of continuous-time networks (1 ns)
GRID_TOLERANCE = 1e-9  # relative: a delay, period or discrete time this close to a grid point is on it
MAX_STEPS = 2.0**53  # whole numbers of steps are exact in float64 below this
_SNAP = 8 * np.finfo(float).eps  # relative: float noise of t / h; a time this close to a grid point is on it


@dataclass(frozen=True)
class TimeGrid:
    """The grid of one network: step ``h`` ms, discrete (dt) or continuous (resolution).

    Parameters
    ----------
    step : float
        ``h`` in ms.
    discrete : bool
        Discrete networks only have times on the grid (offsets are 0).
    """

    step: float
    discrete: bool
    per_ms: float | None = field(init=False, repr=False)  # 1/h where that is a whole number

    def __post_init__(self) -> None:
        inverse = round(1.0 / self.step)
        exact = inverse >= 1 and abs(1.0 / self.step - inverse) <= GRID_TOLERANCE * inverse
        object.__setattr__(self, "per_ms", float(inverse) if exact else None)
        if not self.discrete and (self.per_ms is None or self.per_ms >= 2.0**26):
            raise ValueError(f"a continuous time grid needs 1/h a whole number below 2**26, got h={self.step!r}")

    @classmethod
    def of(cls, dt: float | None) -> "TimeGrid":
        """The grid of a network with clock ``dt`` (``None``: continuous time)."""
        return cls(RESOLUTION, False) if dt is None else cls(float(dt), True)

    # -- ms -> grid ---------------------------------------------------------
    def steps(self, durations, describe) -> np.ndarray:
        """Durations (ms) as whole numbers of steps; each must be a multiple of ``h``.

        ``describe(i)`` starts the error message about the ``i``-th duration
        (``"synapse 'x' -> 'y' has delay"``).

        Raises
        ------
        ValidationError
            A duration that is not a multiple of the grid step.
        """
        s = self._in_steps(np.asarray(durations, float))
        k = np.rint(s)
        off = np.abs(s - k) > GRID_TOLERANCE * np.maximum(1.0, np.abs(s))
        if off.any():
            i = int(np.flatnonzero(off.reshape(-1))[0])
            value = float(np.asarray(durations, float).reshape(-1)[i])
            raise ValidationError(
                f"{describe(i)} {value!r} ms, not a multiple of {self._describe()}; "
                f"use a multiple of {self.step!r} ms"
            )
        return k

    def locate(self, times, describe=lambda i: "time") -> tuple[np.ndarray, np.ndarray]:
        """Times (ms) as ``(k, f)`` pairs.

        Discrete grids take only grid times (within :data:`GRID_TOLERANCE`);
        continuous grids take any float: a time within 8 ulps of a grid point
        is that point; any other is ``k·h + f`` with ``f`` the exact offset of
        the float's exact value, rounded (so two times whose exact values are
        a whole number of steps apart get the same offset).

        Raises
        ------
        ValidationError
            Off-grid time on a discrete grid, or a time too large to represent exactly.
        """
        times = np.asarray(times, float)
        if self.discrete:
            return self.steps(times, describe), np.zeros(times.shape)
        p, e = _two_product(times, self.per_ms)  # t/h = p + e exactly
        k = np.floor(p)
        k -= (p == k) & (e < 0)  # the true floor of p + e
        self._check_range(k, times, describe)
        r = (p - k) + e  # the exact fraction of a step past k, rounded once: the same for the same exact value
        down = r <= _SNAP * p  # within float noise of grid point k, or of k + 1
        up = 1.0 - r <= _SNAP * p
        k = np.where(up & ~down, k + 1, k)
        f = np.where(down | up, 0.0, r / self.per_ms)
        return self._normalise(k, f)

    def boundary(self, time: float) -> tuple[float, float]:
        """The pair ``b`` with ``(k, f) < b`` exactly when ``k·h + f < time`` (the end of a run).

        ``inf`` gives ``(inf, 0)``; on a discrete grid ``time`` need not be a grid time.
        """
        if math.isinf(time):
            return float(time), 0.0
        if not self.discrete:
            return self.locate_one(time, "until")
        s = float(self._in_steps(time))
        k = np.array([math.ceil(s - GRID_TOLERANCE * max(1.0, abs(s)))], float)
        self._check_range(k, np.array([time]), lambda _: "until")
        return float(k[0]), 0.0

    def locate_one(self, time: float, what: str = "time") -> tuple[float, float]:
        """One time (ms) as a ``(k, f)`` tuple of floats."""
        k, f = self.locate(np.array([time], float), lambda _: what)
        return float(k[0]), float(f[0])

    # -- grid -> ms ---------------------------------------------------------
    def ms(self, k, f=0.0):
        """``k·h + f`` in ms (``k / (1/h) + f`` where ``1/h`` is whole, so grid times are exact decimals)."""
        k = np.asarray(k, float)
        whole = k / self.per_ms if self.per_ms is not None else k * self.step
        return whole + f

    def elapsed(self, k, f, k0, f0):
        """Duration in ms from ``(k0, f0)`` to ``(k, f)``: ``(k − k0)·h + (f − f0)`` (arrays)."""
        steps = k - k0
        whole = steps / self.per_ms if self.per_ms is not None else steps * self.step
        return whole + (f - f0)

    # -- moving along the grid ----------------------------------------------
    def advance(self, k, f, wait):
        """``(k, f)`` plus ``wait`` ms (``inf`` gives never): whole steps move to ``k``, the rest stays in ``f``."""
        k, f, wait = (np.asarray(a, float) for a in (k, f, wait))
        if not wait.any():
            return k, f
        total = f + wait
        with np.errstate(invalid="ignore"):
            carry = np.floor(self._in_steps(total))
        never = ~np.isfinite(total)
        carry = np.where(never, 0.0, carry)
        k_new = np.where(never, np.inf, k + carry)
        f_new = np.where(never, 0.0, total - self.ms(carry))
        k_new, f_new = self._normalise(k_new, f_new)
        now = wait == 0  # exactly here: no rounding at all
        return np.where(now, k, k_new), np.where(now, f, f_new)

    def sort_key(self, k, f):
        """One float per time, ``k + f/h``: weakly monotone in ``(k, f)`` (ties need an exact check)."""
        return k + (f * self.per_ms if self.per_ms is not None else f / self.step)

    # -- helpers ------------------------------------------------------------
    def _in_steps(self, ms):
        return ms * self.per_ms if self.per_ms is not None else ms / self.step

    def _normalise(self, k, f):
        """Bring offsets that rounding pushed just outside ``[0, h)`` back inside."""
        low, high = f < 0, f >= self.step
        if low.any() or high.any():
            k = k + high - low
            f = np.where(low, f + self.step, np.where(high, f - self.step, f))
            f = np.clip(f, 0.0, np.nextafter(self.step, 0.0))
        return k, f

    def _check_range(self, k, times, describe) -> None:
        big = np.abs(k) >= MAX_STEPS
        if big.any():
            i = int(np.flatnonzero(big.reshape(-1))[0])
            raise ValidationError(
                f"{describe(i)} {float(times.reshape(-1)[i])!r} ms is beyond the longest time evsim "
                f"represents exactly on {self._describe()} ({float(self.ms(MAX_STEPS))!r} ms)"
            )

    def _describe(self) -> str:
        return f"dt={self.step!r} ms" if self.discrete else f"the time resolution {self.step!r} ms"


def _two_product(a: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    """``a·b = p + e`` exactly (Dekker's product; ``b`` a whole number below 2**26)."""
    p = a * b
    split = 134217729.0 * a  # 2**27 + 1: the high 26 bits of a, and the rest
    high = split - (split - a)
    low = a - high
    return p, (high * b - p) + low * b


def time_order(grid: "TimeGrid", k, f, minor=None) -> np.ndarray:
    """Indices that sort events by ``(k, f)``, then by ``minor`` (whole numbers), then stably.

    Sorts by one float key ``k + f/h`` (weakly monotone in the pair: offsets
    are below one step); where that key ties two different times — offsets
    closer than its rounding — it falls back to an exact lexicographic sort.
    """
    order = np.arange(k.size) if minor is None else stable_order(minor)
    key = grid.sort_key(k, f)
    order = order[np.argsort(key[order], kind="stable")]
    key = key[order]
    tie = np.flatnonzero(key[1:] == key[:-1])
    if tie.size and not (np.array_equal(k[order[tie]], k[order[tie + 1]])
                         and np.array_equal(f[order[tie]], f[order[tie + 1]])):
        return np.lexsort((f, k)) if minor is None else np.lexsort((minor, f, k))
    return order


def earlier(k1, f1, k2, f2):
    """``(k1, f1) < (k2, f2)``, elementwise (lexicographic)."""
    return (k1 < k2) | ((k1 == k2) & (f1 < f2))


def before(k, f, end: tuple[float, float]):
    """``(k, f) < end`` for arrays against one time (just ``k < end_k`` when ``end`` is a grid point)."""
    if end[1] == 0.0:
        return k < end[0]
    return earlier(k, f, end[0], end[1])


def same(k1, f1, k2, f2):
    """``(k1, f1) == (k2, f2)``, elementwise."""
    return (k1 == k2) & (f1 == f2)


def step_index(times, dt: float) -> np.ndarray:
    """The step ``[k·dt, (k+1)·dt)`` that holds each time (ms), as integers.

    A time within :data:`GRID_TOLERANCE` below a step boundary counts as on it,
    so ``k·dt`` computed in floats lands in step ``k``.
    """
    s = np.asarray(times, float) / dt
    return np.floor(s + GRID_TOLERANCE * np.maximum(1.0, np.abs(s))).astype(np.int64)
