"""Unit tests of evsim.deep.surrogate and evsim.deep.bptt (the gradient laws: tests/properties/test_bptt_laws.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from evsim import ValidationError
from evsim.deep import AvgPool2d, Conv2d, Dense, Flatten, ReLU, Sequential, convert, run
from evsim.deep import bptt
from evsim.deep import surrogate as sg
from evsim.deep.runner import encode_batch
from evsim.deep.train import cross_entropy
from evsim.neurons import apply_reset

ALL = [sg.StraightThrough(), sg.ClippedStraightThrough(0.8), sg.FastSigmoid(3.0), sg.ArcTan(1.5), sg.Triangle(0.7),
       sg.STDB(0.5, 0.2), sg.STDB(0.5, 0.2, slope=3.0)]


@pytest.mark.parametrize("surrogate", ALL, ids=lambda s: type(s).__name__)
def test_each_relaxed_spike_has_the_pseudo_derivative_as_its_derivative(surrogate):
    """σ'(x) = d(x) by central differences (step 1e-6, to 1e-8) on a grid kept 1e-3 away from the kinks,
    at Δt = 1, 2, 5 (only STDB reads it)."""
    x = np.linspace(-3.0, 3.0, 2001)
    for kink in surrogate.kinks:
        x = x[np.abs(x - kink) > 1e-3]
    for elapsed in (1.0, 2.0, 5.0):
        dt = np.full_like(x, elapsed)
        numeric = (surrogate.relaxed(x + 1e-6, dt) - surrogate.relaxed(x - 1e-6, dt)) / 2e-6
        assert np.abs(numeric - surrogate.derivative(x, dt)).max() <= 1e-8


@pytest.mark.parametrize("surrogate", [sg.ClippedStraightThrough(0.8), sg.ArcTan(1.5), sg.Triangle(0.7),
                                       sg.FastSigmoid(2.0)], ids=lambda s: type(s).__name__)
def test_bounded_relaxed_spikes_run_from_zero_to_one_through_one_half(surrogate):
    """σ(0) = 1/2 and σ rises from (near) 0 to (near) 1: a relaxed Heaviside (FastSigmoid at k = 2 exactly)."""
    assert surrogate.relaxed(np.array(0.0)) == 0.5
    assert surrogate.relaxed(np.array(-1e6)) == pytest.approx(0.0, abs=1e-5)
    assert surrogate.relaxed(np.array(1e6)) == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.diff(surrogate.relaxed(np.linspace(-5, 5, 101))) >= 0)


def test_formulas_at_chosen_points():
    """The documented formulas: d(0) of each, the arctan at a = 2 is 1/(1 + (πx)²), STDB is α·exp(−β·Δt)."""
    x = np.array([0.0, 0.25])
    assert np.allclose(sg.ArcTan().derivative(x), 1 / (1 + (np.pi * x) ** 2), rtol=0, atol=1e-15)
    assert np.array_equal(sg.FastSigmoid(4.0).derivative(x), [1.0, 1 / 4])
    assert np.array_equal(sg.Triangle(0.5).derivative(x), [2.0, 1.0])
    assert np.array_equal(sg.ClippedStraightThrough(0.5).derivative(np.array([0.25, 0.2500001])), [2.0, 0.0])
    assert np.allclose(sg.STDB(0.3, 0.1).derivative(x, np.array([1.0, 3.0])), 0.3 * np.exp([-0.1, -0.3]))
    assert np.allclose(sg.STDB(0.3, 0.1, slope=4.0).derivative(x, np.array([1.0, 3.0])),
                       0.3 * np.exp([-0.1, -0.3]) / (1 + 4 * x) ** 2)


@pytest.mark.parametrize("make, argument, bad", [
    (sg.FastSigmoid, "slope", 0.0), (sg.FastSigmoid, "slope", float("nan")), (sg.ArcTan, "alpha", -1.0),
    (sg.Triangle, "width", True), (sg.ClippedStraightThrough, "width", "1"), (sg.STDB, "alpha", 0.0),
])
def test_parameters_are_refused_with_what_is_accepted(make, argument, bad):
    with pytest.raises(ValidationError, match=rf"{argument} .*must be a finite real number > 0.*got {bad!r}"):
        make(bad)


def test_stdb_decay_may_be_zero_but_not_negative():
    assert sg.STDB(beta=0.0).beta == 0.0
    with pytest.raises(ValidationError, match=r"STDB: beta .*>= 0.*got -0.1"):
        sg.STDB(beta=-0.1)


@pytest.mark.parametrize("reset, reset_to", [("subtract", np.nan), ("zero", 0.0)])
def test_relaxed_reset_is_apply_reset_at_whole_spikes(reset, reset_to):
    """relaxed_reset(m, s) with s in {0, 1} is apply_reset(m, s) bit for bit."""
    m = np.random.default_rng(1).normal(0.5, 1.0, 50)
    s = m >= 0.7
    assert np.array_equal(bptt.relaxed_reset(m, s.astype(float), 0.7, reset), apply_reset(m, s, 0.7, reset_to))


def _net():
    rng = np.random.default_rng(3)
    ann = Sequential([Dense(3, 4, rng=1), ReLU(), Dense(4, 2, rng=2)])
    snn = convert(ann, thresholds=[0.5], input_shape=(3,))
    snn = replace(snn, layers=(replace(snn.layers[0], beta=0.8),) + snn.layers[1:])
    return snn, rng.uniform(0, 1, (4, 3)), np.array([0, 1, 1, 0])


def _loss(snn, x, labels, **options):
    return cross_entropy(bptt.forward(snn, x, 5, sg.ArcTan(), relaxed=True, **options).logits[-1], labels)[0]


def test_detached_reset_is_a_different_gradient():
    """detach_reset=True drops the reset's path: its first-layer weight gradient differs from the exact one of
    the relaxed pass (which the default gives, to 1e-6 of the finite difference)."""
    snn, x, labels = _net()
    W = snn.layers[0].ops[0].params["W"]
    old = W[1, 2]
    W[1, 2] = old + 1e-6
    up = _loss(snn, x, labels)
    W[1, 2] = old - 1e-6
    down = _loss(snn, x, labels)
    W[1, 2] = old
    exact = (up - down) / 2e-6
    grads = {}
    for detach in (False, True):
        tape = bptt.forward(snn, x, 5, sg.ArcTan(), relaxed=True, detach_reset=detach)
        grads[detach] = bptt.backward(tape, cross_entropy(tape.logits[-1], labels)[1])[0].weights[0][1, 2]
    assert abs(grads[False] - exact) <= 1e-6 * abs(exact)
    assert abs(grads[True] - exact) > 1e-3 * abs(exact)


def test_gradient_of_every_steps_logits():
    """A loss of the logits after every step (Σ_t CE(logits_t)) — grad of shape (steps, batch, classes) —
    gets the finite-difference gradient for a bias of the first layer (to 1e-6)."""
    snn, x, labels = _net()

    def loss():
        logits = bptt.forward(snn, x, 5, sg.ArcTan(), relaxed=True).logits
        return sum(cross_entropy(step, labels)[0] for step in logits)

    bias = snn.layers[0].bias
    old = bias[2]
    bias[2] = old + 1e-6
    up = loss()
    bias[2] = old - 1e-6
    down = loss()
    bias[2] = old
    tape = bptt.forward(snn, x, 5, sg.ArcTan(), relaxed=True)
    grad = np.stack([cross_entropy(step, labels)[1] for step in tape.logits])
    computed = bptt.backward(tape, grad)[0].bias[2]
    assert abs(computed - (up - down) / 2e-6) <= 1e-6 * abs(computed)


def test_backward_leaves_the_net_as_it_was():
    """backward neither caches nor stores gradients in the net's ops, and forward does not change it."""
    snn, x, labels = _net()
    before = [dict(vars(op)) for layer in snn.layers for op in layer.ops]
    tape = bptt.forward(snn, x, 3, sg.FastSigmoid())
    bptt.backward(tape, cross_entropy(tape.logits[-1], labels)[1])
    after = [dict(vars(op)) for layer in snn.layers for op in layer.ops]
    assert [set(a) for a in after] == [set(b) for b in before]
    assert all(a["grads"] is b["grads"] for a, b in zip(after, before))


