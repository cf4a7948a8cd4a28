"""The package and its docs stand on their own: they cite papers, never files or trackers outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOREIGN = re.compile(r"REFERENCE|shared/|\b[Ii]ssues? #?\d+")  # a planning file, its folder, a tracker's issue number
SUFFIXES = {".py", ".md", ".toml", ".txt", ".cfg", ".json"}


def _texts():
    places = [ROOT / "evsim", ROOT / "docs", ROOT / "demos", ROOT / "tools", ROOT / "benchmarks"]
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    files += [p for place in places for p in sorted(place.rglob("*")) if p.suffix in SUFFIXES and "_build" not in p.parts]
    return [(p.relative_to(ROOT), p.read_text(errors="replace")) for p in files if p.is_file()]


def test_no_file_cites_a_planning_document_or_an_issue_number():
    found = [f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()!r}"
             for path, text in _texts() for m in FOREIGN.finditer(text)]
    assert found == []


def test_the_check_sees_what_it_looks_for():
    """The pattern itself: each kind of citation it must refuse is caught, ordinary words are not."""
    for bad in ("see REFERENCE §4", "../shared/DESIGN.md", "fixed in issue 13", "Issue #7"):
        assert FOREIGN.search(bad), bad
    for fine in ("reference.simulate", "a shared scalar", "issues a warning", "tissue 3"):
        assert not FOREIGN.search(fine), fine
