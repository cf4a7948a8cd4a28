"""
Arrivals at one instant are summed first
========================================

Rule: all arrivals at a neuron at one instant are added up — in synapse-row
order, starting from 0.0 — before the neuron updates once. Excitation and
inhibition that arrive together cancel, whatever order they were sent in.
"""

import evsim

net = evsim.Network({"e": evsim.Input(), "i": evsim.Input(), "y": evsim.IF(threshold=1.0)},
                    [evsim.Synapse("i", "y", -1.0, 1.0), evsim.Synapse("e", "y", 1.5, 1.0)], outputs={"y"})
record = evsim.simulate(net, {"e": [0.0], "i": [0.0]}, until=3, trace=True)
print(record.trace.select(neurons="y").format())
ax = evsim.plot.event_timeline(record)

# %%
# ``y`` receives −1.0 (synapse row 0) and +1.5 (row 1) at 1 ms; one update
# sees their sum, 0.5, below the threshold. Taken one by one, the +1.5 alone
# would have fired it.
assert record.counts()["y"] == 0
