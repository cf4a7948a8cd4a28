"""The catalogue: calls to every public entry point of evsim, each expected to be refused or accepted.

A :class:`Case` is an id, the public module it exercises, a zero-argument
thunk making one call, and the expectation:

* ``"refuse"``: the call must raise an :class:`evsim.EvsimError` subclass
  (``error`` names the one expected, when it matters) whose message contains
  every substring of ``says`` (the argument's name and the bad value);
  a raw Python/NumPy exception, a silent return or a hang is a failure.
* ``"accept"``: the call must return (some thunks also check the result).

The thunks use only public API, so the catalogue runs against older code too;
a case whose API did not exist yet lists it in ``needs`` and is skipped there.
Memory-hungry cases must be refused before allocating (``LimitError``); run
the catalogue under a memory ceiling (``tools/catalogue.py`` and the tests do).
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import importlib
import math
import shutil
import tempfile
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy as np

import evsim
import evsim.cli
import evsim.datasets
import evsim.deep
import evsim.deep.bounds
import evsim.deep.calibrate
import evsim.deep.early_exit
import evsim.deep.devices
import evsim.deep.distill
import evsim.deep.distill_study
import evsim.deep.energy
import evsim.deep.hybrid
import evsim.deep.hybrid_study
import evsim.deep.seenn
import evsim.deep.seenn_study
import evsim.deep.tuning
import evsim.deep.yield_study
import evsim.timegrid
from evsim import IF, LIF, CubaLIF, Input, Network, Stochastic, Synapse, SynapseTable, Threshold, simulate
from evsim import behavior, encoding, io, library, plot, reference
from evsim.deep import QCFS, AvgPool2d, ClipReLU, Conv2d, Dense, Flatten, ReLU, Sequential

NAN, INF = math.nan, math.inf
HUGE = 10**12


@dataclass(frozen=True)
class Case:
    """One call and what it should do."""

    id: str
    module: str
    thunk: Callable[[], object]
    expect: str  # "refuse" | "accept"
    says: tuple[str, ...] = ()
    error: str = "EvsimError"  # the evsim error class a refusal should be (by name)
    needs: tuple[str, ...] = ()  # dotted public names the case needs (skipped where they do not exist)

    def available(self) -> bool:
        """Whether every name in ``needs`` exists in the evsim being measured."""
        for dotted in self.needs:
            module, _, attribute = dotted.rpartition(".")
            try:
                if not hasattr(importlib.import_module(module), attribute):
                    return False
            except ImportError:
                return False
        return True


CASES: list[Case] = []


def refuse(module: str, id: str, thunk, *says: str, error: str = "EvsimError", needs=()) -> None:
    CASES.append(Case(f"{module}: {id}", module, thunk, "refuse", tuple(says), error, tuple(needs)))


def accept(module: str, id: str, thunk, needs=()) -> None:
    CASES.append(Case(f"{module}: {id}", module, thunk, "accept", (), "", tuple(needs)))


def shown(value) -> str:
    """How a message shows a bad scalar: its repr (what ``evsim.validation`` prints)."""
    return repr(value)


# ----------------------------------------------------------------------------- fixtures (built lazily)

_tmp: list[Path] = []


def tmp() -> Path:
    """A scratch folder for the file cases, removed at exit."""
    if not _tmp:
        _tmp.append(Path(tempfile.mkdtemp(prefix="evsim-catalogue-")))
        atexit.register(shutil.rmtree, _tmp[0], True)
    return _tmp[0]


def a_file(name: str, content: bytes) -> str:
    path = tmp() / name
    path.write_bytes(content)
    return str(path)


def net(dt=1.0, **if_params) -> Network:
    """x (input) -> y (IF), weight 0.6, delay 1."""
    return Network({"x": Input(), "y": IF(**if_params)}, [Synapse("x", "y", 0.6, 1.0)], outputs={"y"}, dt=dt)


def other_net() -> Network:
    """y (input) -> z (IF): composes with :func:`net` through y."""
    return Network({"y": Input(), "z": IF()}, [Synapse("y", "z", 1.0, 1.0)], outputs={"z"})


def self_driven(dt=1.0) -> Network:
    """An IF whose bias reaches threshold: it fires forever without input."""
    return Network({"x": Input(), "y": IF(bias=0.5)}, [Synapse("x", "y", 0.6, 1.0)], outputs={"y"}, dt=dt)


def cycle() -> Network:
    """Two neurons exciting each other through delays: once started, they never stop."""
    return Network({"x": Input(), "a": IF(), "b": IF()},
                   [Synapse("x", "a", 1.0, 1.0), Synapse("a", "b", 1.0, 1.0), Synapse("b", "a", 1.0, 1.0)],
                   outputs={"a"})


@functools.cache
def record() -> evsim.SpikeRecord:
    return simulate(net(), {"x": [0, 1, 2]}, until=5, probes=["y"], trace=True)


@functools.cache
def plain_record() -> evsim.SpikeRecord:
    return simulate(net(), {"x": [0, 1, 2]}, until=5)


def gate() -> Network:
    return library.and_gate()


@functools.cache
def table() -> behavior.Behavior:
    return behavior.exact(library.and_gate(), {"x1": [0], "x2": [0]}, 2)


@functools.cache
def free_table() -> behavior.Behavior:
    return behavior.exact(library.copy_gate("x", "y"), {}, 3, free={"x"})


def problem(**changes) -> behavior.Problem:
    args = dict(description="p", horizon=2, executions=[{"x1": [0], "x2": [0]}],
                event=lambda s: s["y"][1] == 1, at_least=0.5)
    args.update(changes)
    return behavior.Problem(**args)


X = np.random.default_rng(0).random((8, 4))
Y = np.array([0, 1] * 4)


def ann() -> Sequential:
    return Sequential([Dense(4, 3, rng=0), QCFS(4, 1.0), Dense(3, 2, rng=0)])


@functools.cache
def snn() -> evsim.deep.SpikingNet:
    return evsim.deep.convert(ann(), calibration=X)


@functools.cache
def zero_reset_snn() -> evsim.deep.SpikingNet:
    return replace(snn(), layers=(replace(snn().layers[0], reset="zero"),) + snn().layers[1:])


@functools.cache
def run_result() -> evsim.deep.RunResult:
    return evsim.deep.run(snn(), X, 4, labels=Y)


def code() -> encoding.SpikeCode:
    return encoding.rate(np.array([0.5, 0.25]), 4, rng=0)


def ttfs_code() -> encoding.SpikeCode:
    return encoding.ttfs(np.array([0.5, 1.0]), 4)


def rows() -> list[dict]:
    return [{"v_init": "zero", "steps": 4, "accuracy": 0.5, "avg_steps": 4.0, "energy_ratio": 0.5,
             "method": "m", "spikes_per_image": 1.0}]


def closing(thunk):
    """Run a plotting thunk and close its figures (matplotlib keeps them otherwise)."""
    def run():
        import matplotlib.pyplot as plt

        try:
            return thunk()
        finally:
            plt.close("all")
    return run


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


BAD_REALS = [NAN, True, "1.0", None]  # never a finite real number, whatever the bounds
BAD_FLAGS = ["no", 0, 1, None]
BAD_SEEDS = ["abc", -1, 1.5]


# ============================================================================= neurons

for param in ("threshold", "v_init", "bias"):
    for bad in BAD_REALS + [INF]:
        refuse("neurons", f"IF({param}={bad!r})", lambda p=param, b=bad: IF(**{p: b}), param, shown(bad))
for bad in [-1.0, NAN, "1", True]:
    refuse("neurons", f"IF(refractory={bad!r})", lambda b=bad: IF(refractory=b), "refractory", shown(bad))
for bad in BAD_FLAGS:
    refuse("neurons", f"IF(single_spike={bad!r})", lambda b=bad: IF(single_spike=b), "single_spike", shown(bad))
for bad in ["reset-to-zero", NAN, True, None]:
    refuse("neurons", f"IF(reset={bad!r})", lambda b=bad: IF(reset=b), "reset", shown(bad))
for bad in [0.0, -1.0, NAN, True, "20"]:
    refuse("neurons", f"LIF(tau={bad!r})", lambda b=bad: LIF(tau=b), "tau", shown(bad))
for param in ("threshold", "v_rest", "bias"):
    for bad in [NAN, INF, True]:
        refuse("neurons", f"LIF({param}={bad!r})", lambda p=param, b=bad: LIF(**{p: b}), param, shown(bad))
refuse("neurons", "LIF(single_spike='no')", lambda: LIF(single_spike="no"), "single_spike", "'no'")
for bad in [1.5, -0.1, NAN, True]:
    refuse("neurons", f"LIF.from_beta({bad!r})", lambda b=bad: LIF.from_beta(b), "beta", shown(bad))
for bad in [0.0, -1.0, NAN]:
    refuse("neurons", f"LIF.from_beta(0.9, dt={bad!r})", lambda b=bad: LIF.from_beta(0.9, dt=b), "dt", shown(bad))
for param in ("tau_syn", "tau_mem"):
    for bad in [0.0, -1.0, NAN, INF, True, "5"]:
        refuse("neurons", f"CubaLIF({param}={bad!r})", lambda p=param, b=bad: CubaLIF(**{p: b}), param, shown(bad))
for param in ("threshold", "v_rest", "v_init", "i_init", "bias", "i_bias"):
    for bad in [NAN, INF, True, "1"]:
        refuse("neurons", f"CubaLIF({param}={bad!r})", lambda p=param, b=bad: CubaLIF(**{p: b}), param, shown(bad))
for bad in ["reset-to-zero", NAN, None]:
    refuse("neurons", f"CubaLIF(reset={bad!r})", lambda b=bad: CubaLIF(reset=b), "reset", shown(bad))
for param in ("beta_syn", "beta_mem"):
    for bad in [0.0, 1.0, 1.5, -0.1, NAN, True]:
        refuse("neurons", f"CubaLIF.from_betas({param}={bad!r})",
               lambda p=param, b=bad: CubaLIF.from_betas(**{"beta_syn": 0.8, "beta_mem": 0.9, p: b}), param, shown(bad))
for bad in [0.0, -1.0, NAN]:
    refuse("neurons", f"CubaLIF.from_betas(0.8, 0.9, dt={bad!r})", lambda b=bad: CubaLIF.from_betas(0.8, 0.9, dt=b),
           "dt", shown(bad))
refuse("neurons", "CubaLIF in a continuous network", lambda: Network({"y": CubaLIF()}, [], dt=None), "'y'",
       "no closed form")
for bad in [0.0, -1.0, NAN, INF, True]:
    refuse("neurons", f"Stochastic(temperature={bad!r})", lambda b=bad: Stochastic(temperature=b), "temperature", shown(bad))
for bad in [NAN, INF, "0", True]:
    refuse("neurons", f"Stochastic(bias={bad!r})", lambda b=bad: Stochastic(bias=b), "bias", shown(bad))
    refuse("neurons", f"Threshold(bias={bad!r})", lambda b=bad: Threshold(bias=b), "bias", shown(bad))
for bad in ["no", 0, 1]:
    refuse("neurons", f"Stochastic(initial={bad!r})", lambda b=bad: Stochastic(initial=b), "initial", shown(bad))
    refuse("neurons", f"Threshold(initial={bad!r})", lambda b=bad: Threshold(initial=b), "initial", shown(bad))
for bad in [0.0, -1.0, NAN, INF, True, "1"]:
    refuse("neurons", f"IF(reset_by={bad!r})", lambda b=bad: IF(reset_by=b), "reset_by", shown(bad))
    refuse("neurons", f"LIF(reset_by={bad!r})", lambda b=bad: LIF(reset_by=b), "reset_by", shown(bad))
refuse("neurons", "IF(reset='zero', reset_by=0.5)", lambda: IF(reset="zero", reset_by=0.5), "reset='subtract'", error="ValidationError")
accept("neurons", "LIF(reset_by=1.25)", lambda: check(LIF(reset_by=1.25).reset_amount == 1.25, "reset_amount"))
accept("neurons", "IF()", lambda: IF())
accept("neurons", "IF(reset=-0.5, refractory=2, single_spike=True)", lambda: IF(reset=-0.5, refractory=2.0, single_spike=True))
accept("neurons", "IF(reset='zero')", lambda: IF(reset="zero"))
accept("neurons", "IF(threshold=np.float32(2))", lambda: IF(threshold=np.float32(2.0)))
accept("neurons", "IF(threshold=2) (an int)", lambda: IF(threshold=2, bias=np.int64(0)))
accept("neurons", "IF(bias=-0.5)", lambda: IF(bias=-0.5))
accept("neurons", "LIF(tau=5, v_init=None)", lambda: LIF(tau=5.0))
accept("neurons", "LIF.from_beta(0.9)", lambda: LIF.from_beta(0.9))
accept("neurons", "LIF.from_beta(0.5, dt=0.5)", lambda: LIF.from_beta(0.5, dt=0.5))
accept("neurons", "CubaLIF()", lambda: CubaLIF())
accept("neurons", "CubaLIF(2, 4, reset='zero', i_init=0.5, i_bias=0.1)",
       lambda: CubaLIF(2.0, 4.0, reset="zero", i_init=0.5, i_bias=0.1))
accept("neurons", "CubaLIF.from_betas(0.8, 0.9, dt=1e-3)", lambda: CubaLIF.from_betas(0.8, 0.9, dt=1e-3))
accept("neurons", "Stochastic(1.0, 2.0, True)", lambda: Stochastic(1.0, 2.0, True))
accept("neurons", "Threshold(0.5)", lambda: Threshold(0.5))
accept("neurons", "Input()", lambda: Input())

# ============================================================================= network, synapses

refuse("network", "Network(neurons=None)", lambda: Network(None), "neurons", "None")
refuse("network", "Network(neurons='abc')", lambda: Network("abc"), "neurons")
refuse("network", "Network(neurons=[Input()])", lambda: Network([Input()]), "neurons")
refuse("network", "neuron name ''", lambda: Network({"": Input()}), "''")
refuse("network", "neuron name 5", lambda: Network({5: Input()}), "5")
refuse("network", "neuron model 'abc'", lambda: Network({"x": "abc"}), "'abc'")
refuse("network", "neuron model None", lambda: Network({"x": None}), "None")
refuse("network", "synapses=None", lambda: Network({"x": Input(), "y": IF()}, None), "synapses", "None")
refuse("network", "synapses='abc'", lambda: Network({"x": Input(), "y": IF()}, "abc"), "synapses", "'abc'")
refuse("network", "synapses=[('x', 'y')] (not Synapse)", lambda: Network({"x": Input(), "y": IF()}, [("x", "y")]), "synapses")
refuse("network", "synapses=[None]", lambda: Network({"x": Input(), "y": IF()}, [None]), "None")
refuse("network", "synapse from unknown 'q'", lambda: Network({"x": Input(), "y": IF()}, [Synapse("q", "y")]), "'q'")
refuse("network", "synapse to unknown 'q'", lambda: Network({"x": Input(), "y": IF()}, [Synapse("x", "q")]), "'q'")
refuse("network", "synapse into an Input", lambda: Network({"x": Input(), "y": IF()}, [Synapse("y", "x")]), "'x'")
for bad in [NAN, INF, True, "1"]:
    refuse("synapses", f"Synapse(weight={bad!r})", lambda b=bad: Network({"x": Input(), "y": IF()}, [Synapse("x", "y", weight=b)]), "weight", shown(bad))
for bad in [NAN, INF, -1.0, True, "1"]:
    refuse("synapses", f"Synapse(delay={bad!r})", lambda b=bad: Network({"x": Input(), "y": IF()}, [Synapse("x", "y", delay=b)]), "delay", shown(bad))
refuse("synapses", "Synapse(5, 'y')", lambda: Network({"x": Input(), "y": IF()}, [Synapse(5, "y")]), "5")
refuse("synapses", "delay 0.5 off the grid dt=1", lambda: Network({"x": Input(), "y": IF()}, [Synapse("x", "y", delay=0.5)]), "delay", "0.5")
refuse("synapses", "delay 10**6 + 0.0001 off the grid dt=1", lambda: Network({"x": Input(), "y": IF()}, [Synapse("x", "y", delay=10**6 + 0.0001)]), "delay", "1000000.0001")
refuse("synapses", "zero-delay self loop", lambda: Network({"x": Input(), "y": IF()}, [Synapse("x", "y"), Synapse("y", "y", delay=0.0)]), "y -> y")
refuse("synapses", "dict form: lengths differ", lambda: Network({"x": Input(), "y": IF()}, {"source": ["x", "x"], "target": ["y"], "weight": [1.0], "delay": [1.0]}), "column")
refuse("synapses", "dict form: source index -1", lambda: Network({"x": Input(), "y": IF()}, {"source": [-1], "target": [1], "weight": [1.0], "delay": [1.0]}), "source", "-1")
refuse("synapses", "dict form: target index 7 of 2 neurons", lambda: Network({"x": Input(), "y": IF()}, {"source": [0], "target": [7], "weight": [1.0], "delay": [1.0]}), "target", "7")
refuse("synapses", "dict form: weight NaN", lambda: Network({"x": Input(), "y": IF()}, {"source": ["x"], "target": ["y"], "weight": [NAN], "delay": [1.0]}), "weight", "nan")
accept("synapses", "dict form: 'delay' left out (default 1)", lambda: Network({"x": Input(), "y": IF()}, {"source": ["x"], "target": ["y"], "weight": [1.0]}))
refuse("synapses", "dict form: source 0.5", lambda: Network({"x": Input(), "y": IF()}, {"source": [0.5], "target": [1], "weight": [1.0], "delay": [1.0]}), "source", "0.5")
refuse("synapses", "SynapseTable(source=[-1])", lambda: Network({"x": Input(), "y": IF()}, SynapseTable(np.array([-1]), np.array([1]), np.array([1.0]), np.array([1.0]))), "source", "-1")
refuse("synapses", "SynapseTable(target=[9])", lambda: Network({"x": Input(), "y": IF()}, SynapseTable(np.array([0]), np.array([9]), np.array([1.0]), np.array([1.0]))), "target", "9")
refuse("synapses", "SynapseTable ragged", lambda: SynapseTable(np.array([0, 0]), np.array([1]), np.array([1.0]), np.array([1.0])), "target")
refuse("synapses", "SynapseTable(weight=['a'])", lambda: SynapseTable(np.array([0]), np.array([1]), np.array(["a"]), np.array([1.0])), "weight")
for bad in [0.0, -1.0, NAN, INF, True, "1"]:
    refuse("network", f"Network(dt={bad!r})", lambda b=bad: net(dt=b), "dt", shown(bad))
refuse("network", "outputs={'q'} unknown", lambda: Network({"x": Input(), "y": IF()}, [], outputs={"q"}), "'q'")
refuse("network", "outputs=None", lambda: Network({"x": Input(), "y": IF()}, [], outputs=None), "outputs", "None")
refuse("network", "outputs='yz' (one name, not its letters)", lambda: Network({"x": Input(), "y": IF(), "z": IF()}, [], outputs="yz"), "'yz'")
accept("network", "outputs='y' (one name)", lambda: check(Network({"x": Input(), "y": IF()}, [], outputs="y").outputs == {"y"}, "outputs"))
refuse("network", "outputs=[5]", lambda: Network({"x": Input(), "y": IF()}, [], outputs=[5]), "5")
refuse("network", "index('q')", lambda: net().index("q"), "'q'")
refuse("network", "LIF in a continuous network with Stochastic (mixed clocks)", lambda: Network({"x": Input(), "s": Stochastic()}, [Synapse("x", "s")], dt=None), "'s'")
accept("network", "x -> y, dt=1", lambda: net())
accept("network", "continuous dt=None", lambda: net(dt=None))
accept("network", "dt=0.5, delay 1.5", lambda: Network({"x": Input(), "y": IF()}, [Synapse("x", "y", delay=1.5)], dt=0.5))
accept("network", "zero delay", lambda: Network({"x": Input(), "y": IF()}, [Synapse("x", "y", delay=0.0)]))
accept("network", "no synapses, no outputs", lambda: Network({"x": Input()}))
accept("network", "dict form by names", lambda: Network({"x": Input(), "y": IF()}, {"source": ["x"], "target": ["y"], "weight": [1.0], "delay": [1.0]}))
accept("network", "dict form by indices", lambda: Network({"x": Input(), "y": IF()}, {"source": np.array([0]), "target": np.array([1]), "weight": np.array([1.0]), "delay": np.array([1.0])}))
accept("network", "delay-1 cycle", lambda: cycle())
accept("network", "outputs as a list", lambda: Network({"x": Input(), "y": IF()}, [], outputs=["y"]))
accept("network", "index('y') == 1", lambda: check(net().index("y") == 1, "index"))
accept("network", "Network.grid", lambda: net().grid)
accept("synapses", "Synapse(weight=np.float64(0.5))", lambda: Network({"x": Input(), "y": IF()}, [Synapse("x", "y", np.float64(0.5))]))

# ============================================================================= composition

refuse("composition", "compose('a', net)", lambda: evsim.compose("a", net()), "'a'")
refuse("composition", "compose(net, None)", lambda: evsim.compose(net(), None), "None")
refuse("composition", "compose of different dt", lambda: evsim.compose(net(), Network({"y": Input(), "z": IF()}, [Synapse("y", "z", 1.0, 0.5)], dt=0.5)), "dt")
refuse("composition", "compose: two different models for 'y'", lambda: evsim.compose(net(), Network({"x": Input(), "y": IF(threshold=2.0)}, [], outputs={"y"})), "'y'")
refuse("composition", "hide(net, {'q'})", lambda: evsim.hide(net(), {"q"}), "'q'")
refuse("composition", "hide(net, {'x'}) an input", lambda: evsim.hide(net(), {"x"}), "'x'")
refuse("composition", "hide(net, None)", lambda: evsim.hide(net(), None), "None")
refuse("composition", "hide('abc', {'y'})", lambda: evsim.hide("abc", {"y"}), "'abc'")
refuse("composition", "hide(net, [5])", lambda: evsim.hide(net(), [5]), "5")
refuse("composition", "rename(net, {'q': 'z'})", lambda: evsim.rename(net(), {"q": "z"}), "'q'")
refuse("composition", "rename y -> x (collision)", lambda: evsim.rename(net(), {"y": "x"}), "'x'")
refuse("composition", "rename y -> ''", lambda: evsim.rename(net(), {"y": ""}), "''")
refuse("composition", "rename y -> 5", lambda: evsim.rename(net(), {"y": 5}), "5")
refuse("composition", "rename(net, None)", lambda: evsim.rename(net(), None), "None")
refuse("composition", "rename(net, ['y'])", lambda: evsim.rename(net(), ["y"]), "['y']")
refuse("composition", "rename('abc', {})", lambda: evsim.rename("abc", {}), "'abc'")
accept("composition", "compose(net, other)", lambda: evsim.compose(net(), other_net()))
accept("composition", "hide(net, {'y'})", lambda: evsim.hide(net(), {"y"}))
accept("composition", "rename(net, {'y': 'z'})", lambda: evsim.rename(net(), {"y": "z"}))
accept("composition", "rename(net, {}) identity", lambda: evsim.rename(net(), {}))

# ============================================================================= simulate, inputs, Analog

S = "simulate"
for bad in [[NAN], [INF], [0.0, NAN]]:
    refuse(S, f"inputs x: {bad!r}", lambda b=bad: simulate(net(), {"x": b}, until=5), "'x'", shown(bad[-1]))
refuse(S, "inputs x: [-1] (before now)", lambda: simulate(net(), {"x": [-1.0]}, until=5), "'x'", "-1.0", error="SchedulingError")
refuse(S, "inputs x: [1, 1] duplicate", lambda: simulate(net(), {"x": [1, 1]}, until=5), "'x'", "1.0")
refuse(S, "inputs x: 0.5 off the grid", lambda: simulate(net(), {"x": [0.5]}, until=5), "'x'", "0.5")
refuse(S, "inputs x: 'abc'", lambda: simulate(net(), {"x": "abc"}, until=5), "'x'", "'abc'")
refuse(S, "inputs x: None", lambda: simulate(net(), {"x": None}, until=5), "'x'", "None")
refuse(S, "inputs x: ragged [[0, 1], [2]]", lambda: simulate(net(), {"x": [[0, 1], [2]]}, until=5), "'x'")
refuse(S, "inputs x: [True, False]", lambda: simulate(net(), {"x": [True, False]}, until=5), "'x'")
refuse(S, "inputs x: [[0, 1]] (2-d)", lambda: simulate(net(), {"x": [[0, 1]]}, until=5), "'x'")
refuse(S, "inputs q: unknown", lambda: simulate(net(), {"q": [0]}, until=5), "'q'")
refuse(S, "inputs y: not an input", lambda: simulate(net(), {"y": [0]}, until=5), "'y'")
refuse(S, "inputs='abc'", lambda: simulate(net(), "abc", until=5), "inputs", "str")
refuse(S, "inputs=[0, 1]", lambda: simulate(net(), [0, 1], until=5), "inputs", "list")
refuse(S, "inputs {5: [0]}", lambda: simulate(net(), {5: [0]}, until=5), "5")
refuse(S, "old pair form (times, values)", lambda: simulate(net(), {"x": ([0.0, 1.0], [0.5, 0.5])}, until=5), "'x'", "Analog", needs=["evsim.Analog"])
for bad in [NAN, -1.0, "10", True, None]:
    refuse(S, f"until={bad!r}", lambda b=bad: simulate(net(), {"x": [0]}, until=b), "until", shown(bad))
refuse(S, "until=inf, bias reaches threshold", lambda: simulate(self_driven(), {}, until=INF), "until", "inf")
refuse(S, "until=inf, continuous bias reaches threshold", lambda: simulate(self_driven(dt=None), {}, until=INF), "until", "inf")
refuse(S, "until=inf, a cycle", lambda: simulate(cycle(), {"x": [0]}, until=INF), "until", "inf")
for bad in BAD_SEEDS + [True]:
    refuse(S, f"rng={bad!r}", lambda b=bad: simulate(net(), {"x": [0]}, until=5, rng=b), "rng", shown(bad))
refuse(S, "probes=['q']", lambda: simulate(net(), {"x": [0]}, until=5, probes=["q"]), "'q'")
accept(S, "probes='y' (one name)", lambda: check("y" in simulate(net(), {"x": [0]}, until=5, probes="y").potentials, "probes"))
refuse(S, "probes=None", lambda: simulate(net(), {"x": [0]}, until=5, probes=None), "probes", "None")
refuse(S, "trace='yes'", lambda: simulate(net(), {"x": [0]}, until=5, trace="yes"), "trace", "'yes'")
refuse(S, "net='abc'", lambda: simulate("abc", {}, until=5), "'abc'")
refuse(S, "net=None", lambda: simulate(None, {}, until=5), "None")
A = "inputs"
refuse(A, "Analog lengths differ", lambda: simulate(net(), {"x": evsim.Analog([0, 1], [0.5])}, until=5), "'x'", needs=["evsim.Analog"])
refuse(A, "Analog value NaN", lambda: simulate(net(), {"x": evsim.Analog([0], [NAN])}, until=5), "'x'", "nan", needs=["evsim.Analog"])
refuse(A, "Analog value inf", lambda: simulate(net(), {"x": evsim.Analog([0], [INF])}, until=5), "'x'", "inf", needs=["evsim.Analog"])
refuse(A, "Analog time NaN", lambda: simulate(net(), {"x": evsim.Analog([NAN], [1.0])}, until=5), "'x'", "nan", needs=["evsim.Analog"])
refuse(A, "Analog values 'ab'", lambda: simulate(net(), {"x": evsim.Analog([0, 1], "ab")}, until=5), "'x'", needs=["evsim.Analog"])
refuse(A, "Analog times None", lambda: simulate(net(), {"x": evsim.Analog(None, [1.0])}, until=5), "'x'", needs=["evsim.Analog"])
refuse(A, "Analog duplicate time", lambda: simulate(net(), {"x": evsim.Analog([1, 1], [0.5, 0.5])}, until=5), "'x'", needs=["evsim.Analog"])
refuse(A, "Analog value True", lambda: simulate(net(), {"x": evsim.Analog([0], [True])}, until=5), "'x'", needs=["evsim.Analog"])
accept(S, "{'x': (0, 1)} is two spikes", lambda: check(simulate(net(), {"x": (0, 1)}, until=5).counts()["x"] == 2, "two spikes"))
accept(S, "{'x': [0, 1, 2]}", lambda: check(simulate(net(), {"x": [0, 1, 2]}, until=5).trains()["y"].tolist() == [2.0], "y fires at 2"))
accept(S, "{'x': 3} one number", lambda: simulate(net(), {"x": 3}, until=5))
accept(S, "{'x': np.array([2, 0, 1])} unsorted: a set of spike times", lambda: check(simulate(net(), {"x": np.array([2, 0, 1])}, until=5).counts()["x"] == 3, "three spikes"))
accept(S, "{'x': []} no spikes", lambda: simulate(net(), {"x": []}, until=5))
accept(S, "inputs=None", lambda: simulate(net(), None, until=5))
accept(S, "until=0", lambda: simulate(net(), {}, until=0))
accept(S, "until=np.int64(5)", lambda: simulate(net(), {"x": [0]}, until=np.int64(5)))
accept(S, "until=inf, quiet network", lambda: simulate(net(), {"x": [0, 1, 2]}, until=INF))
accept(S, "continuous, inputs at 0.1", lambda: simulate(net(dt=None), {"x": [0.1, 0.35]}, until=5))
accept(S, "rng=np.random.default_rng(0)", lambda: simulate(gate(), {"x1": [0]}, until=5, rng=np.random.default_rng(0)))
accept(S, "rng=0", lambda: simulate(gate(), {"x1": [0]}, until=5, rng=0))
accept(S, "probes, trace", lambda: simulate(net(), {"x": [0]}, until=5, probes=["y"], trace=True))
accept(S, "IF(bias=1e-7) until 2e7 (no hang)", lambda: check(simulate(net(bias=1e-7), {}, until=2e7).counts()["y"] == 1, "one spike"))
accept(S, "LIF(tau=1e20, bias=0.01) continuous (no hang)", lambda: simulate(Network({"y": LIF(tau=1e20, bias=0.01)}, [], outputs={"y"}, dt=None), {}, until=1000))
accept(S, "LIF(tau=1e16, bias=0.1, reset='zero') first fires at 10", lambda: check(abs(simulate(Network({"y": LIF(tau=1e16, bias=0.1, reset="zero")}, [], outputs={"y"}, dt=None), {}, until=10.5).trains()["y"][0] - 10.0) < 1e-9, "first spike at 10"))
accept(S, "dt=0.3, until=8.4 half-open", lambda: check(8.4 not in simulate(Network({"y": IF(bias=0.3 + 1e-12)}, [], outputs={"y"}, dt=0.3), {}, until=8.4).trains()["y"].tolist(), "no spike at until"))
accept(A, "Analog([0, 2], [0.5, -1])", lambda: simulate(net(), {"x": evsim.Analog([0, 2], [0.5, -1.0])}, until=5), needs=["evsim.Analog"])
accept(A, "Analog(np arrays)", lambda: simulate(net(), {"x": evsim.Analog(np.array([1.0]), np.array([2.0]))}, until=5), needs=["evsim.Analog"])

# ============================================================================= Simulator

M = "simulator"
refuse(M, "Simulator('abc')", lambda: evsim.Simulator("abc"), "'abc'")
for bad in BAD_SEEDS:
    refuse(M, f"Simulator(rng={bad!r})", lambda b=bad: evsim.Simulator(net(), rng=b), "rng", shown(bad))
refuse(M, "Simulator(probes=['q'])", lambda: evsim.Simulator(net(), probes=["q"]), "'q'")
refuse(M, "Simulator(trace=1)", lambda: evsim.Simulator(net(), trace=1), "trace", "1")


def _ran(until=5.0) -> evsim.Simulator:
    sim = evsim.Simulator(net())
    sim.feed({"x": [0, 1]})
    sim.run(until)
    return sim


for bad in [NAN, "5", None, True]:
    refuse(M, f"run({bad!r})", lambda b=bad: evsim.Simulator(net()).run(b), "until", shown(bad))
refuse(M, "run(3) after run(5)", lambda: _ran().run(3), "3", error="SchedulingError")
refuse(M, "feed past time after run(5)", lambda: _ran().feed({"x": [1]}), "'x'", "1", error="SchedulingError")
refuse(M, "feed({'x': [nan]})", lambda: evsim.Simulator(net()).feed({"x": [NAN]}), "'x'", "nan")
refuse(M, "feed('abc')", lambda: evsim.Simulator(net()).feed("abc"), "inputs")
refuse(M, "feed({'q': [0]})", lambda: evsim.Simulator(net()).feed({"q": [0]}), "'q'")
refuse(M, "run(inf), self-driven", lambda: evsim.Simulator(self_driven()).run(INF), "until", "inf")
refuse(M, "step() with nothing to do", lambda: evsim.Simulator(net()).step(), error="EmptySchedule")
accept(M, "feed, run, record", lambda: _ran().record.trains())
accept(M, "feed, step", lambda: _step())
accept(M, "peek on an empty simulator", lambda: evsim.Simulator(net()).peek())
accept(M, "run twice equals once", lambda: _twice())
accept(M, "now", lambda: check(_ran().now == 5.0, "now"))


def _step():
    sim = evsim.Simulator(net())
    sim.feed({"x": [0]})
    return sim.step()


def _twice():
    sim = evsim.Simulator(net())
    sim.feed({"x": [0, 1]})
    sim.run(2)
    sim.run(5)
    return sim.record


# ============================================================================= Scheduler

C = "scheduler"


def _scheduled() -> evsim.Scheduler:
    s = evsim.Scheduler()
    s.schedule(1.0, "a", event_id="e")
    return s


refuse(C, "schedule(nan)", lambda: evsim.Scheduler().schedule(NAN), "nan")
refuse(C, "schedule(-1) before origin", lambda: evsim.Scheduler().schedule(-1.0), "-1.0", error="SchedulingError")
refuse(C, "schedule('a') not comparable", lambda: evsim.Scheduler().schedule("a"), "'a'")
refuse(C, "schedule(None)", lambda: evsim.Scheduler().schedule(None), "None")
refuse(C, "schedule(rank='a')", lambda: evsim.Scheduler().schedule(1.0, rank="a"), "rank", "'a'")
refuse(C, "schedule(phase=1.5)", lambda: evsim.Scheduler().schedule(1.0, phase=1.5), "phase", "1.5")
refuse(C, "schedule twice with one id", lambda: _scheduled().schedule(2.0, event_id="e"), "'e'")
refuse(C, "reschedule unknown id", lambda: evsim.Scheduler().reschedule("q", 1.0), "'q'", error="SchedulingError")
refuse(C, "reschedule to nan", lambda: _scheduled().reschedule("e", NAN), "nan")
refuse(C, "cancel unknown id", lambda: evsim.Scheduler().cancel("q"), "'q'", error="SchedulingError")
refuse(C, "time_of unknown id", lambda: evsim.Scheduler().time_of("q"), "'q'")
refuse(C, "pop() empty", lambda: evsim.Scheduler().pop(), error="EmptySchedule")
refuse(C, "pop_before(nan)", lambda: _scheduled().pop_before(NAN), "nan")
refuse(C, "Scheduler(origin=nan)", lambda: evsim.Scheduler(origin=NAN), "origin", "nan")
accept(C, "schedule, pop", lambda: check(_scheduled().pop().payload == "a", "payload"))
accept(C, "tuple times", lambda: evsim.Scheduler(origin=(0.0, 0.0)).schedule((1.0, 0.5)))
accept(C, "pop_before(2)", lambda: check(len(_scheduled().pop_before(2.0)) == 1, "one event"))
accept(C, "schedule(inf)", lambda: evsim.Scheduler().schedule(INF))

# ============================================================================= limits

L = "limits"


def _within(**changes):
    with evsim.limits(**changes):
        return True


for bad in [0, -1, 1.5, "1G", True, None]:
    refuse(L, f"limits(memory={bad!r})", lambda b=bad: _within(memory=b), "memory", shown(bad), needs=["evsim.limits"])
refuse(L, "limits(speed=1)", lambda: _within(speed=1), "speed", needs=["evsim.limits"])
refuse(L, "limits(file_bytes=0)", lambda: _within(file_bytes=0), "file_bytes", "0", needs=["evsim.limits"])
accept(L, "limits(memory=2**31)", lambda: _within(memory=2**31), needs=["evsim.limits"])
accept(L, "limits(file_bytes=2**20, memory=2**20)", lambda: _within(file_bytes=2**20, memory=2**20), needs=["evsim.limits"])

# ============================================================================= record

R = "record"
refuse(R, "potential sample([nan])", lambda: record().potentials["y"].sample([NAN]), "nan")
refuse(R, "potential sample('abc')", lambda: record().potentials["y"].sample("abc"), "'abc'")
refuse(R, "potential sample(None)", lambda: record().potentials["y"].sample(None), "None")
accept(R, "trains, counts", lambda: (record().trains(), record().counts()))
accept(R, "potential sample([0, 2.5])", lambda: record().potentials["y"].sample([0.0, 2.5]))

# ============================================================================= behavior

B = "behavior"
for bad in [-1, 1.5, True, "3", None, NAN]:
    refuse(B, f"exact(horizon={bad!r})", lambda b=bad: behavior.exact(gate(), {}, b), "horizon", shown(bad))
refuse(B, "exact(horizon=10**9)", lambda: behavior.exact(gate(), {}, 10**9), "horizon", error="LimitError")
refuse(B, "exact(horizon=60).table", lambda: behavior.exact(gate(), {}, 60).table, "horizon")
refuse(B, "exact(inputs round -1)", lambda: behavior.exact(gate(), {"x1": [-1]}, 2), "'x1'", "-1")
refuse(B, "exact(inputs round True)", lambda: behavior.exact(gate(), {"x1": [True]}, 2), "'x1'", "True")
refuse(B, "exact(inputs round nan)", lambda: behavior.exact(gate(), {"x1": [NAN]}, 2), "'x1'", "nan")
refuse(B, "exact(inputs 'abc')", lambda: behavior.exact(gate(), "abc", 2), "inputs")
refuse(B, "exact(inputs {'x1': None})", lambda: behavior.exact(gate(), {"x1": None}, 2), "'x1'", "None")
refuse(B, "exact(net='abc')", lambda: behavior.exact("abc", {}, 2), "'abc'")
refuse(B, "exact(net=None)", lambda: behavior.exact(None, {}, 2), "None")
refuse(B, "exact(free={'q'})", lambda: behavior.exact(gate(), {}, 2, free={"q"}), "'q'")
accept(B, "exact(free='x1') one name", lambda: behavior.exact(gate(), {}, 2, free="x1"))
refuse(B, "exact(free=None)", lambda: behavior.exact(gate(), {}, 2, free=None), "free", "None")
for bad in [-1, 1.5, True, "10"]:
    refuse(B, f"estimate(samples={bad!r})", lambda b=bad: behavior.estimate(gate(), {}, 2, samples=b), "samples", shown(bad))
refuse(B, "estimate(samples=10**15)", lambda: behavior.estimate(gate(), {}, 2, samples=10**15), "samples", error="LimitError")
refuse(B, "estimate(horizon=10**9)", lambda: behavior.estimate(gate(), {}, 10**9, samples=2), "horizon", error="LimitError")
for bad in [0, -1, 2.5]:
    refuse(B, f"estimate(horizon={bad!r})", lambda b=bad: behavior.estimate(gate(), {}, b, samples=10), "horizon", shown(bad))
for bad in BAD_SEEDS:
    refuse(B, f"estimate(rng={bad!r})", lambda b=bad: behavior.estimate(gate(), {}, 2, samples=10, rng=b), "rng", shown(bad))
refuse(B, "estimate(progress='yes')", lambda: behavior.estimate(gate(), {}, 2, samples=10, progress="yes"), "progress", "'yes'")
refuse(B, "estimate(net=IF network)", lambda: behavior.estimate(net(), {}, 2, samples=10), "'y'")
refuse(B, "probability(values 2)", lambda: table().probability({"y": [0, 2]}), "'y'", "2")
refuse(B, "probability(values nan)", lambda: table().probability({"y": [0, NAN]}), "'y'", "nan")
refuse(B, "probability('abc')", lambda: table().probability("abc"), "outputs")
refuse(B, "probability(inputs unknown)", lambda: table().probability({"y": [0, 1]}, {"q": [0]}), "'q'")
for bad in [-1, 10**9, "a", 1.5]:
    refuse(B, f"sequence({bad!r})", lambda b=bad: table().sequence(b), "code", shown(bad))
for bad in [0, -1, 5, 1.5]:
    refuse(B, f"truncate({bad!r})", lambda b=bad: table().truncate(b), "horizon", shown(bad))
refuse(B, "given_inputs({'q': [0]})", lambda: free_table().given_inputs({"q": [0]}), "'q'")
accept(B, "execution_code({'x': [7]}): rounds past the horizon cannot act, and are ignored as documented", lambda: free_table().execution_code({"x": [7]}))
refuse(B, "compose(b, 'abc')", lambda: behavior.compose(free_table(), "abc"), "'abc'")
refuse(B, "compose(None, b)", lambda: behavior.compose(None, free_table()), "None")
refuse(B, "hide(b, {'q'})", lambda: behavior.hide(free_table(), {"q"}), "'q'")
refuse(B, "hide(b, None)", lambda: behavior.hide(free_table(), None), "None")
refuse(B, "distance(b, 'abc')", lambda: behavior.distance(free_table(), "abc"), "'abc'")
for bad in [0, -1, 1.5, True]:
    refuse(B, f"Problem(horizon={bad!r})", lambda b=bad: problem(horizon=b), "horizon", shown(bad))
for bad in [NAN, True, -0.1, "0.5"]:
    refuse(B, f"Problem(at_least={bad!r})", lambda b=bad: problem(at_least=b), "at_least", shown(bad))
refuse(B, "Problem(event='abc')", lambda: problem(event="abc"), "event", "'abc'")
refuse(B, "Problem(executions=None)", lambda: problem(executions=None), "executions", "None")
refuse(B, "Problem(executions=['abc'])", lambda: problem(executions=["abc"]), "'abc'")
refuse(B, "solves('abc', problem)", lambda: behavior.solves("abc", problem()), "'abc'")
refuse(B, "solves(net, 'abc')", lambda: behavior.solves(gate(), "abc"), "problem", "'abc'")
refuse(B, "solves(method='estimate', samples=0)", lambda: behavior.solves(gate(), problem(), method="estimate", samples=0), "samples", "0")
refuse(B, "solves(method='estimate', rng='abc')", lambda: behavior.solves(gate(), problem(), method="estimate", samples=10, rng="abc"), "rng", "'abc'")
refuse(B, "solves(problem with input 'q')", lambda: behavior.solves(gate(), problem(executions=[{"q": [0]}])), "'q'")
accept(B, "exact(and, x1 x2 at 0, 2)", lambda: check(0.99 < table().probability({"y": [0, 1]}) < 1, "sigma(w / 2)"))
accept(B, "exact(horizon=np.int64(2))", lambda: behavior.exact(gate(), {}, np.int64(2)))
accept(B, "exact(free={'x1'})", lambda: behavior.exact(gate(), {}, 2, free={"x1"}))
accept(B, "exact(inputs=None)", lambda: behavior.exact(gate(), None, 2))
accept(B, "estimate(samples=50, rng=0)", lambda: behavior.estimate(gate(), {}, 2, samples=50, rng=0))
accept(B, "probability with inputs", lambda: free_table().probability({"y": [0, 0, 1]}, {"x": [1, 0, 0]}))
accept(B, "sequence(0)", lambda: table().sequence(0))
accept(B, "truncate(1)", lambda: table().truncate(1))
accept(B, "hide(b, 'y') one name", lambda: behavior.hide(behavior.exact(library.xor_circuit(), {}, 3, free={"x1", "x2"}), "y"))
accept(B, "distance(b, b) == 0", lambda: check(behavior.distance(free_table(), free_table()) == 0, "zero"))
accept(B, "compose(copy x->y, copy y->z)", lambda: behavior.compose(free_table(), behavior.exact(library.copy_gate("y", "z"), {}, 3, free={"y"})))
accept(B, "solves(and, problem)", lambda: behavior.solves(gate(), problem()))
accept(B, "solves(estimate)", lambda: behavior.solves(gate(), problem(), method="estimate", samples=50, rng=0))

# ============================================================================= encoding

E = "encoding"
x2 = np.array([0.5, 0.25])
for bad in [0, -1, True, 1.5, "4", None]:
    refuse(E, f"rate(steps={bad!r})", lambda b=bad: encoding.rate(x2, b), "steps", shown(bad))
    refuse(E, f"ttfs(steps={bad!r})", lambda b=bad: encoding.ttfs(x2, b), "steps", shown(bad))
    refuse(E, f"hybrid(steps={bad!r})", lambda b=bad: encoding.hybrid(x2, b), "steps", shown(bad))
refuse(E, "rate(steps=10**12)", lambda: encoding.rate(x2, HUGE), "steps", error="LimitError")
refuse(E, "rate(method='guess')", lambda: encoding.rate(x2, 4, method="guess"), "method", "'guess'")
for param in ("gain", "offset"):
    for bad in [NAN, INF, True, "1"]:
        refuse(E, f"rate({param}={bad!r})", lambda p=param, b=bad: encoding.rate(x2, 4, **{p: b}), param, shown(bad))
for bad in [NAN, -1.0, True]:
    refuse(E, f"rate(max_rate={bad!r})", lambda b=bad: encoding.rate(x2, 4, max_rate=b), "max_rate", shown(bad))
for bad in [0.0, -1.0, NAN, INF, True]:
    refuse(E, f"rate(dt={bad!r})", lambda b=bad: encoding.rate(x2, 4, dt=b), "dt", shown(bad))
    refuse(E, f"ttfs(dt={bad!r})", lambda b=bad: encoding.ttfs(x2, 4, dt=b), "dt", shown(bad))
for bad in BAD_SEEDS:
    refuse(E, f"rate(rng={bad!r})", lambda b=bad: encoding.rate(x2, 4, rng=b), "rng", shown(bad))
refuse(E, "rate(clip='no')", lambda: encoding.rate(x2, 4, clip="no"), "clip", "'no'")
refuse(E, "rate(x=[nan])", lambda: encoding.rate(np.array([NAN]), 4), "nan")
accept(E, "rate(x=[inf], clip=True): clipped to 1 as asked", lambda: check(encoding.rate(np.array([INF]), 4, clip=True).counts().tolist() == [4], "counts"))
refuse(E, "rate(x=['a'])", lambda: encoding.rate(["a"], 4), "x")
refuse(E, "rate(x=ragged)", lambda: encoding.rate([[0.1], [0.1, 0.2]], 4), "x")
refuse(E, "rate(x=None)", lambda: encoding.rate(None, 4), "x", "None")
refuse(E, "rate(x=[1.5]) without clip", lambda: encoding.rate(np.array([1.5]), 4), "1.5")
refuse(E, "rate(x=[True])", lambda: encoding.rate(np.array([True]), 4), "x")
refuse(E, "ttfs(code='guess')", lambda: encoding.ttfs(x2, 4, code="guess"), "code", "'guess'")
for bad in [0.0, -1.0, NAN]:
    refuse(E, f"ttfs(code='log', tau={bad!r})", lambda b=bad: encoding.ttfs(x2, 4, code="log", threshold=0.1, tau=b), "tau", shown(bad))
refuse(E, "ttfs(threshold=nan)", lambda: encoding.ttfs(x2, 4, threshold=NAN), "threshold", "nan")
refuse(E, "ttfs(continuous='no')", lambda: encoding.ttfs(x2, 4, continuous="no"), "continuous", "'no'")
refuse(E, "ttfs(fire_last=1)", lambda: encoding.ttfs(x2, 4, fire_last=1), "fire_last", "1")
refuse(E, "ttfs(x=[nan])", lambda: encoding.ttfs(np.array([NAN]), 4), "nan")
refuse(E, "hybrid(threshold=nan)", lambda: encoding.hybrid(x2, 4, threshold=NAN), "threshold", "nan")
refuse(E, "hybrid(dt=0)", lambda: encoding.hybrid(x2, 4, dt=0.0), "dt", "0.0")
refuse(E, "hybrid(x=[nan])", lambda: encoding.hybrid(np.array([NAN]), 4), "nan")
refuse(E, "compensate(gain=nan)", lambda: encoding.compensate(code(), x2, gain=NAN), "gain", "nan")
refuse(E, "compensate(x wrong shape)", lambda: encoding.compensate(code(), np.array([0.5, 0.2, 0.1])), "x")
refuse(E, "compensate('abc', x)", lambda: encoding.compensate("abc", x2), "'abc'")
refuse(E, "decode_rate(gain=nan)", lambda: encoding.decode_rate(code(), gain=NAN), "gain", "nan")
refuse(E, "decode_rate(gain=0)", lambda: encoding.decode_rate(code(), gain=0.0), "gain", "0.0")
refuse(E, "decode_rate('abc')", lambda: encoding.decode_rate("abc"), "'abc'")
refuse(E, "decode_ttfs(kind='guess')", lambda: encoding.decode_ttfs(ttfs_code(), kind="guess"), "kind", "'guess'")
refuse(E, "decode_ttfs(kind='log', tau=0)", lambda: encoding.decode_ttfs(ttfs_code(), kind="log", threshold=0.1, tau=0.0), "tau", "0.0")
refuse(E, "decode_ttfs(silent=nan)", lambda: encoding.decode_ttfs(ttfs_code(), silent=NAN), "silent", "nan")
refuse(E, "decode_hybrid(None)", lambda: encoding.decode_hybrid(None), "None")
refuse(E, "first_spike_times('abc')", lambda: encoding.first_spike_times("abc"), "'abc'")
refuse(E, "analog_events(None)", lambda: encoding.analog_events(None), "None")
refuse(E, "decode_potential(names=['q'])", lambda: encoding.decode_potential(record(), ["q"], 3.0), "'q'")
refuse(E, "decode_potential(at=nan)", lambda: encoding.decode_potential(record(), ["y"], NAN), "at", "nan")
refuse(E, "decode_potential of an unprobed neuron", lambda: encoding.decode_potential(plain_record(), ["y"], 3.0), "'y'")
for bad in [-1, 1.5, True, "3"]:
    refuse(E, f"input_names({bad!r})", lambda b=bad: encoding.input_names(b), "size", shown(bad))
refuse(E, "input_names(3, prefix=5)", lambda: encoding.input_names(3, prefix=5), "prefix", "5")
refuse(E, "to_inputs(names=['a', 'a'])", lambda: encoding.to_inputs(code(), ["a", "a"]), "names", "'a'")
refuse(E, "to_inputs(names=['a'] for 2)", lambda: encoding.to_inputs(code(), ["a"]), "names")
refuse(E, "to_inputs(names=[1, 2])", lambda: encoding.to_inputs(code(), [1, 2]), "names", "1")
refuse(E, "to_inputs(names='ab')", lambda: encoding.to_inputs(code(), "ab"), "names", "'ab'")
refuse(E, "to_inputs(names=lambda i: 'a') duplicates", lambda: encoding.to_inputs(code(), lambda i: "a"), "names", "'a'")
refuse(E, "to_inputs('abc')", lambda: encoding.to_inputs("abc"), "'abc'")
refuse(E, "SpikeCode.from_array([nan])", lambda: encoding.SpikeCode.from_array(np.array([[NAN, 1.0]])), "nan")
refuse(E, "SpikeCode.from_array(dt=0)", lambda: encoding.SpikeCode.from_array(np.zeros((4, 2)), dt=0.0), "dt", "0.0")
refuse(E, "SpikeCode.from_array('abc')", lambda: encoding.SpikeCode.from_array("abc"), "array")
refuse(E, "SpikeCode.from_inputs(steps=0)", lambda: encoding.SpikeCode.from_inputs({"a": [0.0]}, ["a"], (1,), 0), "steps", "0")
refuse(E, "SpikeCode.from_inputs(shape mismatch)", lambda: encoding.SpikeCode.from_inputs({"a": [0.0]}, ["a"], (3,), 4), "shape")
refuse(E, "SpikeCode.from_inputs(unknown name)", lambda: encoding.SpikeCode.from_inputs({"q": [0.0]}, ["a"], (1,), 4), "'q'")
accept(E, "rate(bernoulli, rng=0)", lambda: encoding.rate(x2, 4, rng=0))
accept(E, "rate(poisson)", lambda: encoding.rate(x2, 4, method="poisson", rng=0))
accept(E, "rate(regular) counts", lambda: check(encoding.rate(np.array([0.25, 1.0]), 4, method="regular").counts().tolist() == [1, 4], "counts"))
accept(E, "rate(x 2-d, clip=True, gain 2)", lambda: encoding.rate(np.array([[0.5, 1.5]]), 4, gain=2.0, clip=True, rng=0))
accept(E, "rate(x as a list)", lambda: encoding.rate([0.5, 0.25], 4, rng=0))
accept(E, "rate(steps=np.int64(4))", lambda: encoding.rate(x2, np.int64(4), rng=0))
refuse(E, "rate(max_rate=0.5) without method='poisson' (it would be ignored)", lambda: encoding.rate(x2, 4, max_rate=0.5, rng=0), "max_rate", "0.5")
accept(E, "rate(poisson, max_rate=0.5)", lambda: encoding.rate(x2, 4, method="poisson", max_rate=0.5, rng=0))
accept(E, "ttfs(log)", lambda: encoding.ttfs(x2, 4, code="log", threshold=0.1))
accept(E, "ttfs(continuous, fire_last)", lambda: encoding.ttfs(x2, 4, continuous=True, fire_last=True))
accept(E, "hybrid", lambda: encoding.hybrid(x2, 4))
accept(E, "compensate", lambda: encoding.compensate(code(), x2))
accept(E, "decoders", lambda: (encoding.decode_rate(code()), encoding.decode_ttfs(ttfs_code()),
                                encoding.decode_hybrid(encoding.hybrid(x2, 4)), encoding.first_spike_times(ttfs_code()),
                                encoding.analog_events(encoding.hybrid(x2, 4))))
accept(E, "decode_potential", lambda: encoding.decode_potential(record(), ["y"], 3.0))
accept(E, "input_names(3)", lambda: check(encoding.input_names(3) == ["x0", "x1", "x2"], "names"))
accept(E, "input_names(0)", lambda: encoding.input_names(0))
accept(E, "to_inputs(names)", lambda: encoding.to_inputs(code(), ["a", "b"]))
accept(E, "to_inputs(callable)", lambda: encoding.to_inputs(code(), lambda i: f"n{i}"))
accept(E, "from_array", lambda: encoding.SpikeCode.from_array(np.zeros((4, 2))))
accept(E, "from_inputs", lambda: encoding.SpikeCode.from_inputs({"a": [0.0, 2.0]}, ["a"], (1,), 4))

# ============================================================================= io (save, load)

I = "io"
refuse(I, "save to a missing directory", lambda: io.save(net(), tmp() / "no" / "such" / "a.npz"), "path", "no/such", error="ValidationError")
refuse(I, "save to a directory", lambda: io.save(net(), _folder("adir")), "path")
refuse(I, "save(path=123)", lambda: io.save(net(), 123), "path", "123")
refuse(I, "save(path=None)", lambda: io.save(net(), None), "path", "None")
refuse(I, "save(path='')", lambda: io.save(net(), ""), "path", "''")
refuse(I, "save('abc', path)", lambda: io.save("abc", tmp() / "s.npz"), "'abc'")
refuse(I, "save(None, path)", lambda: io.save(None, tmp() / "s.npz"), "None")
refuse(I, "save(behavior table, path)", lambda: io.save(table(), tmp() / "s.npz"), "Behavior")
refuse(I, "load(missing)", lambda: io.load(tmp() / "missing.npz"), "missing.npz", error="ValidationError")
refuse(I, "load(directory)", lambda: io.load(tmp()), "path")
refuse(I, "load(text file)", lambda: io.load(a_file("text.npz", b"hello")), "text.npz", error="ValidationError")
refuse(I, "load(empty file)", lambda: io.load(a_file("empty.npz", b"")), "empty.npz", error="ValidationError")
refuse(I, "load(.npy file)", lambda: io.load(_npy()), "a.npy", error="ValidationError")
refuse(I, "load(123)", lambda: io.load(123), "path", "123")
refuse(I, "load(None)", lambda: io.load(None), "path", "None")
accept(I, "save, load a Network", lambda: check(io.load(io.save(net(), tmp() / "n.npz")) == net(), "round trip"))
accept(I, "save, load a continuous Network", lambda: io.load(io.save(net(dt=None), tmp() / "c.npz")))
accept(I, "save, load a SpikingNet", lambda: io.load(io.save(snn(), tmp() / "s.npz")))
accept(I, "save to a str path", lambda: io.save(net(), str(tmp() / "str.npz")))


def _folder(name: str) -> Path:
    path = tmp() / name
    path.mkdir(exist_ok=True)
    return path


def _npy() -> str:
    path = tmp() / "a.npy"
    np.save(path, np.arange(3))
    return str(path)


# ============================================================================= NEST (refused before NEST is imported)

E = "nest"


def nest_net(dt=None, delay=0.5, **lif) -> Network:
    """x (input) -> y (LIF, hard reset, refractory 0.5), continuous: what NEST runs exactly."""
    return Network({"x": Input(), "y": LIF(**{"tau": 10.0, "reset": 0.0, "refractory": 0.5, **lif})},
                   [Synapse("x", "y", 1.0, delay)], outputs={"y"}, dt=dt)


def nest_plan(*args, **kwargs):
    import evsim.nest

    return evsim.nest.nest_plan(*args, **kwargs)


def to_nest(*args, **kwargs):
    import evsim.nest

    return evsim.nest.to_nest(*args, **kwargs)


refuse(E, "simulate(engine='NEST')", lambda: simulate(net(), {"x": [0]}, until=5, engine="NEST"), "engine", "'NEST'", needs=["evsim.nest.to_nest"])
refuse(E, "simulate(engine=None)", lambda: simulate(net(), {"x": [0]}, until=5, engine=None), "engine", "None", needs=["evsim.nest.to_nest"])
refuse(E, "simulate(threads=2) on the event engine", lambda: simulate(net(), {"x": [0]}, until=5, threads=2), "threads", "2", needs=["evsim.nest.to_nest"])
refuse(E, "simulate(resolution=0.1) on the event engine", lambda: simulate(net(), {"x": [0]}, until=5, resolution=0.1), "resolution", "0.1", needs=["evsim.nest.to_nest"])
refuse(E, "simulate(engine='nest', probes=['y'])", lambda: simulate(nest_net(), {"x": [1.0]}, until=5, engine="nest", probes=["y"]), "probes", "('y',)", needs=["evsim.nest.to_nest"])
refuse(E, "simulate(engine='nest', trace=True)", lambda: simulate(nest_net(), {"x": [1.0]}, until=5, engine="nest", trace=True), "trace", "True", needs=["evsim.nest.to_nest"])
for bad in [0, -1, 1.5, "2", True, None]:
    refuse(E, f"to_nest(threads={bad!r})", lambda b=bad: to_nest(nest_net(), {"x": [1.0]}, threads=b), "threads", shown(bad), needs=["evsim.nest.to_nest"])
for bad in [0.0, -0.1, 0.0005, NAN, INF, "0.1", True]:
    refuse(E, f"to_nest(resolution={bad!r})", lambda b=bad: to_nest(nest_net(), {"x": [1.0]}, resolution=b), "resolution", shown(bad), needs=["evsim.nest.to_nest"])
refuse(E, "to_nest('abc')", lambda: to_nest("abc", {}), "net", "'abc'", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(discrete network, subtract reset)", lambda: to_nest(net(), {"x": [1.0]}), "'y'", "reset='subtract'", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(discrete network, resolution=0.5)", lambda: to_nest(net(reset=0.0), {"x": [1.0]}, resolution=0.5), "resolution", "0.5", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(Lynch-Musco network)", lambda: to_nest(gate(), {}), "Stochastic", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(reset='subtract')", lambda: to_nest(nest_net(reset="subtract"), {"x": [1.0]}), "'y'", "reset='subtract'", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(reset=1.0, at the threshold)", lambda: to_nest(nest_net(reset=1.0), {"x": [1.0]}), "'y'", "1.0", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(refractory=0)", lambda: to_nest(nest_net(refractory=0.0), {"x": [1.0]}), "'y'", "refractory=0.0", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(v_init=1.0, at the threshold)", lambda: to_nest(nest_net(v_init=1.0), {"x": [1.0]}), "'y'", "v_init=1.0", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(IF with bias)", lambda: to_nest(Network({"y": IF(bias=0.1, reset=0.0, refractory=0.5)}, [], outputs={"y"}, dt=None), {}), "'y'", "bias=0.1", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(zero delay)", lambda: to_nest(nest_net(delay=0.0), {"x": [1.0]}, resolution=0.1), "'x' -> 'y'", "0.0", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(delay 0.25 at resolution 0.1)", lambda: to_nest(nest_net(delay=0.25), {"x": [1.0]}, resolution=0.1), "'x' -> 'y'", "0.25", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(input at 0)", lambda: to_nest(nest_net(), {"x": [0.0, 1.0]}), "inputs['x']", "0 ms", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(inputs {'q': [1]})", lambda: to_nest(nest_net(), {"q": [1.0]}), "'q'", needs=["evsim.nest.to_nest"])
refuse(E, "to_nest(inputs 'abc')", lambda: to_nest(nest_net(), "abc"), "inputs", needs=["evsim.nest.to_nest"])
accept(E, "nest_plan(continuous LIF network)", lambda: check(nest_plan(nest_net(), {"x": [1.0, 2.5]}).resolution == 0.5, "resolution 0.5"), needs=["evsim.nest.to_nest"])
accept(E, "nest_plan(single-spike subtract IF)", lambda: nest_plan(Network({"x": Input(), "y": IF(single_spike=True)}, [Synapse("x", "y", 1.0, 0.3)], outputs={"y"}, dt=None), {"x": [1.0]}), needs=["evsim.nest.to_nest"])
accept(E, "nest_plan(discrete IF network, hard reset)", lambda: check(nest_plan(net(reset=0.0), {"x": [0, 2]}).model == "iaf_psc_delta", "grid neuron"), needs=["evsim.nest.to_nest"])
accept(E, "nest_plan(Analog inputs)", lambda: check(nest_plan(nest_net(), {"x": evsim.Analog([1.0], [2.0])}).trains[0][1].tolist() == [2.0], "values kept"), needs=["evsim.nest.to_nest"])

# ============================================================================= NIR

N = "nir"
refuse(N, "from_nir('missing.nir')", lambda: io.from_nir(str(tmp() / "missing.nir")), "missing.nir", error="ValidationError")
refuse(N, "from_nir(text file)", lambda: io.from_nir(a_file("text.nir", b"hello")), "text.nir", error="ValidationError")
refuse(N, "from_nir(123)", lambda: io.from_nir(123), "123")
refuse(N, "from_nir(None)", lambda: io.from_nir(None), "None")
for bad in [0.0, -1.0, NAN, INF, True, "1"]:
    refuse(N, f"from_nir(graph, dt={bad!r})", lambda b=bad: io.from_nir(io.to_nir(net()), dt=b), "dt", shown(bad))
for bad in ["zero", "Subtract", 0.0, True]:
    refuse(N, f"from_nir(graph, reset={bad!r})", lambda b=bad: io.from_nir(evsim.nirio.sample()[0], dt=1e-4, reset=b), "reset", shown(bad), needs=("evsim.nirio.sample",))
for bad in [-1.0, NAN, "0", True]:
    refuse(N, f"from_nir(graph, refractory={bad!r})", lambda b=bad: io.from_nir(evsim.nirio.sample()[0], dt=1e-4, refractory=b), "refractory", shown(bad), needs=("evsim.nirio.sample",))
refuse(N, "from_nir(graph, reset={'nope': 'subtract'})", lambda: io.from_nir(evsim.nirio.sample()[0], dt=1e-4, reset={"nope": "subtract"}), "'nope'", "'1'", needs=("evsim.nirio.sample",))
refuse(N, "from_nir(graph, refractory={1: 0.0})", lambda: io.from_nir(evsim.nirio.sample()[0], dt=1e-4, refractory={1: 0.0}), "node paths", needs=("evsim.nirio.sample",))
for bad in ["scaled", 5.0, True]:
    refuse(N, f"from_nir(graph, w_in={bad!r})", lambda b=bad: io.from_nir(evsim.nirio.sample()[0], dt=1e-4, w_in=b), "w_in", shown(bad), needs=("evsim.nirio.sample",))
refuse(N, "from_nir(graph, loop_delay='yes')", lambda: io.from_nir(evsim.nirio.sample()[0], dt=1e-4, loop_delay="yes"), "loop_delay", "'yes'", needs=("evsim.nirio.sample",))
refuse(N, "from_nir(evsim's graph, reset='subtract')", lambda: io.from_nir(io.to_nir(net()), reset="subtract"), "evsim's exact parameters", error="ValidationError")
accept(N, "from_nir(graph, reset={'1': 'subtract'}, refractory=2e-4)", lambda: io.from_nir(evsim.nirio.sample()[0], dt=1e-4, reset={"1": "subtract"}, refractory=2e-4), needs=("evsim.nirio.sample",))
refuse(N, "to_nir('abc')", lambda: io.to_nir("abc"), "'abc'")
refuse(N, "to_nir(None)", lambda: io.to_nir(None), "None")
refuse(N, "to_nir(continuous network)", lambda: io.to_nir(net(dt=None)), "continuous")
refuse(N, "to_nir(Lynch-Musco network)", lambda: io.to_nir(gate()), "Stochastic")
accept(N, "from_nir(to_nir(net))", lambda: check(io.from_nir(io.to_nir(net())).outputs == {"y"}, "outputs kept"))
accept(N, "to_nir(SpikingNet)", lambda: io.to_nir(snn()))
accept(N, "from_nir(graph, dt=0.5)", lambda: io.from_nir(io.to_nir(net()), dt=0.5))
accept(N, "nirio.sample() imports at its dt", lambda: io.from_nir(evsim.nirio.sample()[0], dt=evsim.nirio.sample()[1]["dt"]), needs=("evsim.nirio.sample",))
refuse(N, "from_nir(snnTorch sample) without dt", lambda: io.from_nir(evsim.nirio.sample()[0]), "dt=1e-4", error="ValidationError", needs=("evsim.nirio.sample",))

# ============================================================================= library

G = "library"
for maker in ("and_gate", "or_gate", "not_gate", "copy_gate", "xor_circuit"):
    make = getattr(library, maker)
    for bad in [NAN, INF, True, "10"]:
        refuse(G, f"{maker}(w={bad!r})", lambda m=make, b=bad: m(w=b), "w", shown(bad))
    for bad in [0.0, -1.0, NAN]:
        refuse(G, f"{maker}(temperature={bad!r})", lambda m=make, b=bad: m(temperature=b), "temperature", shown(bad))
    accept(G, f"{maker}()", lambda m=make: m())
for maker in ("and_gate", "or_gate", "not_gate", "copy_gate"):
    refuse(G, f"{maker}(initial='no')", lambda m=getattr(library, maker): m(initial="no"), "initial", "'no'")
refuse(G, "and_gate('a', 'a', 'y') same input twice", lambda: library.and_gate("a", "a", "y"), "'a'")
refuse(G, "and_gate(y='') empty name", lambda: library.and_gate(y=""), "''")
refuse(G, "not_gate(x=5)", lambda: library.not_gate(x=5), "5")
refuse(G, "copy_gate('x', 'x')", lambda: library.copy_gate("x", "x"), "'x'")
for bad in [0, -1, 1.5, "3", True]:
    refuse(G, f"winner_take_all({bad!r})", lambda b=bad: library.winner_take_all(b), "n", shown(bad))
refuse(G, "winner_take_all(10**8) (6·10**8 synapses)", lambda: library.winner_take_all(10**8), "winner_take_all", "600,000,000 synapses", error="LimitError")
refuse(G, "winner_take_all(3, gamma=nan)", lambda: library.winner_take_all(3, NAN), "gamma", "nan")
refuse(G, "winner_take_all(3, gamma=-1)", lambda: library.winner_take_all(3, -1.0), "gamma", "-1.0")
for bad in [0, -1, 1.5]:
    refuse(G, f"wta_gamma({bad!r})", lambda b=bad: library.wta_gamma(b), "n", shown(bad))
refuse(G, "wta_gamma(3, rounds=-1)", lambda: library.wta_gamma(3, rounds=-1), "rounds", "-1")
for bad in [0.0, NAN, 1.5, -0.1]:
    refuse(G, f"wta_gamma(3, delta={bad!r})", lambda b=bad: library.wta_gamma(3, delta=b), "delta", shown(bad))
refuse(G, "filter_network(0, 2)", lambda: library.filter_network(0, 2), "n", "0")
refuse(G, "filter_network(2, -1)", lambda: library.filter_network(2, -1), "m", "-1")
refuse(G, "attention(2, 0)", lambda: library.attention(2, 0), "m", "0")
refuse(G, "attention(2, 2, gamma=nan)", lambda: library.attention(2, 2, gamma=NAN), "gamma", "nan")
refuse(G, "cyclic_oscillator(temperature=0)", lambda: library.cyclic_oscillator(temperature=0.0), "temperature", "0.0")
refuse(G, "cyclic_oscillator(w=nan)", lambda: library.cyclic_oscillator(w=NAN), "w", "nan")
refuse(G, "gate_error(temperature=0)", lambda: library.gate_error(temperature=0.0), "temperature", "0.0")
refuse(G, "gate_error(w=nan)", lambda: library.gate_error(w=NAN), "w", "nan")
refuse(G, "circuit([], ['y'])", lambda: library.circuit([], ["y"]), "gates")
refuse(G, "circuit(['abc'], ['y'])", lambda: library.circuit(["abc"], ["y"]), "'abc'")
refuse(G, "circuit([and], ['q'])", lambda: library.circuit([library.and_gate()], ["q"]), "'q'")
refuse(G, "circuit([and], None)", lambda: library.circuit([library.and_gate()], None), "outputs", "None")
accept(G, "winner_take_all(3)", lambda: library.winner_take_all(3))
accept(G, "winner_take_all(3, gamma=2)", lambda: library.winner_take_all(3, 2.0))
accept(G, "wta_gamma(3)", lambda: library.wta_gamma(3))
accept(G, "filter_network(2, 2)", lambda: library.filter_network(2, 2))
accept(G, "attention(2, 2)", lambda: library.attention(2, 2))
accept(G, "cyclic_oscillator()", lambda: library.cyclic_oscillator())
accept(G, "gate_error()", lambda: check(0 < library.gate_error() < 1, "a probability"))
accept(G, "circuit([not x->m, not m->y], ['y'])", lambda: library.circuit([library.not_gate("x", "m"), library.not_gate("m", "y")], ["y"]))

# ============================================================================= plot

P = "plot"
refuse(P, "raster('abc')", closing(lambda: plot.raster("abc")), "'abc'")
refuse(P, "raster(names=['q'])", closing(lambda: plot.raster(record(), names=["q"])), "'q'")
accept(P, "raster(names='y') one name", closing(lambda: plot.raster(record(), names="y")))
refuse(P, "potential('q')", closing(lambda: plot.potential(record(), "q")), "'q'")
refuse(P, "potential of an unprobed neuron", closing(lambda: plot.potential(plain_record(), "y")), "'y'")
refuse(P, "potential(resolution=0)", closing(lambda: plot.potential(record(), "y", resolution=0)), "resolution", "0")
refuse(P, "potential(until=nan)", closing(lambda: plot.potential(record(), "y", until=NAN)), "until", "nan")
refuse(P, "potential(threshold=nan)", closing(lambda: plot.potential(record(), "y", threshold=NAN)), "threshold", "nan")
refuse(P, "event_timeline without a trace", closing(lambda: plot.event_timeline(plain_record())), "trace=True")
refuse(P, "event_timeline(limit=-1)", closing(lambda: plot.event_timeline(record(), limit=-1)), "limit", "-1")
refuse(P, "behavior('abc')", closing(lambda: plot.behavior("abc")), "'abc'")
refuse(P, "behavior(top=-1)", closing(lambda: plot.behavior(table(), top=-1)), "top", "-1")
refuse(P, "accuracy_vs_steps('abc', 0.9)", closing(lambda: plot.accuracy_vs_steps("abc", 0.9)), "rows")
refuse(P, "accuracy_vs_steps(rows, nan)", closing(lambda: plot.accuracy_vs_steps(rows(), NAN)), "ann_accuracy", "nan")
refuse(P, "accuracy_vs_steps(group='q')", closing(lambda: plot.accuracy_vs_steps(rows(), 0.9, group="q")), "'q'")
refuse(P, "accuracy_vs_latency(rows, nan)", closing(lambda: plot.accuracy_vs_latency(rows(), NAN)), "ann_accuracy", "nan")
refuse(P, "accuracy_vs_latency([{}], 0.9)", closing(lambda: plot.accuracy_vs_latency([{}], 0.9)), "rows")
refuse(P, "accuracy_vs_energy(rows, 'x')", closing(lambda: plot.accuracy_vs_energy(rows(), "x")), "ann_accuracy", "'x'")
refuse(P, "low_latency(None, 0.9)", closing(lambda: plot.low_latency(None, 0.9)), "rows", "None")
accept(P, "raster", closing(lambda: plot.raster(record())))
accept(P, "raster(names=['y'])", closing(lambda: plot.raster(record(), names=["y"])))
accept(P, "potential", closing(lambda: plot.potential(record(), "y", threshold=1.0)))
accept(P, "event_timeline", closing(lambda: plot.event_timeline(record())))
accept(P, "behavior", closing(lambda: plot.behavior(table())))
accept(P, "accuracy_vs_steps", closing(lambda: plot.accuracy_vs_steps(rows(), 0.9)))

# ============================================================================= reference

F = "reference"
refuse(F, "until=nan", lambda: reference.simulate(net(), {"x": [0]}, until=NAN), "until", "nan")
refuse(F, "until='5'", lambda: reference.simulate(net(), {"x": [0]}, until="5"), "until", "'5'")
refuse(F, "until=inf, self-driven", lambda: reference.simulate(self_driven(), {}, until=INF), "until", "inf")
refuse(F, "inputs q unknown", lambda: reference.simulate(net(), {"q": [0]}, until=5), "'q'")
refuse(F, "inputs x [nan]", lambda: reference.simulate(net(), {"x": [NAN]}, until=5), "'x'", "nan")
refuse(F, "inputs 'abc'", lambda: reference.simulate(net(), "abc", until=5), "inputs")
refuse(F, "rng='abc'", lambda: reference.simulate(gate(), {}, until=3, rng="abc"), "rng", "'abc'")
refuse(F, "rng=-1", lambda: reference.simulate(gate(), {}, until=3, rng=-1), "rng", "-1")
refuse(F, "net='abc'", lambda: reference.simulate("abc", {}, until=3), "'abc'")
accept(F, "discrete agrees with simulate", lambda: check(reference.simulate(net(), {"x": [0, 1, 2]}, until=5).trains["y"] == [2.0], "y at 2"))
accept(F, "continuous", lambda: reference.simulate(net(dt=None), {"x": [0.5]}, until=5))
accept(F, "Lynch-Musco, rng=0", lambda: reference.simulate(gate(), {"x1": [0]}, until=3, rng=0))

# ============================================================================= deep: layers, train

D = "deep"
deep = evsim.deep
for bad in [0, -1, 1.5, "3", True, None]:
    refuse(D, f"Dense({bad!r}, 3)", lambda b=bad: Dense(b, 3), "n_in", shown(bad))
    refuse(D, f"Dense(3, {bad!r})", lambda b=bad: Dense(3, b), "n_out", shown(bad))
refuse(D, "Dense(10**6, 10**6) (8 TB)", lambda: Dense(10**6, 10**6), error="LimitError")
for bad in [-0.1, 1.5, NAN, True, "0.5"]:
    refuse(D, f"SpikingLayer(beta={bad!r})", lambda b=bad: dataclasses.replace(snn().layers[0], beta=b), "beta", shown(bad))
for bad in [1.0, -0.5, NAN, True]:
    refuse(D, f"SpikingLayer(synapse_beta={bad!r})", lambda b=bad: dataclasses.replace(snn().layers[0], synapse_beta=b), "synapse_beta", shown(bad))
refuse(D, "SpikingLayer(accumulator, beta=0.5)", lambda: dataclasses.replace(snn().layers[-1], beta=0.5), "accumulator", "1.0, None and 'subtract'")
refuse(D, "to_network(layer beta=0.1 not exp(-1/tau))", lambda: evsim.deep.to_network(dataclasses.replace(snn(), layers=(dataclasses.replace(snn().layers[0], beta=0.1),) + snn().layers[1:])), "beta", error="ValidationError")
accept(D, "SpikingLayer(beta=0.75, synapse_beta=0.5) runs", lambda: evsim.deep.run(dataclasses.replace(snn(), layers=(dataclasses.replace(snn().layers[0], beta=0.75, synapse_beta=0.5),) + snn().layers[1:]), X, 3))
for make, arg in [(evsim.deep.surrogate.FastSigmoid, "slope"), (evsim.deep.surrogate.ArcTan, "alpha"),
                  (evsim.deep.surrogate.Triangle, "width"), (evsim.deep.surrogate.ClippedStraightThrough, "width"),
                  (evsim.deep.surrogate.STDB, "alpha")]:
    for bad in [0.0, -1.0, NAN, INF, True, "2"]:
        refuse(D, f"{make.__name__}({bad!r})", lambda m=make, b=bad: m(b), arg, shown(bad))
for bad in [-0.5, NAN, True]:
    refuse(D, f"STDB(beta={bad!r})", lambda b=bad: evsim.deep.surrogate.STDB(beta=b), "beta", shown(bad))
accept(D, "every surrogate's derivative and relaxed spike", lambda: [(s.derivative(X, X), s.relaxed(X, X)) for s in (
    evsim.deep.surrogate.StraightThrough(), evsim.deep.surrogate.ClippedStraightThrough(),
    evsim.deep.surrogate.FastSigmoid(), evsim.deep.surrogate.ArcTan(), evsim.deep.surrogate.Triangle(),
    evsim.deep.surrogate.STDB())])
refuse(D, "bptt.forward('abc')", lambda: evsim.deep.bptt.forward("abc", X, 3, evsim.deep.surrogate.ArcTan()), "snn", "'abc'")
for bad in [0, -1, 2.5, True]:
    refuse(D, f"bptt.forward(steps={bad!r})", lambda b=bad: evsim.deep.bptt.forward(snn(), X, b, evsim.deep.surrogate.ArcTan()), "steps", shown(bad))
refuse(D, "bptt.forward(surrogate='atan')", lambda: evsim.deep.bptt.forward(snn(), X, 3, "atan"), "surrogate", "'atan'")
refuse(D, "SpikingLayer(reset='hard')", lambda: replace(snn().layers[0], reset="hard"), "reset", "'hard'")
accept(D, "SpikingLayer(beta=0.0) runs and expands", lambda: evsim.deep.to_network(replace(snn(), layers=(replace(snn().layers[0], beta=0.0),) + snn().layers[1:])))
for arg in ("single_spike", "relaxed", "detach_reset"):
    refuse(D, f"bptt.forward({arg}='yes')", lambda a=arg: evsim.deep.bptt.forward(snn(), X, 3, evsim.deep.surrogate.ArcTan(), **{a: "yes"}), arg, "'yes'")
refuse(D, "bptt.forward(x nan)", lambda: evsim.deep.bptt.forward(snn(), np.full((8, 4), NAN), 3, evsim.deep.surrogate.ArcTan()), "x", "nan")
refuse(D, "bptt.forward(x wrong width)", lambda: evsim.deep.bptt.forward(snn(), np.zeros((8, 5)), 3, evsim.deep.surrogate.ArcTan()), "x")
refuse(D, "bptt.forward(steps=10**9) (tape too large)", lambda: evsim.deep.bptt.forward(snn(), X, 10**9, evsim.deep.surrogate.ArcTan()), error="LimitError")
refuse(D, "bptt.backward('abc')", lambda: evsim.deep.bptt.backward("abc", np.zeros((8, 2))), "tape", "'abc'")
refuse(D, "bptt.backward(grad wrong shape)", lambda: evsim.deep.bptt.backward(evsim.deep.bptt.forward(snn(), X, 3, evsim.deep.surrogate.ArcTan()), np.zeros((8, 3))), "grad")
refuse(D, "bptt.backward(grad nan)", lambda: evsim.deep.bptt.backward(evsim.deep.bptt.forward(snn(), X, 3, evsim.deep.surrogate.ArcTan()), np.full((8, 2), NAN)), "grad", "nan")
accept(D, "bptt.backward(bptt.forward(relaxed, zero reset, single spike))", lambda: evsim.deep.bptt.backward(evsim.deep.bptt.forward(zero_reset_snn(), X, 3, evsim.deep.surrogate.STDB(), single_spike=True, relaxed=True), np.ones((8, 2))))
refuse(D, "fit('abc')", lambda: evsim.deep.fit("abc", X, Y, 3), "snn", "'abc'")
for bad in [0, -1, 2.5, True]:
    refuse(D, f"fit(steps={bad!r})", lambda b=bad: evsim.deep.fit(snn(), X, Y, b), "steps", shown(bad))
for arg, bad in [("lr", -0.1), ("lr", 0.0), ("lr", NAN), ("epochs", 0), ("batch", 0), ("weight_decay", -1.0),
                 ("seed", -1), ("encoding", "poisson"), ("loss", "mse"), ("schedule", "step"),
                 ("surrogate", "atan"), ("train_leak", "yes"), ("train_v_init", "yes"), ("single_spike", "yes"),
                 ("validation", "abc"), ("progress", "yes"), ("dropout", 1.0), ("dropout", -0.5), ("dropout", NAN)]:
    refuse(D, f"fit({arg}={bad!r})", lambda a=arg, b=bad: evsim.deep.fit(snn(), X, Y, 3, **{a: b}), arg, shown(bad))
refuse(D, "fit(single_spike with rate)", lambda: evsim.deep.fit(snn(), X, Y, 3, encoding="rate", single_spike=True), "single_spike", "rate")
refuse(D, "fit(y out of range)", lambda: evsim.deep.fit(snn(), X, np.full(8, 5), 3), "y")
refuse(D, "fit(x nan)", lambda: evsim.deep.fit(snn(), np.full((8, 4), NAN), Y, 3), "x", "nan")
accept(D, "fit(one epoch, hybrid, single spike, STDB)", lambda: check(evsim.deep.fit(snn(), X, Y, 3, epochs=1, encoding="hybrid", single_spike=True, surrogate=evsim.deep.surrogate.STDB(), loss="time+membrane").net.layers[0].theta == snn().layers[0].theta, "θ kept"))
accept(D, "fit(dropout=0.5)", lambda: check(evsim.deep.fit(snn(), X, Y, 3, epochs=1, dropout=0.5).options.dropout == 0.5, "dropout kept"))
refuse(D, "bptt.forward(masks of another length)", lambda: evsim.deep.bptt.forward(snn(), X, 3, evsim.deep.surrogate.ArcTan(), masks=[np.ones(3)] * 5), "masks")
refuse(D, "bptt.forward(masks[0] wrong shape)", lambda: evsim.deep.bptt.forward(snn(), X, 3, evsim.deep.surrogate.ArcTan(), masks=[np.ones(7)] * len([l for l in snn().layers if l.spiking])), "masks[0]", "(7,)")
refuse(D, "dropout_masks(p=1)", lambda: evsim.deep.direct.dropout_masks(snn(), 8, 1.0, np.random.default_rng(0)), "p", "1.0")
refuse(D, "dropout_masks(samples=0)", lambda: evsim.deep.direct.dropout_masks(snn(), 0, 0.5, np.random.default_rng(0)), "samples", "0")
refuse(D, "dropout_masks('abc')", lambda: evsim.deep.direct.dropout_masks("abc", 8, 0.5, np.random.default_rng(0)), "snn", "'abc'")
accept(D, "dropout_masks(p=0) keeps everything", lambda: check(all((m == 1.0).all() for m in evsim.deep.direct.dropout_masks(snn(), 8, 0.0, np.random.default_rng(0))), "all ones"))
refuse(D, "spiking_mlp([4, 2])", lambda: evsim.deep.spiking_mlp([4, 2]), "sizes", "[4, 2]")
refuse(D, "spiking_mlp(beta=2)", lambda: evsim.deep.spiking_mlp([4, 3, 2], beta=2.0), "beta", "2.0")
for bad in BAD_SEEDS:
    refuse(D, f"Dense(rng={bad!r})", lambda b=bad: Dense(3, 2, rng=b), "rng", shown(bad))
refuse(D, "Conv2d(0, 2, 3)", lambda: Conv2d(0, 2, 3), "c_in", "0")
refuse(D, "Conv2d(1, -2, 3)", lambda: Conv2d(1, -2, 3), "c_out", "-2")
refuse(D, "Conv2d(1, 2, 0)", lambda: Conv2d(1, 2, 0), "k", "0")
refuse(D, "Conv2d(1, 2, 2.5)", lambda: Conv2d(1, 2, 2.5), "k", "2.5")
refuse(D, "Conv2d(stride=0)", lambda: Conv2d(1, 2, 3, stride=0), "stride", "0")
refuse(D, "Conv2d(padding=-1)", lambda: Conv2d(1, 2, 3, padding=-1), "padding", "-1")
refuse(D, "Conv2d(rng='abc')", lambda: Conv2d(1, 2, 3, rng="abc"), "rng", "'abc'")
refuse(D, "Conv2d(10**5, 10**5, 3) (720 GB)", lambda: Conv2d(10**5, 10**5, 3), error="LimitError")
for bad in [0, -1, 1.5, True]:
    refuse(D, f"AvgPool2d({bad!r})", lambda b=bad: AvgPool2d(b), "k", shown(bad))
for bad in [0, -1, 1.5, True]:
    refuse(D, f"QCFS(levels={bad!r})", lambda b=bad: QCFS(levels=b), "levels", shown(bad))
for bad in [-1.0, 0.0, NAN, INF, True]:
    refuse(D, f"QCFS(lam={bad!r})", lambda b=bad: QCFS(lam=b), "lam", shown(bad))
refuse(D, "QCFS(shift=nan)", lambda: QCFS(shift=NAN), "shift", "nan")
for bad in [NAN, 0.0, -1.0, True]:
    refuse(D, f"ClipReLU({bad!r})", lambda b=bad: ClipReLU(b), "ceiling", shown(bad))
refuse(D, "Sequential('abc')", lambda: Sequential("abc"), "layers")
refuse(D, "Sequential([1, 2])", lambda: Sequential([1, 2]), "layers")
refuse(D, "Sequential(None)", lambda: Sequential(None), "layers", "None")
refuse(D, "forward(x wrong width)", lambda: ann().forward(np.zeros((2, 5))), "x")
refuse(D, "Conv2d.forward(x 2-d)", lambda: Conv2d(1, 2, 3, rng=0).forward(np.zeros((2, 4))), "x")
refuse(D, "Conv2d.forward(image smaller than kernel)", lambda: Conv2d(1, 2, 3, rng=0).forward(np.zeros((1, 1, 2, 2))), "x")
for bad in [-1, 2, 0.5]:
    refuse(D, f"train(labels contain {bad!r})", lambda b=bad: deep.train(ann(), X, np.array([0, 1, 0, 1, 0, 1, 0, b]), epochs=1), "y", shown(bad))
refuse(D, "train(y wrong length)", lambda: deep.train(ann(), X, Y[:5], epochs=1), "y")
refuse(D, "train(x nan)", lambda: deep.train(ann(), np.full((8, 4), NAN), Y, epochs=1), "x", "nan")
refuse(D, "train(x wrong width)", lambda: deep.train(ann(), np.zeros((8, 5)), Y, epochs=1), "x")
for bad in [NAN, INF, -0.1, True, "0.1"]:
    refuse(D, f"train(lr={bad!r})", lambda b=bad: deep.train(ann(), X, Y, epochs=1, lr=b), "lr", shown(bad))
for bad in [-1, 1.5, True, "2"]:
    refuse(D, f"train(epochs={bad!r})", lambda b=bad: deep.train(ann(), X, Y, epochs=b), "epochs", shown(bad))
for bad in [0, -1, 2.5]:
    refuse(D, f"train(batch={bad!r})", lambda b=bad: deep.train(ann(), X, Y, epochs=1, batch=b), "batch", shown(bad))
refuse(D, "train(optimizer='rmsprop')", lambda: deep.train(ann(), X, Y, epochs=1, optimizer="rmsprop"), "optimizer", "'rmsprop'")
for bad in BAD_SEEDS:
    refuse(D, f"train(seed={bad!r})", lambda b=bad: deep.train(ann(), X, Y, epochs=1, seed=b), "seed", shown(bad))
refuse(D, "train('abc', x, y)", lambda: deep.train("abc", X, Y, epochs=1), "'abc'")
refuse(D, "train(progress='yes')", lambda: deep.train(ann(), X, Y, epochs=1, progress="yes"), "progress", "'yes'")
refuse(D, "cross_entropy(label 5 of 2)", lambda: deep.cross_entropy(np.zeros((2, 2)), np.array([0, 5])), "5")
refuse(D, "cross_entropy(label -1)", lambda: deep.cross_entropy(np.zeros((2, 2)), np.array([0, -1])), "-1")
refuse(D, "accuracy(batch=0)", lambda: deep.accuracy(ann(), X, Y, batch=0), "batch", "0")
refuse(D, "accuracy(y wrong length)", lambda: deep.accuracy(ann(), X, Y[:3]), "y")
accept(D, "Dense(4, 3, rng=0)", lambda: Dense(4, 3, rng=0))
accept(D, "Dense(np.int64(4), 3)", lambda: Dense(np.int64(4), 3))
accept(D, "Conv2d(1, 2, 3, stride=2, padding=1)", lambda: Conv2d(1, 2, 3, stride=2, padding=1, rng=0))
accept(D, "AvgPool2d(2), Flatten(), ReLU(), ClipReLU(2)", lambda: (AvgPool2d(2), Flatten(), ReLU(), ClipReLU(2.0)))
accept(D, "QCFS(8, 4.0)", lambda: QCFS(8, 4.0))
accept(D, "train(epochs=1)", lambda: deep.train(ann(), X, Y, epochs=1))
refuse(D, "train(epochs=0)", lambda: deep.train(ann(), X, Y, epochs=0), "epochs", "0")
accept(D, "train(optimizer='sgd', lr=0.1)", lambda: deep.train(ann(), X, Y, epochs=1, optimizer="sgd", lr=0.1))
accept(D, "cross_entropy", lambda: deep.cross_entropy(np.zeros((2, 2)), np.array([0, 1])))
accept(D, "accuracy", lambda: deep.accuracy(ann(), X, Y))

# ============================================================================= deep: convert, run, to_network

for bad in [[NAN], [0.0], [-1.0], [INF], [True], ["1"], [1.0, 1.0]]:
    refuse(D, f"convert(thresholds={bad!r})", lambda b=bad: deep.convert(ann(), thresholds=b, input_shape=(4,)), "thresholds", shown(bad[0]) if len(bad) == 1 else "2")
refuse(D, "convert(thresholds=None, no calibration)", lambda: deep.convert(ann()), "calibration")
refuse(D, "convert(norm='guess')", lambda: deep.convert(ann(), calibration=X, norm="guess"), "norm", "'guess'")
refuse(D, "convert(v_init='guess')", lambda: deep.convert(ann(), calibration=X, v_init="guess"), "v_init", "'guess'")
for bad in [NAN, 150.0, -1.0]:
    refuse(D, f"convert(percentile={bad!r})", lambda b=bad: deep.convert(ann(), calibration=X, norm="percentile", percentile=b), "percentile", shown(bad))
refuse(D, "convert(calibration nan)", lambda: deep.convert(ann(), calibration=np.full((8, 4), NAN)), "calibration", "nan")
refuse(D, "convert(calibration wrong width)", lambda: deep.convert(ann(), calibration=np.zeros((8, 5))), "calibration")
refuse(D, "convert(calibration empty)", lambda: deep.convert(ann(), calibration=np.zeros((0, 4))), "calibration")
refuse(D, "convert('abc')", lambda: deep.convert("abc", calibration=X), "'abc'")
refuse(D, "convert(dtype='abc')", lambda: deep.convert(ann(), calibration=X, dtype="abc"), "dtype", "'abc'")
refuse(D, "convert(dtype=np.int32)", lambda: deep.convert(ann(), calibration=X, dtype=np.int32), "dtype")
refuse(D, "convert(calibration_steps=0)", lambda: deep.convert(ann(), calibration=X, v_init="calibrated", calibration_steps=0), "calibration_steps", "0")
refuse(D, "convert(input_shape=(0,))", lambda: deep.convert(ann(), calibration=X, input_shape=(0,)), "input_shape")
refuse(D, "convert(input_shape=(5,)) mismatch", lambda: deep.convert(ann(), thresholds=[1.0], input_shape=(5,)), "input_shape")
for bad in [0, -1, 1.5, True]:
    refuse(D, f"run(chunk={bad!r})", lambda b=bad: deep.run(snn(), X, 4, chunk=b), "chunk", shown(bad))
for bad in [0, -1, 1.5, True, "4"]:
    refuse(D, f"run(steps={bad!r})", lambda b=bad: deep.run(snn(), X, b), "steps", shown(bad))
refuse(D, "run(steps=10**9)", lambda: deep.run(snn(), X, 10**9), "steps", error="LimitError")
refuse(D, "run(encoding='guess')", lambda: deep.run(snn(), X, 4, encoding="guess"), "encoding", "'guess'")
refuse(D, "run(x wrong width)", lambda: deep.run(snn(), np.zeros((8, 5)), 4), "x")
refuse(D, "run(x nan)", lambda: deep.run(snn(), np.full((8, 4), NAN), 4), "x", "nan")
refuse(D, "run(x strings)", lambda: deep.run(snn(), np.array([["a"] * 4]), 4), "x")
refuse(D, "run(labels wrong length)", lambda: deep.run(snn(), X, 4, labels=Y[:3]), "labels")
refuse(D, "run(labels -1)", lambda: deep.run(snn(), X, 4, labels=-Y), "labels", "-1")
for bad in BAD_SEEDS:
    refuse(D, f"run(rate, rng={bad!r})", lambda b=bad: deep.run(snn(), X, 4, encoding="rate", rng=b), "rng", shown(bad))
for bad in [NAN, 1.5, -0.1]:
    refuse(D, f"run(exit_threshold={bad!r})", lambda b=bad: deep.run(snn(), X, 4, exit_threshold=b), "exit_threshold", shown(bad))
for bad in [0.0, -1.0, NAN]:
    refuse(D, f"run(temperature={bad!r})", lambda b=bad: deep.run(snn(), X, 4, exit_threshold=0.9, temperature=b), "temperature", shown(bad))
for flag_name in ("record_spikes", "compensation", "single_spike"):
    refuse(D, f"run({flag_name}='no')", lambda f=flag_name: deep.run(snn(), X, 4, encoding="rate", rng=0, **{f: "no"}), flag_name, "'no'")
refuse(D, "run('abc', x, 4)", lambda: deep.run("abc", X, 4), "'abc'")
refuse(D, "to_network('abc')", lambda: deep.to_network("abc"), "'abc'")
refuse(D, "network_inputs([nan])", lambda: deep.network_inputs(np.array([NAN, 0.0, 0.0, 0.0])), "nan")
refuse(D, "network_inputs('abc')", lambda: deep.network_inputs("abc"), "values")
accept(D, "convert(calibration=X)", lambda: deep.convert(ann(), calibration=X))
accept(D, "convert(thresholds=[2.0])", lambda: deep.convert(ann(), thresholds=[2.0], input_shape=(4,)))
accept(D, "convert(norm='percentile', v_init='half')", lambda: deep.convert(ann(), calibration=X, norm="percentile", v_init="half"))
accept(D, "convert(norm='qcfs')", lambda: deep.convert(ann(), calibration=X, norm="qcfs"))
accept(D, "convert(v_init='calibrated')", lambda: deep.convert(ann(), calibration=X, v_init="calibrated", calibration_steps=2))
accept(D, "convert(dtype=np.float32)", lambda: deep.convert(ann(), calibration=X, dtype=np.float32))
accept(D, "run(analog)", lambda: deep.run(snn(), X, 4, labels=Y))
accept(D, "run(rate) chunk-invariant", lambda: check(np.array_equal(deep.run(snn(), X, 4, encoding="rate", rng=3, chunk=3).logits,
                                                                       deep.run(snn(), X, 4, encoding="rate", rng=3, chunk=1000).logits), "same logits"))
accept(D, "run(ttfs), run(hybrid)", lambda: (deep.run(snn(), X, 4, encoding="ttfs"), deep.run(snn(), X, 4, encoding="hybrid")))
accept(D, "run(exit_threshold=0.9, record_spikes, compensation)", lambda: deep.run(snn(), X, 4, encoding="rate", rng=0, exit_threshold=0.9, record_spikes=True, compensation=True))
accept(D, "run(single_spike=True, chunk=1)", lambda: deep.run(snn(), X, 4, single_spike=True, chunk=1))
accept(D, "run(one sample)", lambda: deep.run(snn(), X[:1], 4))
accept(D, "to_network(snn)", lambda: deep.to_network(snn()))
accept(D, "network_inputs(x)", lambda: deep.network_inputs(X[:1]))
accept(D, "RunResult helpers", lambda: (run_result().synops, run_result().avg_steps, run_result().exit_histogram(), run_result().energy()))

# ============================================================================= deep: bounds, calibrate, early exit, energy

DB = "deep.bounds"
bounds = evsim.deep.bounds
refuse(DB, "if_response(currents=[nan])", lambda: bounds.if_response([NAN], 1.0), "currents", "nan")
refuse(DB, "if_response(theta=0)", lambda: bounds.if_response([0.5], 0.0), "theta", "0.0")
refuse(DB, "if_response(theta=nan)", lambda: bounds.if_response([0.5], NAN), "theta", "nan")
refuse(DB, "if_response(currents='abc')", lambda: bounds.if_response("abc", 1.0), "currents")
refuse(DB, "rate_identity_gap(currents=[])", lambda: bounds.rate_identity_gap([], 1.0), "currents")
refuse(DB, "rate_identity_gap(v0=nan)", lambda: bounds.rate_identity_gap([0.5], 1.0, v0=NAN), "v0", "nan")
refuse(DB, "constant_input_count(steps=-1)", lambda: bounds.constant_input_count(0.5, -1, 1.0), "steps", "-1")
refuse(DB, "constant_input_count(theta=-1)", lambda: bounds.constant_input_count(0.5, 4, -1.0), "theta", "-1.0")
refuse(DB, "conversion_error_bound(steps=0)", lambda: bounds.conversion_error_bound(1.0, 0), "steps", "0")
refuse(DB, "conversion_error_bound(theta=nan)", lambda: bounds.conversion_error_bound(NAN, 4), "theta", "nan")
refuse(DB, "qcfs(lam=-1)", lambda: bounds.qcfs(0.5, -1.0, 4), "lam", "-1.0")
refuse(DB, "qcfs(levels=0)", lambda: bounds.qcfs(0.5, 1.0, 0), "levels", "0")
refuse(DB, "qcfs(z=nan)", lambda: bounds.qcfs(NAN, 1.0, 4), "z", "nan")
accept(DB, "if_response", lambda: bounds.if_response([0.5, 0.5], 1.0))
accept(DB, "rate_identity_gap", lambda: bounds.rate_identity_gap([0.5, 0.5], 1.0))
accept(DB, "constant_input_count", lambda: check(bounds.constant_input_count(0.5, 4, 1.0) == 2, "count"))
accept(DB, "constant_input_count with Fractions stays exact", lambda: check(bounds.constant_input_count(Fraction(1, 3), 3, Fraction(1, 3)) == 3, "exact count"))
accept(DB, "conversion_error_bound", lambda: bounds.conversion_error_bound(1.0, 4))
accept(DB, "qcfs", lambda: bounds.qcfs(np.array([0.5, 2.0]), 1.0, 4))
DC = "deep.calibrate"
cal = evsim.deep.calibrate
refuse(DC, "calibrate(steps=0)", lambda: cal.calibrate(snn(), ann(), X, 0), "steps", "0")
refuse(DC, "calibrate(iterations=-1)", lambda: cal.calibrate(snn(), ann(), X, 2, iterations=-1), "iterations", "-1")
refuse(DC, "calibrate(x wrong width)", lambda: cal.calibrate(snn(), ann(), np.zeros((3, 5)), 2), "x")
refuse(DC, "calibrate(x nan)", lambda: cal.calibrate(snn(), ann(), np.full((3, 4), NAN), 2), "x", "nan")
refuse(DC, "calibrate('abc', ann, x, 2)", lambda: cal.calibrate("abc", ann(), X, 2), "'abc'")
refuse(DC, "snn_rates(steps=-1)", lambda: cal.snn_rates(snn(), X, -1), "steps", "-1")
refuse(DC, "ann_activations(x wrong width)", lambda: cal.ann_activations(ann(), np.zeros((3, 5))), "x")
refuse(DC, "activation_errors(ann with other widths)", lambda: cal.activation_errors(snn(), Sequential([Dense(4, 5, rng=0), QCFS(4, 1.0), Dense(5, 2, rng=0)]), X, 2), "ann")
refuse(DC, "expected_errors('abc')", lambda: cal.expected_errors("abc"), "errors")
accept(DC, "calibrate", lambda: cal.calibrate(snn(), ann(), X, 2, iterations=1))
accept(DC, "activation_errors, expected_errors, per_image_errors", lambda: (lambda e: (cal.expected_errors(e), cal.per_image_errors(e)))(cal.activation_errors(snn(), ann(), X, 2)))
DE = "deep.early_exit"
ee = evsim.deep.early_exit
refuse(DE, "tune_exit(thresholds=())", lambda: ee.tune_exit(snn(), X, Y, 4, thresholds=()), "thresholds")
refuse(DE, "tune_exit(thresholds=[nan])", lambda: ee.tune_exit(snn(), X, Y, 4, thresholds=[NAN]), "thresholds", "nan")
refuse(DE, "tune_exit(temperatures=[0])", lambda: ee.tune_exit(snn(), X, Y, 4, temperatures=[0.0]), "temperatures", "0.0")
refuse(DE, "tune_exit(tolerance=-1)", lambda: ee.tune_exit(snn(), X, Y, 4, tolerance=-1.0), "tolerance", "-1.0")
refuse(DE, "tune_exit(tolerance=nan)", lambda: ee.tune_exit(snn(), X, Y, 4, tolerance=NAN), "tolerance", "nan")
refuse(DE, "tune_exit(steps=0)", lambda: ee.tune_exit(snn(), X, Y, 0), "steps", "0")
refuse(DE, "tune_exit(labels wrong length)", lambda: ee.tune_exit(snn(), X, Y[:3], 4), "labels")
refuse(DE, "tune_exit(run option chunk=0)", lambda: ee.tune_exit(snn(), X, Y, 4, chunk=0), "chunk", "0")
refuse(DE, "tune_exit(unknown option)", lambda: ee.tune_exit(snn(), X, Y, 4, speed=2), "speed")
accept(DE, "tune_exit(tolerance=0.5)", lambda: ee.tune_exit(snn(), X, Y, 4, tolerance=0.5))
DN = "deep.energy"
en = evsim.deep.energy
refuse(DN, "energy_ratio(e_ac=nan)", lambda: en.energy_ratio(run_result(), snn(), e_ac=NAN), "e_ac", "nan")
refuse(DN, "energy_ratio(e_mac=-1)", lambda: en.energy_ratio(run_result(), snn(), e_mac=-1.0), "e_mac", "-1.0")
refuse(DN, "energy_ratio('abc', snn)", lambda: en.energy_ratio("abc", snn()), "'abc'")
refuse(DN, "ann_energy(e_mac=nan)", lambda: en.ann_energy(snn(), e_mac=NAN), "e_mac", "nan")
refuse(DN, "ann_macs('abc')", lambda: en.ann_macs("abc"), "'abc'")
refuse(DN, "RunResult.energy(e_ac='x')", lambda: run_result().energy(e_ac="x"), "e_ac", "'x'")
accept(DN, "energy_ratio, ann_energy, ann_macs", lambda: (en.energy_ratio(run_result(), snn()), en.ann_energy(snn()), en.ann_macs(snn())))

DV = "deep.devices"
dv = evsim.deep.devices
for arg, bad in [("sigma", -0.1), ("sigma", NAN), ("sigma", "0.1"), ("die_sigma", INF), ("stuck_zero", 1.5),
                 ("stuck_max", -0.01)]:
    refuse(DV, f"DeviceModel({arg}={bad!r})", lambda a=arg, b=bad: dv.DeviceModel(**({"sigma": 0.1} | {a: b})), arg, shown(bad))
refuse(DV, "DeviceModel(stuck_zero + stuck_max > 1)", lambda: dv.DeviceModel(0.1, stuck_zero=0.6, stuck_max=0.6), "stuck_zero + stuck_max", "1.2")
refuse(DV, "fabricate('abc', ...)", lambda: dv.fabricate("abc", dv.DeviceModel(0.1), 0), "snn", "'abc'")
refuse(DV, "fabricate(device=0.1)", lambda: dv.fabricate(snn(), 0.1, 0), "device", "0.1")
for bad in BAD_SEEDS:
    refuse(DV, f"fabricate(die={bad!r})", lambda b=bad: dv.fabricate(snn(), dv.DeviceModel(0.1), b), "die", shown(bad))
    refuse(DV, f"fabricate(seed={bad!r})", lambda b=bad: dv.fabricate(snn(), dv.DeviceModel(0.1), 0, seed=b), "seed", shown(bad))
accept(DV, "fabricate(snn, DeviceModel(0.1, die_sigma=0.2, stuck_zero=0.1), 3)", lambda: check(dv.fabricate(snn(), dv.DeviceModel(0.1, die_sigma=0.2, stuck_zero=0.1), 3).thresholds == snn().thresholds, "thresholds kept"))
DT = "deep.tuning"
tu = evsim.deep.tuning
refuse(DT, "with_threshold_scales(two scales for one layer)", lambda: tu.with_threshold_scales(snn(), [1.0, 2.0]), "scales")
for bad in [0.0, -1.0, NAN, INF, "2"]:
    refuse(DT, f"with_threshold_scales([{bad!r}])", lambda b=bad: tu.with_threshold_scales(snn(), [b]), "scales", shown(bad))
refuse(DT, "response(steps=0)", lambda: tu.response(snn(), X, 0), "steps", "0")
refuse(DT, "signature(steps=-1)", lambda: tu.signature(snn(), X, -1), "steps", "-1")
refuse(DT, "mismatch(shapes differ)", lambda: tu.mismatch(np.ones((2, 3)), np.ones((3, 3))), "die", "(3, 3)")
refuse(DT, "mismatch(nan)", lambda: tu.mismatch(np.full((2, 3), NAN), np.ones((2, 3))), "design", "nan")
refuse(DT, "search_scales(passes=0)", lambda: tu.search_scales(snn(), tu.response(snn(), X, 4), X, 4, passes=0), "passes", "0")
refuse(DT, "search_scales(grid=[0])", lambda: tu.search_scales(snn(), tu.response(snn(), X, 4), X, 4, grid=[0.0]), "grid", "0.0")
refuse(DT, "search_scales('abc', ...)", lambda: tu.search_scales("abc", np.ones((8, 2)), X, 4), "die", "'abc'")
refuse(DT, "Ridge.fit(2 samples)", lambda: tu.Ridge.fit(X[:2], Y[:2]), "x", "2")
refuse(DT, "Ridge.fit(y of another length)", lambda: tu.Ridge.fit(X, Y[:5]), "y")
refuse(DT, "Ridge.fit(alphas=[-1])", lambda: tu.Ridge.fit(X, Y, alphas=[-1.0]), "alphas", "-1.0")
refuse(DT, "Ridge.predict(another width)", lambda: tu.Ridge.fit(X, Y).predict(np.ones((2, 3))), "x", "(2, 3)")
accept(DT, "search_scales, signature, Ridge", lambda: (tu.search_scales(snn(), tu.response(snn(), X, 4), X, 4, grid=[0.5, 1.0, 2.0]), tu.signature(snn(), X, 4), tu.Ridge.fit(X, Y).predict(X)))
DY = "deep.yield_study"
ys = evsim.deep.yield_study
study = lambda **k: ys.recover(snn(), dv.DeviceModel(0.1, die_sigma=0.3), **({"signature": X[:3], "calibration": X, "x": X, "y": Y, "steps": 3, "dies": 6, "train_dies": 4} | k))  # noqa: E731
refuse(DY, "recover(dies=4, train_dies=4)", lambda: study(dies=4), "dies", "4")
refuse(DY, "recover(train_dies=2)", lambda: study(train_dies=2), "train_dies", "2")
refuse(DY, "recover(spec=nan)", lambda: study(spec=NAN), "spec", "nan")
refuse(DY, "recover(device='abc')", lambda: ys.recover(snn(), "abc", signature=X, calibration=X, x=X, y=Y, steps=3), "device", "'abc'")
refuse(DY, "recover(signature of another shape)", lambda: study(signature=np.ones((3, 5))), "signature")
refuse(DY, "recover(y out of range)", lambda: study(y=np.full(8, 7)), "y")
refuse(DY, "recover(progress='yes')", lambda: study(progress="yes"), "progress", "'yes'")
refuse(DY, "yield_study(dies=3) before any training", lambda: ys.yield_study(dies=3), "dies", "3")
accept(DY, "recover(6 dies, 4 to fit)", lambda: check(len(study().dies) == 2, "two held out"))

HY = "deep.hybrid"
hy = evsim.deep.hybrid
for bad in [0, 2, 1.5, "1"]:
    refuse(HY, f"spiking_part(layers={bad!r})", lambda b=bad: hy.spiking_part(snn(), b), "layers", shown(bad))
refuse(HY, "spiking_part('abc')", lambda: hy.spiking_part("abc"), "snn", "'abc'")
refuse(HY, "features(steps=0)", lambda: hy.features(hy.spiking_part(snn()), X, 0), "steps", "0")
refuse(HY, "fit_head(head of another width)", lambda: hy.fit_head(hy.spiking_part(snn()), Sequential([Dense(7, 2, rng=0)]), X, Y, 3), "head")
refuse(HY, "fit_head(head='abc')", lambda: hy.fit_head(hy.spiking_part(snn()), "abc", X, Y, 3), "head", "'abc'")
refuse(HY, "fit_head(epochs=0)", lambda: hy.fit_head(hy.spiking_part(snn()), Sequential([Dense(snn().layers[0].size, 2, rng=0)]), X, Y, 3, epochs=0), "epochs", "0")
refuse(HY, "predict('abc', X)", lambda: hy.predict("abc", X), "model", "'abc'")
refuse(HY, "dense_macs('abc')", lambda: evsim.deep.energy.dense_macs("abc"), "model", "'abc'")
refuse(HY, "hybrid_energy('abc', head)", lambda: hy.hybrid_energy("abc", Sequential([Dense(2, 2, rng=0)])), "result", "'abc'")
refuse(HY, "engine_features(x of another shape)", lambda: hy.engine_features(hy.HybridNet(hy.spiking_part(snn()), Sequential([Dense(snn().layers[0].size, 2, rng=0)]), 3), np.ones((2, 5))), "x")
accept(HY, "fit_head, predict, engine_features", lambda: (lambda m: check(np.allclose(hy.engine_features(m, X[:2]), hy.features(m.part, X[:2], 3)[0], rtol=0, atol=1e-9), "engine features = runner features"))(hy.fit_head(hy.spiking_part(snn()), Sequential([Dense(snn().layers[0].size, 2, rng=0)]), X, Y, 3, epochs=2)))
HS = "deep.hybrid_study"
for bad in [[], [-1], ["a"]]:
    refuse(HS, f"compare(seeds={bad!r})", lambda b=bad: evsim.deep.hybrid_study.compare(b), "seed")

SE = "deep.seenn"
se = evsim.deep.seenn
policy = lambda: Sequential([Dense(4, 3, rng=0)])  # noqa: E731
refuse(SE, "rewards('abc', Y, 1)", lambda: se.rewards("abc", Y, 1.0), "result", "'abc'")
refuse(SE, "rewards(beta=-1)", lambda: se.rewards(run_result(), Y, -1.0), "beta", "-1.0")
refuse(SE, "rewards(beta=nan)", lambda: se.rewards(run_result(), Y, NAN), "beta", "nan")
refuse(SE, "rewards(labels of another length)", lambda: se.rewards(run_result(), Y[:3], 1.0), "labels")
refuse(SE, "expected_reward(shapes differ)", lambda: se.expected_reward(np.zeros((2, 3)), np.zeros((2, 4))), "reward", "(2, 4)")
refuse(SE, "fit_policy(reward rows != samples)", lambda: se.fit_policy(policy(), X, np.zeros((3, 3))), "reward")
refuse(SE, "fit_policy(policy of another width)", lambda: se.fit_policy(policy(), X, np.zeros((8, 5))), "policy", "3")
refuse(SE, "fit_policy(lr=0)", lambda: se.fit_policy(policy(), X, np.zeros((8, 3)), lr=0.0), "lr", "0.0")
refuse(SE, "fit_policy(epochs=0)", lambda: se.fit_policy(policy(), X, np.zeros((8, 3)), epochs=0), "epochs", "0")
refuse(SE, "fit_policy('abc', ...)", lambda: se.fit_policy("abc", X, np.zeros((8, 3))), "policy", "'abc'")
refuse(SE, "choose_steps(x nan)", lambda: se.choose_steps(policy(), np.full((2, 4), NAN)), "x", "nan")
refuse(SE, "policy_run(x of another shape)", lambda: se.policy_run(snn(), policy(), np.ones((2, 5))), "x")
accept(SE, "fit_policy, policy_run", lambda: check(se.policy_run(snn(), se.fit_policy(policy(), X, se.rewards(evsim.deep.run(snn(), X, 3, labels=Y), Y, 1.0), epochs=2), X, Y).avg_steps <= 3, "at most T steps"))
for bad in [[], [-1], ["a"]]:
    refuse("deep.seenn_study", f"compare(seeds={bad!r})", lambda b=bad: evsim.deep.seenn_study.compare(b), "seed")

DI = "deep.distill"
Distillation = evsim.deep.distill.Distillation
teacher = lambda: Sequential([Dense(4, 6, rng=0), ReLU(), Dense(6, 2, rng=1)])  # noqa: E731
for arg, bad in [("output", -1.0), ("intermediate", NAN), ("back", "1"), ("temperature", 0.0), ("lr", -0.1),
                 ("teacher_layer", 9), ("seed", -1)]:
    refuse(DI, f"Distillation({arg}={bad!r})", lambda a=arg, b=bad: Distillation(teacher(), **{a: b}), arg, shown(bad))
refuse(DI, "Distillation('abc')", lambda: Distillation("abc"), "teacher", "'abc'")
refuse(DI, "Distillation(teacher without a last Dense)", lambda: Distillation(Sequential([Dense(4, 2, rng=0), ReLU()])), "teacher")
refuse(DI, "fit(guide with student_layer=5)", lambda: evsim.deep.fit(snn(), X, Y, 3, epochs=1, guide=Distillation(teacher(), intermediate=1.0, student_layer=5)), "student_layer", "5")
accept(DI, "fit with every path", lambda: evsim.deep.fit(snn(), X, Y, 3, epochs=1, guide=Distillation(teacher(), output=1.0, intermediate=1.0, back=1.0)))
for bad in [[], [-1]]:
    refuse("deep.distill_study", f"compare(seeds={bad!r})", lambda b=bad: evsim.deep.distill_study.compare(b), "seed")

# ============================================================================= datasets

T = "datasets"
ds = evsim.datasets
for bad in [0.0, 1.0, -0.1, NAN, True, "0.2"]:
    refuse(T, f"load_digits(test_fraction={bad!r})", lambda b=bad: ds.load_digits(test_fraction=b), "test_fraction", shown(bad))
for bad in BAD_SEEDS:
    refuse(T, f"load_digits(seed={bad!r})", lambda b=bad: ds.load_digits(seed=b), "seed", shown(bad))
refuse(T, "load_mnist(missing)", lambda: ds.load_mnist(tmp() / "no-mnist"), "no-mnist")
refuse(T, "load_mnist(123)", lambda: ds.load_mnist(123), "path", "123")
refuse(T, "load_mnist(text file)", lambda: ds.load_mnist(a_file("mnist.npz", b"hello")), "mnist.npz")
refuse(T, "read_idx(missing)", lambda: ds.read_idx(tmp() / "missing.idx"), "missing.idx")
refuse(T, "read_idx(text file)", lambda: ds.read_idx(a_file("text.idx", b"hello world")), "text.idx")
refuse(T, "read_idx(empty file)", lambda: ds.read_idx(a_file("empty.idx", b"")), "empty.idx")
refuse(T, "read_idx(header claims 2**31 items)", lambda: ds.read_idx(a_file("big.idx", bytes([0, 0, 8, 1]) + (2**31 - 1).to_bytes(4, "big"))), "big.idx")
refuse(T, "read_idx(None)", lambda: ds.read_idx(None), "path", "None")
refuse(T, "Dataset.fold(5) of 5", lambda: ds.load_digits().fold(5), "k", "5")
refuse(T, "Dataset.fold(0, folds=1)", lambda: ds.load_digits().fold(0, folds=1), "folds", "1")
refuse(T, "Dataset.fold(seed=-1)", lambda: ds.load_digits().fold(0, seed=-1), "seed", "-1")
accept(T, "Dataset.fold(2)", lambda: check(260 <= len(ds.load_digits().fold(2).y_test) <= 280, "a fifth held out"))
accept(T, "load_digits()", lambda: check(len(ds.load_digits().x_train) > 1000, "the digits"))
accept(T, "load_digits(0.5, seed=3)", lambda: ds.load_digits(0.5, seed=3))
accept(T, "read_idx(a valid file)", lambda: check(ds.read_idx(a_file("ok.idx", bytes([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]))).tolist() == [1, 2, 3], "values"))

# ============================================================================= timegrid

TG = "timegrid"
TimeGrid = evsim.timegrid.TimeGrid
for bad in [0.0, -1.0, NAN, INF, True, "1"]:
    refuse(TG, f"TimeGrid.of({bad!r})", lambda b=bad: TimeGrid.of(b), "dt", shown(bad))
refuse(TG, "grid.locate([nan])", lambda: net().grid.locate([NAN]), "nan")
refuse(TG, "grid.locate([0.5]) off the grid", lambda: net().grid.locate([0.5]), "0.5")
refuse(TG, "grid.locate(['a'])", lambda: net().grid.locate(["a"]), "'a'")
accept(TG, "TimeGrid.of(1.0), of(None)", lambda: (TimeGrid.of(1.0), TimeGrid.of(None)))
accept(TG, "grid.locate([0, 3])", lambda: net().grid.locate([0.0, 3.0]))
accept(TG, "continuous grid.locate([0.1])", lambda: net(dt=None).grid.locate([0.1]))
accept(TG, "RESOLUTION is a positive float", lambda: check(evsim.timegrid.RESOLUTION > 0, "positive"))

# ============================================================================= cli

K = "cli"


class CliRefusal(evsim.EvsimError):
    """The command refused as it should: exit code 2 and one line on stderr (the message)."""


def cli(*argv: str):
    """Run ``evsim argv``; a proper refusal (exit 2, one stderr line) raises :class:`CliRefusal`."""
    import contextlib
    import io as stdio

    err, out = stdio.StringIO(), stdio.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = evsim.cli.main(list(argv))
        except SystemExit as stop:
            code = stop.code
    lines = err.getvalue().strip().splitlines()
    if code == 2 and len(lines) == 1:
        raise CliRefusal(lines[0])
    if code != 0:
        last = lines[-1] if lines else ""
        raise RuntimeError(f"exit code {code!r} with {len(lines)} lines on stderr, the last: {last[-200:]!r}")
    return out.getvalue()


refuse(K, "no command", lambda: cli(), "COMMAND")
refuse(K, "unknown command", lambda: cli("fly"), "'fly'")
refuse(K, "behavior of an unknown network", lambda: cli("behavior", "nosuch"), "'nosuch'")
for bad in ["-1", "0", "abc", "1.5"]:
    refuse(K, f"behavior xor --horizon {bad}", lambda b=bad: cli("behavior", "xor", "--horizon", b), "horizon", bad)
refuse(K, "behavior xor --horizon 1000000000", lambda: cli("behavior", "xor", "--horizon", "1000000000"), "horizon")
for bad in ["-1", "0", "x"]:
    refuse(K, f"behavior and --top {bad}", lambda b=bad: cli("behavior", "and", "--top", b), "top", bad)
refuse(K, "demo nosuch", lambda: cli("demo", "nosuch"), "'nosuch'")
refuse(K, "convert --seed abc", lambda: cli("convert", "--seed", "abc"), "seed", "'abc'")
refuse(K, "convert --seed -1", lambda: cli("convert", "--seed", "-1"), "seed", "-1")
refuse(K, "convert --plot into a missing directory", lambda: cli("convert", "--plot", str(tmp() / "no" / "acc.png")), "acc.png")
refuse(K, "tour --out an existing file", lambda: cli("tour", "--out", a_file("afile", b"x"), "--quiet"), "afile")
refuse(K, "unknown option", lambda: cli("behavior", "and", "--fast"), "--fast")
refuse(K, "variation --dies 0", lambda: cli("variation", "--dies", "0"), "dies", "'0'")
refuse(K, "variation --sigma -1", lambda: cli("variation", "--sigma", "-1"), "sigma", "-1")
refuse(K, "variation --dies 10 --train-dies 20", lambda: cli("variation", "--dies", "10", "--train-dies", "20"), "dies", "10")
refuse(K, "variation --stuck-zero 2", lambda: cli("variation", "--stuck-zero", "2"), "stuck_zero", "2")
refuse(K, "distill --seeds -2", lambda: cli("distill", "--seeds", "-2"), "seeds", "'-2'")
refuse(K, "seenn --seeds x", lambda: cli("seenn", "--seeds", "x"), "seeds", "'x'")
refuse(K, "seenn --plot into a missing directory", lambda: cli("seenn", "--plot", str(tmp() / "no" / "s.png")), "s.png")
refuse(K, "hybrid --seeds -1", lambda: cli("hybrid", "--seeds", "-1"), "seeds", "'-1'")
accept(K, "demo list", lambda: cli("demo", "list"))
accept(K, "behavior and --horizon 2", lambda: check("y" in cli("behavior", "and", "--horizon", "2"), "table printed"))
accept(K, "behavior oscillator --horizon 3 --top 2", lambda: cli("behavior", "oscillator", "--horizon", "3", "--top", "2"))


def modules() -> list[str]:
    """The modules the catalogue covers, in order of first appearance."""
    return list(dict.fromkeys(case.module for case in CASES))
