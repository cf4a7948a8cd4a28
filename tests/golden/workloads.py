"""Networks whose spike trains are pinned bit for bit in ``engine.npz``.

Each workload returns ``(net, inputs, until, rng)``: the engine must produce
exactly the recorded spikes (neuron, time in ms, value) from them, whatever
its internals. The networks are drawn from fixed seeds with plain NumPy
calls (``integers``, ``uniform``, ``poisson``) whose streams NumPy has kept
stable; a fingerprint of each network's synapse table is stored beside its
spikes, so a changed stream shows up as "workload changed", not as an engine
bug.

Regenerate (only when the engine's semantics change on purpose)::

    python -m tests.golden.record
"""

from __future__ import annotations

import numpy as np

import evsim


def brunel(n: int, seconds: float, seed: int = 1):
    """Sparse LIF network in continuous time, each neuron driven by a 400 Hz Poisson input.

    tau 20 ms, threshold 20 mV, reset 10 mV, refractory 2 ms; 50 random
    synapses out of each neuron (80 % excitatory 0.5 mV, 20 % inhibitory
    -2.5 mV), delay 1 ms; inputs of 2 mV through zero-delay synapses.
    """
    rng = np.random.default_rng(seed)
    fan_out, duration = 50, seconds * 1000.0
    source = np.repeat(np.arange(n), fan_out)
    target = rng.integers(0, n - 1, source.size)
    target += target >= source
    weight = np.where(source < int(0.8 * n), 0.5, -2.5)
    counts = rng.poisson(400.0 * seconds, n)
    trains = [np.sort(rng.uniform(0.0, duration, c)) for c in counts]
    neurons = {f"n{i}": evsim.LIF(tau=20.0, threshold=20.0, v_rest=0.0, reset=10.0, refractory=2.0)
               for i in range(n)}
    neurons.update({f"in{i}": evsim.Input() for i in range(n)})
    synapses = {
        "source": np.concatenate([source, np.arange(n) + n]),
        "target": np.concatenate([target, np.arange(n)]),
        "weight": np.concatenate([weight, np.full(n, 2.0)]),
        "delay": np.concatenate([np.full(source.size, 1.0), np.zeros(n)]),
    }
    net = evsim.Network(neurons, synapses, outputs={f"n{i}" for i in range(n)}, dt=None)
    return net, {f"in{i}": trains[i] for i in range(n)}, duration, None


