"""Advanced indexing, index_put, gather, scatter and nonzero of the reference backend
against NumPy (and PyTorch for gather/scatter, whose semantics are PyTorch's)."""

from __future__ import annotations

import numpy as np
import pytest
from test_reference_backend import B, assert_same, ref, to_np

from ember.backend import by_name

I64 = by_name("int64")


def _arange(*shape):
    a = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    return a, ref(a, "int64")


def _ref_key(key):
    """A reference key: NumPy arrays become reference arrays (int64 or bool)."""
    out = []
    for entry in key:
        if isinstance(entry, np.ndarray):
            out.append(ref(entry, "bool" if entry.dtype == bool else "int64"))
        else:
            out.append(entry)
    return tuple(out)


IDX = np.array([2, 0, 2])
IDX2 = np.array([[0, 1], [1, 0]])
MASK = np.array([True, False, True, True])
KEYS = [
    (IDX,),
    (slice(None), IDX),
    (IDX, IDX),                                    # zipped
    (IDX2, slice(1, 3)),
    (slice(None), IDX2, slice(None)),
    (IDX, slice(None), np.array([0, 1, 4])),       # separated: broadcast block goes first
    (1, slice(None), np.array([0, 4])),            # an int counts as advanced (NumPy)
    (slice(0, 2), 1, np.array([0, 3])),            # int and array adjacent: block stays
    (MASK[:3],),
    (slice(None), MASK),
    (MASK[:3], slice(1, 3), np.array([4, 0])),     # mask and array separated
    (np.arange(60).reshape(3, 4, 5) % 7 == 0,),    # a mask over every axis
    (np.array([[True, False, True, False]] * 3),),
    (None, IDX, None),
    (np.array(True),),
    (np.array(False), slice(None)),
    (np.array([], dtype=np.int64),),
    (IDX, np.array([[1], [2]])),                   # broadcasting index arrays
]


@pytest.mark.parametrize("key", KEYS, ids=[str(i) for i in range(len(KEYS))])
def test_index_matches_numpy(key):
    a, x = _arange(3, 4, 5)
    out = B.index(x, _ref_key(key))
    assert_same(out, a[key])
    assert not B.shares_memory(out, x)


def test_index_of_a_view():
    a, x = _arange(4, 6)
    v = B.permute(x, (1, 0))
    assert_same(B.index(v, _ref_key((np.array([5, 0]), slice(1, 4, 2)))), a.T[[5, 0], 1:4:2])


def test_index_basic_key_copies():
    a, x = _arange(3, 4)
    out = B.index(x, (1, slice(0, 2)))
    assert_same(out, a[1, 0:2])
    assert not B.shares_memory(out, x)


@pytest.mark.parametrize("key", [(np.array([2, 0]),), (slice(None), np.array([1, 3])),
                                 (MASK[:3],), (np.array([0, 2]), np.array([1, 1]))],
                         ids=["rows", "cols", "mask", "points"])
def test_index_put_matches_numpy(key):
    a, x = _arange(3, 4)
    expected = a.copy()
    values = -np.arange(expected[key].size, dtype=np.int64).reshape(expected[key].shape)
    expected[key] = values
    B.index_put(x, _ref_key(key), ref(values, "int64"), False)
    assert_same(x, expected)
    expected[key] = 9
    B.index_put(x, _ref_key(key), 9, False)
    assert_same(x, expected)


def test_index_put_accumulate_adds_every_duplicate():
    a = np.zeros((3, 2), np.float32)
    x = ref(a, "float32")
    rows = np.array([0, 2, 0, 0])
    vals = np.array([[1, 2], [3, 4], [5, 6], [0.5, 0.5]], np.float32)
    B.index_put(x, _ref_key((rows,)), ref(vals, "float32"), True)
    np.add.at(a, rows, vals)
    assert_same(x, a)
    B.index_put(x, _ref_key((rows, np.array([1, 1, 1, 0]))), 1.0, True)
    np.add.at(a, (rows, np.array([1, 1, 1, 0])), np.float32(1))
    assert_same(x, a)


