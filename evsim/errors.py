"""The exceptions evsim raises.

Every message names the offending value and, where there is one, the fix.
"""

from __future__ import annotations

__all__ = [
    "EvsimError",
    "ValidationError",
    "CompositionError",
    "SchedulingError",
    "EmptySchedule",
    "LimitError",
]


class EvsimError(Exception):
    """Base class of every error evsim raises on purpose."""


class ValidationError(EvsimError, ValueError):
    """A value (parameter, network, input) breaks one of evsim's invariants."""


class CompositionError(EvsimError, ValueError):
    """Two networks cannot be composed, or names cannot be hidden/renamed."""


class SchedulingError(EvsimError, ValueError):
    """An event was scheduled in the past, or an unknown event was named."""


class EmptySchedule(EvsimError, IndexError):
    """``pop`` was called on a scheduler that holds no events."""


class LimitError(EvsimError, ValueError):
    """A call would need more than one of evsim's limits allows (memory, file bytes, work); refused before it starts.

    The message gives the estimate, the limit and how to raise it
    (``with evsim.limits(memory=..., work=...):``).
    """
