"""Saving and loading networks and converted nets, losslessly.

Format (version 1): one NumPy ``.npz`` archive holding

* ``__evsim__`` — a JSON document: ``{"format": "evsim", "version": 1,
  "kind": "network" | "spiking_net", ...structure...}`` in which every array
  is named by a key of the archive;
* the arrays themselves (synapse columns, weights, thresholds, potentials).

Floats round-trip exactly (arrays are stored in binary; JSON numbers are
Python's shortest round-trip repr, with ``Infinity`` for an infinite ``tau``).
Saving writes a temporary file next to the target and renames it (see
:mod:`evsim.archive`), so a failed save never leaves a half-written file.

Loading trusts nothing it reads: the archive's members are read only as the
document names them, each checked before it is decompressed
(:class:`~evsim.archive.ArchiveReader`: no pickle, bounded sizes); the
document is checked field by field (types, unique names, synapse indices in
range, array dtypes and lengths, layer shapes that chain) before anything is
built. Every failure raises :class:`~evsim.errors.ValidationError` (or
:class:`~evsim.errors.LimitError`) naming the file and the field.

NIR: :func:`to_nir` and :func:`from_nir` (from :mod:`evsim.nirio`, which
documents how NIR's continuous-time nodes run in evsim's discrete steps).
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import asdict
from pathlib import Path

import numpy as np

from evsim.archive import ArchiveReader, write_atomically
from evsim.deep.convert import RESETS, SpikingLayer, SpikingNet
from evsim.deep.layers import AvgPool2d, Conv2d, Dense, Flatten
from evsim.errors import EvsimError, LimitError, ValidationError
from evsim.kinds import model_named
from evsim.network import Network
from evsim.nirio import from_nir, to_nir  # NIR graphs: see evsim.nirio for the semantics
from evsim.synapses import SynapseTable
from evsim.validation import (
    choice,
    instance,
    integer,
    name,
    readable_file,
    real,
    require_budget,
    shown,
    unique_names,
    writable_path,
)

__all__ = ["FORMAT_VERSION", "save", "load", "to_nir", "from_nir"]

FORMAT_VERSION = 1
OPS = {cls.__name__: cls for cls in (Dense, Conv2d, AvgPool2d, Flatten)}
DTYPES = ("float32", "float64")


def save(obj: Network | SpikingNet, path: str | Path) -> Path:
    """Write ``obj`` to ``path`` (an ``.npz`` archive; the suffix is added if missing).

    Parameters
    ----------
    obj : Network or SpikingNet
        What to save: an event-engine network, or a converted net from :func:`evsim.deep.convert`.
    path : str or os.PathLike
        The file to write (replaced if it exists); a path not ending in ``.npz`` gets ``.npz`` appended
        (``net.txt`` becomes ``net.txt.npz``).

    Returns
    -------
    pathlib.Path
        The path written, with its ``.npz`` suffix.

    Raises
    ------
    ValidationError
        ``obj`` is not a Network or SpikingNet; ``path`` is not a file path
        in an existing, writable directory; or the file system refuses the write.

    Examples
    --------
    >>> import os, tempfile
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> evsim.io.save(net, os.path.join(tempfile.mkdtemp(), "net")).name
    'net.npz'
    """
    instance("obj", obj, (Network, SpikingNet), owner="io.save", accepted="a Network or a SpikingNet")
    path = writable_path("path", path, owner="io.save")
    if path.suffix != ".npz":
        path = writable_path("path", path.with_suffix(path.suffix + ".npz"), owner="io.save")
    arrays: dict[str, np.ndarray] = {}
    document = _network_document(obj, arrays) if isinstance(obj, Network) else _spiking_document(obj, arrays)
    document.update(format="evsim", version=FORMAT_VERSION)
    arrays["__evsim__"] = np.array(json.dumps(document))
    try:
        write_atomically(path, arrays)
    except OSError as error:
        raise ValidationError(f"io.save: could not write {path}: {error.strerror or error}") from None
    return path


def load(path: str | Path) -> Network | SpikingNet:
    """Read what :func:`save` wrote, checking every field before building anything.

    Parameters
    ----------
    path : str or os.PathLike
        An existing file written by :func:`save` (the exact name: no suffix is added here).

    Returns
    -------
    Network or SpikingNet
        Whichever the file holds, rebuilt from it (every float exactly as saved).

    Raises
    ------
    ValidationError
        Missing, corrupt or foreign file, a format version newer than this
        evsim reads, or a field that breaks the format (named in the message).
    LimitError
        The file, or the arrays it declares, exceed ``evsim.limits(file_bytes=...)``.

    Examples
    --------
    >>> import os, tempfile
    >>> import evsim
    >>> net = evsim.Network({"x": evsim.Input(), "y": evsim.IF(threshold=1.0)},
    ...                     [evsim.Synapse("x", "y", 0.6, 1.0)], outputs={"y"})
    >>> path = evsim.io.save(net, os.path.join(tempfile.mkdtemp(), "net.npz"))
    >>> evsim.io.load(path) == net
    True
    """
    path = readable_file("path", path, owner="io.load")
    with ArchiveReader(path) as archive:
        if not archive.has("__evsim__"):
            raise ValidationError(f"{path} is an .npz archive but not an evsim file (no __evsim__ document)")
        document = _document(path, archive.array("__evsim__", "the document"))
        fields = _Fields(path, archive)
        if document["kind"] == "network":
            neurons, table, outputs, dt = _network_parts(fields, document)
            return fields.build(lambda: Network(neurons, table, outputs=outputs, dt=dt))
        layers, input_shape, norm, rule, dtype = _spiking_parts(fields, document)
        return fields.build(lambda: SpikingNet(layers, input_shape, norm, rule, dtype))


def _document(path: Path, stored: np.ndarray) -> dict:
    if stored.dtype.kind != "U" or stored.ndim != 0:
        raise ValidationError(f"{path}: the __evsim__ document must be one string, got an array of "
                              f"{stored.dtype} with shape {stored.shape}")
    try:
        document = json.loads(str(stored[()]))
    except ValueError as error:  # JSONDecodeError, or a number too long to convert
        raise ValidationError(f"{path}: its __evsim__ document is not valid JSON ({error})") from None
    except RecursionError:
        raise ValidationError(f"{path}: its __evsim__ document is nested too deeply to be an evsim "
                              f"document") from None
    if not isinstance(document, dict):
        raise ValidationError(f"{path}: its __evsim__ document must be a JSON object, got a "
                              f"{type(document).__name__}")
    if document.get("format") != "evsim":
        raise ValidationError(f"{path}: not an evsim document (format {document.get('format')!r})")
    version = integer("version", document.get("version"), owner=str(path), minimum=1)
    if version > FORMAT_VERSION:
        raise ValidationError(f"{path} has format version {version}; this evsim reads versions up to "
                              f"{FORMAT_VERSION}: upgrade evsim to load it")
    choice("kind", document.get("kind"), ("network", "spiking_net"), owner=str(path))
    return document


class _Fields:
    """Typed access to the document's fields and the arrays they name; errors name the file and the field."""

    def __init__(self, path: Path, archive: ArchiveReader) -> None:
        self.path, self.owner, self.archive = path, str(path), archive

    def fail(self, field: str, message: str) -> ValidationError:
        return ValidationError(f"{self.path}: {field} {message}")

    def get(self, mapping: dict, key: str, field: str, kind: type | tuple):
        if key not in mapping:
            raise self.fail(f"{field}.{key}" if field else key, "is missing")
        value = mapping[key]
        where = f"{field}.{key}" if field else key
        if not isinstance(value, kind) or isinstance(value, bool) and bool not in _tuple(kind):
            names = " or ".join(k.__name__ for k in _tuple(kind))
            raise self.fail(where, f"must be a {names}, got {shown(value)}")
        return value

    def shape(self, value, field: str) -> tuple[int, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(field, f"must be a non-empty list of sizes, got {shown(value)}")
        shape = tuple(integer(f"each of {field}", s, owner=self.owner, minimum=1) for s in value)
        require_budget(f"io.load({self.path})", f"{field} {shape}", math.prod(shape) * 8)
        return shape

    def array(self, key, field: str, kinds: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        name("the array key of " + field, key, owner=self.owner)
        array = self.archive.array(key, field)
        if array.dtype.kind not in kinds:
            accepted = {"iu": "integers", "f": "floats", "iuf": "numbers"}[kinds]
            raise self.fail(field, f"(array {key!r}) must hold {accepted}, got dtype {array.dtype}")
        if shape is not None and array.shape != shape:
            raise self.fail(field, f"(array {key!r}) must have shape {shape}, got {array.shape}")
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise self.fail(field, f"(array {key!r}) must hold finite numbers, got {array[~np.isfinite(array)][0]}")
        return array

    def build(self, make):
        """``make()``, with the constructors' own errors named as this file's."""
        try:
            return make()
        except (LimitError, ValidationError):
            raise
        except EvsimError as error:
            raise ValidationError(f"{self.path}: the stored object is invalid: {error}") from None


def _tuple(kind) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


# -- networks -----------------------------------------------------------------

def _network_document(net: Network, arrays: dict) -> dict:
    t = net.table
    arrays.update(source=t.source, target=t.target, weight=t.weight, delay=t.delay)
    neurons = [{"name": name, "model": type(model).__name__, "params": asdict(model)}
               for name, model in net.neurons.items()]
    return {"kind": "network", "neurons": neurons, "outputs": sorted(net.outputs), "dt": net.dt}


def _network_parts(fields: _Fields, document: dict):
    entries = fields.get(document, "neurons", "", list)
    neurons = [_neuron(fields, entry, f"neurons[{i}]") for i, entry in enumerate(entries)]
    names = unique_names("neuron names", [n for n, _ in neurons], owner=fields.owner)
    outputs = fields.get(document, "outputs", "", list)
    for i, output in enumerate(outputs):
        if output not in names:
            raise fields.fail(f"outputs[{i}]", f"must name a neuron of the file, got {shown(output)}")
    dt = document.get("dt", "missing")
    if dt is not None:
        dt = real("dt", dt, owner=fields.owner, minimum=0.0, exclusive_minimum=True)
    source = fields.array("source", "synapse sources", "iu")
    n = source.shape[0] if source.ndim == 1 else -1
    if n < 0:
        raise fields.fail("synapse sources", f"must be a 1-d array, got shape {source.shape}")
    target = fields.array("target", "synapse targets", "iu", (n,))
    weight = fields.array("weight", "synapse weights", "iuf", (n,))
    delay = fields.array("delay", "synapse delays", "iuf", (n,))
    for column, what in ((source, "synapse sources"), (target, "synapse targets")):
        bad = (column < 0) | (column >= len(names))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise fields.fail(f"{what}[{row}]", f"must be a neuron index in [0, {len(names)}), got {column[row]}")
    table = SynapseTable(source.astype(np.int64), target.astype(np.int64), weight, delay)
    return dict(neurons), table, outputs, dt


def _neuron(fields: _Fields, entry, field: str):
    if not isinstance(entry, dict):
        raise fields.fail(field, f"must be an object with name, model and params, got {shown(entry)}")
    neuron = name(f"{field}.name", entry.get("name"), owner=fields.owner)
    kind = fields.get(entry, "model", field, str)
    model = model_named(kind)
    if model is None:
        raise fields.fail(f"{field}.model", f"is {kind!r}, not a neuron model this evsim knows")
    params = fields.get(entry, "params", field, dict)
    known = {f.name for f in dataclasses.fields(model)}
    for key, value in params.items():
        if key not in known:
            raise fields.fail(f"{field}.params", f"has {key!r}; {kind} takes {', '.join(sorted(known)) or 'none'}")
        if not isinstance(value, (int, float, str, type(None))):
            raise fields.fail(f"{field}.params.{key}", f"must be a number, a string or null, got {shown(value)}")
    try:
        return neuron, fields.build(lambda: model(**params))
    except (TypeError, ValueError) as error:
        if isinstance(error, EvsimError):
            raise ValidationError(f"{fields.path}: {field} ({neuron!r}): {error}") from None
        raise fields.fail(f"{field}.params", f"are not valid for {kind}: {error}") from None


# -- converted nets -----------------------------------------------------------------

def _op_entry(op, key: str, arrays: dict) -> dict:
    entry = {"type": type(op).__name__}
    for name_, value in op.params.items():
        arrays[f"{key}.{name_}"] = value
        entry[name_] = f"{key}.{name_}"
    if isinstance(op, Conv2d):
        entry.update(k=op.k, stride=op.stride, padding=op.padding)
    if isinstance(op, AvgPool2d):
        entry.update(k=op.k)
    return entry


def _spiking_document(snn: SpikingNet, arrays: dict) -> dict:
    layers = []
    for k, layer in enumerate(snn.layers):
        arrays[f"layer{k}.bias"], arrays[f"layer{k}.v_init"] = layer.bias, layer.v_init
        layers.append({"ops": [_op_entry(op, f"layer{k}.op{i}", arrays) for i, op in enumerate(layer.ops)],
                       "input_shape": list(layer.input_shape), "output_shape": list(layer.output_shape),
                       "theta": layer.theta, "bias": f"layer{k}.bias", "v_init": f"layer{k}.v_init",
                       "beta": layer.beta, "synapse_beta": layer.synapse_beta, "reset": layer.reset})
    return {"kind": "spiking_net", "layers": layers, "input_shape": list(snn.input_shape), "norm": snn.norm,
            "v_init_rule": snn.v_init_rule, "dtype": np.dtype(snn.dtype).name}


def _spiking_parts(fields: _Fields, document: dict):
    input_shape = fields.shape(document.get("input_shape"), "input_shape")
    norm = name("norm", document.get("norm"), owner=fields.owner)
    rule = name("v_init_rule", document.get("v_init_rule"), owner=fields.owner)
    dtype = np.dtype(choice("dtype", document.get("dtype"), DTYPES, owner=fields.owner)).type
    entries = fields.get(document, "layers", "", list)
    if not entries:
        raise fields.fail("layers", "must hold at least one layer, got []")
    layers, shape = [], input_shape
    for k, entry in enumerate(entries):
        layer = _layer(fields, entry, f"layers[{k}]", shape, last=k == len(entries) - 1)
        layers.append(layer)
        shape = layer.output_shape
    return tuple(layers), input_shape, norm, rule, dtype


def _layer(fields: _Fields, entry, field: str, shape: tuple[int, ...], last: bool) -> SpikingLayer:
    if not isinstance(entry, dict):
        raise fields.fail(field, f"must be an object, got {shown(entry)}")
    input_shape = fields.shape(entry.get("input_shape"), f"{field}.input_shape")
    if input_shape != shape:
        raise fields.fail(f"{field}.input_shape", f"must be the previous layer's output shape {shape}, "
                                                  f"got {input_shape}")
    ops = []
    for i, op_entry in enumerate(fields.get(entry, "ops", field, list)):
        op, shape = _op(fields, op_entry, f"{field}.ops[{i}]", shape)
        ops.append(op)
    if not ops or not any(isinstance(op, (Dense, Conv2d)) for op in ops):
        raise fields.fail(f"{field}.ops", "must include a Dense or Conv2d layer")
    output_shape = fields.shape(entry.get("output_shape"), f"{field}.output_shape")
    if output_shape != shape:
        raise fields.fail(f"{field}.output_shape", f"must be what its ops produce, {shape}, got {output_shape}")
    theta = entry.get("theta", "missing")
    if last and theta is not None:
        raise fields.fail(f"{field}.theta", f"must be null (the last layer accumulates), got {shown(theta)}")
    if not last:
        theta = real(f"{field}.theta", theta, owner=fields.owner, minimum=0.0, exclusive_minimum=True)
    bias = fields.array(entry.get("bias"), f"{field}.bias", "f", shape)
    v_init = fields.array(entry.get("v_init"), f"{field}.v_init", "f", shape)
    beta = real(f"{field}.beta", entry.get("beta", 1.0), owner=fields.owner, minimum=0.0,
                maximum=1.0)  # (files of older evsim: IF layers, beta 1, subtract reset)
    reset = choice(f"{field}.reset", entry.get("reset", "subtract"), RESETS, owner=fields.owner)
    synapse_beta = entry.get("synapse_beta")
    if synapse_beta is not None:
        synapse_beta = real(f"{field}.synapse_beta", synapse_beta, owner=fields.owner, minimum=0.0, maximum=1.0,
                            exclusive_minimum=True, exclusive_maximum=True)
    if last and (beta != 1.0 or synapse_beta is not None or reset != "subtract"):
        raise fields.fail(f"{field}.beta, synapse_beta and reset", "must be 1, null and 'subtract' (the last "
                                                                  "layer accumulates)")
    return SpikingLayer(tuple(ops), input_shape, output_shape, bias, theta, v_init, beta, synapse_beta, reset)


def _op(fields: _Fields, entry, field: str, shape: tuple[int, ...]):
    """The layer ``entry`` describes and its output shape, given its input ``shape``."""
    if not isinstance(entry, dict):
        raise fields.fail(field, f"must be an object, got {shown(entry)}")
    kind = choice(f"{field}.type", entry.get("type"), tuple(OPS), owner=fields.owner)
    if kind == "Flatten":
        return Flatten(), (math.prod(shape),)
    if kind in ("AvgPool2d", "Conv2d") and len(shape) != 3:
        raise fields.fail(field, f"({kind}) needs a (channels, height, width) input, got shape {shape}")
    if kind == "AvgPool2d":
        k = integer(f"{field}.k", entry.get("k"), owner=fields.owner, minimum=1)
        if shape[1] % k or shape[2] % k:
            raise fields.fail(f"{field}.k", f"must divide the input's height and width {shape[1:]}, got {k}")
        return AvgPool2d(k), (shape[0], shape[1] // k, shape[2] // k)
    if kind == "Dense":
        W = fields.array(entry.get("W"), f"{field}.W", "f")
        if W.ndim != 2 or len(shape) != 1 or W.shape[1] != shape[0] or W.shape[0] == 0:
            raise fields.fail(f"{field}.W", f"must have shape (out, {shape[0]}) for input shape {shape}, "
                                            f"got {W.shape}")
        op, out = Dense(W.shape[1], W.shape[0]), (W.shape[0],)
    else:
        op, out, W = _conv(fields, entry, field, shape)
    b = fields.array(entry.get("b"), f"{field}.b", "f", (W.shape[0],))
    op.params = {"W": W, "b": b}
    return op, out


def _conv(fields: _Fields, entry: dict, field: str, shape: tuple[int, ...]):
    k = integer(f"{field}.k", entry.get("k"), owner=fields.owner, minimum=1)
    stride = integer(f"{field}.stride", entry.get("stride"), owner=fields.owner, minimum=1)
    padding = integer(f"{field}.padding", entry.get("padding"), owner=fields.owner, minimum=0)
    W = fields.array(entry.get("W"), f"{field}.W", "f")
    if W.ndim != 4 or W.shape[1:] != (shape[0], k, k) or W.shape[0] == 0:
        raise fields.fail(f"{field}.W", f"must have shape (out, {shape[0]}, {k}, {k}), got {W.shape}")
    oh, ow = ((n + 2 * padding - k) // stride + 1 for n in shape[1:])
    if oh < 1 or ow < 1:
        raise fields.fail(field, f"(Conv2d k={k}) leaves no output on input shape {shape}")
    return Conv2d(shape[0], W.shape[0], k, stride=stride, padding=padding), (W.shape[0], oh, ow), W
