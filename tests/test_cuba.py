"""CubaLIF: one test per rule of its update (docs/design.md §2), its refusals and its files."""

from __future__ import annotations

import math

import numpy as np
import pytest

import evsim
from evsim import CubaLIF, Input, Network, Simulator, Synapse, ValidationError, simulate
from evsim.neurons import cuba_step, synaptic_current
from evsim.termination import why_endless
from tests.time_limit import time_limit


def stepped(model: CubaLIF, steps: int, inputs: dict[int, float] | None = None, dt: float = 1.0):
    """A plain loop of the rule, one step at a time: (potential after each step, spike steps, current at the end)."""
    beta_syn, beta_mem = model.betas(dt)
    v, i, vs, spikes = model.v_init, model.i_init, [], []
    for k in range(steps):
        i = beta_syn * i + model.i_bias + (inputs or {}).get(k, 0.0)
        m = model.v_rest + beta_mem * (v - model.v_rest) + model.bias + i
        if m >= model.threshold:
            spikes.append(k)
            v = m - model.threshold if model.reset == "subtract" else model.reset_potential
        else:
            v = m
        vs.append(v)
    return np.array(vs), spikes, i


def alone(model: CubaLIF, weight: float = 1.0, dt: float = 1.0) -> Network:
    return Network({"x": Input(), "y": model}, [Synapse("x", "y", weight, dt)], outputs={"y"}, dt=dt)


def test_the_current_decays_to_exactly_zero_with_no_input():
    """i_k = beta_syn·i_{k-1} with no input halves a current of 1 down to 0 (2^-1074·½ rounds to 0, ties to even)."""
    i, k = 1.0, 0
    while i != 0.0:
        i, k = synaptic_current(i, 0.5, 0.0, 0.0), k + 1
        assert i == 0.0 or i == 2.0**-k
    assert k == 1075


def test_cuba_step_is_the_rule_in_its_order():
    """``(beta_syn·i + i_bias) + I`` for the current, ``drift(v) + i`` for the potential (arrays and floats alike)."""
    i, m = cuba_step(np.array([0.5, -0.25]), np.array([1.0, 0.0]), np.array([0.25, 0.0]), 0.5, 0.75, 0.0, 0.125, 0.0625)
    assert i.tolist() == [0.5 + 0.0625 + 0.25, 0.0625]
    assert m.tolist() == [0.375 + 0.125 + 0.8125, -0.1875 + 0.125 + 0.0625]
    # the order shows where rounding differs: (β·i + i_bias) + I, not β·i + (i_bias + I)
    assert synaptic_current(-0.93, 0.51, 0.59, -0.17) == (0.51 * -0.93 + 0.59) + -0.17 != 0.51 * -0.93 + (0.59 - 0.17)
    out = np.array([1.0, 0.0])
    assert synaptic_current(out, 0.5, 0.0625, np.array([0.25, 0.0]), out=out) is out and out.tolist() == i.tolist()


def test_cuba_step_in_place_gives_the_same_bits():
    """The out= form (for a vectorised runner updating its buffers in place) runs the same operations."""
    rng = np.random.default_rng(0)
    v, i, I = rng.normal(size=(3, 1000))
    for v_rest, beta_mem in ((0.0, 0.9), (-0.2, 0.37), (0.0, 1.0)):
        want = cuba_step(v, i, I, 0.8, beta_mem, v_rest, 0.01, -0.003)
        vv, ii = v.copy(), i.copy()
        got = cuba_step(vv, ii, I, 0.8, beta_mem, v_rest, 0.01, -0.003, out=(ii, vv))
        assert got[0] is ii and got[1] is vv
        assert ii.tobytes() == want[0].tobytes() and vv.tobytes() == want[1].tobytes()


def test_a_current_alone_moves_the_potential_until_both_rest():
    """With no input, i_init drives v then both decay to a fixed point. A neuron that provably cannot reach its
    threshold gets no update of its own (its idle steps are computed only where needed, here when sampled);
    one that may reach it updates at every step until it provably cannot; both sample as the loop, bit for
    bit, at every step."""
    steps = 4000
    for threshold in (10.0, 0.5):
        model = CubaLIF(tau_syn=3.0, tau_mem=2.0, threshold=threshold, i_init=1.0)
        record = simulate(Network({"y": model}, [], outputs={"y"}), {}, until=steps, probes=["y"], trace=True)
        want, spikes, current = stepped(model, steps)
        trace = record.potentials["y"]
        assert np.array_equal(trace.sample(np.arange(steps, dtype=float)), want)
        assert record.trains()["y"].tolist() == [float(k) for k in spikes]
        assert synaptic_current(current, model.betas(1.0)[0], 0.0, 0.0) == current  # a fixed point: 0 or subnormal
        if threshold == 10.0:
            assert trace.time.size == 0 and not spikes
        else:
            assert spikes and spikes[-1] < trace.time.size < 50  # awake while it may fire, then quiet


