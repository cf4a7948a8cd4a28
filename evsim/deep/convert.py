"""ANN → SNN conversion (Rueckauer et al. 2017; Bu et al. 2022).

Each activation (ReLU, ClipReLU, QCFS) of the ANN becomes a layer of IF
neurons with soft reset, fed by the *affine group* of linear layers before it
(Dense, Conv2d, AvgPool2d, Flatten). Weights are kept; the threshold is set
to the layer's activation scale ``θ_l = λ_l`` (``norm="max"``: the largest
activation on the calibration data; ``"percentile"``: its ``percentile``-th
percentile; ``"qcfs"``: the trained QCFS ``λ``). A spike carries ``θ_l`` to
the next layer. The group's bias is the IF neuron's per-step ``bias``, so a
step is ``m = (v + b) + W·x`` — :func:`evsim.neurons.drift` plus the input.
The layers after the last activation form a non-spiking accumulator whose
per-step output, summed over steps, gives the logits. The ANN is not modified.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from evsim.deep.layers import ACTIVATIONS, QCFS, AvgPool2d, Conv2d, Dense, Flatten, Layer, Sequential
from evsim.deep import checks
from evsim.errors import ValidationError
from evsim.neurons import reset_to
from evsim.validation import choice, integer, real, refuse, require_budget

__all__ = ["SpikingLayer", "SpikingNet", "convert", "linear_part", "affine_bias", "RESETS"]

LINEAR = (Dense, Conv2d, AvgPool2d, Flatten)
RESETS = ("subtract", "zero")


def linear_part(ops: Sequence[Layer], x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The group's ops applied to ``x`` with every bias left out.

    ``out``: where a final :class:`Dense` op writes its result (the same bits,
    no new array); ignored when the group ends with another op.
    """
    for i, op in enumerate(ops):
        if isinstance(op, (Dense, Conv2d)):
            saved = op.params["b"]
            op.params["b"] = np.zeros_like(saved)
            try:
                x = op.forward(x, out=out) if isinstance(op, Dense) and i == len(ops) - 1 else op.forward(x)
            finally:
                op.params["b"] = saved
        else:
            x = op.forward(x)
    return x


def affine_bias(ops: Sequence[Layer], input_shape: tuple[int, ...]) -> np.ndarray:
    """The group's constant term: the ops applied to a zero input, per output element."""
    x = np.zeros((1, *input_shape), ops[0].params["W"].dtype if ops[0].params else float)
    for op in ops:
        x = op.forward(x)
    return x[0]


