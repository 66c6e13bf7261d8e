"""shared/seeds/000 ("PyTorch基础"), sections 3.6-3.7: autograd and nn, each snippet run as
written with ``import ember as torch`` (and the autograd ones again on the "ref" backend).

Where the seed shows the printout in a comment, the test asserts exactly that; where the
printout depends on random numbers, the same snippet runs on PyTorch with Ember's random
draws replayed (see NOTE [ Same random numbers on both sides ] in _snippets.py) and the two
printouts must agree.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from _snippets import close_text, normalize, run, run_both, same_text

import ember

# --- 3.6 autograd ----------------------------------------------------------------------------


def test_3_6_1_requires_grad():
    ns, out = run("""
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    print(x.requires_grad) # True
    x = torch.ones(3, requires_grad=True)
    y = torch.tensor([1.0, 2.0, 3.0])
    z = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = y + z # w.requires_grad 为 True
    """)
    assert out == "True\n"
    assert ns["w"].requires_grad is True and ns["y"].requires_grad is False
    assert ns["x"].requires_grad is True


def test_3_6_2_gradient_of_square():
    _, out = run("""
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x ** 2
    y.sum().backward()
    print(x.grad) # tensor([2., 4., 6.])
    """)
    assert out == "tensor([2., 4., 6.])\n"


@pytest.mark.parametrize("way", ["y.sum().backward()", "y.backward(torch.ones_like(y))"])
def test_3_6_2_non_scalar_backward(way):
    _, out = run(f"""
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x ** 2 # y = [1, 4, 9]
    {way}
    print(x.grad) # tensor([2., 4., 6.])
    """)
    assert out == "tensor([2., 4., 6.])\n"


def test_3_6_3_graph_gradient():
    _, out = run("""
    x = torch.tensor([1.0], requires_grad=True)
    y = x + 2 # 创建加法节点
    z = y ** 2 # 创建幂运算节点
    w = z * 3 # 创建乘法节点
    w.backward()
    print(x.grad) # dy/dx = ?
    print(x.grad) # tensor([18.])
    """)
    assert out == "tensor([18.])\ntensor([18.])\n"


def test_3_6_3_leaves_and_grad_fn():
    src = """
    x = torch.tensor([1.0], requires_grad=True)
    y = x + 2
    z = y ** 2
    print(x.is_leaf) # True(用户创建的)
    print(y.is_leaf) # False(由运算生成)
    print(z.is_leaf) # False
    print(x.grad_fn) # None(叶子节点没有grad_fn)
    print(y.grad_fn) # <AddBackward0>
    print(z.grad_fn) # <PowBackward0>
    """
    _, out = run(src)
    _, torch_out = run(src, "torch")
    same_text(out, torch_out)
    assert normalize(out) == "True\nFalse\nFalse\nNone\n<AddBackward0>\n<PowBackward0>\n"


def test_3_6_4_gradient_accumulation():
    _, out = run("""
    x = torch.tensor([1.0], requires_grad=True)
    y = x ** 2
    y.backward()
    print(x.grad) # tensor([2.])
    x.grad.zero_()
    z = x ** 3
    z.backward()
    print(x.grad) # tensor([3.])
    """)
    assert out == "tensor([2.])\ntensor([3.])\n"


def test_3_6_4_without_zeroing_gradients_add_up():
    # "如果不清零,梯度会累加:2 + 3 = 5"
    _, out = run("""
    x = torch.tensor([1.0], requires_grad=True)
    (x ** 2).backward()
    (x ** 3).backward()
    print(x.grad)
    """)
    assert out == "tensor([5.])\n"


def test_3_6_4_detach():
    ns, out = run("""
    x = torch.tensor([1.0], requires_grad=True)
    y = x ** 2
    z = y.detach()
    print(z.requires_grad) # False
    y_no_grad = y.detach().requires_grad_(False)
    """)
    assert out == "False\n"
    assert ns["y_no_grad"].requires_grad is False and ns["z"].grad_fn is None
    assert ns["y"].requires_grad is True


def test_3_6_5_no_grad():
    ns, out = run("""
    x = torch.tensor([1.0], requires_grad=True)
    y = x ** 2
    with torch.no_grad():
        z = y + 1
    print(z.requires_grad) # False

    @torch.no_grad()
    def inference(model, x):
        return model(x)

    inferred = inference(lambda t: t * 2, x)
    torch.set_grad_enabled(False)
    # ... 推理代码 ...
    during = (x * 2).requires_grad
    torch.set_grad_enabled(True)
    after = (x * 2).requires_grad
    """)
    assert out == "False\n"
    assert ns["inferred"].requires_grad is False
    assert ns["during"] is False and ns["after"] is True
    assert ember.is_grad_enabled()


# --- 3.7 neural networks ---------------------------------------------------------------------


def test_3_7_1_layers():
    _, out = run("""
    import torch.nn as nn
    linear = nn.Linear(in_features=10, out_features=5, bias=True)
    input_tensor = torch.randn(3, 10) # batch_size=3, 输入特征=10
    output = linear(input_tensor)
    print(output.shape) # torch.Size([3, 5])
    print(linear.weight.shape) # torch.Size([5, 10])
    print(linear.bias.shape) # torch.Size([5])
    conv = nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, padding=1)
    input_tensor = torch.randn(1, 3, 32, 32)
    output = conv(input_tensor)
    print(output.shape) # torch.Size([1, 16, 32, 32])
    pool = nn.MaxPool2d(kernel_size=2, stride=2)
    output = pool(output)
    print(output.shape) # torch.Size([1, 16, 16, 16])
    avg_pool = nn.AvgPool2d(kernel_size=2, stride=2)
    output = avg_pool(output)
    print(output.shape) # torch.Size([1, 16, 8, 8])
    """)
    assert normalize(out) == ("torch.Size([3, 5])\ntorch.Size([5, 10])\ntorch.Size([5])\n"
                              "torch.Size([1, 16, 32, 32])\ntorch.Size([1, 16, 16, 16])\n"
                              "torch.Size([1, 16, 8, 8])\n")


def test_3_7_1_layers_compute_what_pytorch_computes(monkeypatch):
    ens, _, tns, _ = run_both("""
    linear = nn.Linear(in_features=10, out_features=5, bias=True)
    input_tensor = torch.randn(3, 10)
    out_linear = linear(input_tensor)
    conv = nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, padding=1)
    input_tensor = torch.randn(1, 3, 32, 32)
    out_conv = conv(input_tensor)
    out_max = nn.MaxPool2d(kernel_size=2, stride=2)(out_conv)
    out_avg = nn.AvgPool2d(kernel_size=2, stride=2)(out_max)
    """, monkeypatch)
    for name in ("out_linear", "out_conv", "out_max", "out_avg"):
        np.testing.assert_allclose(ens[name].detach().numpy(), tns[name].detach().numpy(),
                                   rtol=1e-5, atol=1e-5, err_msg=name)


def test_3_7_2_activations(monkeypatch):
    ns, out, _, torch_out = run_both("""
    import torch.nn.functional as F
    x = torch.randn(5)
    relu = F.relu(x)
    print(relu) # max(0, x)
    sigmoid = torch.sigmoid(x)
    print(sigmoid) # 1 / (1 + exp(-x))
    tanh = torch.tanh(x)
    print(tanh)
    x = torch.randn(2, 5)
    softmax = F.softmax(x, dim=1) # 沿第1维归一化
    print(softmax) # 每行和为1
    """, monkeypatch)
    close_text(out, torch_out)
    np.testing.assert_allclose(ns["softmax"].sum(dim=1).numpy(), [1.0, 1.0], rtol=1e-6)
    assert (ns["relu"].numpy() >= 0).all()


SEQUENTIAL = """
import torch.nn as nn
model = nn.Sequential(
    nn.Linear(784, 256),
    nn.ReLU(),
    nn.Linear(256, 128),
    nn.ReLU(),
    nn.Linear(128, 10)
)
x = torch.randn(32, 784) # batch_size=32
output = model(x)
print(output.shape) # torch.Size([32, 10])
"""

SIMPLE_NET = """
import torch.nn as nn
class SimpleNet(nn.Module):
    def __init__(self):
        super(SimpleNet, self).__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        x = self.fc3(x)
        return x

