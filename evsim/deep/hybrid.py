"""Hybrid SNN–ANN models: spiking layers extract features, an accumulator turns spikes into numbers, an ANN classifies.

The hybrid pipeline evsim follows (an SNN on neuromorphic hardware for feature
extraction, an *accumulator circuit* between the spiking and the non-spiking
domain, an ANN on an edge GPU for classification; reported to beat the ANN on
every metric and the SNN on accuracy and latency) is, in evsim's terms:

- the **spiking part**: the first ``k`` spiking layers of a trained
  :class:`~evsim.deep.convert.SpikingNet`, whose output accumulator is replaced
  by an *identity* accumulator over layer ``k``'s neurons
  (:func:`spiking_part`). A spike carries ``θ_k``, so after ``T`` steps
  accumulator ``j`` holds ``u_j = θ_k · n_j``, ``n_j`` neuron ``j``'s spike count,
  and the feature handed over is ``f_j = u_j / T`` (``θ_k`` times the firing rate);
- the **head**: an ANN (:class:`~evsim.deep.layers.Sequential`) trained on those
  features (:func:`fit_head`), predicting ``argmax head(f)``.

The accumulator is an ordinary output layer, so :func:`~evsim.deep.to_network`
expands the spiking part, accumulator included, into an event-driven network:
its ``out{j}`` neurons are the accumulator circuit, whose potentials are read
at the end (:func:`engine_features`). The engine fires the runner's spikes
(property-tested), and its accumulators hold the runner's features.

Energy per image (:func:`hybrid_energy`): the spiking part's counted operations
(one AC per spike and nonzero outgoing weight — one into the accumulator per
hidden spike — and the MACs of analog input), plus one MAC per nonzero head
weight (:func:`~evsim.deep.energy.dense_macs`), at :data:`~evsim.deep.energy.E_AC` and
:data:`~evsim.deep.energy.E_MAC`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from evsim.deep import checks
from evsim.deep.convert import SpikingLayer, SpikingNet
from evsim.deep.energy import E_AC, E_MAC, dense_macs
from evsim.deep.layers import Dense, Flatten, Sequential
from evsim.deep.runner import RunResult, run
from evsim.deep.to_network import network_inputs, to_network
from evsim.deep.train import train
from evsim.validation import integer, refuse

__all__ = ["HybridNet", "spiking_part", "features", "fit_head", "predict", "hybrid_energy", "engine_features"]


def spiking_part(snn: SpikingNet, layers: int | None = None) -> SpikingNet:
    """The first ``layers`` spiking layers of ``snn``, read out by an identity accumulator (see the module docstring).

    Parameters
    ----------
    snn : SpikingNet
        A trained or converted net.
    layers : int or None, optional
        How many of its spiking layers to keep (``1 …`` all); default None: all of them.

    Returns
    -------
    SpikingNet
        The kept layers (shared, not copied: layers are not changed in place), then an
        accumulator with identity weights, no bias and ``v(0) = 0`` over the last kept layer
        (flattened first when it is a convolution's maps).

    Raises
    ------
    ValidationError
        ``snn`` not a SpikingNet, or ``layers`` not in ``[1, spiking layers]``.

    Examples
    --------
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.hybrid import spiking_part
    >>> part = spiking_part(spiking_mlp([4, 6, 5, 3], seed=0), layers=1)
    >>> [layer.size for layer in part.layers], part.layers[-1].spiking
    ([6, 6], False)
    """
    owner = "spiking_part"
    checks.instance("snn", snn, SpikingNet, owner=owner)
    spiking = [layer for layer in snn.layers if layer.spiking]
    layers = len(spiking) if layers is None else integer("layers", layers, owner=owner, minimum=1,
                                                          maximum=len(spiking))
    last = spiking[layers - 1]
    identity = Dense(last.size, last.size, rng=0)
    identity.params = {"W": np.eye(last.size, dtype=snn.dtype), "b": np.zeros(last.size, snn.dtype)}
    ops = (identity,) if len(last.output_shape) == 1 else (Flatten(), identity)  # a conv layer's maps, flattened
    accumulator = SpikingLayer(ops, last.output_shape, (last.size,), np.zeros(last.size, snn.dtype), None,
                               np.zeros(last.size, snn.dtype))
    return SpikingNet(tuple(spiking[:layers]) + (accumulator,), snn.input_shape, snn.norm, snn.v_init_rule,
                      snn.dtype)


def features(part: SpikingNet, x: np.ndarray, steps: int, **run_options) -> tuple[np.ndarray, RunResult]:
    """The accumulators' values over ``T``, ``f = u_T / T`` per sample, and the run that gave them.

    Parameters
    ----------
    part : SpikingNet
        A :func:`spiking_part`.
    x : ndarray
        ``(samples, *part.input_shape)`` inputs.
    steps : int
        Time steps ``T`` (``>= 1``).
    **run_options
        Passed to :func:`~evsim.deep.runner.run` (``encoding``, ``rng``, ``single_spike``, …; not
        ``exit_threshold``).

    Returns
    -------
    features : ndarray
        ``(samples, neurons)``: ``θ`` times each neuron's firing rate.
    result : RunResult
        The spiking part's run (its counted operations give its energy).

    Raises
    ------
    ValidationError
        As :func:`~evsim.deep.runner.run`'s.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.hybrid import features, spiking_part
    >>> values, result = features(spiking_part(spiking_mlp([2, 3, 2], seed=0)), np.array([[1.0, 0.5]]), 4)
    >>> values.tolist(), result.spike_counts.sum(axis=0).tolist()  # θ = 1: spikes per step
    ([[0.0, 0.5, 0.0]], [2.0])
    """
    steps = integer("steps", steps, owner="features", minimum=1)
    if run_options.get("exit_threshold") is not None:
        raise refuse("features", "exit_threshold", "None: every sample's accumulator is read after all T steps",
                     run_options["exit_threshold"])
    result = run(part, x, steps, **run_options)
    return result.logits[-1] / steps, result


@dataclass(frozen=True, eq=False)
class HybridNet:
    """A spiking part and an ANN head (see the module docstring).

    Attributes
    ----------
    part : SpikingNet
        The spiking layers and their identity accumulator (:func:`spiking_part`).
    head : Sequential
        The ANN on the accumulated features.
    steps : int
        Time steps ``T`` the spiking part runs (the head was trained on features over ``T``).

    Examples
    --------
    >>> from evsim.deep import ReLU, Sequential, Dense, spiking_mlp
    >>> from evsim.deep.hybrid import HybridNet, spiking_part
    >>> HybridNet(spiking_part(spiking_mlp([4, 6, 3], seed=0)), Sequential([Dense(6, 3, rng=0)]), 4)
    HybridNet(spiking (4,) → 6, accumulator 6 → head 3 classes, T = 4)
    """

    part: SpikingNet
    head: Sequential
    steps: int

    def __repr__(self) -> str:
        sizes = " → ".join(str(layer.size) for layer in self.part.layers[:-1])
        return (f"HybridNet(spiking {self.part.input_shape} → {sizes}, accumulator {self.part.layers[-1].size} → "
                f"head {self._classes()} classes, T = {self.steps})")

    def _classes(self) -> int:
        return int(self.head.forward(np.zeros((1, self.part.layers[-1].size), self.part.dtype)).shape[1])


def fit_head(part: SpikingNet, head: Sequential, x: np.ndarray, y: np.ndarray, steps: int, *, epochs: int = 60,
             lr: float = 2e-3, seed: int = 0, progress: bool = False, **run_options) -> HybridNet:
    """Train ``head`` (a copy) on the spiking part's features of ``x``; the spiking part is not trained.

    The features are computed once (:func:`features`), then the head is
    trained on them by :func:`~evsim.deep.train.train` (Adam, cross-entropy).

    Parameters
    ----------
    part : SpikingNet
        A :func:`spiking_part`.
    head : Sequential
        The ANN head; its input width must be the accumulator's size. Not changed.
    x, y : ndarray
        Training inputs and their class indices.
    steps : int
        Time steps ``T`` (``>= 1``).
    epochs, lr, seed : optional
        As :func:`~evsim.deep.train.train`'s (defaults 60, 2e-3, 0).
    progress : bool, optional
        A tqdm bar over the head's epochs; default False.
    **run_options
        Passed to :func:`~evsim.deep.runner.run` for the features.

    Returns
    -------
    HybridNet
        The spiking part, the trained copy of the head, ``steps``.

    Raises
    ------
    ValidationError
        ``part`` or ``head`` of the wrong type, a head whose input is not the accumulator's
        width, or a bad training argument (named as :func:`~evsim.deep.train.train` names it).

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, Sequential, spiking_mlp
    >>> from evsim.deep.hybrid import fit_head, predict, spiking_part
    >>> x = np.random.default_rng(0).random((40, 3)); y = (x[:, 0] > x[:, 1]).astype(int)
    >>> model = fit_head(spiking_part(spiking_mlp([3, 8, 2], seed=0)), Sequential([Dense(8, 2, rng=0)]), x, y, 4,
    ...                  epochs=5)
    >>> predict(model, x).shape
    (40,)
    """
    owner = "fit_head"
    part, head = _checked(owner, part, head)
    steps = integer("steps", steps, owner=owner, minimum=1)
    values, _ = features(part, x, steps, **run_options)
    head = copy.deepcopy(head)
    train(head, values, y, epochs=epochs, lr=lr, seed=seed, progress=progress)
    return HybridNet(part, head, steps)


def _checked(owner: str, part, head) -> tuple[SpikingNet, Sequential]:
    checks.instance("part", part, SpikingNet, owner=owner, accepted="a SpikingNet (from spiking_part)")
    checks.instance("head", head, Sequential, owner=owner, accepted="a Sequential (the ANN head)")
    width = part.layers[-1].size
    try:
        head.forward(np.zeros((1, width), part.dtype))
    except Exception as error:  # noqa: BLE001 - any refusal of the width is the same mistake
        raise refuse(owner, "head", f"an ANN whose input is the accumulator's {width} features", head) from error
    return part, head


def predict(model: HybridNet, x: np.ndarray, **run_options) -> np.ndarray:
    """``argmax head(features(x))`` per sample.

    Parameters
    ----------
    model : HybridNet
        The model.
    x : ndarray
        ``(samples, *model.part.input_shape)`` inputs.
    **run_options
        Passed to :func:`~evsim.deep.runner.run`.

    Returns
    -------
    ndarray of int
        One class index per sample.

    Raises
    ------
    ValidationError
        ``model`` not a HybridNet, or as :func:`~evsim.deep.runner.run`'s.

    Examples
    --------
    See :func:`fit_head`.
    """
    checks.instance("model", model, HybridNet, owner="predict")
    values, _ = features(model.part, x, model.steps, **run_options)
    return model.head.forward(values).argmax(axis=1)


def hybrid_energy(result: RunResult, head: Sequential, e_ac: float = E_AC, e_mac: float = E_MAC) -> float:
    """Joules per image: the spiking part's counted operations (``result``) plus the head's MACs.

    Parameters
    ----------
    result : RunResult
        A run of the spiking part (:func:`features`' second value).
    head : Sequential
        The head.
    e_ac, e_mac : float, optional
        Joules per accumulate and per multiply-accumulate; defaults 0.9 and 4.6 pJ.

    Returns
    -------
    float
        Joules per image.

    Raises
    ------
    ValidationError
        ``result`` not a RunResult, or ``head`` not a Sequential.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, Sequential, spiking_mlp
    >>> from evsim.deep.hybrid import features, hybrid_energy, spiking_part
    >>> _, result = features(spiking_part(spiking_mlp([2, 3, 2], seed=0)), np.array([[1.0, 0.5]]), 4)
    >>> round(hybrid_energy(result, Sequential([Dense(3, 2, rng=0)])) * 1e12, 2)  # pJ: 24·4.6 + 2·0.9 + 6·4.6
    139.8
    """
    checks.instance("result", result, RunResult, owner="hybrid_energy", accepted="a RunResult (from features)")
    images = result.logits.shape[1]
    return result.energy(e_ac, e_mac) / images + dense_macs(head) * e_mac


def engine_features(model: HybridNet, x: np.ndarray) -> np.ndarray:
    """The same features from the event engine: the accumulator neurons' potentials at the end, over ``T``.

    The spiking part becomes :func:`~evsim.deep.to_network` ``(model.part)``; each
    sample runs for ``T`` steps (analog input), and ``out{j}``'s potential after
    its last update is ``u_j``.

    Parameters
    ----------
    model : HybridNet
        The model (keep its spiking part small: one engine neuron per unit).
    x : ndarray
        ``(samples, *input_shape)`` inputs, analog.

    Returns
    -------
    ndarray
        ``(samples, neurons)``, to compare with :func:`features`.

    Raises
    ------
    ValidationError
        ``model`` not a HybridNet, or ``x`` not a batch of the input shape.
    LimitError
        The network would exceed the memory limit.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, Sequential, spiking_mlp
    >>> from evsim.deep.hybrid import HybridNet, engine_features, features, spiking_part
    >>> part = spiking_part(spiking_mlp([2, 3, 2], seed=0))
    >>> x = np.array([[1.0, 0.5], [0.2, 0.9]])
    >>> engine_features(HybridNet(part, Sequential([Dense(3, 2, rng=0)]), 4), x).tolist() == features(part, x, 4)[0].tolist()
    True
    """
    from evsim.simulator import simulate

    checks.instance("model", model, HybridNet, owner="engine_features")
    x = checks.samples("x", x, owner="engine_features", sample_shape=model.part.input_shape)
    network, steps = to_network(model.part), model.steps
    outputs = [f"out{j}" for j in range(model.part.layers[-1].size)]
    rows = []
    for sample in x:
        record = simulate(network, network_inputs(np.broadcast_to(sample, (steps, *sample.shape))), until=steps,
                          probes=outputs)
        rows.append([_final(record.potentials[name]) for name in outputs])
    return np.array(rows) / steps


def _final(trace) -> float:
    """A probed accumulator's potential after its last update (0.0, its start, if it never updated)."""
    return float(trace.after[-1]) if len(trace.after) else 0.0
