"""Entries for reductions, scans, sorting and statistics (``sum``, ``max``, ``sort``, ...)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import ALL, FLOATS, INTS, REALS, Case, OpEntry, TensorArg, Tol
from ._inputs import special, tensor
from ._unary import is_full

__all__ = ["entries", "distinct"]

_RTOL = {"float32": Tol(1e-5, 1e-5), "float64": Tol(1e-7, 1e-7),
         "float16": Tol(4e-3, 4e-3), "bfloat16": Tol(3e-2, 3e-2)}


def distinct(rng: Any, shape: tuple[int, ...], dtype: str) -> TensorArg:
    """Pairwise distinct values (so indices of sorts and arg-reductions are unambiguous)."""
    n = 1
    for s in shape:
        n *= s
    lo = 0 if dtype == "uint8" else -(n // 2)
    vals: list[Any] = list(range(lo, lo + n))
    rng.shuffle(vals)
    if dtype in FLOATS:
        vals = [v * 0.25 for v in vals]
    from ._inputs import shaped

    return TensorArg(shaped(vals, shape) if shape else vals[0], dtype)


def reduce_samples(op: str, dtypes: tuple[str, ...], *, dim_arg: str = "optional",
                   multi: bool = True, kw: dict | None = None, domain: str = "real",
                   unique_values: bool = False, specials: bool = True,
                   empty_ok: bool = True) -> Callable[[Any], Iterator[Case]]:
    """Cases for ``op(x[, dim][, keepdim])``.

    ``dim_arg``: ``"optional"`` (also reduce everything), ``"required"`` or ``"int"``
    (one int dim only, e.g. ``cumsum``, ``argmax``). ``unique_values`` draws distinct
    values so returned indices are unambiguous.
    """
    base = dict(kw or {})

    def t(rng: Any, shape: tuple[int, ...], dt: str, view: str | None = None) -> TensorArg:
        if unique_values and not view:
            return distinct(rng, shape, dt)
        return tensor(rng, shape, dt, domain, view)

    def gen(rng: Any) -> Iterator[Case]:
        for dt in dtypes:
            full = is_full(dt, dtypes)
            c = lambda v, args, extra=None: Case(op, v, dt, args, {**base, **(extra or {})})  # noqa
            if dim_arg == "optional":
                yield c("all", (t(rng, (4, 5), dt),))
            yield c("dim0", (t(rng, (4, 5), dt), 0))
            yield c("dim-neg", (t(rng, (2, 3, 4), dt), -1))
            if dim_arg != "int" and multi:
                yield c("dims-tuple", (t(rng, (2, 3, 4), dt), (0, -1)))
            if "keepdim" not in base and dim_arg != "scan":
                yield c("keepdim", (t(rng, (3, 4), dt), 1), {"keepdim": True})
            if full:
                yield c("0d", (t(rng, (), dt), 0))
                yield c("noncontig", (t(rng, (3, 4), dt, "T"), 0))
                yield c("1d", (t(rng, (6,), dt), -1))
                if empty_ok:
                    yield c("empty", (tensor(rng, (0, 3), dt), 1))
            if specials and dt in FLOATS:
                yield c("special", (special(dt), 0))

    return gen


def _scan(op: str, dtypes: tuple[str, ...], **kw: Any) -> Callable[[Any], Iterator[Case]]:
    return reduce_samples(op, dtypes, dim_arg="scan", multi=False, **kw)


def _no_dim_error(op: str, dt: str = "float32") -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "dim-out-of-range", dt, (tensor(rng, (2, 3), dt), 2))

    return gen


def _empty_error(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "dim-out-of-range", "float32", (tensor(rng, (2, 3), "float32"), 2))
        yield Case(op, "empty-reduce", "float32", (tensor(rng, (0, 3), "float32"), 0))

    return gen


def _mean_errors(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "int-input", "int64", (tensor(rng, (2, 3), "int64"),))
        yield from _no_dim_error(op)(rng)

    return gen


def _sort(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in REALS:
            yield Case(op, "last", dt, (distinct(rng, (4, 5), dt),))
            yield Case(op, "dim0-descending", dt, (distinct(rng, (4, 5), dt), 0, True))
            if is_full(dt, REALS):
                yield Case(op, "0d", dt, (tensor(rng, (), dt),))
                yield Case(op, "empty", dt, (tensor(rng, (0,), dt),))
                yield Case(op, "stable-ties", dt, (tensor(rng, (3, 6), dt, "small"),),
                           {"stable": True})
        for dt in FLOATS:
            yield Case(op, "special-stable", dt, (special(dt),), {"stable": True})

    return gen


def _topk(rng: Any) -> Iterator[Case]:
    for dt in REALS:
        yield Case("topk", "k2", dt, (distinct(rng, (4, 5), dt), 2))
        yield Case("topk", "smallest-dim0", dt, (distinct(rng, (4, 5), dt), 3, 0, False))
    yield Case("topk", "k0", "float32", (tensor(rng, (5,), "float32"), 0))


def _unique(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in ALL:
            t = tensor(rng, (3, 5), dt, "small")
            yield Case(op, "plain", dt, (t,))
            yield Case(op, "inverse-counts", dt, (t,),
                       {"return_inverse": True, "return_counts": True})
        yield Case(op, "empty", "float32", (tensor(rng, (0,), "float32"),))
        yield Case(op, "dim0", "int64", (TensorArg([[1, 2], [1, 2], [0, 3]], "int64"),),
                   {"dim": 0})

    return gen


def _search(rng: Any) -> Iterator[Case]:
    for dt in REALS:
        seq = TensorArg([-4, -1, 0, 2, 5], dt) if dt != "uint8" else TensorArg([0, 2, 5, 9], dt)
        vals = tensor(rng, (2, 3), dt)
        yield Case("searchsorted", "left", dt, (seq, vals))
        yield Case("searchsorted", "right", dt, (seq, vals), {"right": True})
    yield Case("searchsorted", "int32", "float32",
               (TensorArg([0.0, 1.0, 2.0], "float32"), TensorArg([1.5, -1.0], "float32")),
               {"out_int32": True})


def _bucketize(rng: Any) -> Iterator[Case]:
    for dt in REALS:
        b = TensorArg([-4, -1, 0, 2, 5], dt) if dt != "uint8" else TensorArg([0, 2, 5, 9], dt)
        yield Case("bucketize", "left", dt, (tensor(rng, (2, 3), dt), b))
        yield Case("bucketize", "right", dt, (tensor(rng, (4,), dt), b), {"right": True})


def _kth(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in REALS:
            if op == "kthvalue":
                yield Case(op, "k2", dt, (distinct(rng, (3, 5), dt), 2))
                yield Case(op, "dim0-keepdim", dt, (distinct(rng, (4, 3), dt), 1, 0, True))
            else:
                yield Case(op, "last", dt, (tensor(rng, (3, 6), dt, "small"),))
                yield Case(op, "dim0-keepdim", dt, (tensor(rng, (5, 3), dt, "small"), 0, True))

    return gen


def _median(op: str) -> Callable[[Any], Iterator[Case]]:
    dts = REALS if op == "median" else FLOATS

    def gen(rng: Any) -> Iterator[Case]:
        for dt in dts:
            yield Case(op, "all", dt, (tensor(rng, (4, 5), dt),))
            yield Case(op, "dim1", dt, (distinct(rng, (3, 5), dt), 1))
            yield Case(op, "even-keepdim", dt, (distinct(rng, (4, 2), dt), 0, True))
        yield Case(op, "special", "float32", (special("float32"),))

    return gen


def _quantile(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in ("float32", "float64"):
            yield Case(op, "scalar-q", dt, (tensor(rng, (4, 5), dt), 0.3))
            yield Case(op, "tensor-q-dim", dt, (tensor(rng, (4, 5), dt),
                                                TensorArg([0.0, 0.5, 1.0], dt), 1))
            yield Case(op, "keepdim", dt, (tensor(rng, (3, 4), dt), 0.75, 0, True))
        yield Case(op, "nan", "float32", (TensorArg([1.0, float("nan"), 3.0, 2.0], "float32"),
                                          0.5))

    return gen


def _histc(rng: Any) -> Iterator[Case]:
    for dt in FLOATS[:2]:
        yield Case("histc", "bins5", dt, (tensor(rng, (4, 5), dt),), {"bins": 5})
        yield Case("histc", "range", dt, (tensor(rng, (20,), dt),),
                   {"bins": 4, "min": -1, "max": 1})


def _bincount(rng: Any) -> Iterator[Case]:
    for dt in ("int64", "int32", "uint8"):
        yield Case("bincount", "plain", dt, (tensor(rng, (10,), dt, "pos"),))
        yield Case("bincount", "minlength", dt, (tensor(rng, (6,), dt, "pos"),),
                   {"minlength": 12})
    yield Case("bincount", "weights", "int64+float32",
               (tensor(rng, (6,), "int64", "pos"), tensor(rng, (6,), "float32")))
    yield Case("bincount", "empty", "int64", (TensorArg([], "int64"),))


def _bincount_errors(rng: Any) -> Iterator[Case]:
    yield Case("bincount", "negative", "int64", (TensorArg([1, -1], "int64"),))
    yield Case("bincount", "float-input", "float32", (TensorArg([1.0], "float32"),))


def _pairwise(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in ALL:
            a = tensor(rng, (3, 4), dt)
            yield Case(op, "same", dt, (a, a))
            yield Case(op, "different", dt, (a, tensor(rng, (3, 4), dt)))
        if op != "equal":
            x = [1.0, float("nan"), float("inf"), 1e-9]
            y = [1.0 + 1e-6, float("nan"), float("inf"), 0.0]
            yield Case(op, "special", "float32", (TensorArg(x, "float32"), TensorArg(y, "float32")))
            yield Case(op, "equal-nan", "float32", (TensorArg(x, "float32"),
                                                    TensorArg(y, "float32")), {"equal_nan": True})
            yield Case(op, "broadcast", "float32", (tensor(rng, (3, 1), "float32"),
                                                    tensor(rng, (4,), "float32")))

    return gen


def _aminmax(rng: Any) -> Iterator[Case]:
    for dt in REALS:
        yield Case("aminmax", "all", dt, (tensor(rng, (4, 5), dt),))
        yield Case("aminmax", "dim", dt, (tensor(rng, (4, 5), dt),), {"dim": -1})
        yield Case("aminmax", "keepdim", dt, (tensor(rng, (4, 5), dt),), {"dim": 0,
                                                                         "keepdim": True})


def entries() -> list[OpEntry]:
    R = _RTOL
    fl_int = (*FLOATS, *INTS)
    return [
        OpEntry("sum", ALL, reduce_samples("sum", ALL), _no_dim_error("sum"), tols=R),
        OpEntry("nansum", fl_int, reduce_samples("nansum", fl_int), tols=R),
        OpEntry("mean", FLOATS, reduce_samples("mean", FLOATS), _mean_errors("mean"), tols=R),
        OpEntry("nanmean", FLOATS, reduce_samples("nanmean", FLOATS), tols=R),
        OpEntry("prod", ALL, reduce_samples("prod", ALL, multi=False, domain="small"), tols=R),
        OpEntry("max", REALS, reduce_samples("max", REALS, dim_arg="optional", multi=False,
                                             unique_values=True, empty_ok=False),
                _empty_error("max")),
        OpEntry("min", REALS, reduce_samples("min", REALS, multi=False, unique_values=True,
                                             empty_ok=False), _empty_error("min")),
        OpEntry("amax", REALS, reduce_samples("amax", REALS, empty_ok=False),
                _empty_error("amax")),
        OpEntry("amin", REALS, reduce_samples("amin", REALS, empty_ok=False),
                _empty_error("amin")),
        OpEntry("aminmax", REALS, _aminmax),
        OpEntry("argmax", REALS, reduce_samples("argmax", REALS, dim_arg="optional",
                                                multi=False, unique_values=True,
                                                empty_ok=False), _empty_error("argmax")),
        OpEntry("argmin", REALS, reduce_samples("argmin", REALS, multi=False,
                                                unique_values=True, empty_ok=False),
                _empty_error("argmin")),
        OpEntry("all", ALL, reduce_samples("all", ALL, multi=False, domain="small")),
        OpEntry("any", ALL, reduce_samples("any", ALL, multi=False, domain="small")),
        OpEntry("logsumexp", FLOATS, reduce_samples("logsumexp", FLOATS, dim_arg="required"),
                tols=R),
        OpEntry("cumsum", ALL, _scan("cumsum", ALL), _no_dim_error("cumsum"), tols=R),
        OpEntry("cumprod", ALL, _scan("cumprod", ALL, domain="small"), tols=R),
        OpEntry("cummax", REALS, _scan("cummax", REALS, unique_values=True)),
        OpEntry("cummin", REALS, _scan("cummin", REALS, unique_values=True)),
        OpEntry("logcumsumexp", FLOATS, _scan("logcumsumexp", FLOATS), tols=R),
        OpEntry("var", FLOATS, reduce_samples("var", FLOATS), tols=R),
        OpEntry("std", FLOATS, reduce_samples("std", FLOATS), tols=R),
        OpEntry("var_mean", FLOATS, reduce_samples("var_mean", FLOATS), tols=R),
        OpEntry("std_mean", FLOATS, reduce_samples("std_mean", FLOATS), tols=R),
        OpEntry("sort", REALS, _sort("sort")),
        OpEntry("argsort", REALS, _sort("argsort")),
        OpEntry("msort", REALS, _msort),
        OpEntry("topk", REALS, _topk),
        OpEntry("unique", ALL, _unique("unique")),
        OpEntry("unique_consecutive", ALL, _unique("unique_consecutive")),
        OpEntry("searchsorted", REALS, _search),
        OpEntry("bucketize", REALS, _bucketize),
        OpEntry("median", REALS, _median("median")),
        OpEntry("nanmedian", FLOATS, _median("nanmedian")),
        OpEntry("kthvalue", REALS, _kth("kthvalue")),
        OpEntry("mode", REALS, _kth("mode")),
        OpEntry("quantile", FLOATS[:2], _quantile("quantile"), tols=R),
        OpEntry("nanquantile", FLOATS[:2], _quantile("nanquantile"), tols=R),
        OpEntry("histc", FLOATS[:2], _histc),
        OpEntry("bincount", ("int64", "int32", "uint8"), _bincount, _bincount_errors, tols=R),
        OpEntry("equal", ALL, _pairwise("equal")),
        OpEntry("isclose", ALL, _pairwise("isclose")),
        OpEntry("allclose", ALL, _pairwise("allclose")),
    ]


def _msort(rng: Any) -> Iterator[Case]:
    for dt in REALS:
        yield Case("msort", "2d", dt, (distinct(rng, (4, 3), dt),))
    yield Case("msort", "1d", "float32", (distinct(rng, (5,), "float32"),))
