"""Indexing against PyTorch: ``t[key]``, ``t[key] = v`` and the index-driven ops."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch 2.13 is the differential-testing oracle "
                                            "(pip install torch==2.13.0, part of the 'test' extra)")


# ---------------------------------------------------------------------------- helpers
def _dtype_name(t) -> str:
    return str(t.dtype).split(".")[-1]


def check(got, expected):
    if isinstance(expected, tuple | list):
        assert isinstance(got, tuple | list) and len(got) == len(expected)
        for g, x in zip(got, expected):
            check(g, x)
        return
    assert isinstance(got, ember.Tensor), type(got)
    assert _dtype_name(got) == _dtype_name(expected)
    assert tuple(got.shape) == tuple(expected.shape)
    g = np.array(got.tolist(), dtype=np.float64 if got.is_floating_point() else None)
    x = np.array(expected.tolist(), dtype=np.float64 if expected.is_floating_point() else None)
    np.testing.assert_array_equal(g.reshape(x.shape), x)


def run_both(fn, e_args, t_args, match: str | None = None):
    """``fn(module, *args)`` in both: the same result, or the same exception type (with
    ``match`` in the message when given)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = fn(torch, *t_args)
    except Exception as exc:  # noqa: BLE001 - the oracle decides what is an error
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(type(exc)) as info:
                fn(ember, *e_args)
        if match is not None:
            assert match in str(info.value), (str(info.value), str(exc))
        return None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = fn(ember, *e_args)
    check(got, expected)
    return got, expected


BASE = np.arange(60, dtype=np.float32).reshape(3, 4, 5) - 20.5

INPUTS = {
    "contiguous": lambda m: m.tensor(BASE),
    "transposed": lambda m: m.tensor(BASE).permute(2, 0, 1),
    "sliced": lambda m: m.tensor(BASE)[:, 1:, ::2],
    "int32": lambda m: m.tensor(BASE.astype(np.int32)),
}


def both(kind):
    return INPUTS[kind](ember), INPUTS[kind](torch)


def _conv(m, k):
    """The key for module ``m``: tensors written as ("t", data, dtype) tuples."""
    if isinstance(k, tuple) and k and k[0] == "t":
        return m.tensor(k[1], dtype=getattr(m, k[2]))
    if isinstance(k, tuple):
        return tuple(_conv(m, x) for x in k)
    if isinstance(k, list):
        return [_conv(m, x) for x in k]
    return k


KEYS = {
    "int": 1, "neg_int": -1, "int_oob": 3, "neg_oob": -4, "int_int": (0, 2), "int_int_int": (2, 3, 4),
    "too_many": (0, 0, 0, 0), "slice": slice(1, None), "slice_step": slice(None, None, 2),
    "slice_neg": slice(-2, None), "slice_empty": slice(2, 1), "slice_clamp": slice(-10, 10),
    "slice_bad_step": slice(None, None, -1), "slices": (slice(None), slice(1, 3), slice(0, 5, 3)),
    "ellipsis": Ellipsis, "ellipsis_int": (Ellipsis, 1), "int_ellipsis": (0, Ellipsis),
    "two_ellipsis": (Ellipsis, Ellipsis), "ellipsis_int_ellipsis": (Ellipsis, 0, Ellipsis), "none": None, "none_mid": (slice(None), None),
    "none_end": (Ellipsis, None), "none_many": (None, 0, None, slice(1, 2), None),
    "true": True, "false": False, "true_mid": (0, True), "empty_tuple": (),
    "list": [0, 2], "list_neg": [-1, 0, 0], "list_oob": [0, 3], "empty_list": [],
    "list_2d_as_tuple": [[0, 1], [1, 2]], "bool_list": [True, False, True],
    "tensor": ("t", [2, 0], "int64"), "tensor_2d": ("t", [[0, 1], [2, 1]], "int64"),
    "tensor_int32": ("t", [1], "int32"), "tensor_0d": ("t", 1, "int64"),
    "tensor_0d_bool": ("t", True, "bool"), "tensor_float": ("t", [1.0], "float32"),
    "mask_1d": ("t", [True, False, True], "bool"), "mask_bad": ("t", [True, False], "bool"),
    "mask_2d": ("t", (BASE[:, :, 0] > -10).tolist(), "bool"),
    "mask_full": ("t", (BASE > 0).tolist(), "bool"),
    "mask_mid": (slice(None), ("t", [True, False, True, True], "bool")),
    "adv_adv": (("t", [0, 2], "int64"), ("t", [1, 3], "int64")),
    "adv_bcast": (("t", [[0], [2]], "int64"), slice(None), ("t", [1, 3, 4], "int64")),
    "adv_mismatch": (("t", [0, 2], "int64"), ("t", [1, 3, 0], "int64")),
    "adv_slice_adv": (("t", [0, 1], "int64"), slice(None), ("t", [1, 3], "int64")),
    "int_slice_adv": (0, slice(None), ("t", [1, 3], "int64")),
    "slice_adv": (slice(None), [1, 3]), "ellipsis_adv": (Ellipsis, [0, 4]),
    "adv_none_adv": ([0, 1], None, [1, 2]), "int_adv": (1, [0, 3]),
    "mask_adv": (("t", [True, False, True], "bool"), [0, 3]),
    "np_array": ("np", [0, 2]), "np_int": ("npi", 2), "float": 1.5,
    "slice_tensor_bounds": slice(("t", 1, "int64"), ("t", 3, "int64")),
}


