"""What of an evsim network NEST can run exactly, and with which parameters (no NEST needed here).

:func:`nest_plan` turns a network and its inputs into a :class:`NestPlan` —
NEST parameters per neuron, spike-generator trains, synapse arrays in evsim's
row order, the resolution — or refuses with a
:class:`~evsim.errors.ValidationError` naming the neuron (or synapse, or
input) the reason and the fix. Nothing is rounded or approximated: what is
planned runs in NEST as evsim runs it. Discrete networks go to NEST's grid
neuron ``iaf_psc_delta`` at resolution ``dt`` (:mod:`evsim.nest.discrete`:
the same step to the bit, where one exists); continuous-time networks to the
precise ``iaf_psc_delta_ps``, described here.

The model, ``iaf_psc_delta_ps`` (exact integration, delta synapses, spikes at
precise times inside a step), in the potential ``U = V_m − E_L`` NEST keeps::

    dU/dt = −U/tau_m + I_e/C_m;   an arrival adds its weight;
    fire iff U >= V_th − E_L  (at an arrival, or at the crossing −tau_m·ln((V∞ − U)/(V∞ − U_th)));
    then U = V_reset − E_L and every arrival during t_ref is dropped.

Parameters (evsim LIF → NEST): ``tau → tau_m``, ``v_rest → E_L``,
``threshold → V_th``, ``v_init → V_m``, ``bias → I_e`` with ``C_m = 1`` (so
``I_e/C_m`` is the bias in mV/ms), a hard ``reset → V_reset``,
``refractory → t_ref``; weights (mV) and delays (ms) as they are. An ``IF``
(or ``LIF(tau=inf)``) without bias gets ``tau_m =`` :data:`NO_LEAK_TAU`: its
potential then changes only at arrivals (``U·expm1(−s/tau_m)`` is below half
an ulp of ``U`` for any run shorter than 10^13 ms), exactly as evsim's. A
``single_spike`` neuron gets ``t_ref =`` :data:`SINGLE_SPIKE_HOLD`:
refractory (every arrival dropped) for the rest of any run that short, which
is what single-spike means; its reset is never seen, so any reset maps.

Refused in continuous time, each for its reason (the error says which and what to do;
discrete networks: :mod:`evsim.nest.discrete`):

* neurons other than ``Input``, ``IF``, ``LIF`` (Lynch–Musco ``Stochastic``
  and ``Threshold`` neurons have no NEST model);
* ``reset="subtract"`` (``iaf_psc_delta_ps`` only resets to ``V_reset``), a
  hard reset at or above the threshold (NEST requires ``V_reset < V_th``);
* a refractory period shorter than the resolution or not a whole number of
  its steps (NEST holds every neuron for ``t_ref`` floored to whole steps, at
  least one);
* ``v_init >= threshold``: evsim fires at 0, NEST ``h·eps`` later (it cannot
  spike at 0), so its refractory period and every arrival it causes are
  shifted off the instants evsim uses;
* a bias on a neuron whose leak is slow (``IF``, ``tau = inf``, or
  :func:`~evsim.neurons.slow_leak`, or ``tau >`` :data:`MAX_DRIFT_TAU`):
  NEST's crossing ``−tau_m·ln(...)`` keeps about ``tau·2^−52`` ms of error
  and worse where ``V∞`` lies far beyond the threshold;
* a delay shorter than the resolution (zero delay included) or not a whole
  number of its steps, and durations that are not whole microseconds
  (NEST's clock counts tics of 1 µs);
* an input time of 0 (NEST's ``spike_generator`` cannot send at 0), and input
  times that meet in evsim but whose offsets inside a step NEST computes
  apart (:func:`nest_offsets`): where evsim would sum two arrivals NEST would
  take them one after the other.

What stays different: a bias-driven crossing that falls exactly on an
arrival (structured networks make such ties: two crossings from one reset
take the same time, and a delay can carry one onto the other) is one update
in evsim (``m = θ + I``: an inhibitory arrival prevents the spike) and in
NEST a spike first or not by the last bit of its potential. And, by at most
rounding: NEST may sum two arrivals evsim
takes about 1e-13 ms apart (its offsets are rounded to ``ulp(t)``; see
:func:`_check_offsets_agree`), three or more arrivals at one instant are
summed in NEST's buffer order rather than evsim's synapse-row order, NEST
compares ``V − E_L`` with ``V_th − E_L`` where evsim compares ``V`` with
``V_th`` (identical when ``v_rest = 0``), and crossing times come from two
closed forms (about 1e-13 ms apart). A tie that only exact
arithmetic would see may therefore fall on different sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evsim import validation as check
from evsim.errors import ValidationError
from evsim.inputs import InputsLike, normalise_inputs
from evsim.nest.discrete import GRID_MODEL, grid_parameters
from evsim.network import Network
from evsim.neurons import IF, LIF, Input, slow_leak

__all__ = [
    "MODEL",
    "NO_LEAK_TAU",
    "SINGLE_SPIKE_HOLD",
    "MAX_DRIFT_TAU",
    "TICS_PER_MS",
    "NestPlan",
    "nest_plan",
    "nest_offsets",
]

MODEL = "iaf_psc_delta_ps"
NO_LEAK_TAU = 1e30  # ms: tau_m of a neuron without leak and without bias (its potential then moves only at arrivals)
SINGLE_SPIKE_HOLD = 1e9  # ms: t_ref of a single-spike neuron; runs must end before it
MAX_DRIFT_TAU = 1e5  # ms: above it NEST's crossing time (about tau·2^-52 ms of error) is not kept to 1e-11 ms
TICS_PER_MS = 1000  # NEST's default clock: every time and duration is a whole number of microseconds
_NS_PER_TIC = 1000  # evsim's continuous grid is 1 ns
_DEFAULT_RESOLUTION_NS = 100_000  # 0.1 ms, NEST's own default, when the network has no duration at all


@dataclass(frozen=True, eq=False)
class NestPlan:
    """A network as NEST will hold it; indices are the evsim network's neuron indices.

    Attributes
    ----------
    resolution : float
        NEST's step ``h`` (ms).
    neurons : ndarray
        The IF/LIF neurons, in the order they are created.
    parameters : dict of str to ndarray
        ``iaf_psc_delta_ps`` parameters, one value per entry of ``neurons``.
    inputs : ndarray
        The input neurons, one ``spike_generator`` each, in this order.
    trains : tuple of (times, values or None)
        Per input: its spike times (ms, the instants evsim means) and, for
        analog events, their values (NEST's ``spike_weights``).
    source, target, weight, delay : ndarray
        The synapses in evsim's row order (delays in ms).
    fed : tuple of ndarray
        The input spikes as evsim records them: ``(neuron, time, value)`` in time order.
    model : str
        ``iaf_psc_delta_ps`` (continuous time) or ``iaf_psc_delta`` (discrete).

    Examples
    --------
    >>> import evsim
    >>> from evsim.nest import nest_plan
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.LIF(tau=10.0, threshold=1.0, reset="zero")},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)])
    >>> plan = nest_plan(net, {"x": [1, 2]})
    >>> plan.model, plan.resolution, plan.precise
    ('iaf_psc_delta', 1.0, False)
    >>> plan.parameters["tau_m"].tolist(), plan.weight.tolist(), plan.delay.tolist()
    ([10.0], [0.6], [1.0])
    """

    resolution: float
    neurons: np.ndarray
    parameters: dict
    inputs: np.ndarray
    trains: tuple
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    delay: np.ndarray
    fed: tuple
    model: str = MODEL

    @property
    def precise(self) -> bool:
        """Whether NEST runs the network in continuous time (spikes at precise times inside a step)."""
        return self.model == MODEL


def nest_plan(net: Network, inputs: InputsLike | None = None, resolution: float | None = None, *,
              owner: str = "to_nest") -> NestPlan:
    """Plan ``net`` with ``inputs`` for NEST, or refuse what NEST cannot run exactly.

    Parameters
    ----------
    net : Network
        The network: ``Input``, ``IF`` and ``LIF`` neurons, as :mod:`evsim.nest.mapping` accepts them.
    inputs : mapping, optional
        ``{input neuron name: spike times (ms)}``, a train also as an ``Analog`` of times and values, as
        :func:`evsim.simulate` takes them; default none.
    resolution : float, optional
        ``resolution`` (ms, whole microseconds) defaults, in continuous time, to
        the largest step that divides every delay and refractory period (0.1 ms
        if there is none); a discrete network runs at its ``dt`` (only ``None`` or ``dt`` accepted).
    owner : str, optional
        The function named in error messages; default ``"to_nest"``.

    Returns
    -------
    NestPlan
        What NEST will hold.

    Raises
    ------
    ValidationError
        Anything listed in the module docstring, naming the neuron, synapse
        or input, the reason and the fix.
    SchedulingError
        An input time before 0.

    Examples
    --------
    >>> import evsim
    >>> from evsim.nest import nest_plan
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0, reset="zero")},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)])
    >>> nest_plan(net, {"x": [1, 2]}).parameters["V_reset"].tolist()
    [0.0]
    >>> nest_plan(evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)}))   # subtract reset (the default)
    Traceback (most recent call last):
    ...
    evsim.errors.ValidationError: to_nest: neuron 'y' (IF) has reset='subtract'; NEST's iaf_psc_delta only resets ...
    """
    check.instance("net", net, Network, owner=owner)
    for name, model in net.neurons.items():
        _refuse_kind(name, model, owner)
    if net.discrete:
        return _discrete_plan(net, inputs, resolution, owner)
    h_ns = _resolution_ns(net, resolution, owner)
    h = h_ns / 1e6
    order = _integrators(net)
    rows = [_neuron_parameters(net.names[i], net.neurons[net.names[i]], h_ns, owner) for i in order]
    _check_delays(net, h_ns, owner)
    spikes = _input_spikes(net, inputs)
    times = net.grid.ms(spikes.k, spikes.f)
    _check_inputs(net, spikes, times, h, owner)
    return _plan(net, h, order, rows, spikes, times, times, MODEL)


def _integrators(net: Network) -> np.ndarray:
    return np.array([i for i, m in enumerate(net.neurons.values()) if not isinstance(m, Input)], np.int64)


def _input_spikes(net: Network, inputs):
    index = {name: i for i, name in enumerate(net.names)}
    return normalise_inputs({} if inputs is None else inputs, index, net.inputs, net.grid, 0.0)


def _plan(net: Network, h: float, order, rows, spikes, times, sent, model: str) -> NestPlan:
    """The plan; ``times`` are the input times evsim records, ``sent`` those NEST's generators send."""
    parameters = {key: np.array([row[key] for row in rows], float) for key in _PARAMETER_NAMES}
    input_order, trains = _split_trains(net, spikes.neuron, sent, spikes.value)
    table = net.table
    return NestPlan(h, order, parameters, input_order, trains, np.asarray(table.source), np.asarray(table.target),
                    np.asarray(table.weight, float), np.asarray(table.delay, float),
                    (spikes.neuron, times, spikes.value), model)


