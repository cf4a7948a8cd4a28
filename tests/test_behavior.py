import math

import numpy as np
import pytest

import evsim
from evsim import (
    IF,
    CompositionError,
    Input,
    Network,
    Stochastic,
    Synapse,
    Threshold,
    ValidationError,
)
from evsim.errors import LimitError
from evsim.behavior import Problem, compose, distance, estimate, exact, hide, solves
from evsim.behavior.model import RoundModel
from evsim.library import (
    OSCILLATOR_ORBIT,
    and_gate,
    copy_gate,
    cyclic_oscillator,
    gate_error,
    not_gate,
    or_gate,
    winner_take_all,
    xor_circuit,
)
from tests.refusals import assert_refused


def sigma(x):
    return 1.0 / (1.0 + math.exp(-x))


W, LAM = 6.0, 1.5

GATE_POTENTIALS = {  # gate: [(inputs firing at round 0, potential of y at round 1)]
    "and": [((0, 0), -1.5 * W), ((1, 0), -0.5 * W), ((0, 1), -0.5 * W), ((1, 1), 0.5 * W)],
    "or": [((0, 0), -0.5 * W), ((1, 0), 0.5 * W), ((0, 1), 0.5 * W), ((1, 1), 1.5 * W)],
    "not": [((0,), 0.5 * W), ((1,), -0.5 * W)],
    "copy": [((0,), -0.5 * W), ((1,), 0.5 * W)],
}
GATES = {"and": and_gate, "or": or_gate, "not": not_gate, "copy": copy_gate}


@pytest.mark.parametrize("kind", sorted(GATES))
def test_each_gate_is_right_with_probability_sigma_of_its_potential(kind):
    net = GATES[kind](w=W, temperature=LAM)
    names = sorted(net.inputs)
    for firing, pot in GATE_POTENTIALS[kind]:
        inputs = {n: [0] if f else [] for n, f in zip(names, firing)}
        right = int(pot > 0)
        p = exact(net, inputs, horizon=2).probability({"y": [0, right]})
        assert p == pytest.approx(sigma(abs(pot) / LAM), abs=1e-15)
        assert p >= 1 - gate_error(W, LAM) - 1e-15  # never below sigma(w / 2λ)


def test_and_gate_is_surest_when_both_inputs_are_silent():
    p = exact(and_gate(w=W, temperature=LAM), {}, 2).probability({"y": [0, 0]})
    assert p == pytest.approx(sigma(3 * W / (2 * LAM)), abs=1e-15)


@pytest.mark.parametrize("t", range(1, 7))
def test_cyclic_oscillator_orbit_prefix_has_probability_sigma_to_the_2t(t):
    n1, n2 = cyclic_oscillator(w=W, temperature=LAM)
    orbit = [OSCILLATOR_ORBIT[k % 4] for k in range(t + 1)]
    p = exact(evsim.compose(n1, n2), {}, t + 1).probability({"a": [s[0] for s in orbit], "b": [s[1] for s in orbit]})
    assert p == pytest.approx(sigma(W / (2 * LAM)) ** (2 * t), rel=1e-12)


def test_wta_potentials_match_the_reference_table():
    g, n = 2.0, 3
    model = RoundModel(winner_take_all(n, gamma=g))
    assert model.outputs == ("y0", "y1", "y2") and model.internals == ("a_c", "a_s")
    for x0 in (0, 1):
        for o_code in range(2**n):
            o = np.array([(o_code >> k) & 1 for k in range(n)], float)
            k = o.sum()
            p_out, p_int = model.transition(np.array([x0, 1.0, 0.0]), o)
            for i_code, (a_c, a_s) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)]):
                pot_y0 = 3 * g * x0 + 2 * g * o[0] - g * a_s - g * a_c - 3 * g
                fire_y0 = p_out[i_code, [c for c in range(2**n) if c & 1]].sum()
                assert fire_y0 == pytest.approx(sigma(pot_y0), abs=1e-14)
                fire_a_s = p_int[i_code, [2, 3]].sum()
                fire_a_c = p_int[i_code, [1, 3]].sum()
                assert fire_a_s == pytest.approx(sigma(g * k - 0.5 * g), abs=1e-14)
                assert fire_a_c == pytest.approx(sigma(g * k - 1.5 * g), abs=1e-14)


