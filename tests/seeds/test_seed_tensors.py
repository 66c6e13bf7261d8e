"""The tensor snippets of shared/seeds/000 (sections 3.1-3.5) run with ``import ember as
torch`` and print what the seed shows (module names aside: ``ember.`` where the seed
prints ``torch.``; random values aside)."""

from __future__ import annotations

import numpy as np
import pytest

import ember as torch

# (statement run before, expression printed, what the seed shows after "#")
CASES = [
    ("", "torch.tensor(3.14)", "tensor(3.1400)"),
    ("", "torch.tensor(3.14).dim()", "0"),
    ("", "torch.tensor([1, 2, 3, 4, 5])", "tensor([1, 2, 3, 4, 5])"),
    ("", "torch.tensor([1, 2, 3, 4, 5]).shape", "ember.Size([5])"),
    ("", "torch.tensor([[1, 2, 3], [4, 5, 6]])", "tensor([[1, 2, 3],\n        [4, 5, 6]])"),
    ("", "torch.randn(2, 3, 4).shape", "ember.Size([2, 3, 4])"),
    ("", "torch.zeros(3, 4)", "tensor([[0., 0., 0., 0.],\n        [0., 0., 0., 0.],\n"
                              "        [0., 0., 0., 0.]])"),
    ("", "torch.ones(2, 3)", "tensor([[1., 1., 1.],\n        [1., 1., 1.]])"),
    ("", "torch.full((2, 3), 7.0)", "tensor([[7., 7., 7.],\n        [7., 7., 7.]])"),
    ("", "torch.eye(4)", "tensor([[1., 0., 0., 0.],\n        [0., 1., 0., 0.],\n"
                         "        [0., 0., 1., 0.],\n        [0., 0., 0., 1.]])"),
    ("", "torch.arange(10)", "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"),
    ("", "torch.arange(1, 10)", "tensor([1, 2, 3, 4, 5, 6, 7, 8, 9])"),
    ("", "torch.arange(0, 10, 2)", "tensor([0, 2, 4, 6, 8])"),
    ("", "torch.linspace(0, 1, 5)", "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])"),
    ("x = torch.randn(3, 4, 5)", "x.shape", "ember.Size([3, 4, 5])"),
    ("x = torch.randn(3, 4, 5)", "x.size()", "ember.Size([3, 4, 5])"),
    ("x = torch.randn(3, 4, 5)", "x.dim()", "3"),
    ("x = torch.randn(3, 4, 5)", "x.dtype", "ember.float32"),
    ("x = torch.randn(3, 4, 5)", "x.device", "cpu"),
    ("x = torch.randn(3, 4, 5)", "x.numel()", "60"),
    ("x = torch.randn(3, 4, 5)", "x.layout", "ember.strided"),
    ("a = torch.tensor([1, 2, 3], dtype=torch.float32)", "a.to(torch.int32).dtype",
     "ember.int32"),
    ("a = torch.tensor([1, 2, 3], dtype=torch.float32)", "a.int().dtype", "ember.int32"),
    ("", "torch.float32 == np.float32", "True"),
    ("", "torch.int64 == np.int64", "True"),
    ("x = torch.arange(12).reshape(3, 4)", "x",
     "tensor([[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]])"),
    ("x = torch.arange(12).reshape(3, 4)", "x[0]", "tensor([0, 1, 2, 3])"),
    ("x = torch.arange(12).reshape(3, 4)", "x[1, 2]", "tensor(6)"),
    ("x = torch.arange(12).reshape(3, 4)", "x[-1, -1]", "tensor(11)"),
    ("x = torch.arange(12).reshape(3, 4)", "x[:, 0]", "tensor([0, 4, 8])"),
    ("x = torch.arange(12).reshape(3, 4)", "x[1:, :2]", "tensor([[4, 5],\n        [8, 9]])"),
    ("x = torch.arange(12).reshape(3, 4)", "x[::2, ::2]",
     "tensor([[ 0,  2],\n        [ 8, 10]])"),
    ("x = torch.arange(12).reshape(3, 4)", "x > 5",
     "tensor([[False, False, False, False],\n        [False, False,  True,  True],\n"
     "        [ True,  True,  True,  True]])"),
    ("x = torch.arange(12).reshape(3, 4)", "x[x > 5]", "tensor([ 6,  7,  8,  9, 10, 11])"),
    ("x = torch.arange(12)", "x.view(3, 4).flatten().shape", "ember.Size([12])"),
    ("a = torch.randn(1, 3, 1, 4)", "torch.squeeze(a).shape", "ember.Size([3, 4])"),
    ("a = torch.randn(1, 3, 1, 4)", "torch.squeeze(a, dim=0).shape", "ember.Size([3, 1, 4])"),
    ("a = torch.randn(1, 3, 1, 4)", "torch.unsqueeze(torch.squeeze(a), dim=0).shape",
     "ember.Size([1, 3, 4])"),
    ("x = torch.randn(3, 4)", "x.T.shape", "ember.Size([4, 3])"),
    ("x = torch.randn(2, 3, 4, 5)", "x.permute(2, 0, 3, 1).shape", "ember.Size([4, 2, 5, 3])"),
    ("x = torch.tensor([1, 2, 3])", "x.repeat(3)", "tensor([1, 2, 3, 1, 2, 3, 1, 2, 3])"),
    ("x = torch.tensor([1, 2, 3])", "x.repeat(2, 1)", "tensor([[1, 2, 3],\n        [1, 2, 3]])"),
    ("a, b = torch.randn(2, 3), torch.randn(2, 3)", "torch.cat([a, b], dim=0).shape",
     "ember.Size([4, 3])"),
    ("a, b = torch.randn(2, 3), torch.randn(2, 3)", "torch.cat([a, b], dim=1).shape",
     "ember.Size([2, 6])"),
    ("a, b = torch.randn(2, 3), torch.randn(2, 3)", "torch.stack([a, b], dim=0).shape",
     "ember.Size([2, 2, 3])"),
    ("x = torch.randn(8, 4)", "[s.shape for s in torch.split(x, [2, 3, 3], dim=0)]",
     "[ember.Size([2, 4]), ember.Size([3, 4]), ember.Size([3, 4])]"),
    ("x = torch.randn(8, 4)", "[c.shape for c in torch.chunk(x, 4, dim=0)]",
     "[ember.Size([2, 4]), ember.Size([2, 4]), ember.Size([2, 4]), ember.Size([2, 4])]"),
    ("a = torch.tensor([1.0, 2.0, 3.0, 4.0])", "a + 1", "tensor([2., 3., 4., 5.])"),
    ("a = torch.tensor([1.0, 2.0, 3.0, 4.0])", "a - 1", "tensor([0., 1., 2., 3.])"),
    ("a = torch.tensor([1.0, 2.0, 3.0, 4.0])", "a * 2", "tensor([2., 4., 6., 8.])"),
    ("a = torch.tensor([1.0, 2.0, 3.0, 4.0])", "a / 2", "tensor([0.5000, 1.0000, 1.5000, 2.0000])"),
    ("a = torch.tensor([1.0, 2.0, 3.0, 4.0])", "a ** 2", "tensor([ 1.,  4.,  9., 16.])"),
    ("a, b = torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([4, 2, 2, 5])", "a > b",
     "tensor([False, False,  True, False])"),
    ("a, b = torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([4, 2, 2, 5])", "a == b",
     "tensor([False,  True, False, False])"),
    ("x = torch.tensor([0, 30, 60, 90]) * np.pi / 180", "torch.sin(x)",
     "tensor([0.0000, 0.5000, 0.8660, 1.0000])"),
    ("A, B = torch.randn(3, 4), torch.randn(4, 5)", "torch.mm(A, B).shape", "ember.Size([3, 5])"),
    ("A, B = torch.randn(3, 4), torch.randn(4, 5)", "(A @ B).shape", "ember.Size([3, 5])"),
    ("A, B = torch.randn(10, 3, 4), torch.randn(10, 4, 5)", "torch.bmm(A, B).shape",
     "ember.Size([10, 3, 5])"),
    ("", "torch.dot(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([4.0, 5.0, 6.0]))",
     "tensor(32.)"),
    ("x = torch.tensor([3.0, 4.0])", "torch.norm(x)", "tensor(5.)"),
    ("x = torch.tensor([3.0, 4.0])", "torch.norm(x, p=1)", "tensor(7.)"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.sum(a)", "tensor(21)"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.sum(a, dim=0)", "tensor([5, 7, 9])"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.sum(a, dim=1)", "tensor([ 6, 15])"),
    ("a = torch.tensor([[1., 2, 3], [4, 5, 6]])", "torch.mean(a)", "tensor(3.5000)"),
    ("a = torch.tensor([[1., 2, 3], [4, 5, 6]])", "torch.mean(a, dim=0)",
     "tensor([2.5000, 3.5000, 4.5000])"),
    ("a = torch.tensor([[1., 2, 3], [4, 5, 6]])", "torch.std(a)", "tensor(1.8708)"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.min(a)", "tensor(1)"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.max(a)", "tensor(6)"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.argmin(a)", "tensor(0)"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.argmax(a)", "tensor(5)"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.max(a, dim=1)[0]", "tensor([3, 6])"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.max(a, dim=1)[1]", "tensor([2, 2])"),
    ("a = torch.tensor([[1, 2, 3], [4, 5, 6]])", "torch.cumsum(a, dim=0)",
     "tensor([[1, 2, 3],\n        [5, 7, 9]])"),
    ("images = torch.randn(4, 3, 8, 8)",
     "(images - torch.mean(images, dim=[2, 3]).reshape(4, 3, 1, 1)).shape",
     "ember.Size([4, 3, 8, 8])"),
]


@pytest.mark.parametrize("setup,expr,shown", CASES, ids=[c[1] for c in CASES])
def test_seed_000_tensor_snippets(setup, expr, shown):
    ns = {"torch": torch, "np": np}
    exec(setup, ns)
    assert str(eval(expr, ns)) == shown


def test_seed_000_from_numpy_shares_memory():
    np_array = np.array([[1, 2, 3], [4, 5, 6]])
    torch_tensor = torch.from_numpy(np_array)
    assert str(torch_tensor) == "tensor([[1, 2, 3],\n        [4, 5, 6]])"
    back_to_np = torch_tensor.numpy()
    assert str(back_to_np) == "[[1 2 3]\n [4 5 6]]"
    torch_tensor[0, 0] = 99
    assert np_array[0, 0] == 99
