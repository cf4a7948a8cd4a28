"""
An analog input event carries a value
=====================================

Rule: an input spike carries 1; an analog event (``evsim.Analog``) carries
a real value that multiplies every outgoing weight. A tuple or list of
numbers is always spike *times*. An input fires at most once per instant:
a duplicate time is refused.
"""

import evsim

net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)}, [evsim.Synapse("x", "y", 2.0, 1.0)],
                    outputs={"y"})
record = evsim.simulate(net, {"x": evsim.Analog([0.0, 1.0], [0.25, 0.3])}, until=4, trace=True)
print(record.trace.format())
ax = evsim.plot.event_timeline(record)

# %%
# 2.0·0.25 = 0.5, then 0.5 + 2.0·0.3 = 1.1 fires at 2 ms. And two events at
# one instant of one input are refused, with the reason:
try:
    evsim.simulate(net, {"x": [1.0, 1.0]}, until=3)
except evsim.ValidationError as error:
    print(error)
