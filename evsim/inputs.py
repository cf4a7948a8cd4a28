"""Input trains: validating what a user feeds, and releasing it window by window.

``inputs`` maps an input neuron's name to its spike times (ms) — a number or
a 1-d sequence; a tuple is a sequence of times too, so ``(0, 1)`` is two
spikes — or to :class:`Analog` events ``Analog(times, values)`` whose real
value multiplies the weight of every outgoing synapse. :func:`normalise_inputs` turns it into parallel
arrays on the network's time grid (:meth:`~evsim.timegrid.TimeGrid.locate`),
checked all trains at once. An :class:`InputQueue` wires them once, when they
are fed: each input spike becomes its synaptic arrivals right away
(:meth:`~evsim.compile.Plan.fan_out`), and the simulator releases, window by
window, the spikes (for the record) and the arrivals (for delivery) before the
window's end — input spikes are never heap entries and never routed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence, Union

import numpy as np

from evsim.errors import SchedulingError, ValidationError
from evsim.events import Arrivals, Spikes
from evsim._arrays import some
from evsim.timegrid import TimeGrid, earlier, time_order

__all__ = ["Analog", "InputsLike", "InputQueue", "normalise_inputs", "train_events"]


@dataclass(frozen=True, eq=False)
class Analog:
    """Analog input events: at ``times[i]`` (ms) the input neuron sends the real value ``values[i]``.

    A value multiplies the weight of every outgoing synapse (a spike is the
    value 1). Plain sequences of numbers are always spike *times*; this type
    is the one way to send values, so ``(0, 1)`` is never misread as one event.

    Nothing is checked here: the times and values are checked when they are
    fed (:meth:`evsim.Simulator.feed`, :func:`evsim.simulate`), as spike
    times are.

    Parameters
    ----------
    times : sequence of float
        Event times in ms: a number or a sequence of numbers, finite, not
        before the time they are fed at, on distinct instants of the grid
        (in any order: they are sorted with their values when fed).
    values : sequence of float
        One finite real value per time.

    Examples
    --------
    >>> Analog([0.0, 2.0], [0.5, -1.0])
    Analog(times=[0.0, 2.0], values=[0.5, -1.0])
    """

    times: Sequence[float]
    values: Sequence[float]

    def __repr__(self) -> str:
        times, values = (np.asarray(a, float).reshape(-1).tolist() for a in (self.times, self.values))
        return f"Analog(times={times}, values={values})"  # (plain floats: the repr NumPy 2 gives its scalars is long)


InputsLike = Mapping[str, Union[Sequence[float], float, Analog]]


def train_events(train) -> tuple[list[float], list[float]]:
    """``(times, values)`` of one train as lists: spike times get the value 1 (for the slow paths)."""
    if isinstance(train, Analog):
        return [float(t) for t in np.reshape(train.times, -1)], [float(v) for v in np.reshape(train.values, -1)]
    times = np.reshape(np.asarray(train, float), -1)
    return times.tolist(), [1.0] * times.size


def normalise_inputs(inputs: InputsLike, index: Mapping[str, int], input_names, grid: TimeGrid, now: float) -> Spikes:
    """The input events as :class:`~evsim.events.Spikes` on ``grid``, in time order.

    Ties keep the order of the mapping, and each train's own order.

    Raises
    ------
    ValidationError
        Unknown or non-input neuron, non-finite or off-grid times, duplicate
        times in one train, values that do not match the times.
    SchedulingError
        A time before ``now`` (ms).
    """
    if not isinstance(inputs, Mapping):
        raise ValidationError(f"inputs must map input-neuron names to spike times, got {type(inputs).__name__}")
    names, times, values = [], [], []
    for name, train in inputs.items():
        if name not in input_names:
            kind = "a non-input neuron" if name in index else "not a neuron of the network"
            raise ValidationError(
                f"inputs names {name!r}, which is {kind}; accepted: the input neurons {sorted(input_names)}"
            )
        t, v = _split(name, train)
        names.append(name)
        times.append(t)
        values.append(v)
    if not names:
        return Spikes.none()
    sizes = [t.size for t in times]
    owner = np.repeat(np.arange(len(names), dtype=np.int32), sizes)  # which train each time belongs to
    times = np.concatenate(times)
    values = np.concatenate([np.ones(n) if v is None else v for v, n in zip(values, sizes)]) if any(
        v is not None for v in values) else None  # (None: spikes only, every value 1)
    if ((times[1:] < times[:-1]) & (owner[1:] == owner[:-1])).any():  # some train is not sorted
        order = np.lexsort((times, owner))
        times, values = times[order], None if values is None else values[order]
    _check_times(names, owner, times, now)
    k, f = grid.locate(times, lambda i: f"input {names[owner[i]]!r} has time")  # all trains at once
    _check_distinct_instants(names, owner, times, k, f)
    order = time_order(grid, k, f, shuffled=len(names) > 1)  # trains end to end: many sorted runs
    neurons = np.array([index[name] for name in names], np.int64)[owner[order]]
    return Spikes(neurons, k[order], f[order], np.ones(order.size) if values is None else values[order])


def _check_times(names, owner: np.ndarray, times: np.ndarray, now: float) -> None:
    """Every time finite, none before ``now``, none twice in one (sorted) train."""
    bad = ~np.isfinite(times)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValidationError(f"input {names[owner[i]]!r}: time {float(times[i])!r} is not finite")
    early = times < now
    if early.any():
        i = int(np.flatnonzero(early)[0])
        raise SchedulingError(
            f"input {names[owner[i]]!r}: time {float(times[i])!r} ms is before the current time {now!r} ms; "
            f"feed only times >= now"
        )
    twice = (times[1:] == times[:-1]) & (owner[1:] == owner[:-1])
    if twice.any():
        i = int(np.flatnonzero(twice)[0])
        raise ValidationError(
            f"input {names[owner[i]]!r}: time {float(times[i])!r} ms appears twice; an input neuron "
            f"fires at most once per instant (use an analog value to send more)"
        )


def _check_distinct_instants(names, owner: np.ndarray, times: np.ndarray, k: np.ndarray, f: np.ndarray) -> None:
    """Each train's (sorted) times must fall on distinct instants of the grid (placing them keeps their order)."""
    twice = (owner[1:] == owner[:-1]) & (k[1:] == k[:-1]) & (f[1:] == f[:-1])
    if twice.any():
        i = int(np.flatnonzero(twice)[0])
        raise ValidationError(
            f"input {names[owner[i]]!r}: times {float(times[i])!r} and {float(times[i + 1])!r} ms are the same "
            f"instant on the time grid; an input neuron fires at most once per instant (use an analog value to "
            f"send more)"
        )


