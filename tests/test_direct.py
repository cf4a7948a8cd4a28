"""Direct training (evsim.deep.direct, evsim.deep.methods, ``evsim train``): determinism, the loss, what a
trained net is, and refusals. The engine law on trained nets: tests/properties/test_training_laws.py."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from evsim import ValidationError, io
from evsim.cli import TRAINING_METHODS, main
from evsim import simulate
from evsim.deep import bptt, direct, network_inputs, run, to_network
from evsim.deep.runner import encode_batch
from evsim.deep import surrogate as sg
from evsim.datasets import Dataset, load_digits
from evsim.deep.methods import METHODS, train_digits
from evsim.deep.train import cross_entropy


def _blobs(n: int = 60, seed: int = 0):
    """Three separable classes of 6 features in [0, 1]."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    centres = np.array([[0.9, 0.8, 0.1, 0.1, 0.2, 0.1], [0.1, 0.1, 0.9, 0.8, 0.1, 0.2], [0.2, 0.1, 0.1, 0.2, 0.9, 0.8]])
    return np.clip(centres[y] + rng.normal(0, 0.1, (n, 6)), 0.0, 1.0), y


def _weights(net):
    return [op.params["W"] for layer in net.layers for op in layer.ops if "W" in op.params] + \
           [layer.bias for layer in net.layers]


def test_the_same_seed_gives_the_same_weights_bit_for_bit():
    """fit is deterministic: the same seed gives identical weights, biases and curve (rate input: the draws are
    seeded too); another seed gives other weights."""
    x, y = _blobs()
    net = direct.spiking_mlp([6, 8, 3], beta=0.5, seed=1)
    options = dict(epochs=2, batch=16, encoding="rate", surrogate=sg.ArcTan())
    first, again = direct.fit(net, x, y, 4, seed=3, **options), direct.fit(net, x, y, 4, seed=3, **options)
    other = direct.fit(net, x, y, 4, seed=4, **options)
    assert all(np.array_equal(a, b) for a, b in zip(_weights(first.net), _weights(again.net)))
    assert first.losses == again.losses and first.accuracies == again.accuracies
    assert not all(np.array_equal(a, b) for a, b in zip(_weights(first.net), _weights(other.net)))


def test_training_learns_and_leaves_the_given_net_alone():
    """On three separable classes the loss falls and the net ends up classifying the data; the net passed in
    keeps its weights (fit trains a copy)."""
    x, y = _blobs()
    net = direct.spiking_mlp([6, 16, 3], seed=0)
    before = [w.copy() for w in _weights(net)]
    training = direct.fit(net, x, y, 4, epochs=15, batch=10, lr=3e-3, validation=(x, y))
    assert training.losses[-1] < 0.5 * training.losses[0]
    assert training.validation[-1] >= 0.95
    assert run(training.net, x, 4, labels=y).accuracy[-1] == training.validation[-1]
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(net)))


def test_the_leak_and_the_initial_potential_train_when_asked():
    x, y = _blobs()
    net = direct.spiking_mlp([6, 8, 3], beta=0.75, seed=0)
    fixed = direct.fit(net, x, y, 4, epochs=2)
    trained = direct.fit(net, x, y, 4, epochs=2, train_leak=True, train_v_init=True)
    assert fixed.net.layers[0].beta == 0.75 and not fixed.net.layers[0].v_init.any()
    assert trained.net.layers[0].beta != 0.75 and trained.net.layers[0].v_init.any()
    assert 0.0 <= trained.net.layers[0].beta <= 1.0


