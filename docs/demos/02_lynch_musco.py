"""
Lynch & Musco's stochastic networks, computed exactly
=====================================================

.. include:: ../../demos/02_lynch_musco.py
   :start-after: Lesson 2 — Lynch & Musco's stochastic networks, computed exactly.
   :end-before: Run:

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
