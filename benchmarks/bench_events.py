"""Events per wall-second: evsim against two heapq loops (and NEST), same network, same input.

Workloads (``--workload poisson``, the default, ``bias`` or ``both``): N LIF
neurons in continuous time (tau = 20 ms, theta = 20 mV, v_rest = 0, reset to
10 mV, refractory 2 ms), each with 50 random outgoing synapses (no
self-connections; the first 80 % of neurons excitatory, weight 0.5 mV, the
rest inhibitory, -2.5 mV), delay 1 ms, each driven by its own Poisson input
(times drawn after 0.1 ms, sorted) through a zero-delay synapse.

* ``poisson``: 400 Hz input of 2 mV, no bias: every spike is caused by an
  arrival, and every spike time is an input time plus whole delays.
* ``bias``: a constant bias of 1.5 mV/ms (resting level v_inf = 30 mV, above
  the threshold) and 50 Hz input of 1 mV: every update predicts the next
  threshold crossing, t* = t + tau ln((v - v_inf) / (theta - v_inf)), and
  about 30 % of spikes happen there (the rest when an arrival pushes the
  neuron over). This network is chaotic: ulp-level differences in crossing
  times grow (to ~5e-7 ms over 1 s at 10,000 neurons); with v_inf closer to
  theta (21 mV) they flip spikes within 1 s and the counts differ by ~1 %.

Engines, timed in the same run on the same network and input trains:

* ``evsim``: ``Simulator(net)``, ``feed``, ``run`` (the ``Network`` is built
  once, outside the timing);
* ``naive``: ``heapq`` with one entry per synaptic arrival (:func:`run_naive`);
* ``per-spike``: ``heapq`` with one entry per spike, its fan-out walked when
  it pops (:func:`run_per_spike`);
* with ``--nest``: NEST 3, one thread, ``iaf_psc_delta`` (grid-based) and
  ``iaf_psc_delta_ps`` (precise), see :func:`run_nest`;
* ``floor`` (poisson workload): evsim's window-and-rounds scheme in a few
  dozen NumPy calls a window with everything that makes it exact left out
  (:func:`run_floor`): how fast vectorising over a window can be at each size.

Both heapq loops are written to be fair: scalar exact LIF updates inlined in
one loop; input generated lazily (the heap holds each neuron's next input
time only, and popping it pushes the neuron's next one); a predicted
crossing is one wake-up entry per neuron, invalidated lazily by a version
counter; arrivals at one instant ordered so that the threshold test agrees
with evsim's sum-then-test. Each must give evsim's spikes: the script checks
the count, the neurons and the largest time difference.

"run" times the simulation alone (``Simulator.run``; the heapq loop;
``nest.Simulate``); "all" times build + feed + run (``Simulator``
construction and compilation, ``feed``, ``run`` and the ordered record —
what ``simulate()`` does; the loops' fan-out lists,
input lists and first heap; NEST's kernel reset, create, connect, simulate).
Events are the synaptic arrivals inside the run plus the input spikes.

The engines take turns, ``--repeats`` runs each; each one's fastest run counts
(as timeit does: noise only ever adds time, and alternating keeps a slow
spell from hitting one engine only), its median is printed next to it. By
default 5 runs below 10,000 neurons and 1 from 10,000 (the naive loop then
takes a minute). evsim's peak RSS is measured alone in a fresh process
(imports, workload arrays, Network, build, feed and run); the process's own
peak after all engines is printed too.

Usage::

    python benchmarks/bench_events.py [--neurons 1000 10000] [--seconds 1.0] [--repeats R]
        [--workload poisson|bias|both] [--large]  # --large adds 100,000 neurons for 0.2 s
    PYTHONPATH=. <python with nest-simulator> benchmarks/bench_events.py --nest   # see tools/nest_crosscheck.py
"""

from __future__ import annotations

import argparse
import heapq
import math
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np

import evsim

TAU, THETA, V_REST, V_RESET, REFRACTORY = 20.0, 20.0, 0.0, 10.0, 2.0
FAN_OUT, W_EXC, W_INH, DELAY = 50, 0.5, -2.5, 1.0
NEST_RESOLUTION = 0.1  # ms: NEST's step, and its input delay (it has no zero delay)
LARGE = (100_000, 0.2)  # neurons, model seconds for --large


@dataclass(frozen=True)
class Workload:
    name: str
    bias: float  # mV/ms
    rate_hz: float  # Poisson input per neuron
    w_input: float  # mV

    @property
    def v_inf(self) -> float:
        return V_REST + TAU * self.bias


