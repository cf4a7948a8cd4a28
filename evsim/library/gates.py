"""Boolean gates as one-neuron Lynch–Musco networks, and circuits built from them.

The model is Lynch & Musco's (*A Basic Compositional Model for Spiking Neural
Networks*, arXiv:1808.03884); the parameters are evsim's own: unit weight
``w``, temperature ``λ``; the gate neuron's potential is ``±w/2`` or
``−3w/2`` away from its threshold, so each gate errs in one round with probability at most
``ε = 1 / (1 + exp(w / (2λ)))``.

==========  ==================  ===========
gate        weights into ``y``  bias(``y``)
==========  ==================  ===========
AND(x1,x2)  w, w                1.5 w
OR(x1,x2)   w, w                0.5 w
NOT(x)      −w                  −0.5 w
COPY(x)     w                   0.5 w
==========  ==================  ===========
"""

from __future__ import annotations

import math
from functools import reduce
from typing import Iterable, Sequence

from evsim import validation as check
from evsim.composition import compose, hide
from evsim.errors import ValidationError
from evsim.network import Network
from evsim.neurons import Input, Stochastic
from evsim.synapses import Synapse

__all__ = ["DEFAULT_WEIGHT", "gate_error", "and_gate", "or_gate", "not_gate", "copy_gate", "circuit",
           "xor_circuit"]

DEFAULT_WEIGHT = 10.0


def gate_error(w: float = DEFAULT_WEIGHT, temperature: float = 1.0) -> float:
    """``ε = 1 / (1 + exp(w / (2λ)))``: the largest one-round error of any gate.

    Computed as ``e / (1 + e)`` with ``e = exp(−w / (2λ))`` when ``w > 0``, so a large ``w`` gives a tiny ε,
    not an overflow.

    Parameters
    ----------
    w : float, optional
        Unit weight ``w`` (any finite real; default ``DEFAULT_WEIGHT`` = 10); larger is more reliable.
    temperature : float, optional
        Temperature ``λ`` of the gate neuron (finite, ``> 0``; default 1).

    Returns
    -------
    float
        ``ε`` in ``[0, 1]`` (0.0 once ``exp(−w / (2λ))`` underflows); ``0.5`` or more when ``w <= 0``
        (such gates are no better than chance).

    Raises
    ------
    ValidationError
        If ``w`` is not a finite real number, or ``temperature`` not a finite real ``> 0``.

    Examples
    --------
    >>> from evsim import library
    >>> round(library.gate_error(), 6)
    0.006693
    >>> round(library.gate_error(w=4.0), 6)
    0.119203
    """
    w, temperature = check_strength("gate_error", w, temperature)
    z = w / (2.0 * temperature)
    if z > 0:
        e = math.exp(-z)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(z))


def check_strength(owner: str, w: object, temperature: object) -> tuple[float, float]:
    """A gate's weight (a finite real) and temperature (a finite real > 0)."""
    return (check.real("w", w, owner=owner),
            check.real("temperature", temperature, owner=owner, minimum=0.0, exclusive_minimum=True))


def _gate(owner: str, weights: dict[str, float], y: str, bias: float, temperature: float, initial: object) -> Network:
    check.name("y", y, owner=owner)
    initial = check.flag("initial", initial, owner=owner)
    if y in weights:
        raise ValidationError(f"{owner}: y must differ from the gate's inputs {list(weights)}, got {y!r}")
    neurons = {x: Input() for x in weights}
    neurons[y] = Stochastic(bias=bias, temperature=temperature, initial=initial)
    return Network(neurons, [Synapse(x, y, w, 1.0) for x, w in weights.items()], outputs={y})


def _two_inputs(owner: str, x1: object, x2: object) -> None:
    check.unique_names("x1, x2", (x1, x2), owner=owner)


def and_gate(x1: str = "x1", x2: str = "x2", y: str = "y", *, w: float = DEFAULT_WEIGHT,
             temperature: float = 1.0, initial: bool = False) -> Network:
    """``y(t) = x1(t−1) AND x2(t−1)``, wrong with probability ≤ ε.

    Parameters
    ----------
    x1, x2 : str, optional
        Names of the two input neurons (distinct; default ``"x1"``, ``"x2"``).
    y : str, optional
        Name of the gate neuron, the network's only output (default ``"y"``).
    w : float, optional
        Unit weight ``w`` (any finite real; default ``DEFAULT_WEIGHT`` = 10); larger is more reliable.
    temperature : float, optional
        Temperature ``λ`` of the gate neuron (finite, ``> 0``; default 1).
    initial : bool, optional
        Whether ``y`` fires in round 0 (default ``False``).

    Returns
    -------
    Network
        Inputs ``x1``, ``x2``; one Stochastic output ``y`` fed by both with weight ``w`` and delay 1.

    Raises
    ------
    ValidationError
        If a name is not a non-empty string, ``x1 == x2``, ``y`` is one of the inputs, ``w`` is not a finite real,
        ``temperature`` not a finite real ``> 0``, or ``initial`` not a bool.

    Examples
    --------
    >>> import evsim
    >>> from evsim import library
    >>> net = library.and_gate()
    >>> net.neurons["y"]
    Stochastic(bias=15.0, temperature=1.0, initial=False)
    >>> evsim.simulate(net, {"x1": [0, 1, 2], "x2": [1, 2]}, until=5, rng=0).trains()["y"].tolist()
    [2.0, 3.0]
    """
    _two_inputs("and_gate", x1, x2)
    w, temperature = check_strength("and_gate", w, temperature)
    return _gate("and_gate", {x1: w, x2: w}, y, 1.5 * w, temperature, initial)


