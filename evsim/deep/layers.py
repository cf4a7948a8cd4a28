"""A small NumPy ANN: layers with forward and backward passes, and ``Sequential``.

Shapes: dense activations ``(batch, features)``, images ``(batch, channels,
height, width)``. Each layer caches what its backward pass needs during a
training forward pass; ``backward(grad)`` returns the gradient with respect to
its input and stores parameter gradients in ``grads``.

QCFS (Bu et al., ICLR 2022): ``h(z) = λ · clip(floor(z·L/λ + φ) / L, 0, 1)``
with a straight-through gradient ``∂h/∂z = 1`` for
``−λ/(2L) < z < λ − λ/(2L)`` (else 0) and, evsim's choice for the trainable
``λ``, ``∂h/∂λ = 1`` where the output is clipped at ``λ`` (else 0).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from evsim.deep.checks import Said
from evsim.validation import generator, integer, real, refuse, require_budget

__all__ = ["Layer", "Dense", "Conv2d", "AvgPool2d", "Flatten", "ReLU", "ClipReLU", "QCFS", "Sequential",
           "ACTIVATIONS"]


class Layer:
    """Base class: no parameters, identity gradient bookkeeping."""

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, grad: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _bad_input(layer: Layer, accepted: str, x: np.ndarray):
    """The refusal of a forward pass's ``x``: the layer, what it takes, the shape it got."""
    return refuse(f"{layer!r}.forward", "x", accepted, Said(f"an array of shape {x.shape}"))


def _weights(owner: str, shape: tuple[int, ...], rng: np.random.Generator, scale: float) -> np.ndarray:
    """He-initialised weights ``N(0, scale²)`` of ``shape``, refused above the memory limit before allocating."""
    require_budget(owner, f"a weight array of shape {shape} (float64)", 8 * float(np.prod(shape, dtype=float)))
    return rng.normal(0.0, scale, shape)


class Dense(Layer):
    """``y = x @ W.T + b`` with ``W`` of shape ``(out, in)`` (He-initialised).

    Parameters
    ----------
    n_in, n_out : int
        Input and output features (each ``>= 1``).
    rng : int, numpy Generator or None, optional
        Seed (``>= 0``) or generator of the initial weights ``W ~ N(0, 2/n_in)``;
        default None: fresh entropy, a different ``W`` each time. ``b`` starts at 0.

    Raises
    ------
    ValidationError
        A size that is not an integer ``>= 1``, or an ``rng`` that is not a seed or a generator.
    LimitError
        ``W`` would exceed the memory limit (``evsim.limits``); refused before it is allocated.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense
    >>> layer = Dense(2, 3, rng=0)
    >>> layer, layer.params["W"].shape, layer.forward(np.ones((5, 2))).shape
    (Dense(2, 3), (3, 2), (5, 3))
    """

    def __init__(self, n_in: int, n_out: int, *, rng=None) -> None:
        super().__init__()
        n_in, n_out = (integer(arg, v, owner="Dense", minimum=1) for arg, v in (("n_in", n_in), ("n_out", n_out)))
        rng = generator(rng, owner="Dense")
        self.params = {"W": _weights("Dense", (n_out, n_in), rng, np.sqrt(2.0 / n_in)), "b": np.zeros(n_out)}

    def forward(self, x, train=False, out=None):
        """``x @ W.T + b``; ``out``: a ``(batch, out)`` array to write it into (the same bits, no new array)."""
        if x.ndim != 2 or x.shape[1] != self.params["W"].shape[1]:
            raise _bad_input(self, f"an array of shape (batch, {self.params['W'].shape[1]})", x)
        if train:
            self._x = x
        if out is None:
            return x @ self.params["W"].T + self.params["b"]
        return np.add(np.matmul(x, self.params["W"].T, out=out), self.params["b"], out=out)

    def backward(self, grad):
        self.grads = {"W": grad.T @ self._x, "b": grad.sum(axis=0)}
        return grad @ self.params["W"]

    def __repr__(self) -> str:
        out, inp = self.params["W"].shape
        return f"Dense({inp}, {out})"


IM2COL_BYTES = 32 * 2**20  # the most im2col patches Conv2d builds at once (a block of samples)


