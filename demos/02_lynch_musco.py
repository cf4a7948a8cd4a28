"""Lesson 2 — Lynch & Musco's stochastic networks, computed exactly.

What it shows:
  * an XOR circuit built by composing four stochastic gates and hiding the
    intermediate outputs; its exact probability of being right, round by round,
    against the union bound 1 − 4ε (ε = one gate's error per round), and the
    check that the circuit's behaviour equals the product of its gates' behaviours;
  * Winner-Take-All: one run's raster, and the rounds until a single stable
    winner for n = 2 … 128 on a log axis (growth like log n);
  * Attention = hide(WTA × Filter): its exact failure probability is at most the
    sum of its parts'.

What to look for: every "worst case >= bound: True", a composition distance
near 1e-15, and a convergence curve that rises by a constant per doubling of n.
Figures go to ./demo-out.

Run:  python demos/02_lynch_musco.py [OUT_DIR]
"""

from evsim.lessons import demo_main
from evsim.lessons.lynch_musco import gates_lesson, wta_lesson

if __name__ == "__main__":
    demo_main(gates_lesson, wta_lesson)
