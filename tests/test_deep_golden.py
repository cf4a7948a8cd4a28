"""``evsim.deep.run`` reproduces its recorded outputs bit for bit (see ``tests/golden/deep_runner.py``).

Logits are compared as raw bits (so even the sign of a zero counts); counts,
exit steps, accuracies and the recorded spikes with ``np.array_equal``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from evsim.deep import run
from evsim.deep.convert import linear_part
from tests.golden import deep_runner as golden

NETS = golden.nets()


@lru_cache(maxsize=None)
def recorded() -> dict:
    with np.load(golden.PATH) as data:
        return dict(data)


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.atleast_1d(a)).view(np.uint8)


def _require_same_blas(name: str, run_name: str) -> None:
    """Inexact nets' sums depend on BLAS's summation order: compare only where it is the recorded one.

    Two fingerprints: ``W·x`` of the whole batch (the recorded probe), and, for a run in chunks, whether
    BLAS sums a chunk of rows to other bits than the same rows of the whole batch — here, and (read off
    the recorded logits of the analog run whole and in chunks) when recorded. Some BLAS builds take
    another kernel for a few rows than for many; the recorded one did for float64.
    """
    if NETS[name].exact:
        return
    if not np.array_equal(_bits(golden.blas_probe(NETS[name])), _bits(recorded()[f"{name}/probe"])):
        pytest.skip("this BLAS sums W·x in another order than the one the golden arrays were recorded "
                    "with; the dyadic nets still pin the runner (regenerate: tests/golden/deep_runner.py)")
    if "chunk" in golden.RUNS[run_name] and _blas_chunks_differ(name) != _recorded_chunks_differ(name):
        pytest.skip("this BLAS sums a chunk of the batch differently from the one the golden arrays were "
                    "recorded with; the dyadic nets still pin chunked runs (regenerate: tests/golden/deep_runner.py)")


@lru_cache(maxsize=None)
def _blas_chunks_differ(name: str) -> bool:
    """Whether this BLAS gives a chunk of rows (of the chunk sizes the runs use) other bits than the whole batch.

    BLAS alone, not the runner: a change to the runner's chunked path must fail, not skip.
    """
    case = NETS[name]
    x, ops = case.x.astype(case.snn.dtype), case.snn.layers[0].ops
    whole = _bits(linear_part(ops, x))
    sizes = {options["chunk"] for options in golden.RUNS.values() if "chunk" in options}
    return any(not np.array_equal(_bits(np.concatenate([linear_part(ops, x[i:i + size])
                                                         for i in range(0, len(x), size)])), whole)
               for size in sizes)


@lru_cache(maxsize=None)
def _recorded_chunks_differ(name: str) -> bool:
    """Whether the recorded analog run in chunks has other logit bits than the recorded run in one batch."""
    names = list(golden.RUNS)
    whole, chunked = (recorded()[f"{name}/logits"][names.index(run)] for run in ("analog", "analog_chunks"))
    return not np.array_equal(_bits(whole), _bits(chunked))


@pytest.mark.parametrize("run_name", list(golden.RUNS))
@pytest.mark.parametrize("net_name", list(NETS))
def test_runner_reproduces_the_recorded_outputs_bit_for_bit(net_name, run_name):
    """Dense, conv and dyadic nets, float32 and float64; analog (one chunk and several), rate (with and
    without compensation), TTFS, hybrid (also single-spike), early exit with analog and rate input."""
    _require_same_blas(net_name, run_name)
    index = list(golden.RUNS).index(run_name)
    outputs = golden.run_case(NETS[net_name], golden.RUNS[run_name])
    assert outputs.keys() == {key.split("/")[1] for key in recorded() if key.startswith(f"{net_name}/")} - {"probe"}
    for field, value in outputs.items():
        expected = recorded()[f"{net_name}/{field}"][index]
        assert value.dtype == expected.dtype and value.shape == expected.shape, field
        assert np.array_equal(_bits(value), _bits(expected)), f"{field} differs"


def test_golden_runs_exercise_early_exit_single_spike_and_every_encoding():
    """The recorded cases are not degenerate: samples exit at different steps, layers spike, and
    single-spike runs never fire a neuron twice."""
    data, names = recorded(), list(golden.RUNS)
    for net_name in NETS:
        exit_steps = data[f"{net_name}/exit_step"]
        assert len(np.unique(exit_steps[names.index("analog_exit")])) >= 2
        assert (exit_steps[names.index("analog")] == golden.STEPS).all()
        assert (data[f"{net_name}/spike_counts"].sum(axis=1) > 0).all()
    case = NETS["dense_float32"]
    single = run(case.snn, case.x, golden.STEPS, encoding="hybrid", single_spike=True, record_spikes=True)
    assert all(spikes.sum(axis=0).max() == 1 for spikes in single.spikes)


@pytest.mark.parametrize("options", [dict(encoding="analog", chunk=5), dict(encoding="rate", rng=9, exit_threshold=0.6,
                                                                            temperature=20.0, chunk=7)])
def test_recording_spikes_does_not_change_the_results(options):
    case = NETS["conv_float32"]
    with_spikes = run(case.snn, case.x, golden.STEPS, record_spikes=True, **options)
    without = run(case.snn, case.x, golden.STEPS, **options)
    assert without.spikes is None
    assert np.array_equal(_bits(with_spikes.logits), _bits(without.logits))
    assert np.array_equal(with_spikes.spike_counts, without.spike_counts)
    assert np.array_equal(with_spikes.exit_step, without.exit_step)


def test_rate_draws_do_not_depend_on_the_chunk():
    """A sample's rate input is drawn from its own stream: chunks of 7 and one chunk of the whole
    batch give the same bits (the dyadic net, so no summation order matters)."""
    case = NETS["dyadic_float64"]
    small, whole = (run(case.snn, case.x, 6, encoding="rate", rng=3, chunk=chunk) for chunk in (7, 1000))
    assert np.array_equal(_bits(small.logits), _bits(whole.logits))
    assert np.array_equal(small.spike_counts, whole.spike_counts)
