"""
Training a spiking net through time, and its spikes in the event engine
=======================================================================

What it shows: a 64-512-512-10 net of LIF neurons (β = 0.9) trained on the
bundled 8×8 digits with back-propagation through time (Yin et al.'s
continuous integration: the membrane carries over, a clipped straight-through
pseudo-derivative stands in for the spike's), its training curve, and one
test digit run event by event on the trained net.

What to look for: the test accuracy climbs past 95 % in a few epochs; the
event engine fires exactly the runner's spikes. Figures: ./demo-out.

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
