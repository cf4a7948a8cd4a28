import math

import numpy as np
import pytest

import evsim
from evsim import Analog, ValidationError, simulate
from evsim.errors import LimitError
from evsim.encoding import (
    SpikeCode,
    analog_events,
    compensate,
    decode_hybrid,
    decode_potential,
    decode_rate,
    decode_ttfs,
    first_spike_times,
    hybrid,
    input_names,
    rate,
    to_inputs,
    ttfs,
)
from tests.refusals import assert_refused


def _code():
    return rate([0.5, 0.2], 4, method="regular")


# (call, the argument its message must name, the bad value as the message shows it)
REFUSED = [
    (lambda: rate([0.2, 1.5], 4), "x[1]", "1.5"),
    (lambda: rate([[0.2], [-0.1]], 4), "x[1, 0]", "-0.1"),
    (lambda: ttfs([0.2, math.nan], 4), "x[1]", "nan"),
    (lambda: rate([0.2, math.inf], 4), "x[1]", "inf"),
    (lambda: rate([math.nan], 4, clip=True), "x[0]", "nan"),
    (lambda: hybrid(["bright"], 4), "x", "bright"),
    (lambda: rate([[0.1, 0.2], [0.3]], 4), "x", "[[0.1, 0.2], [0.3]]"),
    (lambda: rate(np.array([True, False]), 4), "x", "True"),
    (lambda: rate(np.array([0.5], dtype=object), 4), "x", "0.5"),
    (lambda: rate([0.5], 0), "steps", "0"),
    (lambda: rate([0.5], 2.5), "steps", "2.5"),
    (lambda: rate([0.5], True), "steps", "True"),
    (lambda: rate([0.5], "4"), "steps", "'4'"),
    (lambda: hybrid([0.5], 1), "steps", "1"),
    (lambda: ttfs([0.5], -3), "steps", "-3"),
    (lambda: rate([0.5], 4, method="burst"), "method", "'burst'"),
    (lambda: rate([0.5], 4, method=None), "method", "None"),
    (lambda: rate([0.5], 4, gain=math.nan), "gain", "nan"),
    (lambda: rate([0.5], 4, gain="2"), "gain", "'2'"),
    (lambda: rate([0.5], 4, offset=math.inf), "offset", "inf"),
    (lambda: rate([0.5], 4, method="poisson", max_rate=-5.0), "max_rate", "-5.0"),
    (lambda: rate([0.5], 4, method="poisson", max_rate=math.nan), "max_rate", "nan"),
    (lambda: rate([0.5], 4, max_rate=100.0), "max_rate", "100.0"),
    (lambda: rate([0.5], 4, dt=0.0), "dt", "0.0"),
    (lambda: rate([0.5], 4, dt=True), "dt", "True"),
    (lambda: ttfs([0.5], 4, dt=-1), "dt", "-1"),
    (lambda: rate([0.5], 4, rng="abc"), "rng", "'abc'"),
    (lambda: rate([0.5], 4, rng=-1), "rng", "-1"),
    (lambda: rate([0.5], 4, rng=1.5), "rng", "1.5"),
    (lambda: rate([0.5], 4, clip="no"), "clip", "'no'"),
    (lambda: ttfs([0.5], 4, code="square"), "code", "'square'"),
    (lambda: ttfs([0.5], 4, code="log", threshold=0.0), "threshold", "0.0"),
    (lambda: ttfs([0.5], 4, code="log", threshold=0.1, tau=0), "tau", "0"),
    (lambda: ttfs([0.5], 4, threshold=math.nan), "threshold", "nan"),
    (lambda: ttfs([0.5], 4, continuous=1), "continuous", "1"),
    (lambda: ttfs([0.5], 4, fire_last="yes"), "fire_last", "'yes'"),
    (lambda: hybrid([0.5], 4, threshold=math.nan), "threshold", "nan"),
    (lambda: hybrid([0.5], 4, dt=math.inf), "dt", "inf"),
    (lambda: compensate("code", [0.5]), "code", "'code'"),
    (lambda: compensate(ttfs([0.5], 4), [0.5]), "code", "'ttfs/linear'"),
    (lambda: compensate(rate([0.5], 4), [0.5, 0.5]), "x", "(2,)"),
    (lambda: compensate(rate([0.5], 4), [0.5], gain=math.nan), "gain", "nan"),
    (lambda: decode_rate(_code(), gain=0), "gain", "0"),
    (lambda: decode_rate(_code(), offset="0"), "offset", "'0'"),
    (lambda: decode_rate([1, 0]), "code", "[1, 0]"),
    (lambda: decode_ttfs(ttfs([0.5], 4), kind="cubic"), "kind", "'cubic'"),
    (lambda: decode_ttfs(ttfs([0.5], 4), kind="log", threshold=0.1, tau=-1.0), "tau", "-1.0"),
    (lambda: decode_ttfs(ttfs([0.5], 4), kind="log", threshold=0.0), "threshold", "0.0"),
    (lambda: decode_ttfs(ttfs([0.5], 4), silent=math.nan), "silent", "nan"),
    (lambda: decode_hybrid(ttfs([0.5], 4)), "code", "'ttfs/linear'"),
    (lambda: first_spike_times(None), "code", "None"),
    (lambda: analog_events("hybrid"), "code", "'hybrid'"),
    (lambda: _code().to_inputs(["only_one"]), "names", "1"),
    (lambda: _code().to_inputs(["a", "a"]), "names", "'a' twice"),
    (lambda: _code().to_inputs(lambda i: "same"), "names", "'same' twice"),
    (lambda: _code().to_inputs(["a", 3]), "names", "3"),
    (lambda: _code().to_inputs("ab"), "names", "'ab'"),
    (lambda: to_inputs(_code(), ["a", "a"]), "names", "'a' twice"),
    (lambda: to_inputs({"x0": [0]}), "code", "{'x0': [0]}"),
    (lambda: input_names(-1), "size", "-1"),
    (lambda: input_names(2.0), "size", "2.0"),
    (lambda: input_names(2, prefix=7), "prefix", "7"),
    (lambda: SpikeCode.from_array([[0.5, "a"]]), "array", "0.5"),
    (lambda: SpikeCode.from_array(np.zeros(()) + 1), "array", "1.0"),
    (lambda: SpikeCode.from_array(np.ones((2, 1)), dt=0), "dt", "0"),
    (lambda: SpikeCode.from_array([]), "array", "(0,)"),
    (lambda: SpikeCode.from_inputs({"x0": [0.0, 9.0]}, ["x0"], (1,), 4), "time", "9.0"),
    (lambda: SpikeCode.from_inputs({"x0": ["a"]}, ["x0"], (1,), 4), "inputs['x0']", "'a'"),
    (lambda: SpikeCode.from_inputs({"q": [0.0]}, ["x0"], (1,), 4), "inputs", "'q'"),
    (lambda: SpikeCode.from_inputs({}, ["x0", "x0"], (2,), 4), "names", "'x0' twice"),
    (lambda: SpikeCode.from_inputs([], ["x0"], (1,), 4), "inputs", "[]"),
    (lambda: SpikeCode.from_inputs({"x0": Analog([0.0], [1.0, 2.0])}, ["x0"], (1,), 4), "inputs['x0']", "2 values"),
    (lambda: SpikeCode((2,), 4, 1.0, np.array([5]), np.array([0.0]), np.array([1.0]), "k"), "index[0]", "5"),
    (lambda: SpikeCode((2,), 4, 1.0, np.array([0]), np.array([-1.0]), np.array([1.0]), "k"), "time[0]", "-1.0"),
    (lambda: SpikeCode((2,), 4, 1.0, np.array([0, 1]), np.array([0.0]), np.array([1.0]), "k"), "index, time and value", "2, 1 and 1"),
    (lambda: SpikeCode((2,), 0, 1.0, np.array([]), np.array([]), np.array([]), "k"), "steps", "0"),
    (lambda: SpikeCode("2", 4, 1.0, np.array([]), np.array([]), np.array([]), "k"), "shape", "'2'"),
    (lambda: SpikeCode((2,), 4, 1.0, np.array([0.5]), np.array([0.0]), np.array([1.0]), "k"), "index", "0.5"),
]


