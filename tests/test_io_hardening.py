"""Loading trusts nothing in the file, and saving leaves nothing behind: typed errors naming the file and
the field for every malformed archive, bounded work on hostile ones, and saves that get their directory's
normal file mode and clean up after writers that were killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

import evsim
from evsim import LimitError, ValidationError, io

TEMPORARY_SUFFIX = ".evsim-tmp"  # evsim.archive.TEMPORARY_SUFFIX, spelled out so this file imports on any evsim


def small_network() -> evsim.Network:
    return evsim.Network({"x": evsim.Input(), "a": evsim.IF(threshold=0.5), "b": evsim.LIF(tau=4.0)},
                         [evsim.Synapse("x", "a", 0.7, 1.0), evsim.Synapse("a", "b", 1.2, 2.0)],
                         outputs={"b"}, dt=1.0)


def members(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The document and the arrays of an evsim archive (read with NumPy: the test's own files only)."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    return json.loads(str(arrays.pop("__evsim__"))), arrays


def rewrite(path: Path, document, **changes) -> Path:
    """``path`` with its document replaced and some arrays changed (None drops one)."""
    _, arrays = members(path)
    arrays.update(changes)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    text = document if isinstance(document, str) else json.dumps(document)
    np.savez(path, __evsim__=np.array(text), **arrays)
    return path


@pytest.fixture
def saved(tmp_path) -> Path:
    return io.save(small_network(), tmp_path / "net.npz")


# -- synapse tables: never silently rewired -------------------------------------------------------------

@pytest.mark.parametrize("column", ["source", "target"])
@pytest.mark.parametrize("bad", [np.array([-1, 1], np.int64), np.array([np.iinfo(np.uint64).max, 1], np.uint64),
                                 np.array([3, 1], np.int64), np.array([0, 2**40], np.int64)])
def test_a_synapse_index_out_of_range_is_refused_naming_the_row(saved, column, bad):
    """-1 and the largest uint64 used to wrap to the last neuron and load a rewired network."""
    document, _ = members(saved)
    rewrite(saved, document, **{column: bad})
    row = 0 if bad[0] != 0 else 1
    with pytest.raises(ValidationError, match=rf"net.npz: synapse {column}s\[{row}\] must be a neuron index "
                                              rf"in \[0, 3\)"):
        io.load(saved)


@pytest.mark.parametrize("change, message", [
    ({"source": np.array([0.0, 1.0])}, r"synapse sources \(array 'source'\) must hold integers, got dtype float64"),
    ({"target": np.array([1, 2, 2])}, r"synapse targets \(array 'target'\) must have shape \(2,\), got \(3,\)"),
    ({"weight": np.array([np.nan, 1.0])}, r"synapse weights \(array 'weight'\) must hold finite numbers"),
    ({"delay": None}, r"synapse delays names array 'delay', which the archive does not hold"),
    ({"source": np.array([[0, 1]])}, r"synapse sources must be a 1-d array"),
    ({"weight": np.array(["a", "b"])}, r"synapse weights \(array 'weight'\) must hold numbers, got dtype <U1"),
])
def test_malformed_synapse_columns_are_refused_naming_the_field(saved, change, message):
    document, _ = members(saved)
    rewrite(saved, document, **change)
    with pytest.raises(ValidationError, match="net.npz: " + message):
        io.load(saved)


# -- the document ----------------------------------------------------------------------------------------

def edit(document: dict, how) -> dict:
    how(document)
    return document


@pytest.mark.parametrize("how, message", [
    (lambda d: d["neurons"][2].update(name="a"), r"neuron names must be distinct names, got 'a' twice"),
    (lambda d: d["neurons"][1].update(name=7), r"neurons\[1\].name must be a non-empty string, got 7"),
    (lambda d: d["neurons"][1]["params"].update(colour=1), r"neurons\[1\].params has 'colour'"),
    (lambda d: d["neurons"][1]["params"].update(threshold=[1]), r"neurons\[1\].params.threshold must be a number"),
    (lambda d: d["neurons"][0].update(model="Hodgkin"), r"neurons\[0\].model is 'Hodgkin', not a neuron model"),
    (lambda d: d["neurons"].append(5), r"neurons\[3\] must be an object with name, model and params, got 5"),
    (lambda d: d.update(neurons={"a": 1}), r"neurons must be a list, got \{'a': 1\}"),
    (lambda d: d.update(outputs=["zz"]), r"outputs\[0\] must name a neuron of the file, got 'zz'"),
    (lambda d: d.update(outputs="b"), r"outputs must be a list, got 'b'"),
    (lambda d: d.update(dt=-1), r"dt must be a finite real number > 0.0"),
    (lambda d: d.update(dt="1"), r"dt must be a finite real number > 0.0 .*, got '1'"),
    (lambda d: d.update(version=True), r"version must be an integer >= 1, got True"),
    (lambda d: d.update(kind=["network"]), r"kind must be one of 'network', 'spiking_net'"),
])
def test_edited_document_fields_are_refused_naming_the_field(saved, how, message):
    document, _ = members(saved)
    rewrite(saved, edit(document, how))
    with pytest.raises(ValidationError, match="net.npz: " + message):
        io.load(saved)


@pytest.mark.parametrize("text, message", [
    ("[1, 2]", "must be a JSON object, got a list"),
    ("[" * 100_000 + "]" * 100_000, "is nested too deeply"),
    ('{"format": "evsim", "version": ' + "9" * 5000 + "}", "is not valid JSON"),
    ("{bad", "is not valid JSON"),
])
def test_a_document_that_is_no_object_is_refused(saved, text, message):
    rewrite(saved, text)
    with pytest.raises(ValidationError, match="net.npz: its __evsim__ document " + message):
        io.load(saved)


def test_a_document_of_the_wrong_array_type_is_refused(saved):
    _, arrays = members(saved)
    np.savez(saved, __evsim__=np.arange(3), **arrays)
    with pytest.raises(ValidationError, match="document must be one string, got an array of int64"):
        io.load(saved)


# -- the container -----------------------------------------------------------------------------------------

def test_a_npy_file_or_anything_not_a_zip_is_a_typed_error(tmp_path):
    np.save(tmp_path / "array.npy", np.arange(3))
    with pytest.raises(ValidationError, match="array.npy is not an evsim file: not a readable .npz"):
        io.load(tmp_path / "array.npy")
    with pytest.raises(ValidationError, match="io.load: path must be an existing file"):
        io.load(tmp_path)  # a directory
    with pytest.raises(ValidationError, match="io.load: path must be a file path"):
        io.load(3)


def test_an_object_array_is_refused_without_unpickling(saved):
    document, _ = members(saved)
    _, arrays = members(saved)
    arrays["weight"] = np.array([object(), 1], dtype=object)
    with zipfile.ZipFile(saved, "w") as archive:  # np.savez would pickle the objects: write the member by hand
        for key, value in arrays.items():
            with archive.open(f"{key}.npy", "w") as f:
                np.lib.format.write_array(f, value, allow_pickle=True)
        with archive.open("__evsim__.npy", "w") as f:
            np.lib.format.write_array(f, np.array(json.dumps(document)))
    with pytest.raises(ValidationError, match=r"array 'weight' \(synapse weights\) has dtype object; .*no objects"):
        io.load(saved)


def test_members_are_read_only_as_the_document_names_them(saved):
    """A file with an extra member (or a hostile one under another name) loads as the document says."""
    document, arrays = members(saved)
    with zipfile.ZipFile(saved, "a") as archive:
        archive.writestr("extra.npy", b"\x00" * 100)  # not an .npy: never read
    assert io.load(saved) == small_network()


def zip_bomb(path: Path, document: dict, arrays: dict, size: int, *, lie: bool) -> None:
    """``weight`` replaced by ``size`` zero bytes, deflated; its declared size honest or a lie (tiny)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, value in {**arrays, "__evsim__": np.array(json.dumps(document))}.items():
            if key == "weight":
                continue
            with archive.open(f"{key}.npy", "w") as f:
                np.lib.format.write_array(f, value)
        header = np.lib.format.header_data_from_array_1_0(np.zeros(0))
        header["shape"] = (size // 8,)
        with archive.open("weight.npy", "w", force_zip64=True) as f:
            np.lib.format.write_array_header_1_0(f, header)
            zeros = bytes(1 << 20)
            for _ in range(size // len(zeros)):
                f.write(zeros)
    if lie:  # patch the declared uncompressed size in the central directory to 16 bytes
        raw = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("weight.npy")
        entry = _central_entry(raw, "weight.npy")
        raw[entry + 24:entry + 28] = (16).to_bytes(4, "little")
        path.write_bytes(bytes(raw))
        assert info.file_size == size + 128


def _central_entry(raw: bytearray, member: str) -> int:
    position = 0
    while True:
        position = raw.index(b"PK\x01\x02", position)
        name_length = int.from_bytes(raw[position + 28:position + 30], "little")
        if raw[position + 46:position + 46 + name_length] == member.encode():
            return position
        position += 4


def test_a_zip_bomb_is_refused_from_its_declared_size_before_decompressing(saved, monkeypatch):
    """16 MiB of zeros deflated to ~16 KiB: with file_bytes at 1 MiB it is refused without opening the member."""
    document, arrays = members(saved)
    zip_bomb(saved, document, arrays, 16 << 20, lie=False)
    assert saved.stat().st_size < 1 << 20
    opened, real_open = [], zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(
        getattr(name, "filename", name)) or real_open(self, name, *a, **k))
    with evsim.limits(file_bytes=1 << 20):
        with pytest.raises(LimitError, match=r"net.npz.*array 'weight' \(synapse weights\).*above the file_bytes "
                                             r"limit of 1 MiB.*evsim.limits\(file_bytes=...\)"):
            io.load(saved)
    assert "weight.npy" not in opened and "__evsim__.npy" in opened


def test_a_zip_bomb_lying_about_its_size_inflates_no_further_than_it_declares(saved):
    document, arrays = members(saved)
    zip_bomb(saved, document, arrays, 16 << 20, lie=True)
    with pytest.raises(ValidationError, match=r"array 'weight' \(synapse weights\) (declares shape \(2097152,\) "
                                              r"of float64 \(16777216 bytes\) but the member holds|is damaged)"):
        io.load(saved)


def test_a_file_larger_than_the_limit_is_refused_before_it_is_opened(saved):
    with evsim.limits(file_bytes=100):
        with pytest.raises(LimitError, match=r"io.load\(.*net.npz\): the file needs about .* above the "
                                             r"file_bytes limit of 100 B"):
            io.load(saved)


# -- converted nets ------------------------------------------------------------------------------------

@pytest.fixture
def saved_snn(tmp_path) -> Path:
    ann = evsim.deep.Sequential([evsim.deep.Conv2d(1, 2, 3, padding=1, rng=0), evsim.deep.ReLU(),
                                 evsim.deep.AvgPool2d(2), evsim.deep.Flatten(), evsim.deep.Dense(8, 3, rng=1)])
    snn = evsim.deep.convert(ann, thresholds=[1.0], input_shape=(1, 4, 4))
    return io.save(snn, tmp_path / "snn.npz")


@pytest.mark.parametrize("how, message", [
    (lambda d: d["layers"][0]["ops"][0].update(k=2), r"layers\[0\].ops\[0\].W must have shape \(out, 1, 2, 2\)"),
    (lambda d: d["layers"][0]["ops"][0].update(stride=0), r"layers\[0\].ops\[0\].stride must be an integer >= 1"),
    (lambda d: d["layers"][1]["ops"][0].update(k=3), r"layers\[1\].ops\[0\].k must divide the input's height"),
    (lambda d: d["layers"][1]["ops"][1].update(type="Pickle"), r"layers\[1\].ops\[1\].type must be one of"),
    (lambda d: d["layers"][0].update(output_shape=[2, 4, 3]), r"layers\[0\].output_shape must be what its ops"),
    (lambda d: d["layers"][1].update(input_shape=[9]), r"layers\[1\].input_shape must be the previous layer's"),
    (lambda d: d.update(input_shape=[1, 10**9, 10**9]), r"input_shape \(1, 1000000000, 1000000000\) needs about"),
    (lambda d: d["layers"][0].update(theta=float("nan")), r"layers\[0\].theta must be a finite real number > 0"),
    (lambda d: d["layers"][1].update(theta=1.0), r"layers\[1\].theta must be null"),
    (lambda d: d.update(dtype="object"), r"dtype must be one of 'float32', 'float64'"),
    (lambda d: d.update(layers=[]), r"layers must hold at least one layer"),
])
def test_edited_spiking_net_fields_are_refused_naming_the_field(saved_snn, how, message):
    document, _ = members(saved_snn)
    rewrite(saved_snn, edit(document, how))
    with pytest.raises((ValidationError, LimitError), match="snn.npz.*" + message):
        io.load(saved_snn)


def test_a_spiking_net_array_of_the_wrong_shape_is_refused(saved_snn):
    document, _ = members(saved_snn)
    rewrite(saved_snn, document, **{"layer0.bias": np.zeros(3)})
    with pytest.raises(ValidationError, match=r"layers\[0\].bias \(array 'layer0.bias'\) must have shape "
                                              r"\(2, 4, 4\), got \(3,\)"):
        io.load(saved_snn)
    document, _ = members(saved_snn)
    rewrite(saved_snn, document, **{"layer0.bias": np.zeros((2, 4, 4)), "layer1.op2.W": np.zeros((3, 7))})
    with pytest.raises(ValidationError, match=r"layers\[1\].ops\[2\].W must have shape \(out, 8\) for input "
                                              r"shape \(8,\), got \(3, 7\)"):
        io.load(saved_snn)


# -- saving ---------------------------------------------------------------------------------------------------

def test_saving_into_a_missing_directory_names_the_path_not_a_temporary_file(tmp_path):
    with pytest.raises(ValidationError, match=r"io.save: path must be a path in an existing directory, "
                                              r"got '.*no/such/dir/a.npz'"):
        io.save(small_network(), tmp_path / "no" / "such" / "dir" / "a.npz")
    with pytest.raises(ValidationError, match=r"io.save: path must be a file path \(str or os.PathLike\), got 3"):
        io.save(small_network(), 3)
    with pytest.raises(ValidationError, match=r"io.save: obj must be a Network or a SpikingNet, got \{\} \(dict\)"):
        io.save({}, tmp_path / "a.npz")
    assert list(tmp_path.iterdir()) == []


def test_a_saved_file_gets_the_mode_the_umask_gives_new_files(tmp_path):
    previous = os.umask(0o022)
    try:
        path = io.save(small_network(), tmp_path / "net.npz")
        assert path.stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        assert io.save(small_network(), tmp_path / "other.npz").stat().st_mode & 0o777 == 0o600
        path.chmod(0o640)  # overwriting keeps an existing file's mode, as writing in place would
        assert io.save(small_network(), path).stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(previous)


SLOW_SAVE = textwrap.dedent("""
    import sys, time, numpy as np
    import evsim
    from evsim import io

    real_savez = np.savez
    def slow_savez(f, **arrays):
        real_savez(f, **arrays)
        f.flush()
        print("written", flush=True)
        time.sleep(60)
    np.savez = slow_savez
    net = evsim.Network({"x": evsim.Input(), "a": evsim.IF()}, [evsim.Synapse("x", "a")])
    io.save(net, sys.argv[1])
""")


def test_a_save_killed_mid_write_leaves_a_temporary_file_the_next_save_removes(tmp_path):
    """SIGKILL between writing and renaming leaves the writer's temporary file; the next save to the same
    target removes it (its writer is gone), so killed saves cannot pile up."""
    target = tmp_path / "net.npz"
    env = {**os.environ, "PYTHONPATH": str(Path(evsim.__file__).parents[1])}
    writer = subprocess.Popen([sys.executable, "-c", SLOW_SAVE, str(target)], stdout=subprocess.PIPE, env=env,
                              text=True)
    try:
        assert writer.stdout.readline().strip() == "written"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(TEMPORARY_SUFFIX)]
    assert len(leftovers) == 1 and not target.exists() and f".{writer.pid}." in leftovers[0].name
    io.save(small_network(), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]
    assert io.load(target) == small_network()


