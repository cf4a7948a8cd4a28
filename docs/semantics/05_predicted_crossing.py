"""
A crossing between events is predicted, not stepped to
======================================================

Rule: in continuous time a LIF neuron driven above its threshold by a bias
crosses it at a time computed in closed form,
``t* = τ·ln((v_∞ − v)/(v_∞ − θ))``, scheduled as an update with no input;
at that update the potential is ``max(free, θ)``. An arrival at the same
instant as the predicted crossing is one update, with the arrival added.
"""

import math

import evsim

lif = evsim.LIF(tau=10.0, threshold=1.0, reset=0.0, bias=0.15)  # v_∞ = 1.5
net = evsim.Network({"x": evsim.Input(), "y": lif}, [evsim.Synapse("x", "y", 0.5, 1.0)], outputs={"y"}, dt=None)
record = evsim.simulate(net, {"x": [0.0]}, until=15, trace=True, probes=["y"])
print(record.trace.select(neurons="y").format())
ax = evsim.plot.potential(record, "y")

# %%
# After the arrival at 1 ms the neuron is at ``0.5 + 1.5·(1 − e^(−0.1))``;
# its crossing is then predicted and happens with no event driving it, at the
# closed-form time (to the last bit or so: the two sides round differently).
v = 0.5 + 1.5 * (1 - math.exp(-0.1))
print("closed form:", 1.0 + 10 * math.log((1.5 - v) / 0.5), " simulated:", record.trains()["y"][0])
assert abs(record.trains()["y"][0] - (1.0 + 10 * math.log((1.5 - v) / 0.5))) < 1e-12
