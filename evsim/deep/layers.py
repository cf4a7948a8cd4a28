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

from evsim.errors import ValidationError

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


class Dense(Layer):
    """``y = x @ W.T + b`` with ``W`` of shape ``(out, in)`` (He-initialised)."""

    def __init__(self, n_in: int, n_out: int, *, rng=None) -> None:
        super().__init__()
        rng = np.random.default_rng(rng)
        self.params = {"W": rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in)), "b": np.zeros(n_out)}

    def forward(self, x, train=False, out=None):
        """``x @ W.T + b``; ``out``: a ``(batch, out)`` array to write it into (the same bits, no new array)."""
        if x.ndim != 2 or x.shape[1] != self.params["W"].shape[1]:
            raise ValidationError(f"Dense expects (batch, {self.params['W'].shape[1]}) input, got {x.shape}")
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


def _im2col(x: np.ndarray, k: int, stride: int, padding: int) -> tuple[np.ndarray, int, int]:
    """Patches ``(batch, out_h, out_w, channels·k·k)`` of ``x`` (batch, channels, h, w)."""
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    b, c, oh, ow = windows.shape[:4]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(b, oh, ow, c * k * k), oh, ow


class Conv2d(Layer):
    """2-D convolution by im2col: ``W`` of shape ``(out_channels, in_channels, k, k)``."""

    def __init__(self, c_in: int, c_out: int, k: int, *, stride: int = 1, padding: int = 0, rng=None) -> None:
        super().__init__()
        rng = np.random.default_rng(rng)
        fan_in = c_in * k * k
        self.params = {"W": rng.normal(0.0, np.sqrt(2.0 / fan_in), (c_out, c_in, k, k)), "b": np.zeros(c_out)}
        self.k, self.stride, self.padding = k, stride, padding

    def forward(self, x, train=False):
        W = self.params["W"]
        if x.ndim != 4 or x.shape[1] != W.shape[1]:
            raise ValidationError(f"Conv2d expects (batch, {W.shape[1]}, h, w) input, got {x.shape}")
        cols, oh, ow = _im2col(x, self.k, self.stride, self.padding)
        if train:
            self._cols, self._shape = cols, x.shape
        y = cols @ W.reshape(W.shape[0], -1).T + self.params["b"]
        return y.transpose(0, 3, 1, 2)

    def backward(self, grad):
        W = self.params["W"]
        g = grad.transpose(0, 2, 3, 1).reshape(-1, W.shape[0])
        cols = self._cols.reshape(-1, self._cols.shape[-1])
        self.grads = {"W": (g.T @ cols).reshape(W.shape), "b": g.sum(axis=0)}
        dcols = (g @ W.reshape(W.shape[0], -1)).reshape(self._cols.shape)
        return _col2im(dcols, self._shape, self.k, self.stride, self.padding)

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
    """Average over non-overlapping ``k × k`` windows."""

    def __init__(self, k: int) -> None:
        super().__init__()
        self.k = k

    def forward(self, x, train=False):
        b, c, h, w = x.shape
        if h % self.k or w % self.k:
            raise ValidationError(f"AvgPool2d({self.k}) needs height and width divisible by {self.k}, got {x.shape}")
        return x.reshape(b, c, h // self.k, self.k, w // self.k, self.k).mean(axis=(3, 5))

    def backward(self, grad):
        return np.repeat(np.repeat(grad, self.k, axis=2), self.k, axis=3) / (self.k * self.k)

    def __repr__(self) -> str:
        return f"AvgPool2d({self.k})"


class Flatten(Layer):
    """``(batch, …) → (batch, features)``."""

    def forward(self, x, train=False):
        if train:
            self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad):
        return grad.reshape(self._shape)


class ReLU(Layer):
    def forward(self, x, train=False):
        if train:
            self._mask = x > 0
        return np.maximum(x, 0.0)

    def backward(self, grad):
        return grad * self._mask


class ClipReLU(Layer):
    """``min(max(x, 0), ceiling)``."""

    def __init__(self, ceiling: float = 1.0) -> None:
        super().__init__()
        self.ceiling = float(ceiling)

    def forward(self, x, train=False):
        if train:
            self._mask = (x > 0) & (x < self.ceiling)
        return np.clip(x, 0.0, self.ceiling)

    def backward(self, grad):
        return grad * self._mask

    def __repr__(self) -> str:
        return f"ClipReLU({self.ceiling})"


class QCFS(Layer):
    """Quantisation-clip-floor-shift activation with ``levels`` steps and trainable ``λ``."""

    def __init__(self, levels: int = 8, lam: float = 4.0, shift: float = 0.5) -> None:
        super().__init__()
        if not isinstance(levels, (int, np.integer)) or levels < 1:
            raise ValidationError(f"QCFS levels must be a whole number >= 1, got {levels!r}")
        self.levels, self.shift = int(levels), float(shift)
        self.params = {"lam": np.array(float(lam))}

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
    """Layers applied in order."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        super().__init__()
        self.layers = list(layers)
        for layer in self.layers:
            if not isinstance(layer, Layer):
                raise ValidationError(f"Sequential takes Layer values, got {layer!r}")

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