def or_gate(x1: str = "x1", x2: str = "x2", y: str = "y", *, w: float = DEFAULT_WEIGHT,
            temperature: float = 1.0, initial: bool = False) -> Network:
    """``y(t) = x1(t−1) OR x2(t−1)``, wrong with probability ≤ ε.

    Parameters
    ----------
    x1, x2 : str, optional
        Names of the two input neurons (distinct; default ``"x1"``, ``"x2"``).
    y : str, optional
        Name of the gate neuron, the network's only output (default ``"y"``).
    w : float, optional
        Unit weight ``w`` (any finite real; default ``DEFAULT_WEIGHT`` = 10); larger is more reliable.
    temperature : float, optional
        Temperature ``λ`` of the gate neuron (finite, ``> 0``; default 1).
    initial : bool, optional
        Whether ``y`` fires in round 0 (default ``False``).

    Returns
    -------
    Network
        Inputs ``x1``, ``x2``; one Stochastic output ``y`` fed by both with weight ``w`` and delay 1.

    Raises
    ------
    ValidationError
        If a name is not a non-empty string, ``x1 == x2``, ``y`` is one of the inputs, ``w`` is not a finite real,
        ``temperature`` not a finite real ``> 0``, or ``initial`` not a bool.

    Examples
    --------
    >>> import evsim
    >>> from evsim import library
    >>> net = library.or_gate()
    >>> evsim.simulate(net, {"x1": [0], "x2": [2]}, until=5, rng=0).trains()["y"].tolist()
    [1.0, 3.0]
    """
    _two_inputs("or_gate", x1, x2)
    w, temperature = check_strength("or_gate", w, temperature)
    return _gate("or_gate", {x1: w, x2: w}, y, 0.5 * w, temperature, initial)


def not_gate(x: str = "x", y: str = "y", *, w: float = DEFAULT_WEIGHT, temperature: float = 1.0,
             initial: bool = False) -> Network:
    """``y(t) = NOT x(t−1)``, wrong with probability ε.

    Parameters
    ----------
    x : str, optional
        Name of the input neuron (default ``"x"``).
    y : str, optional
        Name of the gate neuron, the network's only output (default ``"y"``).
    w : float, optional
        Unit weight ``w`` (any finite real; default ``DEFAULT_WEIGHT`` = 10); larger is more reliable.
    temperature : float, optional
        Temperature ``λ`` of the gate neuron (finite, ``> 0``; default 1).
    initial : bool, optional
        Whether ``y`` fires in round 0 (default ``False``).

    Returns
    -------
    Network
        Input ``x``; one Stochastic output ``y`` fed by ``x`` with weight ``−w`` and delay 1.

    Raises
    ------
    ValidationError
        If a name is not a non-empty string, ``y`` is one of the inputs, ``w`` is not a finite real,
        ``temperature`` not a finite real ``> 0``, or ``initial`` not a bool.

    Examples
    --------
    >>> import evsim
    >>> from evsim import library
    >>> net = library.not_gate()
    >>> evsim.simulate(net, {"x": [1, 2]}, until=5, rng=0).trains()["y"].tolist()
    [1.0, 4.0]
    """
    check.name("x", x, owner="not_gate")
    w, temperature = check_strength("not_gate", w, temperature)
    return _gate("not_gate", {x: -w}, y, -0.5 * w, temperature, initial)


def copy_gate(x: str = "x", y: str = "y", *, w: float = DEFAULT_WEIGHT, temperature: float = 1.0,
              initial: bool = False) -> Network:
    """``y(t) = x(t−1)``, wrong with probability ε.

    Parameters
    ----------
    x : str, optional
        Name of the input neuron (default ``"x"``).
    y : str, optional
        Name of the gate neuron, the network's only output (default ``"y"``).
    w : float, optional
        Unit weight ``w`` (any finite real; default ``DEFAULT_WEIGHT`` = 10); larger is more reliable.
    temperature : float, optional
        Temperature ``λ`` of the gate neuron (finite, ``> 0``; default 1).
    initial : bool, optional
        Whether ``y`` fires in round 0 (default ``False``).

    Returns
    -------
    Network
        Input ``x``; one Stochastic output ``y`` fed by ``x`` with weight ``w`` and delay 1.

    Raises
    ------
    ValidationError
        If a name is not a non-empty string, ``y`` is one of the inputs, ``w`` is not a finite real,
        ``temperature`` not a finite real ``> 0``, or ``initial`` not a bool.

    Examples
    --------
    >>> import evsim
    >>> from evsim import library
    >>> net = library.copy_gate()
    >>> evsim.simulate(net, {"x": [1, 3]}, until=5, rng=0).trains()["y"].tolist()
    [2.0, 4.0]
    """
    check.name("x", x, owner="copy_gate")
    w, temperature = check_strength("copy_gate", w, temperature)
    return _gate("copy_gate", {x: w}, y, 0.5 * w, temperature, initial)


