import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evsim import IF, Input, Network, Synapse, SynapseTable, simulate
from evsim._arrays import concat_ranges, joined, stable_float_order
from evsim.neurons import relax
from evsim.events import Arrivals
from evsim.timegrid import TimeGrid
from evsim.populations.lynch_musco import geometric_wait


def test_concat_ranges_equals_the_loop():
    starts, stops = np.array([3, 0, 5, 5]), np.array([6, 2, 5, 7])
    expected = np.concatenate([np.arange(a, b) for a, b in zip(starts, stops)])
    assert list(concat_ranges(starts, stops)) == list(expected)
    assert concat_ranges(np.array([1]), np.array([1])).size == 0


FEW_VALUES = st.tuples(st.lists(st.integers(-30, 30), min_size=64, max_size=400),  # ties in shared buckets
                       st.sampled_from([1.0, 0.25, -1e300, 1e-310]))


@given(st.one_of(FEW_VALUES.map(lambda drawn: np.array(drawn[0], float) * drawn[1]),
                 st.lists(st.floats(), max_size=400).map(np.array)),  # (with NaN and infinities)
       st.integers(1, 32))
def test_stable_float_order_is_the_stable_argsort(key, per_bucket):
    """Law: ``stable_float_order`` is exactly ``np.argsort(kind="stable")``: by value, equal values in
    input order (many ties, spreads from subnormal to the largest floats, -0.0 beside 0.0, NaN last)."""
    key = np.asarray(key, float)
    assert stable_float_order(key, per_bucket).tolist() == np.argsort(key, kind="stable").tolist()


def test_stable_float_order_on_sorted_trains_end_to_end():
    rng = np.random.default_rng(3)
    key = np.concatenate([np.sort(rng.integers(0, 5000, n)).astype(float) for n in rng.poisson(30, 200)])
    assert key.size // 32 >= 2  # the bucketed path, not the fallback
    assert np.array_equal(stable_float_order(key), np.argsort(key, kind="stable"))


def test_joined_is_a_view_only_where_the_parts_are_consecutive_slices():
    queue = np.arange(10.0)
    whole = joined([queue[0:3], queue[3:7], queue[7:10]])
    assert whole.tolist() == queue.tolist() and np.shares_memory(whole, queue)
    tail = queue[2:]  # slices of a view: still one run of the same buffer
    assert np.shares_memory(joined([tail[0:2], tail[2:5]]), queue)
    for parts in ([queue[0:3], queue[4:7]], [queue[3:5], queue[0:3]], [queue[::2][:2], queue[::2][2:]],
                  [queue[0:2], np.arange(2.0, 4.0)],  # a gap, out of order, strided, another array,
                  [queue.view(np.uint8)[3:19].view(float), queue.view(np.uint8)[19:35].view(float)]):  # bytes off
        out = joined(parts)
        assert out.tolist() == np.concatenate(parts).tolist() and not np.shares_memory(out, queue)
    assert joined([queue]) is queue


def test_relax_is_exponential_approach():
    assert relax(0.0, 10.0, 10.0, 2.0) == pytest.approx(2.0 * (1 - math.exp(-1.0)), abs=1e-15)


def test_geometric_wait_has_mean_one_over_p_and_edge_cases():
    rng = np.random.default_rng(5)
    waits = geometric_wait(rng, np.full(200_000, 0.2))
    assert waits.min() == 1 and abs(waits.mean() - 5.0) < 0.05  # sd of mean ~ 0.01
    assert list(geometric_wait(rng, np.array([1.0, 0.0]))) == [1.0, math.inf]


def test_summed_arrivals_group_by_neuron_and_instant_in_row_order():
    arrivals = Arrivals(
        k=np.array([2.0, 1.0, 2.0, 2.0, 2.0]), f=np.array([0.0, 0.0, 0.0, 0.0, 1e-7]),
        target=np.array([7, 7, 7, 3, 7]), value=np.array([0.3, 5.0, 0.1, 1.0, 9.0]), row=np.array([2, 9, 0, 4, 1]),
    )
    inst = arrivals.summed(TimeGrid.of(None))
    assert list(inst.neuron) == [3, 7, 7, 7] and list(inst.k) == [2.0, 1.0, 2.0, 2.0]
    assert list(inst.f) == [0.0, 0.0, 0.0, 1e-7]  # another offset is another instant
    assert list(inst.total) == [1.0, 5.0, 0.1 + 0.3, 9.0]


def test_synapse_table_operations():
    t = SynapseTable([0, 1], [1, 2], [0.5, -1.0], [1.0, 0.0])
    assert list(t.take(np.array([1])).weight) == [-1.0]
    assert list(t.remap(np.array([5, 6, 7])).target) == [6, 7]
    assert len(SynapseTable.concat([t, t])) == 4


def test_numpy_scalars_are_accepted_as_times():
    net = Network({"x": Input(), "y": IF()}, [Synapse("x", "y", 1.0)])
    rec = simulate(net, {"x": np.array([0, 1])}, until=np.int64(4))
    assert list(rec.trains()["y"]) == [1.0, 2.0]
