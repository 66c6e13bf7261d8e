"""Joining, splitting and rearranging copies: cat, stack, split, chunk, repeat, flip, roll,
triangles and diagonals, meshgrid.

Splits return views (see NOTE [ Views ] in ``_shape``); joins and rearrangements return new
tensors built from the backend's ``cat``, ``flip``, ``expand`` + ``copy`` and ``where``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from .._promotion import result_type
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._common import check_device, shape_of, to_dtype
from ._inplace import make_inplace
from ._registry import method, public
from ._views import diagonal, narrow, select
from ._shape import (
    expand,
    flatten,
    make_view,
    norm_dim,
    norm_dims,
    reshape,
    size_args,
    unsqueeze,
)

__all__ = ["cat", "stack", "split", "chunk", "unbind", "repeat", "flip", "roll", "tril", "triu"]


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
@public(method=False, aliases=("concat", "concatenate"))
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


@public(method=False)
def stack(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join tensors of equal shape along a new axis ``dim``."""
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    s0 = shape_of(tensors[0])
    for i, t in enumerate(tensors):
        if shape_of(t) != s0:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(s0)} "
                               f"at entry 0 and {list(shape_of(t))} at entry {i}")
    d = norm_dim(dim, len(s0) + 1, "stack")
    return cat([unsqueeze(t, d) for t in tensors], d, out=out)


@public(method=False)
def hstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along axis 1 (axis 0 for 1-d tensors)."""
    from ._shape import atleast_1d

    ts = atleast_1d(_tensor_list(tensors, "hstack"))
    return cat(ts, 0 if ts and ts[0].dim() == 1 else 1, out=out)


@public(method=False, aliases=("row_stack",))
def vstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along axis 0, viewing 0-d and 1-d tensors as rows."""
    from ._shape import atleast_2d

    return cat(atleast_2d(_tensor_list(tensors, "vstack")), 0, out=out)


row_stack = vstack


@public(method=False)
def dstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along axis 2, viewing tensors as at least 3-d."""
    from ._shape import atleast_3d

    return cat(atleast_3d(_tensor_list(tensors, "dstack")), 2, out=out)


@public(method=False)
def column_stack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along axis 1, viewing 0-d and 1-d tensors as columns."""
    ts = [reshape(t, (t.numel(), 1)) if t.dim() <= 1 else t
          for t in _tensor_list(tensors, "column_stack")]
    return cat(ts, 1, out=out)


# ---------------------------------------------------------------------------- splitting
def _split_sizes(input: Tensor, sizes: Sequence[int], d: int) -> tuple[Tensor, ...]:
    out, start = [], 0
    for n in sizes:
        out.append(narrow(input, d, start, n))
        start += n
    return tuple(out)


@public()
def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views of consecutive pieces along ``dim``: of ``split_size`` each (the last may be
    smaller), or of the listed sizes."""
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
    """Views split into ``sections`` nearly equal parts, or at the given ``indices``."""
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
            key = (slice(None),) * d + (slice(start, max(start, stop)),)
            pieces.append(make_view(input, input._backend.getitem(input._data, key)))
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


@public()
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The views ``select(input, dim, i)`` for every ``i``."""
    shape = shape_of(input)
    if not shape:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = norm_dim(dim, len(shape), "unbind")
    return tuple(select(input, d, i) for i in range(shape[d]))


# ---------------------------------------------------------------------------- repetition
def repeat(self: Tensor, *sizes: Any) -> Tensor:
    """Tile the tensor ``sizes[i]`` times along each axis (new leading axes as needed)."""
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    reps = size_args(sizes, "repeat")
    shape = shape_of(self)
    if len(reps) < len(shape):
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(reps) - len(shape)) + shape
    target = tuple(r * s for r, s in zip(reps, shape))
    for r in reps:
        if r < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {r}: "
                               f"{list(target)}")
    be = self._backend
    inter = tuple(x for s in shape for x in (1, s))
    data = be.expand(be.reshape(self._data, inter), tuple(x for p in zip(reps, shape) for x in p))
    return _wrap(be.reshape(be.copy(data), target), self._dtype, be)


method("repeat", repeat)


