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
point (a relative ``8·eps``, 8 to 16 ulps) *is* that grid point, so times
written as decimals (1.05 ms) land on the grid and add like the decimals they
are; any other input time is kept to the last bit.

Pairs are stored as two float64 arrays: ``k`` holds whole numbers (exact up
to 2**53 steps, 104 days at 1 ns; ``inf`` means never) and ``f`` the offset.
Comparisons are lexicographic (:func:`earlier`, :func:`before`). What users
see — records, traces, probes — is float ms, :meth:`TimeGrid.ms`: the exact
``k·h + f`` rounded once, with ``h`` the decimal it was written as, so grid
times print as the decimals they are (``1150000 · 1e-6 → 1.15``) and an input
time prints back as the float it was given.

Durations (delays, refractory periods) and the times of discrete networks
must be whole numbers of steps, within a relative ``1e-9`` and at most
``1e-6`` of a step (:data:`GRID_TOLERANCE`), which absorbs the float noise of
values such as ``0.1 + 0.2`` but not a deliberate offset (a delay of
``10**6 + 0.0001`` ms on a 1 ms grid is refused, not rounded).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np

from evsim._arrays import stable_float_order, stable_order
from evsim import validation as check
from evsim.errors import ValidationError

__all__ = [
    "RESOLUTION",
    "GRID_TOLERANCE",
    "MAX_STEPS",
    "TimeGrid",
    "before",
    "earlier",
    "earliest",
    "time_order",
]

RESOLUTION = 1e-6  # ms: the grid step of continuous-time networks (1 ns)
_CHUNK = 1 << 16  # times located at once (more only costs memory traffic)
GRID_TOLERANCE = 1e-9  # relative (at most 1e-6 of a step): a duration or discrete time this close is on the grid
MAX_STEPS = 2.0**53  # whole numbers of steps are exact in float64 below this
_MOST = 1e-6  # steps: the tolerance never exceeds this, however long the duration
_SNAP = 8 * np.finfo(float).eps  # relative: float noise of t / h; an input time this close to a grid point is on it

Describe = Callable[[int], str]


