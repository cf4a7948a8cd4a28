"""A priority queue of timed events with exact, documented tie-breaking.

The scheduler knows nothing of neurons. It orders events by the key
``(time, rank, phase, seq)``:

* ``time`` — model time: a number (ms), or a tuple of numbers compared
  lexicographically (the simulator uses ``(k, f)`` grid pairs, see
  :mod:`evsim.timegrid`);
* ``rank`` — depth in the graph of zero-delay synapses (lower first);
* ``phase`` — :data:`DELIVER` < :data:`UPDATE` < :data:`RECORD`;
* ``seq`` — a counter that increases with every ``schedule``/``reschedule``,
  so events equal in the first three fields leave in first-in first-out
  order, whatever order the underlying heap would give them.

It is backed by :class:`heapdict.heapdict`, whose keys are event ids, so an
event's priority can be moved in place (decrease- or increase-key) with
:meth:`Scheduler.reschedule` — this is how a neuron's predicted firing time
follows the inputs it receives.
"""

from __future__ import annotations

import itertools
import math
import numbers
from typing import Any, Hashable, NamedTuple, Union

from heapdict import heapdict

from evsim.errors import EmptySchedule, SchedulingError

__all__ = ["DELIVER", "UPDATE", "RECORD", "Event", "Scheduler"]

DELIVER = 0
UPDATE = 1
RECORD = 2

Time = Union[float, tuple]  # ms, or a tuple compared lexicographically such as a (step, offset) pair


class Event(NamedTuple):
    """One popped event: its id, priority fields and payload.

    Attributes
    ----------
    id : hashable
        The id :meth:`Scheduler.schedule` was given or made (``("auto", n)``).
    time : float or tuple
        Its model time, in the form of the scheduler's origin.
    rank : int
        Depth in the graph of zero-delay synapses (lower first).
    phase : int
        :data:`DELIVER`, :data:`UPDATE` or :data:`RECORD`.
    seq : int
        The scheduling counter: first in, first out among ties.
    payload : object
        What was scheduled with it (the object itself).

    Examples
    --------
    >>> from evsim.scheduler import UPDATE, Scheduler
    >>> s = Scheduler()
    >>> s.schedule(1.0, "update y", phase=UPDATE)
    ('auto', 0)
    >>> s.schedule(1.0, "deliver to y")  # same time, earlier phase (DELIVER): it leaves first
    ('auto', 1)
    >>> s.pop()
    Event(id=('auto', 1), time=1.0, rank=0, phase=0, seq=1, payload='deliver to y')
    """

    id: Hashable
    time: Time
    rank: int
    phase: int
    seq: int
    payload: Any


