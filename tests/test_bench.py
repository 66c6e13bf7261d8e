"""Smoke tests of ``ember bench`` (``ember.bench``): it runs with ``--quick`` and prints one
table or JSON. They check the runner and the report, never a timing (STYLE rule 13)."""

from __future__ import annotations

import json
import sys

import pytest

import ember
from ember import bench
from ember.cli import main as cli_main

ONE = "elementwise/add 8x8 f32"
PATTERN = r"^elementwise/add 8x8"


def test_table_has_one_row_per_workload_and_ratio_columns(capsys: pytest.CaptureFixture,
                                                           torch: object) -> None:
    assert cli_main(["bench", "--quick", "--repeat", "2", "--only", PATTERN]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = lines[0].split()
    assert header[:3] == ["workload", "numpy", "time"]
    for column in ("numpy / torch", "numpy / numpy", "reference / torch", "reference / numpy"):
        assert column in lines[0]
    rows = [line for line in lines if line.startswith("elementwise/")]
    assert len(rows) == 1 and rows[0].startswith(ONE)
    ratios = [cell for cell in rows[0].split() if cell.count("/") == 2]
    assert len(ratios) == 4  # numpy and reference, each over torch and over numpy
    for cell in ratios:
        lo, mid, hi = map(float, cell.split("/"))
        assert 0 < lo <= mid <= hi
    assert "PyTorch" in out and "machine:" in out


def test_json_is_machine_readable(capsys: pytest.CaptureFixture, torch: object) -> None:
    assert cli_main(["bench", "--quick", "--json", "--repeat", "2", "--no-reference",
                     "--only", PATTERN]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["backends"] == ["numpy"]
    assert report["settings"]["repeat"] == 2 and report["settings"]["clock"] == "wall"
    assert report["machine"]["cores"] >= 1
    (result,) = report["results"]
    assert result["workload"] == ONE and result["tiny"] is True
    assert set(result["times"]) == {"ember-numpy", "torch", "numpy"}
    stats = result["times"]["ember-numpy"]
    assert stats["repeat"] == 2 and len(stats["times"]) == 2
    assert stats["min"] <= stats["median"] <= stats["max"]
    for key in ("numpy/torch", "numpy/numpy"):
        ratio = result["ratios"][key]
        assert 0 < ratio["min"] <= ratio["median"] <= ratio["max"]


def test_without_torch_the_torch_columns_say_so(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch raises ImportError
    assert bench.run(quick=True, repeat=1, only=PATTERN, reference=False, progress=False) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith(ONE))
    assert bench.TORCH_MISSING in row
    assert "PyTorch not installed" in out
    assert bench.run(json_output=True, quick=True, repeat=1, only=PATTERN, reference=False,
                     progress=False) == 0
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["times"]["torch"] == {"unavailable": bench.TORCH_MISSING}
    assert result["ratios"]["numpy/torch"] is None
    assert result["ratios"]["numpy/numpy"]["median"] > 0


def test_only_that_matches_nothing_is_an_error(capsys: pytest.CaptureFixture) -> None:
    assert cli_main(["bench", "--only", "no-such-workload"]) == 2
    assert "no workload matches" in capsys.readouterr().err


def test_bad_repeat_is_refused(capsys: pytest.CaptureFixture) -> None:
    assert cli_main(["bench", "--repeat", "0"]) == 2
    assert "--repeat must be at least 1, got 0" in capsys.readouterr().err


def test_bad_pattern_is_refused(capsys: pytest.CaptureFixture) -> None:
    assert cli_main(["bench", "--only", "conv("]) == 2
    assert "--only 'conv(' is not a regular expression" in capsys.readouterr().err


def test_list_names_every_family(capsys: pytest.CaptureFixture) -> None:
    assert cli_main(["bench", "--list"]) == 0
    families = {line.split("/")[0] for line in capsys.readouterr().out.splitlines()}
    assert families == {"elementwise", "reductions", "matmul", "conv", "autograd", "optim",
                        "dataloader", "training", "targets"}


def test_a_failing_workload_is_reported_not_fatal() -> None:
    def broken(T: object, device: str) -> object:
        raise NotImplementedError("op missing")

    w = bench.Workload("elementwise", "broken", broken)
    result = bench.run_workload(w, bench.Settings(repeat=1, min_time=0.001),
                                [("numpy", "cpu")])
    assert result.times["ember-numpy"] == "error: NotImplementedError: op missing"
    assert result.ratio("numpy", "torch") == "error: NotImplementedError: op missing"


@pytest.mark.parametrize("workload", [w for w in bench.workloads() if w.tiny],
                         ids=lambda w: w.key)
@pytest.mark.parametrize("device", ["cpu", "ref"])
def test_tiny_workloads_run_on_every_backend(workload: bench.Workload, device: str) -> None:
    workload.setup(ember, device)()


@pytest.mark.parametrize("workload", [w for w in bench.workloads() if not w.tiny],
                         ids=lambda w: w.key)
def test_every_workload_sets_up(workload: bench.Workload) -> None:
    assert callable(workload.setup(ember, "cpu"))
    if workload.numpy is not None:
        import numpy as np

        assert callable(workload.numpy(np))


@pytest.mark.skipif(not bench.memory_supported(), reason="peak memory needs Linux's "
                    "/proc/self/clear_refs and VmHWM")
def test_memory_table_has_peaks_and_ratios(capsys: pytest.CaptureFixture, torch: object) -> None:
    assert cli_main(["bench", "--memory", "--only", "training/MLP"]) == 0
    out = capsys.readouterr().out
    head, rule, row = out.splitlines()[:3]
    assert head.split()[:3] == ["workload", "ember", "MiB"] and set(rule) <= {"-", " "}
    assert row.startswith("training/MLP")
    cells = row.split()[-5:]
    assert all(float(c) >= 0 for c in cells[:3])  # MiB of ember, torch, numpy
    assert "peak resident memory" in out


def test_memory_json_reports_bytes(capsys: pytest.CaptureFixture, torch: object) -> None:
    if not bench.memory_supported():
        pytest.skip("peak memory needs Linux's /proc/self/clear_refs and VmHWM")
    assert bench.run_memory(only="training/MLP", json_output=True, calls=1) == 0
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert set(result["peak_bytes"]) == {"ember-numpy", "torch", "numpy"}
    assert all(isinstance(v, int) and v >= 0 for v in result["peak_bytes"].values())
