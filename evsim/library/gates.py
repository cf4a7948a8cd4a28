"""Boolean gates as one-neuron Lynch–Musco networks, and circuits built from them.

The model is Lynch & Musco's (*A Basic Compositional Model for Spiking Neural
Networks*, arXiv:1808.03884); the parameters are evsim's own: unit weight
``w``, temperature ``λ``; the gate neuron's potential is ``±w/2`` or
``−3w/2`` away from its threshold, so each gate errs in one round with probability at most
``ε = 1 / (1 + exp(w / (2λ)))``.

==========  ==================  ===========
gate        weights into ``y``  bias(``y``)
==========  ==================  ===========
AND(x1,x2)  w, w                1.5 w
OR(x1,x2)   w, w                0.5 w
NOT(x)      −w                  −0.5 w
COPY(x)     w                   0.5 w
==========  ==================  ===========
"""

from __future__ import annotations

import math
from functools import reduce
from typing import Iterable, Sequence

from evsim.composition import compose, hide
from evsim.errors import ValidationError
from evsim.network import Network
from evsim.neurons import Input, Stochastic
from evsim.synapses import Synapse

__all__ = ["DEFAULT_WEIGHT", "gate_error", "and_gate", "or_gate", "not_gate", "copy_gate", "circuit",
           "xor_circuit"]

DEFAULT_WEIGHT = 10.0


def gate_error(w: float = DEFAULT_WEIGHT, temperature: float = 1.0) -> float:
    """``ε = 1 / (1 + exp(w / (2λ)))``: the largest one-round error of any gate."""
    return 1.0 / (1.0 + math.exp(w / (2.0 * temperature)))


def _gate(weights: dict[str, float], y: str, bias: float, temperature: float, initial: bool) -> Network:
    if y in weights:
        raise ValidationError(f"gate output {y!r} must differ from its inputs {list(weights)}")
    neurons = {x: Input() for x in weights}
    neurons[y] = Stochastic(bias=bias, temperature=temperature, initial=initial)
    return Network(neurons, [Synapse(x, y, w, 1.0) for x, w in weights.items()], outputs={y})


def _two_inputs(x1: str, x2: str) -> None:
    if x1 == x2:
        raise ValidationError(f"a two-input gate needs two different inputs, got {x1!r} twice")


def and_gate(x1: str = "x1", x2: str = "x2", y: str = "y", *, w: float = DEFAULT_WEIGHT,
             temperature: float = 1.0, initial: bool = False) -> Network:
    """``y(t) = x1(t−1) AND x2(t−1)``, wrong with probability ≤ ε."""
    _two_inputs(x1, x2)
    return _gate({x1: w, x2: w}, y, 1.5 * w, temperature, initial)


def or_gate(x1: str = "x1", x2: str = "x2", y: str = "y", *, w: float = DEFAULT_WEIGHT,
            temperature: float = 1.0, initial: bool = False) -> Network:
    """``y(t) = x1(t−1) OR x2(t−1)``, wrong with probability ≤ ε."""
    _two_inputs(x1, x2)
    return _gate({x1: w, x2: w}, y, 0.5 * w, temperature, initial)


def not_gate(x: str = "x", y: str = "y", *, w: float = DEFAULT_WEIGHT, temperature: float = 1.0,
             initial: bool = False) -> Network:
    """``y(t) = NOT x(t−1)``, wrong with probability ε."""
    return _gate({x: -w}, y, -0.5 * w, temperature, initial)


def copy_gate(x: str = "x", y: str = "y", *, w: float = DEFAULT_WEIGHT, temperature: float = 1.0,
              initial: bool = False) -> Network:
    """``y(t) = x(t−1)``, wrong with probability ε."""
    return _gate({x: w}, y, 0.5 * w, temperature, initial)


def circuit(gates: Sequence[Network], outputs: Iterable[str]) -> Network:
    """Compose the gates (in order) and hide every output not listed."""
    if not gates:
        raise ValidationError("a circuit needs at least one gate")
    net = reduce(compose, gates)
    outputs = set(outputs)
    unknown = sorted(outputs - net.outputs)
    if unknown:
        raise ValidationError(f"{unknown} are not outputs of any gate (outputs: {sorted(net.outputs)})")
    return hide(net, net.outputs - outputs)


def xor_circuit(x1: str = "x1", x2: str = "x2", y: str = "y", *, w: float = DEFAULT_WEIGHT,
                temperature: float = 1.0) -> Network:
    """``y = (x1 OR x2) AND NOT (x1 AND x2)``: four gates, depth 3, internals hidden.

    With inputs stable from round 0, ``y(t)`` for ``t >= 3`` is right unless
    one of the 4 gate-rounds in its cone errs: probability ≥ ``1 − 4ε``.
    """
    kw = dict(w=w, temperature=temperature)
    gates = [or_gate(x1, x2, "xor_or", **kw), and_gate(x1, x2, "xor_and", **kw),
             not_gate("xor_and", "xor_nand", **kw), and_gate("xor_or", "xor_nand", y, **kw)]
    return circuit(gates, {y})
