"""Fuzz every public function (tests/catalogue/fuzz.py) in a subprocess with a memory ceiling and a timeout."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parent / "catalogue" / "fuzz.py"
ROOT = FUZZ.parent.parent.parent
MEMORY = 3 * 2**30  # address space of the whole fuzzing process (RLIMIT_AS)
TIMEOUT = 300  # seconds; the fuzzer itself takes well under a minute


def _ceiling() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, resource.getrlimit(resource.RLIMIT_AS)[1]))


def test_only_evsim_errors_escape_any_public_function(tmp_path):
    """Law: for arguments drawn from valid ranges mixed with None, bools, huge ints, NaN, inf, strings,
    nested containers and arrays of odd shapes, every public function returns or raises an EvsimError:
    no other exception, no MemoryError under a 3 GiB address-space ceiling, no call over the time limit."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    done = subprocess.run([sys.executable, str(FUZZ)], cwd=tmp_path, env=env, preexec_fn=_ceiling,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-3000:]
