"""The conversion of shape, joining and reduction ops to ONNX nodes (see ``_ops``)."""

from __future__ import annotations

from typing import Any

from ember.jit._graph import SizeRef

from ._builder import Builder, UnsupportedOperatorError
from ._ops import Args, _axis, op

__all__: list[str] = []


def _dims(a: Args) -> list[Any]:
    """The dims of a varargs shape op: ``x.view(2, -1)`` or ``x.view((2, -1))``."""
    dims = list(a["shape"])
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = list(dims[0])
    return dims


@op("view reshape", "input", "*shape")
def _reshape(b: Builder, a: Args, out: str) -> None:
    dims = _dims(a)
    if not all(isinstance(d, (int, SizeRef)) for d in dims):
        raise UnsupportedOperatorError(f"ember.onnx.export: {a['op']} with shape {dims!r} is "
                                       f"not supported")
    b.add("Reshape", [b.name(a["input"]), b.shape_input(dims)], [out])


@op("flatten", "input", ("start_dim", 0), ("end_dim", -1))
def _flatten(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    rank = b.rank(x)
    if rank == 0:
        b.add("Reshape", [b.name(x), b.ints([1])], [out])
        return
    start, end = _axis(a["start_dim"], rank), _axis(a["end_dim"], rank)
    # Reshape's 0 copies the input's size at that index: the leading dims stay dynamic.
    dims = [0] * start + [-1] + list(b.shape(x)[end + 1:])
    b.add("Reshape", [b.name(x), b.ints(dims)], [out])


@op("transpose swapaxes swapdims", "input", "dim0", "dim1")
def _transpose(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    rank = b.rank(x)
    perm = list(range(rank))
    d0, d1 = _axis(a["dim0"], rank), _axis(a["dim1"], rank)
    perm[d0], perm[d1] = perm[d1], perm[d0]
    b.add("Transpose", [b.name(x)], [out], perm=perm)


@op("t T mT", "input")
def _t(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    rank = b.rank(x)
    if a["op"] == "mT":
        perm = list(range(rank - 2)) + [rank - 1, rank - 2]
    else:
        perm = list(reversed(range(rank)))
    b.add("Transpose", [b.name(x)], [out], perm=perm)


@op("permute", "input", "*dims")
def _permute(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    dims = list(a["dims"])
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = list(dims[0])
    b.add("Transpose", [b.name(x)], [out], perm=[_axis(d, b.rank(x)) for d in dims])


@op("cat", "tensors", ("dim", 0))
def _cat(b: Builder, a: Args, out: str) -> None:
    tensors = list(a["tensors"])
    b.add("Concat", [b.name(t) for t in tensors], [out],
          axis=_axis(a["dim"], b.rank(tensors[0])))


@op("unsqueeze", "input", "dim")
def _unsqueeze(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    b.add("Unsqueeze", [b.name(x), b.ints([_axis(a["dim"], b.rank(x) + 1)])], [out])


@op("squeeze", "input", ("dim", None))
def _squeeze(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    shape, dim = b.shape(x), a["dim"]
    dims = range(len(shape)) if dim is None else (dim if isinstance(dim, (tuple, list))
                                                   else [dim])
    axes = [_axis(d, len(shape)) for d in dims if shape[_axis(d, len(shape))] == 1]
    b.add("Squeeze", [b.name(x), b.ints(axes)] if axes else [b.name(x)], [out])


@op("mean sum", "input", ("dim", None), ("keepdim", False), ("dtype", None))
def _reduce(b: Builder, a: Args, out: str) -> None:
    x = a["input"]
    if a["dtype"] is not None:
        raise UnsupportedOperatorError(f"ember.onnx.export: {a['op']} with dtype is not "
                                       f"supported")
    dim = a["dim"]
    kind = "ReduceMean" if a["op"] == "mean" else "ReduceSum"
    keep = int(bool(a["keepdim"]))
    if dim is None or dim == () or dim == []:
        b.add(kind, [b.name(x)], [out], keepdims=keep)
        return
    axes = [_axis(d, b.rank(x)) for d in (dim if isinstance(dim, (tuple, list)) else [dim])]
    if kind == "ReduceSum" or b.opset >= 18:
        b.add(kind, [b.name(x), b.ints(axes)], [out], keepdims=keep)
    else:
        b.add(kind, [b.name(x)], [out], axes=axes, keepdims=keep)
