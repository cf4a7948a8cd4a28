"""The vectorised clock-driven runner for converted nets, over ``(batch, neurons)`` arrays.

Each step ``t`` and spiking layer ``l`` (the same maths as the event engine,
through :func:`evsim.neurons.drift`, :func:`evsim.neurons.fires` and
:func:`evsim.neurons.apply_reset`)::

    I   = W_l · x_{l−1}(t)              (the layer's affine group, bias left out)
    m   = drift(v, β_l, 0, b_l) + I     (= (v + b_l) + I for the IF neurons of a converted net, β_l = 1)

    or, in a current-based layer, the bias and ``I`` go into a decaying current:

    i   = synaptic_current(i, β_syn, b_l, I)   (= (β_syn·i + b_l) + I)
    m   = drift(v, β_l, 0, 0) + i
    s   = m >= θ_l;  v = m − s·θ_l  (or, reset="zero", v = 0 where s);  x_l(t) = s·θ_l

The output accumulator adds ``W·x + b`` to the logits every step. Synaptic
operations are counted exactly: every spike of a neuron costs one accumulate
per nonzero weight out of it (where every neuron has as many, as in a dense
layer without zero weights, the number of spikes is all it takes).

A step allocates nothing of the batch's size: ``m`` is formed in ``v`` itself,
and ``I``, ``s`` and ``s·θ_l`` (the amount the reset subtracts, kept as the
next layer's input) go to buffers allocated once per chunk, through the
``out=`` forms of the neuron functions and of ``Dense`` — the same operations
in the same order, so the same bits. Work that does not change from step to
step is done once: with analog input (the same ``x`` every step) the first
layer's ``W·x``, and the operations the input causes (recounted only when
samples exit).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from evsim import encoding as encoding_module
from evsim.deep.convert import SpikingNet, linear_part
from evsim.deep import checks
from evsim.deep.layers import IM2COL_BYTES
from evsim.deep.matrix import fan_out, work_sizes
from evsim.display import html_table
from evsim.neurons import apply_reset, drift, fires, synaptic_current
from evsim.record import SpikeRecord
from evsim.validation import choice, flag, generator, integer, real, refuse, require_budget

__all__ = ["RunResult", "run", "run_bytes", "encode_batch", "sample_streams", "sample_code", "fan_out", "E_AC", "E_MAC"]

ENCODINGS = ("analog", "rate", "ttfs", "hybrid")
CODE_BYTES = 8 * 2**20  # deterministic codes are encoded for groups of samples of at most this many values


E_AC, E_MAC = 0.9e-12, 4.6e-12  # joules per 32-bit float accumulate / multiply-accumulate, 45 nm (Horowitz 2014)


@dataclass(frozen=True, eq=False)
class RunResult:
    """What :func:`run` measured.

    Attributes
    ----------
    logits : (steps, batch, classes) cumulative output after each step (frozen after a sample exits)
    predictions : (steps, batch) argmax of the cumulative logits
    accuracy : (steps,) accuracy after each step (None without labels)
    exit_step : (batch,) steps each sample used (``steps`` unless it exited early)
    exit_accuracy : accuracy of the predictions at each sample's exit (None without labels)
    spike_counts : (steps, spiking layers) spikes summed over the batch
    acs : (steps, layers) accumulates triggered by spikes into each layer
    macs : (steps, layers) multiply-accumulates on analog values into each layer
    spikes : list of (steps, batch, neurons) bool arrays per spiking layer, if recorded

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import run, spiking_mlp
    >>> result = run(spiking_mlp([2, 3, 2], seed=0), np.array([[0.5, 1.0], [1.0, 0.2]]), 4, labels=[1, 0])
    >>> result
    RunResult(2 samples × 4 steps, 2 classes; accuracy after step 4: 50.00 %; 1.5 spikes per sample)
    >>> result.accuracy.tolist(), result.spike_counts.sum(axis=1).tolist(), result.avg_steps
    ([0.5, 0.0, 0.5, 0.5], [0.0, 1.0, 1.0, 1.0], 4.0)
    """

    logits: np.ndarray
    predictions: np.ndarray
    accuracy: np.ndarray | None
    exit_step: np.ndarray
    exit_accuracy: float | None
    spike_counts: np.ndarray
    acs: np.ndarray
    macs: np.ndarray
    spikes: list | None

    def __repr__(self) -> str:
        steps, samples, classes = self.logits.shape
        accuracy = "" if self.accuracy is None else f"; accuracy after step {steps}: {100 * self.accuracy[-1]:.2f} %"
        exits = f", average {self.avg_steps:.2f} steps (early exit)" if self.exit_step.min() < steps else ""
        return (f"RunResult({samples} samples × {steps} steps, {classes} classes{accuracy}{exits}; "
                f"{self.spike_counts.sum() / samples:.1f} spikes per sample)")

    def _repr_html_(self) -> str:
        header = ["step"] + (["accuracy %"] if self.accuracy is not None else [])
        header += [f"spikes, layer {k + 1}" for k in range(self.spike_counts.shape[1])]
        rows = [[t + 1] + ([f"{100 * self.accuracy[t]:.2f}"] if self.accuracy is not None else [])
                + [int(n) for n in self.spike_counts[t]] for t in range(len(self.spike_counts))]
        return html_table(header, rows, title=repr(self))

    def record(self, sample: int = 0) -> SpikeRecord:
        """One sample's spikes as a :class:`~evsim.record.SpikeRecord`, for :mod:`evsim.plot` and ``trains()``.

        Neuron ``L{k}_{j}`` is entry ``j`` of spiking layer ``k`` (the names
        :func:`~evsim.deep.to_network` gives it) and a spike at step ``t`` is at
        time ``t`` (steps, which the event engine runs as ms with ``dt = 1``).
        A sample that exited early (early exit) has no spikes after its exit step.

        Parameters
        ----------
        sample : int
            Which sample of the batch (``0 … samples − 1``).

        Returns
        -------
        SpikeRecord
            The sample's spikes, ordered by time then neuron; no potentials, no trace.

        Raises
        ------
        ValidationError
            The run did not record spikes (``record_spikes=False``), or ``sample`` is out of range.
        """
        owner = "RunResult.record"
        if self.spikes is None:
            raise refuse(owner, "this result", "a run with record_spikes=True, which keeps every spike",
                         checks.Said("a run without record_spikes"))
        steps, samples = self.logits.shape[:2]
        sample = integer("sample", sample, owner=owner, minimum=0, maximum=samples - 1)
        names, neurons, times = [], [], []
        for k, layer in enumerate(self.spikes):
            bits = layer[:, sample].reshape(steps, -1)
            t, j = np.nonzero(bits)
            neurons.append(j + len(names))
            times.append(t)
            names += [f"L{k}_{i}" for i in range(bits.shape[1])]
        neuron, time = np.concatenate(neurons), np.concatenate(times).astype(float)
        order = np.lexsort((neuron, time))
        return SpikeRecord(tuple(names), neuron[order], time[order], np.ones(neuron.size), MappingProxyType({}))

    @property
    def synops(self) -> np.ndarray:
        """All synaptic operations per step and layer (accumulates + multiply-accumulates)."""
        return self.acs + self.macs

    @property
    def avg_steps(self) -> float:
        """Mean steps per sample, ``Σ t·n_t / N``."""
        return float(self.exit_step.mean())

    def exit_histogram(self) -> np.ndarray:
        """``n_t``: how many samples exited after each step ``t = 1 … steps``."""
        return np.bincount(self.exit_step, minlength=self.logits.shape[0] + 1)[1:]

    def energy(self, e_ac: float = E_AC, e_mac: float = E_MAC) -> float:
        """Joules for the whole batch: ``ACs·E_AC + MACs·E_MAC``, from the counted operations."""
        e_ac = real("e_ac", e_ac, owner="RunResult.energy", minimum=0.0)
        e_mac = real("e_mac", e_mac, owner="RunResult.energy", minimum=0.0)
        return float(self.acs.sum() * e_ac + self.macs.sum() * e_mac)


def sample_streams(rng, encoding: str):
    """``stream(i)``: sample ``i``'s own random generator (rate input), ``None`` for deterministic codes.

    One number is drawn from ``rng``; sample ``i`` of the batch then draws from
    ``SeedSequence(that number, spawn_key=(i,))``, so its input does not depend
    on which chunk it runs in, nor on the other samples.
    """
    if encoding != "rate":
        return lambda i: None
    root = int(np.random.default_rng(rng).integers(2**63))
    return lambda i: np.random.default_rng(np.random.SeedSequence(root, spawn_key=(i,)))


def sample_code(x: np.ndarray, steps: int, encoding: str, stream, compensation: bool = False) -> np.ndarray:
    """``(steps, *x.shape)`` input values for a spike encoding (rate, ttfs, hybrid); rate: one sample's stream."""
    if encoding == "rate":
        code = encoding_module.rate(x, steps, rng=stream)
        return (encoding_module.compensate(code, x) if compensation else code).array
    if encoding == "ttfs":
        return encoding_module.ttfs(x, steps).array
    return encoding_module.hybrid(x, steps).array