@pytest.mark.parametrize("call, argument, shown", REFUSED)
def test_refused_calls_name_the_argument_and_the_value(call, argument, shown):
    assert_refused(call, argument, shown)


def test_rate_refuses_an_array_beyond_the_memory_limit_before_allocating():
    with pytest.raises(LimitError, match=r"rate: a bernoulli code of 1000000 steps × 1000 elements needs about "
                                         r"59.6 GiB, above the memory limit of 2 GiB.*evsim.limits\(memory=...\)"):
        rate(np.full(1000, 0.5), 10**6)
    with pytest.raises(LimitError, match=r"rate: a Poisson code of about 5e\+11 events"):
        rate(np.full(1000, 0.5), 10**9, method="poisson")
    code = rate([0.0], 10**9, method="poisson")  # no events: cheap as events, too large as an array
    assert code.time.size == 0
    with pytest.raises(LimitError, match=r"SpikeCode.array: 1000000000 steps × 1 elements needs about 7.45 GiB"):
        code.array
    with evsim.limits(memory=2**20):
        with pytest.raises(LimitError, match="above the memory limit of 1 MiB"):
            rate(np.full(100, 0.5), 1000)
        with pytest.raises(LimitError, match="compensate: a code of 1000 steps × 100 elements"):
            compensate(rate(np.zeros(100), 1000, method="poisson"), np.zeros(100))
    assert rate(np.full(100, 0.5), 1000).steps == 1000


def test_valid_calls_still_accept_numpy_scalars_and_generators():
    x = np.array([0.25, 1.0], dtype=np.float32)
    code = rate(x, np.int64(4), method="regular", gain=np.float32(1.0), dt=np.float64(0.5))
    assert code.counts().tolist() == [1, 4] and code.dt == 0.5
    drawn = rate(x, 8, rng=np.random.default_rng(3))
    assert drawn == rate(x, 8, rng=3)
    assert rate(0.5, 4, method="regular").shape == ()
    assert ttfs([0.5], 4, code="log", threshold=0.25, tau=2).time.size == 1
    assert decode_ttfs(ttfs([0.5, 0.0], 4), silent=math.inf).tolist() == [pytest.approx(1 / 3), math.inf]
    assert SpikeCode.from_inputs({}, ["a"], (1,), 3).time.size == 0


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
