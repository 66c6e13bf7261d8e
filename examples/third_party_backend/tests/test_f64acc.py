"""The plugin's own tests: it is found through its entry point and accumulates in float64.

(The conformance suite is the other half: ``ember conformance --backend f64acc``.)
"""

from __future__ import annotations

import doctest
import importlib.metadata

import ember
import pytest
from ember.backend import registry

import ember_f64acc

CANCEL = [1e8, 1.0, -1e8]  # float32: 1e8 + 1 rounds back to 1e8


def test_registered_through_the_entry_point_only():
    eps = importlib.metadata.entry_points(group="ember.backends")
    assert [ep.value for ep in eps if ep.name == "f64acc"] == ["ember_f64acc"]
    spec = registry.spec("f64acc")
    assert spec.device_type == "f64acc"
    assert spec.unavailable_reason() is None
    assert "f64acc" in ember.backends.available()


def test_tensors_live_on_the_f64acc_device():
    t = ember.ones(2, 3, device="f64acc")
    assert t.device == ember.device("f64acc")
    assert t._backend.name == "f64acc"
    assert (t + 1).tolist() == [[2.0] * 3] * 2


# big + 1 rounds back to big in float32, where NumPy accumulates these dtypes
@pytest.mark.parametrize("dtype,big", [("float32", 1e8), ("bfloat16", 2.0**30)])
def test_sum_accumulates_in_float64_and_keeps_the_dtype(dtype, big):
    dt = getattr(ember, dtype)
    x = ember.tensor([big, 1.0, -big], dtype=dt)
    assert x.sum().item() == 0.0  # the NumPy backend (device cpu)
    s = x.to("f64acc").sum()
    assert s.dtype is dt
    assert s.item() == 1.0
    assert x.to("f64acc").mean().item() == pytest.approx(1.0 / 3.0, rel=1e-2)


def test_matmul_and_cumsum_accumulate_in_float64():
    a = ember.tensor([CANCEL], device="f64acc")
    ones = ember.ones(3, 1, device="f64acc")
    assert (a @ ones).tolist() == [[1.0]]
    assert ember.cumsum(a, dim=1).tolist() == [[1e8, 1e8, 1.0]]
    assert ember.einsum("ij,jk->ik", a, ones).tolist() == [[1.0]]


def test_float64_and_integers_are_unchanged():
    x = ember.tensor([2**40, 1, -(2**40)], dtype=ember.int64, device="f64acc")
    assert x.sum().item() == 1
    assert x.sum().dtype is ember.int64
    y = ember.tensor([1e17, 1.0, -1e17], dtype=ember.float64, device="f64acc")
    assert y.sum().dtype is ember.float64


def test_xfails_file_ships_with_the_package():
    # The file ships even when it lists no gap (today it lists none); every entry has a reason.
    assert ember_f64acc.XFAILS.is_file()
    lines = [ln for ln in ember_f64acc.XFAILS.read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert all("  # " in ln for ln in lines)


def test_docstring_examples():
    failures, tried = doctest.testmod(ember_f64acc)
    assert tried and not failures
