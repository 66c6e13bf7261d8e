"""Gradients of indexing ops against PyTorch 2.13: ``t[key]`` (basic and advanced keys),
``t[key] = v``, index_put, index_select/add/copy/fill, gather, scatter*, masked_*, take,
put and their in-place forms on non-leaf tensors -- grad_fn names, first-order gradients of
a weighted sum, and second-order gradients for a representative subset, on float64.
Repeated indices must accumulate.
"""

from __future__ import annotations

import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

from _grad_oracle import check  # noqa: E402

S, S3 = (3, 4), (3, 4, 5)
KEYS = ["[0]", "[-1]", "[:]", "[:, :]", "[0, :]", "[:, 0]", "[1:, :]", "[:, 1:3]", "[::2, 1:]",
        "[...]", "[..., 0]", "[None]", "[None, 0]", "[0, None]", "[..., None]", "[0, 1, 2]",
        "[-1, ..., -2]", "[True]", "[False]", "[0, True]", "[[0, 0, 2]]", "[0, [1, 1, 3]]",
        "[:, [0, 1], 1:]", "[1:, [0, 0]]", "[[0, 1], :, [2, 2]]", "[[[0], [2]], [1, 1]]",
        "[m.tensor(1)]", "[m.tensor([0, 2, 2])]", "[a > 0]", "[:, a[0, :, 0] > 0]",
        "[m.tensor([], dtype=m.int64)]", "[[0, 2], None, [1, 1]]", "[m.tensor(1), [0, 0]]"]


@pytest.mark.parametrize("key", KEYS)
def test_getitem_matches_torch(key):
    check(lambda m, a: eval("(a * a)" + key, {"m": m, "a": a}), S3, second=True)


def test_getitem_of_transposed_input():
    check(lambda m, a: a.t()[[0, 0, 3], 1:], S)
    check(lambda m, a: a.t()[1:, 2], S)


def _assign(key, value):
    def fn(m, a, v):
        y = a * 1
        exec(f"y{key} = {value}", {"m": m, "y": y, "v": v})
        return y * y

    return fn


SETS = [("[0]", "v"), ("[:, 1]", "v[:3]"), ("[..., 1:3]", "v[:2]"), ("[1:]", "v.unsqueeze(0)"),
        ("[0]", "3.0"), ("[[0, 2]]", "v"), ("[[0, 0]]", "v"), ("[0, [1, 1]]", "v[:2] * 2"),
        ("[y > 0]", "2.0"), ("[[1]]", "v.reshape(1, 1, 4)"), ("[m.tensor([], dtype=m.int64)]",
                                                             "v")]


@pytest.mark.parametrize("key,value", SETS)
def test_setitem_on_non_leaf_matches_torch(key, value):
    check(_assign(key, value), S, (4,), second=True)


def _idx(m, *rows):
    return m.tensor(list(rows))


