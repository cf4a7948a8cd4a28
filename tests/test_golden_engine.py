"""The engine's spikes, bit for bit, on pinned workloads (tests/golden/workloads.py).

Any change to the engine's internals must leave these spike trains
identical: every neuron, every time to the last bit, every value.
"""

from pathlib import Path

import numpy as np
import pytest

from tests.golden.workloads import WORKLOADS, spikes_of

GOLDEN = np.load(Path(__file__).parent / "golden" / "engine.npz")


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_spikes_are_bit_identical_to_the_golden_file(name):
    fingerprint, neuron, time, value = spikes_of(name)
    assert np.array_equal(fingerprint, GOLDEN[f"{name}/fingerprint"]), "workload changed (NumPy random stream?)"
    expected_neuron, expected_time = GOLDEN[f"{name}/neuron"], GOLDEN[f"{name}/time"]
    assert neuron.size == expected_neuron.size, f"{neuron.size} spikes, golden {expected_neuron.size}"
    differ = np.flatnonzero((neuron != expected_neuron) | (time != expected_time))
    assert differ.size == 0, (
        f"{differ.size} spikes differ; first at row {differ[0]}: neuron {neuron[differ[0]]} t={time[differ[0]]!r}, "
        f"golden neuron {expected_neuron[differ[0]]} t={expected_time[differ[0]]!r}")
    assert np.array_equal(value, GOLDEN[f"{name}/value"])


def test_the_record_lists_inputs_and_spikes_by_time_rank_neuron():
    """Law: the record (inputs merged with the neurons' spikes, many at equal times — a neuron
    fires at its input's arrival through a zero-delay synapse) is ordered by (time, rank, neuron)."""
    from tests.golden.workloads import brunel

    import evsim

    net, inputs, until, _ = brunel(300, 0.2, seed=5)
    record = evsim.simulate(net, inputs, until)
    rank = net.ranks[record.neuron]
    assert np.array_equal(np.lexsort((record.neuron, rank, record.time)), np.arange(record.neuron.size))
    same = record.time[1:] == record.time[:-1]
    assert same.sum() > 100  # the law is tested where it matters: many spikes share a time with an input
