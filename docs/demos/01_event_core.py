"""
The event-driven core, one spike at a time
==========================================

What it shows:
  * one IF neuron fed through a 1 ms synapse, with the full event trace
    (each instant: arrivals are delivered and summed, then the neuron updates once);
  * a zero-delay chain, where three neurons fire in the same step in rank order,
    and excitation and inhibition that arrive together and cancel;
  * a continuous-time LIF whose spike times come from the closed form
    t* = tau * ln((v_inf - v0) / (v_inf - theta)), with no time step anywhere.

What to look for: the printed spike times, the trace's order within an instant,
and the deviation from the closed form (0 to rounding); and why a weight of 0.6 loses a spike that
0.625 keeps (1.2 − 1 is 0.19999999999999996 in binary floating point, and
the error carries: what should be 0.4 + 0.6 is 0.3999999999999999 + 0.6 = 0.9999999999999999). Figures go to ./demo-out.

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
