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

    Parameters
    ----------
    code : SpikeCode
        The code (its events' values are summed: analog values count as they are).
    gain : float, optional
        The encoder's gain, a finite number other than 0; default 1.
    offset : float, optional
        The encoder's offset; default 0.

    Returns
    -------
    ndarray
        The estimate of each element, float64 of the code's shape.

    Raises
    ------
    ValidationError
        ``code`` not a ``SpikeCode``, ``gain`` 0 or not a finite real number, or ``offset`` not a finite real
        number.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> code = encoding.rate(np.array([0.3, 0.7]), steps=8, method="regular")
    >>> encoding.decode_rate(code).tolist()          # within 1/(2·8) of x
    [0.25, 0.75]
    """
    _code(code, "decode_rate")
    gain = check.real("gain", gain, owner="decode_rate")
    if gain == 0:
        raise ValidationError("decode_rate: gain must be a finite real number other than 0, got 0.0")
    offset = check.real("offset", offset, owner="decode_rate")
    totals = np.bincount(code.index, weights=code.value, minlength=code.size).reshape(code.shape)
    return (totals / code.steps - offset) / gain


def analog_events(code: SpikeCode) -> np.ndarray:
    """Which events are analog: step 0 of a hybrid code, else values other than 1.

    Parameters
    ----------
    code : SpikeCode
        The code.

    Returns
    -------
    ndarray of bool
        One entry per event, in the code's event order (``code.index``, ``code.time``, ``code.value``).

    Raises
    ------
    ValidationError
        ``code`` not a ``SpikeCode``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> code = encoding.hybrid(np.array([0.25, 0.75]), steps=4)
    >>> code.value.tolist(), encoding.analog_events(code).tolist()
    ([0.25, 0.75, 1.0, 1.0], [True, True, False, False])
    """
    _code(code, "analog_events")
    return code.time == 0 if code.kind == "hybrid" else code.value != 1.0


def first_spike_times(code: SpikeCode) -> np.ndarray:
    """Time (ms) of each element's first spike, ``inf`` if none; analog events are not spikes.

    Parameters
    ----------
    code : SpikeCode
        The code.

    Returns
    -------
    ndarray
        Float64 of the code's shape.

    Raises
    ------
    ValidationError
        ``code`` not a ``SpikeCode``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> encoding.first_spike_times(encoding.ttfs(np.array([1.0, 0.5, 0.0]), steps=5)).tolist()
    [0.0, 2.0, inf]
    >>> encoding.first_spike_times(encoding.hybrid(np.array([0.25, 0.75]), steps=4)).tolist()   # step 0 is analog
    [3.0, 2.0]
    """
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

    Parameters
    ----------
    code : SpikeCode
        A TTFS or hybrid code; its analog events are skipped (:func:`first_spike_times`).
    kind : {"linear", "log"}, optional
        The TTFS code it was encoded with; default ``"linear"``.
    threshold : float, optional
        The log code's threshold, ``> 0`` for ``kind="log"`` (unused by ``"linear"``); default 0.
    tau : float, optional
        The log code's time constant (ms, ``> 0``; unused by ``"linear"``); default 1.
    silent : float, optional
        The value of an element without a spike (``±inf`` allowed, not NaN); default 0.

    Returns
    -------
    ndarray
        The decoded values, float64 of the code's shape. A log-coded spike at time 0 (a value rounded to
        step 0) decodes to ``inf``.

    Raises
    ------
    ValidationError
        ``code`` not a ``SpikeCode``, ``kind`` not one of the two, ``threshold`` not a finite real number
        (``> 0`` for ``"log"``), ``tau`` not a finite number ``> 0``, or ``silent`` NaN or not a real number.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> code = encoding.ttfs(np.array([1.0, 0.5, 0.0]), steps=5)
    >>> encoding.decode_ttfs(code).tolist()
    [1.0, 0.5, 0.0]
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
    """The analog value each element carried at step 0 of a hybrid code (exact).

    Parameters
    ----------
    code : SpikeCode
        A hybrid code (kind ``"hybrid"``, from :func:`~evsim.encoding.hybrid`).

    Returns
    -------
    ndarray
        Float64 of the code's shape; 0 where an element sent no analog event.

    Raises
    ------
    ValidationError
        ``code`` not a ``SpikeCode``, or not a hybrid code.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> encoding.decode_hybrid(encoding.hybrid(np.array([0.25, 0.75]), steps=4)).tolist()
    [0.25, 0.75]
    """
    _code(code, "decode_hybrid")
    if code.kind != "hybrid":
        raise ValidationError(f"decode_hybrid: code must be a hybrid code (kind 'hybrid'), got kind {code.kind!r}")
    analog = analog_events(code)
    out = np.zeros(code.size)
    out[code.index[analog]] = code.value[analog]
    return out.reshape(code.shape)


def decode_potential(record: SpikeRecord, names: Sequence[str], at: float) -> np.ndarray:
    """Potentials of probed neurons at time ``at`` (ms): the output-potential readout.

    Parameters
    ----------
    record : SpikeRecord
        A run's record (from ``simulate`` with ``probes=[...]``).
    names : sequence of str
        Distinct neurons whose potential was probed.
    at : float
        The time (ms, ``>= 0``); at an update time the potential after that update.

    Returns
    -------
    ndarray
        One potential per name, in order.

    Raises
    ------
    ValidationError
        ``record`` not a ``SpikeRecord``, ``names`` not distinct non-empty strings or naming a neuron that
        was not probed, or ``at`` not a finite real number ``>= 0``.

    Examples
    --------
    >>> import evsim
    >>> from evsim import encoding
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=10.0)}, [evsim.Synapse("x", "y", 0.5, 1.0)])
    >>> record = evsim.simulate(net, {"x": [0, 1, 2]}, until=5, probes=["y"])
    >>> encoding.decode_potential(record, ["y"], at=1.5).tolist()     # one arrival of 0.5 (at 1 ms)
    [0.5]
    >>> encoding.decode_potential(record, ["y"], at=4).tolist()       # all three
    [1.5]
    """
    owner = "decode_potential"
    check.instance("record", record, SpikeRecord, owner=owner, accepted="a SpikeRecord (from simulate)")
    names = check.unique_names("names", names, owner=owner)
    at = check.real("at", at, owner=owner)
    missing = [n for n in names if n not in record.potentials]
    if missing:
        raise ValidationError(f"{owner}: names must be probed neurons; {missing} were not probed "
                              f"(probed: {sorted(record.potentials)}); simulate with probes=[...] to read their potential")
    return np.array([record.potentials[n].sample([at])[0] for n in names])
