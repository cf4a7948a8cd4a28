"""Throughput of the vectorised spiking runner against the ANN it came from.

A 784-512-512-10 MLP with random weights (ReLU), converted with thresholds from
a calibration batch, batch of 1000 images, analog input, T = 32 steps. The
dense bound is T ANN passes, so the runner must reach at least ANN throughput / T.
Both run in the same process with the same float32 weights, alternating, and
each one's fastest of 7 runs counts (the ANN pass takes ~10 ms, so noise matters).

Usage: ``python benchmarks/bench_deep.py``
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

from evsim.deep import Dense, ReLU, Sequential, convert, run

STEPS, BATCH = 32, 1000


def best_of_alternating(repeats, *calls):
    """Each call's fastest time of ``repeats`` runs, the calls taking turns."""
    best = [float("inf")] * len(calls)
    for _ in range(repeats):
        for i, call in enumerate(calls):
            start = time.perf_counter()
            call()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def main() -> None:
    rng = np.random.default_rng(0)
    ann = Sequential([Dense(784, 512, rng=1), ReLU(), Dense(512, 512, rng=2), ReLU(), Dense(512, 10, rng=3)])
    x = rng.random((BATCH, 784)).astype(np.float32)
    snn = convert(ann, calibration=x[:200], v_init="half", dtype=np.float32)
    for layer in ann.layers:  # the baseline computes in float32 too
        layer.params = {name: value.astype(np.float32) for name, value in layer.params.items()}
    ann_s, snn_s = best_of_alternating(7, lambda: ann.forward(x), lambda: run(snn, x, STEPS))
    tracemalloc.start()
    result = run(snn, x, STEPS)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    ann_rate, snn_rate = BATCH / ann_s, BATCH / snn_s
    print(f"ANN forward     {ann_s:8.4f} s  {ann_rate:12,.0f} images/s")
    print(f"SNN T={STEPS:<3}      {snn_s:8.4f} s  {snn_rate:12,.0f} images/s   peak memory {peak:.0f} MiB (tracemalloc)")
    print(f"ratio SNN / (ANN / T) = {snn_rate / (ann_rate / STEPS):.2f}  (target >= 1);  "
          f"spikes per image {result.spike_counts.sum() / BATCH:.0f}")


if __name__ == "__main__":
    main()
