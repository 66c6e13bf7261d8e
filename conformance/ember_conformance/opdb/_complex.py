"""complex128 samples for the ops that differentiate complex tensors.

:data:`COMPLEX_SAMPLES` adds cases to existing entries (``_load`` merges them and adds
``complex128`` to the entry's dtypes); they run wherever float64 cases run, including the
gradient checks (PyTorch's convention: NOTE [ Complex gradients ] in
``ember/autograd/_complex.py``). Values keep ``|imag| >= 0.3``, off the branch cuts of
``log``, ``sqrt`` and the inverse functions and off the zeros of ``abs``/``sgn``/``angle``,
where finite differences would straddle a jump.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ._core import FLOATS, Case, OpEntry, TensorArg
from ._inputs import tensor
from ._unary import unary_samples

__all__ = ["COMPLEX_SAMPLES", "entries"]

C = "complex128"


def _draw(rng: random.Random) -> complex:
    im = rng.uniform(0.3, 2.0) * (1 if rng.random() < 0.5 else -1)
    return complex(round(rng.uniform(-2.0, 2.0), 4), round(im, 4))


def _values(rng: random.Random, shape: Sequence[int]) -> Any:
    if not shape:
        return _draw(rng)
    return [_values(rng, shape[1:]) for _ in range(shape[0])]


def ct(rng: random.Random, shape: Sequence[int], view: str | None = None) -> TensorArg:
    """A complex128 tensor argument of ``shape`` (``view="T"``: a transposed view)."""
    shape = tuple(shape)
    base = (*shape[:-2], shape[-1], shape[-2]) if view == "T" else shape
    return TensorArg(_values(rng, base), C, view)


def _square(rng: random.Random, n: int = 3) -> TensorArg:
    """A well-conditioned complex matrix (diagonally dominant)."""
    rows = _values(rng, (n, n))
    for i in range(n):
        rows[i][i] += 4
    return TensorArg(rows, C)


def _one(*make: Callable[[random.Random], Any], variant: str = "complex", dtype: str = C,
         **kwargs: Any) -> Callable[[str, random.Random], list[Case]]:
    def cases(op: str, rng: random.Random) -> list[Case]:
        return [Case(op, variant, dtype, tuple(m(rng) for m in make), dict(kwargs))]
    return cases


def _both(*cases: Callable[[str, random.Random], list[Case]]
          ) -> Callable[[str, random.Random], list[Case]]:
    return lambda op, rng: [c for f in cases for c in f(op, rng)]


def _m(*shape: int, view: str | None = None) -> Callable[[random.Random], TensorArg]:
    return lambda rng: ct(rng, shape, view)


def _r(*shape: int) -> Callable[[random.Random], TensorArg]:
    return lambda rng: tensor(rng, shape, "float64")


def _fixed(value: Any) -> Callable[[random.Random], Any]:
    return lambda rng: value


_UNARY = ("exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos",
          "tan", "sinh", "cosh", "tanh", "sigmoid", "asin", "acos", "atan", "asinh", "acosh",
          "atanh", "reciprocal", "square", "neg", "abs", "sgn", "real", "imag", "conj")
_ELEMENTWISE = _both(_one(_m(3, 4)), _one(_m(3, 4, view="T"), variant="complex-noncontig-T"))
_BINARY = _both(_one(_m(3, 4), _m(4)), _one(_m(3, 4), _r(3, 4), variant="complex-real",
                                           dtype=f"{C}+float64"))
_INDEX = _fixed(TensorArg([2, 0, 2], "int64"))
_MASK = _fixed(TensorArg([[True, False, True, False]] * 2 + [[False] * 4], "bool"))

#: op -> its complex cases (``cases(op, rng)``).
COMPLEX_SAMPLES: dict[str, Callable[[str, random.Random], list[Case]]] = {
    **{op: _ELEMENTWISE for op in _UNARY},
    **{op: _BINARY for op in ("add", "sub", "mul", "div")},
    "pow": _one(_m(3, 4), _m(3, 4)),
    "addcmul": _one(_m(3, 4), _m(3, 4), _m(4), value=0.5),
    "lerp": _one(_m(3, 4), _m(3, 4), _fixed(0.3)),
    "matmul": _both(_one(_m(3, 4), _m(4, 2)), _one(_m(2, 3, 4), _m(4), variant="complex-batched")),
    "mm": _one(_m(3, 4), _m(4, 2, view="T")),
    "bmm": _one(_m(2, 3, 4), _m(2, 4, 2)),
    "mv": _one(_m(3, 4), _m(4)),
    "dot": _one(_m(4), _m(4)),
    "vdot": _one(_m(4), _m(4)),
    "addmm": _one(_m(3, 2), _m(3, 4), _m(4, 2)),
    "einsum": _one(_fixed("ij,kj->ik"), _m(3, 4), _m(2, 4)),
    "trace": _one(_m(3, 3)),
    "det": _one(_square),
    "ember.linalg.det": _one(_square),
    "ember.linalg.inv": _one(_square),
    "slogdet": _one(_square),
    "logdet": _one(_square),
    "ember.linalg.svdvals": _both(_one(_m(3, 2)), _one(_m(2, 3), variant="complex-wide")),
    "ember.linalg.matrix_norm": _both(_one(_m(3, 3), _fixed("nuc"), variant="complex-nuc"),
                                      _one(_m(3, 2), _fixed(2), variant="complex-spectral"),
                                      _one(_m(3, 2), variant="complex-fro")),
    "logcumsumexp": _one(_m(3, 4), _fixed(1)),
    "ember.linalg.slogdet": _one(_square),
    "ember.linalg.solve": _one(_square, _m(3, 2)),
    "sum": _both(_one(_m(3, 4)), _one(_m(3, 4), _fixed(1), variant="complex-dim")),
    "mean": _one(_m(3, 4), _fixed(0)),
    "prod": _one(_m(3, 4), _fixed(1)),
    "cumsum": _one(_m(3, 4), _fixed(1)),
    "cumprod": _one(_m(3, 4), _fixed(0)),
    "var": _one(_m(3, 4), _fixed(1)),
    "std": _one(_m(3, 4)),
    "ember.linalg.vector_norm": _both(_one(_m(3, 4)), _one(_m(3, 4), _fixed(3), _fixed(1),
                                                          variant="complex-ord3")),
    "logsumexp": _one(_m(3, 4), _fixed(1)),
    "reshape": _one(_m(3, 4), _fixed((4, 3))),
    "transpose": _one(_m(3, 4), _fixed(0), _fixed(1)),
    "permute": _one(_m(2, 3, 4), _fixed((2, 0, 1))),
    "flip": _one(_m(3, 4), _fixed((0,))),
    "roll": _one(_m(3, 4), _fixed(1), _fixed(1)),
    "cat": _one(lambda rng: [ct(rng, (3, 4)), ct(rng, (2, 4))]),
    "stack": _one(lambda rng: [ct(rng, (3, 4)), ct(rng, (3, 4))], _fixed(1)),
    "index_select": _one(_m(3, 4), _fixed(0), _INDEX),
    "gather": _one(_m(3, 4), _fixed(1), _fixed(TensorArg([[0, 3], [1, 1], [2, 0]], "int64"))),
    "where": _one(_MASK, _m(3, 4), _m(3, 4)),
    "masked_fill": _one(_m(3, 4), _MASK, _fixed(2j)),
    "tril": _one(_m(3, 4)),
    "diagonal": _one(_m(3, 4)),
}


def _angle_samples(rng: random.Random) -> Iterator[Case]:
    # nan/inf/0 corner values for every real dtype but float64, whose cases the gradient
    # checks take: angle jumps at 0, where finite differences are meaningless
    yield from unary_samples("angle", (*_REAL_ANGLE[:1], *_REAL_ANGLE[2:]))(rng)
    yield from unary_samples("angle", ("float64",), specials=False)(rng)
    yield Case("angle", "complex", C, (ct(rng, (3, 4)),))


def _view_as_real_samples(rng: random.Random) -> Iterator[Case]:
    yield Case("view_as_real", "2d", C, (ct(rng, (3, 4)),))
    yield Case("view_as_real", "noncontig-T", C, (ct(rng, (3, 4), "T"),))
    yield Case("view_as_real", "0d", C, (ct(rng, ()),))
    yield Case("view_as_real", "2d", "complex64",
               (TensorArg(_values(rng, (2, 3)), "complex64"),))


def _view_as_complex_samples(rng: random.Random) -> Iterator[Case]:
    for dt in ("float32", "float64"):
        yield Case("view_as_complex", "2d", dt, (tensor(rng, (3, 2), dt),))
        yield Case("view_as_complex", "3d", dt, (tensor(rng, (2, 3, 2), dt),))


def _view_as_complex_errors(rng: random.Random) -> Iterator[Case]:
    yield Case("view_as_complex", "last-dim-3", "float64", (tensor(rng, (2, 3), "float64"),))
    yield Case("view_as_complex", "last-stride-2", "float64",
               (tensor(rng, (2, 2), "float64", view="T"),))
    yield Case("view_as_complex", "int", "int64", (tensor(rng, (2, 2), "int64"),))


def _parts_samples(op: str, domain: str) -> Callable[[random.Random], Iterator[Case]]:
    def gen(rng: random.Random) -> Iterator[Case]:
        for dt in ("float32", "float64"):
            yield Case(op, "1d", dt, (tensor(rng, (5,), dt, domain), tensor(rng, (5,), dt)))
            yield Case(op, "broadcast", dt, (tensor(rng, (2, 1), dt, domain),
                                             tensor(rng, (3,), dt)))
    return gen


def _parts_errors(op: str) -> Callable[[random.Random], Iterator[Case]]:
    def gen(rng: random.Random) -> Iterator[Case]:
        yield Case(op, "mixed-dtypes", "float32+float64",
                   (tensor(rng, (2,), "float32"), tensor(rng, (2,), "float64")))
        yield Case(op, "ints", "int64", (tensor(rng, (2,), "int64"),
                                         tensor(rng, (2,), "int64")))
    return gen


def entries() -> list[OpEntry]:
    """Ops that exist for complex numbers: ``angle``, the part views, ``complex``,
    ``polar``."""
    return [
        OpEntry("angle", (*_REAL_ANGLE, C), _angle_samples),
        OpEntry("view_as_real", ("complex64", C), _view_as_real_samples),
        OpEntry("view_as_complex", ("float32", "float64"), _view_as_complex_samples,
                _view_as_complex_errors),
        OpEntry("complex", ("float32", "float64"), _parts_samples("complex", "real"),
                _parts_errors("complex")),
        OpEntry("polar", ("float32", "float64"), _parts_samples("polar", "pos"),
                _parts_errors("polar")),
    ]


_REAL_ANGLE = (*FLOATS, "int64", "uint8")
assert _REAL_ANGLE[1] == "float64"

