"""Fuzz every public function with hypothesis: only evsim's own errors may escape.

Run as a script (``tests/test_fuzz.py`` starts it in a subprocess under an
address-space ceiling and a timeout, from a scratch directory, since fuzzed
paths may be written)::

    python tests/catalogue/fuzz.py

Each target draws every argument either from its valid range or from
``anything``: None, bools, huge and negative integers, NaN and infinities,
strings, nested lists, tuples and dicts, NumPy arrays of odd shapes and dtypes
(wider than ``evsim.testing``'s strategies, which only make valid values).
A call may return or raise an :class:`evsim.EvsimError`; any other exception
(MemoryError included), a crash or a call over the time limit is a failure;
each call runs in a forked child, so a runaway C loop is stopped on time. Sizes that
decide memory (steps, horizons, layer widths) are drawn up to 10**12; counts
that only decide running time (epochs, samples, until on quiet networks) stay
small, so a legitimately long computation is not mistaken for a hang.

Prints one line per target and every failure; exit status 1 if any.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import io as stdio
import os
import select
import signal
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_load(HERE.parent / "conftest.py", "evsim_fuzz_conftest")  # the suite's hypothesis profile (and Agg)

import numpy as np  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import evsim  # noqa: E402
import evsim.cli  # noqa: E402
import evsim.datasets  # noqa: E402
import evsim.deep  # noqa: E402
import evsim.deep.bounds  # noqa: E402
import evsim.deep.energy  # noqa: E402
import evsim.timegrid  # noqa: E402
from evsim import IF, LIF, CubaLIF, Input, Network, Stochastic, Synapse, Threshold  # noqa: E402
from evsim import behavior, encoding, io, library, plot, reference  # noqa: E402
from evsim.deep import QCFS, AvgPool2d, ClipReLU, Conv2d, Dense, Sequential  # noqa: E402

SECONDS = 2.0
EXAMPLES = max(10, settings.default.max_examples // 3)
STOP_AFTER = 3  # failures per target before its remaining examples are skipped (bounds the run time)

# ----------------------------------------------------------------------------- values

huge = st.sampled_from([10**12, 2**63, -(2**63), 10**30, -1, 0, 1])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), huge, st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([np.nan, np.inf, -np.inf, -0.0, 1e-300, 1e300]),
    st.text(max_size=4), st.sampled_from(["", "x", "y", "nan", "1.0", "abc"]),
    st.sampled_from([np.float64(np.nan), np.int64(-1), np.bool_(True), np.float32(0.5)]),
)
arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.int64, np.bool_, np.float32, np.dtype("U2")]),
    shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
)
anything = st.recursive(
    st.one_of(scalars, arrays),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                            st.dictionaries(st.sampled_from(["x", "y", "q", ""]), inner, max_size=2)),
    max_leaves=6,
)
small = st.one_of(st.none(), st.booleans(), st.integers(-3, 50), st.floats(-100, 100), st.just(np.nan),
                  st.just(np.inf), st.text(max_size=3), st.lists(st.integers(-3, 5), max_size=3))


def either(valid) -> st.SearchStrategy:
    """Mostly a valid value (so calls get past their first argument), else anything."""
    return st.one_of(valid, valid, valid, anything)


def sized(valid) -> st.SearchStrategy:
    """A memory-deciding size: valid, huge or anything."""
    return st.one_of(valid, huge, anything)


def work(valid) -> st.SearchStrategy:
    """A count that only decides running time: valid or small junk (never huge)."""
    return st.one_of(valid, small)


reals = st.floats(-3, 3)
positive = st.floats(0.01, 5)
seeds = st.one_of(st.none(), st.integers(0, 100))
flags = st.booleans()
names = st.sampled_from(["x", "y", "q"])


def quiet_net(dt=1.0) -> Network:
    return Network({"x": Input(), "y": IF()}, [Synapse("x", "y", 0.6, 1.0)], outputs={"y"}, dt=dt)


RECORD = evsim.simulate(quiet_net(), {"x": [0, 1, 2]}, until=5, probes=["y"], trace=True)
TABLE = behavior.exact(library.and_gate(), {"x1": [0]}, 2)
X = np.random.default_rng(0).random((6, 4))
Y = np.array([0, 1] * 3)


def ann() -> Sequential:
    return Sequential([Dense(4, 3, rng=0), QCFS(4, 1.0), Dense(3, 2, rng=0)])


SNN = evsim.deep.convert(ann(), calibration=X)
SNN_RECORD = evsim.simulate(evsim.deep.to_network(SNN), evsim.deep.network_inputs(np.broadcast_to(X[:1], (3, 1, 4))[:, 0]),
                        until=3)
RESULT = evsim.deep.run(SNN, X, 3, labels=Y)
CODE = encoding.rate(np.array([0.5, 0.25]), 4, rng=0)

# ----------------------------------------------------------------------------- targets

TARGETS: list = []
FAILURES: dict[str, list[str]] = {}
CALLS: dict[str, list[int]] = {}


def target(title: str, **strategies):
    """Register ``function(**drawn)`` as a fuzz target called ``title``."""
    def register(function):
        @settings(max_examples=EXAMPLES, deadline=None, database=None)
        @given(**strategies)
        def fuzz(**arguments):
            failures = FAILURES.setdefault(title, [])
            calls = CALLS.setdefault(title, [0, 0, 0])  # calls, evsim errors, returns
            if len(failures) >= STOP_AFTER:
                return
            calls[0] += 1
            verdict = _call(function, arguments)
            if verdict == "typed":
                calls[1] += 1
            elif verdict == "returned":
                calls[2] += 1
            else:
                failures.append(f"{verdict} with {_shown(arguments)}".replace("\n", " "))
        TARGETS.append((title, fuzz))
        return function
    return register


def _call(function, arguments: dict) -> str:
    """Call ``function(**arguments)`` in a forked child; "typed", "returned", or what went wrong.

    A child can be stopped in the middle of a C loop (a signal in the same
    process cannot), so a call that runs past ``SECONDS`` costs exactly that.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one call, one line back, no cleanup handlers
        os.close(read)
        try:
            with contextlib.redirect_stderr(stdio.StringIO()), contextlib.redirect_stdout(stdio.StringIO()):
                function(**arguments)
            verdict = "returned"
        except evsim.EvsimError:
            verdict = "typed"
        except BaseException as error:  # noqa: BLE001 - every other escape is the finding
            verdict = f"{type(error).__name__}: {str(error)[:120]!r}"
        os.write(write, verdict.encode()[:4000])
        os._exit(0)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], SECONDS)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return f"hang (over {SECONDS} s)"
        verdict = os.read(read, 4096).decode(errors="replace")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(read)
    if not verdict:
        return f"crashed (wait status {status})"
    return verdict