def test_time_and_membrane_loss_is_its_formula_and_its_gradient():
    """L = CE(u_T) + (1/T)·Σ_t CE(u_t), checked term by term; its gradient against central differences."""
    rng = np.random.default_rng(0)
    logits, labels = rng.normal(size=(3, 4, 5)), np.array([0, 2, 4, 1])
    value, grad = direct.output_loss(logits, labels, "time+membrane")
    expected = cross_entropy(logits[-1], labels)[0] + np.mean([cross_entropy(u, labels)[0] for u in logits])
    assert value == pytest.approx(expected, rel=1e-12)
    numeric = np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[index] += 1e-6
        down[index] -= 1e-6
        numeric[index] = (direct.output_loss(up, labels, "time+membrane")[0]
                          - direct.output_loss(down, labels, "time+membrane")[0]) / 2e-6
    assert np.abs(numeric - grad).max() <= 1e-8
    final_value, final_grad = direct.output_loss(logits, labels, "final")
    assert final_grad.shape == (4, 5) and final_value == cross_entropy(logits[-1], labels)[0]


def test_cosine_schedule_falls_from_lr_towards_zero():
    rates = [direct.learning_rate(1e-3, "cosine", k, 10) for k in range(10)]
    assert rates[0] == 1e-3 and all(a > b for a, b in zip(rates, rates[1:])) and rates[-1] < 0.03e-3
    assert direct.learning_rate(1e-3, "constant", 7, 10) == 1e-3


def test_a_trained_net_is_a_spiking_net_like_a_converted_one(tmp_path):
    """run, energy, early exit, save/load, to_network and NIR export take a trained net (zero reset, β = 0 too)."""
    x, y = _blobs()
    net = direct.spiking_mlp([6, 8, 3], beta=0.0, reset="zero", seed=0)
    trained = direct.fit(net, x, y, 3, epochs=2, encoding="rate").net
    result = run(trained, x, 3, encoding="rate", rng=0, labels=y, exit_threshold=0.9)
    assert result.energy() > 0 and result.exit_step.min() >= 1
    back = io.load(io.save(trained, tmp_path / "trained.npz"))
    assert [(l.beta, l.reset) for l in back.layers] == [(0.0, "zero"), (1.0, "subtract")]
    assert np.array_equal(run(back, x, 3).logits, run(trained, x, 3).logits)
    network = to_network(trained)
    assert network.neurons["L0_0"].reset == "zero" and np.exp(-1.0 / network.neurons["L0_0"].tau) == 0.0
    from evsim.nirio import from_nir, to_nir

    graph = to_nir(trained)
    assert [type(node).__name__ for node in graph.nodes.values()].count("LIF") == 1  # the β = 0 layer
    drive = encode_batch(x[:1], 3, "analog", None)[:, 0]
    ours, again = network, from_nir(graph, dt=1.0)
    counts = []
    for net_ in (ours, again):
        trains = simulate(net_, network_inputs(drive), until=3).trains()
        counts.append(sorted(len(trains[name]) for name, model in net_.neurons.items()
                             if type(model).__name__ != "Input"))
    assert counts[0] == counts[1] and sum(counts[0]) > 0


def test_progress_bar_and_callback(capsys):
    x, y = _blobs(30)
    net = direct.spiking_mlp([6, 4, 3], seed=0)
    seen = []
    direct.fit(net, x, y, 2, epochs=3, progress=lambda epoch, loss: seen.append((epoch, loss)))
    assert [epoch for epoch, _ in seen] == [0, 1, 2] and all(np.isfinite(loss) for _, loss in seen)
    direct.fit(net, x, y, 2, epochs=2, progress=True)
    assert "training through time" in capsys.readouterr().err


