"""Views and reshaping: view, reshape, squeeze, transpose, permute, expand, narrow, ...

# NOTE [ Views ]
A view shares its base's memory (the backend's ``reshape``/``permute``/``expand``/
``getitem``/``diagonal``/``as_strided`` return arrays on the same storage) and its
version counter, so an in-place write through either is seen by both and by autograd's
saved-tensor checks. :func:`make_view` wraps every view result. Strides follow PyTorch's
(``Tensor.stride()`` agrees with torch): where a backend's native view lays out size-1 or
broadcast axes differently and the backend has ``as_strided``, the frontend re-strides the
result to PyTorch's geometry. The view-making core (:func:`make_view`, stride and size
arithmetic) lives in ``_view_core``; this module builds the view ops on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._tensor import Tensor, _wrap
from ..autograd.engine import sum_to_shape
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import broadcast_shapes as _broadcast_shapes
from ._common import shape_of
from ._registry import method, public
from ._view_core import (
    _contiguous,
    _numel,
    _restrided,
    _strides,
    compute_stride,
    contiguous_strides,
    infer_size,
    is_contiguous,
    make_view,
    norm_dim,
    norm_dims,
    size_args,
)

__all__ = ["make_view", "size_args", "infer_size", "compute_stride", "is_contiguous",
           "contiguous_strides", "view", "reshape", "expand", "unsqueeze", "squeeze",
           "flatten", "broadcast_to", "atleast_1d", "atleast_2d", "atleast_3d"]


# ---------------------------------------------------------------------------- view, reshape
def _try_view(self: Tensor, shape: Any, op: str) -> Tensor | tuple[int, ...]:
    """The view of ``self`` with ``shape``, or the inferred shape when none exists."""
    be = self._backend
    data = self._data
    old = be.shape(data)
    new = infer_size(size_args(shape, op), _numel(old))
    strides = be.strides(data)
    if _contiguous(old, strides):  # row-major: the backend's reshape has PyTorch's strides
        return make_view(self, be.reshape(data, new))
    new_strides = compute_stride(old, strides, new)
    if new_strides is None:
        return new
    return _restrided(self, new, new_strides, lambda: be.reshape(data, new), exact=True)


def _to_input_shape(ctx: Any, g: Tensor) -> Tensor:
    return g.reshape(shape_of(ctx.input))


@differentiable("ViewBackward0", _to_input_shape)
def view(self: Tensor, *shape: Any) -> Tensor:
    """A view with another shape; one entry may be -1. Raises when the strides do not allow
    a view (use :meth:`reshape` then)."""
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        if shape[0] is self._dtype:
            return make_view(self, self._data)
        raise NotImplementedError("view(dtype) reinterpreting the bytes is not supported by "
                                  "Ember; use .to(dtype) to convert values")
    out = _try_view(self, shape, "view")
    if type(out) is tuple:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    return out


@public()
@differentiable(lambda ctx: "ViewBackward0" if is_contiguous(ctx.input) else
                "UnsafeViewBackward0", _to_input_shape)
def reshape(input: Tensor, *shape: Any) -> Tensor:
    """``input`` with a new shape (one entry may be -1): a view when the strides allow,
    else a copy.

    Example:
        >>> import ember
        >>> ember.arange(6).reshape(2, -1)
        tensor([[0, 1, 2],
                [3, 4, 5]])
    """
    out = _try_view(input, shape, "reshape")
    if type(out) is not tuple:
        return out
    be = input._backend
    return _wrap(be.reshape(be.copy(input._data), out), input._dtype, be)


def view_as(self: Tensor, other: Tensor) -> Tensor:
    """``self.view(other.shape)``."""
    return view(self, shape_of(other))


def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    """``self.reshape(other.shape)``."""
    return reshape(self, shape_of(other))


method("view", view)
method("view_as", view_as)
method("reshape_as", reshape_as)


@public()
def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge the axes ``start_dim..end_dim`` into one (a view when possible)."""
    shape = shape_of(input)
    s, e = norm_dim(start_dim, len(shape), "flatten"), norm_dim(end_dim, len(shape), "flatten")
    if not shape:
        return reshape(input, (1,))
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    return reshape(input, shape[:s] + (_numel(shape[s:e + 1]),) + shape[e + 1:])


@public()
def ravel(input: Tensor) -> Tensor:
    """The elements as a 1-d tensor (a view when contiguous)."""
    return reshape(input, (-1,))


@public()
def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Split axis ``dim`` into ``sizes`` (one entry may be -1)."""
    shape = shape_of(input)
    if not shape:
        raise RuntimeError("unflatten got an unexpected error:\nDimension specified as 0 but "
                           "tensor has no dimensions")
    d = norm_dim(dim, len(shape), "unflatten")
    sizes = size_args((sizes,), "unflatten")
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        sizes = infer_size(sizes, shape[d])
    except RuntimeError as exc:
        if "only one" in str(exc):
            raise
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {dim} ({shape[d]}) in the input tensor") from None
    return view(input, shape[:d] + sizes + shape[d + 1:])


# ---------------------------------------------------------------------------- size-1 axes
@public()
@differentiable(lambda ctx: "SqueezeBackward" + (
    "0" if ctx.arg(1, "dim") is None else "1" if isinstance(ctx.arg(1, "dim"), int) else "2"),
    _to_input_shape)
def squeeze(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """Remove size-1 axes: all of them, or those among ``dim`` (others are kept)."""
    shape = shape_of(input)
    nd = len(shape)
    if dim is None:
        drop = {d for d in range(nd) if shape[d] == 1}
    else:
        drop = {d for d in norm_dims(dim, nd, "squeeze") if shape[d] == 1}
    if not drop:
        return make_view(input, input._data)
    key = tuple(0 if d in drop else slice(None) for d in range(nd))
    return make_view(input, input._backend.getitem(input._data, key))


@public()
@differentiable("UnsqueezeBackward0", _to_input_shape)
def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert an axis of size 1 at ``dim`` (in ``[-input.dim()-1, input.dim()]``)."""
    shape = shape_of(input)
    nd = len(shape)
    d = norm_dim(dim, nd + 1, "unsqueeze")
    be = input._backend
    strides = tuple(be.strides(input._data))
    new_shape = shape[:d] + (1,) + shape[d:]
    if _contiguous(shape, strides) and _numel(shape):
        return make_view(input, be.reshape(input._data, new_shape))
    new_stride = 1 if d >= nd else shape[d] * strides[d]
    key = (slice(None),) * d + (None,)
    return _restrided(input, new_shape, strides[:d] + (new_stride,) + strides[d:],
                      lambda: be.getitem(input._data, key))


