"""Laws of external behaviour (Lynch & Musco), checked on random small networks.

Networks mix Stochastic and Threshold neurons with self-loops, internal
neurons, cycles between components, shared inputs and closed compositions.
Tolerances: 1e-12 for exact identities (sums of at most a few thousand
products of probabilities).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from evsim import Network, Stochastic, Threshold, compose, hide
from evsim.behavior import compose as compose_behaviors
from evsim.behavior import distance, estimate, exact
from evsim.behavior import hide as hide_behavior
from evsim.testing import (
    assert_same_behavior,
    compatible_pairs,
    lm_network,
    pick,
    single_networks,
)

EXACT = 1e-12
horizons = st.integers(1, 4)



def kernel(net, horizon):
    """The behaviour over every execution of every input."""
    return exact(net, {}, horizon, free=net.inputs)


@given(single_networks(), horizons)
def test_every_row_is_a_distribution(net, horizon):
    """Normalisation: for every input execution the sequence probabilities sum to 1."""
    table = kernel(net, horizon).table
    assert np.all(table >= 0) and np.allclose(table.sum(axis=1), 1.0, atol=EXACT, rtol=0)


@given(single_networks(), horizons, st.data())
def test_prefix_consistency(net, horizon, data):
    """Prefix consistency: the horizon-H behaviour summed over rounds >= h is the horizon-h behaviour."""
    h = data.draw(st.integers(1, horizon))
    assert distance(kernel(net, horizon).truncate(h), kernel(net, h)) <= EXACT


@given(single_networks(), st.integers(2, 4), st.data())
def test_strict_causality(net, horizon, data):
    """Strict causality: outputs in rounds <= r do not depend on inputs in rounds >= r."""
    k = kernel(net, horizon)
    if not k.free:
        return
    r = data.draw(st.integers(0, horizon - 2))
    e = data.draw(st.integers(0, k.n_executions - 1))
    flipped = e ^ (1 << (r * len(k.free) + data.draw(st.integers(0, len(k.free) - 1))))
    early = 2 ** (len(k.outputs) * r)  # sequence codes keep rounds 1..r in their low bits
    a = k.table[e].reshape(-1, early).sum(axis=0)
    b = k.table[flipped].reshape(-1, early).sum(axis=0)
    assert np.allclose(a, b, atol=EXACT, rtol=0)


@given(compatible_pairs(), horizons)
def test_composition_product_formula(pair, horizon):
    """Theorem: exact(compose(n1, n2)) equals compose(exact(n1), exact(n2)), cycles included."""
    n1, n2 = pair
    whole = kernel(compose(n1, n2), horizon)
    assert_same_behavior(whole, compose_behaviors(kernel(n1, horizon), kernel(n2, horizon)), EXACT)


@given(single_networks(), horizons, st.data())
def test_hiding_is_the_marginal(net, horizon, data):
    """Hiding: the behaviour of hide(net, V) is the behaviour of net with V summed out."""
    hidden = data.draw(st.sets(st.sampled_from(sorted(net.outputs))))
    assert_same_behavior(kernel(hide(net, hidden), horizon), hide_behavior(kernel(net, horizon), hidden), EXACT)


@given(compatible_pairs())
def test_compose_is_commutative(pair):
    """compose(n1, n2) == compose(n2, n1), as networks and (so) as behaviours."""
    n1, n2 = pair
    assert compose(n1, n2) == compose(n2, n1)
    assert distance(kernel(compose(n1, n2), 3), kernel(compose(n2, n1), 3)) <= EXACT


@given(compatible_pairs(), st.data())
def test_compose_is_associative(pair, data):
    """compose(compose(n1, n2), n3) == compose(n1, compose(n2, n3))."""
    n1, n2 = pair
    n3 = data.draw(lm_network(["a"] + pick(data.draw, ["b"]), ["e"], pick(data.draw, ["h3"])))
    left, right = compose(compose(n1, n2), n3), compose(n1, compose(n2, n3))
    assert left == right
    assert distance(kernel(left, 3), kernel(right, 3)) <= EXACT


@given(compatible_pairs(), horizons)
def test_hide_commutes_with_compose(pair, horizon):
    """hide(n1 × n2, V) == hide(n1, V) × n2 when V ⊆ outputs of n1 and V ∩ n2 = ∅."""
    n1, n2 = pair
    if "c" not in n1.outputs:
        return
    left, right = hide(compose(n1, n2), {"c"}), compose(hide(n1, {"c"}), n2)
    assert left == right
    assert distance(kernel(left, horizon), kernel(right, horizon)) <= EXACT


def scaled(net, c):
    def scale(m):
        if isinstance(m, Stochastic):
            return Stochastic(m.bias * c, m.temperature * c, m.initial)
        return Threshold(m.bias * c, m.initial) if isinstance(m, Threshold) else m
    t = net.table
    return Network({n: scale(m) for n, m in net.neurons.items()},
                   {"source": t.source, "target": t.target, "weight": t.weight * c, "delay": t.delay},
                   net.outputs)


@given(single_networks(), st.sampled_from([0.25, 0.5, 2.0, 8.0]), horizons)
def test_scale_invariance_with_exact_scalings(net, c, horizon):
    """Scaling weights, biases and temperatures by c > 0 leaves the behaviour unchanged
    (powers of two: exact even for Threshold neurons, whose potential may sit on 0)."""
    assert distance(kernel(scaled(net, c), horizon), kernel(net, horizon)) <= EXACT


@given(single_networks(stochastic_only=True), st.floats(0.1, 10.0), horizons)
def test_scale_invariance_for_stochastic_networks(net, c, horizon):
    """Any c > 0 leaves a network of Stochastic neurons' behaviour unchanged (to rounding)."""
    assert distance(kernel(scaled(net, c), horizon), kernel(net, horizon)) <= EXACT


@settings(max_examples=6)
@given(single_networks(), st.integers(0, 2**32 - 1))
def test_monte_carlo_estimate_is_within_tolerance_of_exact(net, seed):
    """Law: with N runs of the event engine, every sequence's frequency is within
    5 standard errors (+2/N for rare sequences) of its exact probability."""
    inputs = {name: [0, 1] for name in net.inputs}
    n = 1500
    exact_table = exact(net, inputs, 3).table
    sampled = estimate(net, inputs, 3, samples=n, rng=seed).table
    assert np.all(np.abs(sampled - exact_table) <= 5 * np.sqrt(exact_table * (1 - exact_table) / n) + 2 / n)
