"""Indexing: ``t[key]``, ``t[key] = value`` and the index-driven ops (index_select, gather,
scatter, masked_fill, index_put, take, nonzero, ...).

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
from ._common import (
    broadcast_shapes,
    check_device,
    is_scalar,
    shape_of,
    to_dtype,
)
from ._elementwise import _tname
from ._inplace import bump_version, check_inplace, make_inplace
from ._registry import method, public
from ._shape import (
    _expand_geometry,
    contiguous_strides,
    expand,
    is_contiguous,
    make_view,
    norm_dim,
    norm_dims,
    reshape,
)

__all__ = ["getitem", "setitem", "nonzero", "index_select", "gather", "scatter", "masked_fill"]

_I64 = D.int64
_INT, _SLICE, _NONE, _ELLIPSIS, _BOOL, _ADV, _MASK = range(7)


# ---------------------------------------------------------------------------- key parsing
def _seq_as_tuple(key: Any) -> bool:
    """PyTorch's (and old NumPy's) rule: a short list holding sequences, tensors, slices,
    ``...`` or ``None`` is a tuple of indices, not one index."""
    if not isinstance(key, list) or len(key) >= 32:
        return False
    if any(isinstance(k, Tensor | list | tuple | slice) or k is None or k is Ellipsis
           or type(k).__name__ == "ndarray" for k in key):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated "
                      "and will be changed in pytorch 2.9; use x[tuple(seq)] instead of "
                      "x[seq].", UserWarning, stacklevel=4)
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


def getitem(self: Tensor, key: Any) -> Tensor:
    """``self[key]`` with PyTorch's semantics: a view for ints, slices, ``...`` and ``None``;
    a copy when the key holds tensors, lists or masks (see NOTE [ Indexing keys ])."""
    be = self._backend
    if type(key) is int:
        shape = be.shape(self._data)
        if shape and -shape[0] <= key < shape[0]:
            return make_view(self, be.getitem(self._data, (key % shape[0],)))
    elif key is None:
        from ._shape import unsqueeze

        return unsqueeze(self, 0)
    k = _parse(self, key)
    data = _basic_view(self, k.basic, k.geometry)
    if not k.adv:
        return make_view(self, data)
    if k.error is not None:
        _adv_shape(be, be.shape(data), k)  # a broadcast error is reported first
        raise k.error
    try:
        out = be.index(data, _residual(k.adv))
    except (IndexError, ValueError):
        _adv_shape(be, be.shape(data), k)
        raise
    shape = be.shape(out)
    if len(shape) > 1 and tuple(be.strides(out)) != contiguous_strides(shape):
        out = be.copy(out)  # NumPy lays out transposed results non-contiguously
    return _wrap(out, self._dtype, be)


# ---------------------------------------------------------------------------- writes
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


def _value_data(self: Tensor, value: Any) -> Any:
    be = self._backend
    if isinstance(value, Tensor):
        if value._backend is not be:
            value = value.to(self.device)
        data = to_dtype(value, self._dtype)
        s = shape_of(value)
        k = 0
        while k < len(s) and s[k] == 1:  # PyTorch drops leading size-1 axes of the value
            k += 1
        return be.reshape(data, s[k:]) if k else data, s
    if is_scalar(value):
        return cast_scalar(value, self._dtype), ()
    cls = type(value)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"
    raise TypeError(f"can't assign a {name} to a {self.type()}")


def _put(self: Tensor, key: Any, value: Any, accumulate: bool, tensors_adv: bool) -> None:
    be = self._backend
    k = _parse(self, key, tensors_adv)
    if (k.adv and isinstance(value, Tensor) and shape_of(value)
            and value._dtype is not self._dtype):
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{_tname(self._dtype)} for the destination and "
                           f"{_tname(value._dtype)} for the source.")
    data, vshape = _value_data(self, value)
    view = _basic_view(self, k.basic, None)
    if not k.adv:
        if vshape and not accumulate:
            target = be.shape(view)
            _expand_geometry(_wrap(data, self._dtype, be), target)  # PyTorch's error
        be.copy_into(view, data)
        return
    target = _adv_shape(be, be.shape(view), k)
    if vshape:
        try:
            ok = broadcast_shapes(be.shape(data), target) == target
        except RuntimeError:
            ok = False
        if not ok:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(vshape)} cannot be "
                               f"broadcast to indexing result of shape {list(target)}")
    if k.error is not None:
        raise k.error
    be.index_put(view, _residual(k.adv), data, accumulate)


def setitem(self: Tensor, key: Any, value: Any) -> None:
    """``self[key] = value``: the value is cast to ``self``'s dtype, broadcast, and written
    through the view (basic keys) or with the backend's ``index_put`` (advanced keys)."""
    check_inplace(self, "setitem")
    if key is False:  # selects nothing: PyTorch does not even look at the value
        return
    _put(self, key, value, False, False)
    bump_version(self)


