"""Lesson on low-latency inference: IC-SNN calibration and compensation, early exit, energy."""

from __future__ import annotations

from pathlib import Path

from evsim import plot
from evsim.deep.experiment import compare_rows
from evsim.lessons import fast
from evsim.lessons.core import save_figure

__all__ = ["low_latency_lesson"]


def low_latency_lesson(out_dir: Path) -> str:
    """Every low-latency method on one converted digits network: accuracy, steps and energy.

    Look for: coding compensation rescues Bernoulli input at few steps; early
    exit answers in about two steps on average; every method's energy is a
    fraction of the ANN's, counted from the operations it really performed.
    """
    rows, ann_accuracy = compare_rows(steps=(4,) if fast() else (2, 4, 8))
    figure = save_figure(plot.low_latency(rows, ann_accuracy), out_dir / "09_low_latency.png")
    lines = [f"8. Low latency on digits (ANN {100 * ann_accuracy:.2f} %): method, T, avg steps, accuracy, "
             f"spikes per image, energy / ANN"]
    for r in rows:
        lines.append(f"   {r['method']:<20} T={r['steps']:<2} {r['avg_steps']:5.2f} {100 * r['accuracy']:6.2f} % "
                     f"{r['spikes_per_image']:7.1f} {r['energy_ratio']:6.3f}")
    lines.append(f"   figure: {figure}")
    return "\n".join(lines)
