"""Lesson on ANN→SNN conversion: a QCFS network on digits, accuracy against time steps."""

from __future__ import annotations

from pathlib import Path

from evsim import plot
from evsim.deep.experiment import conversion_table
from evsim.lessons.core import save_figure

__all__ = ["conversion_lesson"]


def conversion_lesson(out_dir: Path) -> str:
    """Train a QCFS MLP on the bundled digits, convert it, and run it for T = 1 … 32 steps.

    Look for: with zero initial potential the SNN needs about 4 steps before
    neurons fire at all; starting at θ/2 (IC-SNN's first algorithm, the
    expected-error optimum) it is already useful at T = 1 and matches the ANN
    from T = 4 on.
    """
    table, _ = conversion_table()
    figure = save_figure(plot.accuracy_vs_steps(table.rows, table.ann_accuracy), out_dir / "08_conversion.png")
    return "\n".join(["7. ANN→SNN conversion on the digits data (QCFS MLP 64-256-256-10, L = 4)",
                      *("   " + line for line in table.format().splitlines()), f"   figure: {figure}"])
