"""``ember.finfo`` and ``ember.iinfo``: numeric limits of dtypes."""

from __future__ import annotations

from .backend import _dtypes as D

__all__ = ["finfo", "iinfo"]

# (bits, eps, max, smallest normal, tiny, resolution)
_FLOAT = {
    "float16": (16, 0.0009765625, 65504.0, 6.103515625e-05, 0.001),
    "bfloat16": (16, 0.0078125, 3.3895313892515355e38, 1.1754943508222875e-38, 0.01),
    "float32": (32, 1.1920928955078125e-07, 3.4028234663852886e38, 1.1754943508222875e-38,
                1e-06),
    "float64": (64, 2.220446049250313e-16, 1.7976931348623157e308, 2.2250738585072014e-308,
                1e-15),
}


class finfo:
    """Limits of a floating dtype: ``bits``, ``eps``, ``max``, ``min``, ``tiny``,
    ``smallest_normal``, ``resolution``, ``dtype``.

    >>> import ember
    >>> ember.finfo(ember.float32).eps
    1.1920928955078125e-07
    """

    def __init__(self, type: D.dtype | None = None) -> None:  # noqa: A002
        from ._defaults import get_default_dtype

        dt = type or get_default_dtype()
        if dt.is_complex:
            dt = dt.to_real()
        if dt.name not in _FLOAT:
            raise TypeError(f"torch.finfo() requires a floating point input type. Use "
                            f"torch.iinfo to handle '{dt}'")
        self.bits, self.eps, self.max, self.smallest_normal, self.resolution = _FLOAT[dt.name]
        self.min = -self.max
        self.tiny = self.smallest_normal
        self.dtype = dt.name

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution}, min={self.min:e}, max={self.max:e}, "
                f"eps={self.eps:e}, smallest_normal={self.smallest_normal:e}, "
                f"tiny={self.tiny:e}, dtype={self.dtype})")


class iinfo:
    """Limits of an integer dtype: ``bits``, ``min``, ``max``, ``dtype``."""

    def __init__(self, type: D.dtype) -> None:  # noqa: A002
        if type.kind not in "bi":
            raise TypeError(f"torch.iinfo() requires an integer input type. Use torch.finfo "
                            f"to handle '{type}'")
        self.bits = type.bits
        self.dtype = type.name
        if type is D.bool_:
            self.min, self.max = 0, 1
        elif type.is_signed:
            self.min, self.max = -(1 << (self.bits - 1)), (1 << (self.bits - 1)) - 1
        else:
            self.min, self.max = 0, (1 << self.bits) - 1

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"
