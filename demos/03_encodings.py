"""Lesson 3 — how a value becomes spikes: rate, time-to-first-spike and hybrid codes.

What it shows: one bundled 8×8 digit encoded over 16 steps three ways, as
rasters (pixel against time) with their spike counts, and how well each code
decodes back to the image.

What to look for: the rate code needs hundreds of spikes and still decodes
only to within sampling noise; TTFS sends one spike per bright pixel, brighter
first, and decodes within half a step; the hybrid code carries the image itself
at step 0 (decoded exactly) and then one spike per pixel. Figure: ./demo-out.

Run:  python demos/03_encodings.py [OUT_DIR]
"""

from evsim.lessons import demo_main
from evsim.lessons.encodings import encodings_lesson

if __name__ == "__main__":
    demo_main(encodings_lesson)
