"""Training a :class:`~evsim.deep.layers.Sequential` in NumPy: cross-entropy, SGD/Adam, minibatches."""

from __future__ import annotations

from typing import Callable, Hashable

import numpy as np

from evsim.deep import checks
from evsim.deep.layers import Layer, Sequential
from evsim.validation import choice, generator, integer, real, real_array, refuse

__all__ = ["cross_entropy", "softmax", "SGD", "Adam", "AdamRule", "train", "accuracy"]


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and its gradient with respect to the logits.

    Parameters
    ----------
    logits : ndarray
        ``(samples, classes)`` finite numbers (non-empty).
    labels : ndarray of int
        One class index per sample, in ``[0, classes)``.

    Returns
    -------
    loss : float
        ``−mean_i log softmax(logits_i)[labels_i]``.
    grad : ndarray
        ``(samples, classes)``: ``(softmax(logits) − onehot(labels)) / samples``, the gradient of ``loss``.

    Raises
    ------
    ValidationError
        ``logits`` is not a non-empty 2-D array of finite real numbers, or ``labels`` not one class
        index in range per sample.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import cross_entropy
    >>> loss, grad = cross_entropy(np.array([[2.0, 0.0], [0.0, 0.0]]), np.array([0, 1]))
    >>> round(loss, 6), grad.round(4).tolist()
    (0.410038, [[-0.0596, 0.0596], [0.25, -0.25]])
    """
    logits = real_array("logits", logits, owner="cross_entropy", ndim=2, allow_empty=False)
    labels = checks.labels("labels", labels, owner="cross_entropy", count=len(logits), classes=logits.shape[1])
    _, log_p = softmax(logits)
    n = labels.size
    loss = -log_p[np.arange(n), labels].mean()
    grad = np.exp(log_p)
    grad[np.arange(n), labels] -= 1.0
    return float(loss), grad / n


def softmax(logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(softmax(z), log softmax(z))`` over the last axis, shifted by the maximum (no overflow).

    The one softmax of the deep path: the cross-entropy, distillation's terms,
    SEENN-II's objective and the variation study's signature use it.

    Parameters
    ----------
    logits : ndarray
        ``(samples, classes)`` finite numbers (not checked: callers check their own arguments).

    Returns
    -------
    probabilities, log_probabilities : ndarray
        Each of ``logits``' shape.

    Raises
    ------
    ValidationError
        Never (NumPy's own errors for arrays that are not 2-D).

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.train import softmax
    >>> p, log_p = softmax(np.array([[0.0, np.log(3.0)]]))
    >>> p.round(4).tolist()
    [[0.25, 0.75]]
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return np.exp(log_p), log_p


def _parameters(model: Sequential) -> list[tuple[Layer, str]]:
    return [(layer, name) for layer in model.layers for name in layer.params]


class SGD:
    """``v ← μ v + (g + wd·p)``; ``p ← p − lr·v`` (weight decay on weights, not biases or λ)."""

    def __init__(self, model: Sequential, lr: float = 0.05, momentum: float = 0.9, weight_decay: float = 1e-4):
        checks.instance("model", model, Sequential, accepted="a Sequential", owner="SGD")
        lr = real("lr", lr, owner="SGD", minimum=0.0, exclusive_minimum=True)
        momentum = real("momentum", momentum, owner="SGD", minimum=0.0, maximum=1.0)
        weight_decay = real("weight_decay", weight_decay, owner="SGD", minimum=0.0)
        self.model, self.lr, self.momentum, self.weight_decay = model, lr, momentum, weight_decay
        self.velocity = {(id(layer), name): np.zeros_like(layer.params[name]) for layer, name in _parameters(model)}

    def step(self) -> None:
        for layer, name in _parameters(self.model):
            g = layer.grads[name] + (self.weight_decay * layer.params[name] if name == "W" else 0.0)
            v = self.velocity[(id(layer), name)]
            v *= self.momentum
            v += g
            layer.params[name] = layer.params[name] - self.lr * v


class AdamRule:
    """The Adam update (Kingma & Ba) of any parameters, each kept under its own key.

    For each parameter ``p`` with gradient ``g``, at step ``t`` (counted by
    :meth:`next_step`)::

        m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
        p ← p − lr·(m̂ / (√v̂ + ε) + wd·p),   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)

    with the decoupled weight decay ``wd`` where the caller asks for it
    (weights, not biases). The moments of a key start at zero on its first update.
    """

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-4, *, owner: str = "Adam"):
        self.lr = real("lr", lr, owner=owner, minimum=0.0, exclusive_minimum=True)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise refuse(owner, "betas", "a pair of numbers in [0, 1)", betas)
        self.betas = tuple(real(f"betas[{i}]", b, owner=owner, minimum=0.0, maximum=np.nextafter(1.0, 0.0))
                           for i, b in enumerate(betas))
        self.eps = real("eps", eps, owner=owner, minimum=0.0, exclusive_minimum=True)
        self.weight_decay = real("weight_decay", weight_decay, owner=owner, minimum=0.0)
        self.m: dict = {}
        self.v: dict = {}
        self.t = 0

    def next_step(self) -> None:
        """Start a new step: every :meth:`update` until the next call shares its bias correction."""
        self.t += 1

    def update(self, key: Hashable, value: np.ndarray, grad: np.ndarray, *, decay: bool) -> np.ndarray:
        """The new value of the parameter ``key``, in ``value``'s dtype (a new array; ``value`` is not changed)."""
        b1, b2 = self.betas
        m = self.m[key] = b1 * self.m.get(key, 0.0) + (1 - b1) * grad
        v = self.v[key] = b2 * self.v.get(key, 0.0) + (1 - b2) * grad * grad
        m_hat, v_hat = m / (1 - b1**self.t), v / (1 - b2**self.t)
        new = value - self.lr * (m_hat / (np.sqrt(v_hat) + self.eps) + (self.weight_decay * value if decay else 0.0))
        return new.astype(value.dtype, copy=False) if isinstance(value, np.ndarray) else new  # float32 stays float32


