"""Every demo has a gallery page that shows all of its code (each lesson the demo runs, included by name) and
its own description (the demo's docstring, included, not copied)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _lessons_run_by(demo: Path) -> list[str]:
    calls = [n for n in ast.walk(ast.parse(demo.read_text())) if isinstance(n, ast.Call)
             and getattr(n.func, "id", "") == "demo_main"]
    return [arg.id for call in calls for arg in call.args]


def test_every_demo_has_a_gallery_page_showing_each_of_its_lessons():
    demos = sorted((ROOT / "demos").glob("[0-9][0-9]_*.py"))
    pages = {p.name: p for p in (ROOT / "docs" / "demos").glob("[0-9][0-9]_*.py")}
    assert [d.name for d in demos] == sorted(pages)
    for demo in demos:
        page = pages[demo.name].read_text()
        lessons = _lessons_run_by(demo)
        assert lessons and re.findall(r":pyobject: (\w+)", page) == lessons, demo.name
        assert f"show_lessons([{', '.join(lessons)}])" in page, demo.name
        assert f".. include:: ../../demos/{demo.name}" in page, demo.name  # its description: the demo's own text
