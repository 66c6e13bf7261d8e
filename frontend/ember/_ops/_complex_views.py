"""Complex tensors seen as real ones and back (``view_as_real``, ``view_as_complex``), and
complex tensors built from real parts (``complex``, ``polar``).

The views share memory with their input, as PyTorch's do (backend kernels of the same
names; NOTE [ Reinterpreted storage ] in the reference backend), so ``z.real`` and
``z.imag`` are views too. Gradients follow NOTE [ Complex gradients ] in
``autograd/_complex.py``.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record
from ..backend import _dtypes as D
from ._common import broadcast_shapes, shape_of
from ._reduction import check_tensor
from ._registry import public
from ._view_core import make_view

__all__ = ["view_as_real", "view_as_complex", "complex", "polar", "has_part_views"]


def has_part_views(t: Tensor) -> bool:
    """Whether ``t``'s backend can view complex memory as real (and back)."""
    return "view_as_real" in t._backend.capabilities


def _kernel(t: Tensor, name: str) -> Any:
    fn = t._backend.optional(name)
    if fn is None:
        raise RuntimeError(f"{name}: the {t._backend.name!r} backend (device "
                           f"{str(t.device)!r}) cannot view memory in another dtype (its "
                           f"capabilities lack {name!r})")
    return fn


@public()
def view_as_real(input: Tensor) -> Tensor:
    """A real view of complex ``input`` with a last axis of size 2: ``(real, imag)``.

    Example:
        >>> import ember
        >>> ember.view_as_real(ember.tensor([1 + 2j]))
        tensor([[1., 2.]])
    """
    check_tensor("view_as_real", input)
    if not input._dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    res = make_view(input, _kernel(input, "view_as_real")(input._data), input._dtype.to_real())
    if input._requires_grad and grad_state.enabled:
        record("ViewAsRealBackward0", lambda g, _s: (view_as_complex(g[0].contiguous()),),
               (input,), (res,), complex_ok=True)
    return res


def _complex_view_error(input: Tensor) -> str | None:
    shape = shape_of(input)
    if not shape:
        return "Input tensor must have one or more dimensions"
    if shape[-1] != 2:
        return "Tensor must have a last dimension of size 2"
    be = input._backend
    strides = be.strides(input._data)
    if strides[-1] != 1:
        return "Tensor must have a last dimension with stride 1"
    if any(s % 2 for s, n in zip(strides[:-1], shape[:-1]) if n > 1):
        return "Tensor must have a stride divisible by 2 for all but last dimension"
    if be.storage_offset(input._data) % 2:
        return "Tensor must have a storage_offset divisible by 2"
    return None


@public()
def view_as_complex(input: Tensor) -> Tensor:
    """A complex view of real ``input`` whose last axis (size 2, stride 1) holds
    ``(real, imag)`` pairs.

    Example:
        >>> import ember
        >>> ember.view_as_complex(ember.tensor([[1., 2.], [3., -1.]]))
        tensor([1.+2.j, 3.-1.j])
    """
    check_tensor("view_as_complex", input)
    if input._dtype not in (D.float32, D.float64):
        raise RuntimeError(f"view_as_complex is only supported for float and double tensors, "
                           f"but got a tensor of scalar type: {input._dtype}")
    problem = _complex_view_error(input)
    if problem:
        raise RuntimeError(problem)
    res = make_view(input, _kernel(input, "view_as_complex")(input._data),
                    input._dtype.to_complex())
    if input._requires_grad and grad_state.enabled:
        record("ViewAsComplexBackward0", lambda g, _s: (view_as_real(g[0]),), (input,), (res,),
               complex_ok=True)
    return res


def _parts_check(op: str, a: Tensor, b: Tensor, what: str) -> tuple[int, ...]:
    check_tensor(op, a)
    check_tensor(op, b)
    if a._dtype not in (D.float32, D.float64) or b._dtype not in (D.float32, D.float64):
        raise RuntimeError(f"Expected both inputs to be Float or Double tensors but got "
                           f"{a._dtype} and {b._dtype}")
    if a._dtype is not b._dtype:
        raise RuntimeError(f"Expected object of scalar type {a._dtype} but got scalar type "
                           f"{b._dtype} for second argument")
    if a.device != b.device:
        raise RuntimeError(f"{op}: expected both {what} on the same device, but got "
                           f"{a.device} and {b.device}")
    return broadcast_shapes(shape_of(a), shape_of(b))


def _assemble(re: Tensor, im: Tensor, shape: tuple[int, ...]) -> Tensor:
    """The complex tensor ``re + i im`` written part by part (exact, also for inf)."""
    from ._creation import empty

    out = empty(shape, dtype=re._dtype.to_complex(), device=re.device)
    be = out._backend
    pairs = _kernel(out, "view_as_real")(out._data)
    axes = (slice(None),) * len(shape)
    be.copy_into(be.getitem(pairs, (*axes, 0)), be.expand(re._data, shape))
    be.copy_into(be.getitem(pairs, (*axes, 1)), be.expand(im._data, shape))
    return out


@public()
def complex(real: Tensor, imag: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The complex tensor ``real + i imag`` (float32 parts give complex64, float64 parts
    complex128; the parts broadcast)."""
    from ._elementwise import _write

    shape = _parts_check("complex", real, imag, "real and imag")
    res = _assemble(real, imag, shape)
    if grad_state.enabled and (real._requires_grad or imag._requires_grad):
        record("ComplexBackward0", lambda g, _s: (g[0].real, g[0].imag), (real, imag), (res,),
               complex_ok=True)
    return _write(res, out)


def _polar_backward(g: tuple, saved: tuple) -> tuple:
    # z = r e^(i theta): dz = e^(i theta) dr + i z dtheta, and dL = Re(conj(G) dz);
    # PyTorch takes e^(i theta) as sgn(z) (0 where r = 0)
    from ._complex_parts import sgn

    z, = saved
    gc = g[0].conj()
    return (gc * sgn(z)).real, (gc * z * 1j).real


@public()
def polar(abs: Tensor, angle: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The complex tensor ``abs * (cos(angle) + i sin(angle))``."""
    from ._arith import mul
    from ._elementwise import _write
    from ._unary import cos, sin

    shape = _parts_check("polar", abs, angle, "abs and angle")
    prev, grad_state.enabled = grad_state.enabled, False
    try:
        res = _assemble(mul(abs, cos(angle)), mul(abs, sin(angle)), shape)
    finally:
        grad_state.enabled = prev
    if prev and (abs._requires_grad or angle._requires_grad):
        record("PolarBackward0", _polar_backward, (abs, angle), (res,), (res.detach(),),
               complex_ok=True)
    return _write(res, out)
