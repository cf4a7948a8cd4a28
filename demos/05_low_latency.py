"""Lesson 5 — answering in a handful of steps, and what it costs in energy.

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

Run:  python demos/05_low_latency.py [OUT_DIR]
"""

from evsim.lessons import demo_main
from evsim.lessons.low_latency import low_latency_lesson

if __name__ == "__main__":
    demo_main(low_latency_lesson)