def _shown(arguments: dict) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in arguments.items()).replace("\n", " ")
    return text if len(text) < 300 else text[:297] + "..."


@target("IF", threshold=either(positive), v_init=either(reals), bias=either(reals),
        reset=either(st.sampled_from(["subtract", "zero", -0.5])), refractory=either(st.sampled_from([0.0, 1.0, 2.0])),
        single_spike=either(flags))
def _if(**kw):
    evsim.simulate(Network({"x": Input(), "y": IF(**kw)}, [Synapse("x", "y")], outputs={"y"}), {"x": [0, 1]}, until=4)


@target("LIF", tau=either(positive), threshold=either(reals), v_rest=either(reals), v_init=either(reals),
        bias=either(reals), reset=either(st.sampled_from(["subtract", "zero", 0.1])), refractory=either(positive))
def _lif(**kw):
    LIF(**kw)


@target("LIF.from_beta", beta=either(st.floats(0.01, 0.99)), dt=either(positive))
def _from_beta(beta, dt):
    LIF.from_beta(beta, dt)


@target("CubaLIF", tau_syn=either(positive), tau_mem=either(positive), threshold=either(reals),
        v_rest=either(reals), v_init=either(reals), i_init=either(reals), bias=either(reals), i_bias=either(reals),
        reset=either(st.sampled_from(["subtract", "zero", 0.1])))
