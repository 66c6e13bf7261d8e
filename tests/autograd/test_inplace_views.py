"""In-place writes under autograd: through views (CopySlices), copy_, in-place ops that need
their old values, and the leaf errors -- gradients and node names against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

X = [[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]]
Y = [10.0, -20.0]
W = [[0.5, 1.0, -1.5], [2.0, -0.25, 3.0]]

PROGRAMS = {
    "mul_ on a column view": "v = b[:, 1]; v.mul_(y)",
    "add_ on a row view": "b[0].add_(y.sum())",
    "relu_ on a narrow view": "b.narrow(1, 0, 2).relu_()",
    "setitem of a row": "b[1] = x[0] * y[0]",
    "copy_ into a view": "b[:, 2].copy_(y * 3)",
    "two writes into views": "b[0].mul_(2); b[:, 0].add_(y)",
    "write then read the view": "v = b[1]; v.mul_(y[1]); b = b + v.sum()",
    "in-place on a transposed view": "b.t()[0].sub_(y.sum())",
}


def _run(lib, program):
    x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
    y = lib.tensor(Y, dtype=lib.float64, requires_grad=True)
    w = lib.tensor(W, dtype=lib.float64)
    scope = {"x": x, "y": y, "b": x * 2}
    exec(program, {}, scope)
    b = scope["b"]
    (b * w).sum().backward()
    return b, x.grad, y.grad


@pytest.mark.parametrize("name", PROGRAMS)
def test_inplace_through_views_matches_torch(name):
    eb, egx, egy = _run(ember, PROGRAMS[name])
    tb, tgx, tgy = _run(torch, PROGRAMS[name])
    np.testing.assert_allclose(eb.tolist(), tb.tolist(), rtol=1e-12)
    np.testing.assert_allclose(egx.tolist(), tgx.tolist(), rtol=1e-12)
    if tgy is None:
        assert egy is None
    else:
        np.testing.assert_allclose(egy.tolist(), tgy.tolist(), rtol=1e-12)


def test_node_names_match_torch():
    for lib in (ember, torch):
        b = lib.tensor(X, requires_grad=True) * 2
        v = b[:, 1]
        v.mul_(3.0)
        assert str(b.grad_fn).startswith("<CopySlices")
        assert v.grad_fn.name() == "AsStridedBackward0"
        z = lib.zeros(3)
        z.copy_(lib.ones(3, requires_grad=True))
        assert z.grad_fn.name() == "torch::autograd::CopyBackwards"


def test_copy_gradient_is_summed_over_broadcast_and_cast():
    w = ember.tensor([1.0, 2.0], dtype=ember.float64, requires_grad=True)
    z = ember.zeros(3, 2)
    z.copy_(w)
    assert z.dtype == ember.float32
    z.sum().backward()
    assert w.grad.tolist() == [3.0, 3.0] and w.grad.dtype == ember.float64


def test_inplace_on_a_view_of_a_leaf_raises_like_torch():
    for lib in (ember, torch):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            a[0:1].mul_(2)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            a.mul_(2)
    with ember.no_grad():  # allowed without grad mode, as in PyTorch
        a = ember.tensor([1.0, 2.0], requires_grad=True)
        a[0:1].mul_(2)
        assert a.tolist() == [2.0, 2.0]


def test_a_saved_view_invalidated_by_a_write_through_its_base_is_detected():
    for lib in (ember, torch):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = lib.tensor(Y, dtype=lib.float64, requires_grad=True)
        b = x * 2
        b[1] = b[1] * y[0]  # mul saved the view b[1]; the write bumps its version
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            b.sum().backward()


def test_saved_tensor_modified_in_place_is_detected():
    for lib in (ember, torch):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = a.sin()
        c = b.exp()  # saves its output
        c.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            c.sum().backward()
