"""The tensor printer: ``repr`` text identical to PyTorch's (``torch/_tensor_str.py`` rules).

:func:`format_tensor` works on plain nested Python lists (what ``Tensor.tolist()`` gives),
so it needs no array library. Its rules follow PyTorch:

* one formatter is chosen for the whole tensor (for the values shown, when summarised);
  floating tensors print in *int mode* (``1.``) when every nonzero finite value is whole,
  and in scientific notation when the nonzero finite magnitudes span more than a factor of
  1000, exceed ``1e8`` or go below ``1e-4`` (unless ``sci_mode`` is set);
* every element is right-aligned to the widest nonzero finite one;
* rows wrap to ``linewidth``; tensors with more than ``threshold`` elements show
  ``edgeitems`` items at each end of every long dimension, with ``...`` between;
* suffixes (``device=``, ``dtype=``, ``size=``, ``grad_fn=``, ``requires_grad=True``) follow,
  wrapped onto a new line when they would pass ``linewidth``.
"""

from __future__ import annotations

import math
from typing import Any

from ._printoptions import (
    PRINT_OPTS,
    edgeitems,
    get_printoptions,
    needs_summary,
    printoptions,
    set_printoptions,
)

__all__ = [
    "format_tensor",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    "needs_summary",
    "edgeitems",
]


def _flatten(data: Any, ndim: int) -> list[Any]:
    """The scalars of a nested list ``ndim`` levels deep, in row-major order."""
    items = [data]
    for _ in range(ndim):
        items = [x for sub in items for x in sub]
    return items


class _Formatter:
    """Formats the scalars of one (real) tensor so that they line up in columns."""

    def __init__(self, values: list[Any], floating: bool) -> None:
        self.floating = floating
        self.int_mode = True
        self.sci_mode: Any = False
        self.max_width = 1
        self.precision = PRINT_OPTS.precision

        if not floating:
            for v in values:
                self.max_width = max(self.max_width, len(f"{v}"))
            return

        shown = [v for v in values if v != 0 and math.isfinite(v)]
        if not shown:  # nothing but zeros, nans and infs: keep the defaults
            return
        mags = [abs(v) for v in shown]
        lo, hi = min(mags), max(mags)
        self.int_mode = all(v.is_integer() for v in shown)
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        else:
            self.sci_mode = PRINT_OPTS.sci_mode

        p = self.precision
        if self.sci_mode:
            width = max(len(f"{v:.{p}e}") for v in shown)
        elif self.int_mode:
            width = max(len(f"{v:.0f}") for v in shown) + 1  # room for the trailing "."
        else:
            width = max(len(f"{v:.{p}f}") for v in shown)
        self.max_width = max(self.max_width, width)

    def width(self) -> int:
        return self.max_width

    def format(self, value: Any) -> str:
        if self.floating:
            p = self.precision
            if self.sci_mode:
                text = f"{value:{self.max_width}.{p}e}"
            elif self.int_mode:
                text = f"{value:.0f}"
                if math.isfinite(value):
                    text += "."
            else:
                text = f"{value:.{p}f}"
        else:
            text = f"{value}"
        return text.rjust(self.max_width)


