"""Entries for ``ember.nn.functional``'s normalizations, distances, dropout in eval mode
and the remaining small functions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import Case, OpEntry
from ._inputs import tensor, values
from ._nn import F64, fcase, fentry, only, per_dtype

__all__ = ["entries"]


def _t(rng: Any, shape: tuple, dt: str, domain: str = "real") -> Any:
    return tensor(rng, shape, dt, domain)


def _stats_detached(name: str) -> Callable[..., Any]:
    """Running statistics are buffers, not differentiable inputs: the case holds them as
    plain lists, made tensors of the input's dtype and device inside the call."""
    def call(ns: Any, x: Any, rm: Any, rv: Any, *rest: Any, **kw: Any) -> Any:
        def buf(v: Any) -> Any:
            return None if v is None else ns.tensor(v, dtype=x.dtype, device=x.device)

        return getattr(ns.nn.functional, name)(x, buf(rm), buf(rv), *rest, **kw)

    return call


def _stats(rng: Any, n: int) -> tuple[list, list]:
    return values(rng, (n,), "float64"), values(rng, (n,), "float64", "pos")


def _batch_norm(rng: Any) -> Iterator[Case]:
    call = _stats_detached("batch_norm")
    for dt in F64:
        stats = _stats(rng, 3)
        affine = (_t(rng, (3,), dt), _t(rng, (3,), dt))
        cases = [fcase("batch_norm", "eval-affine", dt, _t(rng, (4, 3), dt), *stats, *affine),
                 fcase("batch_norm", "eval-4d", dt, _t(rng, (2, 3, 2, 2), dt), *stats),
                 fcase("batch_norm", "train-stats", dt, _t(rng, (4, 3, 2), dt), *stats,
                       *affine, training=True, momentum=0.2, eps=1e-3),
                 fcase("batch_norm", "train-no-stats", dt, _t(rng, (5, 3), dt), None, None,
                       training=True)]
        for c in cases:
            c.call = call
            yield c


def _batch_norm_errors(rng: Any) -> Iterator[Case]:
    yield fcase("batch_norm", "one-value-per-channel", "float32", _t(rng, (1, 3), "float32"),
                None, None, training=True)


def _instance_norm(rng: Any) -> Iterator[Case]:
    call = _stats_detached("instance_norm")
    for dt in F64:
        yield fcase("instance_norm", "affine", dt, _t(rng, (2, 3, 4), dt), None, None,
                    _t(rng, (3,), dt), _t(rng, (3,), dt))
        c = fcase("instance_norm", "running-stats-2d", dt, _t(rng, (2, 2, 2, 3), dt),
                  *_stats(rng, 2), momentum=0.3)
        c.call = call
        yield c