WORKLOADS = {"poisson": Workload("poisson", 0.0, 400.0, 2.0), "bias": Workload("bias", 1.5, 50.0, 1.0)}


@dataclass
class Case:
    """One network and its input, as plain arrays every engine starts from."""

    workload: Workload
    duration: float  # ms
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    trains: list  # per neuron, sorted input times (ms)

    @property
    def n(self) -> int:
        return len(self.trains)

    def events(self, spike_times: np.ndarray) -> int:
        """Synaptic arrivals inside the run plus input spikes."""
        return int((spike_times + DELAY < self.duration).sum()) * FAN_OUT + sum(t.size for t in self.trains)


@dataclass
class Run:
    neuron: np.ndarray
    time: np.ndarray
    run_s: float  # the simulation alone
    all_s: float  # build + feed + run


def make_case(workload: Workload, n: int, duration: float, seed: int = 1) -> Case:
    """Random synapses and Poisson trains, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    source = np.repeat(np.arange(n), FAN_OUT)
    target = rng.integers(0, n - 1, source.size)
    target += target >= source  # no self-connections
    weight = np.where(source < int(0.8 * n), W_EXC, W_INH)
    counts = rng.poisson(workload.rate_hz * duration / 1000.0, n)
    trains = [np.sort(rng.uniform(NEST_RESOLUTION, duration, c)) for c in counts]  # NEST sends them a step early
    return Case(workload, duration, source, target, weight, trains)


# -- evsim ----------------------------------------------------------------------

def evsim_network(case: Case, input_delay: float = 0.0) -> evsim.Network:
    """The case as an evsim network; ``input_delay`` on the input synapses (0: the input time is the arrival)."""
    n, wl = case.n, case.workload
    lif = evsim.LIF(tau=TAU, threshold=THETA, v_rest=V_REST, reset=V_RESET, refractory=REFRACTORY, bias=wl.bias)
    neurons = {f"n{i}": lif for i in range(n)} | {f"in{i}": evsim.Input() for i in range(n)}
    synapses = {"source": np.concatenate([case.source, np.arange(n) + n]),
                "target": np.concatenate([case.target, np.arange(n)]),
                "weight": np.concatenate([case.weight, np.full(n, wl.w_input)]),
                "delay": np.concatenate([np.full(case.source.size, DELAY), np.full(n, input_delay)])}
    return evsim.Network(neurons, synapses, outputs={f"n{i}" for i in range(n)}, dt=None)


def run_evsim(case: Case, net: evsim.Network) -> Run:
    inputs = {f"in{i}": train for i, train in enumerate(case.trains)}
    start = time.perf_counter()
    sim = evsim.Simulator(net)
    sim.feed(inputs)
    run_start = time.perf_counter()
    sim.run(case.duration)
    run_end = time.perf_counter()
    record = sim.record  # the ordered record is part of the work (simulate() returns it)
    end = time.perf_counter()
    mine = record.neuron < case.n
    return Run(record.neuron[mine], record.time[mine], run_end - run_start, end - start)


# -- heapq baselines ------------------------------------------------------------

def fan_out(case: Case) -> list[list[tuple[int, float]]]:
    """Per source neuron, its ``(target, weight)`` pairs, in synapse order."""
    fan = [[] for _ in range(case.n)]
    for s, t, w in zip(case.source.tolist(), case.target.tolist(), case.weight.tolist()):
        fan[s].append((t, w))
    return fan


def wake_time(t: float, v: float, v_inf: float) -> float:
    """When free evolution from ``v`` at ``t`` reaches the threshold (needs ``v < THETA < v_inf``)."""
    return t + TAU * math.log((v_inf - v) / (v_inf - THETA))


def lif_state(case: Case):
    """Potential, anchor (free evolution since; an arrival before it is refractory), wake-up version."""
    n = case.n
    return [V_REST] * n, [0.0] * n, [0] * n


def first_wakeups(case: Case, entry) -> list:
    """Each drifting neuron's first predicted crossing, from rest at 0, as ``entry(time, neuron)``."""
    if case.workload.v_inf <= THETA:
        return []
    return [entry(wake_time(0.0, V_REST, case.workload.v_inf), i) for i in range(case.n)]