def test_idle_steps_are_skipped_bit_exactly():
    """Arrivals close and far apart, with non-dyadic numbers: the engine's potential after every step equals
    stepping, bit for bit (so rounding, not only the rule, is the loop's)."""
    model = CubaLIF(tau_syn=3.3, tau_mem=7.1, threshold=1.0, v_rest=0.1, bias=0.01, i_bias=0.003, v_init=0.2)
    times = list(range(0, 300, 7)) + [900, 2500]
    record = simulate(alone(model, 0.7), {"x": times}, until=3000, probes=["y"])
    want, spikes, _ = stepped(model, 3000, {t + 1: 0.7 for t in times})
    assert np.array_equal(record.potentials["y"].sample(np.arange(3000, dtype=float)), want)
    assert record.trains()["y"].tolist() == [float(k) for k in spikes] and spikes


@pytest.mark.parametrize("reset, after", [("subtract", 0.25), ("zero", 0.0), (-0.5, -0.5)])
def test_reset_sets_the_potential_and_keeps_the_current(reset, after):
    """A spike resets v (subtract keeps the excess) and leaves the current alone: it goes on driving v."""
    model = CubaLIF.from_betas(0.5, 0.5, threshold=1.0, i_init=2.5, reset=reset)  # m_0 = 1.25: fires
    record = simulate(Network({"y": model}, [], outputs={"y"}), {}, until=3, probes=["y"])
    trace = record.potentials["y"]
    assert trace.before[0] == 1.25 and trace.after[0] == after
    assert trace.before[1] == after / 2 + 0.625  # the current 1.25 is still there at step 1
    assert record.trains()["y"][0] == 0.0


def test_from_betas_gives_exactly_those_decays():
    """exp(-dt/tau) == beta for the tau it picks (where one exists: see CubaLIF.from_betas)."""
    for beta_syn, beta_mem, dt in [(0.5, 0.75, 1.0), (0.8, 0.9, 1e-3), (0.875, 0.2, 0.25), (1 - 2**-20, 0.5, 3.0),
                                   (0.643, 0.5, 1.0)]:  # (0.643 needs the nudge: -dt/ln(β) misses it by an ulp)
        assert CubaLIF.from_betas(beta_syn, beta_mem, dt=dt).betas(dt) == (beta_syn, beta_mem)
    with pytest.raises(ValidationError, match=r"CubaLIF.from_betas: beta_syn must be .*< 1.*got 1.0"):
        CubaLIF.from_betas(1.0, 0.5)


def test_a_continuous_network_refuses_it_and_says_why():
    with pytest.raises(ValidationError, match=r"neuron 'y' is a CubaLIF neuron, which runs only in discrete time "
                                              r"\(its threshold crossing .* no closed form .*\); give the network a "
                                              r"clock, e.g. dt=1.0"):
        Network({"x": Input(), "y": CubaLIF()}, [Synapse("x", "y")], dt=None)


def test_time_constants_must_be_finite_and_positive():
    with pytest.raises(ValidationError, match=r"CubaLIF: tau_syn \(ms\) must be a finite real number > 0.*got inf"):
        CubaLIF(tau_syn=math.inf)
    with pytest.raises(ValidationError, match=r"CubaLIF: tau_mem \(ms\) must be .*got 0.0"):
        CubaLIF(tau_mem=0.0)


def test_a_current_alone_ends_a_run_without_end():
    """A current decays: a CubaLIF with a large i_init fires a while, comes to rest, and until=inf ends."""
    net = Network({"y": CubaLIF(tau_syn=5.0, tau_mem=10.0, i_init=100.0)}, [], outputs={"y"})
    assert why_endless(net) is None
    with time_limit(30):
        record = simulate(net, {}, until=math.inf)
    assert 10 < record.counts()["y"] < 1000