@pytest.mark.parametrize("changes, says", [
    (dict(steps=0), r"fit: steps must be an integer >= 1, got 0"),
    (dict(steps=1, encoding="hybrid"), r"fit: steps must be an integer >= 2, got 1"),
    (dict(lr=-0.1), r"fit: lr \(the learning rate\) must be a finite real number > 0.0 .*got -0.1"),
    (dict(lr=0.0), r"fit: lr \(the learning rate\) must be a finite real number > 0.0"),
    (dict(epochs=0), r"fit: epochs must be an integer >= 1, got 0"),
    (dict(encoding="poisson"), r"fit: encoding must be one of"),
    (dict(loss="mse"), r"fit: loss must be one of 'final', 'time\+membrane', got 'mse'"),
    (dict(schedule="step"), r"fit: schedule must be one of"),
    (dict(encoding="rate", single_spike=True), r"fit: single_spike with encoding='rate' .*a rate code carries"),
    (dict(surrogate="arctan"), r"fit: surrogate must be a pseudo-derivative"),
    (dict(validation=np.zeros((2, 6))), r"fit: validation must be a pair \(x, y\)"),
    (dict(x=np.full((60, 6), 2.0), encoding="rate"), r"fit: x\[0, 0\] must be finite real numbers >= 0.0 and <= 1.0, got 2.0"),
    (dict(y=np.full(60, 7)), r"fit: y"),
    (dict(dropout=1.0), r"fit: dropout must be a finite real number >= 0.0 and < 1.0 .*got 1.0"),
    (dict(dropout=-0.1), r"fit: dropout must be a finite real number >= 0.0 and < 1.0 .*got -0.1"),
])
def test_bad_hyper_parameters_are_refused_naming_them(changes, says):
    x, y = _blobs()
    arguments = dict(x=x, y=y, steps=3)
    arguments.update({key: changes.pop(key) for key in ("x", "y", "steps") if key in changes})
    net = direct.spiking_mlp([6, 4, 3], seed=0)
    with pytest.raises(ValidationError, match=says):
        direct.fit(net, arguments["x"], arguments["y"], arguments["steps"], **changes)


def test_spiking_mlp_refuses_bad_shapes_and_builds_what_it_says():
    net = direct.spiking_mlp([6, 5, 4, 3], theta=0.5, beta=0.25, reset="zero", seed=2)
    assert [layer.size for layer in net.layers] == [5, 4, 3]
    assert [(layer.theta, layer.beta, layer.reset) for layer in net.layers[:2]] == [(0.5, 0.25, "zero")] * 2
    with pytest.raises(ValidationError, match=r"spiking_mlp: sizes must be at least three layer widths"):
        direct.spiking_mlp([6, 3])
    with pytest.raises(ValidationError, match=r"spiking_mlp: reset must be one of"):
        direct.spiking_mlp([6, 4, 3], reset="hard")
    with pytest.raises(ValidationError, match=r"spiking_mlp: theta must be a finite real number > 0.0"):
        direct.spiking_mlp([6, 4, 3], theta=-1)
    with pytest.raises(ValidationError, match=r"spiking_mlp: beta must be a finite real number >= 0.0 and <= 1.0"):
        direct.spiking_mlp([6, 4, 3], beta=2)


def test_every_method_trains_on_the_digits():
    """Each documented method runs end to end (one epoch, a small net) and reports what it promises."""
    for method in METHODS:
        result = train_digits(method, 2, epochs=1, hidden=16, seed=1)
        assert 0.0 <= result.accuracy <= 1.0 and len(result.curve.losses) == 1
        assert (result.ann_accuracy is not None) == METHODS[method].converted
        assert "trained SNN: test accuracy" in result.format()
        if METHODS[method].single_spike:
            spikes = run(result.net, np.zeros((1, 64)) + 0.5, 2, encoding="hybrid", single_spike=True,
                         record_spikes=True).spikes
            assert all(layer.sum(axis=0).max() <= 1 for layer in spikes)
    with pytest.raises(ValidationError, match=r"train_digits: method must be one of"):
        train_digits("surrogate")


def test_a_fold_of_the_training_set_is_measured_instead_of_the_test_set():
    """``data=load_digits().fold(k)``: the reported accuracy is on part k of the training split."""
    fold = load_digits().fold(1)
    result = train_digits("continuous", 2, epochs=1, hidden=16, seed=1, data=fold)
    measured = run(result.net, fold.x_test.reshape(len(fold.x_test), -1), 2, labels=fold.y_test)
    assert result.accuracy == float(measured.accuracy[-1])
    toy = Dataset("toy", np.zeros((4, 2, 2)), np.arange(4) % 2, np.zeros((2, 2, 2)), np.arange(2), (2, 2))
    with pytest.raises(ValidationError, match=r"train_digits: data must be 8×8 digits"):
        train_digits("continuous", data=toy)
    with pytest.raises(ValidationError, match=r"train_digits: data must be"):
        train_digits("continuous", data="digits")


