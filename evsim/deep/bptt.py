"""Backpropagation through time for a :class:`~evsim.deep.convert.SpikingNet`, with pseudo-derivatives.

:func:`forward` runs the net for ``steps`` steps over a batch with the runner's
neuron functions (:func:`evsim.neurons.drift`, :func:`~evsim.neurons.fires`,
:func:`~evsim.neurons.apply_reset`, :func:`~evsim.neurons.synaptic_current`)
and keeps what :func:`backward` needs (a :class:`Tape`). Each step ``t`` and
spiking layer, with ``I_t = W·x_{l−1}(t)`` its affine group without bias::

    m_t = β·v_{t−1} + b + I_t                      (or, current-based: i_t = β_syn·i_{t−1} + b + I_t;
                                                    m_t = β·v_{t−1} + i_t)
    s_t = a_t·h_t,  h_t = H(m_t − θ)               (a_t = 1, or with single_spike a_{t+1} = a_t − s_t, a_0 = 1)
    v_t = m_t − θ·s_t            (the layer's reset "subtract")
    v_t = m_t·(1 − s_t)          (reset "zero": the potential set to 0 where the neuron fired)
    x_l(t) = θ·s_t·μ             (what the next layer receives; μ = 1, or a dropout mask, the same every step)

and the output accumulator sums ``W·x + b`` into the logits. ``relaxed=True``
replaces ``h_t = H(m_t − θ)`` by the surrogate's smooth ``σ(m_t − θ)``
(:mod:`evsim.deep.surrogate`) and the reset by its interpolation
(:func:`relaxed_reset`): the *relaxed forward pass*, whose exact gradient is
what :func:`backward` computes on its tape (property-tested against finite
differences). On the hard tape the same backward pass is the surrogate
gradient: ``dh/dm`` is taken to be ``d(m − θ)``.

The backward pass, step by step from the last, with ``d_t = d(m_t − θ, Δt)``
and ``ḡ`` the gradient of the loss::

    ḡs_t = θ·μ·ḡx_t − ḡa_{t+1} + c + [reset path] (subtract: −θ·ḡv_t; zero: −m_t·ḡv_t)
    ḡm_t = ḡv_t·(1 for subtract; 1 − s_t for zero) + ḡs_t·a_t·d_t
    ḡa_t = ḡa_{t+1} + ḡs_t·h_t
    ḡv_{t−1} = β·ḡm_t;   ḡβ += ḡm_t·v_{t−1};   ḡb += ḡm_t,  ḡI_t = ḡm_t
    (current-based: ḡi_t = ḡm_t + β_syn·ḡi_{t+1};  ḡβ_syn += ḡi_t·i_{t−1};  ḡb += ḡi_t,  ḡI_t = ḡi_t)

(``c``: the loss's own derivative with respect to the spike, ``spike_grad``,
0 unless given), so the reset's total derivative is ``∂v_t/∂m_t = 1 − θ·d_t`` (subtract) and
``(1 − s_t) − m_t·d_t`` (zero). ``detach_reset=True`` drops the bracketed
reset path (the reset's dependence on the spike treated as a constant, as
many libraries do); by default it is kept. The gradients of ``I_t`` go back
through the group's ops (their own ``backward``) for all steps at once.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from evsim.deep import checks
from evsim.deep.convert import RESETS, SpikingLayer, SpikingNet, linear_part
from evsim.deep.layers import IM2COL_BYTES, Conv2d
from evsim.deep.matrix import work_sizes
from evsim.deep.surrogate import Surrogate
from evsim.neurons import apply_reset, drift, fires, synaptic_current
from evsim.validation import flag, integer, refuse, require_budget

__all__ = ["Tape", "LayerGradients", "forward", "backward", "relaxed_reset", "tape_bytes", "RESETS"]


def relaxed_reset(m: np.ndarray, s: np.ndarray, theta: float, reset: str) -> np.ndarray:
    """The reset with a real-valued spike ``s``: ``m − θ·s`` (subtract) or ``m·(1 − s)`` (zero).

    At ``s`` in {0, 1} these are :func:`evsim.neurons.apply_reset`'s values
    (``m − s·θ`` and ``where(s, 0, m)``); between, the interpolation the
    relaxed forward pass differentiates.

    Parameters
    ----------
    m : ndarray
        The potentials before the reset.
    s : ndarray
        The spikes, real-valued (broadcastable with ``m``).
    theta : float
        The threshold ``θ``.
    reset : {"subtract", "zero"}
        The layer's reset. Not checked: any value but ``"subtract"`` gives the zero reset.

    Returns
    -------
    ndarray
        The potentials after the reset.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.bptt import relaxed_reset
    >>> m, s = np.array([1.5, 1.5, 0.4]), np.array([1.0, 0.5, 0.0])
    >>> relaxed_reset(m, s, 1.0, "subtract").tolist(), relaxed_reset(m, s, 1.0, "zero").tolist()
    ([0.5, 1.0, 0.4], [0.0, 0.75, 0.4])
    """
    return m - theta * s if reset == "subtract" else m * (1.0 - s)


@dataclass(frozen=True, eq=False)
class _LayerTape:
    """One layer's record over the steps: the group's inputs and, if spiking, the neuron variables."""

    inputs: np.ndarray                      # (steps, batch, *input_shape): x_{l−1}(t)
    m: np.ndarray | None = None             # (steps, batch, *shape) potentials before the threshold test
    h: np.ndarray | None = None             # H(m − θ) (bits as floats) or σ(m − θ)
    s: np.ndarray | None = None             # a·h, the spikes
    available: np.ndarray | None = None     # a_t (single_spike), else None
    v_before: np.ndarray | None = None      # v_{t−1}
    i_before: np.ndarray | None = None      # i_{t−1} (current-based layers)
    elapsed: np.ndarray | None = None       # Δt, steps since the last hard spike (t + 1 before the first)
    mask: np.ndarray | None = None          # (batch, *shape) factors on what the layer sends (dropout), or None


@dataclass(frozen=True, eq=False)
class Tape:
    """What :func:`forward` computed and kept for :func:`backward`.

    Attributes
    ----------
    net : SpikingNet
        The net that ran.
    surrogate : Surrogate
        The pseudo-derivative :func:`backward` uses (and, relaxed, the ``σ`` that ran).
    relaxed, detach_reset : bool
        :func:`forward`'s arguments of the same names.
    logits : ndarray
        ``(steps, batch, classes)`` cumulative output after each step
        (as :attr:`RunResult.logits <evsim.deep.runner.RunResult>`).
    layers : tuple
        Per layer of ``net``, its record over the steps (the group's inputs and,
        in a spiking layer, the neuron variables), what :func:`backward` reads.
    spikes : list of ndarray
        Per spiking layer, ``(steps, batch, *shape)`` spikes (bool on the hard
        tape, ``a·σ`` on the relaxed one); a property, computed from ``layers``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import bptt, spiking_mlp
    >>> from evsim.deep.surrogate import FastSigmoid
    >>> tape = bptt.forward(spiking_mlp([2, 3, 2], seed=0), np.array([[0.5, 1.0], [1.0, 0.2]]), 4, FastSigmoid(4.0))
    >>> tape.logits.shape, tape.spikes[0].shape, tape.spikes[0].sum(axis=0).astype(int).tolist()
    ((4, 2, 2), (4, 2, 3), [[0, 1, 0], [0, 2, 0]])
    """

    net: SpikingNet
    surrogate: Surrogate
    relaxed: bool
    detach_reset: bool
    logits: np.ndarray
    layers: tuple[_LayerTape, ...]

    @property
    def spikes(self) -> list[np.ndarray]:
        return [tape.s if self.relaxed else tape.s.astype(bool) for tape in self.layers if tape.m is not None]


@dataclass(frozen=True, eq=False)
class LayerGradients:
    """The gradients of one layer's parameters.

    Attributes
    ----------
    weights : tuple of (ndarray or None)
        Per op of the group, the gradient of its ``params["W"]`` (None for ops without weights).
    bias : ndarray
        Of :attr:`SpikingLayer.bias`.
    v_init : ndarray or None, optional
        Of ``v_init`` (shape ``output_shape``); None for the accumulator.
    beta : float or None, optional
        Of ``beta``; None for the accumulator.
    synapse_beta : float or None, optional
        Of ``synapse_beta``. None (the default of these three) where the layer has
        no such parameter: the accumulator, a layer without current.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import bptt, cross_entropy, spiking_mlp
    >>> from evsim.deep.surrogate import FastSigmoid
    >>> tape = bptt.forward(spiking_mlp([2, 3, 2], seed=0), np.array([[0.5, 1.0], [1.0, 0.2]]), 4, FastSigmoid(4.0))
    >>> hidden, output = bptt.backward(tape, cross_entropy(tape.logits[-1], [0, 1])[1])
    >>> hidden.weights[0].shape, hidden.bias.round(4).tolist(), round(hidden.beta, 6), output.beta
    ((3, 2), [-0.0217, 0.0457, 0.1305], 0.015843, None)
    """

    weights: tuple[np.ndarray | None, ...]
    bias: np.ndarray
    v_init: np.ndarray | None = None
    beta: float | None = None
    synapse_beta: float | None = None


def forward(snn: SpikingNet, x: np.ndarray, steps: int, surrogate: Surrogate, *, single_spike: bool = False,
            relaxed: bool = False, detach_reset: bool = False, masks: Sequence[np.ndarray] | None = None) -> Tape:
    """Run ``snn`` for ``steps`` steps, keeping what :func:`backward` needs.

    Each layer resets as its :attr:`~evsim.deep.convert.SpikingLayer.reset`
    says. With ``relaxed=False`` the spikes and logits are
    :func:`evsim.deep.run`'s (with the same ``single_spike``), bit for bit.

    Parameters
    ----------
    snn : SpikingNet
        The net.
    x : ndarray
        ``(batch, *input_shape)`` analog values, the same every step, or
        ``(steps, batch, *input_shape)`` values per step (e.g. a spike code from
        :func:`evsim.deep.runner.encode_batch`); finite.
    steps : int
        Time steps (``>= 1``).
    surrogate : Surrogate
        The spike's pseudo-derivative (:mod:`evsim.deep.surrogate`).
    single_spike : bool, optional
        Every hidden neuron fires at most once per sample; default False.
    relaxed : bool, optional
        Replace the spike ``H`` by the surrogate's ``σ`` (see the module
        docstring); default False.
    detach_reset : bool, optional
        Kept for :func:`backward`; default False.
    masks : sequence of ndarray, optional
        Dropout: one array per spiking layer, broadcastable to ``(batch, *shape)``,
        by which what the layer sends is multiplied at every step,
        ``x_l(t) = θ·s_t·mask`` (e.g. ``keep/(1 − p)`` with ``keep`` drawn once per
        sample and neuron, the same at every step); its spikes themselves are
        not changed. Default None: no masks (the runner's net).

    Returns
    -------
    Tape
        The logits, spikes and everything :func:`backward` reads.

    Raises
    ------
    ValidationError
        ``snn`` is not a SpikingNet, ``steps`` not an integer ``>= 1``, ``surrogate``
        not a Surrogate, a flag not a bool, ``x`` not finite real numbers of
        either shape (per step: with ``steps`` steps), or ``masks`` not one array
        of finite real numbers per spiking layer, each broadcasting to exactly
        ``(batch, *shape)`` (one factor per sample and neuron, not per step).
    LimitError
        The tape (:func:`tape_bytes`) would exceed the memory limit (``evsim.limits``).

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import bptt, run, spiking_mlp
    >>> from evsim.deep.surrogate import FastSigmoid
    >>> snn, x = spiking_mlp([2, 3, 2], seed=0), np.array([[0.5, 1.0], [1.0, 0.2]])
    >>> tape = bptt.forward(snn, x, 4, FastSigmoid(4.0))
    >>> tape.logits[-1].round(4).tolist(), bool((tape.logits == run(snn, x, 4).logits).all())  # the runner's
    ([[-0.592, -0.203], [-1.184, -0.4059]], True)
    """
    owner = "bptt.forward"
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet (from deep.convert)", owner=owner)
    steps = integer("steps", steps, owner=owner, minimum=1)
    checks.instance("surrogate", surrogate, Surrogate, accepted="a pseudo-derivative from evsim.deep.surrogate",
                    owner=owner)
    single_spike, relaxed = flag("single_spike", single_spike, owner=owner), flag("relaxed", relaxed, owner=owner)
    detach_reset = flag("detach_reset", detach_reset, owner=owner)
    inputs = _inputs(snn, x, steps, owner)
    require_budget(owner, f"the tape of {inputs.shape[1]:,} samples over {steps} steps",
                   tape_bytes(snn, inputs.shape[1], steps))
    masks = _per_spiking_layer(snn, "masks", masks, inputs.shape[1], owner)
    layers, logits = [], None
    for layer in snn.layers:
        if not layer.spiking:
            logits = _accumulate(layer, inputs)
            layers.append(_LayerTape(inputs))
            break
        mask = masks.pop(0)
        mask = None if mask is None else mask.astype(inputs.dtype, copy=False)  # a float32 net stays float32
        tape = _spiking_layer(layer, inputs, surrogate, single_spike, relaxed, mask)
        layers.append(tape)
        inputs = tape.s * np.asarray(layer.theta, tape.s.dtype) if relaxed else \
            np.multiply(tape.s.astype(bool), layer.theta, dtype=tape.m.dtype)
        if mask is not None:
            inputs = inputs * mask
    return Tape(snn, surrogate, relaxed, detach_reset, logits, tuple(layers))


def tape_bytes(snn: SpikingNet, samples: int, steps: int) -> float:
    """What :func:`forward` keeps and :func:`backward` adds, estimated before anything is allocated (bytes).

    Per step and sample, in float64: each layer's input values (three times:
    kept, stacked for the ops and their gradient) and, per spiking neuron,
    eight variables of the tape and the backward pass; plus the bounded work
    arrays of convolutions (only if the net has one), and the ops' outputs on
    the stacked steps.

    Parameters
    ----------
    snn : SpikingNet
        The net.
    samples : int
        The batch size.
    steps : int
        Time steps.

    Returns
    -------
    float
        The estimate in bytes (the arguments are not checked).

    Examples
    --------
    >>> from evsim.deep import bptt, spiking_mlp
    >>> bptt.tape_bytes(spiking_mlp([2, 3, 2]), samples=64, steps=8) / 2**20  # MiB
    0.1953125
    """
    per_sample = 0
    for layer in snn.layers:
        per_sample += 3 * int(np.prod(layer.input_shape)) + (8 if layer.spiking else 3) * layer.size
        per_sample += sum(work_sizes(layer.ops, layer.input_shape)[1:])
    convolves = any(isinstance(op, Conv2d) for layer in snn.layers for op in layer.ops)
    return 8.0 * samples * steps * per_sample + (2 * IM2COL_BYTES if convolves else 0)  # (im2col's work arrays)


def _inputs(snn: SpikingNet, x, steps: int, owner: str) -> np.ndarray:
    """``(steps, batch, *input_shape)`` input values in the net's float type."""
    array = np.asarray(x)
    per_step = array.ndim == len(snn.input_shape) + 2
    sample_shape = (steps, *snn.input_shape) if per_step else snn.input_shape
    rows = checks.samples("x", np.moveaxis(array, 1, 0) if per_step and array.ndim > 1 else array, owner=owner,
                          sample_shape=sample_shape)
    if per_step:
        return np.ascontiguousarray(np.moveaxis(rows, 0, 1), dtype=snn.dtype)
    return np.broadcast_to(rows.astype(snn.dtype, copy=False), (steps, *rows.shape))


