"""``from_nir``: a NIR graph as an evsim network (semantics in :mod:`evsim.nirio`)."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from evsim.deep.to_network import UNREACHABLE
from evsim.errors import EvsimError, ValidationError
from evsim.network import Network, require_network_budget
from evsim.neurons import IF, LIF, CubaLIF, Input
from evsim.nirio.signals import Signal, conv2d_matrix, pool2d_matrix
from evsim.validation import choice, flag, readable_file, real, refuse, require_budget, unique_names

__all__ = ["from_nir", "UnsupportedNode"]

LINEAR = ("Affine", "Linear", "Scale", "Conv2d", "SumPool2d", "AvgPool2d", "Flatten", "Delay")
NEURONS = ("IF", "LIF", "CubaLIF")
_PARAMETERS = ("v_threshold", "r", "tau", "v_leak", "v_reset", "tau_syn", "tau_mem", "w_in")  # give a node its width


_REPLACE = ("Replace it in the model before exporting (or in the graph: nir.read, then edit graph.nodes and "
            "graph.edges) by the supported nodes that compute the same")
_REPLACEMENTS = {  # the usual reasons a node appears, and what to write instead
    "LI": "A leaky integrator without spikes, usually a read-out: end the model with its Affine/Linear instead "
          "(evsim then adds accumulator neurons whose potential is the summed read-out)",
    "I": "An integrator without spikes, usually a read-out: end the model with its Affine/Linear instead "
         "(evsim then adds accumulator neurons whose potential is the summed read-out)",
    "Conv1d": "Write it as a Conv2d with a height of 1 (kernel (1, k))",
}


class UnsupportedNode(ValidationError):
    """A NIR node evsim cannot run, named with its path in the graph."""


def from_nir(graph, dt: float | None = None, *, reset: str | None | Mapping[str, str | None] = None,
             refractory: float | None | Mapping[str, float | None] = None, loop_delay: bool = False,
             w_in: str | None | Mapping[str, str | None] = None) -> Network:
    """The evsim network (discrete clock ``dt``) that runs ``graph`` as :mod:`evsim.nirio` defines.

    The arguments after ``dt`` say what a NIR file cannot, for every neuron node or,
    as a mapping ``{node path: value}``, for the nodes named (paths as in the
    flattened graph, ``"1.lif"`` for node ``lif`` of subgraph ``1``).

    Evaluated in evsim's order of operations; the spikes equal the library's
    as long as no potential lies within rounding of a threshold.

    Parameters
    ----------
    graph : nir.NIRGraph, str or os.PathLike
        ``graph`` is a ``nir.NIRGraph`` or the path of a NIR file (``nir.read``
        without type checking, which would insert nodes).
    dt : float, optional
        The clock, ``> 0``. ``dt`` defaults to the
        ``evsim_dt`` the graph's metadata records (set by
        :func:`~evsim.nirio.to_nir`); a graph from another tool must be given one
        (NIR has no field for it), in the unit of its time constants.
    reset : None, "subtract" or mapping, optional
        ``None``: the hard reset to ``v_reset`` the file writes.
        ``"subtract"``: a soft reset instead, as snnTorch's
        ``reset_mechanism="subtract"`` (which it exports as ``v_reset = 0``):
        ``v_threshold`` is taken off the next step's decayed potential,
        ``v_k = β·v_{k−1} + I_k − s_{k−1}·v_threshold`` — evsim's subtract
        reset by ``reset_by = v_threshold/β``. Default ``None``.
    refractory : float, None or mapping, optional
        A refractory period (the graph's time unit, a multiple of ``dt``).
        ``2·dt`` holds the potential at its reset value for the step after a
        spike and drops that step's input: snnTorch's ``RLeaky`` with
        ``reset_mechanism="zero"``. Default ``None``: none.
    loop_delay : bool, optional
        ``True``: a path from a neuron node back to itself with no ``Delay``
        node (snnTorch's ``RLeaky`` exports ``lif → w_rec → lif``) acts one
        step later, as the recurrent layers of snnTorch and Norse run it.
        ``False`` (the default) refuses such a loop.
    w_in : None, "unscaled" or mapping, optional
        CubaLIF nodes: ``None``, the file's input weight; ``"unscaled"``, the
        input jumps into the current as it is (``i ← i + I`` before the
        decay, Norse's ``LIFCell``, whose files write ``w_in = 1``): the
        ``w_in = tau_syn/dt`` under which NIR's equations say that. Default ``None``.

    Returns
    -------
    Network
        A discrete network of clock ``dt``.

    Raises
    ------
    ValidationError
        A missing or unreadable file, a bad ``dt``, or a graph evsim cannot
        run (:class:`UnsupportedNode` names the node).
    LimitError
        The file's datasets exceed ``limits(file_bytes=...)``, or a dense
        matrix the graph needs exceeds ``limits(memory=...)``.

    Examples
    --------
    >>> import evsim
    >>> from evsim.nirio import from_nir, to_nir
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0, reset="zero")},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> back = from_nir(to_nir(net))              # dt read back from the graph's metadata
    >>> back.names, back.dt, evsim.simulate(back, {"x": [0, 1, 2]}, until=5).trains()["y"].tolist()
    (('x', 'y'), 1.0, [2.0])
    """
    import nir

    if not isinstance(graph, nir.NIRGraph):
        if not isinstance(graph, (str, os.PathLike)):
            raise ValidationError(f"from_nir: graph must be a nir.NIRGraph or the path of a NIR file, got "
                                  f"{graph!r:.60} ({type(graph).__name__})")
        graph = _read_file(readable_file("graph", graph, owner="from_nir"))
    options = _Options(reset, refractory, flag("loop_delay", loop_delay, owner="from_nir"), w_in)
    return _Reader(graph, dt, options).network()


class _Options:
    """What the caller says that the file cannot: per neuron node, a reset and a refractory period."""

    def __init__(self, reset, refractory, loop_delay: bool, w_in=None) -> None:
        self.reset = _PerNode("reset", reset, lambda value: None if value is None else choice(
            "reset", value, ("subtract",), owner="from_nir (None: the file's v_reset)"))
        self.refractory = _PerNode("refractory", refractory, lambda value: 0.0 if value is None else real(
            "refractory", value, owner="from_nir", minimum=0.0))
        self.w_in = _PerNode("w_in", w_in, lambda value: None if value is None else choice(
            "w_in", value, ("unscaled",), owner="from_nir (None: the file's w_in)"))
        self.loop_delay = loop_delay

    def check_nodes(self, nodes: Iterable[str]) -> None:
        """Every node a mapping names must be one of the graph's neuron nodes."""
        nodes = list(nodes)
        for argument, given in (("reset", self.reset), ("refractory", self.refractory), ("w_in", self.w_in)):
            unknown = [path for path in given.named if path not in nodes]
            if unknown:
                raise refuse("from_nir", f"{argument} (a mapping from neuron node paths)",
                             f"keyed by neuron nodes of the graph: {', '.join(map(repr, nodes)) or 'none'}",
                             unknown[0])


class _PerNode:
    """One value for every node, or a mapping ``{node path: value}`` (each value checked by ``check``)."""

    def __init__(self, argument: str, given, check) -> None:
        if isinstance(given, Mapping):
            for path in given:
                if not isinstance(path, str):
                    raise refuse("from_nir", f"{argument} (a mapping)", "keyed by node paths (strings)", path)
            self.named = {path: check(value) for path, value in given.items()}
            self.default = check(None)
        else:
            self.named, self.default = {}, check(given)

    def __call__(self, path: str):
        return self.named.get(path, self.default)


def _time_step(graph, dt) -> float:
    """``dt`` as given, else the ``evsim_dt`` the graph records; NIR itself has no field for it."""
    if dt is not None:
        return real("dt", dt, owner="from_nir", minimum=0.0, exclusive_minimum=True)
    recorded = _meta(graph, "evsim_dt")
    if recorded is None:
        raise ValidationError(
            "from_nir: the graph does not say its time step (NIR has no field for it); give dt= in the graph's "
            "time unit (NIR writes seconds): snnTorch exports are meant at dt=1e-4; Norse 1.1 runs at 1e-3 but "
            "writes tau = dt·τ, so its LIF files step as Norse did at dt=1e-6 (and IAF files at dt=1)")
    recorded = recorded.item() if isinstance(recorded, np.ndarray) and recorded.size == 1 else recorded
    return real("dt", recorded, owner="from_nir (the graph's evsim_dt)", minimum=0.0, exclusive_minimum=True)


def _read_file(path: Path):
    import nir

    _check_datasets(path)
    try:
        return nir.read(str(path), type_check=False)
    except Exception as exc:  # h5py and nir raise many kinds
        raise ValidationError(f"{path}: not a readable NIR file ({type(exc).__name__}: {exc}); expected a NIR "
                              f"(HDF5) file written by nir.write") from None


def _check_datasets(path: Path) -> None:
    """Refuse a file whose datasets (the bytes ``nir.read`` would load) exceed ``limits(file_bytes=...)``."""
    import h5py

    require_budget(f"from_nir({path})", "the file", path.stat().st_size, "file_bytes")
    sizes = []
    try:
        with h5py.File(path, "r") as f:
            f.visititems(lambda _, item: sizes.append(item.size * item.dtype.itemsize)
                         if isinstance(item, h5py.Dataset) else None)
    except Exception as exc:  # not HDF5, or damaged: h5py raises OSError, KeyError, RuntimeError, ...
        raise ValidationError(f"{path}: not a readable NIR file ({type(exc).__name__}: {exc}); expected a NIR "
                              f"(HDF5) file written by nir.write") from None
    require_budget(f"from_nir({path})", "the file's datasets", sum(sizes), "file_bytes")


def _meta(node, key, default=None):
    value = getattr(node, "metadata", {}).get(key, default)
    if isinstance(value, np.ndarray) and value.dtype.kind in "SO":  # strings come back from HDF5 as bytes
        return [v.decode() if isinstance(v, bytes) else str(v) for v in value.ravel()]
    return value


def _flat(value, shape) -> np.ndarray:
    """``value`` with one entry per element of ``shape``: as many values as elements, or one broadcast to all."""
    array = np.asarray(value, float)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if array.size == math.prod(shape):
        return array.ravel()
    return np.broadcast_to(array, shape).ravel()


class _Reader:
    """One pass over a flattened graph: signals by memoised recursion, then neurons and synapses."""

    def __init__(self, graph, dt: float | None, options: _Options) -> None:
        self.options = options
        self.recorded_table = getattr(graph, "metadata", None) or {}
        self.nodes, edges = {}, []
        self._flatten(graph, "", edges)  # (unsupported nodes are named before a missing dt)
        self.dt = _time_step(graph, dt)
        self.sources = {path: [] for path in self.nodes}
        for src, dst in edges:
            self.sources[dst].append(src)
        self.memo, self.visiting, self.sizing = {}, [], []
        self.populations: dict[str, tuple[int, ...]] = {}
        for path, node in self.nodes.items():
            if self._is_population(path, node):
                self.shape_of(path)
        self.populations = {p: self.populations[p] for p in self.nodes if p in self.populations}  # graph order
        options.check_nodes(p for p in self.populations if type(self.nodes[p]).__name__ in NEURONS)
        total = sum(math.prod(shape) for shape in self.populations.values())
        require_network_budget("from_nir", total, 0)

    # -- structure ---------------------------------------------------------------------------------------

    def _flatten(self, graph, prefix: str, edges: list) -> None:
        subgraphs = {}
        for name, node in graph.nodes.items():
            kind = type(node).__name__
            if kind == "NIRGraph":
                subgraphs[name] = node
                self._flatten(node, f"{prefix}{name}.", edges)
            elif kind in LINEAR + NEURONS + ("Input", "Output"):
                self.nodes[prefix + name] = node
            else:
                raise UnsupportedNode(f"NIR node {prefix + name!r} is a {kind}, which evsim does not run; supported: "
                                      f"{', '.join(LINEAR + NEURONS)}, Input, Output, NIRGraph. "
                                      f"{_REPLACEMENTS.get(kind, _REPLACE)}")
        for src, dst in graph.edges:
            edges.append((self._endpoint(prefix, src, subgraphs, "Output"),
                          self._endpoint(prefix, dst, subgraphs, "Input")))

    def _endpoint(self, prefix: str, name: str, subgraphs: dict, role: str) -> str:
        if name in subgraphs:  # an edge to (from) a subgraph as a whole: its only Input (Output)
            inner = [n for n, node in subgraphs[name].nodes.items() if type(node).__name__ == role]
            if len(inner) != 1:
                raise ValidationError(f"NIR edge names subgraph {prefix + name!r} but it has {len(inner)} {role} "
                                      f"nodes; name one as '{name}.<{role.lower()}>'")
            name = f"{name}.{inner[0]}"
        if prefix + name not in self.nodes:
            raise ValidationError(f"NIR edge endpoint {prefix + name!r} is not a node of the graph")
        return prefix + name

    def _is_population(self, path: str, node) -> bool:
        kind = type(node).__name__
        return kind in NEURONS or (kind == "Input" and "." not in path)

    def shape_of(self, path: str) -> tuple[int, ...]:
        """A population's shape: declared by an Input, by per-neuron parameters, or else taken from its input.

        Exporters often write one value for a whole layer (snnTorch's ``Leaky(beta=0.9)``, Norse's
        parameters of shape ``()``): such a node has the width of what arrives at it, and its
        parameters are broadcast to that width.
        """
        if path not in self.populations:
            shape = self._shape(path)
            self.populations.setdefault(path, shape)  # (a loop through it may have fixed it already)
        return self.populations[path]

    def _shape(self, path: str) -> tuple[int, ...]:
        node = self.nodes[path]
        if type(node).__name__ != "Input":
            with _fields_of(path, node):
                widest = max((np.shape(np.asarray(getattr(node, field), float)) for field in _PARAMETERS
                              if getattr(node, field, None) is not None), key=lambda s: math.prod(s))
            if math.prod(widest) > 1:
                return tuple(widest)
            if path in self.sizing:  # on a loop through itself: one value means one neuron
                return tuple(widest) or (1,)
            self.sizing.append(path)
            x = self.input(path)
            self.sizing.pop()
            return x.shape if x is not None else (1,)
        declared = np.atleast_1d(np.asarray(node.input_type.get("input", [])))
        if declared.ndim != 1 or declared.size == 0 or declared.dtype.kind not in "iu" or np.any(declared < 1):
            raise ValidationError(f"NIR Input {path!r}: its shape must be positive integers, got {declared}")
        return tuple(int(s) for s in declared)

    # -- signals -----------------------------------------------------------------------------------------

    def output(self, path: str) -> Signal:
        """The signal a node emits (memoised; a cycle without a neuron is an error)."""
        if self._is_population(path, self.nodes[path]):
            return Signal.of_population(path, self.shape_of(path))
        if path not in self.memo:
            if path in self.visiting:
                cycle = " → ".join(self.visiting[self.visiting.index(path):] + [path])
                raise ValidationError(f"NIR graph has a cycle with no neuron on it: {cycle}; such a loop has "
                                      f"no value at any step")
            self.visiting.append(path)
            x = self.input(path)
            with _fields_of(path, self.nodes[path]):
                self.memo[path] = self._apply(path, x)
            self.visiting.pop()
        return self.memo[path]

    def input(self, path: str) -> Signal | None:
        """The sum of everything arriving at ``path`` (``None`` if nothing does)."""
        signals = [self.output(src) for src in self.sources[path]]
        if not signals:
            return None
        total = signals[0]
        for other in signals[1:]:
            if other.size != total.size:
                raise ValidationError(f"NIR node {path!r} receives signals of sizes {total.size} and {other.size}")
            total = total + other
        return total

    def _apply(self, path: str, x: Signal | None) -> Signal:
        node, kind = self.nodes[path], type(self.nodes[path]).__name__
        if x is None:
            raise ValidationError(f"NIR node {path!r} ({kind}) has no incoming edge")
        if kind in ("Input", "Output"):  # a subgraph's port: the identity
            return x
        if kind == "Flatten":
            start, end = node.start_dim, node.end_dim % len(x.shape)
            return x.reshaped(x.shape[:start] + (int(np.prod(x.shape[start:end + 1])),) + x.shape[end + 1:])
        if kind == "Delay":
            return x.delayed(self._delay_steps(path, node, x))
        if kind in ("Affine", "Linear", "Scale"):
            if kind == "Scale":
                require_budget("from_nir", f"a dense {x.size}×{x.size} matrix (Scale {path!r})", 8.0 * x.size ** 2)
            matrix = np.diag(_flat(node.scale, x.size)) if kind == "Scale" else np.asarray(node.weight, float)
            self._check_width(path, matrix, x)
            return x.mapped(matrix, (matrix.shape[0],), np.asarray(node.bias, float) if kind == "Affine" else 0.0)
        in_shape = self._image_shape(path, x)
        if kind == "Conv2d":
            matrix, shape = conv2d_matrix(in_shape, np.asarray(node.weight, float), node.stride, node.padding,
                                          node.dilation, node.groups)
            return x.mapped(matrix, shape, np.repeat(_flat(node.bias, shape[0]), shape[1] * shape[2]))
        matrix, shape = pool2d_matrix(in_shape, node.kernel_size, node.stride, node.padding,
                                      average=kind == "AvgPool2d")
        return x.mapped(matrix, shape)

    def _check_width(self, path, matrix, x: Signal) -> None:
        if matrix.ndim != 2 or matrix.shape[1] != x.size:
            raise ValidationError(f"NIR node {path!r}: weight of shape {matrix.shape} cannot take an input of "
                                  f"{x.size} values")

    def _image_shape(self, path: str, x: Signal) -> tuple[int, int, int]:
        if len(x.shape) != 3:
            raise ValidationError(f"NIR node {path!r} needs (channels, height, width) input, got shape {x.shape}")
        return x.shape

    def _delay_steps(self, path: str, node, x: Signal) -> np.ndarray:
        steps = _flat(node.delay, x.size) / self.dt
        if np.any(steps < 0) or not np.allclose(steps, np.round(steps), rtol=0, atol=1e-9):
            raise ValidationError(f"NIR Delay {path!r}: delays {np.asarray(node.delay)} are not non-negative "
                                  f"multiples of dt = {self.dt}; choose dt to divide them")
        return np.round(steps).astype(int)

    # -- the network -------------------------------------------------------------------------------------

    def network(self) -> Network:
        neurons, columns = {}, {"source": [], "target": [], "weight": [], "delay": []}
        names = {p: self._names(p) for p in self.populations}
        unique_names("the neuron names (evsim_names metadata, else node paths)",
                     [name for p in names for name in names[p]], owner="from_nir")
        for path, shape in self.populations.items():
            node = self.nodes[path]
            if type(node).__name__ == "Input":
                neurons.update((name, Input()) for name in names[path])
                continue
            with _fields_of(path, node):
                gain, models = self._neurons(path, node)
            x = self.input(path) or Signal.zero(shape)
            if x.size != len(names[path]):
                raise ValidationError(f"NIR neuron node {path!r} has {len(names[path])} neurons but receives "
                                      f"{x.size} values; give it one parameter value per neuron (one value is "
                                      f"broadcast only where the width can be read from its input, not on a loop)")
            neurons.update(zip(names[path], (m(bias=float(b)) for m, b in zip(models, gain * x.bias))))
            self._synapses(x, gain, names[path], names, columns, loop_of=path if self.options.loop_delay else None)
        table = _recorded_order(self.recorded_table, _concatenated(columns), self.dt)
        readouts = {key: [] for key in columns}
        outputs = self._outputs(names, neurons, readouts)
        table = {key: np.concatenate([table[key], _concatenated(readouts)[key]]) for key in table}
        try:
            return Network(neurons, table, outputs=outputs, dt=self.dt)
        except ValidationError as error:
            if "zero-delay cycle" not in str(error):
                raise
            raise ValidationError(
                f"from_nir: the graph has a loop without a Delay node ({error}). NIR edges carry no delay, so "
                f"such a loop would feed a spike back within its own step; snnTorch's RLeaky and Norse's "
                f"recurrent cells mean the recurrent input one step later: pass loop_delay=True (a node's path "
                f"back to itself then acts one step later) or put a nir.Delay(delay=dt) on the loop's edge. "
                f"snnTorch's RLeaky also resets its own way: reset='subtract' for its default, refractory=2*dt "
                f"for reset_mechanism='zero'"
            ) from None

    def _names(self, path: str) -> list[str]:
        recorded = _meta(self.nodes[path], "evsim_names")
        n = int(np.prod(self.populations[path], dtype=int))
        if recorded is None or len(recorded) != n:
            return [f"{path}[{i}]" for i in range(n)]
        return list(unique_names(f"evsim_names of NIR node {path!r}", recorded, owner="from_nir"))

    def _neurons(self, path: str, node):
        """Per element: the input gain and a factory of the evsim model (given its bias)."""
        shape = self.populations[path]
        reset, refractory = self.options.reset(path), self.options.refractory(path)
        if _meta(node, "evsim_exact") is not None:
            if reset is not None or refractory:
                raise ValidationError(f"from_nir: node {path!r} carries evsim's exact parameters (evsim_* metadata), "
                                      f"which say its reset and refractory period; give reset= and refractory= only "
                                      f"for nodes of other tools (a mapping names them), or change the evsim "
                                      f"network before to_nir")
            return np.ones(int(np.prod(shape))), _exact_models(node, shape)
        kind, dt = type(node).__name__, self.dt
        v_threshold = _flat(node.v_threshold, shape)
        theta = np.nextafter(v_threshold, np.inf)  # NIR fires on v > v_thr; evsim on m >= θ
        resets = ["subtract"] * theta.size if reset == "subtract" else [float(v) for v in _flat(node.v_reset, shape)]
        r = _flat(node.r, shape)
        common = dict(refractory=refractory)
        if kind == "IF":  # (subtract: v_threshold itself comes off, not evsim's θ one float above it)
            amounts = v_threshold if reset == "subtract" else [None] * theta.size
            models = [_factory(IF, threshold=float(t), reset=v, reset_by=None if a is None else float(a), **common)
                      for t, v, a in zip(theta, resets, amounts)]
            return dt * r, models
        if kind == "CubaLIF":
            if reset is not None or refractory:
                raise ValidationError(f"from_nir: CubaLIF node {path!r} takes neither reset= nor refractory= (evsim's "
                                      f"CubaLIF, like snnTorch's Synaptic and Norse's LIFCell, has its hard reset "
                                      f"to v_reset and no refractory period); name other nodes in a mapping")
            unscaled = self.options.w_in(path) == "unscaled"
            return _cuba_lif(path, node, shape, dt, theta, resets, r, unscaled)
        tau, v_leak = _flat(node.tau, shape), _flat(node.v_leak, shape)
        if np.any(~(tau > dt)):
            raise ValidationError(f"NIR LIF {path!r}: forward Euler needs tau > dt = {dt}, got tau = {tau.min()}; "
                                  f"use a smaller dt")
        beta = 1.0 - dt / tau
        reset_by = v_threshold / beta if reset == "subtract" else np.full(theta.size, np.nan)
        models = [_factory(LIF.from_beta, float(b), dt=dt, threshold=float(th), v_rest=float(vl), v_init=0.0,
                           reset=v, reset_by=None if math.isnan(a) else float(a), **common)
                  for b, th, vl, v, a in zip(beta, theta, v_leak, resets, reset_by)]
        return dt * r / tau, models

    def _synapses(self, x: Signal, gain, target_names, names, columns, loop_of: str | None = None) -> None:
        """The synapses of signal ``x`` into ``target_names``; a zero-delay path from ``loop_of`` to itself
        gets one step (``loop_delay=True``)."""
        for (population, delay), matrix in x.terms.items():
            delay = 1 if population == loop_of and delay == 0 else delay
            rows, cols = np.nonzero(matrix)
            columns["source"].append(np.asarray(names[population], dtype=object)[cols])
            columns["target"].append(np.asarray(target_names, dtype=object)[rows])
            columns["weight"].append(gain[rows] * matrix[rows, cols])
            columns["delay"].append(np.full(rows.size, delay * self.dt))

    def _outputs(self, names, neurons, columns) -> set[str]:
        """Neurons an Output reads directly are outputs; anything else read gets accumulator neurons."""
        outputs = set()
        for path, node in self.nodes.items():
            if type(node).__name__ != "Output" or "." in path:
                continue
            x = self.input(path)
            if x is None:
                continue
            selected = _selection(x, names)
            if selected is not None:
                outputs.update(selected)
                continue
            readout = [f"{path}[{i}]" for i in range(x.size)]
            taken = [name for name in readout if name in neurons]
            if taken:
                raise ValidationError(f"from_nir: the read-out neuron {taken[0]!r} of Output {path!r} has the name "
                                      f"of another neuron (evsim_names metadata); names must be distinct")
            neurons.update((name, IF(threshold=UNREACHABLE, bias=float(b))) for name, b in zip(readout, x.bias))
            self._synapses(x, np.ones(x.size), readout, names, columns)
            outputs.update(readout)
        return outputs


@contextlib.contextmanager
def _fields_of(path: str, node):
    """Turn NumPy's complaints about a node's fields (strings, ragged or mis-shaped arrays) into a typed error."""
    try:
        yield
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError) as error:
        if isinstance(error, EvsimError):
            raise
        raise ValidationError(f"NIR node {path!r} ({type(node).__name__}) has fields evsim cannot use: "
                              f"{type(error).__name__}: {error}") from None