def test_xor_circuit_meets_its_union_bound_at_every_round_after_depth():
    eps = gate_error(W, LAM)
    net = xor_circuit(w=W, temperature=LAM)
    assert net.outputs == {"y"} and net.internals == {"xor_or", "xor_and", "xor_nand"}
    for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        stable = {"x1": list(range(8)) if x1 else [], "x2": list(range(8)) if x2 else []}
        b = exact(net, stable, 8)
        for t in range(3, 8):
            right = sum(p for seq, p in b if seq["y"][t] == (x1 ^ x2))
            assert right >= 1 - 4 * eps


def test_behavior_iteration_views_and_probability_agree():
    b = exact(xor_circuit(w=W), {"x1": [0, 1, 2]}, 4)
    items = list(b)
    assert sum(p for _, p in items) == pytest.approx(1.0, abs=1e-12)
    seq, p = max(items, key=lambda item: item[1])
    assert exact(xor_circuit(w=W), {"x1": [0, 1, 2]}, 4).probability(seq) == pytest.approx(p, abs=1e-15)
    assert "one input execution" in repr(b)
    assert b.probability({"y": [1, 0, 0, 0]}) == 0.0  # round 0 must be the initial pattern


def test_kernel_rows_equal_single_executions():
    kernel = exact(and_gate(w=W), {"x2": [0, 1]}, 3, free={"x1"})
    single = exact(and_gate(w=W), {"x1": [1], "x2": [0, 1]}, 3)
    assert distance(kernel.given_inputs({"x1": [1]}), single) < 1e-15
    assert "kernel over ['x1']" in repr(kernel)
    with pytest.raises(ValidationError, match="kernel over the free inputs \\['x1'\\]"):
        list(kernel)


def test_estimate_is_close_to_exact():
    net = xor_circuit(w=4.0)
    inputs = {"x1": [0, 1, 2, 3]}
    e, x = estimate(net, inputs, 5, samples=3000, rng=11), exact(net, inputs, 5)
    sd = np.sqrt(x.table * (1 - x.table) / 3000)
    assert np.all(np.abs(e.table - x.table) <= 5 * sd + 2 / 3000)


def test_problem_and_solves():
    eps = gate_error(W, LAM)
    net = and_gate(w=W, temperature=LAM)
    executions = [{"x1": [0], "x2": [0]}]
    right = {0: lambda s: s["y"][1] == 1}
    problem = Problem("y(1) = x1(0) AND x2(0), for inputs both on", 2, executions[:1], right[0], 1 - eps - 1e-12)
    verdict = solves(net, problem)
    assert verdict and verdict.worst_probability == pytest.approx(1 - eps)
    strict = Problem("impossible", 2, executions[:1], right[0], 0.9999)
    assert not solves(net, strict)
    sampled = solves(net, problem, method="estimate", samples=500, rng=0)
    assert abs(sampled.worst_probability - (1 - eps)) < 0.05


def _kernel():
    return exact(copy_gate("x", "y"), {}, 3, free={"x"})


def _problem(**changes):
    fields = dict(description="p", horizon=2, executions=[{}], event=lambda s: True, at_least=0.5)
    return Problem(**{**fields, **changes})


