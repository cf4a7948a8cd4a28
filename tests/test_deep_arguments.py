"""Every public function of evsim.deep refuses bad arguments with a ValidationError that names the
argument, shows the value and says what is accepted — never a raw NumPy/Python error, never silence."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import evsim
from evsim import ValidationError
from evsim.errors import LimitError
from evsim.deep import QCFS, AvgPool2d, ClipReLU, Conv2d, Dense, ReLU, Sequential, accuracy, bounds, convert
from evsim.deep import cross_entropy, network_inputs, run, to_network, train
from evsim.deep.calibrate import activation_errors, ann_activations, calibrate, expected_errors, per_image_errors
from evsim.deep.early_exit import tune_exit
from evsim.deep.energy import ann_energy, ann_macs, energy_ratio
from evsim.deep.experiment import ConversionTable, compare_rows, conversion_table, digits_qcfs_mlp
from evsim.deep.train import SGD, Adam


def _mlp() -> Sequential:
    return Sequential([Dense(2, 3, rng=0), ReLU(), Dense(3, 2, rng=1)])


SNN = convert(_mlp(), thresholds=[1.0], input_shape=(2,))
X, Y = np.full((4, 2), 0.5), np.array([0, 1, 0, 1])
RESULT = run(SNN, X, 3)

# (call, the text the message must contain: "owner: argument must be ..., got value")
BAD_CALLS = {
    "Dense n_in 0": (lambda: Dense(0, 3), "Dense: n_in must be an integer >= 1, got 0"),
    "Dense n_out float": (lambda: Dense(2, 2.5), "Dense: n_out must be an integer >= 1, got 2.5"),
    "Dense rng string": (lambda: Dense(2, 2, rng="abc"), "Dense: rng must be None, an integer seed >= 0, a numpy Generator, BitGenerator or SeedSequence, got 'abc'"),
    "Conv2d k 0": (lambda: Conv2d(1, 2, 0), "Conv2d: k must be an integer >= 1, got 0"),
    "Conv2d stride bool": (lambda: Conv2d(1, 2, 3, stride=True), "Conv2d: stride must be an integer >= 1, got True"),
    "Conv2d padding -1": (lambda: Conv2d(1, 2, 3, padding=-1), "Conv2d: padding must be an integer >= 0, got -1"),
    "Conv2d image too small": (lambda: Conv2d(1, 2, 3).forward(np.ones((1, 1, 2, 2))), "Conv2d(1, 2, k=3, stride=1, padding=0).forward: x must be images of at least 3×3 (the kernel, less the padding), "
                               "got an array of shape (1, 1, 2, 2)"),
    "AvgPool2d k 0": (lambda: AvgPool2d(0), "AvgPool2d: k must be an integer >= 1, got 0"),
    "AvgPool2d flat input": (lambda: AvgPool2d(2).forward(np.ones((2, 4))), "AvgPool2d(2).forward: x must be an array of shape (batch, channels, height, width), got an array of shape (2, 4)"),
    "ClipReLU ceiling nan": (lambda: ClipReLU(float("nan")), "ClipReLU: ceiling must be a finite real number > 0.0"),
    "QCFS lam negative": (lambda: QCFS(4, lam=-1.0), "QCFS: lam must be a finite real number > 0.0 (not a bool or a string), got -1.0"),
    "QCFS lam zero": (lambda: QCFS(4, lam=0), "QCFS: lam must be a finite real number > 0.0"),
    "QCFS shift string": (lambda: QCFS(4, shift="half"), "QCFS: shift must be a finite real number"),
    "Sequential empty": (lambda: Sequential([]), "Sequential: layers must be at least one layer, got []"),
    "Sequential string": (lambda: Sequential("dense"), "Sequential: layers must be a sequence of layers, got 'dense'"),
    "convert thresholds nan": (lambda: convert(_mlp(), thresholds=[float("nan")], input_shape=(2,)),
                               "convert: thresholds[0] must be a finite real number > 0.0 (not a bool or a string), got nan"),
    "convert thresholds 0": (lambda: convert(_mlp(), thresholds=[0], input_shape=(2,)), "convert: thresholds[0] must be a finite real number > 0.0"),
    "convert thresholds -1": (lambda: convert(_mlp(), thresholds=[-1], input_shape=(2,)), "got -1"),
    "convert thresholds string": (lambda: convert(_mlp(), thresholds="1", input_shape=(2,)), "convert: thresholds must be a sequence of real numbers > 0, got '1'"),
    "convert percentile 101": (lambda: convert(_mlp(), calibration=X, norm="percentile", percentile=101),
                               "convert: percentile must be a finite real number >= 0.0 and <= 100.0"),
    "convert calibration nan": (lambda: convert(_mlp(), calibration=[[np.nan, 1.0]]), "convert: calibration[0, 0] must be finite real numbers, got nan"),
    "convert calibration 1-d": (lambda: convert(_mlp(), calibration=np.ones(2)), "convert: calibration (shape (2,)) must be a non-empty batch"),
    "convert calibration strings": (lambda: convert(_mlp(), calibration=[["a", "b"]]), "convert: calibration must be an array of real numbers"),
    "convert input_shape 0": (lambda: convert(_mlp(), thresholds=[1.0], input_shape=(0,)), "convert: input_shape[0] must be an integer >= 1, got 0"),
    "convert input_shape mismatch": (lambda: convert(_mlp(), calibration=X, input_shape=(3,)),
                                     "convert: input_shape must be the shape of one calibration sample, (2,), got (3,)"),
    "convert calibration wrong width": (lambda: convert(_mlp(), calibration=np.ones((4, 3))),
                                        "convert: calibration must be samples every layer of the ANN takes in turn "
                                        "(Dense(2, 3).forward: x must be an array of shape (batch, 2), got an array of "
                                        "shape (1, 3)), got samples of shape (3,)"),
    "convert input_shape wrong width": (lambda: convert(_mlp(), thresholds=[1.0], input_shape=(3,)),
                                        "convert: input_shape must be a sample shape every layer of the ANN takes in "
                                        "turn (Dense(2, 3).forward: x must be an array of shape (batch, 2), got an "
                                        "array of shape (1, 3)), got (3,)"),
    "convert layers that do not fit": (lambda: convert(Sequential([Dense(2, 3), ReLU(), Dense(4, 2)]), thresholds=[1.0],
                                                       input_shape=(2,)),
                                       "(Dense(4, 2).forward: x must be an array of shape (batch, 4), got an array of "
                                       "shape (1, 3)), got (2,)"),
    "convert dtype int": (lambda: convert(_mlp(), thresholds=[1.0], input_shape=(2,), dtype=np.int32), "convert: dtype must be np.float32 or np.float64"),
    "convert calibration_steps 0": (lambda: convert(_mlp(), calibration=X, v_init="calibrated", calibration_steps=0),
                                    "convert: calibration_steps must be an integer >= 1, got 0"),
    "convert qcfs lam negative": (lambda: convert(_negative_lambda(), norm="qcfs", input_shape=(2,)), "must be a finite number > 0, got -0.5"),
    "run chunk 0": (lambda: run(SNN, X, 3, chunk=0), "run: chunk must be an integer >= 1, got 0"),
    "run chunk float": (lambda: run(SNN, X, 3, chunk=2.0), "run: chunk must be an integer >= 1, got 2.0"),
    "run steps bool": (lambda: run(SNN, X, True), "run: steps must be an integer >= 1, got True"),
    "run steps negative": (lambda: run(SNN, X, -2), "run: steps must be an integer >= 1, got -2"),
    "run hybrid one step": (lambda: run(SNN, X, 1, encoding="hybrid"), "run: steps must be an integer >= 2, got 1"),
    "run encoding unknown": (lambda: run(SNN, X, 3, encoding="morse"), "run: encoding must be one of 'analog', 'rate', 'ttfs', 'hybrid', got 'morse'"),
    "run rng string": (lambda: run(SNN, X, 3, encoding="rate", rng="abc"), "run: rng must be None, an integer seed >= 0, a numpy Generator, BitGenerator or SeedSequence, got 'abc'"),
    "run x wrong shape": (lambda: run(SNN, np.ones((4, 3)), 3), "run: x (shape (4, 3)) must be a batch of samples of shape (2,)"),
    "run x empty": (lambda: run(SNN, np.ones((0, 2)), 3), "run: x (shape (0, 2)) must be a non-empty batch"),
    "run x bools": (lambda: run(SNN, np.ones((2, 2), bool), 3), "run: x must be an array of real numbers (not bools, strings or objects)"),
    "run x inf": (lambda: run(SNN, [[np.inf, 0.0]], 3), "run: x[0, 0] must be finite real numbers, got inf"),
    "run x overflows float32": (lambda: run(convert(_mlp(), thresholds=[1.0], input_shape=(2,), dtype=np.float32), [[1e300, 0.0]], 3),
                                "run: x (in the net's float type)[0, 0] must be finite real numbers, got inf"),
    "run rate x above 1": (lambda: run(SNN, [[1.5, 0.0]], 3, encoding="rate"), "run: x[0, 0] must be finite real numbers >= 0.0 and <= 1.0, got 1.5"),
    "run labels -1": (lambda: run(SNN, X, 3, labels=[0, -1, 0, 1]), "run: labels[1] must be an integer >= 0 and <= 1, got -1"),
    "run labels too many classes": (lambda: run(SNN, X, 3, labels=[0, 2, 0, 1]), "run: labels[1] must be an integer >= 0 and <= 1, got 2"),
    "run labels floats": (lambda: run(SNN, X, 3, labels=[0.0, 1.0, 0.0, 1.0]), "run: labels[0] must be an integer >= 0 and <= 1, got 0.0"),
    "run labels length": (lambda: run(SNN, X, 3, labels=[0, 1]), "run: labels (shape (2,)) must be one label per sample (4)"),
    "run exit_threshold 0": (lambda: run(SNN, X, 3, exit_threshold=0), "run: exit_threshold must be a finite real number > 0.0 and <= 1.0 (not a bool or a string), got 0"),
    "run exit_threshold 1.5": (lambda: run(SNN, X, 3, exit_threshold=1.5),
                               "run: exit_threshold must be a finite real number > 0.0 and <= 1.0 (not a bool or a "
                               "string), got 1.5"),
    "run exit_threshold 1": (lambda: run(SNN, X, 3, exit_threshold=1),
                             "run: exit_threshold must be < 1: a sample exits once its max softmax exceeds it, which "
                             "never exceeds 1 (for no early exit, leave exit_threshold=None), got 1"),
    "run temperature nan": (lambda: run(SNN, X, 3, temperature=float("nan")), "run: temperature must be a finite real number > 0.0"),
    "run record_spikes string": (lambda: run(SNN, X, 3, record_spikes="yes"), "run: record_spikes must be True or False, got 'yes'"),
    "run single_spike 1": (lambda: run(SNN, X, 3, single_spike=1), "run: single_spike must be True or False, got 1"),
    "run compensation analog": (lambda: run(SNN, X, 3, compensation=True), "run: compensation must be False unless encoding='rate'"),
    "run snn": (lambda: run("snn", X, 3), "run: snn must be a SpikingNet (from deep.convert), got 'snn' (str)"),
    "to_network snn": (lambda: to_network(_mlp()), "to_network: snn must be a SpikingNet (from deep.convert), got Sequential"),
    "network_inputs 1-d": (lambda: network_inputs(np.ones(3)), "network_inputs: values (shape (3,)) must be an array (steps, *input_shape)"),
    "network_inputs nan": (lambda: network_inputs([[np.nan]]), "network_inputs: values[0, 0] must be finite real numbers, got nan"),
    "train lr nan": (lambda: train(_mlp(), X, Y, lr=float("nan")), "train: lr must be a finite real number > 0.0 (not a bool or a string), got nan"),
    "train epochs -1": (lambda: train(_mlp(), X, Y, epochs=-1), "train: epochs must be an integer >= 1, got -1"),
    "train batch 0": (lambda: train(_mlp(), X, Y, batch=0), "train: batch must be an integer >= 1, got 0"),
    "train label -1": (lambda: train(_mlp(), X, [0, -1, 0, 1]), "train: y[1] must be an integer >= 0 and <= 1, got -1"),
    "train label 2": (lambda: train(_mlp(), X, [0, 2, 0, 1]), "train: y[1] must be an integer >= 0 and <= 1, got 2"),
    "train label 0.5": (lambda: train(_mlp(), X, [0, 1, 0, 0.5]), "train: y[3] must be an integer >= 0 and <= 1, got 0.5"),
    "train label nan": (lambda: train(_mlp(), X, [0, 1, np.nan, 1]), "train: y[2] must be an integer >= 0 and <= 1, got nan"),
    "train x nan": (lambda: train(_mlp(), [[np.nan, 0.0]], [0]), "train: x[0, 0] must be finite real numbers, got nan"),
    "train x wrong width": (lambda: train(_mlp(), np.ones((4, 5)), Y), "Dense(2, 3).forward: x must be an array of shape (batch, 2), got an array of shape (1, 5)"),
    "train seed string": (lambda: train(_mlp(), X, Y, seed="abc"), "train: seed must be None, an integer seed >= 0, a numpy Generator, BitGenerator or SeedSequence, got 'abc'"),
    "train optimizer": (lambda: train(_mlp(), X, Y, optimizer="lbfgs"), "train: optimizer must be one of 'adam', 'sgd', got 'lbfgs'"),
    "train progress string": (lambda: train(_mlp(), X, Y, progress="yes"), "train: progress must be True, False or a callable"),
    "SGD momentum 2": (lambda: SGD(_mlp(), momentum=2.0), "SGD: momentum must be a finite real number >= 0.0 and <= 1.0"),
    "Adam betas": (lambda: Adam(_mlp(), betas=(0.9, 1.0)), "Adam: betas[1] must be a finite real number >= 0.0 and <= 0.9999999999999999"),
    "Adam eps 0": (lambda: Adam(_mlp(), eps=0.0), "Adam: eps must be a finite real number > 0.0"),
    "cross_entropy label -1": (lambda: cross_entropy(np.zeros((2, 3)), np.array([0, -1])), "cross_entropy: labels[1] must be an integer >= 0 and <= 2, got -1"),
    "cross_entropy 1-d logits": (lambda: cross_entropy(np.zeros(3), np.array([0])), "cross_entropy: logits (shape (3,)) must be an array with 2 dimensions"),
    "accuracy batch 0": (lambda: accuracy(_mlp(), X, Y, batch=0), "accuracy: batch must be an integer >= 1, got 0"),
    "calibrate steps 0": (lambda: calibrate(SNN, _mlp(), X, 0), "calibrate: steps must be an integer >= 1, got 0"),
    "calibrate iterations -1": (lambda: calibrate(SNN, _mlp(), X, 2, iterations=-1), "calibrate: iterations must be an integer >= 1, got -1"),
    "calibrate x shape": (lambda: calibrate(SNN, _mlp(), np.ones((2, 3)), 2), "calibrate: x (shape (2, 3)) must be a batch of samples of shape (2,)"),
    "calibrate ann of other widths": (lambda: calibrate(SNN, _wider_mlp(), X, 2),
                                      "calibrate: ann must be the ANN the SNN was converted from (activation layers of "
                                      "[3] neurons), got an ANN with activation layers of [4] neurons"),
    "activation_errors ann of other widths": (lambda: activation_errors(SNN, _wider_mlp(), X, 2),
                                              "activation_errors: ann must be the ANN the SNN was converted from"),
    "activation_errors snn": (lambda: activation_errors(_mlp(), _mlp(), X, 2),
                              "activation_errors: snn must be a SpikingNet (from deep.convert), got Sequential"),
    "expected_errors string": (lambda: expected_errors("abc"),
                               "expected_errors: errors must be a list of (images, neurons) arrays, as "
                               "activation_errors returns, got 'abc'"),
    "per_image_errors 1-d": (lambda: per_image_errors([np.ones(3)]),
                             "per_image_errors: errors[0] (shape (3,)) must be an array with 2 dimensions"),
    "per_image_errors empty layer": (lambda: per_image_errors([np.ones((0, 3))]),
                                     "per_image_errors: errors[0] must be a non-empty array"),
    "ann_activations ann": (lambda: ann_activations(SNN, X), "ann_activations: ann must be a Sequential ANN, got SpikingNet"),
    "tune_exit tolerance": (lambda: tune_exit(SNN, X, Y, 3, tolerance=1.5), "tune_exit: tolerance must be a finite real number >= 0.0 and <= 0.9999999999999999"),
    "tune_exit temperatures 0": (lambda: tune_exit(SNN, X, Y, 3, temperatures=[0.0]), "tune_exit: temperatures[0] must be a finite real number > 0.0"),
    "tune_exit run option taken": (lambda: tune_exit(SNN, X, Y, 3, temperature=2.0), "tune_exit: temperature must be left to tune_exit"),
    "tune_exit thresholds 1": (lambda: tune_exit(SNN, X, Y, 3, thresholds=[0.9, 1.0]), "tune_exit: thresholds[1] must be < 1"),
    "tune_exit unknown option": (lambda: tune_exit(SNN, X, Y, 3, speed=2),
                                 "tune_exit: option 'speed' must be one of deep.run's options: encoding, rng, chunk, "
                                 "record_spikes, compensation, single_spike, got speed=2"),
    "tune_exit labels missing": (lambda: tune_exit(SNN, X, None, 3), "tune_exit: labels must be one class label per sample, got None"),
    "ann_macs snn": (lambda: ann_macs("snn"), "ann_macs: snn must be a SpikingNet (from deep.convert), got 'snn' (str)"),
    "ann_energy e_mac 0": (lambda: ann_energy(SNN, e_mac=0.0), "ann_energy: e_mac must be a finite real number > 0.0"),
    "energy_ratio result": (lambda: energy_ratio(SNN, SNN), "energy_ratio: result must be a RunResult (from deep.run), got SpikingNet"),
    "RunResult.energy nan": (lambda: RESULT.energy(e_ac=float("nan")), "RunResult.energy: e_ac must be a finite real number >= 0.0"),
    "if_response theta 0": (lambda: bounds.if_response([1.0], 0.0), "if_response: theta must be a finite real number > 0.0"),
    "if_response currents nan": (lambda: bounds.if_response([np.nan], 1.0), "if_response: currents[0] must be finite real numbers, got nan"),
    "rate_identity_gap empty": (lambda: bounds.rate_identity_gap([], 1.0), "rate_identity_gap: currents must be a non-empty array"),
    "constant_input_count steps 0": (lambda: bounds.constant_input_count(Fraction(1, 2), 0, 1), "constant_input_count: steps must be an integer >= 1, got 0"),
    "constant_input_count theta -1": (lambda: bounds.constant_input_count(0.5, 4, -1), "constant_input_count: theta must be a finite real number > 0.0"),
    "conversion_error_bound steps bool": (lambda: bounds.conversion_error_bound(1.0, True), "conversion_error_bound: steps must be an integer >= 1, got True"),
    "qcfs levels 0": (lambda: bounds.qcfs([0.5], 1.0, 0), "qcfs: levels must be an integer >= 1, got 0"),
    "qcfs lam negative": (lambda: bounds.qcfs([0.5], -1.0, 4), "qcfs: lam must be a finite real number > 0.0"),
    "digits_qcfs_mlp hidden 0": (lambda: digits_qcfs_mlp(None, hidden=0), "digits_qcfs_mlp: hidden must be an integer >= 1, got 0"),
    "conversion_table seed -1": (lambda: conversion_table(seed=-1), "conversion_table: seed must be an integer >= 0, got -1"),
    "compare_rows steps empty": (lambda: compare_rows(steps=[]), "compare_rows: steps must be a non-empty sequence of step counts >= 1, got []"),
    "compare_rows steps 0": (lambda: compare_rows(steps=[0]), "compare_rows: steps[0] must be an integer >= 1, got 0"),
    "ConversionTable.accuracy steps": (lambda: ConversionTable("d", 1.0, ({"v_init": "half", "steps": 4, "accuracy": 0.9},)).accuracy("half", 5),
                                       "ConversionTable.accuracy: steps must be one of [4], got 5"),
}


def _wider_mlp() -> Sequential:
    """Not the ANN ``SNN`` was converted from: its hidden layer has 4 neurons, not 3."""
    return Sequential([Dense(2, 4, rng=0), ReLU(), Dense(4, 2, rng=1)])


def _negative_lambda() -> Sequential:
    qcfs = QCFS(4, lam=1.0)
    qcfs.params["lam"] = np.array(-0.5)  # as training can leave it
    return Sequential([Dense(2, 3, rng=0), qcfs, Dense(3, 2, rng=1)])


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_arguments_are_refused_with_the_argument_the_value_and_what_is_accepted(name):
    call, message = BAD_CALLS[name]
    with pytest.raises(ValidationError) as raised:
        call()
    assert message in str(raised.value)


def test_the_calls_that_were_refused_work_with_good_arguments():
    """The table's good neighbours: the same functions accept valid values (so refusals are not blanket)."""
    assert Dense(1, 1).params["W"].shape == (1, 1) and Conv2d(1, 1, 1).params["W"].shape == (1, 1, 1, 1)
    assert float(QCFS(4, lam=0.5).params["lam"]) == 0.5
    assert run(SNN, X, 1, chunk=1, labels=np.array([0, 1, 0, 1], np.uint8), rng=np.random.default_rng(0),
               encoding="rate").logits.shape == (1, 4, 2)
    assert len(train(_mlp(), X.tolist(), Y.tolist(), epochs=1, lr=0.01, seed=None)) == 1
    assert convert(_mlp(), thresholds=np.array([2.0]), input_shape=[2], dtype="float32").dtype is np.float32
    assert bounds.constant_input_count(Fraction(1, 3), 3, Fraction(1, 2)) == 2
    errors = activation_errors(SNN, _mlp(), X, 2)
    assert expected_errors(tuple(errors)).shape == per_image_errors(errors).shape == (1,)
    assert tune_exit(SNN, X, Y, 3, thresholds=[0.5], temperatures=[1.0], tolerance=0.5, chunk=2).exit_threshold == 0.5
    assert run(SNN, X, 3, exit_threshold=np.nextafter(1.0, 0.0)).logits.shape == (3, 4, 2)
    assert train(_mlp(), X, [0, 1, 0, 1], epochs=1) and Dense(4, 3) and Conv2d(2, 3, 3)


def test_layers_refuse_weights_above_the_memory_limit_before_allocating():
    """A layer refuses exactly when its float64 weights (8 bytes each) exceed the memory limit, with the
    estimate and how to raise it: with the limit at 48 bytes, 6 weights are built and 9 are refused."""
    with pytest.raises(LimitError, match=r"Dense: a weight array of shape \(1000000, 1000000\) \(float64\) needs "
                                         r"about 7.28 TiB, above the memory limit of 2 GiB.*evsim.limits\(memory=...\)"):
        Dense(10**6, 10**6)
    with pytest.raises(LimitError, match=r"Conv2d: a weight array of shape \(100000, 100000, 3, 3\)"):
        Conv2d(10**5, 10**5, 3)
    with evsim.limits(memory=8 * 6):
        assert Dense(2, 3).params["W"].shape == (3, 2) and Conv2d(2, 3, 1).params["W"].shape == (3, 2, 1, 1)
        with pytest.raises(LimitError, match="Dense: a weight array of shape \\(3, 3\\)"):
            Dense(3, 3)
        with pytest.raises(LimitError, match="Conv2d: a weight array of shape \\(1, 1, 3, 3\\)"):
            Conv2d(1, 1, 3)
