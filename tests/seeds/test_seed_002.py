"""shared/seeds/002 ("深度学习---Pytorch概览"), parts (一)-(五): tensors, autograd, nn, data —
its snippets run as written with ``import ember as torch``.

The seed prints little; each snippet is run on Ember and on PyTorch with the same random
draws (NOTE [ Same random numbers on both sides ] in _snippets.py) and the results are
compared, plus what the text states (``x.grad`` is ``tensor([1., 1.])``). Snippets that need
objects the seed leaves out (a model, ``images``) get a minimal one, named as they expect.
Parts (六)-(十) are in test_seed_002_training.py.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _snippets import assert_same, describe, differential, normalize, run, run_both

import ember

# --- (一) 张量 ---------------------------------------------------------------------------------

CREATION = """
import torch
tensor = torch.tensor([1, 2, 3])  # 从列表创建
zeros = torch.zeros((3, 4))       # 全零张量
ones = torch.ones((2, 2, 2))      # 全一张量
rand = torch.rand((2, 2))         # 均匀分布随机数(0-1)
randn = torch.randn((2, 2))        # 标准正态分布随机数
"""


def test_creating_tensors(monkeypatch):
    ens, _, tns, _ = run_both(CREATION, monkeypatch)
    for name in ("tensor", "zeros", "ones", "rand", "randn"):
        assert_same(describe(ens[name]), describe(tns[name]), where=name)
    assert ((ens["rand"].numpy() >= 0) & (ens["rand"].numpy() < 1)).all()


def test_numpy_interop():
    src = """
    numpy_array = np.array([1, 2, 3])
    torch_tensor = torch.from_numpy(numpy_array)  # NumPy 转 Tensor
    numpy_array_again = torch_tensor.numpy()       # Tensor 转 NumPy(需在 CPU 上)
    """
    for lib in ("ember", "torch"):
        ns, _ = run(src, lib)
        np.testing.assert_array_equal(ns["numpy_array_again"], [1, 2, 3])
        ns["numpy_array"][0] = 9  # all three share one buffer
        assert ns["torch_tensor"][0].item() == 9 and ns["numpy_array_again"][0] == 9
        assert ns["numpy_array_again"].dtype == np.int64


def test_numpy_returns_a_new_view():
    for lib in ("torch", "ember"):
        ns, _ = run("""
        numpy_array = np.array([1, 2, 3])
        torch_tensor = torch.from_numpy(numpy_array)
        numpy_array_again = torch_tensor.numpy()
        numpy_array_again.shape = (3, 1)
        """, lib)
        assert ns["numpy_array_again"] is not ns["numpy_array"], lib
        assert tuple(ns["torch_tensor"].shape) == (3,) and ns["numpy_array"].shape == (3,), lib


@pytest.mark.parametrize("line", [
    "x + y", "x - y", "x * y", "x / y", "x @ w", "torch.matmul(x, w)", "x.mean()", "x.sum()",
    "x.max()", "x.reshape(3, 2)", "x.view(3, 2)", "x.transpose(0, 1)", "x.squeeze()",
    "x.unsqueeze(0)", "x.transpose(0, 1).view(6)", "x.transpose(0, 1).contiguous().view(6)",
    "x + 1", "x.detach()", "x.detach().requires_grad", "x.clone().add_(1)",
    "torch.empty(2, 3).shape",
])
def test_tensor_operations(line, monkeypatch):
    # 数学运算, 形状操作 (view needs contiguous memory: contiguous() first), 广播, 原地操作,
    # detach: the operations the section names, on the same tensors on both libraries.
    differential(line, monkeypatch, """
    x = torch.randn(2, 3, requires_grad=True)
    y = torch.randn(2, 3)
    w = torch.randn(3, 2)
    """)


def test_tensor_attributes():
    _, out = run("""
    t = torch.zeros(3, 4)
    print(t.shape)
    print(t.dtype)
    print(t.device)
    """)
    assert normalize(out) == "torch.Size([3, 4])\ntorch.float32\ncpu\n"


# --- (二) 自动微分 ------------------------------------------------------------------------------

BACKWARD = """
x = torch.tensor([1.0, 2.0], requires_grad=True)  # 标记为需要梯度
y = x.sum()
y.backward()  # 反向传播,计算梯度
print(x.grad)  # 输出 tensor([1., 1.])
"""


def test_backward():
    _, out = run(BACKWARD)
    assert out == "tensor([1., 1.])\n"


def test_autograd_grad():
    ns, _ = run("""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 2).sum()
    grads = torch.autograd.grad(outputs=y, inputs=x)
    """)
    assert str(ns["grads"]) == "(tensor([2., 4.]),)"
    assert ns["x"].grad is None  # grad() returns gradients, it does not accumulate them


def test_autograd_grad_after_backward(monkeypatch):
    # The seed's two snippets in a row: grad() on the graph backward() already went through.
    differential("grads = torch.autograd.grad(outputs=y, inputs=x)\ngrads", monkeypatch,
                 BACKWARD)
    differential("torch.autograd.grad(outputs=(x * x).sum(), inputs=x)", monkeypatch, BACKWARD)


def test_zero_grad_before_step():
    ns, _ = run("""
    model = nn.Linear(2, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    model(torch.ones(1, 2)).sum().backward()
    model(torch.ones(1, 2)).sum().backward()
    accumulated = model.weight.grad.clone()
    optimizer.zero_grad()
    """)
    np.testing.assert_array_equal(ns["accumulated"].numpy(), [[2.0, 2.0]])
    assert ns["model"].weight.grad is None


# --- (四) 神经网络构建 --------------------------------------------------------------------------

MY_LAYER = """
class MyLayer(nn.Module):
    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_dim, out_dim))  # 自定义可学习参数

    def forward(self, x):
        return x @ self.weight  # 矩阵乘法