method("__getitem__", getitem)
method("__setitem__", setitem)


def index_put_(self: Tensor, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
    """In place ``self[indices] = values`` (``+=`` with ``accumulate``, where repeated
    indices all add up); ``indices`` is a tuple of index tensors (None skips an axis)."""
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put_(): argument 'values' (position 2) must be Tensor, not "
                        f"{type(values).__name__}")
    if values._dtype is not self._dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{_tname(self._dtype)} for the destination and "
                           f"{_tname(values._dtype)} for the source.")
    for i, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    check_inplace(self, "index_put_")
    key = tuple(indices)
    _put(self, key, values, accumulate, True)
    bump_version(self)
    return self


@public()
def index_put(input: Tensor, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
    """Out-of-place :meth:`Tensor.index_put_`."""
    return index_put_(input.clone(), indices, values, accumulate)


method("index_put_", index_put_)


# ---------------------------------------------------------------------------- selections
def _index_arg(op: str, index: Any, dtypes: tuple = (_I64,), what: str = "int64") -> Tensor:
    if not isinstance(index, Tensor):
        raise TypeError(f"{op}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index._dtype not in dtypes:
        raise RuntimeError(f"{op}(): Expected dtype {what} for index")
    return index


def _along(input: Tensor, d: int, idx: Any) -> tuple:
    return (slice(None),) * d + (idx,)


@public()
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries ``index`` (a vector) along ``dim``, as a new tensor."""
    _index_arg("index_select", index, (_I64, D.int32), "int32 or int64")
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    shape = shape_of(input)
    x = input if shape else reshape(input, (1,))
    d = norm_dim(dim, len(shape), "index_select")
    be = input._backend
    check_device("index_select", input, index)
    idx = be.reshape(to_dtype(index, _I64), (index.numel(),))
    try:
        idx = _check_range(be, idx, shape_of(x)[d], d)
    except IndexError:
        raise IndexError("index out of range in self") from None
    out = be.index(x._data, _along(x, d, idx))
    return _wrap(out if shape else be.reshape(out, ()), input._dtype, be)


@public()
def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The elements where ``mask`` (broadcast with ``input``) is True, as a 1-d tensor."""
    if mask._dtype is not D.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask, got "
                           f"{_tname(mask._dtype)}")
    check_device("masked_select", input, mask)
    shape = broadcast_shapes(shape_of(input), shape_of(mask))
    x, m = expand(input, shape), expand(mask, shape)
    be = input._backend
    out = be.index(x._data, (m._data,))
    return _wrap(be.reshape(out, (-1,)) if not shape else out, input._dtype, be)


def _fill_value(op: str, value: Any, dt: D.dtype) -> Any:
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"{op} only supports a 0-dimensional value tensor, but got tensor "
                               f"with {value.dim()} dimension(s).")
        value = value.item()
    return cast_scalar(value, dt)


