"""Running one catalogue case under a time limit and a memory ceiling, and naming what it did.

Outcomes of a ``refuse`` case: ``typed`` (an evsim error), ``raw`` (any other
exception, MemoryError included), ``silent`` (it returned), ``hang`` (over the
time limit). Of an ``accept`` case: ``ok``, ``failed`` (it raised), ``hang``.
``skipped``: the case needs API the measured evsim does not have.
"""

from __future__ import annotations

import contextlib
import os
import resource
from dataclasses import dataclass

import evsim
from tests.time_limit import time_limit as _time_limit


class CaseTimeout(BaseException):
    """Raised by the alarm inside a case that runs too long (a BaseException, so no ``except Exception`` eats it)."""


@dataclass(frozen=True)
class Outcome:
    kind: str  # typed | raw | silent | hang | ok | failed | skipped
    error: str = ""  # the exception's class name
    message: str = ""

    def says_all(self, case) -> bool:
        """A typed refusal of the expected class whose message holds every substring the case asks for."""
        return (self.kind == "typed" and self.error_is(case.error)
                and all(part in self.message for part in case.says))

    def error_is(self, name: str) -> bool:
        expected = getattr(evsim, name, None) or getattr(evsim.errors, name, evsim.EvsimError)
        return self.error in {cls.__name__ for cls in _subclasses(expected)}


def _subclasses(cls) -> list[type]:
    found = [cls]
    for sub in cls.__subclasses__():
        found += _subclasses(sub)
    return found


def _vm_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@contextlib.contextmanager
def memory_ceiling(extra_bytes: int):
    """Cap this process's address space at its current size plus ``extra_bytes`` (RLIMIT_AS), then restore."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = _vm_bytes() + extra_bytes
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if soft != resource.RLIM_INFINITY:
        ceiling = min(ceiling, soft)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def time_limit(seconds: float):
    """Raise :class:`CaseTimeout` inside the block after ``seconds``."""
    return _time_limit(seconds, CaseTimeout, "over the case's time limit")


def run(case, seconds: float = 5.0) -> Outcome:
    """What ``case`` does when called once, within ``seconds``."""
    if not case.available():
        return Outcome("skipped")
    try:
        with time_limit(seconds):
            case.thunk()
    except CaseTimeout:
        return Outcome("hang", "timeout", f"over {seconds} s")
    except evsim.EvsimError as error:
        kind = "typed" if case.expect == "refuse" else "failed"
        return Outcome(kind, type(error).__name__, str(error))
    except Exception as error:  # noqa: BLE001 - classifying every escape is the point
        kind = "raw" if case.expect == "refuse" else "failed"
        return Outcome(kind, type(error).__name__, str(error))
    return Outcome("silent" if case.expect == "refuse" else "ok")
