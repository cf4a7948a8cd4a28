"""DNN→SNN knowledge distillation: an ANN teacher guides a spiking student along three switchable paths.

The distillation evsim follows (a DNN–SNN knowledge-distillation algorithm for
sensing, deployed on Loihi) opens two learning paths from the DNN to the SNN —
between the output layers, and between intermediate layers through a *decoder*
that turns spikes into real numbers — and one back, so that the teacher adapts
to the student. evsim's version is a *guide* for
:func:`~evsim.deep.direct.fit`: every minibatch, :meth:`Distillation.batch`
adds its terms to the student's loss and updates the decoder and (on the back
path) the teacher. With ``T`` steps, ``u_T/T`` the student's mean output per
step, ``z`` the teacher's logits, ``τ`` the temperature, ``B`` the batch:

**Output path** (weight ``output``; Hinton et al., "Distilling the knowledge in a
neural network", 2015)::

    L_out = output · τ² · mean_B KL( softmax(z/τ) ‖ softmax(u_T/(T·τ)) )
    ∂L_out/∂u_T = output · τ · (softmax(u_T/(T·τ)) − softmax(z/τ)) / (T·B)

**Intermediate path** (weight ``intermediate``): the student's spiking layer
``l`` has rates ``r = Σ_t s_t / T``; a linear decoder ``ĥ = r·Dᵀ + d`` (learned)
turns them into the teacher's hidden activation ``h`` (its layer
``teacher_layer``, ``n_h`` units)::

    L_mid = intermediate · mean_B ‖ĥ − h‖² / n_h
    ∂L_mid/∂s_t = (2·intermediate/(n_h·B)) · (ĥ − h)·D / T      (every step t alike)

``D`` and ``d`` descend the same loss (Adam).

**Back path** (weight ``back``): the teacher trains too, on the labels and
toward the student's softened output::

    L_teacher = CE(z, y) + back · τ² · mean_B KL( softmax(u_T/(T·τ)) ‖ softmax(z/τ) )

With a weight of 0 a path is off: it adds nothing to the loss or to any
gradient, the decoder is not built (intermediate) and the teacher stays as
given (back). :meth:`Distillation.terms` computes the student's terms and
gradients without changing anything; a property test checks them against finite
differences.
"""

from __future__ import annotations

import copy
from typing import Sequence

import numpy as np

from evsim.deep import checks
from evsim.deep.layers import Dense, Sequential
from evsim.deep.train import Adam, AdamRule, cross_entropy, softmax
from evsim.validation import integer, real, refuse

__all__ = ["Distillation"]


