"""shared/seeds/000 ("PyTorch基础"), sections 3.2-3.5: the snippets test_seed_tensors.py leaves
out (random tensors, clone, the math functions, ``torch.max(a, dim=0)``, broadcasting), run as
written with ``import ember as torch``.

Random-dependent printouts are compared with PyTorch's for the same draws (NOTE [ Same random
numbers on both sides ] in _snippets.py).
"""

from __future__ import annotations

import warnings

import numpy as np
from _snippets import normalize, run, run_both, same_text

# --- 3.2-3.5, the snippets test_seed_tensors.py does not cover -------------------------------

RANDOM_TENSORS = """
torch.manual_seed(42)
uniform = torch.rand(3, 4)
print(uniform)
normal = torch.randn(3, 4)
print(normal)
integers = torch.randint(0, 10, (3, 4))
print(integers)
arr = torch.arange(10)
shuffled = arr[torch.randperm(len(arr))]
print(shuffled)
linear = torch.randn(512, 1024)
"""


def test_3_2_4_random_tensors(monkeypatch):
    # The seed's comment shows NumPy's RandomState(42).rand(3, 4), which neither PyTorch nor
    # Ember draws; what is checked is the form, the ranges and the printout given the draws.
    ns, out, _, torch_out = run_both(RANDOM_TENSORS, monkeypatch)
    same_text(out, torch_out)
    u = ns["uniform"].numpy()
    assert u.shape == (3, 4) and u.dtype == np.float32 and ((u >= 0) & (u < 1)).all()
    i = ns["integers"].numpy()
    assert i.dtype == np.int64 and ((i >= 0) & (i <= 9)).all()
    assert sorted(ns["shuffled"].tolist()) == list(range(10))
    assert ns["linear"].shape == (512, 1024)
    # The seed fixes the generator: the same seed gives the same numbers.
    ns2, out2 = run(RANDOM_TENSORS)
    assert out2 == out


def test_3_2_1_clone_does_not_share_memory():
    _, out = run("""
    np_array = np.array([[1, 2, 3], [4, 5, 6]])
    torch_tensor = torch.from_numpy(np_array)
    copy_tensor = torch_tensor.clone().numpy()
    copy_tensor[0, 0] = -1
    print(np_array[0, 0], torch_tensor[0, 0])
    """)
    assert out == "1 tensor(1)\n"


def test_3_5_1_math_functions():
    src = """
    x = torch.tensor([0, 30, 60, 90]) * np.pi / 180
    print(torch.sin(x)) # 正弦
    print(torch.cos(x)) # 余弦
    print(torch.exp(x)) # 指数
    print(torch.log(x)) # 自然对数
    print(torch.sqrt(x)) # 平方根
    """
    _, out = run(src)
    _, torch_out = run(src, "torch")
    same_text(out, torch_out)
    assert out.splitlines()[3] == "tensor([   -inf, -0.6470,  0.0461,  0.4516])"


def test_3_5_1_log_of_zero_is_silent():
    run("torch.log(torch.ones(1))")  # the backend exists before the filters are set
    for lib in ("torch", "ember"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _, out = run("print(torch.log(torch.tensor([0.0, 1.0])))", lib)
        assert out == "tensor([-inf, 0.])\n"
        assert [str(w.message) for w in caught] == [], lib


def test_3_5_2_matmul_broadcasts():
    ns, _ = run("""
    A = torch.randn(10, 3, 4)
    B = torch.randn(10, 4, 5)
    C = torch.bmm(A, B)
    D = torch.matmul(A, B)
    E = torch.matmul(A, B[0])
    """)
    np.testing.assert_allclose(ns["D"].numpy(), ns["C"].numpy(), rtol=1e-6)
    np.testing.assert_allclose(ns["E"].numpy(), ns["A"].numpy() @ ns["B"].numpy()[0],
                               rtol=1e-5, atol=1e-6)


def test_3_5_3_max_along_dim_prints_return_type():
    src = """
    a = torch.tensor([[1, 2, 3],
    [4, 5, 6]])
    print(torch.max(a, dim=0)) # 返回(values, indices)
    """
    _, out = run(src)
    _, torch_out = run(src, "torch")
    same_text(out, torch_out)
    assert normalize(out) == ("torch.return_types.max(\nvalues=tensor([4, 5, 6]),\n"
                              "indices=tensor([1, 1, 1]))\n")


def test_3_5_4_broadcasting():
    # The seed's images are 32x3x224x224; 4x3x8x8 has the same broadcasting (kept fast).
    ns, out = run("""
    a = torch.randn(3, 4)
    b = torch.randn(4)
    c = a + b # b被广播到(3,4)
    a2 = torch.randn(3, 4)
    b2 = torch.randn(3, 1) # (3,1)广播到(3,4)
    c2 = a2 + b2
    images = torch.randn(4, 3, 8, 8)
    mean = torch.mean(images, dim=[2, 3])
    mean = mean.reshape(4, 3, 1, 1)
    normalized = images - mean
    print(normalized.shape)
    """)
    np.testing.assert_allclose(ns["c"].numpy(), ns["a"].numpy() + ns["b"].numpy())
    np.testing.assert_allclose(ns["c2"].numpy(), ns["a2"].numpy() + ns["b2"].numpy())
    assert out == "ember.Size([4, 3, 8, 8])\n"
    np.testing.assert_allclose(ns["normalized"].numpy().mean(axis=(2, 3)), 0, atol=1e-6)
