"""``view_as_real``/``view_as_complex``, ``Tensor.real``/``.imag`` (views), ``complex`` and
``polar`` against PyTorch, on the NumPy and the reference backends: shapes, strides and
storage offsets, writes seen through every alias, the property setters, and the errors."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

DEVICES = ["cpu", "ref"]
Z = [[1 + 2j, 3 - 1j, -0.5j], [5j, 2 + 0j, 1 - 1j]]


def _both(fn: Callable[[Any, str], Any], device: str) -> tuple[Any, Any]:
    return fn(ember, device), fn(torch, "cpu")


def _layout(t: Any) -> tuple:
    return tuple(t.shape), tuple(t.stride()), t.storage_offset(), str(t.dtype).split(".")[1]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("view", ["real", "imag", "view_as_real", "T-real", "T-view_as_real",
                                  "slice-imag", "view_as_complex", "view_as_complex-rows"])
def test_view_layout_matches_torch(view: str, device: str) -> None:
    def make(lib: Any, dev: str) -> Any:
        z = lib.tensor(Z, device=dev)
        x = lib.arange(24.0, device=dev).reshape(3, 4, 2)
        return {"real": lambda: z.real, "imag": lambda: z.imag,
                "view_as_real": lambda: lib.view_as_real(z), "T-real": lambda: z.T.real,
                "T-view_as_real": lambda: lib.view_as_real(z.T),
                "slice-imag": lambda: z[1:, ::2].imag,
                "view_as_complex": lambda: lib.view_as_complex(x),
                "view_as_complex-rows": lambda: lib.view_as_complex(x[1:, ::2])}[view]()

    got, want = _both(make, device)
    assert _layout(got) == _layout(want)
    assert got.tolist() == want.tolist()


@pytest.mark.parametrize("device", DEVICES)
def test_writes_are_seen_through_every_alias(device: str) -> None:
    def run(lib: Any, dev: str) -> list:
        z = lib.tensor(Z, device=dev)
        z.real[0, 1] = 7.0
        z.imag.mul_(2)
        lib.view_as_real(z)[1, 2, 0] = -4.0
        z.T.imag[2, 0] += 1.0  # through a transposed view
        pairs = lib.view_as_real(z)
        back = lib.view_as_complex(pairs)
        back[0, 0] = 9 - 9j
        r = z.real
        z.mul_(1j)  # the part views see later changes of z
        return [z.tolist(), r.tolist(), pairs.tolist()]

    got, want = _both(run, device)
    assert got == want


@pytest.mark.parametrize("device", DEVICES)
def test_property_setters_copy_into_the_parts(device: str) -> None:
    def run(lib: Any, dev: str) -> list:
        z = lib.tensor(Z, device=dev)
        z.real = lib.tensor([0.5, 1.5, 2.5], device=dev)  # broadcast
        z.imag = lib.zeros(2, 3, device=dev)
        x = lib.tensor([1.0, 2.0], device=dev)
        x.real = lib.tensor([3.0, 4.0], device=dev)  # a real tensor's real is itself
        return [z.tolist(), x.tolist()]

    got, want = _both(run, device)
    assert got == want


@pytest.mark.parametrize("device", DEVICES)
def test_complex_and_polar_match_torch(device: str) -> None:
    inf, nan = math.inf, math.nan
    re = [1.0, inf, -inf, 0.0, nan, -2.5]
    im = [inf, 2.0, -0.0, -inf, 1.0, 0.25]

    def run(lib: Any, dev: str) -> list:
        a = lib.tensor(re, device=dev)
        b = lib.tensor(im, device=dev)
        c = lib.complex(a, b)
        c32 = lib.complex(a.to(lib.float64)[:2], b.to(lib.float64)[:2])
        bc = lib.complex(lib.ones(2, 1, device=dev), lib.arange(3.0, device=dev))
        p = lib.polar(lib.tensor([2.0, 0.0, -1.0], device=dev),
                      lib.tensor([0.5, 1.0, -2.0], device=dev))
        return [str(c.dtype).split(".")[1], str(c32.dtype).split(".")[1],
                [repr(v) for v in c.tolist()], bc.tolist(), list(bc.shape),
                [complex(round(v.real, 6), round(v.imag, 6)) for v in p.tolist()]]

    got, want = _both(run, device)
    assert got == want


#: case -> (the call, a phrase both PyTorch's and Ember's messages contain)
ERRORS = {
    "real-input": (lambda lib, d: lib.view_as_real(lib.ones(2, device=d)),
                   "view_as_real is only supported for complex tensors"),
    "0-d": (lambda lib, d: lib.view_as_complex(lib.tensor(1.0, device=d)),
            "Input tensor must have one or more dimensions"),
    "last-size": (lambda lib, d: lib.view_as_complex(lib.ones(2, 3, device=d)),
                  "Tensor must have a last dimension of size 2"),
    "last-stride": (lambda lib, d: lib.view_as_complex(lib.ones(2, 2, device=d).T),
                    "Tensor must have a last dimension with stride 1"),
    "odd-offset": (lambda lib, d: lib.view_as_complex(lib.ones(3, 4, device=d)[:, 1:3]),
                   "Tensor must have a storage_offset divisible by 2"),
    "int": (lambda lib, d: lib.view_as_complex(lib.ones(2, 2, dtype=lib.int32, device=d)),
            "view_as_complex is only supported for"),
    "imag-of-real": (lambda lib, d: lib.ones(2, device=d).imag,
                     "imag is not implemented for tensors with non-complex dtypes"),
    "complex-dtypes": (lambda lib, d: lib.complex(lib.ones(2, device=d),
                                                  lib.ones(2, dtype=lib.float64, device=d)),
                       "Expected object of scalar type"),
    "complex-ints": (lambda lib, d: lib.complex(lib.ones(2, dtype=lib.int64, device=d),
                                                lib.ones(2, dtype=lib.int64, device=d)),
                     "Expected both inputs to be"),
    "polar-shapes": (lambda lib, d: lib.polar(lib.ones(2, device=d), lib.ones(3, device=d)),
                     "must match the size of tensor b"),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_match_torch(case: str, device: str) -> None:
    call, phrase = ERRORS[case]
    with pytest.raises(Exception, match=phrase) as want:
        call(torch, "cpu")
    with pytest.raises(type(want.value), match=phrase):
        call(ember, device)
