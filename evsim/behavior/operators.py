"""Operators on behaviours: the composition product, hiding, total variation.

``compose(b1, b2)`` is Lynch & Musco's theorem made executable: for every
execution ``e`` of the composition's free inputs and every joint output
sequence ``β``,

    P(β | e) = P1(β|out1 | in1 read from e and β) · P2(β|out2 | in2 read from e and β),

which is a distribution because every synapse delays one round (outputs at
round ``t`` depend on inputs up to ``t − 1`` only).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from evsim import validation as check
from evsim.behavior import arguments
from evsim.behavior.model import bits_code
from evsim.behavior.table import Behavior, execution_bits, sequence_bits
from evsim.errors import CompositionError, ValidationError

__all__ = ["compose", "hide", "distance"]


def compose(b1: Behavior, b2: Behavior) -> Behavior:
    """The behaviour of the composition, computed from the components' behaviours.

    Parameters
    ----------
    b1, b2 : Behavior
        The components' behaviours (from :func:`~evsim.behavior.exact` or :func:`~evsim.behavior.estimate`),
        same horizon, disjoint outputs; an input driven by the other component's output must be free in its own.

    Returns
    -------
    Behavior
        Outputs of both; free: the free inputs of either that neither drives; given: the fixed inputs of both.

    Raises
    ------
    CompositionError
        Different horizons, shared outputs, a component input fed by the other
        component's output but fixed instead of free, or disagreeing fixed inputs.
    ValidationError
        If ``b1`` or ``b2`` is not a :class:`~evsim.behavior.Behavior`.
    LimitError
        Before allocating, if the composed table exceeds the memory limit.

    Examples
    --------
    The cyclic pair's behaviour, composed from its parts', equals the composed network's:

    >>> import evsim
    >>> from evsim import behavior
    >>> from evsim.library import cyclic_oscillator
    >>> n1, n2 = cyclic_oscillator(w=6.0)
    >>> b = behavior.compose(behavior.exact(n1, horizon=3, free={"b"}), behavior.exact(n2, horizon=3, free={"a"}))
    >>> b.outputs, b.free
    (('a', 'b'), ())
    >>> round(behavior.distance(b, behavior.exact(evsim.compose(n1, n2), horizon=3)), 12)
    0.0
    """
    _behavior("compose", "b1", b1), _behavior("compose", "b2", b2)
    _check_composable(b1, b2)
    outputs = tuple(sorted(b1.outputs + b2.outputs))
    free = tuple(sorted((set(b1.free) | set(b2.free)) - set(outputs)))
    given = {**b1.given, **b2.given}
    initial = {**b1.initial, **b2.initial}
    horizon = b1.horizon
    e, s = len(free) * (horizon - 1), len(outputs) * (horizon - 1)  # log2 of executions and sequences
    check.require_budget("compose", f"the composed table ({len(outputs)} outputs, {len(free)} free inputs, "
                         f"horizon {horizon})",
                         arguments.table_bytes((3, e + s), ((horizon - 1) * len(free), e),
                                               (horizon * len(outputs), s)))
    executions = np.arange(2 ** (len(free) * (horizon - 1)))
    sequences = np.arange(2 ** (len(outputs) * (horizon - 1)))
    in_bits = execution_bits(executions, len(free), horizon)  # (E, H−1, F)
    out_bits = _with_round_zero(sequence_bits(sequences, len(outputs), horizon), outputs, initial)  # (S, H, O)
    table = np.ones((executions.size, sequences.size))
    for part in (b1, b2):
        rows = _execution_codes(part, free, outputs, in_bits, out_bits)  # (E, S)
        columns = bits_code(out_bits[:, 1:, [outputs.index(n) for n in part.outputs]].reshape(sequences.size, -1))
        table *= part.table[rows, columns[None, :]]
    inputs = tuple(sorted((set(b1.inputs) | set(b2.inputs)) - set(outputs)))
    return Behavior(outputs, free, given, horizon, initial, table, inputs=inputs)


def _behavior(owner: str, argument: str, value: object) -> Behavior:
    return check.instance(argument, value, Behavior, owner=owner, accepted="a Behavior (from exact or estimate)")


def _check_composable(b1: Behavior, b2: Behavior) -> None:
    if b1.horizon != b2.horizon:
        raise CompositionError(f"cannot compose behaviours of horizons {b1.horizon} and {b2.horizon}")
    shared = sorted(set(b1.outputs) & set(b2.outputs))
    if shared:
        raise CompositionError(f"cannot compose: both behaviours have the outputs {shared}")
    for a, b in ((b1, b2), (b2, b1)):
        fed_not_free = sorted((set(a.inputs) & set(b.outputs)) - set(a.free))
        if fed_not_free:
            raise CompositionError(
                f"inputs {fed_not_free} are driven by the other component's outputs but were fixed or "
                f"silent; compute that behaviour with free={fed_not_free}"
            )
    clash = sorted(n for n in set(b1.given) & set(b2.given) if b1.given[n] != b2.given[n])
    if clash:
        raise CompositionError(f"the components were given different executions of the inputs {clash}")


def _with_round_zero(bits: np.ndarray, outputs, initial) -> np.ndarray:
    zero = np.array([[initial[n] for n in outputs]], float)
    return np.concatenate((np.broadcast_to(zero, (bits.shape[0], 1, len(outputs))), bits), axis=1)


def _execution_codes(part: Behavior, free, outputs, in_bits, out_bits) -> np.ndarray:
    """Each (execution, sequence) pair's execution code for one component."""
    n_exec, n_seq = in_bits.shape[0], out_bits.shape[0]
    codes = np.zeros((n_exec, n_seq), np.int64)
    width = len(part.free)
    for j, name in enumerate(part.free):
        if name in outputs:
            rounds = out_bits[:, :-1, outputs.index(name)][None, :, :]  # rounds 0 … H−2 of the other's output
        else:
            rounds = in_bits[:, :, free.index(name)][:, None, :]
        shifts = np.arange(rounds.shape[-1]) * width + j
        codes = codes + (rounds.astype(np.int64) << shifts).sum(axis=-1)
    return codes