# ---------------------------------------------------------------------------- broadcasting
def _expand_geometry(t: Tensor, sizes: tuple[int, ...]) -> tuple[tuple, tuple]:
    shape, strides = shape_of(t), _strides(t)
    nd, n = len(shape), len(sizes)
    if n < nd:
        raise RuntimeError(f"expand({t.type()}{{{list(shape)}}}, size={list(sizes)}): the number "
                           f"of sizes provided ({n}) must be greater or equal to the number of "
                           f"dimensions in the tensor ({nd})")
    out_shape, out_strides = [0] * n, [0] * n
    for i in range(n - 1, -1, -1):
        d = nd - n + i
        size = shape[d] if d >= 0 else 1
        stride = strides[d] if d >= 0 else (out_shape[i + 1] * out_strides[i + 1]
                                           if i + 1 < n else 1)
        target = sizes[i]
        if target == -1:
            if d < 0:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            target = size
        elif target < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {target}: "
                               f"{list(sizes)}")
        if size != target:
            if size != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({target}) must match the existing size "
                    f"({size}) at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                    f"Tensor sizes: {list(shape)}")
            size, stride = target, 0
        out_shape[i], out_strides[i] = size, stride
    return tuple(out_shape), tuple(out_strides)


@differentiable("ExpandBackward0", lambda ctx, g: sum_to_shape(g, shape_of(ctx.input)))
def expand(self: Tensor, *sizes: Any) -> Tensor:
    """A broadcast view with ``sizes`` (-1 keeps an axis); size-1 axes repeat with stride 0."""
    shape, strides = _expand_geometry(self, size_args(sizes, "expand"))
    if shape == shape_of(self):
        return make_view(self, self._data)
    return _restrided(self, shape, strides, lambda: self._backend.expand(self._data, shape))


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    """``self.expand(other.shape)``."""
    return expand(self, shape_of(other))


method("expand", expand)
method("expand_as", expand_as)


@public()
def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    """``input.expand(size)``."""
    return expand(input, tuple(size))


@public(method=False)
def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Expand every tensor to their common broadcast shape."""
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    shape = broadcast_shapes(*(shape_of(t) for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


@public(method=False)
def broadcast_shapes(*shapes: Any) -> tuple[int, ...]:
    """The shape that tensors of ``shapes`` broadcast to (ints count as 1-d shapes)."""
    from .._size import Size

    norm = []
    for s in shapes:
        s = (s,) if isinstance(s, int) else tuple(s)
        for n in s:
            if n < 0:
                raise RuntimeError(f"Trying to create tensor with negative dimension {n}: "
                                   f"{list(s)}")
        norm.append(s)
    out: tuple[int, ...] = ()
    for i, s in enumerate(norm):
        try:
            out = _broadcast_shapes(out, s)
        except RuntimeError:
            k = next(k for k in range(1, min(len(s), len(out)) + 1)
                     if s[-k] != out[-k] and s[-k] != 1 and out[-k] != 1)
            raise RuntimeError(f"Attempting to broadcast a dimension of length {s[-k]} at {-k}! "
                               f"Mismatching argument at index {i} had {s}; but expected shape "
                               f"should be broadcastable to {list(out)}") from None
    return Size(out)


# ---------------------------------------------------------------------------- at least n-d
def _atleast(tensors: tuple, n: int) -> Any:
    single = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    out = []
    for x in tensors:
        nd = x.dim()
        if nd >= n:
            out.append(x)
        elif n == 1 or nd == 0:
            out.append(reshape(x, (1,) * n))
        elif n == 2:
            out.append(unsqueeze(x, 0))
        else:
            out.append(unsqueeze(x, 0).unsqueeze(-1) if nd == 1 else unsqueeze(x, -1))
    return out[0] if single else tuple(out)


@public(method=False)
def atleast_1d(*tensors: Tensor) -> Any:
    """Each tensor viewed with at least 1 dimension (a tuple for several)."""
    return _atleast(tensors, 1)


@public(method=False)
def atleast_2d(*tensors: Tensor) -> Any:
    """Each tensor viewed with at least 2 dimensions (1-d ``(n,)`` becomes ``(1, n)``)."""
    return _atleast(tensors, 2)


@public(method=False)
def atleast_3d(*tensors: Tensor) -> Any:
    """Each tensor viewed with at least 3 dimensions (``(n,)`` becomes ``(1, n, 1)``,
    ``(m, n)`` becomes ``(m, n, 1)``)."""
    return _atleast(tensors, 3)
