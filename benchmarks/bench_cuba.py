"""CubaLIF in the event engine against LIF on the same network and input, in the same run.

Two discrete workloads (dt = 1 ms), each run once with LIF.from_beta(0.9) neurons and once with
CubaLIF.from_betas(0.8, 0.9) neurons (Norse's LIFCell decays), best of ``--repeats`` runs each:

* ``sparse``: 100 neurons with 500 random recurrent synapses (delay 1 ms, too weak to fire them) and
  one input neuron fanning out to all, firing every 2000 steps, for 50,000 steps. A CubaLIF's current
  keeps its state changing for some 10^3 steps after each input; a quiet neuron (one that cannot fire)
  costs no wake-up of its own, so this measures what remains.
* ``dense``: 1000 neurons, each driven by its own input neuron at 40 random steps of 2000, no
  synapses between them (one window holds the whole run).

Prints seconds and the ratio CubaLIF / LIF per workload. The CubaLIF also integrates more (its current
sums several inputs), so the two do not fire alike; the ratio is the cost of the model, not of spikes.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import evsim
from evsim import CubaLIF, LIF, Input, Network

MODELS = {"LIF": LIF.from_beta(0.9), "CubaLIF": CubaLIF.from_betas(0.8, 0.9)}


def sparse(model, rng):
    n, steps = 100, 50_000
    source = np.concatenate([np.zeros(n, int), rng.integers(1, n + 1, 5 * n)])
    target = np.concatenate([np.arange(1, n + 1), rng.integers(1, n + 1, 5 * n)])
    weight = np.concatenate([np.full(n, 0.3), np.full(5 * n, 0.01)])
    neurons = {"x": Input(), **{f"y{i}": model for i in range(n)}}
    net = Network(neurons, {"source": source, "target": target, "weight": weight, "delay": np.ones(source.size)})
    return net, {"x": [float(t) for t in range(0, steps, 2000)]}, steps


def dense(model, rng):
    n, steps = 1000, 2000
    neurons = {**{f"x{i}": Input() for i in range(n)}, **{f"y{i}": model for i in range(n)}}
    table = {"source": np.arange(n), "target": np.arange(n, 2 * n), "weight": np.full(n, 0.3), "delay": np.ones(n)}
    inputs = {f"x{i}": sorted({float(t) for t in rng.integers(0, steps, 40)}) for i in range(n)}
    return Network(neurons, table), inputs, steps


def seconds(workload, model, repeats: int) -> float:
    best = np.inf
    for _ in range(repeats):
        net, inputs, steps = workload(model, np.random.default_rng(0))
        start = time.perf_counter()
        evsim.simulate(net, inputs, until=steps)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    print(f"{'workload':10} {'LIF s':>8} {'CubaLIF s':>10} {'CubaLIF / LIF':>14}")
    for name, workload in (("sparse", sparse), ("dense", dense)):
        lif, cuba = (seconds(workload, MODELS[label], repeats) for label in ("LIF", "CubaLIF"))
        print(f"{name:10} {lif:8.3f} {cuba:10.3f} {cuba / lif:14.2f}")


if __name__ == "__main__":
    main()
