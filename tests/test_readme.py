"""Every Python block of the README runs as written, each in a fresh interpreter in an empty folder."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(), re.MULTILINE | re.DOTALL)


def test_the_readme_has_its_blocks():
    assert len(BLOCKS) >= 7 and all(block.strip() for block in BLOCKS)


@pytest.mark.parametrize("number", range(len(BLOCKS)), ids=lambda n: f"block {n + 1}")
def test_a_readme_block_runs_as_written(number, tmp_path):
    """Law: the block exits 0 (a NameError, an exception or a failed assertion in it fails this test); a block
    that runs NEST is skipped where NEST is not installed (the test extra installs it on Linux x86_64)."""
    block = BLOCKS[number]
    if 'engine="nest"' in block and importlib.util.find_spec("nest") is None:
        pytest.skip("needs nest-simulator (the test extra on Linux x86_64)")
    env = {**os.environ, "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    if number == 0:  # the first example's comment is its output
        assert "'y': array([2.])" in done.stdout
