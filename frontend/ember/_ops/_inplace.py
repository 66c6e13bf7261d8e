"""In-place ops (``add_``, ``copy_``, ``fill_``, ...) and the ``out=`` argument.

# NOTE [ In-place writes ]
An in-place op computes its result out of place with the usual promotion, checks that the
result can be cast to the destination's dtype and that it has the destination's shape,
then writes it with the backend's ``copy_into`` (so writes reach every view of the same
storage) and bumps the version counter shared by the tensor and its views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._promotion import category
from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ._common import is_scalar, shape_of, to_dtype
from ._elementwise import _tname
from ._registry import method

__all__ = ["write_out", "assign_", "bump_version", "make_inplace", "check_inplace"]


def bump_version(t: Tensor) -> None:
    """Increment the version counter shared by ``t`` and its views."""
    meta = t._ensure_meta()
    if meta.version is None:
        meta.version = [0]
    meta.version[0] += 1


def check_inplace(t: Tensor, op: str) -> None:
    """Refuse an in-place op on a leaf that requires grad (while grad mode is on)."""
    if t._requires_grad and t._grad_fn is None and grad_state.enabled:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")


def assign_(dst: Tensor, res: Tensor, op: str) -> Tensor:
    """Write the out-of-place result ``res`` into ``dst`` (see NOTE [ In-place writes ])."""
    if res._grad_fn is None and res._dtype is dst._dtype and not (
            dst._requires_grad and grad_state.enabled):  # the common case (optimizers)
        be = dst._backend
        if be.shape(dst._data) == be.shape(res._data):
            be.copy_into(dst._data, res._data)
            bump_version(dst)
            return dst
    check_inplace(dst, op)
    if category(res._dtype) > category(dst._dtype):
        raise RuntimeError(f"result type {_tname(res._dtype)} can't be cast to the desired "
                           f"output type {_tname(dst._dtype)}")
    ds, rs = shape_of(dst), shape_of(res)
    if ds != rs:
        raise RuntimeError(f"output with shape {list(ds)} doesn't match the broadcast shape "
                           f"{list(rs)}")
    if res._grad_fn is not None and grad_state.enabled:
        from ._view_history import check_view_of_leaf

        check_view_of_leaf(dst)
    dst._backend.copy_into(dst._data, to_dtype(res, dst._dtype))
    bump_version(dst)
    if res._grad_fn is not None:
        # NOTE [ In-place history ]: the tensor now holds the result, so it takes the result's
        # place in the graph; a view also rewrites its base's (NOTE [ In-place on a view ]).
        dst._grad_fn = res._grad_fn
        dst._requires_grad = True
        dst._ensure_meta().output_nr = res._meta.output_nr if res._meta else 0
        if dst._meta.is_view:
            from ._view_history import rebase_view_history

            rebase_view_history(dst)
    return dst


def write_out(out: Tensor, res: Tensor) -> Tensor:
    """Implement ``out=``: ``out`` takes ``res``'s values (resized if its shape differs)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"out= must be a Tensor, got {type(out).__name__}")
    if out._dtype is not res._dtype and category(res._dtype) > category(out._dtype):
        raise RuntimeError(f"result type {_tname(res._dtype)} can't be cast to the desired "
                           f"output type {_tname(out._dtype)}")
    if out._backend is not res._backend:
        raise RuntimeError(f"Expected out tensor to be on device {res.device}, but got "
                           f"{out.device}")
    if shape_of(out) != shape_of(res):
        out._data = out._backend.copy(to_dtype(res, out._dtype))
    else:
        out._backend.copy_into(out._data, to_dtype(res, out._dtype))
    bump_version(out)
    return out


