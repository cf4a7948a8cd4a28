"""Lesson on input encodings: one digits image as rate, TTFS and hybrid codes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evsim import encoding
from evsim.datasets import load_digits
from evsim.lessons.core import save_figure

__all__ = ["encodings_lesson"]


def encodings_lesson(out_dir: Path, steps: int = 16) -> str:
    """One 8×8 digit encoded three ways over 16 steps, side by side.

    Look for: the rate code spends many spikes (≈ x·T per pixel); TTFS sends
    at most one, brighter pixels first; the hybrid code sends the image itself
    at step 0 (analog values, counted apart from its spikes), then at most one
    spike per pixel. Each decodes back to the image — the hybrid code exactly,
    from its analog values; its spikes alone decode like a TTFS code.
    """
    import matplotlib.pyplot as plt

    data = load_digits()
    image, label = data.x_test[0], int(data.y_test[0])
    codes = {
        "rate (Bernoulli)": encoding.rate(image, steps, rng=0),
        "time to first spike": encoding.ttfs(image, steps),
        "hybrid (analog step 0 + TTFS)": encoding.hybrid(image, steps),
    }
    decoded = {
        "rate (Bernoulli)": encoding.decode_rate(codes["rate (Bernoulli)"]),
        "time to first spike": encoding.decode_ttfs(codes["time to first spike"]),
        "hybrid (analog step 0 + TTFS)": encoding.decode_hybrid(codes["hybrid (analog step 0 + TTFS)"]),
    }
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.6), gridspec_kw={"width_ratios": [0.7, 1, 1, 1]},
                             layout="constrained")
    axes[0].imshow(image, cmap="gray_r", vmin=0, vmax=1)
    axes[0].set(title=f"digit {label}, 8×8 in [0, 1]", xticks=[], yticks=[])
    for ax, (name, code) in zip(axes[1:], codes.items()):
        analog = encoding.analog_events(code)
        spikes = ~analog
        ax.scatter(code.time[spikes], code.index[spikes], marker="|", s=25, color="k", label="spike")
        if analog.any():
            ax.scatter(code.time[analog], code.index[analog], c=code.value[analog], cmap="Blues", marker="s", s=12,
                       vmin=0, vmax=1, label="analog value")
            ax.legend(loc="upper right", fontsize="x-small")
        ax.set(title=f"{name}\n{int(spikes.sum())} spikes", xlabel="time (ms, 1 step = 1 ms)",
               xlim=(-0.5, steps - 0.5), ylim=(-1, 64))
    axes[1].set_ylabel("pixel (row-major)")
    figure = save_figure(axes[0], out_dir / "07_encodings.png")
    lines = [f"6. One digit ({label}), {steps} steps, encoded three ways"]
    for name, code in codes.items():
        analog = encoding.analog_events(code)
        error = float(np.abs(decoded[name] - image).max())
        sent = f"{int((~analog).sum()):4d} spikes" + (f" + {int(analog.sum())} analog values" if analog.any() else "")
        lines.append(f"   {name:<30} {sent}, decoded max error {error:.3f}")
    hybrid = codes["hybrid (analog step 0 + TTFS)"]
    spikes_only = float(np.abs(encoding.decode_ttfs(hybrid) - image).max())
    lines.append(f"   (the hybrid code's error is 0 because step 0 sends the image itself; decoded from its spikes "
                 f"alone, by their times, the max error is {spikes_only:.3f})")
    lines.append(f"   figure: {figure}")
    return "\n".join(lines)