def _key(m, name):
    k = KEYS[name]
    if isinstance(k, tuple) and k and k[0] == "np":
        return np.array(k[1])
    if isinstance(k, tuple) and k and k[0] == "npi":
        return np.int64(k[1])
    if isinstance(k, slice):
        return slice(*(_conv(m, v) for v in (k.start, k.stop, k.step)))
    return _conv(m, k)


@pytest.mark.parametrize("kind", sorted(INPUTS))
@pytest.mark.parametrize("name", sorted(KEYS))
def test_getitem_matches_torch(name, kind):
    xe, xt = both(kind)
    got, expected = run_both(lambda m, x: x[_key(m, name)], (xe,), (xt,))
    if expected is None:
        return
    assert (got._base is not None) == (expected._base is not None)  # view exactly when torch's
    if expected._base is not None and expected.numel():
        assert got.stride() == expected.stride()
        assert got.storage_offset() == expected.storage_offset()
        assert got.is_contiguous() == expected.is_contiguous()


@pytest.mark.parametrize("kind", ["contiguous", "transposed", "sliced"])
@pytest.mark.parametrize("name", sorted(KEYS))
@pytest.mark.parametrize("value", ["scalar", "tensor", "row"])
def test_setitem_matches_torch(name, kind, value):
    xe, xt = both(kind)

    def assign(m, x):
        v = {"scalar": -1.25, "tensor": m.tensor(7.0), "row": m.arange(5.0) * 10}[value]
        x[_key(m, name)] = v
        return x

    got, expected = run_both(assign, (xe,), (xt,))
    if expected is not None:
        assert got is xe and xe._version == xt._version
        if kind != "contiguous":  # the write reached the storage the input is a view of
            assert xe._base is not None
            check(xe._base, xt._base)


def test_setitem_casts_and_broadcasts():
    for fn in (lambda m, x: x.__setitem__(0, 2.7) or x,
               lambda m, x: x.__setitem__(slice(None), m.tensor([[1.9, 2.1, 3.5]])) or x,
               lambda m, x: x.__setitem__((slice(None), [0, 2]), m.tensor([5, 6])) or x,
               lambda m, x: x.__setitem__(x > 2, m.tensor(-1)) or x,
               lambda m, x: x.__setitem__(x > 2, m.tensor([1.0, 2.0])) or x,
               lambda m, x: x.__setitem__(slice(0, 1), m.ones(3)) or x,
               lambda m, x: x.__setitem__(slice(0, 1), m.ones(2)) or x,
               lambda m, x: x.__setitem__([0, 1], m.ones(3)) or x,
               lambda m, x: x.__setitem__([0, 0], m.tensor([[1, 1, 1], [2, 2, 2]])) or x,
               lambda m, x: x.__setitem__(0, [4, 5, 6]) or x,
               lambda m, x: x.__setitem__(0, np.array([4, 5, 6])) or x,
               lambda m, x: x.__setitem__(0, 1j) or x):
        a = np.arange(6).reshape(2, 3)
        run_both(fn, (ember.tensor(a),), (torch.tensor(a),))
    a = np.arange(6, dtype=np.int8)
    run_both(lambda m, x: x.__setitem__(0, 300), (ember.tensor(a),), (torch.tensor(a),),
             match="value cannot be converted to type int8_t without overflow")


