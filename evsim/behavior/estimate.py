"""Monte-Carlo external behaviour from runs of the event engine."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from evsim import validation as check
from evsim.behavior import arguments
from evsim.behavior.model import RoundModel, bits_code
from evsim.behavior.table import Behavior
from evsim.network import Network
from evsim.simulator import simulate

__all__ = ["estimate"]


def estimate(net: Network, inputs: Mapping[str, Sequence[int]] | None = None, horizon: int = 1,
             samples: int = 1000, *, rng=None, progress: bool = False) -> Behavior:
    """The empirical behaviour of ``samples`` independent runs of the event engine.

    Same object as :func:`~evsim.behavior.exact` (one input execution); each
    table entry is a relative frequency, so its standard error is at most
    ``0.5 / sqrt(samples)``.

    Parameters
    ----------
    net : Network
        Input, Stochastic and Threshold neurons only.
    inputs : mapping of str to spike rounds, optional
        The execution of input neurons (whole rounds ``>= 0``); inputs not named, and all for ``None``, are silent.
    horizon : int, optional
        Number of rounds (``>= 1``, default 1); round 0 is the initial pattern.
    samples : int, optional
        Independent runs (``>= 1``, default 1000).
    rng : None, int, or numpy.random.Generator, optional
        Seed or generator shared by the runs; ``None`` draws fresh entropy.
    progress : bool, optional
        ``True`` shows a tqdm bar on stderr (default ``False``).

    Returns
    -------
    Behavior
        One execution (no free inputs), its single table row the frequencies of the output sequences.

    Raises
    ------
    ValidationError
        If an argument is of the wrong type or out of range, ``net`` holds a neuron other than Input,
        Stochastic or Threshold, or ``inputs`` names a neuron that is not an input.
    LimitError
        Before sampling, if the table of ``2^(outputs·(horizon−1))``
        frequencies exceeds the memory limit, or ``samples × horizon ×
        neurons`` the work limit.

    Examples
    --------
    >>> from evsim import behavior
    >>> from evsim.library import copy_gate
    >>> b = behavior.estimate(copy_gate(w=6.0), {"x": [0]}, horizon=3, samples=200, rng=0)
    >>> round(b.probability({"y": [0, 1, 0]}), 4)  # exact: 0.9074
    0.85
    """
    owner = "estimate"
    net, horizon = arguments.network(owner, net), arguments.horizon(owner, horizon)
    samples = check.integer("samples", samples, owner=owner, minimum=1)
    progress = check.flag("progress", progress, owner=owner)
    generator = check.generator(rng, owner=owner)
    model = RoundModel(net)
    inputs = arguments.execution(owner, inputs, model.inputs)
    n_out = len(model.outputs)
    check.require_budget(owner, f"the frequency table of {n_out} outputs over horizon {horizon}",
                         arguments.table_bytes((2, n_out * (horizon - 1)), (horizon * max(n_out, 1), 0)))
    check.require_budget(owner, f"samples={samples} runs of {len(net.names)} neurons over {horizon} rounds",
                         float(samples) * horizon * len(net.names), limit="work")
    column = {name: j for j, name in enumerate(model.outputs)}
    counts = np.zeros(2 ** (n_out * (horizon - 1)))
    runs = range(samples)
    if progress:
        from tqdm import tqdm

        runs = tqdm(runs, desc="sampling", unit="run", leave=False)
    spikes = {k: list(v) for k, v in inputs.items()}
    for _ in runs:
        record = simulate(net, spikes, until=horizon, rng=generator)
        bits = np.zeros((horizon, n_out), np.int64)
        for name, times in record.trains().items():
            if name in column:
                bits[times.astype(int), column[name]] = 1
        counts[int(bits_code(bits[1:].reshape(-1))) if horizon > 1 else 0] += 1
    initial = {name: int(model.initial[j]) for j, name in enumerate(model.outputs)}
    return Behavior(model.outputs, (), inputs, horizon, initial, (counts / samples)[None, :], inputs=model.inputs)
