"""Claims about the example networks that need many runs or whole distributions (seeded, few)."""

import math

import numpy as np
import pytest

import evsim
from evsim.behavior import exact
from evsim.library import attention, filter_network, gate_error, winner_take_all

ROUNDS = 200


def convergence_round(record, n):
    """First round from which exactly one output, always the same, fires in every later round."""
    fired = np.zeros((ROUNDS, n), bool)
    outputs = (record.neuron >= n) & (record.neuron < 2 * n)  # names: x0.., y0.., a_s, a_c
    fired[record.time[outputs].astype(int), record.neuron[outputs] - n] = True
    final = fired[-1]
    if final.sum() != 1:
        return None
    unsettled = np.flatnonzero(~(fired == final).all(axis=1))
    return int(unsettled[-1]) + 1 if unsettled.size else 1


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
        rounds = [convergence_round(evsim.simulate(net, inputs, until=ROUNDS, rng=rng), n) for _ in range(60)]
        settled = [r for r in rounds if r is not None]
        assert len(settled) >= 0.95 * len(rounds), f"n={n}: only {len(settled)} of {len(rounds)} runs settled"
        means.append(np.mean(settled))
    logs = np.log2(sizes)
    b, a = np.polyfit(logs, means, 1)
    assert np.max(np.abs(a + b * logs - means)) < 4.0, means
    assert 0 < b < 6 and means[-1] < 4 * means[1], means


def test_attention_fails_at_most_as_often_as_its_parts_together():
    """Exact: P[attention's z0 not constant on rounds t_c+2..H-1] <= P[WTA has no single stable
    winner on t_c..H-3] + max over winners P[filter output wrong on t_c+2..H-1]."""
    gamma, w, horizon, t_c = 4.0, 8.0, 9, 4
    on = list(range(horizon))
    data = {"d0_0": on, "d1_0": []}  # the winner's row decides z0: 1 if y0 wins, 0 if y1 wins
    att = exact(attention(2, 1, gamma=gamma, w=w), {"x0": on, "x1": on, **data}, horizon)
    fail_attention = sum(p for seq, p in att if len(set(seq["z0"][t_c + 2:])) != 1)

    wta = exact(winner_take_all(2, gamma), {"x0": on, "x1": on}, horizon)
    def stable(seq):
        window = list(zip(seq["y0"][t_c:horizon - 2], seq["y1"][t_c:horizon - 2]))
        return len(set(window)) == 1 and sum(window[0]) == 1
    fail_wta = sum(p for seq, p in wta if not stable(seq))

    fail_filter = 0.0
    for winner, value in ((0, 1), (1, 0)):
        filt = exact(filter_network(2, 1, w=w), {f"y{winner}": on, **data}, horizon)
        fail_filter = max(fail_filter, sum(p for seq, p in filt if any(z != value for z in seq["z0"][t_c + 2:])))
    assert fail_filter <= (horizon - t_c - 2) * 3 * gate_error(w)  # union bound, (n + 1) gates per round
    assert fail_attention <= fail_wta + fail_filter + 1e-12
    assert 0 < fail_attention < 0.5
