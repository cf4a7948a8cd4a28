"""Laws of the current-based LIF (CubaLIF) in the event engine, on random discrete networks.

The oracle is the update rule written out here in plain NumPy, one step and one neuron at a time::

    i_k = (beta_syn * i_{k-1} + i_bias) + I_k
    m_k = (v_rest + beta_mem * (v_{k-1} - v_rest) + bias) + i_k
    fire iff m_k >= theta;  v_k = m_k - theta (subtract), the reset value (hard), or m_k

Numbers are dyadic (weights, biases, inputs and initial states multiples of 1/16; decays 1/2, 3/4, 7/8
through ``CubaLIF.from_betas``), so sums of arrivals are exact and any difference is a real one.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from evsim import Analog, CubaLIF, Input, Network, Simulator, Synapse, reference, simulate
from evsim.testing import assert_spikes_equal

BETAS = (0.5, 0.75, 0.875)
sixteenths = st.integers(-16, 24).map(lambda n: n / 16)


@st.composite
def cuba_setups(draw):
    """A network of 1–2 inputs and 1–4 CubaLIF neurons, synapses with delays 0–3 (zero delay only forward,
    so the zero-delay graph is acyclic), inputs on random steps with spike or analog values, and a length."""
    n_in, n_cuba = draw(st.integers(1, 2)), draw(st.integers(1, 4))
    names = [f"x{j}" for j in range(n_in)] + [f"c{j}" for j in range(n_cuba)]
    neurons = {name: Input() for name in names[:n_in]}
    for name in names[n_in:]:
        reset = draw(st.sampled_from(["subtract", "zero", -0.25, 0.5, -0.0]))  # (-0.0: resting is bit for bit)
        neurons[name] = CubaLIF.from_betas(
            draw(st.sampled_from(BETAS)), draw(st.sampled_from(BETAS)),
            threshold=draw(st.sampled_from([0.5, 1.0, 1.5])), v_rest=draw(st.sampled_from([0.0, -0.125, 0.25])),
            v_init=draw(sixteenths | st.just(-0.0)), i_init=draw(sixteenths | st.just(-0.0)),
            bias=draw(st.integers(-2, 2)) / 16,
            i_bias=draw(st.integers(-2, 2)) / 16, reset=reset)
    synapses = []
    for _ in range(draw(st.integers(1, 10))):
        s, t = draw(st.integers(0, len(names) - 1)), draw(st.integers(n_in, len(names) - 1))
        delay = draw(st.integers(0, 3))
        if delay == 0 and t <= s:
            delay = 1  # (a delay breaks any loop)
        synapses.append(Synapse(names[s], names[t], draw(sixteenths), float(delay)))
    steps = draw(st.integers(1, 40))
    inputs = {}
    for name in names[:n_in]:
        times = sorted(draw(st.sets(st.integers(0, steps - 1), max_size=8)))
        if draw(st.booleans()):
            inputs[name] = [float(k) for k in times]
        else:
            inputs[name] = Analog([float(k) for k in times], [draw(sixteenths) for _ in times])
    return Network(neurons, synapses, outputs=set(names[n_in:])), inputs, steps


def numpy_oracle(net, inputs, steps):
    """The rule above, step by step (neurons in zero-delay rank order, arrivals in synapse-row order).

    Returns (fired, v): fired[k, j] for every step and neuron, and every CubaLIF's potential after the last step.
    """
    names, models = list(net.names), list(net.neurons.values())
    n = len(names)
    fired, value = np.zeros((steps, n), bool), np.zeros((steps, n))
    for name, train in inputs.items():
        j = names.index(name)
        times, values = (train.times, train.values) if isinstance(train, Analog) else (train, [1.0] * len(train))
        for t, x in zip(times, values):
            fired[int(t), j], value[int(t), j] = True, x
    rows = list(zip(net.table.source.tolist(), net.table.target.tolist(), net.table.weight.tolist(),
                    net.delay_steps.astype(int).tolist()))
    cuba = [j for j in np.argsort(net.ranks, kind="stable").tolist() if isinstance(models[j], CubaLIF)]
    v = np.array([getattr(m, "v_init", 0.0) for m in models])
    i = np.array([getattr(m, "i_init", 0.0) for m in models])
    for k in range(steps):
        for j in cuba:
            m_ = models[j]
            beta_syn, beta_mem = np.exp(-1.0 / m_.tau_syn), np.exp(-1.0 / m_.tau_mem)
            total = np.float64(0.0)
            for s, t, w, d in rows:
                if t == j and k - d >= 0 and fired[k - d, s]:
                    total = total + w * value[k - d, s]
            i[j] = beta_syn * i[j] + m_.i_bias + total
            m = m_.v_rest + beta_mem * (v[j] - m_.v_rest) + m_.bias + i[j]
            if m >= m_.threshold:
                fired[k, j], value[k, j] = True, 1.0
                v[j] = m - m_.threshold if m_.reset == "subtract" else m_.reset_potential
            else:
                v[j] = m
    return fired, v


def engine_run(net, inputs, steps):
    """The event engine's spikes as a (steps, neurons) array, and each CubaLIF's potential after the last step."""
    cuba = [name for name, m in net.neurons.items() if isinstance(m, CubaLIF)]
    record = simulate(net, inputs, until=steps, probes=cuba)
    fired = np.zeros((steps, len(net.names)), bool)
    fired[np.round(record.time).astype(int), record.neuron] = True
    return fired, {name: record.potentials[name].sample([steps - 1.0])[0] for name in cuba}


@given(cuba_setups())
def test_cuba_engine_equals_the_numpy_oracle_bit_for_bit(setup):
    """Law: on random CubaLIF networks the event engine fires at exactly the oracle's steps, and every
    neuron's potential after the last step is the oracle's, bit for bit (idle steps skipped only where they
    change nothing); evsim.reference.simulate gives the same spikes."""
    net, inputs, steps = setup
    want_fired, want_v = numpy_oracle(net, inputs, steps)
    got_fired, got_v = engine_run(net, inputs, steps)
    assert np.array_equal(got_fired, want_fired)
    for name, v in got_v.items():
        assert np.float64(v).tobytes() == want_v[net.names.index(name)].tobytes(), name
    oracle = reference.simulate(net, inputs, steps).trains
    assert {name: np.flatnonzero(want_fired[:, j]).astype(float).tolist()
            for j, name in enumerate(net.names)} == oracle


@given(cuba_setups(), st.data())
def test_cuba_runs_in_pieces_equal_whole_runs(setup, data):
    """Law: running to t1, t2, … in turn leaves the same spikes as one run to the end, for any cuts (resting
    and waking do not depend on where a run stops)."""
    net, inputs, steps = setup
    pieces = Simulator(net)
    pieces.feed(inputs)
    for until in sorted(data.draw(st.lists(st.integers(0, steps), max_size=3))) + [steps]:
        pieces.run(until)
    assert_spikes_equal(pieces.record, simulate(net, inputs, until=steps))