@dataclass(frozen=True, eq=False)
class SpikingLayer:
    """One layer of a spiking net: its affine group and neuron parameters.

    Each step, with ``I = W·x`` the group's output (bias left out)::

        m = drift(v, beta, 0, bias) + I = beta·v + bias + I
        s = m >= theta;  v = m − s·theta     (reset="subtract", the default)
                         v = m·(1 − s)       (reset="zero": set to 0 where it fired)

    ``beta`` is the membrane's decay per step (1, the default, for the IF
    neurons of a converted net; ``< 1`` a LIF layer; ``0``: the membrane does
    not carry over from one step to the next, ``m = bias + I`` — Yin et al.'s
    "discontinuous integration", where every step is a binary-activation
    layer of its own and ``v_init`` plays no part). ``synapse_beta`` makes
    it a current-based layer (``None``, the default: the input goes straight
    into the membrane): the bias and the input go into a current that decays
    by ``synapse_beta`` per step, and the membrane takes the current::

        i = (synapse_beta·i + bias) + I;   m = beta·v + i

    Attributes
    ----------
    ops : tuple of Layer
        The affine group: Dense, Conv2d, AvgPool2d and Flatten ops, applied in
        order with their biases left out (:func:`linear_part`).
    input_shape, output_shape : tuple of int
        The shape of one sample's input to the group, and of the layer's neurons.
    bias : ndarray
        ``bias``, the group's constant term per neuron (:func:`affine_bias`), of shape ``output_shape``.
    theta : float or None
        The threshold ``θ``; None for the output accumulator.
    v_init : ndarray
        The initial potential ``v``, per neuron (shape ``output_shape``).
    beta : float, optional
        The membrane's decay per step, in ``[0, 1]`` (see above); default 1.0.
    synapse_beta : float or None, optional
        The synaptic current's decay per step, in ``(0, 1)``; default None: no current.
    reset : {"subtract", "zero"}, optional
        What a spike does to the potential (see above); default ``"subtract"``.

    Raises
    ------
    ValidationError
        ``beta`` is outside ``[0, 1]``, ``synapse_beta`` outside ``(0, 1)``, or ``reset`` not one
        of :data:`RESETS`; a current-based layer's ``beta`` is not in ``(0, 1)``; or the output
        accumulator (``theta`` None) is given a ``beta`` other than 1, a ``synapse_beta`` or a
        ``"zero"`` reset. The other fields are not checked.

    Examples
    --------
    >>> from evsim.deep import spiking_mlp
    >>> hidden, output = spiking_mlp([2, 3, 2], theta=0.5, beta=0.9).layers
    >>> hidden.size, hidden.theta, hidden.beta, hidden.reset, hidden.spiking, output.spiking
    (3, 0.5, 0.9, 'subtract', True, False)
    """

    ops: tuple[Layer, ...]
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    bias: np.ndarray
    theta: float | None
    v_init: np.ndarray
    beta: float = 1.0
    synapse_beta: float | None = None
    reset: str = "subtract"

    def __post_init__(self) -> None:
        object.__setattr__(self, "beta", real("beta (the membrane's decay per step)", self.beta,
                                              owner="SpikingLayer", minimum=0.0, maximum=1.0))
        object.__setattr__(self, "reset", choice("reset", self.reset, RESETS, owner="SpikingLayer"))
        if self.synapse_beta is not None:
            object.__setattr__(self, "synapse_beta", real(
                "synapse_beta (the synaptic current's decay per step; None: no current)", self.synapse_beta,
                owner="SpikingLayer", minimum=0.0, maximum=1.0, exclusive_minimum=True, exclusive_maximum=True))
        if self.synapse_beta is not None and not 0.0 < self.beta < 1.0:
            raise refuse("SpikingLayer", "beta of a current-based layer (synapse_beta set)",
                         "in (0, 1): its membrane leaks and carries the current over, as a CubaLIF's does (the "
                         "event engine's model of it)", self.beta)
        if not self.spiking and (self.beta != 1.0 or self.synapse_beta is not None or self.reset != "subtract"):
            raise refuse("SpikingLayer", "beta, synapse_beta and reset of the output accumulator",
                         "1.0, None and 'subtract' (it sums its input, it has no dynamics)",
                         (self.beta, self.synapse_beta, self.reset))

    @property
    def current_based(self) -> bool:
        """Whether the layer carries a synaptic current (``synapse_beta`` set)."""
        return self.synapse_beta is not None

    @property
    def spiking(self) -> bool:
        return self.theta is not None

    @property
    def reset_to(self) -> float:
        """The reset in the form :func:`evsim.neurons.apply_reset` takes: NaN (subtract) or 0.0 (zero)."""
        return reset_to(self.reset)

    @property
    def size(self) -> int:
        return int(np.prod(self.output_shape))


@dataclass(frozen=True, eq=False)
class SpikingNet:
    """A converted network: spiking layers, then the output accumulator.

    Attributes
    ----------
    layers : tuple of SpikingLayer
        The spiking layers in order, the output accumulator (``theta`` None) last.
    input_shape : tuple of int
        The shape of one input sample.
    norm : str
        How the thresholds were set: ``"max"``, ``"percentile"`` or ``"qcfs"``
        (:func:`convert`'s ``norm``), ``"explicit"`` (given as ``thresholds``),
        or ``"trained"`` (:func:`~evsim.deep.direct.spiking_mlp`).
    v_init_rule : str
        How the initial potentials were set: ``"zero"``, ``"half"``, or
        ``"calibrated(T=…)"`` (:func:`convert`'s ``v_init``).
    dtype : type, optional
        The float type of the arithmetic, ``np.float32`` or ``np.float64``
        (the default).
    meta : dict, optional
        Free-form notes, empty by default; nothing in evsim reads them, and
        :func:`evsim.io.save` does not write them.

    Examples
    --------
    >>> from evsim.deep import Dense, ReLU, Sequential, convert
    >>> ann = Sequential([Dense(2, 3, rng=0), ReLU(), Dense(3, 2, rng=1)])
    >>> snn = convert(ann, thresholds=[1.0], input_shape=(2,))
    >>> snn, snn.thresholds
    (SpikingNet((2,) → 3 → 2; θ=[1.0], norm='explicit', v_init='zero'), (1.0,))
    """

    layers: tuple[SpikingLayer, ...]
    input_shape: tuple[int, ...]
    norm: str
    v_init_rule: str
    dtype: type = np.float64
    meta: dict = field(default_factory=dict)

    @property
    def thresholds(self) -> tuple[float, ...]:
        return tuple(layer.theta for layer in self.layers if layer.spiking)

    def __repr__(self) -> str:
        sizes = " → ".join(str(layer.size) for layer in self.layers)
        return f"SpikingNet({self.input_shape} → {sizes}; θ={[round(t, 4) for t in self.thresholds]}, " \
               f"norm={self.norm!r}, v_init={self.v_init_rule!r})"


