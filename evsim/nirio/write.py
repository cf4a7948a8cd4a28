"""``to_nir``: an evsim network (or converted net) as a NIR graph (semantics in :mod:`evsim.nirio`)."""

from __future__ import annotations

import math

import numpy as np

from evsim.deep.convert import SpikingNet
from evsim.deep.layers import AvgPool2d, Conv2d, Dense, Flatten
from evsim.deep.to_network import to_network
from evsim.errors import ValidationError
from evsim.network import Network
from evsim.neurons import IF, LIF, CubaLIF, Input
from evsim.nirio.read import UnsupportedNode, from_nir
from evsim.validation import instance

__all__ = ["to_nir", "populations"]

KINDS = ((IF, "if"), (LIF, "lif"), (CubaLIF, "cuba_lif"))


def to_nir(obj: Network | SpikingNet):
    """A ``nir.NIRGraph`` that :func:`~evsim.nirio.from_nir` runs with identical spikes.

    A network is written one node per population (:func:`populations`):
    ``input`` (every Input neuron), one ``IF`` or ``LIF`` node per layer, one
    ``Affine`` (``Linear`` where the target has no bias) per (source
    population, target population, delay), followed by a ``Delay`` where the
    delay is positive, and ``output`` fed by the population whose neurons
    are exactly the outputs, else by 0/1 ``Linear`` read-outs. No node feeds
    itself without a ``Delay``.

    A converted net (:class:`~evsim.deep.convert.SpikingNet`) is written layer
    by layer from its ops: ``Affine``/``Linear`` (Dense), ``Conv2d``,
    ``SumPool2d`` (average pooling, its ``1/k²`` folded into the weights),
    ``Flatten``, with the previous layer's threshold (what a spike carries)
    folded into the group's weighted op; an ``IF`` node per spiking layer;
    the last group feeds ``output`` (whose running sum ``from_nir`` reads as
    the logits, neurons ``output[j]``). Where that form would not read back
    bit for bit as :func:`evsim.deep.to_network` (checked here; a group with
    no or several weighted ops, or pooling after its weighted op), every
    group is written as one ``Affine`` of its matrix instead.

    Parameters
    ----------
    obj : Network or SpikingNet
        A discrete-time network of ``Input``, ``IF``, ``LIF`` and ``CubaLIF`` neurons, or a converted net.

    Returns
    -------
    nir.NIRGraph
        The graph, with evsim's exact parameters, ``dt`` and synapse rows in ``evsim_*`` metadata.

    Raises
    ------
    ValidationError
        ``obj`` neither a ``Network`` nor a ``SpikingNet``, a continuous-time network, or a converted net
        :func:`evsim.deep.to_network` refuses.
    UnsupportedNode
        A neuron of a kind NIR has no node for (``Stochastic``, ``Threshold``, …).
    LimitError
        A converted net's network, or a dense matrix of the check that it reads back, would need more memory
        than ``evsim.limits(memory=...)`` allows.

    Examples
    --------
    >>> import evsim
    >>> from evsim.nirio import to_nir
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0, reset="zero")},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> graph = to_nir(net)
    >>> {name: type(node).__name__ for name, node in graph.nodes.items()}
    {'input': 'Input', 'if': 'IF', 'input_to_if_0': 'Linear', 'input_to_if_0_delay': 'Delay', 'output': 'Output'}
    """
    import nir

    instance("obj", obj, (Network, SpikingNet), owner="to_nir", accepted="a Network or a SpikingNet")
    if isinstance(obj, SpikingNet):
        return _converted(nir, obj)
    if not obj.discrete:
        raise ValidationError("to_nir exports only discrete-time networks (dt set); this one runs in continuous time")
    return _network_graph(nir, obj)


# -- populations --------------------------------------------------------------------------------------------

