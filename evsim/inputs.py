"""Validate and normalise the ``inputs`` a user feeds to a simulation.

``inputs`` maps an input neuron's name to its spike times (ms), or to a pair
``(times, values)`` for analog events whose real value multiplies the weight
of every outgoing synapse. The result is three parallel arrays, sorted by
time (ties keep the order of the mapping), in the plan's time units.
"""

from __future__ import annotations

from typing import Mapping, Sequence, Union

import numpy as np

from evsim.errors import SchedulingError, ValidationError

__all__ = ["InputsLike", "normalise_inputs"]

InputsLike = Mapping[str, Union[Sequence[float], tuple]]
_GRID_TOLERANCE = 1e-9


def normalise_inputs(inputs: InputsLike, index: Mapping[str, int], input_names, dt: float | None, now: float):
    """Return ``(times, neuron_indices, values)`` in units (steps if ``dt``).

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
    chunks = []
    for name, train in inputs.items():
        if name not in input_names:
            kind = "a non-input neuron" if name in index else "not a neuron of the network"
            raise ValidationError(
                f"inputs names {name!r}, which is {kind}; inputs: {sorted(input_names)}"
            )
        times, values = _split(name, train)
        _check_times(name, times, now)
        units = _to_units(name, times, dt)
        chunks.append((units, np.full(units.size, index[name], np.int64), values))
    if not chunks:
        return np.zeros(0), np.zeros(0, np.int64), np.zeros(0)
    times, neurons, values = (np.concatenate(c) for c in zip(*chunks))
    order = np.argsort(times, kind="stable")
    return times[order], neurons[order], values[order]


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
    if not np.isfinite(times).all():
        raise ValidationError(f"input {name!r}: time {float(times[~np.isfinite(times)][0])!r} is not finite")
    if times.size and times.min() < now:
        raise SchedulingError(
            f"input {name!r}: time {float(times.min())!r} ms is before the current time {now!r} ms"
        )
    if np.unique(times).size != times.size:
        values, counts = np.unique(times, return_counts=True)
        raise ValidationError(
            f"input {name!r}: time {float(values[counts > 1][0])!r} ms appears twice; an input neuron "
            f"fires at most once per instant (use an analog value to send more)"
        )


def _to_units(name: str, times: np.ndarray, dt: float | None) -> np.ndarray:
    if dt is None:
        return times
    steps = times / dt
    rounded = np.round(steps)
    off = np.abs(steps - rounded) > _GRID_TOLERANCE * np.maximum(1.0, np.abs(steps))
    if off.any():
        raise ValidationError(
            f"input {name!r}: time {float(times[off][0])!r} ms is not a multiple of dt={dt!r} ms"
        )
    return rounded
