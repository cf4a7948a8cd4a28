"""Lesson on training a spiking net directly: the curve, then the trained net's spikes in the event engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evsim import plot
from evsim.datasets import load_digits
from evsim.deep import layer_spikes, network_inputs, run, to_network
from evsim.deep.methods import METHODS, train_digits
from evsim.deep.runner import encode_batch
from evsim.lessons import fast
from evsim.lessons.core import save_figure
from evsim.simulator import simulate

__all__ = ["training_lesson"]

STEPS = 8


def training_lesson(out_dir: Path) -> str:
    """Train a 64-512-512-10 LIF net on the digits through time, then run one test digit event by event.

    Look for: the test accuracy climbs past 95 % within a few epochs although
    the spike has no derivative (a clipped straight-through pseudo-derivative
    stands in for it); and the trained net is an ordinary ``SpikingNet``:
    expanded to a network of LIF neurons, the event engine fires exactly the
    spikes the vectorised runner fired, neuron for neuron and step for step.
    """
    epochs = 2 if fast() else 8
    result = train_digits("continuous", STEPS, epochs=epochs, seed=0)
    curve = save_figure(plot.training_curve(result.curve), out_dir / "10_training.png")
    digit, events, equal = _one_digit_in_the_engine(result.net)
    raster = save_figure(_raster(events), out_dir / "11_trained_spikes.png")
    test = result.curve.validation
    return "\n".join([
        f"9. Training through time (digits, {METHODS['continuous'].summary}, T = {STEPS})",
        f"   test accuracy after each epoch (%): {' '.join(f'{100 * a:.1f}' for a in test)}",
        f"   trained: {100 * result.accuracy:.2f} %, {result.spikes_per_image:.0f} spikes per image, "
        f"energy/ANN {result.energy_ratio:.3f}",
        f"   test digit 0 (a {digit}) in the event engine: {sum(len(e) for e in events)} hidden spikes; "
        f"identical to the runner's at every neuron and step: {equal}",
        f"   figures: {curve}, {raster}"])


def _one_digit_in_the_engine(net):
    """The first test digit through ``to_network`` and the engine; (label, per-layer spikes, equal to run?)."""
    data = load_digits()
    x = data.x_test[:1].reshape(1, -1)
    runner = run(net, x, STEPS, record_spikes=True)
    record = simulate(to_network(net), network_inputs(encode_batch(x, STEPS, "analog", None)[:, 0]), until=STEPS)
    engine = layer_spikes(record, net, STEPS)
    equal = all(np.array_equal(mine, theirs[:, 0]) for mine, theirs in zip(engine, runner.spikes, strict=True))
    return int(data.y_test[0]), [np.argwhere(spikes) for spikes in engine], equal


def _raster(events):
    """Hidden spikes by step and neuron, one panel per layer."""
    import matplotlib.pyplot as plt

    _, axes = plt.subplots(1, len(events), figsize=(9, 3.4), sharey=True, layout="constrained")
    for k, (ax, spikes) in enumerate(zip(axes, events)):
        ax.scatter(spikes[:, 0], spikes[:, 1], marker="|", s=30, color="k")
        ax.set(xlabel="step", title=f"hidden layer {k + 1}: {len(spikes)} spikes", xticks=range(STEPS))
    axes[0].set_ylabel("neuron")
    axes[0].figure.suptitle("one test digit in the event engine (the runner's spikes, exactly)")
    return axes[0]