class Adam:
    """Adam (:class:`AdamRule`) over a :class:`Sequential`'s parameters, weight decay on weights only."""

    def __init__(self, model: Sequential, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-4):
        checks.instance("model", model, Sequential, accepted="a Sequential", owner="Adam")
        self.model, self.rule = model, AdamRule(lr, betas, eps, weight_decay, owner="Adam")

    def step(self) -> None:
        self.rule.next_step()
        for layer, name in _parameters(self.model):
            layer.params[name] = self.rule.update((id(layer), name), layer.params[name], layer.grads[name],
                                                  decay=name == "W")


def accuracy(model: Sequential, x: np.ndarray, y: np.ndarray, batch: int = 512) -> float:
    """Fraction of ``x`` classified as ``y``.

    Parameters
    ----------
    model : Sequential
        A classifier: its output is ``(samples, classes)``; the predicted class is the argmax.
    x : ndarray
        ``(samples, *input shape)`` finite values, a non-empty batch.
    y : ndarray of int
        One class index in ``[0, classes)`` per sample.
    batch : int, optional
        Samples per forward pass (``>= 1``; memory, not the result); default 512.

    Returns
    -------
    float
        The fraction in ``[0, 1]`` of samples whose predicted class is their label.

    Raises
    ------
    ValidationError
        ``model`` is not a Sequential or not a classifier, a layer refuses the shape of ``x``, ``x`` is
        not a non-empty batch of finite real numbers, ``batch`` not an integer ``>= 1``, or ``y`` not
        one label in range per sample.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, ReLU, Sequential, accuracy
    >>> model = Sequential([Dense(2, 8, rng=0), ReLU(), Dense(8, 2, rng=1)])
    >>> x = np.random.default_rng(0).random((16, 2))
    >>> accuracy(model, x, (x[:, 0] > x[:, 1]).astype(int))  # untrained
    0.6875
    """
    checks.instance("model", model, Sequential, accepted="a Sequential", owner="accuracy")
    x = checks.samples("x", x, owner="accuracy")
    batch = integer("batch", batch, owner="accuracy", minimum=1)
    y = checks.labels("y", y, owner="accuracy", count=len(x), classes=_classes(model, x))
    predictions = np.concatenate([model.forward(x[i:i + batch]).argmax(axis=1) for i in range(0, len(x), batch)])
    return float((predictions == y).mean())


