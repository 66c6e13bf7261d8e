"""Indexing keys and what every index-driven op shares, plus the coordinate ops nonzero,
argwhere and count_nonzero. The ops live by concept: ``t[key]``, ``t[key] = value`` and
index_put in ``_getitem``; index_select, index_add/copy/fill, take and put in ``_index_ops``;
gather and scatter in ``_scatter``; masked_fill/select/scatter in ``_masked``.

# NOTE [ Indexing keys ]
A key is read left to right as PyTorch does: ints and slices are applied first as a basic
view (an int removes its axis, so it never takes part in advanced indexing -- unlike NumPy,
where ``x[0, :, [1, 2]]`` transposes); ``None`` and Python bools insert an axis; integer
tensors, lists and arrays, and bool masks are *advanced* entries, recorded against the axes
of that view. When there are none the result is the view (sharing memory and version with
the base); otherwise the backend's ``index`` applies the advanced entries to the view with
NumPy's rules (the broadcast index axes replace the indexed ones when those are adjacent,
else they come first), which match PyTorch's once the ints are gone. Indices are checked
and wrapped here, so backends only see in-range, non-negative int64 arrays.
"""

from __future__ import annotations

import warnings
from typing import Any

from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._common import broadcast_shapes, is_scalar, shape_of, to_dtype
from ._registry import public
from ._shape import reshape
from ._view_core import contiguous_strides, is_contiguous, norm_dims

__all__ = ["nonzero", "argwhere", "count_nonzero", "cast_scalar", "seq_is_tuple", "arg_inputs"]

_I64 = D.int64
_INT, _SLICE, _NONE, _ELLIPSIS, _BOOL, _ADV, _MASK = range(7)


# ---------------------------------------------------------------------------- key parsing
def seq_is_tuple(key: Any) -> bool:
    """PyTorch's (and old NumPy's) rule: a short list holding sequences, tensors, slices,
    ``...`` or ``None`` is a tuple of indices, not one index."""
    if not isinstance(key, list) or len(key) >= 32:
        return False
    return any(isinstance(k, Tensor | list | tuple | slice) or k is None or k is Ellipsis
               or type(k).__name__ == "ndarray" for k in key)


def _seq_as_tuple(key: Any) -> bool:
    """:func:`seq_is_tuple`, warning (as PyTorch does) when it is."""
    if seq_is_tuple(key):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated "
                      "and will be changed in pytorch 2.9; use x[tuple(seq)] instead of "
                      "x[seq].", UserWarning, stacklevel=5)
        return True
    return False


def _to_index_tensor(obj: Any, self: Tensor) -> Tensor:
    from ._creation import as_tensor, tensor

    if isinstance(obj, list) and not obj:
        return tensor([], dtype=_I64, device=self.device)
    try:
        t = as_tensor(obj, device=self.device) if not isinstance(obj, list) else tensor(
            obj, device=self.device)
    except Exception:
        raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or "
                         f"byte Variables are valid indices (got {type(obj).__name__})") from None
    return t


def _entry(k: Any, self: Tensor, tensors_adv: bool) -> tuple[int, Any]:
    if k is None:
        return _NONE, None
    if k is Ellipsis:
        return _ELLIPSIS, None
    if isinstance(k, bool) or type(k).__name__ == "bool_":
        return _BOOL, bool(k)
    if isinstance(k, int) or (not isinstance(k, Tensor) and is_scalar(k)
                              and hasattr(k, "__index__")):
        return _INT, k.__index__()
    if isinstance(k, slice):
        start, stop, step = (None if v is None else v.__index__()
                             for v in (k.start, k.stop, k.step))
        if step is not None and step <= 0:
            raise ValueError("step must be greater than zero")
        return _SLICE, slice(start, stop, step)
    if isinstance(k, str):
        raise TypeError("new(): invalid data type 'str'")
    if is_scalar(k) and not isinstance(k, Tensor):
        raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                         f"Variables are valid indices (got {type(k).__name__})")
    t = k if isinstance(k, Tensor) else _to_index_tensor(k, self)
    if t._backend is not self._backend:
        t = t.to(self.device)
    kind = t._dtype.kind
    if kind == "b" or t._dtype is D.uint8:
        if t._dtype is D.uint8:
            warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a "
                          "dtype torch.bool instead.", UserWarning, stacklevel=3)
            t = t.to(D.bool_)
        if not shape_of(t):
            return _BOOL, bool(t.item())
        return _MASK, t
    if kind != "i":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if not shape_of(t) and not tensors_adv:
        return _INT, int(t.item())
    return _ADV, t