IDX = [[0, 1, 2, 0], [2, 0, 1, 1]]
CASES = {
    "index_put": (lambda m, a, v: m.index_put(a * a, (_idx(m, 0, 0, 2),), v), [S, (4,)], True),
    "index_put-accumulate": (lambda m, a, v: (a * a).index_put(
        (_idx(m, 0, 0, 2), _idx(m, 1, 1, 3)), v[:3] * v[:3], accumulate=True), [S, (4,)], True),
    "index_select": (lambda m, a: (a * a).index_select(-1, _idx(m, 3, 0, 0, 3)), [S], True),
    "index_select-T": (lambda m, a: a.t().index_select(0, _idx(m, 1, 1)), [S], False),
    "index_select-empty": (lambda m, a: a.index_select(0, m.tensor([], dtype=m.int64)), [S],
                           False),
    "gather": (lambda m, a: (a * a).gather(1, m.tensor([[0, 0], [3, 3], [1, 0]])), [S], True),
    "gather-T-neg": (lambda m, a: a.t().gather(-2, m.tensor([[0, 0, 2], [1, 1, 1]])), [S],
                     False),
    "take_along_dim": (lambda m, a: m.take_along_dim(a * a, m.tensor([[0], [3], [3]]), 1), [S],
                       True),
    "take_along_dim-flat": (lambda m, a: m.take_along_dim(a, _idx(m, 0, 0, 5)), [S], False),
    "scatter": (lambda m, a, c: (a * a).scatter(0, m.tensor(IDX), c * c), [S, (2, 4)], True),
    "scatter-value": (lambda m, a: a.scatter(1, m.tensor([[0], [3], [1]]), 1.5), [S], False),
    "scatter_add": (lambda m, a, c: (a * a).scatter_add(0, m.tensor(IDX), c * c), [S, (2, 4)],
                    True),
    "index_add": (lambda m, a, b: (a * a).index_add(0, _idx(m, 0, 0, 2), b * b, alpha=2),
                  [S, S], True),
    "index_copy": (lambda m, a, b: a.index_copy(0, _idx(m, 2, 0, 1), b), [S, S], False),
    "index_fill": (lambda m, a: a.index_fill(1, _idx(m, 0, 3), 2.0), [S], False),
    "index_fill-tensor": (lambda m, a, v: (a * a).index_fill(1, _idx(m, 0, 3, 3), (v * v)[0]),
                          [S, (4,)], True),
    "masked_fill": (lambda m, a: (a * a).masked_fill(a > 0, 2.0), [S], True),
    "masked_fill-tensor": (lambda m, a, v: a.masked_fill(a > 0, (v * v)[1]), [S, (4,)], True),
    "masked_fill-broadcast": (lambda m, a, v: v.masked_fill(a > 0, 1.0), [S, (4,)], False),
    "masked_select": (lambda m, a: (a * a).masked_select(a > 0), [S], True),
    "masked_select-broadcast": (lambda m, a, v: v.masked_select(a > 0), [S, (4,)], False),
    "masked_scatter": (lambda m, a, b: (a * a).masked_scatter(a > 0, b * b), [S, S], True),
    "take": (lambda m, a: (a * a).take(m.tensor([[0, 0], [11, -1]])), [S], True),
    "take-T": (lambda m, a: a.t().take(_idx(m, 0, 1, 1)), [S], False),
    "put": (lambda m, a, v: (a * a).put(_idx(m, 0, 5, 11), v[:3] * v[:3]), [S, (4,)], True),
    "put-accumulate": (lambda m, a, v: a.put(_idx(m, 0, 0, 11), v[:3], accumulate=True),
                       [S, (4,)], False),
}
for _red in ("sum", "prod", "mean", "amax", "amin"):
    for _inc in (True, False):
        CASES[f"scatter_reduce-{_red}-{_inc}"] = (
            lambda m, a, c, r=_red, inc=_inc: (a * a).scatter_reduce(
                0, m.tensor(IDX), c * c, r, include_self=inc), [S, (2, 4)], _red in ("sum",
                                                                                    "prod", "mean"))


@pytest.mark.parametrize("name", CASES)
def test_gradients_match_torch(name):
    fn, shapes, second = CASES[name]
    check(fn, *shapes, second=second)


def test_scatter_reduce_prod_with_zeros_matches_torch():
    def fn(m, a, c):
        zx = m.tensor([[1.0, 0, 1, 1], [1, 1, 1, 1], [1, 1, 1, 0]], dtype=m.float64)
        zs = m.tensor([[0.0, 1, 1, 1], [1, 0, 1, 0]], dtype=m.float64)
        return (a * zx).scatter_reduce(0, m.tensor(IDX), c * zs, "prod")

    check(fn, S, (2, 4))


def _in_place(name, *args):
    def fn(m, a, b):
        y = a * 1
        getattr(y, name)(*(eval(x, {"m": m, "b": b}) if isinstance(x, str) else x for x in args))
        return y * y

    return fn


