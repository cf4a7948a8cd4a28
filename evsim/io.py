"""Saving and loading networks and converted nets, losslessly.

Format (version 1): one NumPy ``.npz`` archive (read with
``allow_pickle=False``) holding

* ``__evsim__`` — a JSON document: ``{"format": "evsim", "version": 1,
  "kind": "network" | "spiking_net", ...structure...}`` in which every array
  is named by a key of the archive;
* the arrays themselves (synapse columns, weights, thresholds, potentials).

Floats round-trip exactly (arrays are stored in binary; JSON numbers are
Python's shortest round-trip repr, with ``Infinity`` for an infinite ``tau``).
Saving writes a temporary file next to the target and renames it, so a failed
save never leaves a half-written file. Loading checks the format name and
version and raises :class:`~evsim.errors.ValidationError` naming the file for
anything corrupt, unknown or newer than this evsim reads.

NIR: :func:`to_nir` and :func:`from_nir` (from :mod:`evsim.nirio`, which
documents how NIR's continuous-time nodes run in evsim's discrete steps).
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

from evsim.deep.convert import SpikingLayer, SpikingNet
from evsim.deep.layers import AvgPool2d, Conv2d, Dense, Flatten
from evsim.errors import EvsimError, ValidationError
from evsim.kinds import model_named
from evsim.network import Network
from evsim.nirio import from_nir, to_nir  # NIR graphs: see evsim.nirio for the semantics
from evsim.synapses import SynapseTable

__all__ = ["FORMAT_VERSION", "save", "load", "to_nir", "from_nir"]

FORMAT_VERSION = 1
OPS = {cls.__name__: cls for cls in (Dense, Conv2d, AvgPool2d, Flatten)}


def save(obj: Network | SpikingNet, path: str | Path) -> Path:
    """Write ``obj`` to ``path`` (an ``.npz`` archive; the suffix is added if missing)."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_suffix(path.suffix + ".npz")
    arrays: dict[str, np.ndarray] = {}
    if isinstance(obj, Network):
        document = _network_document(obj, arrays)
    elif isinstance(obj, SpikingNet):
        document = _spiking_document(obj, arrays)
    else:
        raise ValidationError(f"save takes a Network or a SpikingNet, got {type(obj).__name__}")
    document.update(format="evsim", version=FORMAT_VERSION)
    arrays["__evsim__"] = np.array(json.dumps(document))
    _write_atomically(path, arrays)
    return path


def _write_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as f:
            np.savez(f, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: str | Path) -> Network | SpikingNet:
    """Read what :func:`save` wrote.

    Raises
    ------
    ValidationError
        Missing, corrupt or foreign file, or a format version newer than this evsim reads.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except FileNotFoundError:
        raise ValidationError(f"no evsim file at {path}") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise ValidationError(f"{path} is not a readable evsim file ({error})") from None
    if "__evsim__" not in arrays:
        raise ValidationError(f"{path} is an .npz archive but not an evsim file (no __evsim__ document)")
    try:
        document = json.loads(str(arrays.pop("__evsim__")))
    except json.JSONDecodeError as error:
        raise ValidationError(f"{path}: its __evsim__ document is not valid JSON ({error})") from None
    if document.get("format") != "evsim" or not isinstance(document.get("version"), int):
        raise ValidationError(f"{path}: not an evsim document (format {document.get('format')!r})")
    if document["version"] > FORMAT_VERSION:
        raise ValidationError(f"{path} has format version {document['version']}; this evsim reads versions up to "
                              f"{FORMAT_VERSION}: upgrade evsim to load it")
    try:
        if document.get("kind") == "network":
            return _network_from(document, arrays)
        if document.get("kind") == "spiking_net":
            return _spiking_from(document, arrays)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, EvsimError):
            raise ValidationError(f"{path}: the stored object is invalid: {error}") from None
        raise ValidationError(f"{path}: the document is incomplete or damaged ({error!r})") from None
    raise ValidationError(f"{path}: unknown object kind {document.get('kind')!r}")


# -- networks -----------------------------------------------------------------

def _network_document(net: Network, arrays: dict) -> dict:
    t = net.table
    arrays.update(source=t.source, target=t.target, weight=t.weight, delay=t.delay)
    neurons = [{"name": name, "model": type(model).__name__, "params": asdict(model)}
               for name, model in net.neurons.items()]
    return {"kind": "network", "neurons": neurons, "outputs": sorted(net.outputs), "dt": net.dt}


def _network_from(document: dict, arrays: dict) -> Network:
    neurons = {}
    for entry in document["neurons"]:
        model = model_named(entry["model"])
        if model is None:
            raise ValidationError(f"unknown neuron model {entry['model']!r} for neuron {entry['name']!r}")
        neurons[entry["name"]] = model(**entry["params"])
    table = SynapseTable(arrays["source"], arrays["target"], arrays["weight"], arrays["delay"])
    return Network(neurons, table, outputs=document["outputs"], dt=document["dt"])


# -- converted nets -----------------------------------------------------------------

def _op_entry(op, key: str, arrays: dict) -> dict:
    entry = {"type": type(op).__name__}
    for name, value in op.params.items():
        arrays[f"{key}.{name}"] = value
        entry[name] = f"{key}.{name}"
    if isinstance(op, Conv2d):
        entry.update(k=op.k, stride=op.stride, padding=op.padding)
    if isinstance(op, AvgPool2d):
        entry.update(k=op.k)
    return entry


def _op_from(entry: dict, arrays: dict):
    kind = entry["type"]
    if kind not in OPS:
        raise ValidationError(f"unknown layer type {kind!r}")
    if kind == "Flatten":
        return Flatten()
    if kind == "AvgPool2d":
        return AvgPool2d(entry["k"])
    W, b = arrays[entry["W"]], arrays[entry["b"]]
    if kind == "Dense":
        op = Dense(W.shape[1], W.shape[0])
    else:
        op = Conv2d(W.shape[1], W.shape[0], entry["k"], stride=entry["stride"], padding=entry["padding"])
    op.params = {"W": W, "b": b}
    return op


def _spiking_document(snn: SpikingNet, arrays: dict) -> dict:
    layers = []
    for k, layer in enumerate(snn.layers):
        arrays[f"layer{k}.bias"], arrays[f"layer{k}.v_init"] = layer.bias, layer.v_init
        layers.append({"ops": [_op_entry(op, f"layer{k}.op{i}", arrays) for i, op in enumerate(layer.ops)],
                       "input_shape": list(layer.input_shape), "output_shape": list(layer.output_shape),
                       "theta": layer.theta, "bias": f"layer{k}.bias", "v_init": f"layer{k}.v_init"})
    return {"kind": "spiking_net", "layers": layers, "input_shape": list(snn.input_shape), "norm": snn.norm,
            "v_init_rule": snn.v_init_rule, "dtype": np.dtype(snn.dtype).name}


def _spiking_from(document: dict, arrays: dict) -> SpikingNet:
    layers = tuple(
        SpikingLayer(tuple(_op_from(e, arrays) for e in entry["ops"]), tuple(entry["input_shape"]),
                     tuple(entry["output_shape"]), arrays[entry["bias"]], entry["theta"], arrays[entry["v_init"]])
        for entry in document["layers"]
    )
    dtype = np.dtype(document["dtype"]).type
    return SpikingNet(layers, tuple(document["input_shape"]), document["norm"], document["v_init_rule"], dtype)
