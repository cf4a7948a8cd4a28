"""Cost of exact external behaviour as networks grow.

1. One output sequence's probability (a forward pass, one 2^I x 2^I transition
   per round) for 1 output, I internal neurons, horizon 10. Target: I = 12 in < 2 s.
2. The full table (every output sequence, shared prefixes once) for 3 outputs,
   I internal neurons, horizon 6 (2^15 sequences). Target: I = 6 in < 5 s.

Baseline, measured in the same run where it is feasible: naive enumeration of
whole executions (every internal trajectory, 2^(I·(H−1)) of them, each a product
of per-neuron probabilities), vectorised with NumPy.

Usage: ``python benchmarks/bench_behavior.py``
"""

from __future__ import annotations

import time

import numpy as np

from evsim import Network, Stochastic, Synapse
from evsim.behavior import exact
from evsim.behavior.model import RoundModel, pattern_bits
from evsim.neurons import firing_probability


def random_network(n_out: int, n_int: int, seed: int = 0) -> Network:
    rng = np.random.default_rng(seed)
    names = [f"o{k}" for k in range(n_out)] + [f"h{k}" for k in range(n_int)]
    neurons = {n: Stochastic(bias=float(rng.normal()), temperature=1.0, initial=bool(rng.integers(2))) for n in names}
    synapses = [Synapse(s, t, float(rng.normal(0, 1.5))) for s in names for t in names if rng.random() < 0.5]
    return Network(neurons, synapses, outputs=set(names[:n_out]))


def timed(call):
    start = time.perf_counter()
    value = call()
    return value, time.perf_counter() - start


def naive_sequence_probability(net: Network, sequence: np.ndarray) -> float:
    """Sum over every internal trajectory of the product of all per-round probabilities."""
    m = RoundModel(net)
    n_int, horizon = len(m.internals), sequence.shape[0]
    trajectories = pattern_bits(np.arange(2 ** (n_int * (horizon - 1))), n_int * (horizon - 1))
    trajectories = trajectories.reshape(-1, horizon - 1, n_int)
    start = np.broadcast_to(m.initial[len(m.outputs):].astype(float), (trajectories.shape[0], 1, n_int))
    internal = np.concatenate((start, trajectories), axis=1)
    total = np.ones(trajectories.shape[0])
    for t in range(1, horizon):
        pot = sequence[t - 1] @ m.w_out + internal[:, t - 1] @ m.w_int - m.bias
        p = firing_probability(pot, m.temperature)
        fired = np.concatenate((np.broadcast_to(sequence[t], (total.size, len(m.outputs))), internal[:, t]), axis=1)
        total *= np.prod(np.where(fired > 0, p, 1 - p), axis=1)
    return float(total.sum())


def one_sequence_rows(horizon: int = 10):
    print(f"one sequence, 1 output, horizon {horizon}")
    print(f"{'internal':>8} {'forward s':>10} {'naive s':>9} {'ratio':>7}")
    for n_int in (2, 4, 6, 8, 10, 12):
        net = random_network(1, n_int)
        b = exact(net, {}, horizon)
        seq = np.array([[int(b.initial["o0"])]] + [[t % 2] for t in range(1, horizon)])
        p, fast = timed(lambda: b.probability({"o0": seq[:, 0].tolist()}))
        naive = "-"
        if n_int * (horizon - 1) <= 18:
            q, slow = timed(lambda: naive_sequence_probability(net, seq))
            assert abs(p - q) <= 1e-12 * max(1.0, abs(q)), (p, q)
            naive = f"{slow:9.3f} {slow / fast:7.1f}"
        print(f"{n_int:>8} {fast:>10.3f} {naive:>17}")


def full_table_rows(horizon: int = 6):
    print(f"\nfull table, 3 outputs ({2 ** (3 * (horizon - 1)):,} sequences), horizon {horizon}")
    print(f"{'internal':>8} {'table s':>9} {'sum - 1':>9}")
    for n_int in (0, 2, 4, 6):
        net = random_network(3, n_int, seed=1)
        table, seconds = timed(lambda: exact(net, {}, horizon).table)
        print(f"{n_int:>8} {seconds:>9.3f} {table.sum() - 1:>9.1e}")


if __name__ == "__main__":
    one_sequence_rows()
    full_table_rows()
