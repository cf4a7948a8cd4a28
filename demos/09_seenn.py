"""Lesson 9 — SEENN-II: a policy network chooses each image's number of time steps.

What it shows: the converted QCFS digits net (T = 8, analog input) with two
ways of spending fewer steps on easy images — SEENN-I, which stops an image
when the output's confidence passes a threshold α, and SEENN-II, whose small
policy ANN reads the image and chooses its number of steps before the SNN
runs, trained to maximise a reward of 2^(−k) for a right answer after k steps
and −β for a wrong one — as accuracy against average steps.

What to look for: which of the two curves lies to the left (fewer steps at
the same accuracy), and for each SEENN-II penalty the SEENN-I threshold it is
compared with. Figure: ./demo-out.

Run:  python demos/09_seenn.py [OUT_DIR]
"""

from evsim.lessons import demo_main
from evsim.lessons.seenn import seenn_lesson

if __name__ == "__main__":
    demo_main(seenn_lesson)
