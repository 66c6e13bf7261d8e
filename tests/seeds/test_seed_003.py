"""shared/seeds/003 ("Pytorch速查", a cheat sheet): its lines, run with ``import ember as
torch``.

This file: tensors and devices (and the min/sum walkthrough); test_seed_003_data.py: data
loading and transforms; test_seed_003_nn_optim.py: nn, losses, optimizers.

A cheat sheet line is compared with PyTorch: the same value (random draws replayed, NOTE
[ Same random numbers on both sides ] in _snippets.py) or the same exception type — the
sheet has lines that fail on PyTorch too (``x.shape()``, ``nn.tanh()``, ``# 报错`` lines),
and those must fail on Ember the same way. Placeholders the sheet leaves open (``dim``,
``chunks``, ``input``, ``b``) are given a value; the printouts the sheet shows (the
``min``/``sum``/``cumsum`` walkthrough) are asserted.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _snippets import (
    close_text,
    differential,
    normalize,
    numbers,
    run,
    run_both,
    same_text,
)

import ember

# --- 创建张量 -----------------------------------------------------------------------------------

CREATION = [
    ("a = torch.Tensor([3])", "a"),
    ("a = torch.Tensor(5, 3)", "(a.shape, a.dtype)"),  # uninitialised (the sheet: "数值为0")
    ("a = torch.Tensor([5, 3])", "a"),
    ("a = torch.tensor([5, 3])", "a"),
    ("a = torch.empty(5, 3)", "(a.shape, a.dtype)"),  # uninitialised
    ("a = torch.eye(3, 3)", "a"),
    ("a = torch.arange(1, 4)", "a"),
    ("a = torch.arange(4)", "a"),
    ("a = torch.rand(5, 3)", "a"),
    ("a = torch.randn(5, 3)", "a"),
    ("a = torch.randn(5, 3)\nb = torch.randn_like(a, dtype=torch.float)", "b"),
    ("a = torch.normal(2, 3, size=(2, 4))", "a"),
    ("a = torch.randperm(5)", "a"),
    ("a = torch.randn(5, 3)\na.zero_()", "a"),
    ("a = torch.zeros(5, 3, dtype=torch.long)", "a"),
    ("a = torch.zeros(5, 3, dtype=torch.long)\nb = torch.zeros_like(a)", "b"),
    ("a = torch.ones(5, 3, dtype=torch.double)", "a"),
    ("a = torch.ones(5, 3, dtype=torch.double)\nb = torch.ones_like(a)", "b"),
    ("a = torch.full((5,3),4)", "a"),
]


@pytest.mark.parametrize("line,shown", CREATION, ids=[c[0].split("\n")[-1] for c in CREATION])
def test_creation(line, shown, monkeypatch):
    differential(shown, monkeypatch, line)


def test_range_is_deprecated_and_inclusive(monkeypatch):
    # "a = torch.range(1, 4) # 新版本弃用,返回值[1,2,3,4]"
    for lib in ("ember", "torch"):
        with pytest.warns(UserWarning, match="deprecated"):
            ns, _ = run("a = torch.range(1, 4)", lib)
        assert ns["a"].tolist() == [1.0, 2.0, 3.0, 4.0]


# "rand()、randn()、ones()、zeros()、eye()、full(input,x)、arange()、linspace()、randint(...)
#  以上都可加_like(a)": true for some; eye_like, arange_like, linspace_like exist nowhere.
LIKE = ["torch.rand_like(a)", "torch.randn_like(a)", "torch.ones_like(a)", "torch.zeros_like(a)",
        "torch.full_like(a, 7)", "torch.randint_like(a, 0, 5)", "torch.eye_like(a)",
        "torch.arange_like(a)", "torch.linspace_like(a)"]


@pytest.mark.parametrize("line", LIKE)
def test_like_variants(line, monkeypatch):
    differential(line, monkeypatch, "a = torch.randn(2, 3)")


# --- 张量操作 -----------------------------------------------------------------------------------

OPS_SETUP = """
x = torch.randn([1,5,2])
b = torch.zeros(2, dtype=torch.float64)
"""

OPS = [
    "x[:,:3]", "x[:,:3,:1]",
    "x[:,:3,:1,:]",  # 报错 (IndexError on both)
    "x.dtype", "x.type_as(b)",
    "x.item()",  # RuntimeError on both: 10 elements
    "x[0, 0, 0].item()", "x.clone()",
    "x.shape()",  # the sheet's slip (shape is not callable): TypeError on both
    "x.reshape(5, 2)", "x.view(10)", "x.view(5, 2).clone().view(-1)",
    "x.expand(3,5,2)", "x.transpose(0,1)", "x.permute(2,0,1)",
    "x.t()",  # RuntimeError on both: t() is for <= 2 dimensions
    "x[0].t()", "x[0].T",
    "torch.unsqueeze(x, dim=None)",  # TypeError on both: unsqueeze needs a dim
    "torch.squeeze(x)", "torch.unsqueeze(x, dim=1)",
    "torch.cat((x, x, x), dim=0)", "torch.stack((x, x, x), dim=0)",
    "torch.chunk(x, 2, dim=1)", "torch.split(x, 2, dim=1)", "torch.split(x, [1, 4], dim=1)",
    "torch.equal(x, x.clone())", "torch.equal(x, x + 1)",
    "torch.sort(x, descending=True)", "torch.sort(x, dim=1, descending=True)",
    "torch.diag(x)",  # RuntimeError on both: diag needs 1 or 2 dimensions
    "torch.diag(x[0])", "torch.diag(torch.diag(x[0, :2]))",
]


@pytest.mark.parametrize("line", OPS)
def test_tensor_operations(line, monkeypatch):
    differential(line, monkeypatch, OPS_SETUP)


@pytest.mark.parametrize("line", ["x.reshape()", "x.view()"])
def test_reshape_without_a_shape(line, monkeypatch):
    # The sheet lists `x.reshape()` and `x.view()` (shape left out): an error on both.
    differential(line, monkeypatch, OPS_SETUP)


def test_x_T_on_3d_tensor_reverses_dims(monkeypatch):
    # x.T on a tensor that is not 2-D: PyTorch (deprecation warning) reverses all dims.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        differential("x.T", monkeypatch, OPS_SETUP)


def test_squeeze_with_dim_none():
    # The sheet's `torch.squeeze(x, dim=None)`: PyTorch's documented signature allows None,
    # but PyTorch 2.13 rejects it (TypeError); Ember takes None as "every size-1 dim".
    ns, _ = run(OPS_SETUP + "y = torch.squeeze(x, dim=None)\n")
    assert tuple(ns["y"].shape) == (5, 2)


ARITH_SETUP = """
x = torch.randn([1,5,2])
y = torch.arange(24).reshape([2,3,4]).float()
x2 = torch.randn([1,5,2])
dim = 1
a = torch.randn(3)
b = torch.randn(3)
A = torch.randn(2, 3)
B = torch.randn(3, 4)
"""

ARITH = [
    "x.short()", "x.int()", "x.long()", "x.float()", "x.double()",
    "torch.sum(x,dim)", "torch.mean(x,dim)", "x.sum(dim)", "x.mean(dim)",
    "x.max(dim)", "torch.max(x,dim)", "x.min(dim)", "torch.min(x,dim)",
    "x.abs()", "torch.abs(a)", "x.add_(1)",
    # The sheet adds x (1,5,2) and y (2,3,4): not broadcastable, a RuntimeError on both ...
    "x + y", "torch.add(x,y)", "x - y", "torch.sub(x,y)", "x * y", "torch.mul(x,y)",
    "x / y", "torch.div(x,y)",
    # ... and with operands of one shape, as its comment asks ("要求形状相同"):
    "x + x2", "torch.add(x,x2)", "x - x2", "torch.sub(x,x2)", "x * x2", "torch.mul(x,x2)",
    "x / x2", "torch.div(x,x2)", "torch.add(x, 2)", "3 * x", "3 + x",
    "torch.dot(a,b)", "torch.mv(A,a)", "torch.mm(A,B.T.T)", "torch.mm(x[0],y[0, :2].T)",
    "torch.matmul(A, B)", "torch.matmul(x, y[0, :2])",
    "torch.std(x, dim)", "torch.var(x, dim)", "torch.median(x, dim)",
    "torch.log(x.abs())", "torch.log10(x.abs())", "torch.log2(x.abs())", "torch.exp(x)",
    "torch.pow(x,3)", "torch.clamp(x,-0.5,0.5)", "torch.norm(x, p=2, dim=1)",
]


@pytest.mark.parametrize("line", ARITH)
def test_arithmetic(line, monkeypatch):
    differential(line, monkeypatch, ARITH_SETUP)


@pytest.mark.parametrize("line", ["x.sum(dim, keepdims=True)", "x.cumsum(axis=0)"])
def test_numpy_style_keywords(line, monkeypatch):
    differential(line, monkeypatch, ARITH_SETUP)


NORMS = [
    "torch.norm(x, p=1)", "torch.norm(x, p=2)", "torch.norm(x, p=float('inf'))",
    "torch.norm(x)", "torch.norm(M)", "torch.norm(M, p='fro')", "torch.norm(M, p='nuc')",
    "torch.linalg.matrix_norm(M, ord=2)",
]


@pytest.mark.parametrize("line", NORMS)
def test_norms(line, monkeypatch):
    # The sheet's vector x = [1, -2, 3] and a matrix M for its matrix-norm lines (its
    # "spectral"/"nuclear" lines pass p=2/p=1 on the vector: just L2/L1 again).
    got = differential(line, monkeypatch,
                       "x = torch.tensor([1.0, -2.0, 3.0])\nM = torch.randn(3, 4)")
    if line == "torch.norm(x, p=1)":
        assert got[4] == 6.0


# --- 运行设备切换 -------------------------------------------------------------------------------

DEVICES = """
print(torch.__version__) # pytorch版本
print(torch.version.cuda) # cuda版本
print(torch.cuda.is_available()) # 查看cuda是否可用
dev = torch.device("cuda" if torch.cuda.is_available() else "cpu") # #使用GPU or CPU
x = torch.tensor([1,2], device=dev) # 创建指定环境dev中的的tensor
print(x.device) # 判断某个对象是在什么环境中运行的
x = x.to(device='cpu') # 将对象环境设置为CPU环境
x = x.cpu() # 将对象环境设置为CPU环境
print(x.cpu().numpy())
y = torch.tensor([3, 4])
print(x+y.to(device=dev))
"""


def test_devices():
    _, out = run(DEVICES)
    _, torch_out = run(DEVICES, "torch")
    assert out.splitlines()[0] == ember.__version__
    if not ember.cuda.is_available():
        same_text(out.split("\n", 1)[1], torch_out.split("\n", 1)[1])
        assert out.split("\n", 1)[1] == "None\nFalse\ncpu\n[1 2]\ntensor([4, 6])\n"


def test_to_cuda_without_a_gpu():
    # The sheet's `x = x.to(device='cuda')`: without a GPU an error on both libraries.
    if ember.cuda.is_available():
        ns, _ = run("x = torch.tensor([1, 2]).to(device='cuda')")
        assert ns["x"].device.type == "cuda"
        return
    for lib in ("ember", "torch"):
        with pytest.raises((RuntimeError, AssertionError)):
            run("x = torch.tensor([1, 2]).to(device='cuda')", lib)


# --- 方法详解 -----------------------------------------------------------------------------------

EXPLAINED = [
    *(f"torch.unsqueeze(z, {d})" for d in range(4)),
    *(f"torch.cat((x, x, x), {d})" for d in (0, 1, 2, -3)),
    *(f"torch.stack((x, x, x), {d})" for d in (0, 1, 2, 3, -4)),
    "torch.squeeze(torch.ones(1, 3, 1, 2))", "torch.squeeze(torch.ones(1, 3, 1, 2), 1)",
    "torch.squeeze(torch.ones(1, 3, 1, 2), 2)",
]


@pytest.mark.parametrize("line", EXPLAINED)
def test_squeeze_unsqueeze_cat_stack(line, monkeypatch):
    differential(line, monkeypatch, "x = z = torch.arange(24).reshape([2,3,4])")


MIN_WALKTHROUGH = """
x = torch.arange(24).reshape([2,3,4])
x[0,2,2] = 33
print(x.min(dim=0))
x[0,2,2] = -1
print(x.min(dim=1))
x[0,2,3] = -3
print(x.min(dim=2))
"""

MIN_SHOWN = '''torch.return_types.min(
values=tensor([[ 0,  1,  2,  3],
        [ 4,  5,  6,  7],
        [ 8,  9, 22, 11]]),
indices=tensor([[0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 1, 0]]))
torch.return_types.min(
values=tensor([[ 0,  1, -1,  3],
        [12, 13, 14, 15]]),
indices=tensor([[0, 0, 2, 0],
        [0, 0, 0, 0]]))
torch.return_types.min(
values=tensor([[ 0,  4, -3],
        [12, 16, 20]]),
indices=tensor([[0, 0, 3],
        [0, 0, 0]]))
'''


def test_min_along_each_dim_prints_like_the_sheet():
    _, out = run(MIN_WALKTHROUGH)
    assert normalize(out) == MIN_SHOWN


SUM_WALKTHROUGH = """
x = torch.arange(24).reshape([2,3,4])
print(x)
print(x.sum())
print(x.sum(dim=0))
print(x.sum(dim=1))
print(x.sum(dim=2))
print(x.sum(dim=[0,1]))
x = torch.arange(24).reshape([2,3,4]).float()
print(x.mean())
print(x.mean(dim=0))
print(x.mean(dim=1))
print(x.mean(dim=2))
print(x.mean(dim=[0,1]))
x = torch.arange(24).reshape([2,3,4])
print(x.cumsum(dim=0))
print(x.cumsum(dim=1))
print(x.cumsum(dim=2))
"""

# The sheet's cumsum printouts (its values; it shows them as floats, x is int64).
CUMSUM_SHOWN = """
[[[ 0., 1., 2., 3.], [ 4., 5., 6., 7.], [ 8., 9., 10., 11.]],
 [[12., 14., 16., 18.], [20., 22., 24., 26.], [28., 30., 32., 34.]]]