def _discrete_plan(net: Network, inputs, resolution, owner: str) -> NestPlan:
    """A discrete network on ``iaf_psc_delta`` at resolution ``dt`` (see :mod:`evsim.nest.discrete`)."""
    dt = net.dt
    if resolution is not None and check.real("resolution (ms, NEST's step)", resolution, owner=owner) != dt:
        raise check.refuse(owner, "resolution (ms, NEST's step)", f"None or the network's dt={dt!r} (a discrete "
                           f"network runs on NEST's grid at its own clock)", resolution)
    if abs(dt * TICS_PER_MS - round(dt * TICS_PER_MS)) > 1e-9 * dt * TICS_PER_MS:
        raise ValidationError(f"{owner}: net has dt={dt!r} ms, not a whole number of microseconds; NEST counts time "
                              f"in tics of 1 µs, so give a dt that is a multiple of 0.001 ms")
    steps = np.asarray(net.delay_steps)
    if (steps < 1).any():
        row = int(np.flatnonzero(steps < 1)[0])
        raise ValidationError(f"{owner}: {_synapse(net, row)} has delay 0.0 ms; NEST has no zero delay (a spike "
                              f"arrives one step later at the earliest), so give it a delay of one step (dt) or more")
    order = _integrators(net)
    rows = [grid_parameters(net.names[i], net.neurons[net.names[i]], dt, owner, SINGLE_SPIKE_HOLD) for i in order]
    spikes = _input_spikes(net, inputs)
    sent = net.grid.ms(spikes.k + 1)  # evsim's step j is NEST's stamp j + 1
    return _plan(net, dt, order, rows, spikes, net.grid.ms(spikes.k), sent, GRID_MODEL)


