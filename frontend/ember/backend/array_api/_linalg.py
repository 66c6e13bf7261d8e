"""Linear algebra on an array-API namespace (``matmul`` and the ``linalg`` extension)."""

from __future__ import annotations

from ._base import ArrayAPICore

__all__ = ["LinalgMixin"]


class LinalgMixin(ArrayAPICore):
    def _lin(self, fn, *arrays):
        # float16/bfloat16 are computed in float32 and rounded once; LAPACK has no halves.
        xdt = arrays[0].dtype
        return self._down(fn(*(self._up(a) for a in arrays)), xdt)

    def matmul(self, a, b):
        if self._kind(a) == "b":
            # The standard's matmul is numeric-only: bool is a sum of ands, i.e. any.
            r = self.xp.matmul(self.xp.astype(a, self._i64), self.xp.astype(b, self._i64))
            return r != 0
        return self._lin(self.xp.matmul, a, b)

    @property
    def _linalg(self):
        linalg = getattr(self.xp, "linalg", None)
        if linalg is None:
            raise NotImplementedError(
                f"backend {self.name!r}: the namespace has no linalg extension")
        return linalg

    def inv(self, x):
        return self._lin(self._linalg.inv, x)

    def det(self, x):
        return self._lin(self._linalg.det, x)

    def solve(self, a, b):
        xp = self.xp
        # Broadcast the batch axes explicitly: the standard's solve is ambiguous about
        # a (..., n, k) right-hand side whose batch differs from a's.
        batch = _broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
        a = xp.broadcast_to(a, (*batch, *a.shape[-2:]))
        b = xp.broadcast_to(b, (*batch, *b.shape[-2:]))
        return self._lin(self._linalg.solve, a, b)

    def _real_of(self, xdt):
        """The namespace's real dtype for ``xdt`` (the parts' dtype of a complex one)."""
        return self._to_xp_dtype(self._from_xp_dtype(xdt).to_real())

    def svdvals(self, x):
        linalg = self._linalg
        xdt = x.dtype
        if hasattr(linalg, "svdvals"):
            s = linalg.svdvals(self._up(x))
        else:
            s = linalg.svd(self._up(x), full_matrices=False)[1]
        return self._down(s, self._real_of(xdt))  # real, also for complex input

    def svd(self, x):
        u, s, vh = self._linalg.svd(x, full_matrices=False)
        return u, self._down(s, self._real_of(x.dtype)), vh


def _broadcast_shapes(s: tuple[int, ...], t: tuple[int, ...]) -> tuple[int, ...]:
    # xp.broadcast_shapes is only standard since 2025.12.
    n = max(len(s), len(t))
    s, t = (1,) * (n - len(s)) + s, (1,) * (n - len(t)) + t
    out = []
    for p, q in zip(s, t):
        if p != q and 1 not in (p, q):
            raise ValueError(f"batch shapes {s} and {t} do not broadcast")
        out.append(q if p == 1 else p)
    return tuple(out)
