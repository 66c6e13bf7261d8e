"""Entries for ``ember.nn.functional``'s losses, with their options (reductions, weights,
``ignore_index``, ``label_smoothing``, probability targets, ...)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import Case, OpEntry, TensorArg
from ._inputs import tensor
from ._nn import F64, fentry
from ._nn import fcase as _fcase

__all__ = ["entries"]


def _t(rng: Any, shape: tuple, dt: str, domain: str = "real") -> Any:
    return tensor(rng, shape, dt, domain)



def _p(rng: Any, shape: tuple, dt: str) -> TensorArg:
    t = tensor(rng, shape, "float64", "unit")
    return TensorArg(_map(t.data, lambda v: round(0.5 + 0.47 * v, 4)), dt)


def _map(data: Any, f: Callable[[float], float]) -> Any:
    return [_map(d, f) for d in data] if isinstance(data, list) else f(data)


def _sign(rng: Any, shape: tuple, dt: str) -> list:
    """Targets of -1 and 1, as a constant (see :func:`_constants`)."""
    return _map(tensor(rng, shape, "float64").data, lambda v: 1.0 if v >= 0 else -1.0)


def _constants(name: str) -> Callable[..., Any]:
    """Call ``name`` with plain-list arguments (labels of -1/1, class weights) made tensors
    of the first input's dtype and device: constants, not leaves whose gradient (or whose
    finite differences across a label's jump) the gradient checks would take."""
    def call(ns: Any, x: Any, *args: Any, **kw: Any) -> Any:
        def const(v: Any) -> Any:
            return ns.tensor(v, dtype=x.dtype, device=x.device) if isinstance(v, list) else v

        return getattr(ns.nn.functional, name)(x, *map(const, args),
                                               **{k: const(v) for k, v in kw.items()})

    return call


def _idx(rng: Any, n: int, high: int, ignore: int | None = None) -> TensorArg:
    out = [rng.randrange(high) for _ in range(n)]
    if ignore is not None:
        out[1] = ignore
    return TensorArg(out, "int64")


def fcase(name: str, variant: str, dtype: str, /, *args: Any, **kwargs: Any) -> Case:
    """A loss case; plain-list arguments are constants (see :func:`_constants`)."""
    c = _fcase(name, variant, dtype, *args, **kwargs)
    if name != "ctc_loss":
        c.call = _constants(name)
    return c


def _reductions(name: str, make: Callable[[Any, str], tuple], extra: dict | None = None
                ) -> Callable[[Any], Iterator[Case]]:
    """``mean`` (default), ``sum`` and ``none`` on inputs from ``make(rng, dtype)``, and each
    variant of ``extra`` (variant: (make, keywords)) in the default reduction."""
    def gen(rng: Any) -> Iterator[Case]:
        for dt in F64:
            yield fcase(name, "mean", dt, *make(rng, dt))
            yield fcase(name, "sum", dt, *make(rng, dt), reduction="sum")
            yield fcase(name, "none", dt, *make(rng, dt), reduction="none")
            for v, (mk, kw) in (extra or {}).items():
                yield fcase(name, v, dt, *mk(rng, dt), **kw)

    return gen


def _pair(shape: tuple, target: Callable[..., Any] = _t) -> Callable[[Any, str], tuple]:
    return lambda rng, dt: (_t(rng, shape, dt), target(rng, shape, dt))


def _shape_errors(name: str, a: tuple, b: tuple) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield fcase(name, "bad-reduction", "float32", _t(rng, a, "float32"),
                    _t(rng, a, "float32"), reduction="avg")
        if b:
            yield fcase(name, "shape-mismatch", "float32", _t(rng, a, "float32"),
                        _t(rng, b, "float32"))

    return gen


def _class_input(rng: Any, dt: str, ignore: int | None = None) -> tuple:
    return _t(rng, (4, 3), dt), _idx(rng, 4, 3, ignore)


def _log_probs(rng: Any, dt: str) -> tuple:
    return _t(rng, (4, 3), dt, "small"), _idx(rng, 4, 3)


_W3 = [0.5, 1.0, 2.0]


