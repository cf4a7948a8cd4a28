"""The deep path's argument checks, built from :mod:`evsim.validation` (one message style).

Every public function of :mod:`evsim.deep` checks its arguments here or in
:mod:`evsim.validation` once, at its boundary; the code behind trusts them.
"""

from __future__ import annotations

import numbers
from typing import Sequence

import numpy as np

from evsim.validation import Said, instance, integer, real, real_array, refuse, shown

__all__ = ["Said", "instance", "samples", "labels", "shape", "positive_reals", "progress", "float_dtype",
           "exit_probability", "seeds"]


def samples(argument: str, value: object, *, owner: str, sample_shape: tuple[int, ...] | None = None,
            minimum: float | None = None, maximum: float | None = None) -> np.ndarray:
    """A non-empty batch ``(samples, *sample_shape)`` of finite real numbers (float64 unless given as floats)."""
    array = real_array(argument, value, owner=owner, minimum=minimum, maximum=maximum)
    if array.ndim < 2 or len(array) == 0 or array.size == 0:
        raise refuse(owner, f"{argument} (shape {array.shape})", "a non-empty batch: one row per sample",
                     Said(shown(value, 60)))
    if sample_shape is not None and tuple(array.shape[1:]) != tuple(sample_shape):
        raise refuse(owner, f"{argument} (shape {array.shape})",
                     f"a batch of samples of shape {tuple(sample_shape)}", Said(f"samples of shape "
                                                                                 f"{array.shape[1:]}"))
    given = np.asarray(value)
    return given if given.dtype.kind == "f" else array


def labels(argument: str, value: object, *, owner: str, count: int, classes: int) -> np.ndarray:
    """``count`` integer class labels in ``[0, classes)``."""
    try:
        array = np.asarray(value)
    except ValueError:  # ragged
        raise refuse(owner, argument, f"one label per sample ({count})", Said(shown(value, 60))) from None
    if array.ndim != 1 or len(array) != count:
        raise refuse(owner, f"{argument} (shape {array.shape})", f"one label per sample ({count})",
                     Said(shown(value, 60)))
    if array.dtype.kind not in "iu":  # refused: the first entry that is not a whole number, else the first
        values = array.tolist()
        whole = [isinstance(v, numbers.Integral) or (isinstance(v, float) and v.is_integer()) for v in values]
        bad = whole.index(False) if False in whole else 0
        integer(f"{argument}[{bad}]", values[bad], owner=owner, minimum=0, maximum=classes - 1)
    outside = (array < 0) | (array >= classes)
    if outside.any():
        bad = int(np.argmax(outside))
        integer(f"{argument}[{bad}]", array[bad], owner=owner, minimum=0, maximum=classes - 1)
    return array.astype(np.int64, copy=False)


def shape(argument: str, value: object, *, owner: str) -> tuple[int, ...]:
    """A non-empty tuple of positive integers (the shape of one sample)."""
    if not isinstance(value, (tuple, list)) or not value:
        raise refuse(owner, argument, "a non-empty tuple of positive integers", value)
    return tuple(integer(f"{argument}[{i}]", size, owner=owner, minimum=1) for i, size in enumerate(value))


def positive_reals(argument: str, values: object, *, owner: str, count: int | None = None) -> tuple[float, ...]:
    """A sequence of finite real numbers ``> 0`` (exactly ``count`` of them when given)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise refuse(owner, argument, "a sequence of real numbers > 0", values)
    if count is not None and len(values) != count:
        raise refuse(owner, argument, f"{count} numbers (one per activation)", Said(f"{len(values)} of them"))
    if count is None and len(values) == 0:
        raise refuse(owner, argument, "at least one real number > 0", values)
    return tuple(real(f"{argument}[{i}]", v, owner=owner, minimum=0.0, exclusive_minimum=True)
                 for i, v in enumerate(values))


def progress(value: object, *, owner: str):
    """``True``, ``False`` or a callable ``progress(epoch, loss)``."""
    if isinstance(value, (bool, np.bool_)) or callable(value):
        return value
    raise refuse(owner, "progress", "True, False or a callable progress(epoch, loss)", value)


def float_dtype(value: object, *, owner: str) -> type:
    """``np.float32`` or ``np.float64`` (also as a ``np.dtype``, a name, or ``float``)."""
    dtype = None
    if isinstance(value, (str, type, np.dtype)):
        try:
            dtype = np.dtype(value)
        except TypeError:
            dtype = None
    if dtype is None or dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise refuse(owner, "dtype", "np.float32 or np.float64", value)
    return dtype.type


def exit_probability(argument: str, value: object, *, owner: str) -> float:
    """An early-exit threshold ``α``: a real number ``0 < α < 1`` (``max softmax`` lies in ``(0, 1]``)."""
    alpha = real(argument, value, owner=owner, minimum=0.0, exclusive_minimum=True, maximum=1.0)
    if alpha == 1.0:
        raise refuse(owner, argument, "< 1: a sample exits once its max softmax exceeds it, which never exceeds 1 "
                     "(for no early exit, leave exit_threshold=None)", value)
    return alpha


def seeds(values: object, progress: bool, *, owner: str):
    """Non-empty seeds (integers ``>= 0``) to loop over, with a tqdm bar over them when ``progress``."""
    from tqdm import tqdm

    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise refuse(owner, "seeds", "a non-empty sequence of integers >= 0", values)
    checked = [integer("seed", seed, owner=owner, minimum=0) for seed in values]
    if not checked:
        raise refuse(owner, "seeds", "at least one seed", values)
    instance("progress", progress, bool, owner=owner)
    return tqdm(checked, desc="seeds", unit="seed", leave=False, disable=not progress)
