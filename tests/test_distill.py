"""DNN→SNN distillation (evsim.deep.distill): each path's gradient, each switch, and the guide inside fit."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from evsim.deep import Dense, ReLU, Sequential, fit, spiking_mlp, train
from evsim.deep.distill import Distillation
from evsim.errors import ValidationError


def _teacher(seed=0, inputs=3, hidden=5, classes=2):
    return Sequential([Dense(inputs, hidden, rng=seed), ReLU(), Dense(hidden, classes, rng=seed + 1)])


def _task(samples=40, seed=0):
    x = np.random.default_rng(seed).random((samples, 3))
    return x, (x[:, 0] > x[:, 1]).astype(int)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([1.0, 2.0, 4.0]), st.integers(1, 4), st.integers(1, 3))
def test_each_paths_gradient_is_the_derivative_of_its_loss(seed, temperature, steps, batch):
    """Law: Distillation.terms' gradients with respect to the last output u_T, to every spike s_t of the decoded
    layer (real-valued here) and to the decoder's D and d equal central finite differences of its loss
    (to 1e-6 relative; the loss is smooth in all of them).

    Mutations that break it: the spike gradient without its 1/T, or the output gradient without its τ."""
    rng = np.random.default_rng(seed)
    guide = Distillation(_teacher(seed % 100), output=0.7, intermediate=1.3, temperature=temperature, seed=seed % 50)
    logits = rng.normal(0, 2, (steps, batch, 2))
    spikes = [rng.random((steps, batch, 4)), rng.random((steps, batch, 6))]
    teacher_logits, hidden = rng.normal(0, 2, (batch, 2)), rng.normal(0, 1, (batch, 5))
    loss, logit_grad, spike_grad, decoder_grad = guide.terms(logits, spikes, teacher_logits, hidden)

    def loss_at(logits=logits, spikes=spikes):
        return guide.terms(logits, spikes, teacher_logits, hidden)[0]

    def numeric(array, index, evaluate):
        up, down = array.copy(), array.copy()
        up[index] += 1e-6
        down[index] -= 1e-6
        return (evaluate(up) - evaluate(down)) / 2e-6

    for index in np.ndindex(batch, 2):
        full = (steps - 1, *index)
        assert numeric(logits, full, lambda a: loss_at(logits=a)) == pytest.approx(logit_grad[index], rel=1e-6,
                                                                                   abs=1e-9)
    for t in range(steps):
        for index in np.ndindex(batch, 6):
            value = numeric(spikes[1], (t, *index), lambda a: loss_at(spikes=[spikes[0], a]))
            assert value == pytest.approx(spike_grad[1][index], rel=1e-6, abs=1e-9)
    assert not np.any(spike_grad[0])  # only the decoded (last) layer is read
    for name in ("D", "d"):
        for index in np.ndindex(guide.decoder[name].shape):
            def with_decoder(a, name=name):
                saved, guide.decoder[name] = guide.decoder[name], a
                try:
                    return loss_at()
                finally:
                    guide.decoder[name] = saved
            value = numeric(guide.decoder[name], index, with_decoder)
            assert value == pytest.approx(decoder_grad[name][index], rel=1e-6, abs=1e-9)


def test_a_path_switched_off_adds_no_term_and_no_gradient():
    rng = np.random.default_rng(1)
    logits, spikes = rng.normal(size=(3, 2, 2)), [rng.random((3, 2, 6))]
    teacher_logits, hidden = rng.normal(size=(2, 2)), rng.normal(size=(2, 5))
    both = Distillation(_teacher(), output=1.0, intermediate=1.0).terms(logits, spikes, teacher_logits, hidden)
    output = Distillation(_teacher(), output=1.0).terms(logits, spikes, teacher_logits, hidden)
    middle = Distillation(_teacher(), output=0.0, intermediate=1.0).terms(logits, spikes, teacher_logits, hidden)
    assert output[2] is None and output[3] is None  # no intermediate path: no spike or decoder gradient
    assert middle[1] is None  # no output path: no gradient on the output
    assert both[0] == pytest.approx(output[0] + middle[0], rel=1e-12)  # the terms add up
    assert np.array_equal(both[1], output[1]) and np.array_equal(both[2][0], middle[2][0])
    none = Distillation(_teacher(), output=0.0).terms(logits, spikes, teacher_logits, hidden)
    assert none == (0.0, None, None, None)


def test_with_every_path_off_the_guided_student_is_the_unguided_one_bit_for_bit():
    x, y = _task()
    options = dict(epochs=3, batch=8, lr=0.01, seed=2)
    plain = fit(spiking_mlp([3, 6, 2], beta=0.9, seed=1), x, y, 4, **options)
    guide = Distillation(_teacher(inputs=3, hidden=6), output=0.0)
    guided = fit(spiking_mlp([3, 6, 2], beta=0.9, seed=1), x, y, 4, guide=guide, **options)
    assert plain.losses == guided.losses
    assert np.array_equal(plain.net.layers[0].ops[0].params["W"], guided.net.layers[0].ops[0].params["W"])


def test_only_the_back_path_trains_the_guides_copy_of_the_teacher():
    x, y = _task()
    teacher = _teacher(inputs=3, hidden=6)
    train(teacher, x, y, epochs=5, lr=0.01)
    given = teacher.layers[0].params["W"].copy()
    frozen = Distillation(teacher, output=1.0, intermediate=1.0)
    adapting = Distillation(teacher, output=1.0, back=1.0)
    for guide in (frozen, adapting):
        fit(spiking_mlp([3, 6, 2], beta=0.9, seed=1), x, y, 4, epochs=2, batch=8, lr=0.01, guide=guide)
    assert np.array_equal(teacher.layers[0].params["W"], given)  # the given teacher never changes
    assert np.array_equal(frozen.teacher.layers[0].params["W"], given)
    assert not np.array_equal(adapting.teacher.layers[0].params["W"], given)
    assert frozen.decoder is not None and adapting.decoder is None


@pytest.mark.parametrize("kwargs, named", [(dict(output=-1.0), "output"), (dict(temperature=0.0), "temperature"),
                                           (dict(back=float("nan")), "back"), (dict(teacher_layer=7), "teacher_layer"),
                                           (dict(lr=0.0), "lr")])
def test_bad_settings_are_refused_by_name(kwargs, named):
    with pytest.raises(ValidationError, match=f"Distillation: {named}"):
        Distillation(_teacher(), **kwargs)
    with pytest.raises(ValidationError, match="Distillation: teacher"):
        Distillation(Sequential([Dense(3, 2, rng=0), ReLU()]))


def test_a_guided_student_is_determined_by_its_seeds():
    x, y = _task()
    runs = [fit(spiking_mlp([3, 6, 2], beta=0.9, seed=1), x, y, 4, epochs=2, batch=8, lr=0.01, seed=3,
                guide=Distillation(_teacher(inputs=3, hidden=6), output=1.0, intermediate=1.0, back=1.0, seed=4))
            for _ in range(2)]
    assert runs[0].losses == runs[1].losses
    assert np.array_equal(runs[0].net.layers[0].ops[0].params["W"], runs[1].net.layers[0].ops[0].params["W"])


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([1.0, 2.0, 4.0]), st.integers(1, 4))
def test_the_back_paths_teacher_gradient_is_the_derivative_of_its_loss(seed, temperature, batch):
    """Law: teacher_terms' gradient equals central finite differences of CE(z, y) + back·τ²·KL(student ‖ teacher)
    with respect to every teacher logit, to 1e-6 relative.

    Mutation that breaks it: the KL term's gradient without its τ."""
    rng = np.random.default_rng(seed)
    guide = Distillation(_teacher(), back=0.8, temperature=temperature)
    z, logits, y = rng.normal(0, 2, (batch, 2)), rng.normal(0, 2, (3, batch, 2)), rng.integers(0, 2, batch)
    _, grad = guide.teacher_terms(z, logits, y)
    for index in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[index] += 1e-6
        down[index] -= 1e-6
        numeric = (guide.teacher_terms(up, logits, y)[0] - guide.teacher_terms(down, logits, y)[0]) / 2e-6
        assert numeric == pytest.approx(grad[index], rel=1e-6, abs=1e-9)