def _cuba(**kw):
    evsim.simulate(Network({"x": Input(), "y": CubaLIF(**kw)}, [Synapse("x", "y")], outputs={"y"}), {"x": [0, 1]},
                   until=4)


@target("CubaLIF.from_betas", beta_syn=either(st.floats(0.01, 0.99)), beta_mem=either(st.floats(0.01, 0.99)),
        dt=either(positive))
def _from_betas(beta_syn, beta_mem, dt):
    CubaLIF.from_betas(beta_syn, beta_mem, dt)


@target("Stochastic/Threshold", bias=either(reals), temperature=either(positive), initial=either(flags))
def _lm(bias, temperature, initial):
    Stochastic(bias, temperature, initial)
    Threshold(bias, initial)


@target("Network", source=either(names), target=either(names), weight=either(reals),
        delay=either(st.sampled_from([0.0, 1.0, 2.0])), outputs=either(st.just({"y"})), dt=either(st.sampled_from([1.0, 0.5, None])))
def _network(source, target, weight, delay, outputs, dt):
    Network({"x": Input(), "y": IF()}, [Synapse(source, target, weight, delay)], outputs=outputs, dt=dt)


@target("Network(anything)", neurons=anything, synapses=anything, outputs=anything, dt=anything)
def _network_anything(neurons, synapses, outputs, dt):
    Network(neurons, synapses, outputs, dt)


@target("simulate", train=either(st.lists(st.integers(0, 8), max_size=4)), until=work(st.floats(0, 20)),
        rng=either(seeds), probes=either(st.just(["y"])), trace=either(flags), continuous=st.booleans())
def _simulate(train, until, rng, probes, trace, continuous):
    evsim.simulate(quiet_net(None if continuous else 1.0), {"x": train}, until=until, rng=rng, probes=probes, trace=trace)


@target("simulate(engine=...) and nest_plan", engine=either(st.sampled_from(["evsim", "nest"])),
        threads=either(st.sampled_from([None, 1, 2])), resolution=either(st.sampled_from([None, 0.1, 0.5])),
        train=either(st.lists(st.floats(0.05, 5), max_size=4)), reset=either(st.sampled_from([0.0, "subtract"])))
def _nest(engine, threads, resolution, train, reset):
    import evsim.nest

    net = Network({"x": Input(), "y": evsim.LIF(tau=10.0, reset=reset, refractory=0.5)}, [Synapse("x", "y", 1.0, 0.5)],
                  outputs={"y"}, dt=None)
    if engine == "nest":  # without NEST a typed refusal; with it, a short run
        evsim.simulate(net, {"x": train}, until=3.0, engine=engine, threads=threads, resolution=resolution)
    evsim.nest.nest_plan(net, {"x": train}, resolution)


@target("simulate(inputs=anything)", inputs=anything)
def _simulate_inputs(inputs):
    evsim.simulate(quiet_net(), inputs, until=5)


@target("Analog", times=either(st.lists(st.integers(0, 5), max_size=3)), values=either(st.lists(reals, max_size=3)))
def _analog(times, values):
    evsim.simulate(quiet_net(), {"x": evsim.Analog(times, values)}, until=8)


@target("Simulator", rng=either(seeds), feed=either(st.just({"x": [1, 2]})), first=work(st.floats(0, 10)),
        second=work(st.floats(0, 10)))
def _simulator(rng, feed, first, second):
    sim = evsim.Simulator(quiet_net(), rng=rng)
    sim.feed(feed)
    sim.run(first)
    sim.run(second)
    sim.peek()


