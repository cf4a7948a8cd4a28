"""Lesson on DNN→SNN distillation: the same spiking student with and without each path from an ANN teacher."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evsim.deep.distill_study import compare, format_rows
from evsim.lessons import fast
from evsim.lessons.core import save_figure

__all__ = ["distill_lesson"]


def distill_lesson(out_dir: Path) -> str:
    """Train one spiking student four ways — alone, and guided by an ANN teacher along one, two or three paths.

    Look for: the teacher is about a point more accurate than the student
    alone; the paths move the student by a few tenths of a point either way,
    less than the spread between seeds. On these small, clean images the
    teacher's soft outputs on its own training images carry little that the
    labels do not.
    """
    rows = compare([0] if fast() else [0, 1, 2])
    figure = save_figure(_figure(rows), out_dir / "15_distillation.png")
    return "\n".join(["13. DNN→SNN distillation (digits, LIF student at T = 4; mean ± sd over the seeds)",
                      *("   " + line for line in format_rows(rows).splitlines()), f"   figure: {figure}"])


def _figure(rows):
    """Each row's accuracy per seed, as dots, with its mean."""
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    for position, row in enumerate(rows):
        values = 100 * np.asarray(row.accuracy)
        ax.plot(np.full(len(values), position), values, "o", color="0.5", ms=4)
        ax.plot([position - 0.25, position + 0.25], [values.mean()] * 2, color="tab:blue", lw=2)
    ax.set_xticks(range(len(rows)), [row.paths for row in rows], rotation=15)
    ax.set(ylabel="test accuracy (%)", title="the student alone, with each guide, and the teacher: "
                                              "seeds (dots), mean (bar)")
    return ax
