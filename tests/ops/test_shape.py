"""Shape ops against PyTorch: values, dtypes, shapes, strides, view semantics and errors."""

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
    """Same type of result, dtype, shape and values (exactly: shape ops do not round)."""
    if isinstance(expected, tuple | list):
        assert isinstance(got, tuple | list), type(got)
        assert len(got) == len(expected)
        for g, x in zip(got, expected):
            check(g, x)
        return
    if not isinstance(expected, torch.Tensor):
        assert got == expected
        return
    assert isinstance(got, ember.Tensor), type(got)
    assert _dtype_name(got) == _dtype_name(expected)
    assert tuple(got.shape) == tuple(expected.shape)
    g = np.array(got.tolist(), dtype=np.float64 if got.is_floating_point() else None)
    x = np.array(expected.tolist(), dtype=np.float64 if expected.is_floating_point() else None)
    np.testing.assert_array_equal(g.reshape(x.shape), x)


def run_both(fn, e_args, t_args, match: str | None = None):
    """Run ``fn(module, *args)`` in both frameworks: same result, or the same exception
    type (and, when ``match`` is given, a message containing it)."""
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


BASE = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 7.5

# name -> how to build the input from a fresh copy of the data in module m
INPUTS = {
    "contiguous": lambda m: m.tensor(BASE),
    "transposed": lambda m: m.tensor(BASE).transpose(0, 2),
    "sliced": lambda m: m.tensor(BASE)[:, ::2, 1:],
    "int64": lambda m: m.tensor(BASE.astype(np.int64)),
    "bool": lambda m: m.tensor(BASE > 0),
    "zero_d": lambda m: m.tensor(3.5),
    "vector": lambda m: m.tensor(BASE[0, 0]),
    "matrix_t": lambda m: m.tensor(BASE[0]).t(),
    "empty": lambda m: m.zeros(0, 3),
    "size_one": lambda m: m.tensor(BASE[:1, :, :1]),
}


def both(kind):
    return INPUTS[kind](ember), INPUTS[kind](torch)