@target("Scheduler", time=either(reals), rank=either(st.integers(0, 3)), phase=either(st.integers(0, 2)), end=either(reals))
def _scheduler(time, rank, phase, end):
    s = evsim.Scheduler()
    s.schedule(time, "p", rank=rank, phase=phase)
    s.pop_before(end)


@target("compose/hide/rename", other=anything, hidden=either(st.just({"y"})), mapping=either(st.just({"y": "z"})))
def _composition(other, hidden, mapping):
    evsim.compose(quiet_net(), other)


@target("hide/rename", hidden=either(st.just({"y"})), mapping=either(st.just({"y": "z"})))
def _hide_rename(hidden, mapping):
    evsim.hide(quiet_net(), hidden)
    evsim.rename(quiet_net(), mapping)


@target("limits", memory=either(st.integers(1, 2**40)), file_bytes=either(st.integers(1, 2**40)))
def _limits(memory, file_bytes):
    with evsim.limits(memory=memory, file_bytes=file_bytes):
        pass


@target("PotentialTrace.sample", times=either(st.lists(st.floats(0, 5), max_size=3)))
def _sample(times):
    RECORD.potentials["y"].sample(times)


@target("behavior.exact", inputs=either(st.just({"x1": [0]})), horizon=sized(st.integers(1, 4)),
        free=either(st.just({"x2"})))
def _exact(inputs, horizon, free):
    behavior.exact(library.and_gate(), inputs, horizon, free=free).table


@target("behavior.estimate", horizon=sized(st.integers(1, 4)), samples=work(st.integers(1, 50)), rng=either(seeds),
        progress=either(flags))
def _estimate(horizon, samples, rng, progress):
    behavior.estimate(library.and_gate(), {}, horizon, samples=samples, rng=rng, progress=progress)


@target("Behavior methods", outputs=either(st.just({"y": [0, 1]})), code=either(st.integers(0, 3)),
        horizon=either(st.integers(1, 2)))
def _behavior_methods(outputs, code, horizon):
    TABLE.probability(outputs)
    TABLE.sequence(code)
    TABLE.truncate(horizon)


@target("behavior operators", other=anything, names=anything)
def _operators(other, names):
    behavior.hide(TABLE, names)
    behavior.compose(TABLE, other)


@target("Problem/solves", horizon=either(st.integers(1, 3)), at_least=either(st.floats(0, 1)),
        executions=either(st.just([{"x1": [0]}])), method=either(st.sampled_from(["exact", "estimate"])),
        samples=work(st.integers(1, 30)), rng=either(seeds))
def _solves(horizon, at_least, executions, method, samples, rng):
    problem = behavior.Problem("p", horizon, executions, lambda s: True, at_least)
    behavior.solves(library.and_gate(), problem, method=method, samples=samples, rng=rng)


x_values = st.one_of(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=3), elements=st.floats(0, 1)), anything)


@target("encoding.rate", x=x_values, steps=sized(st.integers(1, 6)),
        method=either(st.sampled_from(["bernoulli", "poisson", "regular"])), gain=either(positive),
        offset=either(reals), max_rate=either(st.none() | st.floats(0.1, 1)), dt=either(positive), rng=either(seeds),
        clip=either(flags))
def _rate(**kw):
    encoding.rate(**kw)


@target("encoding.ttfs", x=x_values, steps=sized(st.integers(1, 6)), code=either(st.sampled_from(["linear", "log"])),
        threshold=either(positive), tau=either(positive), dt=either(positive), continuous=either(flags),
        fire_last=either(flags), clip=either(flags))
def _ttfs(**kw):
    encoding.ttfs(**kw)


@target("encoding.hybrid", x=x_values, steps=sized(st.integers(1, 6)), threshold=either(reals), dt=either(positive),
        clip=either(flags))
