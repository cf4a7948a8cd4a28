"""
Lynch–Musco neurons fire in rounds
==================================

Rule: a ``Stochastic`` neuron fires in round ``t ≥ 1`` with probability
``sigmoid((Σ_j w_j·x_j(t−1) − b)/λ)`` given round ``t − 1`` (all its synapses
have delay 1); round 0 is its initial state. ``exact`` gives the probability
of every output sequence.
"""

import evsim
from evsim.behavior import exact

net = evsim.Network({"x": evsim.Input(), "y": evsim.Stochastic(bias=3.0)}, [evsim.Synapse("x", "y", 6.0, 1.0)],
                    outputs={"y"})
b = exact(net, {"x": [0, 2]}, 4)
print(b)
ax = evsim.plot.behavior(b)

# %%
# ``x`` fires in rounds 0 and 2, so ``y`` fires in rounds 1 and 3 with
# probability ``sigmoid(3)`` each, and in round 2 with ``sigmoid(−3)``.
