"""
Zero delays run rank by rank
============================

Rule: a synapse of delay 0 delivers in the same instant. A neuron's *rank*
is its depth along zero-delay synapses; an instant runs rank by rank, so a
zero-delay chain fires all at once, in order. (Zero-delay cycles are refused.)
"""

import evsim

net = evsim.Network({"x": evsim.Input(), "a": evsim.IF(threshold=1.0), "b": evsim.IF(threshold=1.0)},
                    [evsim.Synapse("x", "a", 1.0, 0.0), evsim.Synapse("a", "b", 1.0, 0.0)], outputs={"b"})
record = evsim.simulate(net, {"x": [1.0]}, until=3, trace=True)
print(record.trace.format())
ax = evsim.plot.event_timeline(record)

# %%
# All three fire at 1 ms: ``x`` (rank 0), then ``a`` (rank 1), then ``b`` (rank 2).
assert record.trains()["b"].tolist() == [1.0]