def _hybrid(**kw):
    encoding.hybrid(**kw)


@target("encoding decoders", gain=either(positive), offset=either(reals), kind=either(st.sampled_from(["linear", "log"])),
        tau=either(positive), silent=either(reals), names=either(st.just(["a", "b"])), size=sized(st.integers(0, 5)))
def _decoders(gain, offset, kind, tau, silent, names, size):
    encoding.decode_rate(CODE, gain=gain, offset=offset)
    encoding.decode_ttfs(CODE, kind=kind, tau=tau, silent=silent)
    encoding.to_inputs(CODE, names)
    encoding.input_names(size)


@target("encoding.SpikeCode", array=anything, dt=either(positive), steps=sized(st.integers(1, 5)), shape=anything)
def _spikecode(array, dt, steps, shape):
    encoding.SpikeCode.from_array(array, dt=dt)
    encoding.SpikeCode.from_inputs({"a": [0.0]}, ["a"], shape, steps)


@target("encoding(code=anything)", code=anything)
def _decoders_anything(code):
    encoding.decode_hybrid(code)


@target("decode_potential", names=either(st.just(["y"])), at=either(st.floats(0, 5)))
def _decode_potential(names, at):
    encoding.decode_potential(RECORD, names, at)


@target("io.save/load", obj=either(st.sampled_from(["net", "snn"])), path=either(st.sampled_from(["a.npz", "b"])))
def _save_load(obj, path):
    thing = {"net": quiet_net(), "snn": SNN}.get(obj, obj) if isinstance(obj, str) else obj
    io.load(io.save(thing, path))


@target("io.load(anything)", path=anything)
def _load_anything(path):
    io.load(path)


@target("nir", dt=either(st.none() | positive), graph=st.one_of(st.just("net"), anything))
def _nir(dt, graph):
    io.from_nir(io.to_nir(quiet_net()) if isinstance(graph, str) and graph == "net" else graph, dt=dt)


@target("to_nir(anything)", obj=anything)
def _to_nir(obj):
    io.to_nir(obj)


@target("library gates", w=either(positive), temperature=either(positive), initial=either(flags), x=either(names))
def _gates(w, temperature, initial, x):
    library.and_gate(x, "x2", "y", w=w, temperature=temperature, initial=initial)
    library.not_gate(x, "y", w=w, temperature=temperature)
    library.gate_error(w, temperature)


@target("library networks", n=sized(st.integers(1, 4)), m=sized(st.integers(1, 3)), gamma=either(st.none() | positive),
        rounds=work(st.integers(1, 20)), delta=either(st.floats(0.01, 0.5)))
def _library_networks(n, m, gamma, rounds, delta):
    library.winner_take_all(n, gamma)
    library.filter_network(n, m)
    library.wta_gamma(n, rounds, delta)


@target("plot", names=either(st.just(["y"])), name=either(names), until=either(st.none() | positive),
        threshold=either(st.none() | positive), resolution=either(st.integers(2, 50)), limit=either(st.integers(1, 20)),
        top=either(st.integers(1, 5)))
def _plot(names, name, until, threshold, resolution, limit, top):
    plot.raster(RECORD, names=names)
    plot.potential(RECORD, name, until=until, threshold=threshold, resolution=resolution)
    plot.event_timeline(RECORD, limit=limit)
    plot.behavior(TABLE, top=top)


@target("plot(anything)", record=anything, rows=anything, accuracy=anything)
def _plot_anything(record, rows, accuracy):
    plot.raster(record)
    plot.accuracy_vs_steps(rows, accuracy)


@target("reference.simulate", inputs=either(st.just({"x": [0, 1]})), until=work(st.floats(0, 10)), rng=either(seeds))
def _reference(inputs, until, rng):
    reference.simulate(quiet_net(), inputs, until, rng=rng)


