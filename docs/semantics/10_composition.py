"""
Composition joins outputs to inputs by name
===========================================

Rule: ``compose(n1, n2)`` identifies neurons by name — an output of one and
the same-named input of the other become one neuron — and keeps both
synapse tables, in argument order (which is also the order simultaneous
arrivals are summed in). ``hide`` makes outputs internal. For Lynch–Musco
networks, the behaviour of the composition equals the composition of the
behaviours, and hiding is a marginal: both computed exactly.
"""

import evsim
from evsim import behavior
from evsim.library import and_gate, not_gate

first, second = and_gate("x1", "x2", "a", w=6.0), not_gate("a", "y", w=6.0)
nand = evsim.compose(first, second)
print(nand)
print("inputs:", sorted(nand.inputs), " outputs:", sorted(nand.outputs))

# %%
# The composed network's behaviour, computed on the whole network, equals the
# composition of the two gates' behaviours (kernels over their free inputs),
# then hiding ``a``:
horizon = 4
whole = behavior.exact(evsim.hide(nand, {"a"}), {"x1": [0, 1, 2], "x2": [0, 1, 2]}, horizon)
parts = behavior.hide(behavior.compose(behavior.exact(first, {}, horizon, free=first.inputs),
                                       behavior.exact(second, {}, horizon, free=second.inputs)), {"a"})
gap = behavior.distance(parts.given_inputs({"x1": [0, 1, 2], "x2": [0, 1, 2]}), whole)
print(f"total variation between them: {gap:.1e}")
assert gap < 1e-12
ax = evsim.plot.behavior(whole)
