import math

import numpy as np
import pytest

from evsim import ValidationError, simulate
from evsim.encoding import (
    SpikeCode,
    decode_hybrid,
    decode_potential,
    decode_rate,
    decode_ttfs,
    first_spike_times,
    hybrid,
    rate,
    ttfs,
)


@pytest.mark.parametrize(
    "call, pattern",
    [
        (lambda: rate([0.2, 1.5], 4), r"value 1.5 at index \(1,\) is outside \[0, 1\].*clip=True"),
        (lambda: rate([[0.2], [-0.1]], 4), r"value -0.1 at index \(1, 0\)"),
        (lambda: ttfs([0.2, math.nan], 4), r"NaN at index \(1,\)"),
        (lambda: hybrid(["bright"], 4), "arrays of numbers, got \\['bright'\\]"),
        (lambda: rate([0.5], 0), "steps must be a whole number >= 1, got 0"),
        (lambda: rate([0.5], 2.5), "got 2.5"),
        (lambda: hybrid([0.5], 1), "steps must be a whole number >= 2, got 1"),
        (lambda: rate([0.5], 4, method="poisson", max_rate=-5.0), "max_rate must be a rate >= 0 Hz, got -5.0"),
        (lambda: rate([0.5], 4, method="burst"), "'burst'"),
        (lambda: rate([0.5], 4, dt=0.0), "dt must be a positive number of ms, got 0.0"),
        (lambda: ttfs([0.5], 4, code="square"), "'square'"),
        (lambda: ttfs([0.5], 4, code="log", threshold=0.0), "threshold > 0 and tau > 0"),
        (lambda: decode_ttfs(ttfs([0.5], 4), kind="cubic"), "'cubic'"),
        (lambda: decode_hybrid(ttfs([0.5], 4)), "needs a hybrid code, got 'ttfs/linear'"),
        (lambda: rate([0.5, 0.2], 4).to_inputs(["only_one"]), "need 2 names .* got 1"),
    ],
)
def test_bad_input_is_named(call, pattern):
    with pytest.raises(ValidationError, match=pattern):
        call()


def test_clip_is_opt_in_and_clips():
    code = rate([1.5, -0.5], 4, method="regular", clip=True)
    assert code.counts().tolist() == [4, 0]


def test_fire_last_and_threshold_for_ttfs():
    code = ttfs(np.array([0.0, 0.5, 1.0]), 5)
    assert code.counts().tolist() == [0, 1, 1] and first_spike_times(code).tolist() == [math.inf, 2.0, 0.0]
    last = ttfs(np.array([0.0, 0.5]), 5, fire_last=True)
    assert first_spike_times(last).tolist() == [4.0, 2.0]


def test_continuous_ttfs_keeps_exact_times_and_dt_scales_them():
    code = ttfs(np.array([0.3]), 11, continuous=True, dt=0.5)
    assert code.time.tolist() == [(1 - 0.3) * 10 * 0.5] and not code.exact_steps


def test_names_as_a_function_and_repr():
    code = hybrid(np.array([0.5, 0.0]), 4)
    assert set(code.to_inputs(lambda i: f"pixel{i}")) == {"pixel0", "pixel1"}
    assert "hybrid" in repr(code) and "2 events" in repr(code)


def test_decode_rate_with_gain_and_offset_inverts_the_probability():
    x = np.array([0.2, 0.6])
    code = rate(x, 10, method="regular", gain=0.5, offset=0.1)
    assert np.allclose(decode_rate(code, gain=0.5, offset=0.1), x, atol=1 / (2 * 10) / 0.5)


def test_decode_potential_reads_probes():
    from evsim import IF, Input, Network, Synapse

    net = Network({"x": Input(), "y": IF(threshold=10.0)}, [Synapse("x", "y", 0.5, 0.0)])
    record = simulate(net, rate([1.0], 4, method="regular").to_inputs(["x"]), until=4, probes=["y"])
    assert decode_potential(record, ["y"], at=3.0).tolist() == [2.0]
    with pytest.raises(ValidationError, match=r"\['x'\] were not probed"):
        decode_potential(record, ["x"], at=3.0)


def test_from_array_equality_and_array_view():
    array = np.zeros((3, 2))
    array[0, 1], array[2, 0] = 0.5, 1.0
    code = SpikeCode.from_array(array)
    assert np.array_equal(code.array, array) and code != SpikeCode.from_array(array * 2)