@public()
def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of ``input`` with ``value`` where ``mask`` (broadcast) is True."""
    if mask._dtype is not D.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{mask._dtype.name}")
    check_device("masked_fill", input, mask)
    v = _fill_value("masked_fill_", value, input._dtype)
    be = input._backend
    return _wrap(be.where(mask._data, v, input._data), input._dtype, be)


@public()
def take(input: Tensor, index: Tensor) -> Tensor:
    """Elements of the flattened ``input`` at ``index`` (negative indices count from the end);
    the result has ``index``'s shape."""
    _index_arg("take", index)
    be = input._backend
    n = input.numel()
    flat = be.reshape(input._data, (n,))
    try:
        idx = _check_range(be, index._data, n, 0)
    except IndexError:
        raise IndexError(f"out of range: tried to access index "
                         f"{_bad(be, index._data, n)} on a tensor of {n} elements.") from None
    return _wrap(be.index(flat, (idx,)), input._dtype, be)


def _bad(be: Any, idx: Any, n: int) -> int:
    return next(i for i in be.to_list(be.reshape(idx, (-1,))) if not -n <= i < n)


def put_(self: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """In place: write ``source`` at the flat positions ``index`` (``+=`` with
    ``accumulate``)."""
    _index_arg("put_", index)
    if source._dtype is not self._dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {_tname(self._dtype)} and source.dtype = "
                           f"{_tname(source._dtype)}")
    if index.numel() != source.numel():
        raise RuntimeError(f"put_(): Expected source and index to have the same number of "
                           f"elements, but got source.numel() = {source.numel()}, "
                           f"index.numel() = {index.numel()}")
    check_inplace(self, "put_")
    be, n, k = self._backend, self.numel(), index.numel()
    try:
        idx = _check_range(be, be.reshape(index._data, (k,)), n, 0)
    except IndexError:
        raise IndexError(f"out of range: tried to access index "
                         f"{_bad(be, index._data, n)} on a tensor of {n} elements.") from None
    src = be.reshape(source._data, (k,))
    from ._shape import is_contiguous

    if is_contiguous(self):
        be.index_put(be.reshape(self._data, (n,)), (idx,), src, accumulate)
    else:
        flat = be.reshape(be.copy(self._data), (n,))
        be.index_put(flat, (idx,), src, accumulate)
        be.copy_into(self._data, be.reshape(flat, shape_of(self)))
    bump_version(self)
    return self


@public()
def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """Out-of-place :meth:`Tensor.put_`."""
    return put_(input.clone(), index, source, accumulate)


method("put_", put_)


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


# ---------------------------------------------------------------------------- gather, scatter
def _check_index_range(be: Any, idx: Any, n: int, d: int) -> None:
    if _numel(be.shape(idx)):
        axes = tuple(range(len(be.shape(idx))))
        lo, hi = be.to_list(be.min(idx, axes, False)), be.to_list(be.max(idx, axes, False))
        if lo < 0 or hi >= n:
            raise RuntimeError(f"index {hi if hi >= n else lo} is out of bounds for dimension "
                               f"{d} with size {n}")


def _as_1d(t: Tensor) -> Tensor:
    return t if shape_of(t) else reshape(t, (1,))


@public()
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """``out[i][j][k] = input[i][index[i][j][k]][k]`` for ``dim == 1``."""
    _index_arg("gather", index, (_I64, D.int32), "int64")
    index = index.to(_I64)
    xs, js = shape_of(input), shape_of(index)
    d = norm_dim(dim, len(xs), "gather")
    if len(js) != len(xs) and _numel(js):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for a in range(len(xs)):
        if a != d and a < len(js) and js[a] > xs[a]:
            raise RuntimeError(f"Size does not match at dimension {a} expected index {list(js)} "
                               f"to be no larger than self {list(xs)} apart from dimension {d}")
    check_device("gather", input, index)
    be = input._backend
    x, j = _as_1d(input), _as_1d(index)
    _check_index_range(be, j._data, shape_of(x)[d], d)
    out = be.gather(x._data, d, j._data)
    return _wrap(out if js else be.reshape(out, ()), input._dtype, be)


_SCATTER_REDUCE = {None: None, "add": "sum", "multiply": "prod"}


