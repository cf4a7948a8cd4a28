"""
Stochastic gates, composition and exact behaviour
=================================================

Lynch and Musco's spiking neurons work in synchronous rounds: in round ``t``
a neuron fires with probability ``sigmoid((Σ_j w_j·x_j(t−1) − b)/λ)``, a
logistic function of its weighted inputs of the round before. Networks of
them compose like circuits, hiding turns outputs into internal neurons, and
— for small networks — evsim computes the *exact* probability of every
output sequence, with the hidden neurons summed out.
"""

# %%
# A gate
# ------
# ``and_gate(w=6)`` has weights ``w`` and bias ``1.5·w``: with both inputs on,
# ``sigmoid((2w − 1.5w)/λ) = sigmoid(w/2)``; with one, ``sigmoid(−w/2)``. So it
# answers wrongly with probability ``ε = 1/(1 + e^(w/2))`` — 0.047 for ``w = 6``.
import evsim
from evsim.behavior import exact
from evsim.library import and_gate, gate_error, not_gate

W = 6.0
eps = gate_error(W)
gate = and_gate(w=W)
print(gate)
print(f"epsilon = {eps:.5f}")

# %%
# ``exact`` takes a fixed execution of the inputs (the rounds each one fires
# in) and a horizon, and returns the distribution of output sequences over
# rounds ``0 … horizon−1`` (round 0 is the initial state, here silent).
both_on = exact(gate, {"x1": [0, 1], "x2": [0, 1]}, 3)
print(both_on)

# %%
# Composition and hiding
# ----------------------
# ``compose`` joins an output of one network to the same-named input of the
# other; ``hide`` makes outputs internal. A NAND is an AND into a NOT, with
# the AND's output ``a`` hidden. Its answer is due one round later (depth 2).
nand = evsim.hide(evsim.compose(and_gate("x1", "x2", "a", w=W), not_gate("a", "y", w=W)), {"a"})
print(nand)
b = exact(nand, {"x1": [0, 1, 2], "x2": [0, 1, 2]}, 4)
print(b)
print("P[y = 0 at round 2] =", sum(p for sequence, p in b if sequence["y"][2] == 0))

# %%
# Two errors can cancel: ``y`` is right at round 2 if both gates are right,
# ``(1 − ε)²``, *or* both are wrong, ``ε²``. The exact probability above is
# that sum, not just the union bound ``1 − 2ε``.
print((1 - eps) ** 2 + eps ** 2, 1 - 2 * eps)

# %%
# The probability of each sequence, in a figure:
ax = evsim.plot.behavior(b, top=8)

# %%
# Exercises
# ---------
# 1. For ``and_gate(w=6)``, what is the probability that ``y`` fires in
#    round 1 when only ``x1`` fired in round 0? Answer in terms of ε, then
#    check with ``exact``.
# 2. For the NAND with both inputs always on, what is the exact probability
#    that ``y`` is right (silent) in *both* rounds 2 and 3? (Gates draw
#    afresh every round; the AND's round-2 answer feeds the NOT's round 3.)
# 3. How large must ``w`` be for ``ε < 0.001``? Check with ``gate_error``.
