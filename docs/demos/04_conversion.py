"""
ANN→SNN conversion on real data, and what the initial potential buys
====================================================================

.. include:: ../../demos/04_conversion.py
   :start-after: Lesson 4 — ANN→SNN conversion on real data, and what the initial potential buys.
   :end-before: Run:

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