class Distillation:
    """A teacher, a decoder and three path weights: a guide for :func:`~evsim.deep.direct.fit`.

    Parameters
    ----------
    teacher : Sequential
        The trained ANN; copied (the given one is never changed). ``teacher.layers[teacher_layer]``'s
        output is the intermediate path's target.
    output, intermediate, back : float, optional
        The paths' weights (``>= 0``; 0 switches a path off); defaults 1.0, 0.0, 0.0.
    temperature : float, optional
        ``τ > 0``; default 4.0.
    student_layer : int, optional
        Which spiking layer of the student the decoder reads (an index into its spiking layers,
        negative from the end); default -1, the last.
    teacher_layer : int or None, optional
        Index into ``teacher.layers`` of the activation matched (default None: the layer just before
        the last Dense).
    lr : float, optional
        Adam's learning rate for the decoder and, on the back path, the teacher; default 1e-3.
    seed : int, optional
        Seed of the decoder's initial weights; default 0.

    Attributes
    ----------
    teacher : Sequential
        The guide's copy of the teacher (trained on the back path).
    decoder : dict or None
        ``{"D": (n_h, n_l), "d": (n_h,)}`` once the intermediate path has run; None before (or when off).

    Raises
    ------
    ValidationError
        A weight that is negative, a temperature that is not positive, a teacher that is not a
        Sequential ending with a Dense layer, or a ``teacher_layer`` out of range.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, ReLU, Sequential, fit, spiking_mlp, train
    >>> from evsim.deep.distill import Distillation
    >>> x = np.random.default_rng(0).random((40, 3)); y = (x[:, 0] > x[:, 1]).astype(int)
    >>> teacher = Sequential([Dense(3, 8, rng=0), ReLU(), Dense(8, 2, rng=1)])
    >>> _ = train(teacher, x, y, epochs=20, lr=0.01)
    >>> guide = Distillation(teacher, output=1.0, intermediate=0.5, back=0.1)
    >>> student = fit(spiking_mlp([3, 6, 2], beta=0.9), x, y, 4, epochs=3, lr=0.01, guide=guide).net
    >>> guide.decoder["D"].shape  # 8 teacher units from 6 student neurons
    (8, 6)
    """

    def __init__(self, teacher: Sequential, *, output: float = 1.0, intermediate: float = 0.0, back: float = 0.0,
                 temperature: float = 4.0, student_layer: int = -1, teacher_layer: int | None = None,
                 lr: float = 1e-3, seed: int = 0) -> None:
        owner = "Distillation"
        checks.instance("teacher", teacher, Sequential, owner=owner, accepted="a Sequential (the trained ANN)")
        if not isinstance(teacher.layers[-1], Dense):
            raise refuse(owner, "teacher", "an ANN whose last layer is Dense (its logits)", teacher)
        self.output, self.intermediate, self.back = (real(name, value, owner=owner, minimum=0.0) for name, value in
                                                     (("output", output), ("intermediate", intermediate),
                                                      ("back", back)))
        self.temperature = real("temperature", temperature, owner=owner, minimum=0.0, exclusive_minimum=True)
        self.student_layer = integer("student_layer", student_layer, owner=owner)
        last_dense = max(i for i, layer in enumerate(teacher.layers) if isinstance(layer, Dense))
        self.teacher_layer = last_dense - 1 if teacher_layer is None else \
            integer("teacher_layer", teacher_layer, owner=owner, minimum=0, maximum=len(teacher.layers) - 2)
        if self.teacher_layer < 0:
            raise refuse(owner, "teacher", "an ANN with a hidden layer before its last Dense", teacher)
        self.lr = real("lr", lr, owner=owner, minimum=0.0, exclusive_minimum=True)
        self.seed = integer("seed", seed, owner=owner, minimum=0)
        self._given = copy.deepcopy(teacher)
        self.start()

    def start(self) -> None:
        """Begin a training: the teacher as given, no decoder yet, fresh Adam states.

        :func:`~evsim.deep.direct.fit` calls it first, so one guide used for
        two trainings guides both alike (the same seeds give the same student).

        Returns
        -------
        None

        Raises
        ------
        ValidationError
            Never.

        Examples
        --------
        >>> from evsim.deep import Dense, ReLU, Sequential
        >>> from evsim.deep.distill import Distillation
        >>> guide = Distillation(Sequential([Dense(3, 5, rng=0), ReLU(), Dense(5, 2, rng=1)]), intermediate=1.0)
        >>> guide.decoder = {"D": None, "d": None}; guide.start(); guide.decoder is None
        True
        """
        self.teacher = copy.deepcopy(self._given)
        self.decoder = None
        self._decoder_rule = AdamRule(self.lr, owner="Distillation")
        self._teacher_step = Adam(self.teacher, lr=self.lr) if self.back > 0 else None

    def __repr__(self) -> str:
        return (f"Distillation(output={self.output}, intermediate={self.intermediate}, back={self.back}, "
                f"temperature={self.temperature})")

    def teacher_forward(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(logits, hidden)``: the teacher's output and its layer ``teacher_layer``'s (flattened), on ``x``.

        Parameters
        ----------
        x : ndarray
            ``(batch, …)`` raw inputs, in the shape the teacher takes.

        Returns
        -------
        logits, hidden : ndarray
            ``(batch, classes)`` and ``(batch, n_h)``.

        Raises
        ------
        ValidationError
            ``x`` the teacher refuses.

        Examples
        --------
        >>> import numpy as np
        >>> from evsim.deep import Dense, ReLU, Sequential
        >>> from evsim.deep.distill import Distillation
        >>> guide = Distillation(Sequential([Dense(3, 5, rng=0), ReLU(), Dense(5, 2, rng=1)]))
        >>> [a.shape for a in guide.teacher_forward(np.ones((4, 3)))]
        [(4, 2), (4, 5)]
        """
        value, hidden = x, None
        for index, layer in enumerate(self.teacher.layers):
            value = layer.forward(value, train=True)
            if index == self.teacher_layer:
                hidden = value.reshape(len(x), -1)
        return value, hidden

    def terms(self, logits: np.ndarray, spikes: Sequence[np.ndarray], teacher_logits: np.ndarray,
              teacher_hidden: np.ndarray) -> tuple[float, np.ndarray | None, list | None, dict | None]:
        """The student's distillation loss and its gradients, changing nothing (module docstring).

        Parameters
        ----------
        logits : ndarray
            ``(steps, batch, classes)`` the student's cumulative outputs (a tape's ``logits``).
        spikes : sequence of ndarray
            Per spiking layer, ``(steps, batch, …)`` spikes (a tape's ``spikes``; floats allowed).
        teacher_logits, teacher_hidden : ndarray
            :meth:`teacher_forward`'s values on the same batch.

        Returns
        -------
        loss : float
            ``L_out + L_mid``.
        logit_grad : ndarray or None
            ``∂/∂u_T`` (None when the output path is off).
        spike_grad : list or None
            ``∂/∂s_t`` per spiking layer, the same at every step ``t``: ``(batch, …)`` for the decoded
            layer, a zero elsewhere (None when the intermediate path is off).
        decoder_grad : dict or None
            ``∂L_mid/∂D`` and ``∂L_mid/∂d`` (None when off).

        Raises
        ------
        ValidationError
            A ``student_layer`` the student does not have, or a teacher with another number of outputs.

        Examples
        --------
        >>> import numpy as np
        >>> from evsim.deep import Dense, ReLU, Sequential
        >>> from evsim.deep.distill import Distillation
        >>> guide = Distillation(Sequential([Dense(3, 5, rng=0), ReLU(), Dense(5, 2, rng=1)]), output=1.0)
        >>> z = np.array([[2.0, 0.0]])
        >>> loss, logit_grad, spike_grad, _ = guide.terms(np.array([[[0.0, 0.0]]]), [np.zeros((1, 1, 4))], z, None)
        >>> round(loss, 4), spike_grad
        (0.4848, None)
        """
        steps, batch = logits.shape[:2]
        if teacher_logits.shape != logits.shape[1:]:
            raise refuse("Distillation", "teacher", f"an ANN with the student's {logits.shape[2]} outputs",
                         f"{teacher_logits.shape[1]} outputs")
        loss, logit_grad, spike_grad, decoder_grad = 0.0, None, None, None
        tau = self.temperature
        if self.output > 0:
            p_teacher, log_teacher = softmax(teacher_logits / tau)
            p_student, log_student = softmax(logits[-1] / (steps * tau))
            loss += self.output * tau ** 2 * float((p_teacher * (log_teacher - log_student)).sum(axis=1).mean())
            logit_grad = self.output * tau * (p_student - p_teacher) / (steps * batch)
        if self.intermediate > 0:
            layer = self._student_index(len(spikes))
            rates = spikes[layer].reshape(steps, batch, -1).sum(axis=0) / steps
            decoder = self._decoder(rates.shape[1], teacher_hidden.shape[1])
            difference = rates @ decoder["D"].T + decoder["d"] - teacher_hidden
            units = teacher_hidden.shape[1]
            loss += self.intermediate * float((difference ** 2).sum(axis=1).mean()) / units
            upstream = 2.0 * self.intermediate * difference / (units * batch)
            per_step = (upstream @ decoder["D"]) / steps
            spike_grad = [np.zeros(1) for _ in spikes]  # the same at every step: (batch, *shape), as backward takes
            spike_grad[layer] = per_step.reshape(spikes[layer].shape[1:])
            decoder_grad = {"D": upstream.T @ rates, "d": upstream.sum(axis=0)}
        return loss, logit_grad, spike_grad, decoder_grad

    def batch(self, tape, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray | None, list | None]:
        """:func:`~evsim.deep.direct.fit`'s hook: the terms for this minibatch, then the decoder's and teacher's updates.

        Parameters
        ----------
        tape : Tape
            The student's forward pass on the batch.
        x, y : ndarray
            The batch's raw inputs and labels.

        Returns
        -------
        tuple
            ``(loss, logit_grad, spike_grad)`` as :meth:`terms`.

        Raises
        ------
        ValidationError
            As :meth:`terms`.

        Examples
        --------
        See the class.
        """
        teacher_logits, teacher_hidden = self.teacher_forward(x)
        loss, logit_grad, spike_grad, decoder_grad = self.terms(tape.logits, tape.spikes, teacher_logits,
                                                                teacher_hidden)
        if decoder_grad is not None:
            self._decoder_rule.next_step()
            self.decoder = {name: self._decoder_rule.update(("decoder", name), value, decoder_grad[name],
                                                            decay=False) for name, value in self.decoder.items()}
        if self._teacher_step is not None:
            self._teach(teacher_logits, tape.logits, y)
        return loss, logit_grad, spike_grad

    def _teach(self, teacher_logits: np.ndarray, logits: np.ndarray, y: np.ndarray) -> None:
        """One Adam step of the teacher on its back-path loss (:meth:`teacher_terms`)."""
        _, grad = self.teacher_terms(teacher_logits, logits, y)
        self.teacher.backward(grad)
        self._teacher_step.step()

    def teacher_terms(self, teacher_logits: np.ndarray, logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """The back path's ``L_teacher = CE(z, y) + back·τ²·KL(student ‖ teacher)`` and ``∂L_teacher/∂z``.

        ``∂/∂z = ∂CE/∂z + back·τ·(softmax(z/τ) − softmax(u_T/(T·τ)))/B``; nothing is changed.

        Parameters
        ----------
        teacher_logits : ndarray
            ``(batch, classes)`` the teacher's ``z``.
        logits : ndarray
            ``(steps, batch, classes)`` the student's cumulative outputs.
        y : ndarray of int
            The batch's labels.

        Returns
        -------
        loss : float
            ``L_teacher``.
        grad : ndarray
            Its gradient with respect to ``z``.

        Raises
        ------
        ValidationError
            Labels out of range.

        Examples
        --------
        >>> import numpy as np
        >>> from evsim.deep import Dense, ReLU, Sequential
        >>> from evsim.deep.distill import Distillation
        >>> guide = Distillation(Sequential([Dense(3, 5, rng=0), ReLU(), Dense(5, 2, rng=1)]), back=1.0)
        >>> loss, grad = guide.teacher_terms(np.zeros((1, 2)), np.zeros((1, 1, 2)), [0])
        >>> round(loss, 4), grad.tolist()
        (0.6931, [[-0.5, 0.5]])
        """
        tau, steps = self.temperature, len(logits)
        ce, grad = cross_entropy(teacher_logits, y)
        p_student, log_student = softmax(logits[-1] / (steps * tau))
        p_teacher, log_teacher = softmax(teacher_logits / tau)
        kl = float((p_student * (log_student - log_teacher)).sum(axis=1).mean())
        return ce + self.back * tau ** 2 * kl, grad + self.back * tau * (p_teacher - p_student) / len(y)

    def _student_index(self, layers: int) -> int:
        index = self.student_layer + layers if self.student_layer < 0 else self.student_layer
        if not 0 <= index < layers:
            raise refuse("Distillation", "student_layer", f"one of the student's {layers} spiking layers",
                         self.student_layer)
        return index

    def _decoder(self, inputs: int, outputs: int) -> dict:
        """The decoder, built at first use (He-initialised, seeded)."""
        if self.decoder is None:
            rng = np.random.default_rng(self.seed)
            self.decoder = {"D": rng.normal(0.0, np.sqrt(2.0 / inputs), (outputs, inputs)), "d": np.zeros(outputs)}
        return self.decoder
