"""SEENN-II: a policy network chooses each input's number of time steps before the SNN runs.

SEENN (Li et al., "SEENN: Towards temporal spiking early-exit neural
networks", NeurIPS 2023) gives an SNN a per-input number of steps. SEENN-I
exits when the output's confidence passes a threshold
(:mod:`evsim.deep.early_exit`); SEENN-II lets a small ANN, the *policy*, read
the input and choose the number of steps ``k ∈ {1, …, T}`` first, trained by
reinforcement learning with a reward that pays for a right answer the fewer
steps it took and charges ``β`` for a wrong one:

    R(x, k) = 2^(−k)  if the SNN's prediction after k steps is right,   −β  otherwise.

evsim trains the policy ``π(k | x) = softmax(policy(x))_k`` to maximise the
expected reward ``J = mean_x Σ_k π(k | x)·R(x, k)``. REINFORCE estimates
``∇J`` by sampling ``k``; here every action's reward is known once the SNN
has run each training image for ``T`` steps (its cumulative prediction after
every step), so the expectation is taken exactly and the gradient has no
sampling noise:

    ∂J/∂z_k = π_k · (R_k − Σ_j π_j R_j) / batch      (z the policy's logits)

At inference ``k = argmax_k π(k | x)``, and the SNN runs ``k`` steps
(:func:`policy_run`). Energy per image adds the policy's multiply-accumulates
(:func:`~evsim.deep.energy.dense_macs`) to the SNN's counted operations.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from evsim.deep import checks
from evsim.deep.convert import SpikingNet
from evsim.deep.energy import E_AC, E_MAC, ann_energy, dense_macs
from evsim.deep.layers import Sequential
from evsim.deep.runner import RunResult, run
from evsim.deep.train import Adam, softmax
from evsim.validation import generator, integer, real, real_array, refuse

__all__ = ["rewards", "expected_reward", "fit_policy", "choose_steps", "PolicyRun", "policy_run"]


def rewards(result: RunResult, labels: np.ndarray, beta: float) -> np.ndarray:
    """``R(x, k)`` for every sample and ``k = 1 … T`` (see the module docstring): ``(samples, T)``.

    Parameters
    ----------
    result : RunResult
        A run of the SNN for ``T`` steps without early exit (its per-step predictions).
    labels : ndarray of int
        One class index per sample.
    beta : float
        The penalty of a wrong answer (``>= 0``).

    Returns
    -------
    ndarray
        ``2^(−k)`` where the prediction after ``k`` steps is right, ``−β`` elsewhere.

    Raises
    ------
    ValidationError
        ``result`` not a RunResult, labels not one class per sample, or ``beta`` negative.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import run, spiking_mlp
    >>> from evsim.deep.seenn import rewards
    >>> result = run(spiking_mlp([2, 3, 2], seed=0), np.array([[1.0, 0.5]]), 3)
    >>> result.predictions[:, 0].tolist(), rewards(result, [1], beta=2.0).tolist()
    ([0, 1, 1], [[-2.0, 0.25, 0.125]])
    """
    owner = "rewards"
    checks.instance("result", result, RunResult, owner=owner, accepted="a RunResult (from deep.run)")
    steps, samples, classes = result.logits.shape
    labels = checks.labels("labels", labels, owner=owner, count=samples, classes=classes)
    beta = real("beta (the penalty of a wrong answer)", beta, owner=owner, minimum=0.0)
    if result.exit_step.min() < steps:
        raise refuse(owner, "result", "a run without early exit (every sample's prediction after every step)",
                     f"samples that exited after {int(result.exit_step.min())} of {steps} steps")
    right = result.predictions.T == labels[:, None]
    return np.where(right, 2.0 ** -np.arange(1, steps + 1), -beta)


def fit_policy(policy: Sequential, x: np.ndarray, reward: np.ndarray, *, epochs: int = 60, batch: int = 64,
               lr: float = 2e-3, seed: int = 0) -> Sequential:
    """Train a copy of ``policy`` to maximise the expected reward (exact policy gradient; module docstring).

    Parameters
    ----------
    policy : Sequential
        The policy ANN: ``(samples, *input)`` → ``(samples, T)`` logits, one per step count. Not changed.
    x : ndarray
        The inputs it reads.
    reward : ndarray
        ``(samples, T)`` rewards, e.g. :func:`rewards` of the SNN on ``x``.
    epochs, batch, lr, seed : optional
        Passes, samples per update, Adam's learning rate, the shuffle's seed (defaults 60, 64, 2e-3, 0).

    Returns
    -------
    Sequential
        The trained copy.

    Raises
    ------
    ValidationError
        A bad argument, named with its value; a policy whose output is not one logit per step count.

    Examples
    --------
    A policy learns to take 2 steps where 2 steps are right and 1 step is not:

    >>> import numpy as np
    >>> from evsim.deep import Dense, Sequential
    >>> from evsim.deep.seenn import choose_steps, fit_policy
    >>> x = np.random.default_rng(0).random((32, 2))
    >>> reward = np.tile([-1.0, 0.25, 0.125], (32, 1))
    >>> policy = fit_policy(Sequential([Dense(2, 3, rng=0)]), x, reward, epochs=100, lr=0.05)
    >>> set(choose_steps(policy, x).tolist())
    {2}
    """
    owner = "fit_policy"
    checks.instance("policy", policy, Sequential, owner=owner, accepted="a Sequential (the policy ANN)")
    x = checks.samples("x", x, owner=owner)
    reward = real_array("reward", reward, owner=owner, ndim=2, allow_empty=False)
    epochs = integer("epochs", epochs, owner=owner, minimum=1)
    batch = integer("batch", batch, owner=owner, minimum=1)
    lr = real("lr", lr, owner=owner, minimum=0.0, exclusive_minimum=True)
    rng = generator(seed, owner=owner, argument="seed")
    if len(reward) != len(x):
        raise refuse(owner, f"reward (shape {reward.shape})", f"one row per sample of x ({len(x)})", reward.shape)
    policy = copy.deepcopy(policy)
    width = policy.forward(x[:1]).shape[1]
    if width != reward.shape[1]:
        raise refuse(owner, "policy", f"an ANN with one output per step count ({reward.shape[1]})", width)
    step = Adam(policy, lr=lr)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            rows = order[start:start + batch]
            _, gradient = expected_reward(policy.forward(x[rows], train=True), reward[rows])
            policy.backward(-gradient)  # Adam descends: the gradient of −J
            step.step()
    return policy


def expected_reward(logits: np.ndarray, reward: np.ndarray) -> tuple[float, np.ndarray]:
    """``J = mean_x Σ_k π_k R_k`` with ``π = softmax(logits)``, and its exact gradient ``∂J/∂logits``.

    ``∂J/∂z_k = π_k·(R_k − Σ_j π_j R_j) / samples`` (the softmax's Jacobian applied
    to ``R``): REINFORCE's gradient in expectation, with the reward's mean under
    ``π`` as its baseline.

    Parameters
    ----------
    logits : ndarray
        ``(samples, T)`` policy outputs.
    reward : ndarray
        ``(samples, T)`` rewards (:func:`rewards`).

    Returns
    -------
    value : float
        ``J``.
    gradient : ndarray
        ``(samples, T)``.

    Raises
    ------
    ValidationError
        Arrays that are not 2-D, finite and of one shape.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.seenn import expected_reward
    >>> value, gradient = expected_reward(np.zeros((1, 2)), np.array([[1.0, 0.0]]))
    >>> value, gradient.tolist()
    (0.5, [[0.25, -0.25]])
    """
    logits = real_array("logits", logits, owner="expected_reward", ndim=2, allow_empty=False)
    reward = real_array("reward", reward, owner="expected_reward", ndim=2, allow_empty=False)
    if logits.shape != reward.shape:
        raise refuse("expected_reward", "reward", f"one reward per logit {logits.shape}", reward.shape)
    probabilities, _ = softmax(logits)
    expected = (probabilities * reward).sum(axis=1, keepdims=True)
    return float(expected.mean()), probabilities * (reward - expected) / len(logits)


def choose_steps(policy: Sequential, x: np.ndarray) -> np.ndarray:
    """The policy's choice per sample: ``k = argmax_k π(k | x)``, from 1.

    Parameters
    ----------
    policy : Sequential
        A policy (:func:`fit_policy`).
    x : ndarray
        The inputs.

    Returns
    -------
    ndarray of int
        Step counts in ``[1, T]``.

    Raises
    ------
    ValidationError
        ``policy`` not a Sequential, or ``x`` not a batch.

    Examples
    --------
    See :func:`fit_policy`.
    """
    checks.instance("policy", policy, Sequential, owner="choose_steps")
    x = checks.samples("x", x, owner="choose_steps")
    return policy.forward(x).argmax(axis=1) + 1


@dataclass(frozen=True)
class PolicyRun:
    """What :func:`policy_run` measured.

    Attributes
    ----------
    steps : ndarray of int
        The step count chosen for each sample.
    predictions : ndarray of int
        The SNN's prediction after that many steps.
    accuracy : float or None
        Their accuracy (None without labels).
    avg_steps : float
        The mean step count.
    energy_ratio : float
        Joules per image (the SNN's counted operations at the chosen steps plus the policy's MACs)
        over the ANN's.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep.seenn import PolicyRun
    >>> PolicyRun(np.array([1, 3]), np.array([0, 1]), 0.5, 2.0, 0.1).avg_steps
    2.0
    """

    steps: np.ndarray
    predictions: np.ndarray
    accuracy: float | None
    avg_steps: float
    energy_ratio: float


def policy_run(snn: SpikingNet, policy: Sequential, x: np.ndarray, labels=None, *, e_ac: float = E_AC,
               e_mac: float = E_MAC) -> PolicyRun:
    """Run each sample for the steps its policy chooses (samples grouped by their step count), analog input.

    Parameters
    ----------
    snn : SpikingNet
        The SNN.
    policy : Sequential
        Its policy (:func:`fit_policy`).
    x : ndarray
        ``(samples, *snn.input_shape)`` inputs.
    labels : ndarray of int, optional
        One class per sample, for the accuracy.
    e_ac, e_mac : float, optional
        Joules per accumulate and multiply-accumulate (defaults 0.9 and 4.6 pJ).

    Returns
    -------
    PolicyRun
        Steps, predictions, accuracy, average steps, energy over the ANN's.

    Raises
    ------
    ValidationError
        A bad argument, named with its value.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.deep import Dense, Sequential, spiking_mlp
    >>> from evsim.deep.seenn import policy_run
    >>> policy = Sequential([Dense(2, 4, rng=0)])
    >>> out = policy_run(spiking_mlp([2, 3, 2], seed=0), policy, np.array([[1.0, 0.5], [0.0, 1.0]]), [1, 0])
    >>> out.steps.tolist(), out.avg_steps
    ([4, 4], 4.0)
    """
    owner = "policy_run"
    checks.instance("snn", snn, SpikingNet, owner=owner)
    x = checks.samples("x", x, owner=owner, sample_shape=snn.input_shape)
    steps = choose_steps(policy, x)
    predictions = np.empty(len(x), int)
    joules = 0.0
    for k in np.unique(steps):
        rows = np.flatnonzero(steps == k)
        result = run(snn, x[rows], int(k))
        predictions[rows] = result.predictions[-1]
        joules += result.energy(e_ac, e_mac)
    accuracy = None
    if labels is not None:
        labels = checks.labels("labels", labels, owner=owner, count=len(x), classes=snn.layers[-1].size)
        accuracy = float((predictions == labels).mean())
    energy = (joules / len(x) + dense_macs(policy) * e_mac) / ann_energy(snn, e_mac)
    return PolicyRun(steps, predictions, accuracy, float(steps.mean()), float(energy))