@pytest.mark.parametrize("name,match", [
    ("int_oob", "index 3 is out of bounds for dimension 0 with size 3"),
    ("too_many", "too many indices for tensor of dimension 3"),
    ("slice_bad_step", "step must be greater than zero"),
    ("mask_bad", "The shape of the mask [2] at index 0 does not match the shape of the indexed "
                 "tensor [3, 4, 5] at index 0"),
    ("adv_mismatch", "shape mismatch: indexing tensors could not be broadcast together with "
                     "shapes [2], [3]"),
    ("tensor_float", "tensors used as indices must be long, int, byte or bool tensors"),
    ("float", "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
              "are valid indices (got float)"),
    ("list_oob", "index 3 is out of bounds for dimension 0 with size 3"),
])
def test_getitem_errors(name, match):
    xe, xt = both("contiguous")
    run_both(lambda m, x: x[_key(m, name)], (xe,), (xt,), match=match)


def test_zero_dim_indexing():
    for key in (Ellipsis, None, True, False, (), (None, Ellipsis)):
        run_both(lambda m, x, k=key: x[k], (ember.tensor(2.5),), (torch.tensor(2.5),))
    run_both(lambda m, x: x[0], (ember.tensor(2.5),), (torch.tensor(2.5),),
             match="invalid index of a 0-dim tensor")
    xe = ember.tensor(2.5)
    xe[...] = 4.0
    assert xe.item() == 4.0
    xe[xe > 3] = 1.0
    assert xe.item() == 1.0


def test_views_share_version_and_memory():
    xe = ember.zeros(3, 4)
    row = xe[1]
    col = xe[:, 2]
    assert row._version == xe._version == 0
    row[:] = 5.0
    assert xe._version == row._version == col._version == 1
    assert col.tolist() == [0.0, 5.0, 0.0]
    xe[0, 0] = 1.0
    assert row._version == 2
    copy = xe[[0, 1]]
    copy.fill_(-1.0)
    assert xe[0, 0].item() == 1.0 and copy._base is None


def test_iteration_and_uint8_masks():
    xe = ember.arange(6).reshape(3, 2)
    assert [r.tolist() for r in xe] == [[0, 1], [2, 3], [4, 5]]
    with pytest.warns(UserWarning, match="uint8"):
        got = xe[ember.tensor([1, 0, 1], dtype=ember.uint8)]
    assert got.tolist() == [[0, 1], [4, 5]]


# ---------------------------------------------------------------------------- index ops
A = np.arange(12, dtype=np.float32).reshape(3, 4) - 5


def _t(m, data, dtype="int64"):
    return m.tensor(data, dtype=getattr(m, dtype))


