"""``normal`` with a complex mean draws complex normal noise, as PyTorch: each part has
variance ``std**2 / 2`` (the complex value ``std**2``), on every backend; a complex ``std``
and gradients through a complex draw are refused with PyTorch's messages."""

from __future__ import annotations

import math

import pytest

import ember

N = 40_000


@pytest.mark.parametrize("device", ["cpu", "ref"])
@pytest.mark.parametrize("std_kind", ["number", "tensor"])
def test_complex_mean_gives_complex_normal_noise(device: str, std_kind: str) -> None:
    n = N if device == "cpu" else 4_000
    ember.manual_seed(5)
    mean = ember.full((n,), 1 + 2j, dtype=ember.complex64, device=device)
    std = 2.0 if std_kind == "number" else ember.full((n,), 2.0, device=device)
    x = ember.normal(mean, std)
    assert x.dtype is ember.complex64 and x.device == mean.device
    tol = 6 * 2 / math.sqrt(n)  # six standard errors of the mean
    assert abs(x.real.mean().item() - 1) < tol and abs(x.imag.mean().item() - 2) < tol
    for part in (x.real, x.imag):
        assert abs(part.var().item() - 2.0) < 0.1 * 2.0 * (N / n) ** 0.5


def test_complex_mean_draws_are_reproducible_and_differ_by_part() -> None:
    mean = ember.zeros(5, dtype=ember.complex128)
    ember.manual_seed(1)
    a = ember.normal(mean, 1.0)
    ember.manual_seed(1)
    assert ember.normal(mean, 1.0).tolist() == a.tolist()
    assert a.real.tolist() != a.imag.tolist()


def test_refusals_match_torch() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")
    calls = [
        lambda lib: lib.normal(lib.zeros(3), lib.ones(3, dtype=lib.complex64)),
        lambda lib: lib.normal(lib.zeros(3, dtype=lib.complex64).requires_grad_(), 2.0),
    ]
    for call in calls:
        with pytest.raises(RuntimeError) as want:
            call(torch)
        with pytest.raises(RuntimeError, match=str(want.value).split(".")[0]):
            call(ember)