# ops applied to every input: (id, fn(m, x))
SHAPE_OPS = {
    "reshape_-1": lambda m, x: x.reshape(-1),
    "reshape_2,-1": lambda m, x: x.reshape(2, -1),
    "reshape_fn": lambda m, x: m.reshape(x, (-1, 2)),
    "view_-1": lambda m, x: x.view(-1),
    "view_3,-1": lambda m, x: x.view(3, -1),
    "view_-1,-1": lambda m, x: x.view(-1, -1),
    "view_bad": lambda m, x: x.view(5, 5),
    "view_as": lambda m, x: x.view_as(m.zeros(x.numel())),
    "reshape_as": lambda m, x: x.reshape_as(m.zeros(1, x.numel())),
    "ravel": lambda m, x: m.ravel(x),
    "contiguous": lambda m, x: x.contiguous(),
    "flatten": lambda m, x: x.flatten(),
    "flatten_1": lambda m, x: m.flatten(x, 1),
    "flatten_0_-2": lambda m, x: x.flatten(0, -2),
    "flatten_bad": lambda m, x: x.flatten(1, 0),
    "unflatten": lambda m, x: x.unflatten(0, (1, -1)),
    "unflatten_bad": lambda m, x: x.unflatten(-1, (5, 7)),
    "squeeze": lambda m, x: x.squeeze(),
    "squeeze_0": lambda m, x: x.squeeze(0),
    "squeeze_-1": lambda m, x: m.squeeze(x, -1),
    "squeeze_tuple": lambda m, x: x.squeeze((0, -1)),
    "unsqueeze_0": lambda m, x: x.unsqueeze(0),
    "unsqueeze_-1": lambda m, x: m.unsqueeze(x, -1),
    "unsqueeze_1": lambda m, x: x.unsqueeze(1),
    "unsqueeze_bad": lambda m, x: x.unsqueeze(7),
    "transpose": lambda m, x: x.transpose(0, -1),
    "transpose_fn": lambda m, x: m.transpose(x, -1, 0),
    "swapaxes": lambda m, x: m.swapaxes(x, 0, 1),
    "swapdims": lambda m, x: x.swapdims(0, -1),
    "t": lambda m, x: x.t(),
    "T": lambda m, x: x.T,
    "mT": lambda m, x: x.mT,
    "mH": lambda m, x: x.mH,
    "H": lambda m, x: x.H,
    "adjoint": lambda m, x: x.adjoint(),
    "permute_rev": lambda m, x: x.permute(*range(x.dim() - 1, -1, -1)),
    "permute_tuple": lambda m, x: m.permute(x, tuple(range(x.dim()))[::-1]),
    "permute_short": lambda m, x: x.permute(0),
    "permute_dup": lambda m, x: x.permute(0, 0, 1),
    "movedim": lambda m, x: x.movedim(0, -1),
    "movedim_tuple": lambda m, x: m.movedim(x, (0, 1), (-1, 0)),
    "moveaxis": lambda m, x: m.moveaxis(x, -1, 0),
    "expand": lambda m, x: x.expand(2, *x.shape),
    "expand_-1": lambda m, x: x.unsqueeze(0).expand(3, *([-1] * x.dim())),
    "expand_bad": lambda m, x: x.expand(9, 9, 9, 9),
    "expand_short": lambda m, x: x.expand(2),
    "broadcast_to": lambda m, x: m.broadcast_to(x, (2,) + tuple(x.shape)),
    "expand_as": lambda m, x: x.unsqueeze(0).expand_as(m.zeros(2, *x.shape)),
    "repeat": lambda m, x: x.repeat(*([2] * x.dim())),
    "repeat_more": lambda m, x: x.repeat(2, *([1] * x.dim())),
    "repeat_few": lambda m, x: x.repeat(2, 2) if x.dim() > 2 else x.repeat(*[1] * x.dim(), 2)[:0],
    "tile": lambda m, x: m.tile(x, (2,)),
    "repeat_interleave": lambda m, x: x.repeat_interleave(2),
    "repeat_interleave_dim": lambda m, x: m.repeat_interleave(x, 3, dim=-1),
    "flip_0": lambda m, x: x.flip(0),
    "flip_all": lambda m, x: m.flip(x, tuple(range(x.dim()))),
    "flip_dup": lambda m, x: m.flip(x, (0, 0)),
    "fliplr": lambda m, x: m.fliplr(x),
    "flipud": lambda m, x: x.flipud(),
    "roll_flat": lambda m, x: x.roll(3),
    "roll_dim": lambda m, x: m.roll(x, -1, 0),
    "roll_multi": lambda m, x: x.roll((1, 2), (0, -1)),
    "roll_bad": lambda m, x: x.roll((1, 2), 0),
    "split_2": lambda m, x: x.split(2),
    "split_list": lambda m, x: m.split(x, [1, x.shape[0] - 1]) if x.dim() else x.split(1),
    "split_bad": lambda m, x: x.split([1, 1, 1, 1, 1]),
    "split_-1": lambda m, x: x.split(3, -1),
    "tensor_split_3": lambda m, x: x.tensor_split(3),
    "tensor_split_idx": lambda m, x: m.tensor_split(x, [1, 5], dim=-1),
    "chunk_2": lambda m, x: x.chunk(2),
    "chunk_3_-1": lambda m, x: m.chunk(x, 3, -1),
    "chunk_0": lambda m, x: x.chunk(0),
    "unbind": lambda m, x: x.unbind(),
    "unbind_-1": lambda m, x: m.unbind(x, -1),
    "narrow": lambda m, x: x.narrow(-1, 1, 2),
    "narrow_neg": lambda m, x: m.narrow(x, 0, -1, 1),
    "narrow_bad": lambda m, x: x.narrow(0, 1, 9),
    "select": lambda m, x: x.select(0, -1),
    "select_bad": lambda m, x: m.select(x, 0, 9),
    "diagonal": lambda m, x: x.diagonal(),
    "diagonal_off": lambda m, x: m.diagonal(x, 1, -1, 0),
    "diagonal_neg": lambda m, x: x.diagonal(-1),
    "diagonal_same": lambda m, x: x.diagonal(0, 0, 0),
    "tril": lambda m, x: x.tril(),
    "triu_1": lambda m, x: m.triu(x, 1),
    "tril_-1": lambda m, x: m.tril(x, -1),
    "diag": lambda m, x: x.diag(),
    "diag_1": lambda m, x: m.diag(x, 1),
    "diag_-2": lambda m, x: m.diag(x, -2),
    "diag_embed": lambda m, x: x.diag_embed(),
    "diag_embed_off": lambda m, x: m.diag_embed(x, -1, 0, 2),
    "trace": lambda m, x: x.trace(),
    "atleast_1d": lambda m, x: m.atleast_1d(x),
    "atleast_2d": lambda m, x: m.atleast_2d(x),
    "atleast_3d": lambda m, x: m.atleast_3d(x),
    "clone": lambda m, x: m.clone(x),
}