def run_naive(case: Case) -> Run:
    """One heap entry per synaptic arrival, input spike and wake-up; scalar exact LIF updates.

    An entry is ``(time, weight, neuron, tag)``: an arrival (tag -1), the
    neuron's next input spike (tag -2; popping it pushes the one after), or a
    predicted crossing (tag = the neuron's wake-up version when it was
    pushed; stale if the neuron has updated since). At one instant inhibitory
    arrivals pop first, so a neuron's partial sums fall, then rise: testing the
    threshold after each arrival fires exactly when evsim's one test of the
    instant's sum does, and arrivals after the spike fall in the refractory
    period and are dropped, leaving the same reset state.
    """
    start = time.perf_counter()
    fan, (v, anchor, version) = fan_out(case), lif_state(case)
    trains, nxt = [t.tolist() for t in case.trains], [1] * case.n
    heap = [(tr[0], case.workload.w_input, i, -2) for i, tr in enumerate(trains) if tr]
    heap += first_wakeups(case, lambda t, i: (t, 0.0, i, 0))
    heapq.heapify(heap)
    fired_i, fired_t = [], []
    push, pop, exp = heapq.heappush, heapq.heappop, math.exp
    v_inf, until, drifting = case.workload.v_inf, case.duration, case.workload.v_inf > THETA
    wait_after_spike = wake_time(REFRACTORY, V_RESET, v_inf) if drifting else math.inf
    run_start = time.perf_counter()
    while heap:
        t, w, i, tag = pop(heap)
        if t >= until:
            break
        if tag >= 0:  # predicted crossing: fires unless stale
            if tag != version[i]:
                continue
        else:
            if tag == -2 and nxt[i] < len(trains[i]):
                push(heap, (trains[i][nxt[i]], w, i, -2))
                nxt[i] += 1
            a = anchor[i]
            if t < a:
                continue
            m = v_inf + (v[i] - v_inf) * exp((a - t) / TAU) + w
            if m < THETA:
                v[i], anchor[i] = m, t
                if drifting:
                    version[i] += 1
                    push(heap, (wake_time(t, m, v_inf), 0.0, i, version[i]))
                continue
        fired_i.append(i)
        fired_t.append(t)
        v[i], anchor[i] = V_RESET, t + REFRACTORY
        arrive = t + DELAY
        for j, wj in fan[i]:
            push(heap, (arrive, wj, j, -1))
        if drifting:
            version[i] += 1
            push(heap, (t + wait_after_spike, 0.0, i, version[i]))
    end = time.perf_counter()
    return Run(np.array(fired_i), np.array(fired_t), end - run_start, end - start)


def run_per_spike(case: Case) -> Run:
    """One heap entry per spike, input spike and wake-up; a spike's fan-out is walked when it pops.

    With one delay, all of a spike's arrivals share one time, so the entry is
    the spike itself, keyed at its arrival: ``(time, kind, neuron, version)``.
    Kinds pop in this order at one instant: inhibitory spikes (0), excitatory
    spikes and input spikes (1; input ``i`` is neuron ``n + i`` with the one
    target ``i``; popping it pushes its next spike), wake-ups (2; stale unless
    ``version`` is the neuron's current one). Every source's weights share a
    sign, so a target's partial sums at one instant fall, then rise: testing
    the threshold after each arrival fires exactly when evsim's one test of
    the instant's sum does, and arrivals after the spike fall in the
    refractory period and are dropped, leaving the same reset state.
    """
    start = time.perf_counter()
    n, wl = case.n, case.workload
    fan, (v, anchor, version) = fan_out(case) + [[(i, wl.w_input)] for i in range(n)], lif_state(case)
    kind = [int(w > 0) for w in case.weight[::FAN_OUT].tolist()]  # per source neuron
    trains, nxt = [t.tolist() for t in case.trains], [1] * n
    heap = [(tr[0], 1, n + i, 0) for i, tr in enumerate(trains) if tr]
    heap += first_wakeups(case, lambda t, i: (t, 2, i, 0))
    heapq.heapify(heap)
    fired_i, fired_t = [], []
    push, pop, exp = heapq.heappush, heapq.heappop, math.exp
    v_inf, until, drifting = wl.v_inf, case.duration, wl.v_inf > THETA
    wait_after_spike = wake_time(REFRACTORY, V_RESET, v_inf) if drifting else math.inf

    def spike(i: int, t: float) -> None:
        fired_i.append(i)
        fired_t.append(t)
        v[i], anchor[i] = V_RESET, t + REFRACTORY
        push(heap, (t + DELAY, kind[i], i, 0))
        if drifting:
            version[i] += 1
            push(heap, (t + wait_after_spike, 2, i, version[i]))

    run_start = time.perf_counter()
    while heap:
        t, k, src, ver = pop(heap)
        if t >= until:
            break
        if k == 2:
            if ver == version[src]:
                spike(src, t)
            continue
        if src >= n:
            i = src - n
            if nxt[i] < len(trains[i]):
                push(heap, (trains[i][nxt[i]], 1, src, 0))
                nxt[i] += 1
        for j, w in fan[src]:
            a = anchor[j]
            if t < a:
                continue
            m = v_inf + (v[j] - v_inf) * exp((a - t) / TAU) + w
            if m >= THETA:
                spike(j, t)
                continue
            v[j], anchor[j] = m, t
            if drifting:
                version[j] += 1
                push(heap, (wake_time(t, m, v_inf), 2, j, version[j]))
    end = time.perf_counter()
    return Run(np.array(fired_i), np.array(fired_t), end - run_start, end - start)


