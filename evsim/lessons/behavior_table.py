"""``evsim behavior NAME``: the exact output distribution of a library network, as text."""

from __future__ import annotations

from itertools import product

from evsim import compose
from evsim import validation as check
from evsim.behavior import exact
from evsim.behavior.table import format_sequence
from evsim.errors import ValidationError
from evsim.library import and_gate, copy_gate, cyclic_oscillator, gate_error, not_gate, or_gate, xor_circuit

__all__ = ["NETWORKS", "DEPTHS", "behavior_table", "default_horizon"]

W = 6.0  # gate weight: errors are visible (epsilon = 0.047)
NETWORKS = {
    "and": lambda: and_gate(w=W), "or": lambda: or_gate(w=W), "not": lambda: not_gate(w=W),
    "copy": lambda: copy_gate(w=W), "xor": lambda: xor_circuit(w=W),
    "oscillator": lambda: compose(*cyclic_oscillator(w=W)),
}
DEPTHS = {"and": 1, "or": 1, "not": 1, "copy": 1, "xor": 3, "oscillator": None}  # gates from input to output


def default_horizon(name: str) -> int:
    """Rounds enough to see a network's settled answer: its depth plus two (at least 3)."""
    return max(3, (DEPTHS.get(name) or 1) + 2)


def behavior_table(name: str, horizon: int | None = None, top: int = 4) -> str:
    """For every stable input (each input always on or always off), the ``top`` most probable
    output sequences over rounds ``0 … horizon−1`` with their exact probabilities.

    ``horizon`` defaults to :func:`default_horizon`: a circuit ``d`` gates deep
    answers from round ``d`` on, and the rounds before are its transient.
    """
    owner = "behavior_table"
    if name not in NETWORKS:
        raise ValidationError(f"no library network named {name!r}; choose from {', '.join(NETWORKS)}")
    horizon = default_horizon(name) if horizon is None else \
        check.integer("horizon", horizon, owner=owner, minimum=1, maximum=8)
    top = check.integer("top", top, owner=owner, minimum=1)
    net = NETWORKS[name]()
    inputs = sorted(net.inputs)
    lines = [f"{name}: outputs {sorted(net.outputs)}, {len(net.internals)} hidden neurons; w = {W}, λ = 1, "
             f"ε = {gate_error(W):.4f}; rounds 0–{horizon - 1}",
             "  an input x=1 fires in every round from round 0, x=0 never; each row: the exact probability, then "
             "each output's spike (1) or silence (0) in rounds 0, 1, …"]
    if DEPTHS[name]:
        lines.append(f"  {DEPTHS[name]} gate(s) deep: the outputs answer from round {DEPTHS[name]} on; the rounds "
                     "before are the circuit filling up")
    for levels in product((0, 1), repeat=len(inputs)):
        stable = {x: list(range(horizon)) if on else [] for x, on in zip(inputs, levels)}
        label = ", ".join(f"{x}={on}" for x, on in zip(inputs, levels)) or "closed network"
        lines.append(f"  {label}:")
        for sequence, p in exact(net, stable, horizon).most_probable(top):
            lines.append(f"    {p:8.5f}  {format_sequence(sequence)}")
    return "\n".join(lines)