@pytest.mark.parametrize("kind", sorted(INPUTS))
@pytest.mark.parametrize("op", sorted(SHAPE_OPS))
def test_shape_op_matches_torch(op, kind):
    xe, xt = both(kind)
    run_both(SHAPE_OPS[op], (xe,), (xt,))


VIEW_OPS = [
    "reshape_-1", "view_-1", "view_3,-1", "flatten", "flatten_1", "unflatten", "squeeze",
    "squeeze_0", "unsqueeze_0", "unsqueeze_-1", "unsqueeze_1", "transpose", "t", "mT",
    "permute_rev", "movedim", "expand", "expand_as", "split_2", "chunk_2", "unbind", "narrow",
    "select", "diagonal", "diagonal_off", "diagonal_neg", "atleast_3d", "tensor_split_3",
]


def _first(r):
    return r[0] if isinstance(r, tuple | list) else r


@pytest.mark.parametrize("kind", ["contiguous", "transposed", "sliced", "int64", "vector",
                                  "matrix_t", "size_one", "zero_d", "empty"])
@pytest.mark.parametrize("op", VIEW_OPS)
def test_views_share_memory_strides_and_version(op, kind):
    xe, xt = both(kind)
    got, expected = run_both(SHAPE_OPS[op], (xe,), (xt,))
    if expected is None:
        return
    if isinstance(got, tuple) and not got:
        return
    ve, vt = _first(got), _first(expected)
    assert (ve._base is not None) == (vt._base is not None)  # a view exactly when torch's is
    if vt._base is None:
        return  # e.g. reshape of a non-viewable layout copies
    assert ve.is_contiguous() == vt.is_contiguous()
    if ve.numel() == 0:
        return  # NumPy reports zero strides and offsets for empty arrays
    assert ve.stride() == vt.stride()
    assert ve.storage_offset() - xe.storage_offset() == vt.storage_offset() - xt.storage_offset()
    if 0 in vt.stride():
        return  # nothing to write, or an expanded view (PyTorch refuses overlapping writes)
    before = xe._version
    ve.fill_(42)
    vt.fill_(42)
    check(xe, xt)  # the write went through to the base
    assert xe._version == ve._version == before + 1


@pytest.mark.parametrize("shape,new", [
    ((2, 3, 4), (6, 4)), ((2, 3, 4), (2, 12)), ((4, 1, 6), (2, 2, 6)), ((1, 3, 1), (3,)),
    ((2, 0, 3), (0, 5)), ((), (1, 1)), ((5,), (1, 5, 1)),
])
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "strided"])
def test_view_follows_torch_compute_stride(shape, new, layout):
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)

    def build(m):
        x = m.tensor(a)
        if layout == "transposed" and x.dim() >= 2:
            x = x.transpose(0, 1).contiguous().transpose(0, 1)
        if layout == "strided" and x.dim() >= 1:
            x = m.cat([x, x], -1)[..., ::2] if x.shape[-1] else x
        return x

    xe, xt = build(ember), build(torch)
    sized = xt.numel() > 0  # NumPy reports zero strides for empty arrays
    assert xe.stride() == xt.stride() or not sized
    assert xe.is_contiguous() == xt.is_contiguous()
    got, expected = run_both(lambda m, x: x.view(new), (xe,), (xt,), match="view")
    if expected is not None:
        assert got.stride() == expected.stride() or not sized
    got, expected = run_both(lambda m, x: x.reshape(new), (xe,), (xt,))
    assert got.stride() == expected.stride() or not sized
    assert (got._base is not None) == (expected._base is not None)


