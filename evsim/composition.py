"""Lynch & Musco's operators on networks: ``compose``, ``hide``, ``rename``.

All three are pure: they return new networks and never change their
arguments.

``compose(n1, n2)`` identifies neurons by name. A shared name may be an input
of both (a shared input) or an output of one and an input of the other (the
output drives the input, in either direction, so cycles between components
are allowed). A shared internal neuron or a shared output is a conflict.
The result has outputs ``out1 ∪ out2``, inputs ``(in1 ∪ in2) − (out1 ∪ out2)``,
internals ``int1 ∪ int2`` and the synapses of both.

``hide(net, names)`` turns outputs into internals (``names ⊆ outputs``).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping

import numpy as np

from evsim import validation as check
from evsim.errors import CompositionError, ValidationError
from evsim.network import Network
from evsim.neurons import Input
from evsim.synapses import SynapseTable

__all__ = ["compose", "hide", "rename"]


def _role(net: Network, name: str) -> str:
    if name in net.inputs:
        return "input"
    return "output" if name in net.outputs else "internal"


def compose(n1: Network, n2: Network) -> Network:
    """The composition ``n1 × n2`` (see the module docstring for the rules).

    Parameters
    ----------
    n1, n2 : Network
        The components, on the same clock ``dt``; neither is changed.

    Returns
    -------
    Network
        A new network: ``n1``'s neurons, then those of ``n2`` not in ``n1``
        (a name shared by an output and an input keeps the output's model);
        the synapses of ``n1`` then ``n2``; the outputs of both; the common
        clock.

    Raises
    ------
    ValidationError
        ``n1`` or ``n2`` is not a :class:`~evsim.network.Network`.
    CompositionError
        Different clocks, shared internal neurons or shared outputs (all
        conflicting names are listed), or a zero-delay cycle through both.

    Examples
    --------
    >>> import evsim
    >>> a = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y")], outputs={"y"})
    >>> b = evsim.Network({"y": evsim.Input(), "z": evsim.IF()}, [evsim.Synapse("y", "z")], outputs={"z"})
    >>> chain = evsim.compose(a, b)  # a's output y drives b's input y
    >>> sorted(chain.inputs), sorted(chain.outputs)
    (['x'], ['y', 'z'])
    >>> evsim.simulate(chain, {"x": [0]}, until=5).trains()["z"].tolist()
    [2.0]
    """
    check.instance("n1", n1, Network, owner="compose")
    check.instance("n2", n2, Network, owner="compose")
    if n1.dt != n2.dt:
        raise CompositionError(f"cannot compose networks with clocks dt={n1.dt!r} and dt={n2.dt!r}; "
                               f"both must run on the same clock")
    shared = sorted(set(n1.names) & set(n2.names))
    conflicts = []
    for name in shared:
        roles = (_role(n1, name), _role(n2, name))
        if "internal" in roles or roles == ("output", "output"):
            conflicts.append(f"{name!r} ({roles[0]} of the first, {roles[1]} of the second)")
    if conflicts:
        raise CompositionError(
            "cannot compose: shared names must be inputs of both or an output of one and an "
            "input of the other; conflicts: " + ", ".join(conflicts) + ". Rename one side first."
        )
    neurons = {name: model for name, model in n1.neurons.items()}
    for name, model in n2.neurons.items():
        if name not in neurons or isinstance(neurons[name], Input):
            neurons[name] = model
    names = list(neurons)
    position = {name: i for i, name in enumerate(names)}
    tables = [net.table.remap(np.array([position[n] for n in net.names], np.int64)) for net in (n1, n2)]
    try:
        return Network(neurons, SynapseTable.concat(tables), n1.outputs | n2.outputs, n1.dt)
    except ValidationError as error:
        raise CompositionError(f"the composition is not a valid network: {error}") from None


def hide(net: Network, names: Iterable[str]) -> Network:
    """``net`` with the given outputs reclassified as internal neurons.

    Parameters
    ----------
    net : Network
        The network (not changed).
    names : str or iterable of str
        One output's name, or several distinct ones.

    Returns
    -------
    Network
        A new network with the same neurons, synapses and clock, and fewer
        outputs.

    Raises
    ------
    ValidationError
        ``net`` is not a :class:`~evsim.network.Network`, or ``names`` is not
        one name or a collection of distinct non-empty names.
    CompositionError
        If a name is not an output of ``net``.

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(), "z": evsim.IF()},
    ...                     [evsim.Synapse("x", "y"), evsim.Synapse("y", "z")], outputs={"y", "z"})
    >>> hidden = evsim.hide(net, "y")
    >>> sorted(hidden.outputs), sorted(hidden.internals)
    (['z'], ['y'])
    """
    check.instance("net", net, Network, owner="hide")
    names = set(check.name_set("names", names, owner="hide"))
    missing = sorted(names - net.outputs)
    if missing:
        raise CompositionError(
            f"can only hide outputs; {missing} are not outputs of the network "
            f"(outputs: {sorted(net.outputs)})"
        )
    return Network(dict(net.neurons), net.table, net.outputs - names, net.dt)


def rename(net: Network, mapping: Mapping[str, str]) -> Network:
    """``net`` with neurons renamed by ``mapping`` (old name → new name).

    Parameters
    ----------
    net : Network
        The network (not changed).
    mapping : mapping of str to str
        Old name → new name; neurons not in it keep their names. Names may
        be swapped (``{"a": "b", "b": "a"}``).

    Returns
    -------
    Network
        A new network with the same models, synapses, roles and clock, under
        the new names.

    Raises
    ------
    ValidationError
        ``net`` is not a :class:`~evsim.network.Network`, ``mapping`` is not a
        mapping, or an old or new name is not a non-empty string.
    CompositionError
        Unknown old names, or new names that collide with each other or with
        neurons that keep their name.

    Examples
    --------
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y")], outputs={"y"})
    >>> evsim.rename(net, {"x": "in", "y": "out"})
    Network({'in': Input(), 'out': IF()}, [Synapse('in', 'out', 1.0, 1.0)], outputs=['out'], dt=1.0)
    """
    check.instance("net", net, Network, owner="rename")
    check.instance("mapping", mapping, Mapping, owner="rename", accepted="a mapping of old name to new name")
    for old, new in mapping.items():
        check.name("each old name", old, owner="rename")
        check.name(f"the new name of {old!r}", new, owner="rename")
    unknown = sorted(set(mapping) - set(net.names))
    if unknown:
        raise CompositionError(f"cannot rename {unknown}: not neurons of the network; the mapping's keys must be "
                               f"names of its neurons")
    new_names = [mapping.get(name, name) for name in net.names]
    duplicates = sorted(name for name, count in Counter(new_names).items() if count > 1)
    if duplicates:
        raise CompositionError(f"renaming would give two neurons the name(s) {duplicates}")
    neurons = {mapping.get(name, name): model for name, model in net.neurons.items()}
    outputs = {mapping.get(name, name) for name in net.outputs}
    return Network(neurons, net.table, outputs, net.dt)