class InputQueue:
    """Fed input spikes and their synaptic arrivals, each in time order, until released.

    Parameters
    ----------
    plan : Plan
        The compiled network: its grid, and the fan-out that wires a spike to its arrivals.
    """

    def __init__(self, plan) -> None:
        self._plan = plan
        self._spikes = Spikes.none()
        self._arrivals = Arrivals.none()
        self._spikes_out = self._arrivals_out = 0  # how many rows of each have been released

    def add(self, spikes: Spikes) -> None:
        """Queue new (time-sorted) spikes and wire them (ties: the ones already queued first)."""
        grid = self._plan.grid
        unit = not some(spikes.value != 1.0)  # plain spikes: each arrival's value is its weight (1.0·w == w)
        wired = _merged(Arrivals, [self._plan.fan_out(spikes, unit=unit)], grid)
        self._spikes = _merged(Spikes, [_rows(self._spikes, self._spikes_out), spikes], grid)
        self._arrivals = _merged(Arrivals, [_rows(self._arrivals, self._arrivals_out), wired], grid)
        self._spikes_out = self._arrivals_out = 0

    def next_time(self) -> tuple[float, float]:
        """``(k, f)`` of the next spike or arrival, ``(inf, 0)`` if none."""
        return min(_time_at(self._spikes, self._spikes_out), _time_at(self._arrivals, self._arrivals_out))

    def time_of(self, i: int) -> tuple[float, float] | None:
        """``(k, f)`` of the ``i``-th pending arrival, if there is one."""
        i += self._arrivals_out
        return _time_at(self._arrivals, i) if i < self._arrivals.size else None

    def release(self, end: tuple[float, float]) -> tuple[Spikes, Arrivals]:
        """Every spike and every arrival with time ``< end`` not released yet."""
        spikes, self._spikes_out = _release(self._spikes, self._spikes_out, end)
        arrivals, self._arrivals_out = _release(self._arrivals, self._arrivals_out, end)
        return spikes, arrivals