def _concatenated(columns: dict) -> dict:
    return {key: np.concatenate(parts) if parts else np.array([], dtype=object if key in ("source", "target")
                                                               else float) for key, parts in columns.items()}


def _recorded_order(meta: dict, table: dict, dt: float) -> dict:
    """The synapse rows :func:`~evsim.nirio.to_nir` recorded (``evsim_synapse_*`` graph metadata), if they say
    what the graph says; else ``table`` (the graph's own synapses).

    The graph holds one summed weight per (source, target, delay); the
    recorded rows keep evsim's order (which fixes how simultaneous arrivals
    are summed), duplicates and zero weights. They are used only if, summed
    in row order per (source, target, delay step), they give exactly the
    graph's nonzero weights — a graph edited by another tool is read as the
    graph says.
    """
    try:
        source, target = (_strings(meta.get(f"evsim_synapse_{key}")) for key in ("source", "target"))
        weight, delay = (np.asarray(meta.get(f"evsim_synapse_{key}"), float).ravel() for key in ("weight", "delay"))
    except (TypeError, ValueError):
        return table
    if not len(source) == len(target) == weight.size == delay.size or not np.all(np.isfinite(delay)):
        return table
    steps = np.round(delay / dt)
    sums: dict = {}
    for key, w in zip(zip(source, target, steps.tolist()), weight.tolist()):
        sums[key] = sums.get(key, 0.0) + w
    graph = dict(zip(zip(table["source"].tolist(), table["target"].tolist(),
                         np.round(table["delay"] / dt).tolist()), table["weight"].tolist()))
    if {key: w for key, w in sums.items() if w != 0} != graph or len(graph) != len(table["source"]):
        return table
    return {"source": np.array(source, dtype=object), "target": np.array(target, dtype=object),
            "weight": weight, "delay": delay}


