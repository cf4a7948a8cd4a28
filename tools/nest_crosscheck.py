"""Cross-check evsim's continuous-time LIF networks against NEST's ``iaf_psc_delta_ps``.

NEST's ``iaf_psc_delta_ps`` is an exact-time ("precise spiking") LIF neuron
with delta synapses: the potential jumps by the weight at each arrival, decays
in closed form in between, and a threshold crossing caused by the constant
current is located analytically. That is the model evsim solves with
``dt=None``, so the two simulators should produce the same spike trains up to
rounding. This script builds random networks, runs each in both and compares
every neuron's spikes (same count, every time within ``--tolerance`` ms).

The parameters map as ``evsim.nest`` maps them (``evsim.simulate(...,
engine="nest")``, see ``evsim/nest/mapping.py``): ``tau -> tau_m``,
``v_rest -> E_L``, ``threshold -> V_th``, ``v_init -> V_m``, ``bias -> I_e``
with ``C_m = 1``, the hard ``reset -> V_reset``, ``refractory -> t_ref``;
inputs are ``spike_generator``s with ``precise_times``. The random networks
stay inside what it accepts: refractory periods of {1, 2, 5, 20} steps,
delays of 1 to 30 steps, input times after 0. The laws that keep this
mapping right are in ``tests/test_nest.py``; this script reports, network by
network, with a likely cause for each mismatch.

Both simulators represent a precise time as a grid step plus an offset
inside it and form an arrival as (step + delay steps, same offset), so
arrivals that coincide in exact arithmetic coincide in both: they are summed
before one threshold test, and one at the very end of a refractory period
counts. (evsim's grid is 1 ns, finer than NEST's resolution; NEST's delays are
whole NEST steps, and so are evsim's.) An evsim that adds delays to float times
breaks such ties by an ulp and differs on most networks. ``--dyadic`` draws
input times on a 2**-10 ms grid and uses resolution 0.125 ms, where even float
sums are exact, so it checks the parameter mapping alone. For each mismatch
the script names a likely cause (a near-tie of arrivals, or of an arrival and
the end of a refractory period).

Run it with NEST in its own virtual environment (NEST 3.10 comes as a wheel)::

    python3 -m venv /work/nestenv
    /work/nestenv/bin/pip install nest-simulator \\
        scipy heapdict matplotlib tqdm nir scikit-learn
    PYTHONPATH=/path/to/evsim-checkout /work/nestenv/bin/python \\
        tools/nest_crosscheck.py --networks 40 --resolution 0.1 --seed 0
    # also --resolution 0.01 (about a minute: ten times the spikes), --dyadic

The ``evsim`` imported is whichever is on the path. The exit code is always 0:
the output is a report, not a test.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field

import numpy as np

os.environ.setdefault("PYNEST_QUIET", "1")  # no banner
try:
    import nest  # noqa: E402
except ImportError:
    raise SystemExit('this cross-check needs NEST: pip install "evsim[nest]" (Linux), or python3 -m venv nestenv && '
                     'nestenv/bin/pip install nest-simulator scipy heapdict matplotlib tqdm nir scikit-learn, then run '
                     'it with nestenv/bin/python and PYTHONPATH set to an evsim checkout') from None

import evsim  # noqa: E402

UNTIL = 100.0                  # ms, exclusive in evsim
REFRACTORY_STEPS = (1, 2, 5, 20)
MAX_DELAY_STEPS = 30
INPUT_WINDOW = 50.0            # input times are drawn in (0, INPUT_WINDOW)
DYADIC_RESOLUTION = 0.125
DYADIC_QUANTUM = 2.0 ** -10    # ms; dyadic input times are multiples of this


@dataclass
class Spec:
    """One random network, described independently of either simulator."""

    resolution: float
    neurons: dict[str, dict] = field(default_factory=dict)       # name -> LIF parameters
    inputs: dict[str, np.ndarray] = field(default_factory=dict)  # name -> spike times
    synapses: list[tuple[str, str, float, float]] = field(default_factory=list)


# -- random networks ----------------------------------------------------------

def grid(steps: int, h: float) -> float:
    """``steps * h`` as the double nearest the decimal value (0.3, not 0.30000000000000004)."""
    return round(steps * h, 12)


def random_delay(rng: np.random.Generator, h: float) -> float:
    return grid(int(rng.integers(1, MAX_DELAY_STEPS + 1)), h)


def random_lif(rng: np.random.Generator, h: float, varied: bool) -> dict:
    threshold = rng.uniform(0.5, 2.0) if varied else 1.0
    v_rest = rng.uniform(-0.2, 0.2) if varied else 0.0
    reset = rng.uniform(0.0, min(0.5, 0.9 * threshold))
    v_init = rng.uniform(v_rest - 0.5, 0.9 * threshold) if varied else v_rest
    return {
        "tau": rng.uniform(5.0, 30.0),
        "threshold": threshold,
        "v_rest": v_rest,
        "v_init": v_init,
        "bias": rng.uniform(-0.02, 0.12),
        "reset": reset,
        "refractory": grid(int(rng.choice(REFRACTORY_STEPS)), h),
    }


def random_times(rng: np.random.Generator, dyadic: bool) -> np.ndarray:
    count = int(rng.integers(5, 41))
    if dyadic:
        ticks = rng.integers(1, int(INPUT_WINDOW / DYADIC_QUANTUM), size=count)
        return np.unique(ticks) * DYADIC_QUANTUM
    times = np.unique(rng.uniform(0.0, INPUT_WINDOW, size=count))
    return times[times > 0.0]


def random_network(rng: np.random.Generator, h: float, dyadic: bool) -> Spec:
    spec = Spec(resolution=h)
    n = int(rng.integers(5, 51))
    varied = bool(rng.random() < 0.5)
    names = [f"n{i}" for i in range(n)]
    for name in names:
        spec.neurons[name] = random_lif(rng, h, varied)
    p = rng.uniform(0.1, 0.3)
    for i, j in np.argwhere(rng.random((n, n)) < p):
        spec.synapses.append((names[i], names[j], rng.uniform(-1.0, 1.5), random_delay(rng, h)))
    for k in range(int(rng.integers(1, 6))):
        name = f"in{k}"
        spec.inputs[name] = random_times(rng, dyadic)
        targets = rng.choice(n, size=int(rng.integers(1, min(n, 5) + 1)), replace=False)
        for j in targets:
            spec.synapses.append((name, names[j], rng.uniform(0.3, 1.5), random_delay(rng, h)))
    return spec


# -- the two simulators ---------------------------------------------------------

def network(spec: Spec) -> evsim.Network:
    neurons = {name: evsim.LIF(**params) for name, params in spec.neurons.items()}
    neurons |= {name: evsim.Input() for name in spec.inputs}
    synapses = [evsim.Synapse(s, t, w, d) for s, t, w, d in spec.synapses]
    return evsim.Network(neurons=neurons, synapses=synapses, outputs=set(spec.neurons), dt=None)


def run(spec: Spec, engine: str) -> dict[str, np.ndarray]:
    """Every LIF neuron's spike times from ``engine`` (evsim's event engine, or NEST through evsim.nest)."""
    options = {"engine": "nest", "resolution": spec.resolution} if engine == "nest" else {}
    inputs = {name: times.tolist() for name, times in spec.inputs.items()}
    trains = evsim.simulate(network(spec), inputs, until=UNTIL, **options).trains()
    return {name: np.asarray(trains[name], dtype=float) for name in spec.neurons}


# -- comparison ----------------------------------------------------------------

@dataclass
class Comparison:
    match: bool
    max_dt: float                        # over spikes paired by index
    first: tuple | None = None           # (neuron, index, evsim time, NEST time); None = absent


def first_difference(a: np.ndarray, b: np.ndarray, tol: float) -> int | None:
    """Index of the first spike where trains ``a`` and ``b`` differ, or None."""
    m = min(a.size, b.size)
    bad = np.flatnonzero(np.abs(a[:m] - b[:m]) > tol)
    if bad.size:
        return int(bad[0])
    return None if a.size == b.size else m


def compare(ev: dict, ns: dict, tol: float) -> Comparison:
    max_dt, first, first_time = 0.0, None, np.inf
    for name in ev:
        a, b = ev[name], ns[name]
        m = min(a.size, b.size)
        if m:
            max_dt = max(max_dt, float(np.max(np.abs(a[:m] - b[:m]))))
        k = first_difference(a, b, tol)
        if k is None:
            continue
        ta = float(a[k]) if k < a.size else None
        tb = float(b[k]) if k < b.size else None
        t = min(x for x in (ta, tb) if x is not None)
        if t < first_time:
            first, first_time = (name, k, ta, tb), t
    return Comparison(first is None, max_dt, first)


def arrivals_at(spec: Spec, trains: dict, neuron: str) -> np.ndarray:
    """Every arrival time at ``neuron`` as a float sum (spike time + delay), to find near-ties."""
    parts = [np.asarray(trains[s]) + d for s, t, _, d in spec.synapses if t == neuron]
    return np.sort(np.concatenate(parts)) if parts else np.empty(0)


def likely_cause(spec: Spec, ev: dict, first: tuple, tol: float) -> str:
    """Name a near-tie at the first differing neuron that NEST resolves exactly.

    Before the first difference both simulators agree, so the neuron saw the
    same arrivals; a pair of them a few ulps apart (NEST sums them), or one a
    few ulps from the end of a refractory period, is the usual reason.
    """
    neuron, _, ta, tb = first
    horizon = max(x for x in (ta, tb) if x is not None) + tol
    trains = {**ev, **spec.inputs}
    arr = arrivals_at(spec, trains, neuron)
    arr = arr[arr <= horizon]
    causes = []
    gaps = np.diff(arr)
    for i in np.flatnonzero((gaps > 0) & (gaps < tol)):
        causes.append((arr[i], f"arrivals {gaps[i]:.1e} ms apart at {arr[i]:.6f} (NEST sums them)"))
    ends = ev[neuron][ev[neuron] <= horizon] + spec.neurons[neuron]["refractory"]
    for end in ends:
        near = arr[(arr != end) & (np.abs(arr - end) < tol)]
        for a in near:
            causes.append((a, f"arrival {a - end:+.1e} ms from refractory end {end:.6f}"))
    if not causes:
        return "no near-tie found"
    return max(causes)[1]


# -- report ----------------------------------------------------------------------

def fmt_time(t: float | None) -> str:
    return "none" if t is None else repr(t)


def report_line(index: int, spec: Spec, ev: dict, ns: dict, result: Comparison, tol: float) -> str:
    n_ev = sum(v.size for v in ev.values())
    n_ns = sum(v.size for v in ns.values())
    line = (f"net {index:3d}: {len(spec.neurons):2d} neurons {len(spec.synapses):4d} synapses "
            f"{len(spec.inputs)} inputs | spikes evsim {n_ev:5d} nest {n_ns:5d} | "
            f"match {'yes' if result.match else 'NO '} | max|dt| {result.max_dt:.1e}")
    if not result.match:
        neuron, k, ta, tb = result.first
        line += (f"\n          first diff {neuron} spike #{k}: "
                 f"evsim {fmt_time(ta)} nest {fmt_time(tb)}; "
                 f"likely cause: {likely_cause(spec, ev, result.first, tol)}")
    return line


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=40, help="how many random networks")
    parser.add_argument("--resolution", type=float, default=0.1,
                        help="NEST step h and delay grid, ms (a whole number of microseconds)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-9,
                        help="largest spike-time difference, ms")
    parser.add_argument("--dyadic", action="store_true",
                        help=f"input times on a 2**-10 ms grid, resolution {DYADIC_RESOLUTION} ms")
    parser.add_argument("--only", type=int, default=None, help="run just this network index")
    args = parser.parse_args(argv)
    if abs(args.resolution * 1000 - round(args.resolution * 1000)) > 1e-6 or args.resolution <= 0:
        parser.error("--resolution must be a positive whole number of NEST tics (0.001 ms)")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    h = DYADIC_RESOLUTION if args.dyadic else args.resolution
    indices = [args.only] if args.only is not None else range(args.networks)
    print(f"evsim {getattr(evsim, '__version__', '?')} from {os.path.dirname(evsim.__file__)}; "
          f"NEST {nest.__version__}; resolution {h} ms; seed {args.seed}"
          f"{'; dyadic inputs' if args.dyadic else ''}")
    matched = 0
    for index in indices:
        spec = random_network(np.random.default_rng([args.seed, index]), h, args.dyadic)
        ev, ns = run(spec, "evsim"), run(spec, "nest")
        result = compare(ev, ns, args.tolerance)
        matched += result.match
        print(report_line(index, spec, ev, ns, result, args.tolerance), flush=True)
    print(f"matched {matched}/{len(indices)} at resolution {h}{' (dyadic)' if args.dyadic else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
