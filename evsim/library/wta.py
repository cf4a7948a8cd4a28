"""Winner-Take-All, Filter and Attention (after Lynch, Musco & Parter, ITCS 2017).

Parameters are evsim's own, in units of ``γ`` with temperature 1, in
Lynch & Musco's model (arXiv:1808.03884): outputs ``y_i`` (bias 3γ) with input ``x_i → y_i`` (3γ), a
self-loop (2γ) and inhibition from ``a_s`` and ``a_c`` (−γ each); the
inhibitors ``a_s`` (bias 0.5γ, fires if ≥ 1 output fired) and ``a_c`` (bias
1.5γ, fires if ≥ 2 fired) receive ``γ`` from every output. While ≥ 2
outputs fire, each firing output with a firing input has potential 0, so it
survives with probability 1/2: one winner remains after O(log n) rounds.
"""

from __future__ import annotations

import math

from evsim import validation as check
from evsim.composition import compose, hide
from evsim.library.gates import DEFAULT_WEIGHT, check_strength
from evsim.network import Network, require_network_budget
from evsim.neurons import Input, Stochastic
from evsim.synapses import Synapse

__all__ = ["wta_gamma", "winner_take_all", "filter_network", "attention"]


def wta_gamma(n: int, rounds: int = 100, delta: float = 0.01) -> float:
    """``γ = 2 ln((n + 2) · rounds / δ)``, enough to keep a winner for ``rounds`` rounds w.p. ≥ 1 − δ.

    In the single-winner state every potential is at least ``γ/2`` away from
    0 (the inhibitors: ``a_s`` at ``+γ/2``, ``a_c`` at ``−γ/2``), so each of the
    ``n + 2`` neurons errs in a round with probability ``σ(−γ/2) ≤ e^{−γ/2}``;
    a union bound over neurons and rounds gives the formula.

    Parameters
    ----------
    n : int
        Number of WTA outputs (``>= 1``).
    rounds : int, optional
        Rounds the winner must be kept (``>= 1``, default 100).
    delta : float, optional
        Allowed failure probability over those rounds (``0 < delta <= 1``, default 0.01).

    Returns
    -------
    float
        The unit ``γ`` for :func:`winner_take_all` (at temperature 1).

    Raises
    ------
    ValidationError
        If ``n`` or ``rounds`` is not an integer ``>= 1``, or ``delta`` not a real in ``(0, 1]``.

    Examples
    --------
    >>> from evsim import library
    >>> round(library.wta_gamma(3), 6)
    21.639557
    >>> round(library.wta_gamma(3, rounds=1000, delta=0.001), 6)
    30.849897
    """
    n = check.integer("n", n, owner="wta_gamma", minimum=1)
    rounds = check.integer("rounds", rounds, owner="wta_gamma", minimum=1)
    delta = check.real("delta", delta, owner="wta_gamma", minimum=0.0, exclusive_minimum=True, maximum=1.0)
    return 2.0 * math.log((n + 2) * rounds / delta)


def _gamma(owner: str, gamma: object, n: int) -> float:
    """The WTA unit ``γ``: a finite real > 0, default :func:`wta_gamma` of ``n``."""
    if gamma is None:
        return wta_gamma(n)
    return check.real("gamma", gamma, owner=owner, minimum=0.0, exclusive_minimum=True)


def winner_take_all(n: int, gamma: float | None = None) -> Network:
    """WTA over inputs ``x0 … x{n−1}``, outputs ``y0 …``, internals ``a_s``, ``a_c``.

    Parameters
    ----------
    n : int
        Number of inputs and of outputs (``>= 1``).
    gamma : float, optional
        The unit ``γ`` of every weight and bias (finite, ``> 0``); ``None`` (default) takes
        ``wta_gamma(n)``, a winner kept for 100 rounds with probability ≥ 0.99.

    Returns
    -------
    Network
        ``n`` inputs and ``n + 2`` Stochastic neurons (temperature 1, starting silent); ``6n`` synapses.

    Raises
    ------
    ValidationError
        If ``n`` is not an integer ``>= 1``, or ``gamma`` (when given) not a finite real ``> 0``.
    LimitError
        Before building, if a network of this size exceeds the memory limit.

    Examples
    --------
    Three inputs fire every round; one output is left firing:

    >>> import evsim
    >>> from evsim import library
    >>> net = library.winner_take_all(3)
    >>> record = evsim.simulate(net, {f"x{i}": list(range(20)) for i in range(3)}, until=20, rng=0)
    >>> [y for y, train in sorted(record.trains().items()) if y.startswith("y") and 19.0 in train]
    ['y1']
    """
    n = check.integer("n", n, owner="winner_take_all", minimum=1)
    require_network_budget("winner_take_all", 2 * n + 2, 6 * n)
    g = _gamma("winner_take_all", gamma, n)
    neurons = {f"x{i}": Input() for i in range(n)}
    neurons.update({f"y{i}": Stochastic(bias=3 * g) for i in range(n)})
    neurons.update({"a_s": Stochastic(bias=0.5 * g), "a_c": Stochastic(bias=1.5 * g)})
    synapses = []
    for i in range(n):
        y = f"y{i}"
        synapses += [Synapse(f"x{i}", y, 3 * g), Synapse(y, y, 2 * g), Synapse("a_s", y, -g),
                     Synapse("a_c", y, -g), Synapse(y, "a_s", g), Synapse(y, "a_c", g)]
    return Network(neurons, synapses, outputs={f"y{i}" for i in range(n)})


