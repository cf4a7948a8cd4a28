"""
Answering in a handful of steps, and what it costs in energy
============================================================

What it shows: one QCFS network trained on the bundled digits, converted, and
run with each low-latency method — zero, θ/2 and calibrated initial potentials
(IC-SNN 1 and 2), Bernoulli rate input with and without coding compensation
(IC-SNN 3), SEENN-I early exit, and hybrid input with single-spike hidden
layers — printing accuracy, average steps, spikes per image and the energy
ratio to the ANN from counted operations, and drawing accuracy against latency
and against energy.

What to look for: compensation's gain over plain Bernoulli input at T = 4;
early exit near the fixed-T accuracy at about two steps; energy ratios well
below 1. Figure: ./demo-out.

``demos/05_low_latency.py`` and ``evsim tour`` run the lesson functions below
(from ``evsim/lessons/``): this is all of the demo's code.

.. literalinclude:: ../../evsim/lessons/low_latency.py
   :pyobject: low_latency_lesson
"""

# %%
# Running it prints each lesson's summary and shows the figures it writes.
from evsim.lessons import show_lessons
from evsim.lessons.low_latency import low_latency_lesson

show_lessons([low_latency_lesson])
