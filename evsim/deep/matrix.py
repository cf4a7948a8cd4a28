"""An affine group as a matrix, in bounded memory.

The group ``ops`` (Dense, Conv2d, AvgPool2d, Flatten; biases left out) is a
linear map, and its matrix ``M`` (``inputs × outputs``, flat C order) has as
row ``i`` the group applied to the unit input ``e_i``. The event-driven
network (:func:`~evsim.deep.to_network.to_network`) needs ``M``'s nonzero
entries; the runner needs only their number per row, the *fan-out* of each
input. Neither builds ``M`` whole: :func:`matrix_blocks` yields it a block of
rows at a time (at most :data:`BLOCK_BYTES` of work arrays), and
:func:`fan_out` counts without it where the group's structure allows:

* leading ``Flatten``/``AvgPool2d(k)`` ops send unit input ``e_i`` to the
  pooled unit ``v·e_{p(i)}`` (``v = 1/k²`` as the pooling computes it), so
  row ``i`` of ``M`` is row ``p(i)`` of the rest of the group on ``v·I``;
* then a lone ``Dense`` has row ``j`` = column ``j`` of ``v·W``, and a lone
  ``Conv2d`` has, for input ``(c, y, x)``, one entry per output channel
  ``o`` and kernel tap ``(u, v')`` with ``y = oy·stride − padding + u`` (and
  likewise ``x``) for an output position ``oy`` — the value ``v·W[o, c, u, v']``;
* any other group is counted from :func:`matrix_blocks`.

Each shortcut gives the very numbers of the unit-input products (one
nonzero term plus exact zeros), so its counts equal those of ``M`` itself
(property-tested against the identity).
"""

from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

from evsim.deep.convert import linear_part
from evsim.deep.layers import AvgPool2d, Conv2d, Dense, Flatten, Layer, conv_output_size

__all__ = ["BLOCK_BYTES", "matrix_blocks", "fan_out", "work_sizes"]

BLOCK_BYTES = 32 * 2**20


def work_sizes(ops: Sequence[Layer], input_shape: tuple[int, ...]) -> list[int]:
    """Elements per sample of the group's input and of each op's output (from one zero sample)."""
    x = np.zeros((1, *input_shape))
    sizes = [x.size]
    for op in ops:
        x = op.forward(x)
        sizes.append(x.size)
    return sizes


def matrix_blocks(ops: Sequence[Layer], input_shape: tuple[int, ...], value: float = 1.0
                  ) -> Iterator[tuple[int, np.ndarray]]:
    """``(first row, rows)`` of ``M`` for the unit inputs ``value·e_i``, in blocks of bounded memory."""
    n = int(np.prod(input_shape))
    per_row = 8 * (2 * sum(work_sizes(ops, input_shape)) + _patch_elements(ops, input_shape))
    block = max(1, BLOCK_BYTES // max(per_row, 1))
    for start in range(0, n, block):
        stop = min(n, start + block)
        basis = np.zeros((stop - start, n))
        basis[np.arange(stop - start), np.arange(start, stop)] = value
        yield start, linear_part(ops, basis.reshape(-1, *input_shape)).reshape(stop - start, -1)


def _patch_elements(ops: Sequence[Layer], input_shape: tuple[int, ...]) -> int:
    """Elements of one sample's im2col patches, summed over the group's convolutions."""
    x, total = np.zeros((1, *input_shape)), 0
    for op in ops:
        if isinstance(op, Conv2d):
            c_out, c_in, k, _ = op.params["W"].shape
            y = op.forward(x)
            total += y.shape[2] * y.shape[3] * c_in * k * k
            x = y
        else:
            x = op.forward(x)
    return total


def fan_out(layer_ops: Sequence[Layer], input_shape: tuple[int, ...]) -> np.ndarray:
    """Nonzero entries of each row of the group's matrix ``M`` (flat C order), see the module docstring."""
    ops, shape = list(layer_ops), tuple(input_shape)
    where, value = np.arange(int(np.prod(shape))), 1.0
    while ops and isinstance(ops[0], (Flatten, AvgPool2d)):
        op = ops.pop(0)
        if isinstance(op, AvgPool2d):
            where, value, shape = _pooled(op, shape, where, value)
        else:
            shape = (int(np.prod(shape)),)
    if len(ops) == 1 and isinstance(ops[0], Dense):
        W = ops[0].params["W"]
        counts = np.count_nonzero(W if value == 1.0 else value * W, axis=0)
    elif len(ops) == 1 and isinstance(ops[0], Conv2d):
        counts = _conv_fan_out(ops[0], shape, value)
    else:
        counts = np.concatenate([np.count_nonzero(rows, axis=1) for _, rows in matrix_blocks(ops, shape, value)])
    return counts[where]


def _pooled(op: AvgPool2d, shape, where: np.ndarray, value: float):
    """Where each input lands after ``op`` (flat index into the pooled shape) and the unit's pooled value."""
    c, h, w = shape
    k = op.k
    pooled_index = np.arange(c * (h // k) * (w // k)).reshape(c, h // k, w // k)
    full = np.repeat(np.repeat(pooled_index, k, axis=1), k, axis=2).reshape(-1)
    unit = np.zeros((1, 1, k, k))
    unit[0, 0, 0, 0] = value
    return full[where], float(op.forward(unit)[0, 0, 0, 0]), (c, h // k, w // k)


def _conv_fan_out(op: Conv2d, shape, value: float) -> np.ndarray:
    """``Σ_{u,v'} reach_y[y, u] · reach_x[x, v'] · #{o : v·W[o, c, u, v'] ≠ 0}`` per input ``(c, y, x)``."""
    W = op.params["W"]
    nonzero = np.count_nonzero(W if value == 1.0 else value * W, axis=0)  # (c, k, k)
    _, h, w = shape
    reach_y, reach_x = (_reach(size, op.k, op.stride, op.padding) for size in (h, w))
    return np.einsum("yu,xv,cuv->cyx", reach_y, reach_x, nonzero).reshape(-1)


def _reach(size: int, k: int, stride: int, padding: int) -> np.ndarray:
    """``reach[y, u] = 1`` when input ``y`` is seen by kernel tap ``u`` of some output position."""
    outputs = conv_output_size(size, k, stride, padding)
    y = np.arange(size)[:, None] + padding - np.arange(k)[None, :]
    return ((y % stride == 0) & (y >= 0) & (y // stride < outputs)).astype(np.int64)
