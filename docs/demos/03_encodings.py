"""
How a value becomes spikes: rate, time-to-first-spike and hybrid codes
======================================================================

.. include:: ../../demos/03_encodings.py
   :start-after: Lesson 3 — how a value becomes spikes: rate, time-to-first-spike and hybrid codes.
   :end-before: Run:

``demos/03_encodings.py`` and ``evsim tour`` run the lesson functions below
(from ``evsim/lessons/``): this is all of the demo's code.

.. literalinclude:: ../../evsim/lessons/encodings.py
   :pyobject: encodings_lesson
"""

# %%
# Running it prints each lesson's summary and shows the figures it writes.
from evsim.lessons import show_lessons
from evsim.lessons.encodings import encodings_lesson

show_lessons([encodings_lesson])
