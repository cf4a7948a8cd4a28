"""Lesson on hybrid SNN–ANN models: spiking features, an accumulator, an ANN head; one table of the three."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evsim.datasets import load_digits
from evsim.deep import Dense, Sequential
from evsim.deep.hybrid import HybridNet, engine_features, features, spiking_part
from evsim.deep.hybrid_study import compare, format_rows
from evsim.lessons import fast
from evsim.lessons.core import save_figure

__all__ = ["hybrid_lesson"]


def hybrid_lesson(out_dir: Path) -> str:
    """Compare an SNN, an ANN and hybrids of the two on the digits, then read a hybrid's accumulator in the engine.

    Look for: at each T the hybrids (the SNN's own spiking layers, an ANN
    head on their accumulated spikes) are a few tenths of a point more
    accurate than the SNN, within the spread between seeds, and cost more
    energy: the head's multiply-accumulates outweigh the spikes it replaces.
    The ANN stays the most accurate. The accumulator between the two parts is
    an output layer of the event engine too: one test digit's features read
    from it equal the runner's.
    """
    rows = compare([0] if fast() else [0, 1, 2])
    figure = save_figure(_figure(rows), out_dir / "13_hybrid.png")
    return "\n".join(["11. Hybrid SNN–ANN models (digits; mean ± sd over the seeds)",
                      *("   " + line for line in format_rows(rows).splitlines()),
                      f"   {_engine_check()}", f"   figure: {figure}"])


def _engine_check() -> str:
    """One digit through a small spiking part in the engine: its accumulated features against the runner's."""
    from evsim.deep import spiking_mlp

    data = load_digits()
    x = data.x_test[:1].reshape(1, -1)
    part = spiking_part(spiking_mlp([64, 32, 10], beta=0.75, seed=0))
    model = HybridNet(part, Sequential([Dense(32, 10, rng=0)]), 8)
    engine, runner = engine_features(model, x), features(part, x, 8)[0]
    return (f"a 64-32 spiking part, one test digit, T = 8, in the event engine: its 32 accumulators end within "
            f"{np.abs(engine - runner).max():.1e} of the runner's features")


def _figure(rows):
    """Accuracy against latency, and against energy, one line per model."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    for model in dict.fromkeys(row.model for row in rows):
        mine = [row for row in rows if row.model == model]
        accuracy = [100 * np.mean(row.accuracy) for row in mine]
        style = dict(marker="o", ls="-" if len(mine) > 1 else "none", label=model)
        left.plot([row.steps for row in mine], accuracy, **style)
        right.plot([np.mean(row.energy_ratio) for row in mine], accuracy, **style)
    left.set(xlabel="latency (time steps; the ANN: one pass)", ylabel="test accuracy (%)", xscale="log",
             xticks=[1, 2, 4, 8], xticklabels=["1", "2", "4", "8"], title="accuracy against latency")
    left.set_xticks([], minor=True)
    right.set(xlabel="energy per image / ANN's", title="accuracy against energy")
    left.legend(fontsize=8)
    return left
