"""shared/seeds/003 ("Pytorch速查"), nn: layers with their keyword arguments, activations,
init, the loss table, the optimizer and scheduler tables and the optimizer usage lines — run
with ``import ember as torch`` and compared with PyTorch on the same inputs and random draws
(NOTE [ Same random numbers on both sides ] in _snippets.py), or the same exception type where
the sheet's line fails on PyTorch too (``nn.tanh()``).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from _snippets import (
    differential,
    run,
    run_both,
)

# --- torch.nn -----------------------------------------------------------------------------------

LAYERS = [
    ("nn.Conv2d(in_channels=3, out_channels=4, kernel_size=3, stride=1, padding=0, dilation=1,"
     " groups=1, bias=True, padding_mode='zeros')", "img"),
    ("nn.Conv2d(3, 6, 3, stride=2, padding=1, dilation=2, groups=3, bias=False)", "img"),
    ("nn.Conv2d(3, 4, 3, padding=1, padding_mode='reflect')", "img"),
    ("nn.MaxPool2d(kernel_size=2, stride=None, padding=0, dilation=1, return_indices=False,"
     " ceil_mode=False)", "img"),
    ("nn.MaxPool2d(3, stride=2, padding=1, dilation=1, return_indices=True, ceil_mode=True)",
     "img"),
    ("nn.AvgPool2d(kernel_size=2, stride=None, padding=0, ceil_mode=False,"
     " count_include_pad=True, divisor_override=None)", "img"),
    ("nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False,"
     " divisor_override=5)", "img"),
    ("nn.Linear(in_features=7, out_features=3, bias=True)", "vec"),
    ("nn.Sigmoid()", "vec"), ("nn.ReLU()", "vec"), ("nn.LeakyReLU()", "vec"),
    ("nn.PReLU()", "vec"), ("nn.Tanh()", "vec"),
    ("nn.tanh()", "vec"),  # the sheet's spelling: no such class, on either library
]


@pytest.mark.parametrize("layer,arg", LAYERS, ids=[layer for layer, _ in LAYERS])
def test_layers(layer, arg, monkeypatch):
    differential(f"({layer})(x)", monkeypatch, f"""
    img = torch.randn(2, 3, 9, 11)
    vec = torch.randn(4, 7)
    x = {arg}
    """, rtol=1e-5, atol=1e-5)


def test_rrelu(monkeypatch):
    # RReLU: in eval mode the negative slope is (lower + upper) / 2; in training mode a
    # random slope per element drawn from [lower, upper] = [1/8, 1/3].
    differential("nn.RReLU().eval()(x)", monkeypatch, "x = torch.randn(50)")
    ns, _ = run("x = -torch.rand(1000) - 0.1\ny = nn.RReLU()(x)")
    slopes = (ns["y"] / ns["x"]).numpy()
    assert slopes.min() >= 1 / 8 - 1e-6 and slopes.max() <= 1 / 3 + 1e-6
    assert slopes.std() > 0.03


def test_xavier_init():
    ns, _ = run("""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(16, 32, 5)
            nn.init.xavier_uniform_(self.conv1.weight) # 均匀分布初始化
    net = Net()
    conv_layer = nn.Conv2d(32, 16, 5)
    nn.init.xavier_normal_(conv_layer.weight.data) # 正态分布初始化
    """)
    fan = (16 + 32) * 25
    w = ns["net"].conv1.weight.detach().numpy()
    assert np.abs(w).max() <= np.sqrt(6 / fan) and w.std() == pytest.approx(np.sqrt(2 / fan),
                                                                              rel=0.1)
    w = ns["conv_layer"].weight.detach().numpy()
    assert w.std() == pytest.approx(np.sqrt(2 / fan), rel=0.1)


# --- 损失函数 -----------------------------------------------------------------------------------

LOSS_SETUP = """
pred = torch.randn(4, 5)
target = torch.randn(4, 5)
logits = torch.randn(4, 5)
labels = torch.tensor([1, 0, 4, 2])
binary = torch.randint(0, 2, (4, 5)).float()
sigmoid = torch.sigmoid
log_softmax = lambda t: torch.log_softmax(t, dim=1)
pred_dist = torch.softmax(torch.randn(4, 5), dim=1)
target_dist = torch.softmax(torch.randn(4, 5), dim=1)
input1 = torch.randn(4, 5)
input2 = torch.randn(4, 5)
sign = torch.tensor([1., -1., 1., -1.])
anchor, positive, negative = torch.randn(4, 5), torch.randn(4, 5), torch.randn(4, 5)
counts = torch.randint(0, 6, (4, 5)).float()
log_probs = torch.randn(12, 4, 6).log_softmax(2)
targets = torch.randint(1, 6, (4, 5))
input_lengths = torch.full((4,), 12, dtype=torch.long)
target_lengths = torch.tensor([5, 3, 4, 2])
"""

LOSS_TABLE = [
    "nn.MSELoss()(pred, target)", "nn.L1Loss()(pred, target)",
    "nn.CrossEntropyLoss()(logits, labels)", "nn.BCELoss()(sigmoid(pred), binary)",
    "nn.BCEWithLogitsLoss()(pred, binary)", "nn.NLLLoss()(log_softmax(pred), labels)",
    "nn.KLDivLoss(reduction='batchmean')(pred_dist.log(), target_dist)",
    "nn.HuberLoss(delta=1.0)(pred, target)", "nn.SmoothL1Loss()(pred, target)",
    "nn.CosineEmbeddingLoss()(input1, input2, sign)",
    "nn.CTCLoss()(log_probs, targets, input_lengths, target_lengths)",
    "nn.MarginRankingLoss()(input1[:, 0], input2[:, 0], sign)",
    "nn.MultiMarginLoss()(pred, labels)",
    "nn.TripletMarginLoss()(anchor, positive, negative)",
    "nn.PoissonNLLLoss()(pred, counts)",
    # 损失函数的常用参数
    "nn.CrossEntropyLoss(weight=torch.tensor([1., 2., 1., 1., 3.]))(logits, labels)",
    "nn.CrossEntropyLoss(ignore_index=4)(logits, labels)",
    "nn.CrossEntropyLoss(reduction='none')(logits, labels)",
    "nn.CrossEntropyLoss(reduction='sum')(logits, labels)",
    "nn.BCELoss(weight=torch.rand(4, 5))(sigmoid(pred), binary)",
    "nn.BCELoss(reduction='sum')(sigmoid(pred), binary)",
    "nn.MSELoss(reduction='none')(pred, target)", "nn.MSELoss(reduction='sum')(pred, target)",
    # 常见的损失函数组合
    "nn.MSELoss()(pred, target) + 0.1 * nn.L1Loss()(pred, target)",
    "nn.CrossEntropyLoss()(logits, labels) + 2.0 * nn.KLDivLoss(reduction='batchmean')("
    "log_softmax(logits / 2.0), torch.softmax(pred / 2.0, dim=1))",
]


@pytest.mark.parametrize("line", LOSS_TABLE)
def test_loss_table(line, monkeypatch):
    differential(line, monkeypatch, LOSS_SETUP, rtol=1e-5, atol=1e-6)


def test_loss_table_gradients(monkeypatch):
    lines = ", ".join(f"torch.autograd.grad({line}, [pred, logits, input1, log_probs], "
                      "allow_unused=True, materialize_grads=True)" for line in LOSS_TABLE[:15])
    setup = LOSS_SETUP.replace("pred = torch.randn(4, 5)",
                               "pred = torch.randn(4, 5, requires_grad=True)")
    for name in ("logits", "input1"):
        setup = setup.replace(f"{name} = torch.randn(4, 5)",
                              f"{name} = torch.randn(4, 5, requires_grad=True)")
    setup = setup.replace("log_probs = torch.randn(12, 4, 6).log_softmax(2)",
                          "log_probs = torch.randn(12, 4, 6).log_softmax(2).requires_grad_()")
    setup = setup.replace("input2 = torch.randn(4, 5)", "input2 = torch.randn(4, 5)\n"
                          "input1 = input1")
    differential(f"[{lines}]", monkeypatch, setup, rtol=1e-4, atol=1e-6)


def test_kldiv_mean_reduction_warns_like_pytorch():
    # The sheet's `nn.KLDivLoss()(pred_dist.log(), target_dist)`: reduction='mean' warns.
    for lib in ("ember", "torch"):
        with pytest.warns(UserWarning, match="batchmean"):
            run(LOSS_SETUP + "loss = nn.KLDivLoss()(pred_dist.log(), target_dist)", lib)


# --- 优化器 ------------------------------------------------------------------------------------

OPTIMIZER_TABLE = [
    "optim.SGD(model.parameters(), lr=0.01, momentum=0.9)",
    "optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999))",
    "optim.AdamW(model.parameters(), lr=0.001, weight_decay=0.01)",
    "optim.RMSprop(model.parameters(), lr=0.01, alpha=0.99)",
    "optim.Adagrad(model.parameters(), lr=0.01)",
    "optim.Adadelta(model.parameters(), rho=0.9)",
    "optim.Adamax(model.parameters(), lr=0.002)",
    "optim.ASGD(model.parameters(), lr=0.01)",
    "optim.LBFGS(model.parameters(), lr=1)",
    pytest.param("optim.SparseAdam(model.parameters(), lr=0.001)", marks=pytest.mark.xfail(
        reason="ember.optim.SparseAdam.step takes dense gradients; PyTorch raises RuntimeError "
               "'SparseAdam does not support dense gradients, please consider Adam instead' "
               "(nn.Linear's gradients are dense)", strict=True), id="SparseAdam"),
    "optim.RAdam(model.parameters(), lr=0.001)",
    # 优化器的常用参数
    "optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-3, nesterov=True)",
    "optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-3, eps=1e-6, amsgrad=True)",
]


@pytest.mark.parametrize("make", OPTIMIZER_TABLE,
                         ids=[m if isinstance(m, str) else None for m in OPTIMIZER_TABLE])
def test_optimizer_table(make, monkeypatch):
    got = differential("train()", monkeypatch, f"""
    import torch.optim as optim
    model = nn.Linear(3, 1)
    X = torch.randn(16, 3)
    y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    optimizer = {make}
    def closure():
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        return loss
    def train():
        losses = []
        for _ in range(5):
            losses.append(optimizer.step(closure).item())
        return [p.detach() for p in model.parameters()] + [losses]
    """, rtol=1e-4, atol=1e-6)
    if got[0] != "raises":
        losses = [float(v[1]) for v in got[1][-1][1]]
        assert losses[-1] < losses[0]


SCHEDULER_TABLE = [
    "StepLR(optimizer, step_size=30, gamma=0.1)",
    "MultiStepLR(optimizer, milestones=[30,80], gamma=0.1)",
    "ExponentialLR(optimizer, gamma=0.95)",
    "CosineAnnealingLR(optimizer, T_max=100)",
    "ReduceLROnPlateau(optimizer, mode='min', patience=10)",
    "OneCycleLR(optimizer, max_lr=0.1, epochs=10, steps_per_epoch=100)",
]


@pytest.mark.parametrize("make", SCHEDULER_TABLE)
def test_scheduler_table(make, monkeypatch):
    plateau = "Plateau" in make
    got = differential("lrs", monkeypatch, f"""
    from torch.optim.lr_scheduler import {make.split("(")[0]}
    model = nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = {make}
    lrs = []
    for epoch in range(100):
        optimizer.step()
        scheduler.step({"1.0" if plateau else ""})
        lrs.append(optimizer.param_groups[0]['lr'])
    """, rtol=1e-9, atol=0)
    lrs = [float(v[1]) for v in got[1]]
    assert len(set(lrs)) > 1


OPTIMIZER_USAGE = """
import torch
import torch.optim as optim
optimizer = optim.SGD(net.parameters(), lr=LR, momentum=0.9) # 定义优化器
optimizer.zero_grad() # 优化器清零
optimizer.step() # 优化器更新参数
w2 = torch.randn((3, 3), requires_grad=True)
optimizer.add_param_group({"params": w2, 'lr': 0.0001})
opt_state_dict = optimizer.state_dict()
torch.save(opt_state_dict, os.path.join(BASE_DIR, "optimizer_state_dict.pkl"))
state_dict = torch.load(os.path.join(BASE_DIR, "optimizer_state_dict.pkl"))
optimizer.load_state_dict(state_dict)
torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
for i in range(accumulation_steps):
    loss = criterion(model(data), target)
    loss = loss / accumulation_steps
    loss.backward()
    if (i + 1) % accumulation_steps == 0:
        optimizer.step()
        optimizer.zero_grad()