def _merged(kind, chunks, grid: TimeGrid):
    """The rows of ``chunks``, in time order (stable: ties keep their order; linear on sorted chunks)."""
    rows = kind.concat(chunks)
    if not some(earlier(rows.k[1:], rows.f[1:], rows.k[:-1], rows.f[:-1])):
        return rows  # already in time order (so are zero-delay arrivals of time-sorted spikes)
    order = time_order(grid, rows.k, rows.f)
    return kind(*(a[order] for a in rows))


def _rows(rows, start: int):
    """The rows of parallel arrays from ``start`` on."""
    return type(rows)(*(a[start:] for a in rows)) if start else rows


def _time_at(rows, i: int) -> tuple[float, float]:
    return (float(rows.k[i]), float(rows.f[i])) if i < rows.size else (np.inf, 0.0)


def _release(rows, start: int, end: tuple[float, float]):
    """``(rows[start:cut], cut)``: the rows of time-sorted arrays from ``start`` up to time ``end``."""
    if end[1] == 0.0:  # a grid point: the whole steps decide
        cut = int(np.searchsorted(rows.k, end[0], "left"))
    else:
        lo, hi = np.searchsorted(rows.k, end[0], "left"), np.searchsorted(rows.k, end[0], "right")
        cut = int(lo + np.searchsorted(rows.f[lo:hi], end[1], "left"))
    cut = max(cut, start)
    if cut == start:
        return type(rows).none(), start
    return type(rows)(*(a[start:cut] for a in rows)), cut


def _split(name: str, train) -> tuple[np.ndarray, np.ndarray | None]:
    if isinstance(train, Analog):
        times, values = (a.reshape(-1) for a in _as_arrays(name, (train.times, train.values)))
        if times.size != values.size:
            raise ValidationError(
                f"input {name!r}: {times.size} times but {values.size} values; give one value per time"
            )
        if not np.isfinite(values).all():
            raise ValidationError(f"input {name!r}: value {float(values[~np.isfinite(values)][0])!r} is not finite")
        return times, values
    (times,) = _as_arrays(name, (train,))
    if times.ndim > 1:
        raise ValidationError(
            f"input {name!r} must be spike times (a number or a 1-d sequence) or "
            f"evsim.Analog(times, values), got an array of shape {times.shape}; for analog events "
            f"write evsim.Analog(times, values)"
        )
    return times.reshape(-1), None  # (spikes: every value 1)


def _as_arrays(name: str, parts):
    arrays = []
    for part in parts:
        try:
            array = np.asarray(part)
        except ValueError:  # ragged
            raise ValidationError(f"input {name!r} must be numbers, got {part!r}") from None
        if array.dtype.kind not in "iuf":
            raise ValidationError(
                f"input {name!r} must be real numbers (not bools, strings or objects), got {part!r}"
            )
        arrays.append(array.astype(float, copy=False))  # (read only: the trains are concatenated, not kept)
    return arrays