# -- a NumPy floor (poisson workload) ---------------------------------------------

def run_floor(case: Case) -> Run:
    """How fast a NumPy window loop can be on this workload: evsim's scheme with its exactness left out.

    Windows of one delay; a window's arrivals (the input spikes inside it, the
    fan-out of the last window's spikes) are put in ``(neuron, time)`` order
    by one argsort of a float key, numbered within their neuron, and added in
    *rounds* (round ``r``: every neuron's ``r``-th arrival; about 14 NumPy
    calls a round) with the heapq loops' scalar update ``m = v·e^((a − t)/τ) + w``.
    Left out: exact ``(k, f)`` times, the sum of arrivals that tie, ranks,
    populations, recording hooks and the bias (so the poisson workload only).
    It is right wherever no two arrivals at a neuron tie — on this workload,
    every spike, to the bit — but it is not an engine: it is a bound on what
    vectorising over a window buys at each size.
    """
    start = time.perf_counter()
    n, wl = case.n, case.workload
    inputs = _floor_inputs(case)
    fan = (case.target.reshape(n, FAN_OUT), case.weight.reshape(n, FAN_OUT))
    v, anchor = np.full(n, V_REST), np.zeros(n)
    fired = (np.zeros(0, np.int64), np.zeros(0))
    spikes, t0, cursor = [], 0.0, 0
    run_start = time.perf_counter()
    while t0 < case.duration:
        t1 = min(t0 + DELAY, case.duration)
        stop = int(np.searchsorted(inputs[0], t1, "left"))
        arrivals = [np.concatenate((a[cursor:stop], b)) for a, b in zip(inputs, (
            np.repeat(fired[1] + DELAY, FAN_OUT), fan[0][fired[0]].ravel(), fan[1][fired[0]].ravel()))]
        fired = _floor_window(arrivals, t0, v, anchor)
        spikes.append(fired)
        cursor, t0 = stop, t1
    end = time.perf_counter()
    return Run(*(np.concatenate(column) for column in zip(*spikes)), end - run_start, end - start)


