"""Synapses: one :class:`Synapse` value, and a columnar table of many.

A network stores its synapses as a :class:`SynapseTable` — four parallel,
read-only arrays — so that a million synapses build in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence, Union

import numpy as np

from evsim.errors import ValidationError

__all__ = ["Synapse", "SynapseTable", "SynapsesLike"]


@dataclass(frozen=True, order=True)
class Synapse:
    """A directed connection: a spike of ``source`` at ``t`` adds ``weight``
    (times the spike's value) to ``target`` at ``t + delay``."""

    source: str
    target: str
    weight: float = 1.0
    delay: float = 1.0


@dataclass(frozen=True, eq=False)
class SynapseTable:
    """Parallel arrays ``source``, ``target`` (neuron indices), ``weight``, ``delay``.

    Indices refer to the order of the owning network's ``neurons`` mapping.
    The arrays are read-only; the order of rows is the synapse order, which
    fixes the order in which simultaneous arrivals are summed.
    """

    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    delay: np.ndarray

    def __post_init__(self) -> None:
        for name, dtype in (("source", np.int64), ("target", np.int64), ("weight", float), ("delay", float)):
            array = np.array(getattr(self, name), dtype=dtype)
            array.setflags(write=False)
            object.__setattr__(self, name, array)

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
        return synapses
    if isinstance(synapses, Mapping):
        return _table_from_columns(synapses, names)
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
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(f"synapse {what}s must be numbers, got {values!r}") from None
    array = np.broadcast_to(array, (n,)) if array.ndim == 0 else array
    if array.shape != (n,):
        raise ValidationError(f"synapse {what} column has {array.size} entries, expected {n}")
    return array


def _endpoint_indices(values, names: Sequence[str], what: str) -> np.ndarray:
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, np.int64)
    if np.issubdtype(array.dtype, np.integer):
        bad = (array < 0) | (array >= len(names))
        if bad.any():
            raise ValidationError(
                f"synapse {what} index {int(array[bad][0])} is out of range for {len(names)} neurons"
            )
        return array.astype(np.int64)
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