def _accumulate(layer: SpikingLayer, inputs: np.ndarray) -> np.ndarray:
    """The output accumulator: ``total += W·x + b`` each step (as the runner adds them)."""
    total = np.zeros((inputs.shape[1], layer.size), inputs.dtype)
    logits = np.empty((len(inputs), *total.shape), inputs.dtype)
    for t, x in enumerate(inputs):
        total = np.add(total, np.add(linear_part(layer.ops, x), layer.bias), out=total)
        logits[t] = total
    return logits


def _spiking_layer(layer: SpikingLayer, inputs: np.ndarray, surrogate: Surrogate, single_spike: bool,
                   relaxed: bool, mask: np.ndarray | None) -> _LayerTape:
    steps, batch = inputs.shape[:2]
    shape = (batch, *layer.output_shape)
    dtype = inputs.dtype
    record = {name: np.empty((steps, *shape), dtype) for name in ("m", "h", "s", "v_before")}
    if layer.current_based:
        record["i_before"] = np.empty((steps, *shape), dtype)
    if single_spike:
        record["available"] = np.empty((steps, *shape), dtype)
    if surrogate.uses_elapsed:
        record["elapsed"] = np.empty((steps, *shape), dtype)
    v = np.broadcast_to(layer.v_init, shape).astype(dtype)
    i = np.zeros(shape, dtype) if layer.current_based else None
    available = np.ones(shape, dtype)
    last = np.full(shape, -1.0)
    for t in range(steps):
        current = linear_part(layer.ops, inputs[t])
        record["v_before"][t] = v
        if layer.current_based:
            record["i_before"][t] = i
            i = synaptic_current(i, layer.synapse_beta, layer.bias, current)
            m = drift(v, layer.beta, 0.0, 0.0) + i
        else:
            m = drift(v, layer.beta, 0.0, layer.bias) + current
        hard = fires(m, layer.theta)
        elapsed = t - last
        if relaxed:
            h = surrogate.relaxed(m - layer.theta, elapsed)
            s = available * h
            v = relaxed_reset(m, s, layer.theta, layer.reset)
        else:
            h = hard.astype(dtype)
            fired = hard & (available > 0) if single_spike else hard
            s = fired.astype(dtype)
            v = apply_reset(m, fired, layer.theta, layer.reset_to)
        record["m"][t], record["h"][t], record["s"][t] = m, h, s
        if single_spike:
            record["available"][t] = available
            available = available - s
        if surrogate.uses_elapsed:
            record["elapsed"][t] = elapsed
        last = np.where(hard, t, last)
    return _LayerTape(inputs, mask=mask, **record)