def _strings(value) -> list[str]:
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "SOU":
        raise TypeError("not an array of names")
    return [v.decode() if isinstance(v, bytes) else str(v) for v in value.ravel()]


def _cuba_lif(path: str, node, shape, dt: float, theta, v_reset, r, unscaled: bool):
    """A CubaLIF node by forward Euler (see :mod:`evsim.nirio`): the input gain and a factory per element.

    evsim's current is NIR's times ``dt·r/tau_mem`` (the membrane adds it unscaled), so arrivals and an
    Affine's bias — which becomes ``i_bias``, a constant input to the current — carry the gain
    ``(dt·r/tau_mem)·(dt·w_in/tau_syn)``; ``unscaled`` (``w_in="unscaled"``: the input jumps into the
    current as it is, Norse's rule) takes ``w_in = tau_syn/dt``, which makes the second factor 1.
    """
    tau_syn, tau_mem, v_leak, w_in = (_flat(getattr(node, name), shape) for name in ("tau_syn", "tau_mem", "v_leak",
                                                                                       "w_in"))
    for name, tau in (("tau_syn", tau_syn), ("tau_mem", tau_mem)):
        bad = ~((tau > dt) & (1.0 - dt / tau < 1.0))
        if bad.any():
            raise ValidationError(f"NIR CubaLIF {path!r}: forward Euler needs a decay 1 − dt/{name} strictly between "
                                  f"0 and 1 (dt < {name} < dt/eps), got {name} = {float(tau[bad][0])!r} at "
                                  f"dt = {dt!r}; choose dt accordingly")
    models = [_factory(_cuba_lif_model, 1.0 - dt / ts, 1.0 - dt / tm, dt, threshold=float(th), v_rest=float(vl),
                       v_init=0.0, reset=float(v))
              for ts, tm, th, vl, v in zip(tau_syn, tau_mem, theta, v_leak, v_reset)]
    return (dt * r / tau_mem) * (1.0 if unscaled else dt * w_in / tau_syn), models


