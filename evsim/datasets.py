"""Small datasets that ship with installed packages — nothing is downloaded.

``load_digits`` reads scikit-learn's bundled 8×8 handwritten digits (1,797
images, 10 classes), scales them to ``[0, 1]`` and splits them with a fixed
stratified split, so every run and every machine sees the same train and test
sets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Dataset", "load_digits"]


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