def test_one_guide_used_twice_guides_both_trainings_alike_and_bad_guides_are_refused():
    x, y = _task()
    guide = Distillation(_teacher(inputs=3, hidden=6), output=1.0, intermediate=1.0, back=1.0)
    first, second = (fit(spiking_mlp([3, 6, 2], beta=0.9, seed=1), x, y, 4, epochs=2, batch=8, lr=0.01, guide=guide)
                     for _ in range(2))
    assert first.losses == second.losses
    with pytest.raises(ValidationError, match="fit: guide must be None or an object with a batch"):
        fit(spiking_mlp([3, 6, 2]), x, y, 4, epochs=1, guide=42)
    wrong = Distillation(_teacher(inputs=3, hidden=6, classes=3))
    with pytest.raises(ValidationError, match="Distillation: teacher must be an ANN with the student's 2 outputs"):
        fit(spiking_mlp([3, 6, 2]), x, y, 4, epochs=1, guide=wrong)


def test_a_conv_teacher_reads_the_images_as_they_are():
    from evsim.deep import Conv2d, Flatten

    rng = np.random.default_rng(0)
    x, y = rng.random((12, 1, 4, 4)), rng.integers(0, 2, 12)
    teacher = Sequential([Conv2d(1, 2, 3, rng=0), ReLU(), Flatten(), Dense(8, 2, rng=1)])
    logits, hidden = Distillation(teacher, teacher_layer=2).teacher_forward(x)
    assert logits.shape == (12, 2) and hidden.shape == (12, 8)
