"""shared/seeds/001 ("深入浅出PyTorch"): its snippets, run as written with ``import ember as
torch``.

The seed shows its results as screenshots, so each printout is compared with what PyTorch
prints for the same code (random draws replayed from Ember's run, see NOTE [ Same random
numbers on both sides ] in _snippets.py). This file: tensor creation, operations and
math; test_seed_001_autograd.py: regression, the computation graph, autograd.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _snippets import (
    close_text,
    differential,
    normalize,
    run,
    run_both,
    same_text,
)

import ember

# --- 张量的创建 ---------------------------------------------------------------------------------


def test_tensor_from_ndarray_on_a_device():
    # The seed puts the tensor on 'cuda'; this machine has no GPU, so the device is the one
    # available (the snippet is otherwise unchanged).
    device = "cuda" if ember.cuda.is_available() else "cpu"
    src = f"""
    import numpy as np
    import torch
    arr = np.ones((3,3))
    print("ndarray的数据类型:",arr.dtype)
    t=torch.tensor(arr,device='{device}')
    print(t)
    """
    ns, out = run(src)
    assert out == ("ndarray的数据类型: float64\ntensor([[1., 1., 1.],\n        [1., 1., 1.],\n"
                   "        [1., 1., 1.]], dtype=torch.float64)\n").replace("torch.", "ember.")
    assert ns["t"].device.type == device


def test_tensor_on_cuda_as_written(torch):
    # The seed's line as written: on a machine without a GPU, an error on both libraries.
    src = "import numpy as np\nt = torch.tensor(np.ones((3, 3)), device='cuda')"
    if ember.cuda.is_available():
        ns, _ = run(src)
        assert ns["t"].device.type == "cuda"
        return
    with pytest.raises(RuntimeError, match="cuda"):
        run(src)
    if not torch.cuda.is_available():
        with pytest.raises((RuntimeError, AssertionError)):
            run(src, "torch")


def test_from_numpy_shares_memory():
    src = """
    import numpy as np
    import torch
    arr = np.array([[1,2,3],[4,5,6]])
    t=torch.from_numpy(arr)
    print("numpy array:",arr)
    print("tensor:",t)
    arr[0, 0] = 7
    print(t[0, 0])
    """
    _, out = run(src)
    _, torch_out = run(src, "torch")
    same_text(out, torch_out)
    assert out.endswith("tensor(7)\n")


def test_zeros_with_out():
    src = """
    import torch
    out_t = torch.tensor([1])
    t = torch.zeros((3,3),out=out_t)
    print(t,'\\n',out_t)
    print(id(t,),id(out_t),id(t)==id(out_t))
    """
    ns, out = run(src)
    _, torch_out = run(src, "torch")
    same_text(out.rsplit("\n", 2)[0], torch_out.rsplit("\n", 2)[0])
    assert out.endswith(" True\n")
    assert ns["t"] is ns["out_t"] and ns["t"].shape == (3, 3)


@pytest.mark.parametrize("src,shown", [
    ("t = torch.full((3,3),10)", "tensor([[10, 10, 10],\n        [10, 10, 10],\n"
                                 "        [10, 10, 10]])"),
    ("t = torch.arange(2,10,2)", "tensor([2, 4, 6, 8])"),
    ("t = torch.linspace(2,10,5)", "tensor([ 2.,  4.,  6.,  8., 10.])"),
])
def test_creation_by_value(src, shown):
    src = f"import torch\n{src}\nprint(t)\n"
    _, out = run(src)
    _, torch_out = run(src, "torch")
    same_text(out, torch_out)
    assert out == shown + "\n"


@pytest.mark.parametrize("mode", [
    # mean:张量 std:张量
    """
    mean = torch.arange(1,5,dtype=torch.float)
    std = torch.arange(1,5,dtype=torch.float)
    t_normal = torch.normal(mean,std)
    print("mean:{}\\nstd:{}".format(mean,std))
    print(t_normal)
    """,
    # mean:标量 std:标量
    """
    t_normal = torch.normal(0., 1., size=(4,))
    print(t_normal)
    """,
    # mean:张量 std:标量
    """
    mean = torch.arange(1,5,dtype=torch.float)
    std = 1
    t_normal = torch.normal(mean,std)
    print("mean:{}\\nstd:{}".format(mean,std))
    print(t_normal)
    """,
], ids=["tensor-tensor", "scalar-scalar", "tensor-scalar"])
def test_normal_modes(mode, monkeypatch):
    # The seed has these commented out (one is uncommented at a time); each runs here.
    ns, out, _, torch_out = run_both("import torch\n" + mode.strip().replace("\n    ", "\n"),
                                     monkeypatch)
    close_text(out, torch_out)
    assert ns["t_normal"].shape == (4,) and ns["t_normal"].dtype == ember.float32


def test_normal_statistics():
    # mean:张量 std:张量 draws element i from N(mean[i], std[i]).
    ember.manual_seed(0)
    mean = ember.arange(1, 5, dtype=ember.float).repeat(4000, 1)
    std = ember.arange(1, 5, dtype=ember.float).repeat(4000, 1)
    t = ember.normal(mean, std).numpy()
    np.testing.assert_allclose(t.mean(0), [1, 2, 3, 4], atol=0.2)
    np.testing.assert_allclose(t.std(0), [1, 2, 3, 4], rtol=0.1)


CREATION_FUNCTIONS = [
    # The functions the seed shows as screenshots: ones, logspace, eye, randn/rand/randint,
    # randperm, bernoulli and the *_like forms.
    "torch.ones((3,3))", "torch.ones_like(t)", "torch.zeros_like(t)", "torch.full_like(t, 5)",
    "torch.logspace(start=-10, end=10, steps=5)", "torch.logspace(0, 2, 3, base=2)",
    "torch.eye(3)", "torch.eye(2, 3)", "torch.randn(2, 3)", "torch.randn_like(t)",
    "torch.rand(2, 3)", "torch.rand_like(t)", "torch.randint(3, 10, size=(2, 3))",
    "torch.randint_like(t, 10)", "torch.randperm(8)", "torch.bernoulli(p)",
    "torch.normal(mean, std)", "torch.normal(0., 1., size=(4,))", "torch.normal(mean, 1)",
    "torch.unsqueeze(t, dim=1)", "torch.t(t)",
]


@pytest.mark.parametrize("line", CREATION_FUNCTIONS)
def test_creation_functions(line, monkeypatch):
    differential(line, monkeypatch, """
    t = torch.ones((2, 3))
    p = torch.rand(2, 3)
    mean = torch.arange(1, 5, dtype=torch.float)
    std = torch.arange(1, 5, dtype=torch.float)
    """)


# --- 张量的操作 ---------------------------------------------------------------------------------

DETERMINISTIC_OPS = [
    """
    import torch
    t = torch.ones((2,3))
    t_0 = torch.cat([t,t],dim=0)
    t_1 = torch.cat([t,t],dim=1)
    print("t_0:{} shape:{}".format(t_0,t_0.shape))
    print("t_1:{} shape:{}".format(t_1,t_1.shape))
    """,
    """
    import torch
    t=torch.ones((2,3))
    t_stack=torch.stack([t,t],dim=2)
    print("t_stack:{} shape:{}".format(t_stack,t_stack.shape))
    """,
    """
    import torch
    a = torch.ones((2,5))
    list_of_tensors = torch.chunk(a,dim=1,chunks=2)
    for idx,t in enumerate(list_of_tensors):
        print("第{}个张量:{} shape is{}".format(idx+1,t,t.shape))
    """,
    """
    import torch
    t=torch.ones((2,5))
    t=torch.ones((2,5))
    list_of_tensors = torch.split(t,[2,1,2],dim=1)
    for idx,t in enumerate(list_of_tensors):
        print("第{}个张量:{} shape is{}".format(idx+1,t,t.shape))
    """,
]


@pytest.mark.parametrize("src", DETERMINISTIC_OPS, ids=["cat", "stack", "chunk", "split"])
def test_cat_stack_chunk_split(src):
    _, out = run(src)
    _, torch_out = run(src, "torch")
    same_text(out, torch_out)


def test_chunk_shapes_as_the_tutorial_describes():
    _, out = run(DETERMINISTIC_OPS[2])
    assert [line.rsplit("is", 1)[1] for line in out.splitlines() if "shape is" in line] == [
        "ember.Size([2, 3])", "ember.Size([2, 2])"]


RANDOM_OPS = {
    "index_select": """
    import torch
    t = torch.randint(0,9,size=(3,3))
    idx = torch.tensor([0,2],dtype=torch.long)
    t_select = torch.index_select(t,dim=0,index=idx)
    print("t:\\n{}\\nt_select:\\n{}".format(t,t_select))
    """,
    "masked_select": """
    import torch
    t = torch.randint(0,9,size=(3,3))
    mask = t.ge(5) #大于等于5的元素为True
    t_select = torch.masked_select(t,mask)
    print("t:\\n{}\\nmask:\\n{}\\nt_select:\\n{}".format(t,mask,t_select))
    """,
    "transpose": """
    import torch
    t = torch.rand((2,3,4))
    t_transpose = torch.transpose(t,1,2)
    print("t shape:\\n{}\\nt_transpose shape:\\n{}".format(t.shape,t_transpose.shape))
    """,
    "squeeze": """
    import torch
    t = torch.rand((1,2,3,1))
    t_sq = torch.squeeze(t)
    t_0 = torch.squeeze(t,0)
    t_1 = torch.squeeze(t,1)
    print(t.shape)
    print(t_sq.shape)
    print(t_0.shape)
    print(t_1.shape)
    """,
}


@pytest.mark.parametrize("name", list(RANDOM_OPS))
def test_indexing_and_reshaping(name, monkeypatch):
    ns, out, _, torch_out = run_both(RANDOM_OPS[name], monkeypatch)
    same_text(out, torch_out)
    if name == "index_select":
        np.testing.assert_array_equal(ns["t_select"].numpy(), ns["t"].numpy()[[0, 2]])
    if name == "masked_select":
        t = ns["t"].numpy()
        np.testing.assert_array_equal(ns["t_select"].numpy(), t[t >= 5])
    if name == "squeeze":
        assert normalize(out) == ("torch.Size([1, 2, 3, 1])\ntorch.Size([2, 3])\n"
                                  "torch.Size([2, 3, 1])\ntorch.Size([1, 2, 3, 1])\n")


RESHAPE_SHARES = """
import torch
t=torch.randperm(8)
t_reshape = torch.reshape(t,(2,4))
print("t:{}\\nt_reshape:\\n{}".format(t,t_reshape))
t[0]=1024
print("\\nt:{}\\nt_reshape:\\n{}".format(t,t_reshape))
print("t.data 内存地址:{}",format(id(t.data)))
print("t_reshape.data 内存地址:{}",format(id(t_reshape.data)))
"""


def test_reshape_shares_memory(monkeypatch):
    ns, out, _, torch_out = run_both(RESHAPE_SHARES, monkeypatch)
    # The last two lines print object ids, which differ from run to run.
    same_text(out.rsplit("\n", 3)[0], torch_out.rsplit("\n", 3)[0])
    assert ns["t_reshape"][0, 0].item() == 1024
    assert out.splitlines()[-2].startswith("t.data 内存地址:{} ")


# --- 张量的数学运算 -----------------------------------------------------------------------------


def test_add_with_a_multiplier(monkeypatch):
    # torch.add(input, value, other) is PyTorch's deprecated overload: input + value * other
    # (PyTorch still accepts it, warning); the seed uses it.
    src = """
    import torch
    t_0 = torch.randn((3,3))
    t_1 = torch.ones_like(t_0)
    t_add = torch.add(t_0, 10, t_1)
    print("t_0:\\n{}\\nt_1:\\n{}\\nt_add:\\n{}".format(t_0,t_1,t_add))
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ns, out, _, torch_out = run_both(src, monkeypatch)
    same_text(out, torch_out)
    np.testing.assert_allclose(ns["t_add"].numpy(), ns["t_0"].numpy() + 10, rtol=1e-6)