def populations(net: Network) -> dict[str, np.ndarray]:
    """The network's neurons in NIR nodes: name → neuron indices (network order inside a node).

    Every Input neuron is in ``input``. Every other neuron is keyed by
    (kind, hop distance from the inputs, zero-delay rank): the distance is
    the fewest synapses on a path from an Input neuron (any delay; neurons no
    path reaches come last), the rank the depth in the zero-delay synapse
    graph (:attr:`~evsim.network.Network.ranks`), so no zero-delay synapse
    joins two neurons of one node. A feed-forward net has one node per layer.
    Nodes are ordered by (distance, rank, kind: IF, LIF, CubaLIF) and named by
    kind (``if``, ``lif``, ``cuba_lif``), numbered ``if_1``, ``if_2``, … in that order
    where a kind has several.
    """
    kinds = [type(net.neurons[name]) for name in net.names]
    for name, kind in zip(net.names, kinds):
        if kind is not Input and kind not in dict(KINDS):
            raise UnsupportedNode(f"neuron {name!r} is a {kind.__name__}, which NIR has no node for; "
                                  f"to_nir exports only Input, IF, LIF and CubaLIF neurons")
    is_input = np.array([kind is Input for kind in kinds], bool)
    kind_id = np.array([[cls for cls, _ in KINDS].index(kind) if kind is not Input else -1 for kind in kinds])
    rest = np.flatnonzero(~is_input)
    keys = np.stack([_hops_from(net, is_input)[rest], net.ranks[rest], kind_id[rest]], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)  # ordered by (distance, rank, kind)
    members = np.split(rest[np.argsort(inverse.ravel(), kind="stable")], np.cumsum(np.bincount(inverse.ravel()))[:-1])
    label = [KINDS[int(k)][1] for k in unique[:, 2]]
    seen = {name: 0 for name in label}
    groups = {"input": np.flatnonzero(is_input)} if is_input.any() else {}
    for name, idx in zip(label, members):
        seen[name] += 1
        groups[name if label.count(name) == 1 else f"{name}_{seen[name]}"] = idx
    return groups


def _hops_from(net: Network, start: np.ndarray) -> np.ndarray:
    """Fewest synapses on a path from a ``start`` neuron to each neuron (``inf`` where none reaches)."""
    distance = np.where(start, 0.0, np.inf)
    source, target = net.table.source, net.table.target
    frontier, hops = start.copy(), 0
    while frontier.any():
        hops += 1
        reached = np.zeros_like(frontier)
        reached[target[frontier[source]]] = True
        frontier = reached & np.isinf(distance)
        distance[frontier] = hops
    return distance


# -- a network, population by population -------------------------------------------------------------------

def _network_graph(nir, net: Network):
    members = populations(net)
    position = np.zeros(len(net.names), int)  # each neuron's index inside its population's NIR node
    for idx in members.values():
        position[idx] = np.arange(idx.size)
    nodes = {name: _node(nir, net, name, idx) for name, idx in members.items()}
    edges: list[tuple[str, str]] = []
    for target in (g for g in members if g != "input"):
        _blocks(nir, net, members, position, target, nodes, edges)
    if net.outputs:
        _readouts(nir, net, members, position, nodes, edges)
    return nir.NIRGraph(nodes, edges, metadata={"evsim_dt": float(net.dt), **_synapse_rows(net)}, type_check=False)


