"""
Lynch & Musco's stochastic networks, computed exactly
=====================================================

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

``demos/02_lynch_musco.py`` and ``evsim tour`` run the lesson functions below
(from ``evsim/lessons/``): this is all of the demo's code.

.. literalinclude:: ../../evsim/lessons/lynch_musco.py
   :pyobject: gates_lesson

.. literalinclude:: ../../evsim/lessons/lynch_musco.py
   :pyobject: wta_lesson
"""

# %%
# Running it prints each lesson's summary and shows the figures it writes.
from evsim.lessons import show_lessons
from evsim.lessons.lynch_musco import gates_lesson, wta_lesson

show_lessons([gates_lesson, wta_lesson])