@target("deep layers", n_in=sized(st.integers(1, 5)), n_out=sized(st.integers(1, 5)), k=sized(st.integers(1, 3)),
        stride=either(st.integers(1, 2)), padding=either(st.integers(0, 1)), levels=either(st.integers(1, 8)),
        lam=either(positive), shift=either(st.floats(0, 1)), ceiling=either(positive), rng=either(seeds))
def _layers(n_in, n_out, k, stride, padding, levels, lam, shift, ceiling, rng):
    Dense(n_in, n_out, rng=rng)
    Conv2d(n_in, n_out, k, stride=stride, padding=padding, rng=rng)
    AvgPool2d(k)
    QCFS(levels, lam, shift)
    ClipReLU(ceiling)


@target("deep.train", x=either(st.just(X)), y=either(st.just(Y)), epochs=work(st.integers(0, 2)),
        batch=either(st.integers(1, 8)), optimizer=either(st.sampled_from(["adam", "sgd"])),
        lr=either(st.none() | st.floats(1e-4, 0.1)), seed=either(st.integers(0, 10)))
def _train(x, y, epochs, batch, optimizer, lr, seed):
    evsim.deep.train(ann(), x, y, epochs=epochs, batch=batch, optimizer=optimizer, lr=lr, seed=seed)


@target("deep.convert", calibration=either(st.just(X)), norm=either(st.sampled_from(["max", "percentile", "qcfs"])),
        percentile=either(st.floats(50, 100)), v_init=either(st.sampled_from(["zero", "half"])),
        thresholds=either(st.none() | st.just([1.0])), calibration_steps=either(st.integers(1, 3)))
def _convert(calibration, norm, percentile, v_init, thresholds, calibration_steps):
    evsim.deep.convert(ann(), calibration=calibration, norm=norm, percentile=percentile, v_init=v_init,
                       thresholds=thresholds, calibration_steps=calibration_steps)


@target("deep.run", x=either(st.just(X)), steps=sized(st.integers(1, 5)),
        encoding=either(st.sampled_from(["analog", "rate", "ttfs", "hybrid"])), labels=either(st.none() | st.just(Y)),
        rng=either(seeds), chunk=either(st.integers(1, 10)), exit_threshold=either(st.none() | st.floats(0.5, 0.99)),
        temperature=either(positive), single_spike=either(flags))
def _run(**kw):
    evsim.deep.run(SNN, **kw)


SURROGATES = st.sampled_from([evsim.deep.surrogate.StraightThrough(), evsim.deep.surrogate.FastSigmoid(2.0),
                              evsim.deep.surrogate.STDB()])


@target("deep.bptt", x=either(st.just(X)), steps=sized(st.integers(1, 4)), surrogate=either(SURROGATES),
        reset=either(st.sampled_from(["subtract", "zero"])), single_spike=either(flags), relaxed=either(flags),
        detach_reset=either(flags), grad=either(st.just(np.ones((6, 2)))))
def _bptt(x, steps, surrogate, grad, reset, **options):
    layers = (dataclasses.replace(SNN.layers[0], reset=reset),) + SNN.layers[1:]
    net = dataclasses.replace(SNN, layers=layers)
    evsim.deep.bptt.backward(evsim.deep.bptt.forward(net, x, steps, surrogate, **options), grad)


@target("deep.fit", x=either(st.just(X)), y=either(st.just(Y)), steps=sized(st.integers(1, 3)),
        epochs=either(st.integers(1, 2)), batch=either(st.integers(1, 6)), lr=either(positive),
        encoding=either(st.sampled_from(["analog", "rate", "ttfs", "hybrid"])), surrogate=either(SURROGATES),
        single_spike=either(flags), loss=either(st.sampled_from(["final", "time+membrane"])),
        spike_cost=either(st.floats(0, 5)), spike_budget=either(st.floats(0, 1)), train_leak=either(flags))
