"""Claims about the example networks that need many runs or whole distributions (seeded, few)."""

import numpy as np

import evsim
from evsim.lessons.lynch_musco import attention_failure, convergence_round
from evsim.library import gate_error, winner_take_all

ROUNDS = 200


def test_wta_converges_in_logarithmic_rounds_and_stays_stable():
    """For n = 2, 8, 32, 128 (all inputs on, 60 seeded runs each, default γ): at least 95 % of
    runs settle on one winner that stays to round 200; the mean settling round fits a + b·log2(n)
    within 4 rounds (about 1.5 standard errors of these heavy-tailed means) with 0 < b < 6, and
    quadruples at most while n grows 16-fold from 8 to 128 (linear growth would be 16-fold)."""
    sizes, means = [2, 8, 32, 128], []
    rng = np.random.default_rng(7)
    for n in sizes:
        net = winner_take_all(n)
        inputs = {f"x{i}": list(range(ROUNDS)) for i in range(n)}
        rounds = [convergence_round(evsim.simulate(net, inputs, until=ROUNDS, rng=rng), n, ROUNDS) for _ in range(60)]
        settled = [r for r in rounds if r is not None]
        assert len(settled) >= 0.95 * len(rounds), f"n={n}: only {len(settled)} of {len(rounds)} runs settled"
        means.append(np.mean(settled))
    logs = np.log2(sizes)
    b, a = np.polyfit(logs, means, 1)
    assert np.max(np.abs(a + b * logs - means)) < 4.0, means
    assert 0 < b < 6 and means[-1] < 4 * means[1], means


def test_attention_fails_at_most_as_often_as_its_parts_together():
    """Exact (n = 2, one data bit, rounds 0-8): P[attention's z0 not constant on rounds 6-8]
    <= P[WTA has no single stable winner on rounds 4-6] + max over winners P[filter output
    wrong on rounds 6-8]; and the filter part obeys its union bound (n + 1 gates per round)."""
    fail_attention, fail_wta, fail_filter = attention_failure(gamma=4.0, w=8.0, horizon=9, settle=4)
    assert fail_filter <= 3 * 3 * gate_error(8.0)
    assert fail_attention <= fail_wta + fail_filter + 1e-12
    assert 0 < fail_attention < 0.5
