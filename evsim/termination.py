"""Whether a run with no end time ends: neurons that drive themselves, and cycles that carry activity.

A run with ``until=inf`` (or an ``until`` beyond the exact time range) stops
when the events do. Input trains are finite, so it provably stops when

* no neuron is *self-driven* — fires forever with no input: an IF/LIF whose
  free evolution reaches the threshold (:func:`evsim.dynamics.may_cross`), or
  whose reset leaves the potential at or above the threshold and which has a
  refractory period or a clock (it fires again at the end of every period,
  or at the next step: a discrete neuron updates at every step); a
  ``CubaLIF`` whose state with no input settles at or above the threshold
  (:func:`cuba_self_driven`), or whose reset leaves it at or above it; a
  ``Stochastic`` neuron with ``p0 = sigmoid(−bias/temperature) > 0`` (it fires
  spontaneously); a ``Threshold`` neuron with ``bias <= 0``;
* and no cycle of *exciting* synapses joins neurons that can fire more than
  once (not single-spike). A synapse excites if its weight is positive, or if
  its target's reset leaves the potential at or above the threshold (such a
  neuron fires at any arrival).

Why that suffices: without input or exciting arrivals a neuron that is not
self-driven fires at most finitely often (a potential above the threshold
comes down by a positive amount at each subtract reset — the threshold, or
``reset_by`` —, or below it at a hard reset, and free evolution does not
bring it back; a CubaLIF's current decays geometrically, so it adds a finite
amount), and each exciting arrival
adds finitely many spikes; with no exciting cycle, induction along the
exciting graph's order bounds every neuron. Anything else is refused before
the first step (:func:`why_endless` names the neurons or the cycle): such a
run could loop forever.
"""

from __future__ import annotations

import numpy as np

from evsim.dynamics import may_cross
from evsim.network import Network, cycle_in
from evsim.neurons import (IF, LIF, CubaLIF, Stochastic, Threshold, cuba_ceiling, fires, firing_probability,
                           resting_level)

__all__ = ["why_endless", "cuba_self_driven"]

_SHOWN = 5  # names listed in a message


def why_endless(net: Network) -> str | None:
    """Why a run of ``net`` with no end time may never stop, or ``None`` if it provably stops.

    Parameters
    ----------
    net : Network
        The network, with its clock (discrete or continuous time).

    Returns
    -------
    str or None
        A sentence naming the self-driven neurons, or a cycle of exciting
        synapses (see the module docstring); ``None`` if every run of ``net``
        with finite input trains ends.

    Examples
    --------
    >>> import evsim
    >>> from evsim.termination import why_endless
    >>> print(why_endless(evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y")])))
    None
    >>> print(why_endless(evsim.Network({"y": evsim.IF(bias=0.5)})))
    neuron 'y' fires forever with no input (free evolution reaches its threshold)
    >>> loop = evsim.Network({"p": evsim.IF(), "q": evsim.IF()}, [evsim.Synapse("p", "q"), evsim.Synapse("q", "p")])
    >>> why_endless(loop)
    'the synapse cycle p -> q -> p can carry activity round forever'
    """
    models = list(net.neurons.values())
    driven, relay, repeats = _kinds_of_firing(models, net)
    if any(driven):
        which = [i for i, why in enumerate(driven) if why]
        shown = ", ".join(repr(net.names[i]) for i in which[:_SHOWN])
        more = f" and {len(which) - _SHOWN} more" if len(which) > _SHOWN else ""
        first = driven[which[0]] if len(which) == 1 else f"{net.names[which[0]]!r}: {driven[which[0]]}"
        return (f"neuron{'s' if len(which) > 1 else ''} {shown}{more} fire{'' if len(which) > 1 else 's'} "
                f"forever with no input ({first})")
    t = net.table
    exciting = repeats[t.source] & repeats[t.target] & ((t.weight > 0) | relay[t.target])
    loop = cycle_in(len(models), t.source[exciting], t.target[exciting])
    if loop is not None:
        path = " -> ".join(net.names[i] for i in loop + [loop[0]])
        return f"the synapse cycle {path} can carry activity round forever"
    return None