def _cuba_lif_model(beta_syn: float, beta_mem: float, dt: float, bias: float, **params) -> CubaLIF:
    """The CubaLIF of one element; the input's bias (``bias``, already scaled by the gain) feeds the current."""
    return CubaLIF.from_betas(beta_syn, beta_mem, dt=dt, i_bias=bias, **params)


def _factory(make, *args, **params):
    return lambda bias: make(*args, bias=bias, **params)


def _selection(x: Signal, names) -> list[str] | None:
    """The neuron names if ``x`` reads population outputs unchanged (0/1 rows, no delay, no bias)."""
    if np.any(x.bias != 0):
        return None
    chosen = []
    for (population, delay), matrix in x.terms.items():
        if delay != 0 or not np.all((matrix == 0) | (matrix == 1)) or np.any(matrix.sum(axis=0) > 1):
            return None
        chosen += [str(names[population][j]) for j in np.nonzero(matrix.sum(axis=0))[0]]
    if sum(int(m.sum()) for m in x.terms.values()) != x.size:
        return None
    return chosen


def _exact_models(node, shape):
    """Models from the exact evsim parameters :func:`~evsim.nirio.to_nir` records in a node's metadata."""
    n = int(np.prod(shape))
    if type(node).__name__ == "CubaLIF":
        return _exact_cuba_models(node, n)
    field = _exact_fields(node, n, ("tau", "v_rest", "threshold", "v_init", "reset", "refractory", "single_spike"))
    reset_by = _flat(_meta(node, "evsim_reset_by", math.nan), n)  # (absent from files of older evsim)
    models = []
    for i in range(n):
        reset = _reset_of(field["reset"][i])
        params = dict(threshold=float(field["threshold"][i]), v_init=float(field["v_init"][i]), reset=reset,
                      reset_by=None if math.isnan(reset_by[i]) else float(reset_by[i]),
                      refractory=float(field["refractory"][i]), single_spike=bool(field["single_spike"][i]))
        if type(node).__name__ == "IF":  # to_nir's "if" node holds IF neurons only
            models.append(_factory(IF, **params))
        else:
            models.append(_factory(LIF, tau=float(field["tau"][i]), v_rest=float(field["v_rest"][i]), **params))
    return models


