"""Direct training of a :class:`~evsim.deep.convert.SpikingNet`: minibatches of BPTT with pseudo-derivatives.

Each minibatch runs :func:`evsim.deep.bptt.forward` (the runner's neuron
functions, hard spikes) for ``steps`` steps, takes a loss of the output
accumulator's potentials ``u_t`` (the cumulative logits after step ``t``),
:func:`evsim.deep.bptt.backward` gives the gradient of every weight, bias
and (``train_leak=True``) leak ``β`` with the chosen pseudo-derivative, and
:class:`~evsim.deep.train.AdamRule` updates them. The result is a
:class:`SpikingNet` like a converted one: :func:`evsim.deep.run`, energy,
early exit, :func:`evsim.io.save`, :func:`evsim.deep.to_network` and NIR
export all take it.

Losses (``u_t``: the ``(batch, classes)`` potentials after step ``t``, ``y``
the labels, ``CE`` the mean softmax cross-entropy)::

    "final"          L = CE(u_T, y)
    "time+membrane"  L = CE(u_T, y) + (1/T)·Σ_{t=1..T} CE(u_t, y)

The first reads the membrane potential at the end, what :func:`run`'s
prediction reads. The second is this package's form of Datta et al.'s loss
"from the output neurons' spike time and membrane potential" (their exact
formula is not given in the abstract it comes from): read the output layer
as a first-to-fire code — the class whose potential leads first "spikes"
first — and the correct class should lead *from as early a step as
possible*. ``CE(u_t, y)`` is small exactly when the correct class leads at
step ``t`` by a margin, so the average over steps grows with every step the
correct class does not yet lead: a smooth stand-in for the correct output's
spike time, with the final membrane term keeping the answer at ``T`` right.
It also trains what early exit (:mod:`evsim.deep.early_exit`) reads.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from evsim.deep import checks
from evsim.deep.bptt import backward, forward
from evsim.deep.convert import RESETS, SpikingLayer, SpikingNet, convert
from evsim.deep.energy import E_AC, ann_energy
from evsim.deep.matrix import fan_out
from evsim.deep.layers import Dense, ReLU, Sequential
from evsim.deep.runner import ENCODINGS, encode_batch, run
from evsim.deep.surrogate import FastSigmoid, Surrogate
from evsim.deep.train import AdamRule, cross_entropy, epoch_bar
from evsim.validation import choice, flag, generator, integer, real, real_array, refuse

__all__ = ["LOSSES", "SCHEDULES", "FitOptions", "Training", "fit", "spiking_mlp", "output_loss", "learning_rate",
           "spike_costs", "spike_energy", "dropout_masks"]

LOSSES = ("final", "time+membrane")
SCHEDULES = ("constant", "cosine")


@dataclass(frozen=True, eq=False)
class Training:
    """What :func:`fit` returns: the trained net and its training curve.

    Attributes
    ----------
    net : SpikingNet
        The trained net (a copy; the net given to :func:`fit` is not changed).
    losses, accuracies : tuple of float
        Per epoch, the mean training loss (with the energy term, if any) and the
        fraction of training samples the net classified right during the epoch
        (hard spikes, as the runner).
    validation : tuple of float or None
        After each epoch, the accuracy :func:`run` gives on the validation data
        (None without it).
    options : FitOptions
        The settings, so a run can say how it was trained.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import fit, spiking_mlp
    >>> x = np.random.default_rng(0).random((16, 2))
    >>> fit(spiking_mlp([2, 8, 2]), x, (x[:, 0] > x[:, 1]).astype(int), 4, epochs=3, batch=8, lr=0.01)
    Training(3 epochs: loss 0.9574, training accuracy 31.25 %; net SpikingNet((2,) → 8 → 2; ...))
    """

    net: SpikingNet
    losses: tuple[float, ...]
    accuracies: tuple[float, ...]
    validation: tuple[float, ...] | None
    options: "FitOptions"

    def __repr__(self) -> str:
        shown = f", validation {100 * self.validation[-1]:.2f} %" if self.validation else ""
        return (f"Training({len(self.losses)} epochs: loss {self.losses[-1]:.4f}, training accuracy "
                f"{100 * self.accuracies[-1]:.2f} %{shown}; net {self.net!r})")


def output_loss(logits: np.ndarray, labels: np.ndarray, loss: str = "final") -> tuple[float, np.ndarray]:
    """A loss of the cumulative logits ``(steps, batch, classes)`` and its gradient (see the module docstring).

    The gradient has the shape :func:`evsim.deep.bptt.backward` takes:
    ``(batch, classes)`` for ``"final"``, ``(steps, batch, classes)`` for
    ``"time+membrane"``.

    Parameters
    ----------
    logits : ndarray
        ``(steps, batch, classes)`` finite cumulative logits, e.g. a
        :class:`~evsim.deep.bptt.Tape`'s ``logits``; non-empty.
    labels : ndarray of int
        One class index in ``[0, classes)`` per sample of the batch.
    loss : {"final", "time+membrane"}, optional
        Which loss (see the module docstring); default ``"final"``.

    Returns
    -------
    value : float
        The loss, averaged over the batch.
    grad : ndarray
        Its gradient with respect to the logits, of the shape above.

    Raises
    ------
    ValidationError
        ``loss`` is not one of :data:`LOSSES`, ``logits`` not a non-empty 3-D array of finite real
        numbers, or ``labels`` not one class index in range per sample.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.direct import output_loss
    >>> logits = np.array([[[0.0, 1.0]], [[0.0, 2.0]]])  # 2 steps, 1 sample, 2 classes
    >>> value, grad = output_loss(logits, [1], "time+membrane")
    >>> round(value, 6), grad.round(4).tolist()
    (0.347023, [[[0.1345, -0.1345]], [[0.1788, -0.1788]]])
    """
    loss = choice("loss", loss, LOSSES, owner="output_loss")
    logits = real_array("logits", logits, owner="output_loss", ndim=3, allow_empty=False)
    if loss == "final":
        return cross_entropy(logits[-1], labels)
    steps = len(logits)
    grads = np.empty(logits.shape)
    value = 0.0
    for t in range(steps):
        term, grads[t] = cross_entropy(logits[t], labels)
        value += term / steps
    final = grads[-1].copy()
    grads /= steps
    grads[-1] += final  # the last step's term again: CE(u_T) + (1/T)·Σ_t CE(u_t)
    return value + term, grads


def spiking_mlp(sizes: Sequence[int], *, theta: float = 1.0, beta: float = 1.0, reset: str = "subtract",
                seed: int = 0, dtype=np.float64) -> SpikingNet:
    """An untrained spiking MLP ``sizes[0] → … → sizes[-1]`` to train with :func:`fit`.

    Dense layers with He-initialised weights (seeded: layer ``k`` draws from
    ``seed + 10·k``) and zero biases; every hidden layer spiking with
    threshold ``theta``, decay ``beta`` (1: IF; 0: no carry-over) and
    ``reset``, starting from ``v = 0``; the last layer the accumulator. Any
    other shape (convolutions, pooling): :func:`~evsim.deep.convert.convert`
    an untrained :class:`Sequential` with ``thresholds=``, then ``replace``
    its layers' ``beta`` and ``reset``.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths (each ``>= 1``): the input features, one or more hidden
        layers, the classes; at least three.
    theta : float, optional
        Every hidden layer's threshold (finite, ``> 0``); default 1.0.
    beta : float, optional
        Every hidden layer's decay per step, in ``[0, 1]``; default 1.0 (IF).
    reset : {"subtract", "zero"}, optional
        Every hidden layer's reset; default ``"subtract"``.
    seed : int, optional
        The weights' seed (``>= 0``); default 0.
    dtype : numpy float type, optional
        ``np.float32`` or ``np.float64`` (the default): the net's arithmetic.

    Returns
    -------
    SpikingNet
        With ``norm="trained"`` and ``v_init_rule="zero"``.

    Raises
    ------
    ValidationError
        Fewer than three sizes, a size or ``seed`` that is not an integer in
        range, or a bad ``theta``, ``dtype`` (both refused as :func:`convert`'s
        ``thresholds`` and ``dtype``), ``beta`` or ``reset`` (refused by
        :class:`SpikingLayer`).
    LimitError
        A weight array would exceed the memory limit (``evsim.limits``).

    Examples
    --------
    >>> from evsim.deep import spiking_mlp
    >>> snn = spiking_mlp([64, 32, 10], theta=1.0, beta=0.9)
    >>> snn, snn.layers[0].beta
    (SpikingNet((64,) → 32 → 10; θ=[1.0], norm='trained', v_init='zero'), 0.9)
    """
    owner = "spiking_mlp"
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 3:
        raise refuse(owner, "sizes", "at least three layer widths: input, hidden…, classes", sizes)
    sizes = [integer(f"sizes[{i}]", n, owner=owner, minimum=1) for i, n in enumerate(sizes)]
    seed = integer("seed", seed, owner=owner, minimum=0)
    theta = real("theta", theta, owner=owner, minimum=0.0, exclusive_minimum=True)
    beta = real("beta", beta, owner=owner, minimum=0.0, maximum=1.0)
    reset = choice("reset", reset, RESETS, owner=owner)  # (checked here so that the message names spiking_mlp)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers += [Dense(n_in, n_out, rng=seed + 10 * k), ReLU()]
    snn = convert(Sequential(layers[:-1]), thresholds=[theta] * (len(sizes) - 2), input_shape=(sizes[0],),
                  dtype=dtype)
    spiking = tuple(replace(layer, beta=beta, reset=reset) if layer.spiking else layer for layer in snn.layers)
    return replace(snn, layers=spiking, norm="trained", v_init_rule="zero")


def fit(snn: SpikingNet, x: np.ndarray, y: np.ndarray, steps: int, *, epochs: int = 10, batch: int = 64,
        lr: float = 1e-3, seed: int = 0, surrogate: Surrogate | None = None, encoding: str = "analog",
        single_spike: bool = False, loss: str = "final", schedule: str = "constant", train_leak: bool = False,
        train_v_init: bool = False, detach_reset: bool = False, weight_decay: float = 0.0, spike_cost: float = 0.0,
        spike_budget: float = 0.0, dropout: float = 0.0, validation: tuple[np.ndarray, np.ndarray] | None = None,
        progress: bool | Callable[[int, float], None] = False, guide=None) -> Training:
    """Train ``snn`` (a copy; ``snn`` is not changed) on ``x, y`` for ``steps`` steps per sample.

    Parameters
    ----------
    snn : SpikingNet
        From :func:`spiking_mlp`, or a converted net to fine-tune (each
        layer's ``reset``, ``beta`` and ``synapse_beta`` are kept).
    x, y : ndarray
        ``(samples, *snn.input_shape)`` values (in ``[0, 1]`` for the spike
        encodings) and their class labels.
    steps : int
        Time steps per sample (``>= 2`` for hybrid input).
    epochs, batch : int
        Passes over the data, and samples per update (shuffled by ``seed``).
    lr, weight_decay : float
        Adam's learning rate (``> 0``) and decoupled weight decay on weights.
    schedule : {"constant", "cosine"}
        The learning rate over the run (:func:`learning_rate`).
    seed : int
        The shuffle and the rate code's draws: the same seed gives the same
        weights, bit for bit.
    surrogate : Surrogate
        The spike's pseudo-derivative (:mod:`evsim.deep.surrogate`); default
        ``FastSigmoid(4.0)``.
    encoding : {"analog", "rate", "ttfs", "hybrid"}
        How ``x`` enters (:func:`evsim.deep.runner.encode_batch`).
    single_spike : bool
        Every hidden neuron fires at most once per sample (refused with rate
        input, whose information is in spike counts).
    loss : {"final", "time+membrane"}
        See the module docstring.
    train_leak : bool
        Also train each spiking layer's ``β`` (kept in ``[0, 1]``; a
        current-based layer's in ``(0, 1)``).
    train_v_init : bool
        Also train each spiking neuron's initial potential ``v_init``.
    spike_cost, spike_budget : float
        ``λ >= 0`` and ``B >= 0``: add ``λ·max(0, e − B)`` to the loss, where
        ``e = E_spikes/E_ANN`` is the energy of the accumulates the batch's
        spikes cause (one per spike and nonzero outgoing weight, ``E_AC``
        each) per image, over the ANN's energy per image (its MACs at
        ``E_MAC``; :mod:`evsim.deep.energy`). With ``B = 0`` every spike of
        neuron ``j`` costs ``λ·fan_out_j·E_AC/E_ANN``; with a budget ``B``
        (e.g. :func:`spike_energy` of the net before fine-tuning) spikes cost
        nothing until the batch spends more than it (a budget needs
        ``spike_cost > 0``).
    dropout : float
        ``p`` in ``[0, 1)``: in training, each hidden neuron's spikes are
        withheld from the next layer with probability ``p`` for a whole sample
        (one draw per sample and neuron, kept over all its steps, as Rathi et
        al. do in spiking nets), and those that pass count ``1/(1 − p)``
        (:func:`dropout_masks`); the runner, the validation and the trained
        net have no dropout, but the loss and training accuracy the
        :class:`Training` records per epoch are the masked batches'. The masks
        come from the seed's generator, which also orders the batches, so
        ``p > 0`` also changes the order from the second epoch on. Default 0:
        none (and no draws: the same weights as without the option).
    detach_reset : bool
        Treat the reset's dependence on the spike as a constant (see
        :mod:`evsim.deep.bptt`).
    validation : (x, y), optional
        Data the accuracy is measured on after each epoch (with :func:`run`).
    progress : bool or callable
        ``True``: a tqdm bar over epochs (standard error) with the loss;
        a callable is called as ``progress(epoch, loss)`` after each epoch.
    guide : object, optional
        Further loss terms from outside the net, e.g. a teacher
        (:class:`~evsim.deep.distill.Distillation`): its ``batch(tape, x, y)`` is
        called for every minibatch with the forward tape and the batch's raw
        inputs and labels, and returns ``(loss, logit_grad, spike_grad)`` —
        the terms' value, their gradient with respect to the last step's
        output ``u_T`` (or None) and with respect to each spiking layer's spikes
        (a list, or None); these are added to the loss's own before the
        backward pass. Its ``start()``, if it has one, is called before the
        first epoch. Default None.

    Returns
    -------
    Training
        The trained net, the loss and accuracies of each epoch, and the options.

    Raises
    ------
    ValidationError
        A bad argument, named with the value and what is accepted.
    LimitError
        A batch whose tape (:func:`evsim.deep.bptt.tape_bytes`) exceeds ``evsim.limits``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import fit, spiking_mlp
    >>> x = np.random.default_rng(0).random((16, 2))  # a toy task: is x[0] > x[1]?
    >>> y = (x[:, 0] > x[:, 1]).astype(int)
    >>> training = fit(spiking_mlp([2, 8, 2]), x, y, 4, epochs=3, batch=8, lr=0.01, validation=(x, y))
    >>> [round(loss, 4) for loss in training.losses], training.validation
    ([1.3505, 1.1781, 0.9574], (0.3125, 0.3125, 0.3125))
    """
    owner = "fit"
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet (from deep.convert or spiking_mlp)", owner=owner)
    options = FitOptions.checked(owner, steps=steps, epochs=epochs, batch=batch, lr=lr, weight_decay=weight_decay,
                                 spike_cost=spike_cost, spike_budget=spike_budget, dropout=dropout, seed=seed,
                                 surrogate=surrogate, encoding=encoding, single_spike=single_spike, loss=loss,
                                 schedule=schedule, train_leak=train_leak, train_v_init=train_v_init,
                                 detach_reset=detach_reset)
    x, y, validation = _data(owner, snn, x, y, validation, options.encoding)
    progress = checks.progress(progress, owner=owner)
    if guide is not None:
        if not callable(getattr(guide, "batch", None)):
            raise refuse(owner, "guide", "None or an object with a batch(tape, x, y) method (e.g. a Distillation)",
                         guide)
        if callable(getattr(guide, "start", None)):
            guide.start()
    net, rule = copy.deepcopy(snn), AdamRule(options.lr, weight_decay=options.weight_decay, owner=owner)
    costs = spike_costs(net, options.spike_cost) if options.spike_cost else None
    rng = generator(options.seed, owner=owner, argument="seed")
    curve = {"losses": [], "accuracies": [], "validation": [] if validation is not None else None}
    bar = epoch_bar(options.epochs, "training through time") if progress is True else None
    for epoch in range(options.epochs):
        net, loss_value, right = _epoch(net, x, y, rng, rule, options, epoch, costs, guide)
        curve["losses"].append(loss_value)
        curve["accuracies"].append(right)
        if validation is not None:
            curve["validation"].append(_accuracy(net, *validation, options))
        _report(bar, progress, epoch, curve)
    if bar is not None:
        bar.close()
    return Training(net, tuple(curve["losses"]), tuple(curve["accuracies"]),
                    None if validation is None else tuple(curve["validation"]), options)


@dataclass(frozen=True)
class FitOptions:
    """:func:`fit`'s settings, checked (each is described there).

    Build them with :meth:`checked`, which checks each one; the constructor
    itself checks nothing.

    Attributes
    ----------
    steps, epochs, batch : int
        Time steps per sample, passes over the data, samples per update.
    lr, weight_decay : float
        Adam's learning rate and decoupled weight decay.
    spike_cost, spike_budget : float
        The energy term's ``λ`` and ``B``.
    dropout : float
        The probability of withholding a hidden neuron's spikes for a sample.
    seed : int
        The seed of the shuffle and of the rate code's draws.
    surrogate : Surrogate
        The spike's pseudo-derivative (``FastSigmoid(4.0)`` where :func:`fit` was given None).
    encoding, loss, schedule : str
        How the input enters, the loss, the learning rate's schedule.
    single_spike, train_leak, train_v_init, detach_reset : bool
        As :func:`fit`'s arguments of the same names.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import fit, spiking_mlp
    >>> options = fit(spiking_mlp([2, 3, 2]), np.ones((4, 2)), [0, 1, 0, 1], 4, epochs=1).options
    >>> options.surrogate, options.steps, options.loss, options.encoding
    (FastSigmoid(slope=4.0), 4, 'final', 'analog')
    """

    steps: int
    epochs: int
    batch: int
    lr: float
    weight_decay: float
    spike_cost: float
    spike_budget: float
    dropout: float
    seed: int
    surrogate: Surrogate
    encoding: str
    single_spike: bool
    loss: str
    schedule: str
    train_leak: bool
    train_v_init: bool
    detach_reset: bool

    @classmethod
    def checked(cls, owner: str, *, steps, epochs, batch, lr, weight_decay, spike_cost, spike_budget, dropout, seed,
                surrogate, encoding, single_spike, loss, schedule, train_leak, train_v_init,
                detach_reset) -> "FitOptions":
        """The settings, each refused with its name and value where it is not accepted."""
        encoding = choice("encoding", encoding, ENCODINGS, owner=owner)
        single_spike = flag("single_spike", single_spike, owner=owner)
        if single_spike and encoding == "rate":
            raise refuse(owner, "single_spike with encoding='rate'", "single_spike=False, or a temporal input "
                         "(encoding='hybrid', 'ttfs' or 'analog'): a rate code carries its value in spike counts, "
                         "which a neuron that fires once cannot pass on", True)
        surrogate = FastSigmoid(4.0) if surrogate is None else surrogate
        checks.instance("surrogate", surrogate, Surrogate, accepted="a pseudo-derivative from evsim.deep.surrogate",
                        owner=owner)
        spike_cost = real("spike_cost", spike_cost, owner=owner, minimum=0.0)
        return cls(steps=integer("steps", steps, owner=owner, minimum=2 if encoding == "hybrid" else 1),
                   epochs=integer("epochs", epochs, owner=owner, minimum=1),
                   batch=integer("batch", batch, owner=owner, minimum=1),
                   lr=real("lr (the learning rate)", lr, owner=owner, minimum=0.0, exclusive_minimum=True),
                   weight_decay=real("weight_decay", weight_decay, owner=owner, minimum=0.0),
                   spike_cost=spike_cost, spike_budget=_budget(spike_budget, spike_cost, owner),
                   dropout=real("dropout", dropout, owner=owner, minimum=0.0, maximum=1.0, exclusive_maximum=True),
                   seed=integer("seed", seed, owner=owner, minimum=0), surrogate=surrogate, encoding=encoding,
                   single_spike=single_spike, loss=choice("loss", loss, LOSSES, owner=owner),
                   schedule=choice("schedule", schedule, SCHEDULES, owner=owner),
                   train_leak=flag("train_leak", train_leak, owner=owner),
                   train_v_init=flag("train_v_init", train_v_init, owner=owner),
                   detach_reset=flag("detach_reset", detach_reset, owner=owner))


def _data(owner: str, snn: SpikingNet, x, y, validation, encoding: str):
    """``x`` (in the net's float type), ``y`` and the validation pair, checked against the net and the encoding."""
    spikes = encoding != "analog"
    bounds = dict(minimum=0.0 if spikes else None, maximum=1.0 if spikes else None)
    x = checks.samples("x", x, owner=owner, sample_shape=snn.input_shape, **bounds).astype(snn.dtype, copy=False)
    classes = snn.layers[-1].size
    y = checks.labels("y", y, owner=owner, count=len(x), classes=classes)
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise refuse(owner, "validation", "a pair (x, y) of validation samples and labels", validation)
        x_val = checks.samples("validation x", validation[0], owner=owner, sample_shape=snn.input_shape, **bounds)
        validation = (x_val, checks.labels("validation y", validation[1], owner=owner, count=len(x_val),
                                           classes=classes))
    return x, y, validation


def learning_rate(lr: float, schedule: str, update: int, updates: int) -> float:
    """The learning rate of update ``update`` (0-based, ``< updates``) of ``updates``.

    ``"constant"``: ``lr``; ``"cosine"``: ``lr·(1 + cos(π·update/updates))/2``,
    from ``lr`` down towards 0 at the end (Loshchilov & Hutter's annealing, no restarts).

    Parameters
    ----------
    lr : float
        The base learning rate (finite, ``> 0``).
    schedule : {"constant", "cosine"}
        The schedule.
    update : int
        Which update, ``0 <= update < updates``.
    updates : int
        How many updates the run makes (``>= 1``).

    Returns
    -------
    float
        The learning rate of that update.

    Raises
    ------
    ValidationError
        ``lr`` is not a finite real number ``> 0``, ``schedule`` not one of :data:`SCHEDULES`, or
        ``update`` and ``updates`` not integers in range.

    Examples
    --------
    >>> from evsim.deep.direct import learning_rate
    >>> [round(learning_rate(0.01, "cosine", update, 4), 6) for update in range(4)]
    [0.01, 0.008536, 0.005, 0.001464]
    """
    owner = "learning_rate"
    lr = real("lr", lr, owner=owner, minimum=0.0, exclusive_minimum=True)
    schedule = choice("schedule", schedule, SCHEDULES, owner=owner)
    updates = integer("updates", updates, owner=owner, minimum=1)
    update = integer("update", update, owner=owner, minimum=0, maximum=updates - 1)
    if schedule == "constant":
        return lr
    return float(lr * 0.5 * (1.0 + np.cos(np.pi * update / updates)))


def _budget(spike_budget, spike_cost, owner: str) -> float:
    """``spike_budget``, refused where no energy term would read it (``spike_cost`` 0)."""
    budget = real("spike_budget", spike_budget, owner=owner, minimum=0.0)
    if budget > 0.0 and spike_cost == 0.0:
        raise refuse(owner, "spike_budget without spike_cost", "spike_cost > 0 with it (the budget is where the "
                     "energy term λ·max(0, e − B) starts; with λ = 0 there is no term)", budget)
    return budget


def _epoch(net: SpikingNet, x, y, rng: np.random.Generator, rule: AdamRule, options: FitOptions, epoch: int,
           costs: list[np.ndarray] | None, guide=None):
    """One pass over the data in a seeded order; returns (net, mean loss, training accuracy)."""
    order = rng.permutation(len(x))
    total = right = 0.0
    per_epoch = -(-len(x) // options.batch)
    for number, start in enumerate(range(0, len(x), options.batch)):
        rule.lr = learning_rate(options.lr, options.schedule, epoch * per_epoch + number, options.epochs * per_epoch)
        rows = order[start:start + options.batch]
        values = x[rows] if options.encoding == "analog" else encode_batch(x[rows], options.steps, options.encoding, rng)
        masks = dropout_masks(net, rows.size, options.dropout, rng) if options.dropout else None
        tape = forward(net, values, options.steps, options.surrogate, single_spike=options.single_spike,
                       detach_reset=options.detach_reset, masks=masks)
        loss, grad = output_loss(tape.logits, y[rows], options.loss)
        excess, spike_grad = _over_budget(tape, costs, options, rows.size)
        if guide is not None:
            extra, grad, spike_grad = _guided(guide, tape, x[rows], y[rows], grad, spike_grad)
            excess += extra
        net = _updated(net, backward(tape, grad, spike_grad=spike_grad), rule, options)
        loss += excess
        total += loss * rows.size
        right += int(np.count_nonzero(tape.logits[-1].argmax(axis=1) == y[rows]))  # (plain floats in Training)
    return net, total / len(x), right / len(x)


def dropout_masks(snn: SpikingNet, samples: int, p: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Dropout masks for :func:`evsim.deep.bptt.forward`: ``keep/(1 − p)`` per sample and neuron.

    ``keep ~ Bernoulli(1 − p)``, one mask per spiking layer.

    One draw per sample and neuron, kept at every step of the sample (Rathi et
    al., "Enabling deep spiking neural networks with hybrid conversion and
    spike timing dependent backpropagation", ICLR 2020, do the same): a
    neuron dropped from a sample is silent to the next layer for all of it,
    one that is kept sends ``θ/(1 − p)`` per spike, so a layer's expected
    input is the same as without dropout (Srivastava et al., JMLR 2014).

    Parameters
    ----------
    snn : SpikingNet
        The net; one mask per spiking layer, of shape ``(samples, *layer.output_shape)``.
    samples : int
        The batch size (``>= 1``).
    p : float
        The probability of dropping, in ``[0, 1)``.
    rng : numpy.random.Generator or int
        The draws' source (a Generator advances; an integer seeds a new one).

    Returns
    -------
    list of ndarray
        The masks, in the net's float type, each entry 0 or ``1/(1 − p)``.

    Raises
    ------
    ValidationError
        ``snn`` not a SpikingNet, ``samples`` not an integer ``>= 1``, ``p`` outside ``[0, 1)``
        or ``rng`` neither a Generator nor a seed.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.direct import dropout_masks
    >>> masks = dropout_masks(spiking_mlp([2, 4, 3, 2]), 2, 0.5, np.random.default_rng(0))
    >>> [mask.tolist() for mask in masks]
    [[[2.0, 0.0, 0.0, 0.0], [2.0, 2.0, 2.0, 2.0]], [[2.0, 2.0, 2.0], [0.0, 2.0, 0.0]]]
    """
    owner = "dropout_masks"
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet", owner=owner)
    samples = integer("samples", samples, owner=owner, minimum=1)
    p = real("p", p, owner=owner, minimum=0.0, maximum=1.0, exclusive_maximum=True)
    rng = generator(rng, owner=owner)
    return [(rng.random((samples, *layer.output_shape)) >= p).astype(snn.dtype) / np.dtype(snn.dtype).type(1.0 - p)
            for layer in snn.layers if layer.spiking]


def _guided(guide, tape, x, y, grad: np.ndarray, spike_grad):
    """The guide's terms added to the loss's gradients: ``(its loss, logit gradient, spike gradients)``."""
    extra, logit_grad, extra_spikes = guide.batch(tape, x, y)
    if logit_grad is not None:
        grad = grad.copy()
        (grad[-1] if grad.ndim == 3 else grad)[...] += logit_grad  # "time+membrane" grads are per step
    if extra_spikes is not None:
        spike_grad = extra_spikes if spike_grad is None else \
            [mine + theirs for mine, theirs in zip(spike_grad, extra_spikes, strict=True)]
    return extra, grad, spike_grad


def _over_budget(tape, costs: list[np.ndarray] | None, options: FitOptions, samples: int):
    """The energy term ``λ·max(0, e − B)`` of the batch and its derivative per spike (None below the budget).

    ``costs``: :func:`spike_costs` at ``λ`` (None without an energy term).
    """
    if costs is None:
        return 0.0, None
    excess = _spent(tape.spikes, costs) / samples - options.spike_cost * options.spike_budget
    if excess <= 0.0:
        return 0.0, None
    return excess, [cost / samples for cost in costs]


def _spent(spikes, costs) -> float:
    """``Σ_l Σ_(t, sample, j) s·cost_l,j``: the cost of every spike (spikes per layer, any leading (steps, batch))."""
    return sum(float(s.reshape(-1, c.size).sum(axis=0) @ c.reshape(-1)) for s, c in zip(spikes, costs))


def spike_energy(snn: SpikingNet, x: np.ndarray, steps: int, *, encoding: str = "analog", single_spike: bool = False,
                 rng: int | np.random.Generator | None = 0) -> float:
    """``E_spikes/E_ANN`` of ``snn`` on ``x``: the hidden spikes' accumulates per image over the ANN's energy.

    The quantity ``spike_budget`` of :func:`fit` is measured in (it leaves
    out the input's own operations, which training does not change).

    Parameters
    ----------
    snn : SpikingNet
        The net.
    x : ndarray
        ``(samples, *snn.input_shape)`` finite values (in ``[0, 1]`` for the spike encodings).
    steps : int
        Time steps per sample (``>= 1``; ``>= 2`` for hybrid input).
    encoding : {"analog", "rate", "ttfs", "hybrid"}, optional
        How ``x`` enters (as :func:`run`'s ``encoding``); default ``"analog"``.
    single_spike : bool, optional
        Every hidden neuron fires at most once per sample; default False.
    rng : int, numpy Generator or None, optional
        The rate code's draws (as :func:`run`'s ``rng``); default 0.

    Returns
    -------
    float
        ``E_spikes/E_ANN``, the mean over the samples of ``x``.

    Raises
    ------
    ValidationError
        A bad argument, refused by :func:`run`.
    LimitError
        The run (with every spike recorded) would exceed the memory limit (``evsim.limits``).

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.direct import spike_energy
    >>> round(spike_energy(spiking_mlp([2, 3, 2]), np.array([[0.5, 1.0], [1.0, 0.2]]), 4), 6)
    0.048913
    """
    result = run(snn, x, steps, encoding=encoding, rng=rng, single_spike=single_spike, record_spikes=True)
    return _spent(result.spikes, spike_costs(snn, 1.0)) / len(x)


def spike_costs(snn: SpikingNet, spike_cost: float) -> list[np.ndarray]:
    """Per spiking layer, ``λ·fan_out_j·E_AC/E_ANN`` for each neuron ``j``: what one spike costs per image.

    ``fan_out_j``: the nonzero weights out of neuron ``j`` (the accumulates
    its spike causes); ``E_ANN``: the ANN's joules per image. (In a batch of
    ``n`` samples the energy term is the batch's mean, so a spike adds this
    divided by ``n``.)

    Parameters
    ----------
    snn : SpikingNet
        The net.
    spike_cost : float
        ``λ`` (finite, ``>= 0``).

    Returns
    -------
    list of ndarray
        One array per spiking layer, of the layer's ``output_shape``: the cost of one spike of each neuron.

    Raises
    ------
    ValidationError
        ``snn`` is not a SpikingNet, or ``spike_cost`` not a finite real number ``>= 0``.

    Examples
    --------
    >>> from evsim.deep import spiking_mlp
    >>> from evsim.deep.direct import spike_costs
    >>> [cost.round(4).tolist() for cost in spike_costs(spiking_mlp([2, 3, 3, 2]), 0.5)]
    [[0.014, 0.014, 0.014], [0.0093, 0.0093, 0.0093]]
    """
    checks.instance("snn", snn, SpikingNet, accepted="a SpikingNet", owner="spike_costs")
    spike_cost = real("spike_cost", spike_cost, owner="spike_costs", minimum=0.0)
    per_image = ann_energy(snn)
    costs = []
    for layer, following in zip(snn.layers, snn.layers[1:]):
        if layer.spiking:
            counts = fan_out(following.ops, following.input_shape).reshape(layer.output_shape)
            costs.append(spike_cost * counts * E_AC / per_image)
    return costs


def _updated(net: SpikingNet, gradients, rule: AdamRule, options: FitOptions) -> SpikingNet:
    """The net after one Adam step on every weight and bias (leak, v_init); the ops are updated in place."""
    rule.next_step()
    layers = []
    for k, (layer, grads) in enumerate(zip(net.layers, gradients)):
        for i, (op, g) in enumerate(zip(layer.ops, grads.weights)):
            if g is not None:
                op.params["W"] = rule.update((k, i), op.params["W"], g.astype(op.params["W"].dtype), decay=True)
        changes = {"bias": rule.update((k, "bias"), layer.bias, grads.bias.astype(layer.bias.dtype), decay=False)}
        if options.train_leak and layer.spiking:
            changes["beta"] = _leak(layer, float(rule.update((k, "beta"), layer.beta, grads.beta, decay=False)))
        if options.train_v_init and layer.spiking:
            changes["v_init"] = rule.update((k, "v_init"), layer.v_init, grads.v_init.astype(layer.v_init.dtype),
                                            decay=False)
        layers.append(replace(layer, **changes))
    return replace(net, layers=tuple(layers))


def _leak(layer: SpikingLayer, beta: float) -> float:
    """A trained ``β`` kept where the layer allows it: ``[0, 1]``, or ``(0, 1)`` with a synaptic current."""
    if layer.current_based:
        return min(max(beta, 1e-6), 1.0 - 1e-6)
    return min(max(beta, 0.0), 1.0)


def _accuracy(net: SpikingNet, x, y, options: FitOptions) -> float:
    result = run(net, x, options.steps, encoding=options.encoding, labels=y, rng=options.seed,
                 single_spike=options.single_spike)
    return float(result.accuracy[-1])


def _report(bar, progress, epoch: int, curve: dict) -> None:
    if bar is not None:
        shown = {"loss": f"{curve['losses'][-1]:.4f}", "train": f"{curve['accuracies'][-1]:.3f}"}
        if curve["validation"] is not None:
            shown["validation"] = f"{curve['validation'][-1]:.3f}"
        bar.set_postfix(**shown)
        bar.update()
    elif callable(progress):
        progress(epoch, curve["losses"][-1])

