"""
How a value becomes spikes: rate, time-to-first-spike and hybrid codes
======================================================================

What it shows: one bundled 8×8 digit encoded over 16 steps three ways, as
rasters (pixel against time) with their spike counts, and how well each code
decodes back to the image.

What to look for: the rate code needs hundreds of spikes and still decodes
only to within sampling noise; TTFS sends one spike per bright pixel, brighter
first, and decodes within half a step; the hybrid code carries the image itself
at step 0 (decoded exactly) and then one spike per pixel. Figure: ./demo-out.

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
