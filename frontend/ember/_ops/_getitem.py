"""``t[key]``, ``t[key] = value`` and index_put, with their gradients (keys are read as in
NOTE [ Indexing keys ] in ``_indexing``).

# NOTE [ Indexing gradients ]
A basic key (ints, slices, ``...``, ``None``) gives a view; its gradient is the output
gradient embedded in zeros at the same place (:func:`embed`), and the node is named after
the last view op PyTorch would apply (``SelectBackward0``, ``SliceBackward0``,
``UnsqueezeBackward0``, ``AliasBackward0``). An advanced key gives a copy
(``IndexBackward0``) whose gradient is an accumulating index_put into zeros, so repeated
indices add up. ``index_put`` (``IndexPutBackward0``) sends the output gradient to the
old values with the written places zeroed (all of it with ``accumulate``) and
``grad[key]`` to the values. In place, ``t[key] = value`` and ``index_put_`` on a
non-leaf in a graph compute that out of place and write it back with ``assign_``, which
gives ``t`` the new node (PyTorch calls a basic-key write ``CopySlices``).
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ._autodiff import differentiable
from ._common import broadcast_shapes, is_scalar, shape_of, to_dtype
from ._elementwise import _tname
from ._indexing import (
    _adv_shape,
    _basic_view,
    _parse,
    _residual,
    cast_scalar,
    seq_is_tuple,
)
from ._inplace import assign_, bump_version, check_inplace
from ._registry import method, public
from ._shape import _expand_geometry
from ._view_core import contiguous_strides, make_view
from ._views import embed

__all__ = ["getitem", "setitem", "index_put_", "index_put", "index_put_op"]


# ---------------------------------------------------------------------------- gradients
def _key_name(key: Any, tensors_adv: bool = False) -> str:
    """The node PyTorch records last for ``t[key]`` (NOTE [ Indexing gradients ])."""
    single = not (isinstance(key, tuple) or seq_is_tuple(key))
    last = None
    for k in (key,) if single else key:
        if k is None:
            last = "Unsqueeze"
        elif k is Ellipsis:
            continue
        elif isinstance(k, slice):
            if single or not (k.start in (None, 0) and k.stop is None and k.step in (None, 1)):
                last = "Slice"
        elif isinstance(k, bool) or type(k).__name__ == "bool_":
            return "IndexBackward0"
        elif isinstance(k, Tensor):
            if k.dim() or tensors_adv or k._dtype.kind != "i":
                return "IndexBackward0"
            last = "Select"
        elif isinstance(k, int) or (is_scalar(k) and hasattr(k, "__index__")):
            last = "Select"
        else:  # lists, arrays
            return "IndexBackward0"
    return f"{last}Backward0" if last else "AliasBackward0"


def _getitem_backward(ctx: Any, g: Tensor) -> Tensor:
    key, tensors_adv = ctx.args[1], ctx.arg(2, default=False)
    shape = shape_of(ctx.input)
    name = _key_name(key, tensors_adv)
    if name == "IndexBackward0":
        return index_put_op(g.new_zeros(shape), key, g, True, tensors_adv)
    return embed(g, shape, lambda z: getitem(z, key, tensors_adv), name[:-9])


def _put_name(ctx: Any) -> str:
    if ctx.args[4] or _key_name(ctx.args[1]) == "IndexBackward0":
        return "IndexPutBackward0"
    return "torch::autograd::CopySlices"


def _put_backward(ctx: Any, g: Tensor) -> tuple:
    input, key, value, accumulate, tensors_adv = ctx.args[:5]
    gx = gv = None
    if input._requires_grad:
        gx = g if accumulate else index_put_op(g, key, 0, False, tensors_adv)
    if isinstance(value, Tensor) and value._requires_grad:
        gv = getitem(g, key, tensors_adv)
        extra = value.dim() - gv.dim()
        if extra > 0:  # the leading size-1 axes the write dropped
            gv = gv.reshape((1,) * extra + shape_of(gv))
    return gx, gv


# ---------------------------------------------------------------------------- reads
@differentiable(lambda ctx: _key_name(ctx.args[1], ctx.arg(2, default=False)),
                _getitem_backward)
def getitem(self: Tensor, key: Any, tensors_adv: bool = False) -> Tensor:
    """``self[key]`` with PyTorch's semantics: a view for ints, slices, ``...`` and ``None``;
    a copy when the key holds tensors, lists or masks (see NOTE [ Indexing keys ]).
    ``tensors_adv`` reads 0-d index tensors as advanced indices (as ``index_put`` does)."""
    be = self._backend
    if type(key) is int:
        shape = be.shape(self._data)
        if shape and -shape[0] <= key < shape[0]:
            return make_view(self, be.getitem(self._data, (key % shape[0],)))
    elif key is None:
        from ._shape import unsqueeze

        return unsqueeze(self, 0)
    k = _parse(self, key, tensors_adv)
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


@differentiable(_put_name, _put_backward, inputs=lambda args, kwargs: (args[0], args[2]))
def index_put_op(input: Tensor, key: Any, value: Any, accumulate: bool, tensors_adv: bool
                 ) -> Tensor:
    """Out of place ``input[key] = value`` (``+=`` with ``accumulate``), recorded as in
    NOTE [ Indexing gradients ]."""
    be = input._backend
    out = _wrap(be.copy(input._data), input._dtype, be)
    _put(out, key, value, accumulate, tensors_adv)
    return out


def _in_graph(self: Tensor, value: Any) -> bool:
    return grad_state.enabled and (self._requires_grad or getattr(value, "_requires_grad", False))


def setitem(self: Tensor, key: Any, value: Any) -> None:
    """``self[key] = value``: the value is cast to ``self``'s dtype, broadcast, and written
    through the view (basic keys) or with the backend's ``index_put`` (advanced keys)."""
    check_inplace(self, "setitem")
    if key is False:  # selects nothing: PyTorch does not even look at the value
        return
    if _in_graph(self, value):
        assign_(self, index_put_op(self, key, value, False, False), "setitem")
        return
    _put(self, key, value, False, False)
    bump_version(self)


method("__getitem__", getitem)
method("__setitem__", setitem)


def _check_index_put(self: Tensor, indices: Any, values: Any) -> tuple:
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
    return tuple(indices)


def index_put_(self: Tensor, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
    """In place ``self[indices] = values`` (``+=`` with ``accumulate``, where repeated
    indices all add up); ``indices`` is a tuple of index tensors (None skips an axis)."""
    key = _check_index_put(self, indices, values)
    check_inplace(self, "index_put_")
    if _in_graph(self, values):
        return assign_(self, index_put_op(self, key, values, accumulate, True), "index_put_")
    _put(self, key, values, accumulate, True)
    bump_version(self)
    return self


@public()
def index_put(input: Tensor, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
    """Out-of-place :meth:`Tensor.index_put_`.

    Example:
        >>> import ember
        >>> ember.zeros(3).index_put((ember.tensor([0, 0]),), ember.tensor(1.), accumulate=True)
        tensor([2., 0., 0.])
    """
    key = _check_index_put(input, indices, values)
    return index_put_op(input, key, values, accumulate, True)


method("index_put_", index_put_)
