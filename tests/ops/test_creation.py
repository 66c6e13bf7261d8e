"""Creation functions and conversions against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")


def _same(e, t):
    assert e.dtype.name == str(t.dtype).split(".")[1]
    assert tuple(e.shape) == tuple(t.shape)
    kind = complex if e.is_complex() else float
    np.testing.assert_allclose(np.asarray(e.tolist(), dtype=kind),
                               np.asarray(t.tolist(), dtype=kind), rtol=1e-6)


@pytest.mark.parametrize("data", [
    [1, 2, 3], [1.0, 2.0], [True, False], [[1, 2], [3, 4]], 3, 3.14, True, [], [[]],
    [1, 2.5], [True, 2], [[1.5], [2]], 1 + 2j, [1, 2j], (1, 2),
])
def test_tensor_infers_dtype_like_torch(data):
    _same(ember.tensor(data), torch.tensor(data))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64", "int8", "uint8",
                                   "int16", "int32", "int64", "bool", "complex64"])
def test_tensor_with_dtype(dtype):
    data = [0, 1.7, -2.2, 3] if dtype != "uint8" else [0, 1.7, 2.2, 3]
    e = ember.tensor(data, dtype=getattr(ember, dtype))
    t = torch.tensor(data, dtype=getattr(torch, dtype))
    assert e.dtype.name == dtype
    np.testing.assert_allclose(np.asarray(e.tolist(), dtype=complex),
                               np.asarray(t.tolist(), dtype=complex))


def test_ragged_data_raises():
    with pytest.raises(ValueError, match="expected sequence of length 2 at dim 1 \\(got 3\\)"):
        ember.tensor([[1, 2], [3, 4, 5]])


@pytest.mark.parametrize("call", [
    "zeros(2, 3)", "zeros((2, 3))", "ones([4])", "ones(2, dtype={m}.int32)", "full((2, 2), 7)",
    "full((2,), 7.5)", "full((1,), True)", "eye(3)", "eye(2, 4)", "arange(5)", "arange(1, 4)",
    "arange(0, 10, 3)", "arange(0, 1, 0.25)", "arange(5, dtype={m}.float64)",
    "arange(10, 0, -3)", "linspace(0, 1, 5)", "linspace(-1, 1, 7)", "linspace(0, 10, 1)",
    "linspace(3, 3, 0)", "logspace(0, 2, 3)", "empty(2, 0).shape and {m}.zeros(2, 0)",
    "zeros_like({m}.ones(2, 3, dtype={m}.int16))", "ones_like({m}.zeros(2))",
    "full_like({m}.zeros(2, dtype={m}.int64), 3)", "zeros(0)",
])
def test_creation_matches_torch(call):
    e = eval("ember." + call.format(m="ember"), {"ember": ember})
    t = eval("torch." + call.format(m="torch"), {"torch": torch})
    _same(e, t)


def test_linspace_values_bitwise_match_torch():
    e = ember.linspace(-3.3, 7.1, 13)
    t = torch.linspace(-3.3, 7.1, 13)
    assert e.tolist() == t.tolist()


def test_range_is_inclusive_and_deprecated():
    with pytest.warns(UserWarning, match="deprecated"):
        e = ember.range(1, 4)
    assert e.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert e.dtype is ember.float32


def test_arange_errors():
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        ember.arange(0, 5, 0)
    with pytest.raises(RuntimeError, match="upper bound and larger bound inconsistent"):
        ember.arange(0, 5, -1)


def test_negative_size_raises():
    with pytest.raises(RuntimeError, match="negative dimension"):
        ember.zeros(2, -1)


def test_legacy_constructors():
    assert ember.Tensor(5, 3).shape == (5, 3)
    assert ember.Tensor(5, 3).dtype is ember.float32
    assert ember.Tensor([5, 3]).tolist() == [5.0, 3.0]
    assert ember.Tensor([3]).tolist() == [3.0]
    assert ember.FloatTensor([1, 2]).dtype is ember.float32
    assert ember.LongTensor([1, 2]).dtype is ember.int64
    assert ember.Tensor().shape == (0,)


def test_from_numpy_shares_memory_both_ways():
    a = np.array([[1, 2, 3], [4, 5, 6]])
    t = ember.from_numpy(a)
    assert t.dtype is ember.int64
    t[0, 0] = 99
    assert a[0, 0] == 99
    a[1, 2] = -1
    assert t[1, 2].item() == -1
    back = t.numpy()
    back[0, 1] = 7
    assert a[0, 1] == 7
    copy = t.clone().numpy()
    copy[0, 0] = 0
    assert a[0, 0] == 99


def test_from_numpy_rejects_unsupported_and_negative_strides():
    with pytest.raises(TypeError, match="can't convert np.ndarray of type numpy.uint16"):
        ember.from_numpy(np.zeros(2, dtype=np.uint16))
    with pytest.raises(ValueError, match="negative"):
        ember.from_numpy(np.arange(4)[::-1])


def test_as_tensor_shares_numpy_memory():
    a = np.ones(3, dtype=np.float32)
    t = ember.as_tensor(a)
    a[0] = 5
    assert t[0].item() == 5.0
    t2 = ember.tensor(a)
    a[1] = 9
    assert t2[1].item() == 1.0


def test_numpy_errors():
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        ember.ones(2, requires_grad=True).numpy()
    with pytest.raises(TypeError, match="can't convert ref device type tensor to numpy"):
        ember.ones(2, device="ref").numpy()


def test_item_and_tolist():
    assert ember.tensor(3.5).item() == 3.5
    assert ember.tensor([[7]]).item() == 7
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted"):
        ember.tensor([1, 2]).item()
    assert ember.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert isinstance(ember.tensor([True]).tolist()[0], bool)


def test_dtype_conversion_methods():
    t = ember.tensor([1.7, -2.2])
    assert t.int().tolist() == [1, -2]
    assert t.long().dtype is ember.int64
    assert t.double().dtype is ember.float64
    assert t.half().dtype is ember.float16
    assert t.bool().tolist() == [True, True]
    assert t.short().dtype is ember.int16
    assert t.type() == "ember.FloatTensor"
    assert t.type(ember.float64).dtype is ember.float64
    assert t.type("torch.LongTensor").dtype is ember.int64
    assert t.type_as(ember.tensor([1])).dtype is ember.int64
    assert t.to(ember.float32) is t


def test_to_device_and_back():
    t = ember.tensor([[1.5, 2.5]])
    r = t.to("ref")
    assert r.device == ember.device("ref")
    assert r.tolist() == [[1.5, 2.5]]
    assert r.cpu().device.type == "cpu"
    assert r.to("cpu", ember.int64).tolist() == [[1, 2]]
    assert t.cpu() is t


def test_attributes():
    t = ember.zeros(2, 3, 4)
    assert t.dim() == 3 and t.ndim == 3
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.numel() == 24
    assert t.shape == ember.Size([2, 3, 4])
    assert repr(t.shape) == "ember.Size([2, 3, 4])"
    assert t.device == ember.device("cpu")
    assert t.is_leaf and not t.requires_grad and t.grad_fn is None
    assert t.layout is ember.strided
    assert t.stride() == (12, 4, 1)
    assert t.element_size() == 4
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.size(3)


def test_requires_grad_only_for_floating():
    with pytest.raises(RuntimeError, match="floating point and complex dtype"):
        ember.tensor([1, 2], requires_grad=True)
    assert ember.tensor([1.0], requires_grad=True).requires_grad


def test_finfo_iinfo():
    assert ember.finfo(ember.float32).eps == torch.finfo(torch.float32).eps
    assert ember.finfo(ember.float16).max == torch.finfo(torch.float16).max
    assert ember.iinfo(ember.int8).min == -128
    assert ember.iinfo(ember.uint8).max == 255