def _check_range(be: Any, idx: Any, n: int, dim: int) -> Any:
    """``idx`` (int64) checked against ``[-n, n)`` and wrapped to non-negative."""
    axes = tuple(range(len(be.shape(idx))))
    if not _numel(be.shape(idx)):
        return idx
    lo, hi = be.to_list(be.min(idx, axes, False)), be.to_list(be.max(idx, axes, False))
    if hi >= n or lo < -n:
        raise IndexError(f"index {hi if hi >= n else lo} is out of bounds for dimension {dim} "
                         f"with size {n}")
    return be.where(be.lt(idx, 0), be.add(idx, n), idx) if lo < 0 else idx


def _numel(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _parse(self: Tensor, key: Any, tensors_adv: bool = False):
    """``(basic key or None, {view axis: advanced array}, mask axes, PyTorch geometry or
    None)``; see NOTE [ Indexing keys ]. The geometry is computed only when axes are
    inserted."""
    if isinstance(key, tuple) or _seq_as_tuple(key):
        entries = [_entry(k, self, tensors_adv) for k in key]
    else:
        entries = [_entry(key, self, tensors_adv)]
    shape = shape_of(self)
    nd = len(shape)
    used = 0
    for kind, v in entries:
        used += 1 if kind in (_INT, _SLICE, _ADV) else v.dim() if kind == _MASK else 0
    if used > nd:
        if nd == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"too many indices for tensor of dimension {nd}")
    be = self._backend
    basic: list = []
    adv: dict[int, Any] = {}
    masks: set[int] = set()
    idim = rdim = 0
    plain = True  # the basic key selects everything: no getitem needed
    inserts = False
    error = None  # an out-of-range index array: PyTorch reports shape mismatches first
    ellipses = 0
    for kind, v in entries:
        if ellipses > 1 and kind in (_INT, _SLICE, _ADV, _MASK) and nd - used:
            # PyTorch moves past every "..." in turn; axes after a second one do not exist.
            raise IndexError("an index can only have a single ellipsis ('...')")
        if kind == _INT:
            n = shape[idim]
            if not -n <= v < n:
                raise IndexError(f"index {v} is out of bounds for dimension {rdim} with size {n}")
            basic.append(v % n)
            idim, plain = idim + 1, False
        elif kind == _SLICE:
            n = shape[idim]
            start, stop, step = v.indices(n)
            basic.append(slice(start, max(start, stop), step))
            plain = plain and start == 0 and stop >= n and step == 1
            idim, rdim = idim + 1, rdim + 1
        elif kind == _ELLIPSIS:
            ellipses += 1
            if ellipses == 1:
                k = nd - used
                basic.extend([slice(None)] * k)
                idim, rdim = idim + k, rdim + k
        elif kind in (_NONE, _BOOL):
            basic.append(None)
            plain, inserts = False, True
            if kind == _BOOL:
                adv[rdim] = be.arange(0, 1, 1 if v else 0, _I64)
            rdim += 1
        elif kind == _ADV:
            basic.append(slice(None))
            idx = to_dtype(v, _I64)
            try:
                idx = _check_range(be, idx, shape[idim], rdim)
            except IndexError as exc:
                error = error or exc
            adv[rdim] = idx
            idim, rdim = idim + 1, rdim + 1
        else:  # a mask covers as many axes as it has dimensions
            ms = shape_of(v)
            for j, m in enumerate(ms):
                if idim + j >= nd or shape[idim + j] != m:
                    raise IndexError(f"The shape of the mask {list(ms)} at index {j} does not "
                                     f"match the shape of the indexed tensor {list(shape)} at "
                                     f"index {idim + j}")
            basic.extend([slice(None)] * len(ms))
            adv[rdim] = v._data
            masks.add(rdim)
            idim, rdim = idim + len(ms), rdim + len(ms)
    geometry = _geometry(self, entries, used) if inserts else None
    return _Key((None if plain else tuple(basic)), adv, masks, geometry, error)


