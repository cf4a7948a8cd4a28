"""
A LIF neuron and its reset
==========================

A leaky integrate-and-fire (LIF) neuron keeps a potential ``v`` that decays
towards its resting level, jumps by a synapse's weight when a spike arrives,
and fires when it reaches its threshold ``θ``; then it is *reset*. This
session builds one, looks at its potential exactly, and compares the two
resets.
"""

# %%
# One neuron, one input
# ---------------------
# A network is a value: named neurons, synapses between them, and which
# neurons are outputs. ``Input`` neurons only replay the spike times we give
# them. ``dt=None`` means continuous time: spikes happen at any real time.
import evsim

neuron = evsim.LIF(tau=10.0, threshold=1.0, reset=0.0)  # τ = 10 ms, reset to 0 after a spike
net = evsim.Network(
    neurons={"x": evsim.Input(), "y": neuron},
    synapses=[evsim.Synapse("x", "y", weight=0.6, delay=1.0)],
    outputs={"y"}, dt=None)
print(net)

# %%
# Between arrivals the potential relaxes exactly,
# ``v(t) = v_∞ + (v(t₀) − v_∞)·exp(−(t − t₀)/τ)`` with ``v_∞ = v_rest = 0`` here,
# and each arrival adds its weight. Two spikes 1 ms apart are enough:
# ``0.6·e^(−0.1) + 0.6 = 1.143 ≥ 1``.
record = evsim.simulate(net, {"x": [0.0, 1.0]}, until=10.0, probes=["y"], trace=True)
print(record.trains())
print(record.trace.format())

# %%
# The ``update`` line holds the potential the threshold is tested on, and the
# ``reset`` line the potential right after the spike. The probe samples the
# exact potential at any time; the threshold drawn is the neuron's own.
ax = evsim.plot.potential(record, "y", until=10.0)

# %%
# With the spikes 5 ms apart the first has leaked away too far:
# ``0.6·e^(−0.5) + 0.6 = 0.964 < 1``, and ``y`` stays silent.
late = evsim.simulate(net, {"x": [0.0, 5.0]}, until=10.0)
print(late.trains()["y"])

# %%
# Two resets
# ----------
# ``reset=0.0`` sets the potential to 0 after a spike, whatever it was: the
# excess above the threshold is lost. ``reset="subtract"`` removes ``θ``
# instead and keeps the excess — what ANN→SNN conversion relies on, since then
# the spike count times θ tracks the input exactly.
for reset in (0.0, "subtract"):
    model = evsim.IF(threshold=1.0, reset=reset)  # IF: no leak at all
    one = evsim.Network({"x": evsim.Input(), "y": model}, [evsim.Synapse("x", "y", 0.75, 1.0)], outputs={"y"})
    rec = evsim.simulate(one, {"x": range(8)}, until=10, probes=["y"])
    print(f"reset={reset!r}: spikes at {rec.trains()['y'].tolist()}, "
          f"potential after each update {rec.potentials['y'].after.tolist()}")

# %%
# Eight inputs of 0.75 bring 6.0. The subtract reset fires six times, the
# zero reset only four: each of its spikes throws away the 0.5 above θ.
#
# A refractory period makes the neuron deaf after a spike: arrivals before
# its end are discarded (``blocked`` in the trace); one at exactly its end counts.
deaf = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0, refractory=2.0)},
                     [evsim.Synapse("x", "y", 1.0, 1.0)], outputs={"y"})
rec = evsim.simulate(deaf, {"x": range(6)}, until=8, trace=True)
print(rec.trains()["y"], [e.time for e in rec.trace.select(kinds="blocked")])

# %%
# Exercises
# ---------
# 1. With the first network (``LIF``, τ = 10 ms, θ = 1, weight 0.6), what is
#    the largest gap ``d`` (ms) between two input spikes for which ``y`` still
#    fires? Solve ``0.6·e^(−d/τ) + 0.6 = 1`` on paper, then check it with
#    ``simulate`` just below and just above your answer.
# 2. Feed ``IF(threshold=1.0, reset="subtract")`` one input spike of weight
#    2.5. How many times does it fire, and what is left in its potential?
#    (Mind which times the neuron updates at.)
# 3. Feed ``IF(threshold=1.0, reset="subtract")`` five spikes of weight 0.6,
#    1 ms apart. On paper the fifth arrival brings the total to 3.0, two
#    spikes have removed 2.0, so it should fire a third time. Does it? Print
#    the trace's ``update`` values and explain; then find a weight close to
#    0.6 for which every sum is exact in binary floating point.
