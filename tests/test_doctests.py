"""The examples in the docstrings run, and print what they say (as the API pages show them)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import evsim

MODULES = sorted(m.name for m in pkgutil.walk_packages(evsim.__path__, "evsim.") if m.name != "evsim.__main__")


@pytest.mark.parametrize("name", ["evsim", *MODULES])
def test_the_examples_of_a_module_run_as_written(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # (an example that writes a file writes it here)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (printed above)"
