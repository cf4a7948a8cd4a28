"""Every demo script runs as a user would run it (fast mode) and prints its summary."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

DEMOS = Path(__file__).resolve().parent.parent / "demos"
EXPECTED = {
    "01_event_core.py": ["output spikes y: [2.0, 5.0, 6.0] ms", "0.3999999999999999 + 0.6 = 0.9999999999999999 < 1", "within float rounding (< 1e-12 ms)"],
    "02_lynch_musco.py": [">= bound: True", "mean rounds to one stable winner"],
    "03_encodings.py": ["30 spikes + 30 analog values, decoded max error 0.000", "from its spikes alone"],
    "04_conversion.py": ["ANN test accuracy", "T=32"],
    "05_low_latency.py": ["rate+compensation", "early exit"],
    "06_training.py": ["test accuracy after each epoch", "identical to the runner's at every neuron and step: True"],
    "08_hybrid.py": ["hybrid, 1 spiking layer", "ANN", "in the event engine: its 32 accumulators end within"],
    "10_distillation.py": ["output + intermediate", "all three", "teacher"],
    "09_seenn.py": ["SEENN-I at equal accuracy", "SEENN-II", "fixed T"],
    "07_variation.py": ["held-out dies (regressors fitted on 8)", "out of spec as fabricated", "after recovery"],
}


def test_every_demo_is_covered():
    assert sorted(p.name for p in DEMOS.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_demo_runs_and_prints_its_summary(script, tmp_path):
    text = (DEMOS / script).read_text()
    assert text.startswith('"""') and "What to look for" in text  # each opens with its lesson
    env = {**os.environ, "EVSIM_FAST": "1", "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(DEMOS / script), str(tmp_path)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    for phrase in EXPECTED[script]:
        assert phrase in done.stdout
    assert any(tmp_path.glob("*.png"))
