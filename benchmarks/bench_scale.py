"""Scaling out: the Brunel-style network of bench_events.py on evsim and on NEST (1 and 2 threads).

The network is :func:`bench_events.make_case`'s (N LIF neurons, tau = 20 ms,
theta = 20 mV, reset to 10 mV, refractory 2 ms, 50 outgoing synapses each,
80 % excitatory 0.5 mV, 20 % inhibitory -2.5 mV, delay 1 ms, a 400 Hz
Poisson input of 2 mV per neuron), with one change that NEST needs: the
input synapses have a delay (1 ms, as the others: NEST exchanges spikes
between threads once per smallest delay) instead of zero.
evsim runs it with its event engine, NEST through ``evsim.simulate(...,
engine="nest")``'s own mapping (``iaf_psc_delta_ps``, resolution 0.1 ms) on
1 and 2 threads; every engine must fire the same spikes (checked: count,
neurons, largest time difference).

Each run is a fresh process (``--child``), so its peak RSS (``VmHWM``) is its
own: imports, the workload's arrays, the evsim Network, building (evsim:
``Simulator`` + ``feed``; NEST: ``to_nest``, i.e. plan, create, connect),
running and the ordered record. "run" times the simulation alone
(``Simulator.run``; ``nest.Simulate``), "all" the whole ``simulate`` call
(what a user waits for). Events are the synaptic arrivals inside the run plus
the input spikes (as in bench_events.py). Runs take turns (evsim, NEST 1
thread, NEST 2 threads), ``--repeats`` rounds; the fastest of each counts,
the median is printed beside it.

Usage::

    PYTHONPATH=. <python with nest-simulator> benchmarks/bench_scale.py [--neurons 10000 100000]
        [--seconds 1.0 0.2] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_events import WORKLOADS, evsim_network, make_case, peak_rss_mib  # noqa: E402

import evsim  # noqa: E402

NEST_STEP = 0.1  # ms: NEST's resolution
INPUT_DELAY = 1.0  # ms: NEST has no zero delay; one as long as the others also keeps NEST's min_delay at 1 ms
ENGINES = (("evsim", 0), ("nest", 1), ("nest", 2))


def child(engine: str, threads: int, n: int, seconds: float, out: str) -> None:
    """One run in this process; write its spikes to ``out`` (.npz) and print its numbers as JSON."""
    case = make_case(WORKLOADS["poisson"], n, seconds * 1000.0)
    net = evsim_network(case, input_delay=INPUT_DELAY)
    inputs = {f"in{i}": train for i, train in enumerate(case.trains)}
    start = time.perf_counter()
    if engine == "evsim":
        sim = evsim.Simulator(net)
        sim.feed(inputs)
        run_start = time.perf_counter()
        sim.run(case.duration)
        run_s = time.perf_counter() - run_start
        record = sim.record
    else:
        record = evsim.simulate(net, inputs, until=case.duration, engine="nest", threads=threads,
                                resolution=NEST_STEP)
        import nest

        run_s = nest.GetKernelStatus("time_simulate")  # seconds inside nest.Simulate
    all_s = time.perf_counter() - start
    mine = record.neuron < n
    spikes = record.time[mine]
    np.savez(out, neuron=record.neuron[mine], time=spikes)
    print(json.dumps({"engine": engine, "threads": threads, "n": n, "seconds": seconds,
                      "events": case.events(spikes), "spikes": int(spikes.size), "run_s": run_s, "all_s": all_s,
                      "rss_mib": peak_rss_mib(), "load": os.getloadavg()[0]}))


def run_child(engine: str, threads: int, n: int, seconds: float, out: str) -> dict:
    cmd = [sys.executable, __file__, "--child", engine, str(threads), str(n), str(seconds), out]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS=str(max(threads, 1)))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"{engine} ({threads} threads) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def agreement(a: str, b: str) -> str:
    """Same spike count, the same neurons in time order, and the largest time difference."""
    x, y = np.load(a), np.load(b)
    if x["time"].size != y["time"].size:
        return f"DIFFER ({y['time'].size} spikes, evsim {x['time'].size})"
    i, j = np.lexsort((x["time"], x["neuron"])), np.lexsort((y["time"], y["neuron"]))
    if not np.array_equal(x["neuron"][i], y["neuron"][j]):
        return "agree in count, DIFFER in neurons"
    return f"agree (max |dt| {np.max(np.abs(x['time'][i] - y['time'][j]), initial=0.0):.0e} ms)"


def label(engine: str, threads: int) -> str:
    return "evsim" if engine == "evsim" else f"nest {threads}t"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neurons", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seconds", type=float, nargs="+", default=[1.0, 0.2],
                        help="model time in s, one per --neurons entry (the last repeats)")
    parser.add_argument("--repeats", type=int, default=2, help="rounds of runs; the fastest counts")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        engine, threads, n, seconds, out = args.child
        child(engine, int(threads), int(n), float(seconds), out)
        return
    print(f"{'N':>7} {'s':>4} {'engine':>8} {'spikes':>8} {'events':>10} {'run ev/s (median)':>18} "
          f"{'all ev/s (median)':>18} {'peak RSS':>9}  spikes vs evsim")
    with tempfile.TemporaryDirectory() as folder:
        for index, n in enumerate(args.neurons):
            seconds = args.seconds[min(index, len(args.seconds) - 1)]
            runs = {key: [] for key in ENGINES}
            for _ in range(args.repeats):
                for engine, threads in ENGINES:
                    out = os.path.join(folder, f"{engine}{threads}_{n}.npz")
                    runs[engine, threads].append(run_child(engine, threads, n, seconds, out))
            for (engine, threads), tries in runs.items():
                events = tries[0]["events"]
                run_s, all_s = [t["run_s"] for t in tries], [t["all_s"] for t in tries]
                same = "" if engine == "evsim" else agreement(os.path.join(folder, f"evsim0_{n}.npz"),
                                                              os.path.join(folder, f"{engine}{threads}_{n}.npz"))
                print(f"{n:>7} {seconds:>4} {label(engine, threads):>8} {tries[0]['spikes']:>8} {events:>10} "
                      f"{events / min(run_s) / 1e6:>8.2f} M ({events / np.median(run_s) / 1e6:.2f}) "
                      f"{events / min(all_s) / 1e6:>8.2f} M ({events / np.median(all_s) / 1e6:.2f}) "
                      f"{max(t['rss_mib'] for t in tries):>6.0f} MiB  {same}  (load {max(t['load'] for t in tries):.1f})",
                      flush=True)
            best = {key: min(t["run_s"] for t in tries) for key, tries in runs.items()}
            alls = {key: min(t["all_s"] for t in tries) for key, tries in runs.items()}
            for key in ENGINES[1:]:
                print(f"{n:>7} evsim / {label(*key)}: run {best[key] / best[ENGINES[0]]:.2f}x, "
                      f"all {alls[key] / alls[ENGINES[0]]:.2f}x (above 1: evsim faster)", flush=True)


if __name__ == "__main__":
    main()
