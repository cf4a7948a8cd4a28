"""Lesson 6 — training a spiking net through time, and its spikes in the event engine.

What it shows: a 64-512-512-10 net of LIF neurons (β = 0.9) trained on the
bundled 8×8 digits with back-propagation through time (Yin et al.'s
continuous integration: the membrane carries over, a clipped straight-through
pseudo-derivative stands in for the spike's), its training curve, and one
test digit run event by event on the trained net.

What to look for: the test accuracy climbs past 95 % in a few epochs; the
event engine fires exactly the runner's spikes. Figures: ./demo-out.

Run:  python demos/06_training.py [OUT_DIR]
"""

from evsim.lessons import demo_main
from evsim.lessons.training import training_lesson

if __name__ == "__main__":
    demo_main(training_lesson)