def _cross_entropy(rng: Any) -> Iterator[Case]:
    yield from _reductions("cross_entropy", _class_input)(rng)
    for dt in F64:
        w = _W3
        yield fcase("cross_entropy", "weight", dt, *_class_input(rng, dt), weight=w)
        yield fcase("cross_entropy", "ignore-index", dt, *_class_input(rng, dt, -100))
        yield fcase("cross_entropy", "ignore-index-weight-sum", dt,
                    *_class_input(rng, dt, 2), weight=w, ignore_index=2, reduction="sum")
        yield fcase("cross_entropy", "label-smoothing", dt, *_class_input(rng, dt),
                    label_smoothing=0.1)
        yield fcase("cross_entropy", "smoothing-weight-ignore", dt, *_class_input(rng, dt, 1),
                    weight=w, ignore_index=1, label_smoothing=0.2)
        yield fcase("cross_entropy", "prob-target", dt, _t(rng, (4, 3), dt), _p(rng, (4, 3), dt))
        yield fcase("cross_entropy", "prob-target-smoothing", dt, _t(rng, (4, 3), dt),
                    _p(rng, (4, 3), dt), label_smoothing=0.1, reduction="sum")
        yield fcase("cross_entropy", "spatial", dt, _t(rng, (2, 3, 2, 2), dt),
                    TensorArg([[[0, 2], [1, 1]], [[2, 0], [0, 1]]], "int64"))
        yield fcase("cross_entropy", "unbatched", dt, _t(rng, (3,), dt), TensorArg(1, "int64"))


def _nll(rng: Any) -> Iterator[Case]:
    yield from _reductions("nll_loss", _log_probs)(rng)
    for dt in F64:
        yield fcase("nll_loss", "weight-ignore", dt, _t(rng, (4, 3), dt), _idx(rng, 4, 3, 0),
                    weight=_W3, ignore_index=0)
        yield fcase("nll_loss", "spatial", dt, _t(rng, (1, 3, 2, 2), dt),
                    TensorArg([[[0, 2], [1, 1]]], "int64"))


