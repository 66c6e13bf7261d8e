"""Linear algebra: matmul, inv, det, solve, svdvals.

Matrices are handled one at a time as lists of rows; batch axes are broadcast with views
and walked in row-major order. Floating and complex input is computed in float64 (or
complex128) and each result element is rounded once to the input dtype; integer and bool
``matmul`` is exact (integers wrap, bool is "or of ands").

The algorithms are the textbook ones, chosen to be read rather than to be fast:

* ``inv``, ``det``, ``solve``: Gaussian elimination with partial pivoting (the row with the
  largest magnitude in the pivot column is swapped up). A zero pivot means the matrix is
  singular: ``inv`` and ``solve`` raise ``ValueError("singular matrix")``, ``det`` is 0.
* ``svdvals``: one-sided Jacobi (Hestenes). Plane rotations are applied to pairs of columns
  until every pair is orthogonal; the singular values are then the column norms. It is
  accurate to a few units in the last place relative to the largest singular value.
"""

from __future__ import annotations

import math

from ._array import RefArray, broadcast_shapes, broadcast_to, from_values, numel, values
from ._dtypes import complex_sum, converter, float_sum

__all__ = ["det", "inv", "matmul", "solve", "svdvals"]

_NAN = math.nan


# ---------------------------------------------------------------------------- batches
def _matrices(x: RefArray, batch: tuple[int, ...]) -> list[list[list]]:
    """``x`` broadcast to ``batch + x.shape[-2:]`` as a list of matrices (lists of rows)."""
    m, n = x.shape[-2:]
    flat = values(broadcast_to(x, batch + (m, n)))
    return [[flat[(b * m + i) * n:(b * m + i + 1) * n] for i in range(m)]
            for b in range(numel(batch))]


def _require_floating(x: RefArray, op: str) -> None:
    if x.dtype.kind not in "fc":
        raise TypeError(f"{op} needs a floating or complex dtype, got {x.dtype}")


def _require_square(x: RefArray, op: str) -> None:
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"{op} needs a batch of square matrices (..., n, n), got shape "
                         f"{x.shape}")


def _to_working(v, kind: str):
    """An element in the working precision: float64 or complex128."""
    return complex(v) if kind == "c" else float(v)


# ---------------------------------------------------------------------------- matmul
def _dot(xs: list, ys: list, kind: str):
    if kind == "f":
        return float_sum(u * v for u, v in zip(xs, ys))
    if kind == "c":
        return complex_sum(u * v for u, v in zip(xs, ys))
    if kind == "b":
        return any(u and v for u, v in zip(xs, ys))
    return sum(u * v for u, v in zip(xs, ys))


def matmul(a: RefArray, b: RefArray) -> RefArray:
    """NumPy's ``matmul``: a 1-d ``a`` is a row ``(1, n)``, a 1-d ``b`` a column ``(n, 1)``
    (the added axis is removed from the result); batch axes broadcast."""
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul: operands must be at least 1-d, got shapes {a.shape} and "
                         f"{b.shape}")
    if a.dtype != b.dtype:
        raise TypeError(f"matmul: dtypes differ ({a.dtype} and {b.dtype})")
    a2 = RefArray(a.storage, (1,) + a.shape, (0,) + a.strides, a.offset) if a.ndim == 1 else a
    b2 = RefArray(b.storage, b.shape + (1,), b.strides + (0,), b.offset) if b.ndim == 1 else b
    (m, k), (k2, p) = a2.shape[-2:], b2.shape[-2:]
    if k != k2:
        raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not match "
                         f"({k} != {k2} in the contracted axis)")
    batch = broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    kind = a.dtype.kind
    to_out = converter(a.dtype)
    out = []
    for left, right in zip(_matrices(a2, batch), _matrices(b2, batch)):
        columns = [[row[j] for row in right] for j in range(p)]
        out.extend(to_out(_dot(row, col, kind)) for row in left for col in columns)
    shape = batch + (m, p)
    if a.ndim == 1:
        shape = shape[:-2] + shape[-1:]
    if b.ndim == 1:
        shape = shape[:-1]
    return from_values(out, shape, a.dtype)


# ---------------------------------------------------------------------------- elimination
def _eliminate(rows: list[list], rhs: list[list] | None):
    """Reduce ``rows`` (n x n, working precision) to upper-triangular form in place with
    partial pivoting, applying the same row operations to ``rhs`` (n x k) when given.

    Returns ``(pivots, swaps)``; a pivot is 0 exactly when the matrix is singular.
    """
    n = len(rows)
    pivots, swaps = [], 0
    for col in range(n):
        best = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if best != col:
            rows[col], rows[best] = rows[best], rows[col]
            if rhs is not None:
                rhs[col], rhs[best] = rhs[best], rhs[col]
            swaps += 1
        pivot = rows[col][col]
        pivots.append(pivot)
        if pivot == 0:
            continue  # the column is already zero below the diagonal
        for r in range(col + 1, n):
            factor = rows[r][col] / pivot
            if factor == 0:
                continue
            rows[r] = [u - factor * v for u, v in zip(rows[r], rows[col])]
            if rhs is not None:
                rhs[r] = [u - factor * v for u, v in zip(rhs[r], rhs[col])]
    return pivots, swaps