@public()
def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``repeat`` where missing leading ``dims`` count as 1."""
    dims = size_args((dims,), "tile")
    return repeat(input, (1,) * (input.dim() - len(dims)) + dims)


@public()
def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Repeat each element ``repeats`` times (an int, or one count per element along
    ``dim``); with ``dim=None`` the input is flattened first."""
    from ._creation import arange

    if repeats is None:
        if input.dim() != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return repeat_interleave(arange(input.numel(), device=input.device), input, 0)
    if dim is None:
        input, d = flatten(input), 0
    elif not input.dim():  # PyTorch refuses any dim for a 0-d input
        if isinstance(repeats, Tensor):
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    else:
        d = norm_dim(dim, input.dim(), "repeat_interleave")
    shape = shape_of(input)
    n = shape[d] if shape else 1
    if isinstance(repeats, Tensor):
        if repeats.dim() > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        counts = repeats.reshape(-1).tolist()
        if len(counts) == 1:
            repeats = counts[0]
        elif len(counts) != n:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {len(counts)} and input.size({d}) = {n}")
    else:
        counts = None
    if isinstance(repeats, Tensor):
        if any(c < 0 for c in counts):
            raise RuntimeError("repeats can not be negative")
        idx = [i for i, c in enumerate(counts) for _ in range(c)]
        if output_size is not None and output_size != len(idx):
            raise RuntimeError(f"repeat_interleave: output_size {output_size} does not match "
                               f"the repeats' sum {len(idx)}")
        from ._creation import tensor
        from ._indexing import index_select

        return index_select(input, d, tensor(idx, dtype=D.int64, device=input.device))
    r = repeats.__index__()
    if r < 0:
        raise RuntimeError("Repeats must be non-negative")
    if not shape:
        input, shape = reshape(input, (1,)), (1,)
    be = input._backend
    x = be.reshape(input._data, shape[:d + 1] + (1,) + shape[d + 1:])
    x = be.expand(x, shape[:d + 1] + (r,) + shape[d + 1:])
    out = shape[:d] + (n * r,) + shape[d + 1:]
    return _wrap(be.reshape(be.copy(x), out), input._dtype, be)


# ---------------------------------------------------------------------------- order
@public()
def flip(input: Tensor, *args: Any, dims: Any = None) -> Tensor:
    """A copy with the order of elements reversed along ``dims``."""
    if dims is None:
        dims = args[0] if len(args) == 1 and not isinstance(args[0], int) else args
    axes = norm_dims(dims, input.dim(), "flip")
    be = input._backend
    return _wrap(be.flip(input._data, axes), input._dtype, be)


@public()
def fliplr(input: Tensor) -> Tensor:
    """Reverse the columns (axis 1)."""
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


@public()
def flipud(input: Tensor) -> Tensor:
    """Reverse the rows (axis 0)."""
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


@public()
def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Rotate the elements by ``shifts`` along ``dims`` (of the flattened tensor when None)."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:0")
        return reshape(roll(flatten(input), shifts, (0,)), shape_of(input))
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    be, shape = input._backend, shape_of(input)
    if not shape:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    data = input._data
    for s, dim in zip(shifts, dims):
        d = norm_dim(dim, len(shape), "roll")
        n = shape[d] if shape else 1
        k = s % n if n else 0
        if k:
            head = (slice(None),) * d
            data = be.cat([be.getitem(data, head + (slice(n - k, n),)),
                           be.getitem(data, head + (slice(0, n - k),))], d)
    return _wrap(be.copy(data) if data is input._data else data, input._dtype, be)


# ---------------------------------------------------------------------------- triangles
def _triangle(input: Tensor, k: int, lower: bool, op: str) -> Tensor:
    shape = shape_of(input)
    if len(shape) < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions")
    be = input._backend
    n, m = shape[-2:]
    rows = be.reshape(be.arange(0, 1, n, D.int64), (n, 1))
    diff = be.sub(be.arange(0, 1, m, D.int64), rows)
    mask = be.le(diff, k) if lower else be.ge(diff, k)
    zero = False if input._dtype is D.bool_ else 0
    return _wrap(be.where(mask, input._data, zero), input._dtype, be)


@public()
def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle (elements with ``col - row <= diagonal``); the rest is zeroed."""
    return _triangle(input, diagonal, True, "tril")


@public()
def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle (elements with ``col - row >= diagonal``); the rest is zeroed."""
    return _triangle(input, diagonal, False, "triu")


make_inplace("tril", tril)
make_inplace("triu", triu)


# ---------------------------------------------------------------------------- diagonals
def _zeros(shape: tuple[int, ...], like: Tensor) -> Tensor:
    be = like._backend
    zero = False if like._dtype is D.bool_ else 0
    return _wrap(be.full(shape, zero, like._dtype), like._dtype, be)


@public()
def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """1-d input: a square matrix with it on diagonal ``diagonal``; 2-d input: a copy of that
    diagonal."""
    nd = input.dim()
    if nd == 1:
        size = input.numel() + abs(diagonal)
        out = _zeros((size, size), input)
        out._backend.copy_into(_diagonal(out, diagonal, 0, 1)._data, input._data)
        return out
    if nd == 2:
        be = input._backend
        return _wrap(be.copy(_diagonal(input, diagonal, 0, 1)._data), input._dtype, be)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D")


_diagonal = diagonal


@public()
def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Place the last axis of ``input`` on diagonal ``offset`` of the planes (dim1, dim2) of
    a new tensor with one more axis."""
    shape = shape_of(input)
    nd = len(shape) + 1
    a, b = norm_dim(dim1, nd, "diag_embed"), norm_dim(dim2, nd, "diag_embed")
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = (shape[-1] if shape else 1) + abs(offset)
    rest = iter(shape[:-1])
    out = _zeros(tuple(n if i in (a, b) else next(rest) for i in range(nd)), input)
    out._backend.copy_into(_diagonal(out, offset, a, b)._data, input._data)
    return out


@public()
def trace(input: Tensor) -> Tensor:
    """The sum of the main diagonal of a matrix."""
    if input._dtype is D.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    return _diagonal(input).sum()


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
