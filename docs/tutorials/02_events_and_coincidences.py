"""
Events, delays and coincidences
===============================

Every spike is an event with an exact time. When several events happen at
the same instant, the order in which they take effect decides what a neuron
does. This session reads the event trace to see evsim's rules at work:
arrivals at one instant are *summed* before the neuron updates once; zero
delays are handled rank by rank; and times are compared exactly, so
``1.05 + 0.4`` and ``1.25 + 0.2`` are the same instant.
"""

# %%
# Excitation and inhibition at the same instant
# ---------------------------------------------
# ``y`` gets +1 from ``e`` and −1 from ``i``, both 1 ms after time 0. If it
# took the +1 first it would fire; evsim sums all arrivals of an instant
# first (in synapse order, from 0.0), so ``y`` sees 0 and stays silent.
import evsim

net = evsim.Network(
    {"e": evsim.Input(), "i": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    [evsim.Synapse("e", "y", 1.0, 1.0), evsim.Synapse("i", "y", -1.0, 1.0)], outputs={"y"})
record = evsim.simulate(net, {"e": [0], "i": [0]}, until=3, trace=True)
print(record.trace.format())

# %%
# Each ``arrive`` line is one synaptic arrival, with the neuron and time it
# was sent from and the synapse it used (a row of ``net.synapses``); the
# ``deliver`` line is their sum, and the ``update`` line what the threshold
# is tested on. The timeline shows the same: one column per instant, an arrow
# from each spike to the arrivals it causes.
ax = evsim.plot.event_timeline(record)

# %%
# Zero delays: ranks
# ------------------
# A synapse may have delay 0: its spike arrives in the same instant. evsim
# orders neurons by *rank*, their depth along zero-delay synapses, and runs
# an instant rank by rank, so a chain ``x → a → b`` fires all three at once,
# in order.
chain = evsim.Network(
    {"x": evsim.Input(), "a": evsim.IF(threshold=1.0), "b": evsim.IF(threshold=1.0)},
    [evsim.Synapse("x", "a", 1.0, 0.0), evsim.Synapse("a", "b", 1.0, 0.0)], outputs={"b"})
rec = evsim.simulate(chain, {"x": [2.0]}, until=4, trace=True)
print(rec.trains())
print(rec.trace.at(2.0).format())

# %%
# Exact time
# ----------
# Here ``n`` receives +1.5 from ``a`` (which fires at 1.25, delay 0.2) and
# −0.8 from ``x`` (which fires at 1.05, delay 0.4). In floats,
# ``1.05 + 0.4 == 1.4500000000000002`` but ``1.25 + 0.2 == 1.45``: the two
# arrivals would be an ulp apart and ``n`` would fire on the +1.5 alone.
# evsim keeps times on an exact grid (whole steps plus an offset), so both
# arrive at the same instant and are summed to 0.7.
print(1.05 + 0.4, 1.25 + 0.2)
lif = evsim.LIF(tau=10.0, threshold=1.0, reset=0.0, refractory=0.2)
exact = evsim.Network(
    {"x": evsim.Input(), "a": lif, "n": evsim.LIF(tau=10.0, threshold=1.0, reset=0.0, refractory=2.0)},
    [evsim.Synapse("x", "a", 1.5, 0.2), evsim.Synapse("a", "n", 1.5, 0.2), evsim.Synapse("x", "n", -0.8, 0.4)],
    outputs={"n"}, dt=None)
rec = evsim.simulate(exact, {"x": [1.05, 1.25]}, until=5, trace=True)
print(rec.trace.select(1.4, 1.5, neurons="n").format())

# %%
# Also at 1.45: ``a`` fired at 1.25 and is refractory for 0.2 ms, until
# exactly 1.45 — when the second input reaches it. An arrival at exactly the
# end of the refractory period counts, so ``a`` fires again.
print(rec.trains()["a"])

# %%
# Exercises
# ---------
# 1. In the first network, give ``e`` a weight of 2.5 instead of 1.0. Does
#    ``y`` fire? What is the ``deliver`` value, and what is left after the
#    reset?
# 2. Make the chain longer: ``x → a → b → c`` with zero delays. At what time
#    does ``c`` fire, and what is each neuron's rank (``rec.trace`` lines
#    carry it)?
# 3. In the exact-time network, move the second input spike from 1.25 to
#    1.3. When does ``a`` fire now, and does ``n`` fire before 5 ms?