@dataclass(frozen=True)
class TimeGrid:
    """The grid of one network: step ``h`` ms, discrete (``dt``) or continuous (the resolution).

    Parameters
    ----------
    step : float
        ``h`` in ms, read as the decimal it was written as (``0.1`` is 1/10).
    discrete : bool
        Discrete networks only have times on the grid (offsets are 0).

    Examples
    --------
    >>> from evsim.timegrid import TimeGrid
    >>> grid = TimeGrid.of(0.1)
    >>> grid
    TimeGrid(step=0.1, discrete=True)
    >>> k, f = grid.locate([0.3, 1.1])
    >>> k.tolist(), grid.ms(k, f).tolist()
    ([3.0, 11.0], [0.3, 1.1])
    """

    step: float
    discrete: bool
    _num: int = field(init=False, repr=False)  # h = num / den exactly, the decimal written
    _den: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        exact = Fraction(repr(float(self.step)))
        object.__setattr__(self, "_num", exact.numerator)
        object.__setattr__(self, "_den", exact.denominator)
        if not self.discrete and (self._num != 1 or self._den >= 2**26):
            raise ValueError(f"a continuous time grid needs h = 1/n with n below 2**26, got h={self.step!r}")

    @classmethod
    def of(cls, dt: float | None) -> "TimeGrid":
        """The grid of a network with clock ``dt`` (``None``: continuous time on :data:`RESOLUTION`)."""
        if dt is None:
            return cls(RESOLUTION, False)
        return cls(check.real("dt", dt, owner="TimeGrid.of", minimum=0, exclusive_minimum=True), True)

    # -- ms -> grid ---------------------------------------------------------
    def steps(self, durations, describe: Describe) -> np.ndarray:
        """Durations as whole numbers of steps.

        Parameters
        ----------
        durations : array_like
            Durations in ms, each a multiple of ``h`` (within :data:`GRID_TOLERANCE`).
        describe : callable
            ``describe(i)`` starts the error message about the ``i``-th duration
            (``"synapse 'x' -> 'y' has delay"``).

        Returns
        -------
        ndarray
            Whole numbers of steps (float64), shaped like ``durations``.

        Raises
        ------
        ValidationError
            A duration that is not a multiple of the grid step.
        """
        durations = np.asarray(durations, float)
        s = self._in_steps(durations)
        k = np.rint(s)
        off = np.abs(s - k) > _tolerance(s)
        if off.any():
            i = int(np.flatnonzero(off.reshape(-1))[0])
            raise ValidationError(
                f"{describe(i)} {float(durations.reshape(-1)[i])!r} ms, not a multiple of {self._describe()}; "
                f"use a multiple of {self.step!r} ms"
            )
        return k

    def locate(self, times, describe: Describe = lambda i: "time") -> tuple[np.ndarray, np.ndarray]:
        """Times as ``(k, f)`` pairs on the grid.

        Parameters
        ----------
        times : array_like
            Times in ms, ``>= 0``. A discrete grid takes only grid times (within
            :data:`GRID_TOLERANCE`). A continuous grid takes any float: one
            within a relative ``8·eps`` of a grid point is that point; any other
            is ``k·h + f`` with ``f`` its exact offset, rounded once — so two
            times whose exact values are a whole number of steps apart get the
            same offset.
        describe : callable
            Starts the error message about the ``i``-th time.

        Returns
        -------
        k, f : ndarray
            Whole steps and offsets (ms, ``0 <= f < h``).

        Raises
        ------
        ValidationError
            Off-grid time on a discrete grid, or a time beyond :data:`MAX_STEPS` steps.
        """
        times = check.real_array("times", times, owner="TimeGrid.locate", minimum=0)
        if times.ndim == 1 and times.size > _CHUNK:  # in pieces that stay in cache: several times faster
            k, f = _in_pieces(times.size, lambda a, b: self._place(times[a:b], lambda j: describe(a + j)))
            return k, f
        return self._place(times, describe)

    def _place(self, times: np.ndarray, describe: Describe) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`locate` of checked times (finite, ``>= 0``, float64)."""
        if self.discrete:
            k = self.steps(times, describe)
            self._check_range(k, times, describe)
            return k, np.zeros(times.shape)
        p, e = _two_product(times, self._den)  # t/h = p + e exactly
        k = np.floor(p)
        k -= (p == k) & (e < 0)  # the true floor of p + e
        self._check_range(k, times, describe)
        r = (p - k) + e  # the fraction of a step past k
        down = r <= _SNAP * p  # within float noise of grid point k, or of k + 1
        up = 1.0 - r <= _SNAP * p
        k = np.where(up & ~down, k + 1, k)
        whole, residual = self._grid_point(k)  # k·h = whole + residual
        f = (times - whole) - residual  # t − whole is exact: the offset, rounded once
        return self._normalise(k, np.where(down | up, 0.0, f))

    def locate_one(self, time: float, what: str = "time") -> tuple[float, float]:
        """One time (ms) as a ``(k, f)`` tuple of floats (see :meth:`locate`)."""
        k, f = self.locate(np.array([time], float), lambda _: what)
        return float(k[0]), float(f[0])

    def boundary(self, time: float) -> tuple[float, float]:
        """The pair ``b`` with ``(k, f) < b`` exactly when ``k·h + f < time``: where a run ends.

        On a discrete grid ``time`` need not be a grid time. A time beyond
        :data:`MAX_STEPS` steps (or ``inf``) gives ``(inf, 0)``: the run ends
        when the events do.
        """
        if math.isinf(time) or self._in_steps(abs(time)) >= MAX_STEPS:
            return math.inf, 0.0
        if not self.discrete:
            return self.locate_one(time, "until")
        s = float(self._in_steps(time))
        return float(math.ceil(s - _tolerance(s))), 0.0

    def step_of(self, times) -> np.ndarray:
        """The step ``[k·h, (k+1)·h)`` that holds each time (ms), as integers.

        A time within :data:`GRID_TOLERANCE` below a step boundary counts as on
        it, so ``k·h`` computed in floats lands in step ``k`` (this is how an
        encoding's event times become the per-step arrays the deep runner reads).
        """
        s = self._in_steps(np.asarray(times, float))
        return np.floor(s + _tolerance(s)).astype(np.int64)

    # -- grid -> ms ---------------------------------------------------------
    def ms(self, k, f=0.0) -> np.ndarray:
        """``k·h + f`` in ms, rounded once from the exact value (``h`` the decimal written).

        So grid times are the nearest floats to their decimals (``1.15``, not
        ``1.1500000000000001``) and ``ms(*locate(t)) == t`` for an input time ``t``.
        """
        k = np.asarray(k, float)
        if k.ndim == 1 and k.size > _CHUNK:  # in cache-sized pieces, as in locate
            f = np.broadcast_to(f, k.shape)
            (ms,) = _in_pieces(k.size, lambda a, b: (self.ms(k[a:b], f[a:b]),))
            return ms
        if self._num != 1:  # a discrete grid such as dt = 0.3 or 2.5: no offsets
            return (k * self._num) / self._den + f
        whole, residual = self._grid_point(k)
        return whole + (residual + f)

    def elapsed(self, k, f, k0, f0) -> np.ndarray:
        """Duration in ms from ``(k0, f0)`` to ``(k, f)``: ``(k − k0)·h + (f − f0)`` (arrays)."""
        steps = k - k0
        if self._num != 1:  # (a multiplication by 1 changes nothing: skip it)
            steps = steps * self._num
        return steps / self._den + (f - f0)

    # -- moving along the grid ----------------------------------------------
    def advance(self, k, f, wait) -> tuple[np.ndarray, np.ndarray]:
        """``(k, f)`` plus ``wait`` ms, placed on the grid.

        Whole steps of ``f + wait`` are carried into ``k``; the rest is the new
        offset. The sum and the split use error-free transformations (Knuth's
        two-sum, Dekker's product), so the result is the exact time
        ``k·h + f + wait`` to within an ulp of the offset (1e-22 ms on the 1 ns
        grid), not of ``wait``: a crossing predicted from an off-grid anchor
        lands where exact arithmetic puts it. A positive wait always moves the
        time forward (by at least one ulp of the offset); ``inf``, or a wait
        beyond :data:`MAX_STEPS` steps, gives never (``k = inf``).
        """
        k, f, wait = (np.asarray(a, float) for a in (k, f, wait))
        if not wait.any():
            return k, f
        never = ~(wait < self.ms(MAX_STEPS))  # inf, nan or beyond the exact range
        wait = np.where(never, 0.0, wait)
        total = f + wait
        back = total - f
        error = (f - (total - back)) + (wait - back)  # f + wait = total + error, exactly
        p, q = _two_product(total, self._den)  # total/h = p + q, exactly
        carry = np.floor(p)
        fraction = (p - carry) + (q + error * self._den)  # of a step past k + carry
        low, high = fraction < 0, fraction >= 1
        carry = carry - low + high
        fraction = fraction + low - high
        k_new, f_new = self._normalise(k + carry, fraction / self._den)
        stuck = (k_new == k) & (f_new == f) & (wait > 0)  # a wait below an ulp of the offset
        if stuck.any():
            k_new, f_new = self._normalise(k_new, np.where(stuck, np.nextafter(f_new, np.inf), f_new))
        now = wait == 0  # exactly here: no rounding at all
        return (np.where(never, np.inf, np.where(now, k, k_new)),
                np.where(never, 0.0, np.where(now, f, f_new)))

    def sort_key(self, k, f) -> np.ndarray:
        """One float per time, ``k + f/h``: weakly monotone in ``(k, f)`` (ties need an exact check)."""
        if np.ndim(k) == 1 and np.size(k) > _CHUNK:  # in cache-sized pieces, as in locate
            (key,) = _in_pieces(k.size, lambda a, b: (self.sort_key(k[a:b], f[a:b]),))
            return key
        return k + f * self._den / self._num

    # -- helpers ------------------------------------------------------------
    def _grid_point(self, k):
        """``k·h = whole + residual`` (``h = 1/n``): ``whole`` correctly rounded, ``residual`` its error."""
        whole = k / self._den
        p, q = _two_product(whole, self._den)
        with np.errstate(invalid="ignore"):
            residual = np.where(np.isfinite(k), ((k - p) - q) / self._den, 0.0)
        return whole, residual

    def _in_steps(self, ms):
        return ms * self._den / self._num

    def _normalise(self, k, f):
        """Bring offsets that rounding pushed just outside ``[0, h)`` back inside."""
        low, high = f < 0, f >= self.step
        if low.any() or high.any():
            k = k + high - low
            f = np.where(low, f + self.step, np.where(high, f - self.step, f))
            f = np.clip(f, 0.0, np.nextafter(self.step, 0.0))
        return k, f

    def _check_range(self, k, times, describe: Describe) -> None:
        big = np.abs(k) >= MAX_STEPS
        if big.any():
            i = int(np.flatnonzero(big.reshape(-1))[0])
            raise ValidationError(
                f"{describe(i)} {float(times.reshape(-1)[i])!r} ms, beyond the longest time evsim "
                f"represents exactly on {self._describe()} ({float(self.ms(MAX_STEPS))!r} ms)"
            )

    def _describe(self) -> str:
        return f"dt={self.step!r} ms" if self.discrete else f"the time resolution {self.step!r} ms"


def _in_pieces(n: int, piece: Callable) -> list[np.ndarray]:
    """The arrays ``piece(0, n)`` would return, computed ``_CHUNK`` entries at a time.

    ``piece(a, b)`` returns a tuple of arrays for entries ``a:b``; each piece is
    written straight into its place in outputs allocated once (no list of parts
    to concatenate: on millions of times that halves the memory touched).
    """
    outputs = None
    for a in range(0, n, _CHUNK):
        parts = piece(a, min(a + _CHUNK, n))
        if outputs is None:
            outputs = [np.empty(n, part.dtype) for part in parts]
        for out, part in zip(outputs, parts):
            out[a:a + part.size] = part
    return outputs


def _tolerance(steps):
    """How far from a whole number of steps a value may be and still count as one.

    A relative :data:`GRID_TOLERANCE`, capped at ``1e-6`` of a step so that a
    deliberate offset is refused, but never below the float noise of the
    value itself (8 ulps), so that any duration written with as many decimals
    as the grid has stays on it however long it is.
    """
    a = np.abs(steps)
    return np.maximum(np.minimum(GRID_TOLERANCE * np.maximum(1.0, a), _MOST), _SNAP * a)


def _two_product(a, b: float):
    """``a·b = p + e`` exactly (Dekker's product; ``b`` a whole number below 2**26; ``a`` finite)."""
    p = a * b
    with np.errstate(invalid="ignore"):
        split = 134217729.0 * a  # 2**27 + 1: the high 26 bits of a, and the rest
        high = split - (split - a)
        low = a - high
        return p, (high * b - p) + low * b


def time_order(grid: TimeGrid, k: np.ndarray, f: np.ndarray, minor: np.ndarray | None = None,
               major: np.ndarray | None = None, shuffled: bool = False) -> np.ndarray:
    """Indices that sort events by ``(major, k, f, minor)``, then stably (``major``, ``minor``: whole numbers).

    Sorts by one float key ``k + f/h`` (weakly monotone in the pair: offsets
    are below one step) with a stable sort — NumPy's timsort, linear on a
    concatenation of a few already-sorted runs, which is what the engine hands
    it — then by ``major`` in 16-bit radix passes. Only where the key ties
    (equal times, or offsets closer than its rounding) are the tied events put
    in exact ``(k, f, minor)`` order, by a lexicographic sort of those alone.

    Parameters
    ----------
    grid : TimeGrid
        The grid the pairs are on (its step turns an offset into a fraction
        of a step).
    k, f : ndarray
        The events' times as ``(k, f)`` pairs (1-d, one length): whole steps
        (float64) and offsets (ms, ``0 <= f < h``).
    minor : ndarray or None, optional
        Whole numbers that order events at equal times (smaller first), such
        as synapse rows; ``None``: equal times keep their input order.
    major : ndarray or None, optional
        Integers ``>= 0`` ordered on before time, such as target neurons;
        ``None``: none.
    shuffled : bool, default False
        The events are far from sorted (many short runs, such as thousands
        of input trains end to end), so they are first put in order of a
        coarse bucket of the key by a radix pass, and only then sorted
        stably (:func:`~evsim._arrays.stable_float_order`): the same order,
        about twice as fast on such input.

    Returns
    -------
    ndarray
        Integer indices into ``k`` and ``f`` (a permutation) that put the
        events in that order.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.timegrid import TimeGrid, time_order
    >>> k, f = np.array([3.0, 1.0, 1.0, 2.0]), np.zeros(4)
    >>> time_order(TimeGrid.of(1.0), k, f).tolist()
    [1, 2, 3, 0]
    >>> time_order(TimeGrid.of(1.0), k, f, minor=np.array([0, 5, 2, 0])).tolist()
    [2, 1, 3, 0]
    """
    key = grid.sort_key(k, f)
    order = stable_float_order(key) if shuffled else np.argsort(key, kind="stable")
    if major is not None:
        order = order[stable_order(major[order])]
    key = key[order]
    tie = key[1:] == key[:-1]
    if major is not None:
        tie &= major[order][1:] == major[order][:-1]
    if not np.count_nonzero(tie):
        return order
    equal_times = np.array_equal(k[order][1:][tie], k[order][:-1][tie]) and np.array_equal(
        f[order][1:][tie], f[order][:-1][tie])
    if equal_times and (minor is None or (minor[order][1:][tie] > minor[order][:-1][tie]).all()):
        return order  # every tie is an equal time already in minor order: the stable order is the answer
    return _ties_in_order(order, tie, k, f, minor)


def _ties_in_order(order, tie, k, f, minor) -> np.ndarray:
    """``order`` with each run of tied keys (``tie[i]``: entries ``i``, ``i + 1`` tie) in exact order.

    Within a run: by ``(k, f, minor)``, then as the run stands (``order`` is
    stable, so that is input order).
    """
    tied = np.flatnonzero(np.concatenate(([False], tie)) | np.concatenate((tie, [False])))
    group = np.cumsum(~np.concatenate(([False], tie)))[tied]  # one number per run of tied keys
    sub = order[tied]
    keys = [f[sub], k[sub], group] if minor is None else [minor[sub], f[sub], k[sub], group]
    order[tied] = sub[np.lexsort(keys)]
    return order


def earliest(k: np.ndarray, f: np.ndarray) -> tuple[float, float]:
    """The earliest ``(k, f)`` of non-empty arrays (lexicographic minimum).

    Parameters
    ----------
    k, f : ndarray
        Times as ``(k, f)`` pairs: whole steps and offsets (ms), one length,
        at least one entry.

    Returns
    -------
    k, f : float
        The earliest pair: the smallest ``k``, and the smallest offset among
        the times at that step.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.timegrid import earliest
    >>> earliest(np.array([3.0, 2.0, 2.0]), np.array([0.0, 5e-7, 2.5e-7]))
    (2.0, 2.5e-07)
    """
    first = k.min()
    return float(first), float(f[k == first].min())


def earlier(k1, f1, k2, f2):
    """``(k1, f1) < (k2, f2)``, elementwise (lexicographic).

    Parameters
    ----------
    k1, f1 : ndarray or float
        The first times: whole steps and offsets (ms).
    k2, f2 : ndarray or float
        The times compared with, broadcast against the first.

    Returns
    -------
    ndarray of bool or bool
        Where the first time is strictly earlier.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.timegrid import earlier
    >>> earlier(np.array([1.0, 2.0, 2.0]), np.array([0.0, 0.0, 3e-7]), 2.0, 1e-7).tolist()
    [True, True, False]
    """
    return (k1 < k2) | ((k1 == k2) & (f1 < f2))


def before(k, f, end: tuple[float, float]):
    """``(k, f) < end`` for arrays against one time (just ``k < end_k`` when ``end`` is a grid point).

    Parameters
    ----------
    k, f : ndarray
        Times as ``(k, f)`` pairs: whole steps and offsets (ms).
    end : tuple of (float, float)
        One time ``(k, f)``, such as a window's end or
        :meth:`TimeGrid.boundary`.

    Returns
    -------
    ndarray of bool
        Where a time is strictly before ``end``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.timegrid import before
    >>> before(np.array([1.0, 2.0, 3.0]), np.zeros(3), (2.0, 0.0)).tolist()
    [True, False, False]
    >>> before(np.array([2.0, 2.0]), np.array([0.0, 3e-7]), (2.0, 1e-7)).tolist()
    [True, False]
    """
    if end[1] == 0.0:
        return k < end[0]
    return earlier(k, f, end[0], end[1])
