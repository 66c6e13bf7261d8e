"""Reductions, scans, sorting and ``unique`` on an array-API namespace."""

from __future__ import annotations

from ._base import ArrayAPICore

__all__ = ["ReductionMixin"]


class ReductionMixin(ArrayAPICore):
    # ------------------------------------------------------------------ reductions
    def _accumulate(self, fname, x, axes, keepdims):
        xp = self.xp
        xdt = x.dtype
        if not axes:
            return self.copy(x)
        # dtype=x.dtype: the standard would widen integers to the default integer dtype;
        # float16/bfloat16 accumulate in float32 and are rounded once at the end.
        acc = self._f32 if xdt in self._half else xdt
        r = getattr(xp, fname)(xp.astype(x, acc), axis=tuple(axes), dtype=acc, keepdims=keepdims)
        return self._down(r, xdt)

    def sum(self, x, axes, keepdims):
        return self._accumulate("sum", x, axes, keepdims)

    def prod(self, x, axes, keepdims):
        return self._accumulate("prod", x, axes, keepdims)

    def _extreme(self, fname, bool_fname, x, axes, keepdims):
        if not axes:
            return self.copy(x)
        if self._kind(x) == "b":
            # The standard's max/min are for real numeric dtypes; on bool they are any/all.
            return getattr(self.xp, bool_fname)(x, axis=tuple(axes), keepdims=keepdims)
        return getattr(self.xp, fname)(x, axis=tuple(axes), keepdims=keepdims)

    def max(self, x, axes, keepdims):
        return self._extreme("max", "any", x, axes, keepdims)

    def min(self, x, axes, keepdims):
        return self._extreme("min", "all", x, axes, keepdims)

    def any(self, x, axes, keepdims):
        if not axes:
            return self.xp.astype(x, self._bool)
        return self.xp.any(x, axis=tuple(axes), keepdims=keepdims)

    def all(self, x, axes, keepdims):
        if not axes:
            return self.xp.astype(x, self._bool)
        return self.xp.all(x, axis=tuple(axes), keepdims=keepdims)

    # ------------------------------------------------------------------ arg reductions
    def _arg(self, fname, x, axis, keepdims):
        xp = self.xp
        kind = self._kind(x)
        if kind == "b":
            x = xp.astype(x, xp.uint8)  # the standard's argmax is numeric-only
        idx = getattr(xp, fname)(x, axis=axis, keepdims=keepdims)
        if kind == "f":
            # The standard leaves nan unspecified; the contract makes nan the extreme:
            # the first nan wins wherever a nan exists.
            nan = xp.isnan(x)
            first_nan = xp.argmax(xp.astype(nan, xp.uint8), axis=axis, keepdims=keepdims)
            idx = xp.where(xp.any(nan, axis=axis, keepdims=keepdims), first_nan, idx)
        return xp.astype(idx, self._i64)

    def argmax(self, x, axis, keepdims):
        return self._arg("argmax", x, axis, keepdims)

    def argmin(self, x, axis, keepdims):
        return self._arg("argmin", x, axis, keepdims)

    # ------------------------------------------------------------------ scans
    def cumsum(self, x, axis):
        xp = self.xp
        xdt = x.dtype
        if x.ndim == 0:
            return self.copy(x)
        acc = self._f32 if xdt in self._half else (xp.int64 if xdt == self._bool else xdt)
        r = xp.cumulative_sum(xp.astype(x, acc), axis=axis, dtype=acc)
        return xp.astype(r, xdt) if r.dtype != xdt else r

    def cumprod(self, x, axis):
        xp = self.xp
        xdt = x.dtype
        if x.ndim == 0:
            return self.copy(x)
        acc = self._f32 if xdt in self._half else (xp.int64 if xdt == self._bool else xdt)
        y = xp.astype(x, acc)
        if self._has("cumulative_prod", "2024.12"):
            r = xp.cumulative_prod(y, axis=axis, dtype=acc)
        else:
            # 2023.12 has no cumulative product: a Hillis-Steele scan, log2(n) products of
            # shifted copies. Exact for integers (wrap-around products are associative);
            # floats round in a tree order instead of left to right.
            n = y.shape[axis]
            k = 1
            while k < n:
                lead = [slice(None)] * y.ndim
                tail = [slice(None)] * y.ndim
                lead[axis] = slice(0, k)
                tail[axis] = slice(k, None)
                head = [slice(None)] * y.ndim
                head[axis] = slice(0, n - k)
                y = xp.concat([y[tuple(lead)], y[tuple(tail)] * y[tuple(head)]], axis=axis)
                k *= 2
            r = y
        return xp.astype(r, xdt) if r.dtype != xdt else r

    # ------------------------------------------------------------------ sorting
    def _argsort(self, x, axis, descending):
        """Stable int64 argsort (the helper behind :meth:`sort`)."""
        xp = self.xp
        if self._kind(x) == "b":
            x = xp.astype(x, xp.uint8)  # the standard sorts real numeric dtypes only
        elif x.dtype in self._half:
            x = self._up(x)
        if not descending:
            return xp.astype(xp.argsort(x, axis=axis, stable=True), self._i64)
        # Descending and stable, with nan first (it is the largest value): a stable
        # ascending sort of the reversed axis (nan last, as NumPy/CuPy/strict place it),
        # reversed back; indices are mapped through the reversal.
        n = x.shape[axis]
        idx = xp.argsort(xp.flip(x, axis=axis), axis=axis, stable=True)
        return xp.astype((n - 1) - xp.flip(idx, axis=axis), self._i64)

    def sort(self, x, axis, descending, stable):
        if x.ndim == 0:
            return self.copy(x), self.xp.zeros((), dtype=self._i64, device=self._xp_device)
        idx = self._argsort(x, axis, descending)
        return self._take_along_axis(x, idx, axis), idx

    # ------------------------------------------------------------------ unique
    def unique(self, x):
        xp = self.xp
        flat = xp.reshape(x, (-1,))
        n = flat.shape[0]
        order = self._argsort(flat, 0, False)
        s = xp.take(flat, order)
        # The standard's unique_* leave the order unspecified, so sort and segment here;
        # nan != nan, so each nan is its own value (as the standard's unique_* do).
        if n:
            new = xp.concat([xp.ones(1, dtype=self._bool, device=self._xp_device),
                             s[1:] != s[:-1]])
        else:
            new = xp.zeros(0, dtype=self._bool, device=self._xp_device)
        group = xp.cumulative_sum(xp.astype(new, self._i64)) - 1
        inverse_perm = xp.argsort(order, stable=True)  # the inverse permutation
        inverse = xp.reshape(xp.take(group, inverse_perm), tuple(x.shape))
        (starts,) = xp.nonzero(new)
        values = xp.take(s, starts)
        ends = xp.concat([starts[1:], xp.asarray([n], dtype=starts.dtype,
                                                 device=self._xp_device)])
        counts = ends - starts
        return values, xp.astype(inverse, self._i64), xp.astype(counts, self._i64)
