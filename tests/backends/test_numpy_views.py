"""NumPy backend views: strides, storage offsets, sharing and writes through views."""

from __future__ import annotations

import numpy as np
import pytest

import ember.backend as B
from ember.backend import device
from ember_numpy._backend import NumpyBackend


@pytest.fixture(scope="module")
def be():
    return NumpyBackend(device("cpu"))


def base(be, n=24, shape=(2, 3, 4)):
    return be.reshape(be.arange(0, 1, n, B.float32), shape)


def test_strides_and_offset(be):
    x = base(be)
    assert be.strides(x) == (12, 4, 1) and be.storage_offset(x) == 0
    v = be.getitem(x, (1, slice(1, 3), slice(0, 4, 2)))
    assert be.shape(v) == (2, 2)
    assert be.strides(v) == (4, 2)
    assert be.storage_offset(v) == 12 + 4
    assert be.shares_memory(v, x)
    p = be.permute(x, (2, 0, 1))
    assert be.strides(p) == (1, 12, 4) and be.shares_memory(p, x)
    assert not be.shares_memory(be.copy(x), x)
    # Disjoint slices of one storage still share it (PyTorch's notion, not overlap).
    assert be.shares_memory(be.getitem(x, (0,)), be.getitem(x, (1,)))


def test_getitem_int_key_is_a_0d_view(be):
    x = base(be)
    e = be.getitem(x, (1, 2, 3))
    assert type(e) is np.ndarray and e.shape == ()
    be.copy_into(e, -1.0)
    assert x[1, 2, 3] == -1.0
    n = be.getitem(x, (None, 0, None, slice(None), 1))
    assert n.shape == (1, 1, 3) and be.shares_memory(n, x)


def test_copy_into_writes_through_views(be):
    x = base(be)
    v = be.getitem(x, (slice(None), 1))
    be.copy_into(v, be.full((4,), 7.0, B.float32))  # broadcast over the first axis
    assert (x[:, 1] == 7).all() and x[0, 0, 0] == 0
    t = be.permute(x, (2, 1, 0))
    be.copy_into(t, 0.5)
    assert (x == 0.5).all()
    d = be.diagonal(be.reshape(x, (4, 6)), 1, 0, 1)
    be.copy_into(d, be.from_list([1, 2, 3, 4], (4,), B.float32))
    m = x.reshape(4, 6)
    assert [m[i, i + 1] for i in range(4)] == [1, 2, 3, 4]


def test_copy_into_overlapping_source(be):
    x = be.arange(0, 1, 6, B.int64)
    be.copy_into(be.getitem(x, (slice(1, 6),)), be.getitem(x, (slice(0, 5),)))
    assert be.to_list(x) == [0, 0, 1, 2, 3, 4]


def test_copy_into_wraps_scalars(be):
    x = be.full((2,), 0, B.int8)
    be.copy_into(x, 200)
    assert be.to_list(x) == [-56, -56]


def test_reshape_view_or_copy(be):
    x = base(be)
    r = be.reshape(x, (6, 4))
    assert be.shares_memory(r, x)
    t = be.permute(x, (2, 1, 0))
    c = be.reshape(t, (24,))  # not expressible as a view: a copy
    assert not be.shares_memory(c, x)
    assert be.to_list(c) == np.asarray(x).transpose(2, 1, 0).reshape(-1).tolist()
    assert be.reshape(be.full((), 3.0, B.float32), (1, 1)).shape == (1, 1)


def test_expand_is_a_writable_view(be):
    x = be.from_list([[1.0], [2.0]], (2, 1), B.float32)
    e = be.expand(x, (3, 2, 4))
    assert e.shape == (3, 2, 4) and be.strides(e) == (0, 1, 0)
    assert be.shares_memory(e, x)
    be.copy_into(be.getitem(e, (0, 1, 0)), 9.0)
    assert be.to_list(x) == [[1.0], [9.0]]


def test_as_strided(be):
    x = base(be)
    v = be.getitem(x, (1,))
    s = be.as_strided(v, (3, 2), (1, 4), 5)  # offset counts from the storage, not from v
    assert be.storage_offset(s) == 5 and be.strides(s) == (1, 4)
    assert s.tolist() == [[5, 9], [6, 10], [7, 11]]
    be.copy_into(s, 0.0)
    assert x.reshape(-1)[5] == 0 and x.reshape(-1)[9] == 0
    assert be.shares_memory(s, x)
    again = be.as_strided(s, (2,), (12,), 0)
    assert again.tolist() == [0.0, 12.0]
    bf = be.reshape(be.arange(0, 1, 6, B.bfloat16), (2, 3))
    sb = be.as_strided(bf, (3,), (2,), 1)
    assert be.to_list(sb) == [1.0, 3.0, 5.0]


def test_diagonal(be):
    a = np.arange(24.0).reshape(2, 3, 4)
    for off in (-3, -1, 0, 1, 2, 5):
        for ax in ((1, 2), (2, 1), (0, 2), (2, 0)):
            got = be.diagonal(a, off, *ax)
            np.testing.assert_array_equal(got, np.diagonal(a, off, *ax))
            if got.size:
                assert be.shares_memory(got, a)


def test_cat_flip_pad(be):
    a = be.from_list([[1, 2], [3, 4]], (2, 2), B.int16)
    b = be.from_list([[5, 6]], (1, 2), B.int16)
    assert be.to_list(be.cat([a, b], 0)) == [[1, 2], [3, 4], [5, 6]]
    assert be.to_list(be.cat([a, be.full((2, 0), 0, B.int16)], 1)) == [[1, 2], [3, 4]]
    f = be.flip(a, (0, 1))
    assert be.to_list(f) == [[4, 3], [2, 1]] and not be.shares_memory(f, a)
    assert be.to_list(be.flip(a, ())) == [[1, 2], [3, 4]]
    p = be.pad(a, [(1, 0), (0, 2)], 9)
    assert be.to_list(p) == [[9, 9, 9, 9], [1, 2, 9, 9], [3, 4, 9, 9]]
    assert be.pad(be.full((0,), 0, B.float32), [(2, 1)], 1.5).tolist() == [1.5] * 3
