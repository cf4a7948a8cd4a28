"""Throughput of the vectorised spiking runner against the ANN it came from.

Two workloads, analog input, T = 32 steps. The dense bound is T ANN passes,
so the runner must reach at least ANN throughput / T (ratio >= 1):

* ``mlp``: a 784-512-512-10 MLP with random weights (ReLU), converted with
  thresholds from a calibration batch, batch of 1000 images, float32 (the ANN
  computes in float32 too);
* ``digits``: the QCFS MLP of ``evsim convert`` (64-256-256-10, trained on the
  bundled digits, ``norm="qcfs"``, ``v_init="half"``), the 450 test images,
  float64 as in the experiment.

The ANN and the runner run in the same process, alternating, and each one's
fastest run counts (an ANN pass takes milliseconds, so noise matters). glibc
is asked to reuse freed memory instead of mapping every large array afresh:
otherwise whether an ANN pass page-faults on its 2 MB arrays depends on what
the runner allocated and freed before (measured: 30 against ~1,500 faults per
pass, ~20 % of its time), which would make the bound itself move. Each
workload's logits are also checked bit for bit against a straightforward loop
that allocates every step's arrays (the runner before it was fused).

Usage: ``python benchmarks/bench_deep.py`` (``OPENBLAS_NUM_THREADS`` sets the BLAS threads)
"""

from __future__ import annotations

import ctypes
import os
import time
import tracemalloc

import numpy as np

from evsim.datasets import load_digits
from evsim.deep import Dense, ReLU, Sequential, convert, run
from evsim.deep.convert import linear_part
from evsim.deep.experiment import digits_qcfs_mlp
from evsim.neurons import apply_reset, drift, fires

STEPS = 32


def reuse_freed_memory() -> bool:
    """glibc only: serve arrays up to 32 MiB from the heap and keep freed memory (False elsewhere)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(libc.mallopt(m_mmap_threshold, 32 << 20)) and bool(libc.mallopt(m_trim_threshold, 1 << 30))


def best_of_alternating(repeats, *calls):
    """Each call's fastest time of ``repeats`` runs, the calls taking turns."""
    best = [float("inf")] * len(calls)
    for _ in range(repeats):
        for i, call in enumerate(calls):
            start = time.perf_counter()
            call()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def straightforward_logits(snn, x: np.ndarray, steps: int) -> np.ndarray:
    """Cumulative logits with analog input from the plain loop: new arrays every step, no buffers."""
    v = [np.broadcast_to(layer.v_init, (len(x), *layer.output_shape)).copy() for layer in snn.layers]
    first, total, logits = linear_part(snn.layers[0].ops, x), 0.0, []
    for _ in range(steps):
        previous = None
        for k, layer in enumerate(snn.layers):
            current = first if k == 0 else linear_part(layer.ops, previous)
            if not layer.spiking:
                total = total + (current + layer.bias)
                logits.append(total)
                break
            m = drift(v[k], 1.0, 0.0, layer.bias) + current
            fired = fires(m, layer.theta)
            v[k] = apply_reset(m, fired, layer.theta, np.nan)
            previous = fired * snn.dtype(layer.theta)
    return np.stack(logits)


def mlp_workload():
    """The random 784-512-512-10 MLP in float32 and a batch of 1000 random images."""
    rng = np.random.default_rng(0)
    ann = Sequential([Dense(784, 512, rng=1), ReLU(), Dense(512, 512, rng=2), ReLU(), Dense(512, 10, rng=3)])
    x = rng.random((1000, 784)).astype(np.float32)
    snn = convert(ann, calibration=x[:200], v_init="half", dtype=np.float32)
    for layer in ann.layers:  # the baseline computes in float32 too
        layer.params = {name: value.astype(np.float32) for name, value in layer.params.items()}
    return ann, snn, x


def digits_workload():
    """The trained digits QCFS MLP, converted as ``evsim convert`` does, and the test images."""
    data = load_digits()
    ann = digits_qcfs_mlp(data)
    return ann, convert(ann, norm="qcfs", v_init="half", input_shape=(64,)), data.x_test.reshape(len(data.x_test), -1)


def measure(name: str, ann, snn, x: np.ndarray, repeats: int) -> None:
    """Print the workload's throughputs, ratio, memory and whether its logits are identical."""
    ann_s, snn_s = best_of_alternating(repeats, lambda: ann.forward(x), lambda: run(snn, x, STEPS))
    tracemalloc.start()
    result = run(snn, x, STEPS)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    reference = straightforward_logits(snn, x, STEPS)
    identical = reference.dtype == result.logits.dtype and np.array_equal(reference.view(np.uint8),
                                                                          result.logits.view(np.uint8))
    batch, ann_rate, snn_rate = len(x), len(x) / ann_s, len(x) / snn_s
    print(f"{name}: batch {batch}, {np.dtype(snn.dtype).name}, T={STEPS}")
    print(f"  ANN forward     {ann_s:8.4f} s  {ann_rate:12,.0f} images/s")
    print(f"  SNN T={STEPS:<3}      {snn_s:8.4f} s  {snn_rate:12,.0f} images/s   "
          f"peak memory {peak:.0f} MiB (tracemalloc)")
    print(f"  ratio SNN / (ANN / T) = {snn_rate / (ann_rate / STEPS):.2f}  (target >= 1);  "
          f"spikes per image {result.spike_counts.sum() / batch:.0f}")
    print(f"  {'identical logits' if identical else 'LOGITS DIFFER'} (bit for bit, against the straightforward loop)")
    assert identical, f"{name}: the runner's logits differ from the straightforward loop's"


def main() -> None:
    reused = reuse_freed_memory()
    print(f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset (all cores)')}, "
          f"{os.cpu_count()} cores; freed memory reused: {'yes' if reused else 'no (not glibc)'}")
    measure("mlp 784-512-512-10", *mlp_workload(), repeats=15)
    measure("digits 64-256-256-10 (QCFS)", *digits_workload(), repeats=31)


if __name__ == "__main__":
    main()