optimizer = torch.optim.Adam([
    {'params': model.base.parameters()},
    {'params': model.classifier.parameters(), 'lr': 1e-3}
], lr=1e-4)
"""

USAGE_SETUP = """
import os
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.base = nn.Linear(3, 4)
        self.classifier = nn.Linear(4, 2)
    def forward(self, x):
        return self.classifier(torch.relu(self.base(x)))
net = model = Net()
LR = 0.1
criterion = nn.CrossEntropyLoss()
data = torch.randn(6, 3)
target = torch.tensor([0, 1, 1, 0, 1, 0])
accumulation_steps = 3
model(data).sum().backward()
"""


def test_optimizer_usage(tmp_path, monkeypatch):
    # `net`, `model`, `LR`, `BASE_DIR`, `criterion`, `data`, `target`, `accumulation_steps`
    # are the sheet's free names; they are given here.
    src = textwrap.dedent(USAGE_SETUP) + OPTIMIZER_USAGE + """
groups = [(len(g['params']), g['lr']) for g in optimizer.param_groups]
"""
    ens, _, tns, _ = run_both(src, monkeypatch, ns={"BASE_DIR": str(tmp_path)})
    assert ens["groups"] == tns["groups"] == [(2, 1e-4), (2, 1e-3)]
    assert [g["lr"] for g in ens["state_dict"]["param_groups"]] == [0.1, 0.0001]
    for (k, a), (_, b) in zip(ens["model"].state_dict().items(),
                              tns["model"].state_dict().items()):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7, err_msg=k)


def test_clip_grad_norm(monkeypatch):
    differential("[total, [p.grad for p in model.parameters()]]", monkeypatch, """
    model = nn.Linear(5, 3)
    (model(torch.randn(8, 5)) * 10).sum().backward()
    total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    """)


def test_gradient_accumulation_equals_one_big_batch():
    # Accumulating the gradients of 3 thirds of a batch (each loss / 3) gives the gradient
    # of the whole batch's mean loss.
    ns, _ = run(textwrap.dedent(USAGE_SETUP) + """
model.zero_grad()
for i in range(accumulation_steps):
    part = slice(2 * i, 2 * i + 2)
    loss = criterion(model(data[part]), target[part])
    loss = loss / accumulation_steps
    loss.backward()
accumulated = [p.grad.clone() for p in model.parameters()]
model.zero_grad()
criterion(model(data), target).backward()
whole = [p.grad for p in model.parameters()]
""")
    for a, b in zip(ns["accumulated"], ns["whole"]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7)