def backward(tape: Tape, grad: np.ndarray, *,
             spike_grad: Sequence[np.ndarray] | None = None) -> tuple[LayerGradients, ...]:
    """The gradients of every layer's parameters, given the loss's gradient ``grad`` with respect to the logits.

    Parameters
    ----------
    tape : Tape
        From :func:`forward`.
    grad : ndarray
        ``(batch, classes)``, the gradient with respect to the final
        logits (``tape.logits[-1]``, e.g. the second value of
        :func:`evsim.deep.train.cross_entropy`), or ``(steps, batch, classes)``,
        with respect to the cumulative logits after every step; finite.
    spike_grad : sequence of ndarray, optional
        Where the loss also reads the spikes themselves (a cost per spike, such
        as the energy term of :func:`evsim.deep.direct.fit`), one array per
        spiking layer, broadcastable to ``(batch, *shape)``: the loss's partial
        derivative with respect to each spike ``s_t``, the same at every step;
        it is added to ``ḡs_t``. Default None: no such term.

    Returns
    -------
    tuple of LayerGradients
        One :class:`LayerGradients` per layer of ``tape.net``.

    Raises
    ------
    ValidationError
        ``tape`` is not a Tape, ``grad`` not finite real numbers of either
        shape, or ``spike_grad`` not one array of finite real numbers per
        spiking layer, each broadcastable to its spikes.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import bptt, cross_entropy, spiking_mlp
    >>> from evsim.deep.surrogate import FastSigmoid
    >>> tape = bptt.forward(spiking_mlp([2, 3, 2], seed=0), np.array([[0.5, 1.0], [1.0, 0.2]]), 4, FastSigmoid(4.0))
    >>> loss, grad = cross_entropy(tape.logits[-1], [0, 1])
    >>> bptt.backward(tape, grad)[0].weights[0].round(4).tolist()  # ∂loss/∂W of the hidden layer
    [[-0.0696, 0.0723], [-0.0633, 0.1836], [0.0594, 0.1398]]
    """
    owner = "bptt.backward"
    checks.instance("tape", tape, Tape, accepted="a Tape from bptt.forward", owner=owner)
    grad = _logit_gradient(tape, grad, owner)
    direct = [0.0 if g is None else g for g in
              _per_spiking_layer(tape.net, "spike_grad", spike_grad, tape.logits.shape[1], owner)]
    results = []
    for layer, record in zip(reversed(tape.net.layers), reversed(tape.layers)):
        if layer.spiking:
            grad, result = _spiking_backward(tape, layer, record, grad, direct.pop())
        else:
            result = LayerGradients((), grad.sum(axis=(0, 1)))
        weights, grad = _group_backward(layer.ops, record.inputs, grad)
        results.append(LayerGradients(weights, result.bias, result.v_init, result.beta, result.synapse_beta))
    return tuple(reversed(results))


