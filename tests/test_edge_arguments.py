"""Argument checks of evsim.library, evsim.plot, evsim.cli and evsim.datasets.

Each refused call raises an evsim error whose message names the argument and
shows the bad value; the command line reports mistakes in one line with exit code 2.
"""

import gzip
import math
import subprocess
import sys
import zipfile

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import evsim
from evsim import IF, Input, Network, Synapse
from evsim.behavior import exact
from evsim.datasets import load_digits, load_mnist, read_idx
from evsim.errors import LimitError
from evsim.library import (
    and_gate,
    attention,
    circuit,
    copy_gate,
    cyclic_oscillator,
    filter_network,
    gate_error,
    not_gate,
    or_gate,
    winner_take_all,
    wta_gamma,
    xor_circuit,
)
from tests.refusals import assert_refused


def record(**kw):
    net = Network({"x": Input(), "y": IF(threshold=1.0)}, [Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    return evsim.simulate(net, {"x": [0, 1, 2]}, until=5, probes=["y"], **kw)


ROWS = [{"method": "m", "steps": 4, "avg_steps": 3.0, "energy_ratio": 0.5, "accuracy": 0.9, "v_init": "zero"}]

# (call, the argument its message must name, the bad value as the message shows it)
REFUSED = [
    (lambda: gate_error(math.nan), "w", "nan"),
    (lambda: gate_error(10.0, 0.0), "temperature", "0.0"),
    (lambda: and_gate(w="10"), "w", "'10'"),
    (lambda: and_gate("a", "a"), "x1, x2", "'a' twice"),
    (lambda: and_gate(temperature=-1.0), "temperature", "-1.0"),
    (lambda: or_gate(x1=3), "x1, x2", "3"),
    (lambda: or_gate(y="x1"), "y", "'x1'"),
    (lambda: not_gate(x=""), "x", "''"),
    (lambda: not_gate(initial="no"), "initial", "'no'"),
    (lambda: copy_gate(w=math.inf), "w", "inf"),
    (lambda: xor_circuit(w=True), "w", "True"),
    (lambda: circuit([], {"y"}), "gates", "[]"),
    (lambda: circuit(["and"], {"y"}), "gates", "'and'"),
    (lambda: circuit(and_gate(), {"y"}), "gates", "Network"),
    (lambda: circuit([and_gate()], {"q"}), "outputs", "['q']"),
    (lambda: wta_gamma(0), "n", "0"),
    (lambda: wta_gamma(3, delta=0.0), "delta", "0.0"),
    (lambda: wta_gamma(3, rounds=2.5), "rounds", "2.5"),
    (lambda: winner_take_all(3.0), "n", "3.0"),
    (lambda: winner_take_all(3, gamma=math.nan), "gamma", "nan"),
    (lambda: filter_network(2, 0), "m", "0"),
    (lambda: filter_network(2, 2, temperature=0), "temperature", "0"),
    (lambda: attention(True, 2), "n", "True"),
    (lambda: attention(2, 2, gamma=-1.0), "gamma", "-1.0"),
    (lambda: cyclic_oscillator(w=math.nan), "w", "nan"),
    (lambda: evsim.plot.raster("rec"), "record", "'rec'"),
    (lambda: evsim.plot.raster(record(), ax="left"), "ax", "'left'"),
    (lambda: evsim.plot.raster(record(), names=["q"]), "names", "'q'"),
    (lambda: evsim.plot.raster(record(), names=["y", "y"]), "names", "'y' twice"),
    (lambda: evsim.plot.potential(record(), "x"), "name", "'x'"),
    (lambda: evsim.plot.potential(record(), "y", until=-1.0), "until", "-1.0"),
    (lambda: evsim.plot.potential(record(), "y", threshold="1"), "threshold", "'1'"),
    (lambda: evsim.plot.potential(record(), "y", resolution=1), "resolution", "1"),
    (lambda: evsim.plot.event_timeline(record()), "record", "without one"),
    (lambda: evsim.plot.event_timeline(record(trace=True), limit=0), "limit", "0"),
    (lambda: evsim.plot.behavior("b"), "b", "'b'"),
    (lambda: evsim.plot.behavior(exact(and_gate(), {}, 2), top=0), "top", "0"),
    (lambda: evsim.plot.accuracy_vs_steps([], 0.9), "rows", "[]"),
    (lambda: evsim.plot.accuracy_vs_steps(ROWS, 1.5), "ann_accuracy", "1.5"),
    (lambda: evsim.plot.accuracy_vs_steps(ROWS, 0.9, group="T"), "rows", "'T'"),
    (lambda: evsim.plot.accuracy_vs_latency([{"method": "m"}], 0.9), "rows", "'avg_steps'"),
    (lambda: evsim.plot.accuracy_vs_energy([dict(ROWS[0], accuracy=math.nan)], 0.9), "accuracy", "nan"),
    (lambda: evsim.plot.low_latency("rows", 0.9), "rows", "'rows'"),
    (lambda: load_digits(test_fraction=0.0), "test_fraction", "0.0"),
    (lambda: load_digits(test_fraction=1.0), "test_fraction", "1.0"),
    (lambda: load_digits(test_fraction="0.25"), "test_fraction", "'0.25'"),
    (lambda: load_digits(seed=-1), "seed", "-1"),
    (lambda: load_mnist(None), "path", "None"),
    (lambda: load_mnist("/no/such/folder"), "path", "'/no/such/folder'"),
    (lambda: read_idx("/no/such/file"), "path", "'/no/such/file'"),
]


@pytest.mark.parametrize("call, argument, shown", REFUSED)
def test_refused_calls_name_the_argument_and_the_value(call, argument, shown):
    assert_refused(call, argument, shown)


def test_valid_calls_still_work():
    assert gate_error(2000.0) == pytest.approx(math.exp(-1000.0)) and gate_error(np.float64(0.0)) == 0.5
    assert and_gate(w=np.float32(4.0), initial=np.bool_(True)).neurons["y"].initial
    assert circuit((and_gate(), copy_gate("y", "z")), "z").outputs == {"z"}
    assert len(winner_take_all(np.int64(3)).outputs) == 3 and wta_gamma(np.int32(2)) > 0
    rec = record(trace=True)
    figure_axes = evsim.plot.raster(rec).figure.add_subplot(2, 1, 2)
    assert evsim.plot.raster(rec, ax=figure_axes, names=("y",)) is figure_axes
    assert evsim.plot.potential(rec, "y", until=5, resolution=np.int64(50)).get_title() == "potential of y"
    assert evsim.plot.low_latency(ROWS, 0.95) is not None
    assert evsim.plot.behavior(exact(and_gate(), {}, 3), top=np.int64(2)).get_ylabel() == "probability"


def test_idx_and_npz_readers_refuse_broken_and_oversized_files(tmp_path):
    short = tmp_path / "short"
    short.write_bytes(bytes([0, 0, 8, 3, 0, 0]))  # declares 3 sizes, holds half of one
    with pytest.raises(evsim.ValidationError, match="header declares 3 dimensions but the file ends after 6 bytes"):
        read_idx(short)
    broken = tmp_path / "broken.gz"
    broken.write_bytes(b"\x1f\x8b not gzip")
    with pytest.raises(evsim.ValidationError, match="broken.gz: cannot be read"):
        read_idx(broken)
    bomb = tmp_path / "bomb.gz"
    with gzip.open(bomb, "wb") as f:
        f.write(bytes([0, 0, 8, 1]) + np.array([4096], ">i4").tobytes() + bytes(4096))
    with evsim.limits(file_bytes=1024):
        with pytest.raises(LimitError, match=r"read_idx: .*bomb.gz \(decompressed\) needs about .* file_bytes limit"):
            read_idx(bomb)
    assert read_idx(bomb).shape == (4096,)
    (tmp_path / "junk.npz").write_bytes(b"PK not a zip")
    with pytest.raises(evsim.ValidationError, match="junk.npz is not an .npz of the MNIST arrays: not a readable"):
        load_mnist(tmp_path / "junk.npz")
    objects = tmp_path / "objects.npz"
    np.savez(objects, x_train=np.array([{"a": 1}], dtype=object), y_train=[1], x_test=np.zeros((1, 2, 2)), y_test=[1])
    with pytest.raises(evsim.ValidationError, match=r"objects.npz: array 'x_train' \(x_train\) has dtype object; .*no "
                                                    r"objects: nothing is unpickled"):
        load_mnist(objects)
    labels = tmp_path / "labels.npz"
    np.savez(labels, x_train=np.zeros((1, 2, 2)), y_train=[-1], x_test=np.zeros((1, 2, 2)), y_test=[1])
    with pytest.raises(evsim.ValidationError, match="y_train must hold whole-number labels >= 0"):
        load_mnist(labels)
    assert zipfile.is_zipfile(labels)


@pytest.mark.parametrize("argv, message", [
    (["behavior", "xor", "--horizon", "0"], "argument --horizon: must be a whole number >= 1, got '0'"),
    (["behavior", "xor", "--top", "-2"], "argument --top: must be a whole number >= 1, got '-2'"),
    (["convert", "--seed", "-1"], "argument --seed: must be a whole number >= 0, got '-1'"),
    (["convert", "--plot", "/no/such/dir/a.png"], "--plot must be a path in an existing directory, got '/no/such/dir/a.png'"),
])
def test_cli_mistakes_are_one_line_with_exit_code_2(argv, message):
    done = subprocess.run([sys.executable, "-m", "evsim.cli", *argv], capture_output=True, text=True)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