def test_arguments_are_refused_naming_them():
    snn, x, labels = _net()
    with pytest.raises(ValidationError, match=r"reset must be one of"):
        replace(snn.layers[0], reset="hard")
    with pytest.raises(ValidationError, match=r"surrogate must be a pseudo-derivative"):
        bptt.forward(snn, x, 3, "arctan")
    with pytest.raises(ValidationError, match=r"steps must be an integer >= 1, got 0"):
        bptt.forward(snn, x, 0, sg.ArcTan())
    with pytest.raises(ValidationError, match=r"x .*samples of shape \(3,\)"):
        bptt.forward(snn, x[:, :2], 3, sg.ArcTan())
    with pytest.raises(ValidationError, match=r"x .*samples of shape \(3, 3\)"):
        bptt.forward(snn, np.zeros((4, 2, 3)), 3, sg.ArcTan())
    tape = bptt.forward(snn, x, 3, sg.ArcTan())
    with pytest.raises(ValidationError, match=r"grad \(shape \(4, 3\)\) must be the gradient of the final logits"):
        bptt.backward(tape, np.zeros((4, 3)))
    with pytest.raises(ValidationError, match=r"tape must be a Tape"):
        bptt.backward(x, np.zeros((4, 2)))


def test_hard_forward_sums_in_the_runners_order():
    """(v + b) + I, as drift then the input: v = 0.1, b = 0.2, I = 0.3 give 0.6000000000000001, which reaches
    θ = 0.6000000000000001 (summed the other way, 0.1 + (0.2 + 0.3) = 0.6, it would not): bptt.forward fires
    at step 0 exactly when deep.run does."""
    theta = 0.1 + 0.2 + 0.3
    assert theta > 0.6
    ann = Sequential([Dense(1, 1), ReLU(), Dense(1, 1)])
    ann.layers[0].params["W"][:] = 1.0
    snn = convert(ann, thresholds=[theta], input_shape=(1,))
    first = replace(snn.layers[0], bias=np.array([0.2]), v_init=np.array([0.1]))
    snn = replace(snn, layers=(first,) + snn.layers[1:])
    x = np.array([[0.3]])
    tape = bptt.forward(snn, x, 2, sg.FastSigmoid())
    result = run(snn, x, 2, record_spikes=True)
    assert tape.spikes[0][0, 0, 0] and np.array_equal(tape.spikes[0], result.spikes[0])


