"""Discrete IF/LIF neurons on NEST's grid neuron ``iaf_psc_delta``: evsim's step, to the bit, where it exists.

evsim's step of a discrete IF/LIF with ``v_rest = 0`` (clock ``dt``)::

    m = fl(fl(beta·v) + bias) + I,   beta = exp(−dt/tau);   fire iff m >= theta;  then v = v_reset

NEST's ``iaf_psc_delta`` at resolution ``h = dt``, its potential relative to
``E_L = 0`` (NEST 3.10; checked bit for bit against its multimeter)::

    y ← fl(fl(P30·I_e) + fl(P33·y)) + S,   P33 = exp(−h/tau_m),  P30 = fl(fl(1/C_m·(1 − P33))·tau_m)
    fire iff y >= V_th;  then y = V_reset, and t_ref/h steps of refractoriness

(``S`` the arrivals of the step). The two are the same operations when
``P33 == beta`` — NEST's ``exp`` (the C library's) against NumPy's, compared
here — and ``fl(P30·I_e) == bias``: :func:`bias_current` takes ``I_e = bias/P30``
(with ``C_m = 1``) where that product gives the bias back, and there is no
such ``I_e`` otherwise (about 2 % of biases at ``dt = 1``, 15 % at 0.1). An ``IF`` has ``beta = 1``: ``tau_m =`` a huge value gives ``P33 = 1``
and ``P30 = 0``, so an IF maps only without bias.

Timing: NEST's update of step ``k`` stamps its spike ``(k + 1)·h``: that is
evsim's step ``k`` (the record takes one step off). An input at evsim's step
``j`` is a ``spike_generator`` spike at ``(j + 1)·h``, delivered with the
synapse's delay exactly as evsim delivers it. evsim's refractory period of
``n`` steps blocks the arrivals of steps ``k+1 … k+n−1`` after a spike at
``k``; NEST's ``t_ref = (n − 1)·h`` (at least 0) does the same.
"""

from __future__ import annotations

import math

import numpy as np

from evsim.errors import ValidationError

__all__ = ["GRID_MODEL", "grid_parameters", "bias_current"]

GRID_MODEL = "iaf_psc_delta"
_NO_LEAK_TAU = 1e30  # ms: exp(-h/tau_m) == 1.0 and P30 == 0 for any resolution NEST takes


def nest_steps(dt: float) -> set[float]:
    """NEST's step ``h`` as a float, both ways its clock forms it from whole tics of 1 µs (they may differ by an ulp)."""
    tics = round(dt * 1000)
    return {tics * (1 / 1000), tics / 1000.0}


def propagators(tau: float, h: float) -> tuple[float, float]:
    """NEST's ``(P33, P30)`` for ``tau_m = tau``, ``C_m = 1``, step ``h`` (in its operation order)."""
    p33 = math.exp(-h / tau)
    return p33, 1 / 1.0 * (1 - p33) * tau


def bias_current(bias: float, tau: float, h: float) -> float | None:
    """``I_e = bias/P30`` where NEST's ``fl(P30·I_e)`` gives ``bias`` back exactly (``C_m = 1``), else ``None``.

    Where the quotient's product misses ``bias``, no float near it hits
    (checked over millions of draws: multiplying by ``P30`` skips that
    ``bias``), so the neuron is refused rather than run an ulp off.
    """
    if bias == 0.0:
        return 0.0
    _, p30 = propagators(tau, h)
    if p30 == 0.0:
        return None
    current = bias / p30
    return current if p30 * current == bias else None


def grid_parameters(name: str, model, dt: float, owner: str, hold: float) -> dict:
    """``iaf_psc_delta`` parameters of one discrete IF/LIF neuron, or the reason NEST's step differs from evsim's.

    A single-spike neuron is refractory for ``hold`` ms after its spike (longer than any run).
    """
    def refuse(what: str, fix: str) -> ValidationError:
        return ValidationError(f"{owner}: neuron {name!r} ({type(model).__name__}) {what}; {fix}")

    theta, tau, bias = model.threshold, model.tau, model.bias
    if model.v_rest != 0.0:
        raise refuse(f"has v_rest={model.v_rest!r}; NEST's grid neuron steps V − E_L, whose rounding is not evsim's "
                     f"v_rest + beta*(v − v_rest)", "give v_rest=0.0 (shift threshold, reset and v_init), or run it "
                     "with engine='evsim'")
    leaky = not math.isinf(tau)
    steps = nest_steps(dt)
    if leaky:
        beta = float(np.exp(-dt / tau))  # what evsim's populations compute
        p33 = [propagators(tau, h)[0] for h in steps]
        if any(p != beta for p in p33):
            raise refuse(f"decays by beta={beta!r} per step in evsim (NumPy's exp) and {p33[0]!r} in NEST (the C "
                         f"library's exp of its step)", "give a tau whose exp(-dt/tau) the two agree on, or run "
                         "it with engine='evsim'")
    currents = {bias_current(bias, tau, h) for h in steps} if leaky else {0.0 if bias == 0.0 else None}
    i_e = currents.pop() if len(currents) == 1 else None
    if i_e is None:
        why = ("an IF has no leak, and NEST's grid neuron without leak (exp(-h/tau_m) = 1) adds P30*I_e = 0"
               if not leaky else "no I_e gives NEST's P30*I_e == bias exactly")
        raise refuse(f"has bias={bias!r}; {why}", "give bias=0.0, or run it with engine='evsim'")
    if model.single_spike:
        v_reset, t_ref = min(0.0, theta) - 1.0, hold  # inert after its spike: the reset is never seen
    else:
        v_reset = model.reset_potential
        if v_reset is None:
            raise refuse("has reset='subtract'; NEST's iaf_psc_delta only resets to a value (V_reset)",
                         "give reset=0.0 or 'zero' or another value below the threshold, or run it with "
                         "engine='evsim'")
        if v_reset >= theta:
            raise refuse(f"resets to {v_reset!r}, not below threshold={theta!r}; NEST requires V_reset < V_th",
                         "give a reset value below the threshold")
        t_ref = max(round(model.refractory / dt) - 1, 0) * dt
    return {"tau_m": tau if leaky else _NO_LEAK_TAU, "C_m": 1.0, "E_L": 0.0, "I_e": i_e, "V_th": theta,
            "V_reset": v_reset, "t_ref": t_ref, "V_m": model.v_init}
