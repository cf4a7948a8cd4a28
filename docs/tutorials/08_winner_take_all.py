"""
Winner-Take-All and Attention
=============================

Lynch, Musco and Parter's Winner-Take-All network: ``n`` outputs ``y_i``,
each excited by its input ``x_i`` and by itself, and two inhibitors — one
that fires when any output fires (stability, ``a_s``) and one when two or
more do (convergence, ``a_c``). With every input on, inhibition halves the
firing outputs round by round until one winner is left, and then keeps it.
"""

# %%
# One run
# -------
# The weights are in units of ``γ = 2·ln((n + 2)·rounds/δ)``: large enough that
# a winner, once there, survives ``rounds`` rounds with probability at least
# ``1 − δ``. ``rng`` makes the run repeatable.
import evsim
from evsim.library import wta_gamma, winner_take_all

n, rounds = 6, 30
net = winner_take_all(n)
print(f"gamma = {wta_gamma(n):.3f}")
record = evsim.simulate(net, {f"x{i}": list(range(rounds)) for i in range(n)}, until=rounds, rng=3)
trains = record.trains()
print("outputs firing in rounds 0-9:",
      [sum(t in trains[f"y{i}"] for i in range(n)) for t in range(10)])
ax = evsim.plot.raster(record, names=[f"y{i}" for i in range(n)] + ["a_s", "a_c"])

# %%
# Round 0 is the silent initial state; from round 1 several outputs fire.
# While two or more do, ``a_c`` inhibits them all and each keeps firing only
# by chance, so their number falls until one is left; then the winner's
# self-excitation and ``a_s`` hold it.
winner = [i for i in range(n) if (float(rounds - 1) in trains[f"y{i}"])]
print("winner:", winner)

# %%
# Attention, exactly
# ------------------
# Attention composes WTA with a *filter* that passes the winner's data bits
# through, hiding the WTA's outputs. Its failure probability is at most the
# sum of its parts' — computed here exactly, with ``behavior.exact``, for
# ``n = 2``, one data bit and small weights (γ = 4, w = 8), so that the
# probabilities are large enough to see.
from evsim.lessons.lynch_musco import attention_failure  # noqa: E402

fail_attention, fail_wta, fail_filter = attention_failure()
print(f"P[Attention fails] = {fail_attention:.3e} <= {fail_wta:.3e} + {fail_filter:.3e} = "
      f"{fail_wta + fail_filter:.3e}")

# %%
# Exercises
# ---------
# 1. For ``n = 4`` and every input on, run 20 seeds (``rng=0 … 19``) for 40
#    rounds. From which round on is there one stable winner, on average?
#    (``evsim.lessons.lynch_musco.convergence_round`` reads it from a record.)
# 2. What is ``γ`` for ``n = 4`` (100 rounds, δ = 0.01), and by how much does it
#    grow when ``n`` doubles? Explain the difference from the formula.
