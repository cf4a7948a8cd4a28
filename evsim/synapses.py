"""Synapses: one :class:`Synapse` value, and a columnar table of many.

A network stores its synapses as a :class:`SynapseTable` — four parallel,
read-only arrays — so that a million synapses build in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence, Union

import numpy as np

from evsim import validation as check
from evsim.errors import ValidationError

__all__ = ["Synapse", "SynapseTable", "SynapsesLike"]


@dataclass(frozen=True, order=True)
class Synapse:
    """A directed connection: a spike of ``source`` at ``t`` adds ``weight``
    (times the spike's value) to ``target`` at ``t + delay``.

    Parameters
    ----------
    source, target : str
        Names of the sending and the receiving neuron (non-empty; the network
        checks that they are its neurons, and that the target is no input).
    weight : float, default 1.0
        Finite, of either sign.
    delay : float, default 1.0
        In ms, finite and ``>= 0``; the network requires a whole number of
        its grid steps (``0``: the same instant, one zero-delay rank later).

    Raises
    ------
    ValidationError
        An empty or non-string name, a weight that is not a finite real
        number, or a delay that is not finite and ``>= 0``.

    Examples
    --------
    >>> import evsim
    >>> evsim.Synapse("x", "y", 0.5)
    Synapse(source='x', target='y', weight=0.5, delay=1.0)
    >>> evsim.Synapse("x", "y", weight=-1.0, delay=2.0).delay
    2.0
    """

    source: str
    target: str
    weight: float = 1.0
    delay: float = 1.0

    def __post_init__(self) -> None:
        check.name("source", self.source, owner="Synapse")
        check.name("target", self.target, owner="Synapse")
        owner = f"synapse {self.source!r} -> {self.target!r}"
        # kept as the Python floats checked (a NumPy scalar would print as np.float64(0.5) under NumPy 2)
        object.__setattr__(self, "weight", check.real("weight", self.weight, owner=owner))
        object.__setattr__(self, "delay", check.real("delay (ms)", self.delay, owner=owner, minimum=0))


@dataclass(frozen=True, eq=False)
class SynapseTable:
    """Parallel arrays ``source``, ``target`` (neuron indices), ``weight``, ``delay``.

    Indices refer to the order of the owning network's ``neurons`` mapping.
    The arrays are read-only; the order of rows is the synapse order, which
    fixes the order in which simultaneous arrivals are summed.

    Parameters
    ----------
    source, target : array_like of int
        1-d neuron indices (any integer dtype), stored as int64; their range
        is checked by the network that takes the table.
    weight, delay : array_like of float
        1-d real numbers: weights, and delays in ms. Not checked for NaN or
        infinities here: :class:`~evsim.network.Network` refuses those.

    Raises
    ------
    ValidationError
        Index columns that are not 1-d integer arrays (or hold an unsigned
        index beyond int64), weight or delay columns that are not 1-d arrays
        of real numbers, or columns of different lengths.

    Examples
    --------
    >>> import evsim
    >>> table = evsim.SynapseTable([0, 0], [1, 2], [0.5, -1.0], [1.0, 2.0])
    >>> len(table), table.weight.tolist()
    (2, [0.5, -1.0])
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(), "z": evsim.IF()}, table)
    >>> net.synapses[1]
    Synapse(source='x', target='z', weight=-1.0, delay=2.0)
    """

    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    delay: np.ndarray

    def __post_init__(self) -> None:
        for name in ("source", "target"):
            object.__setattr__(self, name, _frozen(_index_column(getattr(self, name), name)))
        for name in ("weight", "delay"):
            column = check.real_array(name, getattr(self, name), owner="SynapseTable", ndim=1, allow_nan=True)
            object.__setattr__(self, name, _frozen(np.array(column)))
        sizes = {name: getattr(self, name).size for name in ("source", "target", "weight", "delay")}
        if len(set(sizes.values())) > 1:
            raise ValidationError(f"SynapseTable: columns must have one length, got sizes {sizes}")

    def __len__(self) -> int:
        return int(self.source.size)

    def take(self, rows: np.ndarray) -> "SynapseTable":
        """The sub-table of the given rows (indices or boolean mask)."""
        return SynapseTable(self.source[rows], self.target[rows], self.weight[rows], self.delay[rows])

    def remap(self, index_map: np.ndarray) -> "SynapseTable":
        """The same synapses with neuron indices translated through ``index_map``."""
        return SynapseTable(index_map[self.source], index_map[self.target], self.weight, self.delay)

    @staticmethod
    def concat(tables: Sequence["SynapseTable"]) -> "SynapseTable":
        """Rows of all tables, in order."""
        return SynapseTable(
            *(np.concatenate([getattr(t, f) for t in tables]) for f in ("source", "target", "weight", "delay"))
        )


SynapsesLike = Union[Iterable[Synapse], Mapping[str, Sequence], SynapseTable]


def build_table(synapses: SynapsesLike, names: Sequence[str]) -> SynapseTable:
    """Turn any accepted synapse description into a :class:`SynapseTable`.

    Accepts an iterable of :class:`Synapse`, a :class:`SynapseTable` (indices),
    or a mapping with arrays ``source``, ``target``, ``weight`` and optional
    ``delay`` (default 1.0) whose endpoints are neuron names or indices.
    """
    if isinstance(synapses, SynapseTable):
        _check_indices(synapses.source, len(names), "source")
        _check_indices(synapses.target, len(names), "target")
        return synapses
    if isinstance(synapses, Mapping):
        return _table_from_columns(synapses, names)
    if isinstance(synapses, (str, bytes)) or not isinstance(synapses, Iterable):
        raise ValidationError(
            f"synapses must be an iterable of Synapse, a SynapseTable or a mapping of columns "
            f"(source, target, weight, delay), got {synapses!r:.60} ({type(synapses).__name__})"
        )
    rows = list(synapses)
    for row in rows:
        if not isinstance(row, Synapse):
            raise ValidationError(f"synapses must be Synapse values, got {row!r}")
    columns = {
        "source": [s.source for s in rows],
        "target": [s.target for s in rows],
        "weight": [s.weight for s in rows],
        "delay": [s.delay for s in rows],
    }
    return _table_from_columns(columns, names)


def _table_from_columns(columns: Mapping[str, Sequence], names: Sequence[str]) -> SynapseTable:
    unknown = set(columns) - {"source", "target", "weight", "delay"}
    if unknown or not {"source", "target", "weight"} <= set(columns):
        raise ValidationError(
            f"synapse columns must be source, target, weight and optional delay; got {sorted(columns)}"
        )
    source = _endpoint_indices(columns["source"], names, "source")
    target = _endpoint_indices(columns["target"], names, "target")
    n = source.size
    weight = _numeric_column(columns["weight"], n, "weight")
    delay = _numeric_column(columns.get("delay", 1.0), n, "delay")
    if target.size != n:
        raise ValidationError(f"synapse columns differ in length: {n} sources, {target.size} targets")
    return SynapseTable(source, target, weight, delay)


def _numeric_column(values, n: int, what: str) -> np.ndarray:
    array = check.real_array(f"synapse {what}s", values, ndim=(0, 1), allow_nan=True)
    array = np.broadcast_to(array, (n,)) if array.ndim == 0 else array
    if array.shape != (n,):
        raise ValidationError(f"synapse {what} column has {array.size} entries, expected {n}")
    return array


def _endpoint_indices(values, names: Sequence[str], what: str) -> np.ndarray:
    try:
        array = np.asarray(values)
    except ValueError:
        raise ValidationError(f"synapse {what}s must be a flat list of names or indices, got {values!r}") from None
    if array.ndim != 1 and array.size != 0:
        raise ValidationError(
            f"synapse {what}s must be a flat list of names or indices, got an array of shape {array.shape}"
        )
    if array.size == 0:
        return np.zeros(0, np.int64)
    if np.issubdtype(array.dtype, np.integer):
        _check_indices(array, len(names), what)
        return array.astype(np.int64)
    if array.dtype.kind not in "UO" or not all(isinstance(v, str) for v in array.tolist()):
        raise ValidationError(
            f"synapse {what}s must be neuron names (str) or indices (int), got {values!r}"
        )
    lookup = {name: i for i, name in enumerate(names)}
    uniques, inverse = np.unique(array.astype(str), return_inverse=True)
    try:
        codes = np.array([lookup[u] for u in uniques], np.int64)
    except KeyError as missing:
        raise ValidationError(
            f"synapse {what} {str(missing.args[0])!r} is not a neuron of the network; "
            f"add it to neurons= or fix the name"
        ) from None
    return codes[inverse.reshape(-1)]


def _check_indices(array: np.ndarray, n: int, what: str) -> None:
    """Every index an integer in ``[0, n)``: a negative or huge index never wraps to another neuron."""
    array = np.asarray(array)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValidationError(f"synapse {what} indices must be integers, got dtype {array.dtype}")
    bad = (array < 0) | (array >= n)
    if bad.any():
        raise ValidationError(
            f"synapse {what} index {int(array[bad][0])} is out of range for {n} neurons; "
            f"accepted: 0 <= index < {n}"
        )


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _index_column(values, what: str) -> np.ndarray:
    """``values`` as int64 neuron indices: integers only, and none that int64 would wrap."""
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValidationError(
            f"SynapseTable: {what} must be a 1-d array of integer neuron indices, got dtype {array.dtype} "
            f"and shape {array.shape}"
        )
    if array.dtype.kind == "u" and int(array.max()) > np.iinfo(np.int64).max:
        raise ValidationError(f"SynapseTable: {what} index {int(array.max())} is out of range")
    return np.array(array, dtype=np.int64)
