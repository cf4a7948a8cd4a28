"""Input encodings and decoders: rate, time-to-first-spike and hybrid, in two views.

>>> import numpy as np
>>> from evsim import encoding
>>> code = encoding.rate(np.array([0.25, 1.0]), steps=4, method="regular")
>>> code.array.T            # the vectorised path's view: (steps, *shape), transposed here
array([[0., 1., 0., 0.],
       [1., 1., 1., 1.]])
>>> code.to_inputs()        # the event engine's view
{'x0': [1.0], 'x1': [0.0, 1.0, 2.0, 3.0]}
"""

from evsim import validation as check
from evsim.encoding.code import SpikeCode, input_names
from evsim.encoding.decoders import (
    analog_events,
    decode_hybrid,
    decode_potential,
    decode_rate,
    decode_ttfs,
    first_spike_times,
)
from evsim.encoding.encoders import compensate, hybrid, rate, ttfs

__all__ = ["SpikeCode", "analog_events", "compensate", "decode_hybrid", "decode_potential", "decode_rate", "decode_ttfs", "first_spike_times",
           "hybrid", "input_names", "rate", "to_inputs", "ttfs"]


def to_inputs(code: SpikeCode, names=None) -> dict:
    """The event view of a code (see :meth:`SpikeCode.to_inputs`).

    Parameters
    ----------
    code : SpikeCode
        The code (from an encoder).
    names : sequence of str or callable, optional
        One distinct name per flattened element, or a function from a flat index to its name; default
        ``x0, x1, …``.

    Returns
    -------
    dict
        ``{name: times}`` (ms) for every element, or ``{name: Analog(times, values)}`` where a value is not 1.

    Raises
    ------
    ValidationError
        ``code`` not a ``SpikeCode``, or ``names`` not that many distinct non-empty strings.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim import encoding
    >>> code = encoding.rate(np.array([0.25, 0.5]), steps=8, method="regular")
    >>> encoding.to_inputs(code, names=["a", "b"])
    {'a': [1.0, 5.0], 'b': [0.0, 2.0, 4.0, 6.0]}
    >>> encoding.to_inputs(code, names=lambda i: f"in{i}")
    {'in0': [1.0, 5.0], 'in1': [0.0, 2.0, 4.0, 6.0]}
    """
    check.instance("code", code, SpikeCode, owner="to_inputs", accepted="a SpikeCode (from an encoder)")
    return code.to_inputs(names)