class _Key:
    """A parsed key: the basic key for ``getitem`` (None: the whole tensor), the advanced
    arrays by view axis, which of them are masks, PyTorch's view geometry when axes were
    inserted, and a deferred out-of-range error."""

    __slots__ = ("basic", "adv", "masks", "geometry", "error")

    def __init__(self, basic, adv, masks, geometry, error) -> None:
        self.basic, self.adv, self.masks = basic, adv, masks
        self.geometry, self.error = geometry, error


def _adv_shape(be: Any, view_shape: tuple[int, ...], k: _Key) -> tuple[int, ...]:
    """The shape ``index`` gives (NumPy's rule, see NOTE [ Indexing keys ]); IndexError as
    PyTorch words it when the index arrays do not broadcast."""
    spans, shapes = [], []
    for d, a in sorted(k.adv.items()):
        s = be.shape(a)
        if d in k.masks:
            spans.append((d, d + len(s)))
            s = (be.to_list(be.sum(be.astype(a, _I64), tuple(range(len(s))), False)),)
        else:
            spans.append((d, d + 1))
        shapes.append(tuple(s))
    try:
        b = broadcast_shapes(*shapes)
    except RuntimeError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                         "with shapes " + ", ".join(str(list(s)) for s in shapes)) from None
    adjacent = all(e == s2 for (_, e), (s2, _) in zip(spans, spans[1:]))
    covered = {i for lo, hi in spans for i in range(lo, hi)}
    if adjacent:
        return view_shape[:spans[0][0]] + b + view_shape[spans[-1][1]:]
    return b + tuple(n for i, n in enumerate(view_shape) if i not in covered)


def _geometry(self: Tensor, entries: list, used: int) -> tuple[tuple, tuple, int]:
    """The shape, strides and offset (from ``self``'s first element) PyTorch gives the basic
    view (axes inserted by ``None`` take the stride ``size * stride`` of the axis they
    precede)."""
    be = self._backend
    shape, strides = list(shape_of(self)), list(be.strides(self._data))
    offset = 0  # relative to self's first element
    dim = 0
    for kind, v in entries:
        if kind == _INT:
            offset += (v % shape[dim]) * strides[dim]
            del shape[dim], strides[dim]
        elif kind == _SLICE:
            start, stop, step = v.indices(shape[dim])
            offset += start * strides[dim] if stop > start else 0
            shape[dim] = len(range(start, stop, step))
            strides[dim] *= step
            dim += 1
        elif kind in (_NONE, _BOOL):
            new = 1 if dim >= len(shape) else shape[dim] * strides[dim]
            shape.insert(dim, 1)
            strides.insert(dim, new)
            dim += 1
        elif kind == _ELLIPSIS:
            dim += len(shape_of(self)) - used
        else:
            dim += 1 if kind == _ADV else v.dim()
    return tuple(shape), tuple(strides), offset


def _basic_view(self: Tensor, basic: tuple | None, geometry: Any) -> Any:
    be = self._backend
    if basic is None:
        return self._data
    if geometry is not None:
        shape, strides, offset = geometry
        if (strides == contiguous_strides(shape) and _numel(shape) == self.numel() > 0
                and offset == 0 and is_contiguous(self)):
            return be.reshape(self._data, shape)  # only axes inserted: a row-major view
    data = be.getitem(self._data, basic)
    if geometry is not None and "as_strided" in be.capabilities:
        if tuple(be.strides(data)) != strides:
            try:
                data = be.as_strided(self._data, shape, strides, be.storage_offset(data))
            except (ValueError, NotImplementedError):
                pass  # e.g. a NumPy storage that is itself strided: keep the native view
    return data


