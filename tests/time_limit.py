"""A wall-clock guard for tests of runs that once hung: fail after a few seconds instead of never ending."""

from __future__ import annotations

import contextlib
import signal


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise ``TimeoutError`` if the block runs longer than ``seconds`` (Unix: ``SIGALRM``)."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: the run does not end")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
