"""shared/seeds/000 ("PyTorch基础"), sections 3.8-3.10: data loading, the training loop,
saving and loading, devices — run as written with ``import ember as torch``.

MNIST is not downloaded (no network): its raw files are written first, in the real format.
The training run is compared with PyTorch's on the same random draws (NOTE [ Same random
numbers on both sides ] in _snippets.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from _snippets import close_text, run, run_both, same_text

import ember

# --- 3.8 data loading ------------------------------------------------------------------------

CUSTOM_DATASET = """
from torch.utils.data import Dataset, DataLoader
class CustomDataset(Dataset):
    def __init__(self, data, labels):
        self.data = data
        self.labels = labels

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return self.data[idx], self.labels[idx]

X = torch.randn(1000, 784) # 1000个样本
y = torch.randint(0, 10, (1000,)) # 10个类别
dataset = CustomDataset(X, y)
dataloader = DataLoader(dataset, batch_size=32, shuffle=True, num_workers=0)
for batch_data, batch_labels in dataloader:
    print(batch_data.shape, batch_labels.shape)
    # torch.Size([32, 784]) torch.Size([32])
    break
"""


def test_3_8_1_custom_dataset(monkeypatch):
    ens, out, tns, torch_out = run_both(CUSTOM_DATASET, monkeypatch)
    assert out == "ember.Size([32, 784]) ember.Size([32])\n"
    same_text(out, torch_out)
    # Same shuffle order (replayed) gives the same first batch.
    np.testing.assert_array_equal(ens["batch_labels"].numpy(), tns["batch_labels"].numpy())
    np.testing.assert_array_equal(ens["batch_data"].numpy(), tns["batch_data"].numpy())


def write_tiny_mnist(root, n_train: int = 8, n_test: int = 4) -> dict[str, np.ndarray]:
    """MNIST's raw IDX files (the format torchvision downloads) with a few random digits."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        header = np.array([2051, n, 28, 28], dtype=">i4").tobytes()
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(header + images.tobytes())
        header = np.array([2049, n], dtype=">i4").tobytes()
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(header + labels.tobytes())
        arrays[prefix] = (images, labels)
    return arrays


MNIST = """
import torchvision
import torchvision.transforms as transforms
transform = transforms.Compose([
    transforms.ToTensor(), # 转换为Tensor
    transforms.Normalize((0.5,), (0.5,)) # 归一化
])
train_dataset = torchvision.datasets.MNIST(
    root='./data',
    train=True,
    download=True,
    transform=transform
)
test_dataset = torchvision.datasets.MNIST(
    root='./data',
    train=False,
    download=True,
    transform=transform
)
train_loader = DataLoader(train_dataset, batch_size=64, shuffle=True)
test_loader = DataLoader(test_dataset, batch_size=64, shuffle=False)
"""