def _scatter(op: str, input: Tensor, dim: int, index: Tensor, src: Any, reduce: str | None
             ) -> Tensor:
    _index_arg(op, index, (_I64, D.int32), "int64")
    index = index.to(_I64)
    xs, js = shape_of(input), shape_of(index)
    d = norm_dim(dim, len(xs), op)
    be = input._backend
    if not _numel(js):
        return _wrap(be.copy(input._data), input._dtype, be)
    if isinstance(src, Tensor):
        if src._dtype is not input._dtype:
            raise RuntimeError(f"{op}(): Expected self.dtype to be equal to src.dtype")
        check_device(op, input, src)
        ss = shape_of(src)
        if not (len(js) == len(xs) == len(ss)):
            raise RuntimeError("Index tensor must have the same number of dimensions as self "
                               "tensor" if len(js) != len(xs) else
                               "Index tensor must have the same number of dimensions as src "
                               "tensor")
        if any(js[a] > ss[a] or (a != d and js[a] > xs[a]) for a in range(len(js))):
            raise RuntimeError(f"Expected index {list(js)} to be smaller than self {list(xs)} "
                               f"apart from dimension {d} and to be smaller size than src "
                               f"{list(ss)}")
        s = _as_1d(src)
        value = be.getitem(s._data, tuple(slice(0, n) for n in (js or (1,))))
    else:
        value = _fill_value(op, src, input._dtype)
        if len(js) != len(xs):
            raise RuntimeError("Index tensor must have the same number of dimensions as self "
                               "tensor")
    check_device(op, input, index)
    x, j = _as_1d(input), _as_1d(index)
    _check_index_range(be, j._data, shape_of(x)[d], d)
    out = be.scatter(x._data, d, j._data, value, reduce)
    return _wrap(out if xs else be.reshape(out, ()), input._dtype, be)


@public()
def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """A copy of ``input`` with ``src`` (a tensor, or a number ``value``) written at
    ``index`` along ``dim``; ``reduce="add"``/``"multiply"`` combine instead of overwrite."""
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter() missing required argument 'src' or 'value'")
    if reduce not in _SCATTER_REDUCE:
        raise RuntimeError("reduce argument must be either add or multiply.")
    return _scatter("scatter", input, dim, index, src, _SCATTER_REDUCE[reduce])


