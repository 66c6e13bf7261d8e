"""Entries for ``ember.nn.functional``'s activations and softmaxes (``relu``, ``gelu``, ...)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import Case, Dtype, OpEntry, TensorArg, Tol
from ._inputs import noncontig, special, tensor
from ._nn import F64, fcase, fentry

__all__ = ["entries"]

_HALF = ("float16", "bfloat16")
_ACT_TOLS = {"float32": Tol(1.3e-6, 1e-5), "float64": Tol(1e-7, 1e-7),
             "float16": Tol(5e-3, 2e-3), "bfloat16": Tol(3e-2, 2e-2)}

#: name: (keyword variants, also in float16/bfloat16). The first variant is the default.
_ACTIVATIONS: dict[str, tuple[dict[str, dict], bool]] = {
    "relu": ({"default": {}}, True),
    "relu6": ({"default": {}}, False),
    "leaky_relu": ({"default": {}, "slope0.2": {"negative_slope": 0.2}}, False),
    "elu": ({"default": {}, "alpha0.5": {"alpha": 0.5}}, False),
    "selu": ({"default": {}}, False),
    "celu": ({"default": {}, "alpha2": {"alpha": 2.0}}, False),
    "gelu": ({"default": {}, "tanh": {"approximate": "tanh"}}, True),
    "silu": ({"default": {}}, True),
    "mish": ({"default": {}}, False),
    "sigmoid": ({"default": {}}, False),
    "tanh": ({"default": {}}, False),
    "softplus": ({"default": {}, "beta2-threshold1": {"beta": 2.0, "threshold": 1.0}}, False),
    "softsign": ({"default": {}}, False),
    "hardtanh": ({"default": {}, "range": {"min_val": -0.5, "max_val": 2.0}}, False),
    "hardsigmoid": ({"default": {}}, False),
    "hardswish": ({"default": {}}, False),
    "logsigmoid": ({"default": {}}, False),
    "tanhshrink": ({"default": {}}, False),
    "softshrink": ({"default": {}, "lambd1": {"lambd": 1.0}}, False),
    "hardshrink": ({"default": {}, "lambd1": {"lambd": 1.0}}, False),
    "threshold": ({"default": {"threshold": 0.5, "value": -1.0}}, False),
    "rrelu": ({"eval": {"training": False}, "eval-bounds": {
        "lower": 0.1, "upper": 0.2, "training": False}}, False),
}
#: The in-place spellings, run on a clone of the input (no leaf is modified in place).
_INPLACE = {"relu_": {}, "leaky_relu_": {"negative_slope": 0.2}, "elu_": {}, "selu_": {},
            "celu_": {}, "hardtanh_": {}, "threshold_": {"threshold": 0.5, "value": -1.0},
            "rrelu_": {"training": False}}


def _activation(name: str, variants: dict[str, dict], half: bool
                ) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        default = next(iter(variants.values()))
        for dt in F64 + (_HALF if half else ()):
            for v, kw in variants.items():
                yield fcase(name, v, dt, tensor(rng, (3, 4), dt), **kw)
        yield fcase(name, "0d", "float32", tensor(rng, (), "float32"), **default)
        yield fcase(name, "empty", "float32", tensor(rng, (2, 0), "float32"), **default)
        for v, t in noncontig(rng, (3, 4), "float32"):
            yield fcase(name, v, "float32", t, **default)
        yield fcase(name, "special", "float32", special("float32"), **default)

    return gen


def _inplace(name: str, kw: dict) -> Callable[[Any], Iterator[Case]]:
    def call(ns: Any, x: Any, **k: Any) -> Any:
        return getattr(ns.nn.functional, name)(x.clone(), **k)

    def gen(rng: Any) -> Iterator[Case]:
        for dt in F64:
            c = fcase(name, "fresh", dt, tensor(rng, (3, 4), dt), **kw)
            c.call = call
            yield c

    return gen


def _softmax(name: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in F64:
            yield fcase(name, "dim1", dt, tensor(rng, (3, 4), dt), dim=1)
            yield fcase(name, "dim-neg-3d", dt, tensor(rng, (2, 3, 4), dt), dim=-1)
            yield fcase(name, "dim0-T", dt, tensor(rng, (3, 4), dt, view="T"), 0)
        yield fcase(name, "dtype-arg", "float32", tensor(rng, (3, 4), "float32"), dim=-1,
                    dtype=Dtype("float64"))
        yield fcase(name, "special", "float32", TensorArg([[1.0, float("-inf"), 2.0],
                                                           [float("-inf")] * 3], "float32"),
                    dim=1)
        yield fcase(name, "0d", "float32", tensor(rng, (), "float32"), dim=0)

    return gen


def _softmax_errors(name: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield fcase(name, "dim-out-of-range", "float32", tensor(rng, (3, 4), "float32"), dim=2)

    return gen


def _glu(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("glu", "last", dt, tensor(rng, (3, 4), dt))
        yield fcase("glu", "dim0", dt, tensor(rng, (4, 3), dt), dim=0)


def _glu_errors(rng: Any) -> Iterator[Case]:
    yield fcase("glu", "odd-size", "float32", tensor(rng, (3, 5), "float32"))


def _prelu(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("prelu", "shared", dt, tensor(rng, (2, 3, 4), dt), tensor(rng, (1,), dt))
        yield fcase("prelu", "per-channel", dt, tensor(rng, (2, 3, 4), dt),
                    tensor(rng, (3,), dt))


def _prelu_errors(rng: Any) -> Iterator[Case]:
    yield fcase("prelu", "weight-size", "float32", tensor(rng, (2, 3, 4), "float32"),
                tensor(rng, (2,), "float32"))


def entries() -> list[OpEntry]:
    out = [fentry(n, _activation(n, v, half), dtypes=F64 + (_HALF if half else ()),
                  tols=_ACT_TOLS) for n, (v, half) in _ACTIVATIONS.items()]
    out += [fentry(n, _inplace(n, kw), tols=_ACT_TOLS) for n, kw in _INPLACE.items()]
    out += [fentry(n, _softmax(n), _softmax_errors(n))
            for n in ("softmax", "log_softmax", "softmin")]
    out.append(fentry("glu", _glu, _glu_errors))
    out.append(fentry("prelu", _prelu, _prelu_errors))
    return out