def test_3_8_2_torchvision_mnist(tmp_path, monkeypatch):
    # No internet here: the files download=True would fetch are written first (a tiny MNIST
    # in the real IDX format under ./data/MNIST/raw), so nothing is downloaded.
    arrays = write_tiny_mnist(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    ns, _ = run(MNIST)
    assert len(ns["train_dataset"]) == 8 and len(ns["test_dataset"]) == 4
    image, label = ns["test_dataset"][1]
    assert tuple(image.shape) == (1, 28, 28) and image.dtype == ember.float32
    images, labels = arrays["t10k"]
    np.testing.assert_allclose(image.numpy()[0], (images[1] / 255.0 - 0.5) / 0.5, rtol=1e-6,
                               atol=1e-6)
    assert label == int(labels[1])
    batch, targets = next(iter(ns["test_loader"]))
    assert tuple(batch.shape) == (4, 1, 28, 28)
    np.testing.assert_array_equal(targets.numpy(), labels)
    batch, targets = next(iter(ns["train_loader"]))
    assert sorted(targets.tolist()) == sorted(arrays["train"][1].tolist())


# --- 3.9 the training loop -------------------------------------------------------------------

TRAINING = """
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
X = torch.randn(1000, 20)
y = torch.randn(1000, 1)
dataset = TensorDataset(X, y)
dataloader = DataLoader(dataset, batch_size=32, shuffle=True)
class RegressionNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(20, 64),
            nn.ReLU(),
            nn.Linear(64, 32),
            nn.ReLU(),
            nn.Linear(32, 1)
        )

    def forward(self, x):
        return self.layers(x)

model = RegressionNet()
print(model)
criterion = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=0.01)
num_epochs = 10
for epoch in range(num_epochs):
    model.train() # 设置为训练模式
    running_loss = 0.0
    for batch_X, batch_y in dataloader:
        predictions = model(batch_X)
        loss = criterion(predictions, batch_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    avg_loss = running_loss / len(dataloader)
    print(f"Epoch [{epoch+1}/{num_epochs}], Loss: {avg_loss:.4f}")
model.eval() # 设置为评估模式
with torch.no_grad():
    test_X = torch.randn(100, 20)
    test_y = torch.randn(100, 1)
    predictions = model(test_X)
    test_loss = criterion(predictions, test_y)
    print(f"Test Loss: {test_loss.item():.4f}")
"""
# Kept fast: 320 samples and 4 epochs instead of 1000 and 10 (same code otherwise).
TRAINING_SMALL = (TRAINING.replace("randn(1000,", "randn(320,")
                  .replace("num_epochs = 10", "num_epochs = 4"))


@pytest.fixture(scope="module")
def trained():
    """3.9 run on Ember and on PyTorch with the same random draws (module-scoped: 3.10 goes on
    from where 3.9 ended, as in the seed)."""
    mp = pytest.MonkeyPatch()
    try:
        yield run_both(TRAINING_SMALL, mp)
    finally:
        mp.undo()


def test_3_9_training_loop(trained):
    ens, out, tns, torch_out = trained
    lines = out.splitlines()
    assert "\n".join(lines[:8]) == (
        "RegressionNet(\n"
        "  (layers): Sequential(\n"
        "    (0): Linear(in_features=20, out_features=64, bias=True)\n"
        "    (1): ReLU()\n"
        "    (2): Linear(in_features=64, out_features=32, bias=True)\n"
        "    (3): ReLU()\n"
        "    (4): Linear(in_features=32, out_features=1, bias=True)\n"
        "  )")
    losses = [float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith("Epoch")]
    assert len(losses) == 4 and losses[-1] < losses[0]
    assert lines[-1].startswith("Test Loss: ")
    # Same data, initial weights and shuffles as PyTorch: the same losses, printed the same.
    close_text(out, torch_out, rtol=2e-3, atol=2e-3)
    assert ens["model"].training is False


# --- 3.10 saving, loading, devices -----------------------------------------------------------

SAVE = """
torch.save(model, 'model.pth')
torch.save(model.state_dict(), 'model_weights.pth')
checkpoint = {
    'epoch': epoch,
    'model_state_dict': model.state_dict(),
    'optimizer_state_dict': optimizer.state_dict(),
    'loss': loss,
}
torch.save(checkpoint, 'checkpoint.pth')
"""

LOAD = """
loaded_model = torch.load('model.pth')
model = RegressionNet() # 先创建模型结构
model.load_state_dict(torch.load('model_weights.pth'))
checkpoint = torch.load('checkpoint.pth')
model.load_state_dict(checkpoint['model_state_dict'])
optimizer.load_state_dict(checkpoint['optimizer_state_dict'])
epoch = checkpoint['epoch']
loss = checkpoint['loss']
"""


def _after_training(trained, lib):
    ens, _, tns, _ = trained
    ns = ens if lib == "ember" else tns
    return {k: v for k, v in ns.items() if not k.startswith("__")}


def test_3_10_save_and_load_state_dicts(trained, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ns, _ = run(SAVE, "ember", _after_training(trained, "ember"))
    trained_model, trained_opt = ns["model"], ns["optimizer"]
    # The seed's LOAD without its first line (whole-model pickles: the next test).
    ns, _ = run(LOAD.split("\n", 2)[2], "ember", ns)
    assert ns["model"] is not trained_model
    for (k, a), (_, b) in zip(ns["model"].state_dict().items(),
                              trained_model.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=k)
    assert ns["epoch"] == 3
    assert ns["loss"].item() == pytest.approx(trained[0]["loss"].item())
    state = trained_opt.state_dict()
    assert ns["optimizer"].state_dict()["param_groups"] == state["param_groups"]
    x = ember.randn(5, 20)
    with ember.no_grad():
        np.testing.assert_allclose(ns["model"](x).numpy(), trained_model(x).numpy())


def test_3_10_load_whole_model_like_pytorch(trained, tmp_path, monkeypatch):
    # PyTorch >= 2.6 loads with weights_only=True by default, so the seed's
    # `torch.load('model.pth')` of a whole pickled model raises there; Ember does the same,
    # and weights_only=False (the old default the seed was written for) loads it.
    monkeypatch.chdir(tmp_path)
    outcome = {}
    for lib in ("ember", "torch"):
        ns, _ = run(SAVE, lib, _after_training(trained, lib))
        try:
            run("loaded_model = torch.load('model.pth')", lib, ns)
            outcome[lib] = None
        except Exception as e:  # noqa: BLE001 - the error type is what is compared
            outcome[lib] = e
        ns, _ = run("loaded_model = torch.load('model.pth', weights_only=False)", lib, ns)
        assert type(ns["loaded_model"]).__name__ == "RegressionNet"
        if lib == "ember":
            x = ember.randn(5, 20)
            with ember.no_grad():
                np.testing.assert_allclose(ns["loaded_model"](x).numpy(),
                                           ns["model"](x).numpy())
    # PyTorch raises pickle.UnpicklingError; Ember a subclass of it (WeightsOnlyError).
    assert outcome["torch"] is not None
    assert isinstance(outcome["ember"], type(outcome["torch"]))
    assert "weights_only" in str(outcome["ember"])


GPU = """
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
print(f"Using device: {device}")
model = model.to(device)
for batch_X, batch_y in dataloader:
    batch_X = batch_X.to(device)
    batch_y = batch_y.to(device)
    predictions = model(batch_X)
    loss = criterion(predictions, batch_y)
    # ...
model = model.cpu()
predictions = predictions.cpu()
"""


def test_3_10_3_device_moves(trained):
    ns, out = run(GPU, "ember", _after_training(trained, "ember"))
    expected = "cuda" if ember.cuda.is_available() else "cpu"
    assert out == f"Using device: {expected}\n"
    assert ns["predictions"].device.type == "cpu"
    assert next(ns["model"].parameters()).device.type == "cpu"
    assert ns["loss"].item() > 0
