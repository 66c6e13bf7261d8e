"""The NumPy backend's branch-free ``where`` (NOTE [ Branch-free where ]) gives
``np.where``'s bits for every dtype, broadcast shape and special value."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

from ember_numpy._select import _MIN_SIZE, select

DTYPES = [np.float16, ml_dtypes.bfloat16, np.float32, np.float64, np.int8, np.int16,
          np.int32, np.int64, np.uint8, np.bool_, np.complex64, np.complex128]
SHAPES = [((256, 128), (256, 128), (256, 128)), ((256, 128), (256, 1), ()),
          ((1, 128), (256, 128), (128,)), ((256, 128), (), ())]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_select_matches_np_where_bit_for_bit(dtype, shapes):
    rng = np.random.default_rng(0)
    cs, xs, ys = shapes
    cond = rng.random(cs) > 0.5
    x = np.asarray(rng.standard_normal(xs) * 50).astype(dtype)
    y = np.asarray(rng.standard_normal(ys) * 50).astype(dtype)
    if np.dtype(dtype).kind == "f" and x.ndim:
        x.flat[:4] = [np.nan, -0.0, np.inf, -np.inf]
    got, want = select(cond, x, y), np.where(cond, x, y)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.broadcast_shapes(cs, xs, ys) == got.shape
    assert got.tobytes() == want.tobytes()


def test_select_is_used_above_the_threshold_and_leaves_operands_alone():
    cond = np.arange(_MIN_SIZE * 2) % 3 == 0
    x = np.arange(_MIN_SIZE * 2, dtype=np.float32)
    y = np.float32(-1.0) * np.ones_like(x)
    x0, y0 = x.copy(), y.copy()
    out = select(cond, x, y)
    assert np.array_equal(out, np.where(cond, x, y))
    assert np.array_equal(x, x0) and np.array_equal(y, y0)
    assert not np.shares_memory(out, x) and not np.shares_memory(out, y)


@pytest.mark.parametrize("zero", [0.0, -0.0])
@pytest.mark.parametrize("cond_shape", [(256, 128), (1, 128)], ids=str)
def test_select_with_a_zero_scalar_keeps_the_sign_of_zero(zero, cond_shape):
    rng = np.random.default_rng(1)
    cond = rng.random(cond_shape) > 0.5
    x = rng.standard_normal((256, 128)).astype(np.float32)
    x[0, :3] = [np.nan, np.inf, -0.0]
    y = np.asarray(zero, dtype=np.float32)
    got, want = select(cond, x, y), np.where(cond, x, y)
    assert got.shape == want.shape and got.tobytes() == want.tobytes()