def _groups(ann: Sequential) -> list[tuple[list[Layer], Layer | None]]:
    """Split the layers into (linear ops, activation) groups; the last has no activation."""
    groups, ops = [], []
    for layer in ann.layers:
        if isinstance(layer, ACTIVATIONS):
            if not ops:
                raise ValidationError(f"activation {layer!r} must follow a linear layer")
            groups.append((ops, layer))
            ops = []
        elif isinstance(layer, LINEAR):
            ops.append(layer)
        else:
            raise ValidationError(f"convert does not support the layer {layer!r}; supported: "
                                  f"{', '.join(t.__name__ for t in LINEAR + ACTIVATIONS)}")
    if not ops or not any(isinstance(op, (Dense, Conv2d)) for op in ops):
        raise ValidationError("the ANN must end with a linear output layer (e.g. Dense) after its last activation")
    groups.append((ops, None))
    return groups


def _scale(activations: np.ndarray, activation: Layer, norm: str, percentile: float) -> float:
    if norm == "qcfs":
        if not isinstance(activation, QCFS):
            raise ValidationError(f"norm='qcfs' needs QCFS activations, found {activation!r}")
        value = float(activation.params["lam"])
        if not (np.isfinite(value) and value > 0):
            raise ValidationError(f"convert: the trained λ of {activation!r} is the threshold and must be a "
                                  f"finite number > 0, got {value!r}")
        return value
    if norm == "max":
        value = float(activations.max())
    else:
        value = float(np.percentile(activations, percentile))
    if not value > 0:
        raise ValidationError(f"activation {activation!r} is never positive on the calibration data; "
                              f"its threshold would be {value!r}")
    return value


