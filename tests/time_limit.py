"""A wall-clock guard for tests of runs that once hung: fail after a few seconds instead of never ending."""

from __future__ import annotations

import contextlib
import signal


@contextlib.contextmanager
def time_limit(seconds: float, error: type[BaseException] = TimeoutError, message: str = "the run does not end"):
    """Raise ``error`` if the block runs longer than ``seconds`` (Unix: ``SIGALRM``; main thread only)."""

    def expire(signum, frame):
        raise error(f"still running after {seconds} s: {message}")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
