"""NumPy indexing, index_put, gather and scatter (overrides of array_api/_indexing.py).

NumPy has what the standard lacks: advanced indexing with the contract's exact semantics,
integer-array assignment and ``ufunc.at`` (an unbuffered scatter where every duplicate
index counts), so none of the base's sort-and-search emulation is needed here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["IndexingMixin"]

_SCALARS = (bool, int, float, complex)
_AT = {"sum": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


def _has_array(key) -> bool:
    return any(k is not None and not isinstance(k, int | slice) for k in key)


class IndexingMixin:
    def index(self, x, key):
        key = tuple(key)
        r = x[(*key, ...)]  # the Ellipsis keeps 0-d results arrays
        return r if _has_array(key) else r.copy()  # basic keys give views

    def index_put(self, x, key, values, accumulate) -> None:
        key = tuple(key)
        if isinstance(values, _SCALARS):
            values = self._scalar(values, x.dtype)
        if accumulate:
            np.add.at(x, key, values)  # every duplicate adds
        else:
            x[key] = values

    def _coords(self, index, axis):
        coords = list(np.indices(index.shape, sparse=True))
        coords[axis] = index
        return tuple(coords)

    def gather(self, x, axis, index):
        if x.ndim == 0:
            return x.copy()
        return x[self._coords(index, axis)]

    def scatter(self, x, axis, index, src, reduce):
        out = x.copy()
        if out.ndim == 0:
            out, index = out.reshape(1), index.reshape(1)
            if not isinstance(src, _SCALARS):
                src = src.reshape(1)
            return self.scatter(out, 0, index, src, reduce).reshape(())
        if isinstance(src, _SCALARS):
            vals = self._scalar(src, x.dtype)
        else:
            vals = src[tuple(slice(0, n) for n in index.shape)]
        coords = self._coords(index, axis)
        if reduce is None:
            out[coords] = vals
        else:
            _AT[reduce].at(out, coords, vals)
        return out

    def nonzero(self, x):
        return np.argwhere(x)
