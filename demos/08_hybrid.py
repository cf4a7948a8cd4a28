"""Lesson 8 — hybrid SNN–ANN models: spiking features, an accumulator, an ANN head.

What it shows: on the bundled digits, an ANN (64-256-256-10), LIF nets trained
through time at T = 2, 4 and 8, and hybrids that keep one or two of each
net's spiking layers, turn their spikes into numbers with an accumulator
(spike counts times θ, over T) and classify them with a small ANN head:
accuracy, latency and energy per image in one table and two plots. Then one
digit's accumulated features read from the event engine.

What to look for: how far the hybrids are from the SNN and from the ANN in
accuracy at each T, and what the head costs in energy; the engine's
accumulators against the runner's features.
Figure: ./demo-out.

Run:  python demos/08_hybrid.py [OUT_DIR]
"""

from evsim.lessons import demo_main
from evsim.lessons.hybrid import hybrid_lesson

if __name__ == "__main__":
    demo_main(hybrid_lesson)