@pytest.mark.parametrize("bad,match", [
    (lambda m, x: x.view(2, 5), "shape '[2, 5]' is invalid for input of size 6"),
    (lambda m, x: x.view(-1, -1), "only one dimension can be inferred"),
    (lambda m, x: x.t().view(6), "view size is not compatible with input tensor's size and "
                                 "stride"),
    (lambda m, x: x.expand(2, 4), "The expanded size of the tensor (4) must match the existing "
                                  "size (3) at non-singleton dimension 1.  Target sizes: [2, 4]."
                                  "  Tensor sizes: [2, 3]"),
    (lambda m, x: x.expand(-1, 2, 3), "isn't allowed in a leading, non-existing dimension 0"),
    (lambda m, x: x.t().t().t().permute(1), "input.dim() = 2 is not equal to len(dims) = 1"),
    (lambda m, x: x.unsqueeze(0).t(), "t() expects a tensor with <= 2 dimensions, but self is 3D"),
    (lambda m, x: x.repeat(2), "Number of dimensions of repeat dims can not be smaller"),
    (lambda m, x: x.flatten(1, 0), "start_dim cannot come after end_dim"),
    (lambda m, x: x.narrow(1, 2, 2), "start (2) + length (2) exceeds dimension size (3)."),
    (lambda m, x: x.select(1, 3), "index 3 out of range for tensor of size [2, 3] at dimension 1"),
    (lambda m, x: x.split([1, 2]), "split_with_sizes expects split_sizes to sum exactly to 2"),
    (lambda m, x: x.movedim((0, 1), (0,)), "should contain the same number of dims as destination"),
    (lambda m, x: x.unflatten(1, (2, 2)), "don't multiply up to the size of dim 1 (3)"),
    (lambda m, x: x.diag_embed(0, 1, -2), "diagonal dimensions cannot be identical 1, -2"),
    (lambda m, x: x[0].tril(), "tril: input tensor must have at least 2 dimensions"),
    (lambda m, x: x.unsqueeze(0).diag(), "diag(): Supports 1D or 2D tensors. Got 3D"),
    (lambda m, x: x[0].trace(), "trace: expected a matrix, but got tensor with dim 1"),
    (lambda m, x: x[0].mT, "tensor.mT is only supported on matrices or batches of matrices. "
                           "Got 1-D tensor."),
    (lambda m, x: x.roll((1, 1), (0,)), "shifts and dimensions must align. shifts: 2, dims:1"),
    (lambda m, x: x.chunk(-1), "chunk expects `chunks` to be greater than 0, got: -1"),
    (lambda m, x: x.repeat_interleave(-1), "Repeats must be non-negative"),
    (lambda m, x: x.squeeze(2), "Dimension out of range (expected to be in range of [-2, 1], "
                                "but got 2)"),
    (lambda m, x: m.broadcast_shapes((2, 3), (4,)), "Attempting to broadcast a dimension of "
                                                    "length 4 at -1!"),
])
def test_errors_match_torch(bad, match):
    a = np.arange(6.0).reshape(2, 3)
    run_both(bad, (ember.tensor(a),), (torch.tensor(a),), match=match)


# ---------------------------------------------------------------------------- joining
def _pairs(*arrays):
    return [ember.tensor(a) for a in arrays], [torch.tensor(a) for a in arrays]


JOIN_CASES = {
    "same": [np.ones((2, 3), np.float32), np.zeros((2, 3), np.float32)],
    "mixed_dtypes": [np.ones((2, 3), np.int32), np.full((2, 3), 2.5, np.float64),
                     np.ones((2, 3), bool)],
    "int_bool": [np.ones((2, 3), np.uint8), np.ones((2, 3), np.int8)],
    "legacy_empty": [np.zeros(0, np.float32), np.ones((2, 3), np.int64)],
    "vectors": [np.arange(3), np.arange(3, 6)],
    "scalars": [np.array(1.0), np.array(2.0)],
    "mismatch": [np.ones((2, 3)), np.ones((3, 3))],
    "ndim_mismatch": [np.ones((2, 3)), np.ones(3)],
    "one": [np.arange(6).reshape(2, 3)],
    "empty_rows": [np.ones((0, 3)), np.ones((2, 3))],
}
JOIN_OPS = {
    "cat": lambda m, ts: m.cat(ts),
    "cat_1": lambda m, ts: m.cat(ts, dim=1),
    "cat_-1": lambda m, ts: m.cat(tuple(ts), -1),
    "concat": lambda m, ts: m.concat(ts, 0),
    "concatenate": lambda m, ts: m.concatenate(ts, axis=-1),
    "stack": lambda m, ts: m.stack(ts),
    "stack_-1": lambda m, ts: m.stack(ts, -1),
    "stack_1": lambda m, ts: m.stack(ts, dim=1),
    "hstack": lambda m, ts: m.hstack(ts),
    "vstack": lambda m, ts: m.vstack(ts),
    "dstack": lambda m, ts: m.dstack(ts),
    "column_stack": lambda m, ts: m.column_stack(ts),
    "broadcast_tensors": lambda m, ts: m.broadcast_tensors(*ts),
    "meshgrid_ij": lambda m, ts: m.meshgrid(*[t.flatten() for t in ts], indexing="ij"),
    "meshgrid_xy": lambda m, ts: m.meshgrid([t.flatten() for t in ts], indexing="xy"),
    "atleast_2d_many": lambda m, ts: m.atleast_2d(*ts),
}


