"""Joining and splitting: cat, stack and the ``*stack`` helpers, split, chunk, tensor_split,
unbind, meshgrid -- each with its backward (NOTE [ Declaring a derivative ] in ``_autodiff``).

Splits return views (see NOTE [ Views ] in ``_shape``); joins return new tensors built with
the backend's ``cat``. The gradient of a join is the output gradient split back into the
pieces (``narrow``/``select`` views); the gradient of a split is the pieces' gradients
joined again (zeros for pieces that received none). Repetition and reordering live in
``_repeat``, triangles and diagonals in ``_triangles``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from .._promotion import result_type
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable, tensors_in, zeros_for
from ._common import check_device, shape_of, to_dtype
from ._registry import public
from ._shape import expand, reshape, unsqueeze
from ._view_core import norm_dim
from ._views import narrow, select

__all__ = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack", "dstack",
           "column_stack", "split", "tensor_split", "chunk", "unbind", "meshgrid", "clone"]


def _tensor_list(tensors: Any, op: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, Sequence):
        raise TypeError(f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    return list(tensors)


def _write(res: Tensor, out: Tensor | None) -> Tensor:
    if out is None:
        return res
    from ._inplace import write_out

    return write_out(out, res)


# ---------------------------------------------------------------------------- joining
def _cat_backward(ctx: Any, g: Tensor) -> tuple:
    dim = ctx.kwargs.get("axis")
    if dim is None:
        dim = ctx.arg(1, "dim", 0)
    d = norm_dim(dim, g.dim(), "cat")
    grads, start = [], 0
    for t in ctx.inputs:
        s = shape_of(t)
        if s == (0,) and g.dim() != 1:  # a legacy empty tensor the forward skipped
            grads.append(None)
            continue
        grads.append(narrow(g, d, start, s[d]))
        start += s[d]
    return tuple(grads)


@public(method=False, aliases=("concat", "concatenate"))
@differentiable("CatBackward0", _cat_backward, inputs=tensors_in)
def cat(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None,
        out: Tensor | None = None) -> Tensor:
    """Concatenate tensors along an existing axis, with type promotion across them.

    Example:
        >>> import ember
        >>> ember.cat([ember.tensor([1, 2]), ember.tensor([3.])])
        tensor([1., 2., 3.])
    """
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    dim = axis if axis is not None else dim
    for i, t in enumerate(tensors):
        if not shape_of(t):
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               f"concatenated")
    dt = result_type(tuple((t._dtype, 0) for t in tensors))
    # Legacy: 1-d empty tensors are skipped whatever the other shapes are.
    kept = [(i, t) for i, t in enumerate(tensors) if shape_of(t) != (0,)]
    if not kept:
        be = tensors[0]._backend
        return _write(_wrap(be.full((0,), 0, dt), dt, be), out)
    ref = kept[0][1]
    be = ref._backend
    rshape = shape_of(ref)
    d = norm_dim(dim, len(rshape), "cat")
    for i, t in kept:
        check_device("cat", ref, t)
        s = shape_of(t)
        if len(s) != len(rshape):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(rshape)} "
                               f"and {len(s)}")
        for a in range(len(s)):
            if a != d and s[a] != rshape[a]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {rshape[a]} but got size {s[a]} for tensor "
                                   f"number {i} in the list.")
    arrays = [to_dtype(t, dt) for _, t in kept]
    return _write(_wrap(be.cat(arrays, d), dt, be), out)


concat = concatenate = cat


def _stack_backward(ctx: Any, g: Tensor) -> tuple:
    d = norm_dim(ctx.arg(1, "dim", 0), g.dim(), "stack")
    return tuple(select(g, d, i) for i in range(len(ctx.inputs)))


@public(method=False)
@differentiable("StackBackward0", _stack_backward, inputs=tensors_in)
def stack(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join tensors of equal shape along a new axis ``dim``.

    Example:
        >>> import ember
        >>> ember.stack([ember.tensor([1, 2]), ember.tensor([3, 4])], dim=1)
        tensor([[1, 3],
                [2, 4]])
    """
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    s0 = shape_of(tensors[0])
    for i, t in enumerate(tensors):
        if shape_of(t) != s0:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(s0)} "
                               f"at entry 0 and {list(shape_of(t))} at entry {i}")
    d = norm_dim(dim, len(s0) + 1, "stack")
    t0 = tensors[0]
    be, dt = t0._backend, t0._dtype
    if out is None and all(t._backend is be and t._dtype is dt for t in tensors):
        shape = s0[:d] + (1,) + s0[d:]  # one backend cat of reshaped arrays, no views made
        return _wrap(be.cat([be.reshape(t._data, shape) for t in tensors], d), dt, be)
    return cat([unsqueeze(t, d) for t in tensors], d, out=out)


def _nonempty(tensors: Sequence[Tensor], op: str) -> list:
    ts = _tensor_list(tensors, op)
    if not ts:
        raise RuntimeError(f"{op} expects a non-empty TensorList")
    return ts


@public(method=False)
def hstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along axis 1 (axis 0 for 1-d tensors)."""
    from ._shape import atleast_1d

    ts = atleast_1d(_nonempty(tensors, "hstack"))
    return cat(ts, 0 if ts and ts[0].dim() == 1 else 1, out=out)


@public(method=False, aliases=("row_stack",))
def vstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along axis 0, viewing 0-d and 1-d tensors as rows."""
    from ._shape import atleast_2d

    return cat(atleast_2d(_nonempty(tensors, "vstack")), 0, out=out)