def _kinds_of_firing(models: list, net: Network) -> tuple[list, np.ndarray, np.ndarray]:
    """Per neuron: why it is self-driven ('' if it is not); fires at any arrival after a spike (a relay);
    can fire more than once."""
    n = len(models)
    driven, relay, repeats = [""] * n, np.zeros(n, bool), np.zeros(n, bool)
    integrators = [i for i, m in enumerate(models) if isinstance(m, (IF, LIF))]
    if integrators:
        rows = np.array(integrators)
        column = lambda get: np.array([float(get(models[i])) for i in integrators])  # noqa: E731
        theta, tau, v_rest, bias = (column(lambda m: m.threshold), column(lambda m: m.tau),
                                    column(lambda m: m.v_rest), column(lambda m: m.bias))
        reset = column(lambda m: m.reset_to)
        removed = column(lambda m: m.reset_amount)
        refractory = column(lambda m: m.refractory)
        once = np.array([models[i].single_spike for i in integrators], bool)
        beta = np.exp(-net.dt / tau) if net.discrete else np.ones_like(tau)
        crosses = may_cross(theta, resting_level(tau, v_rest, bias), beta, v_rest, bias, net.discrete)
        stays_above = np.where(np.isnan(reset), removed <= 0, reset >= theta)  # (subtract: m − a >= θ for every m >= θ iff a <= 0)
        repeats[rows] = ~once
        relay[rows] = stays_above
        # it fires again when its refractory period ends; in discrete time that is the next step if r <= dt
        again = stays_above & ((refractory > 0) | net.discrete)
        for i, c, r in zip(integrators, ~once & crosses, ~once & again):
            driven[i] = ("free evolution reaches its threshold" if c else
                         "its reset leaves it at or above its threshold" if r else "")
    for i, m in enumerate(models):
        if isinstance(m, Stochastic):
            repeats[i] = True
            driven[i] = "it fires spontaneously" if float(firing_probability(-m.bias, m.temperature)) > 0 else ""
        elif isinstance(m, Threshold):
            repeats[i] = True
            driven[i] = "bias <= 0: it fires every round" if m.bias <= 0 else ""
        elif isinstance(m, CubaLIF):
            repeats[i] = True
            relay[i] = m.threshold <= 0 if m.reset_potential is None else m.reset_potential >= m.threshold
            driven[i] = cuba_self_driven(m, net.dt) or (
                "its reset leaves it at or above its threshold" if relay[i] else "")
    return driven, relay, repeats


def cuba_self_driven(model: CubaLIF, dt: float) -> str:
    """Why a CubaLIF may fire (or keep changing) forever with no input, or ``''`` if it provably comes to rest.

    With no input the current tends to ``c* = i_bias / (1 − beta_syn)`` and
    the potential to ``v* = v_rest + (bias + c*) / (1 − beta_mem)``; both
    iterations are monotone and contracting, so in floating point they
    reach fixed points within rounding of these. The neuron is self-driven
    where :func:`~evsim.neurons.cuba_ceiling` of that resting state (``v*``
    plus the rounding margin) reaches the threshold, or where a decay rounds
    to 1 at this ``dt`` (a current that never decays, or a potential that
    never leaks under a constant drive, never comes to rest). A decay below 1
    but very close to it ends, but late: the state rests after about
    ``745 / ln(1/beta)`` steps.

    Parameters
    ----------
    model : CubaLIF
        The neuron's parameters.
    dt : float
        The network's clock (ms, ``> 0``), which fixes ``beta_syn`` and
        ``beta_mem`` (:meth:`~evsim.neurons.CubaLIF.betas`).

    Returns
    -------
    str
        The reason as a clause for :func:`why_endless`'s message ("free
        evolution reaches its threshold", or one starting "or at least
        updates at every step" where a decay rounds to 1); ``''`` if the
        neuron provably comes to rest.

    Examples
    --------
    >>> import evsim
    >>> from evsim.termination import cuba_self_driven
    >>> cuba_self_driven(evsim.CubaLIF(), dt=1.0)
    ''
    >>> cuba_self_driven(evsim.CubaLIF(i_bias=0.1), dt=1.0)
    'free evolution reaches its threshold'
    """
    beta_syn, beta_mem = model.betas(dt)
    if beta_syn == 1:
        return ("or at least updates at every step: its current never decays, beta_syn = exp(-dt/tau_syn) rounds "
                "to 1 at this dt")
    c_star = model.i_bias / (1 - beta_syn)
    if beta_mem == 1:
        return ("or at least updates at every step: no leak at this dt (beta_mem rounds to 1) under a constant "
                "drive" if model.bias + c_star != 0 else "")
    v_star = model.v_rest + (model.bias + c_star) / (1 - beta_mem)
    top = cuba_ceiling(v_star, c_star, beta_syn, beta_mem, model.v_rest, model.bias, model.i_bias)
    return "free evolution reaches its threshold" if fires(top, model.threshold) else ""