model = SimpleNet()
print(model)
for name, param in model.named_parameters():
    print(f"{name}: {param.shape}")
"""


def test_3_7_3_sequential(monkeypatch):
    ens, out, tns, torch_out = run_both(SEQUENTIAL, monkeypatch)
    assert out == "ember.Size([32, 10])\n"
    np.testing.assert_allclose(ens["output"].detach().numpy(), tns["output"].detach().numpy(),
                               rtol=1e-4, atol=1e-5)


def test_3_7_3_subclassed_model_prints_like_the_seed():
    _, out = run(SIMPLE_NET)
    assert normalize(out) == (
        "SimpleNet(\n"
        "  (fc1): Linear(in_features=784, out_features=256, bias=True)\n"
        "  (fc2): Linear(in_features=256, out_features=128, bias=True)\n"
        "  (fc3): Linear(in_features=128, out_features=10, bias=True)\n"
        "  (relu): ReLU()\n"
        ")\n"
        "fc1.weight: torch.Size([256, 784])\nfc1.bias: torch.Size([256])\n"
        "fc2.weight: torch.Size([128, 256])\nfc2.bias: torch.Size([128])\n"
        "fc3.weight: torch.Size([10, 128])\nfc3.bias: torch.Size([10])\n")


LOSSES = """
import torch.nn as nn
criterion = nn.CrossEntropyLoss()
outputs = torch.randn(4, 10) # 4个样本,10个类别
targets = torch.tensor([0, 5, 3, 7]) # 真实类别索引
loss = criterion(outputs, targets)
print(f"CrossEntropyLoss: {loss.item():.4f}")
mse_loss = nn.MSELoss()
predictions = torch.tensor([[1.0], [2.0], [3.0]])
targets = torch.tensor([[1.5], [2.5], [2.5]])
loss = mse_loss(predictions, targets)
print(f"MSELoss: {loss.item():.4f}")
bce_loss = nn.BCELoss()
sigmoid = nn.Sigmoid()
pred = sigmoid(torch.randn(4, 1))
target = torch.tensor([[1.0], [0.0], [1.0], [0.0]])
loss = bce_loss(pred, target)
print(f"BCELoss: {loss.item():.4f}")
"""


def test_3_7_4_losses(monkeypatch):
    ns, out, _, torch_out = run_both(LOSSES, monkeypatch)
    close_text(out, torch_out)
    assert out.splitlines()[1] == "MSELoss: 0.2500"  # (0.25 + 0.25 + 0.25) / 3
    # CrossEntropyLoss by hand: mean of logsumexp(row) - row[target].
    o = ns["outputs"].numpy().astype(np.float64)
    ce = np.mean(np.log(np.exp(o).sum(1)) - o[np.arange(4), [0, 5, 3, 7]])
    assert out.splitlines()[0] == f"CrossEntropyLoss: {ce:.4f}"


OPTIMIZERS = """
import torch.optim as optim
model = SimpleNet()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
optimizer = optim.Adam(model.parameters(), lr=0.001)
for data, target in dataloader:
    optimizer.zero_grad() # 清零梯度
    output = model(data) # 前向传播
    loss = criterion(output, target) # 计算损失
    loss.backward() # 反向传播
    optimizer.step() # 更新参数