def _fit(x, y, steps, **options):
    evsim.deep.fit(SNN, x, y, steps, **options)


@target("deep.surrogate", slope=either(positive), alpha=either(positive), width=either(positive),
        beta=either(st.floats(0, 1)), x=either(reals))
def _surrogate(slope, alpha, width, beta, x):
    for s in (evsim.deep.surrogate.FastSigmoid(slope), evsim.deep.surrogate.ArcTan(alpha),
              evsim.deep.surrogate.Triangle(width), evsim.deep.surrogate.ClippedStraightThrough(width),
              evsim.deep.surrogate.STDB(alpha, beta), evsim.deep.surrogate.STDB(alpha, beta, slope)):
        s.relaxed(np.asarray(x, float), 1.0)


@target("deep helpers", values=anything, obj=anything)
def _deep_helpers(values, obj):
    evsim.deep.network_inputs(values)
    evsim.deep.to_network(obj)


@target("deep.layer_spikes", record=either(st.just(SNN_RECORD)), steps=sized(st.integers(1, 4)))
def _layer_spikes(record, steps):
    evsim.deep.layer_spikes(record, SNN, steps)


@target("deep.bounds", currents=anything, theta=either(positive), steps=either(st.integers(1, 8)), z=either(reals),
        lam=either(positive), levels=either(st.integers(1, 8)))
def _bounds(currents, theta, steps, z, lam, levels):
    b = evsim.deep.bounds
    b.if_response(currents, theta)
    b.constant_input_count(z, steps, theta)
    b.conversion_error_bound(theta, steps)
    b.qcfs(z, lam, levels)


@target("deep.energy", e_ac=either(st.floats(1e-13, 1e-11)), e_mac=either(st.floats(1e-13, 1e-11)))
def _energy(e_ac, e_mac):
    evsim.deep.energy.energy_ratio(RESULT, SNN, e_ac=e_ac, e_mac=e_mac)
    evsim.deep.energy.ann_energy(SNN, e_mac=e_mac)


@target("datasets", test_fraction=either(st.floats(0.1, 0.9)), seed=either(st.integers(0, 5)), path=anything)
def _datasets(test_fraction, seed, path):
    evsim.datasets.load_digits(test_fraction, seed)
    evsim.datasets.read_idx(path)


@target("TimeGrid", dt=either(st.none() | positive), times=anything)
def _timegrid(dt, times):
    evsim.timegrid.TimeGrid.of(dt).locate(times)


tokens = st.sampled_from(["behavior", "xor", "and", "oscillator", "nosuch", "--horizon", "--top", "demo", "list",
                          "-1", "0", "2", "abc", "1000000000", "--out", "--json", "--help", ""])


@target("cli.main", argv=st.lists(tokens, max_size=5))
def _cli(argv):
    if "demo" in argv and "list" not in argv:
        argv = [a for a in argv if a != "demo"]  # a demo run is long work, not input checking
    try:
        evsim.cli.main(argv)
    except SystemExit as stop:
        if stop.code not in (0, 2, None):
            raise AssertionError(f"exit code {stop.code!r}") from None


def main() -> int:
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    failed = 0
    for name, fuzz in TARGETS:
        start = time.perf_counter()
        fuzz()
        seconds = time.perf_counter() - start
        calls, typed, returned = CALLS.get(name, [0, 0, 0])
        failures = FAILURES.get(name, [])
        failed += bool(failures)
        print(f"{'FAIL' if failures else 'ok  '} {name} ({seconds:.1f} s): {calls} calls, {typed} evsim errors, {returned} returned"
              + (f", {len(failures)} failures" + (" (stopped)" if len(failures) >= STOP_AFTER else "") if failures else ""))
        for failure in failures:
            print(f"       {failure}")
    print(f"{failed} of {len(TARGETS)} targets let something other than an evsim error escape "
          f"({EXAMPLES} examples each, {SECONDS} s per call)")
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.exit(main())
