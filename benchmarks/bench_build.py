"""Start-up costs: ``import evsim`` and building a network from 10^6 synapse arrays.

Prints wall times next to a baseline measured in the same run: ``import numpy``
(a fresh interpreter each) and ``np.unique`` over the same 10^6 endpoints.
Targets: import < 0.5 s, build < 2 s.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np

import evsim


def fresh_import_seconds(module: str, repeats: int = 3) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(repeats)]
    return min(runs)


def build_seconds(n_neurons: int = 1000, n_synapses: int = 1_000_000) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    neurons = {f"n{i}": evsim.LIF() for i in range(n_neurons)}
    table = {"source": rng.integers(0, n_neurons, n_synapses), "target": rng.integers(0, n_neurons, n_synapses),
             "weight": rng.normal(size=n_synapses), "delay": rng.integers(1, 5, n_synapses).astype(float)}
    start = time.perf_counter()
    evsim.Network(neurons, table, dt=1.0)
    built = time.perf_counter() - start
    start = time.perf_counter()
    np.unique(table["source"]), np.unique(table["target"])
    return built, time.perf_counter() - start


def main() -> None:
    evsim_import, numpy_import = fresh_import_seconds("evsim"), fresh_import_seconds("numpy")
    built, baseline = build_seconds()
    print(f"import evsim   {evsim_import:6.3f} s   (import numpy {numpy_import:.3f} s, ratio {evsim_import / numpy_import:.1f})")
    print(f"build 10^6 syn {built:6.3f} s   (np.unique of the endpoints {baseline:.3f} s, ratio {built / baseline:.1f})")


if __name__ == "__main__":
    main()
