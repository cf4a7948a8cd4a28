"""
A neuron updates at most once per instant
=========================================

Rule: a neuron updates once per instant. If a subtract reset leaves it still
at or above the threshold, it fires again at its next update: the next step
in discrete time; in continuous time, its next arrival (or the end of its
refractory period) — never twice in one instant.
"""

import evsim

for dt in (1.0, None):
    net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
                        [evsim.Synapse("x", "y", 2.5, 1.0)], outputs={"y"}, dt=dt)
    record = evsim.simulate(net, {"x": [0.0, 4.0]}, until=8, probes=["y"])
    print(f"dt={dt}: spikes at {record.trains()['y'].tolist()}, "
          f"potential after each update {record.potentials['y'].after.tolist()}")
ax = evsim.plot.potential(record, "y")

# %%
# On the discrete clock ``y`` fires at 1 and again at 2 (2.5 → 1.5 → 0.5),
# and from 0.5 + 2.5 = 3.0 at 5, 6 and 7. In continuous time an IF with no
# bias has nothing to update it between arrivals: it fires at 1 and keeps 1.5
# until the arrival at 5, where 1.5 + 2.5 = 4.0 fires once and leaves 3.0.
assert record.trains()["y"].tolist() == [1.0, 5.0]