layer = MyLayer(4, 3)
x = torch.randn(5, 4)
out = layer(x)
out.sum().backward()
names = [name for name, _ in layer.named_parameters()]
"""


def test_custom_layer(monkeypatch):
    ens, _, tns, _ = run_both(MY_LAYER, monkeypatch)
    assert ens["names"] == ["weight"]
    assert tuple(ens["out"].shape) == (5, 3)
    assert_same(describe(ens["out"]), describe(tns["out"]), where="out")
    assert_same(describe(ens["layer"].weight.grad), describe(tns["layer"].weight.grad),
                where="grad")


INIT = """
for m in model.modules():
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode='fan_out')  # He 初始化
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.constant_(m.weight, 1)
        nn.init.constant_(m.bias, 0)
"""


def test_parameter_initialisation():
    # The seed's loop needs a `model`; a small conv net is given.
    ns, _ = run("model = nn.Sequential(nn.Conv2d(16, 32, 3), nn.BatchNorm2d(32), nn.ReLU(),"
                " nn.Conv2d(32, 8, 1))\n" + INIT)
    conv, bn = ns["model"][0], ns["model"][1]
    # kaiming_normal_(mode='fan_out'), ReLU gain: std = sqrt(2 / (out_channels * k * k)).
    assert ns["model"][0].weight.std().item() == pytest.approx(np.sqrt(2 / (32 * 9)), rel=0.1)
    np.testing.assert_array_equal(bn.weight.detach().numpy(), np.ones(32))
    np.testing.assert_array_equal(bn.bias.detach().numpy(), np.zeros(32))
    assert conv.weight.requires_grad and bn.weight.requires_grad


@pytest.mark.parametrize("layer", [
    "nn.Linear(6, 4)", "nn.Conv2d(3, 4, 3)", "nn.MaxPool2d(2)", "nn.AvgPool2d(2)", "nn.ReLU()",
    "nn.Sigmoid()", "nn.LeakyReLU()", "nn.BatchNorm2d(3)", "nn.LayerNorm(6)",
    "nn.InstanceNorm2d(3)", "nn.Sequential(nn.Linear(6, 4), nn.ReLU())",
    "nn.ModuleList([nn.Linear(6, 4)])[0]", "nn.ModuleDict({'fc': nn.Linear(6, 4)})['fc']",
])
def test_common_layers(layer, monkeypatch):
    # 常用层与模块 (2D inputs for the image layers, (batch, 6) for the others).
    image = any(k in layer for k in ("Conv", "Pool", "Norm2d"))
    x = "torch.randn(2, 3, 6, 6)" if image else "torch.randn(5, 6)"
    differential("out", monkeypatch, f"m = {layer}\nout = m({x})")


def test_functional_relu(monkeypatch):
    differential("torch.relu(x)", monkeypatch, "x = torch.randn(6)")


@pytest.mark.parametrize("layer", [
    "nn.LSTM(4, 3, num_layers=2, bidirectional=True)", "nn.GRU(4, 3, num_layers=2)",
])
def test_sequence_models(layer, monkeypatch):
    differential("[out, h]", monkeypatch,
                 f"m = {layer}\nout, h = m(torch.randn(5, 2, 4))", rtol=1e-4, atol=1e-5)


def test_multihead_attention(monkeypatch):
    differential("list(mha(q, q, q))", monkeypatch, """
    mha = nn.MultiheadAttention(embed_dim=8, num_heads=2)
    q = torch.randn(5, 2, 8)
    """, rtol=1e-4, atol=1e-5)


# --- (五) 数据处理与加载 ------------------------------------------------------------------------

MY_DATASET = """
from torch.utils.data import Dataset, DataLoader
class MyDataset(Dataset):
    def __init__(self, data, labels):
        self.data = data
        self.labels = labels

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return self.data[idx], self.labels[idx]
"""

LOADER = """
dataset = MyDataset(images, labels)
dataloader = DataLoader(
    dataset,
    batch_size=32,
    shuffle=True,
    num_workers=4,  # 多进程加载数据
    pin_memory=True  # GPU 训练时加速数据传输
)
batches = list(dataloader)
"""


def test_dataset_and_multiprocess_dataloader(monkeypatch):
    # `images` and `labels` are the seed's; 80 small images stand in.
    setup = "images = torch.randn(80, 3, 8, 8)\nlabels = torch.randint(0, 10, (80,))\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pin_memory without an accelerator
        ens, _, tns, _ = run_both(MY_DATASET + setup + LOADER, monkeypatch)
    assert [tuple(b[0].shape) for b in ens["batches"]] == [(32, 3, 8, 8), (32, 3, 8, 8),
                                                          (16, 3, 8, 8)]
    # Four worker processes, one shuffle: every sample once, in PyTorch's order.
    for (ex, ey), (tx, ty) in zip(ens["batches"], tns["batches"]):
        np.testing.assert_array_equal(ey.numpy(), ty.numpy())
        np.testing.assert_array_equal(ex.numpy(), tx.numpy())
    seen = np.concatenate([b[1].numpy() for b in ens["batches"]])
    assert sorted(seen.tolist()) == sorted(ens["labels"].tolist())


def test_pin_memory_without_an_accelerator_warns_like_pytorch():
    setup = "images = torch.randn(8, 3, 8, 8)\nlabels = torch.randint(0, 10, (8,))\n"
    for lib in ("ember", "torch"):
        with pytest.warns(UserWarning, match="pin_memory"):
            run(MY_DATASET + setup + LOADER.replace("num_workers=4", "num_workers=0"), lib)


AUGMENT = """
import torchvision.transforms as T
transform = T.Compose([
    T.RandomResizedCrop(224),
    T.RandomHorizontalFlip(),
    T.ToTensor(),
    T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])  # ImageNet 标准化
])
out = transform(img)
"""


def test_augmentation_pipeline():
    from PIL import Image

    # A one-colour image: whatever crop and flip are drawn, every output pixel is the colour,
    # scaled to [0, 1] and standardised with ImageNet's mean and std.
    rgb = (200, 100, 50)
    ns, _ = run(AUGMENT, ns={"img": Image.new("RGB", (320, 240), rgb)})
    out = ns["out"]
    assert tuple(out.shape) == (3, 224, 224) and out.dtype == ember.float32
    expected = (np.array(rgb) / 255 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]
    np.testing.assert_allclose(out.numpy(), np.broadcast_to(expected[:, None, None],
                                                            (3, 224, 224)), rtol=1e-5)


def test_augmentation_pipeline_crops_and_flips():
    from PIL import Image

    # A horizontal ramp: the output is a crop of it, resized, and maybe mirrored; its rows
    # are identical and monotonic in one direction.
    ramp = np.tile(np.arange(256, dtype=np.uint8)[None, :, None], (100, 1, 3))
    ember.manual_seed(0)
    directions = set()
    for _ in range(8):
        ns, _ = run(AUGMENT, ns={"img": Image.fromarray(ramp)})
        row = ns["out"].numpy()[0]
        np.testing.assert_allclose(row, np.broadcast_to(row[0], row.shape), atol=1e-6)
        diffs = np.diff(row[0])
        assert (diffs >= -1e-6).all() or (diffs <= 1e-6).all()
        directions.add(bool(row[0, -1] > row[0, 0]))
    assert directions == {True, False}  # RandomHorizontalFlip(p=0.5) both ways in 8 draws
