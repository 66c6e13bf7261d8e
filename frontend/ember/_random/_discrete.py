"""``bernoulli`` and ``multinomial``: sampling from probability tensors.

# NOTE [ Multinomial sampling ]
Probabilities are taken in float64; a row's cumulative sums ``c`` are computed with the
backend's (sequential) ``cumsum``. A draw ``x = u53 * c[-1]`` picks the category ``j`` with
``c[j-1] <= x < c[j]``, i.e. ``j = count(c <= x)``, so zero-probability categories are never
picked; ``j`` is clamped to the last positive category for the rare ``x == c[-1]``.

* With replacement every sample is one such draw (``rows * num_samples`` uniforms drawn at
  once, compared chunk by chunk to bound memory).
* Without replacement the samples are drawn one after the other (``rows`` uniforms per
  step), each removing its category from the row. Once a row has no positive probability
  left, the remaining categories are picked uniformly, as PyTorch also returns them.

Only comparisons, sums and products are involved, so every backend picks the same indices.
"""

from __future__ import annotations

from typing import Any

from .._ops._elementwise import _tname
from .._ops._inplace import write_out
from .._ops._registry import public
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._draw import all_true, check_generator, u53
from ._functions import fmt
from ._inplace import bernoulli_

__all__ = ["bernoulli", "multinomial"]

_CHUNK = 1 << 22  # comparisons per chunk when sampling with replacement


@public()
def bernoulli(input: Tensor, p: Any = None, *, generator: Any = None,
              out: Tensor | None = None) -> Tensor:
    """0/1 values: 1 with probability ``input`` (elementwise), or ``p`` when given; the
    result has ``input``'s shape and dtype.

    Example:
        >>> import ember
        >>> _ = ember.manual_seed(0)
        >>> ember.bernoulli(ember.tensor([0., 1.]))
        tensor([0., 1.])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli(): argument 'input' must be Tensor, not "
                        f"{type(input).__name__}")
    be = input._backend
    res = _wrap(be.full(tuple(be.shape(input._data)), 0, input._dtype), input._dtype, be)
    if p is None:
        if not input.dtype.is_floating_point:
            raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for '
                                      f"'{_tname(input.dtype)}'")
        p = input.detach() if input.requires_grad else input
    elif not isinstance(p, Tensor) and not 0.0 <= float(p) <= 1.0:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={fmt(float(p))}")
    bernoulli_(res, p, generator=generator)
    return write_out(out, res) if out is not None else res


def _check_probs(input: Any, num_samples: Any, replacement: bool) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial(): argument 'input' must be Tensor, not "
                        f"{type(input).__name__}")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_tname(input.dtype)}")
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not isinstance(num_samples, int) or isinstance(num_samples, bool):
        raise TypeError(f"multinomial(): argument 'num_samples' must be int, not "
                        f"{type(num_samples).__name__}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    k = input.shape[-1]
    if not replacement and num_samples > k:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if k > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")


def _pick(be: Any, w: Any, u: Any, rows: int, k: int) -> Any:
    """For weights ``w`` (rows, k) and uniforms ``u`` (rows, s): the category of each
    sample (see NOTE [ Multinomial sampling ])."""
    cdf = be.cumsum(w, 1)
    x = be.mul(u, be.getitem(cdf, (slice(0, rows, 1), slice(k - 1, k, 1))))
    pos = be.astype(be.flip(be.gt(w, 0.0), (1,)), D.int64)
    last = be.sub(k - 1, be.argmax(pos, 1, True))  # (rows, 1): last positive category
    s = be.shape(x)[1]
    cdf3 = be.reshape(cdf, (rows, 1, k))
    step = max(1, _CHUNK // max(1, rows * k))
    parts = []
    for a in range(0, s, step):
        b = min(s, a + step)
        xc = be.reshape(be.getitem(x, (slice(0, rows, 1), slice(a, b, 1))), (rows, b - a, 1))
        hits = be.astype(be.le(cdf3, xc), D.int64)
        parts.append(be.reduce("sum", hits, (2,), False))
    idx = parts[0] if len(parts) == 1 else be.cat(parts, 1)
    return be.minimum(idx, last)


@public()
def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Any = None, out: Tensor | None = None) -> Tensor:
    """Sample category indices from the (unnormalised) probabilities in each row of
    ``input`` (1-d or 2-d); int64 of shape ``(num_samples,)`` or ``(rows, num_samples)``.

    Example:
        >>> import ember
        >>> _ = ember.manual_seed(0)
        >>> ember.multinomial(ember.tensor([0., 1., 0.]), 2, replacement=True)
        tensor([1, 1])
    """
    _check_probs(input, num_samples, replacement)
    be = input._backend
    gen = check_generator(generator, be)
    one_d = input.dim() == 1
    k = input.shape[-1]
    rows = 1 if one_d else input.shape[0]
    p = be.reshape(be.astype(input._data, D.float64), (rows, k))
    finite = be.logical_and(be.isfinite(p), be.ge(p, 0.0))
    if not all_true(be, finite):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = be.reduce("sum", p, (1,), True)
    if rows and not all_true(be, be.gt(totals, 0.0)):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if rows == 0:
        idx = be.full((0, num_samples), 0, D.int64)
    elif replacement:
        u = be.reshape(u53(be, gen, rows * num_samples), (rows, num_samples))
        idx = _pick(be, p, u, rows, k)
    else:
        idx = _without_replacement(be, gen, p, rows, k, num_samples)
    if one_d:
        idx = be.reshape(idx, (num_samples,))
    res = _wrap(idx, D.int64, be)
    return write_out(out, res) if out is not None else res


def _without_replacement(be: Any, gen: Any, p: Any, rows: int, k: int, n: int) -> Any:
    avail = be.full((rows, k), True, D.bool_)
    cats = be.reshape(be.arange(0, 1, k, D.int64), (1, k))
    picks = []
    for _ in range(n):
        w = be.where(avail, p, 0.0)
        total = be.reduce("sum", w, (1,), True)
        w = be.where(be.gt(total, 0.0), w, be.astype(avail, D.float64))
        j = _pick(be, w, be.reshape(u53(be, gen, rows), (rows, 1)), rows, k)
        picks.append(j)
        avail = be.logical_and(avail, be.ne(cats, j))
    return picks[0] if n == 1 else be.cat(picks, 1)