def test_only_temporary_files_of_gone_writers_are_removed(tmp_path):
    """A live writer's file (this process's, or a running one's) stays; a dead pid's or a week-old one goes."""
    import socket

    from evsim.archive import remove_stale_temporaries

    host = socket.gethostname()
    target = tmp_path / "net.npz"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        files = {name: tmp_path / f".net.npz.{host}.{pid}.0a1b2c3d{TEMPORARY_SUFFIX}"
                 for name, pid in (("own", os.getpid()), ("alive", sleeper.pid), ("dead", dead.pid),
                                   ("other host", 1))}
        files["other host"] = tmp_path / f".net.npz.elsewhere.1.0a1b2c3d{TEMPORARY_SUFFIX}"
        files["old"] = tmp_path / f".net.npz.elsewhere.2.0a1b2c3d{TEMPORARY_SUFFIX}"
        files["other target"] = tmp_path / f".other.npz.{host}.{dead.pid}.0a1b2c3d{TEMPORARY_SUFFIX}"
        for path in files.values():
            path.write_bytes(b"partial")
        week = time.time() - 8 * 24 * 3600
        os.utime(files["old"], (week, week))
        removed = remove_stale_temporaries(target)
        assert sorted(removed) == sorted([files["dead"], files["old"]])
        assert all(path.exists() for key, path in files.items() if key not in ("dead", "old"))
    finally:
        sleeper.kill()
        sleeper.wait()
