"""The reference backend's reductions, arg reductions, scans, sort and unique against
NumPy (and PyTorch where the semantics are PyTorch's own: descending sort, unique with nan)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_reference_backend import (
    FLOAT_NAMES,
    INT_NAMES,
    NP_DTYPES,
    B,
    assert_same,
    np_array,
    ref,
    to_np,
)

from ember.backend import REDUCTION_OPS, by_name

INF, NAN = math.inf, math.nan
AXES = [(), (0,), (1,), (2,), (0, 2), (0, 1, 2)]


def _data(name: str, shape=(2, 3, 4), seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if name == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if name in INT_NAMES:
        info = np.iinfo(NP_DTYPES[name])
        return rng.integers(max(info.min, -100), min(info.max, 100), shape,
                            endpoint=True).astype(NP_DTYPES[name])
    vals = rng.integers(-8, 9, shape) / 4.0
    if name in ("complex64", "complex128"):
        vals = vals + 1j * rng.integers(-8, 9, shape) / 4.0
    return np_array(vals, name)


def _np_reduce(op, a, axes, keepdims):
    fn = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min, "any": np.any,
          "all": np.all}[op]
    out = fn(a, axis=axes, keepdims=keepdims)
    if op in ("any", "all"):
        return np.asarray(out, dtype=bool)
    return np.asarray(out).astype(a.dtype)


def _reduction_cases():
    for op in REDUCTION_OPS:
        for name in ["bool", *INT_NAMES, *FLOAT_NAMES, "complex64", "complex128"]:
            if op in ("max", "min") and name.startswith("complex"):
                continue
            if op in ("sum", "prod") and name == "bool":
                continue  # the frontend casts bool to int64 first
            yield op, name


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("op,name", list(_reduction_cases()))
def test_reductions_match_numpy(op, name, keepdims):
    a = _data(name)
    x = ref(a, name)
    for axes in AXES:
        got = B.reduce(op, x, axes, keepdims)
        if name == "bfloat16" and op in ("sum", "prod"):
            expected = _np_reduce(op, a.astype(np.float64), axes, keepdims).astype(a.dtype)
        else:
            with np.errstate(all="ignore"):
                expected = _np_reduce(op, a, axes, keepdims)
        if name == "complex64" and op == "prod":  # NumPy multiplies in complex64
            np.testing.assert_allclose(to_np(got), expected, rtol=1e-6)
            continue
        assert_same(got, expected)  # quarter-integers: every float sum here is exact
        assert_same(getattr(B, op)(x, axes, keepdims), expected)


def test_float32_sum_accumulates_in_float64():
    # float32 accumulation would lose the small terms; the reference rounds once
    vals = [1.0] + [2.0 ** -25] * 64
    x = B.from_list(vals, (len(vals),), by_name("float32"))
    assert B.to_list(B.sum(x, (0,), False)) == float(np.float32(1.0 + 64 * 2.0 ** -25))
    assert B.to_list(B.sum(x, (0,), False)) != 1.0


def test_reductions_with_nan_and_inf():
    f32 = by_name("float32")
    x = B.from_list([[1.0, NAN, 3.0], [INF, -INF, 2.0]], (2, 3), f32)
    assert math.isnan(B.to_list(B.max(x, (1,), False))[0])
    assert B.to_list(B.min(x, (1,), False))[1] == -INF
    assert math.isnan(B.to_list(B.sum(x, (1,), False))[1])  # inf + -inf
    assert B.to_list(B.sum(B.full((2,), 3e38, f32), (0,), False)) == INF
    assert B.to_list(B.prod(B.full((3,), 1e20, f32), (0,), False)) == INF


def test_empty_reductions():
    x = B.full((2, 0), 1.0, by_name("float64"))
    assert B.to_list(B.sum(x, (1,), False)) == [0.0, 0.0]
    assert B.to_list(B.prod(x, (1,), True)) == [[1.0], [1.0]]
    assert B.to_list(B.any(x, (0, 1), False)) is False
    assert B.to_list(B.all(x, (0, 1), False)) is True
    assert B.shape(B.sum(x, (0,), False)) == (0,)


def test_zero_d_inputs():
    x = B.full((), 2.5, by_name("float32"))
    assert B.to_list(B.sum(x, (), False)) == 2.5
    assert B.to_list(B.sum(x, (0,), True)) == 2.5
    assert B.to_list(B.cumsum(x, 0)) == 2.5 and B.to_list(B.cumprod(x, 0)) == 2.5
    assert B.to_list(B.argmax(x, 0, False)) == 0 and B.to_list(B.argmin(x, None, True)) == 0
    values, indices = B.sort(x, 0, True, True)
    assert B.to_list(values) == 2.5 and B.to_list(indices) == 0


def test_integer_sum_wraps():
    x = B.full((3,), 2 ** 62, by_name("int64"))
    assert B.to_list(B.sum(x, (0,), False)) == np.sum(np.full(3, 2 ** 62, np.int64))


# ---------------------------------------------------------------------------- arg reductions
@pytest.mark.parametrize("name", ["bool", "int8", "int64", "float16", "float32", "float64"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_argmax_argmin_match_numpy(name, keepdims):
    a = _data(name, (3, 4, 5), seed=3)
    x = ref(a, name)
    for axis in (None, 0, 1, 2):
        assert_same(B.argmax(x, axis, keepdims), np.argmax(a, axis=axis, keepdims=keepdims))
        assert_same(B.argmin(x, axis, keepdims), np.argmin(a, axis=axis, keepdims=keepdims))


def test_argmax_first_occurrence_and_nan_wins():
    x = B.from_list([1.0, 3.0, 3.0, NAN, 5.0, NAN], (6,), by_name("float64"))
    assert B.to_list(B.argmax(x, None, False)) == 3
    assert B.to_list(B.argmin(x, 0, False)) == 3
    y = B.from_list([2, 7, 7, 0, 0], (5,), by_name("int32"))
    assert B.to_list(B.argmax(y, 0, False)) == 1 and B.to_list(B.argmin(y, 0, False)) == 3


# ---------------------------------------------------------------------------- scans
@pytest.mark.parametrize("name", ["uint8", "int8", "int32", "int64", "float16", "bfloat16",
                                  "float32", "float64", "complex128"])
def test_cumsum_cumprod_match_numpy(name):
    a = _data(name, (3, 4), seed=5)
    x = ref(a, name)
    for axis in (0, 1):
        if name in ("float16", "bfloat16"):
            wide = a.astype(np.float64)
            exp_sum = np.cumsum(wide, axis).astype(a.dtype)
            exp_prod = np.cumprod(wide, axis).astype(a.dtype)
        else:
            with np.errstate(all="ignore"):
                exp_sum = np.cumsum(a, axis, dtype=a.dtype)
                exp_prod = np.cumprod(a, axis, dtype=a.dtype)
        assert_same(B.cumsum(x, axis), exp_sum)
        assert_same(B.cumprod(x, axis), exp_prod)


def test_scans_of_a_view_and_of_empty():
    a = np.arange(12, dtype=np.int64).reshape(3, 4)
    view = B.permute(ref(a, "int64"), (1, 0))
    assert_same(B.cumsum(view, 1), np.cumsum(a.T, 1))
    assert B.shape(B.cumsum(B.full((0, 3), 1, by_name("int64")), 0)) == (0, 3)


# ---------------------------------------------------------------------------- sort
@pytest.mark.parametrize("name", ["bool", "uint8", "int16", "int64", "float16", "float32",
                                  "float64"])
def test_sort_ascending_matches_numpy_stable(name):
    rng = np.random.default_rng(7)
    a = _data(name, (4, 9), seed=7)
    if name.startswith("float"):
        a = a.copy()
        a.flat[rng.choice(a.size, 5, replace=False)] = NAN
    x = ref(a, name)
    for axis in (0, 1):
        values, indices = B.sort(x, axis, False, True)
        assert_same(values, np.sort(a, axis=axis, kind="stable"))
        assert_same(indices, np.argsort(a, axis=axis, kind="stable"))


def test_sort_descending_matches_torch(torch):
    a = np.array([[NAN, 1.0, 2.0, NAN, 2.0, -INF, 1.0, INF]], dtype=np.float32)
    values, indices = B.sort(ref(a, "float32"), 1, True, True)
    t_values, t_indices = torch.sort(torch.tensor(a), dim=1, descending=True, stable=True)
    np.testing.assert_array_equal(to_np(values), t_values.numpy())
    np.testing.assert_array_equal(to_np(indices), t_indices.numpy())


def test_sort_is_stable_with_duplicates():
    x = B.from_list([3, 1, 3, 2, 1, 3], (6,), by_name("int32"))
    _, ascending = B.sort(x, 0, False, True)
    _, descending = B.sort(x, 0, True, True)
    assert B.to_list(ascending) == [1, 4, 3, 0, 2, 5]
    assert B.to_list(descending) == [0, 2, 5, 3, 1, 4]


# ---------------------------------------------------------------------------- unique
@pytest.mark.parametrize("name", ["bool", "int8", "int64", "float32", "float64"])
def test_unique_matches_numpy(name):
    a = _data(name, (3, 5), seed=11)
    values, inverse, counts = B.unique(ref(a, name))
    u, inv, cnt = np.unique(a, return_inverse=True, return_counts=True)
    assert_same(values, u)
    assert_same(inverse, inv.reshape(a.shape).astype(np.int64))
    assert_same(counts, cnt.astype(np.int64))


def test_unique_keeps_every_nan_apart_like_torch(torch):
    a = [NAN, 1.0, NAN, -0.0, 0.0, 1.0]
    values, inverse, counts = B.unique(B.from_list(a, (6,), by_name("float64")))
    t_values, t_inverse, t_counts = torch.unique(torch.tensor(a), return_inverse=True,
                                                 return_counts=True)
    np.testing.assert_array_equal(to_np(values), t_values.numpy())
    np.testing.assert_array_equal(to_np(counts), t_counts.numpy())
    # every element maps back to its own value
    assert [B.to_list(values)[i] for i in B.to_list(inverse)][3:] == [0.0, 0.0, 1.0]
