"""
Hybrid SNN–ANN models: spiking features, an accumulator, an ANN head
====================================================================

.. include:: ../../demos/08_hybrid.py
   :start-after: Lesson 8 — hybrid SNN–ANN models: spiking features, an accumulator, an ANN head.
   :end-before: Run:

``demos/08_hybrid.py`` and ``evsim demo hybrid`` run the lesson function below
(from ``evsim/lessons/``): this is all of the demo's code. ``evsim hybrid`` runs the
comparison over five seeds; docs/hybrid.md gives the equations and the numbers.

.. literalinclude:: ../../evsim/lessons/hybrid.py
   :pyobject: hybrid_lesson
"""

# %%
# Running it prints the lesson's summary and shows the figure it writes.
from evsim.lessons import show_lessons
from evsim.lessons.hybrid import hybrid_lesson

show_lessons([hybrid_lesson])
