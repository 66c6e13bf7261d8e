"""Entries for elementwise binary ops: arithmetic, comparisons, logical and bitwise ops."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import ALL, FLOATS, INTS, INTS_AND_BOOL, REALS, Case, OpEntry, TensorArg, Tol
from ._inputs import IINFO, int_boundaries, scalar_for, special, tensor
from ._unary import is_full

__all__ = ["entries", "binary_samples"]

#: Mixed-dtype pairs exercising PyTorch's promotion (kept when both are supported).
PROMOTIONS = (("int32", "float32"), ("uint8", "int8"), ("bool", "int64"),
              ("int64", "float16"), ("float16", "bfloat16"), ("float32", "float64"),
              ("int16", "int32"), ("bool", "float32"))


def binary_samples(op: str, dtypes: tuple[str, ...], da: str = "real", db: str = "real",
                   kwargs: dict | None = None, scalars: bool = True, promote: bool = True,
                   specials: bool = True, torch_scalars: bool = True
                   ) -> Callable[[Any], Iterator[Case]]:
    """Sample inputs for ``op(a, b)``: equal shapes, broadcasting, 0-d operands, empty,
    non-contiguous views, Python scalars, corner values and mixed dtypes.

    ``da``/``db`` are the value domains of the two operands (e.g. ``"nonzero"`` divisors).
    ``torch_scalars=False`` where ``torch.<op>`` takes tensors only (Ember also takes
    numbers): those cases are not compared with the PyTorch oracle.
    """
    kw = kwargs or {}

    def case(variant: str, dt: str, a: Any, b: Any) -> Case:
        if not torch_scalars and not hasattr(b, "dtype"):
            return Case(op, variant, dt, (a, b), dict(kw), oracle=False,
                        note=f"torch.{op} takes tensors only; Ember also accepts numbers")
        return Case(op, variant, dt, (a, b), dict(kw))

    def gen(rng: Any) -> Iterator[Case]:
        for dt in dtypes:
            t = lambda shape, dom, view=None, dt=dt: tensor(rng, shape, dt, dom, view)  # noqa
            yield case("2d", dt, t((4, 5), da), t((4, 5), db))
            yield case("broadcast", dt, t((4, 1), da), t((1, 5), db))
            yield case("0d-2d", dt, t((), da), t((3, 4), db))
            if is_full(dt, dtypes):
                yield case("0d", dt, t((), da), t((), db))
                yield case("broadcast-3d", dt, t((2, 3, 4), da), t((4,), db))
                yield case("2d-0d", dt, t((3, 4), da), t((), db))
                yield case("empty", dt, t((0, 3), da), t((1, 3), db))
                yield case("empty-broadcast", dt, t((2, 0), da), t((2, 1), db))
                yield case("noncontig-step", dt, t((4, 3), da, "step"), t((4, 3), db))
            yield case("noncontig-T", dt, t((3, 4), da, "T"), t((3, 4), db, "T"))
            if scalars:
                yield case("scalar", dt, t((3, 4), da), scalar_for(rng, dt, db))
                if dt in FLOATS and db not in ("shift", "exp"):
                    yield case("int-scalar", dt, t((3,), da), 2)
            if specials:
                yield from _special_cases(op, dt, kw, db)
        if promote:
            for a, b in PROMOTIONS:
                if a in dtypes and b in dtypes:
                    yield Case(op, "promote", f"{a}+{b}",
                               (tensor(rng, (2, 3), a, da), tensor(rng, (2, 3), b, db)), dict(kw))
            if "float64" in dtypes and "float32" in dtypes:
                # a 0-d operand does not promote a dimensioned one of the same category
                yield Case(op, "promote-0d", "float32+float64",
                           (tensor(rng, (3,), "float32", da), tensor(rng, (), "float64", db)),
                           dict(kw))
            if "int64" in dtypes and "float32" in dtypes and scalars:
                yield case("promote-scalar", "int64+float", tensor(rng, (3,), "int64", da),
                           1.5 if db != "shift" else 2.0)

    return gen


def _special_cases(op: str, dt: str, kw: dict, db: str) -> Iterator[Case]:
    sp = special(dt)
    if sp is None:
        return
    if dt in FLOATS:
        # every pair of corner values: a column against a row
        col = TensorArg([[v] for v in sp.data], dt)
        row = TensorArg([list(sp.data)], dt)
        yield Case(op, "special", dt, (col, row), dict(kw))
    elif dt in IINFO:
        smalls = [1, 2, 3] if db in ("nonzero", "shift", "exp") else [0, 1, 2]
        if db == "nonzero" and dt != "uint8":
            smalls = [1, -1, 2, -3]
        col = TensorArg([[v] for v in int_boundaries(dt)], dt)
        yield Case(op, "boundary", dt, (col, TensorArg([smalls], dt)), dict(kw))


def _errors(op: str, extra: Callable[[Any], Iterator[Case]] | None = None
            ) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "shape-mismatch", "float32",
                   (tensor(rng, (2, 3), "float32"), tensor(rng, (4,), "float32")))
        if extra is not None:
            yield from extra(rng)

    return gen


def _int_zero(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "int-div-by-zero", "int64",
                   (TensorArg([1, 2, 3], "int64"), TensorArg([1, 0, 2], "int64")))
        yield Case(op, "int-div-by-zero-scalar", "int32", (TensorArg([4, 5], "int32"), 0))

    return gen


def _bitwise_float(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "float-input", "float32",
                   (tensor(rng, (3,), "float32"), tensor(rng, (3,), "float32")))

    return gen


def _sub_bool(rng: Any) -> Iterator[Case]:
    yield Case("sub", "bool-bool", "bool", (TensorArg([True, False], "bool"),
                                            TensorArg([True, True], "bool")))
    yield Case("sub", "bad-other-type", "float32", (TensorArg([1.0], "float32"), "x"))


def _pow_neg_int(rng: Any) -> Iterator[Case]:
    yield Case("pow", "int-negative-exponent", "int64", (TensorArg([1, 2], "int64"), -1))
    yield Case("pow", "int-negative-exponent-tensor", "int32",
               (TensorArg([2, 3], "int32"), TensorArg([1, -2], "int32")), oracle=False,
               note="PyTorch raises only for a scalar negative exponent; with a tensor it "
                    "returns truncated integer powers (3 ** -2 == 0). Ember raises for both")


def _with_alpha(op: str) -> Callable[[Any], Iterator[Case]]:
    base = binary_samples(op, ALL if op == "add" else REALS)

    def gen(rng: Any) -> Iterator[Case]:
        yield from base(rng)
        for dt, alpha in (("float32", 2.5), ("int64", 3), ("float64", -0.5)):
            yield Case(op, "alpha", dt, (tensor(rng, (3, 4), dt), tensor(rng, (4,), dt)),
                       {"alpha": alpha})

    return gen


def _div(rng: Any) -> Iterator[Case]:
    yield from binary_samples("div", ALL, db="nonzero")(rng)
    for mode in ("floor", "trunc"):
        for dt in ("float32", "float64", "int64", "int32", "int8", "uint8"):
            yield Case("div", f"rounding-{mode}", dt,
                       (tensor(rng, (3, 4), dt), tensor(rng, (4,), dt, "nonzero")),
                       {"rounding_mode": mode})
        yield Case("div", f"rounding-{mode}-special", "float32",
                   (special("float32"), TensorArg([2.0] * 5 + [-0.5] * 4 + [0.0], "float32")),
                   {"rounding_mode": mode})


def _div_errors(rng: Any) -> Iterator[Case]:
    yield from _errors("div")(rng)
    yield Case("div", "bad-rounding-mode", "float32", (TensorArg([1.0], "float32"), 2.0),
               {"rounding_mode": "ceil"})


_POW_TOLS = {"float32": Tol(1e-5, 1e-5), "float16": Tol(4e-3, 2e-3),
             "bfloat16": Tol(3e-2, 2e-2)}


def entries() -> list[OpEntry]:
    out = [
        OpEntry("add", ALL, _with_alpha("add"), _errors("add")),
        OpEntry("sub", REALS, _with_alpha("sub"), _errors("sub", _sub_bool)),
        OpEntry("subtract", REALS, binary_samples("subtract", REALS, specials=False)),
        OpEntry("mul", ALL, binary_samples("mul", ALL), _errors("mul")),
        OpEntry("multiply", ALL, binary_samples("multiply", ALL, specials=False)),
        OpEntry("div", ALL, _div, _div_errors),
        OpEntry("divide", REALS, binary_samples("divide", REALS, db="nonzero", specials=False)),
        OpEntry("true_divide", REALS,
                binary_samples("true_divide", REALS, db="nonzero", specials=False)),
        OpEntry("floor_divide", REALS, binary_samples("floor_divide", REALS, db="nonzero"),
                _errors("floor_divide", _int_zero("floor_divide"))),
        OpEntry("remainder", REALS, binary_samples("remainder", REALS, db="nonzero"),
                _errors("remainder", _int_zero("remainder"))),
        OpEntry("fmod", REALS, binary_samples("fmod", REALS, db="nonzero"),
                _errors("fmod", _int_zero("fmod"))),
        OpEntry("pow", REALS, binary_samples("pow", REALS, da="small", db="exp"),
                _errors("pow", _pow_neg_int), tols=_POW_TOLS),
        OpEntry("float_power", REALS, binary_samples("float_power", REALS, da="pos", db="exp",
                                                     scalars=False)),
        OpEntry("atan2", REALS, binary_samples("atan2", REALS, torch_scalars=False),
                _errors("atan2")),
        OpEntry("arctan2", FLOATS, binary_samples("arctan2", FLOATS, scalars=False,
                                                  specials=False)),
    ]
    for name in ("maximum", "minimum", "fmax", "fmin"):
        out.append(OpEntry(name, ALL, binary_samples(name, ALL, scalars=False), _errors(name)))
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        out.append(OpEntry(name, ALL, binary_samples(name, ALL), _errors(name)))
    for name in ("not_equal", "less", "less_equal", "greater", "greater_equal"):
        out.append(OpEntry(name, REALS, binary_samples(name, REALS, specials=False,
                                                       promote=False)))
    for name in ("logical_and", "logical_or", "logical_xor"):
        out.append(OpEntry(name, ALL, binary_samples(name, ALL, torch_scalars=False),
                           _errors(name)))
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
        out.append(OpEntry(name, INTS_AND_BOOL, binary_samples(name, INTS_AND_BOOL),
                           _errors(name, _bitwise_float(name))))
    for name in ("bitwise_left_shift", "bitwise_right_shift"):
        out.append(OpEntry(name, INTS, binary_samples(name, INTS, db="shift", promote=False),
                           _errors(name, _bitwise_float(name))))
    return out
