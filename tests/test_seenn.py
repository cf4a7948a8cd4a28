"""SEENN-II (evsim.deep.seenn): rewards, the exact policy gradient, training, and runs at the chosen steps."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from evsim.deep import Dense, ReLU, Sequential, run, spiking_mlp
from evsim.deep.energy import E_MAC, ann_energy
from evsim.deep.seenn import choose_steps, expected_reward, fit_policy, policy_run, rewards
from evsim.errors import ValidationError


def test_a_right_answer_after_k_steps_earns_two_to_the_minus_k_and_a_wrong_one_costs_beta():
    snn = spiking_mlp([3, 6, 3], seed=1)
    x = np.random.default_rng(0).random((5, 3))
    result = run(snn, x, 4)
    labels = result.predictions[2]  # right at step 3 by construction
    reward = rewards(result, labels, beta=3.0)
    for i in range(5):
        for k in range(1, 5):
            right = result.predictions[k - 1, i] == labels[i]
            assert reward[i, k - 1] == (2.0 ** -k if right else -3.0)
    with pytest.raises(ValidationError, match="rewards: beta"):
        rewards(result, labels, beta=-1.0)
    early = run(snn, x, 4, exit_threshold=0.01)  # any softmax over 3 classes passes 0.01: all exit at step 1
    assert early.exit_step.max() == 1
    with pytest.raises(ValidationError, match="rewards: result must be a run without early exit"):
        rewards(early, labels, beta=1.0)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 5), st.integers(2, 6))
def test_the_policy_gradient_is_the_derivative_of_the_expected_reward(seed, samples, steps):
    """Law: expected_reward's gradient equals central finite differences of J = mean_x Σ_k softmax(z)_k R_k
    with respect to every logit, to 1e-7 relative (J is smooth; step 1e-6).

    Mutation that breaks it: dropping the baseline Σ_j π_j R_j (the softmax Jacobian's second term)."""
    rng = np.random.default_rng(seed)
    logits, reward = rng.normal(0, 2, (samples, steps)), rng.normal(0, 1, (samples, steps))
    _, gradient = expected_reward(logits, reward)
    numeric = np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[index] += 1e-6
        down[index] -= 1e-6
        numeric[index] = (expected_reward(up, reward)[0] - expected_reward(down, reward)[0]) / 2e-6
    assert np.allclose(gradient, numeric, rtol=1e-7, atol=1e-9)


def test_the_policy_trains_on_a_copy_deterministically_and_learns_which_inputs_need_more_steps():
    rng = np.random.default_rng(2)
    x = rng.random((200, 2))
    hard = x[:, 0] > 0.5  # these are wrong after one step, right after two
    reward = np.where(hard[:, None], [-2.0, 0.25, 0.125], [0.5, 0.25, 0.125])
    policy = Sequential([Dense(2, 16, rng=0), ReLU(), Dense(16, 3, rng=1)])
    before = policy.layers[0].params["W"].copy()
    trained = fit_policy(policy, x, reward, epochs=150, lr=0.02)
    again = fit_policy(policy, x, reward, epochs=150, lr=0.02)
    assert np.array_equal(policy.layers[0].params["W"], before)
    assert np.array_equal(trained.layers[0].params["W"], again.layers[0].params["W"])
    chosen = choose_steps(trained, x)
    assert (chosen == np.where(hard, 2, 1)).mean() > 0.9
    with pytest.raises(ValidationError, match="fit_policy: policy must be an ANN with one output per step count"):
        fit_policy(Sequential([Dense(2, 4, rng=0)]), x, reward)


def test_each_image_runs_exactly_its_chosen_steps_and_pays_for_them_and_the_policy():
    snn = spiking_mlp([3, 5, 3], seed=4, beta=0.75)
    x = np.random.default_rng(5).random((9, 3))
    policy = Sequential([Dense(3, 4, rng=2)])
    out = policy_run(snn, policy, x, labels=np.zeros(9, int))
    joules = 0.0
    for i, k in enumerate(choose_steps(policy, x)):
        alone = run(snn, x[i:i + 1], int(k))
        assert out.predictions[i] == alone.predictions[-1, 0]
        joules += alone.energy()
    assert out.avg_steps == pytest.approx(out.steps.mean())
    assert out.accuracy == pytest.approx(float((out.predictions == 0).mean()))
    expected = (joules / 9 + 12 * E_MAC) / ann_energy(snn)
    assert out.energy_ratio == pytest.approx(expected, rel=1e-9)
