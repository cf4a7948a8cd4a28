"""
Training a spiking net through time, and its spikes in the event engine
=======================================================================

.. include:: ../../demos/06_training.py
   :start-after: Lesson 6 — training a spiking net through time, and its spikes in the event engine.
   :end-before: Run:

``demos/06_training.py`` and ``evsim tour`` run the lesson functions below
(from ``evsim/lessons/``): this is all of the demo's code.

.. literalinclude:: ../../evsim/lessons/training.py
   :pyobject: training_lesson
"""

# %%
# Running it prints each lesson's summary and shows the figures it writes.
from evsim.lessons import show_lessons
from evsim.lessons.training import training_lesson

show_lessons([training_lesson])
