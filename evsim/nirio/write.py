"""``to_nir``: an evsim network (or converted net) as a NIR graph (semantics in :mod:`evsim.nirio`)."""

from __future__ import annotations

import math

import numpy as np

from evsim.deep.convert import SpikingNet
from evsim.deep.to_network import to_network
from evsim.errors import ValidationError
from evsim.network import Network
from evsim.neurons import IF, LIF, Input
from evsim.nirio.read import UnsupportedNode
from evsim.validation import instance

__all__ = ["to_nir"]

GROUPS = (("input", Input), ("if", IF), ("lif", LIF))


def to_nir(obj: Network | SpikingNet):
    """A ``nir.NIRGraph`` that :func:`~evsim.nirio.from_nir` runs with identical spikes.

    Nodes: ``input`` (every Input neuron), ``if`` and ``lif`` (every IF / LIF
    neuron, in network order), one ``Affine`` per (source group, target group,
    delay) followed by a ``Delay`` when the delay is positive, and ``output``
    fed by 0/1 ``Linear`` read-outs of the network's outputs. A converted net
    is exported through :func:`evsim.deep.to_network` (one flat graph).
    """
    import nir

    instance("obj", obj, (Network, SpikingNet), owner="to_nir", accepted="a Network or a SpikingNet")
    net = to_network(obj) if isinstance(obj, SpikingNet) else obj
    if not net.discrete:
        raise ValidationError("to_nir exports only discrete-time networks (dt set); this one runs in continuous time")
    members = _groups(net)
    position = np.zeros(len(net.names), int)  # each neuron's index inside its group's NIR node
    for idx in members.values():
        position[idx] = np.arange(idx.size)
    nodes = {name: _node(nir, net, name, idx) for name, idx in members.items()}
    edges = []
    for target in (g for g in members if g != "input"):
        _blocks(nir, net, members, position, target, nodes, edges)
    if net.outputs:
        _readouts(nir, net, members, position, nodes, edges)
    return nir.NIRGraph(nodes, edges, metadata={"evsim_dt": float(net.dt), **_synapse_rows(net)}, type_check=False)


def _synapse_rows(net: Network) -> dict[str, np.ndarray]:
    """evsim's synapse rows in order (the Affines hold their per-(source, target, delay) sums), so that
    :func:`~evsim.nirio.from_nir` sums simultaneous arrivals in the same order as ``net``."""
    t, names = net.table, np.array([name.encode() for name in net.names], dtype=object)
    as_bytes = lambda idx: np.array(names[idx].tolist(), dtype=bytes) if idx.size else np.zeros(0, "S1")  # noqa: E731
    return {"evsim_synapse_source": as_bytes(t.source), "evsim_synapse_target": as_bytes(t.target),
            "evsim_synapse_weight": np.asarray(t.weight, float), "evsim_synapse_delay": np.asarray(t.delay, float)}


def _groups(net: Network) -> dict[str, np.ndarray]:
    kinds = [type(net.neurons[name]) for name in net.names]
    for name, kind in zip(net.names, kinds):
        if kind not in (Input, IF, LIF):
            raise UnsupportedNode(f"neuron {name!r} is a {kind.__name__}, which NIR has no node for; "
                                  f"to_nir exports only Input, IF and LIF neurons")
    groups = {label: np.flatnonzero([k is cls for k in kinds]) for label, cls in GROUPS}
    return {label: idx for label, idx in groups.items() if idx.size}


def _node(nir, net: Network, group: str, idx: np.ndarray):
    names = np.array([net.names[i].encode() for i in idx])  # bytes: HDF5 (nir.write) stores no unicode arrays
    if group == "input":
        return nir.Input(input_type={"input": np.array([idx.size])}, metadata={"evsim_names": names})
    models = [net.neurons[net.names[i]] for i in idx]
    column = lambda field: np.array([float(getattr(m, field)) for m in models])  # noqa: E731
    exact = {"evsim_exact": 1.0, "evsim_names": names, "evsim_tau": column("tau"), "evsim_v_rest": column("v_rest"),
             "evsim_threshold": column("threshold"), "evsim_v_init": column("v_init"),
             "evsim_reset": np.array([math.nan if m.reset == "subtract" else m.reset_potential for m in models]),
             "evsim_refractory": column("refractory"), "evsim_single_spike": column("single_spike"),
             "evsim_reset_by": np.array([math.nan if m.reset_by is None else m.reset_by for m in models])}
    # Standard fields: NIR's equations under forward Euler with step dt reproduce evsim's update
    # (gain dt·R/τ = 1, β = 1 − dt/τ); subtract resets, refractoriness, v_init live in the metadata only.
    v_thr = np.nextafter(exact["evsim_threshold"], -np.inf)
    v_reset = np.nan_to_num(exact["evsim_reset"], nan=0.0)
    dt = float(net.dt)
    if group == "if":
        return nir.IF(r=np.full(idx.size, 1.0 / dt), v_threshold=v_thr, v_reset=v_reset, metadata=exact)
    beta = np.exp(-dt / exact["evsim_tau"])
    tau = np.divide(dt, 1.0 - beta, out=np.full(idx.size, np.inf), where=beta < 1)
    r = np.where(np.isfinite(tau), tau / dt, 1.0)
    return nir.LIF(tau=tau, r=r, v_leak=exact["evsim_v_rest"], v_threshold=v_thr, v_reset=v_reset, metadata=exact)


def _blocks(nir, net: Network, members, position, target: str, nodes: dict, edges: list) -> None:
    """One Affine (+ Delay) per (source group, delay) of the synapses into ``target``; biases on the first."""
    table = net.table
    into = np.isin(table.target, members[target])
    bias = np.array([float(net.neurons[net.names[i]].bias) for i in members[target]])
    keys = []
    for source, idx in members.items():
        rows = np.flatnonzero(into & np.isin(table.source, idx))
        keys += [(source, d, rows[table.delay[rows] == d]) for d in np.unique(table.delay[rows])]
    if not keys and np.any(bias != 0):
        keys = [(target, 0.0, np.zeros(0, int))]
    for n, (source, delay, rows) in enumerate(keys):
        weight = np.zeros((members[target].size, members[source].size))
        np.add.at(weight, (position[table.target[rows]], position[table.source[rows]]), table.weight[rows])
        name = f"{source}_to_{target}_{n}"
        nodes[name] = nir.Affine(weight=weight, bias=bias if n == 0 else np.zeros_like(bias))
        edges.append((source, name))
        if delay > 0:
            nodes[f"{name}_delay"] = nir.Delay(delay=np.full(members[target].size, float(delay)))
            edges.append((name, f"{name}_delay"))
            name = f"{name}_delay"
        edges.append((name, target))


def _readouts(nir, net: Network, members, position, nodes: dict, edges: list) -> None:
    outputs = np.sort([net.index(name) for name in net.outputs])
    for group, idx in members.items():
        rows = np.flatnonzero(np.isin(outputs, idx))
        selection = np.zeros((outputs.size, idx.size))
        selection[rows, position[outputs[rows]]] = 1.0
        if rows.size:
            nodes[f"read_{group}"] = nir.Linear(weight=selection)
            edges += [(group, f"read_{group}"), (f"read_{group}", "output")]
    nodes["output"] = nir.Output(output_type={"output": np.array([outputs.size])})