def _logit_gradient(tape: Tape, grad, owner: str) -> np.ndarray:
    """``(steps, batch, classes)`` gradient with respect to each step's increment ``W·x_t + b``."""
    steps, batch, classes = tape.logits.shape
    array = checks.samples("grad", grad, owner=owner)
    if array.shape == (batch, classes):
        return np.broadcast_to(array, (steps, batch, classes))
    if array.shape != (steps, batch, classes):
        raise refuse(owner, f"grad (shape {array.shape})", f"the gradient of the final logits, shape {(batch, classes)},"
                     f" or of the logits after every step, shape {(steps, batch, classes)}", checks.Said("that"))
    return np.cumsum(array[::-1], axis=0)[::-1]  # increment t reaches every cumulative logit from t on


def _per_spiking_layer(snn: SpikingNet, name: str, arrays, batch: int, owner: str) -> list:
    """One checked array (or None) per spiking layer, broadcasting to exactly its ``(batch, *shape)`` spikes."""
    layers = [layer for layer in snn.layers if layer.spiking]
    if arrays is None:
        return [None] * len(layers)
    if isinstance(arrays, (str, bytes, np.ndarray)) or not hasattr(arrays, "__len__") or len(arrays) != len(layers):
        raise refuse(owner, name, f"None or one array per spiking layer ({len(layers)})",
                     checks.Said(type(arrays).__name__))
    out = []
    for k, (layer, value) in enumerate(zip(layers, arrays)):
        array = checks.real_array(f"{name}[{k}]", value, owner=owner)
        target = (batch, *layer.output_shape)
        try:
            fits = np.broadcast_shapes(array.shape, target) == target
        except ValueError:
            fits = False
        if not fits:
            raise refuse(owner, f"{name}[{k}] (shape {array.shape})", "an array broadcastable to the layer's "
                         f"spikes {target} (one value per sample and neuron, the same at every step)",
                         checks.Said("that"))
        out.append(array)
    return out  # in layer order


