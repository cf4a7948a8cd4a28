"""
A discrete step is one formula, in one order
============================================

Rule: on a discrete clock an IF/LIF neuron's step is
``m = (v_rest + β·(v − v_rest) + bias) + I``, evaluated in exactly that
floating-point order, at every step — with ``I = 0`` when nothing arrives. So
skipping idle steps (which the engine does, leaping over many at once where
the step is a plain addition) gives the same bits as stepping one by one.
"""

import math

import evsim

lif = evsim.LIF(tau=10.0, threshold=1.0, bias=0.05, reset="zero")
net = evsim.Network({"x": evsim.Input(), "y": lif}, [evsim.Synapse("x", "y", 0.3, 1.0)], outputs={"y"})
record = evsim.simulate(net, {"x": [0.0, 6.0]}, until=12, probes=["y"])

beta = math.exp(-1.0 / 10.0)
v, by_hand = 0.0, []
for k in range(12):
    arriving = 0.3 if k in (1, 7) else 0.0
    m = (0.0 + beta * (v - 0.0) + 0.05) + arriving
    v = 0.0 if m >= 1.0 else m
    by_hand.append(v)
engine = record.potentials["y"].sample([float(k) for k in range(12)]).tolist()
print("engine :", [round(x, 6) for x in engine])
print("by hand:", [round(x, 6) for x in by_hand])
assert engine == by_hand  # bit for bit, idle steps included
ax = evsim.plot.potential(record, "y")
