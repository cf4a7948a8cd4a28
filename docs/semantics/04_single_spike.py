"""
A single-spike neuron fires once
================================

Rule: with ``single_spike=True`` a neuron is inert after its first spike
for the rest of the run: every later arrival is discarded (``blocked``).
"""

import evsim

net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0, single_spike=True)},
                    [evsim.Synapse("x", "y", 1.0, 1.0)], outputs={"y"})
record = evsim.simulate(net, {"x": [0, 1, 2]}, until=5, trace=True)
print(record.trace.select(neurons="y").format())
ax = evsim.plot.event_timeline(record)
assert record.trains()["y"].tolist() == [1.0]
