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

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from evsim import validation as check
from evsim.errors import ValidationError
from evsim.inputs import Analog
from evsim.timegrid import TimeGrid

__all__ = ["SpikeCode", "input_names"]


def input_names(size: int, prefix: str = "x") -> list[str]:
    """Default event-view names: ``x0, x1, …`` for the flattened elements.

    Parameters
    ----------
    size : int
        Number of elements, ``>= 0``.
    prefix : str, optional
        What each name starts with; default ``"x"``.

    Returns
    -------
    list of str
        ``prefix`` followed by ``0 … size − 1``.

    Raises
    ------
    ValidationError
        ``size`` not an integer ``>= 0``, or ``prefix`` not a string.

    Examples
    --------
    >>> from evsim.encoding import input_names
    >>> input_names(3)
    ['x0', 'x1', 'x2']
    >>> input_names(2, prefix="pixel")
    ['pixel0', 'pixel1']
    """
    size = check.integer("size", size, owner="input_names", minimum=0)
    check.instance("prefix", prefix, str, owner="input_names", accepted="a string")
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

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.encoding import SpikeCode
    >>> code = SpikeCode.from_array(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))   # 3 steps × 2 elements
    >>> code
    SpikeCode(array, shape=(2,), steps=3, dt=1.0, 4 events)
    >>> code.counts().tolist(), code.to_inputs()
    ([2, 2], {'x0': [0.0, 2.0], 'x1': [1.0, 2.0]})
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
        self._check_fields()
        order = np.lexsort((self.index, self.time))
        for name in ("index", "time", "value"):
            array = np.asarray(getattr(self, name))[order]
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    def _check_fields(self) -> None:
        """Refuse a code whose events do not fit its shape and window ``[0, steps·dt)``."""
        owner = "SpikeCode"
        if isinstance(self.shape, (str, bytes)) or not hasattr(self.shape, "__iter__"):
            check.instance("shape", self.shape, tuple, owner=owner, accepted="a tuple of integers >= 0")
        shape = tuple(check.integer("each of shape", d, owner=owner, minimum=0) for d in self.shape)
        steps = check.integer("steps", self.steps, owner=owner, minimum=1, maximum=2**53)
        dt = check.real("dt", self.dt, owner=owner, minimum=0.0, exclusive_minimum=True)
        check.instance("kind", self.kind, str, owner=owner, accepted="a string")
        exact = check.flag("exact_steps", self.exact_steps, owner=owner)
        size = int(np.prod(shape, dtype=np.int64))
        index = check.real_array("index", self.index, owner=owner, ndim=1, minimum=0, maximum=max(size - 1, 0))
        if index.size and (not np.issubdtype(np.asarray(self.index).dtype, np.integer) or size == 0):
            raise ValidationError(f"{owner}: index must be integers in [0, {size}) (the flat element), "
                                  f"got {np.asarray(self.index)[:5]!r}")
        time = check.real_array("time", self.time, owner=owner, ndim=1, minimum=0.0)
        value = check.real_array("value", self.value, owner=owner, ndim=1)
        if not index.size == time.size == value.size:
            raise ValidationError(f"{owner}: index, time and value must have one entry per event, got "
                                  f"{index.size}, {time.size} and {value.size}")
        if time.size and time.max() >= steps * dt:
            raise ValidationError(f"{owner}: every time must lie in the window [0, steps·dt) = [0, {steps * dt!r}), "
                                  f"got {float(time.max())!r}")
        for name, fixed in (("shape", shape), ("steps", steps), ("dt", dt), ("exact_steps", exact),
                            ("index", np.asarray(self.index, np.int64)), ("time", time), ("value", value)):
            object.__setattr__(self, name, fixed)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def array(self) -> np.ndarray:
        """``(steps, *shape)`` values per step (analog steps carry real values)."""
        check.require_budget("SpikeCode.array", f"{self.steps} steps × {self.size} elements", 8.0 * self.steps * self.size)
        out = np.zeros((self.steps, self.size))
        step = np.minimum(TimeGrid.of(self.dt).step_of(self.time), self.steps - 1)  # a time just below the end
        np.add.at(out, (step, self.index), self.value)
        return out.reshape((self.steps, *self.shape))

    def counts(self) -> np.ndarray:
        """Number of events of each element, shaped like the input."""
        return np.bincount(self.index, minlength=self.size).reshape(self.shape)

    def to_inputs(self, names: Sequence[str] | Callable[[int], str] | None = None) -> dict:
        """The event view: ``{name: times}``, or ``{name: Analog(times, values)}`` where a value is not 1.

        ``names`` lists one distinct name per flattened element (default
        ``x0, x1, …``) or maps a flat index to a name.
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
        owner = "SpikeCode.from_inputs"
        check.instance("inputs", inputs, Mapping, owner=owner, accepted="a mapping of names to spike times")
        names = check.unique_names("names", names, owner=owner)
        size = math.prod(check.integer("each of shape", n, owner=owner, minimum=0)
                         for n in check.instance("shape", shape, (tuple, list), owner=owner))
        if len(names) != size:
            raise ValidationError(f"{owner}: names must give one name per element of shape {tuple(shape)} "
                                  f"({size}), got {len(names)} names")
        unknown = sorted(set(inputs) - set(names), key=str)
        if unknown:
            raise ValidationError(f"{owner}: inputs must name only elements in names, got {unknown[0]!r}")
        index, time, value = [], [], []
        for i, name in enumerate(names):
            times, values = _train(owner, name, inputs.get(name, []))
            index.append(np.full(times.size, i, np.int64))
            time.append(times)
            value.append(values)
        time = np.concatenate(time) if time else np.zeros(0)
        dt = check.real("dt", dt, owner=owner, minimum=0.0, exclusive_minimum=True)
        exact = bool(np.all(np.abs(time / dt - np.round(time / dt)) < 1e-9))
        return cls(shape, steps, dt, np.concatenate(index) if index else np.zeros(0, np.int64), time,
                   np.concatenate(value) if value else np.zeros(0), kind, exact)

    @classmethod
    def from_array(cls, array: np.ndarray, dt: float = 1.0, kind: str = "array") -> "SpikeCode":
        """Events of a ``(steps, *shape)`` array: one per nonzero entry, at ``k·dt``."""
        if isinstance(array, np.ndarray) and array.dtype == bool:
            array = array.astype(np.float64)  # spikes drawn as booleans by the encoders
        array = check.real_array("array", array, owner="SpikeCode.from_array", ndim=tuple(range(1, 33)))
        if array.shape[0] == 0:
            raise ValidationError(f"SpikeCode.from_array: array must have at least one step (axis 0), "
                                  f"got shape {array.shape}")
        flat = array.reshape(array.shape[0], -1)
        step, index = np.nonzero(flat)
        return cls(array.shape[1:], array.shape[0], dt, index, step * dt, flat[step, index], kind)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpikeCode):
            return NotImplemented
        return (self.shape == other.shape and self.steps == other.steps and self.dt == other.dt
                and all(np.array_equal(getattr(self, a), getattr(other, a)) for a in ("index", "time", "value")))

    __hash__ = None  # type: ignore[assignment]

    def _names(self, names) -> tuple[str, ...]:
        if names is None:
            return tuple(input_names(self.size))
        if callable(names):
            names = [names(i) for i in range(self.size)]
        elif isinstance(names, (str, bytes)) or not hasattr(names, "__iter__"):
            raise ValidationError(f"to_inputs: names must be a sequence of names, a callable or None, got {names!r}")
        names = check.unique_names("names", names, owner="to_inputs")
        if len(names) != self.size:
            raise ValidationError(f"to_inputs: names must hold {self.size} names (one per element of shape "
                                  f"{self.shape}), got {len(names)}")
        return names

    def __repr__(self) -> str:
        return f"SpikeCode({self.kind}, shape={self.shape}, steps={self.steps}, dt={self.dt}, {self.time.size} events)"


def _train(owner: str, name: str, train) -> tuple[np.ndarray, np.ndarray]:
    """``(times, values)`` of one train of an inputs mapping: spikes have the value 1."""
    if isinstance(train, Analog):
        times = check.real_array(f"inputs[{name!r}].times", train.times, owner=owner, ndim=(0, 1)).reshape(-1)
        values = check.real_array(f"inputs[{name!r}].values", train.values, owner=owner, ndim=(0, 1)).reshape(-1)
        if values.size != times.size:
            raise ValidationError(f"{owner}: inputs[{name!r}] must have one value per time, got "
                                  f"{times.size} times and {values.size} values")
        return times, values
    times = check.real_array(f"inputs[{name!r}]", train, owner=owner, ndim=(0, 1)).reshape(-1)
    return times, np.ones(times.size)
