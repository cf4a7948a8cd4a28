"""Hybrid SNN–ANN models (evsim.deep.hybrid): the spiking part, its accumulator in both engines, the head, energy."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from evsim.deep import Dense, ReLU, Sequential, layer_spikes, network_inputs, run, spiking_mlp, to_network
from evsim.deep.energy import E_AC, E_MAC
from evsim.deep.energy import dense_macs
from evsim.deep.hybrid import HybridNet, engine_features, features, fit_head, hybrid_energy, predict, spiking_part
from evsim.errors import ValidationError
from evsim.simulator import simulate
from tests.properties.test_training_laws import _on_grid


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), beta=st.sampled_from([1.0, 0.5, 0.75]), layers=st.sampled_from([1, 2]),
       reset=st.sampled_from(["subtract", "zero"]), steps=st.integers(1, 5))
def test_the_spiking_part_is_the_same_machine_in_the_runner_and_the_event_engine(seed, beta, layers, reset, steps):
    """Law: the spiking part of a hybrid (any kept depth, decay, reset and T) fires in the event engine exactly
    the runner's spikes, neuron by neuron and step by step, and its accumulator neurons end holding the runner's
    features times T. Parameters are on a 2⁻⁸ grid so that no sum depends on its order.

    Mutation that breaks it: ``features`` dividing by T − 1 (or reading the accumulator a step early)."""
    rng = np.random.default_rng(seed)
    snn = _on_grid(spiking_mlp([4, 6, 5, 3], theta=0.5, beta=beta, reset=reset, seed=seed % 1000))
    part = spiking_part(snn, layers)
    x = rng.integers(0, 17, (3, 4)) / 16
    values, result = features(part, x, steps, record_spikes=True)
    network = to_network(part)
    for i, sample in enumerate(x):
        record = simulate(network, network_inputs(np.broadcast_to(sample, (steps, 4))), until=steps)
        for engine, runner in zip(layer_spikes(record, part, steps), result.spikes, strict=True):
            assert np.array_equal(engine, runner[:, i])
    model = HybridNet(part, Sequential([Dense(part.layers[-1].size, 2, rng=0)]), steps)
    assert np.array_equal(engine_features(model, x), values)


def test_the_spiking_part_keeps_the_layers_and_adds_an_identity_accumulator():
    snn = spiking_mlp([4, 6, 5, 3], seed=0, beta=0.5)
    part = spiking_part(snn, 1)
    assert part.layers[0] is snn.layers[0] and part.layers[-1].theta is None
    assert np.array_equal(part.layers[-1].ops[0].params["W"], np.eye(6))
    assert len(spiking_part(snn).layers) == 3
    x = np.random.default_rng(0).random((5, 4))
    values, result = features(part, x, 6, record_spikes=True)
    assert np.allclose(values, snn.layers[0].theta * result.spikes[0].mean(axis=0), rtol=0, atol=1e-12)
    for bad in (0, 3, 1.5):
        with pytest.raises(ValidationError, match="spiking_part: layers"):
            spiking_part(snn, bad)


def test_the_head_trains_on_a_copy_and_predicts_from_the_features():
    rng = np.random.default_rng(1)
    x = rng.random((60, 3))
    y = (x[:, 0] > x[:, 1]).astype(int)
    part = spiking_part(spiking_mlp([3, 12, 2], seed=0, beta=0.75))
    head = Sequential([Dense(12, 8, rng=0), ReLU(), Dense(8, 2, rng=1)])
    before = head.layers[0].params["W"].copy()
    model = fit_head(part, head, x, y, 6, epochs=30, lr=0.01)
    again = fit_head(part, head, x, y, 6, epochs=30, lr=0.01)
    assert np.array_equal(head.layers[0].params["W"], before)  # the given head is not trained
    assert np.array_equal(model.head.layers[0].params["W"], again.head.layers[0].params["W"])  # seeded
    values, _ = features(part, x, 6)
    assert np.array_equal(predict(model, x), model.head.forward(values).argmax(axis=1))
    assert (predict(model, x) == y).mean() > 0.8
    with pytest.raises(ValidationError, match="fit_head: head must be an ANN whose input is the accumulator's 12"):
        fit_head(part, Sequential([Dense(5, 2, rng=0)]), x, y, 6)


def test_energy_is_the_spiking_parts_counted_operations_plus_one_mac_per_head_weight():
    part = spiking_part(spiking_mlp([3, 4, 2], seed=0))
    x = np.array([[1.0, 0.0, 0.5], [0.2, 0.9, 0.0]])
    _, result = features(part, x, 5, record_spikes=True)
    head = Sequential([Dense(4, 3, rng=0), ReLU(), Dense(3, 2, rng=0)])
    head.layers[0].params["W"][0, 0] = 0.0  # a zero weight costs nothing
    analog = sum(np.count_nonzero(sample) * 4 for sample in x) * 5  # 4 hidden neurons per input, every step
    spikes = int(result.spikes[0].sum())  # one AC each, into its accumulator
    expected = (analog * E_MAC + spikes * E_AC) / 2 + (11 + 6) * E_MAC
    assert hybrid_energy(result, head) == pytest.approx(expected, rel=1e-12)
    assert dense_macs(head) == 17.0


def test_a_convolutional_spiking_part_is_flattened_into_its_accumulator_in_both_engines():
    from evsim.deep import Conv2d, Flatten, convert

    rng = np.random.default_rng(0)
    ann = Sequential([Conv2d(1, 2, 3, rng=0), ReLU(), Flatten(), Dense(8, 3, rng=1)])
    x = rng.integers(0, 17, (3, 1, 4, 4)) / 16
    part = spiking_part(convert(ann, thresholds=[0.5], input_shape=(1, 4, 4)))
    values, result = features(part, x, 4, record_spikes=True)
    assert values.shape == (3, 8)
    assert np.allclose(values, 0.5 * result.spikes[0].reshape(4, 3, -1).mean(axis=0), rtol=0, atol=1e-12)
    model = HybridNet(part, Sequential([Dense(8, 2, rng=0)]), 4)
    assert np.allclose(engine_features(model, x), values, rtol=0, atol=1e-12)


def test_early_exit_is_refused_where_every_accumulator_is_read_at_the_end():
    part = spiking_part(spiking_mlp([3, 4, 2], seed=0))
    with pytest.raises(ValidationError, match="features: exit_threshold must be None"):
        features(part, np.ones((2, 3)), 4, exit_threshold=0.9)
    from evsim.deep import Conv2d

    with pytest.raises(ValidationError, match="dense_macs: model must be an ANN whose weighted layers are all Dense"):
        dense_macs(Sequential([Conv2d(1, 2, 3, rng=0)]))
