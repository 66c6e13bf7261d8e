"""NumPy backend indexing: index, index_put (with accumulate and duplicates), gather,
scatter, nonzero and unique, against plain NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import ember.backend as B
from ember.backend import device
from ember_numpy._backend import NumpyBackend


@pytest.fixture(scope="module")
def be():
    return NumpyBackend(device("cpu"))


def ints(*v):
    return np.asarray(v, dtype=np.int64)


X = np.arange(60.0).reshape(3, 4, 5)

KEYS = [
    (1, slice(None), slice(None)),
    (ints(0, 2), slice(None), slice(None)),
    (slice(None), ints(3, 0, 3), slice(None)),
    (ints(0, 2), ints(1, 3), slice(None)),
    (ints(0, 2), slice(None), ints(4, 4)),           # separated: advanced axes go first
    (slice(None), ints(1, 2), ints(0, 4)),           # adjacent: in place
    (1, slice(None), ints(0, 2)),                 # an int with an array is advanced too
    (slice(None), 2, ints(0, 2)),
    (ints(0, 1)[:, None], ints(0, 2)[None, :], slice(1, 3)),
    (X[:, :, 0] > 20, slice(None)),            # 2-d mask
    (slice(None), np.array([True, False, True, False]), 0),
    (None, ints(2), slice(None), None, slice(0, 5, 2)),
    (ints(1), ints(0), ints(2)),
    (np.zeros((0,), np.int64), slice(None), slice(None)),
    (np.array(True), slice(None), 0, 0),       # 0-d mask adds an axis
]


@pytest.mark.parametrize("key", KEYS, ids=range(len(KEYS)))
def test_index_matches_numpy(be, key):
    got = be.index(X, key)
    want = X[key]
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    assert not np.shares_memory(got, X)


@pytest.mark.parametrize("key", KEYS, ids=range(len(KEYS)))
def test_index_put_matches_numpy(be, key):
    x = X.copy()
    want = X.copy()
    vals = np.arange(X[key].size, dtype=np.float64).reshape(X[key].shape) + 100
    be.index_put(x, key, vals, False)
    want[key] = vals
    np.testing.assert_array_equal(x, want)


def test_index_put_accumulate_duplicates(be):
    x = np.zeros(5, np.float32)
    be.index_put(x, (ints(0, 1, 1, 1, 4),), np.ones(5, np.float32), True)
    assert x.tolist() == [1, 3, 0, 0, 1]
    be.index_put(x, (ints(2, 2),), 2.5, True)
    assert x.tolist() == [1, 3, 5, 0, 1]
    m = np.zeros((2, 3), np.int8)
    be.index_put(m, (ints(1, 1), ints(2, 2)), np.array([100, 100], np.int8), True)
    assert m[1, 2] == -56  # wraps like int8 arithmetic
    b = np.zeros(3, bool)
    be.index_put(b, (ints(0, 0),), True, True)
    assert b.tolist() == [True, False, False]
    mask = np.array([True, False, True])
    y = np.ones(3)
    be.index_put(y, (mask,), np.array([5.0, 6.0]), True)
    assert y.tolist() == [6.0, 1.0, 7.0]


def test_index_put_through_a_view(be):
    base = np.zeros((3, 4))
    v = be.getitem(base, (slice(None), slice(1, 3)))
    be.index_put(v, (ints(0, 2), ints(1, 1)), 9.0, False)
    assert base[0, 2] == 9 and base[2, 2] == 9 and base.sum() == 18
    be.index_put(v, (slice(None), 0), 300, False)
    assert (base[:, 1] == 300).all()
    small = np.zeros(2, np.uint8)
    be.index_put(small, (ints(1),), 257, False)
    assert small.tolist() == [0, 1]


def test_gather(be):
    x = np.arange(12).reshape(3, 4)
    idx = ints(0, 3, 3, 1, 2, 0).reshape(3, 2)
    np.testing.assert_array_equal(be.gather(x, 1, idx), np.take_along_axis(x, idx, 1))
    idx0 = ints(2, 0, 1).reshape(1, 3)  # smaller than x on the other axis
    np.testing.assert_array_equal(be.gather(x, 0, idx0), [[8, 1, 6]])
    assert be.gather(x, 1, np.zeros((3, 0), np.int64)).shape == (3, 0)


@pytest.mark.parametrize("reduce", [None, "sum", "prod", "amax", "amin"])
def test_scatter(be, reduce):
    x = np.arange(1.0, 13.0).reshape(3, 4)
    idx = ints(0, 0, 2, 1, 1, 1).reshape(2, 3)
    src = np.arange(10.0, 22.0).reshape(3, 4)
    got = be.scatter(x, 1, idx, src, reduce)
    want = x.copy()
    for i in range(2):
        for j in range(3):
            t, v = (i, idx[i, j]), src[i, j]
            if reduce is None:
                want[t] = v
            elif reduce == "sum":
                want[t] += v
            elif reduce == "prod":
                want[t] *= v
            elif reduce == "amax":
                want[t] = max(want[t], v)
            else:
                want[t] = min(want[t], v)
    if reduce is None:  # duplicates: the last write wins (PyTorch leaves it unspecified)
        want[0, 0] = src[0, 1]
    np.testing.assert_array_equal(got, want)
    assert x[0, 0] == 1.0  # scatter returns a copy
    s = be.scatter(x, 0, ints(2, 0).reshape(2, 1), 0.5, reduce)
    assert s.shape == x.shape


def test_nonzero(be):
    x = np.array([[0, 1.5, 0], [2, 0, np.nan]])
    assert be.to_list(be.nonzero(x)) == [[0, 1], [1, 0], [1, 2]]
    assert be.nonzero(np.zeros((2, 0))).shape == (0, 2)
    assert be.nonzero(np.array(3)).shape == (1, 0)
    assert be.nonzero(np.array(0)).shape == (0, 0)
    assert be.nonzero(x).dtype == np.int64


def test_unique(be):
    x = np.array([[3, 1, 3], [2, 1, 1]], np.int16)
    v, inv, cnt = be.unique(x)
    assert be.to_list(v) == [1, 2, 3]
    assert be.to_list(inv) == [[2, 0, 2], [1, 0, 0]]
    assert be.to_list(cnt) == [3, 1, 2]
    assert inv.dtype == cnt.dtype == np.int64
    v, inv, cnt = be.unique(np.array([np.nan, 1.0, np.nan]))
    assert v.shape == (3,) and cnt.tolist() == [1, 1, 1]  # every nan is its own value
    v, inv, cnt = be.unique(np.zeros((0, 2), np.float32))
    assert v.shape == (0,) and inv.shape == (0, 2) and cnt.shape == (0,)
    v, _, cnt = be.unique(be.from_list([True, False, True], (3,), B.bool_))
    assert be.to_list(v) == [False, True] and be.to_list(cnt) == [1, 2]
