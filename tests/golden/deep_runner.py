"""Golden outputs of ``evsim.deep.run``: the cases, and the script that records them.

``tests/test_deep_golden.py`` runs every case and requires the same bits as
``deep_runner.npz`` (logits, exit steps, spike and operation counts, recorded
spikes). The arrays were recorded from the runner as it was before the fused
in-place rewrite, so the test pins the rewrite to that runner bit for bit. The
rate runs were re-recorded once on purpose, when each sample got its own
random stream (rate draws no longer depend on the chunk); every other run kept
its recorded bits through that change.

Nets: a dense and a conv net with arbitrary (seeded normal) float weights and
thresholds from calibration, in float32 and float64 — their logits depend on
the order in which BLAS sums ``W·x``, so they are checked only where the
BLAS probe below still gives the recorded bits — and a dense net with dyadic
numbers whose every sum is exact (checked on any machine).

Regenerate only on purpose (it re-records whatever the current runner does)::

    PYTHONPATH=. OPENBLAS_NUM_THREADS=1 python tests/golden/deep_runner.py
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from evsim.deep import AvgPool2d, Conv2d, Dense, Flatten, ReLU, Sequential, convert, run
from evsim.deep.convert import linear_part

PATH = Path(__file__).with_name("deep_runner.npz")
STEPS = 8
FIELDS = ("logits", "exit_step", "spike_counts", "acs", "macs", "accuracy", "exit_accuracy")

RUNS = {  # name: run options (steps, labels, record_spikes=True and the exit temperature added by run_case)
    "analog": dict(encoding="analog"),
    "analog_chunks": dict(encoding="analog", chunk=5),
    "rate": dict(encoding="rate", rng=5),
    "rate_compensated": dict(encoding="rate", rng=5, compensation=True),
    "ttfs": dict(encoding="ttfs"),
    "hybrid": dict(encoding="hybrid"),
    "hybrid_single_spike": dict(encoding="hybrid", single_spike=True),
    "analog_exit": dict(encoding="analog", exit_threshold=0.6),
    "rate_exit_chunks": dict(encoding="rate", rng=9, exit_threshold=0.6, chunk=7),
}


class Case(NamedTuple):
    """A converted net, its inputs and labels; ``exact``: every sum is exact (dyadic numbers);
    ``temperature``: the early-exit runs' softmax temperature, chosen so that samples exit at
    different steps."""

    snn: object
    x: np.ndarray
    labels: np.ndarray
    exact: bool
    temperature: float


def _seeded(layers, seed: int) -> Sequential:
    rng = np.random.default_rng(seed)
    for layer in layers:
        for name, value in layer.params.items():
            layer.params[name] = rng.normal(0.0, 0.6, value.shape)
    return Sequential(layers)


def _dyadic(layers, seed: int) -> Sequential:
    rng = np.random.default_rng(seed)
    for layer in layers:
        for name, value in layer.params.items():
            layer.params[name] = rng.integers(-32, 33, value.shape) / 32
    return Sequential(layers)


def nets() -> dict[str, Case]:
    """Every net of the golden runs, by name."""
    rng = np.random.default_rng(1)
    x_dense, x_image = rng.random((12, 12)), rng.random((12, 1, 8, 8))
    labels = rng.integers(0, 4, 12)
    dense = _seeded([Dense(12, 16), ReLU(), Dense(16, 16), ReLU(), Dense(16, 4)], 2)
    conv = _seeded([Conv2d(1, 3, 3, padding=1), ReLU(), AvgPool2d(2), Flatten(), Dense(48, 10), ReLU(),
                    Dense(10, 4)], 3)
    dyadic = _dyadic([Dense(12, 16), ReLU(), Dense(16, 8), ReLU(), Dense(8, 4)], 4)
    x_dyadic = rng.integers(0, 17, (12, 12)) / 16
    out = {}
    for dtype in (np.float32, np.float64):
        tag = np.dtype(dtype).name
        out[f"dense_{tag}"] = Case(convert(dense, calibration=x_dense, v_init="half", dtype=dtype), x_dense,
                                   labels, False, 20.0)
        out[f"conv_{tag}"] = Case(convert(conv, calibration=x_image, v_init="zero", dtype=dtype), x_image,
                                  labels, False, 20.0)
        out[f"dyadic_{tag}"] = Case(convert(dyadic, thresholds=[1.5, 0.75], v_init="half", input_shape=(12,),
                                            dtype=dtype), x_dyadic, labels, True, 2.0)
    return out


def blas_probe(case: Case) -> np.ndarray:
    """``W·x`` of the net's first group: equal bits mean BLAS sums as it did when recorded."""
    return linear_part(case.snn.layers[0].ops, case.x.astype(case.snn.dtype))


def run_case(case: Case, options: dict) -> dict:
    """Every recorded output of one run, as arrays keyed by field (spikes packed to bits)."""
    if "exit_threshold" in options:
        options = {**options, "temperature": case.temperature}
    result = run(case.snn, case.x, STEPS, labels=case.labels, record_spikes=True, **options)
    out = {field: np.asarray(getattr(result, field)) for field in FIELDS}
    for k, spikes in enumerate(result.spikes):
        out[f"spikes{k}"] = np.packbits(spikes)
    return out


def record() -> dict:
    """``"net/field"``: the field of every run of :data:`RUNS` stacked in order, plus ``"net/probe"``."""
    arrays = {}
    for net_name, case in nets().items():
        arrays[f"{net_name}/probe"] = blas_probe(case)
        runs = [run_case(case, options) for options in RUNS.values()]
        for field in runs[0]:
            arrays[f"{net_name}/{field}"] = np.stack([outputs[field] for outputs in runs])
    return arrays


if __name__ == "__main__":
    np.savez_compressed(PATH, **record())
    print(f"wrote {PATH} ({PATH.stat().st_size / 1024:.0f} KiB)")
