"""Lesson 7 — process variation of RRAM weights, and yield recovered by tuning thresholds.

What it shows: a 64-256-256-10 LIF net trained on the bundled digits (Yin et
al.'s continuous method, T = 8), fabricated as dies whose weights are RRAM
devices: each crossbar has its own gain (40 % spread from die to die), each
device its own factor (10 %), 0.5 % of devices stuck at zero and 0.05 % at
the highest conductance. Regressors fitted on 30 dies read each of 20 held-out
dies' response signature (its answers and firing rates on 20 test images),
predict whether it is out of spec (more than 1 point under the design) and
write new thresholds, layer by layer.

What to look for: how many held-out dies are out of spec as fabricated and
after recovery; how far the predicted thresholds are from the offline
search's. Figure: ./demo-out.

Run:  python demos/07_variation.py [OUT_DIR]
"""

from evsim.lessons import demo_main
from evsim.lessons.variation import variation_lesson

if __name__ == "__main__":
    demo_main(variation_lesson)
