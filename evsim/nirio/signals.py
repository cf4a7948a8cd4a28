"""What flows along a NIR edge, as a linear function of the populations' outputs.

A NIR graph between neuron nodes is a chain of linear maps (Affine, Linear,
Scale, Conv2d, pooling, Flatten) and delays. evsim evaluates each chain once,
symbolically: the value on an edge at step ``k`` is

    y_k = Σ_(p, d)  M_(p, d) · s_p(k − d)  +  b

where ``s_p`` is population ``p``'s output (spikes of a neuron node, values
of an input node), ``d`` a delay in steps and ``M`` a dense matrix. A
:class:`Signal` holds the ``M`` per ``(p, d)`` and ``b``; applying a linear
node multiplies every ``M`` and ``b`` by its matrix. The nonzero entries of the
``M`` arriving at a neuron node become evsim synapses.

The matrices are dense: every one is announced to
:func:`~evsim.validation.require_budget` before it is allocated, so a small
file declaring a huge layer is refused (``LimitError``) instead of asking for
terabytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evsim.errors import ValidationError
from evsim.validation import require_budget

__all__ = ["Signal", "conv2d_matrix", "pool2d_matrix", "pair"]


@dataclass(frozen=True)
class Signal:
    """``Σ M[(population, delay)] · s_population(k − delay) + bias`` with its tensor shape."""

    shape: tuple[int, ...]
    terms: dict  # (population, delay_steps) -> (size, population size) array
    bias: np.ndarray

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=int))

    @classmethod
    def of_population(cls, name: str, shape: tuple[int, ...]) -> "Signal":
        n = int(np.prod(shape, dtype=int))
        dense_budget(n, n, f"the identity of population {name!r}")
        return cls(tuple(shape), {(name, 0): np.eye(n)}, np.zeros(n))

    @classmethod
    def zero(cls, shape: tuple[int, ...]) -> "Signal":
        return cls(tuple(shape), {}, np.zeros(int(np.prod(shape, dtype=int))))

    def __add__(self, other: "Signal") -> "Signal":
        terms = dict(self.terms)
        for key, matrix in other.terms.items():
            terms[key] = terms[key] + matrix if key in terms else matrix
        return Signal(self.shape, terms, self.bias + other.bias)

    def mapped(self, matrix: np.ndarray, shape: tuple[int, ...], bias=0.0) -> "Signal":
        """``matrix · y + bias`` with the new tensor shape."""
        for (population, _), m in self.terms.items():
            dense_budget(matrix.shape[0], m.shape[1], f"the map from population {population!r}")
        terms = {key: matrix @ m for key, m in self.terms.items()}
        return Signal(tuple(shape), terms, matrix @ self.bias + np.broadcast_to(bias, (matrix.shape[0],)))

    def reshaped(self, shape: tuple[int, ...]) -> "Signal":
        return Signal(tuple(shape), self.terms, self.bias)

    def delayed(self, steps: np.ndarray) -> "Signal":
        """Element ``i`` delayed by ``steps[i]`` steps (the bias is a constant: delaying changes nothing)."""
        terms: dict = {}
        for (population, d), matrix in self.terms.items():
            for s in np.unique(steps):
                rows = np.where(steps == s, 1.0, 0.0)[:, None]
                key = (population, d + int(s))
                terms[key] = terms.get(key, 0.0) + rows * matrix
        return Signal(self.shape, terms, self.bias)


def dense_budget(rows: int, columns: int, what: str) -> None:
    """Refuse (``LimitError``) a dense ``rows × columns`` float matrix above the memory limit."""
    require_budget("from_nir", f"a dense {rows}×{columns} matrix ({what})", 8.0 * rows * columns)


def pair(value) -> tuple[int, int]:
    """An int or a pair of ints as a pair."""
    values = np.atleast_1d(np.asarray(value)).astype(int).ravel()
    return (int(values[0]), int(values[-1]))


def _windows(in_shape, kernel, stride, padding, dilation):
    """Input row/column of each (output position, kernel offset), and the output size."""
    (h, w), (kh, kw), (sh, sw), (ph, pw), (dh, dw) = in_shape, kernel, stride, padding, dilation
    if min(kh, kw, sh, sw, dh, dw) < 1 or min(ph, pw) < 0:
        raise ValidationError(f"NIR window: kernel {kernel}, stride {stride}, dilation {dilation} must be >= 1 "
                              f"and padding {padding} >= 0")
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if oh < 1 or ow < 1:
        raise ValidationError(f"NIR window: kernel {kernel} (dilation {dilation}, padding {padding}) is larger "
                              f"than the input {in_shape}; no output")
    rows = (np.arange(oh) * sh - ph)[:, None] + np.arange(kh) * dh  # (oh, kh)
    cols = (np.arange(ow) * sw - pw)[:, None] + np.arange(kw) * dw  # (ow, kw)
    return rows, cols, oh, ow


def conv2d_matrix(in_shape: tuple[int, int, int], weight: np.ndarray, stride, padding, dilation,
                  groups: int) -> tuple[np.ndarray, tuple[int, int, int]]:
    """The dense matrix of a 2-D convolution (PyTorch's definition, zero padding) on ``(C, H, W)`` input.

    ``padding`` may be ``"valid"``, ``"same"`` (stride 1; the extra cell on
    the bottom/right, as PyTorch) or an int / pair.
    """
    c_in, h, w = in_shape
    if weight.ndim != 4:
        raise ValidationError(f"NIR Conv2d: weight must be (out, in/groups, kh, kw), got shape {weight.shape}")
    c_out, per_group, kh, kw = weight.shape
    dilation = pair(dilation)
    if isinstance(padding, str):
        total = (dilation[0] * (kh - 1), dilation[1] * (kw - 1))
        padding = (0, 0) if padding == "valid" else (total[0] // 2, total[1] // 2)
    rows, cols, oh, ow = _windows((h, w), (kh, kw), pair(stride), pair(padding), dilation)
    if groups < 1 or c_in != per_group * groups or c_out % groups:
        raise ValidationError(f"NIR Conv2d: weight {weight.shape} with groups = {groups} does not fit "
                              f"{c_in} input channels")
    dense_budget(c_out * oh * ow, c_in * h * w, "a Conv2d")
    matrix = np.zeros((c_out, oh, ow, c_in, h, w))
    out_per_group = c_out // groups
    for o in range(c_out):
        first = (o // out_per_group) * per_group
        for c in range(per_group):
            for i in range(kh):
                for j in range(kw):
                    r, q = rows[:, i], cols[:, j]
                    ok_r, ok_q = (r >= 0) & (r < h), (q >= 0) & (q < w)
                    yy, xx = np.nonzero(ok_r[:, None] & ok_q[None, :])
                    matrix[o, yy, xx, first + c, r[yy], q[xx]] += weight[o, c, i, j]
    return matrix.reshape(c_out * oh * ow, c_in * h * w), (c_out, oh, ow)


def pool2d_matrix(in_shape: tuple[int, int, int], kernel, stride, padding, *, average: bool
                  ) -> tuple[np.ndarray, tuple[int, int, int]]:
    """The dense matrix of sum (or average, divisor = kernel area, padding counted) pooling per channel."""
    c, h, w = in_shape
    kernel = pair(kernel)
    rows, cols, oh, ow = _windows((h, w), kernel, pair(stride), pair(padding), (1, 1))
    dense_budget(c * oh * ow, c * h * w, "a pooling")
    single = np.zeros((oh, ow, h, w))
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            r, q = rows[:, i], cols[:, j]
            yy, xx = np.nonzero(((r >= 0) & (r < h))[:, None] & ((q >= 0) & (q < w))[None, :])
            single[yy, xx, r[yy], q[xx]] += 1.0
    if average:
        single /= kernel[0] * kernel[1]
    single = single.reshape(oh * ow, h * w)
    return np.kron(np.eye(c), single), (c, oh, ow)
