"""
Process variation of RRAM weights, and yield recovered by tuning thresholds
===========================================================================

.. include:: ../../demos/07_variation.py
   :start-after: Lesson 7 — process variation of RRAM weights, and yield recovered by tuning thresholds.
   :end-before: Run:

``demos/07_variation.py`` and ``evsim demo variation`` run the lesson function below
(from ``evsim/lessons/``): this is all of the demo's code. ``evsim variation`` runs the
full study (100 dies); docs/variation.md gives its equations and numbers.

.. literalinclude:: ../../evsim/lessons/variation.py
   :pyobject: variation_lesson
"""

# %%
# Running it prints the lesson's summary and shows the figure it writes.
from evsim.lessons import show_lessons
from evsim.lessons.variation import variation_lesson

show_lessons([variation_lesson])