class _Printer:
    """Lays out the nested data of one tensor with a real (and, for complex, imag) formatter."""

    def __init__(self, summarize: bool, real: _Formatter, imag: _Formatter | None,
                 convert: type) -> None:
        self.summarize = summarize
        self.convert = convert
        self.real = real
        self.imag = imag
        self.edge = PRINT_OPTS.edgeitems
        self.linewidth = PRINT_OPTS.linewidth

    def scalar(self, value: Any) -> str:
        value = self.convert(value)
        if self.imag is None:
            return self.real.format(value)
        real_str = self.real.format(value.real)
        imag_str = (self.imag.format(value.imag) + "j").lstrip()
        if imag_str[0] in "+-":  # negative values and -0. carry their own sign
            return real_str + imag_str
        return real_str + "+" + imag_str

    def _cut(self, data: list[Any], size: int) -> tuple[list[Any], list[Any]] | None:
        """(head, tail) of a summarised dimension, or None when it is shown whole."""
        if not (self.summarize and size > 2 * self.edge):
            return None
        return data[:self.edge], data[len(data) - self.edge:]

    def vector(self, data: list[Any], size: int, indent: int) -> str:
        element_length = self.real.width() + 2
        if self.imag is not None:
            element_length += self.imag.width() + 1  # the imaginary part and its "j"
        per_line = max(1, math.floor((self.linewidth - indent) / element_length))

        if self.summarize and not self.edge:
            items = ["..."]
        else:
            cut = self._cut(data, size)
            if cut is None:
                items = [self.scalar(v) for v in data]
            else:
                items = ([self.scalar(v) for v in cut[0]] + [" ..."]
                         + [self.scalar(v) for v in cut[1]])

        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"

    def tensor(self, data: Any, shape: tuple[int, ...], indent: int) -> str:
        ndim = len(shape)
        if ndim == 0:
            return self.scalar(data)
        if ndim == 1:
            return self.vector(data, shape[0], indent)
        inner = shape[1:]
        cut = self._cut(data, shape[0])
        if cut is None:
            slices = [self.tensor(sub, inner, indent + 1) for sub in data]
        else:
            slices = ([self.tensor(sub, inner, indent + 1) for sub in cut[0]] + ["..."]
                      + [self.tensor(sub, inner, indent + 1) for sub in cut[1]])
        sep = "," + "\n" * (ndim - 1) + " " * (indent + 1)
        return "[" + sep.join(slices) + "]"


# dtype kind -> the Python type that ``tolist()`` gives for it
_PY_TYPES: dict[str, type] = {"b": bool, "i": int, "c": complex, "f": float}


def _body(data: Any, shape: tuple[int, ...], dtype: Any, summarize: bool, indent: int) -> str:
    """The bracketed contents of a non-empty tensor."""
    kind = getattr(dtype, "kind", "f")
    convert = _PY_TYPES.get(kind, float)
    flat = [convert(v) for v in _flatten(data, len(shape))]
    if kind == "c":
        real = _Formatter([v.real for v in flat], floating=True)
        imag: _Formatter | None = _Formatter([v.imag for v in flat], floating=True)
    else:
        real = _Formatter(flat, floating=kind == "f")
        imag = None
    return _Printer(summarize, real, imag, convert).tensor(data, shape, indent)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items and the closing parenthesis, wrapping at ``linewidth``."""
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def format_tensor(
    data: Any,
    shape: tuple[int, ...],
    dtype: Any,
    *,
    device_str: str | None = None,
    requires_grad: bool = False,
    grad_fn_name: str | None = None,
    default_float_dtype_name: str = "float32",
    summarized: bool = False,
    prefix: str = "tensor(",
) -> str:
    """The ``repr`` of a tensor, exactly as PyTorch prints it (``ember.`` for dtypes).

    Args:
        data: the values as nested lists (``Tensor.tolist()``), a bare scalar when 0-d.
            When ``summarized``, every dimension longer than ``2 * edgeitems`` holds only
            its first and last ``edgeitems`` entries.
        shape: the tensor's full shape.
        dtype: an ember dtype (uses ``.name`` and ``.kind``).
        device_str: the device to show (``"cuda:0"``), or None for the default device.
        requires_grad: show ``requires_grad=True`` (when there is no ``grad_fn_name``).
        grad_fn_name: the autograd node's name, shown as ``grad_fn=<name>``.
        default_float_dtype_name: the current default floating dtype's name; tensors of
            other dtypes (except int64, bool and the matching complex) show ``dtype=``.
        summarized: whether ``data`` holds summarised edge items (see :func:`needs_summary`).
        prefix: the text before the contents; continuation lines are indented to match.
    """
    shape = tuple(int(n) for n in shape)
    name = dtype.name
    indent = len(prefix)
    suffixes: list[str] = []
    if device_str is not None:
        suffixes.append(f"device='{device_str}'")

    default_complex = "complex128" if default_float_dtype_name == "float64" else "complex64"
    dtype_suffix = f"dtype=ember.{name}"
    if math.prod(shape) == 0:
        # Show the shape unless it is (0,); an empty tensor has no values to hint its dtype.
        if len(shape) != 1:
            suffixes.append(f"size={shape}")
        if name != default_float_dtype_name:
            suffixes.append(dtype_suffix)
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={shape}")
        if name not in (default_float_dtype_name, default_complex, "int64", "bool"):
            suffixes.append(dtype_suffix)
        body = _body(data, shape, dtype, bool(summarized), indent)

    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
