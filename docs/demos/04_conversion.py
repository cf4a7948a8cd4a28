"""
ANN→SNN conversion on real data, and what the initial potential buys
====================================================================

What it shows: a QCFS MLP trained on the bundled 8×8 digits (a few seconds),
converted to IF neurons with soft reset and thresholds θ = λ, and run for
T = 1 … 32 steps with zero initial potential and with θ/2.

What to look for: the zero-initialised SNN is at chance for T = 1 and weak at
T = 2; starting at θ/2 it is near the ANN after 2 steps. Figure: ./demo-out.

``demos/04_conversion.py`` and ``evsim tour`` run the lesson functions below
(from ``evsim/lessons/``): this is all of the demo's code.

.. literalinclude:: ../../evsim/lessons/conversion.py
   :pyobject: conversion_lesson
"""

# %%
# Running it prints each lesson's summary and shows the figures it writes.
from evsim.lessons import show_lessons
from evsim.lessons.conversion import conversion_lesson

show_lessons([conversion_lesson])
