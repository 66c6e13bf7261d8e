"""Views of the reference backend share storage and write through; strides and offsets
agree with NumPy's (in elements); the copying shape primitives (cat, flip, pad) agree with
NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from test_reference_backend import B, assert_same, ref, to_np

from ember.backend import by_name

I64 = by_name("int64")


def _arange(*shape, name="int64"):
    a = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    return a, ref(a, name)


def _np_layout(a: np.ndarray) -> tuple[tuple[int, ...], int]:
    """NumPy's strides and offset in elements, relative to the base array."""
    base = a.base if a.base is not None else a
    while base.base is not None:
        base = base.base
    offset = (a.__array_interface__["data"][0] - base.__array_interface__["data"][0])
    return tuple(s // a.itemsize for s in a.strides), offset // a.itemsize


# ---------------------------------------------------------------------------- reshape
@pytest.mark.parametrize("make,shape", [
    (lambda x: x, (4, 6)),
    (lambda x: x, (2, 2, 6)),
    (lambda x: x, (24,)),
    (lambda x: x[:, 1:3], (6, 2)),             # non-contiguous but viewable
    (lambda x: x[:, ::2], (6, 2)),
    (lambda x: x.T, (24,)),                    # needs a copy
    (lambda x: x.T, (4, 2, 3)),
    (lambda x: x[::2], (12,)),
    (lambda x: x[::2].T, (2, 3, 2)),
])
def test_reshape_views_when_numpy_does(make, shape):
    base_np = np.arange(24, dtype=np.int64).reshape(2, 3, 4).reshape(6, 4)
    src_np = make(base_np)
    base = ref(base_np, "int64")
    src = _view_like(base, base_np, src_np)
    out = B.reshape(src, shape)
    expected = src_np.reshape(shape)
    assert_same(out, expected)
    numpy_views = np.shares_memory(expected, base_np)
    assert B.shares_memory(out, base) == numpy_views
    if numpy_views:
        assert B.strides(out) == _np_layout(expected)[0]


def _view_like(base, base_np, view_np):
    """The reference view with ``view_np``'s strides and offset (via as_strided)."""
    strides, offset = _np_layout(view_np)
    return B.as_strided(base, view_np.shape, strides, offset)


def test_reshape_view_writes_through():
    a, x = _arange(2, 6)
    v = B.reshape(x, (3, 4))
    B.copy_into(B.getitem(v, (1,)), -1)
    a.reshape(3, 4)[1] = -1
    assert_same(x, a)


# ---------------------------------------------------------------------------- basic views
def test_permute_and_write_through():
    a, x = _arange(2, 3, 4)
    p = B.permute(x, (2, 0, 1))
    assert B.shape(p) == (4, 2, 3) and B.strides(p) == (1, 12, 4)
    assert_same(p, a.transpose(2, 0, 1))
    B.copy_into(B.getitem(p, (slice(1, 3), 0)), 100)
    a.transpose(2, 0, 1)[1:3, 0] = 100
    assert_same(x, a)
    assert B.shares_memory(p, x)


def test_expand_has_zero_strides_and_writes_through():
    a, x = _arange(3, 1)
    e = B.expand(x, (2, 3, 4))
    assert B.strides(e) == (0, 1, 0)
    assert_same(e, np.broadcast_to(a, (2, 3, 4)))
    assert B.shape(B.expand(x, (-1, 5))) == (3, 5)
    B.copy_into(e, B.from_list([7, 8, 9, 10], (4,), I64))  # every column lands in one slot
    assert B.to_list(x) == [[10], [10], [10]]
    with pytest.raises(ValueError):
        B.expand(x, (3, 2, 2))


@pytest.mark.parametrize("key", [
    (1,), (slice(None), 2), (slice(1, 3), slice(None), slice(0, 4, 2)), (None, 0),
    (slice(0, 2), None, slice(1, 4, 2), None), (1, 2, 3), (slice(2, 2),),
    (slice(0, 3, 2), slice(3, 1)),
])
def test_getitem_matches_numpy(key):
    a, x = _arange(3, 4, 5)
    v = B.getitem(x, key)
    expected = a[key]
    assert_same(v, expected)
    if expected.ndim == 0:  # NumPy gives a scalar copy; the reference a 0-d view
        assert B.storage_offset(v) == int(expected)
    elif expected.size:
        strides, offset = _np_layout(expected)
        assert B.storage_offset(v) == offset
        assert all(s == t for s, t, n in zip(B.strides(v), strides, expected.shape) if n > 1)
    assert B.shares_memory(v, x)


def test_getitem_refuses_negative_steps():
    with pytest.raises(ValueError, match="step"):
        B.getitem(_arange(3)[1], (slice(None, None, -1),))


def test_getitem_write_through_and_overlap():
    a, x = _arange(4, 4)
    B.copy_into(B.getitem(x, (slice(1, 4), slice(None))),
                B.getitem(x, (slice(0, 3), slice(None))))  # overlapping src: copied first
    a[1:4] = a[0:3].copy()
    assert_same(x, a)
    sliced = B.getitem(x, (slice(None), slice(None, None, 2)))
    B.copy_into(sliced, B.from_list([[1, 2]], (1, 2), I64))
    a[:, ::2] = [[1, 2]]
    assert_same(x, a)


def test_as_strided_matches_numpy():
    a, x = _arange(12)
    v = B.as_strided(x, (3, 4), (2, 1), 1)
    assert_same(v, np.lib.stride_tricks.as_strided(a[1:], (3, 4), (16, 8)))
    assert B.storage_offset(v) == 1 and B.strides(v) == (2, 1)
    with pytest.raises(ValueError):
        B.as_strided(x, (3, 4), (4, 1), 1)  # reaches element 12 of 12


@pytest.mark.parametrize("offset,axis1,axis2", [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (2, 1, 2),
                                                (0, 2, 0), (-2, 1, 2), (5, 0, 1)])
def test_diagonal_matches_numpy(offset, axis1, axis2):
    a, x = _arange(3, 4, 5)
    d = B.diagonal(x, offset, axis1, axis2)
    expected = np.diagonal(a, offset, axis1, axis2)
    assert_same(d, expected)
    if expected.size:
        assert B.strides(d) == _np_layout(expected)[0]
        assert B.storage_offset(d) == _np_layout(expected)[1]


def test_diagonal_writes_through():
    a, x = _arange(3, 3)
    B.copy_into(B.diagonal(x, 0, 0, 1), 0)
    np.fill_diagonal(a, 0)
    assert_same(x, a)


def test_views_of_views_and_copy():
    a, x = _arange(4, 6)
    v = B.getitem(B.permute(x, (1, 0)), (slice(1, 5, 2), slice(1, 3)))
    assert_same(v, a.T[1:5:2, 1:3])
    c = B.copy(v)
    assert not B.shares_memory(c, x) and B.strides(c) == (2, 1)
    B.copy_into(c, 0)
    assert_same(x, a)  # the copy is independent


def test_inplace_binary_result_written_into_view():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = ref(a, "float32")
    col = B.getitem(x, (slice(None), 1))
    B.copy_into(col, B.mul(col, 10.0))
    a[:, 1] *= 10
    assert_same(x, a)


# ---------------------------------------------------------------------------- cat, flip, pad
def test_cat_matches_numpy():
    a, x = _arange(2, 3)
    b = np.arange(4, dtype=np.int64).reshape(2, 2) + 100
    assert_same(B.cat([x, ref(b, "int64")], 1), np.concatenate([a, b], 1))
    assert_same(B.cat([x, x, B.full((0, 3), 0, I64)], 0), np.concatenate([a, a], 0))
    assert_same(B.cat([B.permute(x, (1, 0))], 0), a.T)
    with pytest.raises(ValueError):
        B.cat([x, ref(b, "int64")], 0)


@pytest.mark.parametrize("axes", [(), (0,), (1,), (0, 2), (0, 1, 2)])
def test_flip_matches_numpy(axes):
    a, x = _arange(2, 3, 4)
    out = B.flip(x, axes)
    assert_same(out, np.flip(a, axes))
    assert not B.shares_memory(out, x)


def test_flip_of_a_view():
    a, x = _arange(4, 5)
    assert_same(B.flip(B.getitem(x, (slice(None), slice(1, 5, 2))), (1,)), a[:, 1:5:2][:, ::-1])


def test_pad_matches_numpy():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    out = B.pad(ref(a, "float32"), [(1, 0), (2, 1)], -1.5)
    assert_same(out, np.pad(a, [(1, 0), (2, 1)], constant_values=-1.5))
    assert_same(B.pad(B.full((), 3, I64), [], 0), np.array(3))


def test_to_numpy_helper_sanity():
    assert to_np(B.full((2, 0, 3), 1, I64)).shape == (2, 0, 3)
