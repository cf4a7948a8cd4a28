import subprocess
import sys

import pytest

import evsim
from evsim import IF, Input, Network, Synapse
from evsim.cli import main
from evsim.tour import LESSONS, run_tour


def small_record(**kw):
    net = Network({"x": Input(), "y": IF(threshold=1.0)}, [Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    return evsim.simulate(net, {"x": [0, 1, 2]}, until=5, probes=["y"], **kw)


def test_raster_and_potential_label_their_axes_with_units():
    rec = small_record(trace=True)
    ax = evsim.plot.raster(rec)
    assert ax.get_xlabel() == "time (ms)" and [t.get_text() for t in ax.get_yticklabels()] == ["x", "y"]
    ax = evsim.plot.potential(rec, "y", threshold=1.0)
    assert ax.get_xlabel() == "time (ms)" and ax.get_legend() is not None
    ax = evsim.plot.event_timeline(rec)
    assert "instant (ms)" in ax.get_xlabel() and [t.get_text() for t in ax.get_xticklabels()] == ["0.0", "1.0", "2.0", "3.0"]


def test_event_timeline_needs_a_trace():
    with pytest.raises(ValueError, match="trace=True"):
        evsim.plot.event_timeline(small_record())


def test_tour_writes_every_figure_and_reports_exact_values(tmp_path, monkeypatch):
    """Every figure the tour saves has nothing outside its canvas (checked as it is saved)."""
    from matplotlib.figure import Figure

    from tests.canvas import outside_canvas

    save, cut = Figure.savefig, {}

    def checked_save(fig, path, *args, **kwargs):
        save(fig, path, *args, **kwargs)
        cut[str(path)] = outside_canvas(fig)

    monkeypatch.setattr(Figure, "savefig", checked_save)
    monkeypatch.setenv("EVSIM_FAST", "1")
    summaries = run_tour(tmp_path, quiet=True)
    assert len(cut) == 11 and {path: parts for path, parts in cut.items() if parts} == {}
    assert len(summaries) == len(LESSONS)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "01_if_neuron_potential.png", "02_circuit_events.png", "03_lif_continuous.png", "04_xor_circuit.png",
        "05_wta_raster.png", "06_wta_convergence.png", "07_encodings.png", "08_conversion.png",
        "09_low_latency.png", "10_training.png", "11_trained_spikes.png"]
    assert "output spikes y: [2.0, 5.0, 6.0] ms" in summaries[0]  # w = 0.625: every sum exact
    assert "with w = 0.6, y fires at [2.0, 5.0] ms only" in summaries[0] and "0.9999999999999999 < 1" in summaries[0]
    assert "within float rounding (< 1e-12 ms)" in summaries[2]
    assert "worst case" in summaries[3] and ">= bound: True" in summaries[3]
    assert "mean rounds to one stable winner" in summaries[4]
    assert "hybrid (analog step 0 + TTFS)    30 spikes + 30 analog values, decoded max error 0.000" in summaries[5]
    assert "decoded from its spikes alone, by their times, the max error is 0.036" in summaries[5]
    assert "ANN test accuracy" in summaries[6] and "T=32" in summaries[6]
    assert "rate+compensation" in summaries[7] and "early exit" in summaries[7]
    assert "identical to the runner's at every neuron and step: True" in summaries[8]


def test_cli_tour_and_usage_errors(tmp_path, capsys, monkeypatch):
    import evsim.tour

    monkeypatch.setattr(evsim.tour, "LESSONS", LESSONS[:1])  # the tour itself is tested above
    assert main(["tour", "--out", str(tmp_path), "--quiet"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["01_if_neuron_potential.png"]
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: COMMAND"),
    (["fly"], "invalid choice: 'fly'"),
    (["tour", "--volume", "11"], "unrecognized arguments: --volume 11"),
    (["demo", "nope"], "no demo named 'nope'"),
    (["behavior", "nand"], "no library network named 'nand'"),
    (["behavior", "xor", "--horizon", "99"], "horizon must be an integer >= 1 and <= 8, got 99"),
    (["behavior", "xor", "--horizon", "two"], "argument --horizon: must be a whole number >= 1, got 'two'"),
    (["convert", "--seed", "x"], "argument --seed: must be a whole number >= 0, got 'x'"),
])
def test_every_command_reports_mistakes_in_one_line_with_exit_2(argv, message):
    command = [sys.executable, "-m", "evsim.cli", *argv]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_tour_into_an_existing_file_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    done = subprocess.run([sys.executable, "-m", "evsim.cli", "tour", "--out", str(blocker), "--quiet"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "evsim tour: error:" in done.stderr and "Traceback" not in done.stderr


def test_demo_list_and_behavior_table(capsys):
    assert main(["demo", "list"]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in ("event-core", "lynch-musco", "encodings", "conversion", "low-latency"))
    assert main(["behavior", "and", "--horizon", "2", "--top", "2"]) == 0
    table = capsys.readouterr().out
    assert "x1=1, x2=1:" in table and "0.95257  y 01" in table  # sigma(w/2) with w = 6


def test_import_does_not_load_matplotlib():
    code = "import sys, evsim; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_xor_table_shows_the_settled_answer_as_the_most_likely():
    """Default horizon (depth 3 + 2 = 5 rounds): for every input pattern the most probable output sequence ends
    in XOR(x1, x2) at rounds 3 and 4, and the table says what a pattern and a row mean."""
    from evsim.lessons.behavior_table import behavior_table

    text = behavior_table("xor")
    assert "rounds 0–4" in text and "x=1 fires in every round from round 0" in text
    assert "answer from round 3 on" in text
    lines = text.splitlines()
    for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        top = lines[lines.index(f"  x1={x1}, x2={x2}:") + 1].split()
        assert top[-1][3:] == str(x1 ^ x2) * 2, (x1, x2, top)


def test_version_is_printed_and_is_the_package_s(capsys):
    import re
    from pathlib import Path

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    declared = re.search(r'^version = "([^"]+)"', pyproject, re.MULTILINE).group(1)  # (tomllib needs Python 3.11)
    assert capsys.readouterr().out.strip() == f"evsim {evsim.__version__}" == f"evsim {declared}"


def test_lessons_say_which_one_is_running_and_how_long_each_took(tmp_path, capsys):
    from evsim.lessons import run_lessons

    def first(out):
        """A first lesson."""
        return "1. first"

    def second(out):
        return "2. second"

    assert run_lessons([first, second], tmp_path) == ["1. first", "2. second"]
    out, err = capsys.readouterr()
    assert err.splitlines() == ["[1/2] A first lesson. …", "[2/2] second …"]
    assert out.splitlines()[0] == "1. first" and out.splitlines()[1].startswith("   (") and out.splitlines()[1].endswith(" s)")
    run_lessons([first], tmp_path, quiet=True)
    assert capsys.readouterr() == ("", "")
