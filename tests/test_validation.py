"""The argument checks of evsim.validation: what each accepts, and the message of each refusal."""

import numpy as np
import pytest

import evsim
from evsim import validation as check
from evsim.errors import LimitError, ValidationError


@pytest.mark.parametrize("bad", [True, np.bool_(False), "1", None, float("nan"), float("inf"), [1.0], 1j])
def test_real_refuses_non_numbers_and_non_finite(bad):
    with pytest.raises(ValidationError, match=r"IF: threshold must be a finite real number .*got"):
        check.real("threshold", bad, owner="IF")


def test_real_accepts_numpy_and_python_numbers_and_bounds():
    assert check.real("x", np.float32(0.5)) == 0.5
    assert check.real("x", 3) == 3.0
    assert check.real("x", float("inf"), allow_inf=True) == float("inf")
    with pytest.raises(ValidationError, match=r"x must be .*> 0 .*got 0"):
        check.real("x", 0, minimum=0, exclusive_minimum=True)
    with pytest.raises(ValidationError, match=r"<= 1.0 .*got 1.5"):
        check.probability("p", 1.5)
    assert check.real("f", 0.5, maximum=1.0, exclusive_maximum=True) == 0.5
    with pytest.raises(ValidationError, match=r"f must be a finite real number < 1.0 .*got 1.0"):
        check.real("f", 1.0, maximum=1.0, exclusive_maximum=True)


@pytest.mark.parametrize("bad", [True, 1.0, "3", -1, None])
def test_integer_refuses_bools_floats_strings_and_out_of_range(bad):
    with pytest.raises(ValidationError, match=r"steps must be an integer >= 0, got"):
        check.integer("steps", bad, minimum=0)


def test_integer_accepts_numpy_integers():
    assert check.integer("n", np.int16(7), minimum=1) == 7


def test_flag_and_choice():
    assert check.flag("f", np.bool_(True)) is True
    with pytest.raises(ValidationError, match=r"single_spike must be True or False, got 'no'"):
        check.flag("single_spike", "no")
    with pytest.raises(ValidationError, match=r"method must be one of 'a', 'b', got 'c'"):
        check.choice("method", "c", ["a", "b"])


def test_unique_names_refuses_duplicates_strings_and_empty():
    assert check.unique_names("names", ["a", "b"]) == ("a", "b")
    with pytest.raises(ValidationError, match=r"names must be distinct names, got 'a' twice"):
        check.unique_names("names", ["a", "a"])
    with pytest.raises(ValidationError, match="not one string"):
        check.unique_names("names", "ab")
    with pytest.raises(ValidationError, match="non-empty string"):
        check.unique_names("names", ["a", ""])


@pytest.mark.parametrize("bad", ["abc", -1, 1.5, True])
def test_generator_refuses_what_numpy_would_misread(bad):
    with pytest.raises(ValidationError, match=r"rng must be None, an integer seed >= 0, a numpy Generator, BitGenerator or SeedSequence"):
        check.generator(bad)


def test_generator_same_seed_same_stream():
    assert check.generator(3).random() == np.random.default_rng(3).random()
    g = np.random.default_rng(1)
    assert check.generator(g) is g


def test_real_array_names_the_first_bad_entry():
    with pytest.raises(ValidationError, match=r"x\[1, 0\] must be finite real numbers >= 0, got"):
        check.real_array("x", [[1.0, 2.0], [-1.0, 0.0]], minimum=0)
    with pytest.raises(ValidationError, match="rectangular"):
        check.real_array("x", [[1.0], [1.0, 2.0]])
    with pytest.raises(ValidationError, match="not bools"):
        check.real_array("x", [True, False])


def test_sorted_times_points_at_the_first_disorder():
    assert check.sorted_times("t", 2.0).tolist() == [2.0]
    with pytest.raises(ValidationError, match=r"strictly increasing times, got 3.0 then 3.0 at index 2"):
        check.sorted_times("t", [1.0, 3.0, 3.0])
    assert check.sorted_times("t", [1.0, 1.0], strict=False).tolist() == [1.0, 1.0]


def test_paths(tmp_path):
    assert check.writable_path("path", tmp_path / "a.npz") == tmp_path / "a.npz"
    with pytest.raises(ValidationError, match="existing directory"):
        check.writable_path("path", tmp_path / "no" / "a.npz")
    with pytest.raises(ValidationError, match="not a directory"):
        check.writable_path("path", tmp_path)
    with pytest.raises(ValidationError, match="an existing file"):
        check.readable_file("path", tmp_path / "missing.nir")


def test_limits_raise_inside_the_block_only():
    with pytest.raises(LimitError, match=r"table needs about 3 GiB, above the memory limit of 2 GiB.*evsim.limits"):
        check.require_budget("f", "table", 3 * 2**30)
    with evsim.limits(memory=4 * 2**30):
        check.require_budget("f", "table", 3 * 2**30)
    with pytest.raises(LimitError):
        check.require_budget("f", "table", 3 * 2**30)
    with pytest.raises(ValidationError, match="unknown limit 'memroy'"):
        with evsim.limits(memroy=1):
            pass
