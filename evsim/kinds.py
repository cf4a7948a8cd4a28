"""The registry of neuron kinds: every neuron model, and the population that runs it.

This table is the one place that ties a model (a frozen parameter value of
:mod:`evsim.neurons`) to its run-time population (:mod:`evsim.populations`).
The compiler groups a network's neurons by it (``plan.groups``), the
simulator builds one population per group, and :mod:`evsim.io` looks models
up in it by name. ``Input`` has no population: the simulator releases input
trains itself. (:mod:`evsim.nirio` maps NIR's node types to the models whose
equations it knows; other kinds are reported as having no NIR node.)

Adding a neuron kind touches three files: the model (with its pure maths) in
``neurons.py``, its population in ``populations/``, and one line here (plus,
for what only it means, :mod:`evsim.termination` and :mod:`evsim.reference`).
"""

from __future__ import annotations

from evsim.errors import ValidationError
from evsim.neurons import IF, LIF, CubaLIF, Input, NeuronModel, Stochastic, Threshold
from evsim.populations.current_based import CurrentBased
from evsim.populations.integrate_and_fire import IntegrateAndFire
from evsim.populations.lynch_musco import LynchMusco

__all__ = ["KINDS", "model_named", "population_of"]

KINDS: dict[type, type | None] = {
    Input: None,
    IF: IntegrateAndFire,
    LIF: IntegrateAndFire,
    CubaLIF: CurrentBased,
    Stochastic: LynchMusco,
    Threshold: LynchMusco,
}


def model_named(name: str) -> type | None:
    """The registered model class called ``name`` (``None`` if there is none)."""
    return next((model for model in KINDS if model.__name__ == name), None)


def population_of(model: NeuronModel) -> type | None:
    """The population class that runs ``model`` (``None`` for ``Input``).

    Raises
    ------
    ValidationError
        A model class that no population is registered for.
    """
    try:
        return KINDS[type(model)]
    except KeyError:
        raise ValidationError(
            f"no population runs {type(model).__name__} neurons; register the model in evsim.kinds.KINDS"
        ) from None