def _solve_matrix(a: list[list], b: list[list], kind: str) -> list[list]:
    """``x`` with ``a @ x = b`` for one square ``a`` (n x n) and ``b`` (n x k)."""
    rows = [[_to_working(v, kind) for v in row] for row in a]
    rhs = [[_to_working(v, kind) for v in row] for row in b]
    pivots, _ = _eliminate(rows, rhs)
    if any(p == 0 for p in pivots):
        raise ValueError("singular matrix")
    n = len(rows)
    k = len(rhs[0]) if rhs else 0
    x = [[0.0] * k for _ in range(n)]
    for i in reversed(range(n)):  # back substitution
        for j in range(k):
            known = sum(rows[i][c] * x[c][j] for c in range(i + 1, n))
            x[i][j] = (rhs[i][j] - known) / rows[i][i]
    return x


def inv(x: RefArray) -> RefArray:
    """The inverse of each square matrix of the batch: ``solve(x, identity)``."""
    _require_floating(x, "inv")
    _require_square(x, "inv")
    n = x.shape[-1]
    identity = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    to_out = converter(x.dtype)
    out = []
    for matrix in _matrices(x, x.shape[:-2]):
        out.extend(to_out(v) for row in _solve_matrix(matrix, identity, x.dtype.kind)
                   for v in row)
    return from_values(out, x.shape, x.dtype)


def det(x: RefArray) -> RefArray:
    """The determinant of each square matrix: the product of the elimination pivots, negated
    once per row swap (0 for a singular matrix, 1 for a 0 x 0 one)."""
    _require_floating(x, "det")
    _require_square(x, "det")
    kind = x.dtype.kind
    to_out = converter(x.dtype)
    out = []
    for matrix in _matrices(x, x.shape[:-2]):
        rows = [[_to_working(v, kind) for v in row] for row in matrix]
        pivots, swaps = _eliminate(rows, None)
        result = -1.0 if swaps % 2 else 1.0
        for p in pivots:
            result *= p
        out.append(to_out(result))
    return from_values(out, x.shape[:-2], x.dtype)


def solve(a: RefArray, b: RefArray) -> RefArray:
    """``x`` with ``a @ x = b`` for ``a`` (..., n, n) and ``b`` (..., n, k), batch axes
    broadcast."""
    _require_floating(a, "solve")
    _require_square(a, "solve")
    if b.ndim < 2 or b.shape[-2] != a.shape[-1]:
        raise ValueError(f"solve: b must have shape (..., {a.shape[-1]}, k) to match a of "
                         f"shape {a.shape}, got {b.shape}")
    batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])
    to_out = converter(a.dtype)
    out = []
    for left, right in zip(_matrices(a, batch), _matrices(b, batch)):
        out.extend(to_out(v) for row in _solve_matrix(left, right, a.dtype.kind) for v in row)
    return from_values(out, batch + b.shape[-2:], a.dtype)


# ---------------------------------------------------------------------------- svdvals
def _squared_norm(column: list) -> float:
    """The sum of ``|v|**2`` (``v * conj(v)`` never raises on overflow, ``**`` would)."""
    return float_sum((v * v.conjugate()).real for v in column)


def _jacobi(columns: list[list], kind: str, vcols: list[list] | None = None) -> None:
    """One-sided Jacobi: rotate pairs of ``columns`` (in place) until they are mutually
    orthogonal; their norms are then the singular values. ``vcols``, when given, take the
    same rotations (so ``A @ V`` stays ``columns``: they become the right singular
    vectors)."""
    for _sweep in range(60):
        rotated = False
        for p in range(len(columns) - 1):
            for q in range(p + 1, len(columns)):
                ap, aq = columns[p], columns[q]
                alpha, beta = _squared_norm(ap), _squared_norm(aq)
                if kind == "c":
                    gamma = complex_sum(u.conjugate() * v for u, v in zip(ap, aq))
                else:
                    gamma = float_sum(u * v for u, v in zip(ap, aq))
                g = abs(gamma)
                if g <= 1e-15 * math.sqrt(alpha) * math.sqrt(beta):
                    continue  # already orthogonal to working precision
                rotated = True
                # Scale aq by the unit phase conj(gamma / |gamma|) (a sign for real input):
                # that changes no singular value and makes the inner product |gamma| >= 0.
                phase = (gamma / g).conjugate()
                aq = [v * phase for v in aq]
                zeta = (beta - alpha) / (2.0 * g)
                t = math.copysign(1.0, zeta) / (abs(zeta) + math.hypot(1.0, zeta))
                c = 1.0 / math.hypot(1.0, t)
                s = c * t
                columns[p] = [c * u - s * v for u, v in zip(ap, aq)]
                columns[q] = [s * u + c * v for u, v in zip(ap, aq)]
                if vcols is not None:
                    vp, vq = vcols[p], [v * phase for v in vcols[q]]
                    vcols[p] = [c * u - s * v for u, v in zip(vp, vq)]
                    vcols[q] = [s * u + c * v for u, v in zip(vp, vq)]
        if not rotated:
            break


