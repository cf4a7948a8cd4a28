"""Lesson 10 — DNN→SNN knowledge distillation along three switchable paths.

What it shows: an ANN teacher (64-256-256-10) and a spiking student (LIF,
64-256-256-10, trained through time at T = 4) on the bundled digits; the
student trained alone, then guided along the output path (the teacher's
softened outputs), the intermediate path too (a learned decoder from the
student's spike rates to the teacher's last hidden layer), and the back path
too (the teacher trained toward the student) — same initial weights, same
order; test accuracy per seed.

What to look for: how far the student is from its teacher, and whether any
path moves it by more than the spread between seeds. Figure: ./demo-out.

Run:  python demos/10_distillation.py [OUT_DIR]
"""

from evsim.lessons import demo_main
from evsim.lessons.distill import distill_lesson

if __name__ == "__main__":
    demo_main(distill_lesson)
