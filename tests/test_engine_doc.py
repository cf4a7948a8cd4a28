"""docs/engine.md follows one example through the engine: its code must print the trace it shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

ENGINE_DOC = Path(__file__).resolve().parent.parent / "docs" / "engine.md"


def test_the_engine_walkthrough_prints_the_trace_it_shows():
    text = ENGINE_DOC.read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    shown = re.search(r"```\n( +time rank phase.*?)```", text, re.S).group(1)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(ENGINE_DOC), "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[0] == "{'x': [1.05, 1.25], 'a': [1.25, 1.45], 'n': [1.65]}"
    assert "\n".join(lines[1:]) + "\n" == shown