def _jacobi_singular_values(columns: list[list], kind: str) -> list[float]:
    """Singular values of the matrix whose columns are ``columns`` (one-sided Jacobi)."""
    _jacobi(columns, kind)
    return sorted((math.sqrt(_squared_norm(col)) for col in columns), reverse=True)


def _orthonormal_completion(cols: list[list | None], m: int) -> list[list]:
    """Fill the ``None`` entries with unit vectors orthogonal to the others (Gram-Schmidt
    on the standard basis): the left singular vectors of zero singular values."""
    done = [c for c in cols if c is not None]
    out = []
    for c in cols:
        if c is None:
            for i in range(m):
                e = [1.0 if r == i else 0.0 for r in range(m)]
                for d in done:
                    if isinstance(d[0], complex):
                        dot = complex_sum(a.conjugate() * b for a, b in zip(d, e))
                    else:
                        dot = float_sum(a * b for a, b in zip(d, e))
                    e = [a - dot * b for a, b in zip(e, d)]
                norm = math.sqrt(_squared_norm(e))
                if norm > 1e-6:
                    c = [a / norm for a in e]
                    break
            done.append(c)
        out.append(c)
    return out


def _svd_tall(rows: list[list], m: int, n: int, kind: str) -> tuple[list, list, list]:
    """``(U columns, S, V columns)`` of an ``m x n`` matrix with ``m >= n``."""
    columns = [[row[j] for row in rows] for j in range(n)]
    one = 1 + 0j if kind == "c" else 1.0
    vcols = [[one if r == j else 0 * one for r in range(n)] for j in range(n)]
    _jacobi(columns, kind, vcols)
    norms = [math.sqrt(_squared_norm(c)) for c in columns]
    order = sorted(range(n), key=lambda j: -norms[j])
    top = norms[order[0]] if n else 0.0
    ucols = [[v / norms[j] for v in columns[j]] if norms[j] > 1e-14 * max(top, 1e-300)
             else None for j in order]
    return (_orthonormal_completion(ucols, m), [norms[j] for j in order],
            [vcols[j] for j in order])


def svd(x: RefArray) -> tuple[RefArray, RefArray, RefArray]:
    """Reduced SVD ``(U, S, Vh)`` of each matrix ``(..., m, n)``, real or complex
    (one-sided Jacobi on the side with fewer columns, rotations accumulated into the right
    singular vectors); ``S`` is real."""
    _require_floating(x, "svd")
    if x.ndim < 2:
        raise ValueError(f"svd needs a batch of matrices (..., m, n), got shape {x.shape}")
    m, n = x.shape[-2:]
    k = min(m, n)
    kind = x.dtype.kind
    conv, conv_s = converter(x.dtype), converter(x.dtype.to_real())
    us, ss, vhs = [], [], []
    for matrix in _matrices(x, x.shape[:-2]):
        rows = [[_to_working(v, kind) for v in row] for row in matrix]
        if any(not math.isfinite(abs(v)) for row in rows for v in row):
            us.extend([_NAN] * (m * k))
            ss.extend([_NAN] * k)
            vhs.extend([_NAN] * (k * n))
            continue
        if m >= n:
            ucols, sing, vcols = _svd_tall(rows, m, n, kind)
        else:  # A^H = U' S V'^H, so A = V' S U'^H
            adjoint = [[v.conjugate() for v in col] for col in zip(*rows)]
            vcols, sing, ucols = _svd_tall(adjoint, n, m, kind)
        us.extend(conv(ucols[j][i]) for i in range(m) for j in range(k))
        ss.extend(conv_s(v) for v in sing)
        vhs.extend(conv(vcols[j][i].conjugate()) for j in range(k) for i in range(n))
    batch = x.shape[:-2]
    return (from_values(us, batch + (m, k), x.dtype),
            from_values(ss, batch + (k,), x.dtype.to_real()),
            from_values(vhs, batch + (k, n), x.dtype))


def svdvals(x: RefArray) -> RefArray:
    """Singular values of each matrix (..., m, n), descending, shape (..., min(m, n)).

    The Jacobi iteration runs on the side with fewer columns (``x`` or its transpose, which
    has the same singular values).
    """
    _require_floating(x, "svdvals")
    if x.ndim < 2:
        raise ValueError(f"svdvals needs a batch of matrices (..., m, n), got shape {x.shape}")
    m, n = x.shape[-2:]
    kind = x.dtype.kind
    to_out = converter(x.dtype.to_real())
    out = []
    for matrix in _matrices(x, x.shape[:-2]):
        rows = [[_to_working(v, kind) for v in row] for row in matrix]
        if m >= n:
            columns = [[row[j] for row in rows] for j in range(n)]
        else:
            columns = rows  # the columns of the transpose
        if any(not math.isfinite(abs(v)) for col in columns for v in col):
            singular = [_NAN] * min(m, n)
        else:
            singular = _jacobi_singular_values(columns, kind)
        out.extend(to_out(v) for v in singular)
    return from_values(out, x.shape[:-2] + (min(m, n),), x.dtype.to_real())