class Scheduler:
    """Timed events in ``(time, rank, phase, seq)`` order; FIFO on ties.

    Parameters
    ----------
    origin : number or tuple of numbers
        The time the clock starts at (:attr:`now` before the first pop), and the
        form of every time: ``0.0`` for ms, ``(0.0, 0.0)`` for grid pairs.

    Examples
    --------
    >>> s = Scheduler()
    >>> a = s.schedule(2.0, "late")
    >>> b = s.schedule(1.0, "early")
    >>> s.peek()
    1.0
    >>> s.pop().payload, s.now
    ('early', 1.0)
    """

    def __init__(self, origin: Time = 0.0) -> None:
        self._heap: heapdict = heapdict()
        self._payload: dict[Hashable, Any] = {}
        self._seq = itertools.count()
        self._auto_id = itertools.count()
        self._tuples = isinstance(origin, tuple)
        if not (origin and all(_is_number(x) for x in origin)) if self._tuples else not _is_number(origin):
            raise SchedulingError(f"Scheduler: origin must be a number or a tuple of numbers, got {origin!r}")
        self._never = (math.inf,) + (0.0,) * (len(origin) - 1) if self._tuples else math.inf
        self.now = origin

    def __len__(self) -> int:
        return len(self._heap)

    def __contains__(self, event_id: Hashable) -> bool:
        return event_id in self._heap

    def schedule(
        self,
        time: Time,
        payload: Any = None,
        *,
        rank: int = 0,
        phase: int = DELIVER,
        event_id: Hashable | None = None,
    ) -> Hashable:
        """Add an event and return its id.

        Raises
        ------
        SchedulingError
            If ``time`` is before :attr:`now`, not a number, or ``event_id``
            is already scheduled.
        """
        self._check_time(time)
        _check_order_keys(rank, phase)
        if event_id is None:
            event_id = ("auto", next(self._auto_id))
        elif event_id in self._heap:
            raise SchedulingError(
                f"event id {event_id!r} is already scheduled; use reschedule() to move it"
            )
        self._heap[event_id] = (time, rank, phase, next(self._seq))
        self._payload[event_id] = payload
        return event_id

    def reschedule(
        self, event_id: Hashable, time: Time, *, rank: int | None = None, phase: int | None = None
    ) -> None:
        """Move a scheduled event to a new time (decrease- or increase-key).

        The event gets a fresh ``seq``: among ties it now counts as the newest.
        """
        old = self._priority(event_id)
        self._check_time(time)
        rank = old[1] if rank is None else rank
        phase = old[2] if phase is None else phase
        _check_order_keys(rank, phase)
        self._heap[event_id] = (time, rank, phase, next(self._seq))

    def cancel(self, event_id: Hashable) -> Any:
        """Remove a scheduled event and return its payload."""
        self._priority(event_id)
        del self._heap[event_id]
        return self._payload.pop(event_id)

    def payload_of(self, event_id: Hashable) -> Any:
        """The payload of a scheduled event (the object itself, not a copy)."""
        self._priority(event_id)
        return self._payload[event_id]

    def time_of(self, event_id: Hashable) -> Time:
        """The time at which a scheduled event will happen."""
        return self._priority(event_id)[0]

    def peek(self) -> Time:
        """Time of the next event; with none, ``inf`` (``(inf, 0.0, …)`` for tuple times)."""
        if self._heap:
            return self._heap.peekitem()[1][0]
        return self._never

    def pop(self) -> Event:
        """Remove and return the next event; advances :attr:`now` to its time.

        Raises
        ------
        EmptySchedule
            If there is no event.
        """
        if not self._heap:
            raise EmptySchedule("pop() from an empty scheduler; check peek() < inf first")
        event_id, (time, rank, phase, seq) = self._heap.popitem()
        self.now = time
        return Event(event_id, time, rank, phase, seq, self._payload.pop(event_id))

    def pop_before(self, end: Time) -> list[Event]:
        """Pop every event with ``time < end``, in order."""
        parts = end if self._tuples and isinstance(end, tuple) else (end,)
        if not all(_is_number(x) for x in parts):
            raise SchedulingError(f"pop_before: end must be a time like now ({self.now!r}), got {end!r}")
        events = []
        while self._heap and self._heap.peekitem()[1][0] < end:
            events.append(self.pop())
        return events

    def _priority(self, event_id: Hashable) -> tuple:
        try:
            return self._heap[event_id]
        except KeyError:
            raise SchedulingError(f"no scheduled event has id {event_id!r}; use an id that schedule() "
                                  f"returned and that has not been popped or cancelled") from None

    def _check_time(self, time: Time) -> None:
        parts = time if self._tuples and isinstance(time, tuple) else (time,)
        if not parts or not all(_is_number(x) for x in parts) or (self._tuples and len(parts) != len(self.now)):
            shape = f"a tuple of {len(self.now)} numbers" if self._tuples else "a number (not a bool or NaN)"
            raise SchedulingError(f"event time must be {shape}, got {time!r}")
        if time < self.now:
            raise SchedulingError(
                f"cannot schedule at time {time!r} ms (times must be >= now): it is before the current time "
                f"{self.now!r} ms"
            )


def _is_number(x) -> bool:
    """A real number that is not NaN nor a bool (floats first: the common case, checked fast)."""
    if type(x) is float:
        return x == x
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and not math.isnan(x)


def _check_order_keys(rank, phase) -> None:
    for name, value in (("rank", rank), ("phase", phase)):
        if type(value) is not int and not (isinstance(value, numbers.Integral) and not isinstance(value, bool)):
            raise SchedulingError(f"{name} must be an integer, got {value!r}")