def drifting(n: int = 300, seed: int = 2):
    """Continuous LIF and IF neurons with a bias that carries them across threshold on their own.

    Resting levels ``v_rest + tau·bias`` above threshold for most neurons, so
    most spikes come from predicted crossings; sparse recurrent synapses with
    delays on a 0.25 ms lattice (coincident arrivals), some refractory periods
    of zero, subtract and hard resets, a few single-spike neurons, and sparse
    inputs, some of them analog.
    """
    rng = np.random.default_rng(seed)
    neurons = {}
    for i in range(n):
        reset = ["subtract", 0.0, 0.25][i % 3]
        refractory = [0.0, 0.5, 1.0][(i // 3) % 3]
        if i % 7 == 0:
            neurons[f"n{i}"] = evsim.IF(threshold=1.0, bias=float(rng.uniform(0.05, 0.3)), reset=reset,
                                        refractory=refractory)
        else:
            neurons[f"n{i}"] = evsim.LIF(tau=float(rng.uniform(5.0, 30.0)), threshold=1.0,
                                         bias=float(rng.uniform(0.02, 0.12)), reset=reset, refractory=refractory,
                                         single_spike=i % 23 == 0, v_init=float(rng.uniform(0.0, 0.9)))
    inputs = 20
    neurons.update({f"in{j}": evsim.Input() for j in range(inputs)})
    source = rng.integers(0, n, 10 * n)
    target = rng.integers(0, n, source.size)
    keep = source != target
    source, target = source[keep], target[keep]
    in_source = np.repeat(np.arange(inputs), 15)
    in_target = rng.integers(0, n, in_source.size)
    synapses = {
        "source": np.concatenate([source, in_source + n]),
        "target": np.concatenate([target, in_target]),
        "weight": np.concatenate([rng.uniform(-0.3, 0.4, source.size), rng.uniform(0.1, 0.6, in_source.size)]),
        "delay": np.concatenate([0.25 * rng.integers(1, 9, source.size), 0.25 * rng.integers(0, 3, in_source.size)]),
    }
    net = evsim.Network(neurons, synapses, outputs={f"n{i}" for i in range(n)}, dt=None)
    feed = {}
    for j in range(inputs):
        times = np.unique(np.round(rng.uniform(0.0, 200.0, 12), 3))
        feed[f"in{j}"] = evsim.Analog(times, rng.uniform(0.5, 2.0, times.size)) if j % 4 == 0 else times
    return net, feed, 200.0, None


def discrete_ranks(seed: int = 3):
    """A discrete (dt = 1) IF/LIF net with chains of zero-delay synapses, so several ranks per step.

    Inputs feed layer a through zero delay, a feeds b and b feeds c through
    zero delay, c feeds back to a with delay 2 and to b with delay 1; mixed
    resets, biases (some neurons checkpoint and cross on their own), refractory
    periods and analog inputs.
    """
    rng = np.random.default_rng(seed)
    sizes = {"a": 40, "b": 30, "c": 20}
    neurons = {}
    for layer, size in sizes.items():
        for i in range(size):
            reset = ["subtract", "zero", -0.5][i % 3]
            if i % 2:
                model = evsim.IF(threshold=1.0, bias=float(rng.uniform(-0.02, 0.08)), reset=reset,
                                 refractory=float(i % 3))
            else:
                model = evsim.LIF(tau=float(rng.uniform(2.0, 10.0)), threshold=1.0, reset=reset,
                                  bias=float(rng.uniform(0.0, 0.25)), refractory=float(i % 2))
            neurons[f"{layer}{i}"] = model
    neurons.update({f"x{j}": evsim.Input() for j in range(10)})
    synapses = []

    def connect(src, dst, count, delay, low, high):
        for s, t, w in zip(rng.choice(src, count), rng.choice(dst, count), rng.uniform(low, high, count)):
            synapses.append(evsim.Synapse(str(s), str(t), float(w), delay))

    names = {layer: [f"{layer}{i}" for i in range(size)] for layer, size in sizes.items()}
    connect([f"x{j}" for j in range(10)], names["a"], 120, 0.0, 0.1, 0.7)
    connect(names["a"], names["b"], 200, 0.0, -0.2, 0.5)
    connect(names["b"], names["c"], 120, 0.0, -0.2, 0.6)
    connect(names["c"], names["a"], 60, 2.0, -0.5, 0.3)
    connect(names["c"], names["b"], 60, 1.0, -0.3, 0.3)
    connect(names["a"], names["a"], 60, 1.0, -0.3, 0.3)
    net = evsim.Network(neurons, synapses, outputs=set(names["c"]), dt=1.0)
    feed = {}
    for j in range(10):
        times = np.flatnonzero(rng.random(150) < 0.3).astype(float)
        feed[f"x{j}"] = evsim.Analog(times, rng.uniform(0.5, 1.5, times.size)) if j % 3 == 0 else times
    return net, feed, 150.0, None


def stochastic(seed: int = 4):
    """A Lynch–Musco network of Stochastic and Threshold neurons, for the random stream's order."""
    rng = np.random.default_rng(seed)
    n = 30
    neurons = {f"s{i}": (evsim.Stochastic(bias=float(rng.uniform(0, 1)), temperature=0.5, initial=i % 4 == 0)
                         if i % 3 else evsim.Threshold(bias=float(rng.uniform(0, 1)), initial=i % 5 == 0))
               for i in range(n)}
    neurons["u"] = evsim.Input()
    synapses = [evsim.Synapse(f"s{s}", f"s{t}", float(w), 1.0)
                for s, t, w in zip(rng.integers(0, n, 120), rng.integers(0, n, 120), rng.uniform(-1, 2, 120))]
    synapses += [evsim.Synapse("u", f"s{t}", 1.0, 1.0) for t in range(0, n, 2)]
    net = evsim.Network(neurons, synapses, outputs={f"s{i}" for i in range(n)}, dt=1.0)
    return net, {"u": np.arange(0.0, 60.0, 3.0)}, 60.0, 7


WORKLOADS = {
    "brunel_1k": lambda: brunel(1000, 1.0),
    "brunel_10k": lambda: brunel(10000, 0.2),
    "drifting": drifting,
    "discrete_ranks": discrete_ranks,
    "stochastic": stochastic,
}


def fingerprint(net: evsim.Network) -> np.ndarray:
    """A few numbers that change whenever the drawn network changes."""
    table = net.table
    return np.array([len(net.names), len(table), float(table.source @ np.arange(len(table)) % 1_000_003),
                     float(table.target @ np.arange(len(table)) % 1_000_003), float(table.weight.sum()),
                     float(table.delay.sum())])


def spikes_of(name: str):
    """``(fingerprint, neuron, time, value)`` of one workload's non-input spikes on the current engine.

    (Input spikes are the inputs themselves, echoed; leaving them out keeps the file small.)
    """
    net, inputs, until, rng = WORKLOADS[name]()
    record = evsim.simulate(net, inputs, until, rng=rng)
    made = ~np.isin(record.neuron, [net.index(name) for name in net.inputs])
    return fingerprint(net), record.neuron[made], record.time[made], record.value[made]