def filter_network(n: int, m: int, *, w: float = DEFAULT_WEIGHT, temperature: float = 1.0) -> Network:
    """Pass the data row of the selected ``y_i``: ``f_ij = AND(y_i, d_ij)``, ``z_j = OR_i f_ij``.

    Inputs ``y0 …`` and ``d{i}_{j}``; internals ``f{i}_{j}``; outputs ``z0 … z{m−1}``.
    ``z_j(t) = OR_i (y_i(t−2) AND d_ij(t−2))`` with error ≤ (n + 1)·ε per output bit
    when at most one ``y_i`` fires (the OR's own ε plus one AND per row).

    Parameters
    ----------
    n : int
        Number of selector inputs ``y_i`` (rows; ``>= 1``).
    m : int
        Number of data bits per row, and of outputs ``z_j`` (``>= 1``).
    w : float, optional
        Unit weight of the AND and OR gates (any finite real; default ``DEFAULT_WEIGHT`` = 10).
    temperature : float, optional
        Temperature ``λ`` of every gate neuron (finite, ``> 0``; default 1).

    Returns
    -------
    Network
        ``n + n·m`` inputs, ``n·m`` internals and ``m`` outputs, every gate starting silent.

    Raises
    ------
    ValidationError
        If ``n`` or ``m`` is not an integer ``>= 1``, ``w`` not a finite real, or ``temperature`` not a
        finite real ``> 0``.
    LimitError
        Before building, if a network of this size exceeds the memory limit.

    Examples
    --------
    Row 1 is selected, so ``z`` copies ``d1_0``, ``d1_1`` two rounds later:

    >>> import evsim
    >>> from evsim import library
    >>> net = library.filter_network(2, 2)
    >>> record = evsim.simulate(net, {"y1": [0], "d0_0": [0], "d1_1": [0]}, until=4, rng=0)
    >>> record.trains()["z0"].tolist(), record.trains()["z1"].tolist()
    ([], [2.0])
    """
    n = check.integer("n", n, owner="filter_network", minimum=1)
    m = check.integer("m", m, owner="filter_network", minimum=1)
    require_network_budget("filter_network", 2 * n * m + n + m, 3 * n * m)
    w, temperature = check_strength("filter_network", w, temperature)
    neurons = {f"y{i}": Input() for i in range(n)}
    neurons.update({f"d{i}_{j}": Input() for i in range(n) for j in range(m)})
    neurons.update({f"f{i}_{j}": Stochastic(1.5 * w, temperature) for i in range(n) for j in range(m)})
    neurons.update({f"z{j}": Stochastic(0.5 * w, temperature) for j in range(m)})
    synapses = []
    for i in range(n):
        for j in range(m):
            f = f"f{i}_{j}"
            synapses += [Synapse(f"y{i}", f, w), Synapse(f"d{i}_{j}", f, w), Synapse(f, f"z{j}", w)]
    return Network(neurons, synapses, outputs={f"z{j}" for j in range(m)})


def attention(n: int, m: int, *, gamma: float | None = None, w: float = DEFAULT_WEIGHT,
              temperature: float = 1.0) -> Network:
    """``hide(WTA(n) × Filter(n, m), {y_i})``: the data row of the WTA winner reaches ``z``.

    Parameters
    ----------
    n : int
        Number of competing inputs ``x_i`` and data rows (``>= 1``).
    m : int
        Number of data bits per row, and of outputs ``z_j`` (``>= 1``).
    gamma : float, optional
        The WTA unit ``γ`` (finite, ``> 0``); ``None`` (default) takes ``wta_gamma(n)``.
    w : float, optional
        Unit weight of the Filter's gates (any finite real; default ``DEFAULT_WEIGHT`` = 10).
    temperature : float, optional
        Temperature ``λ`` of the Filter's gate neurons (finite, ``> 0``; default 1); the WTA runs at 1.

    Returns
    -------
    Network
        Inputs ``x{i}`` and ``d{i}_{j}``; outputs ``z0 … z{m−1}``; the WTA's ``y{i}``, ``a_s``, ``a_c`` and
        the Filter's ``f{i}_{j}`` internal.

    Raises
    ------
    ValidationError
        If ``n`` or ``m`` is not an integer ``>= 1``, ``gamma`` (when given) or ``temperature`` not a finite
        real ``> 0``, or ``w`` not a finite real.
    LimitError
        Before building, if the WTA or the Filter exceeds the memory limit.

    Examples
    --------
    ``x0`` alone competes, so row 0 (``d0_1`` firing) reaches ``z`` once ``y0`` has won:

    >>> import evsim
    >>> from evsim import library
    >>> net = library.attention(2, 2)
    >>> rows = {"x0": list(range(10)), "d0_1": list(range(10)), "d1_0": list(range(10))}
    >>> record = evsim.simulate(net, rows, until=10, rng=3)
    >>> record.trains()["z0"].tolist(), record.trains()["z1"].tolist()
    ([], [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    """
    n = check.integer("n", n, owner="attention", minimum=1)
    wta = winner_take_all(n, _gamma("attention", gamma, n))
    return hide(compose(wta, filter_network(n, m, w=w, temperature=temperature)), wta.outputs)