@pytest.mark.parametrize("case", sorted(JOIN_CASES))
@pytest.mark.parametrize("op", sorted(JOIN_OPS))
def test_join_ops_match_torch(op, case):
    es, ts = _pairs(*JOIN_CASES[case])
    run_both(lambda m, xs: JOIN_OPS[op](m, xs), (es,), (ts,))


def test_cat_errors_and_messages():
    es, ts = _pairs(np.ones((2, 2)), np.ones((2, 3)))
    run_both(lambda m, xs: m.cat(xs), (es,), (ts,),
             match="Sizes of tensors must match except in dimension 0. Expected size 2 but got "
                   "size 3 for tensor number 1 in the list.")
    run_both(lambda m: m.cat([]), (), (), match="torch.cat(): expected a non-empty list of "
                                                "Tensors")
    run_both(lambda m, xs: m.cat([xs[0], 1]), (es,), (ts,), match="expected Tensor as element 1")
    es, ts = _pairs(np.array(1.0))
    run_both(lambda m, xs: m.cat(xs), (es,), (ts,), match="zero-dimensional tensor (at "
                                                          "position 0) cannot be concatenated")
    es, ts = _pairs(np.ones((2, 3)), np.ones((3, 2)))
    run_both(lambda m, xs: m.stack(xs), (es,), (ts,),
             match="stack expects each tensor to be equal size, but got [2, 3] at entry 0 and "
                   "[3, 2] at entry 1")


def test_cat_out_and_meshgrid_views():
    a, b = np.arange(3.0), np.arange(4.0)
    out_e, out_t = ember.empty(7), torch.empty(7)
    ember.cat([ember.tensor(a), ember.tensor(b)], out=out_e)
    torch.cat([torch.tensor(a), torch.tensor(b)], out=out_t)
    check(out_e, out_t)
    xe = ember.tensor(a)
    ge, _ = ember.meshgrid(xe, ember.tensor(b), indexing="ij")
    assert ge.stride() == torch.meshgrid(torch.tensor(a), torch.tensor(b),
                                         indexing="ij")[0].stride()
    xe[0] = 10.0
    assert ge[0, 0].item() == 10.0  # the grid is a view of its input
    with pytest.warns(UserWarning, match="indexing argument"):
        ember.meshgrid(xe, xe)


def test_broadcast_shapes_and_split_views():
    assert ember.broadcast_shapes((2, 1), (3,), 1) == torch.broadcast_shapes((2, 1), (3,), 1)
    assert isinstance(ember.broadcast_shapes((2, 1)), ember.Size)
    xe = ember.arange(10.0)
    parts = xe.split([3, 7])
    parts[1][0] = -1.0
    assert xe[3].item() == -1.0
    assert parts[1].storage_offset() == 3


def test_repeat_interleave_tensor_repeats():
    x = np.arange(6).reshape(2, 3)
    for fn in (lambda m, t: m.repeat_interleave(t, m.tensor([1, 2]), dim=0),
               lambda m, t: t.repeat_interleave(m.tensor([0, 1, 3]), dim=1),
               lambda m, t: t.repeat_interleave(m.tensor([2])),
               lambda m, t: m.repeat_interleave(m.tensor([1, 0, 2])),
               lambda m, t: t.repeat_interleave(m.tensor([1, 2, 3]), dim=0),
               lambda m, t: t.repeat_interleave(m.tensor([1, -1]), dim=0)):
        run_both(fn, (ember.tensor(x),), (torch.tensor(x),))


