"""
The end of a refractory period is exact
=======================================

Rule: after a spike at ``t_s`` with refractory period ``r`` the potential is
held at its reset value; arrivals with ``t_s < t < t_s + r`` are discarded
(``blocked`` in the trace), and one at exactly ``t_s + r`` counts — times are
exact grid pairs, so "exactly" means what it says.
"""

import evsim

net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0, refractory=0.3)},
                    [evsim.Synapse("x", "y", 1.0, 0.1)], outputs={"y"}, dt=None)
record = evsim.simulate(net, {"x": [0.0, 0.2, 0.3]}, until=1, trace=True)
print(record.trace.select(neurons="y").format())
ax = evsim.plot.event_timeline(record)

# %%
# ``y`` fires at 0.1 and is deaf until 0.1 + 0.3 = 0.4: the arrival at 0.3
# (sent at 0.2) is blocked, and the one at 0.3 + 0.1 = 0.4 falls on the very
# instant the period ends, so it counts and fires ``y`` again.
assert record.trains()["y"].tolist() == [0.1, 0.4]
