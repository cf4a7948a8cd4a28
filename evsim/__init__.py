"""evsim — an event-driven discrete-event simulator for spiking neural networks.

Every spike is an event with an exact time, delivered by a priority-queue
scheduler under written-down ordering rules; networks are immutable values
built from smaller networks. See ``docs/design.md`` for the semantics.
"""

from evsim import behavior, encoding, io, library, nest, plot, reference  # nest: NEST itself only when used
from evsim.composition import compose, hide, rename
from evsim.errors import (
    CompositionError,
    EmptySchedule,
    EvsimError,
    LimitError,
    SchedulingError,
    ValidationError,
)
from evsim.inputs import Analog
from evsim.network import Network
from evsim.validation import limits
from evsim.neurons import IF, LIF, CubaLIF, Input, Stochastic, Threshold
from evsim.record import EventTrace, PotentialTrace, SpikeRecord, TraceEvent
from evsim.scheduler import DELIVER, RECORD, UPDATE, Event, Scheduler
from evsim.simulator import Simulator, simulate
from evsim.synapses import Synapse, SynapseTable

__version__ = "0.1.0"

__all__ = [
    "Analog",
    "CompositionError",
    "CubaLIF",
    "DELIVER",
    "EmptySchedule",
    "Event",
    "EventTrace",
    "EvsimError",
    "IF",
    "Input",
    "LIF",
    "LimitError",
    "Network",
    "PotentialTrace",
    "RECORD",
    "Scheduler",
    "SchedulingError",
    "Simulator",
    "SpikeRecord",
    "Stochastic",
    "Synapse",
    "SynapseTable",
    "Threshold",
    "TraceEvent",
    "UPDATE",
    "ValidationError",
    "compose",
    "hide",
    "limits",
    "plot",
    "rename",
    "simulate",
    "__version__",
    "behavior",
    "encoding",
    "io",
    "library",
    "nest",
    "reference",
]