def test_transpose_property_warns_like_torch():
    x = ember.zeros(2, 3, 4)
    with pytest.warns(UserWarning, match="x.T"):
        assert x.T.shape == (4, 3, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ember.zeros(2, 3).T.shape == (3, 2)


def test_complex_H_conjugates():
    a = np.array([[1 + 2j, 3 - 1j], [0.5j, 2]], dtype=np.complex64)
    run_both(lambda m, x: x.H, (ember.tensor(a),), (torch.tensor(a),))
    run_both(lambda m, x: x.mH, (ember.tensor(a),), (torch.tensor(a),))


def test_ops_are_registered():
    from ember._ops._registry import OPS

    for name in ("reshape", "flatten", "squeeze", "unsqueeze", "transpose", "permute", "cat",
                 "stack", "split", "chunk", "repeat_interleave", "flip", "roll", "tril", "triu",
                 "diag", "diagonal", "diag_embed", "meshgrid", "narrow", "select", "movedim",
                 "broadcast_to", "tensor_split", "unbind", "atleast_2d", "clone"):
        assert name in OPS, name
        assert hasattr(ember, name), name
    for meth in ("view", "view_as", "expand", "expand_as", "repeat", "contiguous",
                 "is_contiguous", "reshape_as", "swapaxes", "moveaxis", "tril_", "triu_",
                 "squeeze_", "unsqueeze_", "t_", "transpose_"):
        assert hasattr(ember.Tensor, meth), meth


@pytest.mark.parametrize("fn", [lambda x: x.squeeze_(), lambda x: x.unsqueeze_(1),
                                lambda x: x.t_(), lambda x: x.transpose_(0, 1),
                                lambda x: x.tril_(), lambda x: x.triu_(1)])
def test_inplace_shape_methods(fn):
    a = np.arange(6.0).reshape(2, 3, 1)[..., 0]
    xe, xt = ember.tensor(a), torch.tensor(a)
    assert fn(xe) is xe
    fn(xt)
    check(xe, xt)
    assert xe.stride() == xt.stride()


# ---------------------------------------------------------------------------- reference backend
class _OnRef:
    """Creation functions placing tensors on the reference backend."""

    tensor = staticmethod(lambda data, **kw: ember.tensor(data, device="ref", **kw))
    zeros = staticmethod(lambda *size, **kw: ember.zeros(*size, device="ref", **kw))


REF_OPS = ["reshape_2,-1", "view_3,-1", "flatten_1", "squeeze", "unsqueeze_1", "transpose", "T",
           "permute_rev", "movedim_tuple", "expand", "repeat", "repeat_interleave_dim", "flip_all",
           "roll_multi", "split_2", "chunk_3_-1", "unbind_-1", "narrow", "select", "diagonal_off",
           "tril", "triu_1", "diag_embed", "atleast_3d", "view_bad", "expand_bad", "tile"]


@pytest.mark.parametrize("kind", ["contiguous", "transposed", "sliced", "int64", "zero_d",
                                  "empty"])
@pytest.mark.parametrize("op", REF_OPS)
def test_reference_backend_matches_numpy_backend(op, kind):
    fn = SHAPE_OPS[op]
    xn = INPUTS[kind](ember)
    xr = INPUTS[kind](_OnRef)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = fn(ember, xn)
        except Exception as exc:  # noqa: BLE001
            with pytest.raises(type(exc)):
                fn(ember, xr)
            return
        got = fn(ember, xr)
    for g, x in zip(got if isinstance(got, tuple) else (got,),
                    expected if isinstance(expected, tuple) else (expected,)):
        assert g.device.type == "ref"
        assert g.dtype == x.dtype and g.shape == x.shape
        assert g.tolist() == x.tolist()
        if g._base is not None and g.numel():
            assert g.stride() == x.stride()
            assert g.is_contiguous() == x.is_contiguous()


def test_reference_backend_cat_and_views():
    a = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    xr = ember.tensor(a, device="ref")
    v = xr.t()[1:, ::2]
    v.fill_(0.0)
    xn = ember.tensor(a)
    xn.t()[1:, ::2].fill_(0.0)
    assert xr.tolist() == xn.tolist()
    c = ember.cat([xr, xr.to(ember.int64)], 1)
    assert c.dtype == ember.float32 and c.shape == (3, 8) and c.device.type == "ref"
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        ember.cat([xr, xn])