def _floor_inputs(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All input spikes as arrivals at their neurons: time-sorted ``(time, neuron, weight)``."""
    times = np.concatenate(case.trains)
    neuron = np.repeat(np.arange(case.n), [t.size for t in case.trains])
    order = np.argsort(times, kind="stable")
    return times[order], neuron[order], np.full(times.size, case.workload.w_input)


def _floor_window(arrivals, t0: float, v: np.ndarray, anchor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Add one window's ``(time, neuron, weight)`` arrivals in rounds; return the ``(neuron, time)`` that fired."""
    order = np.argsort((arrivals[0] - t0) * (0.5 / DELAY) + arrivals[1])  # by neuron, then time
    times, neuron, weight = (a[order] for a in arrivals)
    counts = np.bincount(neuron)
    nth = np.arange(neuron.size) - (np.cumsum(counts) - counts)[neuron]  # which arrival of its neuron
    by_round = np.argsort(nth, kind="stable")
    fired, start = [], 0
    for stop in np.cumsum(np.bincount(nth)).tolist():
        i = by_round[start:stop]
        start, j, t = stop, neuron[i], times[i]
        vj, a = v[j], anchor[j]
        live = t >= a  # (a refractory neuron's anchor is its refractory end)
        m = (vj * np.exp((a - t) / TAU)) + weight[i]  # (V_REST = 0: the heapq loops' v_inf + (v - v_inf)·e)
        spike = (m >= THETA) & live
        v[j] = np.where(live, np.where(spike, V_RESET, m), vj)
        anchor[j] = np.where(live, np.where(spike, t + REFRACTORY, t), a)
        fired.append((j[spike], t[spike]))
    return tuple(np.concatenate(column) for column in zip(*fired)) if fired else (np.zeros(0, np.int64), np.zeros(0))


# -- NEST (imported only with --nest) -----------------------------------------------

def load_nest():
    os.environ.setdefault("PYNEST_QUIET", "1")  # no banner
    import nest

    nest.verbosity = nest.VerbosityLevel.ERROR
    return nest


def run_nest(case: Case, nest, model: str) -> Run:
    """NEST, one thread, on the same network; ``model`` is ``iaf_psc_delta`` or ``iaf_psc_delta_ps``.

    Parameters map as in ``tools/nest_crosscheck.py``: tau_m = tau, E_L =
    v_rest, V_th = theta, V_reset = reset, t_ref = refractory, C_m = 1 with
    I_e = bias * C_m, V_m = v_init (= v_rest); weights in mV, delays in ms,
    resolution h = 0.1 ms. NEST has no zero delay: each neuron's input is a
    ``spike_generator`` connected 1:1 with the input weight and delay h, that
    sends every input time one step early (``t - h``; the trains are drawn
    after h for this), so it arrives at ``t`` as in evsim. The _ps model gets
    the times as they are (``precise_times``) and should give evsim's spikes;
    ``iaf_psc_delta`` rounds them, and its spikes, to the grid, so its count
    may differ slightly.
    """
    n, wl, h = case.n, case.workload, NEST_RESOLUTION
    precise = {"precise_times": True} if model.endswith("_ps") else {"allow_offgrid_times": True}
    start = time.perf_counter()
    nest.ResetKernel()
    nest.set(resolution=h, local_num_threads=1)
    c_m = 1.0
    lif = nest.Create(model, n, params={"tau_m": TAU, "C_m": c_m, "E_L": V_REST, "V_th": THETA, "V_reset": V_RESET,
                                        "t_ref": REFRACTORY, "I_e": wl.bias * c_m, "V_m": V_REST})
    inputs = nest.Create("spike_generator", n,
                         params=[{"spike_times": (t - h).tolist(), **precise} for t in case.trains])
    nest.Connect(inputs, lif, "one_to_one", syn_spec={"weight": wl.w_input, "delay": h})
    ids = np.array(lif.tolist())
    nest.Connect(ids[case.source], ids[case.target], "one_to_one",
                 syn_spec={"weight": case.weight.astype(float), "delay": np.full(case.source.size, DELAY)})
    recorder = nest.Create("spike_recorder")
    nest.Connect(lif, recorder)
    run_start = time.perf_counter()
    nest.Simulate(case.duration)
    end = time.perf_counter()
    events = recorder.get("events")
    times = np.asarray(events["times"], float)
    keep = times < case.duration  # NEST records the end too
    return Run(np.asarray(events["senders"])[keep] - ids[0], times[keep], end - run_start, end - start)


# -- measuring and reporting -------------------------------------------------------

def alternating(repeats: int, engines: dict) -> dict[str, list[Run]]:
    """Every engine's ``repeats`` runs, the engines taking turns."""
    runs = {name: [] for name in engines}
    for _ in range(repeats):
        for name, run in engines.items():
            runs[name].append(run())
    return runs


def engines(case: Case, nest=None) -> dict:
    net = evsim_network(case)
    table = {"evsim": lambda: run_evsim(case, net), "naive": lambda: run_naive(case),
             "per-spike": lambda: run_per_spike(case)}
    if case.workload.bias == 0:
        table["floor"] = lambda: run_floor(case)
    if nest is not None:
        table["nest"] = lambda: run_nest(case, nest, "iaf_psc_delta")
        table["nest_ps"] = lambda: run_nest(case, nest, "iaf_psc_delta_ps")
    return table


def agreement(ref: Run, other: Run) -> str:
    """Same spike count, and the same neurons at the same times (to the largest difference)?"""
    if ref.time.size != other.time.size:
        return f"DIFFER ({other.time.size} spikes, evsim {ref.time.size})"
    a, b = np.lexsort((ref.time, ref.neuron)), np.lexsort((other.time, other.neuron))
    if not np.array_equal(ref.neuron[a], other.neuron[b]):
        return "agree in count, DIFFER in neurons"
    return f"agree (max |dt| {np.max(np.abs(ref.time[a] - other.time[b]), initial=0.0):.0e} ms)"


def peak_rss_mib() -> float:
    """This process's peak resident memory, MiB: ``ru_maxrss``, or ``VmHWM`` where Linux has it.

    On Linux ``ru_maxrss`` survives fork and exec, so a child started from a
    big parent would report the parent's size; ``VmHWM`` is the new program's own.
    """
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


def evsim_peak_rss(workload: str, n: int, seconds: float) -> float:
    """Peak RSS (MiB) of a fresh process that runs evsim once on this case."""
    cmd = [sys.executable, __file__, "--evsim-rss", "--workload", workload, "--neurons", str(n),
           "--seconds", str(seconds)]
    return float(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def rate(events: int, seconds: list[float]) -> str:
    """Events per second of the fastest run, and of the median one, in millions."""
    return f"{events / min(seconds) / 1e6:.2f} M ({events / np.median(seconds) / 1e6:.2f})"


def report(case: Case, runs: dict[str, list[Run]]) -> float:
    """Print one row per engine, the ratios and the agreement; return evsim's ns per event (run only)."""
    n, rates = case.n, {}
    for name, tries in runs.items():
        events = case.events(tries[0].time)
        run_s, all_s = [r.run_s for r in tries], [r.all_s for r in tries]
        rates[name] = events / min(run_s), events / min(all_s)
        print(f"{n:>7} {name:>9} {tries[0].time.size:>8} {events:>10} {rate(events, run_s):>18} "
              f"{rate(events, all_s):>18} {1e9 * min(run_s) / events:>9.0f}")
    for base in [name for name in runs if name != "evsim"]:
        print(f"{n:>7} evsim/{base}: run {rates['evsim'][0] / rates[base][0]:.2f}x, "
              f"build+feed+run {rates['evsim'][1] / rates[base][1]:.2f}x")
    for base in [name for name in ("per-spike", "nest") if name in runs and "floor" in runs]:
        print(f"{n:>7} floor/{base}: run {rates['floor'][0] / rates[base][0]:.2f}x (what vectorising can reach)")
    ref = runs["evsim"][0]
    for name in [name for name in runs if name not in ("evsim", "nest")]:
        print(f"{n:>7} spikes {name} vs evsim: {agreement(ref, runs[name][0])}")
    if "nest" in runs:
        count = runs["nest"][0].time.size
        print(f"{n:>7} spikes nest (on the 0.1 ms grid): {count} ({count / ref.time.size - 1:+.2%} vs evsim)")
    return 1e9 * min(r.run_s for r in runs["evsim"]) / case.events(ref.time)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neurons", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seconds", type=float, default=1.0, help="model time in s")
    parser.add_argument("--repeats", type=int, default=None,
                        help="runs per engine, the fastest counts (default 5 below 10,000 neurons, else 1)")
    parser.add_argument("--workload", choices=["poisson", "bias", "both"], default="poisson")
    parser.add_argument("--large", action="store_true", help=f"also {LARGE[0]:,} neurons for {LARGE[1]} s")
    parser.add_argument("--nest", action="store_true", help="also NEST (iaf_psc_delta, iaf_psc_delta_ps)")
    parser.add_argument("--evsim-rss", action="store_true", help=argparse.SUPPRESS)  # child of evsim_peak_rss
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    names = ["poisson", "bias"] if args.workload == "both" else [args.workload]
    sizes = [(n, args.seconds) for n in args.neurons] + ([LARGE] if args.large else [])
    if args.evsim_rss:
        case = make_case(WORKLOADS[names[0]], sizes[0][0], sizes[0][1] * 1000.0)
        run_evsim(case, evsim_network(case))
        print(peak_rss_mib())
        return
    nest = load_nest() if args.nest else None
    for name in names:
        print(f"\nworkload {name}: events/s, best of the alternating runs (median); "
              f"run = simulation only, all = build + feed + run")
        print(f"{'N':>7} {'engine':>9} {'spikes':>8} {'events':>10} {'run ev/s (median)':>18} "
              f"{'all ev/s (median)':>18} {'ns/ev run':>9}")
        cost = {}
        for n, seconds in sizes:
            case = make_case(WORKLOADS[name], n, seconds * 1000.0)
            cost[n] = report(case, alternating(args.repeats or (5 if n < 10_000 else 1), engines(case, nest)))
            print(f"{n:>7} peak RSS: evsim alone {evsim_peak_rss(name, n, seconds):.0f} MiB (a fresh process: "
                  f"imports, arrays, Network, run); this process so far {peak_rss_mib():.0f} MiB (all engines)")
        print("evsim ns/event (run only): " + ", ".join(f"N={n:,} {c:.0f}" for n, c in cost.items()))


if __name__ == "__main__":
    main()
