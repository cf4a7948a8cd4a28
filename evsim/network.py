"""Networks as immutable, validated values.

A :class:`Network` maps neuron names to models, holds a table of synapses,
names its outputs and fixes its clock ``dt`` (``None`` for continuous time).
Inputs are its :class:`~evsim.neurons.Input` neurons; internals are the
non-input neurons that are not outputs. Construction checks every invariant
and raises :class:`~evsim.errors.ValidationError` naming the bad item.
"""

from __future__ import annotations

from functools import cached_property
from types import MappingProxyType
from typing import Iterable, Mapping

import numpy as np

from evsim._arrays import concat_ranges
from evsim import validation as check
from evsim.display import HTML_ROWS, counted, html_table
from evsim.errors import ValidationError
from evsim.neurons import Input, NeuronModel
from evsim.synapses import Synapse, SynapsesLike, SynapseTable, build_table
from evsim.timegrid import TimeGrid

__all__ = ["Network", "require_network_budget"]

_NEURON_BYTES = 1024  # a model value, its name and its slot in the tables (measured, with margin)
_SYNAPSE_BYTES = 250  # a Synapse value or column entry while building, then a table row, sort and ranks


def require_network_budget(owner: str, neurons: float, synapses: float, extra_bytes: float = 0.0) -> None:
    """Refuse (:class:`~evsim.errors.LimitError`) before building a network too big for the memory limit.

    The one estimate of what a network costs to build, for every constructor
    that knows its size in advance (library circuits, ``deep.to_network``,
    ``from_nir``); generous, so what passes also fits. ``extra_bytes``: the
    builder's own working memory.
    """
    check.require_budget(owner, f"a network of {neurons:,.0f} neurons and {synapses:,.0f} synapses",
                         neurons * _NEURON_BYTES + synapses * _SYNAPSE_BYTES + extra_bytes)


SHOWN_NEURONS, SHOWN_SYNAPSES = 12, 24  # a repr lists a network this small in full


def _synapse_call(s: Synapse) -> str:
    return f"Synapse({s.source!r}, {s.target!r}, {s.weight!r}, {s.delay!r})"


def _more(count: int, limit: int) -> list[str]:
    return [f"  … and {count - limit} more"] if count > limit else []