def test_index_put_through_a_view_and_with_broadcast_values():
    a, x = _arange(3, 4)
    v = B.getitem(x, (slice(None), slice(1, 4)))  # columns 1..3
    B.index_put(v, _ref_key((np.array([True, False, True]),)),
                B.from_list([7, 8, 9], (3,), I64), False)
    a[:, 1:4][[True, False, True]] = [7, 8, 9]
    assert_same(x, a)


def test_index_put_wraps_integers():
    x = B.full((2,), 120, by_name("int8"))
    B.index_put(x, _ref_key((np.array([0, 0]),)), 5, True)
    assert B.to_list(x) == [-126, 120]


# ---------------------------------------------------------------------------- gather, scatter
def test_gather_matches_torch(torch):
    a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    rng = np.random.default_rng(2)
    for axis in range(3):
        shape = [2, 2, 3]
        index = rng.integers(0, a.shape[axis], shape)
        got = B.gather(ref(a, "float32"), axis, ref(index, "int64"))
        expected = torch.gather(torch.tensor(a), axis, torch.tensor(index)).numpy()
        assert_same(got, expected)


def test_gather_matches_take_along_axis():
    a, x = _arange(3, 4)
    index = np.array([[3, 0], [1, 1], [2, 0]])
    assert_same(B.gather(x, 1, ref(index, "int64")), np.take_along_axis(a, index, 1))


@pytest.mark.parametrize("reduce", [None, "sum", "prod", "amax", "amin"])
def test_scatter_matches_torch(torch, reduce):
    a = np.arange(1, 13, dtype=np.float64).reshape(3, 4)
    index = np.array([[0, 1, 0, 0], [2, 0, 0, 1]])
    src = np.arange(8, dtype=np.float64).reshape(2, 4) - 3.0
    got = B.scatter(ref(a, "float64"), 0, ref(index, "int64"), ref(src, "float64"), reduce)
    ta, ti, ts = torch.tensor(a), torch.tensor(index), torch.tensor(src)
    if reduce is None:
        # duplicate targets with reduce=None: the reference's last write wins (row-major);
        # PyTorch leaves the order unspecified, so compare where targets are unique
        expected = ta.scatter(0, ti, ts).numpy()
        unique = np.ones_like(a, dtype=bool)
        unique[0, 2] = False  # (0, 2) and (1, 2) both write row 0 of column 2
        np.testing.assert_array_equal(to_np(got)[unique], expected[unique])
        assert to_np(got)[0, 2] == src[1, 2]
    else:
        expected = ta.scatter_reduce(0, ti, ts, reduce, include_self=True).numpy()
        assert_same(got, expected)
    assert B.to_list(ref(a, "float64")) == a.tolist()  # scatter returns a copy


def test_scatter_scalar_src_and_duplicates_all_count():
    x = B.full((4,), 0, I64)
    out = B.scatter(x, 0, ref(np.array([1, 1, 3, 1]), "int64"), 2, "sum")
    assert B.to_list(out) == [0, 6, 0, 2]
    assert B.to_list(x) == [0, 0, 0, 0]


# ---------------------------------------------------------------------------- nonzero
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2), (0, 3)])
def test_nonzero_matches_numpy(shape):
    rng = np.random.default_rng(4)
    a = rng.integers(-1, 2, shape).astype(np.int32)
    assert_same(B.nonzero(ref(a, "int32")), np.argwhere(a).astype(np.int64))


def test_nonzero_zero_d_and_floats():
    assert B.shape(B.nonzero(B.full((), 5, I64))) == (1, 0)
    assert B.shape(B.nonzero(B.full((), 0, I64))) == (0, 0)
    x = B.from_list([0.0, -0.0, float("nan"), 1e-300], (4,), by_name("float64"))
    assert B.to_list(B.nonzero(x)) == [[2], [3]]
