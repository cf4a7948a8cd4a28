"""Process variation (evsim.deep.devices), threshold tuning and the yield study (evsim.deep.tuning, yield_study)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from evsim.deep import fit, run, spiking_mlp
from evsim.deep.surrogate import ClippedStraightThrough
from evsim.deep.devices import DeviceModel, fabricate
from evsim.deep.tuning import Ridge, mismatch, response, search_scales, with_threshold_scales
from evsim.deep.yield_study import recover
from evsim.errors import ValidationError

STANDARD_ERRORS = 5  # every statistical check below allows 5 standard errors (and is seeded)


def _weights(shape=(400, 500), seed=0):
    return np.random.default_rng(seed).normal(0.0, 1.0, shape)


def test_fault_rates_are_the_stated_probabilities():
    device = DeviceModel(0.2, stuck_zero=0.02, stuck_max=0.01)
    w = _weights()
    varied = device.crossbar(w, np.random.default_rng(1))
    n = w.size
    for rate, observed in ((0.02, (varied == 0).mean()), (0.01, (varied == np.sign(w) * np.abs(w).max()).mean())):
        assert abs(observed - rate) < STANDARD_ERRORS * np.sqrt(rate * (1 - rate) / n)


def test_device_spread_is_sigma_and_the_die_gain_is_shared_by_the_crossbar():
    """ln(w'/w) of the healthy devices: standard deviation σ within one crossbar, its mean the crossbar's ln g."""
    device = DeviceModel(0.2)
    w = _weights()
    ratios = np.log(device.crossbar(w, np.random.default_rng(2)) / w).ravel()
    assert abs(ratios.std() - 0.2) < STANDARD_ERRORS * 0.2 / np.sqrt(2 * ratios.size)
    assert abs(ratios.mean()) < STANDARD_ERRORS * 0.2 / np.sqrt(ratios.size)


def test_die_to_die_gains_spread_by_die_sigma():
    """Over 2,000 dies with no device spread, ln g has mean 0 and standard deviation die_sigma."""
    device, w = DeviceModel(0.0, die_sigma=0.3), np.array([0.5, -1.0, 2.0])
    gains = np.array([np.log(device.crossbar(w, np.random.default_rng([0, k])) / w) for k in range(2000)])
    assert np.allclose(gains, gains[:, :1], rtol=0, atol=1e-12)  # one gain per crossbar
    assert abs(gains[:, 0].std() - 0.3) < STANDARD_ERRORS * 0.3 / np.sqrt(2 * 2000)
    assert abs(gains[:, 0].mean()) < STANDARD_ERRORS * 0.3 / np.sqrt(2000)


def test_a_die_is_determined_by_seed_and_number_and_leaves_the_design_alone():
    snn = spiking_mlp([5, 4, 3], seed=0)
    design = [op.params["W"].copy() for layer in snn.layers for op in layer.ops]
    device = DeviceModel(0.3, die_sigma=0.2, stuck_zero=0.1)
    first, again, other = fabricate(snn, device, 3), fabricate(snn, device, 3), fabricate(snn, device, 4)
    weights = lambda net: [op.params["W"] for layer in net.layers for op in layer.ops]  # noqa: E731
    assert all(np.array_equal(a, b) for a, b in zip(weights(first), weights(again)))
    assert not all(np.array_equal(a, b) for a, b in zip(weights(first), weights(other)))
    assert all(np.array_equal(a, b) for a, b in zip(weights(snn), design))
    for chip_layer, layer in zip(first.layers, snn.layers):  # only the weights are devices
        assert np.array_equal(chip_layer.bias, layer.bias) and np.array_equal(chip_layer.v_init, layer.v_init)
        assert chip_layer.theta == layer.theta and chip_layer.beta == layer.beta


@pytest.mark.parametrize("kwargs, named", [
    (dict(sigma=-0.1), "sigma"), (dict(sigma=float("nan")), "sigma"), (dict(sigma=0.1, die_sigma=-1), "die_sigma"),
    (dict(sigma=0.1, stuck_zero=1.5), "stuck_zero"), (dict(sigma=0.1, stuck_max=-0.01), "stuck_max"),
    (dict(sigma=0.1, stuck_zero=0.6, stuck_max=0.6), "stuck_zero \\+ stuck_max")])
def test_a_bad_device_model_is_refused_by_name(kwargs, named):
    with pytest.raises(ValidationError, match=f"DeviceModel: {named}"):
        DeviceModel(**kwargs)


def _by_hand(snn, x, steps, scales):
    """Each spiking layer with threshold s·θ and spikes worth θ, step by step (the chip's reading)."""
    states = [layer.v_init.copy() for layer in snn.layers]
    output = np.zeros((len(x), snn.layers[-1].size))
    trains = []
    for _ in range(steps):
        signal, fired = x, []
        for k, layer in enumerate(snn.layers):
            current = signal @ layer.ops[0].params["W"].T
            if not layer.spiking:
                output += current + layer.bias
                continue
            threshold = scales[k] * layer.theta
            m = layer.beta * states[k] + layer.bias + current
            spikes = m >= threshold
            states[k] = m - spikes * threshold if layer.reset == "subtract" else m * (1 - spikes)
            signal = spikes * layer.theta
            fired.append(spikes)
        trains.append(fired)
    return output, trains


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10 ** 6), st.lists(st.integers(-2, 2), min_size=2, max_size=2),
       st.sampled_from([1.0, 0.5, 0.75]), st.sampled_from(["subtract", "zero"]))
