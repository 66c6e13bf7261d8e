"""Advanced indexing, index_put, gather, scatter and nonzero on an array-API namespace.

# NOTE [ Scatter without scatter ]
The standard (2023.12) reads through integer indices (``take``) but has no way to write
through them: no integer-array ``__setitem__``, no ``scatter``, no ``put``. Every write
here is therefore turned into a read: the target positions ``pos`` are sorted (stably),
a segmented Hillis-Steele scan combines the values aimed at the same position
(log2(n) steps), and each element of the destination finds the last entry of its
segment with ``searchsorted``; a ``where`` merges. The cost is O(N log M) instead of
O(M), and sums of duplicates round in a tree order instead of left to right; backends
with a native scatter (NumPy's ``ufunc.at``, CuPy's ``scatter_add``) override.
"""

from __future__ import annotations

import math

from ._base import _SCALARS, ArrayAPICore

__all__ = ["IndexingMixin"]

_NEWADV = object()  # marker: a 0-d bool mask (a new axis indexed by an array of 0 or 1 zeros)


class IndexingMixin(ArrayAPICore):
    # ------------------------------------------------------------------ helpers
    def _linear(self, shape, index, axis):
        """Flat C-order positions in an array of ``shape`` of the coordinates that are
        ``index`` along ``axis`` and the natural coordinates elsewhere."""
        xp = self.xp
        nd = len(shape)
        stride = [math.prod(shape[d + 1:]) for d in range(nd)]
        lin = xp.astype(index, self._i64) * stride[axis]
        for d in range(nd):
            if d == axis:
                continue
            view = [1] * nd
            view[d] = index.shape[d]
            coord = xp.arange(index.shape[d], dtype=self._i64, device=self._xp_device)
            lin = lin + xp.reshape(coord, tuple(view)) * stride[d]
        return lin

    def _take_along_axis(self, x, idx, axis):
        xp = self.xp
        if self._has("take_along_axis", "2024.12"):
            return xp.take_along_axis(x, idx, axis=axis)
        lin = self._linear(tuple(x.shape), idx, axis)
        flat = xp.take(xp.reshape(x, (-1,)), xp.reshape(lin, (-1,)))
        return xp.reshape(flat, tuple(idx.shape))

    def _scatter_flat(self, flat, pos, vals, mode):
        """``flat`` with ``vals`` combined in at ``pos`` (see NOTE [ Scatter without
        scatter ]); ``mode`` None (last write wins), "sum", "prod", "amax", "amin"."""
        xp = self.xp
        if pos.shape[0] == 0:
            return self.copy(flat)
        xdt = flat.dtype
        flat, vals = self._up(flat), self._up(vals)
        order = xp.argsort(pos, stable=True)
        sp = xp.take(pos, order)
        sv = xp.take(vals, order)
        if mode is not None:
            comb = self._combiner(mode, flat.dtype)
            m, k = sp.shape[0], 1
            while k < m:
                same = sp[k:] == sp[:-k]
                sv = xp.concat([sv[:k], xp.where(same, comb(sv[k:], sv[:-k]), sv[k:])])
                k *= 2
        targets = xp.arange(flat.shape[0], dtype=sp.dtype, device=self._xp_device)
        j = xp.astype(xp.searchsorted(sp, targets, side="right"), self._i64) - 1
        jc = xp.clip(j, 0, None)
        hit = (j >= 0) & (xp.take(sp, jc) == targets)
        got = xp.take(sv, jc)
        new = got if mode is None else self._combiner(mode, flat.dtype)(flat, got)
        return self._down(xp.where(hit, new, flat), xdt)

    def _combiner(self, mode, xdt):
        xp = self.xp
        if xdt == self._bool:
            fns = {"sum": xp.logical_or, "prod": xp.logical_and, "amax": xp.logical_or,
                   "amin": xp.logical_and}
        else:
            fns = {"sum": xp.add, "prod": xp.multiply, "amax": xp.maximum, "amin": xp.minimum}
        return fns[mode]

    def _expand_key(self, x, key):
        """The key with bool masks replaced by their nonzero coordinates, padded with
        full slices to every axis; returns (entries, has_arrays)."""
        xp = self.xp
        out = []
        arrays = False
        for k in key:
            if k is None or isinstance(k, int | slice):
                out.append(k)
                continue
            arrays = True
            if self._kind(k) == "b":
                if k.ndim == 0:
                    n = 1 if bool(k) else 0
                    out.append((_NEWADV, xp.zeros(n, dtype=self._i64, device=self._xp_device)))
                else:
                    out.extend(xp.astype(c, self._i64) for c in xp.nonzero(k))
            else:
                out.append(k)
        used = sum(1 for e in out if e is not None and not isinstance(e, tuple))
        out.extend([slice(None)] * (x.ndim - used))
        return out, arrays

    # ------------------------------------------------------------------ advanced indexing
    def index(self, x, key):
        xp = self.xp
        entries, arrays = self._expand_key(x, tuple(key))
        if not arrays:
            return self.copy(x[tuple(entries)])
        # NumPy's rule: with any array in the key, integers are advanced indices too.
        basic, adv_pos, adv = [], [], []
        for i, e in enumerate(entries):
            if e is None or isinstance(e, slice):
                basic.append(e)
            elif isinstance(e, tuple):
                basic.append(None)
                adv_pos.append(i)
                adv.append(e[1])
            else:
                basic.append(slice(None))
                adv_pos.append(i)
                adv.append(xp.asarray(e, dtype=self._i64, device=self._xp_device)
                           if isinstance(e, int) else e)
        y = x[tuple(basic)]
        adv = xp.broadcast_arrays(*adv)
        bshape = tuple(adv[0].shape)
        others = [d for d in range(y.ndim) if d not in adv_pos]
        sizes = [y.shape[d] for d in adv_pos]
        rest = tuple(y.shape[d] for d in others)
        y = xp.reshape(xp.permute_dims(y, (*adv_pos, *others)), (math.prod(sizes), *rest))
        lin = None
        for k, a in enumerate(adv):
            term = xp.astype(a, self._i64) * math.prod(sizes[k + 1:])
            lin = term if lin is None else lin + term
        r = xp.reshape(xp.take(y, xp.reshape(lin, (-1,)), axis=0), (*bshape, *rest))
        if adv_pos == list(range(adv_pos[0], adv_pos[0] + len(adv_pos))) and adv_pos[0]:
            # Adjacent advanced indices: their block takes the place of the first one.
            nb, p0 = len(bshape), adv_pos[0]
            perm = ([nb + i for i in range(p0)] + list(range(nb))
                    + [nb + i for i in range(p0, len(rest))])
            r = xp.permute_dims(r, tuple(perm))
        return r

    def index_put(self, x, key, values, accumulate) -> None:
        xp = self.xp
        key = tuple(key)
        if not accumulate and not any(k is not None and not isinstance(k, int | slice)
                                      for k in key):
            # A basic key: the standard's __setitem__ does it.
            x[key] = self._scalar(values, x.dtype) if isinstance(values, _SCALARS) else values
            return
        n = math.prod(x.shape)
        grid = xp.reshape(xp.arange(n, dtype=self._i64, device=self._xp_device), tuple(x.shape))
        pos = self.index(grid, key)  # the flat positions the key selects
        vals = xp.broadcast_to(self._asarray(values, x), tuple(pos.shape))
        flat = self._scatter_flat(xp.reshape(x, (-1,)), xp.reshape(pos, (-1,)),
                                  xp.reshape(vals, (-1,)), "sum" if accumulate else None)
        x[...] = xp.reshape(flat, tuple(x.shape))

    # ------------------------------------------------------------------ gather, scatter
    def gather(self, x, axis, index):
        xp = self.xp
        if x.ndim == 0:
            return self.copy(x)
        lin = self._linear(tuple(x.shape), index, axis)
        flat = xp.take(xp.reshape(x, (-1,)), xp.reshape(lin, (-1,)))
        return xp.reshape(flat, tuple(index.shape))

    def scatter(self, x, axis, index, src, reduce):
        xp = self.xp
        if x.ndim == 0:
            x, index = xp.reshape(x, (1,)), xp.reshape(index, (1,))
            if not isinstance(src, _SCALARS):
                src = xp.reshape(src, (1,))
            return xp.reshape(self.scatter(x, 0, index, src, reduce), ())
        lin = xp.reshape(self._linear(tuple(x.shape), index, axis), (-1,))
        if isinstance(src, _SCALARS):
            vals = self.full(tuple(index.shape), src, self._from_xp_dtype(x.dtype))
        else:
            vals = src[tuple(slice(0, n) for n in index.shape)]
        flat = self._scatter_flat(xp.reshape(x, (-1,)), lin, xp.reshape(vals, (-1,)), reduce)
        return xp.reshape(flat, tuple(x.shape))

    def nonzero(self, x):
        xp = self.xp
        if x.ndim == 0:
            # The standard's nonzero rejects 0-d input; PyTorch gives shape (0 or 1, 0).
            return xp.zeros((1 if bool(x != 0) else 0, 0), dtype=self._i64,
                            device=self._xp_device)
        coords = xp.nonzero(x)
        return xp.astype(xp.stack(coords, axis=1), self._i64)