@public()
def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (duplicates add up)."""
    if not isinstance(src, Tensor):
        raise TypeError(f"scatter_add(): argument 'src' must be Tensor, not "
                        f"{type(src).__name__}")
    return _scatter("scatter_add", input, dim, index, src, "sum")


_IDENTITY = {"sum": 0, "prod": 1, "mean": 0}


@public()
def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """Reduce ``src`` into ``input`` at ``index`` along ``dim`` with ``reduce`` in
    ``"sum"``, ``"prod"``, ``"mean"``, ``"amax"``, ``"amin"``; ``include_self`` decides
    whether the original values take part."""
    if reduce not in ("sum", "prod", "mean", "amax", "amin", "max", "min"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)
    base = input
    if not include_self:
        dt = input._dtype
        if reduce in _IDENTITY:
            ident = _IDENTITY[reduce]
        elif dt.kind == "f":
            ident = float("-inf") if reduce == "amax" else float("inf")
        else:
            lo, hi = _INT_RANGE.get(dt.name, (0, 1))
            ident = lo if reduce == "amax" else hi
        base = _scatter("scatter_reduce", input, dim, index, ident, None)
    if reduce != "mean":
        return _scatter("scatter_reduce", base, dim, index, src, reduce)
    total = _scatter("scatter_reduce", base, dim, index, src, "sum")
    be = input._backend
    ones = _wrap(be.full(shape_of(input), 1 if include_self else 0, input._dtype),
                 input._dtype, be)
    count = _scatter("scatter_reduce", ones, dim, index,
                     _wrap(be.full(shape_of(src), 1, input._dtype), input._dtype, be), "sum")
    count = _wrap(be.where(be.eq(count._data, 0), 1, count._data), input._dtype, be)
    if input._dtype.kind in "fc":
        return _wrap(be.div(total._data, count._data), input._dtype, be)
    return _wrap(be.floor_divide(total._data, count._data), input._dtype, be)


# ---------------------------------------------------------------------------- index_* ops
def _index_op(op: str, input: Tensor, dim: int, index: Tensor, source: Any, accumulate: bool
              ) -> Tensor:
    _index_arg(op, index, (_I64, D.int32), "int32 or int64")
    if index.dim() > 1:
        raise IndexError(f"{op}(): Index is supposed to be a vector")
    xs = shape_of(input)
    d = norm_dim(dim, len(xs), op)
    be = input._backend
    x = _as_1d(input)
    n = index.numel()
    idx = be.reshape(to_dtype(index, _I64), (n,))
    size = shape_of(x)[d]
    if isinstance(source, Tensor):
        if source._dtype is not input._dtype:
            raise RuntimeError(f"{op}_(): self ({_tname(input._dtype)}) and source "
                               f"({_tname(source._dtype)}) must have the same scalar type")
        ss = shape_of(_as_1d(source))
        want = shape_of(x)[:d] + (n,) + shape_of(x)[d + 1:]
        if len(ss) > d and ss[d] != n:
            err = RuntimeError if op == "index_add" else IndexError
            raise err(f"{op}_(): Number of indices ({n}) should be equal to source.size(dim) "
                      + (f": ({ss[d]}), for dim: {d}" if op == "index_add" else f"({ss[d]})"))
        if ss != want:
            raise RuntimeError(f"{op}_(): source of shape {list(shape_of(source))} does not "
                               f"match self {list(xs)} outside dimension {d} (expected "
                               f"{list(want)})")
        value = be.reshape(source._data, want)
    else:
        value = _fill_value(op + "_", source, input._dtype)
    try:
        idx = _check_range(be, idx, size, d)
    except IndexError as exc:
        if op == "index_add":
            raise RuntimeError(str(exc)) from None
        raise IndexError((f"{op}_(): " if op == "index_copy" else "") + str(exc)) from None
    out = be.copy(x._data)
    be.index_put(out, _along(x, d, idx), value, accumulate)
    return _wrap(out if xs else be.reshape(out, ()), input._dtype, be)


@public()
def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1
              ) -> Tensor:
    """A copy of ``input`` with ``alpha * source`` added at the slices ``index`` along
    ``dim`` (repeated indices add up)."""
    if alpha != 1:
        source = source * alpha
    return _index_op("index_add", input, dim, index, source, True)


@public()
def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` with the slices ``index`` along ``dim`` replaced by ``source``."""
    return _index_op("index_copy", input, dim, index, source, False)


@public()
def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """A copy of ``input`` with the slices ``index`` along ``dim`` filled with ``value``."""
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.dim()} dimension(s).")
        value = value.item()
    return _index_op("index_fill", input, dim, index, value, False)


@public()
def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Gather ``indices`` along ``dim`` after broadcasting the other axes (the flattened
    input when ``dim`` is None)."""
    if indices._dtype is not _I64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_tname(indices._dtype)}")
    if dim is None:
        return gather(input.view(-1), 0, indices.view(-1))
    xs, js = shape_of(input), shape_of(indices)
    if len(xs) != len(js):
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {len(xs)} dimensions for input, and "
                           f"{len(js)} dimensions for indices")
    d = norm_dim(dim, len(xs), "take_along_dim")
    rest = broadcast_shapes(xs[:d] + (1,) + xs[d + 1:], js[:d] + (1,) + js[d + 1:])
    x = expand(input, rest[:d] + (xs[d],) + rest[d + 1:])
    j = expand(indices, rest[:d] + (js[d],) + rest[d + 1:])
    return gather(x, d, j)


for _name, _fn in (("masked_fill", masked_fill), ("scatter", scatter),
                   ("scatter_add", scatter_add), ("scatter_reduce", scatter_reduce),
                   ("index_add", index_add), ("index_copy", index_copy),
                   ("index_fill", index_fill)):
    make_inplace(_name, _fn)
