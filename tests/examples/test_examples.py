"""Smoke runs of every script in examples/: each ``main(argv)`` with tiny sizes.

Every example file must have a case here (and a line in examples/README.md), so a new
example cannot land untested. Plots go to a temporary directory with matplotlib's Agg
backend. Besides running, each case checks the one thing its example is about.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str) -> ModuleType:
    path = EXAMPLES / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"ember_example_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look modules up by name
    spec.loader.exec_module(module)
    return module


def _check_00(r: dict, out: Path) -> None:
    assert tuple(r["product"].shape) == (3, 3) and tuple(r["broadcast"].shape) == (3, 3, 4)
    assert (r["norms"] > 0).all().item()


def _check_01(r: dict, out: Path) -> None:
    assert r["loss"] < 1 and abs(r["w"] - 2) < 0.6
    assert (out / "01_linear_regression.png").stat().st_size > 0


def _check_02(r: dict, out: Path) -> None:
    assert r["accuracy"] > 0.9
    assert (out / "02_logistic_regression.png").stat().st_size > 0


def _check_03(r: dict, out: Path) -> None:
    assert r["losses"][-1] < r["losses"][0] and r["test_accuracy"] > 0.3


def _check_04(r: dict, out: Path) -> None:
    assert -1.0 <= r["min"] and r["max"] <= 1.0 and r["min"] < 0 < r["max"]
    assert (out / "04_augmentation.png").stat().st_size > 0


def _check_05(r: dict, out: Path) -> None:
    assert r["lrs"] == pytest.approx([0.01] * 5 + [0.005, 0.0025])


def _check_06(r: dict, out: Path) -> None:
    assert len(r["focal"]) == len(r["cross_entropy"]) == 3
    assert all(0 <= v <= 1 for v in r["focal"] + r["cross_entropy"])


def _check_07(r: dict, out: Path) -> None:
    assert r["my_relu_ok"] is True and r["broken_ok"] is False
    assert r["last_loss"] < r["first_loss"]


def _check_08(r: dict, out: Path) -> None:
    assert r["resumed_losses"] == r["straight_losses"][-len(r["resumed_losses"]):]
    assert (out / "checkpoint.pt").stat().st_size > 0


def _check_09(r: dict, out: Path) -> None:
    assert r["last_loss"] < r["first_loss"] and math.isfinite(r["generation_mse"])
    assert (out / "09_lstm_sequence.png").stat().st_size > 0


def _check_10(r: dict, out: Path) -> None:
    assert r["losses"][-1] < r["losses"][0] and 0 <= r["test_accuracy"] <= 1


def _check_11(r: dict, out: Path) -> None:
    assert r["op_diff"] < 1e-5 and r["loss_diff"] < 1e-5 and r["weight_diff"] < 1e-5


# (script, tiny arguments, check); "{out}" becomes a temporary directory.
CASES: list[tuple[str, list[str], Any]] = [
    ("00_tensor_exercises", [], _check_00),
    ("01_linear_regression", ["--out", "{out}"], _check_01),
    ("02_logistic_regression", ["--samples", "50", "--out", "{out}"], _check_02),
    ("03_mlp_log_softmax", ["--epochs", "2", "--limit", "200"], _check_03),
    ("04_augmentation", ["--images", "6", "--size", "16", "--out", "{out}"], _check_04),
    ("05_lr_schedule", ["--epochs", "7", "--samples", "64"], _check_05),
    ("06_focal_loss", ["--counts", "60", "10", "5", "--steps", "20"], _check_06),
    ("07_custom_function", ["--hidden", "8", "--steps", "20"], _check_07),
    ("08_checkpoint_resume", ["--epochs", "4", "--resume-at", "2", "--samples", "64",
                              "--out", "{out}"], _check_08),
    ("09_lstm_sequence", ["--samples", "32", "--seq-len", "8", "--hidden", "8", "--epochs",
                          "2", "--generate", "5", "--out", "{out}"], _check_09),
    ("10_transformer_encoder", ["--epochs", "2", "--limit", "128", "--d-model", "16",
                                "--layers", "1"], _check_10),
    ("11_switch_backends", ["--steps", "4"], _check_11),
]


@pytest.mark.parametrize("name, argv, check", CASES, ids=[c[0] for c in CASES])
def test_example_runs(name: str, argv: list[str], check: Any, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    pytest.importorskip("matplotlib", reason="the examples' plots need the 'examples' extra")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)  # anything written to a default path lands here
    result = _load(name).main([a.replace("{out}", str(tmp_path)) for a in argv])
    assert capsys.readouterr().out.strip(), f"{name} printed nothing"
    check(result, tmp_path)


def test_tiny_run_on_the_reference_backend(tmp_path: Path) -> None:
    """The examples take ``--device``; one of them runs end to end on ``ref``."""
    result = _load("02_logistic_regression").main(
        ["--device", "ref", "--samples", "10", "--iterations", "3", "--out", str(tmp_path)])
    assert result["iterations"] <= 3 and math.isfinite(result["loss"])


def test_every_example_is_smoke_tested_and_listed() -> None:
    scripts = sorted(p.stem for p in EXAMPLES.glob("[0-9][0-9]_*.py"))
    assert scripts == sorted(c[0] for c in CASES)
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    missing = [s for s in scripts if f"{s}.py" not in readme]
    assert not missing, f"examples/README.md does not list {missing}"


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_example_has_help(name: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _load(name).main(["--help"])
    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out
