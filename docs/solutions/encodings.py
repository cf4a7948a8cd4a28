"""Solutions to the exercises of the tutorial "Encoding values as spikes"."""

from __future__ import annotations

import numpy as np

from evsim import encoding


def exercise_1() -> tuple[float, float, float, float]:
    """``(1 − 0.6)·4 = 1.6`` rounds to step 2; step 2 decodes to ``1 − 2/4 = 0.5``; the error 0.1 is within
    half a step, ``1/(2·4) = 0.125``.

    Returns the spike step, the decoded value, the error and the bound.
    """
    code = encoding.ttfs(np.array([0.6]), 5)
    decoded = float(encoding.decode_ttfs(code)[0])
    return float(encoding.first_spike_times(code)[0]), decoded, abs(decoded - 0.6), 1 / (2 * 4)


def exercise_2() -> tuple[float, float]:
    """The regular code sends ``round(x·T)`` spikes, so the error is at most ``1/(2T) = 1/16``, reached
    where ``x·T`` is halfway between two counts.

    Returns the largest error over 1001 values and the bound.
    """
    x = np.linspace(0.0, 1.0, 1001)
    decoded = encoding.decode_rate(encoding.rate(x, 8, method="regular"))
    return float(np.abs(decoded - x).max()), 1 / 16


def exercise_3() -> tuple[float, float]:
    """Spike counts are Binomial(T, x): the estimate count/T has standard deviation ``sqrt(x(1 − x)/T)``
    = ``sqrt(0.21/50)`` ≈ 0.0648.

    Returns the measured standard deviation (4000 copies, seed 0) and the formula.
    """
    estimates = encoding.decode_rate(encoding.rate(np.full(4000, 0.3), 50, rng=0))
    return float(estimates.std()), float(np.sqrt(0.3 * 0.7 / 50))
