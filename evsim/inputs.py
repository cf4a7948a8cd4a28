"""Input trains: validating what a user feeds, and releasing it window by window.

``inputs`` maps an input neuron's name to its spike times (ms), or to a pair
``(times, values)`` for analog events whose real value multiplies the weight
of every outgoing synapse. :func:`normalise_inputs` turns it into parallel
arrays on the network's time grid (:meth:`~evsim.timegrid.TimeGrid.locate`),
sorted by time (ties keep the order of the mapping); an :class:`InputQueue`
holds them until the simulator releases them — input spikes are never heap
entries.
"""

from __future__ import annotations

from typing import Mapping, Sequence, Union

import numpy as np

from evsim.errors import SchedulingError, ValidationError
from evsim.events import Spikes
from evsim.timegrid import TimeGrid, time_order

__all__ = ["InputsLike", "InputQueue", "normalise_inputs"]

InputsLike = Mapping[str, Union[Sequence[float], tuple]]


def normalise_inputs(inputs: InputsLike, index: Mapping[str, int], input_names, grid: TimeGrid, now: float) -> Spikes:
    """The input events as :class:`~evsim.events.Spikes` on ``grid``, sorted by time.

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
    names, trains = [], []
    for name, train in inputs.items():
        if name not in input_names:
            kind = "a non-input neuron" if name in index else "not a neuron of the network"
            raise ValidationError(
                f"inputs names {name!r}, which is {kind}; inputs: {sorted(input_names)}"
            )
        times, values = _split(name, train)
        order = np.argsort(times, kind="stable")
        times, values = times[order], values[order]
        _check_times(name, times, now)
        names.append(name)
        trains.append((times, values))
    if not trains:
        return Spikes.none()
    sizes = [times.size for times, _ in trains]
    owner = np.repeat(np.arange(len(names)), sizes)  # which train each time belongs to
    times = np.concatenate([t for t, _ in trains])
    k, f = grid.locate(times, lambda i: f"input {names[owner[i]]!r} has time")  # all trains at once
    _check_distinct_instants(names, owner, times, k, f)
    neurons = np.array([index[name] for name in names], np.int64)[owner]
    return spikes_sorted(Spikes(neurons, k, f, np.concatenate([v for _, v in trains])), grid)


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


def spikes_sorted(spikes: Spikes, grid: TimeGrid) -> Spikes:
    """``spikes`` in time order; ties keep their order (stable)."""
    order = time_order(grid, spikes.k, spikes.f)
    return Spikes(*(a[order] for a in spikes))


class InputQueue:
    """Input events not yet released, in time order; :meth:`release` hands out those before a time."""

    def __init__(self, grid: TimeGrid) -> None:
        self._grid = grid
        self._pending = Spikes.none()

    def add(self, spikes: Spikes) -> None:
        """Merge new (time-sorted) events in (ties: the ones already queued first)."""
        if not self._pending.size:
            self._pending = spikes
        else:
            self._pending = spikes_sorted(Spikes.concat([self._pending, spikes]), self._grid)

    def next_time(self) -> tuple[float, float]:
        """``(k, f)`` of the next event, ``(inf, 0)`` if none."""
        if not self._pending.size:
            return np.inf, 0.0
        return float(self._pending.k[0]), float(self._pending.f[0])

    def time_of(self, i: int) -> tuple[float, float] | None:
        """``(k, f)`` of the ``i``-th pending event, if there is one."""
        if i >= self._pending.size:
            return None
        return float(self._pending.k[i]), float(self._pending.f[i])

    def release(self, end: tuple[float, float]) -> Spikes:
        """Remove and return every event with time ``< end``."""
        k, f = self._pending.k, self._pending.f
        lo, hi = np.searchsorted(k, end[0], "left"), np.searchsorted(k, end[0], "right")
        cut = int(lo + np.searchsorted(f[lo:hi], end[1], "left"))
        if cut == 0:
            return Spikes.none()
        released = Spikes(*(a[:cut] for a in self._pending))
        self._pending = Spikes(*(a[cut:] for a in self._pending))
        return released


def _split(name: str, train) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(train, tuple) and len(train) == 2:
        times, values = (np.asarray(a, dtype=float).reshape(-1) for a in _as_arrays(name, train))
        if times.size != values.size:
            raise ValidationError(
                f"input {name!r}: {times.size} times but {values.size} values; give one value per time"
            )
        if not np.isfinite(values).all():
            raise ValidationError(f"input {name!r}: value {float(values[~np.isfinite(values)][0])!r} is not finite")
        return times, values
    (times,) = _as_arrays(name, (train,))
    times = np.asarray(times, float).reshape(-1)
    return times, np.ones(times.size)


def _as_arrays(name: str, parts):
    try:
        return [np.asarray(p, dtype=float) for p in parts]
    except (TypeError, ValueError):
        raise ValidationError(f"input {name!r}: expected numbers, got {parts!r}") from None


def _check_times(name: str, times: np.ndarray, now: float) -> None:
    """``times`` (sorted) are finite, not before ``now`` and distinct."""
    if not np.isfinite(times).all():
        raise ValidationError(f"input {name!r}: time {float(times[~np.isfinite(times)][0])!r} is not finite")
    if times.size and times[0] < now:
        raise SchedulingError(
            f"input {name!r}: time {float(times[0])!r} ms is before the current time {now!r} ms"
        )
    twice = np.flatnonzero(times[1:] == times[:-1])
    if twice.size:
        raise ValidationError(
            f"input {name!r}: time {float(times[twice[0]])!r} ms appears twice; an input neuron "
            f"fires at most once per instant (use an analog value to send more)"
        )