def make_inplace(name: str, fn: Callable) -> Callable:
    """``Tensor.<name>_``: compute ``fn(self, ...)`` and write it into ``self``."""

    def inplace(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if grad_state.enabled and (self._requires_grad or any(
                getattr(a, "_requires_grad", False) for a in args)):
            # The backward may need the old values (mul_'s gradient for ``other``): compute
            # from a recorded clone, so overwriting ``self`` cannot invalidate what it saved.
            check_inplace(self, name + "_")
            return assign_(self, fn(self.clone(), *args, **kwargs), name + "_")
        return assign_(self, fn(self, *args, **kwargs), name + "_")

    inplace.__name__ = inplace.__qualname__ = name + "_"
    inplace.__doc__ = f"In-place version of :meth:`Tensor.{name}`."
    method(name + "_", inplace)
    return inplace


def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    """Copy ``src``'s values into ``self`` (broadcast, cast, across devices).

    Under autograd ``self`` takes the history ``CopyBackwards``: the gradient goes to ``src``
    (summed over broadcast axes, cast to its dtype) and none to the old values."""
    check_inplace(self, "copy_")
    if grad_state.enabled and (self._requires_grad or getattr(src, "_requires_grad", False)):
        return _recorded_copy(self, src)
    be = self._backend
    if isinstance(src, Tensor):
        if src._backend is not be:
            src = src.to(self.device)
        data = to_dtype(src, self._dtype)
    elif is_scalar(src):
        data = src
    else:
        raise TypeError(f"copy_(): argument 'other' must be Tensor, not {type(src).__name__}")
    try:
        be.copy_into(self._data, data)
    except Exception:
        from ._common import broadcast_shapes

        broadcast_shapes(shape_of(self), shape_of(src))
        raise RuntimeError(f"copy_(): the size of src ({list(shape_of(src))}) cannot be "
                           f"broadcast to the destination's {list(shape_of(self))}") from None
    bump_version(self)
    return self


def _recorded_copy(self: Tensor, src: Any) -> Tensor:
    from ..autograd.graph import record

    res = self.detach().clone()
    grad = grad_state.enabled
    grad_state.enabled = False
    try:
        copy_(res, src)
    finally:
        grad_state.enabled = grad
    src_t = src if isinstance(src, Tensor) and src._requires_grad else None
    record("torch::autograd::CopyBackwards", _copy_backward, (self, src_t), (res,))
    return assign_(self, res, "copy_")


def _copy_backward(g: tuple, _saved: tuple) -> tuple:
    from ._creation import zeros_like

    return zeros_like(g[0]), g[0]  # the old values are gone: a zero gradient, as PyTorch


def fill_(self: Tensor, value: Any) -> Tensor:
    """Fill ``self`` with ``value`` (a number or a 0-d tensor).

    Under autograd ``self`` takes the history ``FillBackward2`` (``FillBackward3`` for a
    tensor value, which gets the summed gradient; ``ZeroBackward0`` for :meth:`zero_`)."""
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                           f"with {value.dim()} dimensions.")
    check_inplace(self, "fill_")
    if grad_state.enabled and (self._requires_grad or getattr(value, "_requires_grad", False)):
        return _recorded_fill(self, value, "FillBackward3" if isinstance(value, Tensor) else
                              "FillBackward2")
    self._backend.copy_into(self._data, value.item() if isinstance(value, Tensor) else value)
    bump_version(self)
    return self


def _recorded_fill(self: Tensor, value: Any, name: str) -> Tensor:
    from ..autograd.graph import record

    res = self.detach().clone()
    res._backend.copy_into(res._data, value.item() if isinstance(value, Tensor) else value)
    tensor_value = isinstance(value, Tensor) and value._requires_grad
    record(name, _fill_backward, (self, value if tensor_value else None), (res,))
    return assign_(self, res, "fill_")


def _fill_backward(g: tuple, _saved: tuple) -> tuple:
    from ._creation import zeros_like

    return zeros_like(g[0]), g[0].sum()


def zero_(self: Tensor) -> Tensor:
    """Fill ``self`` with zeros."""
    check_inplace(self, "zero_")
    if grad_state.enabled and self._requires_grad:
        return _recorded_fill(self, 0, "ZeroBackward0")
    return fill_(self, 0)


method("copy_", copy_)
method("fill_", fill_)
method("zero_", zero_)


def _wrap_like(t: Tensor, data: Any) -> Tensor:
    return _wrap(data, t._dtype, t._backend)
