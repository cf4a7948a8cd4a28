"""Two networks that oscillate only together (Lynch & Musco's cyclic example).

``N1`` copies ``b`` into ``a``; ``N2`` sets ``b = NOT a``. Each alone is a
gate; their composition is closed (no inputs) and cycles with period 4
through ``(a, b) = (0,0) → (0,1) → (1,1) → (1,0) → (0,0)``. Each round both
neurons are right with probability ``σ(w/(2λ))`` each, so a length-``t``
stretch of the orbit has probability ``σ(w/(2λ))^(2t)``.
"""

from __future__ import annotations

from evsim.library.gates import DEFAULT_WEIGHT, check_strength, copy_gate, not_gate
from evsim.network import Network

__all__ = ["cyclic_oscillator", "OSCILLATOR_ORBIT"]

OSCILLATOR_ORBIT = ((0, 0), (0, 1), (1, 1), (1, 0))


def cyclic_oscillator(*, w: float = DEFAULT_WEIGHT, temperature: float = 1.0) -> tuple[Network, Network]:
    """``(N1, N2)`` with ``N1: a = COPY(b)`` and ``N2: b = NOT(a)``, both starting silent.

    Parameters
    ----------
    w : float, optional
        Unit weight of both gates (any finite real; default ``DEFAULT_WEIGHT`` = 10).
    temperature : float, optional
        Temperature ``λ`` of both gate neurons (finite, ``> 0``; default 1).

    Returns
    -------
    tuple of Network
        ``N1`` (input ``b``, output ``a``) and ``N2`` (input ``a``, output ``b``); compose them to close the loop.

    Raises
    ------
    ValidationError
        If ``w`` is not a finite real, or ``temperature`` not a finite real ``> 0``.

    Examples
    --------
    >>> import evsim
    >>> from evsim import library
    >>> n1, n2 = library.cyclic_oscillator()
    >>> record = evsim.simulate(evsim.compose(n1, n2), until=9, rng=0)
    >>> record.trains()["a"].tolist(), record.trains()["b"].tolist()
    ([2.0, 3.0, 6.0, 7.0], [1.0, 2.0, 5.0, 6.0])
    """
    w, temperature = check_strength("cyclic_oscillator", w, temperature)
    kw = dict(w=w, temperature=temperature)
    return copy_gate("b", "a", **kw), not_gate("a", "b", **kw)
