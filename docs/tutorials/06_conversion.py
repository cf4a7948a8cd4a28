"""
ANN→SNN conversion and low latency
==================================

A trained ANN with ReLU activations becomes a spiking net when every ReLU
is replaced by an integrate-and-fire neuron with a subtract reset: over
``T`` steps a neuron's spike count times its threshold ``θ`` approximates
the ReLU's output, so more steps mean a better approximation. This session
converts a small MLP on the bundled 8×8 digits, watches accuracy grow with
``T``, shortens the wait with QCFS training and a half-threshold start, and
runs one converted image event by event.
"""

# %%
# An ANN, trained in NumPy
# ------------------------
import numpy as np

import evsim
from evsim import deep
from evsim.datasets import load_digits

digits = load_digits()
x_train, x_test = digits.x_train.reshape(-1, 64), digits.x_test.reshape(-1, 64)
ann = deep.Sequential([deep.Dense(64, 128, rng=0), deep.ReLU(), deep.Dense(128, 10, rng=1)])
deep.train(ann, x_train, digits.y_train, epochs=30, seed=0)
print(f"ANN test accuracy: {deep.accuracy(ann, x_test, digits.y_test):.4f}")

# %%
# Convert and run
# ---------------
# ``norm="max"`` sets each layer's threshold from the largest activation on
# calibration data; the input is analog (the same pixel values every step).
# ``result.accuracy[t − 1]`` is the accuracy after ``t`` steps.
snn = deep.convert(ann, calibration=x_train, norm="max")
result = deep.run(snn, x_test, steps=32, labels=digits.y_test)
for t in (1, 2, 4, 8, 16, 32):
    print(f"T = {t:2d}: {result.accuracy[t - 1]:.4f}")

# %%
# Low latency: QCFS and a half-threshold start
# --------------------------------------------
# Training the ANN with the quantization-clip-floor-shift activation (QCFS,
# ``L`` levels, trained clip ``λ``) makes it the kind of function a spiking
# layer computes in few steps; starting every potential at ``θ/2`` rounds
# instead of flooring. Together they reach the ANN within a few steps.
qcfs = deep.Sequential([deep.Dense(64, 128, rng=0), deep.QCFS(4, lam=2.0), deep.Dense(128, 10, rng=1)])
deep.train(qcfs, x_train, digits.y_train, epochs=30, seed=0)
fast = deep.convert(qcfs, norm="qcfs", v_init="half", input_shape=(64,))
quick = deep.run(fast, x_test, steps=8, labels=digits.y_test)
print(f"QCFS ANN {deep.accuracy(qcfs, x_test, digits.y_test):.4f}; SNN after 1, 2, 4, 8 steps:",
      quick.accuracy[[0, 1, 3, 7]].round(4))

# %%
# The same machine, event by event
# --------------------------------
# ``to_network`` builds the converted net as an evsim ``Network`` of IF
# neurons (``L{k}_{j}``: neuron ``j`` of spiking layer ``k``) with input
# neurons ``in{i}``; ``network_inputs`` turns one sample's ``(steps, inputs)``
# values into their events. Run one test image through the event engine and
# its spikes equal the runner's, neuron by neuron and step by step.
net = deep.to_network(fast)
image = x_test[:1]
record = evsim.simulate(net, deep.network_inputs(np.repeat(image, 8, axis=0)), until=8)  # analog: every step
runner = deep.run(fast, image, 8, record_spikes=True)
same = all(np.array_equal(a, b[:, 0]) for a, b in zip(deep.layer_spikes(record, fast, 8), runner.spikes))
print("engine spikes == runner spikes:", same)
ax = evsim.plot.raster(runner)

# %%
# Exercises
# ---------
# 1. For the plain converted net above, what is the smallest ``T`` (of 1, 2,
#    4, 8, 16, 32) at which the SNN is within one point (0.01) of the ANN?
# 2. Convert the QCFS net with ``v_init="zero"`` instead of ``"half"``. What
#    is its accuracy after 1 and 2 steps, and why is it so low at ``T = 1``?
# 3. How many spikes does the QCFS SNN send per test image over 8 steps
#    (``result.spike_counts``), and how many for the first image alone?
