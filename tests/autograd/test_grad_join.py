"""Gradients of the join, split, repeat, reorder and triangle ops against PyTorch 2.13:
grad_fn names, first-order gradients of a weighted sum, and second-order gradients for a
representative subset (``autograd.grad(..., create_graph=True)`` twice), on float64.
"""

from __future__ import annotations

import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

from _grad_oracle import check  # noqa: E402

S = (3, 4)
CASES = {
    # name: (fn(lib, *leaves), leaf shapes, second order)
    "cat": (lambda m, a, b: m.cat([a * a, b], -1), [S, S], True),
    "cat-dim0-three": (lambda m, a, b: m.concat([a, b * b, a], 0), [S, S], True),
    "concatenate-axis": (lambda m, a, b: m.concatenate([a, b], axis=1), [S, S], False),
    "cat-legacy-empty": (lambda m, a, b: m.cat([a, m.tensor([], dtype=m.float64), b]), [S, S],
                         False),
    "cat-noncontig": (lambda m, a, b: m.cat([a.t(), b.t()], 1), [S, S], False),
    "stack": (lambda m, a, b: m.stack([a * a, b], 1), [S, S], True),
    "stack-neg": (lambda m, a, b: m.stack([a, b, a], -1), [S, S], False),
    "hstack": (lambda m, a, b: m.hstack([a, b]), [S, S], False),
    "hstack-1d": (lambda m, v, w: m.hstack([v, w]), [(4,), (2,)], False),
    "vstack": (lambda m, a, v: m.vstack([a, v]), [S, (4,)], False),
    "row_stack": (lambda m, a, b: m.row_stack([a, b]), [S, S], False),
    "dstack": (lambda m, a, b: m.dstack([a, b]), [S, S], False),
    "column_stack": (lambda m, a, v: m.column_stack([a.t(), v]), [S, (4,)], False),
    "split": (lambda m, a: m.split(a * a, 3, 1), [S], True),
    "split-sizes": (lambda m, a: a.split([1, 3], -1), [S], False),
    "split-one-used": (lambda m, a: a.split([1, 2], 0)[1], [S], False),
    "chunk": (lambda m, a: a.chunk(3, 1), [S], False),
    "tensor_split-sections": (lambda m, a: m.tensor_split(a, 3, 1), [S], False),
    "tensor_split-indices": (lambda m, a: m.tensor_split(a * a, [1, 3], 1), [S], True),
    "unbind": (lambda m, a: (a * a).unbind(1), [S], True),
    "unbind-one-used": (lambda m, a: m.unbind(a, -2)[2], [S], False),
    "flip": (lambda m, a: (a * a).flip(0, 1), [S], True),
    "flip-list": (lambda m, a: m.flip(a.t(), [0]), [S], False),
    "fliplr": (lambda m, a: m.fliplr(a), [S], False),
    "flipud": (lambda m, a: m.flipud(a), [S], False),
    "roll": (lambda m, a: (a * a).roll((1, -2), (0, 1)), [S], True),
    "roll-flat": (lambda m, a: a.t().roll(5), [S], False),
    "repeat": (lambda m, a: (a * a).repeat(2, 1, 3), [S], True),
    "repeat-zero": (lambda m, a: a.repeat(0, 2), [S], False),
    "tile": (lambda m, a: m.tile(a, (2,)), [S], False),
    "tile-more": (lambda m, a: a.t().tile((2, 1, 2)), [S], False),
    "repeat_interleave": (lambda m, a: (a * a).repeat_interleave(2), [S], True),
    "repeat_interleave-dim": (lambda m, a: a.repeat_interleave(3, dim=-1), [S], False),
    "repeat_interleave-tensor": (lambda m, a: a.repeat_interleave(m.tensor([1, 0, 2]), dim=0),
                                 [S], False),
    "tril": (lambda m, a: (a * a).tril(1), [S], True),
    "triu": (lambda m, a: m.triu(a, -1), [S], False),
    "tril-batched": (lambda m, a: a.tril(-1), [(2, 3, 4)], False),
    "diag-embed-1d": (lambda m, v: m.diag(v * v, 1), [(4,)], True),
    "diag-of-2d": (lambda m, a: m.diag(a * a, -1), [S], True),
    "diag_embed": (lambda m, a: m.diag_embed(a, 1, 0, 2), [S], False),
    "diag_embed-default": (lambda m, a: m.diag_embed(a * a), [S], True),
    "trace": (lambda m, a: m.trace(a * a), [S], True),
    "trace-T": (lambda m, a: a.t().trace(), [S], False),
    "meshgrid-ij": (lambda m, v, w: m.meshgrid(v, w, indexing="ij"), [(4,), (3,)], False),
    "meshgrid-xy": (lambda m, v, w: m.meshgrid(v * v, w, indexing="xy"), [(4,), (3,)], True),
    "atleast_3d": (lambda m, a: m.atleast_3d(a), [S], False),
    "clone": (lambda m, a: m.clone(a), [S], False),
}


@pytest.mark.parametrize("name", CASES)
def test_gradients_match_torch(name):
    fn, shapes, second = CASES[name]
    check(fn, *shapes, second=second)


@pytest.mark.parametrize("name", ["cat", "stack", "split", "unbind", "flip", "roll", "repeat",
                                  "repeat_interleave", "tril", "diag-of-2d", "trace"])
def test_reference_backend_gradients_match_torch(name):
    fn, shapes, second = CASES[name]
    check(fn, *shapes, second=second, device="ref")


def test_split_pieces_without_gradient_get_zeros():
    x = ember.arange(6.0, requires_grad=True)
    a, b, c = x.split(2)
    (b * 3).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 3.0, 3.0, 0.0, 0.0]
    assert a.grad_fn is b.grad_fn and a.grad_fn.name() == "SplitBackward0"


def test_no_grad_records_nothing():
    x = ember.ones(2, 3, requires_grad=True)
    with ember.no_grad():
        outs = [ember.cat([x, x]), x.flip(0), x.repeat(2, 1), x.tril(), *x.split(1)]
    assert all(o.grad_fn is None and not o.requires_grad for o in outs)


def test_integer_results_have_no_grad_fn():
    x = ember.tensor([[1, 2], [3, 4]])
    assert ember.cat([x, x]).grad_fn is None and x.flip(0).grad_fn is None


def test_in_place_triangle_on_non_leaf_records_its_node():
    x = ember.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 2
    y.tril_()
    assert y.grad_fn.name() == "TrilBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [[2.0, 0.0], [2.0, 2.0]]
