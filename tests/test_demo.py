"""``python -m ember.demo``: smoke runs on a subset, on both backends, and its pieces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ember
from ember import demo
from ember._demo import DigitsCNN, random_shift

pytest.importorskip("sklearn", reason="the demo's digits ship with scikit-learn ('examples' extra)")

TINY = ["--epochs", "1", "--limit", "64", "--batch-size", "16", "--no-progress"]


def _run(tmp_path: Path, *extra: str) -> dict:
    return demo.main([*TINY, "--out", str(tmp_path), *extra])


def test_smoke_run_writes_checkpoint_and_plot(tmp_path: Path, capsys) -> None:
    pytest.importorskip("matplotlib", reason="the demo's plot needs the 'examples' extra")
    result = _run(tmp_path)
    out = capsys.readouterr().out
    assert "final test accuracy:" in out and "epoch 1/1" in out
    assert 0.0 <= result["test_accuracy"] <= 1.0
    assert len(result["history"].train_loss) == len(result["history"].test_acc) == 1

    assert result["plot"] == tmp_path / "curves.png"
    assert result["plot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    checkpoint = ember.load(result["checkpoint"])
    assert {"epoch", "model_state_dict", "optimizer_state_dict", "loss"} <= set(checkpoint)
    assert checkpoint["epoch"] == 1
    assert checkpoint["loss"] == pytest.approx(result["history"].train_loss[-1])
    model = DigitsCNN()
    model.load_state_dict(checkpoint["model_state_dict"])  # strict: every key matches
    optimizer = ember.optim.Adam(model.parameters())
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])


def test_same_seed_same_losses(tmp_path: Path) -> None:
    first = _run(tmp_path / "a", "--seed", "3")["history"]
    second = _run(tmp_path / "b", "--seed", "3")["history"]
    other = _run(tmp_path / "c", "--seed", "4")["history"]
    assert first.train_loss == second.train_loss and first.test_loss == second.test_loss
    assert first.train_loss != other.train_loss


def test_runs_on_the_reference_backend(tmp_path: Path) -> None:
    result = demo.main(["--device", "ref", "--epochs", "1", "--limit", "8", "--batch-size",
                        "8", "--no-progress", "--out", str(tmp_path)])
    assert np.isfinite(result["history"].train_loss[0])
    state = ember.load(result["checkpoint"])["model_state_dict"]
    assert state["features.0.weight"].shape == (32, 1, 3, 3)


def test_progress_bar_shows_loss_and_accuracy(tmp_path: Path, capsys) -> None:
    pytest.importorskip("tqdm", reason="the progress bar is tqdm ('examples' extra)")
    demo.main(["--epochs", "1", "--limit", "32", "--batch-size", "16", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert "epoch 1/1" in err and "loss=" in err and "acc=" in err


@pytest.mark.parametrize("argv, message", [
    (["--epochs", "0"], "--epochs must be at least 1, got 0"),
    (["--batch-size", "-2"], "--batch-size must be at least 1, got -2"),
    (["--lr", "0"], "--lr must be positive, got 0.0"),
    (["--device", "gpu"], "--device 'gpu': "),
])
def test_bad_arguments_are_rejected(argv: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        demo.parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_defaults() -> None:
    args = demo.parse_args([])
    assert (args.epochs, args.batch_size, args.device, args.out) == (
        demo.DEFAULT_EPOCHS, 32, None, Path("demo_out"))


def test_model_shapes() -> None:
    assert DigitsCNN()(ember.zeros(3, 1, 8, 8)).shape == (3, 10)


@pytest.mark.parametrize("device", ["cpu", "ref"])
def test_random_shift_moves_each_image_by_at_most_one_pixel(device: str) -> None:
    ember.manual_seed(0)
    images = ember.rand(16, 2, 5, 6, device=device) + 1.0  # background (min) is below 1
    shifted = random_shift(images).cpu().numpy()
    original = images.cpu().numpy()
    background = original.min()
    padded = np.pad(original, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=background)
    offsets = set()
    for i in range(16):
        matches = [(dy, dx) for dy in range(3) for dx in range(3)
                   if np.array_equal(shifted[i], padded[i, :, dy:dy + 5, dx:dx + 6])]
        assert len(matches) == 1, f"image {i} is not a one-pixel shift of the original"
        offsets.add(matches[0])
    assert len(offsets) > 1  # each image draws its own offset


def test_module_entry_point(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ember.demo", "--help"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "--device" in done.stdout and "--epochs" in done.stdout


def test_checkpoint_loads_in_pytorch_and_gives_the_same_logits(tmp_path: Path, torch) -> None:
    result = _run(tmp_path)
    checkpoint = torch.load(result["checkpoint"])  # weights_only: plain tensors and containers
    nn = torch.nn
    twin = nn.Module()
    twin.features = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1),
                                  nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2))
    twin.classifier = nn.Sequential(nn.Flatten(), nn.Linear(256, 128), nn.ReLU(),
                                    nn.Dropout(0.25), nn.Linear(128, 10))
    twin.load_state_dict(checkpoint["model_state_dict"])
    twin.eval()

    model = DigitsCNN()
    model.load_state_dict(ember.load(result["checkpoint"])["model_state_dict"])
    model.eval()
    images = np.random.default_rng(0).uniform(-1, 1, (5, 1, 8, 8)).astype(np.float32)
    with torch.no_grad():
        expected = twin.classifier(twin.features(torch.from_numpy(images))).numpy()
    actual = model(ember.from_numpy(images)).detach().numpy()
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-5)