def _layer_norm(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("layer_norm", "last", dt, _t(rng, (3, 4), dt), (4,), _t(rng, (4,), dt),
                    _t(rng, (4,), dt))
        yield fcase("layer_norm", "last2-noaffine", dt, _t(rng, (2, 3, 4), dt), (3, 4),
                    eps=1e-3)


def _layer_norm_errors(rng: Any) -> Iterator[Case]:
    yield fcase("layer_norm", "shape-mismatch", "float32", _t(rng, (3, 4), "float32"), (3,))


def _group_norm(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("group_norm", "affine", dt, _t(rng, (2, 4, 3), dt), 2, _t(rng, (4,), dt),
                    _t(rng, (4,), dt))
        yield fcase("group_norm", "4d-one-group", dt, _t(rng, (1, 3, 2, 2), dt), 1)


def _group_norm_errors(rng: Any) -> Iterator[Case]:
    yield fcase("group_norm", "groups-not-dividing", "float32", _t(rng, (2, 4, 3), "float32"),
                3)


def _rms_norm(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("rms_norm", "weight", dt, _t(rng, (3, 4), dt), (4,), _t(rng, (4,), dt))
        yield fcase("rms_norm", "eps", dt, _t(rng, (2, 3, 2), dt), (3, 2), eps=1e-3)


def _lrn(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("local_response_norm", "3d", dt, _t(rng, (2, 5, 3), dt), 3)
        yield fcase("local_response_norm", "4d", dt, _t(rng, (1, 4, 2, 2), dt), 2, alpha=0.1,
                    beta=0.5, k=2.0)


def _normalize(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("normalize", "default", dt, _t(rng, (3, 4), dt))
        yield fcase("normalize", "p1-dim-neg", dt, _t(rng, (2, 3, 4), dt), p=1.0, dim=-1)
    from ._core import TensorArg

    yield fcase("normalize", "zero-row", "float32", TensorArg([[0.0, 0.0], [3.0, 4.0]],
                                                              "float32"))


def _vector_norm(rng: Any) -> Iterator[Case]:
    note = "torch.nn.functional has no vector_norm (an Ember extra; torch.linalg has one)"
    for dt in F64:
        for c in (fcase("vector_norm", "all", dt, _t(rng, (3, 4), dt)),
                  fcase("vector_norm", "p3-dim-keepdim", dt, _t(rng, (3, 4), dt), 3.0, 1, True)):
            c.oracle, c.note = False, note
            yield c


def _distance(rng: Any) -> Iterator[Case]:
    for dt in F64:
        yield fcase("cosine_similarity", "dim1", dt, _t(rng, (3, 4), dt), _t(rng, (3, 4), dt))
        yield fcase("cosine_similarity", "broadcast-dim-neg", dt, _t(rng, (2, 3, 4), dt),
                    _t(rng, (3, 4), dt), dim=-1)
        yield fcase("pairwise_distance", "p2", dt, _t(rng, (3, 4), dt), _t(rng, (3, 4), dt))
        yield fcase("pairwise_distance", "p1-keepdim", dt, _t(rng, (3, 4), dt),
                    _t(rng, (1, 4), dt), p=1.0, keepdim=True)
        yield fcase("pdist", "p2", dt, _t(rng, (4, 3), dt))
        yield fcase("pdist", "p1", dt, _t(rng, (3, 2), dt), 1.0)


def _cosine_errors(rng: Any) -> Iterator[Case]:
    yield fcase("cosine_similarity", "not-broadcastable", "float32",
                _t(rng, (3, 4), "float32"), _t(rng, (2, 4), "float32"))


_DROPOUT = {"dropout": (2, 3), "dropout1d": (2, 3, 4), "dropout2d": (1, 2, 2, 3),
            "dropout3d": (1, 2, 2, 2, 2), "alpha_dropout": (2, 3),
            "feature_alpha_dropout": (1, 2, 2, 3)}


def _dropout(name: str) -> Callable[[Any], Iterator[Case]]:
    return per_dtype(name, {"eval": (_DROPOUT[name],)}, {"p": 0.5, "training": False})


def _dropout_errors(name: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield fcase(name, "p-out-of-range", "float32", _t(rng, _DROPOUT[name], "float32"),
                    p=1.5, training=False)

    return gen


def entries() -> list[OpEntry]:
    out = [fentry("batch_norm", _batch_norm, _batch_norm_errors),
           fentry("instance_norm", _instance_norm),
           fentry("layer_norm", _layer_norm, _layer_norm_errors),
           fentry("group_norm", _group_norm, _group_norm_errors),
           fentry("rms_norm", _rms_norm), fentry("local_response_norm", _lrn),
           fentry("normalize", _normalize), fentry("vector_norm", _vector_norm),
           fentry("cosine_similarity", only("cosine_similarity", _distance), _cosine_errors),
           fentry("pairwise_distance", only("pairwise_distance", _distance)),
           fentry("pdist", only("pdist", _distance))]
    out += [fentry(n, _dropout(n), _dropout_errors(n)) for n in _DROPOUT]
    return out