def test_add_with_alpha(monkeypatch):
    differential("torch.add(t_0, t_1, alpha=10)", monkeypatch,
                 "t_0 = torch.randn((3,3))\nt_1 = torch.ones_like(t_0)")


LISTED_FUNCTIONS = [
    "torch.add(a, b)", "torch.addcdiv(a, b, c)", "torch.addcmul(a, b, c)", "torch.sub(a, b)",
    "torch.div(a, b)", "torch.mul(a, b)",
    "torch.log(p, out=None)", "torch.log10(p, out=None)", "torch.log2(p, out=None)",
    "torch.exp(a, out=None)", "torch.pow(a, 2)",
    "torch.abs(a, out=None)", "torch.acos(u, out=None)", "torch.cosh(a, out=None)",
    "torch.cos(a, out=None)", "torch.asin(u, out=None)", "torch.atan(a, out=None)",
    "torch.atan2(a, b, out=None)",
]


@pytest.mark.parametrize("call", LISTED_FUNCTIONS)
def test_listed_math_functions(call, monkeypatch):
    # The seed lists these signatures (input, out=None); each is called once.
    differential(call, monkeypatch, """
    a = torch.randn(2, 3)
    b = torch.rand(2, 3) + 0.5
    c = torch.rand(2, 3) + 0.5
    p = torch.rand(2, 3) + 0.1
    u = torch.rand(2, 3) * 2 - 1
    """)
