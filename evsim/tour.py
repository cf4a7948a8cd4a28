"""The guided tour: short lessons that print what they show and save figures.

Each lesson is a function ``lesson(out_dir) -> str`` returning its text
summary (see :mod:`evsim.lessons`); ``run_tour`` runs them in order.
"""

from __future__ import annotations

import time
from pathlib import Path

from evsim.lessons import demos, run_lessons

__all__ = ["LESSONS", "STUDIES", "run_tour"]

STUDIES = ("variation", "hybrid", "seenn", "distillation")  # demos that run a study of a minute or more: ``evsim demo NAME``, not the tour
LESSONS = tuple(lesson for name, group in demos().items() if name not in STUDIES for lesson in group)


def run_tour(out_dir: str | Path = "evsim-tour", quiet: bool = False) -> list[str]:
    """Run every lesson, writing figures into ``out_dir``; return the summaries."""
    start = time.perf_counter()
    summaries = run_lessons(LESSONS, out_dir, quiet)
    if not quiet:
        print(f"Tour finished: {len(LESSONS)} lessons in {time.perf_counter() - start:.0f} s, figures in "
              f"{Path(out_dir).resolve()}")
    return summaries