def _refuse_kind(name: str, model, owner: str) -> None:
    if type(model) not in (Input, IF, LIF):
        raise ValidationError(
            f"{owner}: neuron {name!r} is a {type(model).__name__} neuron; NEST runs only Input, IF and LIF "
            f"neurons of evsim (as {MODEL}){' — Lynch–Musco neurons have no NEST model' if type(model).__name__ in ('Stochastic', 'Threshold') else ''}; "
            f"run this network with engine='evsim'")


_PARAMETER_NAMES = ("tau_m", "C_m", "E_L", "I_e", "V_th", "V_reset", "t_ref", "V_m")


def _neuron_parameters(name: str, model, h_ns: int, owner: str) -> dict:
    """``iaf_psc_delta_ps`` parameters of one IF/LIF neuron, or the reason it cannot run there."""
    def refuse(what: str, fix: str) -> ValidationError:
        return ValidationError(f"{owner}: neuron {name!r} ({type(model).__name__}) {what}; {fix}")

    theta, v_rest, bias, tau = model.threshold, model.v_rest, model.bias, model.tau
    if model.v_init >= theta:
        raise refuse(f"starts at v_init={model.v_init!r} >= threshold={theta!r}: evsim fires it at 0, NEST cannot "
                     f"spike at 0 and fires it h*eps later, so its refractory period and the arrivals it causes "
                     f"move off evsim's instants",
                     "give v_init below the threshold (an input spike can make it fire early instead)")
    if bias != 0 and (math.isinf(tau) or bool(slow_leak(tau, theta, v_rest, bias)) or tau > MAX_DRIFT_TAU):
        raise refuse(f"has bias={bias!r} with tau={tau!r}: NEST finds a bias-driven crossing as "
                     f"-tau_m*ln((V_inf - V)/(V_inf - V_th)), which loses about tau*2^-52 ms and more where the "
                     f"leak is slow (V_inf far beyond the threshold), so its spike times would not be evsim's",
                     f"give it a LIF tau <= {MAX_DRIFT_TAU:g} ms whose resting level v_rest + bias*tau is within "
                     f"2^10 |threshold - v_rest| of v_rest, or bias=0, or run it with engine='evsim'")
    if model.single_spike:
        v_reset, t_ref = min(v_rest, theta) - 1.0, SINGLE_SPIKE_HOLD  # inert after its spike: the reset is never seen
    else:
        v_reset = model.reset_potential
        if v_reset is None:
            raise refuse("has reset='subtract'; NEST's iaf_psc_delta_ps only resets to a value (V_reset)",
                         "give reset=0.0 or 'zero' or another value below the threshold, or run it with "
                         "engine='evsim'")
        if v_reset - v_rest >= theta - v_rest:
            raise refuse(f"resets to {v_reset!r}, not below threshold={theta!r}; NEST requires V_reset < V_th",
                         "give a reset value below the threshold")
        t_ref = _refractory(model.refractory, h_ns, refuse)
    return {"tau_m": NO_LEAK_TAU if math.isinf(tau) else tau, "C_m": 1.0, "E_L": v_rest, "I_e": bias,
            "V_th": theta, "V_reset": v_reset, "t_ref": t_ref, "V_m": model.v_init}


