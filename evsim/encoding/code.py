"""``SpikeCode``: one encoded input, seen as an array or as events.

An encoder turns an array ``x`` of any shape into events: for each element
(flattened, C order) a set of times (ms) and values (1 for a spike, a real
number for an analog event). The two views are

* ``code.array`` — ``(steps, *x.shape)``, the value at each step, which the
  vectorised path uses directly (for codes with exact continuous times the
  array counts events per step ``[k·dt, (k+1)·dt)``, a lossy summary);
* ``code.to_inputs()`` — ``{name: times}`` or ``{name: Analog(times, values)}``, the
  ``inputs`` mapping the event engine takes; lossless.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from evsim.inputs import Analog, train_events

from evsim.errors import ValidationError
from evsim.timegrid import TimeGrid

__all__ = ["SpikeCode", "input_names"]


def input_names(size: int, prefix: str = "x") -> list[str]:
    """Default event-view names: ``x0, x1, …`` for the flattened elements."""
    return [f"{prefix}{i}" for i in range(size)]


@dataclass(frozen=True, eq=False)
class SpikeCode:
    """Encoded events of an array of shape ``shape`` over ``steps`` steps of ``dt`` ms.

    Attributes
    ----------
    index, time, value : ndarray
        One row per event, sorted by (time, index): flat element index, time
        in ms, value.
    exact_steps : bool
        True when every time is a whole step ``k·dt`` (the array view is lossless).
    """

    shape: tuple[int, ...]
    steps: int
    dt: float
    index: np.ndarray
    time: np.ndarray
    value: np.ndarray
    kind: str
    exact_steps: bool = True

    def __post_init__(self) -> None:
        order = np.lexsort((self.index, self.time))
        for name in ("index", "time", "value"):
            array = np.asarray(getattr(self, name))[order]
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def array(self) -> np.ndarray:
        """``(steps, *shape)`` values per step (analog steps carry real values)."""
        out = np.zeros((self.steps, self.size))
        step = TimeGrid.of(self.dt).step_of(self.time)
        np.add.at(out, (step, self.index), self.value)
        return out.reshape((self.steps, *self.shape))

    def counts(self) -> np.ndarray:
        """Number of events of each element, shaped like the input."""
        return np.bincount(self.index, minlength=self.size).reshape(self.shape)

    def to_inputs(self, names: Sequence[str] | Callable[[int], str] | None = None) -> dict:
        """The event view: ``{name: times}``, or ``{name: Analog(times, values)}`` where a value is not 1.

        ``names`` lists one name per flattened element (default ``x0, x1, …``)
        or maps a flat index to a name.
        """
        names = self._names(names)
        out = {}
        for i, name in enumerate(names):
            mine = self.index == i
            times, values = self.time[mine], self.value[mine]
            out[name] = Analog(times.tolist(), values.tolist()) if np.any(values != 1.0) else times.tolist()
        return out

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, object], names: Sequence[str], shape: tuple[int, ...],
                    steps: int, dt: float = 1.0, kind: str = "events") -> "SpikeCode":
        """Inverse of :meth:`to_inputs` (lossless)."""
        index, time, value = [], [], []
        for i, name in enumerate(names):
            train = inputs.get(name, [])
            times, values = train_events(train)
            index += [i] * len(times)
            time += list(times)
            value += list(values)
        time = np.asarray(time, float)
        exact = bool(np.all(np.abs(time / dt - np.round(time / dt)) < 1e-9))
        return cls(tuple(shape), steps, dt, np.asarray(index, np.int64), time, np.asarray(value, float), kind, exact)

    @classmethod
    def from_array(cls, array: np.ndarray, dt: float = 1.0, kind: str = "array") -> "SpikeCode":
        """Events of a ``(steps, *shape)`` array: one per nonzero entry, at ``k·dt``."""
        array = np.asarray(array, float)
        flat = array.reshape(array.shape[0], -1)
        step, index = np.nonzero(flat)
        return cls(array.shape[1:], array.shape[0], dt, index, step * dt, flat[step, index], kind)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpikeCode):
            return NotImplemented
        return (self.shape == other.shape and self.steps == other.steps and self.dt == other.dt
                and all(np.array_equal(getattr(self, a), getattr(other, a)) for a in ("index", "time", "value")))

    __hash__ = None  # type: ignore[assignment]

    def _names(self, names) -> list[str]:
        if names is None:
            return input_names(self.size)
        if callable(names):
            return [names(i) for i in range(self.size)]
        names = list(names)
        if len(names) != self.size:
            raise ValidationError(f"need {self.size} names (one per element of shape {self.shape}), got {len(names)}")
        return names

    def __repr__(self) -> str:
        return f"SpikeCode({self.kind}, shape={self.shape}, steps={self.steps}, dt={self.dt}, {self.time.size} events)"
