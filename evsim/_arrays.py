"""Small vectorised helpers shared by the compiler and the simulator."""

from __future__ import annotations

import numpy as np

__all__ = ["concat_ranges", "some", "stable_order"]


def concat_ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """``np.concatenate([np.arange(a, b) for a, b in zip(starts, stops)])``, without the loop."""
    starts = np.asarray(starts, np.int64)
    lengths = np.asarray(stops, np.int64) - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + offsets


def some(mask: np.ndarray) -> bool:
    """``mask.any()``, for the engine's hot loops: ``count_nonzero`` costs a fifth of the method call."""
    return np.count_nonzero(mask) > 0


def stable_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` for whole numbers ``>= 0``, as 8- or 16-bit radix passes.

    NumPy sorts 8- and 16-bit integers stably in linear time but falls back to
    timsort for wider ones; neuron indices rarely need more than one pass.
    """
    values = np.asarray(values)
    top = int(values.max()) if values.size else 0
    if top < 256:
        return np.argsort(values.astype(np.uint8), kind="stable")
    if top < 65536:
        return np.argsort(values.astype(np.uint16), kind="stable")
    order = np.arange(values.size)
    shift = 0
    while top >> shift:
        digit = ((values[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def shared_values(source, names, members: np.ndarray) -> dict:
    """The fields of ``source`` (arrays over neurons) whose value at every one of ``members`` has the same bits.

    Bit for bit: ``-0.0`` is not ``0.0`` (a hard reset to ``-0.0`` keeps its sign), and a NaN is the same
    NaN; for such a field one scalar broadcast over the members gives exactly the gathered numbers.
    """
    shared = {}
    for name in names:
        values = getattr(source, name)[members]
        bits = values.view(f"u{values.itemsize}")
        if bits.size and (bits == bits[0]).all():
            shared[name] = values[0]
    return shared