def _refractory(refractory: float, h_ns: int, refuse) -> float:
    steps = round(refractory * 1e6)  # whole ns: the network's grid has checked it
    if steps < h_ns or steps % h_ns:
        raise refuse(f"has refractory={refractory!r} ms; NEST holds a neuron for whole steps of the resolution "
                     f"{h_ns / 1e6!r} ms, at least one, so only such refractory periods run as in evsim",
                     f"give refractory a whole multiple (>= 1) of the resolution, or another resolution "
                     f"(resolution=...) that divides it")
    return refractory


def _resolution_ns(net: Network, resolution, owner: str) -> int:
    """NEST's step in ns: the given one (whole µs), or the largest that divides every duration."""
    durations = _durations_ns(net)
    for what, ns in durations:
        if ns % _NS_PER_TIC:
            raise ValidationError(f"{owner}: {what}, not a whole number of microseconds; NEST counts time in "
                                  f"tics of 1 µs, so round it to 0.001 ms")
    if resolution is not None:
        h = check.real("resolution (ms, NEST's step)", resolution, owner=owner, minimum=0, exclusive_minimum=True)
        h_ns = round(h * 1e6)
        if h_ns < _NS_PER_TIC or h_ns % _NS_PER_TIC or abs(h * 1e6 - h_ns) > 1e-6 * h_ns:
            raise check.refuse(owner, "resolution (ms, NEST's step)", "a positive whole number of microseconds "
                               "(a multiple of 0.001 ms)", resolution)
        return h_ns
    positive = [ns for _, ns in durations if ns > 0]
    return math.gcd(*positive) if positive else _DEFAULT_RESOLUTION_NS