def _reset_of(stored: float):
    """The model's ``reset`` from its stored ``reset_to`` (NaN: a subtract reset)."""
    return "subtract" if math.isnan(stored) else float(stored)


def _exact_fields(node, n: int, keys) -> dict[str, np.ndarray]:
    """The ``evsim_<key>`` metadata of a node, one value per element (a typed error names what is missing)."""
    missing = [f"evsim_{key}" for key in keys if _meta(node, f"evsim_{key}") is None]
    if missing:
        raise ValidationError(f"NIR node metadata has evsim_exact but lacks {', '.join(missing)}")
    return {key: _flat(_meta(node, f"evsim_{key}"), n) for key in keys}


def _exact_cuba_models(node, n: int):
    """CubaLIF models from ``evsim_*`` metadata; the factory's bias (the Affine's) is the current's ``i_bias``."""
    field = _exact_fields(node, n, ("tau_syn", "tau_mem", "threshold", "v_rest", "v_init", "i_init", "bias", "reset"))
    models = []
    for i in range(n):
        reset = _reset_of(field["reset"][i])
        params = {key: float(field[key][i]) for key in ("tau_syn", "tau_mem", "threshold", "v_rest", "v_init",
                                                         "i_init")}
        models.append(_factory(_cuba_with_input_bias, membrane_bias=float(field["bias"][i]), reset=reset, **params))
    return models


def _cuba_with_input_bias(bias: float, membrane_bias: float, **params) -> CubaLIF:
    """A CubaLIF whose ``bias`` — what the Affine into it carries — feeds its current (``i_bias``)."""
    return CubaLIF(bias=membrane_bias, i_bias=bias, **params)
