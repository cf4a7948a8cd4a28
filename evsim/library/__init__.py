"""Example Lynch–Musco networks: gates and circuits, WTA, Filter, Attention, a cyclic pair."""

from evsim.library.gates import (
    DEFAULT_WEIGHT,
    and_gate,
    circuit,
    copy_gate,
    gate_error,
    not_gate,
    or_gate,
    xor_circuit,
)
from evsim.library.oscillator import OSCILLATOR_ORBIT, cyclic_oscillator
from evsim.library.wta import attention, filter_network, winner_take_all, wta_gamma

__all__ = ["DEFAULT_WEIGHT", "OSCILLATOR_ORBIT", "and_gate", "attention", "circuit", "copy_gate",
           "cyclic_oscillator", "filter_network", "gate_error", "not_gate", "or_gate", "winner_take_all",
           "wta_gamma", "xor_circuit"]