# (call, the argument its message must name, the bad value as the message shows it)
REFUSED = [
    (lambda: exact(Network({"y": IF()}, []), {}, 2), "'y'", "IF"),
    (lambda: exact("and", {}, 2), "net", "'and'"),
    (lambda: exact(and_gate(), {"z": [0]}, 2), "inputs", "'z'"),
    (lambda: exact(and_gate(), [("x1", [0])], 2), "inputs", "[('x1', [0])]"),
    (lambda: exact(and_gate(), {"x1": [0]}, 2, free={"x1"}), "free", "['x1']"),
    (lambda: exact(and_gate(), {}, 2, free={"q"}), "free", "'q'"),
    (lambda: exact(and_gate(), {}, 2, free=["x1", "x1"]), "free", "'x1' twice"),
    (lambda: exact(and_gate(), {}, 2, free=3), "free", "3"),
    (lambda: exact(and_gate(), {"x1": [0.5]}, 2), "inputs['x1']", "0.5"),
    (lambda: exact(and_gate(), {"x1": [-1]}, 2), "inputs['x1']", "-1"),
    (lambda: exact(and_gate(), {"x1": ["a"]}, 2), "inputs['x1']", "'a'"),
    (lambda: exact(and_gate(), {"x1": [True]}, 2), "inputs['x1']", "True"),
    (lambda: exact(and_gate(), {"x1": 0}, 2), "inputs['x1']", "0"),
    (lambda: exact(and_gate(), {}, 0), "horizon", "0"),
    (lambda: exact(and_gate(), {}, 2.0), "horizon", "2.0"),
    (lambda: exact(and_gate(), {}, True), "horizon", "True"),
    (lambda: exact(and_gate(), {}, 3).probability({"y": [0, 1]}), "outputs['y']", "[0, 1]"),
    (lambda: exact(and_gate(), {}, 3).probability({"y": [0, 2, 1]}), "outputs['y']", "[0, 2, 1]"),
    (lambda: exact(and_gate(), {}, 3).probability({"q": [0, 1, 1]}), "outputs", "['q']"),
    (lambda: exact(and_gate(), {}, 3).probability([0, 1, 1]), "outputs", "[0, 1, 1]"),
    (lambda: _kernel().probability({"y": [0, 1, 1]}, {"x": [1.5]}), "inputs['x']", "1.5"),
    (lambda: _kernel().probability({"y": [0, 1, 1]}, {"w": [1]}), "inputs", "'w'"),
    (lambda: _kernel().given_inputs({"x": "01"}), "inputs['x']", "'01'"),
    (lambda: _kernel().truncate(0), "horizon", "0"),
    (lambda: _kernel().truncate(4), "horizon", "4"),
    (lambda: _kernel().sequence(4), "code", "4"),
    (lambda: _kernel().sequence(-1), "code", "-1"),
    (lambda: estimate(and_gate(), {}, 3, samples=0), "samples", "0"),
    (lambda: estimate(and_gate(), {}, 3, samples=2.5), "samples", "2.5"),
    (lambda: estimate(and_gate(), {}, -1), "horizon", "-1"),
    (lambda: estimate(and_gate(), {"z": [0]}, 3), "inputs", "'z'"),
    (lambda: estimate(and_gate(), {}, 3, rng="abc"), "rng", "'abc'"),
    (lambda: estimate(and_gate(), {}, 3, progress="yes"), "progress", "'yes'"),
    (lambda: estimate(None, {}, 3), "net", "None"),
    (lambda: compose(_kernel(), "b"), "b2", "'b'"),
    (lambda: hide(_kernel(), {"q"}), "names", "['q']"),
    (lambda: hide(_kernel(), [1]), "names", "1"),
    (lambda: hide(and_gate(), {"y"}), "behavior", "Network"),
    (lambda: distance(_kernel(), None), "b", "None"),
    (lambda: _problem(executions=[]), "executions", "[]"),
    (lambda: _problem(executions={"x": [0]}), "executions", "{'x': [0]}"),
    (lambda: _problem(executions=[[0]]), "executions", "[0]"),
    (lambda: _problem(at_least=1.5), "at_least", "1.5"),
    (lambda: _problem(at_least=math.nan), "at_least", "nan"),
    (lambda: _problem(horizon=0), "horizon", "0"),
    (lambda: _problem(event="y fires"), "event", "'y fires'"),
    (lambda: _problem(description=None), "description", "None"),
    (lambda: solves(and_gate(), _problem(), method="guess"), "method", "'guess'"),
    (lambda: solves(and_gate(), "p"), "problem", "'p'"),
    (lambda: solves(and_gate(), _problem(), samples=0, method="estimate"), "samples", "0"),
    (lambda: solves(and_gate(), _problem(), rng="x", method="estimate"), "rng", "'x'"),
]


@pytest.mark.parametrize("call, argument, shown", REFUSED)
def test_refused_calls_name_the_argument_and_the_value(call, argument, shown):
    assert_refused(call, argument, shown)