def _synapse_rows(net: Network, keep: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """evsim's synapse rows in order (the Affines hold their per-(source, target, delay) sums), so that
    :func:`~evsim.nirio.from_nir` sums simultaneous arrivals in the same order as ``net``; ``keep``: a mask
    of the rows to record."""
    t, names = net.table, np.array([name.encode() for name in net.names], dtype=object)
    keep = np.ones(len(t.source), bool) if keep is None else keep
    as_bytes = lambda idx: np.array(names[idx].tolist(), dtype=bytes) if idx.size else np.zeros(0, "S1")  # noqa: E731
    return {"evsim_synapse_source": as_bytes(t.source[keep]), "evsim_synapse_target": as_bytes(t.target[keep]),
            "evsim_synapse_weight": np.asarray(t.weight[keep], float),
            "evsim_synapse_delay": np.asarray(t.delay[keep], float)}


def _node(nir, net: Network, group: str, idx: np.ndarray, shape: tuple[int, ...] | None = None):
    """The NIR node of one population: standard fields for other readers, exact evsim parameters as metadata.

    Standard fields (forward Euler at the network's ``dt``, read as :mod:`evsim.nirio` documents): IF
    ``r = 1/dt`` (gain 1); ``v_threshold`` the largest float32 below ``θ`` (:func:`below`); LIF
    ``tau = dt/(1 − β)``, ``r = 1`` and every potential (``v_leak``, ``v_threshold``, ``v_reset``)
    times ``s = 1 − β``, which makes ``v = s·m``: Norse reads ``r`` as 1 whatever is written, snnTorch
    divides ``v_threshold`` by its input gain ``r·dt/τ = s``. A subtract reset is written as
    ``v_reset = 0``.
    """
    shape = (idx.size,) if shape is None else tuple(shape)
    names = np.array([net.names[i].encode() for i in idx])  # bytes: HDF5 (nir.write) stores no unicode arrays
    if group == "input":
        return nir.Input(input_type={"input": np.array(shape)}, metadata={"evsim_names": names})
    models = [net.neurons[net.names[i]] for i in idx]
    column = lambda field: np.array([float(getattr(m, field)) for m in models])  # noqa: E731
    if isinstance(models[0], CubaLIF):
        return _cuba_node(nir, net, names, models, column, shape)
    exact = {"evsim_exact": 1.0, "evsim_names": names, "evsim_tau": column("tau"), "evsim_v_rest": column("v_rest"),
             "evsim_threshold": column("threshold"), "evsim_v_init": column("v_init"),
             "evsim_reset": np.array([m.reset_to for m in models]),
             "evsim_refractory": column("refractory"), "evsim_single_spike": column("single_spike"),
             "evsim_reset_by": np.array([math.nan if m.reset_by is None else m.reset_by for m in models])}
    v_thr = below(exact["evsim_threshold"])
    v_reset = np.nan_to_num(exact["evsim_reset"], nan=0.0)
    dt = float(net.dt)
    if isinstance(models[0], IF):
        return nir.IF(r=np.full(shape, 1.0 / dt), v_threshold=v_thr.reshape(shape), v_reset=v_reset.reshape(shape),
                      metadata=exact)
    beta = np.exp(-dt / exact["evsim_tau"])
    leaky = beta < 1
    tau = np.divide(dt, 1.0 - beta, out=np.full(idx.size, np.inf), where=leaky)
    s = np.where(leaky, 1.0 - beta, 1.0)
    return nir.LIF(tau=tau.reshape(shape), r=np.ones(shape), v_leak=(s * exact["evsim_v_rest"]).reshape(shape),
                   v_threshold=below(s * exact["evsim_threshold"]).reshape(shape),
                   v_reset=(s * v_reset).reshape(shape), metadata=exact)


def _cuba_node(nir, net: Network, names, models, column, shape):
    """A CubaLIF population: NIR's CubaLIF, whose forward Euler at ``dt`` (current first) is evsim's step.

    Standard fields: ``tau = dt/(1 − β)`` for each decay, ``w_in = tau_syn/dt`` and ``r = tau_mem/dt``
    (gains 1: the input jumps into the current, the membrane adds the current), ``v_leak = v_rest +
    bias/(1 − β_mem)`` (NIR's membrane has no bias; this is its fixed point), ``i_bias`` as the bias of the
    Affine into the node. Exact parameters as ``evsim_*`` metadata.
    """
    exact = {"evsim_exact": 1.0, "evsim_names": names, **{f"evsim_{field}": column(field) for field in
             ("tau_syn", "tau_mem", "threshold", "v_rest", "v_init", "i_init", "bias")},  # (i_bias: the Affine's)
             "evsim_reset": np.array([m.reset_to for m in models])}
    dt = float(net.dt)
    beta_syn, beta_mem = np.array([m.betas(dt) for m in models]).T
    tau_syn, tau_mem = dt / (1.0 - beta_syn), dt / (1.0 - beta_mem)
    v_leak = exact["evsim_v_rest"] + exact["evsim_bias"] / (1.0 - beta_mem)
    field = lambda value: np.asarray(value, float).reshape(shape)  # noqa: E731
    return nir.CubaLIF(tau_syn=field(tau_syn), tau_mem=field(tau_mem), r=field(tau_mem / dt), v_leak=field(v_leak),
                       v_threshold=field(below(exact["evsim_threshold"])),
                       v_reset=field(np.nan_to_num(exact["evsim_reset"], nan=0.0)), w_in=field(tau_syn / dt),
                       metadata=exact)


def below(theta: np.ndarray) -> np.ndarray:
    """The largest float32 below each ``θ`` (as float64): for every float32 ``v``, ``v > below(θ)`` iff
    ``v >= θ``, so a float32 reader of NIR's ``v > v_threshold`` (snnTorch, Norse) fires as evsim does."""
    with np.errstate(over="ignore"):  # beyond float32: inf, then its largest finite value
        t32 = theta.astype(np.float32)
    t32 = np.where(t32.astype(float) >= theta, np.nextafter(t32, np.float32(-np.inf)), t32)
    return t32.astype(float)


def _blocks(nir, net: Network, members, position, target: str, nodes: dict, edges: list) -> None:
    """One Affine (+ Delay) per (source population, delay) of the synapses into ``target``; the bias on the
    first (an Affine), the others Linear. A population with a bias and no synapses gets it from a zero Affine
    out of ``input`` (or, with no inputs, out of itself through a one-step Delay)."""
    table = net.table
    into = np.isin(table.target, members[target])
    bias = np.array([float(_input_bias(net.neurons[net.names[i]])) for i in members[target]])
    keys = []
    for source, idx in members.items():
        rows = np.flatnonzero(into & np.isin(table.source, idx))
        keys += [(source, d, rows[table.delay[rows] == d]) for d in np.unique(table.delay[rows])]
    if not keys and np.any(bias != 0):
        keys = [("input", 0.0, np.zeros(0, int))] if "input" in members else [(target, net.dt, np.zeros(0, int))]
    for n, (source, delay, rows) in enumerate(keys):
        weight = np.zeros((members[target].size, members[source].size))
        np.add.at(weight, (position[table.target[rows]], position[table.source[rows]]), table.weight[rows])
        name = f"{source}_to_{target}_{n}"
        with_bias = n == 0 and np.any(bias != 0)
        nodes[name] = nir.Affine(weight=weight, bias=bias) if with_bias else nir.Linear(weight=weight)
        edges.append((source, name))
        if delay > 0:
            nodes[f"{name}_delay"] = nir.Delay(delay=np.full(members[target].size, float(delay)))
            edges.append((name, f"{name}_delay"))
            name = f"{name}_delay"
        edges.append((name, target))


def _input_bias(model) -> float:
    """The constant input an Affine carries into a neuron: a CubaLIF's ``i_bias`` (its current's), else ``bias``."""
    return model.i_bias if isinstance(model, CubaLIF) else model.bias


def _readouts(nir, net: Network, members, position, nodes: dict, edges: list) -> None:
    """``output`` reads the one population that is exactly the outputs, else 0/1 Linear read-outs."""
    outputs = np.sort([net.index(name) for name in net.outputs])
    nodes["output"] = nir.Output(output_type={"output": np.array([outputs.size])})
    whole = [g for g, idx in members.items() if g != "input" and np.array_equal(np.sort(idx), outputs)]
    if whole:
        edges.append((whole[0], "output"))
        return
    for group, idx in members.items():
        rows = np.flatnonzero(np.isin(outputs, idx))
        selection = np.zeros((outputs.size, idx.size))
        selection[rows, position[outputs[rows]]] = 1.0
        if rows.size:
            nodes[f"read_{group}"] = nir.Linear(weight=selection)
            edges += [(group, f"read_{group}"), (f"read_{group}", "output")]


# -- a converted net, layer by layer ------------------------------------------------------------------------

def _converted(nir, snn: SpikingNet):
    """The layer-wise graph of ``snn`` if it reads back bit for bit as ``to_network(snn)``, else one Affine
    per group (see :func:`to_nir`)."""
    net = to_network(snn)
    graph = _converted_graph(nir, snn, net, layerwise=True)
    if not _reads_back(graph, net):
        graph = _converted_graph(nir, snn, net, layerwise=False)
    return graph


def _converted_graph(nir, snn: SpikingNet, net: Network, layerwise: bool):
    index = {name: i for i, name in enumerate(net.names)}
    n_in = int(np.prod(snn.input_shape))
    nodes = {"input": _node(nir, net, "input", np.arange(n_in), snn.input_shape)}
    edges: list[tuple[str, str]] = []
    previous, previous_idx, scale = "input", np.arange(n_in), 1.0
    accumulator = np.zeros(len(net.names), bool)
    for k, layer in enumerate(snn.layers):
        label = f"L{k}" if layer.spiking else "out"
        idx = np.array([index[f"{label}_{j}" if layer.spiking else f"out{j}"] for j in range(layer.size)])
        chain = _group_nodes(nir, layer, scale) if layerwise else None
        if chain is None:
            chain = _group_as_affine(nir, net, layer, idx, previous_idx)
        for n, node in enumerate(chain):
            name = f"{label}_op{n}"
            nodes[name] = node
            edges.append((previous, name))
            previous = name
        if layer.spiking:
            nodes[label] = _node(nir, net, "if", idx, layer.output_shape)
            edges.append((previous, label))
            previous, previous_idx, scale = label, idx, float(layer.theta)
        else:
            nodes["output"] = nir.Output(output_type={"output": np.array([layer.size])})
            edges.append((previous, "output"))
            accumulator[idx] = True
    rows = _synapse_rows(net, keep=~accumulator[net.table.target])  # from_nir builds its own read-out rows
    return nir.NIRGraph(nodes, edges, metadata={"evsim_dt": float(net.dt), **rows}, type_check=False)


def _group_nodes(nir, layer, scale: float) -> list | None:
    """The group's ops as NIR nodes (``None`` if it has no or several weighted ops, or pools after one).

    Average pooling is written as ``SumPool2d`` (snnTorch and Norse both read it; Norse has no
    ``AvgPool2d``), its factor ``v`` (what the pooling makes of a unit input) and ``scale`` folded into the
    weighted op as ``(v·W)·scale``: the very products ``to_network`` computes for each synapse.
    """
    kinds = [type(op) for op in layer.ops]
    weighted = [i for i, kind in enumerate(kinds) if kind in (Dense, Conv2d)]
    if len(weighted) != 1 or AvgPool2d in kinds[weighted[0]:]:
        return None
    chain, shape, unit = [], tuple(layer.input_shape), 1.0
    for op in layer.ops:
        if isinstance(op, Dense):
            w, b = unit * np.asarray(op.params["W"], float) * scale, np.asarray(op.params["b"], float)
            chain.append(nir.Affine(weight=w, bias=b) if np.any(b != 0) else nir.Linear(weight=w))
        elif isinstance(op, Conv2d):
            chain.append(nir.Conv2d(input_shape=shape[1:], weight=unit * np.asarray(op.params["W"], float) * scale,
                                    stride=op.stride, padding=op.padding, dilation=1, groups=1,
                                    bias=np.asarray(op.params["b"], float)))
        elif isinstance(op, AvgPool2d):
            k = np.array([op.k, op.k])
            chain.append(nir.SumPool2d(kernel_size=k, stride=k, padding=np.zeros(2, int)))
            one = np.zeros((1, 1, op.k, op.k))
            one[0, 0, 0, 0] = unit
            unit = float(op.forward(one)[0, 0, 0, 0])
        elif isinstance(op, Flatten):
            chain.append(nir.Flatten(input_type={"input": np.array(shape)}, start_dim=0, end_dim=-1))
        shape = op.forward(np.zeros((1, *shape))).shape[1:]
    return chain


def _group_as_affine(nir, net: Network, layer, idx: np.ndarray, sources: np.ndarray) -> list:
    """The group as one Affine of ``to_network``'s weights from ``sources`` into ``idx`` (consecutive
    neurons each), a Flatten first if its input is an image."""
    table = net.table
    rows = np.flatnonzero(np.isin(table.target, idx))
    weight = np.zeros((idx.size, sources.size))
    np.add.at(weight, (table.target[rows] - idx[0], table.source[rows] - sources[0]), table.weight[rows])
    bias = np.array([float(net.neurons[net.names[i]].bias) for i in idx])
    chain = [nir.Flatten(input_type={"input": np.array(layer.input_shape)}, start_dim=0, end_dim=-1)] \
        if len(layer.input_shape) > 1 else []
    return chain + [nir.Affine(weight=weight, bias=bias)]


def _reads_back(graph, net: Network) -> bool:
    """Whether ``from_nir(graph)`` has ``net``'s synapse rows and biases, bit for bit (the accumulators
    ``out{j}`` read back as ``output[j]``, their rows in another order)."""
    back = from_nir(graph)
    biases = all(back.neurons[_read_back_name(name)].bias == model.bias for name, model in net.neurons.items()
                 if not isinstance(model, Input))
    return biases and _rows(net, _read_back_name) == _rows(back, str)


def _read_back_name(name: str) -> str:
    """The name ``from_nir`` gives a neuron of ``to_network``: the accumulator ``out{j}`` is ``output[j]``."""
    return f"output[{name[3:]}]" if name.startswith("out") else name


def _rows(net: Network, rename) -> tuple[list, list, list]:
    """Sources, targets (renamed) and weights of the synapses: in order into neurons, sorted into read-outs."""
    names = np.array([rename(name) for name in net.names], dtype=object)
    source, target, weight = names[net.table.source], names[net.table.target], np.asarray(net.table.weight)
    readout = np.array([name.startswith("output[") for name in target], bool)
    order = np.lexsort((weight[readout], source[readout].astype(str), target[readout].astype(str)))
    return tuple(column[~readout].tolist() + column[readout][order].tolist() for column in (source, target, weight))
