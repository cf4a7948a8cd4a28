"""Problems as sets of allowed behaviours, and checking that a network solves one.

A :class:`Problem` allows every behaviour under which, for each listed input
execution, an *event* (a predicate on output sequences) has probability at
least ``at_least``. E.g. "for every stable input with a firing neuron, with
probability ≥ 1 − δ exactly one output fires from round t_c on".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from evsim import validation as check
from evsim.behavior import arguments
from evsim.behavior.estimate import estimate
from evsim.behavior.exact import exact
from evsim.behavior.table import Behavior
from evsim.errors import ValidationError
from evsim.network import Network

__all__ = ["Problem", "Verdict", "solves"]

Sequences = Mapping[str, tuple[int, ...]]


@dataclass(frozen=True)
class Problem:
    """Allowed behaviours: ``P[event | execution] >= at_least`` for every execution.

    Parameters
    ----------
    description : str
        What the problem asks, in words.
    horizon : int
        Rounds the behaviours describe.
    executions : sequence of mappings
        Input executions to check (name → spike rounds).
    event : callable
        ``event(outputs) -> bool`` on ``{name: (f_0, …, f_{H−1})}``.
    at_least : float
        Required probability of the event.

    Examples
    --------
    >>> from evsim import behavior
    >>> from evsim.library import copy_gate
    >>> problem = behavior.Problem("y fires by round 2", horizon=3, executions=[{"x": [0]}, {"x": [1]}],
    ...                            event=lambda out: 1 in out["y"], at_least=0.9)
    >>> b = behavior.exact(copy_gate(w=6.0), {"x": [0]}, horizon=3)
    >>> round(problem.event_probability(b), 4)
    0.9548
    """

    description: str
    horizon: int
    executions: Sequence[Mapping[str, Sequence[int]]]
    event: Callable[[Sequences], bool] = field(compare=False)
    at_least: float

    def __post_init__(self) -> None:
        owner = "Problem"
        check.instance("description", self.description, str, owner=owner, accepted="a string")
        object.__setattr__(self, "horizon", arguments.horizon(owner, self.horizon))
        if isinstance(self.executions, (str, bytes, Mapping)) or not isinstance(self.executions, Sequence):
            raise ValidationError(f"{owner}: executions must be a sequence of input executions (mappings), "
                                  f"got {self.executions!r:.80}")
        if not self.executions:
            raise ValidationError(f"{owner}: executions must hold at least one input execution to check, got []")
        for execution in self.executions:
            check.instance("each of executions", execution, Mapping, owner=owner,
                           accepted="a mapping of input names to spike rounds")
        if not callable(self.event):
            raise ValidationError(f"{owner}: event must be a callable on output sequences, got {self.event!r:.80}")
        object.__setattr__(self, "at_least", check.probability("at_least", self.at_least, owner=owner))

    def event_probability(self, behavior: Behavior) -> float:
        """Probability of the event under a single-execution behaviour."""
        return sum(p for outputs, p in behavior if self.event(outputs))


@dataclass(frozen=True)
class Verdict:
    """Whether a network solves a problem, and its worst execution.

    Truthy exactly when ``solved`` is.

    Attributes
    ----------
    solved : bool
        ``worst_probability >= problem.at_least``: the event is likely enough under every listed execution.
    worst_probability : float
        The smallest event probability over the problem's executions.
    worst_execution : mapping of str to sequence of int
        The input execution (name → spike rounds) reaching ``worst_probability`` (the first one, on a tie).
    probabilities : tuple of float
        The event probability under each execution, in the order of ``problem.executions``.

    Examples
    --------
    >>> from evsim import behavior
    >>> from evsim.library import copy_gate
    >>> problem = behavior.Problem("y fires by round 2", horizon=3, executions=[{"x": [0]}, {"x": [1]}],
    ...                            event=lambda out: 1 in out["y"], at_least=0.99)
    >>> verdict = behavior.solves(copy_gate(w=6.0), problem)
    >>> bool(verdict), round(verdict.worst_probability, 4), verdict.worst_execution
    (False, 0.9548, {'x': [0]})
    """

    solved: bool
    worst_probability: float
    worst_execution: Mapping[str, Sequence[int]]
    probabilities: tuple[float, ...]

    def __bool__(self) -> bool:
        return self.solved


def solves(net: Network, problem: Problem, *, method: str = "exact", samples: int = 2000, rng=None) -> Verdict:
    """Check ``problem`` on ``net`` for every execution it lists.

    ``method="exact"`` enumerates; ``"estimate"`` samples the event engine
    (``samples`` runs per execution) — a statistical check, not a proof.

    Parameters
    ----------
    net : Network
        Input, Stochastic and Threshold neurons only.
    problem : Problem
        The executions to try, the event and its required probability.
    method : {"exact", "estimate"}, optional
        :func:`~evsim.behavior.exact` (default) or :func:`~evsim.behavior.estimate` per execution.
    samples : int, optional
        Runs per execution for ``method="estimate"`` (``>= 1``, default 2000); checked but unused by ``"exact"``.
    rng : None, int, or numpy.random.Generator, optional
        Seed or generator of the sampling runs (``"estimate"`` only); ``None`` draws fresh entropy.

    Returns
    -------
    Verdict
        Truthy if the event has probability ``>= problem.at_least`` under every execution; with the worst one.

    Raises
    ------
    ValidationError
        If an argument is of the wrong type or out of range, if ``net`` holds a neuron other than Input,
        Stochastic or Threshold, or if an execution names a neuron that is not an input of ``net``.
    LimitError
        If a behaviour's arrays exceed the memory limit, or (``"estimate"``) the runs exceed the work limit.

    Examples
    --------
    >>> from evsim import behavior
    >>> from evsim.library import copy_gate
    >>> problem = behavior.Problem("y fires by round 2", horizon=3, executions=[{"x": [0]}, {"x": [1]}],
    ...                            event=lambda out: 1 in out["y"], at_least=0.9)
    >>> verdict = behavior.solves(copy_gate(w=6.0), problem)
    >>> verdict.solved, [round(p, 4) for p in verdict.probabilities]
    (True, [0.9548, 0.9548])
    >>> sampled = behavior.solves(copy_gate(w=6.0), problem, method="estimate", samples=200, rng=0)
    >>> [round(p, 4) for p in sampled.probabilities]
    [0.925, 0.995]
    """
    owner = "solves"
    net = arguments.network(owner, net)
    check.instance("problem", problem, Problem, owner=owner, accepted="a Problem")
    method = check.choice("method", method, ("exact", "estimate"), owner=owner)
    samples = check.integer("samples", samples, owner=owner, minimum=1)
    rng = check.generator(rng, owner=owner)
    probabilities = []
    for execution in problem.executions:
        if method == "exact":
            behavior = exact(net, execution, problem.horizon)
        else:
            behavior = estimate(net, execution, problem.horizon, samples, rng=rng)
        probabilities.append(problem.event_probability(behavior))
    worst = min(range(len(probabilities)), key=probabilities.__getitem__)
    return Verdict(probabilities[worst] >= problem.at_least, probabilities[worst],
                   problem.executions[worst], tuple(probabilities))
