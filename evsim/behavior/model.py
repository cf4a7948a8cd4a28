"""A Lynch–Musco network as matrices, and its round-to-round transition.

Units (non-input neurons) are ordered outputs first, then internals, each
group sorted by name. A configuration of ``K`` neurons is coded as the
integer ``sum(f_k << k)``. Given the previous round's inputs ``x``, outputs
``o`` and internal configuration ``i``, every unit fires independently with

    p_u = firing_probability(x·W_in[:, u] + o·W_out[:, u] + i·W_int[:, u] - bias_u, temperature_u)

so the next round's distribution is a product, tabulated by :func:`product_table`.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from evsim.errors import ValidationError
from evsim.network import Network
from evsim.neurons import Stochastic, Threshold, firing_probability

__all__ = ["RoundModel", "product_table", "pattern_bits", "bits_code"]


def pattern_bits(codes, width: int) -> np.ndarray:
    """Bits of each code: ``(len(codes), width)`` array, bit ``k`` in column ``k``."""
    codes = np.asarray(codes, np.int64).reshape(-1, 1)
    return ((codes >> np.arange(width, dtype=np.int64)) & 1).astype(float)


def bits_code(bits) -> np.ndarray:
    """Inverse of :func:`pattern_bits` along the last axis."""
    bits = np.asarray(bits, np.int64)
    return (bits << np.arange(bits.shape[-1], dtype=np.int64)).sum(axis=-1)


def product_table(p: np.ndarray) -> np.ndarray:
    """Probabilities of every firing pattern of independent units.

    ``p`` has shape ``(rows, K)``; the result ``(rows, 2**K)`` holds in column
    ``c`` the probability ``prod_k p_k**f_k * (1 - p_k)**(1 - f_k)`` with
    ``f = pattern_bits(c)``. Built by doubling, so exact zeros and ones stay exact.
    """
    table = np.ones((p.shape[0], 1))
    for k in range(p.shape[1]):
        factor = np.stack((1.0 - p[:, k], p[:, k]), axis=1)  # (rows, 2): not firing, firing
        table = (factor[:, :, None] * table[:, None, :]).reshape(p.shape[0], -1)  # new bit is the top one
    return table


class RoundModel:
    """The matrices of a network made of Input, Stochastic and Threshold neurons."""

    def __init__(self, net: Network) -> None:
        for name, model in net.neurons.items():
            if name not in net.inputs and not isinstance(model, (Stochastic, Threshold)):
                raise ValidationError(
                    f"neuron {name!r} is a {type(model).__name__}; external behaviour is defined for "
                    f"networks of Input, Stochastic and Threshold neurons only"
                )
        self.net = net
        self.inputs = tuple(sorted(net.inputs))
        self.outputs = tuple(sorted(net.outputs))
        self.internals = tuple(sorted(net.internals))
        units = self.outputs + self.internals
        column = {name: k for k, name in enumerate(units)}
        weights = np.zeros((len(net.names), len(units)))
        t = net.table
        targets = np.array([column[net.names[g]] for g in t.target], np.int64)
        np.add.at(weights, (t.source, targets), t.weight)
        row = {name: i for i, name in enumerate(net.names)}
        self.w_in = weights[[row[n] for n in self.inputs]]
        self.w_out = weights[[row[n] for n in self.outputs]]
        self.w_int = weights[[row[n] for n in self.internals]]
        models = [net.neurons[n] for n in units]
        self.bias = np.array([m.bias for m in models])
        self.temperature = np.array([m.temperature for m in models])
        self.initial = np.array([bool(m.initial) for m in models])

    @cached_property
    def internal_bits(self) -> np.ndarray:
        """``(2^I, I)`` bits of every internal configuration (built on first use: it may be large)."""
        return pattern_bits(np.arange(2 ** len(self.internals)), len(self.internals))

    @property
    def initial_output_code(self) -> int:
        return int(bits_code(self.initial[: len(self.outputs)]))

    @property
    def initial_internal_code(self) -> int:
        return int(bits_code(self.initial[len(self.outputs):]))

    def transition(self, x_prev: np.ndarray, o_prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(P_out, P_int)`` for every previous internal configuration ``i``.

        ``P_out[i, o]`` is the probability of output pattern ``o`` and
        ``P_int[i, j]`` of internal pattern ``j`` in the next round, given
        inputs ``x_prev`` and outputs ``o_prev`` in this one.
        """
        drive = x_prev @ self.w_in + o_prev @ self.w_out - self.bias
        p = firing_probability(self.internal_bits @ self.w_int + drive, self.temperature)
        n_out = len(self.outputs)
        return product_table(p[:, :n_out]), product_table(p[:, n_out:])