OPS = {
    "index_select": lambda m, x: x.index_select(1, _t(m, [3, 0, 3])),
    "index_select_fn": lambda m, x: m.index_select(x, -2, _t(m, [2], "int32")),
    "index_select_0d": lambda m, x: x.index_select(0, _t(m, 1)),
    "index_select_oob": lambda m, x: x.index_select(0, _t(m, [3])),
    "index_select_float": lambda m, x: x.index_select(0, _t(m, [0], "float32")),
    "index_select_2d": lambda m, x: x.index_select(0, _t(m, [[0]])),
    "masked_select": lambda m, x: x.masked_select(x > 0),
    "masked_select_bcast": lambda m, x: m.masked_select(x, _t(m, [True, False, True, False],
                                                               "bool")),
    "masked_select_bad": lambda m, x: x.masked_select(x),
    "masked_fill": lambda m, x: x.masked_fill(x > 0, -1.5),
    "masked_fill_tensor": lambda m, x: m.masked_fill(x, x < 0, m.tensor(9.0)),
    "masked_fill_bcast": lambda m, x: x.masked_fill(_t(m, [[True], [False], [True]], "bool"), 0),
    "masked_fill_bad_mask": lambda m, x: x.masked_fill(x, 0),
    "masked_fill_bad_value": lambda m, x: x.masked_fill(x > 0, m.tensor([1.0, 2.0])),
    "masked_fill_int": lambda m, x: x.long().masked_fill(x > 0, 2.7),
    "masked_fill_": lambda m, x: x.masked_fill_(x > 0, 3),
    "gather": lambda m, x: x.gather(1, _t(m, [[0, 0], [1, 3], [2, 2]])),
    "gather_0": lambda m, x: m.gather(x, 0, _t(m, [[2, 1, 0, 0]])),
    "gather_oob": lambda m, x: x.gather(1, _t(m, [[4]])),
    "gather_neg": lambda m, x: x.gather(1, _t(m, [[-1]])),
    "gather_big": lambda m, x: x.gather(0, _t(m, [[0] * 5])),
    "gather_ndim": lambda m, x: x.gather(0, _t(m, [0])),
    "scatter_src": lambda m, x: x.scatter(1, _t(m, [[0, 1], [2, 3]]), -x),
    "scatter_value": lambda m, x: m.scatter(x, 0, _t(m, [[2, 1, 0]]), 7.0),
    "scatter_add_reduce": lambda m, x: x.scatter(1, _t(m, [[0, 0]]), -x, reduce="add"),
    "scatter_mul_reduce": lambda m, x: x.scatter(1, _t(m, [[0, 0]]), 2.0, reduce="multiply"),
    "scatter_bad_reduce": lambda m, x: x.scatter(1, _t(m, [[0]]), x, reduce="sum"),
    "scatter_dtype": lambda m, x: x.scatter(1, _t(m, [[0]]), x.long()),
    "scatter_oob": lambda m, x: x.scatter(0, _t(m, [[3]]), 1.0),
    "scatter_": lambda m, x: x.scatter_(1, _t(m, [[3], [2], [1]]), 0.5),
    "scatter_add": lambda m, x: x.scatter_add(0, _t(m, [[0, 0, 1, 2], [0, 0, 0, 0]]), x),
    "scatter_add_": lambda m, x: x.scatter_add_(1, _t(m, [[1, 1, 1]]), x.clone()),
    "scatter_reduce_sum": lambda m, x: x.scatter_reduce(0, _t(m, [[0, 0, 1, 1]]), x, "sum"),
    "scatter_reduce_prod": lambda m, x: x.scatter_reduce(1, _t(m, [[0, 0], [1, 1]]), x, "prod"),
    "scatter_reduce_amax": lambda m, x: x.scatter_reduce(1, _t(m, [[3, 3, 3]]), x, "amax"),
    "scatter_reduce_amin_ex": lambda m, x: x.scatter_reduce(1, _t(m, [[3, 3, 3]]), x, "amin",
                                                            include_self=False),
    "scatter_reduce_mean": lambda m, x: x.scatter_reduce(0, _t(m, [[0, 0], [0, 1]]), x, "mean"),
    "scatter_reduce_mean_ex": lambda m, x: x.scatter_reduce(0, _t(m, [[0, 0], [0, 1]]), x,
                                                            "mean", include_self=False),
    "scatter_reduce_mean_int": lambda m, x: x.long().scatter_reduce(
        0, _t(m, [[0, 0], [0, 1]]), x.long() * 3, "mean"),
    "scatter_reduce_sum_ex": lambda m, x: x.scatter_reduce(0, _t(m, [[2, 2]]), x, "sum",
                                                           include_self=False),
    "scatter_reduce_bad": lambda m, x: x.scatter_reduce(0, _t(m, [[0]]), x, "maximum"),
    "scatter_reduce_max": lambda m, x: x.scatter_reduce(0, _t(m, [[2, 0]]), -x, "max"),
    "index_add": lambda m, x: x.index_add(0, _t(m, [2, 0, 2]), m.ones(3, 4)),
    "index_add_alpha": lambda m, x: m.index_add(x, 1, _t(m, [1]), x[:, :1], alpha=2),
    "index_add_oob": lambda m, x: x.index_add(0, _t(m, [3]), m.ones(1, 4)),
    "index_add_count": lambda m, x: x.index_add(0, _t(m, [0]), m.ones(2, 4)),
    "index_add_dtype": lambda m, x: x.index_add(0, _t(m, [0]), m.ones(1, 4, dtype=m.int64)),
    "index_add_": lambda m, x: x.index_add_(1, _t(m, [0, 0]), m.ones(3, 2)),
    "index_copy": lambda m, x: x.index_copy(1, _t(m, [3, 1]), -x[:, :2]),
    "index_copy_oob": lambda m, x: x.index_copy(0, _t(m, [3]), m.ones(1, 4)),
    "index_copy_count": lambda m, x: x.index_copy(0, _t(m, [0]), m.ones(2, 4)),
    "index_copy_": lambda m, x: x.index_copy_(0, _t(m, [1]), m.zeros(1, 4)),
    "index_fill": lambda m, x: x.index_fill(1, _t(m, [0, 2]), -3.0),
    "index_fill_tensor": lambda m, x: m.index_fill(x, 0, _t(m, [1]), m.tensor(4.0)),
    "index_fill_oob": lambda m, x: x.index_fill(0, _t(m, [5]), 1.0),
    "index_fill_": lambda m, x: x.index_fill_(0, _t(m, [2, 0]), 8),
    "index_put": lambda m, x: x.index_put((_t(m, [0, 2]), _t(m, [1, 1])), m.tensor(5.0)),
    "index_put_acc": lambda m, x: m.index_put(x, (_t(m, [0, 0, 0]),), m.ones(4),
                                              accumulate=True),
    "index_put_none": lambda m, x: x.index_put((None, _t(m, [1, 3])), m.tensor([1.0, 2.0])),
    "index_put_mask": lambda m, x: x.index_put((x > 0,), m.tensor(0.0)),
    "index_put_dtype": lambda m, x: x.index_put((_t(m, [0]),), m.tensor(1)),
    "index_put_": lambda m, x: x.index_put_((_t(m, [1]), _t(m, [1])), m.tensor(-9.0),
                                            accumulate=True),
    "put_": lambda m, x: x.put_(_t(m, [0, -1, 5]), m.tensor([1.0, 2.0, 3.0])),
    "put_acc": lambda m, x: x.put_(_t(m, [1, 1]), m.tensor([1.0, 2.0]), accumulate=True),
    "put": lambda m, x: m.put(x, _t(m, [[0, 11]]), m.tensor([[1.0, 2.0]])),
    "put_oob": lambda m, x: x.put_(_t(m, [12]), m.tensor([1.0])),
    "take": lambda m, x: x.take(_t(m, [[0, -1], [5, 5]])),
    "take_0d": lambda m, x: m.take(x, _t(m, 3)),
    "take_oob": lambda m, x: x.take(_t(m, [12])),
    "take_along_dim": lambda m, x: m.take_along_dim(x, x.argsort(1), 1),
    "take_along_dim_bcast": lambda m, x: m.take_along_dim(x, _t(m, [[0, 1]]), 1),
    "take_along_dim_none": lambda m, x: x.take_along_dim(_t(m, [0, 11])),
    "nonzero": lambda m, x: x.nonzero(),
    "nonzero_tuple": lambda m, x: m.nonzero(x > 0, as_tuple=True),
    "argwhere": lambda m, x: m.argwhere(x),
    "count_nonzero": lambda m, x: m.count_nonzero(x),
    "count_nonzero_dim": lambda m, x: x.count_nonzero(dim=1),
    "count_nonzero_dims": lambda m, x: x.count_nonzero((0, 1)),
    "where_one_arg": lambda m, x: m.where(x > 0),
}


