"""Record the golden spike trains of :mod:`tests.golden.workloads` into ``engine.npz``."""

from pathlib import Path

import numpy as np

from tests.golden.workloads import WORKLOADS, spikes_of


def main() -> None:
    arrays = {}
    for name in WORKLOADS:
        fingerprint, neuron, time, value = spikes_of(name)
        arrays.update({f"{name}/fingerprint": fingerprint, f"{name}/neuron": neuron.astype(np.int32),
                       f"{name}/time": time, f"{name}/value": value})
        print(f"{name}: {neuron.size} spikes")
    np.savez_compressed(Path(__file__).with_name("engine.npz"), **arrays)


if __name__ == "__main__":
    main()