row_stack = vstack


@public(method=False)
def dstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along axis 2, viewing tensors as at least 3-d."""
    from ._shape import atleast_3d

    return cat(atleast_3d(_nonempty(tensors, "dstack")), 2, out=out)


@public(method=False)
def column_stack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along axis 1, viewing 0-d and 1-d tensors as columns."""
    ts = [reshape(t, (t.numel(), 1)) if t.dim() <= 1 else t
          for t in _nonempty(tensors, "column_stack")]
    return cat(ts, 1, out=out)


# ---------------------------------------------------------------------------- splitting
def _split_sizes(input: Tensor, sizes: Sequence[int], d: int) -> tuple[Tensor, ...]:
    out, start = [], 0
    for n in sizes:
        out.append(narrow(input, d, start, n))
        start += n
    return tuple(out)


def _join_grads(ctx: Any, grads: tuple, d: int) -> Tensor:
    """The gradients of the pieces ``ctx.out`` joined along ``d`` (zeros where missing)."""
    return cat([g if g is not None else zeros_for(o) for g, o in zip(grads, ctx.out)], d)


def _split_backward(ctx: Any, *grads: Tensor) -> Tensor:
    return _join_grads(ctx, grads, norm_dim(ctx.arg(2, "dim", 0), ctx.input.dim(), "split"))


@public()
@differentiable(lambda ctx: "SplitWithSizesBackward0" if isinstance(
    ctx.arg(1, "split_size_or_sections"), Sequence) else "SplitBackward0", _split_backward,
    save_output=True)
def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views of consecutive pieces along ``dim``: of ``split_size`` each (the last may be
    smaller), or of the listed sizes.

    Example:
        >>> import ember
        >>> [p.tolist() for p in ember.arange(5).split(2)]
        [[0, 1], [2, 3], [4]]
    """
    shape = shape_of(tensor)
    d = norm_dim(dim, len(shape), "split")
    n = shape[d] if shape else 0
    if isinstance(split_size_or_sections, Sequence):
        sizes = [int(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={sizes}")
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
        return _split_sizes(tensor, sizes, d)
    size = split_size_or_sections.__index__()
    if size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got "
                           f"split_size={size}")
    if size == 0 and n != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                           f"dimension size of {n}")
    count = max((n + size - 1) // size, 1) if size else 1
    sizes = [size] * count
    sizes[-1] = size - (size * count - n)
    return _split_sizes(tensor, sizes, d)


@public()
def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views split into ``sections`` nearly equal parts, or at the given ``indices`` (each
    piece is a ``narrow`` view, as in PyTorch)."""
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        if spec._dtype is not D.int64:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {spec._dtype}")
        if spec.dim() > 1:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a "
                               f"zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {spec.dim()} dims")
        spec = spec.tolist()
    shape = shape_of(input)
    if not shape:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = norm_dim(dim, len(shape), "tensor_split")
    n = shape[d]
    if isinstance(spec, Sequence):
        bounds = [0] + [int(i) for i in spec] + [n]
        pieces = []
        for a, b in zip(bounds, bounds[1:]):
            start, stop, _ = slice(a, b).indices(n)
            pieces.append(narrow(input, d, start, max(start, stop) - start))
        return tuple(pieces)
    sections = spec.__index__()
    if sections <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
    q, r = divmod(n, sections)
    return _split_sizes(input, [q + 1] * r + [q] * (sections - r), d)


@public()
def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into at most ``chunks`` views of ``ceil(size / chunks)`` elements along ``dim``."""
    shape = shape_of(input)
    if not shape:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = norm_dim(dim, len(shape), "chunk")
    n = shape[d]
    size = (n + chunks - 1) // chunks
    if size == 0 and n == 0:
        return _split_sizes(input, [0] * chunks, d)
    return split(input, size, d)


def _unbind_backward(ctx: Any, *grads: Tensor) -> Tensor:
    d = norm_dim(ctx.arg(1, "dim", 0), ctx.input.dim(), "unbind")
    return stack([g if g is not None else zeros_for(o) for g, o in zip(grads, ctx.out)], d)


@public()
@differentiable("UnbindBackward0", _unbind_backward, save_output=True)
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The views ``select(input, dim, i)`` for every ``i``."""
    shape = shape_of(input)
    if not shape:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = norm_dim(dim, len(shape), "unbind")
    return tuple(select(input, d, i) for i in range(shape[d]))


# ---------------------------------------------------------------------------- grids, copies
@public(method=False)
def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-d tensors: result ``i`` varies along axis ``i`` ("ij") or with
    the first two axes swapped ("xy"). The grids are expanded views."""
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but '
                           f'received: {indexing}')
    ts = _tensor_list(list(tensors), "meshgrid")
    if not ts:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in ts:
        if t.dim() > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got: {t}")
        if t._dtype is not ts[0]._dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        check_device("meshgrid", ts[0], t)
    pos = list(range(len(ts)))
    if indexing == "xy" and len(ts) >= 2:
        pos[0], pos[1] = 1, 0
    sizes = [0] * len(ts)
    for t, p in zip(ts, pos):
        sizes[p] = t.numel()
    out = []
    for t, p in zip(ts, pos):
        view_shape = [1] * len(ts)
        view_shape[p] = -1
        out.append(expand(reshape(t, view_shape), sizes))
    return tuple(out)


@public(method=False)
def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy of ``input`` with its own memory."""
    return input.clone()