[[[ 0., 1., 2., 3.], [ 4., 6., 8., 10.], [12., 15., 18., 21.]],
 [[12., 13., 14., 15.], [28., 30., 32., 34.], [48., 51., 54., 57.]]]
[[[ 0., 1., 3., 6.], [ 4., 9., 15., 22.], [ 8., 17., 27., 38.]],
 [[12., 25., 39., 54.], [16., 33., 51., 70.], [20., 41., 63., 86.]]]
"""


def test_sum_mean_cumsum_walkthrough():
    # (The sheet writes x.cumsum(axis=...); dim= here, see test_numpy_style_keywords.)
    _, out = run(SUM_WALKTHROUGH)
    _, torch_out = run(SUM_WALKTHROUGH, "torch")
    same_text(out, torch_out)
    x = np.arange(24).reshape(2, 3, 4)
    assert out.splitlines()[7] == "tensor(276)"
    cumsum_out = out[out.index("tensor([[[ 0,  1,  2,  3],\n         [ 4,  5,  6,  7]"
                               ",\n         [ 8,  9, 10, 11]],\n\n        [[12, 14"):]
    assert numbers(cumsum_out) == numbers(CUMSUM_SHOWN)
    assert numbers(cumsum_out) == np.concatenate(
        [x.cumsum(0).ravel(), x.cumsum(1).ravel(), x.cumsum(2).ravel()]).tolist()


def test_printouts_close_to_pytorch_for_random_walkthrough(monkeypatch):
    # The sheet's x = torch.randn([1,5,2]) then its reductions, printed on both libraries.
    _, out, _, torch_out = run_both("""
    x = torch.randn([1,5,2])
    print(x)
    print(x.sum(1))
    print(x.max(1))
    print(torch.median(x, 1))
    print(x.std(1), x.var(1))
    """, monkeypatch)
    close_text(out, torch_out)