@pytest.mark.parametrize("call, pattern", [
    (lambda: exact(and_gate(), {}, 10**9),
     r"exact: a forward pass \(1 outputs, 0 internal neurons, 2 inputs, horizon 1000000000\) needs about 14.9 GiB, "
     r"above the memory limit of 2 GiB; .*evsim.limits\(memory=...\)"),
    (lambda: exact(evsim.hide(winner_take_all(14, 2.0), {f"y{i}" for i in range(13)}), {}, 3),
     r"exact: a forward pass \(1 outputs, 15 internal neurons.* needs about 32 GiB"),
    (lambda: exact(and_gate(), {}, 40).table, r"exact: the behaviour table \(1 outputs, 0 internal neurons, horizon 40"),
    (lambda: exact(and_gate(), {}, 20, free={"x1", "x2"}).table, r"2\^38 input executions"),
    (lambda: estimate(and_gate(), {}, 10**9), r"estimate: the frequency table of 1 outputs over horizon 1000000000 "
                                              r"needs about .* TiB"),
    (lambda: compose(exact(copy_gate("a", "b"), {}, 16, free={"a"}), exact(copy_gate("c", "d"), {}, 16, free={"c"})),
     r"compose: the composed table \(2 outputs, 2 free inputs, horizon 16\) needs about"),
])
def test_behaviour_refuses_work_above_the_memory_limit_before_allocating(call, pattern):
    with pytest.raises(LimitError, match=pattern):
        call()


def test_the_memory_limit_can_be_raised_and_lowered():
    pair = exact(evsim.compose(copy_gate("x", "y"), copy_gate("x", "z")), {}, 6)
    pair.table
    with evsim.limits(memory=2**10):
        with pytest.raises(LimitError, match="the behaviour table"):
            exact(and_gate(), {}, 8).table
        with pytest.raises(LimitError, match="hide: the output bits of 2 outputs over horizon 6"):
            hide(pair, {"z"})
    assert hide(pair, {"z"}).table.shape == (1, 32)
    assert exact(and_gate(), {}, 8).table.shape == (1, 128)


def test_valid_calls_accept_numpy_integers_and_whole_float_rounds():
    b = exact(and_gate(), {"x1": np.array([0, 1]), "x2": [0.0, 1.0]}, np.int64(3))
    assert b.given == {"x1": (0, 1), "x2": (0, 1)}
    assert b.probability({"y": (0, 1, 1)}) == pytest.approx((1 - gate_error()) ** 2)
    assert estimate(and_gate(), None, 2, samples=np.int32(5), rng=np.random.default_rng(0)).table.sum() == 1.0
    assert _kernel().sequence(np.int64(3)) == {"y": (0, 1, 1)}
    assert hide(exact(evsim.compose(copy_gate("x", "y"), copy_gate("x", "z")), {}, 3), "z").outputs == ("y",)


def test_ill_defined_compositions_and_hidings_name_the_neurons():
    a, b = exact(copy_gate("x", "y"), {}, 3, free={"x"}), exact(copy_gate("z", "y"), {}, 3, free={"z"})
    with pytest.raises(CompositionError, match="both behaviours have the outputs \\['y'\\]"):
        compose(a, b)
    with pytest.raises(CompositionError, match="horizons 3 and 4"):
        compose(a, exact(copy_gate("y", "w"), {}, 4, free={"y"}))
    silent = exact(copy_gate("y", "w"), {}, 3)
    with pytest.raises(CompositionError, match="inputs \\['y'\\] are driven .* free=\\['y'\\]"):
        compose(a, silent)
    with pytest.raises(CompositionError, match="names must be outputs .*\\['q'\\] are not"):
        hide(a, {"q"})
    with pytest.raises(ValidationError, match="different outputs"):
        distance(a, exact(copy_gate("x", "v"), {}, 3, free={"x"}))
    with pytest.raises(CompositionError, match="different executions of the inputs \\['u'\\]"):
        compose(exact(copy_gate("u", "p"), {"u": [0]}, 3), exact(copy_gate("u", "q"), {"u": [1]}, 3))


def test_cycles_self_loops_fan_out_and_closed_networks_are_accepted():
    loop = Network({"s": Stochastic(0.0, 1.0, True), "t": Threshold(0.5)},
                   [Synapse("s", "s", 1.0), Synapse("s", "t", 1.0), Synapse("t", "s", -1.0)], outputs={"s", "t"})
    b = exact(loop, {}, 4)
    assert b.table.sum() == pytest.approx(1.0, abs=1e-12) and b.inputs == ()
    fan = Network({"x": Input(), "p": Stochastic(), "q": Stochastic()}, [Synapse("x", "p"), Synapse("x", "q")],
                  outputs={"p", "q"})
    assert exact(fan, {"x": [0]}, 3).table.shape == (1, 16)


def test_estimate_can_show_progress(capsys):
    estimate(and_gate(), {}, 2, samples=20, rng=0, progress=True)
    assert "sampling" in capsys.readouterr().err
