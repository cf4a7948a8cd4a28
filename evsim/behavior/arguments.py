"""The arguments every behaviour function takes, checked once: network, horizon, input executions.

An *execution* maps input-neuron names to the rounds (whole numbers ``>= 0``)
at which they spike. Sizes in this package are powers of two whose exponent
grows with the horizon, so :func:`table_bytes` works with exponents and never
builds the (possibly astronomically large) integer itself.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np

from evsim import validation as check
from evsim.errors import ValidationError
from evsim.network import Network

__all__ = ["network", "horizon", "rounds", "execution", "names", "table_bytes"]


def network(owner: str, net: object) -> Network:
    """``net`` if it is a :class:`~evsim.network.Network`."""
    return check.instance("net", net, Network, owner=owner, accepted="an evsim Network")


def horizon(owner: str, value: object) -> int:
    """A horizon: a whole number of rounds ``>= 1``."""
    return check.integer("horizon", value, owner=owner, minimum=1)


def rounds(owner: str, name: str, values: object) -> tuple[int, ...]:
    """Spike rounds of one input: whole numbers ``>= 0`` (``2.0`` is read as ``2``)."""
    argument = f"inputs[{name!r}]"
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValidationError(f"{owner}: {argument} must be a sequence of spike rounds, got {values!r}")
    whole = []
    for t in values:
        if isinstance(t, (float, np.floating)) and float(t).is_integer():
            t = int(t)
        whole.append(check.integer(f"each round of {argument}", t, owner=owner, minimum=0))
    return tuple(whole)


def execution(owner: str, inputs: object, known: Iterable[str], what: str = "input neuron") -> dict[str, tuple[int, ...]]:
    """``inputs`` (a mapping, ``None`` for none) as ``{name: rounds}``, every name one of ``known``."""
    if inputs is None:
        return {}
    check.instance("inputs", inputs, Mapping, owner=owner, accepted="a mapping of input names to spike rounds")
    known = tuple(known)
    for name in inputs:
        if name not in known:
            raise ValidationError(f"{owner}: inputs must name {what}s only ({list(known)}), got {name!r}")
    return {name: rounds(owner, name, values) for name, values in inputs.items()}


def table_bytes(*terms: tuple[float, float]) -> float:
    """``8 · Σ count · 2^exponent`` bytes of float64 arrays, each term ``(count, exponent)``.

    Exponents past 1000 are capped (the result is then a lower bound, far above any limit).
    """
    return sum(8.0 * count * 2.0 ** min(exponent, 1000) for count, exponent in terms)