@pytest.mark.parametrize("model, reason", [
    (CubaLIF.from_betas(0.5, 0.75, i_bias=0.125), "free evolution reaches its threshold"),  # v* = 1 = θ
    (CubaLIF.from_betas(0.5, 0.75, bias=0.3), "free evolution reaches its threshold"),
    (CubaLIF(reset=2.0), "its reset leaves it at or above its threshold"),
    (CubaLIF(tau_syn=1e20), "or at least updates at every step: its current never decays"),
    (CubaLIF(tau_mem=1e20, i_bias=-0.1), "or at least updates at every step: no leak at this dt"),
])
def test_self_driven_cubalif_refuses_a_run_without_end(model, reason):
    net = Network({"y": model}, [], outputs={"y"})
    with pytest.raises(ValidationError, match=f"neuron 'y' fires forever with no input \\({reason}"), time_limit(30):
        Simulator(net).run(math.inf)


def test_a_settling_bias_is_not_self_driven():
    """v* = v_rest + (bias + i_bias/(1 − β_syn))/(1 − β_mem) = 0.5 < θ: it comes to rest, and the run ends."""
    net = Network({"y": CubaLIF.from_betas(0.5, 0.75, i_bias=0.0625)}, [], outputs={"y"})
    assert why_endless(net) is None
    with time_limit(30):
        assert simulate(net, {}, until=math.inf).counts()["y"] == 0


def test_an_exciting_cycle_of_cubalif_neurons_is_named():
    net = Network({"a": CubaLIF(), "b": CubaLIF()}, [Synapse("a", "b", 2.0), Synapse("b", "a", 2.0)])
    assert why_endless(net) == "the synapse cycle a -> b -> a can carry activity round forever"


def test_save_and_load_keep_every_field(tmp_path):
    model = CubaLIF(tau_syn=2.5, tau_mem=1e-3 / 3, threshold=0.7, v_rest=-0.1, v_init=0.3, i_init=-0.2, bias=0.01,
                    i_bias=1 / 3, reset=-0.5)
    net = alone(model, 0.4)
    loaded = evsim.io.load(evsim.io.save(net, tmp_path / "cuba.npz"))
    assert loaded.neurons == net.neurons
    inputs = {"x": [0.0, 3.0, 4.0]}
    assert simulate(loaded, inputs, until=50) == simulate(net, inputs, until=50)


def test_probing_and_tracing_show_every_update():
    record = simulate(alone(CubaLIF.from_betas(0.5, 0.5, threshold=0.5)), {"x": [0]}, until=4, trace=True,
                      probes=["y"])
    lines = [(e.time, e.kind, e.value) for e in record.trace if e.neuron == "y"]
    assert lines == [(1.0, "arrive", 1.0), (1.0, "deliver", 1.0), (1.0, "update", 1.0), (1.0, "spike", 1.0),
                     (1.0, "reset", 0.5), (2.0, "update", 0.75), (2.0, "spike", 1.0), (2.0, "reset", 0.25),
                     (3.0, "update", 0.375)]
    assert record.potentials["y"].after.tolist() == [0.5, 0.25, 0.375]


def test_potentials_have_stepping_bits_down_to_the_sign_of_zero():
    """v_init = -0.0: the first idle step gives +0.0 (v_rest + β·(v − v_rest) rounds to +0), equal as a number
    but not as bits; the sampled potential has stepping's bits at every step."""
    record = simulate(Network({"y": CubaLIF(v_init=-0.0)}, [], outputs={"y"}), {}, until=5, probes=["y"])
    assert np.signbit(stepped(CubaLIF(v_init=-0.0), 5)[0]).tolist() == [False] * 5
    assert np.signbit(record.potentials["y"].sample(np.arange(5.0))).tolist() == [False] * 5
    assert record.potentials["y"].time.size == 0  # it cannot fire: no update of its own


def test_a_reset_to_minus_zero_is_kept_beside_a_reset_to_zero():
    """Parameters every neuron shares are kept as one scalar only if they are the same bits: reset=-0.0 beside
    reset="zero" (0.0 == -0.0 as numbers) still resets to -0.0, as the loop does."""
    fire_at_once = dict(tau_syn=1.0, tau_mem=1.0, v_init=3.0)
    net = Network({"a": CubaLIF(reset="zero", **fire_at_once), "b": CubaLIF(reset=-0.0, **fire_at_once)}, [])
    record = simulate(net, {}, until=1, probes=["a", "b"])
    assert [np.signbit(record.potentials[name].after[0]) for name in "ab"] == [False, True]
