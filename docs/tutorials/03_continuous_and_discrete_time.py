"""
Continuous and discrete time
============================

evsim runs the same kinds of neurons on two clocks. In *continuous time*
(``dt=None``) an event can happen at any real time, and a LIF neuron's
potential between events is solved exactly — a threshold crossing is found
in closed form, never by stepping. In *discrete time* (``dt=1.0``, the
default) every neuron updates once per step, as in deep-learning libraries.
This session puts one neuron on both clocks.
"""

# %%
# A neuron that fires on its own
# ------------------------------
# With a bias ``b`` (mV per ms) a LIF neuron drifts towards
# ``v_∞ = v_rest + τ·b``. If ``v_∞`` is above the threshold it crosses it at
# ``t* = τ·ln((v_∞ − v₀)/(v_∞ − θ))``: here ``10·ln(1.5/0.5) = 10.986…`` ms.
import math

import numpy as np

import evsim

continuous = evsim.Network({"y": evsim.LIF(tau=10.0, threshold=1.0, reset=0.0, bias=0.15)}, [],
                           outputs={"y"}, dt=None)
record = evsim.simulate(continuous, {}, until=25.0, probes=["y"])
print(record.trains()["y"], 10 * math.log(1.5 / 0.5))
ax = evsim.plot.potential(record, "y")

# %%
# The discrete clock
# ------------------
# On a discrete clock every neuron updates at steps ``k = 0, 1, 2, …``:
# ``m = v_rest + β·(v − v_rest) + b + I`` with ``β = exp(−dt/τ)``, where ``b``
# is now what one *step* adds and ``I`` the arrivals at that step; it fires
# iff ``m ≥ θ``. Starting from 0, ``v_k = b·(1 − β^(k+1))/(1 − β)``, which
# first reaches 1 at step 10.
discrete = evsim.Network({"y": evsim.LIF(tau=10.0, threshold=1.0, reset=0.0, bias=0.15)}, [],
                         outputs={"y"}, dt=1.0)
record = evsim.simulate(discrete, {}, until=25.0, probes=["y"])
print(record.trains()["y"])
print(record.potentials["y"].sample(np.arange(12.0)).round(3))  # the potential after each step's update

# %%
# The same ``bias=0.15`` means two different neurons: 0.15 per ms on one
# clock, 0.15 per step on the other (with a leak of ``1 − β`` per step). A
# deep-learning LIF is usually given by its per-step decay β directly:
# ``LIF.from_beta(0.9)`` is the LIF whose ``exp(−dt/τ)`` is 0.9.
print(evsim.LIF.from_beta(0.9).tau, -1.0 / math.log(0.9))

# %%
# Times on the grid
# -----------------
# A discrete network's events happen at multiples of ``dt``. An input off
# the grid is refused — with a message that says what would be accepted —
# rather than rounded silently.
net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y", 1.0, 1.0)], outputs={"y"})
try:
    evsim.simulate(net, {"x": [0.5]}, until=3)
except evsim.ValidationError as error:
    print(error)

# %%
# Exercises
# ---------
# 1. In continuous time, with ``bias=0.2`` instead of 0.15, when does the
#    neuron first fire? Work it out with the closed form, then simulate.
# 2. In discrete time, what per-step bias gives the neuron the same resting
#    level ``v_∞ = 1.5`` as the continuous one (solve ``v = β·v + b``), and at
#    which step does it then first fire?
# 3. Build the discrete neuron with ``dt=0.5`` and the per-step bias of
#    exercise 2 for that step (``β`` changes too). At what *time* does it first
#    fire? Compare with the continuous 10.986 ms.
