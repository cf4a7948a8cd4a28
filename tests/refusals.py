"""The one assertion of every argument-check table: an evsim error naming the argument and the value."""

import pytest

from evsim.errors import EvsimError


def assert_refused(call, argument: str, shown: str) -> None:
    """``call()`` raises an evsim error whose message contains ``argument`` and ``shown`` (the bad value)."""
    with pytest.raises(EvsimError) as raised:
        call()
    message = str(raised.value)
    assert argument in message and shown in message, message