def test_cli_train_prints_json_and_refuses_an_unknown_method(capsys, tmp_path):
    assert main(["train", "--epochs", "1", "--steps", "2", "--json", "--plot", str(tmp_path / "c.png")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "continuous" and out["steps"] == 2 and len(out["test_accuracy"]) == 1
    assert (tmp_path / "c.png").stat().st_size > 0
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--method", "magic"])
    assert exit_.value.code == 2
    assert "argument --method: invalid choice: 'magic'" in capsys.readouterr().err
    assert TRAINING_METHODS == tuple(METHODS)


def test_single_spike_training_keeps_every_hidden_neuron_to_one_spike():
    x, y = _blobs()
    net = direct.spiking_mlp([6, 8, 3], seed=0)
    net = replace(net, layers=tuple(replace(layer, v_init=np.full(layer.output_shape, 0.5)) if layer.spiking
                                    else layer for layer in net.layers))
    trained = direct.fit(net, x, y, 4, epochs=2, encoding="hybrid", single_spike=True, surrogate=sg.STDB(),
                         loss="time+membrane").net
    spikes = run(trained, x, 4, encoding="hybrid", single_spike=True, record_spikes=True).spikes
    assert all(layer.sum(axis=0).max() <= 1 for layer in spikes)


def test_a_spike_cost_trains_a_sparser_net():
    """With the energy term (spike_cost > 0) the same training fires fewer spikes than without (same seed); the
    per-spike costs are λ·fan_out·E_AC/E_ANN."""
    x, y = _blobs()
    net = direct.spiking_mlp([6, 16, 3], seed=0)
    options = dict(epochs=6, batch=10, lr=3e-3, seed=0)
    spikes = [run(direct.fit(net, x, y, 4, spike_cost=cost, **options).net, x, 4).spike_counts.sum()
              for cost in (0.0, 5.0)]
    assert spikes[1] < spikes[0]
    (cost,) = direct.spike_costs(net, 2.0)
    from evsim.deep.energy import E_AC, ann_energy

    assert np.allclose(cost, 2.0 * 3 * E_AC / ann_energy(net))  # every hidden neuron feeds 3 outputs


def test_below_its_budget_a_spike_costs_nothing():
    """spike_budget B: the energy term is λ·max(0, e − B). A budget above what the net spends trains exactly as
    without the term (same weights, bit for bit); spike_energy measures e as the cost rule counts it."""
    x, y = _blobs()
    net = direct.spiking_mlp([6, 16, 3], seed=0)
    options = dict(epochs=2, batch=10, lr=3e-3, seed=0)
    spent = direct.spike_energy(net, x, 4)
    unit = direct.spike_costs(net, 1.0)[0]
    counts = run(net, x, 4, record_spikes=True).spikes[0].sum(axis=(0, 1))
    assert spent == pytest.approx(float(counts @ unit) / len(x), rel=1e-12)
    free = direct.fit(net, x, y, 4, spike_cost=5.0, spike_budget=1e6, **options)
    plain = direct.fit(net, x, y, 4, **options)
    assert all(np.array_equal(a, b) for a, b in zip(_weights(free.net), _weights(plain.net)))
    tight = direct.fit(net, x, y, 4, spike_cost=5.0, spike_budget=0.0, **options)
    assert not all(np.array_equal(a, b) for a, b in zip(_weights(tight.net), _weights(plain.net)))


def test_a_conv_net_trains_too():
    """fit takes any SpikingNet: an untrained conv net converted with explicit thresholds trains, ttfs input."""
    from evsim.deep import AvgPool2d, Conv2d, Dense, Flatten, ReLU, Sequential, convert

    rng = np.random.default_rng(0)
    x = rng.random((24, 1, 4, 4))
    y = (x[:, 0, :2].mean(axis=(1, 2)) > x[:, 0, 2:].mean(axis=(1, 2))).astype(int)
    ann = Sequential([Conv2d(1, 2, 3, padding=1, rng=1), ReLU(), AvgPool2d(2), Flatten(), Dense(8, 2, rng=2)])
    snn = convert(ann, thresholds=[0.5], input_shape=(1, 4, 4))
    training = direct.fit(snn, x, y, 4, epochs=3, batch=8, encoding="ttfs", lr=1e-2)
    assert training.net.layers[0].ops[0].params["W"].shape == (2, 1, 3, 3)
    assert not np.array_equal(training.net.layers[0].ops[0].params["W"], snn.layers[0].ops[0].params["W"])
    assert np.isfinite(training.losses).all()


def test_the_printed_table_shows_about_ten_epochs_and_the_last():
    from evsim.deep.methods import DigitsTraining

    curve = direct.Training(None, tuple(np.linspace(1, 0.1, 37)), (0.5,) * 37, (0.9,) * 36 + (0.95,), {})
    text = DigitsTraining("continuous", 8, 0, 0.95, 10.0, 0.5, curve).format()
    rows = [line.split()[0] for line in text.splitlines()[2:-1]]
    assert rows == ["1", "4", "8", "12", "16", "20", "24", "28", "32", "36", "37"]
    assert text.splitlines()[-2].endswith("95.00")


def test_a_float32_net_stays_float32_and_matches_the_runner():
    """With either schedule, with and without dropout, a float32 net's trained parameters stay float32, so the
    training pass still equals run bit for bit (a float64 learning rate once promoted them; float64 masks would)."""
    from evsim.deep import bptt

    x, y = _blobs()
    net = direct.spiking_mlp([6, 8, 3], seed=0, dtype=np.float32)
    for schedule in direct.SCHEDULES:
        for dropout in (0.0, 0.3):
            trained = direct.fit(net, x, y, 3, epochs=2, schedule=schedule, train_v_init=True, dropout=dropout).net
            assert {w.dtype for w in _weights(trained)} == {np.dtype(np.float32)}
            assert {layer.v_init.dtype for layer in trained.layers if layer.spiking} == {np.dtype(np.float32)}
        tape = bptt.forward(trained, x.astype(np.float32), 3, sg.FastSigmoid())
        assert np.array_equal(tape.logits, run(trained, x, 3).logits)
        masked = bptt.forward(trained, x.astype(np.float32), 3, sg.FastSigmoid(),
                              masks=direct.dropout_masks(trained, len(x), 0.3, 0))
        gradients = bptt.backward(masked, np.ones_like(masked.logits[-1]))
        assert {g.v_init.dtype for g in gradients if g.v_init is not None} == {np.dtype(np.float32)}


def test_helpers_refuse_what_they_cannot_mean():
    with pytest.raises(ValidationError, match=r"learning_rate: schedule must be one of"):
        direct.learning_rate(1e-3, "bogus", 5, 10)
    with pytest.raises(ValidationError, match=r"learning_rate: updates must be an integer >= 1, got 0"):
        direct.learning_rate(1e-3, "cosine", 0, 0)
    with pytest.raises(ValidationError, match=r"learning_rate: update must be an integer >= 0 and <= 9, got 20"):
        direct.learning_rate(1e-3, "cosine", 20, 10)
    with pytest.raises(ValidationError, match=r"learning_rate: lr must be a finite real number > 0.0"):
        direct.learning_rate(-1e-3, "constant", 0, 10)
    with pytest.raises(ValidationError, match=r"spike_costs: spike_cost must be a finite real number >= 0.0"):
        direct.spike_costs(direct.spiking_mlp([4, 3, 2]), -1.0)
    with pytest.raises(ValidationError, match=r"output_loss: logits .*3"):
        direct.output_loss(np.zeros((4, 3)), np.zeros(4, int))
    x, y = _blobs()
    with pytest.raises(ValidationError, match=r"fit: spike_budget without spike_cost must be spike_cost > 0"):
        direct.fit(direct.spiking_mlp([6, 4, 3]), x, y, 3, spike_budget=0.5)


def test_dropout_is_seeded_withholds_whole_samples_and_leaves_the_net_without_it():
    """fit(dropout=p): the same seed gives the same weights bit for bit, dropout=0 gives fit's weights without
    the option (no draws), p > 0 other weights; each mask is 0 or 1/(1 − p) per sample and neuron, about a
    fraction p of zeros; a mask multiplies what a layer sends at every step but not its spikes; the trained
    net runs without masks (its validation accuracy is the runner's)."""
    x, y = _blobs()
    net = direct.spiking_mlp([6, 16, 3], seed=0)
    options = dict(epochs=3, batch=10, lr=3e-3, seed=2, validation=(x, y))
    plain, zero = direct.fit(net, x, y, 4, **options), direct.fit(net, x, y, 4, dropout=0.0, **options)
    dropped, again = direct.fit(net, x, y, 4, dropout=0.25, **options), direct.fit(net, x, y, 4, dropout=0.25, **options)
    assert all(np.array_equal(a, b) for a, b in zip(_weights(plain.net), _weights(zero.net)))
    assert all(np.array_equal(a, b) for a, b in zip(_weights(dropped.net), _weights(again.net)))
    assert not all(np.array_equal(a, b) for a, b in zip(_weights(plain.net), _weights(dropped.net)))
    assert dropped.options.dropout == 0.25
    assert run(dropped.net, x, 4, labels=y).accuracy[-1] == dropped.validation[-1]

    masks = direct.dropout_masks(net, 4000, 0.25, np.random.default_rng(0))
    assert [mask.shape for mask in masks] == [(4000, 16)]
    assert set(np.unique(masks[0]).tolist()) == {0.0, 1 / 0.75}
    assert abs(np.mean(masks[0] == 0.0) - 0.25) < 0.01  # 64,000 draws: sd 0.0017
    tape = bptt.forward(net, x[:4], 3, sg.FastSigmoid(), masks=[np.array([0.0] * 8 + [2.0] * 8)])
    plain_tape = bptt.forward(net, x[:4], 3, sg.FastSigmoid())
    assert np.array_equal(tape.spikes[0], plain_tape.spikes[0])  # the layer's own spikes are not changed
    sent = plain_tape.spikes[0] * net.layers[0].theta * np.array([0.0] * 8 + [2.0] * 8)
    assert np.array_equal(tape.layers[1].inputs, sent)
    with pytest.raises(ValidationError, match=r"bptt.forward: masks\[0\] \(shape \(5,\)\) must be an array "
                                              r"broadcastable to the layer's spikes \(4, 16\)"):
        bptt.forward(net, x[:4], 3, sg.FastSigmoid(), masks=[np.ones(5)])
    with pytest.raises(ValidationError, match=r"dropout_masks: p must be a finite real number >= 0.0 and < 1.0"):
        direct.dropout_masks(net, 4, 1.5, np.random.default_rng(0))
    for per_step in (np.ones((3, 4, 16)), np.ones((2, 4, 16)), np.ones((1, 1, 4, 16))):  # masks are per sample, not step
        with pytest.raises(ValidationError, match=r"bptt.forward: masks\[0\] .*one value per sample and neuron"):
            bptt.forward(net, x[:4], 3, sg.FastSigmoid(), masks=[per_step])
    assert direct.dropout_masks(net, 2, 0.5, 7)[0].shape == (2, 16)  # a seed works as the rng too


def test_stdb_needs_the_time_since_the_last_spike_and_training_curves_hold_plain_floats():
    from evsim.deep.surrogate import STDB

    with pytest.raises(ValidationError, match="STDB: elapsed must be given"):
        STDB().derivative(np.zeros(3))
    net = direct.spiking_mlp([4, 3, 2], seed=0)
    x, y = np.random.default_rng(0).uniform(0, 1, (8, 4)), np.arange(8) % 2
    curve = direct.fit(net, x, y, 2, epochs=1, batch=4)
    assert all(type(value) is float for value in curve.accuracies + curve.losses)
