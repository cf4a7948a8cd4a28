"""Decoders: each the inverse of its encoder within a stated bound."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from evsim import validation as check
from evsim.encoding.code import SpikeCode
from evsim.errors import ValidationError
from evsim.record import SpikeRecord

__all__ = ["analog_events", "decode_rate", "decode_ttfs", "decode_hybrid", "first_spike_times", "decode_potential"]


def _code(code: object, owner: str) -> SpikeCode:
    return check.instance("code", code, SpikeCode, owner=owner, accepted="a SpikeCode (from an encoder)")


def decode_rate(code: SpikeCode, *, gain: float = 1.0, offset: float = 0.0) -> np.ndarray:
    """``(sum of values / steps − offset) / gain``: the rate estimate of each element.

    For the regular code (gain 1, offset 0) ``|decoded − x| <= 1/(2·steps)``;
    for Bernoulli it is unbiased with standard deviation ``sqrt(p(1−p)/steps)``.
    """
    _code(code, "decode_rate")
    gain = check.real("gain", gain, owner="decode_rate")
    if gain == 0:
        raise ValidationError("decode_rate: gain must be a finite real number other than 0, got 0.0")
    offset = check.real("offset", offset, owner="decode_rate")
    totals = np.bincount(code.index, weights=code.value, minlength=code.size).reshape(code.shape)
    return (totals / code.steps - offset) / gain


def analog_events(code: SpikeCode) -> np.ndarray:
    """Which events are analog: step 0 of a hybrid code, else values other than 1."""
    _code(code, "analog_events")
    return code.time == 0 if code.kind == "hybrid" else code.value != 1.0


def first_spike_times(code: SpikeCode) -> np.ndarray:
    """Time (ms) of each element's first spike, ``inf`` if none; analog events are not spikes."""
    _code(code, "first_spike_times")
    keep = ~analog_events(code)
    first = np.full(code.size, np.inf)
    np.minimum.at(first, code.index[keep], code.time[keep])
    return first.reshape(code.shape)


def decode_ttfs(code: SpikeCode, *, kind: str = "linear", threshold: float = 0.0, tau: float = 1.0,
                silent: float = 0.0) -> np.ndarray:
    """Invert a TTFS code (or a hybrid code's spikes) from first-spike times.

    Linear: spikes span steps ``first … last`` (``0 … steps−1``; ``1 … steps−1``
    for hybrid) and ``x = 1 − (t/dt − first) / (last − first)``, within half a
    step, ``1/(2(last − first))``, of the encoded value when times were
    rounded. Log: ``x = threshold / (1 − exp(−t/tau))``. Elements that never
    fired decode to ``silent``.
    """
    owner = "decode_ttfs"
    _code(code, owner)
    kind = check.choice("kind", kind, ("linear", "log"), owner=owner)
    positive = dict(owner=owner, minimum=0.0, exclusive_minimum=True)
    threshold = check.real("threshold", threshold, **(positive if kind == "log" else {"owner": owner}))
    tau = check.real("tau", tau, **positive)
    silent = check.real("silent", silent, owner=owner, allow_inf=True)
    t = first_spike_times(code)
    fired = np.isfinite(t)
    if kind == "linear":
        first = 1 if code.kind == "hybrid" else 0
        span = max(code.steps - 1 - first, 1)
        value = 1.0 - (np.where(fired, t, 0.0) / code.dt - first) / span
    else:
        with np.errstate(divide="ignore"):
            value = threshold / -np.expm1(-np.where(fired, t, 1.0) / tau)
    return np.where(fired, value, silent)


def decode_hybrid(code: SpikeCode) -> np.ndarray:
    """The analog value each element carried at step 0 of a hybrid code (exact)."""
    _code(code, "decode_hybrid")
    if code.kind != "hybrid":
        raise ValidationError(f"decode_hybrid: code must be a hybrid code (kind 'hybrid'), got kind {code.kind!r}")
    analog = analog_events(code)
    out = np.zeros(code.size)
    out[code.index[analog]] = code.value[analog]
    return out.reshape(code.shape)


def decode_potential(record: SpikeRecord, names: Sequence[str], at: float) -> np.ndarray:
    """Potentials of probed neurons at time ``at`` (ms): the output-potential readout."""
    owner = "decode_potential"
    check.instance("record", record, SpikeRecord, owner=owner, accepted="a SpikeRecord (from simulate)")
    names = check.unique_names("names", names, owner=owner)
    at = check.real("at", at, owner=owner)
    missing = [n for n in names if n not in record.potentials]
    if missing:
        raise ValidationError(f"{owner}: names must be probed neurons; {missing} were not probed "
                              f"(probed: {sorted(record.potentials)}); simulate with probes=[...] to read their potential")
    return np.array([record.potentials[n].sample([at])[0] for n in names])