def circuit(gates: Sequence[Network], outputs: Iterable[str]) -> Network:
    """Compose the gates (in order) and hide every output not listed.

    Parameters
    ----------
    gates : sequence of Network
        At least one network; a gate's input named like another gate's output is wired to it.
    outputs : str or iterable of str
        The outputs to keep: one name or a collection of distinct names, each an output of some gate.

    Returns
    -------
    Network
        The composition, with every other gate output an internal neuron.

    Raises
    ------
    ValidationError
        If ``gates`` is not a non-empty sequence of Networks, ``outputs`` is not a set of names, or names
        something that is no gate's output.
    CompositionError
        If two gates cannot be composed (same output, shared internal neuron, different clocks).

    Examples
    --------
    A double negation: the first gate's output ``n`` feeds the second and is hidden.

    >>> import evsim
    >>> from evsim import library
    >>> net = library.circuit([library.not_gate("x", "n"), library.not_gate("n", "y")], {"y"})
    >>> sorted(net.inputs), sorted(net.internals), sorted(net.outputs)
    (['x'], ['n'], ['y'])
    >>> evsim.simulate(net, {"x": [0, 1, 2]}, until=6, rng=0).trains()["y"].tolist()  # y(1): n starts silent
    [1.0, 2.0, 3.0, 4.0]
    """
    if isinstance(gates, (str, Network)) or not isinstance(gates, Sequence):
        raise ValidationError(f"circuit: gates must be a sequence of Networks, got {gates!r:.80}")
    if not gates:
        raise ValidationError("circuit: gates must hold at least one gate, got []")
    for gate in gates:
        check.instance("each of gates", gate, Network, owner="circuit", accepted="an evsim Network")
    outputs = set(check.name_set("outputs", outputs, owner="circuit"))
    net = reduce(compose, gates)
    unknown = sorted(outputs - net.outputs)
    if unknown:
        raise ValidationError(f"circuit: outputs must be outputs of the gates ({sorted(net.outputs)}), got {unknown}")
    return hide(net, net.outputs - outputs)


def xor_circuit(x1: str = "x1", x2: str = "x2", y: str = "y", *, w: float = DEFAULT_WEIGHT,
                temperature: float = 1.0) -> Network:
    """``y = (x1 OR x2) AND NOT (x1 AND x2)``: four gates, depth 3, internals hidden.

    With inputs stable from round 0, ``y(t)`` for ``t >= 3`` is right unless
    one of the 4 gate-rounds in its cone errs: probability ≥ ``1 − 4ε``.

    Parameters
    ----------
    x1, x2 : str, optional
        Names of the two input neurons (distinct; default ``"x1"``, ``"x2"``).
    y : str, optional
        Name of the output neuron (default ``"y"``). The hidden gates are named ``xor_or``, ``xor_and`` and
        ``xor_nand``; keep ``x1``, ``x2``, ``y`` distinct and apart from these: not every clash is refused
        (``y="x1"`` or ``x2="xor_nand"`` builds a different circuit without an error).
    w : float, optional
        Unit weight ``w`` (any finite real; default ``DEFAULT_WEIGHT`` = 10); larger is more reliable.
    temperature : float, optional
        Temperature ``λ`` of every gate neuron (finite, ``> 0``; default 1).

    Returns
    -------
    Network
        Inputs ``x1``, ``x2``; output ``y``; internals ``xor_or``, ``xor_and``, ``xor_nand``; all starting silent.

    Raises
    ------
    ValidationError
        If a name is not a non-empty string, ``x1 == x2``, ``w`` is not a finite real, or ``temperature``
        not a finite real ``> 0``; or if a name clashes with a hidden gate's so that a gate would read its own
        output (e.g. ``y="xor_or"``).
    CompositionError
        If ``y="xor_and"``: two gates would share an output.

    Examples
    --------
    >>> import evsim
    >>> from evsim import library
    >>> net = library.xor_circuit()
    >>> sorted(net.internals)
    ['xor_and', 'xor_nand', 'xor_or']
    >>> evsim.simulate(net, {"x1": list(range(8))}, until=8, rng=0).trains()["y"].tolist()
    [2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    """
    _two_inputs("xor_circuit", x1, x2)
    check.name("y", y, owner="xor_circuit")
    w, temperature = check_strength("xor_circuit", w, temperature)
    kw = dict(w=w, temperature=temperature)
    gates = [or_gate(x1, x2, "xor_or", **kw), and_gate(x1, x2, "xor_and", **kw),
             not_gate("xor_and", "xor_nand", **kw), and_gate("xor_or", "xor_nand", y, **kw)]
    return circuit(gates, {y})
