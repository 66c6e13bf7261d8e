"""In-place writes through views, for autograd (PyTorch's ``CopySlices``).

# NOTE [ In-place on a view ]
Writing in place into a view ``v`` of ``base`` changes ``base`` too, so ``base``'s history
is rewritten: it becomes a ``CopySlices`` node over (its old history, the written result)
whose backward sends the gradient outside the view's region to the old history and the
region itself to the result. The view then reads from the new base (``AsStridedBackward0``).
The region is located by the view's strides and storage offset relative to the base, so
this needs a contiguous base on a backend with ``as_strided``; otherwise the base keeps its
old history (the view's own history is still rewritten, as before).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .._tensor import Tensor
from ..autograd.graph import record
from ._autodiff import differentiable
from ._common import shape_of
from ._view_core import _contiguous, make_view
from ._views import embed

__all__ = ["strided_view", "rebase_view_history", "check_view_of_leaf"]


def _strided_backward(ctx: Any, g: Tensor) -> Tensor:
    args = ctx.args[1:]
    return embed(g, shape_of(ctx.input), lambda z: strided_view(z, *args), "AsStrided")


@differentiable("AsStridedBackward0", _strided_backward)
def strided_view(t: Tensor, shape: Sequence[int], strides: Sequence[int], offset: int
                 ) -> Tensor:
    """The view of contiguous ``t`` with ``shape``/``strides`` starting ``offset``
    elements into it (differentiable: its gradient is embedded back in zeros)."""
    be = t._backend
    if not _contiguous(shape_of(t), be.strides(t._data)):
        raise ValueError("strided_view: the tensor must be contiguous")
    return make_view(t, be.as_strided(t._data, tuple(shape), tuple(strides),
                                      be.storage_offset(t._data) + offset))


def check_view_of_leaf(dst: Tensor) -> None:
    """PyTorch's error for an in-place write into a view of a leaf that requires grad."""
    meta = dst._meta
    base = meta.base if meta is not None and meta.is_view else None
    if base is not None and base._requires_grad and base._grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")


def _geometry(dst: Tensor, base: Tensor) -> Callable[[Tensor], Tensor] | None:
    be = base._backend
    if "as_strided" not in be.capabilities or not _contiguous(shape_of(base),
                                                              be.strides(base._data)):
        return None
    shape, strides = shape_of(dst), tuple(be.strides(dst._data))
    base_offset = be.storage_offset(base._data)
    if dst._dtype is not base._dtype:  # a real view of complex memory, or the reverse
        from ._complex_views import view_as_complex, view_as_real

        if base._dtype.is_complex:
            reinterpret, base_offset = view_as_real, 2 * base_offset
        elif shape_of(base)[-1:] == (2,):
            reinterpret, base_offset = view_as_complex, base_offset // 2
        else:
            return None
        offset = be.storage_offset(dst._data) - base_offset
        return lambda t: strided_view(reinterpret(t), shape, strides, offset)
    offset = be.storage_offset(dst._data) - base_offset
    return lambda t: strided_view(t, shape, strides, offset)


def rebase_view_history(dst: Tensor) -> bool:
    """After ``dst`` (a view) took new history in place, rewrite its base's history (NOTE
    [ In-place on a view ]). Returns False when the geometry cannot be expressed."""
    meta = dst._meta
    base = meta.base if meta is not None and meta.is_view else None
    if base is None or base is dst:
        return False
    view = _geometry(dst, base)
    if view is None:
        return False
    region = dst.detach()
    region_node, region_nr = dst._grad_fn, meta.output_nr
    base_shape, base_dtype = shape_of(base), base._dtype
    # a part view (real view of complex memory or the reverse) is not holomorphic: its
    # formulas below are the complex gradients as written (NOTE [ Complex gradients ])
    part = dst._dtype is not base_dtype

    def copy_slices(grads: tuple, saved: tuple) -> tuple:
        g = grads[0].contiguous()  # the region is addressed in contiguous element offsets
        if part:
            region_g = view(g)
            return g - embed(region_g, base_shape, view, "Slice", base_dtype), region_g
        outside = g * (1 - embed(region.new_ones(shape_of(region)), base_shape, view, "Slice"))
        return outside, view(g)

    # The written result is dst's new history: an alias carrying it is the second input.
    written = region.detach()
    written._grad_fn, written._requires_grad = region_node, True
    if region_nr:
        written._ensure_meta().output_nr = region_nr
    record("torch::autograd::CopySlices", copy_slices, (base, written), (base,),
           complex_ok=part)
    record("AsStridedBackward0",
           lambda g, _s: (embed(g[0], base_shape, view, "AsStrided", base_dtype),),
           (base,), (dst,), complex_ok=part)
    meta.output_nr = 0
    return True