def _residual(adv: dict[int, Any]) -> tuple:
    return tuple(adv.get(d, slice(None)) for d in range(max(adv) + 1))


_INT_RANGE = {"uint8": (0, 255), "int8": (-128, 127), "int16": (-(2 ** 15), 2 ** 15 - 1),
              "int32": (-(2 ** 31), 2 ** 31 - 1), "int64": (-(2 ** 63), 2 ** 63 - 1)}


def cast_scalar(value: Any, dt: D.dtype) -> Any:
    """A Python number converted to ``dt``'s Python type, as PyTorch's fills do."""
    if hasattr(value, "item") and not isinstance(value, bool | int | float | complex):
        value = value.item()
    if dt.kind == "b":
        return bool(value)
    name = f"{dt.name}_t" if dt.kind == "i" else dt.name
    if isinstance(value, complex) and dt.kind != "c":
        raise RuntimeError(f"value cannot be converted to type {name} without overflow")
    if dt.kind == "i":
        v = int(value)
        lo, hi = _INT_RANGE[dt.name]
        if not lo <= v <= hi:
            raise RuntimeError(f"value cannot be converted to type {name} without overflow")
        return v
    return float(value) if dt.kind == "f" else complex(value)


# ---------------------------------------------------------------------------- arguments
def _index_arg(op: str, index: Any, dtypes: tuple = (_I64,), what: str = "int64") -> Tensor:
    if not isinstance(index, Tensor):
        raise TypeError(f"{op}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index._dtype not in dtypes:
        raise RuntimeError(f"{op}(): Expected dtype {what} for index")
    return index


def _along(input: Tensor, d: int, idx: Any) -> tuple:
    return (slice(None),) * d + (idx,)


def _fill_value(op: str, value: Any, dt: D.dtype) -> Any:
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"{op} only supports a 0-dimensional value tensor, but got tensor "
                               f"with {value.dim()} dimension(s).")
        value = value.item()
    return cast_scalar(value, dt)


def _bad(be: Any, idx: Any, n: int) -> int:
    return next(i for i in be.to_list(be.reshape(idx, (-1,))) if not -n <= i < n)


def _check_index_range(be: Any, idx: Any, n: int, d: int) -> None:
    if _numel(be.shape(idx)):
        axes = tuple(range(len(be.shape(idx))))
        lo, hi = be.to_list(be.min(idx, axes, False)), be.to_list(be.max(idx, axes, False))
        if lo < 0 or hi >= n:
            raise RuntimeError(f"index {hi if hi >= n else lo} is out of bounds for dimension "
                               f"{d} with size {n}")


def _as_1d(t: Tensor) -> Tensor:
    return t if shape_of(t) else reshape(t, (1,))


# ---------------------------------------------------------------------------- coordinates
@public()
def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    """Coordinates of the nonzero elements: an int64 ``(n, ndim)`` tensor, or with
    ``as_tuple`` one 1-d tensor per axis."""
    be = input._backend
    x = input._data
    if as_tuple and not shape_of(input):
        x = be.reshape(x, (1,))
    out = be.nonzero(x)
    if not as_tuple:
        return _wrap(out, _I64, be)
    return tuple(_wrap(be.getitem(out, (slice(None), j)), _I64, be)
                 for j in range(be.shape(out)[1]))


@public()
def argwhere(input: Tensor) -> Tensor:
    """``nonzero(input)``: the coordinates of nonzero elements, one row each."""
    return nonzero(input)


@public()
def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    """The number of nonzero elements (along ``dim``), as int64."""
    be = input._backend
    axes = norm_dims(dim, input.dim(), "count_nonzero")
    counts = be.astype(be.astype(input._data, D.bool_), _I64)
    return _wrap(be.sum(counts, axes, False), _I64, be)


def arg_inputs(*spec: tuple[int, str]) -> Any:
    """An ``inputs`` selector for ``differentiable``: the arguments at ``(position, name)``."""

    def pick(args: tuple, kwargs: dict) -> tuple:
        return tuple(args[i] if i < len(args) else kwargs.get(n) for i, n in spec)

    return pick