class Network:
    """An immutable spiking network.

    Parameters
    ----------
    neurons : mapping of str to neuron model
        ``Input``, ``IF``, ``LIF``, ``CubaLIF``, ``Stochastic`` or ``Threshold`` values.
    synapses : iterable of Synapse, SynapseTable, or mapping of arrays
        ``{"source": ..., "target": ..., "weight": ..., "delay": ...}`` with
        endpoints given as names or as indices into ``neurons``.
    outputs : iterable of str
        Non-input neurons the network exposes to composition and behaviour.
    dt : float or None
        Clock in ms (discrete rounds, default 1.0) or ``None`` (continuous
        time on a grid of :data:`~evsim.timegrid.RESOLUTION` = 1e-6 ms).

    Raises
    ------
    ValidationError
        Unknown endpoint, synapse into an input, non-finite weight, negative
        delay, delay or refractory period off the time grid (``dt``, or the
        resolution in continuous time), zero-delay cycle (named), outputs
        that are unknown or inputs, a stochastic neuron in continuous time or
        fed through a delay other than ``dt``.

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=2.0)},
    ...                     {"source": ["x", "x"], "target": ["y", "y"], "weight": [1.0, 1.0], "delay": [1.0, 2.0]},
    ...                     outputs={"y"})
    >>> net
    Network({'x': Input(), 'y': IF(threshold=2.0)}, [Synapse('x', 'y', 1.0, 1.0), Synapse('x', 'y', 1.0, 2.0)],
            outputs=['y'], dt=1.0)
    >>> sorted(net.inputs), net.discrete, net.delay_steps.tolist()
    (['x'], True, [1.0, 2.0])
    """

    def __init__(
        self,
        neurons: Mapping[str, NeuronModel],
        synapses: SynapsesLike = (),
        outputs: Iterable[str] = (),
        dt: float | None = 1.0,
    ) -> None:
        self._neurons = MappingProxyType(dict(_checked_neurons(neurons)))
        self._names = tuple(self._neurons)
        self._dt = _checked_dt(dt)
        self._table = build_table(synapses, self._names)
        self._outputs = frozenset(check.name_set("outputs", outputs, owner="Network"))
        self._validate()

    # -- read-only views --------------------------------------------------
    @property
    def neurons(self) -> Mapping[str, NeuronModel]:
        """Name → model, in construction order (the index order)."""
        return self._neurons

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    @property
    def dt(self) -> float | None:
        return self._dt

    @property
    def table(self) -> SynapseTable:
        """The synapses as parallel index arrays."""
        return self._table

    @property
    def outputs(self) -> frozenset[str]:
        return self._outputs

    @cached_property
    def inputs(self) -> frozenset[str]:
        return frozenset(n for n, m in self._neurons.items() if isinstance(m, Input))

    @cached_property
    def internals(self) -> frozenset[str]:
        return frozenset(self._names) - self.inputs - self._outputs

    @cached_property
    def synapses(self) -> tuple[Synapse, ...]:
        """The synapses as :class:`Synapse` values (built on first use)."""
        t, names = self._table, self._names
        return tuple(
            Synapse(names[s], names[g], float(w), float(d))
            for s, g, w, d in zip(t.source, t.target, t.weight, t.delay)
        )

    @cached_property
    def ranks(self) -> np.ndarray:
        """Depth of each neuron in the (acyclic) graph of zero-delay synapses."""
        return _zero_delay_ranks(len(self._names), self._table, self._names)

    @property
    def discrete(self) -> bool:
        return self._dt is not None

    @cached_property
    def grid(self) -> TimeGrid:
        """The time grid: step ``dt``, or the resolution in continuous time."""
        return TimeGrid.of(self._dt)

    @cached_property
    def delay_steps(self) -> np.ndarray:
        """Each synapse's delay in whole grid steps (raises if one is not a multiple of the step)."""
        steps = self.grid.steps(self._table.delay, lambda row: f"{self._describe(row)} has delay")
        steps.setflags(write=False)
        return steps

    def index(self, name: str) -> int:
        """Position of a neuron in :attr:`names`."""
        try:
            return self._names.index(name)
        except ValueError:
            raise ValidationError(f"{name!r} is not a neuron of this network; accepted: the names in "
                                  f"net.names") from None

    # -- value semantics ---------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Network):
            return NotImplemented
        return (
            dict(self._neurons) == dict(other._neurons)
            and self._outputs == other._outputs
            and self._dt == other._dt
            and sorted(self.synapses) == sorted(other.synapses)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """Complete for a small network (every neuron's parameters, every synapse), else a summary."""
        if len(self._names) > SHOWN_NEURONS or len(self._table) > SHOWN_SYNAPSES:
            return f"Network({self._summary()}; net.describe() lists them)"
        neurons = ", ".join(f"{name!r}: {model.brief()}" for name, model in self._neurons.items())
        synapses = ", ".join(_synapse_call(s) for s in self.synapses)
        return f"Network({{{neurons}}}, [{synapses}], outputs={sorted(self._outputs)}, dt={self._dt})"

    def describe(self, limit: int = 40) -> str:
        """The network as text: a summary line, then its neurons (with the parameters that differ from the
        defaults) and its synapses, at most ``limit`` of each ("… and N more" after)."""
        limit = check.integer("limit", limit, owner="Network.describe", minimum=1)
        lines = [f"Network: {self._summary()}", "neurons:"]
        lines += [f"  {name:<12} {self._role(name):<8} {model.brief()}"
                  for name, model in list(self._neurons.items())[:limit]]
        lines += _more(len(self._names), limit)
        lines.append("synapses (source -> target, weight, delay ms):")
        lines += [f"  {s.source} -> {s.target}, {s.weight!r}, {s.delay!r}" for s in self.synapses[:limit]]
        lines += _more(len(self._table), limit) if len(self._table) else ["  (none)"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        neurons = html_table(["neuron", "role", "model"], [[name, self._role(name), model.brief()]
                                                          for name, model in self._neurons.items()],
                             title=f"Network: {self._summary()}")
        synapses = html_table(["source", "target", "weight", "delay (ms)"],
                              [[s.source, s.target, repr(s.weight), repr(s.delay)] for s in self.synapses[:HTML_ROWS]],
                              total=len(self._table))
        return neurons + synapses

    def _role(self, name: str) -> str:
        """"input", "output" or "internal"."""
        return "input" if name in self.inputs else "output" if name in self._outputs else "internal"

    def _summary(self) -> str:
        clock = "continuous time" if self._dt is None else f"dt={self._dt}"
        counts = (counted(len(self.inputs), "input"), counted(len(self._outputs), "output"))
        return (f"{counted(len(self._names), 'neuron')} ({counts[0]}, {counts[1]}, {len(self.internals)} internal), "
                f"{counted(len(self._table), 'synapse')}, {clock}")

    # -- validation ----------------------------------------------------------
    def _validate(self) -> None:
        self._check_outputs()
        self._check_synapse_values()
        self._check_grid()
        self._check_clock_needs()
        self.ranks  # noqa: B018 - raises on a zero-delay cycle

    def _describe(self, row: int) -> str:
        t, names = self._table, self._names
        return f"synapse {names[t.source[row]]!r} -> {names[t.target[row]]!r}"

    def _check_outputs(self) -> None:
        for name in sorted(self._outputs):
            if name not in self._neurons:
                raise ValidationError(f"output {name!r} is not a neuron of the network")
            if isinstance(self._neurons[name], Input):
                raise ValidationError(
                    f"output {name!r} is an Input neuron; outputs must be non-input neurons"
                )

    def _check_synapse_values(self) -> None:
        t = self._table
        is_input = np.array([isinstance(m, Input) for m in self._neurons.values()], bool)
        checks = (
            (is_input[t.target] if len(t) else np.zeros(0, bool),
             "ends at an Input neuron; inputs are driven only from outside"),
            (~np.isfinite(t.weight), "has weight {w!r}; weights must be finite"),
            (~np.isfinite(t.delay) | (t.delay < 0), "has delay {d!r}; delays must be finite and >= 0 ms"),
        )
        for bad, message in checks:
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                detail = message.format(w=float(t.weight[row]), d=float(t.delay[row]))
                raise ValidationError(f"{self._describe(row)} {detail}")

    def _check_grid(self) -> None:
        """Delays and every model's periods are whole numbers of grid steps."""
        self.delay_steps  # noqa: B018 - raises on a delay off the grid
        for name, model in self._neurons.items():
            for parameter, value in model.durations().items():
                self.grid.steps(value, lambda _: f"neuron {name!r} has {parameter}")

    def _check_clock_needs(self) -> None:
        """Models that run only in rounds, or only behind synapses of a fixed delay, get them."""
        for name, model in self._neurons.items():
            if model.rounds_only and self._dt is None:
                raise ValidationError(
                    f"neuron {name!r} is a {type(model).__name__} neuron, {model.why_rounds_only}; "
                    f"give the network a clock, e.g. dt=1.0"
                )
        t = self._table
        fixed = np.array([m.input_delay_steps if m.input_delay_steps is not None else -1
                          for m in self._neurons.values()], float)
        if not len(t) or (fixed < 0).all():
            return
        want = fixed[t.target]
        bad = (want >= 0) & (self.delay_steps != want)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            steps = int(want[row])
            raise ValidationError(
                f"{self._describe(row)} has delay {float(t.delay[row])!r} ms; synapses into "
                f"{type(self._neurons[self._names[t.target[row]]]).__name__} neurons must have delay "
                f"{steps} × dt = {steps * self._dt!r} ms (one round)"
            )


def _checked_neurons(neurons: Mapping[str, NeuronModel]):
    if not isinstance(neurons, Mapping):
        raise ValidationError(f"neurons must be a mapping of name to model, got {type(neurons).__name__}")
    for name, model in neurons.items():
        if not isinstance(name, str) or not name:
            raise ValidationError(f"neuron names must be non-empty strings, got {name!r}")
        if not isinstance(model, NeuronModel):
            raise ValidationError(
                f"neuron {name!r} has model {model!r}; expected a neuron model such as "
                f"Input(), IF(), LIF(), Stochastic() or Threshold()"
            )
        yield name, model


def _checked_dt(dt: float | None) -> float | None:
    if dt is None:
        return None
    return check.real("dt (ms; None for continuous time)", dt, owner="Network", minimum=0, exclusive_minimum=True)


def _zero_delay_ranks(n: int, table: SynapseTable, names: tuple[str, ...]) -> np.ndarray:
    """Longest-path depth over zero-delay synapses (Kahn's algorithm, vectorised).

    Raises ValidationError naming one cycle if the zero-delay graph has one.
    """
    zero = table.delay == 0
    src, tgt = table.source[zero], table.target[zero]
    ranks = np.zeros(n, np.int64)
    stuck = _peel(n, src, tgt, ranks)
    if stuck.size:
        raise ValidationError(_describe_cycle(stuck, src, tgt, names))
    return ranks


def cycle_in(n: int, source: np.ndarray, target: np.ndarray) -> list[int] | None:
    """One directed cycle of the graph on ``n`` nodes with edges ``source[i] -> target[i]``, or ``None``.

    Kahn's algorithm peels off every node that no cycle reaches; a cycle is
    then found among the rest by walking back through their predecessors.
    The cycle is returned as node indices, starting at the smallest.
    """
    stuck = _peel(n, source, target)
    return _cycle_path(stuck, source, target) if stuck.size else None


def _peel(n: int, source: np.ndarray, target: np.ndarray, ranks: np.ndarray | None = None) -> np.ndarray:
    """Kahn's algorithm, a whole frontier at a time: the nodes left over (on or behind a cycle).

    With ``ranks``, also writes each peeled node's longest-path depth into it.
    """
    indegree = np.bincount(target, minlength=n)
    order = np.argsort(source, kind="stable")
    src_sorted, tgt_sorted = source[order], target[order]
    starts = np.searchsorted(src_sorted, np.arange(n + 1))
    frontier = np.flatnonzero(indegree == 0)
    while frontier.size:
        rows = concat_ranges(starts[frontier], starts[frontier + 1])
        succ = tgt_sorted[rows]
        if ranks is not None:
            np.maximum.at(ranks, succ, ranks[src_sorted[rows]] + 1)
        np.subtract.at(indegree, succ, 1)
        frontier = np.unique(succ[indegree[succ] == 0])
    return np.flatnonzero(indegree > 0)


def _cycle_path(stuck: np.ndarray, src: np.ndarray, tgt: np.ndarray) -> list[int]:
    """Walk backwards through predecessors that are still stuck until a node repeats."""
    stuck_set = set(stuck.tolist())
    predecessor = {}
    for s, g in zip(src.tolist(), tgt.tolist()):
        if s in stuck_set and g in stuck_set:
            predecessor.setdefault(g, s)
    node, seen = int(stuck[0]), []
    while node not in seen:
        seen.append(node)
        node = predecessor[node]
    loop = seen[seen.index(node):][::-1]
    start = loop.index(min(loop))  # canonical: begin at the earliest-declared neuron
    return loop[start:] + loop[:start]


def _describe_cycle(stuck: np.ndarray, src: np.ndarray, tgt: np.ndarray, names: tuple[str, ...]) -> str:
    loop = _cycle_path(stuck, src, tgt)
    path = " -> ".join(names[i] for i in loop + [loop[0]])
    return (
        f"zero-delay cycle {path}: a spike would arrive at the instant it was sent; "
        f"give at least one of these synapses a positive delay"
    )