def test_raising_a_threshold_is_dividing_what_enters_the_layer(seed, exponents, beta, reset):
    """Law: with_threshold_scales(net, s) fires exactly the spikes of the net whose layer l fires at s_l·θ_l
    and sends θ_l, step by step (scales are powers of two, so both sides round alike).

    Mutation that breaks it: leaving the bias (or v_init) undivided.
    """
    rng = np.random.default_rng(seed)
    snn = spiking_mlp([4, 6, 5, 3], seed=seed % 1000, beta=beta, reset=reset, theta=0.75)
    layers = [layer if not layer.spiking else type(layer)(**{**layer.__dict__, "bias": rng.normal(0, 0.3, layer.size),
                                                               "v_init": rng.uniform(0, 0.5, layer.size)})
              for layer in snn.layers]
    snn = type(snn)(**{**snn.__dict__, "layers": tuple(layers)})
    scales = [2.0 ** e for e in exponents]
    x = rng.random((7, 4))
    result = run(with_threshold_scales(snn, scales), x, 6, record_spikes=True)
    output, trains = _by_hand(snn, x, 6, scales)
    for k in range(2):
        assert np.array_equal(result.spikes[k], np.array([step[k] for step in trains]))


def test_scales_must_be_one_positive_number_per_spiking_layer():
    snn = spiking_mlp([3, 4, 4, 2])
    with pytest.raises(ValidationError, match="scales"):
        with_threshold_scales(snn, [1.0])
    with pytest.raises(ValidationError, match="scales"):
        with_threshold_scales(snn, [1.0, -2.0])


def test_the_search_finds_the_gain_that_undoes_each_layers_own():
    snn = spiking_mlp([6, 24, 16, 3], seed=4, beta=0.9)
    x = np.random.default_rng(1).random((60, 6))
    die = with_threshold_scales(snn, [1 / 1.5, 1 / 0.75])  # crossbars 1.5× and 0.75× as strong
    found = search_scales(die, response(snn, x, 8), x, 8, grid=[0.5, 0.75, 1.0, 1.25, 1.5, 2.0])
    assert found.tolist() == [1.5, 0.75]
    assert mismatch(response(snn, x, 8), response(with_threshold_scales(die, found), x, 8)) < 1e-12


def test_mismatch_is_the_mean_cosine_distance_and_blind_to_an_output_gain():
    design, die = np.array([[1.0, 2.0, 0.5], [0.0, 1.0, 1.0]]), np.array([[0.0, 1.0, 3.0], [0.0, 0.0, 0.0]])
    first = 1 - design[0] @ die[0] / (np.linalg.norm(design[0]) * np.linalg.norm(die[0]))
    assert mismatch(design, die) == pytest.approx((first + 1.0) / 2, rel=1e-12)  # a zero output: orthogonal
    assert mismatch(design, 3.5 * design) == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ValidationError, match="mismatch: die"):
        mismatch(design, np.ones((3, 3)))


