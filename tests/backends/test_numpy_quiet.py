"""NOTE [ Quiet kernels ]: Ember's NumPy kernels never warn about IEEE special values (as
PyTorch never does), under any warnings filter, and leave the user's NumPy error state as
it was."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember

CASES = {
    "log(0)": lambda: ember.log(ember.tensor([0.0, 1.0])),
    "1/0": lambda: ember.tensor([1.0, 0.0]) / 0,
    "exp overflow": lambda: ember.exp(ember.tensor([1000.0])),
    "sqrt(-1)": lambda: ember.sqrt(ember.tensor([-1.0])),
    "sum overflow": lambda: ember.tensor([3e38, 3e38]).sum(),
    "pow overflow": lambda: ember.tensor([1e30]) ** 3,
    "in-place div by zero": lambda: ember.ones(3).div_(0.0),
    "inf - inf": lambda: ember.tensor([float("inf")]) - float("inf"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_special_values_do_not_warn(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        with np.errstate(all="raise"):  # and the user's own NumPy state does not leak in
            result = CASES[name]()
    assert not bool(result.isfinite().all())


def test_the_users_numpy_error_state_is_kept():
    before = np.geterr()
    with np.errstate(divide="raise"):
        ember.log(ember.zeros(2))
        with pytest.raises(FloatingPointError):
            np.log(np.zeros(2))  # still the user's state after an Ember kernel
    assert np.geterr() == before
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.log(np.zeros(1))
    assert any("divide by zero" in str(w.message) for w in caught)
