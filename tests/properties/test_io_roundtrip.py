"""Saving and loading: lossless round trips, and typed errors for everything else."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evsim
from evsim import ValidationError, io
from evsim.deep import convert, run
from evsim.testing import (
    continuous_setups,
    converted_nets,
    discrete_setups,
    single_networks,
)


def round_trip(obj, name="object"):
    """save then load, through a fresh temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        return io.load(io.save(obj, Path(folder) / name))


@given(st.one_of(discrete_setups(cuba=True), discrete_setups(lynch_musco=True)))
def test_discrete_networks_round_trip_with_identical_spikes(setup):
    """load(save(net)) == net, and the loaded network spikes exactly as the original."""
    net, inputs, steps = setup
    back = round_trip(net, "net")
    assert back == net and back.names == net.names
    assert evsim.simulate(back, inputs, until=steps, rng=1) == evsim.simulate(net, inputs, until=steps, rng=1)


@given(st.one_of(continuous_setups().map(lambda s: s[0]), single_networks()))
def test_continuous_and_lynch_musco_networks_round_trip(net):
    """Round trip is exact for continuous-time LIF networks (tau, reset values) and Lynch–Musco ones."""
    assert round_trip(net, "net.npz") == net


@settings(max_examples=15)
@given(converted_nets())
def test_converted_nets_round_trip_with_identical_runs(setup):
    """A converted net reloads with the same layers and gives bit-identical runs."""
    ann, thresholds, x, v_init, steps, encoding = setup
    snn = convert(ann, thresholds=thresholds, v_init=v_init, input_shape=x.shape[1:])
    back = round_trip(snn, "snn")
    assert back.thresholds == snn.thresholds and back.input_shape == snn.input_shape
    a = run(snn, x, steps, encoding=encoding, rng=2, record_spikes=True)
    b = run(back, x, steps, encoding=encoding, rng=2, record_spikes=True)
    assert np.array_equal(a.logits, b.logits) and all(np.array_equal(p, q) for p, q in zip(a.spikes, b.spikes))


def write_document(path, document, **arrays):
    np.savez(path, __evsim__=np.array(json.dumps(document)), **arrays)


def test_bad_files_are_typed_errors_naming_the_file(tmp_path):
    with pytest.raises(ValidationError, match="io.load: path must be an existing file, got .*missing.npz"):
        io.load(tmp_path / "missing.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip archive at all")
    with pytest.raises(ValidationError, match="junk.npz is not an evsim file: not a readable .npz"):
        io.load(tmp_path / "junk.npz")
    np.savez(tmp_path / "foreign.npz", x=np.zeros(3))
    with pytest.raises(ValidationError, match="foreign.npz is an .npz archive but not an evsim file"):
        io.load(tmp_path / "foreign.npz")
    np.savez(tmp_path / "badjson.npz", __evsim__=np.array("{not json"))
    with pytest.raises(ValidationError, match="badjson.npz: its __evsim__ document is not valid JSON"):
        io.load(tmp_path / "badjson.npz")
    write_document(tmp_path / "future.npz", {"format": "evsim", "version": 99, "kind": "network"})
    with pytest.raises(ValidationError, match="future.npz has format version 99; .* up to 1: upgrade evsim"):
        io.load(tmp_path / "future.npz")
    write_document(tmp_path / "alien.npz", {"format": "evsim", "version": 1, "kind": "brain"})
    with pytest.raises(ValidationError, match="alien.npz: kind must be one of 'network', 'spiking_net', got 'brain'"):
        io.load(tmp_path / "alien.npz")
    write_document(tmp_path / "partial.npz", {"format": "evsim", "version": 1, "kind": "network"})
    with pytest.raises(ValidationError, match="partial.npz: neurons is missing"):
        io.load(tmp_path / "partial.npz")
    document = {"format": "evsim", "version": 1, "kind": "network", "outputs": [], "dt": 1.0,
                "neurons": [{"name": "a", "model": "Hodgkin", "params": {}}]}
    write_document(tmp_path / "model.npz", document, source=np.zeros(0, int), target=np.zeros(0, int),
                   weight=np.zeros(0), delay=np.zeros(0))
    with pytest.raises(ValidationError, match="model.npz: neurons\\[0\\].model is 'Hodgkin', not a neuron model"):
        io.load(tmp_path / "model.npz")


def test_saving_never_leaves_a_half_written_file(tmp_path, monkeypatch):
    net = evsim.Network({"x": evsim.Input(), "y": evsim.IF()}, [evsim.Synapse("x", "y")])
    with pytest.raises(ValidationError, match=r"io.save: obj must be a Network or a SpikingNet, got 'net' \(str\)"):
        io.save("net", tmp_path / "s")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(ValidationError, match="io.save: could not write .*net.npz: disk full"):
        io.save(net, tmp_path / "net.npz")
    assert list(tmp_path.iterdir()) == []  # neither the target nor a temporary file