@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
@pytest.mark.parametrize("op", sorted(OPS))
def test_index_ops_match_torch(op, layout):
    def build(m):
        x = m.tensor(A)
        return x if layout == "contiguous" else x.t().contiguous().t()

    xe, xt = build(ember), build(torch)
    got, expected = run_both(OPS[op], (xe,), (xt,))
    if expected is not None and op.endswith("_") and not isinstance(expected, tuple):
        assert got is xe  # in-place ops return self with the new values
        check(xe, xt)


@pytest.mark.parametrize("value", [2.5, -1.0])
def test_zero_dim_index_ops(value):
    for fn in (lambda m, x: x.nonzero(), lambda m, x: m.nonzero(x, as_tuple=True),
               lambda m, x: x.masked_select(x > 0), lambda m, x: x.take(_t(m, 0)),
               lambda m, x: x.gather(0, _t(m, 0)), lambda m, x: x.index_select(0, _t(m, [0])),
               lambda m, x: x.masked_fill(x > 0, 0.0), lambda m, x: x.count_nonzero()):
        run_both(fn, (ember.tensor(value),), (torch.tensor(value),))


def test_inplace_methods_registered():
    from ember._ops._registry import OPS as REGISTRY

    for name in ("index_select", "masked_select", "masked_fill", "gather", "scatter",
                 "scatter_add", "scatter_reduce", "index_add", "index_copy", "index_fill",
                 "index_put", "put", "take", "take_along_dim", "nonzero", "argwhere",
                 "count_nonzero"):
        assert name in REGISTRY and hasattr(ember, name), name
    for meth in ("masked_fill_", "scatter_", "scatter_add_", "scatter_reduce_", "index_add_",
                 "index_copy_", "index_fill_", "index_put_", "put_", "__getitem__",
                 "__setitem__"):
        assert hasattr(ember.Tensor, meth), meth


