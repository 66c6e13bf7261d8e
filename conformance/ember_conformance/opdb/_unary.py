"""Entries for elementwise unary ops (math, rounding, predicates, bitwise NOT)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import ALL, FLOATS, INTS_AND_BOOL, REALS, Case, OpEntry, Tol
from ._inputs import noncontig, special, tensor

__all__ = ["entries", "unary_samples"]

COMPLEX = ("complex64",)

#: Shapes every dtype gets, and the extra ones for the "full" dtypes.
_BASIC = (("0d", ()), ("2d", (4, 5)))
_FULL = (("1d", (5,)), ("3d", (2, 3, 4)), ("empty", (0,)), ("empty-2d", (2, 0)))
_FULL_DTYPES = ("float32", "int64", "bool")


def is_full(dtype: str, dtypes: tuple[str, ...]) -> bool:
    """Whether ``dtype`` gets every shape variant (the others get a representative few)."""
    return dtype in _FULL_DTYPES or (dtype == dtypes[0] and not set(dtypes) & set(_FULL_DTYPES))


def unary_samples(op: str, dtypes: tuple[str, ...], domain: str = "real",
                  kwargs: dict | None = None, specials: bool = True,
                  call: Callable[..., Any] | None = None
                  ) -> Callable[[Any], Iterator[Case]]:
    """Sample inputs for a one-tensor op: 0-d, empty, 1-3-d, non-contiguous, corner values."""
    kw = kwargs or {}

    def gen(rng: Any) -> Iterator[Case]:
        for dt in dtypes:
            full = is_full(dt, dtypes)
            for name, shape in _BASIC + (_FULL if full else ()):
                yield Case(op, name, dt, (tensor(rng, shape, dt, domain),), dict(kw), call=call)
            for name, t in noncontig(rng, (3, 4), dt, domain):
                if full or name == "noncontig-T":
                    yield Case(op, name, dt, (t,), dict(kw), call=call)
            if specials and not dt.startswith("complex"):
                yield Case(op, "special", dt, (special(dt),), dict(kw), call=call)

    return gen


def _errors(op: str, dtypes: tuple[str, ...], exc_note: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in dtypes:
            yield Case(op, exc_note, dt, (tensor(rng, (3,), dt),))

    return gen


# name: (dtypes, domain)
_FLOAT_RESULT = {
    "exp": (ALL, "real"), "expm1": (ALL, "real"), "log": (ALL, "pos"), "log2": (ALL, "pos"),
    "log10": (ALL, "pos"), "log1p": (ALL, "gtm1"), "sqrt": (ALL, "pos"),
    "sin": (ALL, "real"), "cos": (ALL, "real"), "tan": (ALL, "small"),
    "asin": (ALL, "unit"), "acos": (ALL, "unit"), "atan": (ALL, "real"),
    "sinh": (ALL, "real"), "cosh": (ALL, "real"), "tanh": (ALL, "real"),
    "asinh": (ALL, "real"), "acosh": (ALL, "ge1"), "atanh": (ALL, "unit"),
    "erf": (ALL, "real"), "erfinv": (ALL, "unit"),
    "arcsin": (ALL, "unit"), "arccos": (ALL, "unit"), "arctan": (ALL, "real"),
    "arcsinh": (ALL, "real"), "arccosh": (ALL, "ge1"), "arctanh": (ALL, "unit"),
    "rsqrt": (ALL, "pos"), "reciprocal": (ALL, "nonzero"), "sigmoid": (ALL, "real"),
}
_SAME_DTYPE = {
    "floor": (REALS, "real"), "ceil": (REALS, "real"), "trunc": (REALS, "real"),
    "fix": (REALS, "real"), "round": (REALS, "real"), "frac": (FLOATS, "real"),
    "sign": (ALL, "real"), "sgn": (REALS + COMPLEX, "real"), "abs": (REALS + COMPLEX, "real"),
    "absolute": (REALS, "real"), "neg": (REALS + COMPLEX, "real"),
    "negative": (REALS, "real"), "square": (ALL, "real"),
    "bitwise_not": (INTS_AND_BOOL, "real"),
    "real": (ALL + COMPLEX, "real"), "conj": (ALL + COMPLEX, "real"),
}
_PREDICATES = {
    "isnan": ALL + COMPLEX, "isinf": ALL, "isfinite": ALL + COMPLEX, "signbit": REALS,
    "logical_not": ALL, "isposinf": REALS, "isneginf": REALS, "isreal": ALL + COMPLEX,
}

#: Looser tolerances where float16/bfloat16 rounding of the input is amplified.
_STEEP = {"float16": Tol(5e-3, 2e-3), "bfloat16": Tol(3e-2, 2e-2)}
_STEEP_OPS = ("tan", "erfinv", "atanh", "arctanh", "acosh", "arccosh", "expm1", "log1p",
              "sinh", "cosh", "exp")


def _bool_neg(rng: Any) -> Iterator[Case]:
    yield Case("neg", "bool-input", "bool", (tensor(rng, (3,), "bool"),))


def _int_float_errors(op: str) -> Callable[[Any], Iterator[Case]]:
    return _errors(op, ("float32",), "float-input")


def _round_decimals(rng: Any) -> Iterator[Case]:
    yield from unary_samples("round", REALS)(rng)
    for dt in ("float32", "float64"):
        yield Case("round", "decimals2", dt, (tensor(rng, (4, 5), dt),), {"decimals": 2})
        yield Case("round", "decimals-1", dt, (tensor(rng, (4, 5), dt, "real"),),
                   {"decimals": -1})


def _imag(rng: Any) -> Iterator[Case]:
    yield from unary_samples("imag", COMPLEX)(rng)


def entries() -> list[OpEntry]:
    out: list[OpEntry] = []
    for name, (dtypes, domain) in _FLOAT_RESULT.items():
        tols = _STEEP if name in _STEEP_OPS else {}
        out.append(OpEntry(name, dtypes, unary_samples(name, dtypes, domain), tols=tols))
    for name, (dtypes, domain) in _SAME_DTYPE.items():
        samples = _round_decimals if name == "round" else unary_samples(name, dtypes, domain)
        errors = None
        if name == "neg":
            errors = _bool_neg
        elif name == "bitwise_not":
            errors = _int_float_errors(name)
        out.append(OpEntry(name, dtypes, samples, errors))
    for name, dtypes in _PREDICATES.items():
        out.append(OpEntry(name, dtypes, unary_samples(name, dtypes)))
    out.append(OpEntry("imag", COMPLEX, _imag, _errors("imag", ("float32",), "real-input")))
    return out
