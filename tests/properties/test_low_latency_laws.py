"""Laws of coding compensation, early exit, single-spike inference and operation counts."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import evsim
from evsim.deep import Dense, ReLU, Sequential, convert, network_inputs, run, to_network
from evsim.deep.energy import ann_energy, energy_ratio
from evsim.deep.runner import encode_batch
from evsim.encoding import compensate, rate

unit = st.floats(0.0, 1.0, allow_nan=False)


@given(arrays(float, st.integers(1, 12), elements=unit), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_compensation_delivers_the_rounded_count_at_every_step(x, T, seed):
    """Compensated Bernoulli input has delivered exactly floor(x·t + 1/2) spikes after every step t."""
    delivered = compensate(rate(x, T, rng=seed), x).array
    cumulative = np.cumsum(delivered, axis=0)
    t = np.arange(1, T + 1)[:, None]
    assert np.array_equal(cumulative, np.floor(x[None, :] * t + 0.5))
    assert delivered.min(initial=0) >= 0 and delivered.max(initial=0) <= 1


def small_net(seed, n_in=5, hidden=7):
    rng = np.random.default_rng(seed)
    ann = Sequential([Dense(n_in, hidden, rng=seed), ReLU(), Dense(hidden, hidden, rng=seed + 1), ReLU(),
                      Dense(hidden, 3, rng=seed + 2)])
    x = rng.random((12, n_in))
    return convert(ann, thresholds=[0.8, 0.8], input_shape=(n_in,), v_init="half"), x


def max_softmax(logits: np.ndarray) -> np.ndarray:
    """``max softmax`` over the last axis, computed as the runner computes it (temperature 1)."""
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e.max(axis=-1) / e.sum(axis=-1)


@given(st.integers(0, 1000), st.sampled_from(["analog", "rate", "hybrid"]), st.floats(0.0, 1.0),
       st.integers(2, 12))
def test_early_exit_with_a_threshold_no_confidence_exceeds_is_fixed_T(seed, encoding, share, T):
    """SEENN-I exits a sample only once its confidence max softmax exceeds α (strictly): with α at or
    above every confidence the fixed-T run reaches before its last step (and below 1, the largest α
    accepted), no sample exits and the run is fixed-T inference, bit for bit."""
    snn, x = small_net(seed)
    fixed = run(snn, x, T, encoding=encoding, rng=3, labels=np.zeros(len(x), int))
    reached = float(max_softmax(fixed.logits[:-1]).max())
    assume(reached < 1.0)
    alpha = min(reached + share * (1.0 - reached), float(np.nextafter(1.0, 0.0)))
    exiting = run(snn, x, T, encoding=encoding, rng=3, labels=np.zeros(len(x), int), exit_threshold=alpha)
    assert np.array_equal(fixed.logits, exiting.logits) and np.array_equal(fixed.acs, exiting.acs)
    assert np.array_equal(fixed.macs, exiting.macs) and np.all(exiting.exit_step == T)
    assert exiting.exit_accuracy == fixed.accuracy[-1]


@given(st.integers(0, 1000), st.floats(0.4, 0.99))
def test_exited_samples_stop_costing(seed, alpha):
    """Early exit: a sample's logits freeze at its exit step and agree with fixed-T inference before
    it (to 1e-9: when samples leave, BLAS may round the smaller batch's products differently), exit
    steps sum to the histogram's Σ t·n_t, and the batch never costs more than fixed-T inference."""
    snn, x = small_net(seed)
    fixed = run(snn, x, 10)
    early = run(snn, x, 10, exit_threshold=alpha)
    hist = early.exit_histogram()
    assert hist.sum() == len(x) and (np.arange(1, 11) * hist).sum() == early.exit_step.sum()
    for b, t in enumerate(early.exit_step):
        assert np.array_equal(early.logits[t - 1:, b], np.broadcast_to(early.logits[t - 1, b], early.logits[t - 1:, b].shape))
        assert np.allclose(early.logits[:t, b], fixed.logits[:t, b], rtol=0, atol=1e-9)
    assert early.synops.sum() <= fixed.synops.sum()


@given(st.integers(0, 1000), st.integers(2, 12))
def test_single_spike_layers_fire_at_most_once(seed, T):
    """Hybrid single-spike inference: every hidden neuron fires at most once per image."""
    snn, x = small_net(seed)
    out = run(snn, x, T, encoding="hybrid", single_spike=True, record_spikes=True)
    assert all(layer.sum(axis=0).max(initial=0) <= 1 for layer in out.spikes)


@settings(max_examples=20)
@given(st.integers(0, 1000), st.sampled_from(["analog", "rate", "hybrid"]), st.integers(2, 6))
def test_operation_counts_equal_spike_synapse_pairs_in_the_event_engine(seed, encoding, T):
    """Every counted operation is one (event, outgoing synapse) pair: the runner's per-layer totals
    equal those pairs counted independently from the event engine's record on to_network."""
    snn, x = small_net(seed)
    out = run(snn, x, T, encoding=encoding, rng=5)
    net = to_network(snn)
    out_degree = np.bincount(net.table.source, minlength=len(net.names))
    feeds = np.array([0 if n.startswith("in") else (int(n[1:].split("_")[0]) + 1 if n.startswith("L") else -1)
                      for n in net.names])  # the layer a neuron's synapses feed
    inputs = encode_batch(x, T, encoding, np.random.default_rng(5))
    counted = np.zeros(len(snn.layers))
    for b in range(len(x)):
        record = evsim.simulate(net, network_inputs(inputs[:, b]), until=T)
        for k in range(len(snn.layers)):  # events of layer k-1 (inputs for k = 0) feed layer k
            sources = record.neuron[feeds[record.neuron] == k]
            counted[k] += out_degree[sources].sum()
    assert np.array_equal(out.synops.sum(axis=0), counted)
    assert energy_ratio(out, snn) * ann_energy(snn) * len(x) == np_approx(out.energy())


def np_approx(value):
    import pytest

    return pytest.approx(value, rel=1e-12)
