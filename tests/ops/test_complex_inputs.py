"""Every op of the op database called with complex input, against PyTorch: Ember accepts
complex tensors exactly where PyTorch does, and where PyTorch refuses them (no order:
comparisons, extremes, sorting, clamping, rounding; the activations, pooling and losses
built on them) Ember raises the same exception type instead of computing something.

Each op's first float64 case is rebuilt with complex128 tensors (``x + (0.37 x + 0.21)i``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

from ember_conformance.opdb import TensorArg, all_cases  # noqa: E402
from ember_conformance.test_grads import _run  # noqa: E402

#: Ops without a PyTorch counterpart, or that differ on purpose, with the reason.
DIFFERENT = {
    "nn.functional.vector_norm": "not a function of torch.nn.functional (Ember's helper)",
}
KNOWN_GAPS: dict[str, str] = {}


def _complex(a: Any) -> Any:
    if isinstance(a, TensorArg) and a.dtype == "float64":
        def conv(d: Any) -> Any:
            if isinstance(d, list):
                return [conv(x) for x in d]
            return complex(d, 0.37 * d + 0.21)
        return dataclasses.replace(a, data=conv(a.data), dtype="complex128")
    if isinstance(a, list | tuple) and a and all(isinstance(x, TensorArg) for x in a):
        return type(a)(_complex(x) for x in a)
    return a


def _first_cases() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in all_cases():
        if c.error or c.dtype != "float64" or c.op in out or c.op in DIFFERENT:
            continue
        if not any(isinstance(a, TensorArg | list | tuple) for a in c.args):
            continue
        out[c.op] = dataclasses.replace(
            c, args=tuple(_complex(a) for a in c.args),
            kwargs={k: _complex(v) for k, v in c.kwargs.items()}, dtype="complex128")
    return out


CASES = _first_cases()


def _outcome(case: Any, lib: Any) -> str:
    try:
        leaves, fn, _ = _run(case, lib, "cpu")
        fn(*[t.detach() for t in leaves])
    except Exception as exc:  # noqa: BLE001  (the type is the outcome compared)
        return type(exc).__name__
    return "ok"


@pytest.mark.parametrize("op", [pytest.param(op, marks=pytest.mark.xfail(
    reason=KNOWN_GAPS[op], strict=True)) if op in KNOWN_GAPS else op for op in sorted(CASES)])
def test_complex_input_accepted_or_refused_as_torch(op: str) -> None:
    case = CASES[op]
    assert _outcome(case, ember) == _outcome(case, torch)


def test_the_refusal_names_the_op_and_dtype() -> None:
    z = ember.tensor([1 + 1j, 2 - 1j])
    with pytest.raises(NotImplementedError, match=r"amax: not implemented for complex "
                                                  r"tensors \(got ember.complex64\)"):
        z.amax()
    with pytest.raises(NotImplementedError, match="clamp"):  # as PyTorch's relu: its clamp
        ember.nn.functional.relu(z)
    with pytest.raises(NotImplementedError, match="lt"):
        _ = z < z
