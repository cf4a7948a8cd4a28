"""
Answering in a handful of steps, and what it costs in energy
============================================================

.. include:: ../../demos/05_low_latency.py
   :start-after: Lesson 5 — answering in a handful of steps, and what it costs in energy.
   :end-before: Run:

``demos/05_low_latency.py`` and ``evsim tour`` run the lesson functions below
(from ``evsim/lessons/``): this is all of the demo's code.

.. literalinclude:: ../../evsim/lessons/low_latency.py
   :pyobject: low_latency_lesson
"""

# %%
# Running it prints each lesson's summary and shows the figures it writes.
from evsim.lessons import show_lessons
from evsim.lessons.low_latency import low_latency_lesson

show_lessons([low_latency_lesson])