def hide(behavior: Behavior, names: Iterable[str] | str) -> Behavior:
    """The marginal behaviour with the given outputs summed out.

    Parameters
    ----------
    behavior : Behavior
        The behaviour to marginalise.
    names : str or iterable of str
        Outputs to sum out: one name, or a collection of distinct names.

    Returns
    -------
    Behavior
        The same free and given inputs and horizon, over the remaining outputs only.

    Raises
    ------
    CompositionError
        If a name is not an output of the behaviour.
    ValidationError
        If ``behavior`` is not a :class:`~evsim.behavior.Behavior`, or ``names`` holds a non-string, an empty
        string or a repeated name.
    LimitError
        Before allocating, if the output bits of every sequence exceed the memory limit.

    Examples
    --------
    >>> import evsim
    >>> from evsim import behavior
    >>> from evsim.library import cyclic_oscillator
    >>> b = behavior.exact(evsim.compose(*cyclic_oscillator(w=6.0)), horizon=3)
    >>> a = behavior.hide(b, "b")
    >>> a.outputs, round(a.probability({"a": [0, 0, 1]}), 4)
    (('a',), 0.8665)
    """
    _behavior("hide", "behavior", behavior)
    names = set(check.name_set("names", names, owner="hide"))
    missing = sorted(names - set(behavior.outputs))
    if missing:
        raise CompositionError(f"hide: names must be outputs ({list(behavior.outputs)}); {missing} are not")
    h, n_out = behavior.horizon, len(behavior.outputs)
    check.require_budget("hide", f"the output bits of {n_out} outputs over horizon {h}",
                         arguments.table_bytes(((h - 1) * n_out + 2, n_out * (h - 1)),
                                               (len(behavior.table), n_out * (h - 1) - len(names) * (h - 1))))
    keep = [j for j, n in enumerate(behavior.outputs) if n not in names]
    outputs = tuple(behavior.outputs[j] for j in keep)
    bits = sequence_bits(np.arange(behavior.n_sequences), len(behavior.outputs), behavior.horizon)
    reduced = bits_code(bits[:, :, keep].reshape(bits.shape[0], -1))
    size = 2 ** (len(outputs) * (behavior.horizon - 1))
    table = np.array([np.bincount(reduced, weights=row, minlength=size) for row in behavior.table])
    initial = {n: behavior.initial[n] for n in outputs}
    return Behavior(outputs, behavior.free, behavior.given, behavior.horizon, initial, table, inputs=behavior.inputs)


def distance(a: Behavior, b: Behavior) -> float:
    """Total-variation distance, the largest over input executions: ``max_e ½ Σ_s |a − b|``.

    Parameters
    ----------
    a, b : Behavior
        Behaviours of the same outputs, free inputs and horizon.

    Returns
    -------
    float
        In ``[0, 1]``; 1.0 outright when the round-0 (initial) output patterns differ.

    Raises
    ------
    ValidationError
        If the behaviours describe different outputs, free inputs or horizons, or either is not a
        :class:`~evsim.behavior.Behavior`.

    Examples
    --------
    >>> from evsim import behavior
    >>> from evsim.library import copy_gate
    >>> exact = behavior.exact(copy_gate(w=6.0), {"x": [0]}, horizon=3)
    >>> sampled = behavior.estimate(copy_gate(w=6.0), {"x": [0]}, horizon=3, samples=200, rng=0)
    >>> round(behavior.distance(exact, sampled), 4)
    0.0596
    """
    _behavior("distance", "a", a), _behavior("distance", "b", b)
    for what in ("outputs", "free", "horizon"):
        if getattr(a, what) != getattr(b, what):
            raise ValidationError(
                f"cannot compare behaviours with different {what}: {getattr(a, what)!r} vs {getattr(b, what)!r}"
            )
    if dict(a.initial) != dict(b.initial):
        return 1.0
    return float(0.5 * np.abs(a.table - b.table).sum(axis=1).max())
