"""The guided tour: short lessons that print what they show and save figures.

Each lesson is a function ``lesson(out_dir) -> str`` returning its text
summary (see :mod:`evsim.lessons`); ``run_tour`` runs them in order.
"""

from __future__ import annotations

from pathlib import Path

from evsim.lessons import run_lessons
from evsim.lessons.conversion import conversion_lesson
from evsim.lessons.core import circuit_lesson, continuous_lif_lesson, if_neuron_lesson
from evsim.lessons.encodings import encodings_lesson
from evsim.lessons.low_latency import low_latency_lesson
from evsim.lessons.lynch_musco import gates_lesson, wta_lesson

__all__ = ["LESSONS", "run_tour"]

LESSONS = (if_neuron_lesson, circuit_lesson, continuous_lif_lesson, gates_lesson, wta_lesson, encodings_lesson,
           conversion_lesson, low_latency_lesson)


def run_tour(out_dir: str | Path = "evsim-tour", quiet: bool = False) -> list[str]:
    """Run every lesson, writing figures into ``out_dir``; return the summaries."""
    summaries = run_lessons(LESSONS, out_dir, quiet)
    if not quiet:
        print(f"Tour finished: {len(LESSONS)} lessons, figures in {Path(out_dir).resolve()}")
    return summaries
