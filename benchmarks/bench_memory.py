"""Peak memory of the deep path on a CIFAR-shaped conv net (the budget: under 2 GiB).

The net: 3×32×32 input, ``Conv2d(3→16, 3×3, padding 1)``, ReLU, 2×2 average
pooling, ``Conv2d(16→16, 3×3, padding 1)``, ReLU, 2×2 pooling, a dense head
(1024→64→10); random weights, thresholds from 100 random calibration images.
Each stage is measured alone with ``tracemalloc`` (the peak of Python and
NumPy allocations above what was live when it started): ``convert``,
``deep.run`` with analog input over the default chunk of 1000 images,
``deep.run`` with rate input, and ``to_network`` (about 2.9 million synapses).
The process's peak resident size is printed at the end.

The same workload before blocked im2col and block-wise matrices asked for
about 18 GiB (the fan-out counts built the group's matrix from an ``n × n``
identity, and Conv2d's patches for the whole batch at once).

Usage: ``python benchmarks/bench_memory.py [--images N] [--steps T]``
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np

from evsim.deep import AvgPool2d, Conv2d, Dense, Flatten, ReLU, Sequential, convert, run, to_network

BUDGET_MIB = 2048


def cifar_net() -> Sequential:
    """The CIFAR-shaped conv net of the module docstring (seeded He weights)."""
    return Sequential([Conv2d(3, 16, 3, padding=1, rng=1), ReLU(), AvgPool2d(2),
                       Conv2d(16, 16, 3, padding=1, rng=2), ReLU(), AvgPool2d(2), Flatten(),
                       Dense(1024, 64, rng=3), ReLU(), Dense(64, 10, rng=4)])


def measured(label: str, call):
    """Run ``call()``, print its tracemalloc peak (MiB) and time; return its result and the peak."""
    tracemalloc.start()
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"  {label:<34} peak {peak:8.1f} MiB   {seconds:7.2f} s")
    return result, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=8)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    images = rng.random((args.images, 3, 32, 32))
    print(f"CIFAR-shaped conv net, {args.images} images, T={args.steps}; budget {BUDGET_MIB} MiB per stage")
    snn, peaks = None, []
    snn, peak = measured("convert (100 calibration images)", lambda: convert(cifar_net(), calibration=images[:100]))
    peaks.append(peak)
    peaks.append(measured("run, analog input", lambda: run(snn, images, args.steps))[1])
    peaks.append(measured("run, rate input", lambda: run(snn, images, args.steps, encoding="rate", rng=0))[1])
    net, peak = measured("to_network", lambda: to_network(snn))
    peaks.append(peak)
    print(f"  to_network: {len(net.names):,} neurons, {len(net.table.source):,} synapses")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"largest stage peak {max(peaks):.1f} MiB (tracemalloc); process peak RSS {rss:.0f} MiB; "
          f"{'within' if max(peaks) < BUDGET_MIB else 'ABOVE'} the {BUDGET_MIB} MiB budget")


if __name__ == "__main__":
    main()