"""


def test_3_7_5_optimizer_training_step(monkeypatch):
    # The seed's loop needs `dataloader` and `criterion` from earlier; here a tiny loader (64
    # MNIST-shaped samples in 4 batches) and 3.7.4's CrossEntropyLoss.
    rng = np.random.default_rng(0)
    data = {"X": rng.standard_normal((64, 784)).astype(np.float32),
            "Y": rng.integers(0, 10, 64)}
    setup = """
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.tensor(X), torch.tensor(Y)), batch_size=16)
    dataloader = list(loader)
    torch.manual_seed(0)
    """
    # The same seed again rebuilds the model the seed's `model = SimpleNet()` started from.
    after = """
    torch.manual_seed(0)
    initial = SimpleNet()
    with torch.no_grad():
        first = criterion(initial(torch.tensor(X)), torch.tensor(Y)).item()
        last = criterion(model(torch.tensor(X)), torch.tensor(Y)).item()
    """
    src = SIMPLE_NET + textwrap.dedent(setup) + OPTIMIZERS + textwrap.dedent(after)
    ens, _, tns, _ = run_both(src, monkeypatch, data)
    assert ens["last"] < ens["first"]
    np.testing.assert_allclose(ens["last"], tns["last"], rtol=1e-3)
    np.testing.assert_allclose(ens["first"], tns["first"], rtol=1e-4)


# --- the same snippets on the reference backend ----------------------------------------------

REF_CASES = [
    ("x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x ** 2\ny.sum().backward()",
     "x.grad", [2.0, 4.0, 6.0]),
    ("x = torch.tensor([1.0], requires_grad=True)\ny = x + 2\nz = y ** 2\nw = z * 3\n"
     "w.backward()", "x.grad", [18.0]),
    ("x = torch.tensor([1.0], requires_grad=True)\n(x ** 2).backward()\nx.grad.zero_()\n"
     "(x ** 3).backward()", "x.grad", [3.0]),
    ("predictions = torch.tensor([[1.0], [2.0], [3.0]])\n"
     "targets = torch.tensor([[1.5], [2.5], [2.5]])\nloss = nn.MSELoss()(predictions, targets)",
     "loss", 0.25),
    ("x = torch.tensor([3.], requires_grad=True)\ny = torch.pow(x, 2)\n"
     "g1 = torch.autograd.grad(y, x, create_graph=True)\ng2 = torch.autograd.grad(g1[0], x)",
     "g2[0]", [2.0]),
]


@pytest.mark.parametrize("src,expr,value", REF_CASES, ids=[c[1] + str(c[2]) for c in REF_CASES])
def test_autograd_snippets_on_the_reference_backend(src, expr, value):
    previous = ember.get_default_device()
    ember.set_default_device("ref")
    try:
        ns, _ = run(src)
        result = eval(expr, ns)
    finally:
        ember.set_default_device(previous)
    assert result.device.type == "ref"
    np.testing.assert_allclose(result.detach().cpu().numpy(), value, rtol=1e-6)
