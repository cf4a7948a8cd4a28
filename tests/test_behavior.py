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


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: exact(Network({"y": IF()}, []), {}, 2), ValidationError, "'y' is a IF; external behaviour"),
        (lambda: exact(and_gate(), {"z": [0]}, 2), ValidationError, "'z' is not an input neuron"),
        (lambda: exact(and_gate(), {"x1": [0]}, 2, free={"x1"}), ValidationError, "given an execution and also declared free"),
        (lambda: exact(and_gate(), {"x1": [0.5]}, 2), ValidationError, "round 0.5 is not a non-negative integer"),
        (lambda: exact(and_gate(), {}, 0), ValidationError, "horizon must be .* got 0"),
        (lambda: exact(evsim.hide(winner_take_all(12, 2.0), {f"y{i}" for i in range(11)}), {}, 3),
         ValidationError, "needs 134,217,728 floats for one transition \\(1 outputs, 13 internal"),
        (lambda: exact(and_gate(), {}, 12, budget=1000).table, ValidationError, "for the table.*horizon 12.*budget of 1,000"),
        (lambda: exact(and_gate(), {}, 3).probability({"y": [0, 1]}), ValidationError, "expected 3 values of 0 or 1"),
        (lambda: exact(and_gate(), {}, 3).probability({"q": [0, 1, 1]}), ValidationError, "exactly the outputs \\['y'\\]"),
        (lambda: estimate(and_gate(), {}, 3, samples=0), ValidationError, "samples must be .* got 0"),
        (lambda: Problem("p", 2, [], lambda s: True, 0.5), ValidationError, "at least one input execution"),
        (lambda: Problem("p", 2, [{}], lambda s: True, 1.5), ValidationError, "at_least must be a probability"),
        (lambda: solves(and_gate(), Problem("p", 2, [{}], lambda s: True, 0.5), method="guess"), ValidationError, "'guess'"),
    ],
)
def test_ill_defined_queries_raise_typed_errors(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_ill_defined_compositions_and_hidings_name_the_neurons():
    a, b = exact(copy_gate("x", "y"), {}, 3, free={"x"}), exact(copy_gate("z", "y"), {}, 3, free={"z"})
    with pytest.raises(CompositionError, match="both behaviours have the outputs \\['y'\\]"):
        compose(a, b)
    with pytest.raises(CompositionError, match="horizons 3 and 4"):
        compose(a, exact(copy_gate("y", "w"), {}, 4, free={"y"}))
    silent = exact(copy_gate("y", "w"), {}, 3)
    with pytest.raises(CompositionError, match="inputs \\['y'\\] are driven .* free=\\['y'\\]"):
        compose(a, silent)
    with pytest.raises(CompositionError, match="\\['q'\\] are not outputs"):
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
