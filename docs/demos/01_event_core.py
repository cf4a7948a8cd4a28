"""
The event-driven core, one spike at a time
==========================================

.. include:: ../../demos/01_event_core.py
   :start-after: Lesson 1 — the event-driven core, one spike at a time.
   :end-before: Run:

``demos/01_event_core.py`` and ``evsim tour`` run the lesson functions below
(from ``evsim/lessons/``): this is all of the demo's code.

.. literalinclude:: ../../evsim/lessons/core.py
   :pyobject: if_neuron_lesson

.. literalinclude:: ../../evsim/lessons/core.py
   :pyobject: circuit_lesson

.. literalinclude:: ../../evsim/lessons/core.py
   :pyobject: continuous_lif_lesson
"""

# %%
# Running it prints each lesson's summary and shows the figures it writes.
from evsim.lessons import show_lessons
from evsim.lessons.core import circuit_lesson, continuous_lif_lesson, if_neuron_lesson

show_lessons([if_neuron_lesson, circuit_lesson, continuous_lif_lesson])
