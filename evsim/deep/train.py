"""Training a :class:`~evsim.deep.layers.Sequential` in NumPy: cross-entropy, SGD/Adam, minibatches."""

from __future__ import annotations

from typing import Callable

import numpy as np

from evsim.deep.layers import Layer, Sequential
from evsim.errors import ValidationError

__all__ = ["cross_entropy", "SGD", "Adam", "train", "accuracy"]


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = labels.size
    loss = -log_p[np.arange(n), labels].mean()
    grad = np.exp(log_p)
    grad[np.arange(n), labels] -= 1.0
    return float(loss), grad / n


def _parameters(model: Sequential) -> list[tuple[Layer, str]]:
    return [(layer, name) for layer in model.layers for name in layer.params]


class SGD:
    """``v ← μ v + (g + wd·p)``; ``p ← p − lr·v`` (weight decay on weights, not biases or λ)."""

    def __init__(self, model: Sequential, lr: float = 0.05, momentum: float = 0.9, weight_decay: float = 1e-4):
        self.model, self.lr, self.momentum, self.weight_decay = model, lr, momentum, weight_decay
        self.velocity = {(id(layer), name): np.zeros_like(layer.params[name]) for layer, name in _parameters(model)}

    def step(self) -> None:
        for layer, name in _parameters(self.model):
            g = layer.grads[name] + (self.weight_decay * layer.params[name] if name == "W" else 0.0)
            v = self.velocity[(id(layer), name)]
            v *= self.momentum
            v += g
            layer.params[name] = layer.params[name] - self.lr * v


class Adam:
    """Adam (Kingma & Ba) with decoupled weight decay on weights."""

    def __init__(self, model: Sequential, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-4):
        self.model, self.lr, self.betas, self.eps, self.weight_decay = model, lr, betas, eps, weight_decay
        self.m = {(id(layer), name): np.zeros_like(layer.params[name]) for layer, name in _parameters(model)}
        self.v = {key: np.zeros_like(value) for key, value in self.m.items()}
        self.t = 0

    def step(self) -> None:
        self.t += 1
        b1, b2 = self.betas
        for layer, name in _parameters(self.model):
            key, g = (id(layer), name), layer.grads[name]
            self.m[key] = b1 * self.m[key] + (1 - b1) * g
            self.v[key] = b2 * self.v[key] + (1 - b2) * g * g
            m_hat, v_hat = self.m[key] / (1 - b1**self.t), self.v[key] / (1 - b2**self.t)
            decay = self.weight_decay * layer.params[name] if name == "W" else 0.0
            layer.params[name] = layer.params[name] - self.lr * (m_hat / (np.sqrt(v_hat) + self.eps) + decay)


def accuracy(model: Sequential, x: np.ndarray, y: np.ndarray, batch: int = 512) -> float:
    """Fraction of ``x`` classified as ``y``."""
    predictions = np.concatenate([model.forward(x[i:i + batch]).argmax(axis=1) for i in range(0, len(x), batch)])
    return float((predictions == y).mean())


def train(model: Sequential, x: np.ndarray, y: np.ndarray, *, epochs: int = 20, batch: int = 64,
          optimizer: str = "adam", lr: float | None = None, seed: int = 0,
          progress: bool | Callable[[int, float], None] = False) -> list[float]:
    """Minibatch training with a seeded shuffle; returns the mean loss of each epoch.

    ``progress=True`` shows a tqdm bar over epochs (on standard error) with
    the running loss; a callable is instead called as ``progress(epoch, loss)``
    after every epoch.
    """
    if len(x) != len(y):
        raise ValidationError(f"x has {len(x)} samples but y has {len(y)} labels")
    if optimizer not in ("adam", "sgd"):
        raise ValidationError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    step = Adam(model, lr=lr or 1e-3) if optimizer == "adam" else SGD(model, lr=lr or 0.05)
    rng = np.random.default_rng(seed)
    losses = []
    bar = _bar(epochs) if progress is True else None
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(x), batch):
            rows = order[start:start + batch]
            loss, grad = cross_entropy(model.forward(x[rows], train=True), y[rows])
            model.backward(grad)
            step.step()
            total += loss * rows.size
        losses.append(total / len(x))
        if bar is not None:
            bar.set_postfix(loss=f"{losses[-1]:.4f}")
            bar.update()
        elif callable(progress):
            progress(epoch, losses[-1])
    if bar is not None:
        bar.close()
    return losses


def _bar(epochs: int):
    from tqdm import tqdm

    return tqdm(total=epochs, desc="training", unit="epoch", leave=False)
