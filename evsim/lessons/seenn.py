"""Lesson on SEENN-II: a policy network chooses each image's number of steps; against SEENN-I's confidence exit."""

from __future__ import annotations

from pathlib import Path

from evsim import plot
from evsim.deep.seenn_study import compare, format_points, rows_for_plot
from evsim.lessons import fast
from evsim.lessons.core import save_figure

__all__ = ["seenn_lesson"]


def seenn_lesson(out_dir: Path) -> str:
    """Train SEENN-II policies for several penalties and draw them beside SEENN-I's thresholds.

    Look for: both trade accuracy for steps, and at each accuracy SEENN-I
    needs fewer steps here. Its exit reads the SNN's own confidence after
    each step; the policy must guess from the pixels, before any step, which
    digits the SNN will find hard.
    """
    points, ann_accuracy = compare([0] if fast() else [0, 1, 2])
    figure = save_figure(plot.accuracy_vs_latency(rows_for_plot(points), ann_accuracy), out_dir / "14_seenn.png")
    return "\n".join(["12. SEENN-I against SEENN-II (digits, converted QCFS net, T = 8)",
                      *("   " + line for line in format_points(points, ann_accuracy).splitlines()),
                      f"   figure: {figure}"])
