"""Lesson on process variation: dies of a trained net, tested by their signature, recovered by tuning thresholds."""

from __future__ import annotations

from pathlib import Path

from evsim import plot
from evsim.deep.yield_study import DIGITS_DEVICE, yield_study
from evsim.lessons import fast
from evsim.lessons.core import save_figure

__all__ = ["variation_lesson"]


def variation_lesson(out_dir: Path) -> str:
    """Fabricate dies of a trained digits net with varied RRAM weights, then recover the failing ones.

    Look for: a die-to-die gain on each crossbar and device noise push a
    third of the dies below the spec (1 point under the design); a regressor
    reads each held-out die's signature (its answers and firing rates on 20
    test images) and writes new thresholds, layer by layer, and fewer dies
    stay out of spec. The figure shows every held-out die before and after.
    """
    dies, train_dies = (14, 8) if fast() else (50, 30)
    study = yield_study(DIGITS_DEVICE, dies=dies, train_dies=train_dies)
    figure = save_figure(plot.die_accuracies(study), out_dir / "12_die_accuracies.png")
    return "\n".join(["10. Process variation and threshold tuning (digits, the continuous net, T = 8)",
                      *("   " + line for line in study.format().splitlines()), f"   figure: {figure}"])