@pytest.mark.parametrize("encoding", ["analog", "rate", "hybrid"])
def test_hard_forward_spikes_are_the_runners_with_arbitrary_floats(encoding):
    """Conv net with random float (not dyadic) weights, a leaky current-based first layer, θ/2 start:
    bptt.forward's spikes and logits equal deep.run's bit for bit, with and without single-spike masking."""
    rng = np.random.default_rng(0)
    ann = Sequential([Conv2d(1, 2, 3, padding=1, rng=3), ReLU(), AvgPool2d(2), Flatten(), Dense(8, 4, rng=1), ReLU(),
                      Dense(4, 3, rng=2)])
    x = rng.uniform(0, 1, (5, 1, 4, 4))
    snn = convert(ann, calibration=x, v_init="half")
    snn = replace(snn, layers=(replace(snn.layers[0], beta=0.9, synapse_beta=0.5),) + snn.layers[1:])
    for single in (False, True):
        result = run(snn, x, 7, encoding=encoding, rng=7, record_spikes=True, single_spike=single)
        values = x if encoding == "analog" else encode_batch(x, 7, encoding, np.random.default_rng(7))
        tape = bptt.forward(snn, values, 7, sg.ArcTan(), single_spike=single)
        assert np.array_equal(tape.logits, result.logits)
        assert all(np.array_equal(a.reshape(b.shape), b) for a, b in zip(tape.spikes, result.spikes, strict=True))
        assert sum(b.sum() for b in result.spikes) > 0


def test_a_cost_on_the_spikes_is_differentiated_through_time():
    """backward(spike_grad=[c_1, c_2]) is the gradient of CE + Σ_l Σ_t Σ_j c_l,j·s_l,t,j on the relaxed pass
    (central differences of every weight of both hidden layers, which differ in width so a cost given to the
    wrong layer cannot even broadcast, to 1e-6 of the largest), and a mutation that ignores it is far off."""
    rng = np.random.default_rng(3)
    ann = Sequential([Dense(3, 4, rng=1), ReLU(), Dense(4, 5, rng=2), ReLU(), Dense(5, 2, rng=3)])
    snn = convert(ann, thresholds=[0.5, 0.4], input_shape=(3,))
    snn = replace(snn, layers=(replace(snn.layers[0], beta=0.8),) + snn.layers[1:])
    x, labels = rng.uniform(0, 1, (4, 3)), np.array([0, 1, 1, 0])
    costs = [np.array([0.3, 0.1, 0.5, 0.2]), np.array([0.05, 0.4, 0.2, 0.1, 0.3])]

    def loss(net):
        tape = bptt.forward(net, x, 5, sg.ArcTan(), relaxed=True)
        return cross_entropy(tape.logits[-1], labels)[0] + sum(float((s * c).sum()) for s, c in zip(tape.spikes, costs))

    tape = bptt.forward(snn, x, 5, sg.ArcTan(), relaxed=True)
    grad = cross_entropy(tape.logits[-1], labels)[1]
    mine = [g.weights[0] for g in bptt.backward(tape, grad, spike_grad=costs)[:2]]
    without = [g.weights[0] for g in bptt.backward(tape, grad)[:2]]
    for k in range(2):
        W = snn.layers[k].ops[0].params["W"]
        numeric = np.zeros_like(W)
        for index in np.ndindex(W.shape):
            old = W[index]
            W[index] = old + 1e-6
            up = loss(snn)
            W[index] = old - 1e-6
            down = loss(snn)
            W[index] = old
            numeric[index] = (up - down) / 2e-6
        assert np.abs(mine[k] - numeric).max() <= 1e-6 * np.abs(numeric).max(), k
        assert np.abs(without[k] - numeric).max() > 1e-2 * np.abs(numeric).max(), k
    with pytest.raises(ValidationError, match=r"spike_grad must be None or one array per spiking layer \(2\)"):
        bptt.backward(tape, np.zeros((4, 2)), spike_grad=costs[:1])
    with pytest.raises(ValidationError, match=r"spike_grad\[0\] \(shape \(3,\)\) must be an array broadcastable"):
        bptt.backward(tape, np.zeros((4, 2)), spike_grad=[np.ones(3), costs[1]])
