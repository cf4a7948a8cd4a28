"""Every public callable documents itself in numpydoc form: what it takes, and what it returns or raises.

"Public" is what the API reference shows: the ``__all__`` of each module in
:data:`PUBLIC_MODULES`. A function needs a ``Parameters`` section (if it
takes any) and ``Returns``, ``Yields`` or ``Raises``; a class a
``Parameters`` or ``Attributes`` section (if its constructor takes any); an
exception class a docstring. ``UNDOCUMENTED`` lists what does not yet, and
may only shrink. Every one but the exceptions also shows an ``Examples``
section, which tests/test_doctests.py runs.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

numpydoc = pytest.importorskip("numpydoc.docscrape")

PUBLIC_MODULES = (
    "evsim", "evsim.behavior", "evsim.library", "evsim.encoding", "evsim.deep", "evsim.deep.bptt",
    "evsim.deep.surrogate", "evsim.deep.direct", "evsim.deep.methods", "evsim.deep.calibrate", "evsim.deep.early_exit",
    "evsim.deep.energy", "evsim.deep.bounds", "evsim.plot", "evsim.io", "evsim.nirio", "evsim.nest", "evsim.datasets",
    "evsim.testing", "evsim.reference", "evsim.termination", "evsim.timegrid", "evsim.validation",
)

UNDOCUMENTED: frozenset[str] = frozenset()  # every public callable documents itself; keep it empty


def public_callables():
    """``(qualified name, object)`` of every callable in the ``__all__`` of the public modules (modules skipped)."""
    seen = {}
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attribute in module.__all__:
            obj = getattr(module, attribute)
            if callable(obj) and not inspect.ismodule(obj):
                seen.setdefault(f"{name}.{attribute}", obj)
    return sorted(seen.items())


def _takes_arguments(obj) -> bool:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in signature.parameters.values())


def missing_sections(obj) -> list[str]:
    """The numpydoc sections ``obj``'s docstring lacks (empty: it documents itself)."""
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return [] if (obj.__doc__ or "").strip() else ["docstring"]
    if inspect.isclass(obj):
        doc = numpydoc.ClassDoc(obj, config={"show_class_members": False})
        wanted = _takes_arguments(obj) and not (doc["Parameters"] or doc["Attributes"])
        return ["Parameters"] if wanted else []
    doc = numpydoc.FunctionDoc(obj)
    missing = ["Parameters"] if _takes_arguments(obj) and not doc["Parameters"] else []
    if not (doc["Returns"] or doc["Yields"] or doc["Raises"]):
        missing.append("Returns/Raises")
    return missing


def test_every_public_callable_has_numpydoc_sections():
    found = {name: missing_sections(obj) for name, obj in public_callables()}
    lacking = {name: sections for name, sections in found.items() if sections}
    assert set(lacking) <= UNDOCUMENTED, {name: lacking[name] for name in sorted(set(lacking) - UNDOCUMENTED)}
    assert UNDOCUMENTED <= set(lacking), f"documented now, remove from UNDOCUMENTED: {sorted(UNDOCUMENTED - set(lacking))}"


def test_every_public_callable_shows_an_example():
    lacking = sorted(name for name, obj in public_callables()
                     if not (inspect.isclass(obj) and issubclass(obj, BaseException)) and not _examples(obj))
    assert lacking == []


def _examples(obj) -> list:
    doc = numpydoc.ClassDoc(obj, config={"show_class_members": False}) if inspect.isclass(obj) else \
        numpydoc.FunctionDoc(obj)
    return doc["Examples"]


def test_the_check_sees_a_missing_section():
    def documented(x):
        """Twice x.

        Parameters
        ----------
        x : float

        Returns
        -------
        float
        """

    def bare(x):
        """Twice x."""

    assert missing_sections(documented) == [] and missing_sections(bare) == ["Parameters", "Returns/Raises"]