def encode_batch(x: np.ndarray, steps: int, encoding: str, rng, compensation: bool = False) -> np.ndarray:
    """``(steps, batch, *shape)`` input values, as :func:`run` feeds them (analog: ``x`` every step).

    With the same ``rng`` (a seed, or a Generator in the same state) these
    are the very values ``run(..., rng=rng)`` draws, whatever its ``chunk``.
    """
    x = np.asarray(x)
    if encoding == "analog":
        return np.broadcast_to(x, (steps, *x.shape))
    stream = sample_streams(rng, encoding)
    return np.stack([sample_code(x[i], steps, encoding, stream(i), compensation) for i in range(len(x))], axis=1)


class _Inputs:
    """A chunk's input values, step by step: analog ``x``, or the spike codes kept as bits.

    Spike codes carry ``1`` per event (hybrid: the analog values at step 0,
    kept as they are), so the bits and one buffer of the chunk's size give
    the same values as the full ``(steps, batch, *shape)`` array, in an
    eighth of the memory of float64.
    """

    def __init__(self, x: np.ndarray, first: int, steps: int, encoding: str, stream, compensation: bool) -> None:
        self.x, self.encoding = x, encoding
        if encoding == "analog":
            return
        self.spikes = np.empty((steps, *x.shape), bool)
        self.step0 = np.empty_like(x) if encoding == "hybrid" else None
        group = 1 if encoding == "rate" else max(1, CODE_BYTES // (8 * steps * x[0].size))  # rate: own streams
        for i in range(0, len(x), group):
            values = sample_code(x[i:i + group], steps, encoding, stream(first + i), compensation)
            np.not_equal(values, 0.0, out=self.spikes[:, i:i + group])
            if self.step0 is not None:
                self.step0[i:i + group] = values[0]
        self.buffer = np.empty_like(x)

    def at(self, t: int) -> np.ndarray:
        """The values of step ``t`` for every sample of the chunk."""
        if self.encoding == "analog":
            return self.x
        if self.step0 is not None and t == 0:
            return self.step0
        np.copyto(self.buffer, self.spikes[t])
        return self.buffer


def run_bytes(snn: SpikingNet, samples: int, steps: int, *, encoding: str, chunk: int, record_spikes: bool) -> int:
    """What :func:`run` allocates, estimated before it allocates (bytes).

    Per sample of a chunk: each spiking layer's potential, input current and
    spike values (the net's float type) and two bool arrays; the output
    layer's current and sum; every op's output while a group is applied; the
    input bits and one step of input values. Per sample of the batch: the
    logits of every step (twice, while the chunks are joined), predictions,
    and with ``record_spikes`` every spiking neuron's bit at every step
    (twice). Plus the bounded work arrays of convolutions.
    """
    item = np.dtype(snn.dtype).itemsize
    per_sample = 0
    for layer in snn.layers:
        per_sample += layer.size * (3 * item + 2 if layer.spiking else 2 * item)
        per_sample += sum(work_sizes(layer.ops, layer.input_shape)[1:]) * max(item, 8)
    n_in = int(np.prod(snn.input_shape))
    per_sample += n_in * 2 * item + (steps * n_in if encoding != "analog" else 0)
    if encoding == "analog":
        per_sample += snn.layers[0].size * item
    classes = snn.layers[-1].size
    per_run = steps * (2 * classes * item + 8)
    if record_spikes:
        per_run += 2 * steps * sum(layer.size for layer in snn.layers if layer.spiking)
    return min(chunk, samples) * per_sample + samples * per_run + 2 * IM2COL_BYTES


def run(snn: SpikingNet, x: np.ndarray, steps: int, *, encoding: str = "analog", labels: np.ndarray | None = None,
        rng=None, chunk: int = 1000, record_spikes: bool = False, compensation: bool = False,
        exit_threshold: float | None = None, temperature: float = 1.0, single_spike: bool = False) -> RunResult:
    """Run a converted net on a batch for ``steps`` steps, in chunks of ``chunk`` samples.

    Dropping exited samples (``exit_threshold``) shrinks the batch, and BLAS
    may then round the remaining samples' products differently in the last bit.

    The memory the run needs (:func:`run_bytes`) is checked against
    ``evsim.limits`` before anything is allocated; a smaller ``chunk`` lowers it.

    Parameters
    ----------
    snn : SpikingNet
        The net (converted, trained by :func:`~evsim.deep.direct.fit`, or loaded).
    x : ndarray
        ``(samples, *snn.input_shape)`` finite values (in ``[0, 1]`` for the
        spike encodings).
    steps : int
        Time steps per sample (``>= 1``; ``>= 2`` for hybrid input).
    encoding : {"analog", "rate", "ttfs", "hybrid"}, optional
        How ``x`` enters: ``"analog"`` (the default), the values themselves every
        step; the others the spike codes of :mod:`evsim.encoding`.
    labels : ndarray of int, optional
        One class index per sample; without them (None, the default) the
        result's ``accuracy`` and ``exit_accuracy`` are None.
    rng : int, numpy Generator or None, optional
        Rate input: a seed or Generator; each sample draws from its own stream
        (:func:`sample_streams`), so the results do not depend on ``chunk``.
        Default None: fresh entropy. The other encodings draw nothing.
    chunk : int, optional
        Samples run at once (``>= 1``); default 1000.
    record_spikes : bool, optional
        Keep every spike (the result's ``spikes``); default False.
    compensation : bool, optional
        Rate input only: IC-SNN's coding compensation, see
        :func:`evsim.encoding.compensate`. Default False.
    exit_threshold : float or None, optional
        ``α`` (SEENN-I): a sample stops after the first step whose ``max
        softmax(logits / temperature)`` exceeds ``α``, with ``0 < α < 1`` (the
        confidence never exceeds 1, so ``α >= 1`` would never exit: leave it
        ``None``), and costs nothing afterwards. Default None: no early exit.
    temperature : float, optional
        Divides the logits in the exit's confidence (finite, ``> 0``); default 1.0.
    single_spike : bool, optional
        Every hidden neuron fires at most once per sample. Default False.

    Returns
    -------
    RunResult
        The logits, predictions and accuracy after each step, the exit steps, and
        the spikes and synaptic operations counted.

    Raises
    ------
    ValidationError
        A bad argument, named with the value and what is accepted (``compensation``
        with an encoding other than ``"rate"`` among them); values of ``x`` beyond
        the net's float type.
    LimitError
        The run (:func:`run_bytes`) would exceed the memory limit (``evsim.limits``).

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import run, spiking_mlp
    >>> result = run(spiking_mlp([2, 3, 2], seed=0), np.array([[0.5, 1.0]]), 4, record_spikes=True)
    >>> result.spikes[0][:, 0].astype(int).tolist()  # the hidden layer's spikes, step by step
    [[0, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 0]]
    >>> result.predictions[:, 0].tolist()  # the class after each step
    [0, 0, 1, 1]
    """
    options = _checked(snn, x, steps, encoding=encoding, labels=labels, rng=rng, chunk=chunk,
                       record_spikes=record_spikes, compensation=compensation, exit_threshold=exit_threshold,
                       temperature=temperature, single_spike=single_spike)
    x, labels, chunk, rng = options.pop("x"), options.pop("labels"), options.pop("chunk"), options.pop("rng")
    require_budget("run", f"{len(x):,} samples for {steps} steps in chunks of {min(chunk, len(x)):,} (chunk=)",
                   run_bytes(snn, len(x), steps, encoding=encoding, chunk=chunk, record_spikes=record_spikes))
    stream = sample_streams(rng, encoding)
    fanouts = [_FanOut(fan_out(layer.ops, layer.input_shape)) for layer in snn.layers]  # once per run
    parts = [_run_chunk(snn, _Inputs(x[i:i + chunk], i, steps, encoding, stream, compensation), steps,
                        fanouts=fanouts, **options) for i in range(0, len(x), chunk)]
    logits = np.concatenate([p["logits"] for p in parts], axis=1)
    exit_step = np.concatenate([p["exit_step"] for p in parts])
    predictions = logits.argmax(axis=2)
    accuracy = exit_accuracy = None
    if labels is not None:
        accuracy = (predictions == labels[None, :]).mean(axis=1)
        exit_accuracy = float((predictions[exit_step - 1, np.arange(len(x))] == labels).mean())
    spikes = [np.concatenate([p["spikes"][k] for p in parts], axis=1) for k in range(len(parts[0]["spikes"]))] \
        if record_spikes else None
    total = {key: sum(p[key] for p in parts) for key in ("counts", "acs", "macs")}
    return RunResult(logits, predictions, accuracy, exit_step, exit_accuracy, total["counts"], total["acs"],
                     total["macs"], spikes)


def _checked(snn, x, steps, *, encoding, labels, rng, chunk, record_spikes, compensation, exit_threshold,
             temperature, single_spike) -> dict:
    """:func:`run`'s arguments checked; ``x`` in the net's float type, ``rng`` a Generator."""
    owner = "run"
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet (from deep.convert)", owner=owner)
    encoding = choice("encoding", encoding, ENCODINGS, owner=owner)
    integer("steps", steps, owner=owner, minimum=2 if encoding == "hybrid" else 1)
    spikes = encoding != "analog"
    x = checks.samples("x", x, owner=owner, sample_shape=snn.input_shape, minimum=0.0 if spikes else None,
                       maximum=1.0 if spikes else None)
    with np.errstate(over="ignore"):  # a value beyond the float type becomes inf, refused next
        x = checks.samples("x (in the net's float type)", x.astype(snn.dtype, copy=False), owner=owner)
    if labels is not None:
        labels = checks.labels("labels", labels, owner=owner, count=len(x), classes=snn.layers[-1].size)
    if flag("compensation", compensation, owner=owner) and encoding != "rate":
        raise refuse(owner, "compensation", "False unless encoding='rate' (it corrects the rate code)", True)
    if exit_threshold is not None:
        exit_threshold = checks.exit_probability("exit_threshold", exit_threshold, owner=owner)
    return dict(x=x.astype(snn.dtype, copy=False), labels=labels, rng=generator(rng, owner=owner),
                chunk=integer("chunk", chunk, owner=owner, minimum=1), encoding=encoding,
                exit_threshold=exit_threshold, single_spike=flag("single_spike", single_spike, owner=owner),
                temperature=real("temperature", temperature, owner=owner, minimum=0.0, exclusive_minimum=True),
                record=flag("record_spikes", record_spikes, owner=owner))


class _FanOut:
    """An affine group's fan-outs (:func:`fan_out`), counting the operations that events cause."""

    def __init__(self, counts: np.ndarray) -> None:
        self.counts = counts
        self.uniform = counts[0] if counts.size and (counts == counts[0]).all() else None

    def ops(self, events: np.ndarray) -> int:
        """``Σ_i (samples with a nonzero value at input i) · fan_out_i`` for ``(samples, …)`` events.

        Equal fan-outs (any dense layer without zero weights) need only the
        number of events.
        """
        if self.uniform is not None:
            return np.count_nonzero(events) * self.uniform
        return np.count_nonzero(events.reshape(len(events), -1), axis=0) @ self.counts


def _analog_step(encoding: str, t: int) -> bool:
    """Whether the input values at step ``t`` are analog (MACs) rather than spikes (ACs)."""
    return encoding == "analog" or (encoding == "hybrid" and t == 0)


def _run_chunk(snn: SpikingNet, inputs: _Inputs, steps: int, *, encoding, exit_threshold, temperature,
               single_spike, record, fanouts):
    layers, x = snn.layers, inputs.x
    batch = len(x)
    n_spiking = sum(layer.spiking for layer in layers)
    state = _State(snn, x, encoding)
    logits = np.zeros((steps, batch, layers[-1].size), snn.dtype)
    counts, acs, macs = np.zeros((steps, n_spiking)), np.zeros((steps, len(layers))), np.zeros((steps, len(layers)))
    recorded = [np.zeros((steps, batch, layer.size), bool) for layer in layers if layer.spiking] if record else []
    exit_step = np.full(batch, steps)
    for t in range(steps):
        alive = state.alive
        if alive.size == 0:  # every sample has exited: nothing left to compute
            break
        previous = inputs.at(t) if alive.size == batch else inputs.at(t)[alive]
        ops = state.input_ops(previous, fanouts[0], constant=encoding == "analog")
        analog = _analog_step(encoding, t)
        for k, layer in enumerate(layers):
            (macs if analog and k == 0 else acs)[t, k] = ops
            current = state.current(k, layer, previous)
            if not layer.spiking:
                logits[t, alive] = state.accumulate(current, layer.bias)
                break
            fired, previous = state.step(k, layer, current, single_spike)
            counts[t, k] = np.count_nonzero(fired)
            ops = fanouts[k + 1].ops(fired)
            if record:
                recorded[k][t, alive] = fired.reshape(alive.size, -1)
        if exit_threshold is not None and t < steps - 1:
            leaving = _confidence(state.total, temperature) > exit_threshold
            if leaving.any():
                exit_step[alive[leaving]] = t + 1
                logits[t + 1:, alive[leaving]] = state.total[leaving]
                state.keep(~leaving)
    return {"logits": logits, "counts": counts, "acs": acs, "macs": macs, "spikes": recorded, "exit_step": exit_step}


def _confidence(logits: np.ndarray, temperature: float) -> np.ndarray:
    """``max softmax(logits / temperature)`` per sample."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e.max(axis=1) / e.sum(axis=1)


class _State:
    """What the samples still running carry from step to step, and the buffers every step reuses.

    Carried: potentials, spent single-spike neurons, the output sum. Reused:
    each layer's input current, spikes and spike values (rows ``[:n]`` for the
    ``n`` samples still running), so a step allocates no arrays of the
    batch's size.
    """

    def __init__(self, snn: SpikingNet, x: np.ndarray, encoding: str) -> None:
        batch, dtype = len(x), snn.dtype
        shapes = [(batch, *layer.output_shape) for layer in snn.layers]
        self.alive = np.arange(batch)
        self.v = [np.broadcast_to(layer.v_init, shape).copy() for layer, shape in zip(snn.layers, shapes)]
        self.i = [np.zeros(shape, dtype) if layer.spiking and layer.current_based else None
                  for layer, shape in zip(snn.layers, shapes)]
        self.spent = [np.zeros(shape, bool) for shape in shapes]
        self.first_current = linear_part(snn.layers[0].ops, x) if encoding == "analog" else None
        self.total = np.zeros((batch, snn.layers[-1].size), dtype)
        spiking = [shape for layer, shape in zip(snn.layers, shapes) if layer.spiking]  # the layers before the last
        self._currents = [np.empty(shape, dtype) for shape in shapes]
        self._fired = [np.empty(shape, bool) for shape in spiking]
        self._values = [np.empty(shape, dtype) for shape in spiking]
        self._input_ops = None  # the first layer's operations, while the input and the samples stay the same

    def input_ops(self, values: np.ndarray, fanout: "_FanOut", constant: bool) -> int:
        """Operations of the input values into the first layer (counted once while the input is constant)."""
        if constant and self._input_ops is not None:
            return self._input_ops
        ops = fanout.ops(values)
        self._input_ops = ops if constant else None
        return ops

    def current(self, k: int, layer, previous: np.ndarray) -> np.ndarray:
        """``I = W·x`` into layer ``k`` (the first layer's analog current is computed once)."""
        if k == 0 and self.first_current is not None:
            return self.first_current
        return linear_part(layer.ops, previous, out=self._currents[k][:self.alive.size])

    def step(self, k: int, layer, current: np.ndarray, single_spike: bool) -> tuple[np.ndarray, np.ndarray]:
        """One update of layer ``k`` in place: ``m = drift(v) + I`` (or ``+ i``), fire, reset.

        Returns the spikes ``s`` and their values ``s·θ`` for the next layer
        (with a subtract reset, the very amount the reset removes).
        """
        n, v = self.alive.size, self.v[k]
        bias = layer.bias
        if layer.current_based:
            current = synaptic_current(self.i[k], layer.synapse_beta, bias, current, out=self.i[k])
            bias = 0.0
        drift(v, layer.beta, 0.0, bias, out=v)
        np.add(v, current, out=v)
        fired = fires(v, layer.theta, out=self._fired[k][:n])
        if single_spike:
            fired &= ~self.spent[k]
            self.spent[k] |= fired
        values = self._values[k][:n]
        if layer.reset == "subtract":
            apply_reset(v, fired, layer.theta, np.nan, out=v, removed=values)
        else:
            np.multiply(fired, layer.theta, dtype=v.dtype, out=values)
            apply_reset(v, fired, layer.theta, layer.reset_to, out=v)
        return fired, values

    def accumulate(self, current: np.ndarray, bias: np.ndarray) -> np.ndarray:
        """The output layer: ``total += I + b``; returns the running total."""
        increment = np.add(current, bias, out=self._currents[-1][:self.alive.size])
        return np.add(self.total, increment, out=self.total)

    def keep(self, rows: np.ndarray) -> None:
        """Drop the samples that exited: they cost no further operations."""
        self.alive = self.alive[rows]
        self.v = [v[rows] for v in self.v]
        self.i = [None if i is None else i[rows] for i in self.i]
        self.spent = [s[rows] for s in self.spent]
        self.total = self.total[rows]
        self._input_ops = None
        if self.first_current is not None:
            self.first_current = self.first_current[rows]