def _class_errors(name: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield fcase(name, "target-out-of-range", "float32", _t(rng, (2, 3), "float32"),
                    TensorArg([0, 3], "int64"))
        yield fcase(name, "batch-mismatch", "float32", _t(rng, (2, 3), "float32"),
                    TensorArg([0, 1, 2], "int64"))

    return gen


def _bce(rng: Any) -> Iterator[Case]:
    yield from _reductions("binary_cross_entropy", lambda r, dt: (_p(r, (3, 2), dt),
                                                                  _p(r, (3, 2), dt)))(rng)
    for dt in F64:
        yield fcase("binary_cross_entropy", "weight", dt, _p(rng, (3, 2), dt),
                    _p(rng, (3, 2), dt), weight=[0.3, 0.8])


def _bce_logits(rng: Any) -> Iterator[Case]:
    name = "binary_cross_entropy_with_logits"
    yield from _reductions(name, lambda r, dt: (_t(r, (3, 2), dt), _p(r, (3, 2), dt)))(rng)
    for dt in F64:
        yield fcase(name, "weight-pos-weight", dt, _t(rng, (3, 2), dt), _p(rng, (3, 2), dt),
                    weight=[0.3, 0.8], pos_weight=[2.0, 0.5])


def _kl(rng: Any) -> Iterator[Case]:
    mk = lambda r, dt: (_t(r, (3, 4), dt, "small"), _p(r, (3, 4), dt))  # noqa: E731
    logt = lambda r, dt: (_t(r, (3, 4), dt, "small"), _t(r, (3, 4), dt, "small"))  # noqa: E731
    yield from _reductions("kl_div", mk, {
        "batchmean": (mk, {"reduction": "batchmean"}),
        "log-target": (logt, {"log_target": True, "reduction": "batchmean"})})(rng)


def _gaussian(rng: Any) -> Iterator[Case]:
    mk = lambda r, dt: (_t(r, (3, 2), dt), _t(r, (3, 2), dt),  # noqa: E731
                        _t(r, (3, 2), dt, "pos"))
    var1 = lambda r, dt: (_t(r, (3, 2), dt), _t(r, (3, 2), dt),  # noqa: E731
                          [[0.5], [1.0], [2.0]])
    yield from _reductions("gaussian_nll_loss", mk, {
        "full-var-broadcast": (var1, {"full": True})})(rng)


def _poisson(rng: Any) -> Iterator[Case]:
    mk = lambda r, dt: (_t(r, (3, 2), dt, "small"), _t(r, (3, 2), dt, "pos"))  # noqa: E731
    rate = lambda r, dt: (_t(r, (3, 2), dt, "pos"), _t(r, (3, 2), dt, "pos"))  # noqa: E731
    yield from _reductions("poisson_nll_loss", mk, {
        "rate-full": (rate, {"log_input": False, "full": True})})(rng)


def _with_targets(name: str, shape: tuple, target: Callable[..., Any], extra: dict | None = None
                  ) -> Callable[[Any], Iterator[Case]]:
    return _reductions(name, _pair(shape, target), extra)


def _multi_margin(rng: Any) -> Iterator[Case]:
    yield from _reductions("multi_margin_loss", _class_input, {
        "p2-margin-weight": (_class_input, {"p": 2, "margin": 0.5,
                                            "weight": _W3})})(rng)


def _multilabel(rng: Any) -> Iterator[Case]:
    target = TensorArg([[2, 0, -1, 1], [1, -1, 0, 0], [3, 2, 1, 0]], "int64")
    mk = lambda r, dt: (_t(r, (3, 4), dt), target)  # noqa: E731
    yield from _reductions("multilabel_margin_loss", mk)(rng)


def _ranking(rng: Any) -> Iterator[Case]:
    mk = lambda r, dt: (_t(r, (4,), dt), _t(r, (4,), dt), _sign(r, (4,), dt))  # noqa: E731
    yield from _reductions("margin_ranking_loss", mk, {"margin": (mk, {"margin": 0.5})})(rng)


def _cosine_emb(rng: Any) -> Iterator[Case]:
    mk = lambda r, dt: (_t(r, (3, 4), dt), _t(r, (3, 4), dt), _sign(r, (3,), dt))  # noqa: E731
    yield from _reductions("cosine_embedding_loss", mk, {"margin": (mk, {"margin": 0.2})})(rng)


def _triplet(name: str) -> Callable[[Any], Iterator[Case]]:
    mk = lambda r, dt: tuple(_t(r, (3, 4), dt) for _ in range(3))  # noqa: E731
    extra = {"margin-swap": (mk, {"margin": 0.5, "swap": True})}
    if name == "triplet_margin_loss":
        extra["p1"] = (mk, {"p": 1.0})
    return _reductions(name, mk, extra)


def _ctc(rng: Any) -> Iterator[Case]:
    def call(ns: Any, logits: Any, targets: Any, *rest: Any, **kw: Any) -> Any:
        return ns.nn.functional.ctc_loss(logits.log_softmax(2), targets, *rest, **kw)

    targets = TensorArg([[1, 2], [1, 1]], "int64")
    for dt in F64:
        for v, kw in {"mean": {}, "sum-blank3": {"reduction": "sum", "blank": 3},
                      "none": {"reduction": "none"}}.items():
            tg = targets if "blank" not in kw else TensorArg([[1, 2], [0, 0]], "int64")
            c = fcase("ctc_loss", v, dt, _t(rng, (5, 2, 4), dt), tg, [5, 4], [2, 2], **kw)
            c.call = call
            yield c


def entries() -> list[OpEntry]:
    sm = {"beta": (_pair((3, 4)), {"beta": 0.5})}
    out = [
        fentry("mse_loss", _with_targets("mse_loss", (3, 4), _t),
               _shape_errors("mse_loss", (3, 4), ())),
        fentry("l1_loss", _with_targets("l1_loss", (3, 4), _t),
               _shape_errors("l1_loss", (3, 4), ())),
        fentry("smooth_l1_loss", _with_targets("smooth_l1_loss", (3, 4), _t, sm)),
        fentry("huber_loss", _with_targets("huber_loss", (3, 4), _t, {
            "delta": (_pair((3, 4)), {"delta": 0.5})})),
        fentry("soft_margin_loss", _with_targets("soft_margin_loss", (3, 4), _sign)),
        fentry("hinge_embedding_loss", _with_targets("hinge_embedding_loss", (3, 4), _sign, {
            "margin": (_pair((3, 4), _sign), {"margin": 0.5})})),
        fentry("multilabel_soft_margin_loss", _with_targets(
            "multilabel_soft_margin_loss", (3, 4), _p)),
        fentry("cross_entropy", _cross_entropy, _class_errors("cross_entropy")),
        fentry("nll_loss", _nll, _class_errors("nll_loss")),
        fentry("binary_cross_entropy", _bce),
        fentry("binary_cross_entropy_with_logits", _bce_logits),
        fentry("kl_div", _kl), fentry("gaussian_nll_loss", _gaussian),
        fentry("poisson_nll_loss", _poisson), fentry("multi_margin_loss", _multi_margin),
        fentry("margin_ranking_loss", _ranking),
        fentry("cosine_embedding_loss", _cosine_emb),
        fentry("triplet_margin_loss", _triplet("triplet_margin_loss")),
        fentry("triplet_margin_with_distance_loss", _triplet(
            "triplet_margin_with_distance_loss")),
        fentry("ctc_loss", _ctc),
        fentry("multilabel_margin_loss", _multilabel),
    ]
    return out