def train(model: Sequential, x: np.ndarray, y: np.ndarray, *, epochs: int = 20, batch: int = 64,
          optimizer: str = "adam", lr: float | None = None, seed: int = 0,
          progress: bool | Callable[[int, float], None] = False) -> list[float]:
    """Minibatch training with a seeded shuffle; returns the mean loss of each epoch.

    Parameters
    ----------
    model : Sequential
        The classifier to train (output ``(samples, classes)``), trained in
        place: its parameters are replaced after every batch.
    x : ndarray
        ``(samples, *input shape)`` finite values, a non-empty batch.
    y : ndarray of int
        One class index in ``[0, classes)`` per sample.
    epochs : int, optional
        Passes over the data (``>= 1``); default 20.
    batch : int, optional
        Samples per update (``>= 1``); default 64.
    optimizer : {"adam", "sgd"}, optional
        :class:`Adam` or :class:`SGD` (momentum 0.9), each with weight decay
        ``1e-4`` on the weights; default ``"adam"``.
    lr : float or None, optional
        The learning rate (finite, ``> 0``); default None: 1e-3 for Adam, 0.05 for SGD.
    seed : int, numpy Generator or None, optional
        The shuffle's seed (``>= 0``) or generator; default 0.
    progress : bool or callable, optional
        ``progress=True`` shows a tqdm bar over epochs (on standard error) with
        the running loss; a callable is instead called as ``progress(epoch, loss)``
        after every epoch. Default False: nothing.

    Returns
    -------
    list of float
        The mean cross-entropy of each epoch over its batches (as they were
        before each update).

    Raises
    ------
    ValidationError
        A bad argument, named with the value and what is accepted; a model that
        is not a classifier or whose layers refuse the shape of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, ReLU, Sequential, train
    >>> model = Sequential([Dense(2, 8, rng=0), ReLU(), Dense(8, 2, rng=1)])
    >>> x = np.random.default_rng(0).random((16, 2))
    >>> losses = train(model, x, (x[:, 0] > x[:, 1]).astype(int), epochs=3, batch=8, lr=0.05)
    >>> [round(loss, 4) for loss in losses]
    [0.6762, 0.6157, 0.5941]
    """
    owner = "train"
    checks.instance("model", model, Sequential, accepted="a Sequential", owner=owner)
    x = checks.samples("x", x, owner=owner)
    y = checks.labels("y", y, owner=owner, count=len(x), classes=_classes(model, x))
    epochs = integer("epochs", epochs, owner=owner, minimum=1)
    batch = integer("batch", batch, owner=owner, minimum=1)
    optimizer = choice("optimizer", optimizer, ("adam", "sgd"), owner=owner)
    if lr is not None:
        lr = real("lr", lr, owner=owner, minimum=0.0, exclusive_minimum=True)
    progress = checks.progress(progress, owner=owner)
    rng = generator(seed, owner=owner, argument="seed")
    step = Adam(model, lr=lr or 1e-3) if optimizer == "adam" else SGD(model, lr=lr or 0.05)
    losses = []
    bar = epoch_bar(epochs) if progress is True else None
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


def _classes(model: Sequential, x: np.ndarray) -> int:
    """The number of classes: the width of the model's output on one sample (shapes checked by the layers)."""
    out = model.forward(x[:1])
    if out.ndim != 2:
        raise refuse("train", "model", "a classifier whose output is (samples, classes)",
                     checks.Said(f"a model with output shape {out.shape}"))
    return out.shape[1]


def epoch_bar(epochs: int, desc: str = "training"):
    """A tqdm bar over ``epochs`` on standard error, gone when closed (the trainers' progress)."""
    from tqdm import tqdm

    return tqdm(total=epochs, desc=desc, unit="epoch", leave=False)
