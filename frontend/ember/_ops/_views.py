"""Views that reorder axes or pick a sub-range: permute, transpose, movedim, ``T``/``mT``,
narrow, select and diagonal -- each with its backward (NOTE [ Declaring a derivative ]).

The gradient of a sub-view is the output gradient embedded in zeros at the same place
(:func:`embed`), itself differentiable (its backward is the sub-view again), so double
backward works through slicing.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from .._tensor import Tensor
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record
from ._autodiff import differentiable
from ._common import shape_of
from ._registry import method, public
from ._shape import squeeze, unsqueeze
from ._view_core import _strides, make_view, norm_dim, size_args

__all__ = ["permute", "transpose", "t", "movedim", "adjoint", "narrow", "select", "diagonal",
           "embed"]

# ---------------------------------------------------------------------------- gradients
def embed(g: Tensor, shape: tuple[int, ...], view: Callable[[Tensor], Tensor], name: str,
          dtype: Any = None) -> Tensor:
    """Zeros of ``shape`` (and ``dtype``, default ``g``'s) with ``view(zeros)`` set to
    ``g``: the gradient of the sub-view ``view``. Recorded as ``<name>Backward0`` (its own
    gradient is ``view`` of the output's; right as written also where ``view`` reads real
    parts of complex memory)."""
    z = g.new_zeros(shape, dtype=dtype)
    prev = grad_state.enabled
    grad_state.enabled = False
    try:
        view(z).copy_(g)
    finally:
        grad_state.enabled = prev
    if prev and g._requires_grad:
        record(f"{name}Backward0", lambda gr, _s: (view(gr[0]),), (g,), (z,),
               complex_ok=z._dtype is not g._dtype)
    return z


def _inverse(axes: Sequence[int]) -> tuple[int, ...]:
    inv = [0] * len(axes)
    for i, a in enumerate(axes):
        inv[a] = i
    return tuple(inv)


def _permute_backward(ctx: Any, g: Tensor) -> Tensor:
    nd = ctx.input.dim()
    dims = size_args(ctx.args[1:] or (ctx.kwargs["dims"],), "permute")
    return g.permute(_inverse([norm_dim(d, nd) for d in dims]))


# ---------------------------------------------------------------------------- axis order
@public()
@differentiable("PermuteBackward0", _permute_backward)
def permute(input: Tensor, *dims: Any) -> Tensor:
    """A view with the axes reordered: axis ``i`` of the result is axis ``dims[i]``."""
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = size_args(dims, "permute")
    nd = input.dim()
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {nd} is not equal to len(dims) = {len(dims)}")
    axes = tuple(norm_dim(d, nd, "permute") for d in dims)
    if len(set(axes)) != len(axes):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return make_view(input, input._backend.permute(input._data, axes))


@public(aliases=("swapaxes", "swapdims"))
@differentiable("TransposeBackward0",
                lambda ctx, g: g.transpose(ctx.arg(1, "dim0"), ctx.arg(2, "dim1")))
def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """A view with axes ``dim0`` and ``dim1`` swapped."""
    nd = input.dim()
    a, b = norm_dim(dim0, nd, "transpose"), norm_dim(dim1, nd, "transpose")
    axes = list(range(nd))
    if nd:
        axes[a], axes[b] = axes[b], axes[a]
    return make_view(input, input._backend.permute(input._data, tuple(axes)))


swapaxes = swapdims = transpose


@public()
@differentiable("TBackward0", lambda ctx, g: g.t())
def t(input: Tensor) -> Tensor:
    """Transpose a matrix; 0-d and 1-d tensors are returned as they are (as views)."""
    nd = input.dim()
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    return transpose(input, 0, nd - 1 if nd else 0)


@public(aliases=("moveaxis",))
@differentiable("PermuteBackward0", lambda ctx, g: g.movedim(
    ctx.arg(2, "destination"), ctx.arg(1, "source")))
def movedim(input: Tensor, source: int | Sequence[int], destination: int | Sequence[int]
            ) -> Tensor:
    """Move the axes ``source`` to the positions ``destination`` (others keep their order)."""
    if isinstance(source, int) != isinstance(destination, int):
        raise TypeError(f"movedim() received an invalid combination of arguments - got "
                        f"({type(source).__name__}, {type(destination).__name__}), but expected "
                        f"(int source, int destination) or (tuple of ints source, tuple of ints "
                        f"destination)")
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} "
                           f"dims) should contain the same number of dims as destination "
                           f"({list(dst)} dims)")
    nd = input.dim()
    src = tuple(norm_dim(d, nd, "movedim") for d in src)
    dst = tuple(norm_dim(d, nd, "movedim") for d in dst)
    for name, ds in (("source", src), ("destination", dst)):
        if len(set(ds)) != len(ds):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(ds)})")
    if not nd:
        return make_view(input, input._data)
    order: list[int | None] = [None] * nd
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(a for a in range(nd) if a not in src)
    axes = tuple(a if a is not None else next(rest) for a in order)
    return make_view(input, input._backend.permute(input._data, axes))


moveaxis = movedim


@public()
def adjoint(input: Tensor) -> Tensor:
    """The conjugate transpose of the last two axes."""
    return _mT(input, "adjoint") if not input.is_complex() else _mT(input, "adjoint").conj()


def _mT(self: Tensor, name: str = "mT") -> Tensor:
    nd = self.dim()
    if nd == 0:
        return self
    if nd < 2:
        raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of matrices. "
                           f"Got {nd}-D tensor.")
    return transpose(self, -2, -1)


@differentiable("PermuteBackward0",
                lambda ctx, g: g.permute(tuple(range(g.dim() - 1, -1, -1))))
def _T(self: Tensor) -> Tensor:
    nd = self.dim()
    if nd != 2 and nd != 0:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                      "shape is deprecated and it will throw an error in a future release. "
                      "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch."
                      "arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
                      UserWarning, stacklevel=2)
    return make_view(self, self._backend.permute(self._data, tuple(range(nd - 1, -1, -1))))


def _H(self: Tensor) -> Tensor:
    nd = self.dim()
    if nd != 2 and nd != 0:
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {nd}-D "
                           f"tensor." + (" For batches of matrices, consider using tensor.mH"
                                         if nd > 2 else ""))
    out = _T(self)
    return out.conj() if self.is_complex() else out


def _mH(self: Tensor) -> Tensor:
    out = _mT(self, "mH")
    return out.conj() if self.is_complex() else out


Tensor.T = property(_T, doc="The tensor with its axes reversed (the transpose of a matrix).")
Tensor.mT = property(_mT, doc="The transpose of the last two axes.")
Tensor.H = property(_H, doc="The conjugate transpose of a matrix.")
Tensor.mH = property(_mH, doc="The conjugate transpose of the last two axes.")
Tensor._base = property(lambda self: self._meta.base if self._meta is not None
                        and self._meta.is_view else None,
                        doc="The tensor this one is a view of (None when it is not a view).")


def _metadata_inplace(name: str, fn: Callable) -> None:
    """``Tensor.<name>_``: ``self`` takes the geometry of the view ``fn(self, ...)``."""

    def inplace(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        self._data = fn(self, *args, **kwargs)._data
        return self

    inplace.__name__ = inplace.__qualname__ = name + "_"
    inplace.__doc__ = f"In-place version of :meth:`Tensor.{name}` (changes only the geometry)."
    method(name + "_", inplace)


for _name, _fn in (("squeeze", squeeze), ("unsqueeze", unsqueeze), ("t", t),
                   ("transpose", transpose), ("swapaxes", transpose), ("swapdims", transpose)):
    _metadata_inplace(_name, _fn)


# ---------------------------------------------------------------------------- sub-views
def _narrow_backward(ctx: Any, g: Tensor) -> Tensor:
    args = (ctx.arg(1, "dim"), ctx.arg(2, "start"), ctx.arg(3, "length"))
    return embed(g, shape_of(ctx.input), lambda z: narrow(z, *args), "Slice")


@public()
@differentiable("SliceBackward0", _narrow_backward)
def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """The view ``input[..., start:start + length, ...]`` along ``dim``."""
    shape = shape_of(input)
    if not shape:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = norm_dim(dim, len(shape), "narrow")
    start = start.__index__()
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    n = shape[d]
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got "
                         f"{start})")
    if start < 0:
        start += n
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    key = (slice(None),) * d + (slice(start, start + length),)
    return make_view(input, input._backend.getitem(input._data, key))


def _select_backward(ctx: Any, g: Tensor) -> Tensor:
    dim, index = ctx.arg(1, "dim"), ctx.arg(2, "index")
    return embed(g, shape_of(ctx.input), lambda z: select(z, dim, index), "Select")


@public()
@differentiable("SelectBackward0", _select_backward)
def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The view ``input[..., index, ...]`` along ``dim`` (the axis is removed)."""
    shape = shape_of(input)
    if not shape:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = norm_dim(dim, len(shape), "select")
    i = index.__index__()
    if not -shape[d] <= i < shape[d]:
        raise IndexError(f"select(): index {i} out of range for tensor of size {list(shape)} at "
                         f"dimension {d}")
    key = (slice(None),) * d + (i % shape[d],)
    return make_view(input, input._backend.getitem(input._data, key))


def _diagonal_backward(ctx: Any, g: Tensor) -> Tensor:
    args = (ctx.arg(1, "offset", 0), ctx.arg(2, "dim1", 0), ctx.arg(3, "dim2", 1))
    return embed(g, shape_of(ctx.input), lambda z: diagonal(z, *args), "Diagonal")


@public()
@differentiable("DiagonalBackward0", _diagonal_backward)
def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A view of the diagonal ``offset`` of the plane (dim1, dim2), appended as the last axis."""
    shape, strides = shape_of(input), _strides(input)
    nd = len(shape)
    a, b = norm_dim(dim1, nd, "diagonal"), norm_dim(dim2, nd, "diagonal")
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    be = input._backend
    if offset >= 0:
        size = max(min(shape[a], shape[b] - offset), 0)
        shift = offset * strides[b]
    else:
        size = max(min(shape[a] + offset, shape[b]), 0)
        shift = -offset * strides[a]
    if "as_strided" not in be.capabilities:
        return make_view(input, be.diagonal(input._data, offset, a, b))
    rest = [i for i in range(nd) if i not in (a, b)]
    new_shape = tuple(shape[i] for i in rest) + (size,)
    new_strides = tuple(strides[i] for i in rest) + (strides[a] + strides[b],)
    start = be.storage_offset(input._data) + (shift if size else 0)
    return make_view(input, be.as_strided(input._data, new_shape, new_strides, start))


