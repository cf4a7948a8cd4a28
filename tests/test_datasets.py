import gzip

import numpy as np
import pytest

from evsim import ValidationError
from evsim.datasets import load_digits, load_mnist, read_idx


def write_idx(path, array, compress=False):
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, ">i4").tobytes()
    data = header + array.astype(np.uint8).tobytes()
    (gzip.open if compress else open)(path, "wb").write(data)


def small_mnist(folder, compress=False):
    rng = np.random.default_rng(0)
    arrays = {"train-images-idx3-ubyte": rng.integers(0, 256, (6, 4, 4)), "train-labels-idx1-ubyte": np.arange(6) % 10,
              "t10k-images-idx3-ubyte": rng.integers(0, 256, (3, 4, 4)), "t10k-labels-idx1-ubyte": np.arange(3)}
    for name, array in arrays.items():
        write_idx(folder / (name + (".gz" if compress else "")), array, compress)
    return arrays


def test_digits_split_is_fixed_stratified_and_scaled():
    a, b = load_digits(), load_digits()
    assert np.array_equal(a.x_test, b.x_test) and a.x_train.shape == (1347, 8, 8) and a.x_test.shape == (450, 8, 8)
    assert a.x_train.min() == 0.0 and a.x_train.max() == 1.0
    test_share = np.bincount(a.y_test) / (np.bincount(a.y_test) + np.bincount(a.y_train))
    assert np.all(np.abs(test_share - 0.25) < 0.01)


def test_folds_partition_the_training_set_by_class_and_never_touch_the_test_set():
    digits = load_digits()
    parts = [digits.fold(k) for k in range(5)]
    held = np.concatenate([part.x_test.reshape(len(part.x_test), -1) for part in parts])
    assert len(held) == len(digits.x_train)  # every training image held out exactly once
    assert len(np.unique(held, axis=0)) == len(np.unique(digits.x_train.reshape(1347, -1), axis=0))
    for part in parts:
        assert len(part.y_train) + len(part.y_test) == 1347
        share = np.bincount(part.y_test, minlength=10) / np.bincount(digits.y_train, minlength=10)
        assert np.all(np.abs(share - 0.2) < 0.01)  # each class spread evenly
        train_rows = {row.tobytes() for row in digits.x_train.reshape(1347, -1)}
        assert all(row.tobytes() in train_rows for row in part.x_test.reshape(len(part.x_test), -1))
    assert np.array_equal(digits.fold(3).x_test, load_digits().fold(3).x_test)  # seeded
    assert not np.array_equal(digits.fold(3, seed=1).x_test, digits.fold(3).x_test)


@pytest.mark.parametrize("compress", [False, True])
def test_mnist_from_idx_files(tmp_path, compress):
    arrays = small_mnist(tmp_path, compress)
    data = load_mnist(tmp_path)
    assert data.x_train.shape == (6, 4, 4) and data.image_shape == (4, 4)
    assert np.array_equal(data.x_train, arrays["train-images-idx3-ubyte"] / 255.0)
    assert list(data.y_test) == [0, 1, 2]


def test_mnist_from_npz(tmp_path):
    x = np.full((2, 3, 3), 255, np.uint8)
    np.savez(tmp_path / "mnist.npz", x_train=x, y_train=[1, 2], x_test=x[:1], y_test=[3])
    data = load_mnist(tmp_path / "mnist.npz")
    assert data.x_train.max() == 1.0 and list(data.y_train) == [1, 2]


def test_bad_mnist_files_are_named(tmp_path):
    with pytest.raises(ValidationError, match="train-images-idx3-ubyte.* not found in"):
        load_mnist(tmp_path)
    (tmp_path / "bad").write_bytes(b"\x01\x02\x03\x04")
    with pytest.raises(ValidationError, match=r"bad is not an IDX file .*\(bad magic number\)"):
        read_idx(tmp_path / "bad")
    write_idx(tmp_path / "short", np.zeros((2, 2)))
    (tmp_path / "short").write_bytes((tmp_path / "short").read_bytes()[:-1])
    with pytest.raises(ValidationError, match=r"header says \(2, 2\) \(4 bytes\) but holds 3"):
        read_idx(tmp_path / "short")
    np.savez(tmp_path / "partial.npz", x_train=np.zeros((1, 2, 2)))
    with pytest.raises(ValidationError, match="lacks the arrays"):
        load_mnist(tmp_path / "partial.npz")
    with pytest.raises(ValidationError, match="no MNIST .npz file"):
        load_mnist(tmp_path / "none.npz")
