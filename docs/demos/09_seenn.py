"""
SEENN-II: a policy network chooses each image's number of time steps
====================================================================

.. include:: ../../demos/09_seenn.py
   :start-after: Lesson 9 — SEENN-II: a policy network chooses each image's number of time steps.
   :end-before: Run:

``demos/09_seenn.py`` and ``evsim demo seenn`` run the lesson function below
(from ``evsim/lessons/``): this is all of the demo's code. ``evsim seenn`` runs
five seeds; docs/seenn.md gives the equations and the numbers.

.. literalinclude:: ../../evsim/lessons/seenn.py
   :pyobject: seenn_lesson
"""

# %%
# Running it prints the lesson's summary and shows the figure it writes.
from evsim.lessons import show_lessons
from evsim.lessons.seenn import seenn_lesson

show_lessons([seenn_lesson])