def test_leaf_requiring_grad_refuses_setitem():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[0] = 2.0


# ---------------------------------------------------------------------------- reference backend
REF_KEYS = ["int", "neg_int", "slices", "ellipsis_int", "none_many", "true_mid", "list",
            "tensor_2d", "mask_2d", "mask_mid", "adv_bcast", "adv_slice_adv", "int_slice_adv",
            "adv_none_adv", "int_oob", "mask_bad", "adv_mismatch"]


class _OnRef:
    tensor = staticmethod(lambda data, **kw: ember.tensor(data, device="ref", **kw))
    int64, int32, bool, float32 = ember.int64, ember.int32, ember.bool, ember.float32


@pytest.mark.parametrize("kind", ["contiguous", "transposed", "sliced"])
@pytest.mark.parametrize("name", REF_KEYS)
def test_reference_backend_indexing_matches_numpy_backend(name, kind):
    xn = INPUTS[kind](ember)
    xr = INPUTS[kind](_OnRef)
    try:
        expected = xn[_key(ember, name)]
    except Exception as exc:  # noqa: BLE001
        with pytest.raises(type(exc)):
            xr[_key(_OnRef, name)]
        return
    got = xr[_key(_OnRef, name)]
    assert got.device.type == "ref"
    assert got.shape == expected.shape and got.tolist() == expected.tolist()
    if expected._base is not None and expected.numel():
        assert got.stride() == expected.stride()
    xn[_key(ember, name)] = -2.0
    xr[_key(_OnRef, name)] = -2.0
    assert xr.tolist() == xn.tolist()


REF_OPS = ["index_select", "masked_select", "masked_fill_bcast", "gather", "scatter_src",
           "scatter_add", "scatter_reduce_amax", "scatter_reduce_mean_ex", "index_add",
           "index_copy", "index_fill", "index_put_acc", "index_put_mask", "put_", "take",
           "take_along_dim_bcast", "nonzero", "nonzero_tuple", "count_nonzero_dim",
           "gather_oob", "index_select_oob"]


class _RefModule:
    """``ember`` with creation functions placing tensors on the reference backend."""

    def __getattr__(self, name):
        fn = getattr(ember, name)
        if name in ("tensor", "ones", "zeros"):
            return lambda *a, **kw: fn(*a, device="ref", **kw)
        return fn


@pytest.mark.parametrize("op", REF_OPS)
def test_reference_backend_index_ops_match_numpy_backend(op):
    fn = OPS[op]
    ref = _RefModule()
    xn, xr = ember.tensor(A), ember.tensor(A, device="ref")
    try:
        expected = fn(ember, xn)
    except Exception as exc:  # noqa: BLE001
        with pytest.raises(type(exc)):
            fn(ref, xr)
        return
    got = fn(ref, xr)
    for g, x in zip(got if isinstance(got, tuple) else (got,),
                    expected if isinstance(expected, tuple) else (expected,)):
        assert g.device.type == "ref" and g.dtype == x.dtype
        assert g.shape == x.shape and g.tolist() == x.tolist()
