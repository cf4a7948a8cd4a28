"""
DNN→SNN knowledge distillation along three switchable paths
===========================================================

.. include:: ../../demos/10_distillation.py
   :start-after: Lesson 10 — DNN→SNN knowledge distillation along three switchable paths.
   :end-before: Run:

``demos/10_distillation.py`` and ``evsim demo distillation`` run the lesson function
below (from ``evsim/lessons/``): this is all of the demo's code. ``evsim distill``
runs five seeds; docs/distillation.md gives the equations and the numbers.

.. literalinclude:: ../../evsim/lessons/distill.py
   :pyobject: distill_lesson
"""

# %%
# Running it prints the lesson's summary and shows the figure it writes.
from evsim.lessons import show_lessons
from evsim.lessons.distill import distill_lesson

show_lessons([distill_lesson])
