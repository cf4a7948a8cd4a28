"""Argument checks at evsim's public boundary: one place, one message style.

Every public function checks what it is given here, once, and the code behind
it trusts its inputs. A failed check raises :class:`~evsim.errors.ValidationError`
whose message names the argument, shows the bad value and says what is
accepted::

    IF: threshold must be a finite real number (not a bool or a string), got True

Resource guards (:func:`require_budget`) refuse work whose memory can be
computed in advance *before* allocating it, with the estimate, the limit and
how to raise it (:func:`limits`).
"""

from __future__ import annotations

import contextlib
import math
import numbers
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from evsim.errors import LimitError, ValidationError

__all__ = [
    "Limits",
    "limits",
    "current_limits",
    "require_budget",
    "refuse",
    "shown",
    "real",
    "integer",
    "flag",
    "instance",
    "Said",
    "choice",
    "probability",
    "name",
    "unique_names",
    "name_set",
    "generator",
    "real_array",
    "sorted_times",
    "writable_path",
    "readable_file",
    "folder",
]


# ----------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    """Ceilings on what one call may allocate or loop over.

    Attributes
    ----------
    memory : int
        Bytes one call may allocate for an array whose size is known in
        advance (behaviour tables, encoded inputs, the deep runner's buffers,
        dense matrices read from a file). Default 2 GiB.
    file_bytes : int
        Bytes a loader may decompress from one file. Default 1 GiB.
    work : int
        Neuron updates one call may perform when their number is known in
        advance (Monte-Carlo runs × rounds × neurons, networks built neuron by
        neuron). Default 10^9, a few minutes of work.

    Examples
    --------
    >>> from evsim.validation import Limits
    >>> Limits()
    Limits(memory=2147483648, file_bytes=1073741824, work=1000000000)
    >>> Limits(work=10**6).work
    1000000
    """

    memory: int = 2 * 2**30
    file_bytes: int = 2**30
    work: int = 10**9


_current = Limits()


def current_limits() -> Limits:
    """The limits in force (see :func:`limits` to raise them).

    Returns
    -------
    Limits
        The ceilings that apply now: the defaults, or those of the innermost
        ``with evsim.limits(...)`` block.

    Examples
    --------
    >>> import evsim
    >>> from evsim.validation import current_limits
    >>> current_limits().work
    1000000000
    >>> with evsim.limits(work=10**6):
    ...     print(current_limits().work)
    1000000
    """
    return _current


@contextlib.contextmanager
def limits(**changes: int) -> Iterator[Limits]:
    """Raise (or lower) evsim's resource limits inside a ``with`` block.

    Parameters
    ----------
    **changes : int
        New values of :class:`Limits` fields (``memory`` and ``file_bytes``
        in bytes, ``work`` in neuron updates), each an integer ``>= 1``; the
        fields not named keep their values. The previous limits come back
        when the block exits, also on an exception.

    Yields
    ------
    Limits
        The limits in force inside the block.

    Raises
    ------
    ValidationError
        On entering the block: an unknown limit name, or a value that is not
        an integer ``>= 1``.

    Examples
    --------
    >>> import evsim
    >>> with evsim.limits(memory=8 * 2**30):
    ...     pass  # calls here may allocate up to 8 GiB
    """
    global _current
    unknown = set(changes) - set(Limits.__dataclass_fields__)
    if unknown:
        raise ValidationError(
            f"limits: unknown limit {sorted(unknown)[0]!r}; accepted: "
            f"{', '.join(Limits.__dataclass_fields__)}"
        )
    for key, value in changes.items():
        integer(key, value, minimum=1, owner="limits")
    previous = _current
    _current = replace(previous, **{k: int(v) for k, v in changes.items()})
    try:
        yield _current
    finally:
        _current = previous


def _bytes(n: float) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} B"


def require_budget(owner: str, what: str, needed_bytes: float, limit: str = "memory") -> None:
    """Refuse before allocating ``needed_bytes`` if it exceeds the named limit.

    Parameters
    ----------
    owner : str
        The caller, named first in the message (``"reference.simulate"``).
    what : str
        What the estimate is for, as the message says it (``"the
        clock-driven loop over 100 steps"``).
    needed_bytes : float
        The estimate: bytes, or neuron updates for ``limit="work"``.
    limit : {"memory", "file_bytes", "work"}, default "memory"
        The field of :func:`current_limits` it is compared with.

    Raises
    ------
    LimitError
        If ``needed_bytes`` is above the limit. With the estimate, the limit
        and the way to raise it.

    Examples
    --------
    >>> from evsim.validation import require_budget
    >>> require_budget("demo", "a table of 1000 floats", 8 * 1000)  # within the limit: returns None
    >>> require_budget("demo", "a table of 2**40 floats", 8 * 2**40)
    Traceback (most recent call last):
        ...
    evsim.errors.LimitError: demo: a table of 2**40 floats needs about 8 TiB, above the memory limit of 2 GiB; ...
    """
    ceiling = getattr(_current, limit)
    if needed_bytes > ceiling:
        amount = _bytes if limit != "work" else (lambda n: f"{n:.3g} neuron updates")
        raise LimitError(
            f"{owner}: {what} needs about {amount(needed_bytes)}, above the {limit} limit of "
            f"{amount(ceiling)}; make the problem smaller, or raise the limit with "
            f"`with evsim.limits({limit}=...):`"
        )


# ----------------------------------------------------------------------------- scalars


class Said(str):
    """A description shown as is in a message (not as a quoted string).

    Examples
    --------
    >>> from evsim.validation import Said, shown
    >>> shown("3 then 2"), shown(Said("3 then 2"))
    ("'3 then 2'", '3 then 2')
    """

    def __repr__(self) -> str:
        return str(self)


def shown(value: object, width: int = 80) -> str:
    """``repr(value)`` for a message, cut to ``width`` characters (a :class:`Said` description stays whole).

    Parameters
    ----------
    value : object
        Any value; a NumPy scalar is shown as the Python number it holds.
    width : int, default 80
        The most characters kept: a longer ``repr`` is cut and ends in ``...``.

    Returns
    -------
    str
        The text to put in the message.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.validation import shown
    >>> shown(np.float64(0.5))
    '0.5'
    >>> shown("x" * 100, width=12)
    "'xxxxxxxx..."
    """
    if isinstance(value, (np.generic,)):
        value = value.item()
    text = repr(value)
    if len(text) > width and not isinstance(value, Said):  # composed descriptions (and paths) are shown whole
        text = text[:width - 3] + "..."
    return text


def _fail(owner: str | None, argument: str, accepted: str, value: object) -> ValidationError:
    prefix = f"{owner}: " if owner else ""
    return ValidationError(f"{prefix}{argument} must be {accepted}, got {shown(value)}")


def refuse(owner: str | None, argument: str, accepted: str, value: object) -> ValidationError:
    """The error for a check that belongs to one module (a type, a shape, a length), in the same style.

    Parameters
    ----------
    owner : str or None
        The function or class whose check failed, named first in the
        message (``None``: no prefix).
    argument : str
        The argument as the message names it, with any detail (its shape).
    accepted : str
        What is accepted, in words: the message says "``argument`` must be
        ``accepted``".
    value : object
        The bad value, shown with :func:`shown`.

    Returns
    -------
    ValidationError
        The error, not raised: the caller raises it (``raise refuse(...)``).

    Examples
    --------
    >>> str(refuse("run", "x (shape (3, 5))", "samples of shape (4,)", "..."))
    "run: x (shape (3, 5)) must be samples of shape (4,), got '...'"
    """
    return _fail(owner, argument, accepted, value)


def _bounds_text(minimum, maximum, exclusive_minimum: bool, exclusive_maximum: bool = False) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if exclusive_minimum else '>='} {minimum}")
    if maximum is not None:
        parts.append(f"{'<' if exclusive_maximum else '<='} {maximum}")
    return " and ".join(parts)


def real(
    argument: str,
    value: object,
    *,
    owner: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
    exclusive_maximum: bool = False,
    allow_inf: bool = False,
) -> float:
    """``value`` as a float: a real number, never a bool or a string; finite unless ``allow_inf``.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : object
        The value to check: a Python or NumPy real number.
    owner : str or None, optional
        The caller (function or class), named first in the message.
    minimum, maximum : float or None, optional
        Bounds (``None``: none), inclusive unless made exclusive below.
    exclusive_minimum, exclusive_maximum : bool, default False
        Refuse the bound itself (``> minimum``, ``< maximum``).
    allow_inf : bool, default False
        Accept ``inf`` and ``-inf`` (within the bounds); NaN is always refused.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    ValidationError
        A bool, a value that is not a real number (a string, ``None``, a
        complex number, an array), NaN, an infinity unless ``allow_inf``, or
        a value outside the bounds.

    Examples
    --------
    >>> from evsim.validation import real
    >>> real("dt (ms)", 1, owner="Network", minimum=0, exclusive_minimum=True)
    1.0
    >>> real("dt (ms)", 0, owner="Network", minimum=0, exclusive_minimum=True)
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: Network: dt (ms) must be a finite real number > 0 (not a bool or a string), got 0
    """
    bounds = _bounds_text(minimum, maximum, exclusive_minimum, exclusive_maximum)
    kind = "a real number" if allow_inf else "a finite real number"
    accepted = f"{kind}{' ' + bounds if bounds else ''} (not a bool or a string)"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise _fail(owner, argument, accepted, value)
    number = float(value)
    if math.isnan(number) or (math.isinf(number) and not allow_inf):
        raise _fail(owner, argument, accepted, value)
    too_low = minimum is not None and (number <= minimum if exclusive_minimum else number < minimum)
    too_high = maximum is not None and (number >= maximum if exclusive_maximum else number > maximum)
    if too_low or too_high:
        raise _fail(owner, argument, accepted, value)
    return number


def integer(
    argument: str,
    value: object,
    *,
    owner: str | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """``value`` as an int: an integral type (NumPy's too), never a bool, a float or a string.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : object
        The value to check.
    owner : str or None, optional
        The caller (function or class), named first in the message.
    minimum, maximum : int or None, optional
        Inclusive bounds (``None``: none).

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    ValidationError
        A bool, a float (even ``2.0``), a string or any other non-integral
        value, or an integer outside the bounds.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.validation import integer
    >>> integer("limit", np.int64(3), minimum=1)
    3
    >>> integer("limit", 2.0, owner="describe")
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: describe: limit must be an integer, got 2.0
    """
    bounds = _bounds_text(minimum, maximum, False)
    accepted = f"an integer{' ' + bounds if bounds else ''}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise _fail(owner, argument, accepted, value)
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise _fail(owner, argument, accepted, value)
    return number


def flag(argument: str, value: object, *, owner: str | None = None) -> bool:
    """``value`` as a bool: ``True`` or ``False`` only (``"no"`` or ``0`` are refused).

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : object
        The value to check (a Python or NumPy bool).
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    bool
        ``value`` as a Python bool.

    Raises
    ------
    ValidationError
        Anything but a Python or NumPy bool.

    Examples
    --------
    >>> from evsim.validation import flag
    >>> flag("trace", True)
    True
    >>> flag("trace", 0, owner="simulate")
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: simulate: trace must be True or False, got 0
    """
    if not isinstance(value, (bool, np.bool_)):
        raise _fail(owner, argument, "True or False", value)
    return bool(value)


def choice(argument: str, value: object, options: Iterable[str], *, owner: str | None = None) -> str:
    """``value`` if it is one of the strings ``options``.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : object
        The value to check.
    options : iterable of str
        The accepted strings (listed in the message).
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    str
        ``value`` itself.

    Raises
    ------
    ValidationError
        ``value`` is not a string or not one of ``options``.

    Examples
    --------
    >>> from evsim.validation import choice
    >>> choice("engine", "nest", ("evsim", "nest"))
    'nest'
    >>> choice("engine", "brian", ("evsim", "nest"), owner="simulate")
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: simulate: engine must be one of 'evsim', 'nest', got 'brian'
    """
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        raise _fail(owner, argument, "one of " + ", ".join(repr(o) for o in options), value)
    return value


def probability(argument: str, value: object, *, owner: str | None = None) -> float:
    """``value`` as a float in ``[0, 1]``.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : object
        The value to check.
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    ValidationError
        A value that is not a finite real number (as :func:`real`), or one
        outside ``[0, 1]``.

    Examples
    --------
    >>> from evsim.validation import probability
    >>> probability("p", 1)
    1.0
    >>> probability("p", 1.5)
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: p must be a finite real number >= 0.0 and <= 1.0 (not a bool or a string), got 1.5
    """
    return real(argument, value, owner=owner, minimum=0.0, maximum=1.0)


def name(argument: str, value: object, *, owner: str | None = None) -> str:
    """``value`` if it is a non-empty string.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : object
        The value to check.
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    str
        ``value`` itself.

    Raises
    ------
    ValidationError
        ``value`` is not a ``str``, or is empty.

    Examples
    --------
    >>> from evsim.validation import name
    >>> name("source", "x")
    'x'
    >>> name("source", "", owner="Synapse")
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: Synapse: source must be a non-empty string, got ''
    """
    if not isinstance(value, str) or not value:
        raise _fail(owner, argument, "a non-empty string", value)
    return value


def unique_names(argument: str, values: Iterable[object], *, owner: str | None = None) -> tuple[str, ...]:
    """``values`` as a tuple of non-empty, distinct strings.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    values : iterable
        A collection of names (one string is refused: it would be read as its
        letters; :func:`name_set` takes one name or several).
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    tuple of str
        The names, in the order given.

    Raises
    ------
    ValidationError
        ``values`` is one string or not iterable, an item is not a non-empty
        string, or a name appears twice.

    Examples
    --------
    >>> from evsim.validation import unique_names
    >>> unique_names("outputs", ["y", "z"])
    ('y', 'z')
    >>> unique_names("outputs", ["y", "y"])
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: outputs must be distinct names, got 'y' twice
    """
    if isinstance(values, str):
        raise _fail(owner, argument, "a collection of names, not one string", values)
    try:
        values = list(values)
    except TypeError:  # not iterable (a number, a 0-d array)
        raise _fail(owner, argument, "a collection of names", values) from None
    result = tuple(name(f"each of {argument}", v, owner=owner) for v in values)
    seen: set[str] = set()
    for item in result:
        if item in seen:
            raise _fail(owner, argument, "distinct names", Said(f"{item!r} twice"))
        seen.add(item)
    return result


def name_set(argument: str, values: object, *, owner: str | None = None) -> tuple[str, ...]:
    """A set of names: one name (a string means itself, never its letters) or a collection of distinct names.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    values : str or iterable of str
        One name, or a collection of distinct non-empty names.
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    tuple of str
        The names, in the order given (one name: a 1-tuple).

    Raises
    ------
    ValidationError
        An empty string, something that is neither a string nor iterable, an
        item that is not a non-empty string, or a name given twice.

    Examples
    --------
    >>> from evsim.validation import name_set
    >>> name_set("probes", "y1")
    ('y1',)
    >>> name_set("probes", ["y1", "y2"])
    ('y1', 'y2')
    """
    if isinstance(values, str):
        return (name(argument, values, owner=owner),)
    return unique_names(argument, values, owner=owner)


def generator(value: object, *, owner: str | None = None, argument: str = "rng") -> np.random.Generator:
    """A NumPy Generator from ``None``, a seed ``>= 0`` or a Generator (as ``np.random.default_rng``).

    Parameters
    ----------
    value : None, int, numpy.random.Generator, BitGenerator or SeedSequence
        ``None`` (fresh entropy from the operating system: not reproducible),
        an integer seed ``>= 0`` (NumPy's too), or NumPy's own generator types.
    owner : str or None, optional
        The caller (function or class), named first in the message.
    argument : str, default "rng"
        The argument's name as the message shows it.

    Returns
    -------
    numpy.random.Generator
        A new generator, or ``value`` itself if it is a Generator (so draws
        advance the caller's generator).

    Raises
    ------
    ValidationError
        A bool, a negative integer, a float, a string or any other value.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.validation import generator
    >>> generator(0).integers(10, size=3).tolist()
    [8, 6, 5]
    >>> rng = np.random.default_rng(1)
    >>> generator(rng) is rng
    True
    """
    if value is None or isinstance(value, (np.random.Generator, np.random.SeedSequence, np.random.BitGenerator)):
        return np.random.default_rng(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 0:
        raise _fail(owner, argument, "None, an integer seed >= 0, a numpy Generator, BitGenerator or SeedSequence", value)
    return np.random.default_rng(int(value))


def instance(argument: str, value: object, types: type | tuple[type, ...], *, owner: str | None = None,
             accepted: str | None = None) -> object:
    """``value`` if it is an instance of ``types`` (``accepted`` says what in words, else the type names).

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : object
        The value to check.
    types : type or tuple of type
        The accepted types (as for :func:`isinstance`).
    owner : str or None, optional
        The caller (function or class), named first in the message.
    accepted : str or None, optional
        What is accepted, in words, for the message (``None``: "a X or a Y"
        from the type names).

    Returns
    -------
    object
        ``value`` itself.

    Raises
    ------
    ValidationError
        ``value`` is not an instance of ``types``; the message shows its
        ``repr`` (cut to 60 characters) and its type.

    Examples
    --------
    >>> import evsim
    >>> from evsim.validation import instance
    >>> instance("net", 3, evsim.Network, owner="simulate")
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: simulate: net must be a Network, got 3 (int)
    """
    if not isinstance(value, types):
        kinds = types if isinstance(types, tuple) else (types,)
        said = accepted or " or ".join(f"a {kind.__name__}" for kind in kinds)
        raise _fail(owner, argument, said, Said(f"{value!r:.60} ({type(value).__name__})"))
    return value


# ----------------------------------------------------------------------------- arrays


def real_array(
    argument: str,
    value: object,
    *,
    owner: str | None = None,
    ndim: int | tuple[int, ...] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    allow_inf: bool = False,
    allow_nan: bool = False,
    allow_empty: bool = True,
) -> np.ndarray:
    """``value`` as a float64 array of real numbers (no bools, strings, objects; finite unless allowed).

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : array_like
        A number, a (nested) sequence of numbers or an array of integers or
        floats.
    owner : str or None, optional
        The caller (function or class), named first in the message.
    ndim : int, tuple of int or None, optional
        The accepted numbers of dimensions (``None``: any).
    minimum, maximum : float or None, optional
        Inclusive bounds on every entry (``None``: none).
    allow_inf : bool, default False
        Accept infinite entries (NaN is still refused).
    allow_nan : bool, default False
        ``allow_nan`` leaves the values unchecked (for callers that name a
        bad entry better themselves): NaN and infinities pass, while
        ``minimum`` and ``maximum`` still apply.
    allow_empty : bool, default True
        Accept an array with no entries.

    Returns
    -------
    ndarray
        The entries as float64, with ``value``'s shape (``value`` itself, not
        a copy, if it is already a float64 array).

    Raises
    ------
    ValidationError
        A ragged nested sequence, entries that are not integers or floats
        (bools, complex numbers, strings, objects), a number of dimensions
        not in ``ndim``, an empty array where ``allow_empty`` is false, or an
        entry that is NaN, infinite (unless allowed) or outside the bounds
        (the message gives the index of the first).

    Examples
    --------
    >>> from evsim.validation import real_array
    >>> real_array("weights", [[1, 2], [3, 4]], ndim=2).tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    >>> real_array("weights", [0.5, float("nan")])
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: weights[1] must be finite real numbers, got nan
    """
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise _fail(owner, argument, "a rectangular array of real numbers", value) from error
    if array.dtype.kind not in "iuf":
        raise _fail(owner, argument, "an array of real numbers (not bools, strings or objects)", value)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            dims = " or ".join(str(d) for d in allowed)
            raise _fail(owner, f"{argument} (shape {array.shape})", f"an array with {dims} dimensions", value)
    if not allow_empty and array.size == 0:
        raise _fail(owner, argument, "a non-empty array", value)
    array = array.astype(np.float64, copy=False)
    if array.size:
        bad = np.zeros(array.shape, bool) if allow_nan else np.isnan(array) if allow_inf else ~np.isfinite(array)
        if minimum is not None:
            bad |= array < minimum
        if maximum is not None:
            bad |= array > maximum
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            bounds = _bounds_text(minimum, maximum, False)
            kind = "real numbers" if allow_inf else "finite real numbers"
            raise _fail(
                owner, f"{argument}[{', '.join(map(str, where))}]",
                f"{kind}{' ' + bounds if bounds else ''}", array[where],
            )
    return array


def sorted_times(argument: str, value: object, *, owner: str | None = None, strict: bool = True) -> np.ndarray:
    """``value`` as a 1-d float64 array of finite times, increasing (strictly unless ``strict=False``).

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : array_like
        One time or a 1-d sequence of times (ms); any sign.
    owner : str or None, optional
        The caller (function or class), named first in the message.
    strict : bool, default True
        Refuse equal neighbours too (``False``: non-decreasing times pass).

    Returns
    -------
    ndarray
        The times as a 1-d float64 array (one time: length 1).

    Raises
    ------
    ValidationError
        Times that are not finite real numbers (as :func:`real_array`), more
        than one dimension, or a time that is not after the one before it
        (with ``strict=False``: one below it); the message gives both times
        and the index.

    Examples
    --------
    >>> from evsim.validation import sorted_times
    >>> sorted_times("times", [0, 1.5, 2]).tolist()
    [0.0, 1.5, 2.0]
    >>> sorted_times("times", [1.0, 3.0, 2.0])
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: times must be strictly increasing times, got 3.0 then 2.0 at index 2
    """
    times = real_array(argument, value, owner=owner, ndim=(0, 1)).reshape(-1)
    times_shown = times.tolist()
    steps = np.diff(times)
    bad = steps <= 0 if strict else steps < 0
    if bad.any():
        i = int(np.argmax(bad))
        order = "strictly increasing" if strict else "non-decreasing"
        raise _fail(owner, argument, f"{order} times",
                    Said(f"{times_shown[i]!r} then {times_shown[i + 1]!r} at index {i + 1}"))
    return times


# ----------------------------------------------------------------------------- paths


def writable_path(argument: str, value: object, *, owner: str | None = None) -> Path:
    """``value`` as a Path whose directory exists and can be written.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : str or os.PathLike
        The path (a non-empty ``str`` or path object; ``bytes`` are refused).
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    pathlib.Path
        The path; the file itself need not exist (an existing one is accepted).

    Raises
    ------
    ValidationError
        Not a non-empty ``str`` or ``os.PathLike``, a directory that does not
        exist, a path that is a directory, or a directory the process cannot
        write to.

    Examples
    --------
    >>> import os, tempfile
    >>> from evsim.validation import writable_path
    >>> tmp = tempfile.gettempdir()
    >>> writable_path("path", os.path.join(tmp, "run.npz")).name
    'run.npz'
    >>> writable_path("path", os.path.join(tmp, "no-such-folder", "run.npz"))
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: path must be a path in an existing directory, got '...run.npz'
    """
    path = _path(argument, value, owner, "a file path")
    folder = path.parent
    if not folder.is_dir():
        raise _fail(owner, argument, "a path in an existing directory", Said(repr(str(path))))
    if path.is_dir():
        raise _fail(owner, argument, "a file path, not a directory", Said(repr(str(path))))
    if not os.access(folder, os.W_OK):
        raise _fail(owner, argument, "a path in a directory you can write", Said(repr(str(path))))
    return path


def readable_file(argument: str, value: object, *, owner: str | None = None) -> Path:
    """``value`` as a Path to an existing regular file.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : str or os.PathLike
        The path (a non-empty ``str`` or path object; ``bytes`` are refused).
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    pathlib.Path
        The path (read permission is not checked: opening it reports that).

    Raises
    ------
    ValidationError
        Not a non-empty ``str`` or ``os.PathLike``, or not an existing
        regular file (missing, or a directory).

    Examples
    --------
    >>> import evsim
    >>> from evsim.validation import readable_file
    >>> readable_file("path", evsim.__file__).name
    '__init__.py'
    >>> readable_file("path", "no-such-file.npz", owner="load")
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: load: path must be an existing file, got 'no-such-file.npz'
    """
    path = _path(argument, value, owner, "a file path")
    if not path.is_file():
        raise _fail(owner, argument, "an existing file", Said(repr(str(path))))
    return path


def folder(argument: str, value: object, *, owner: str | None = None) -> Path:
    """``value`` as a Path for a directory to write into: an existing directory, or a path that is not a file.

    Parameters
    ----------
    argument : str
        The argument's name as the message shows it (it may carry a unit or
        a hint, ``"dt (ms)"``).
    value : str or os.PathLike
        The path (a non-empty ``str`` or path object; ``bytes`` are refused).
    owner : str or None, optional
        The caller (function or class), named first in the message.

    Returns
    -------
    pathlib.Path
        The path; it is not created here, nor checked for write permission.

    Raises
    ------
    ValidationError
        Not a non-empty ``str`` or ``os.PathLike``, or a path that exists and
        is not a directory.

    Examples
    --------
    >>> import evsim
    >>> from evsim.validation import folder
    >>> str(folder("out", "results"))  # need not exist yet
    'results'
    >>> folder("out", evsim.__file__)
    Traceback (most recent call last):
        ...
    evsim.errors.ValidationError: out must be a directory (new or existing), not a file, got '...__init__.py'
    """
    path = _path(argument, value, owner, "a directory path")
    if path.exists() and not path.is_dir():
        raise _fail(owner, argument, "a directory (new or existing), not a file", str(path))
    return path


def _path(argument: str, value: object, owner: str | None, kind: str) -> Path:
    """``value`` as a Path, if it is a non-empty ``str`` or ``os.PathLike`` (``kind`` names it in the message)."""
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise _fail(owner, argument, f"{kind} (str or os.PathLike)", value)
    return Path(value)