def _durations_ns(net: Network) -> list[tuple[str, int]]:
    """Every delay and refractory period that NEST must place on its grid, in whole ns."""
    found = []
    steps = np.asarray(net.delay_steps)
    for value in np.unique(steps):
        row = int(np.flatnonzero(steps == value)[0])
        found.append((f"{_synapse(net, row)} has delay {float(net.table.delay[row])!r} ms", int(value)))
    for name, model in net.neurons.items():
        if isinstance(model, (IF, LIF)) and not model.single_spike and model.refractory > 0:
            found.append((f"neuron {name!r} has refractory={model.refractory!r} ms", round(model.refractory * 1e6)))
    return found


def _synapse(net: Network, row: int) -> str:
    names, table = net.names, net.table
    return f"synapse {row} ({names[int(table.source[row])]!r} -> {names[int(table.target[row])]!r})"


def _check_delays(net: Network, h_ns: int, owner: str) -> None:
    steps = np.asarray(net.delay_steps)
    bad = (steps < h_ns) | (steps % h_ns != 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        delay = float(net.table.delay[row])
        reason = ("NEST has no zero delay: a spike arrives one step later at the earliest" if delay == 0 else
                  f"NEST's delays are whole steps of the resolution {h_ns / 1e6!r} ms, at least one")
        raise ValidationError(f"{owner}: {_synapse(net, row)} has delay {delay!r} ms; {reason}; give it a delay "
                              f"that is a whole multiple (>= 1) of the resolution, or a resolution that divides "
                              f"it (resolution=...)")


def _check_inputs(net: Network, spikes, times: np.ndarray, h: float, owner: str) -> None:
    """Refuse input times NEST sends differently: at 0, or at offsets it rounds apart (:func:`_check_offsets_agree`)."""
    zero = times == 0
    if zero.any():
        name = net.names[int(spikes.neuron[np.flatnonzero(zero)[0]])]
        raise ValidationError(f"{owner}: inputs[{name!r}] has a spike at 0 ms; NEST's spike_generator cannot send "
                              f"at 0, so give the input times > 0 (shift the whole run if needed)")
    _check_offsets_agree(net, spikes, times, h, owner)


def _split_trains(net: Network, neuron: np.ndarray, times: np.ndarray, values: np.ndarray):
    """Per input neuron (network order), its times and, if any is not 1, its values."""
    order = np.argsort(neuron, kind="stable")  # each train stays in time order
    neuron, times, values = neuron[order], times[order], values[order]
    mine = np.array([i for i, m in enumerate(net.neurons.values()) if isinstance(m, Input)], np.int64)
    starts, ends = np.searchsorted(neuron, mine, "left"), np.searchsorted(neuron, mine, "right")
    trains = tuple((times[a:b], None if np.all(values[a:b] == 1.0) else values[a:b])  # a value of 1 is a spike
                   for a, b in zip(starts.tolist(), ends.tolist()))
    return mine, trains


def nest_offsets(times: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """NEST's ``(stamp, offset)`` of precise spike times, as its ``spike_generator`` computes them.

    The stamp is the first step end at or after ``t`` (``Time::ms_stamp``:
    ``n = trunc(t·1000)`` tics, floored to a step, one step up if that lies
    before ``t``); the offset is ``stamp·(1/1000) − t`` in floats, set to 0
    below ``2·eps·(stamp + t)``. A spike's time is ``stamp − offset``.
    """
    times = np.asarray(times, float)
    per_step = int(round(TICS_PER_MS * h))
    n = np.trunc(times * TICS_PER_MS).astype(np.int64)
    n -= n % per_step
    ms = n * (1.0 / per_step) * (per_step / TICS_PER_MS)
    n = np.where(ms < times, n + per_step, n)
    stamp = (1.0 / TICS_PER_MS) * n
    offset = stamp - times
    tiny = (np.abs(offset) < np.finfo(float).eps * np.abs(stamp + times) * 2.0) | (np.abs(offset) < np.finfo(float).tiny)
    return n // per_step, np.where(tiny, 0.0, offset)


def _check_offsets_agree(net: Network, spikes, times: np.ndarray, h: float, owner: str) -> None:
    """Input times that meet in evsim (after whole steps of delay) meet in NEST too.

    evsim: the same offset ``f`` on its 1 ns grid and steps a whole number
    of ``h`` apart; NEST: the same offset inside its step of ``h``. Every
    arrival an input spike causes keeps that input's class, so where each of
    evsim's classes has one NEST offset, every arrival evsim sums NEST sums
    too. The converse is not required: NEST's offsets are rounded to about
    ``ulp(t)`` (1e-13 ms near 1 s), so among millions of random times some
    that evsim keeps 1e-13 ms apart share one in NEST. NEST then sums two
    arrivals that evsim takes one after the other, which ends the same unless
    the potential lies within rounding of the threshold.
    """
    if times.size < 2:
        return
    per_step = round(h * 1e6)
    _, theirs = nest_offsets(times, h)
    a = np.unique(np.mod(spikes.k, per_step) + 1j * spikes.f, return_inverse=True)[1].reshape(-1)  # (k mod, f)
    b = np.unique(theirs, return_inverse=True)[1].reshape(-1)
    if np.unique(a + 1j * b).size == a.max() + 1:  # each of evsim's classes has one NEST offset
        return
    i, j = _split_class(a, b)
    name_i, name_j = net.names[int(spikes.neuron[i])], net.names[int(spikes.neuron[j])]
    raise ValidationError(
        f"{owner}: input times {float(times[i])!r} ms of {name_i!r} and {float(times[j])!r} ms of {name_j!r} "
        f"meet after whole steps of {h!r} ms in evsim's exact time, but NEST computes their offsets inside a "
        f"step as {float(theirs[i])!r} and {float(theirs[j])!r} ms (stamp*h - t in floats), so arrivals evsim "
        f"sums NEST would take one after the other; give input times on the resolution grid (multiples of "
        f"{h!r} ms) or a resolution on which they are, or times that do not meet")


def _split_class(a: np.ndarray, b: np.ndarray) -> tuple[int, int]:
    """Two indices with one ``a`` label and different ``b`` labels."""
    first: dict = {}
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        j = first.setdefault(x, i)
        if b[j] != y:
            return j, i
    raise AssertionError("every class of a has one b")