def _spiking_backward(tape: Tape, layer: SpikingLayer, record: _LayerTape, grad_x: np.ndarray, direct):
    """Through one spiking layer's neurons, last step first; returns (ḡI per step, its LayerGradients).

    ``direct``: the loss's own derivative with respect to each spike (added to ``ḡs_t``).
    """
    theta, beta, syn, subtract = layer.theta, layer.beta, layer.synapse_beta, layer.reset == "subtract"
    steps = len(record.m)
    if record.mask is not None:
        grad_x = grad_x * record.mask  # x_l = θ·s·mask: the mask multiplies ḡx on its way back
    derivative = tape.surrogate.derivative(record.m - theta, record.elapsed)
    grad_i = np.empty_like(record.m)
    gv = np.zeros_like(record.m[0])
    ga = np.zeros_like(gv)
    gi_next = np.zeros_like(gv)
    g_beta = g_syn = 0.0
    for t in reversed(range(steps)):
        m, s, h = record.m[t], record.s[t], record.h[t]
        a = 1.0 if record.available is None else record.available[t]
        gs = theta * grad_x[t] - ga + direct
        if not tape.detach_reset:
            gs = gs - (theta * gv if subtract else m * gv)
        gm = (gv if subtract else gv * (1.0 - s)) + gs * a * derivative[t]
        if record.available is not None:
            ga = ga + gs * h
        g_beta += float((gm * record.v_before[t]).sum())
        if layer.current_based:
            gi = gm + syn * gi_next
            g_syn += float((gi * record.i_before[t]).sum())
            grad_i[t], gi_next = gi, gi
        else:
            grad_i[t] = gm
        gv = beta * gm
    g_v_init = gv.sum(axis=0)
    return grad_i, LayerGradients((), grad_i.sum(axis=(0, 1)), g_v_init, g_beta,
                                  g_syn if layer.current_based else None)


def _group_backward(ops, inputs: np.ndarray, grad: np.ndarray):
    """The ops' weight gradients and the gradient of their input, all steps at once.

    The ops are copied (their parameters shared, not copied), so the net's
    layers keep no caches and no gradients of this pass.
    """
    steps, batch = inputs.shape[:2]
    x = inputs.reshape(steps * batch, *inputs.shape[2:])
    ops = [copy.copy(op) for op in ops]
    for op in ops:
        x = op.forward(x, train=True)
    g = np.ascontiguousarray(grad).reshape(steps * batch, *grad.shape[2:])
    weights = []
    for op in reversed(ops):
        g = op.backward(g)
        weights.append(op.grads["W"] if "W" in op.params else None)
    return tuple(reversed(weights)), g.reshape(steps, batch, *g.shape[1:])
