"""Small datasets that ship with installed packages — nothing is downloaded.

``load_digits`` reads scikit-learn's bundled 8×8 handwritten digits (1,797
images, 10 classes), scales them to ``[0, 1]`` and splits them with a fixed
stratified split, so every run and every machine sees the same train and test
sets. ``load_mnist`` reads MNIST-style files the user already has on disk.
"""

from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evsim import validation as check
from evsim.archive import ArchiveReader
from evsim.errors import ValidationError

__all__ = ["Dataset", "load_digits", "load_mnist", "read_idx"]

MNIST_FILES = {"x_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
               "x_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}


@dataclass(frozen=True, eq=False)
class Dataset:
    """Images in ``[0, 1]`` of shape ``(n, *image_shape)`` with integer labels.

    Attributes
    ----------
    name : str
        Which dataset (``"digits"``, ``"mnist"``).
    x_train, x_test : numpy.ndarray
        Float images, shape ``(n, *image_shape)``.
    y_train, y_test : numpy.ndarray
        ``int64`` class labels ``>= 0``, one per image.
    image_shape : tuple of int
        Shape of one image, e.g. ``(8, 8)`` or ``(28, 28)``.

    Examples
    --------
    >>> import numpy as np
    >>> from evsim.datasets import Dataset
    >>> Dataset("toy", np.zeros((4, 2, 2)), np.array([0, 1, 0, 1]), np.ones((2, 2, 2)), np.array([1, 0]), (2, 2))
    Dataset(toy: 4 train, 2 test, images (2, 2), 2 classes)
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple[int, ...]

    def __repr__(self) -> str:
        return (f"Dataset({self.name}: {len(self.y_train)} train, {len(self.y_test)} test, "
                f"images {self.image_shape}, {len(np.unique(self.y_train))} classes)")

    def fold(self, k: int, folds: int = 5, *, seed: int = 0) -> "Dataset":
        """Part ``k`` of the training set as the test set, the rest as the training set.

        The training set is cut into ``folds`` parts, each class spread evenly
        over them in a seeded order; the test set is left out entirely. This is
        how a recipe is chosen without reading the test set: train on the
        rest, measure on part ``k``, over ``k = 0 … folds − 1``.

        Parameters
        ----------
        k : int
            Which part is held out, ``0 <= k < folds``.
        folds : int, optional
            Parts to cut the training set in (``>= 2``); default 5.
        seed : int, optional
            Seed of the order within each class (``>= 0``); default 0.

        Returns
        -------
        Dataset
            The same name and image shape; ``x_test``/``y_test`` are part ``k``.

        Raises
        ------
        ValidationError
            ``folds`` is not an integer ``>= 2``, ``k`` not in ``[0, folds)``, or ``seed`` negative.

        Examples
        --------
        >>> import numpy as np
        >>> from evsim.datasets import Dataset
        >>> toy = Dataset("toy", np.arange(8.0).reshape(8, 1), np.array([0, 0, 0, 0, 1, 1, 1, 1]),
        ...               np.zeros((2, 1)), np.array([0, 1]), (1,))
        >>> part = toy.fold(0, folds=2)
        >>> part
        Dataset(toy: 4 train, 4 test, images (1,), 2 classes)
        >>> sorted(part.x_test[:, 0].tolist() + part.x_train[:, 0].tolist())
        [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
        """
        folds = check.integer("folds", folds, owner="Dataset.fold", minimum=2)
        k = check.integer("k", k, owner="Dataset.fold", minimum=0, maximum=folds - 1)
        seed = check.integer("seed", seed, owner="Dataset.fold", minimum=0)
        rng = np.random.default_rng(seed)
        held = np.sort(np.concatenate([np.array_split(rng.permutation(np.flatnonzero(self.y_train == label)),
                                                      folds)[k] for label in np.unique(self.y_train)]))
        kept = np.setdiff1d(np.arange(len(self.y_train)), held)
        return Dataset(self.name, self.x_train[kept], self.y_train[kept], self.x_train[held], self.y_train[held],
                       self.image_shape)


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
    """scikit-learn's bundled digits, pixels scaled from 0–16 to [0, 1], fixed stratified split.

    Parameters
    ----------
    test_fraction : float, optional
        Share of each class held out for testing, in ``(0, 1)`` (each class keeps some train and some test
        images); default 0.25. Each class's test count is rounded to the nearest whole image, so a
        fraction below about 0.003 (or above 0.997) of these ~180-image classes leaves the test (or train)
        set empty.
    seed : int, optional
        Seed of the split (``>= 0``, default 0); the same seed gives the same split on every machine.

    Returns
    -------
    Dataset
        ``"digits"``: 8×8 images, 10 classes, train and test sets from the split.

    Raises
    ------
    ValidationError
        If ``test_fraction`` is not a real in ``(0, 1)``, or ``seed`` not an integer ``>= 0``.
    ModuleNotFoundError
        If scikit-learn is not installed.

    Examples
    --------
    >>> from evsim.datasets import load_digits
    >>> digits = load_digits()
    >>> digits
    Dataset(digits: 1347 train, 450 test, images (8, 8), 10 classes)
    >>> float(digits.x_train.max()), digits.y_test[:5].tolist()
    (1.0, [1, 5, 9, 2, 4])
    """
    test_fraction = check.real("test_fraction", test_fraction, owner="load_digits", minimum=0.0,
                               exclusive_minimum=True, maximum=1.0, exclusive_maximum=True)
    seed = check.integer("seed", seed, owner="load_digits", minimum=0)
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    images = bunch.images.astype(float) / 16.0
    labels = bunch.target.astype(np.int64)
    train, test = stratified_split(labels, test_fraction, seed)
    return Dataset("digits", images[train], labels[train], images[test], labels[test], (8, 8))


def read_idx(path: str | Path) -> np.ndarray:
    """One IDX file (optionally gzipped) as an array: magic ``0 0 0x08 ndim``, big-endian sizes, bytes.

    Parameters
    ----------
    path : str or os.PathLike
        An existing file; a name ending in ``.gz`` is decompressed.

    Returns
    -------
    numpy.ndarray
        ``uint8`` values of the shape the header declares (read-only: a view of the file's bytes).

    Raises
    ------
    ValidationError
        If ``path`` is not an existing file, cannot be read (or decompressed), is not an IDX file of unsigned
        bytes, or its body does not match its header.
    LimitError
        If the (decompressed) file exceeds the ``file_bytes`` limit.

    Examples
    --------
    Three labels (7, 2, 1) in a hand-written IDX file: magic ``0 0 8 1``, then the size 3 as a big-endian int32:

    >>> import os, tempfile
    >>> from evsim.datasets import read_idx
    >>> path = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(path).tolist()
    [7, 2, 1]
    """
    path = check.readable_file("path", path, owner="read_idx")
    data = _read_bounded(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValidationError(f"{path} is not an IDX file of unsigned bytes (bad magic number)")
    ndim = data[3]
    if len(data) < 4 + 4 * ndim:
        raise ValidationError(f"{path}: header declares {ndim} dimensions but the file ends after {len(data)} bytes")
    shape = tuple(int(d) for d in np.frombuffer(data, ">i4", count=ndim, offset=4))
    body = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
    declared = int(np.prod(shape, dtype=object)) if shape else 1
    if any(d < 0 for d in shape) or body.size != declared:
        raise ValidationError(f"{path}: header says {shape} ({declared} bytes) but holds {body.size}; "
                              f"expected an IDX file whose body matches its header (truncated or not IDX?)")
    return body.reshape(shape)


def _read_bounded(path: Path) -> bytes:
    """The file's bytes (decompressed if ``.gz``), refused past the ``file_bytes`` limit."""
    limit = check.current_limits().file_bytes
    try:
        with (gzip.open if path.suffix == ".gz" else open)(path, "rb") as f:
            data = f.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise ValidationError(f"{path}: cannot be read as an IDX file ({error})") from None
    check.require_budget("read_idx", f"{path} (decompressed)", len(data), limit="file_bytes")
    return data


def load_mnist(path: str | Path) -> Dataset:
    """MNIST from local files: a folder with the four standard IDX files (``.gz`` or not), or an
    ``.npz`` with ``x_train``, ``y_train``, ``x_test``, ``y_test``. Pixels scaled from 0–255 to [0, 1].
    Nothing is downloaded.

    Parameters
    ----------
    path : str or os.PathLike
        A folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``
        and ``t10k-labels-idx1-ubyte`` (each optionally ``.gz``), or a file whose name ends in ``.npz``.

    Returns
    -------
    Dataset
        ``"mnist"``: every pixel divided by 255 (whatever the stored dtype), labels as ``int64``.

    Raises
    ------
    ValidationError
        If ``path`` is not a path, names no such folder or ``.npz`` file, a file or array is missing, damaged
        or not of the expected kind, images are not a non-empty ``(n, rows, columns)`` array of numbers, labels
        not a non-empty ``(n,)`` array of whole numbers ``>= 0``, or images and labels differ in number.
    LimitError
        If a file or array exceeds the ``file_bytes`` limit.

    Examples
    --------
    A tiny stand-in ``.npz`` with MNIST's four arrays:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from evsim.datasets import load_mnist
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny.npz")
    >>> np.savez(path, x_train=np.full((4, 2, 2), 255, np.uint8), y_train=np.array([0, 1, 0, 1]),
    ...          x_test=np.zeros((2, 2, 2), np.uint8), y_test=np.array([1, 0]))
    >>> mnist = load_mnist(path)
    >>> mnist, mnist.x_train[0].tolist()
    (Dataset(mnist: 4 train, 2 test, images (2, 2), 2 classes), [[1.0, 1.0], [1.0, 1.0]])
    """
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        check.instance("path", path, (str, os.PathLike), owner="load_mnist", accepted="a file or folder path")
    path = Path(path)
    if path.suffix == ".npz":
        if not path.is_file():
            raise ValidationError(f"no MNIST .npz file at {path}")
        arrays = _read_npz(path)
    else:
        if not path.is_dir():
            raise ValidationError(f"load_mnist: path must be a folder of IDX files or an .npz file, got {str(path)!r}")
        arrays = {}
        for key, stem in MNIST_FILES.items():
            found = [p for p in (path / stem, path / (stem + ".gz")) if p.is_file()]
            if not found:
                raise ValidationError(f"MNIST file {stem}[.gz] not found in {path}")
            arrays[key] = read_idx(found[0])
    for key, array in arrays.items():
        images = key.startswith("x")
        if array.dtype.kind not in "iuf" or array.ndim != (3 if images else 1) or array.size == 0:
            raise ValidationError(f"{path}: {key} must be a non-empty {'(n, rows, columns)' if images else '(n,)'} "
                                  f"array of numbers, got dtype {array.dtype} and shape {array.shape}")
    for split in ("train", "test"):
        if len(arrays[f"x_{split}"]) != len(arrays[f"y_{split}"]):
            raise ValidationError(f"{path}: {split} images and labels differ in number")
    for key in ("y_train", "y_test"):
        labels = arrays[key]
        if (labels < 0).any() or (labels != np.round(labels)).any():
            raise ValidationError(f"{path}: {key} must hold whole-number labels >= 0")
    scale = lambda a: a.astype(float) / 255.0  # noqa: E731
    return Dataset("mnist", scale(arrays["x_train"]), arrays["y_train"].astype(np.int64),
                   scale(arrays["x_test"]), arrays["y_test"].astype(np.int64), tuple(arrays["x_train"].shape[1:]))


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """The four MNIST arrays of an ``.npz``, read as evsim reads its own files (:class:`~evsim.archive.ArchiveReader`:
    no pickles, each member's size checked before it is decompressed, within the ``file_bytes`` limit)."""
    with ArchiveReader(path, owner="load_mnist", expected="an .npz of the MNIST arrays") as archive:
        missing = [key for key in MNIST_FILES if not archive.has(key)]
        if missing:
            raise ValidationError(f"{path} lacks the arrays {missing}; expected {list(MNIST_FILES)}")
        return {key: archive.array(key, key) for key in MNIST_FILES}