def convert(ann: Sequential, *, calibration: np.ndarray | None = None, norm: str = "max",
            percentile: float = 99.9, v_init: str = "zero", thresholds: Sequence[float] | None = None,
            input_shape: tuple[int, ...] | None = None, dtype=np.float64, calibration_steps: int = 4) -> SpikingNet:
    """Convert a trained ANN into a :class:`SpikingNet` (see the module docstring).

    Parameters
    ----------
    ann : Sequential
        The trained ANN: groups of linear layers (Dense, Conv2d, AvgPool2d,
        Flatten) each followed by an activation (ReLU, ClipReLU, QCFS), then a
        linear output group with a Dense or Conv2d. Not modified.
    calibration : ndarray
        Training inputs whose activations set the thresholds (needed unless
        ``norm="qcfs"`` or ``thresholds`` are given).
    norm : {"max", "percentile", "qcfs"}, optional
        How each threshold is set (see the module docstring); default ``"max"``.
    percentile : float, optional
        The percentile in ``[0, 100]`` read with ``norm="percentile"``; default 99.9.
    v_init : {"zero", "half", "calibrated"}
        Initial potential: 0, ``θ/2`` (the expected-error optimum, IC-SNN
        Algorithm 1), or per neuron calibrated on ``calibration`` for
        ``calibration_steps`` steps (IC-SNN Algorithm 2, see
        :mod:`evsim.deep.calibrate`).
    thresholds : sequence of float, optional
        Explicit per-layer thresholds, overriding ``norm``.
    input_shape : tuple, optional
        Shape of one input; taken from ``calibration`` when given.
    dtype : numpy float type
        Arithmetic of the converted net (``np.float32`` halves memory and time).
    calibration_steps : int, optional
        Steps (``>= 1``) of the run that calibrates ``v_init="calibrated"``; default 4.

    Returns
    -------
    SpikingNet
        One spiking layer per activation (IF neurons, soft reset, ``beta = 1``),
        then the output accumulator; its ``norm`` is ``"explicit"`` when
        ``thresholds`` were given.

    Raises
    ------
    ValidationError
        A bad argument (named with the value); an ANN that is not activations
        after linear layers ending in a linear output layer, or that holds
        another kind of layer; ``norm="qcfs"`` without QCFS activations or with a
        trained ``λ`` that is not finite and ``> 0``; an activation never positive
        on the calibration data; calibration data missing where ``norm`` or
        ``v_init`` needs them, or neither they nor ``input_shape`` given; or an
        input shape the layers do not take.
    LimitError
        The activations of the calibration data (or the calibration run) would
        exceed the memory limit (``evsim.limits``); refused before allocating.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, ReLU, Sequential, convert
    >>> ann = Sequential([Dense(2, 3, rng=0), ReLU(), Dense(3, 2, rng=1)])
    >>> x = np.random.default_rng(0).random((20, 2))  # calibration data: θ is the largest activation
    >>> convert(ann, calibration=x, v_init="half")
    SpikingNet((2,) → 3 → 2; θ=[0.7415], norm='max', v_init='half')
    """
    owner = "convert"
    checks.instance("ann", ann, Sequential, accepted="a Sequential ANN", owner=owner)
    norm = choice("norm", norm, ("max", "percentile", "qcfs"), owner=owner)
    percentile = real("percentile", percentile, owner=owner, minimum=0.0, maximum=100.0)
    v_init = choice("v_init", v_init, ("zero", "half", "calibrated"), owner=owner)
    dtype = checks.float_dtype(dtype, owner=owner)
    calibration_steps = integer("calibration_steps", calibration_steps, owner=owner, minimum=1)
    if calibration is not None:
        calibration = checks.samples("calibration", calibration, owner=owner)
        if input_shape is not None and tuple(calibration.shape[1:]) != checks.shape("input_shape", input_shape,
                                                                                    owner=owner):
            raise refuse(owner, "input_shape", f"the shape of one calibration sample, {calibration.shape[1:]}",
                         input_shape)
    elif input_shape is not None:
        input_shape = checks.shape("input_shape", input_shape, owner=owner)
    if v_init == "calibrated" and calibration is None:
        raise ValidationError("v_init='calibrated' needs calibration data (training inputs)")
    ann = copy.deepcopy(ann)
    for layer in ann.layers:
        layer.params = {name: value.astype(dtype) for name, value in layer.params.items()}
    groups = _groups(ann)
    n_spiking = len(groups) - 1
    if thresholds is not None:
        thresholds = checks.positive_reals("thresholds", thresholds, owner=owner, count=n_spiking)
    if thresholds is None and norm != "qcfs" and calibration is None:
        raise ValidationError(f"norm={norm!r} needs calibration data (training inputs)")
    if calibration is not None:
        input_shape = tuple(calibration.shape[1:])
    elif input_shape is None:
        raise ValidationError("give calibration data or input_shape= so the layer shapes are known")
    sizes = _group_sizes(groups, input_shape, argument="input_shape" if calibration is None else "calibration")
    if calibration is not None:  # a group's outputs and activations for every sample, and a sorted copy
        require_budget(owner, f"the activations of {len(calibration):,} calibration samples",
                       3 * 8 * len(calibration) * max(sizes))
    x = calibration
    layers, shape = [], input_shape
    for k, (ops, activation) in enumerate(groups):
        out_shape = affine_bias(ops, shape).shape
        theta = None
        if activation is not None:
            if thresholds is not None:
                theta = float(thresholds[k])
            else:
                z = None if x is None else _forward(ops, x)
                x = None if z is None else activation.forward(z)
                theta = _scale(x, activation, norm, percentile)
            v0 = np.full(out_shape, theta / 2 if v_init != "zero" else 0.0, dtype)
        else:
            v0 = np.zeros(out_shape, dtype)
        bias = affine_bias(ops, shape).astype(dtype)
        layers.append(SpikingLayer(tuple(ops), shape, out_shape, bias, theta, v0))
        shape = out_shape
    snn = SpikingNet(tuple(layers), input_shape, "explicit" if thresholds is not None else norm, v_init, dtype)
    if v_init == "calibrated":
        from evsim.deep.calibrate import calibrate  # calibrate runs the net: it needs the runner

        snn = calibrate(snn, ann, calibration, calibration_steps)
    return snn


def _group_sizes(groups, input_shape: tuple[int, ...], *, argument: str) -> list[int]:
    """Elements per sample of the input and of each group's output, from one zero sample.

    A layer that cannot take what reaches it refuses the input shape, named by
    ``argument`` (``calibration`` or ``input_shape``), with the layer's own reason.
    """
    x = np.zeros((1, *input_shape))
    sizes = [x.size]
    for ops, _ in groups:
        for op in ops:
            try:
                x = op.forward(x)
            except ValidationError as error:
                samples = argument == "calibration"
                raise refuse("convert", argument, f"{'samples' if samples else 'a sample shape'} every layer of "
                             f"the ANN takes in turn ({error})",
                             checks.Said(f"samples of shape {input_shape}") if samples else input_shape) from error
        sizes.append(x.size)
    return sizes


def _forward(ops, x, batch: int = 1024):
    outs = []
    for i in range(0, len(x), batch):
        chunk = x[i:i + batch]
        for op in ops:
            chunk = op.forward(chunk)
        outs.append(chunk)
    return np.concatenate(outs)
