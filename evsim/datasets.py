"""Small datasets that ship with installed packages — nothing is downloaded.

``load_digits`` reads scikit-learn's bundled 8×8 handwritten digits (1,797
images, 10 classes), scales them to ``[0, 1]`` and splits them with a fixed
stratified split, so every run and every machine sees the same train and test
sets. ``load_mnist`` reads MNIST-style files the user already has on disk.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evsim.errors import ValidationError

__all__ = ["Dataset", "load_digits", "load_mnist", "read_idx"]

MNIST_FILES = {"x_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
               "x_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}


@dataclass(frozen=True, eq=False)
class Dataset:
    """Images in ``[0, 1]`` of shape ``(n, *image_shape)`` with integer labels."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple[int, ...]

    def __repr__(self) -> str:
        return (f"Dataset({self.name}: {len(self.y_train)} train, {len(self.y_test)} test, "
                f"images {self.image_shape}, {len(np.unique(self.y_train))} classes)")


def stratified_split(labels: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)``: each class split ``test_fraction`` / rest, in a seeded order."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        cut = int(round(test_fraction * members.size))
        test.append(members[:cut])
        train.append(members[cut:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def load_digits(test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """scikit-learn's bundled digits, pixels scaled from 0–16 to [0, 1], fixed stratified split."""
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    images = bunch.images.astype(float) / 16.0
    labels = bunch.target.astype(np.int64)
    train, test = stratified_split(labels, test_fraction, seed)
    return Dataset("digits", images[train], labels[train], images[test], labels[test], (8, 8))


def read_idx(path: str | Path) -> np.ndarray:
    """One IDX file (optionally gzipped) as an array: magic ``0 0 0x08 ndim``, big-endian sizes, bytes."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValidationError(f"{path} is not an IDX file of unsigned bytes (bad magic number)")
    ndim = data[3]
    shape = tuple(int(d) for d in np.frombuffer(data, ">i4", count=ndim, offset=4))
    body = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValidationError(f"{path}: header says {shape} ({int(np.prod(shape))} bytes) but holds {body.size}")
    return body.reshape(shape)


def load_mnist(path: str | Path) -> Dataset:
    """MNIST from local files: a folder with the four standard IDX files (``.gz`` or not), or an
    ``.npz`` with ``x_train``, ``y_train``, ``x_test``, ``y_test``. Pixels scaled from 0–255 to [0, 1].
    Nothing is downloaded."""
    path = Path(path)
    if path.suffix == ".npz":
        if not path.is_file():
            raise ValidationError(f"no MNIST .npz file at {path}")
        with np.load(path) as archive:
            missing = sorted(set(MNIST_FILES) - set(archive.files))
            if missing:
                raise ValidationError(f"{path} lacks the arrays {missing}")
            arrays = {k: archive[k] for k in MNIST_FILES}
    else:
        arrays = {}
        for key, stem in MNIST_FILES.items():
            found = [p for p in (path / stem, path / (stem + ".gz")) if p.is_file()]
            if not found:
                raise ValidationError(f"MNIST file {stem}[.gz] not found in {path}")
            arrays[key] = read_idx(found[0])
    for split in ("train", "test"):
        if len(arrays[f"x_{split}"]) != len(arrays[f"y_{split}"]):
            raise ValidationError(f"{path}: {split} images and labels differ in number")
    scale = lambda a: a.astype(float) / 255.0  # noqa: E731
    return Dataset("mnist", scale(arrays["x_train"]), arrays["y_train"].astype(np.int64),
                   scale(arrays["x_test"]), arrays["y_test"].astype(np.int64), tuple(arrays["x_train"].shape[1:]))
