"""
Encoding values as spikes
=========================

A spiking network takes numbers as spikes. This session encodes five values
``x`` in ``[0, 1]`` three ways — by *rate* (how many spikes), by *time to
first spike* (how early one spike comes), and the *hybrid* code that sends
the value itself at the first step and a spike after — decodes them back,
and feeds a code to a neuron.
"""

# %%
# Rate codes
# ----------
# A Bernoulli rate code fires at each step with probability ``x``; the
# regular one spreads ``round(x·T)`` spikes evenly, so its decoded value
# (spikes / T) is within ``1/(2T)`` of ``x``.
import numpy as np

import evsim
from evsim import encoding

x = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
steps = 8
bernoulli = encoding.rate(x, steps, rng=0)
regular = encoding.rate(x, steps, method="regular")
print(bernoulli)
print("Bernoulli decoded:", encoding.decode_rate(bernoulli))
print("regular decoded:  ", encoding.decode_rate(regular))

# %%
# Time to first spike
# -------------------
# One spike per value at step ``(1 − x)·(T − 1)`` rounded half up: brighter
# values fire earlier, and 0 never fires. Decoding reads the value back from
# the time, within half a step, ``1/(2(T − 1))``.
ttfs = encoding.ttfs(x, 5)
print("first spikes at", encoding.first_spike_times(ttfs))
print("decoded:", encoding.decode_ttfs(ttfs))

# %%
# The hybrid code
# ---------------
# Step 0 carries each nonzero ``x`` as an *analog* event (a real value, not a
# spike); steps ``1 … T−1`` a TTFS spike. Decoding the analog values is
# exact; the spikes alone decode like a TTFS code over one step fewer.
hybrid = encoding.hybrid(x, 5)
analog = encoding.analog_events(hybrid)
print(f"{int(analog.sum())} analog values and {int((~analog).sum())} spikes")
print("from the analog values:", encoding.decode_hybrid(hybrid))
print("from the spikes alone: ", encoding.decode_ttfs(hybrid).round(3))

# %%
# Into a network
# --------------
# ``code.to_inputs(names)`` turns a code into ``simulate``'s inputs: spike
# times per input neuron (and ``evsim.Analog`` values where the code has
# them). Here an IF neuron counts the regular code of ``x = 0.75``.
net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)}, [evsim.Synapse("x", "y", 1.0, 1.0)],
                    outputs={"y"})
inputs = encoding.rate(np.array([0.75]), steps, method="regular").to_inputs(["x"])
print(inputs)
print(evsim.simulate(net, inputs, until=steps + 2).trains())
ax = evsim.plot.raster(evsim.simulate(net, inputs, until=steps + 2))

# %%
# Exercises
# ---------
# 1. With ``ttfs(x, 5)``, at which step does ``x = 0.6`` fire, what does
#    ``decode_ttfs`` give back, and is the error within the bound?
# 2. Check the regular rate code's bound: encode 1001 values evenly spaced
#    in ``[0, 1]`` with ``T = 8`` and find the largest decoding error.
# 3. A Bernoulli code of ``x = 0.3`` over ``T = 50`` steps decodes to a
#    random estimate. Encode 4000 copies at once and compare the standard
#    deviation of their estimates with ``sqrt(x(1 − x)/T)``.