def test_ridge_leave_one_out_error_is_the_error_of_refitting_without_each_sample():
    """Law: the closed-form leave-one-out residuals equal n refits; the mutation 'leverage without the
    fitted mean's 1/n' breaks it."""
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(12, 4)), rng.normal(size=(12, 2))
    model = Ridge.fit(x, y, alphas=[0.7])
    residuals = []
    for i in range(len(x)):
        keep = np.arange(len(x)) != i
        xi, yi = x[keep], y[keep]
        mean, scale = x.mean(axis=0), x.std(axis=0)  # standardised with all samples, as fit does
        z, zi = (xi - mean) / scale, (x[i] - mean) / scale
        zc, yc = z - z.mean(axis=0), yi - yi.mean(axis=0)
        coef = np.linalg.solve(zc.T @ zc + 0.7 * np.eye(4), zc.T @ yc)
        residuals.append(y[i] - (yi.mean(axis=0) + (zi - z.mean(axis=0)) @ coef))
    assert model.loo_error == pytest.approx(float(np.sqrt((np.array(residuals) ** 2).mean())), rel=1e-9)


def test_ridge_with_a_tiny_penalty_is_least_squares():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    model = Ridge.fit(x, y, alphas=[1e-12])
    design = np.column_stack([x, np.ones(20)])
    expected = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    assert np.allclose(model.predict(x), expected, rtol=0, atol=1e-9)
    with pytest.raises(ValidationError, match="rows of 3 features"):
        model.predict(np.ones((2, 4)))
    with pytest.raises(ValidationError, match="at least 3 samples"):
        Ridge.fit(x[:2], y[:2])


def _small_study(**kwargs):
    rng = np.random.default_rng(0)
    x = rng.random((80, 6))
    y = (x[:, 0] + x[:, 1] > x[:, 2] + x[:, 3]).astype(int)
    snn = spiking_mlp([6, 12, 2], seed=0, beta=0.9)
    arguments = dict(signature=x[:6], calibration=x[:40], x=x[40:], y=y[40:], steps=4, dies=12, train_dies=8)
    return recover(snn, DeviceModel(0.1, die_sigma=0.4), **(arguments | kwargs))


def test_recovery_tunes_exactly_the_dies_predicted_out_of_spec_and_is_deterministic():
    study, again = _small_study(), _small_study()
    assert np.array_equal(study.after, np.where(study.flagged, study.all_tuned, study.before))
    assert np.array_equal(study.after, again.after) and np.array_equal(study.predicted_scales,
                                                                        again.predicted_scales)
    assert study.dies.tolist() == [8, 9, 10, 11]
    assert study.out_of_spec(study.before) == int((study.before < study.floor - 1e-9).sum())
    text = study.format()
    assert "4 held-out dies (regressors fitted on 8)" in text and "out of spec after recovery" in text
    assert study.as_json()["out_of_spec_before"] == study.out_of_spec(study.before)


@pytest.mark.parametrize("kwargs, named", [
    (dict(dies=8), "dies"), (dict(train_dies=2), "train_dies"), (dict(spec=-1.0), "spec"),
    (dict(steps=0), "steps"), (dict(seed=-1), "seed"), (dict(progress="yes"), "progress")])
def test_a_bad_study_argument_is_refused_by_name(kwargs, named):
    with pytest.raises(ValidationError, match=f"recover: {named}"):
        _small_study(**kwargs)


def test_on_dies_that_differ_only_in_gain_the_regressor_finds_the_offline_thresholds():
    """With no device spread and no faults, each crossbar's gain is all a die gets wrong: the signature's
    rates show it, and the predicted scales land within 10 % of the offline search's (mean over held-out dies)."""
    rng = np.random.default_rng(5)
    x = rng.random((120, 6))
    y = (x[:, 0] + x[:, 1] > x[:, 2] + x[:, 3]).astype(int)
    snn = fit(spiking_mlp([6, 16, 12, 2], seed=3, beta=0.9), x[:60], y[:60], 6, epochs=40, batch=20, lr=0.01,
              seed=0, surrogate=ClippedStraightThrough(1.0)).net
    study = recover(snn, DeviceModel(0.0, die_sigma=0.3), signature=x[:10], calibration=x[:60], x=x[60:], y=y[60:],
                    steps=6, dies=50, train_dies=40)
    assert study.design_accuracy > 0.85
    assert np.all(study.scale_error < 0.1), study.scale_error