INPLACE = {
    "index_add_": ("index_add_", 0, "m.tensor([0, 0, 1])", "b * 1"),
    "index_copy_": ("index_copy_", 0, "m.tensor([2, 0, 1])", "b * 1"),
    "index_fill_": ("index_fill_", 1, "m.tensor([0, 2])", 3.0),
    "scatter_": ("scatter_", 0, "m.tensor([[0, 1, 2, 0]])", "b[:1] * 1"),
    "scatter_add_": ("scatter_add_", 0, "m.tensor([[0, 1, 2, 0]])", "b[:1] * 1"),
    "scatter_reduce_-amax": ("scatter_reduce_", 0, "m.tensor([[0, 1, 2, 0]])", "b[:1] * 1",
                             "'amax'"),
    "scatter_reduce_-prod": ("scatter_reduce_", 0, "m.tensor([[0, 1, 2, 0]])", "b[:1] * 1",
                             "'prod'"),
    "masked_fill_": ("masked_fill_", "b > 0", 3.0),
    "masked_scatter_": ("masked_scatter_", "b > 0", "b * b"),
    "put_": ("put_", "m.tensor([1, 1, 3])", "b[0, :3] * 1", True),
    "index_put_": ("index_put_", "(m.tensor([0, 2]), m.tensor([1, 3]))", "b[0, :2] * 1"),
}


@pytest.mark.parametrize("name", INPLACE)
def test_in_place_on_non_leaf_matches_torch(name):
    check(_in_place(*INPLACE[name]), S, S, second=True)


@pytest.mark.parametrize("name", ["index_put-accumulate", "index_select", "gather", "scatter",
                                  "scatter_add", "masked_select", "take", "put"])
def test_reference_backend_gradients_match_torch(name):
    fn, shapes, second = CASES[name]
    check(fn, *shapes, second=second, device="ref")


def test_reference_backend_getitem_and_setitem():
    check(lambda m, a: (a * a)[[0, 0, 2], 1:], S3, second=True, device="ref")
    check(_assign("[[0, 0]]", "v"), S, (4,), second=True, device="ref")


def test_in_place_on_leaf_requiring_grad_still_raises():
    x = ember.zeros(3, requires_grad=True)
    ops = [lambda: x.__setitem__(0, 1.0), lambda: x.index_put_((ember.tensor([0]),),
                                                                ember.ones(1)),
           lambda: x.put_(ember.tensor([0]), ember.ones(1)),
           lambda: x.masked_fill_(ember.tensor([True, False, False]), 1.0),
           lambda: x.scatter_(0, ember.tensor([0]), 1.0)]
    for op in ops:
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            op()


def test_setitem_with_grad_value_into_plain_tensor_records():
    v = ember.tensor([1.0, 2.0], requires_grad=True)
    y = ember.zeros(2, 2)
    y[1] = v * 3
    assert y.requires_grad and y.grad_fn.name() == "torch::autograd::CopySlices"
    (y * y).sum().backward()
    assert v.grad.tolist() == [18.0, 36.0]


def test_scatter_with_reduce_has_no_derivative_as_in_torch():
    x = ember.zeros(2, requires_grad=True)
    out = x.scatter(0, ember.tensor([0]), ember.ones(1), reduce="add")
    assert out.grad_fn.name() == "torch::autograd::NotImplemented"
    with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
        out.sum().backward()


def test_saved_values_are_version_checked():
    x = ember.tensor([1.0, 5.0], requires_grad=True)
    y = x * 1
    src = ember.tensor([3.0], requires_grad=True)
    out = y.scatter_reduce(0, ember.tensor([0]), src, "amax")
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_scatter_src_larger_than_index_gets_zero_padded_gradient():
    # PyTorch refuses this backward (shape mismatch); ember gives the exact gradient.
    src = ember.arange(6.0).reshape(2, 3).requires_grad_()
    out = ember.zeros(2, 3).scatter(0, ember.tensor([[1, 0]]), src)
    out.sum().backward()
    assert src.grad.tolist() == [[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]


def test_no_grad_and_integer_indices_record_nothing():
    x = ember.ones(3, 4, requires_grad=True)
    with ember.no_grad():
        outs = [x[0], x[[0, 0]], x.gather(0, ember.tensor([[0]])), x.masked_select(x > 0)]
    assert all(o.grad_fn is None for o in outs)
    for o in (x.nonzero(), ember.argwhere(x), ember.count_nonzero(x)):
        assert o.grad_fn is None and not o.requires_grad
