"""Monte-Carlo external behaviour from runs of the event engine."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from evsim.behavior.model import RoundModel, bits_code
from evsim.behavior.table import Behavior
from evsim.errors import ValidationError
from evsim.network import Network
from evsim.simulator import simulate

__all__ = ["estimate"]


def estimate(net: Network, inputs: Mapping[str, Sequence[int]] | None = None, horizon: int = 1,
             samples: int = 1000, *, rng=None, progress: bool = False) -> Behavior:
    """The empirical behaviour of ``samples`` independent runs of the event engine.

    Same object as :func:`~evsim.behavior.exact` (one input execution); each
    table entry is a relative frequency, so its standard error is at most
    ``0.5 / sqrt(samples)``. ``progress=True`` shows a tqdm bar on stderr.
    """
    model = RoundModel(net)
    if not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValidationError(f"samples must be a whole number >= 1, got {samples!r}")
    if not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ValidationError(f"horizon must be a whole number of rounds >= 1, got {horizon!r}")
    inputs = {k: list(v) for k, v in (inputs or {}).items()}
    generator = np.random.default_rng(rng)
    column = {name: j for j, name in enumerate(model.outputs)}
    counts = np.zeros(2 ** (len(model.outputs) * (horizon - 1)))
    runs = range(samples)
    if progress:
        from tqdm import tqdm

        runs = tqdm(runs, desc="sampling", unit="run", leave=False)
    for _ in runs:
        record = simulate(net, inputs, until=horizon, rng=generator)
        bits = np.zeros((horizon, len(model.outputs)), np.int64)
        for name, times in record.trains().items():
            if name in column:
                bits[times.astype(int), column[name]] = 1
        counts[int(bits_code(bits[1:].reshape(-1))) if horizon > 1 else 0] += 1
    initial = {name: int(model.initial[j]) for j, name in enumerate(model.outputs)}
    given = {k: tuple(v) for k, v in inputs.items()}
    return Behavior(model.outputs, (), given, horizon, initial, (counts / samples)[None, :], inputs=model.inputs)
