"""Exact external behaviour by forward passes over internal configurations.

For one output sequence the pass carries ``alpha[i]``, the probability of
the sequence so far with internal configuration ``i``; a round multiplies by
the chosen outputs' probability and applies the internal transition::

    alpha_t = (alpha_{t−1} * P_out[:, o_t]) @ P_int        (2^I × 2^I, a matrix–vector product)

For the whole table it carries ``alpha`` for every output prefix at once,
grouping prefixes by their last pattern (the transition depends on it), so
shared prefixes are computed once. Cost per round: prefixes × 2^O × 4^I.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np

from evsim import validation as check
from evsim.behavior import arguments
from evsim.behavior.model import RoundModel, pattern_bits
from evsim.behavior.table import Behavior, execution_bits
from evsim.errors import ValidationError
from evsim.network import Network

__all__ = ["exact"]


def exact(net: Network, inputs: Mapping[str, Sequence[int]] | None = None, horizon: int = 1, *,
          free: Iterable[str] = ()) -> Behavior:
    """External behaviour of ``net`` over rounds ``0 … horizon−1``, internals summed out.

    Parameters
    ----------
    net : Network
        Input, Stochastic and Threshold neurons only.
    inputs : mapping of str to spike rounds
        The fixed execution of input neurons (missing and not free: silent).
    horizon : int
        Number of rounds (``>= 1``); round 0 is the initial pattern.
    free : iterable of str
        Input neurons left free: the result is a kernel over their executions
        (what behaviour-level :func:`~evsim.behavior.compose` needs).

    Returns
    -------
    Behavior
        ``probability`` runs a single forward pass; the table is built on first use.

    Raises
    ------
    LimitError
        Before allocating, if the arrays of a forward pass (or, on first use,
        of the table) exceed the memory limit (``with evsim.limits(memory=...)``).

    Examples
    --------
    >>> from evsim import behavior
    >>> from evsim.library import copy_gate
    >>> b = behavior.exact(copy_gate(w=6.0), {"x": [0]}, horizon=3)
    >>> round(b.probability({"y": [0, 1, 0]}), 4)  # sigma(w / 2) * (1 - sigma(-w / 2)) at temperature 1
    0.9074
    >>> behavior.exact(copy_gate(w=6.0), horizon=3, free={"x"}).free  # a kernel over x's executions
    ('x',)
    """
    owner = "exact"
    net, horizon = arguments.network(owner, net), arguments.horizon(owner, horizon)
    model = RoundModel(net)
    free = tuple(sorted(check.name_set("free", free, owner=owner)))
    inputs = arguments.execution(owner, inputs, model.inputs)
    _check_roles(model, inputs, free)
    _require_forward(model, horizon)
    fixed = _fixed_bits(model, inputs, horizon)
    initial = {name: int(model.initial[j]) for j, name in enumerate(model.outputs)}
    column = [model.inputs.index(name) for name in free]
    executions = 2 ** (len(free) * (horizon - 1))

    def execution_inputs(code: int) -> np.ndarray:
        x = fixed.copy()
        if free:
            x[:, column] = execution_bits([code], len(free), horizon)[0]
        return x

    def forward(code: int, bits: np.ndarray) -> float:
        return _sequence_probability(model, execution_inputs(code), bits)

    def table() -> np.ndarray:
        _require_table(model, horizon, len(free))
        rows = [_sequence_table(model, execution_inputs(code), horizon) for code in range(executions)]
        return np.array(rows)

    return Behavior(model.outputs, free, inputs, horizon, initial, table, forward, inputs=model.inputs)


def _check_roles(model: RoundModel, inputs, free) -> None:
    unknown = [name for name in free if name not in model.inputs]
    if unknown:
        raise ValidationError(f"exact: free must name input neurons only ({list(model.inputs)}), got {unknown[0]!r}")
    both = sorted(set(inputs) & set(free))
    if both:
        raise ValidationError(f"exact: inputs and free must not share names; {both} are given an execution "
                              f"and also declared free; choose one")


def _sizes(model: RoundModel) -> tuple[int, int, int]:
    return len(model.inputs), len(model.outputs), len(model.internals)


def _transitions(model: RoundModel, distinct: float) -> list[tuple[float, float]]:
    """Terms of ``distinct`` cached transitions ``(P_out, P_int)`` and of the product one round builds."""
    _, n_out, n_int = _sizes(model)
    return [(distinct, n_int + n_out), (distinct, 2 * n_int), (1, 2 * n_int + n_out)]


def _require_forward(model: RoundModel, horizon: int) -> None:
    """One forward pass: its input bits, and the transitions it caches (one per distinct input and output pattern)."""
    n_in, n_out, n_int = _sizes(model)
    distinct = min(horizon - 1, 2.0 ** min(n_in + n_out, 1000))
    need = arguments.table_bytes((max(horizon - 1, 0) * n_in, 0), *_transitions(model, distinct))
    check.require_budget("exact", f"a forward pass ({n_out} outputs, {n_int} internal neurons, {n_in} inputs, "
                         f"horizon {horizon})", need)


def _require_table(model: RoundModel, horizon: int, n_free: int) -> None:
    """The table: prefix probabilities of the last round (two generations), its rows (list and array), transitions."""
    n_in, n_out, n_int = _sizes(model)
    sequences = n_out * (horizon - 1)
    distinct = min((horizon - 1) * 2.0 ** min(n_out, 1000), 2.0 ** min(n_in + n_out, 1000))
    need = arguments.table_bytes((2, sequences + n_int), (2, n_free * (horizon - 1) + sequences),
                                 *_transitions(model, distinct))
    check.require_budget("exact", f"the behaviour table ({n_out} outputs, {n_int} internal neurons, horizon "
                         f"{horizon}, 2^{n_free * (horizon - 1)} input executions)", need)


def _fixed_bits(model: RoundModel, inputs, horizon: int) -> np.ndarray:
    """Input bits ``(horizon − 1, n_inputs)`` for rounds 0 … H−2 of the fixed execution."""
    x = np.zeros((max(horizon - 1, 0), len(model.inputs)))
    for name, rounds in inputs.items():
        for t in rounds:
            if t < horizon - 1:
                x[int(t), model.inputs.index(name)] = 1.0
    return x


class _Transitions:
    """Per-(inputs, previous outputs) transitions, computed once each."""

    def __init__(self, model: RoundModel) -> None:
        self.model, self.cache = model, {}

    def __call__(self, x_prev: np.ndarray, o_prev: np.ndarray):
        key = (x_prev.tobytes(), o_prev.tobytes())
        if key not in self.cache:
            self.cache[key] = self.model.transition(x_prev, o_prev)
        return self.cache[key]


def _start(model: RoundModel) -> np.ndarray:
    alpha = np.zeros(2 ** len(model.internals))
    alpha[model.initial_internal_code] = 1.0
    return alpha


def _sequence_probability(model: RoundModel, x: np.ndarray, bits: np.ndarray) -> float:
    """Forward pass for one output sequence ``bits`` (rounds 0 … H−1, round 0 already checked)."""
    transitions, alpha = _Transitions(model), _start(model)
    powers = 1 << np.arange(len(model.outputs))
    for t in range(1, bits.shape[0]):
        p_out, p_int = transitions(x[t - 1], bits[t - 1].astype(float))
        alpha = (alpha * p_out[:, int(bits[t] @ powers)]) @ p_int
    return float(alpha.sum())


def _sequence_table(model: RoundModel, x: np.ndarray, horizon: int) -> np.ndarray:
    """Probabilities of every output sequence (rounds 1 … H−1), shared prefixes computed once."""
    n_out, n_int = len(model.outputs), len(model.internals)
    transitions = _Transitions(model)
    patterns = pattern_bits(np.arange(2**n_out), n_out)
    alpha = _start(model)[None, None, :]  # (last pattern groups, prefixes per group, 2^I)
    last = [model.initial_output_code]
    for t in range(1, horizon):
        new = np.empty((2**n_out, len(last), alpha.shape[1], 2**n_int))
        for g, o_prev in enumerate(last):
            p_out, p_int = transitions(x[t - 1], patterns[o_prev])
            step = (p_out[:, :, None] * p_int[:, None, :]).reshape(2**n_int, -1)
            new[:, g] = (alpha[g] @ step).reshape(alpha.shape[1], 2**n_out, 2**n_int).transpose(1, 0, 2)
        alpha = new.reshape(2**n_out, -1, 2**n_int)
        last = list(range(2**n_out))
    return alpha.sum(axis=-1).reshape(-1)