def _im2col(x: np.ndarray, k: int, stride: int, padding: int) -> tuple[np.ndarray, int, int]:
    """Patches ``(batch, out_h, out_w, channels·k·k)`` of ``x`` (batch, channels, h, w)."""
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    b, c, oh, ow = windows.shape[:4]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(b, oh, ow, c * k * k), oh, ow


def conv_output_size(size: int, k: int, stride: int, padding: int) -> int:
    """``⌊(size + 2·padding − k) / stride⌋ + 1``: output positions along one axis."""
    return (size + 2 * padding - k) // stride + 1


class Conv2d(Layer):
    """2-D convolution by im2col: ``W`` of shape ``(out_channels, in_channels, k, k)``.

    ``y[b, o, i, j] = Σ_{c, u, v} W[o, c, u, v] · x_pad[b, c, i·stride + u, j·stride + v] + b[o]``.
    The patches are built for a block of samples at a time (at most
    :data:`IM2COL_BYTES` of them), so memory does not grow with ``c·k²`` times
    the batch; every output element is the same product as with one block.

    Parameters
    ----------
    c_in, c_out : int
        Input and output channels (each ``>= 1``).
    k : int
        Side of the square kernel (``>= 1``).
    stride : int, optional
        Step of the kernel along height and width (``>= 1``); default 1.
    padding : int, optional
        Zeros added on each side of the height and the width (``>= 0``); default 0.
    rng : int, numpy Generator or None, optional
        Seed (``>= 0``) or generator of the initial weights ``W ~ N(0, 2/(c_in·k²))``;
        default None: fresh entropy. ``b`` starts at 0.

    Raises
    ------
    ValidationError
        A size, ``k`` or ``stride`` that is not an integer ``>= 1``, a ``padding`` that is not an
        integer ``>= 0``, or an ``rng`` that is not a seed or a generator.
    LimitError
        ``W`` would exceed the memory limit (``evsim.limits``); refused before it is allocated.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Conv2d
    >>> conv = Conv2d(1, 2, 3, padding=1, rng=0)
    >>> conv, conv.forward(np.ones((5, 1, 4, 4))).shape  # (batch, channels, height, width)
    (Conv2d(1, 2, k=3, stride=1, padding=1), (5, 2, 4, 4))
    """

    def __init__(self, c_in: int, c_out: int, k: int, *, stride: int = 1, padding: int = 0, rng=None) -> None:
        super().__init__()
        c_in, c_out, k, stride = (integer(arg, v, owner="Conv2d", minimum=1) for arg, v in
                                  (("c_in", c_in), ("c_out", c_out), ("k", k), ("stride", stride)))
        padding = integer("padding", padding, owner="Conv2d", minimum=0)
        rng = generator(rng, owner="Conv2d")
        fan_in = c_in * k * k
        self.params = {"W": _weights("Conv2d", (c_out, c_in, k, k), rng, np.sqrt(2.0 / fan_in)), "b": np.zeros(c_out)}
        self.k, self.stride, self.padding = k, stride, padding

    def _blocks(self, x: np.ndarray):
        """``(rows, patches)`` for consecutive blocks of samples of ``x``."""
        _, c, h, w = x.shape
        oh, ow = (conv_output_size(n, self.k, self.stride, self.padding) for n in (h, w))
        per_sample = max(1, oh * ow * c * self.k * self.k * x.itemsize)
        block = max(1, IM2COL_BYTES // per_sample)
        for start in range(0, len(x), block):
            rows = slice(start, start + block)
            yield rows, _im2col(x[rows], self.k, self.stride, self.padding)[0]

    def forward(self, x, train=False):
        W = self.params["W"]
        if x.ndim != 4 or x.shape[1] != W.shape[1]:
            raise _bad_input(self, f"an array of shape (batch, {W.shape[1]}, height, width)", x)
        if min(x.shape[2:]) + 2 * self.padding < self.k:
            side = self.k - 2 * self.padding
            raise _bad_input(self, f"images of at least {side}×{side} (the kernel, less the padding)", x)
        if train:
            self._x = x
        kernel = W.reshape(W.shape[0], -1).T
        y = None
        for rows, cols in self._blocks(x):
            part = cols @ kernel + self.params["b"]
            if y is None:
                y = np.empty((len(x), *part.shape[1:]), part.dtype)
            y[rows] = part
        return y.transpose(0, 3, 1, 2)

    def backward(self, grad):
        """``∂W = Σ g·patches``, ``∂b = Σ g``, ``∂x = col2im(g·W)``, block by block of samples."""
        W, x = self.params["W"], self._x
        kernel = W.reshape(W.shape[0], -1)
        g_all = grad.transpose(0, 2, 3, 1)
        grad_w, grad_x = None, np.empty(x.shape)
        for rows, cols in self._blocks(x):
            g = g_all[rows].reshape(-1, W.shape[0])
            part = g.T @ cols.reshape(-1, cols.shape[-1])
            grad_w = part if grad_w is None else grad_w + part
            dcols = (g @ kernel).reshape(cols.shape)
            grad_x[rows] = _col2im(dcols, x[rows].shape, self.k, self.stride, self.padding)
        self.grads = {"W": grad_w.reshape(W.shape), "b": g_all.reshape(-1, W.shape[0]).sum(axis=0)}
        return grad_x

    def __repr__(self) -> str:
        c_out, c_in, k, _ = self.params["W"].shape
        return f"Conv2d({c_in}, {c_out}, k={k}, stride={self.stride}, padding={self.padding})"


def _col2im(dcols, shape, k, stride, padding):
    b, c, h, w = shape
    out = np.zeros((b, c, h + 2 * padding, w + 2 * padding))
    oh, ow = dcols.shape[1:3]
    patches = dcols.reshape(b, oh, ow, c, k, k)
    for i in range(k):
        for j in range(k):
            out[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] += patches[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return out[:, :, padding:padding + h, padding:padding + w]


class AvgPool2d(Layer):
    """Average over non-overlapping ``k × k`` windows.

    Parameters
    ----------
    k : int
        Side of the window, and its stride (``>= 1``); the images' height and
        width must be multiples of it.

    Raises
    ------
    ValidationError
        ``k`` is not an integer ``>= 1``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import AvgPool2d
    >>> AvgPool2d(2).forward(np.arange(16.0).reshape(1, 1, 4, 4)).tolist()
    [[[[2.5, 4.5], [10.5, 12.5]]]]
    """

    def __init__(self, k: int) -> None:
        super().__init__()
        self.k = integer("k", k, owner="AvgPool2d", minimum=1)

    def forward(self, x, train=False):
        if x.ndim != 4:
            raise _bad_input(self, "an array of shape (batch, channels, height, width)", x)
        b, c, h, w = x.shape
        if h % self.k or w % self.k:
            raise _bad_input(self, f"images whose height and width are multiples of {self.k}", x)
        return x.reshape(b, c, h // self.k, self.k, w // self.k, self.k).mean(axis=(3, 5))

    def backward(self, grad):
        return np.repeat(np.repeat(grad, self.k, axis=2), self.k, axis=3) / (self.k * self.k)

    def __repr__(self) -> str:
        return f"AvgPool2d({self.k})"


class Flatten(Layer):
    """``(batch, …) → (batch, features)``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Flatten
    >>> Flatten().forward(np.zeros((2, 3, 4, 4))).shape
    (2, 48)
    """

    def forward(self, x, train=False):
        if train:
            self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad):
        return grad.reshape(self._shape)


class ReLU(Layer):
    """``max(x, 0)``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import ReLU
    >>> ReLU().forward(np.array([[-1.0, 0.5, 3.0]])).tolist()
    [[0.0, 0.5, 3.0]]
    """

    def forward(self, x, train=False):
        if train:
            self._mask = x > 0
        return np.maximum(x, 0.0)

    def backward(self, grad):
        return grad * self._mask


class ClipReLU(Layer):
    """``min(max(x, 0), ceiling)``.

    Parameters
    ----------
    ceiling : float, optional
        The largest output (finite, ``> 0``); default 1.0.

    Raises
    ------
    ValidationError
        ``ceiling`` is not a finite real number ``> 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import ClipReLU
    >>> ClipReLU(1.0).forward(np.array([[-1.0, 0.5, 3.0]])).tolist()
    [[0.0, 0.5, 1.0]]
    """

    def __init__(self, ceiling: float = 1.0) -> None:
        super().__init__()
        self.ceiling = real("ceiling", ceiling, owner="ClipReLU", minimum=0.0, exclusive_minimum=True)

    def forward(self, x, train=False):
        if train:
            self._mask = (x > 0) & (x < self.ceiling)
        return np.clip(x, 0.0, self.ceiling)

    def backward(self, grad):
        return grad * self._mask

    def __repr__(self) -> str:
        return f"ClipReLU({self.ceiling})"


class QCFS(Layer):
    """Quantisation-clip-floor-shift activation with ``levels`` steps and trainable ``λ``.

    Parameters
    ----------
    levels : int, optional
        ``L``, the number of output steps above 0 (``>= 1``); default 8.
    lam : float, optional
        The initial ``λ``, the largest output (finite, ``> 0``), kept in
        ``params["lam"]`` and trained; default 4.0.
    shift : float, optional
        ``φ``, added before the floor (any finite number); default 0.5.

    Raises
    ------
    ValidationError
        ``levels`` is not an integer ``>= 1``, ``lam`` not a finite real number ``> 0``, or ``shift``
        not a finite real number.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import QCFS
    >>> q = QCFS(levels=4, lam=2.0)  # outputs in steps of λ/L = 0.5, from 0 to λ = 2
    >>> q, q.forward(np.array([[-1.0, 0.3, 0.8, 5.0]])).tolist()
    (QCFS(levels=4, lam=2), [[0.0, 0.5, 1.0, 2.0]])
    """

    def __init__(self, levels: int = 8, lam: float = 4.0, shift: float = 0.5) -> None:
        super().__init__()
        self.levels = integer("levels", levels, owner="QCFS", minimum=1)
        self.shift = real("shift", shift, owner="QCFS")
        self.params = {"lam": np.array(real("lam", lam, owner="QCFS", minimum=0.0, exclusive_minimum=True))}

    def forward(self, x, train=False):
        lam, L = float(self.params["lam"]), self.levels
        if train:
            self._x = x
        return lam * np.clip(np.floor(x * L / lam + self.shift) / L, 0.0, 1.0)

    def backward(self, grad):
        lam, L = float(self.params["lam"]), self.levels
        low, high = -lam / (2 * L), lam - lam / (2 * L)
        self.grads = {"lam": np.array((grad * (self._x >= high)).sum())}
        return grad * ((self._x > low) & (self._x < high))

    def __repr__(self) -> str:
        return f"QCFS(levels={self.levels}, lam={float(self.params['lam']):.4g})"


ACTIVATIONS = (ReLU, ClipReLU, QCFS)


class Sequential(Layer):
    """Layers applied in order.

    Parameters
    ----------
    layers : sequence of Layer
        At least one layer (Dense, Conv2d, AvgPool2d, Flatten, ReLU, ClipReLU,
        QCFS), first to last; kept as the list ``layers`` (the layers themselves
        are not copied).

    Raises
    ------
    ValidationError
        ``layers`` is a string, a single layer or not iterable, is empty, or holds
        something that is not a ``Layer``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, ReLU, Sequential
    >>> model = Sequential([Dense(4, 8, rng=0), ReLU(), Dense(8, 3, rng=1)])
    >>> model, model.forward(np.ones((5, 4))).shape
    (Sequential(Dense(4, 8), ReLU(), Dense(8, 3)), (5, 3))
    """

    def __init__(self, layers: Sequence[Layer]) -> None:
        super().__init__()
        if isinstance(layers, (str, bytes, Layer)) or not hasattr(layers, "__iter__"):
            raise refuse("Sequential", "layers", "a sequence of layers", layers)
        self.layers = list(layers)
        if not self.layers:
            raise refuse("Sequential", "layers", "at least one layer", self.layers)
        for i, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise refuse("Sequential", f"layers[{i}]", "a Layer (Dense, Conv2d, AvgPool2d, Flatten, ReLU, "
                             "ClipReLU, QCFS)", layer)

    def forward(self, x, train=False):
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def backward(self, grad):
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def __repr__(self) -> str:
        return "Sequential(" + ", ".join(map(repr, self.layers)) + ")"
